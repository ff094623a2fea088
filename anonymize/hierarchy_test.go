package anonymize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// halfYears is months → half-years → year, the year being Total.
func halfYears(t testing.TB) *Hierarchy {
	t.Helper()
	var rows [][]string
	for m := 1; m <= 6; m++ {
		rows = append(rows, []string{fmt.Sprintf("2026-%02d", m), "2026-H1", "2026"})
	}
	for m := 7; m <= 12; m++ {
		rows = append(rows, []string{fmt.Sprintf("2026-%02d", m), "2026-H2", "2026"})
	}
	h, err := NewHierarchy(rows)
	require.NoError(t, err)
	return h
}

// quarters is months → quarters → year.
func quarters(t testing.TB) *Hierarchy {
	t.Helper()
	var rows [][]string
	for m := 1; m <= 12; m++ {
		at := time.Date(2026, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		rows = append(rows, []string{TruncateDate(at, Month), TruncateDate(at, Quarter), TruncateDate(at, Year)})
	}
	h, err := NewHierarchy(rows)
	require.NoError(t, err)
	return h
}

type hrow struct {
	user, region, month string
}

func hierSpec(k int, months *Hierarchy) Spec[hrow] {
	return Spec[hrow]{K: k, Subject: func(r hrow) string { return r.user }, Margins: true,
		Dimensions: []Dimension[hrow]{
			{Name: "region", Key: func(r hrow) string { return r.region }},
			{Name: "month", Key: func(r hrow) string { return r.month }, Hierarchy: months},
		}}
}

// linkedReaderBounds returns, for every suppressed cell of tab, the least
// and greatest number of rows a reader can infer from the published cells,
// every margin and subtotal equation (tableEquations, built from
// Table.Parents independently of the package's system) and one row in
// every listed cell, exactly over the rationals (hi nil: unbounded).
func linkedReaderBounds(t *testing.T, tab *Table) map[int][2]*big.Rat {
	t.Helper()
	return readerBounds(t, tab)
}

// leafCount returns, per cell of tab, the listed cells under it that are a
// leaf in every dimension: a reader knows each holds a row.
func leafCount(tab *Table) []int64 {
	inner := map[string]bool{}
	for d, name := range tab.Dimensions {
		for _, p := range tab.Parents[name] {
			inner[fmt.Sprint(d, p)] = true
		}
	}
	under := func(d int, v, anc string) bool {
		for x := v; ; {
			if x == anc {
				return true
			}
			if x == Total {
				return false
			}
			p, ok := tab.Parents[tab.Dimensions[d]][x]
			if !ok {
				p = Total
			}
			x = p
		}
	}
	out := make([]int64, len(tab.Cells))
	for _, c := range tab.Cells {
		leaf := true
		for d, v := range c.Key {
			leaf = leaf && v != Total && !inner[fmt.Sprint(d, v)]
		}
		if !leaf {
			continue
		}
		for i, m := range tab.Cells {
			all := true
			for d := range c.Key {
				all = all && under(d, c.Key[d], m.Key[d])
			}
			if all {
				out[i]++
			}
		}
	}
	return out
}

// TestHierarchyLevelsHoldAgainstAnExactReader releases random tables with
// a hierarchical month (→ half-year → year, or → quarter → year) and a flat
// region, and checks every threshold cell against the exact reader of the
// whole linked table: the interval reaches down to what the reader knows
// anyway and up to K rows (or one more row).
func TestHierarchyLevelsHoldAgainstAnExactReader(t *testing.T) {
	checked := 0
	for seed := range uint64(16) {
		rng := rand.New(rand.NewPCG(seed, 77))
		k := 3 + int(seed%3)
		months, nMonths := halfYears(t), 6
		if seed%2 == 1 {
			months, nMonths = quarters(t), 12
		}
		regions := 2 + int(seed%3)
		a := mustAgg(t, hierSpec(k, months))
		for r := range regions {
			for m := 1; m <= nMonths; m++ {
				n := rng.IntN(3 * k)
				if rng.IntN(3) == 0 {
					n = rng.IntN(k)
				}
				for i := range n {
					a.Add(hrow{fmt.Sprint(seed, r, m, i), fmt.Sprint("R", r), fmt.Sprintf("2026-%02d", m)})
				}
			}
		}
		tab, err := a.Release()
		require.NoError(t, err)
		require.NoError(t, Verify(tab))
		require.NoError(t, a.Verify(tab))
		checked += assertThresholdLevels(t, a.raw(), tab, k, seed)
	}
	t.Logf("%d threshold cells checked", checked)
	assert.Greater(t, checked, 50)
}

// monthTable hand-builds months Jan–Jun (→ Q1, Q2 → year) × regions A, B
// with margins and subtotals; the cells listed in hidden are suppressed.
func monthTable(withQuarters bool, hidden ...string) *Table {
	rows := map[string][2]int{ // region A, region B
		"01": {10, 12}, "02": {11, 9}, "03": {8, 10},
		"04": {9, 13}, "05": {12, 10}, "06": {10, 11},
	}
	tab := &Table{K: 5, Dimensions: []string{"month", "region"}, Margins: true}
	add := func(key []string, n int) {
		c := Cell{Key: key, Rows: n, Subjects: 5, Sums: []float64{}}
		if slices.Contains(hidden, key[0]+"/"+key[1]) {
			c = Cell{Key: key, Suppressed: true}
		}
		tab.Cells = append(tab.Cells, c)
	}
	quarter := func(m string) string {
		if m <= "03" {
			return "Q1"
		}
		return "Q2"
	}
	totals := map[string]int{}
	for _, m := range []string{"01", "02", "03", "04", "05", "06"} {
		for r, reg := range []string{"A", "B"} {
			n := rows[m][r]
			add([]string{m, reg}, n)
			totals[m+"/*"] += n
			totals["*/"+reg] += n
			totals["*/*"] += n
			totals[quarter(m)+"/"+reg] += n
			totals[quarter(m)+"/*"] += n
		}
		add([]string{m, Total}, totals[m+"/*"])
	}
	if withQuarters {
		tab.Parents = map[string]map[string]string{"month": {}}
		for _, m := range []string{"01", "02", "03", "04", "05", "06"} {
			tab.Parents["month"][m] = quarter(m)
		}
		for _, q := range []string{"Q1", "Q2"} {
			add([]string{q, "A"}, totals[q+"/A"])
			add([]string{q, "B"}, totals[q+"/B"])
			add([]string{q, Total}, totals[q+"/*"])
		}
	}
	add([]string{Total, "A"}, totals["*/A"])
	add([]string{Total, "B"}, totals["*/B"])
	add([]string{Total, Total}, totals["*/*"])
	return tab
}

// TestVerifyCatchesALeakThroughASubtotal: March and April, in A and B,
// hidden as a 2×2 hypercube are safe in the month table; once the quarter
// subtotals are published, Q1 minus January and February gives March.
func TestVerifyCatchesALeakThroughASubtotal(t *testing.T) {
	hidden := []string{"03/A", "03/B", "04/A", "04/B"}
	require.NoError(t, Verify(monthTable(false, hidden...)), "the month table alone is safe")
	err := Verify(monthTable(true, hidden...))
	require.ErrorIs(t, err, ErrDisclosive)
	var ve *VerifyError
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Problems[0], "[03 A]")

	// Hiding the quarters too protects March and April again.
	safe := monthTable(true, append(hidden, "Q1/A", "Q1/B", "Q2/A", "Q2/B", "Q1/*", "Q2/*")...)
	err = Verify(safe)
	// Q1/* and Q2/* hidden with 03/* and 04/* published would pin Q1/*:
	// whatever the verdict, it must agree with the exact reader.
	bounds := linkedReaderBounds(t, safe)
	pinned := false
	for _, b := range bounds {
		pinned = pinned || (b[1] != nil && b[0].Cmp(b[1]) == 0)
	}
	assert.Equal(t, pinned, err != nil, "Verify %v, exact reader pinned %v", err, pinned)
}

