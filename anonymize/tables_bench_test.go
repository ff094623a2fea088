package anonymize

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file holds the partner tables of the benchmarks: skewed synthetic
// populations over the dimensions partners ask for.

// cell4 is a row of the four-dimensional partner table.
type cell4 struct {
	User   string
	D      [4]string
	Amount float64
}

// partnerTable builds the table "bids by region × age band × month × lot
// category" (17 × 6 × 12 × 8 with all margins, K=5) from rows bids of a
// skewed population: region sizes fall off as 1/rank (Almaty and Astana
// dwarf Ulytau), age bands peak at 25–44, lot categories are Zipf-like,
// months are near uniform; amounts are log-normal.
func partnerTable(tb testing.TB, rows int, card [4]int, seed uint64) *Aggregator[cell4] {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	spec := Spec[cell4]{K: 5, Subject: func(r cell4) string { return r.User }, Margins: true,
		Measures: []Measure[cell4]{{Name: "amount", Value: func(r cell4) float64 { return r.Amount },
			Dominance: []NK{{N: 1, K: 75}}, P: 10}}}
	names := []string{"region", "age", "month", "lot"}
	nd := 0
	for i, n := range card {
		if n == 0 {
			continue
		}
		nd++
		spec.Dimensions = append(spec.Dimensions, Dimension[cell4]{Name: names[i], Key: func(r cell4) string { return r.D[i] }})
	}
	a := mustAgg(tb, spec)
	users := max(rows/8, 1)
	type person struct{ d [4]int }
	people := make([]person, users)
	for u := range people {
		for i, n := range card {
			if n > 0 {
				people[u].d[i] = zipf(rng, n)
			}
		}
	}
	for range rows {
		u := rng.IntN(users)
		r := cell4{User: fmt.Sprint("u", u), Amount: math.Round(math.Exp(8 + 1.5*rng.NormFloat64()))}
		for i, n := range card {
			if n == 0 {
				continue
			}
			v := people[u].d[i]
			if i == 2 || i == 3 { // month and lot vary per bid
				v = zipf(rng, n)
				if i == 2 {
					v = rng.IntN(n)
				}
			}
			r.D[i] = fmt.Sprint(names[i][:1], v)
		}
		a.Add(r)
	}
	return a
}

// zipf draws 0..n-1 with weight 1/(rank+1).
func zipf(rng *rand.Rand, n int) int {
	var total float64
	for i := range n {
		total += 1 / float64(i+1)
	}
	x := rng.Float64() * total
	for i := range n {
		if x -= 1 / float64(i+1); x < 0 {
			return i
		}
	}
	return n - 1
}

// loss is what a release hides: shares of the interior cells (no Total
// in the key) and of the rows they hold, split by why.
type loss struct {
	cells, rows        float64 // interior cells suppressed, and their share of rows
	primary            float64 // interior cells suppressed as primary (below K, or dominated): no method avoids them
	secondaryRows      float64 // share of rows in interior complements: the cost secondary suppression chose
	complementsPerCell float64 // complements (all cells, margins too) per primary suppression
}

// lossOf measures the loss of tab, released from rt.
func lossOf(rt *rawTable, tab *Table) loss {
	idx := map[string]int64{}
	for i := range rt.cells {
		idx[joinKey(rt.cells[i].key)] = rt.cells[i].rows
	}
	var n, sup, all, lost, prim, secRows, primAll, secAll int64
	for _, c := range tab.Cells {
		r := tab.Reason(c.Key)
		switch r {
		case Threshold, Dominance:
			primAll++
		case Secondary:
			secAll++
		}
		if slices.Contains(c.Key, Total) {
			continue
		}
		n++
		rows := idx[joinKey(c.Key)]
		all += rows
		if c.Suppressed {
			sup++
			lost += rows
			if r == Secondary {
				secRows += rows
			} else {
				prim++
			}
		}
	}
	return loss{cells: float64(sup) / float64(n), rows: float64(lost) / float64(all), primary: float64(prim) / float64(n),
		secondaryRows: float64(secRows) / float64(all), complementsPerCell: float64(secAll) / float64(max(primAll, 1))}
}

