package password

import (
	"context"
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenerateSatisfiesPolicy(t *testing.T) {
	strict := DefaultPolicy()
	strict.RequireUpper, strict.RequireLower = true, true
	for _, tt := range []struct {
		name   string
		p      Policy
		length int
	}{
		{"default 8", DefaultPolicy(), 8},
		{"default 12", DefaultPolicy(), 12},
		{"default 16", DefaultPolicy(), 16},
		{"default 128", DefaultPolicy(), 128},
		{"nist 15", NISTPolicy(), 15},
		{"all classes", strict, 12},
		{"zero policy", Policy{}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			for range 20 {
				pw, err := Generate(tt.p, tt.length)
				require.NoError(t, err)
				assert.Len(t, pw, tt.length)
				assert.NoError(t, tt.p.Check(context.Background(), pw))
				assert.False(t, seen[pw], "repeated output")
				seen[pw] = true
			}
		})
	}
}

func TestGenerateRejectsBadLength(t *testing.T) {
	p := DefaultPolicy()
	for _, n := range []int{-1, 0, 7, 129} {
		_, err := Generate(p, n)
		assert.ErrorIs(t, err, ErrInvalidConfig, n)
	}
	_, err := Generate(Policy{RequireDigit: true, RequireSpecial: true, RequireUpper: true}, 2)
	assert.ErrorIs(t, err, ErrInvalidConfig, "too short for one of each class")
	// Four random characters never reach score 4: an error, not a weak password.
	pw, err := Generate(Policy{MinScore: 4}, 4)
	assert.ErrorIs(t, err, ErrInvalidConfig)
	assert.Empty(t, pw)
}

func TestGenerateUsesTheWholeAlphabet(t *testing.T) {
	var all strings.Builder
	for range 50 {
		pw, err := Generate(Policy{}, 64)
		require.NoError(t, err)
		all.WriteString(pw)
	}
	// 3,200 uniform draws from 94 characters miss one with probability
	// about 94·(93/94)^3200 ≈ 10⁻¹⁴.
	for _, c := range allChars {
		assert.True(t, strings.ContainsRune(all.String(), c), "never drew %q", c)
	}
}

// Generate is uniform over the passwords the policy accepts, not merely
// over each character: forcing one digit, one letter and one special into
// place would give passwords of 8 characters 1 + 7·10/94 ≈ 1.74 digits on
// average, where the uniform choice among the accepted ones gives the exact
// expectation computed here (about 1.42).
func TestGenerateUniformOverAccepted(t *testing.T) {
	const n, samples = 8, 2000
	p := Policy{RequireLetter: true, RequireDigit: true, RequireSpecial: true}
	sizes := [3]float64{52, 10, 32} // letters, digits, specials
	var total, digits, sq float64
	for l := 1; l < n; l++ {
		for d := 1; l+d < n; d++ {
			s := n - l - d
			w := multinomial(n, l, d, s) * math.Pow(sizes[0], float64(l)) * math.Pow(sizes[1], float64(d)) * math.Pow(sizes[2], float64(s))
			total += w
			digits += float64(d) * w
			sq += float64(d*d) * w
		}
	}
	mean := digits / total
	sd := math.Sqrt(sq/total - mean*mean)

	var sum float64
	for range samples {
		pw, err := Generate(p, n)
		require.NoError(t, err)
		for _, c := range pw {
			if unicode.IsDigit(c) {
				sum++
			}
		}
	}
	// Five standard errors: a false alarm once in millions of runs; the
	// forced placement sits more than twenty away.
	got := sum / samples
	t.Logf("mean digits per password %.3f, uniform over accepted %.3f", got, mean)
	assert.InDelta(t, mean, got, 5*sd/math.Sqrt(samples), "mean digits per password: want %.3f", mean)
}

func multinomial(n int, ks ...int) float64 {
	r := fact(n)
	for _, k := range ks {
		r /= fact(k)
	}
	return r
}

func fact(n int) float64 {
	r := 1.0
	for i := 2; i <= n; i++ {
		r *= float64(i)
	}
	return r
}