func TestHierarchyBadInput(t *testing.T) {
	months := quarters(t)
	t.Run("hierarchy without margins", func(t *testing.T) {
		spec := hierSpec(3, months)
		spec.Margins = false
		_, err := NewAggregator(spec)
		assert.ErrorIs(t, err, ErrSpec)
	})
	t.Run("too many levels", func(t *testing.T) {
		deep, err := NewHierarchy([][]string{{"1", "2", "3", "4", "5", "6", "7"}})
		require.NoError(t, err)
		spec := Spec[hrow]{Subject: func(r hrow) string { return r.user }, Margins: true}
		for d := range 5 {
			spec.Dimensions = append(spec.Dimensions, Dimension[hrow]{Name: fmt.Sprint(d), Key: func(hrow) string { return "1" }, Hierarchy: deep})
		}
		_, err = NewAggregator(spec)
		assert.ErrorIs(t, err, ErrSpec, "7^5 cells per row")
		spec.Dimensions = spec.Dimensions[:4]
		_, err = NewAggregator(spec)
		assert.NoError(t, err, "7^4 = 2,401 cells per row")
	})
	for _, tc := range []struct{ name, month string }{
		{"value the hierarchy does not know", "2027-01"},
		{"inner value", "2026-Q1"},
		{"root", "2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := mustAgg(t, hierSpec(3, months))
			a.Add(hrow{"u", "R", "2026-01"})
			a.Add(hrow{"v", "R", tc.month})
			_, err := a.Release()
			assert.ErrorIs(t, err, ErrRow)
			assert.ErrorIs(t, err, ErrGeneralizer)
		})
	}
	for _, tc := range []struct {
		name string
		rows [][]string
	}{
		{"two parents", [][]string{{"a", "x", "r"}, {"a", "y", "r"}}},
		{"cycle", [][]string{{"a", "b", "a"}}},
		{"too deep", [][]string{{"1", "2", "3", "4", "5", "6", "7", "8"}}},
		{"two roots", [][]string{{"a", "r"}, {"b", "s"}}},
		{"reserved value", [][]string{{Total, "r"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewHierarchy(tc.rows)
			assert.ErrorIs(t, err, ErrGeneralizer)
		})
	}
	_, err := NewHierarchy([][]string{{"1", "2", "3", "4", "5", "6", "7"}})
	assert.NoError(t, err, "six levels below the root are allowed")

	for _, tc := range []struct {
		name    string
		parents map[string]string
	}{
		{"cycle", map[string]string{"01": "Q1", "Q1": "01"}},
		{"too deep", map[string]string{"01": "a", "a": "b", "b": "c", "c": "d", "d": "e", "e": "f"}},
		{"reserved", map[string]string{"01": Total}},
	} {
		t.Run("table "+tc.name, func(t *testing.T) {
			tab := monthTable(true)
			tab.Parents["month"] = tc.parents
			err := Verify(tab)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrDisclosive) || errors.Is(err, ErrGeneralizer), "%v", err)
		})
	}
	t.Run("table naming no dimension", func(t *testing.T) {
		tab := monthTable(true)
		tab.Parents["day"] = map[string]string{"1": "01"}
		assert.Error(t, Verify(tab))
	})
	t.Run("subtotal missing", func(t *testing.T) {
		tab := monthTable(true)
		tab.Cells = slices.DeleteFunc(tab.Cells, func(c Cell) bool { return c.Key[0] == "Q2" && c.Key[1] == "A" })
		assert.ErrorIs(t, Verify(tab), ErrDisclosive)
	})
}

