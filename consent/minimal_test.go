package consent

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testMinimalCalls makes the calls a newcomer would write first, with only
// the fields the issue names: they must work, with documented defaults.
func testMinimalCalls(t *testing.T, s *Store) {
	ctx := context.Background()
	clock := &fakeClock{t: t0}
	keys, err := NewKeyring("k1", testSecret)
	require.NoError(t, err)
	l, err := NewLedger(s, Options{Keys: keys, Clock: clock.Now})
	require.NoError(t, err)
	require.NoError(t, l.DefinePurpose(ctx, Purpose{ID: "marketing", ConsentRequired: true}))
	require.NoError(t, l.DefineRecipient(ctx, Recipient{ID: "ads"}))

	// no notice published yet, no method given
	g, err := l.Grant(ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	assert.Empty(t, g.NoticeVersion)
	assert.Empty(t, g.Method)
	d, err := l.Check(ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	assert.Equal(t, g.ID, d.RecordID)

	// a notice without language or effective time: "und", now
	clock.Advance(time.Minute)
	require.NoError(t, l.PublishNotice(ctx, Notice{Version: "v1", Material: true, Text: "Rules"}))
	ns, err := s.listNotices(ctx)
	require.NoError(t, err)
	require.Len(t, ns, 1)
	assert.Equal(t, "und", ns[0].Language)
	assert.True(t, ns[0].EffectiveAt.Equal(t0.Add(time.Minute)))
	require.NoError(t, l.PublishNotice(ctx, Notice{Version: "v1", Language: "und", EffectiveAt: t0.Add(time.Minute), Material: true, Text: "Rules"}),
		"the defaults are what is stored: publishing them again is a no-op")

	// the consent given under no notice must be renewed under the material one
	d, err = l.Check(ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	assert.Equal(t, CodeStaleNotice, d.Code)
	pending, err := l.PendingNotifications(ctx, "v1")
	require.NoError(t, err)
	assert.Equal(t, []string{"u1"}, pending)
	g2, err := l.Grant(ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	assert.Equal(t, "v1", g2.NoticeVersion)
	pending, err = l.PendingNotifications(ctx, "v1")
	require.NoError(t, err)
	assert.Empty(t, pending)

	w, err := l.Withdraw(ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	d, err = l.Check(ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	assert.Equal(t, w.ID, d.RecordID)
	head, err := l.Verify(ctx, "u1", Head{})
	require.NoError(t, err)
	assert.Equal(t, Head{Seq: w.Seq, Hash: w.Hash}, head)

	// receipts and requests need their options
	_, err = l.Receipt(ctx, "u1", w.ID)
	assert.ErrorIs(t, err, ErrNotConfigured)
	_, err = l.OpenRequest(ctx, "u1", RequestAccess)
	assert.ErrorIs(t, err, ErrNotConfigured)

	// a notice is still required to be a snapshot of what was shown
	assert.ErrorIs(t, l.PublishNotice(ctx, Notice{Version: "v2"}), ErrInvalidInput)

	// Overdue with the zero time asks about now
	l, err = NewLedger(s, Options{Keys: keys, Clock: clock.Now, Deadlines: Deadlines{Calendar: map[RequestKind]time.Duration{RequestAccess: time.Hour}}})
	require.NoError(t, err)
	r, err := l.OpenRequest(ctx, "u1", RequestAccess)
	require.NoError(t, err)
	over, err := l.Overdue(ctx, time.Time{})
	require.NoError(t, err)
	assert.Empty(t, over)
	clock.Advance(2 * time.Hour)
	over, err = l.Overdue(ctx, time.Time{})
	require.NoError(t, err)
	require.Len(t, over, 1)
	assert.Equal(t, r.ID, over[0].ID)
}

func TestMinimalCallsMemory(t *testing.T) { testMinimalCalls(t, NewMemoryStore()) }

func TestNewLedgerRefusesMissingParts(t *testing.T) {
	keys, err := NewKeyring("k1", testSecret)
	require.NoError(t, err)
	_, err = NewLedger(nil, Options{Keys: keys})
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = NewLedger(NewMemoryStore(), Options{})
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = NewLedger(&Store{}, Options{Keys: keys})
	assert.ErrorIs(t, err, ErrInvalidInput, "a store must come from NewMemoryStore or NewSQLStore")
	_, err = NewLedger(NewMemoryStore(), Options{Keys: &Keyring{}})
	assert.ErrorIs(t, err, ErrInvalidInput, "a keyring must come from NewKeyring")
}
