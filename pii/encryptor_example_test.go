package pii_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/1cb-kz/compliance/pii"
)

func Example() {
	kr, err := pii.NewKeyring() // in production: pii.KeyringFromEnv("PII_KEYRING")
	if err != nil {
		log.Fatal(err)
	}
	enc, err := pii.NewEncryptor(kr, pii.Options{})
	if err != nil {
		log.Fatal(err)
	}
	type User struct {
		_          struct{} `pii:"table=users"` // tokens bound to table users, whatever the type is called
		ID         string
		Name       string `pii:"name,encrypt"`
		Email      string `pii:"email,encrypt,index=EmailIndex"`
		EmailIndex string // blind index, for WHERE email_index = $1
	}
	u := User{ID: "42", Name: "Aliya Nurlanovna", Email: "Aliya@Example.kz"}
	if err := enc.Seal(&u, u.ID); err != nil { // before INSERT
		log.Fatal(err)
	}
	fmt.Println(pii.IsToken(u.Name), pii.IsToken(u.Email), len(u.EmailIndex))

	lookup, _ := enc.BlindIndex("users.EmailIndex", " aliya@example.KZ")
	fmt.Println(lookup == u.EmailIndex)

	if err := enc.Open(&u, u.ID); err != nil { // after SELECT
		log.Fatal(err)
	}
	fmt.Println(u.Name, u.Email)

	moved := u
	_ = enc.Seal(&moved, "42")
	err = enc.Open(&moved, "43") // the row pasted under another id
	fmt.Println(errors.Is(err, pii.ErrDecrypt))
	// Output:
	// true true 8
	// true
	// Aliya Nurlanovna Aliya@Example.kz
	// true
}

func ExampleEncryptor_EncryptString() {
	kr, _ := pii.NewKeyring()
	enc, _ := pii.NewEncryptor(kr, pii.Options{})

	tok, _ := enc.EncryptString("+7 701 234 56 78", "users", "phone", "42")
	fmt.Println(len(tok) == pii.TokenLen(len("+7 701 234 56 78")))

	phone, _ := enc.DecryptString(tok, "users", "phone", "42")
	fmt.Println(phone)

	_, err := enc.DecryptString(tok, "users", "phone", "43")
	fmt.Println(err)
	// Output:
	// true
	// +7 701 234 56 78
	// pii: decryption failed: authentication failed
}

// Encrypt gives the binary form of a token, for a BYTEA column.
func ExampleEncryptor_AppendEncrypt() {
	kr, err := pii.NewKeyring()
	if err != nil {
		log.Fatal(err)
	}
	enc, err := pii.NewEncryptor(kr, pii.Options{})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := enc.AppendEncrypt(nil, []byte("KZ86125KZT5004100100"), "payouts", "iban", "7")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(tok) == 20+49) // a binary token is n + 49 bytes
	iban, err := enc.AppendDecrypt(nil, tok, "payouts", "iban", "7")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(iban))
	_, err = enc.AppendDecrypt(nil, tok, "payouts", "iban", "8") // pasted into another row
	fmt.Println(errors.Is(err, pii.ErrDecrypt))
	// Output:
	// true
	// KZ86125KZT5004100100
	// true
}

// BlindIndex normalises by the index's category, so that spellings of one
// value meet.
func ExampleEncryptor_BlindIndex() {
	kr, err := pii.NewKeyring()
	if err != nil {
		log.Fatal(err)
	}
	enc, err := pii.NewEncryptor(kr, pii.Options{Indexes: map[string]pii.IndexConfig{
		"users.phone": {Category: pii.CategoryPhone, Bits: 16},
	}})
	if err != nil {
		log.Fatal(err)
	}
	a, _ := enc.BlindIndex("users.phone", "8 (701) 234-56-78")
	b, _ := enc.BlindIndex("users.phone", "+7 701 234 5678")
	fmt.Println(a == b, len(a)) // 16 bits: 4 hex digits
	// Output:
	// true 4
}

func ExampleKeyring_Rotate() {
	kr, _ := pii.NewKeyring()
	enc, _ := pii.NewEncryptor(kr, pii.Options{})
	old, _ := enc.EncryptString("Aliya", "users", "name", "42")

	id, _ := kr.Rotate() // new primary; key 1 becomes decrypt-only
	fmt.Println("primary:", id)

	fresh, _ := enc.Reencrypt(old, "users", "name", "42") // background job, row by row
	fmt.Println(fresh != old)

	_ = kr.SetIndexKey(id)              // only after re-computing blind indexes
	_ = kr.SetState(1, pii.KeyDisabled) // reversible: watch for errors first
	_, err := enc.DecryptString(old, "users", "name", "42")
	fmt.Println(errors.Is(err, pii.ErrUnknownKey))
	name, _ := enc.DecryptString(fresh, "users", "name", "42")
	fmt.Println(name)
	_ = kr.SetState(1, pii.KeyDestroyed) // irreversible
	fmt.Println(kr.Status().Keys)
	// Output:
	// primary: 2
	// true
	// true
	// Aliya
	// map[1:destroyed 2:primary]
}

