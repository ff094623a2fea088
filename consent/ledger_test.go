package consent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a ledger with two purposes, two recipients and notice v1.
type fixture struct {
	l     *Ledger
	store *Store
	clock *fakeClock
	ctx   context.Context
}

func newFixture(t testing.TB, store *Store) *fixture {
	t.Helper()
	f := &fixture{store: store, clock: &fakeClock{t: t0}, ctx: context.Background()}
	f.l = newTestLedger(t, store, Options{Clock: f.clock.Now, Deadlines: Deadlines{Calendar: map[RequestKind]time.Duration{
		RequestAccess: 3 * 24 * time.Hour, RequestCorrection: 24 * time.Hour, RequestDeletion: 24 * time.Hour,
	}}, Controller: testController})
	require.NoError(t, f.l.DefinePurpose(f.ctx, purposeMarketing))
	require.NoError(t, f.l.DefinePurpose(f.ctx, purposeDelivery))
	require.NoError(t, f.l.DefineRecipient(f.ctx, recipientAds))
	require.NoError(t, f.l.DefineRecipient(f.ctx, recipientCourier))
	require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v1", Language: "ru", EffectiveAt: t0.Add(-time.Hour), Material: true, Text: "Правила v1"}))
	require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v1", Language: "kk", EffectiveAt: t0.Add(-time.Hour), Material: true, Text: "Ережелер v1"}))
	return f
}

var (
	testController = Controller{
		Name: "1CB LLP", BIN: "123456789012", Address: "Almaty, Kazakhstan", Contact: "info@1cb.kz",
		Jurisdiction: "KZ", StorageLocation: "KZ", WithdrawalMethod: "account settings or info@1cb.kz",
		RetentionPeriod: "3 years after the account is closed",
	}
	purposeMarketing = Purpose{
		ID:              "marketing",
		Description:     Texts{KK: "Жарнама", RU: "Реклама", EN: "Advertising"},
		DataCategories:  []string{"email", "bids"},
		ConsentRequired: true,
	}
	purposeDelivery = Purpose{
		ID:              "delivery",
		Description:     Texts{KK: "Жеткізу", RU: "Доставка", EN: "Delivery of won lots"},
		DataCategories:  []string{"name", "address", "phone"},
		ConsentRequired: false,
	}
	recipientAds     = Recipient{ID: "ads", Name: "Ads Partner GmbH", Country: "DE", CrossBorder: true}
	recipientCourier = Recipient{ID: "courier", Name: "Courier LLP", BIN: "210987654321", Country: "KZ"}
)

func (f *fixture) grant(t *testing.T, subject, purpose, recipient string) Record {
	t.Helper()
	r, err := f.l.Grant(f.ctx, Grant{Subject: subject, Purpose: purpose, Recipient: recipient, Method: MethodWebForm, Evidence: "form-1"})
	require.NoError(t, err)
	return r
}

func (f *fixture) check(t *testing.T, subject, purpose, recipient string) Decision {
	t.Helper()
	d, err := f.l.Check(f.ctx, Query{Subject: subject, Purpose: purpose, Recipient: recipient})
	require.NoError(t, err)
	return d
}

func (f *fixture) history(t *testing.T, subject string) []Record {
	t.Helper()
	h, err := f.l.history(f.ctx, subject)
	require.NoError(t, err)
	return h
}

// storeCase names a Store constructor for the shared behaviour table.
type storeCase struct {
	name string
	new  func(t *testing.T) *Store
}

func memoryCase() storeCase {
	return storeCase{"memory", func(*testing.T) *Store { return NewMemoryStore() }}
}

