package anonymize

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
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

// The table the issue reported: only the four small cells suppressed,
// every margin published. Aggregator.Verify must refuse it: the reader
// bounds the dominated sum to ±50 of 1,000,004.
func TestVerifyRefusesANarrowDominatedSum(t *testing.T) {
	a := dominanceTable(t)
	tab, err := a.Release()
	require.NoError(t, err)
	for i := range tab.Cells {
		c := &tab.Cells[i]
		switch fmt.Sprint(c.Key) {
		case "[R1 M1]", "[R1 M2]", "[R2 M1]", "[R2 M2]":
		default:
			if c.Suppressed { // publish what Release hid as a complement
				raw := a.raw()
				for _, rc := range raw.cells {
					if fmt.Sprint(rc.key) == fmt.Sprint(c.Key) {
						c.Suppressed, c.Rows, c.Subjects = false, int(rc.rows), 5
						c.Sums = []float64{float64(rc.sums[0])}
					}
				}
			}
		}
	}
	require.NoError(t, Verify(tab), "the equations alone pin nothing")
	err = a.Verify(tab)
	require.ErrorIs(t, err, ErrDisclosive)
	assert.Contains(t, err.Error(), "narrower than its protection levels")
}

// TestLevelsHoldAgainstAnIndependentReader releases random small tables
// (one row per subject, many cells below K) and bounds every threshold
// cell with the exact rational simplex of presence_test.go, which shares
// no code with the audit: the reader's interval must contain the cell's
// protection levels around its true count.
func TestLevelsHoldAgainstAnIndependentReader(t *testing.T) {
	shapes := [][]int{{4}, {3, 3}, {2, 4}, {4, 3}, {2, 2, 2}, {3, 2, 3}}
	narrowest, checked := math.Inf(1), 0
	for trial := range 60 {
		rng := rand.New(rand.NewPCG(uint64(trial), 77)) // a seed family the audit was never tuned on
		card := shapes[trial%len(shapes)]
		k := 2 + rng.IntN(5)
		tab, a := randomSmallRelease(t, rng, card, k)
		require.NoError(t, a.Verify(tab))
		raw := a.raw()
		slices.SortFunc(raw.cells, func(x, y rawCell) int { return compareKeys(x.key, y.key) })
		lvs := raw.levels(raw.primary())
		bounds := readerBounds(t, tab)
		for _, lv := range lvs {
			require.Equal(t, rowsQ, lv.q)
			b, ok := bounds[int(lv.cell)]
			require.True(t, ok, "trial %d: a sensitive cell is published", trial)
			lo, _ := b[0].Float64()
			hi := math.Inf(1)
			if b[1] != nil {
				hi, _ = b[1].Float64()
			}
			key := tab.Cells[lv.cell].Key
			assert.LessOrEqual(t, lo, float64(lv.lo), "trial %d: cell %v", trial, key)
			assert.GreaterOrEqual(t, hi, float64(lv.hi), "trial %d: cell %v", trial, key)
			r := float64(raw.cells[lv.cell].rows)
			if up := float64(lv.hi) - r; up > 0 {
				narrowest = min(narrowest, (hi-r)/up)
			}
			checked++
		}
	}
	t.Logf("%d sensitive cells; narrowest upper reach over its level: %.2f", checked, narrowest)
	assert.GreaterOrEqual(t, narrowest, 1.0)
}