// TestHierarchyCellsAndOrder: the released table lists every level, a
// subtotal after the values it sums, and the subtotals add up.
func TestHierarchyCellsAndOrder(t *testing.T) {
	a := mustAgg(t, hierSpec(2, quarters(t)))
	for m := 1; m <= 12; m++ {
		for i := range 3 {
			a.Add(hrow{fmt.Sprint(m, i), "R", fmt.Sprintf("2026-%02d", m)})
		}
	}
	tab, err := a.Release()
	require.NoError(t, err)
	var months []string
	for _, c := range tab.Cells {
		if c.Key[0] == "R" {
			months = append(months, c.Key[1])
		}
	}
	assert.Equal(t, []string{"2026-01", "2026-02", "2026-03", "2026-Q1", "2026-04", "2026-05", "2026-06", "2026-Q2",
		"2026-07", "2026-08", "2026-09", "2026-Q3", "2026-10", "2026-11", "2026-12", "2026-Q4", Total}, months)
	for _, c := range tab.Cells {
		require.False(t, c.Suppressed)
		if c.Key[1] == "2026-Q2" {
			assert.Equal(t, 9, c.Rows)
		}
	}
	assert.Equal(t, "2026-Q3", tab.Parents["month"]["2026-08"])
	assert.NotContains(t, tab.Parents["month"], "2026-Q3", "a top-level value's parent is Total")
}