// report adds the loss to a benchmark's metrics.
func (l loss) report(b *testing.B, cells int) {
	b.ReportMetric(float64(cells), "cells")
	b.ReportMetric(100*l.primary, "%interior-primary")
	b.ReportMetric(100*l.cells, "%interior-suppressed")
	b.ReportMetric(100*l.rows, "%rows-suppressed")
	b.ReportMetric(100*l.secondaryRows, "%rows-complements")
	b.ReportMetric(l.complementsPerCell, "complements/primary")
}

func benchmarkPartner(b *testing.B, rows int, card [4]int) {
	a := partnerTable(b, rows, card, 1)
	var t *Table
	for b.Loop() {
		var err error
		if t, err = a.Release(); err != nil {
			b.Fatal(err)
		}
	}
	lossOf(a.raw(), t).report(b, len(t.Cells))
}

// BenchmarkReleasePartner4D is the 17 × 6 × 12 × 8 table of 200,000 bids.
func BenchmarkReleasePartner4D(b *testing.B) {
	benchmarkPartner(b, 200_000, [4]int{17, 6, 12, 8})
}

// BenchmarkReleaseCube30 is a 30 × 30 × 30 table of 200,000 bids.
func BenchmarkReleaseCube30(b *testing.B) {
	benchmarkPartner(b, 200_000, [4]int{30, 30, 30, 0})
}

// censusTable is a UCI-Adult-like extract: 32,561 people, one row each,
// native country (41 values, 90% one country, a long tail), race (5
// values, 85% one), sex, and age band; a table over the named dimensions
// with margins at threshold k.
func censusTable(tb testing.TB, dims []int, k int) *Aggregator[cell4] {
	tb.Helper()
	rng := rand.New(rand.NewPCG(32561, 1994))
	names := []string{"country", "race", "sex", "age"}
	spec := Spec[cell4]{K: k, Subject: func(r cell4) string { return r.User }, Margins: true}
	for _, d := range dims {
		spec.Dimensions = append(spec.Dimensions, Dimension[cell4]{Name: names[d], Key: func(r cell4) string { return r.D[d] }})
	}
	a := mustAgg(tb, spec)
	for i := range 32_561 {
		r := cell4{User: fmt.Sprint("p", i)}
		country := 0
		if rng.Float64() > 0.90 {
			country = 1 + zipf(rng, 40)
		}
		race := 0
		if x := rng.Float64(); x > 0.85 {
			race = 1 + zipf(rng, 4)
		}
		r.D = [4]string{fmt.Sprint("c", country), fmt.Sprint("r", race), fmt.Sprint("s", rng.IntN(2)), fmt.Sprint("a", min(6, rng.IntN(4)+rng.IntN(4)))}
		a.Add(r)
	}
	return a
}

func benchmarkCensus(b *testing.B, dims []int, k int) {
	a := censusTable(b, dims, k)
	var t *Table
	for b.Loop() {
		var err error
		if t, err = a.Release(); err != nil {
			b.Fatal(err)
		}
	}
	lossOf(a.raw(), t).report(b, len(t.Cells))
}

// BenchmarkReleaseCensusCountryRace is country × race at K=10.
func BenchmarkReleaseCensusCountryRace(b *testing.B) { benchmarkCensus(b, []int{0, 1}, 10) }

// BenchmarkReleaseCensusCountryRaceSex is country × race × sex at K=5.
func BenchmarkReleaseCensusCountryRaceSex(b *testing.B) { benchmarkCensus(b, []int{0, 1, 2}, 5) }

