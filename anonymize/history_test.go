package anonymize

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// monthlyBids returns January's bids and February's: 6 regions × 4 age
// bands of 8 to 30 bidders each in January; in February a few new bidders
// join: in some cells a group of 2 to 4 people (a group below K=5 that a
// reader of both cumulative tables would isolate by subtraction), in
// others 5 or more, in the rest none.
func monthlyBids(seed uint64) (jan, feb []bid, small int) {
	rng := rand.New(rand.NewPCG(seed, 14))
	for r := range 6 {
		for a := range 4 {
			region, age := fmt.Sprint("r", r), fmt.Sprint("a", a)
			for i := range 8 + rng.IntN(23) {
				jan = append(jan, bid{User: fmt.Sprint("j", r, a, "-", i), Region: region, Age: age, Amount: float64(100 + rng.IntN(900))})
			}
			n := 0
			switch rng.IntN(3) {
			case 0:
				n = 2 + rng.IntN(3)
				small++
			case 1:
				n = 5 + rng.IntN(6)
			}
			for i := range n {
				feb = append(feb, bid{User: fmt.Sprint("f", r, a, "-", i), Region: region, Age: age, Amount: float64(100 + rng.IntN(900))})
			}
		}
	}
	return jan, feb, small
}

func aggOf(t *testing.T, s Spec[bid], rows ...[]bid) *Aggregator[bid] {
	a := mustAgg(t, s)
	for _, rs := range rows {
		for _, r := range rs {
			a.Add(r)
		}
	}
	return a
}

// exposedGroups returns how many of the added groups with fewer than k
// rows the reader narrows: either the cumulative cell is published (the
// group is pinned) or the reader's bounds on it, minus January's value,
// stay below k.
func exposedGroups(t *testing.T, janTab, cum *Table, added *Aggregator[bid], k int) (exposed, groups int) {
	t.Helper()
	janRows := map[string]int64{}
	raw := added.raw()
	addedRows := map[string]int64{}
	for _, c := range raw.cells {
		addedRows[fmt.Sprint(c.key)] = c.rows
	}
	for _, c := range janTab.Cells {
		janRows[fmt.Sprint(c.Key)] = int64(c.Rows) // January published everything it could
	}
	cumRaw := map[string]int64{}
	for _, c := range cum.Cells {
		cumRaw[fmt.Sprint(c.Key)] = int64(c.Rows)
	}
	// January's values are what the reader holds; the cumulative table's
	// suppressed cells are at least January's.
	bounds := readerValueBoundsAt(t, cum, func(c Cell) *big.Rat { return big.NewRat(int64(c.Rows), 1) }, func(i int) int64 {
		return max(1, janRows[fmt.Sprint(cum.Cells[i].Key)])
	})
	for i, c := range cum.Cells {
		key := fmt.Sprint(c.Key)
		d := addedRows[key]
		if d == 0 || d >= int64(k) || janTab.Cells[i].Suppressed {
			continue
		}
		groups++
		if !c.Suppressed {
			exposed++
			continue
		}
		b := bounds[i]
		hi := math.Inf(1)
		if b[1] != nil {
			hi, _ = b[1].Float64()
		}
		lo, _ := b[0].Float64()
		jan := float64(janRows[key])
		if hi-jan < float64(k) || lo-jan > 0 {
			exposed++
		}
	}
	return exposed, groups
}

func TestCumulativeReleasesProtectTheAddedGroups(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(4) {
		jan, feb, _ := monthlyBids(seed)
		s := bidSpec(5, true)
		janAgg := aggOf(t, s, jan)
		h := NewMemoryHistory()
		janTab, err := janAgg.ReleaseAfter(ctx, h, aggOf(t, s, jan))
		require.NoError(t, err, "a first release has no previous table")
		require.NoError(t, janAgg.Verify(janTab))

		// Today: the cumulative table released on its own.
		all := aggOf(t, s, jan, feb)
		alone, err := all.Release()
		require.NoError(t, err)
		before, groups := exposedGroups(t, janTab, alone, aggOf(t, s, feb), 5)

		cum, err := all.ReleaseAfter(ctx, h, aggOf(t, s, feb))
		require.NoError(t, err)
		require.NoError(t, all.Verify(cum))
		after, _ := exposedGroups(t, janTab, cum, aggOf(t, s, feb), 5)
		t.Logf("seed %d: %d February groups below K; exposed alone %d, with history %d", seed, groups, before, after)
		assert.Positive(t, before, "seed %d: the attack works without history", seed)
		assert.Zero(t, after, "seed %d", seed)
		kept, err := h.Tables(ctx)
		require.NoError(t, err)
		assert.Len(t, kept, 2)
	}
}