// TestHierarchyKazakhstan: city → region → country, with a city of
// republican significance (a leaf at the top level) beside regions.
func TestHierarchyKazakhstan(t *testing.T) {
	geo, err := KazakhstanHierarchy("en")
	require.NoError(t, err)
	type row struct{ user, city string }
	spec := Spec[row]{K: 3, Subject: func(r row) string { return r.user }, Margins: true,
		Dimensions: []Dimension[row]{
			{Name: "city", Key: func(r row) string { return r.city }, Hierarchy: geo},
			{Name: "sex", Key: func(r row) string { return map[bool]string{true: "f", false: "m"}[len(r.user)%2 == 0] }},
		}}
	a := mustAgg(t, spec)
	rng := rand.New(rand.NewPCG(3, 4))
	cities := []string{"Almaty", "Semey", "Kurchatov", "Ayagoz", "Karaganda", "Temirtau", "Balkhash"}
	for i := range 120 {
		a.Add(row{fmt.Sprint("user", i, "-", rng.IntN(1000)), cities[rng.IntN(len(cities))]})
	}
	tab, err := a.Release()
	require.NoError(t, err)
	require.NoError(t, Verify(tab))
	require.NoError(t, a.Verify(tab))
	assert.Equal(t, "Abai Region", tab.Parents["city"]["Semey"])
	assert.NotContains(t, tab.Parents["city"], "Almaty")
	least := leafCount(tab)
	for i, b := range linkedReaderBounds(t, tab) {
		if tab.Reason(tab.Cells[i].Key) == Threshold {
			require.NotNil(t, b[1], "%v", tab.Cells[i].Key)
			assert.GreaterOrEqual(t, b[1].Cmp(big.NewRat(3, 1)), 0, "%v", tab.Cells[i].Key)
			assert.LessOrEqual(t, b[0].Cmp(big.NewRat(max(1, least[i]), 1)), 0, "%v", tab.Cells[i].Key)
		}
	}
}

// geography is district → region → country of unequal depth: C1 and C2
// are cities directly below the country.
func geography(t testing.TB) *Hierarchy {
	t.Helper()
	h, err := NewHierarchy([][]string{
		{"d1", "R1", "KZ"}, {"d2", "R1", "KZ"}, {"d3", "R1", "KZ"},
		{"d4", "R2", "KZ"}, {"d5", "R2", "KZ"},
		{"C1", "KZ"}, {"C2", "KZ"},
	})
	require.NoError(t, err)
	return h
}

// TestTwoHierarchiesAgainstAnExactReader: geography × months → half-years,
// both hierarchical, so that hypercube moves combine paths in two trees.
func TestTwoHierarchiesAgainstAnExactReader(t *testing.T) {
	leaves := []string{"d1", "d2", "d3", "d4", "d5", "C1", "C2"}
	checked := 0
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 91))
		k := 3 + int(seed%2)
		spec := hierSpec(k, halfYears(t))
		spec.Dimensions[0].Hierarchy = geography(t)
		a := mustAgg(t, spec)
		for _, d := range leaves {
			for m := 1; m <= 6; m++ {
				if rng.IntN(4) == 0 {
					continue // an empty cell: absent, known zero
				}
				n := 1 + rng.IntN(3*k)
				if rng.IntN(3) == 0 {
					n = 1 + rng.IntN(k-1)
				}
				for i := range n {
					a.Add(hrow{fmt.Sprint(seed, d, m, i), d, fmt.Sprintf("2026-%02d", m)})
				}
			}
		}
		tab, err := a.Release()
		require.NoError(t, err)
		require.NoError(t, Verify(tab))
		require.NoError(t, a.Verify(tab))
		checked += assertThresholdLevels(t, a.raw(), tab, k, seed)
	}
	t.Logf("%d threshold cells checked", checked)
	assert.Greater(t, checked, 30)
}