// TestLongNarrowestInterval releases the benchmark tables and bounds up to
// 150 sensitive cells of each with the reader's full program (not the
// neighbourhoods Release proves levels with): the reach of the narrowest
// interval over its protection level must be at least 1. Run with
// COMPLIANCE_LONG=1 -v.
func TestLongNarrowestInterval(t *testing.T) {
	if os.Getenv("COMPLIANCE_LONG") == "" {
		t.Skip("set COMPLIANCE_LONG=1 to run")
	}
	tables := map[string]func() *rawTable{
		"5516-cell": func() *rawTable { return releaseInput(t, 400_000, true).raw() },
		"census":    func() *rawTable { return censusTable(t, []int{0, 1, 2}, 5).raw() },
	}
	for name, mk := range tables {
		narrowest, levels, n := narrowestReach(t, mk(), 150)
		t.Logf("%s: %d levels, %d bounded by the full program; narrowest reach over its level %.3f", name, levels, n, narrowest)
		assert.GreaterOrEqual(t, narrowest, 1-1e-6)
	}
}

// narrowestReach releases rt and bounds up to limit of its levels with
// the reader's full program (not the neighbourhoods Release proves them
// with); it returns the least reach of an interval over its level, the
// number of levels and the number bounded.
func narrowestReach(t *testing.T, rt *rawTable, limit int) (float64, int, int) {
	tab, err := release(rt, time.Now()) // sorts rt.cells
	require.NoError(t, err)
	reasons := make([]Reason, len(rt.cells))
	keys := make([][]string, len(rt.cells))
	for i := range rt.cells {
		keys[i] = rt.cells[i].key
		if tab.Cells[i].Suppressed {
			reasons[i] = tab.reason(keys[i])
		}
	}
	lvs := rt.levels(rt.primary())
	s, err := newSystem(keys, true)
	require.NoError(t, err)
	kn := rt.known()
	att := attackerOf(s, reasons, kn)
	narrowest, n := math.Inf(1), 0
	for i, lv := range lvs {
		if i%max(1, len(lvs)/limit) != 0 {
			continue
		}
		lo, hi, err := att.bounds(lv.cell, int(lv.q))
		require.NoError(t, err)
		v := float64(kn.rows[lv.cell])
		if lv.q != rowsQ {
			v = float64(kn.sums[lv.q-1][lv.cell])
		}
		if up := float64(lv.hi) - v; up > 0 {
			narrowest = min(narrowest, (hi-v)/up)
		}
		if down := v - float64(lv.lo); down > 0 {
			narrowest = min(narrowest, (v-lo)/down)
		}
		n++
	}
	return narrowest, len(lvs), n
}

// TestPrunedTablesKeepTheirLevels releases medium tables (3 and 4
// dimensions, skewed, a dominance rule) whose complements are too many
// for prune, so that pruneWide lifts them, and checks every level with
// the reader's full program and the table with Verify.
func TestPrunedTablesKeepTheirLevels(t *testing.T) {
	if testing.Short() {
		t.Skip("the reader's full program on every level")
	}
	cases := []struct {
		rows int
		card [4]int
	}{
		{3000, [4]int{6, 4, 5, 0}},
		{4000, [4]int{5, 3, 4, 3}},
		{8000, [4]int{9, 6, 8, 0}},
	}
	for i, c := range cases {
		for seed := range uint64(2) {
			a := partnerTable(t, c.rows, c.card, 100+seed) // seeds the tuning never saw
			tab, err := a.Release()
			require.NoError(t, err)
			require.NoError(t, Verify(tab), "case %d seed %d", i, seed)
			narrowest, levels, n := narrowestReach(t, a.raw(), 150)
			t.Logf("case %d seed %d: %d cells, %v suppressed, %d of %d levels bounded, narrowest reach %.3f", i, seed, len(tab.Cells), tab.Suppressed(), n, levels, narrowest)
			assert.GreaterOrEqual(t, narrowest, 1-1e-6, "case %d seed %d", i, seed)
		}
	}
}