func TestReleaseAfterRefusesAnInconsistentHistory(t *testing.T) {
	ctx := context.Background()
	jan, feb, _ := monthlyBids(9)
	s := bidSpec(5, true)
	h := NewMemoryHistory()
	_, err := aggOf(t, s, jan).ReleaseAfter(ctx, h, aggOf(t, s, jan))
	require.NoError(t, err)
	// The added rows are not what was added since January.
	_, err = aggOf(t, s, jan, feb).ReleaseAfter(ctx, h, aggOf(t, s, feb[:len(feb)/2]))
	require.ErrorIs(t, err, ErrHistory)
	other := s
	other.K = 3
	_, err = aggOf(t, s, jan, feb).ReleaseAfter(ctx, h, aggOf(t, other, feb))
	require.ErrorIs(t, err, ErrIncompatible)
}

func TestSQLHistoryKeepsTables(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	h, err := NewSQLHistory(ctx, db, "released_tables")
	require.NoError(t, err)
	jan, feb, _ := monthlyBids(3)
	s := bidSpec(5, true)
	janTab, err := aggOf(t, s, jan).ReleaseAfter(ctx, h, aggOf(t, s, jan))
	require.NoError(t, err)
	cum, err := aggOf(t, s, jan, feb).ReleaseAfter(ctx, h, aggOf(t, s, feb))
	require.NoError(t, err)
	kept, err := h.Tables(ctx)
	require.NoError(t, err)
	require.Len(t, kept, 2)
	assert.Equal(t, janTab.Cells, kept[0].Cells)
	assert.Equal(t, cum.Cells, kept[1].Cells)
	mem := NewMemoryHistory()
	require.NoError(t, mem.Keep(ctx, janTab))
	want, err := aggOf(t, s, jan, feb).ReleaseAfter(ctx, mem, aggOf(t, s, feb))
	require.NoError(t, err)
	assert.Equal(t, want.Cells, cum.Cells, "both stores give the same release")
	_, err = NewSQLHistory(ctx, db, "a.b.c")
	assert.ErrorIs(t, err, ErrSpec)
	q, err := NewSQLHistory(ctx, db, `odd"name`)
	require.NoError(t, err, "names are quoted, not refused")
	got, err := q.Tables(ctx)
	require.NoError(t, err)
	assert.Empty(t, got)
}

