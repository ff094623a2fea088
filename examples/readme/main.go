// Command readme runs every usage snippet of the README, so that the README
// can never show code that does not compile or does not work. The test beside
// it checks that each snippet in README.md is copied verbatim from this file.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/1cb-kz/compliance/anonymize"
	"github.com/1cb-kz/compliance/audit"
	"github.com/1cb-kz/compliance/consent"
	"github.com/1cb-kz/compliance/password"
	"github.com/1cb-kz/compliance/pii"
	"github.com/1cb-kz/compliance/pii/redact"
)

var ctx = context.Background()

func passwordSnippet(pw, login, email, name string) error {
	// --- password
	p := password.DefaultPolicy() // clause 2.1 as written; password.NISTPolicy() for SP 800-63B-4
	// p.Breach = pwned          // a breach corpus: password.OpenPwnedFile(...) or &password.HIBPClient{}
	if err := p.Check(ctx, pw, login, email, name); err != nil {
		var pe *password.PolicyError
		if errors.As(err, &pe) {
			fmt.Println(pe.Messages("kk")) // one sentence per violation; also "ru", "en"
		}
		return err // a failed breach look-up is an error too (ErrBreachCheck), never a pass
	}
	stored, err := password.Hash(ctx, pw) // argon2id PHC string: store this, never pw
	if err != nil {
		return err
	}
	ok, err := password.Verify(ctx, pw, stored) // also accepts legacy bcrypt
	if ok && err == nil && password.NeedsRehash(stored) {
		stored, _ = password.Hash(ctx, pw) // upgrade legacy or weaker hashes at login
	}
	// No such login? password.VerifyAbsent(ctx, pw) takes as long as Verify; then refuse as for a wrong password.
	// --- end
	_ = stored
	return err
}

func piiSnippet() error {
	// --- pii
	kr, err := pii.KeyringFromEnv("PII_KEYRING") // JSON from kr.Export(): secret
	if err != nil {
		return err
	}
	enc, err := pii.NewEncryptor(kr, pii.Options{SubjectKeys: pii.NewMemorySubjectKeyStore()})
	if err != nil {
		return err
	}
	type User struct {
		_          struct{} `pii:"table=users"` // tokens bound to this table, whatever the Go type is called
		ID         string
		Email      string `pii:"email,encrypt,index=EmailIndex"`
		EmailIndex string
	}
	u := User{ID: "42", Email: "Aliya@Example.kz"}
	if err := enc.Seal(&u, u.ID); err != nil { // Email becomes a "pii1." token bound to table users, row 42
		return err
	}
	idx, _ := enc.BlindIndex("users.EmailIndex", " aliya@example.KZ") // == u.EmailIndex: look-ups by e-mail
	_ = enc.Open(&u, u.ID)                                            // Email is plaintext again

	tok, _ := enc.EncryptFor(ctx, "user-42", "Aliya Serikova", "users", "name", "42")
	_ = enc.Forget(ctx, "user-42") // clause 7.1: DecryptFor(tok) now fails with pii.ErrErased, backups too

	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
	logger.Info("bid by alice@example.kz", "ФИО", "Серикова Алия", "card", "4111 1111 1111 1111") // masked on the way out
	fmt.Println(redact.Text("IIN 860110300125, IBAN KZ86125KZT5004100100"))
	err = pii.CheckMinimal(User{}) // clause 3.1: nil, e-mail is an allowed category
	// --- end
	_, _ = idx, tok
	return err
}

type Bid struct {
	UserID, Region string
	At             time.Time
	Amount         float64
}

func anonymizeSnippet(bids []Bid) error {
	// --- anonymize
	agg, err := anonymize.NewAggregator(anonymize.Spec[Bid]{
		K:       5,
		Subject: func(b Bid) string { return b.UserID }, // counts people, not rows
		Dimensions: []anonymize.Dimension[Bid]{
			{Name: "region", Key: func(b Bid) string { return b.Region }},
			{Name: "month", Key: func(b Bid) string { return anonymize.TruncateDate(b.At, anonymize.Month) }},
		},
		Measures: []anonymize.Measure[Bid]{{Name: "amount", Value: func(b Bid) float64 { return b.Amount },
			Decimals:  2,                             // tenge with tiyn; a value with more decimals is refused, never rounded
			Dominance: []anonymize.NK{{N: 1, K: 75}}, // no bidder may make 75 % of a sum
			P:         10}},                          // nor be estimated within 10 % by the second largest
		Margins: true, // totals per region, per month and overall
	})
	if err != nil {
		return err
	}
	for _, b := range bids {
		agg.Add(b)
	}
	table, err := agg.Release() // every suppressed cell keeps its protection interval against the reader's LP
	if err != nil {
		return err
	}
	err = anonymize.WriteCSV(os.Stdout, table) // verifies again before writing
	// --- end
	return err
}

