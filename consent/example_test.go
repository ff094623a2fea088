package consent_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/1cb-kz/compliance/consent"
	"golang.org/x/mod/sumdb/note"
)

var (
	start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now   = start.Add(24 * time.Hour)
)

// newLedger sets up what every example needs: a purpose, a recipient and
// the Rules in force.
func newLedger() (*consent.Ledger, context.Context) {
	ctx := context.Background()
	store := consent.NewMemoryStore()
	l, err := consent.NewLedger(store, consent.Options{
		Keys:          exampleKeys(),
		ReceiptSigner: exampleSigner,
		Deadlines: consent.Deadlines{Calendar: map[consent.RequestKind]time.Duration{
			consent.RequestAccess:     3 * 24 * time.Hour,
			consent.RequestCorrection: 24 * time.Hour,
			consent.RequestDeletion:   24 * time.Hour,
		}},
		Controller: consent.Controller{Name: "1CB LLP", BIN: "123456789012", Jurisdiction: "KZ",
			StorageLocation: "KZ", Contact: "info@1cb.kz", WithdrawalMethod: "profile settings"},
		Clock: func() time.Time { return now },
	})
	must(err)
	must(l.DefinePurpose(ctx, consent.Purpose{
		ID: "marketing", ConsentRequired: true, DataCategories: []string{"email", "bids"},
		Description: consent.Texts{KK: "Серіктестердің жарнамасы", RU: "Реклама партнёров", EN: "Partner advertising"},
	}))
	must(l.DefineRecipient(ctx, consent.Recipient{ID: "ads", Name: "Ads Partner GmbH", Country: "DE", CrossBorder: true}))
	must(l.DefineRecipient(ctx, consent.Recipient{ID: "tax", Name: "State Revenue Committee", Country: "KZ"}))
	must(l.PublishNotice(ctx, consent.Notice{Version: "2026-01", Language: "ru", EffectiveAt: start, Material: true, Text: "Правила…"}))
	return l, ctx
}

// exampleKeys stands in for a key loaded from a secret manager.
func exampleKeys() *consent.Keyring {
	secret := make([]byte, consent.KeySize)
	_, _ = rand.Read(secret)
	keys, err := consent.NewKeyring("2026-12", secret)
	must(err)
	return keys
}

// The operator's receipt key: generated once with note.GenerateKey, the
// private half kept like the chain keys, the public half published.
var exampleSigner, exampleVerifier = func() (note.Signer, note.Verifier) {
	skey, vkey, err := note.GenerateKey(rand.Reader, "receipts.1cb.kz")
	must(err)
	s, err := note.NewSigner(skey)
	must(err)
	v, err := note.NewVerifier(vkey)
	must(err)
	return s, v
}()

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// The main path: keys, a store, definitions, a grant, a check, a signed
// receipt.
func Example() {
	ctx := context.Background()
	secret := make([]byte, consent.KeySize) // in production: from a secret manager
	_, _ = rand.Read(secret)
	keys, err := consent.NewKeyring("2026-12", secret)
	must(err)
	l, err := consent.NewLedger(consent.NewMemoryStore(), consent.Options{Keys: keys, ReceiptSigner: exampleSigner})
	must(err)
	must(l.DefinePurpose(ctx, consent.Purpose{ID: "marketing", ConsentRequired: true}))
	must(l.DefineRecipient(ctx, consent.Recipient{ID: "ads", Name: "Ads LLP"}))
	must(l.PublishNotice(ctx, consent.Notice{Version: "2026-01", Language: "ru", Material: true, Text: "Правила…"}))

	rec, err := l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodWebForm, Evidence: "form-7781"})
	must(err)
	d, err := l.Check(ctx, consent.Query{Subject: "user-42", Purpose: "marketing", Recipient: "ads"})
	fmt.Println(d.Allowed, d.RecordID == rec.ID, err)

	signed, err := l.Receipt(ctx, "user-42", rec.ID) // the user keeps it
	must(err)
	rc, err := consent.VerifyReceipt(signed, note.VerifierList(exampleVerifier))
	fmt.Println(rc.RecordID == rec.ID, err)
	// Output:
	// true true <nil>
	// true <nil>
}

