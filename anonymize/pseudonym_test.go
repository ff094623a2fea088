package anonymize

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected pseudonyms were computed independently with Python's hmac
// and hashlib (HKDF-SHA256 written out from RFC 5869, empty salt).
func TestPseudonymKnownAnswers(t *testing.T) {
	master := make([]byte, 32)
	for i := range master {
		master[i] = byte(i)
	}
	p, err := NewPseudonymizer(master)
	require.NoError(t, err)
	acme, globex := must(p.Partner("acme")), must(p.Partner("globex"))
	assert.Equal(t, "6rfhbyw7dhgjpzzonq6dynltle", acme.Pseudonym("user-42"))
	assert.Equal(t, "n6vmngcjuieqeltje6s4pr5cpi", globex.Pseudonym("user-42"))
	assert.Equal(t, acme.Pseudonym("user-42"), acme.Pseudonym("user-42"), "stable")
	assert.NotEqual(t, acme.Pseudonym("user-42"), acme.Pseudonym("user-43"))
	assert.Empty(t, acme.Pseudonym(""))

	master[0] ^= 1
	rotated := must(must(NewPseudonymizer(master)).Partner("acme"))
	assert.NotEqual(t, acme.Pseudonym("user-42"), rotated.Pseudonym("user-42"))
}

func TestPseudonymizerRefusesBadInput(t *testing.T) {
	_, err := NewPseudonymizer(make([]byte, 16))
	assert.ErrorIs(t, err, ErrSpec)
	p := must(NewPseudonymizer(make([]byte, 32)))
	_, err = p.Partner("")
	assert.ErrorIs(t, err, ErrSpec)
}