// TestSecondaryNearTheOptimum compares, on tables small enough to search
// exhaustively, the rows Release hides as complements with the fewest
// any pattern needs that keeps the same promises (every level, and no
// suppressed cell pinned or below K), judged by the exact rational reader
// of presence_test.go. Patterns are tried cheapest first; the first that
// holds is the optimum.
func TestSecondaryNearTheOptimum(t *testing.T) {
	if testing.Short() {
		t.Skip("exhaustive search")
	}
	worst := 0.0
	for trial := range 48 {
		rng := rand.New(rand.NewPCG(uint64(trial), 2718))
		card := [][]int{{3, 3}, {2, 4}, {2, 3}, {2, 5}}[trial%4]
		k := 3 + rng.IntN(3)
		tab, a := randomSmallRelease(t, rng, card, k)
		raw := a.raw()
		slices.SortFunc(raw.cells, func(x, y rawCell) int { return compareKeys(x.key, y.key) })
		reasons := raw.primary()
		lvs := raw.levels(reasons)
		got := int64(0)
		var free []int
		for i := range raw.cells {
			if tab.Reason(raw.cells[i].key) == Secondary {
				got += raw.cells[i].rows
			}
			if reasons[i] == NotSuppressed {
				free = append(free, i)
			}
		}
		if len(free) > 16 {
			t.Fatalf("trial %d: %d candidates, too many to search", trial, len(free))
		}
		masks := make([]int, 1<<len(free))
		cost := make([]int64, len(masks))
		for m := range masks {
			masks[m] = m
			for b, i := range free {
				if m&(1<<b) != 0 {
					cost[m] += raw.cells[i].rows
				}
			}
		}
		slices.SortStableFunc(masks, func(x, y int) int { return int(cost[x] - cost[y]) })
		best := int64(-1)
		for _, m := range masks {
			if holds(t, raw, reasons, lvs, free, m, k) {
				best = cost[m]
				break
			}
		}
		require.GreaterOrEqual(t, best, int64(0), "trial %d: Release's own pattern holds, so some pattern does", trial)
		if best == 0 {
			assert.Zero(t, got, "trial %d: nothing to hide, nothing hidden", trial)
			continue
		}
		ratio := float64(got) / float64(best)
		worst = max(worst, ratio)
		if ratio > 1.3 {
			t.Logf("trial %d %v k=%d: %d complement rows against %d", trial, card, k, got, best)
		}
		assert.LessOrEqual(t, ratio, 1.5, "trial %d %v k=%d: Release hides %d rows as complements, the optimum %d", trial, card, k, got, best)
	}
	t.Logf("worst complement total over the optimum: %.2f", worst)
}

// holds reports whether suppressing the primaries and the free cells in
// mask keeps every promise, by the exact rational reader.
func holds(t *testing.T, raw *rawTable, reasons []Reason, lvs []level, free []int, mask, k int) bool {
	tab := &Table{K: k, Margins: true, Dimensions: raw.dims}
	sup := make([]bool, len(raw.cells))
	for i, r := range reasons {
		sup[i] = r != NotSuppressed
	}
	for b, i := range free {
		sup[i] = sup[i] || mask&(1<<b) != 0
	}
	for i := range raw.cells {
		c := Cell{Key: raw.cells[i].key, Suppressed: sup[i]}
		if !sup[i] {
			c.Rows = int(raw.cells[i].rows)
		}
		tab.Cells = append(tab.Cells, c)
	}
	keys := make([][]string, len(tab.Cells))
	for i, c := range tab.Cells {
		keys[i] = c.Key
	}
	s, err := newSystem(keys, true)
	require.NoError(t, err)
	for _, con := range s.cons { // a constraint with one hidden cell gives it away
		n := 0
		for _, x := range con {
			if sup[x] {
				n++
			}
		}
		if n == 1 {
			return false
		}
	}
	bounds := readerBounds(t, tab)
	for i := range tab.Cells {
		if !sup[i] {
			continue
		}
		b := bounds[i]
		if b[1] != nil && (b[0].Cmp(b[1]) >= 0 || b[1].Cmp(big.NewRat(int64(k), 1)) < 0) {
			return false
		}
	}
	for _, lv := range lvs {
		b := bounds[int(lv.cell)]
		if b[0].Cmp(big.NewRat(lv.lo, 1)) > 0 || (b[1] != nil && b[1].Cmp(big.NewRat(lv.hi, 1)) < 0) {
			return false
		}
	}
	return true
}

// A table whose suppressed cells couple more than the reader's program
// takes is refused with ErrUnaudited, never passed unaudited.
func TestVerifyRefusesTablesTooLargeToAudit(t *testing.T) {
	tab := &Table{K: 5, Margins: true, Dimensions: []string{"a", "b"}}
	for i := range 71 {
		for j := range 71 {
			a, b := fmt.Sprint("a", i), fmt.Sprint("b", j)
			if i == 70 {
				a = Total
			}
			if j == 70 {
				b = Total
			}
			tab.Cells = append(tab.Cells, Cell{Key: []string{a, b}, Suppressed: true})
		}
	}
	err := Verify(tab)
	require.ErrorIs(t, err, ErrUnaudited)
	assert.Contains(t, err.Error(), "at most 4000")
}