// TestDominatedSumInAHierarchy: one large bid in a district; the reader's
// interval on its sum, over every margin and subtotal, stays 2·p% of the
// bid wide.
func TestDominatedSumInAHierarchy(t *testing.T) {
	type row struct {
		user, district, month string
		amount                float64
	}
	spec := Spec[row]{K: 5, Subject: func(r row) string { return r.user }, Margins: true,
		Dimensions: []Dimension[row]{
			{Name: "district", Key: func(r row) string { return r.district }, Hierarchy: geography(t)},
			{Name: "month", Key: func(r row) string { return r.month }, Hierarchy: halfYears(t)},
		},
		Measures: []Measure[row]{{Name: "amount", Value: func(r row) float64 { return r.amount }, Dominance: []NK{{N: 1, K: 75}}, P: 10}}}
	a := mustAgg(t, spec)
	for di, d := range []string{"d1", "d2", "d3", "d4", "d5", "C1", "C2"} {
		for m := 1; m <= 6; m++ {
			for i := range 6 + (di+m)%4 {
				a.Add(row{fmt.Sprint(d, m, i), d, fmt.Sprintf("2026-%02d", m), 100})
			}
		}
	}
	a.Add(row{"whale", "d2", "2026-05", 1_000_000})
	tab, err := a.Release()
	require.NoError(t, err)
	require.NoError(t, a.Verify(tab))
	i := cellIndex(t, tab, "d2", "2026-05")
	require.Equal(t, Dominance, tab.Reason(tab.Cells[i].Key))
	bounds := readerValueBounds(t, tab, func(c Cell) *big.Rat { return new(big.Rat).SetFloat64(c.Sums[0]) }, 0)
	lo, hi := bounds[i][0], bounds[i][1]
	assert.LessOrEqual(t, lo.Cmp(big.NewRat(1_000_000+6*100-100_000, 1)), 0, "lower bound %v", lo.FloatString(0))
	if hi != nil { // else unbounded above
		assert.GreaterOrEqual(t, hi.Cmp(big.NewRat(1_000_000+6*100+100_000, 1)), 0, "upper bound %v", hi.FloatString(0))
	}
}

// TestCumulativeHierarchicalReleases: January, then January and February,
// with age bands rolled up into two groups: every February group below K
// stays protected against a reader of both tables and every subtotal.
func TestCumulativeHierarchicalReleases(t *testing.T) {
	ctx := context.Background()
	ages, err := NewHierarchy([][]string{{"a0", "young", "all"}, {"a1", "young", "all"}, {"a2", "old", "all"}, {"a3", "old", "all"}})
	require.NoError(t, err)
	for seed := range uint64(2) {
		jan, feb, _ := monthlyBids(seed)
		s := bidSpec(5, true)
		s.Dimensions = slices.Clone(s.Dimensions)
		s.Dimensions[1].Hierarchy = ages
		h := NewMemoryHistory()
		janAgg := aggOf(t, s, jan)
		janTab, err := janAgg.ReleaseAfter(ctx, h, aggOf(t, s, jan))
		require.NoError(t, err)
		all := aggOf(t, s, jan, feb)
		cum, err := all.ReleaseAfter(ctx, h, aggOf(t, s, feb))
		require.NoError(t, err)
		require.NoError(t, all.Verify(cum))
		flatAges := bidSpec(5, true)
		_, err = all.ReleaseAfter(ctx, NewMemoryHistory(), aggOf(t, flatAges, feb))
		require.ErrorIs(t, err, ErrIncompatible, "added rows aggregated without the hierarchy")
		exposed, groups := exposedGroups(t, janTab, cum, aggOf(t, s, feb), 5)
		t.Logf("seed %d: %d February groups below K, %d exposed", seed, groups, exposed)
		assert.Positive(t, groups)
		assert.Zero(t, exposed, "seed %d", seed)
	}
}

