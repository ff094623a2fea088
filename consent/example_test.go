package consent_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/1cb-kz/compliance/consent"
)

var (
	start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now   = start.Add(24 * time.Hour)
)

// newLedger sets up what every example needs: a purpose, a recipient and
// the Rules in force.
func newLedger() (*consent.Ledger, context.Context) { return newLedgerOn(consent.NewMemoryStore()) }

// newLedgerOn is newLedger on a given store.
func newLedgerOn(store consent.Store) (*consent.Ledger, context.Context) {
	ctx := context.Background()
	l := consent.NewLedger(store,
		consent.WithClock(func() time.Time { return now }),
		consent.WithController(consent.Controller{Name: "1CB LLP", BIN: "123456789012", Jurisdiction: "KZ",
			StorageLocation: "KZ", Contact: "info@1cb.kz", WithdrawalMethod: "profile settings"}),
		consent.WithDeadlines(consent.Deadlines{
			consent.RequestAccess:     3 * 24 * time.Hour,
			consent.RequestCorrection: 24 * time.Hour,
			consent.RequestDeletion:   24 * time.Hour,
		}))
	must(l.DefinePurpose(ctx, consent.Purpose{
		ID: "marketing", ConsentRequired: true, DataCategories: []string{"email", "bids"},
		Description: consent.Texts{KK: "Серіктестердің жарнамасы", RU: "Реклама партнёров", EN: "Partner advertising"},
	}))
	must(l.DefineRecipient(ctx, consent.Recipient{ID: "ads", Name: "Ads Partner GmbH", Country: "DE", CrossBorder: true}))
	must(l.DefineRecipient(ctx, consent.Recipient{ID: "tax", Name: "State Revenue Committee", Country: "KZ"}))
	must(l.PublishNotice(ctx, consent.Notice{Version: "2026-01", Language: "ru", EffectiveAt: start, Material: true, Text: "Правила…"}))
	return l, ctx
}

func must(err error) {
	if err != nil {
		panic(err)
	}
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
	h, _ := l.History(ctx, "user-42")
	fmt.Println(h[0].Kind, h[0].ID == d.UseID)
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
	// consent: notice "2026-02" (ru) already published with a different text
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
	// completed consent: request cannot go from "completed" to "open"
}

func ExampleLedger_Receipt() {
	l, ctx := newLedger()
	rec, _ := l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodEGov, Term: 365 * 24 * time.Hour})
	rc, _ := l.Receipt(ctx, "user-42", rec.ID)
	b, _ := json.Marshal(rc.KZ)
	fmt.Println(string(b))
	// Output:
	// {"operator":"1CB LLP","operator_bin":"123456789012","subject":"user-42","term":"2027-01-02T00:00:00Z","valid_until":"2027-01-02T00:00:00Z","third_party_transfer":true,"third_parties":["Ads Partner GmbH"],"cross_border_transfer":true,"cross_border_countries":["DE"],"public_dissemination":false,"data_list":["email","bids"]}
}

func ExampleMigrate() {
	// With a *sql.DB opened on PostgreSQL (e.g. driver "pgx"):
	//
	//	if err := consent.Migrate(ctx, db); err != nil { ... }
	//	store, err := consent.NewSQLStore(db)
	//	l := consent.NewLedger(store)
	fmt.Println(consent.SchemaVersion)
	// Output: iso-iec-ts-27560:2023+kz-94v-art8/1
}

func ExampleLedger_Head() {
	l, ctx := newLedger()
	rec, _ := l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodWebForm})
	head, _ := l.Head(ctx, "user-42")
	fmt.Println(head.Seq, head == consent.Head{Seq: rec.Seq, Hash: rec.Hash})
	// Record it outside the database, e.g. as JSON in the audit log.
	b, _ := json.Marshal(head)
	fmt.Println(string(b[:17]) + "…")
	// Output:
	// 1 true
	// {"seq":1,"hash":"…
}

// trimmed is a Store whose newest records were deleted behind the ledger's
// back, as the table owner could after disabling the triggers.
type trimmed struct {
	consent.Store
	deleted int
}

func (s *trimmed) History(ctx context.Context, subject string) ([]consent.Record, error) {
	h, err := s.Store.History(ctx, subject)
	return h[:len(h)-min(s.deleted, len(h))], err
}

func ExampleLedger_VerifyFrom() {
	store := &trimmed{Store: consent.NewMemoryStore()}
	l, ctx := newLedgerOn(store)
	_, _ = l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodWebForm})
	w, _ := l.Withdraw(ctx, consent.Withdrawal{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
		Method: consent.MethodMobileApp})
	known := consent.Head{Seq: w.Seq, Hash: w.Hash} // kept outside the database
	fmt.Println(l.VerifyFrom(ctx, "user-42", known))

	store.deleted = 1 // the withdrawal is deleted
	fmt.Println(l.Verify(ctx, "user-42"))
	err := l.VerifyFrom(ctx, "user-42", known)
	fmt.Println(errors.Is(err, consent.ErrTampered), err)
	// Output:
	// <nil>
	// <nil>
	// true consent: history does not extend the known head at seq 2 (it ends at seq 1)
}
