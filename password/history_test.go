package password

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInHistory(t *testing.T) {
	h := cheapHasher(t, HasherOptions{})
	var history []string
	for _, pw := range []string{"Spring2024!", "Summer2025!", "Autumn2025!"} {
		encoded, err := h.Hash(context.Background(), pw)
		require.NoError(t, err)
		history = append(history, encoded)
	}
	const legacy = "$2y$05$omrRkB0DpFhqwluddp4yh.7IusYj8tzTelzJvMV.gqEd3bfv8oHzy" // "Qwerty123!" by htpasswd
	history = append(history, legacy)
	ctx := context.Background()

	tests := []struct {
		pw      string
		history []string
		want    bool
	}{
		{"Summer2025!", history, true},
		{"Qwerty123!", history, true},
		{"Winter2026!", history, false},
		{"summer2025!", history, false},
		{"Summer2025!", nil, false},
	}
	for _, tt := range tests {
		got, err := h.inHistory(ctx, tt.pw, tt.history)
		require.NoError(t, err, tt.pw)
		assert.Equal(t, tt.want, got, tt.pw)
	}

	// A bad entry is reported when nothing matches, ignored when something does.
	broken := append([]string{"not a hash", "$argon2id$v=19$m=1,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAA"}, history...)
	got, err := h.inHistory(ctx, "Winter2026!", broken)
	assert.False(t, got)
	assert.ErrorIs(t, err, ErrUnsupportedHash)
	assert.ErrorIs(t, err, ErrMalformedHash)
	assert.NotContains(t, err.Error(), "Winter")
	got, err = h.inHistory(ctx, "Autumn2025!", broken)
	assert.True(t, got)
	assert.NoError(t, err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	got, err = h.inHistory(cancelled, "Summer2025!", history)
	assert.False(t, got)
	assert.ErrorIs(t, err, context.Canceled)
}

// The package-level InHistory (default Hasher, default cost) is exercised by
// ExampleInHistory.