func ExampleEncryptor_Forget() {
	ctx := context.Background()
	kr, _ := pii.NewKeyring()
	store := pii.NewMemorySubjectKeyStore() // or pii.NewSQLSubjectKeyStore(db, "")
	enc, _ := pii.NewEncryptor(kr, pii.Options{SubjectKeys: store})

	tok, _ := enc.EncryptFor(ctx, "user-42", "Aliya", "users", "name", "42")
	backup := tok

	_ = enc.Forget(ctx, "user-42") // clause 7.1 deletion request
	_, err := enc.DecryptFor(ctx, "user-42", backup, "users", "name", "42")
	fmt.Println(errors.Is(err, pii.ErrErased))
	// Output: true
}

func ExampleParseKeyring() {
	kr, _ := pii.NewKeyring()
	_, _ = kr.Rotate()
	secret, _ := kr.Export() // store in a secret manager, never in the database
	loaded, err := pii.ParseKeyring(secret)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(loaded)
	// Output: pii.Keyring{primary: 2, keys: 2, min decrypt: 1}
}

func ExampleRecommendIndexBits() {
	lo, hi := pii.RecommendIndexBits(1_000_000)
	fmt.Println(lo, hi)
	kr, _ := pii.NewKeyring()
	enc, _ := pii.NewEncryptor(kr, pii.Options{Indexes: map[string]pii.IndexConfig{
		"users.iin": {Category: pii.CategoryIIN, Bits: 16},
	}})
	idx, _ := enc.BlindIndex("users.iin", "900101 300 123")
	fmt.Println(len(idx))
	// Output:
	// 10 19
	// 4
}

func ExampleTokenLen() {
	// VARCHAR size for an e-mail column of at most 254 bytes.
	fmt.Println(pii.TokenLen(254))
	// Output: 404
}

func ExampleOptions_legacyPlaintext() {
	kr, _ := pii.NewKeyring()
	enc, _ := pii.NewEncryptor(kr, pii.Options{LegacyPlaintext: true})

	// A row written before encryption was introduced.
	v, _ := enc.DecryptString("aliya@example.kz", "users", "email", "42")
	tok, _ := enc.Reencrypt("aliya@example.kz", "users", "email", "42") // migrate it
	fmt.Println(v, pii.IsToken(tok), enc.LegacyReads())

	strict, _ := pii.NewEncryptor(kr, pii.Options{})
	_, err := strict.DecryptString("aliya@example.kz", "users", "email", "42")
	fmt.Println(err)
	// Output:
	// aliya@example.kz true 2
	// pii: value is not an encrypted token
}

func ExampleNewSQLSubjectKeyStore() {
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL")) // any PostgreSQL database/sql driver
	if err != nil {
		log.Fatal(err)
	}
	store, err := pii.NewSQLSubjectKeyStore(db, "") // table pii_subject_keys
	if err != nil {
		log.Fatal(err)
	}
	if err := store.CreateTable(ctx); err != nil {
		log.Fatal(err)
	}
	kr, _ := pii.KeyringFromEnv("PII_KEYRING")
	enc, _ := pii.NewEncryptor(kr, pii.Options{SubjectKeys: store})
	_ = enc.Forget(ctx, "user-42")
}

// A declared table keeps tokens readable when the type is renamed or moved
// to another package; what Seal cannot seal is an error naming the field.
func ExampleEncryptor_Seal() {
	kr, _ := pii.NewKeyring()
	enc, _ := pii.NewEncryptor(kr, pii.Options{})

	type Bidder struct {
		_     struct{} `pii:"table=bidders"`
		ID    string
		Email string `pii:"email,encrypt"`
	}
	b := Bidder{ID: "7", Email: "bidder@example.kz"}
	if err := enc.Seal(&b, b.ID); err != nil {
		log.Fatal(err)
	}
	type Participant struct { // the same table, after a rename
		_     struct{} `pii:"table=bidders"`
		ID    string
		Email string `pii:"email,encrypt"`
	}
	other, _ := pii.NewEncryptor(kr, pii.Options{}) // another build of the service
	p := Participant{ID: b.ID, Email: b.Email}
	fmt.Println(other.Open(&p, p.ID), p.Email)

	type Lot struct {
		Title string
		Extra any // holds a struct with a field to seal
	}
	err := enc.Seal(&Lot{Title: "Flat", Extra: b}, "1")
	fmt.Println(err)
	// Output:
	// <nil> bidder@example.kz
	// pii: field Lot.Extra.(pii_test.Bidder): holds a struct with fields to seal in an interface value, which Seal cannot plan: seal it in its own call and tag the field pii:"-"
}