// ledgerBehaviour is the behaviour table every Store must pass.
var ledgerBehaviour = []struct {
	name string
	run  func(t *testing.T, f *fixture)
}{
	{"deny by default", func(t *testing.T, f *fixture) {
		d := f.check(t, "u1", "marketing", "ads")
		assert.False(t, d.Allowed)
		assert.Equal(t, CodeNoConsent, d.Code)
		assert.Contains(t, d.Reason, "never gave consent")
	}},
	{"grant allows with record id", func(t *testing.T, f *fixture) {
		r := f.grant(t, "u1", "marketing", "ads")
		assert.Equal(t, KindGranted, r.Kind)
		assert.Equal(t, "v1", r.NoticeVersion)
		assert.Equal(t, int64(1), r.Seq)
		d := f.check(t, "u1", "marketing", "ads")
		assert.True(t, d.Allowed)
		assert.Equal(t, CodeConsent, d.Code)
		assert.Equal(t, r.ID, d.RecordID)
		assert.Contains(t, d.Reason, r.ID)
	}},
	{"granular per purpose and recipient", func(t *testing.T, f *fixture) {
		f.grant(t, "u1", "marketing", "ads")
		for _, q := range [][3]string{{"u1", "marketing", "courier"}, {"u1", "marketing", ""}, {"u2", "marketing", "ads"}, {"u1", "delivery", "ads"}} {
			d := f.check(t, q[0], q[1], q[2])
			assert.False(t, d.Allowed, "%v", q)
		}
	}},
	{"refusal is recorded and denies", func(t *testing.T, f *fixture) {
		r, err := f.l.Refuse(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodMobileApp})
		require.NoError(t, err)
		assert.Equal(t, KindRefused, r.Kind)
		d := f.check(t, "u1", "marketing", "ads")
		assert.False(t, d.Allowed)
		assert.Equal(t, CodeRefused, d.Code)
		assert.Equal(t, r.ID, d.RecordID)
		assert.Len(t, f.history(t, "u1"), 1)
	}},
	{"withdrawal takes effect at once", func(t *testing.T, f *fixture) {
		f.grant(t, "u1", "marketing", "ads")
		w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		require.NoError(t, err)
		d := f.check(t, "u1", "marketing", "ads")
		assert.False(t, d.Allowed)
		assert.Equal(t, CodeWithdrawn, d.Code)
		assert.Equal(t, w.ID, d.RecordID)
		// grant again after withdrawal
		g := f.grant(t, "u1", "marketing", "ads")
		assert.Equal(t, g.ID, f.check(t, "u1", "marketing", "ads").RecordID)
	}},
	{"withdrawal of what was never granted", func(t *testing.T, f *fixture) {
		_, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		assert.ErrorIs(t, err, ErrNotGranted)
		f.grant(t, "u1", "marketing", "ads")
		_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "courier", Method: MethodWebForm})
		assert.ErrorIs(t, err, ErrNotGranted)
		_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		require.NoError(t, err)
		_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		assert.ErrorIs(t, err, ErrNotGranted)
		assert.Len(t, f.history(t, "u1"), 2)
	}},
	{"term expires", func(t *testing.T, f *fixture) {
		r, err := f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodEGov, Term: time.Hour})
		require.NoError(t, err)
		assert.Equal(t, r.At.Add(time.Hour), r.ExpiresAt)
		f.clock.Advance(59 * time.Minute)
		assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed)
		f.clock.Advance(time.Minute)
		d := f.check(t, "u1", "marketing", "ads")
		assert.False(t, d.Allowed)
		assert.Equal(t, CodeExpired, d.Code)
		_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		assert.ErrorIs(t, err, ErrNotGranted)
	}},
	{"check at a past time", func(t *testing.T, f *fixture) {
		g := f.grant(t, "u1", "marketing", "ads")
		f.clock.Advance(time.Hour)
		_, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		require.NoError(t, err)
		d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: t0.Add(30 * time.Minute)})
		require.NoError(t, err)
		assert.True(t, d.Allowed)
		assert.Equal(t, g.ID, d.RecordID)
		d, err = f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: t0.Add(-time.Minute)})
		require.NoError(t, err)
		assert.False(t, d.Allowed)
		_, err = f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: t0.Add(48 * time.Hour)})
		assert.ErrorIs(t, err, ErrInvalidInput)
	}},
	{"legal basis allows and each use is recorded", func(t *testing.T, f *fixture) {
		require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{
			ID: "tax-2026", Law: "Tax Code of the RK", Article: "Art. 26", Purpose: "delivery", Recipient: "courier",
			ValidFrom: t0.Add(-time.Hour), ValidUntil: t0.Add(24 * time.Hour),
		}))
		// the user refused, but the law still applies
		_, err := f.l.Refuse(f.ctx, Grant{Subject: "u1", Purpose: "delivery", Recipient: "courier", Method: MethodWebForm})
		require.NoError(t, err)
		d := f.check(t, "u1", "delivery", "courier")
		assert.True(t, d.Allowed)
		assert.Equal(t, CodeLegalBasis, d.Code)
		assert.Equal(t, "tax-2026", d.LegalBasisID)
		assert.Contains(t, d.Reason, "Art. 26")
		d2 := f.check(t, "u1", "delivery", "courier")
		assert.NotEqual(t, d.UseID, d2.UseID)
		h := f.history(t, "u1")
		require.Len(t, h, 3)
		assert.Equal(t, KindLegalBasisUsed, h[1].Kind)
		assert.Equal(t, d.UseID, h[1].ID)
		assert.Equal(t, "tax-2026", h[2].LegalBasisID)
		// uses are in the full history, but a Snapshot carries only the
		// decisions, the latest record and the record before each, so
		// checks do not slow down
		for range 20 {
			require.True(t, f.check(t, "u1", "delivery", "courier").Allowed)
		}
		snap, err := f.store.read(f.ctx, "u1", "delivery", "courier")
		require.NoError(t, err)
		require.Len(t, snap.History, 3)
		assert.Equal(t, KindRefused, snap.History[0].Kind)
		assert.Equal(t, int64(22), snap.History[1].Seq)
		assert.Equal(t, int64(23), snap.History[2].Seq)
		require.Len(t, f.history(t, "u1"), 23)
		require.NoError(t, verify(f.l, f.ctx, "u1", Head{}))
		_, err = f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "delivery", Recipient: "courier", Method: MethodWebForm})
		require.NoError(t, err)
		require.NoError(t, verify(f.l, f.ctx, "u1", Head{}), "the chain continues after left-out records")
		// outside the validity window: nothing recorded
		_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "delivery", Recipient: "courier", Method: MethodWebForm})
		require.NoError(t, err)
		f.clock.Advance(24 * time.Hour)
		d = f.check(t, "u1", "delivery", "courier")
		assert.False(t, d.Allowed)
		assert.Equal(t, CodeWithdrawn, d.Code)
		assert.Len(t, f.history(t, "u1"), 25)
		// a legal basis for another recipient does not apply
		assert.False(t, f.check(t, "u1", "delivery", "ads").Allowed)
	}},
	{"legal basis with derived id", func(t *testing.T, f *fixture) {
		b := LegalBasis{Law: "Law 94-V", Article: "Art. 9", Purpose: "marketing", Recipient: "ads"}
		require.NoError(t, f.l.AllowByLaw(f.ctx, b))
		require.NoError(t, f.l.AllowByLaw(f.ctx, b), "registering the same basis again is a no-op")
		d := f.check(t, "u1", "marketing", "ads")
		assert.True(t, d.Allowed)
		assert.NotEmpty(t, d.LegalBasisID)
		err := f.l.AllowByLaw(f.ctx, LegalBasis{Law: "Law 94-V", Article: "Art. 9", Purpose: "nope", Recipient: "ads"})
		assert.ErrorIs(t, err, ErrNotFound)
		err = f.l.AllowByLaw(f.ctx, LegalBasis{ID: d.LegalBasisID, Law: "Other", Article: "Art. 1", Purpose: "marketing", Recipient: "ads"})
		assert.ErrorIs(t, err, ErrConflict)
	}},
	{"purpose without consent: operator only", func(t *testing.T, f *fixture) {
		d := f.check(t, "u1", "delivery", "")
		assert.True(t, d.Allowed)
		assert.Equal(t, CodeNoConsentRequired, d.Code)
		assert.False(t, f.check(t, "u1", "delivery", "courier").Allowed, "a third party always needs consent or law")
	}},
	{"material notice requires re-consent", func(t *testing.T, f *fixture) {
		g := f.grant(t, "u1", "marketing", "ads")
		f.clock.Advance(time.Hour)
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v2", Language: "ru", EffectiveAt: f.clock.Now(), Text: "v2 typo fix"}))
		d := f.check(t, "u1", "marketing", "ads")
		assert.True(t, d.Allowed, "a non-material change keeps consent")
		f.clock.Advance(time.Hour)
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v3", Language: "ru", EffectiveAt: f.clock.Now(), Material: true, Text: "v3 new partners"}))
		d = f.check(t, "u1", "marketing", "ads")
		assert.False(t, d.Allowed)
		assert.Equal(t, CodeStaleNotice, d.Code)
		assert.Equal(t, g.ID, d.RecordID)
		assert.Contains(t, d.Reason, "consent again")
		// granting explicitly under the superseded notice is refused
		_, err := f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", NoticeVersion: "v1", Method: MethodWebForm})
		assert.ErrorIs(t, err, ErrStaleNotice)
		g2 := f.grant(t, "u1", "marketing", "ads")
		assert.Equal(t, "v3", g2.NoticeVersion)
		assert.Equal(t, g2.ID, f.check(t, "u1", "marketing", "ads").RecordID)
		// a notice effective in the future does not yet apply
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v4", Language: "ru", EffectiveAt: f.clock.Now().Add(time.Hour), Material: true, Text: "v4"}))
		assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed)
		_, err = f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", NoticeVersion: "v4", Method: MethodWebForm})
		assert.ErrorIs(t, err, ErrNotFound)
	}},
	{"notice version published twice", func(t *testing.T, f *fixture) {
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v1", Language: "ru", EffectiveAt: t0.Add(-time.Hour), Material: true, Text: "Правила v1"}))
		err := f.l.PublishNotice(f.ctx, Notice{Version: "v1", Language: "ru", EffectiveAt: t0.Add(-time.Hour), Material: true, Text: "other text"})
		assert.ErrorIs(t, err, ErrConflict)
		assert.Contains(t, err.Error(), "another text")
		err = f.l.PublishNotice(f.ctx, Notice{Version: "v1", Language: "en", EffectiveAt: t0, Material: true, Text: "Rules v1"})
		assert.ErrorIs(t, err, ErrConflict)
		assert.Contains(t, err.Error(), "another effective time")
		err = f.l.PublishNotice(f.ctx, Notice{Version: "v1", Language: "en", EffectiveAt: t0.Add(-time.Hour), Text: "Rules v1"})
		assert.ErrorIs(t, err, ErrConflict)
		assert.Contains(t, err.Error(), "another material")
		ns, err := f.store.listNotices(f.ctx)
		require.NoError(t, err)
		require.Len(t, ns, 2)
		assert.Equal(t, "Правила v1", ns[0].Text)
	}},
	{"bad input is refused and nothing recorded", func(t *testing.T, f *fixture) {
		f.grant(t, "u1", "marketing", "ads")
		before := f.history(t, "u1")
		cases := []struct {
			g    Grant
			want error
		}{
			{Grant{Subject: "u1", Purpose: "nope", Method: MethodWebForm}, ErrNotFound},
			{Grant{Subject: "u1", Purpose: "marketing", Recipient: "nobody", Method: MethodWebForm}, ErrNotFound},
			{Grant{Subject: "", Purpose: "marketing", Method: MethodWebForm}, ErrInvalidInput},
			{Grant{Subject: "  ", Purpose: "marketing", Method: MethodWebForm}, ErrInvalidInput},
			{Grant{Subject: "u1\x00", Purpose: "marketing", Method: MethodWebForm}, ErrInvalidInput},
			{Grant{Subject: "u1", Purpose: "marketing", Method: "pigeon"}, ErrInvalidInput},
			{Grant{Subject: "u1", Purpose: "marketing", Method: methodSystem}, ErrInvalidInput},
			{Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, At: t0.Add(time.Hour)}, ErrInvalidInput},
			{Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, At: t0.Add(-time.Minute)}, ErrConflict},
			{Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, Term: -time.Second}, ErrInvalidInput},
			{Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, NoticeVersion: "v9"}, ErrNotFound},
			{Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, Language: "en"}, ErrNotFound},
			{Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, Language: "not a tag!"}, ErrInvalidInput},
			{Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, Evidence: "bad\x01"}, ErrInvalidInput},
		}
		for _, c := range cases {
			_, err := f.l.Grant(f.ctx, c.g)
			assert.ErrorIs(t, err, c.want, "%+v", c.g)
		}
		var te *InputError
		_, err := f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, At: t0.Add(time.Hour)})
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "Grant.At", te.Field)
		assert.Equal(t, t0.Add(time.Hour), te.At)
		assert.Equal(t, t0.Add(time.Minute), te.Limit)
		assert.NotErrorIs(t, err, ErrConflict, "a time in the future is a bad argument, not a conflict")
		// an event dated before the subject's latest: a conflict, with the latest event's time
		_, err = f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm, At: t0.Add(-time.Minute)})
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, ErrConflict)
		assert.NotErrorIs(t, err, ErrInvalidInput)
		assert.Equal(t, "Grant.At", te.Field)
		assert.Equal(t, t0.Add(-time.Minute), te.At)
		assert.Equal(t, f.history(t, "u1")[len(f.history(t, "u1"))-1].At, te.Limit)
		assert.Contains(t, err.Error(), "conflict: Grant.At: before the subject's latest event")
		_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm, At: t0.Add(time.Hour)})
		assert.ErrorIs(t, err, ErrInvalidInput)
		_, err = f.l.Check(f.ctx, Query{Subject: "", Purpose: "marketing"})
		assert.ErrorIs(t, err, ErrInvalidInput)
		d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "nope"})
		assert.ErrorIs(t, err, ErrNotFound)
		assert.False(t, d.Allowed)
		_, err = f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "nobody"})
		assert.ErrorIs(t, err, ErrNotFound)
		assert.Equal(t, before, f.history(t, "u1"))
		assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed)
	}},
	{"definitions are immutable", func(t *testing.T, f *fixture) {
		require.NoError(t, f.l.DefinePurpose(f.ctx, purposeMarketing))
		p := purposeMarketing
		p.DataCategories = []string{"email", "bids", "phone"}
		assert.ErrorIs(t, f.l.DefinePurpose(f.ctx, p), ErrConflict)
		r := recipientAds
		r.CrossBorder = false
		assert.ErrorIs(t, f.l.DefineRecipient(f.ctx, r), ErrConflict)
		assert.ErrorIs(t, f.l.DefinePurpose(f.ctx, Purpose{ID: "x", DataCategories: []string{"e mail"}}), ErrInvalidInput)
		assert.ErrorIs(t, f.l.DefinePurpose(f.ctx, Purpose{ID: "x", Description: Texts{RU: "bad\x00"}}), ErrInvalidInput)
		assert.ErrorIs(t, f.l.DefinePurpose(f.ctx, Purpose{ID: "x y"}), ErrInvalidInput)
		require.NoError(t, f.l.DefinePurpose(f.ctx, Purpose{ID: "minimal", ConsentRequired: true}), "only the id is required")
		assert.ErrorIs(t, f.l.DefineRecipient(f.ctx, Recipient{ID: "x", Name: "X", BIN: "12"}), ErrInvalidInput)
	}},
	{"pending notifications", func(t *testing.T, f *fixture) {
		f.grant(t, "alice", "marketing", "ads")
		f.grant(t, "bob", "marketing", "ads")
		_, err := f.l.Refuse(f.ctx, Grant{Subject: "carol", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		require.NoError(t, err)
		pending, err := f.l.PendingNotifications(f.ctx, "v1")
		require.NoError(t, err)
		assert.Empty(t, pending, "everyone saw v1 when deciding")

		f.clock.Advance(time.Hour)
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v2", Language: "ru", EffectiveAt: f.clock.Now(), Text: "v2"}))
		pending, err = f.l.PendingNotifications(f.ctx, "v2")
		require.NoError(t, err)
		assert.Equal(t, []string{"alice", "bob", "carol"}, pending)
		_, err = f.l.RecordNotification(f.ctx, Notification{Subject: "bob", Version: "v2", Method: MethodEmail, Evidence: "msg-1"})
		require.NoError(t, err)
		pending, err = f.l.PendingNotifications(f.ctx, "v2")
		require.NoError(t, err)
		assert.Equal(t, []string{"alice", "carol"}, pending)

		f.clock.Advance(time.Hour)
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v3", Language: "ru", EffectiveAt: f.clock.Now(), Material: true, Text: "v3"}))
		for _, s := range []string{"alice", "bob", "carol"} {
			_, err = f.l.RecordNotification(f.ctx, Notification{Subject: s, Version: "v3", Language: "ru", Method: MethodInApp})
			require.NoError(t, err)
		}
		pending, err = f.l.PendingNotifications(f.ctx, "v3")
		require.NoError(t, err)
		assert.Equal(t, []string{"alice", "bob"}, pending, "notified but consent still to renew; carol refused")
		f.grant(t, "alice", "marketing", "ads")
		_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "bob", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		require.NoError(t, err)
		pending, err = f.l.PendingNotifications(f.ctx, "v3")
		require.NoError(t, err)
		assert.Empty(t, pending)
		pending, err = f.l.PendingNotifications(f.ctx, "v2")
		require.NoError(t, err)
		assert.Empty(t, pending, "v3 notification covers v2")

		_, err = f.l.PendingNotifications(f.ctx, "v9")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = f.l.RecordNotification(f.ctx, Notification{Subject: "bob", Version: "v9", Method: MethodEmail})
		assert.ErrorIs(t, err, ErrNotFound)
	}},
	{"data-subject requests", func(t *testing.T, f *fixture) {
		r, err := f.l.OpenRequest(f.ctx, "u1", RequestAccess)
		require.NoError(t, err)
		assert.Equal(t, StatusOpen, r.Status)
		assert.Equal(t, t0.Add(72*time.Hour), r.Due)
		d, err := f.l.OpenRequest(f.ctx, "u2", RequestDeletion)
		require.NoError(t, err)
		_, err = f.l.OpenRequest(f.ctx, "u2", "erase")
		assert.ErrorIs(t, err, ErrInvalidInput)
		_, err = f.l.OpenRequest(f.ctx, "", RequestAccess)
		assert.ErrorIs(t, err, ErrInvalidInput)

		over, err := f.l.Overdue(f.ctx, t0.Add(25*time.Hour))
		require.NoError(t, err)
		require.Len(t, over, 1)
		assert.Equal(t, d.ID, over[0].ID)
		over, err = f.l.Overdue(f.ctx, t0.Add(73*time.Hour))
		require.NoError(t, err)
		require.Len(t, over, 2)
		assert.Equal(t, d.ID, over[0].ID, "most overdue first")

		f.clock.Advance(time.Hour)
		r, err = f.l.SetRequestStatus(f.ctx, r.ID, StatusInProgress, "")
		require.NoError(t, err)
		r, err = f.l.SetRequestStatus(f.ctx, r.ID, StatusCompleted, "export sent")
		require.NoError(t, err)
		assert.True(t, r.final())
		assert.Equal(t, t0.Add(time.Hour), r.ClosedAt)
		require.Len(t, r.History, 3)
		_, err = f.l.SetRequestStatus(f.ctx, r.ID, StatusOpen, "")
		require.ErrorIs(t, err, ErrConflict)
		assert.Contains(t, err.Error(), `from "completed"`)
		_, err = f.l.SetRequestStatus(f.ctx, d.ID, StatusOpen, "")
		assert.ErrorIs(t, err, ErrConflict)
		_, err = f.l.SetRequestStatus(f.ctx, d.ID, "done by alice@example.kz", "")
		assert.ErrorIs(t, err, ErrInvalidInput)
		assert.NotContains(t, err.Error(), "alice", "an unknown status is not echoed")
		_, err = f.l.SetRequestStatus(f.ctx, "dsr_missing", StatusCompleted, "")
		assert.ErrorIs(t, err, ErrNotFound)
		got, err := f.store.listRequests(f.ctx, "u1")
		require.NoError(t, err)
		assert.Contains(t, got, r)
		over, err = f.l.Overdue(f.ctx, t0.Add(73*time.Hour))
		require.NoError(t, err)
		assert.Len(t, over, 1)
	}},
	{"withdraw everything at once", func(t *testing.T, f *fixture) {
		f.grant(t, "u1", "marketing", "ads")
		f.grant(t, "u1", "marketing", "courier")
		_, err := f.l.Refuse(f.ctx, Grant{Subject: "u1", Purpose: "delivery", Recipient: "ads", Method: MethodWebForm})
		require.NoError(t, err)
		_, err = f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "delivery", Recipient: "courier", Method: MethodWebForm, Term: time.Minute})
		require.NoError(t, err)
		f.clock.Advance(time.Hour)
		ws, err := f.l.WithdrawAll(f.ctx, "u1", MethodSupport, "ticket-9")
		require.NoError(t, err)
		require.Len(t, ws, 2, "only the grants in force")
		for _, q := range [][2]string{{"marketing", "ads"}, {"marketing", "courier"}} {
			assert.Equal(t, CodeWithdrawn, f.check(t, "u1", q[0], q[1]).Code)
		}
		ws, err = f.l.WithdrawAll(f.ctx, "u1", MethodSupport, "")
		require.NoError(t, err)
		assert.Empty(t, ws)
		_, err = f.l.WithdrawAll(f.ctx, "", MethodSupport, "")
		assert.ErrorIs(t, err, ErrInvalidInput)
	}},
	{"expiry recorded explicitly", func(t *testing.T, f *fixture) {
		g, err := f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm, Term: time.Hour})
		require.NoError(t, err)
		f.grant(t, "u1", "marketing", "courier")
		es, err := f.l.RecordExpiries(f.ctx, "u1")
		require.NoError(t, err)
		assert.Empty(t, es, "nothing expired yet")
		f.clock.Advance(2 * time.Hour)
		es, err = f.l.RecordExpiries(f.ctx, "u1")
		require.NoError(t, err)
		require.Len(t, es, 1)
		assert.Equal(t, KindExpired, es[0].Kind)
		d := f.check(t, "u1", "marketing", "ads")
		assert.Equal(t, CodeExpired, d.Code)
		assert.Equal(t, es[0].ID, d.RecordID)
		rc, err := receipt(t, f.l, f.ctx, "u1", g.ID)
		require.NoError(t, err)
		assert.Equal(t, KindExpired, rc.Events[len(rc.Events)-1].EventState)
		es, err = f.l.RecordExpiries(f.ctx, "u1")
		require.NoError(t, err)
		assert.Empty(t, es, "recorded once")
	}},
	{"store refuses malformed records", func(t *testing.T, f *fixture) {
		f.grant(t, "u1", "marketing", "ads")
		before := f.history(t, "u1")
		for name, r := range map[string]Record{
			"other subject": {ID: "cr_x", Seq: 3, Kind: KindGranted, Subject: "u2", At: t0},
			"unknown kind":  {ID: "cr_x", Seq: 3, Kind: "approved", Subject: "u1", At: t0},
			"no id":         {Seq: 3, Kind: KindGranted, Subject: "u1", At: t0},
			"seq gap":       {ID: "cr_x", Seq: 4, Kind: KindGranted, Subject: "u1", At: t0},
			"seq reused":    {ID: "cr_x", Seq: 1, Kind: KindGranted, Subject: "u1", At: t0},
		} {
			_, err := f.store.appendTo(f.ctx, "u1", "", "", func(snapshot) ([]Record, error) {
				return []Record{{ID: "cr_ok", Seq: 2, Kind: kindNoticeShown, Subject: "u1", At: t0}, r}, nil
			})
			assert.ErrorIs(t, err, ErrInvalidInput, name)
		}
		assert.Equal(t, before, f.history(t, "u1"), "all or nothing")
	}},
	{"hash chain verifies", func(t *testing.T, f *fixture) {
		f.grant(t, "u1", "marketing", "ads")
		_, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		require.NoError(t, err)
		_, err = f.l.RecordNotification(f.ctx, Notification{Subject: "u1", Version: "v1", Method: MethodEmail})
		require.NoError(t, err)
		require.NoError(t, verify(f.l, f.ctx, "u1", Head{}))
		require.NoError(t, verify(f.l, f.ctx, "nobody", Head{}))
		h := f.history(t, "u1")
		assert.NotEqual(t, h[0].Hash, h[1].Hash)
		assert.NotEqual(t, Digest{}, h[2].Hash)
		for i := range h {
			bad := append([]Record(nil), h...)
			bad[i].Evidence += "x"
			var te *TamperError
			require.ErrorAs(t, verifyRecords(f.l.keys, nil, "", bad, true, 0), &te)
			assert.Equal(t, int64(i+1), te.Seq)
		}
		assert.ErrorIs(t, verifyRecords(f.l.keys, nil, "", h[1:], true, 0), ErrTampered, "a removed record breaks the chain")
	}},
	{"export of a subject's history", func(t *testing.T, f *fixture) {
		testExport(t, f)
	}},
	{"withdrawal dated ahead takes effect at once", func(t *testing.T, f *fixture) {
		f.grant(t, "u1", "marketing", "ads")
		w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: t0.Add(30 * time.Second)})
		require.NoError(t, err)
		assert.Equal(t, t0, w.At, "a time within the skew is taken as now")
		d := f.check(t, "u1", "marketing", "ads")
		assert.False(t, d.Allowed)
		assert.Equal(t, CodeWithdrawn, d.Code)
		r, err := f.l.Refuse(f.ctx, Grant{Subject: "u2", Purpose: "marketing", Recipient: "ads", At: t0.Add(59 * time.Second)})
		require.NoError(t, err)
		assert.Equal(t, t0, r.At)
	}},
	{"withdrawal recorded by a lagging clock takes effect at once", func(t *testing.T, f *fixture) {
		g := f.grant(t, "u1", "marketing", "ads")
		ahead := newTestLedger(t, f.store, Options{Keys: f.l.keys, Clock: func() time.Time { return f.clock.Now().Add(30 * time.Second) }})
		_, err := ahead.RecordNotification(f.ctx, Notification{Subject: "u1", Version: "v1", Method: MethodEmail})
		require.NoError(t, err)
		// f.l's clock lags 30 s: its withdrawal is placed after the latest
		// event, and its own "now" check must still see it.
		w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
		require.NoError(t, err)
		assert.Equal(t, t0.Add(30*time.Second), w.At)
		for _, l := range []*Ledger{f.l, ahead} {
			d, err := l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
			require.NoError(t, err)
			assert.False(t, d.Allowed)
			assert.Equal(t, w.ID, d.RecordID)
		}
		d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: t0})
		require.NoError(t, err)
		assert.True(t, d.Allowed, "the past stays answerable")
		assert.Equal(t, g.ID, d.RecordID)
	}},
	{"expired grants need no re-consent", func(t *testing.T, f *fixture) {
		_, err := f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm, Term: time.Hour})
		require.NoError(t, err)
		f.grant(t, "u2", "marketing", "ads")
		f.clock.Advance(2 * time.Hour)
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v2", Language: "ru", EffectiveAt: f.clock.Now(), Material: true, Text: "v2"}))
		for _, s := range []string{"u1", "u2"} {
			_, err := f.l.RecordNotification(f.ctx, Notification{Subject: s, Version: "v2"})
			require.NoError(t, err)
		}
		pending, err := f.l.PendingNotifications(f.ctx, "v2")
		require.NoError(t, err)
		assert.Equal(t, []string{"u2"}, pending, "u1's consent lapsed: nothing to renew")
	}},
	{"legal basis citing the law alone", func(t *testing.T, f *fixture) {
		require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{Law: "Law 94-V Art. 9(2)", Purpose: "marketing", Recipient: "courier"}))
		d := f.check(t, "u1", "marketing", "courier")
		assert.True(t, d.Allowed)
		assert.Equal(t, "Law 94-V Art. 9(2)", d.Law)
		assert.ErrorIs(t, f.l.AllowByLaw(f.ctx, LegalBasis{Purpose: "marketing", Recipient: "courier"}), ErrInvalidInput)
	}},
	{"material notices effective at the same time: the later published supersedes", func(t *testing.T, f *fixture) {
		eff := f.clock.Now().Add(time.Hour)
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v2", Language: "ru", EffectiveAt: eff, Material: true, Text: "v2 draft"}))
		f.clock.Advance(2 * time.Hour)
		g := f.grant(t, "u1", "marketing", "ads")
		require.Equal(t, "v2", g.NoticeVersion)
		// a correction published later with the same effective time, then a
		// translation of v2: the translation must not make v2 newest again
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v3", Language: "ru", EffectiveAt: eff, Material: true, Text: "v3 corrected"}))
		require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v2", Language: "kk", EffectiveAt: eff, Material: true, Text: "v2 kk"}))
		d := f.check(t, "u1", "marketing", "ads")
		assert.False(t, d.Allowed, "consent under the superseded v2 must not allow")
		assert.Equal(t, CodeStaleNotice, d.Code)
		assert.Equal(t, g.ID, d.RecordID)
		for _, lang := range []string{"", "ru", "kk"} {
			_, err := f.l.Grant(f.ctx, Grant{Subject: "u2", Purpose: "marketing", Recipient: "ads", NoticeVersion: "v2", Language: lang})
			assert.ErrorIs(t, err, ErrStaleNotice, lang)
		}
		assert.Equal(t, "v3", f.grant(t, "u2", "marketing", "ads").NoticeVersion)
		pending, err := f.l.PendingNotifications(f.ctx, "v2")
		require.NoError(t, err)
		assert.Empty(t, pending, "a grant under v3 covers v2")
		pending, err = f.l.PendingNotifications(f.ctx, "v3")
		require.NoError(t, err)
		assert.Equal(t, []string{"u1"}, pending, "u1's consent under v2 awaits renewal")
	}},
	{"a check of the past never relies on a legal basis", func(t *testing.T, f *fixture) {
		ended := LegalBasis{ID: "ended", Law: "Law X", Article: "Art. 1", Purpose: "marketing", Recipient: "courier",
			ValidFrom: t0.Add(-48 * time.Hour), ValidUntil: t0.Add(-24 * time.Hour)}
		require.NoError(t, f.l.AllowByLaw(f.ctx, ended))
		require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{ID: "open", Law: "Law Y", Purpose: "delivery", Recipient: "courier",
			ValidFrom: t0.Add(-time.Hour)}))
		for _, q := range []Query{
			{Subject: "u1", Purpose: "marketing", Recipient: "courier", At: t0.Add(-36 * time.Hour)},
			{Subject: "u1", Purpose: "delivery", Recipient: "courier", At: t0.Add(-time.Minute - time.Second)}, // beyond the skew
		} {
			d, err := f.l.Check(f.ctx, q)
			require.NoError(t, err)
			assert.False(t, d.Allowed, "%+v", q)
			assert.Equal(t, CodeNoConsent, d.Code)
			assert.Empty(t, d.UseID)
			assert.Contains(t, d.Reason, "only a check of now may rely on a legal basis")
		}
		assert.Empty(t, f.history(t, "u1"), "a question about the past records nothing")
		for _, at := range []time.Time{{}, t0, t0.Add(30 * time.Second), t0.Add(-time.Minute)} { // a caller's clock within the skew
			d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "delivery", Recipient: "courier", At: at})
			require.NoError(t, err)
			assert.True(t, d.Allowed, "a check of now: %v", at)
			assert.NotEmpty(t, d.UseID)
		}
		h := f.history(t, "u1")
		require.Len(t, h, 4)
		for _, r := range h {
			assert.Equal(t, "open", r.LegalBasisID)
			assert.Equal(t, t0, r.At)
		}
		// the basis ends between the check and the recording of the use:
		// nothing is recorded, and the check denies
		calls := 0
		l := newTestLedger(t, f.store, Options{Keys: f.l.keys, Clock: func() time.Time {
			calls++
			if calls == 1 {
				return t0.Add(-25 * time.Hour)
			}
			return t0
		}})
		d, err := l.Check(f.ctx, Query{Subject: "u2", Purpose: "marketing", Recipient: "courier"})
		require.NoError(t, err)
		assert.False(t, d.Allowed)
		assert.Empty(t, f.history(t, "u2"))
	}},
	{"a withdrawal dated before the latest event is recorded, not refused", func(t *testing.T, f *fixture) {
		f.grant(t, "u1", "marketing", "courier")
		require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{Law: "Law X", Purpose: "marketing", Recipient: "ads"}))
		clicked := f.clock.Now().Add(time.Millisecond)
		f.clock.Advance(time.Second)
		use := f.check(t, "u1", "marketing", "ads") // a use on another pair, recorded after the click
		require.NotEmpty(t, use.UseID)
		w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "courier", At: clicked})
		require.NoError(t, err)
		assert.Equal(t, t0.Add(time.Second), w.At, "placed at the latest event")
		assert.Equal(t, clicked, w.StatedAt, "the stated time is kept")
		d := f.check(t, "u1", "marketing", "courier")
		assert.False(t, d.Allowed)
		assert.Equal(t, CodeWithdrawn, d.Code)
		h := f.history(t, "u1")
		assert.Equal(t, w, h[len(h)-1], "the stated time survives the store")
		require.NoError(t, verify(f.l, f.ctx, "u1", Head{}))
		bad := slices.Clone(h)
		bad[len(bad)-1].StatedAt = clicked.Add(time.Millisecond)
		assert.ErrorIs(t, verifyRecords(f.l.keys, nil, "", bad, true, 0), ErrTampered, "the stated time is under the hash")
		// nothing in force to withdraw is still refused; a grant so dated too
		_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "courier", At: clicked})
		assert.ErrorIs(t, err, ErrNotGranted)
		_, err = f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "courier", At: clicked})
		assert.ErrorIs(t, err, ErrConflict)
	}},
	{"times outside the years 1 to 9999 are refused before the store", func(t *testing.T, f *fixture) {
		far, early := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)
		late := newTestLedger(t, f.store, Options{Keys: f.l.keys, Clock: func() time.Time { return time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) },
			Deadlines: Deadlines{Calendar: map[RequestKind]time.Duration{RequestAccess: 48 * time.Hour}}})
		cases := map[string]struct {
			field string
			call  func() error
		}{
			"grant at": {"Grant.At", func() error {
				_, err := f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", At: early})
				return err
			}},
			"grant term": {"Grant.Term", func() error {
				_, err := late.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Term: 48 * time.Hour})
				return err
			}},
			"withdrawal at": {"Withdrawal.At", func() error {
				_, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", At: early})
				return err
			}},
			"notification at": {"Notification.At", func() error {
				_, err := f.l.RecordNotification(f.ctx, Notification{Subject: "u1", Version: "v1", At: early})
				return err
			}},
			"query at": {"Query.At", func() error {
				d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", At: far})
				assert.False(t, d.Allowed)
				return err
			}},
			"notice": {"Notice.EffectiveAt", func() error {
				return f.l.PublishNotice(f.ctx, Notice{Version: "v9", EffectiveAt: far, Text: "v9"})
			}},
			"basis from": {"LegalBasis.ValidFrom", func() error {
				return f.l.AllowByLaw(f.ctx, LegalBasis{Law: "X", Purpose: "marketing", ValidFrom: early})
			}},
			"basis until": {"LegalBasis.ValidUntil", func() error {
				return f.l.AllowByLaw(f.ctx, LegalBasis{Law: "X", Purpose: "marketing", ValidUntil: far})
			}},
			"request due": {"Request.Due", func() error {
				_, err := late.OpenRequest(f.ctx, "u1", RequestAccess)
				return err
			}},
		}
		for name, c := range cases {
			err := c.call()
			var te *InputError
			require.ErrorAs(t, err, &te, name)
			assert.ErrorIs(t, err, ErrInvalidInput, name)
			assert.Equal(t, c.field, te.Field, name)
			assert.Contains(t, err.Error(), "outside the years 1 to 9999", name)
		}
		assert.Empty(t, f.history(t, "u1"))
		ns, err := f.store.listNotices(f.ctx)
		require.NoError(t, err)
		assert.Len(t, ns, 2)
		reqs, err := f.store.listRequests(f.ctx, "")
		require.NoError(t, err)
		assert.Empty(t, reqs)
		// the bounds themselves are accepted
		require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{Law: "X", Purpose: "marketing",
			ValidFrom: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), ValidUntil: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)}))
	}},
	{"a grant without language records the language published last, named version or not", func(t *testing.T, f *fixture) {
		// v1 exists in ru, then kk (published later); v2 in kk, then ru, then en
		f.clock.Advance(time.Minute)
		for _, lang := range []string{"kk", "ru", "en"} {
			require.NoError(t, f.l.PublishNotice(f.ctx, Notice{Version: "v2", Language: lang, EffectiveAt: t0, Text: "v2 " + lang}))
		}
		for _, c := range []struct{ version, want, text string }{
			{"v1", "kk", "Ережелер v1"},
			{"v2", "en", "v2 en"},
			{"", "en", "v2 en"}, // the default: the newest version in effect
		} {
			g, err := f.l.Grant(f.ctx, Grant{Subject: "u-" + c.version, Purpose: "marketing", Recipient: "ads", NoticeVersion: c.version})
			require.NoError(t, err)
			assert.Equal(t, c.want, g.Language, "version %q", c.version)
			rc, err := receipt(t, f.l, f.ctx, "u-"+c.version, g.ID)
			require.NoError(t, err)
			sum := sha256.Sum256([]byte(c.text))
			assert.Equal(t, hex.EncodeToString(sum[:]), rc.PrivacyNotice.SHA256, "the receipt cites the text of the recorded language")
			assert.Equal(t, c.want, rc.PrivacyNotice.Language)
		}
		// a language given is kept, on both paths
		for _, v := range []string{"v1", ""} {
			g, err := f.l.Grant(f.ctx, Grant{Subject: "u-ru" + v, Purpose: "marketing", Recipient: "ads", NoticeVersion: v, Language: "ru"})
			require.NoError(t, err)
			assert.Equal(t, "ru", g.Language)
		}
	}},
	{"concurrent grant and withdraw", func(t *testing.T, f *fixture) {
		testRace(t, f, 8, 20)
	}},
}