// TestVerifyJointHierarchicalTables: a hierarchical table and a flat one
// of the same rows are audited together; tables that disagree on a
// hierarchy are refused.
func TestVerifyJointHierarchicalTables(t *testing.T) {
	flat := monthTable(false, "03/A", "03/B", "04/A", "04/B")
	linked := monthTable(true, "02/A", "02/B", "03/A", "03/B")
	require.NoError(t, Verify(flat))
	require.NoError(t, Verify(linked))
	// Together: February from the flat table, April from the linked one,
	// and March follows; the reader holds both.
	assert.ErrorIs(t, Verify(flat, linked), ErrDisclosive)
	other := monthTable(true)
	other.Parents["month"]["03"] = "Q2"
	assert.ErrorIs(t, Verify(monthTable(true), other), ErrDisclosive)
}

// TestThreeDimensionsWithAHierarchy: geography × age × lot, the geography
// hierarchical, against the exact reader.
func TestThreeDimensionsWithAHierarchy(t *testing.T) {
	type row struct{ user, district, age, lot string }
	leaves := []string{"d1", "d2", "d3", "d4", "d5", "C1", "C2"}
	checked := 0
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 5))
		k := 3 + int(seed%3)
		spec := Spec[row]{K: k, Subject: func(r row) string { return r.user }, Margins: true,
			Dimensions: []Dimension[row]{
				{Name: "district", Key: func(r row) string { return r.district }, Hierarchy: geography(t)},
				{Name: "age", Key: func(r row) string { return r.age }},
				{Name: "lot", Key: func(r row) string { return r.lot }},
			}}
		a := mustAgg(t, spec)
		for _, d := range leaves {
			for _, age := range []string{"young", "old"} {
				for _, lot := range []string{"car", "land"} {
					n := rng.IntN(3 * k)
					if rng.IntN(3) == 0 {
						n = rng.IntN(k)
					}
					for i := range n {
						a.Add(row{fmt.Sprint(d, age, lot, i), d, age, lot})
					}
				}
			}
		}
		tab, err := a.Release()
		require.NoError(t, err)
		require.NoError(t, Verify(tab))
		checked += assertThresholdLevels(t, a.raw(), tab, k, seed)
	}
	t.Logf("%d threshold cells checked", checked)
	assert.Greater(t, checked, 30)
}

// TestHierarchyShards: shards forked, filled and merged (in process and
// through MarshalBinary) release the table one pass releases.
func TestHierarchyShards(t *testing.T) {
	spec := hierSpec(3, quarters(t))
	spec.Key = make([]byte, KeySize)
	one := mustAgg(t, spec)
	a, b := mustAgg(t, spec), mustAgg(t, spec)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		r := hrow{fmt.Sprint("u", rng.IntN(90)), fmt.Sprint("R", rng.IntN(3)), fmt.Sprintf("2026-%02d", 1+rng.IntN(12))}
		one.Add(r)
		if i%2 == 0 {
			a.Add(r)
		} else {
			b.Add(r)
		}
	}
	want, err := one.Release()
	require.NoError(t, err)
	data, err := b.MarshalBinary()
	require.NoError(t, err)
	c := mustAgg(t, spec)
	require.NoError(t, c.UnmarshalBinary(data))
	require.NoError(t, a.Merge(c))
	got, err := a.Release()
	require.NoError(t, err)
	assert.Equal(t, stripTime(want), stripTime(got))
}