// TestJointProgram checks the reader's program over two releases of a
// row of two cells and its margin (a1 + a2 = *), January and then
// February, by hand: January suppresses a1 = 11 and a2 = 3 (below K = 5)
// and publishes * = 14; February adds nothing.
func TestJointProgram(t *testing.T) {
	keys := [][]string{{"a1"}, {"a2"}, {Total}}
	s, err := newLinkedSystem(keys, true, nil)
	require.NoError(t, err)
	vals := []int64{11, 3, 14}
	all := []bool{true, true, true}
	jan := []bool{false, false, true}
	a2Jan := jointLevel{side: 0, cell: 1, q: 0, lo: 1, hi: 5}
	tests := []struct {
		name string
		feb  []bool // February's published cells
		lv   jointLevel
		want bool
	}{
		// February shows a1 = 11 (and hides a2 and the margin): January's
		// a1 ≤ 11, so a2 ≥ 3: [3, 13] does not reach 1.
		{"a later table narrows an earlier one", []bool{true, false, false}, a2Jan, false},
		// February suppresses the same cells: a1 and a2 range over [1, 13]
		// in both.
		{"the same pattern keeps it", jan, a2Jan, true},
		// Both margins published and equal: nothing was added, which
		// the reader learns.
		{"an unchanged margin pins its added groups", jan, jointLevel{side: 1, added: true, cell: 1, q: 0, lo: 0, hi: 5}, false},
		// February hides everything: the group added to a2 ranges over
		// [0, +Inf).
		{"an added group between suppressed cells", []bool{false, false, false}, jointLevel{side: 1, added: true, cell: 1, q: 0, lo: 0, hi: 5}, true},
		// February publishes a1: January's a2 is narrowed from [1, 13] to
		// [3, 13].
		{"narrowed", []bool{true, false, false}, jointLevel{side: 0, cell: 1, q: 0, narrow: true}, false},
		{"not narrowed", jan, jointLevel{side: 0, cell: 1, q: 0, narrow: true}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j, err := newJoint(s, [][][]int64{{vals}, {vals}}, [][]bool{jan, tc.feb}, [][]bool{all, all}, []int64{0})
			require.NoError(t, err)
			got, err := j.holds(tc.lv)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	// Bounds, exactly: January's a2 under February's a1 = 11.
	j, err := newJoint(s, [][][]int64{{vals}, {vals}}, [][]bool{jan, {true, false, false}}, [][]bool{all, all}, []int64{0})
	require.NoError(t, err)
	v := j.vars[[3]int32{0, 0, 1}]
	lo, _, _, err := j.extreme(v, false, 1)
	require.NoError(t, err)
	hi, _, _, err := j.extreme(v, true, 1)
	require.NoError(t, err)
	assert.InDelta(t, 3, lo, 1e-9)
	assert.InDelta(t, 13, hi, 1e-9)
	alone, _, _, err := j.extreme(v, false, 0)
	require.NoError(t, err)
	assert.InDelta(t, 1, alone, 1e-9, "January alone")
	// Values that cannot both hold (February's margin below January's)
	// are an inconsistent history.
	j, err = newJoint(s, [][][]int64{{vals}, {{11, 3, 13}}}, [][]bool{jan, jan}, [][]bool{all, all}, []int64{0})
	require.NoError(t, err)
	_, err = j.holds(a2Jan)
	assert.ErrorIs(t, err, ErrHistory)
}

// TestReleaseAfterRefusesAnOlderTableThatDoesNotFit: an older table of
// the history lists a cell no row has.
func TestReleaseAfterRefusesAnOlderTableThatDoesNotFit(t *testing.T) {
	ctx := context.Background()
	jan, feb, _ := monthlyBids(5)
	s := bidSpec(5, true)
	h := NewMemoryHistory()
	janTab, err := aggOf(t, s, jan).ReleaseAfter(ctx, h, aggOf(t, s, jan))
	require.NoError(t, err)
	_, err = aggOf(t, s, jan, feb).ReleaseAfter(ctx, h, aggOf(t, s, feb))
	require.NoError(t, err)
	// An older table with a cell no row has.
	odd := *janTab
	odd.Cells = append(slices.Clone(janTab.Cells), Cell{Key: []string{"nowhere", Total}, Suppressed: true})
	bad := NewMemoryHistory()
	for _, tab := range []*Table{&odd, janTab} {
		require.NoError(t, bad.Keep(ctx, tab))
	}
	_, err = aggOf(t, s, jan, feb).ReleaseAfter(ctx, bad, aggOf(t, s, feb))
	assert.ErrorIs(t, err, ErrHistory)
}

// BenchmarkReleaseAfter measures the cumulative release of February
// against January beside its baseline, Release of the same table alone:
// the difference is the joint audit (and any further suppression).
func BenchmarkReleaseAfter(b *testing.B) {
	ctx := context.Background()
	jan, feb, _ := monthlyBids(1)
	s := bidSpec(5, true)
	s.Measures[0].Dominance = []NK{{N: 1, K: 75}}
	s.Measures[0].P = 10
	mk := func(rows ...[]bid) *Aggregator[bid] {
		a, err := NewAggregator(s)
		require.NoError(b, err)
		for _, rs := range rows {
			for _, r := range rs {
				a.Add(r)
			}
		}
		return a
	}
	janTab, err := mk(jan).Release()
	require.NoError(b, err)
	all, added := mk(jan, feb), mk(feb)
	b.Run("baseline=Release", func(b *testing.B) {
		for b.Loop() {
			if _, err := all.Release(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReleaseAfter", func(b *testing.B) {
		for b.Loop() {
			h := NewMemoryHistory()
			_ = h.Keep(ctx, janTab)
			if _, err := all.ReleaseAfter(ctx, h, added); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestReleaseAfterStopsWithItsContext(t *testing.T) {
	jan, feb, _ := monthlyBids(2)
	s := bidSpec(5, true)
	h := NewMemoryHistory()
	_, err := aggOf(t, s, jan).ReleaseAfter(context.Background(), h, aggOf(t, s, jan))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = aggOf(t, s, jan, feb).ReleaseAfter(ctx, h, aggOf(t, s, feb))
	require.ErrorIs(t, err, context.Canceled)
	kept, err := h.Tables(context.Background())
	require.NoError(t, err)
	assert.Len(t, kept, 1, "nothing kept when nothing is released")
}

// TestJointProgramRefusesTooLargeAGroup: a connected group of more than
// maxJointVars hidden values is refused with ErrUnaudited, never taken
// for safe; one of maxJointVars is audited.
func TestJointProgramRefusesTooLargeAGroup(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cells int // interior cells of a one-dimensional table, all hidden with their margin
		err   error
	}{
		{"at the cap", maxJointVars - 1, nil},
		{"above the cap", maxJointVars, ErrUnaudited},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := make([][]string, 0, tc.cells+1)
			for i := range tc.cells {
				keys = append(keys, []string{fmt.Sprint("v", i)})
			}
			keys = append(keys, []string{Total})
			s, err := newLinkedSystem(keys, true, nil)
			require.NoError(t, err)
			vals := make([]int64, len(keys))
			hidden, all := make([]bool, len(keys)), make([]bool, len(keys))
			for i := range vals {
				vals[i], all[i] = 1, true
			}
			vals[len(vals)-1] = int64(tc.cells)
			j, err := newJoint(s, [][][]int64{{vals}}, [][]bool{hidden}, [][]bool{all}, []int64{0})
			require.NoError(t, err)
			_, err = j.holds(jointLevel{side: 0, cell: 0, q: 0, lo: 1, hi: 2})
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
		})
	}
}
