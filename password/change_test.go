package password

import (
	"context"
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
		h, err := Hash(context.Background(), s)
		require.NoError(t, err)
		return h
	}
	other1, other2, old := mustHash("v8&Tz!qWm#3R"), mustHash("Qz4!ttR#9wLm"), mustHash(pw)

	// Reused among the newest p.History entries.
	err := p.CheckChange(ctx, pw, []string{other1, old, other2})
	assert.ElementsMatch(t, []Code{Reused}, codes(t, err))
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, clauseStorage, pe.Violations[0].Clause)
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

// Policy.Hasher compares with its own peppers; without one, CheckChange
// uses the default Hasher, and either way ctx and errors reach the caller.
func TestCheckChangeHasher(t *testing.T) {
	ctx := context.Background()
	p := DefaultPolicy()
	const pw = "xK9#mQ2$pL7!"
	h, err := NewHasher(HasherOptions{Params: defaultParams(), Peppers: []Pepper{{ID: "k1", Key: []byte("0123456789abcdef0123456789abcdef")}}})
	require.NoError(t, err)
	peppered, err := h.Hash(context.Background(), pw)
	require.NoError(t, err)

	p.Hasher = h
	assert.ElementsMatch(t, []Code{Reused}, codes(t, p.CheckChange(ctx, pw, []string{peppered})))
	// A match wins over errors on other entries.
	assert.ElementsMatch(t, []Code{Reused}, codes(t, p.CheckChange(ctx, pw, []string{"not a hash", peppered})))

	// The default Hasher holds no pepper: an unverifiable history is an
	// error, never a pass.
	p.Hasher = nil
	for history, want := range map[string]error{peppered: ErrUnsupportedHash, "h1": ErrUnsupportedHash, "$argon2id$v=19$m=1": ErrMalformedHash} {
		err := p.CheckChange(ctx, pw, []string{history})
		assert.ErrorIs(t, err, want)
		assert.NotErrorIs(t, err, ErrPolicy)
		assert.NotErrorIs(t, err, ErrBreachCheck)
		assert.Contains(t, err.Error(), "password: history check: ")
	}

	// Malformed passwords are never compared.
	assert.ElementsMatch(t, []Code{InvalidCharacter}, codes(t, p.CheckChange(ctx, "\xff", []string{"h1"})))

	// A cancelled context stops before hashing, with or without a Hasher.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, p.CheckChange(cctx, pw, []string{peppered}), context.Canceled)
	p.Hasher = h
	assert.ErrorIs(t, p.CheckChange(cctx, pw, []string{peppered}), context.Canceled)
}