// TestDominanceLevelsInHierarchies: random bids with a few large ones over
// geography × months → half-years; every sum suppressed for dominance
// keeps its levels (p% and (n,k), computed here from the bids) against the
// exact reader of the whole linked table.
func TestDominanceLevelsInHierarchies(t *testing.T) {
	type row struct {
		user, district, month string
		amount                int64
	}
	const p, n, k = 10.0, 1, 75.0
	checked := 0
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 33))
		spec := Spec[row]{K: 3, Subject: func(r row) string { return r.user }, Margins: true,
			Dimensions: []Dimension[row]{
				{Name: "district", Key: func(r row) string { return r.district }, Hierarchy: geography(t)},
				{Name: "month", Key: func(r row) string { return r.month }, Hierarchy: halfYears(t)},
			},
			Measures: []Measure[row]{{Name: "amount", Value: func(r row) float64 { return float64(r.amount) }, Dominance: []NK{{N: n, K: k}}, P: p}}}
		a := mustAgg(t, spec)
		var rows []row
		for _, d := range []string{"d1", "d2", "d3", "d4", "d5", "C1", "C2"} {
			for m := 1; m <= 6; m++ {
				for i := range 3 + rng.IntN(6) {
					amount := int64(10 + rng.IntN(90))
					if rng.IntN(25) == 0 {
						amount = int64(1000 + rng.IntN(100_000)) // a whale
					}
					rows = append(rows, row{fmt.Sprint(d, m, i), d, fmt.Sprintf("2026-%02d", m), amount})
				}
			}
		}
		for _, r := range rows {
			a.Add(r)
		}
		tab, err := a.Release()
		require.NoError(t, err)
		require.NoError(t, a.Verify(tab))
		// Every cell's contributions per subject, rolled up here.
		contrib := map[string]map[string]int64{}
		up := func(d int, v string) []string {
			out := []string{v}
			for {
				p, ok := tab.Parents[tab.Dimensions[d]][v]
				if !ok {
					return append(out, Total)
				}
				out, v = append(out, p), p
			}
		}
		for _, r := range rows {
			for _, dv := range up(0, r.district) {
				for _, mv := range up(1, r.month) {
					key := fmt.Sprint([]string{dv, mv})
					if contrib[key] == nil {
						contrib[key] = map[string]int64{}
					}
					contrib[key][r.user] += r.amount
				}
			}
		}
		bounds := readerValueBounds(t, tab, func(c Cell) *big.Rat { return new(big.Rat).SetFloat64(c.Sums[0]) }, 0)
		for i, c := range tab.Cells {
			if tab.Reason(c.Key) != Dominance {
				continue
			}
			var xs []int64
			var sum int64
			for _, x := range contrib[fmt.Sprint(c.Key)] {
				xs = append(xs, x)
				sum += x
			}
			slices.Sort(xs)
			slices.Reverse(xs)
			pl := max(1, math.Ceil(p*float64(xs[0])/100), math.Ceil(100*float64(xs[0])/k-float64(sum)))
			lo, hi := bounds[i][0], bounds[i][1]
			assert.LessOrEqual(t, lo.Cmp(big.NewRat(max(sum-int64(pl), 0), 1)), 0, "seed %d %v: lower %v, sum %d, level %v", seed, c.Key, lo.FloatString(0), sum, pl)
			if hi != nil {
				assert.GreaterOrEqual(t, hi.Cmp(big.NewRat(sum+int64(pl), 1)), 0, "seed %d %v: upper %v, sum %d, level %v", seed, c.Key, hi.FloatString(0), sum, pl)
			}
			checked++
		}
	}
	t.Logf("%d dominated sums checked", checked)
	assert.Greater(t, checked, 10)
}

// assertThresholdLevels checks every threshold cell of tab against the
// exact linked reader: its interval reaches r − min(r−1, K−1) (no lower
// than the rows its listed interior cells hold) and r + max(K−r, 1). It
// returns the number of cells checked.
func assertThresholdLevels(t *testing.T, rt *rawTable, tab *Table, k int, seed uint64) int {
	t.Helper()
	rows := map[string]int64{}
	for _, c := range rt.cells {
		rows[fmt.Sprint(c.key)] = c.rows
	}
	least := leafCount(tab)
	checked := 0
	for i, b := range linkedReaderBounds(t, tab) {
		c := tab.Cells[i]
		if tab.Reason(c.Key) != Threshold {
			continue
		}
		r := rows[fmt.Sprint(c.Key)]
		wantLo, wantHi := max(r-min(r-1, int64(k-1)), least[i]), r+max(int64(k)-r, 1)
		assert.LessOrEqual(t, b[0].Cmp(big.NewRat(wantLo, 1)), 0, "seed %d cell %v: lower bound %v above %d", seed, c.Key, b[0], wantLo)
		if b[1] != nil {
			assert.GreaterOrEqual(t, b[1].Cmp(big.NewRat(wantHi, 1)), 0, "seed %d cell %v: upper bound %v below %d", seed, c.Key, b[1], wantHi)
		}
		checked++
	}
	return checked
}