func ExampleLedger_Check() {
	l, ctx := newLedger()
	q := consent.Query{Subject: "user-42", Purpose: "marketing", Recipient: "ads"}

	d, _ := l.Check(ctx, q)
	fmt.Println(d.Allowed, d.Code)

	rec, _ := l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodWebForm, Evidence: "form-7781"})
	d, _ = l.Check(ctx, q)
	fmt.Println(d.Allowed, d.Code, d.RecordID == rec.ID)

	_, _ = l.Withdraw(ctx, consent.Withdrawal{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodMobileApp})
	d, _ = l.Check(ctx, q)
	fmt.Println(d.Allowed, d.Code)
	// Output:
	// false no_consent
	// true consent true
	// false withdrawn
}

func ExampleLedger_AllowByLaw() {
	l, ctx := newLedger()
	must(l.AllowByLaw(ctx, consent.LegalBasis{
		ID: "tax-code-26", Law: "Tax Code of the RK", Article: "Art. 26",
		Purpose: "marketing", Recipient: "tax", ValidFrom: start,
	}))
	d, _ := l.Check(ctx, consent.Query{Subject: "user-42", Purpose: "marketing", Recipient: "tax"})
	fmt.Println(d.Allowed, d.Code, d.LegalBasisID)
	e, _ := l.Export(ctx, "user-42")
	fmt.Println(e.History[0].Kind, e.History[0].ID == d.UseID)
	// Output:
	// true legal_basis tax-code-26
	// legal_basis_used true
}

func ExampleLedger_PublishNotice() {
	l, ctx := newLedger()
	_, _ = l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads", Method: consent.MethodWebForm})
	now = now.Add(time.Hour)
	defer func() { now = now.Add(-time.Hour) }()

	must(l.PublishNotice(ctx, consent.Notice{Version: "2026-02", Language: "ru", EffectiveAt: now, Material: true, Text: "Новые правила…"}))
	pending, _ := l.PendingNotifications(ctx, "2026-02")
	fmt.Println(pending)
	d, _ := l.Check(ctx, consent.Query{Subject: "user-42", Purpose: "marketing", Recipient: "ads"})
	fmt.Println(d.Allowed, d.Code)

	err := l.PublishNotice(ctx, consent.Notice{Version: "2026-02", Language: "ru", EffectiveAt: now, Material: true, Text: "other text"})
	fmt.Println(err)
	// Output:
	// [user-42]
	// false stale_notice
	// consent: conflict: notice "2026-02" (ru) has another text
}

func ExampleLedger_OpenRequest() {
	l, ctx := newLedger()
	r, _ := l.OpenRequest(ctx, "user-42", consent.RequestAccess)
	fmt.Println(r.Status, r.Due.Sub(r.OpenedAt))
	overdue, _ := l.Overdue(ctx, now.Add(4*24*time.Hour))
	fmt.Println(len(overdue))
	r, _ = l.SetRequestStatus(ctx, r.ID, consent.StatusCompleted, "export sent")
	_, err := l.SetRequestStatus(ctx, r.ID, consent.StatusOpen, "")
	fmt.Println(r.Status, err)
	// Output:
	// open 72h0m0s
	// 1
	// completed consent: conflict: request status cannot change from "completed" to "open"
}

