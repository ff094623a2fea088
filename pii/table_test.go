package pii

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// User is this package's half of the cross-package test: package pii_test
// declares its own User with the same fields (table_ext_test.go).
type User struct {
	ID         string
	Name       string `pii:"name,encrypt"`
	Email      string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string
}

// Staff has the same shape as User under another name.
type Staff struct {
	ID         string
	Name       string `pii:"name,encrypt"`
	Email      string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string
}

// renamedUser declares its table, so the tokens survive renaming the type
// or moving it to another package.
type renamedUser struct {
	_          struct{} `pii:"table=users"`
	ID         string
	Name       string `pii:"name,encrypt"`
	Email      string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string
}

type usersAgain struct {
	_     struct{} `pii:"table=users"`
	Email string   `pii:"email,encrypt"`
}

// v1Vector holds tokens written by the code before table-bound contexts.
type v1Vector struct {
	Keyring, Record, Name, Email, EmailIndex, Phone string
	Plain                                           struct{ Name, Email, Phone string }
}

func loadV1(t *testing.T) (v1Vector, *Keyring) {
	t.Helper()
	data, err := os.ReadFile("testdata/v1_tokens.json")
	require.NoError(t, err)
	var v v1Vector
	require.NoError(t, json.Unmarshal(data, &v))
	kr, err := ParseKeyring([]byte(v.Keyring))
	require.NoError(t, err)
	return v, kr
}

func TestOldFormTokensStillOpen(t *testing.T) {
	v, kr := loadV1(t)
	enc, err := NewEncryptor(kr, Options{})
	require.NoError(t, err)

	u := User{ID: v.Record, Name: v.Name, Email: v.Email, EmailIndex: v.EmailIndex}
	require.NoError(t, enc.Open(&u, u.ID))
	assert.Equal(t, User{ID: "7", Name: v.Plain.Name, Email: v.Plain.Email, EmailIndex: v.EmailIndex}, u)

	phone, err := enc.DecryptString(v.Phone, "users", "phone", "7")
	require.NoError(t, err)
	assert.Equal(t, v.Plain.Phone, phone)

	// Seal moves the row to context version 2 without changing the index;
	// the result opens, and no longer opens as another package's User.
	row := User{ID: v.Record, Name: v.Name, Email: v.Email, EmailIndex: v.EmailIndex}
	require.NoError(t, enc.Seal(&row, row.ID))
	assert.Equal(t, kindKeyring2, mustRaw(t, row.Name)[0])
	assert.Equal(t, kindKeyring2, mustRaw(t, row.Email)[0])
	assert.Equal(t, v.EmailIndex, row.EmailIndex)
	moved := row
	require.NoError(t, enc.Open(&moved, moved.ID))
	assert.Equal(t, v.Plain.Email, moved.Email)
	st := Staff(row)
	require.ErrorIs(t, enc.Open(&st, st.ID), ErrDecrypt)

	// An old-form token is also refused once the migration is declared done.
	strict, err := NewEncryptor(kr, Options{RejectOldContext: true})
	require.NoError(t, err)
	old := User{ID: v.Record, Name: v.Name}
	require.ErrorIs(t, strict.Open(&old, old.ID), ErrDecrypt)
	again := row
	require.NoError(t, strict.Open(&again, again.ID), "version-2 tokens open")
}

func TestOldFormTokenMatchesOldCodePath(t *testing.T) {
	// The version-1 context of a sealed field is what EncryptString with
	// (type name, field, record) wrote, which is how old Seal built it.
	_, enc := newTestEncryptor(t)
	tok, err := enc.EncryptString("a@b.kz", "User", "Email", "9")
	require.NoError(t, err)
	u := User{ID: "9", Email: tok}
	require.NoError(t, enc.Open(&u, u.ID))
	assert.Equal(t, "a@b.kz", u.Email)
}