func consentSnippet(secret []byte, receiptKey string, receiptVerifier note.Verifier) error {
	// --- consent
	keys, err := consent.NewKeyring("2026-12", secret) // 32 bytes kept outside the database
	if err != nil {
		return err
	}
	signer, err := note.NewSigner(receiptKey) // from note.GenerateKey; publish the verifier key
	if err != nil {
		return err
	}
	store := consent.NewMemoryStore() // or consent.NewSQLStore(db) after consent.Migrate(ctx, db)
	l, err := consent.NewLedger(store, consent.Options{Keys: keys, ReceiptSigner: signer})
	if err != nil {
		return err
	}
	_ = l.DefinePurpose(ctx, consent.Purpose{ID: "marketing", ConsentRequired: true, DataCategories: []string{"email"}})
	_ = l.DefineRecipient(ctx, consent.Recipient{ID: "bank", Name: "Partner Bank JSC", Country: "KZ"})
	_ = l.PublishNotice(ctx, consent.Notice{Version: "2026-01", Language: "ru", Material: true, Text: "Правила…"})
	rec, err := l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "bank",
		Method: consent.MethodWebForm})
	if err != nil {
		return err
	}
	d, err := l.Check(ctx, consent.Query{Subject: "user-42", Purpose: "marketing", Recipient: "bank"})
	if err != nil {
		return err // d is a denial; consent.ErrTampered if a row was forged, altered or removed
	}
	fmt.Println(d.Allowed, d.RecordID == rec.ID, d.Reason) // deny by default; Reason is for a support agent
	receipt, err := l.Receipt(ctx, "user-42", rec.ID)      // a signed note the user keeps
	if err != nil {
		return err
	}
	_, err = consent.VerifyReceipt(receipt, note.VerifierList(receiptVerifier)) // what a third party runs
	if err != nil {
		return err
	}
	w, err := l.Withdraw(ctx, consent.Withdrawal{Subject: "user-42", Purpose: "marketing", Recipient: "bank"})
	if err != nil {
		return err
	}
	head := consent.Head{Seq: w.Seq, Hash: w.Hash} // keep it outside the database, e.g. in the audit log
	_, err = l.Verify(ctx, "user-42", head)        // consent.ErrTampered if newer records were deleted
	// --- end
	return err
}

func auditSnippet(dir string) error {
	skey, vkey, _ := note.GenerateKey(rand.Reader, "audit.dmas.kz")
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	key := make([]byte, 32)
	rand.Read(key)
	trainedAt := time.Now().AddDate(0, -1, 0)
	// --- audit
	accessLog, err := audit.Open(ctx, audit.Dir(dir), audit.Options{Signer: signer}) // Ed25519 note signer; keep the key elsewhere
	if err != nil {
		return err
	}
	defer accessLog.Close()
	staff := audit.NewMemoryDirectory(audit.Staff{ID: "emp-17", Roles: []string{"support"},
		Active: true, TrainedAt: trainedAt, TrainingValidFor: 365 * 24 * time.Hour})
	policy := audit.AccessPolicy{Grants: []audit.Grant{{Role: "support",
		Actions: []audit.Action{audit.ActionRead}, Purposes: []string{"support.ticket"}}}}
	gate := audit.NewGate(staff, policy, accessLog, audit.GateOptions{})
	pseudonyms, _ := audit.NewPseudonymizer(key) // 32 secret bytes held by the host
	err = gate.Authorize(ctx, audit.Access{Employee: "emp-17", Action: audit.ActionRead,
		Subject: pseudonyms.Subject("user-42"), Resource: "users/profile", Purpose: "support.ticket"})
	if errors.Is(err, audit.ErrDenied) {
		return err // e.g. "audit: access denied: training_expired"; the denial is already logged
	}
	checkpoint, _ := accessLog.Checkpoint(ctx) // signed C2SP checkpoint; the auditor keeps it
	kept := audit.Options{Verifier: verifier, Checkpoints: [][]byte{checkpoint}}
	err = audit.Verify(ctx, audit.Dir(dir), kept) // *audit.TamperError names the first bad entry
	// --- end
	fmt.Printf("%s", checkpoint)
	return err
}

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	kr, _ := pii.NewKeyring()
	js, _ := kr.Export()
	os.Setenv("PII_KEYRING", string(js))
	if err := passwordSnippet("Тихий-кит-плывёт-на-север-42!", "aigerim", "aigerim@example.kz", "Айгерим"); err != nil {
		return fmt.Errorf("password: %w", err)
	}
	if err := piiSnippet(); err != nil {
		return fmt.Errorf("pii: %w", err)
	}
	var bids []Bid
	for i := range 200 {
		bids = append(bids, Bid{UserID: fmt.Sprint("u", i%40), Region: []string{"KZ-ALA", "KZ-AST", "KZ-ZHA"}[i%3], At: time.Date(2026, time.Month(1+i%2), 3, 0, 0, 0, 0, time.UTC), Amount: float64(1000 + i)})
	}
	if err := anonymizeSnippet(bids); err != nil {
		return fmt.Errorf("anonymize: %w", err)
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, "receipts.dmas.kz")
	if err != nil {
		return err
	}
	receiptVerifier, err := note.NewVerifier(vkey)
	if err != nil {
		return err
	}
	secret := make([]byte, consent.KeySize)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	if err := consentSnippet(secret, skey, receiptVerifier); err != nil {
		return fmt.Errorf("consent: %w", err)
	}
	d, err := os.MkdirTemp("", "readme-audit-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(d)
	if err := auditSnippet(d); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
