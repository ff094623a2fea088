package consent

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A withdrawal letter entered again after the subject granted the consent
// anew must not withdraw the new grant: the later decision stands.
func TestWithdrawalOlderThanALaterGrantIsRefused(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	_, err := f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	letter := f.clock.Now()
	_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: letter})
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	_, err = f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
	require.NoError(t, err)
	f.clock.Advance(time.Hour)

	_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: letter})
	assert.ErrorIs(t, err, ErrConflict, "the replayed letter")
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "Withdrawal.At", ie.Field)
	assert.Equal(t, letter, ie.At)
	assert.Equal(t, f.history(t, "u1")[2].At, ie.Limit, "the later grant's time")
	assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed, "the new grant is in force")

	// Dated before the very grant it would withdraw: refused too.
	_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: letter.Add(30 * time.Minute)})
	assert.ErrorIs(t, err, ErrConflict)
}

// A withdrawal older than an event on another consent is still recorded.
func TestWithdrawalOlderThanAnotherConsentsEventIsPlaced(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	f.grant(t, "u1", "marketing", "ads")
	f.clock.Advance(time.Hour)
	clicked := f.clock.Now()
	f.clock.Advance(time.Minute)
	f.grant(t, "u1", "delivery", "courier")
	w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: clicked})
	require.NoError(t, err)
	assert.Equal(t, clicked, w.StatedAt)
	assert.False(t, f.check(t, "u1", "marketing", "ads").Allowed)
}

// A caller passing its own time.Now() is a little behind the ledger clock,
// and must still be able to rely on a legal basis.
func TestCheckWithCallersNowUsesLegalBasis(t *testing.T) {
	ctx := context.Background()
	l := newTestLedger(t, NewMemoryStore(), Options{}) // the real clock
	require.NoError(t, l.DefinePurpose(ctx, purposeMarketing))
	require.NoError(t, l.DefineRecipient(ctx, recipientAds))
	require.NoError(t, l.AllowByLaw(ctx, LegalBasis{Law: "Law 94-V", Article: "Art. 9", Purpose: "marketing", Recipient: "ads"}))
	d, err := l.Check(ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: time.Now()})
	require.NoError(t, err)
	assert.True(t, d.Allowed, d.Reason)
	assert.NotEmpty(t, d.UseID, "the use is recorded")

	d, err = l.Check(ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads", At: time.Now().Add(-time.Hour)})
	require.NoError(t, err)
	assert.False(t, d.Allowed, "an hour ago is the past")
}

// A database that Migrate has not brought to this version is reported as
// such, not as a driver error on a missing column.
func TestSQLStoreRefusesOutdatedSchema(t *testing.T) {
	db := openMigrated(t)
	s0, err := NewSQLStore(db)
	require.NoError(t, err)
	newFixture(t, s0) // the definitions
	_, err = db.Exec(`ALTER TABLE consent_events DROP COLUMN stated_at, DROP COLUMN key_id;
		ALTER TABLE consent_legal_bases DROP COLUMN key_id, DROP COLUMN mac;
		ALTER TABLE consent_purposes DROP COLUMN key_id, DROP COLUMN mac`)
	require.NoError(t, err)
	s, err := NewSQLStore(db)
	require.NoError(t, err)
	f := &fixture{store: s, clock: &fakeClock{t: t0}, ctx: context.Background()}
	f.l = newTestLedger(t, s, Options{Clock: f.clock.Now})
	assert.ErrorIs(t, f.l.DefinePurpose(f.ctx, Purpose{ID: "new"}), ErrNotConfigured)
	assert.ErrorIs(t, f.l.AllowByLaw(f.ctx, LegalBasis{Law: "L", Purpose: "marketing"}), ErrNotConfigured)
	d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	assert.True(t, errors.Is(err, ErrNotConfigured), "%v", err)
	assert.False(t, d.Allowed)
	_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	assert.ErrorIs(t, err, ErrNotConfigured)

	require.NoError(t, Migrate(f.ctx, db))
	f.grant(t, "u1", "marketing", "ads")
	assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed, "after Migrate")
	require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{Law: "L", Article: "A", Purpose: "marketing", Recipient: "courier"}))
	assert.True(t, f.check(t, "u1", "marketing", "courier").Allowed, "a sealed legal basis after Migrate")
}
