package consent

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errDisk = errors.New("disk on fire")

// failStore wraps a store's storage and fails the named operations.
type failStore struct {
	storage
	snapshot, append bool
}

func (s *failStore) read(ctx context.Context, subject, purpose, recipient string) (snapshot, error) {
	if s.snapshot {
		return snapshot{}, errDisk
	}
	return s.storage.read(ctx, subject, purpose, recipient)
}

func (s *failStore) appendTo(ctx context.Context, subject, purpose, recipient string, decide func(snapshot) ([]Record, error)) ([]Record, error) {
	if s.append {
		return nil, errDisk
	}
	return s.storage.appendTo(ctx, subject, purpose, recipient, decide)
}

func TestStoreErrorNeverAllows(t *testing.T) {
	fs := &failStore{storage: NewMemoryStore().storage}
	f := newFixture(t, &Store{fs})
	f.grant(t, "u1", "marketing", "ads")
	require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{Law: "L", Article: "A", Purpose: "marketing", Recipient: "courier"}))
	require.True(t, f.check(t, "u1", "marketing", "ads").Allowed)

	fs.snapshot = true
	d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	assert.ErrorIs(t, err, errDisk)
	assert.False(t, d.Allowed)
	assert.Equal(t, CodeError, d.Code)

	fs.snapshot, fs.append = false, true
	d, err = f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "courier"})
	assert.ErrorIs(t, err, errDisk, "an unrecorded legal-basis use is not allowed")
	assert.False(t, d.Allowed)
	assert.Empty(t, d.LegalBasisID)
	_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
	assert.ErrorIs(t, err, errDisk)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fs.append = false
	d, err = f.l.Check(ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, d.Allowed)
}