func runBehaviour(t *testing.T, sc storeCase) {
	for _, tc := range ledgerBehaviour {
		t.Run(sc.name+"/"+tc.name, func(t *testing.T) {
			tc.run(t, newFixture(t, sc.new(t)))
		})
	}
}

func TestLedgerMemory(t *testing.T) { runBehaviour(t, memoryCase()) }

// testRace runs grant/withdraw pairs from several goroutines on one subject
// and checks that the history alternates correctly and that Check equals the
// last decision in the serialised order.
func testRace(t *testing.T, f *fixture, workers, rounds int) {
	f.grant(t, "racer", "marketing", "ads")
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*2)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				var err error
				if (w+i)%2 == 0 {
					_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "racer", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
					if errors.Is(err, ErrNotGranted) {
						err = nil
					}
				} else {
					_, err = f.l.Grant(f.ctx, Grant{Subject: "racer", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	h := f.history(t, "racer")
	var granted bool
	for i, r := range h {
		require.Equal(t, int64(i+1), r.Seq, "gap-free order")
		if i > 0 {
			require.False(t, r.At.Before(h[i-1].At), "time order")
		}
		switch r.Kind {
		case KindWithdrawn:
			require.True(t, granted, "withdrawal at seq %d without a grant in force", r.Seq)
			granted = false
		case KindGranted:
			granted = true
		}
	}
	d := f.check(t, "racer", "marketing", "ads")
	assert.Equal(t, granted, d.Allowed)
	assert.Equal(t, h[len(h)-1].ID, d.RecordID, "decision cites the last event")
}
