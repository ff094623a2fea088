package password

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckChangeReused(t *testing.T) {
	ctx := context.Background()
	p := DefaultPolicy()
	p.History = 2
	const pw = "xK9#mQ2$pL7!"
	mustHash := func(s string) string {
		h, err := Hash(s)
		require.NoError(t, err)
		return h
	}
	other1, other2, old := mustHash("v8&Tz!qWm#3R"), mustHash("Qz4!ttR#9wLm"), mustHash(pw)

	// Reused among the newest p.History entries.
	err := p.CheckChange(ctx, pw, []string{other1, old, other2})
	assert.ElementsMatch(t, []Code{Reused}, codes(t, err))
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, ClauseStorage, pe.Violations[0].Clause)
	assert.Equal(t, "password matches one of the last 2 passwords: choose a new one", pe.Violations[0].Message("en"))

	// Older than p.History: allowed again.
	assert.NoError(t, p.CheckChange(ctx, pw, []string{other1, other2, old}))
	// No history kept.
	p.History = 0
	assert.NoError(t, p.CheckChange(ctx, pw, []string{old}))

	// Reuse and weakness are reported together.
	p.History = 5
	weak := "Almaty2024!"
	assert.ElementsMatch(t, []Code{TooWeak, Reused}, codes(t, p.CheckChange(ctx, weak, []string{mustHash(weak)})))
}

type fakeHistory struct {
	match bool
	err   error
	seen  int
}

func (f *fakeHistory) InHistory(ctx context.Context, password string, history []string) (bool, error) {
	f.seen = len(history)
	return f.match, f.err
}

func TestCheckChangeHistoryMatcher(t *testing.T) {
	ctx := context.Background()
	p := DefaultPolicy()
	const pw = "xK9#mQ2$pL7!"
	history := []string{"h1", "h2", "h3", "h4", "h5", "h6", "h7"}

	f := &fakeHistory{match: true}
	p.Hasher = f
	assert.ElementsMatch(t, []Code{Reused}, codes(t, p.CheckChange(ctx, pw, history)))
	assert.Equal(t, p.History, f.seen, "only the newest p.History entries are compared")

	// An unverifiable history is an error, never a pass.
	p.Hasher = &fakeHistory{err: errors.New("unknown pepper")}
	assert.ErrorIs(t, p.CheckChange(ctx, pw, history), ErrHistoryCheck)

	// A match wins over errors on other entries.
	p.Hasher = &fakeHistory{match: true, err: errors.New("one bad entry")}
	assert.ElementsMatch(t, []Code{Reused}, codes(t, p.CheckChange(ctx, pw, history)))

	// Malformed passwords are never hashed.
	f = &fakeHistory{match: true}
	p.Hasher = f
	assert.ElementsMatch(t, []Code{InvalidCharacter}, codes(t, p.CheckChange(ctx, "\xff", history)))
	assert.Zero(t, f.seen)

	// A cancelled context stops before hashing.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, p.CheckChange(cctx, pw, history), context.Canceled)
}
