package anonymize

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dominanceTable is the 3×3 case: K=5, (1,75) and p=10; one bid of
// 1,000,000 and four of 1 in (R1,M1), three small complementary cells and
// five large ones.
func dominanceTable(t *testing.T) *Aggregator[bid] {
	t.Helper()
	s := bidSpec(5, true)
	s.Measures[0].Dominance = []NK{{N: 1, K: 75}}
	s.Measures[0].P = 10
	a := mustAgg(t, s)
	add := func(r, m string, n int, amount float64) {
		for i := range n {
			a.Add(bid{User: fmt.Sprint(r, m, i), Region: r, Age: m, Amount: amount})
		}
	}
	a.Add(bid{User: "big", Region: "R1", Age: "M1", Amount: 1_000_000})
	add("R1", "M1", 4, 1)
	add("R1", "M2", 3, 10)
	add("R2", "M1", 3, 12)
	add("R2", "M2", 4, 9)
	for _, c := range [][2]string{{"R1", "M3"}, {"R2", "M3"}, {"R3", "M1"}, {"R3", "M2"}, {"R3", "M3"}} {
		add(c[0], c[1], 20, 100_000)
	}
	return a
}

func TestDominatedSumKeepsItsProtectionInterval(t *testing.T) {
	a := dominanceTable(t)
	tab, err := a.Release()
	require.NoError(t, err)
	require.NoError(t, a.Verify(tab))
	bounds := readerValueBounds(t, tab, func(c Cell) *big.Rat {
		r := new(big.Rat)
		r.SetFloat64(c.Sums[0])
		return r
	}, 0)
	i := cellIndex(t, tab, "R1", "M1")
	b, ok := bounds[i]
	require.True(t, ok, "the dominated cell must be suppressed")
	const x1, p = 1_000_000.0, 10.0
	lo, _ := b[0].Float64()
	hi := 1e300
	if b[1] != nil {
		hi, _ = b[1].Float64()
	}
	t.Logf("reader's interval for the dominated sum: [%.0f, %.0f], width %.0f; required %.0f", lo, hi, hi-lo, 2*p/100*x1)
	assert.GreaterOrEqual(t, hi-lo, 2*p/100*x1)
	assert.LessOrEqual(t, lo, 1_000_004-p/100*x1)
	assert.GreaterOrEqual(t, hi, 1_000_004+p/100*x1)
}

func cellIndex(t *testing.T, tab *Table, key ...string) int {
	t.Helper()
	for i, c := range tab.Cells {
		if fmt.Sprint(c.Key) == fmt.Sprint(key) {
			return i
		}
	}
	t.Fatalf("no cell %v", key)
	return -1
}