func TestTokensBoundToTable(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := User{ID: "7", Name: "Aliya", Email: "staff@1cb.kz"}
	require.NoError(t, enc.Seal(&u, u.ID))

	cases := map[string]func() error{
		"another type of this package": func() error { s := Staff(u); return enc.Open(&s, s.ID) },
		"another table declared": func() error {
			r := renamedUser{ID: u.ID, Name: u.Name, Email: u.Email, EmailIndex: u.EmailIndex}
			return enc.Open(&r, r.ID)
		},
		"another row":               func() error { v := u; v.ID = "8"; return enc.Open(&v, v.ID) },
		"another column":            func() error { v := u; v.Name = u.Email; return enc.Open(&v, v.ID) },
		"as an EncryptString token": func() error { _, err := enc.DecryptString(u.Email, "User", "Email", "7"); return err },
		"as a subject token": func() error {
			_, err := enc.DecryptString(u.Email, "go:github.com/1cb-kz/compliance/pii.User", "Email", "7")
			return err
		},
	}
	for name, open := range cases {
		t.Run(name, func(t *testing.T) { assert.ErrorIs(t, open(), ErrDecrypt) })
	}
	v := u
	require.NoError(t, enc.Open(&v, v.ID))
	assert.Equal(t, "staff@1cb.kz", v.Email)
}

func TestDeclaredTableSurvivesRenaming(t *testing.T) {
	_, enc := newTestEncryptor(t)
	r := renamedUser{ID: "3", Name: "Aliya", Email: "a@b.kz"}
	require.NoError(t, enc.Seal(&r, r.ID))
	// The same table declared by another type (the type renamed, or moved
	// to another package, in another build) opens the row.
	type movedUser struct {
		_          struct{} `pii:"table=users"`
		ID         string
		Name       string `pii:"name,encrypt"`
		Email      string `pii:"email,encrypt,index=EmailIndex"`
		EmailIndex string
	}
	enc2, err := NewEncryptor(enc.kr, Options{})
	require.NoError(t, err)
	m := movedUser{ID: r.ID, Name: r.Name, Email: r.Email, EmailIndex: r.EmailIndex}
	require.NoError(t, enc2.Open(&m, m.ID))
	assert.Equal(t, "a@b.kz", m.Email)
	idx, err := enc.BlindIndex("users.EmailIndex", "A@b.kz")
	require.NoError(t, err)
	assert.Equal(t, idx, r.EmailIndex, "a declared table names the index too")

	// One Encryptor refuses two types declaring one table.
	var fe *FieldError
	require.ErrorAs(t, enc.Seal(&usersAgain{Email: "x"}, "1"), &fe)
	assert.Equal(t, "_", fe.Field)
}

func TestDeclaredTableTags(t *testing.T) {
	_, enc := newTestEncryptor(t)
	type badName struct {
		_ struct{} `pii:"table=users;drop"`
		A string   `pii:"name,encrypt"`
	}
	type twoNames struct {
		_ struct{} `pii:"table=a"`
		_ struct{} `pii:"table=b"`
		A string   `pii:"name,encrypt"`
	}
	type otherTag struct {
		_ struct{} `pii:"name,encrypt"`
		A string   `pii:"name,encrypt"`
	}
	for name, ptr := range map[string]any{
		"bad name":        &badName{A: "x"},
		"two names":       &twoNames{A: "x"},
		"not a table tag": &otherTag{A: "x"},
		"unnamed struct type": &struct {
			A string `pii:"name,encrypt"`
		}{A: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			var fe *FieldError
			err := enc.Seal(ptr, "1")
			require.ErrorAs(t, err, &fe)
			assert.ErrorIs(t, err, ErrInvalid)
			assert.Equal(t, "_", fe.Field)
		})
	}
	anon := struct {
		_ struct{} `pii:"table=anon"`
		A string   `pii:"name,encrypt"`
	}{A: "x"}
	require.NoError(t, enc.Seal(&anon, "1"), "an unnamed struct type with a declared table")
	assert.True(t, IsToken(anon.A))
}

// Every single-bit change of a token that Seal wrote, the kind byte that
// carries the context version included, fails to open.
func TestSealedTokenBitFlips(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := User{ID: "7", Email: "a@b.kz"}
	require.NoError(t, enc.Seal(&u, u.ID))
	raw := mustRaw(t, u.Email)
	for i := range len(raw) * 8 {
		b := append([]byte(nil), raw...)
		b[i/8] ^= 1 << (i % 8)
		v := User{ID: "7", Email: tokenPrefix + tokenEncoding.EncodeToString(b)}
		require.Error(t, enc.Open(&v, v.ID), "bit %d", i)
	}
	// Version 1 in the kind byte with the rest untouched: refused too.
	b := append([]byte(nil), raw...)
	b[0] = kindKeyring
	v := User{ID: "7", Email: tokenPrefix + tokenEncoding.EncodeToString(b)}
	require.ErrorIs(t, enc.Open(&v, v.ID), ErrDecrypt)
}
