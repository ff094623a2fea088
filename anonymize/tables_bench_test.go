package anonymize

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
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

// lossOf returns the share of interior cells suppressed, the share of
// the rows they hold, and the share of interior cells suppressed as
// primary (below K, or dominated): the loss no method avoids.
func lossOf(rt *rawTable, tab *Table) (cells, rows, primary float64) {
	idx := map[string]int64{}
	for i := range rt.cells {
		idx[joinKey(rt.cells[i].key)] = rt.cells[i].rows
	}
	var n, sup, all, lost, prim int64
	for _, c := range tab.Cells {
		interior := true
		for _, k := range c.Key {
			if k == Total {
				interior = false
			}
		}
		if !interior {
			continue
		}
		n++
		all += idx[joinKey(c.Key)]
		if c.Suppressed {
			sup++
			lost += idx[joinKey(c.Key)]
			if r := tab.Reason(c.Key); r == Threshold || r == Dominance {
				prim++
			}
		}
	}
	return float64(sup) / float64(n), float64(lost) / float64(all), float64(prim) / float64(n)
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
	cells, lost, prim := lossOf(a.raw(), t)
	b.ReportMetric(100*prim, "%interior-primary")
	b.ReportMetric(float64(len(t.Cells)), "cells")
	b.ReportMetric(100*cells, "%interior-suppressed")
	b.ReportMetric(100*lost, "%rows-suppressed")
}

// BenchmarkReleasePartner4D is the 17 × 6 × 12 × 8 table of 200,000 bids.
func BenchmarkReleasePartner4D(b *testing.B) {
	benchmarkPartner(b, 200_000, [4]int{17, 6, 12, 8})
}

// BenchmarkReleaseCube30 is a 30 × 30 × 30 table of 200,000 bids.
func BenchmarkReleaseCube30(b *testing.B) {
	benchmarkPartner(b, 200_000, [4]int{30, 30, 30, 0})
}