func ExampleDeadlines() {
	// Law 94-V counts working days; the production calendar is configuration.
	almaty := time.FixedZone("Asia/Almaty", 5*3600)
	friday := time.Date(2026, 3, 6, 10, 0, 0, 0, almaty)
	l, err := consent.NewLedger(consent.NewMemoryStore(), consent.Options{
		Keys: exampleKeys(),
		Deadlines: consent.Deadlines{
			WorkingDays: map[consent.RequestKind]int{consent.RequestAccess: 3},
			Calendar:    map[consent.RequestKind]time.Duration{consent.RequestDeletion: 30 * 24 * time.Hour},
			Holidays:    []time.Time{time.Date(2026, 3, 9, 0, 0, 0, 0, almaty)}, // 8 March moved to Monday
			Location:    almaty,
		},
		Clock: func() time.Time { return friday },
	})
	must(err)
	ctx := context.Background()
	r, _ := l.OpenRequest(ctx, "user-42", consent.RequestAccess)
	fmt.Println(r.Due.In(almaty).Format("Mon 2 Jan 15:04"))
	r, _ = l.OpenRequest(ctx, "user-42", consent.RequestDeletion)
	fmt.Println(r.Due.Sub(r.OpenedAt))
	_, err = l.OpenRequest(ctx, "user-42", consent.RequestCorrection)
	fmt.Println(errors.Is(err, consent.ErrNotConfigured))
	// Output:
	// Fri 13 Mar 00:00
	// 720h0m0s
	// true
}

func ExampleLedger_Receipt() {
	l, ctx := newLedger()
	rec, _ := l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodEGov, Term: 365 * 24 * time.Hour})
	signed, _ := l.Receipt(ctx, "user-42", rec.ID) // give it to the user

	// Anyone holding the operator's published key checks it.
	rc, err := consent.VerifyReceipt(signed, note.VerifierList(exampleVerifier))
	fmt.Println(err, rc.RecordID == rec.ID)
	b, _ := json.Marshal(rc.KZ)
	fmt.Println(string(b))
	_, err = consent.VerifyReceipt(bytes.Replace(signed, []byte("granted"), []byte("refused"), 1), note.VerifierList(exampleVerifier))
	fmt.Println(errors.Is(err, consent.ErrBadSignature))
	// Output:
	// <nil> true
	// {"operator":"1CB LLP","operator_bin":"123456789012","subject":"user-42","term":"2027-01-02T00:00:00Z","valid_until":"2027-01-02T00:00:00Z","third_party_transfer":true,"third_parties":["Ads Partner GmbH"],"cross_border_transfer":true,"cross_border_countries":["DE"],"public_dissemination":false,"data_list":["email","bids"]}
	// true
}

func ExampleNewKeyring() {
	// The secrets come from outside the database, e.g. a secret manager.
	oldSecret, newSecret := make([]byte, consent.KeySize), make([]byte, consent.KeySize)
	_, _ = rand.Read(oldSecret)
	_, _ = rand.Read(newSecret)

	// After a rotation the new key seals; the old one still verifies.
	keys, err := consent.NewKeyring("2027-01", newSecret)
	must(err)
	must(keys.Add("2026-12", oldSecret))
	fmt.Println(keys) // never prints a secret
	// Output: consent.Keyring{signer: 2027-01, keys: [2026-12 2027-01]}
}

func ExampleMigrate() {
	var db *sql.DB // opened on PostgreSQL, e.g. with the "pgx" driver
	ctx := context.Background()
	// At deployment, as the role that owns the tables:
	if err := consent.Migrate(ctx, db); err != nil {
		log.Fatal(err)
	}
	// In the application, as a role holding SELECT and INSERT only:
	store, err := consent.NewSQLStore(db)
	if err != nil {
		log.Fatal(err)
	}
	l, err := consent.NewLedger(store, consent.Options{Keys: exampleKeys()})
	if err != nil {
		log.Fatal(err)
	}
	_ = l
}

func ExampleLedger_Verify() {
	l, ctx := newLedger()
	_, _ = l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodWebForm})
	w, _ := l.Withdraw(ctx, consent.Withdrawal{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodMobileApp})
	// Keep the head outside the database, e.g. as JSON in the audit log.
	known := consent.Head{Seq: w.Seq, Hash: w.Hash}
	b, _ := json.Marshal(known)
	fmt.Println(string(b[:17]) + "…")

	// Later: the history must still extend it.
	head, err := l.Verify(ctx, "user-42", known)
	fmt.Println(head == known, err)
	// Output:
	// {"seq":2,"hash":"…
	// true <nil>
}
