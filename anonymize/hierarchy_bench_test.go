package anonymize

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// quarterPartner builds "bids by region × age band × month × lot category"
// (17 × 6 × 12 × 8, K=5, (1,75) and p=10 on amounts) from the skewed
// population of partnerTable, with the month hierarchical (→ quarter →
// year) when linked is true, flat otherwise.
func quarterPartner(tb testing.TB, rows int, linked bool) *Aggregator[cell4] {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 0x5eed))
	var months *Hierarchy
	if linked {
		months = quarters(tb)
	}
	spec := Spec[cell4]{K: 5, Subject: func(r cell4) string { return r.User }, Margins: true,
		Measures: []Measure[cell4]{{Name: "amount", Value: func(r cell4) float64 { return r.Amount },
			Dominance: []NK{{N: 1, K: 75}}, P: 10}},
		Dimensions: []Dimension[cell4]{
			{Name: "region", Key: func(r cell4) string { return r.D[0] }},
			{Name: "age", Key: func(r cell4) string { return r.D[1] }},
			{Name: "month", Key: func(r cell4) string { return r.D[2] }, Hierarchy: months},
			{Name: "lot", Key: func(r cell4) string { return r.D[3] }},
		}}
	a := mustAgg(tb, spec)
	users := max(rows/8, 1)
	people := make([][2]int, users)
	for u := range people {
		people[u] = [2]int{zipf(rng, 17), zipf(rng, 6)}
	}
	for range rows {
		u := rng.IntN(users)
		a.Add(cell4{User: fmt.Sprint("u", u), Amount: math.Round(math.Exp(8 + 1.5*rng.NormFloat64())),
			D: [4]string{fmt.Sprint("r", people[u][0]), fmt.Sprint("a", people[u][1]),
				fmt.Sprintf("2026-%02d", 1+rng.IntN(12)), fmt.Sprint("l", zipf(rng, 8))}})
	}
	return a
}

// linkedLoss is lossOf with interior meaning a leaf in every dimension;
// it also returns the share of the other cells (margins and subtotals)
// suppressed.
func linkedLoss(rt *rawTable, tab *Table) (loss, float64) {
	rows := map[string]int64{}
	for i := range rt.cells {
		rows[joinKey(rt.cells[i].key)] = rt.cells[i].rows
	}
	var n, sup, prim, all, lost, secRows, totals, totalsHidden int64
	for _, c := range tab.Cells {
		leaf := true
		for d, v := range c.Key {
			_, inner := rt.hier.innerValues(d)[v]
			leaf = leaf && v != Total && !inner
		}
		if !leaf {
			totals++
			if c.Suppressed {
				totalsHidden++
			}
			continue
		}
		n++
		r := rows[joinKey(c.Key)]
		all += r
		if c.Suppressed {
			sup++
			lost += r
			if tab.Reason(c.Key) == Secondary {
				secRows += r
			} else {
				prim++
			}
		}
	}
	return loss{cells: float64(sup) / float64(n), rows: float64(lost) / float64(all), primary: float64(prim) / float64(n),
		secondaryRows: float64(secRows) / float64(all)}, float64(totalsHidden) / float64(totals)
}

// BenchmarkReleaseQuarters releases the 17 × 6 × 12 × 8 table of 200,000
// bids with the month flat (the baseline) and with quarter subtotals
// linked to it.
func BenchmarkReleaseQuarters(b *testing.B) { benchLinked(b, quarterPartner) }

// benchLinked releases the table that build makes of 200,000 bids, flat
// (the baseline) and linked, and reports what each loses.
func benchLinked(b *testing.B, build func(testing.TB, int, bool) *Aggregator[cell4]) {
	for _, linked := range []bool{false, true} {
		b.Run(map[bool]string{false: "flat", true: "linked"}[linked], func(b *testing.B) {
			a := build(b, 200_000, linked)
			var t *Table
			for b.Loop() {
				var err error
				if t, err = a.Release(); err != nil {
					b.Fatal(err)
				}
			}
			l, totals := linkedLoss(a.raw(), t)
			b.ReportMetric(100*totals, "%totals-suppressed")
			b.ReportMetric(float64(len(t.Cells)), "cells")
			b.ReportMetric(100*l.primary, "%interior-primary")
			b.ReportMetric(100*l.cells, "%interior-suppressed")
			b.ReportMetric(100*l.rows, "%rows-suppressed")
			b.ReportMetric(100*l.secondaryRows, "%rows-complements")
		})
	}
}

// districtPartner builds "bids by district × age band × lot category" over
// 17 regions of 6 to 18 districts each (204 districts, region sizes
// falling off as 1/rank, districts within a region as 1/rank too), K=5,
// with the district dimension linked to its region when linked is true.
func districtPartner(tb testing.TB, rows int, linked bool) *Aggregator[cell4] {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2, 0x5eed))
	var paths [][]string
	sizes := make([]int, 17)
	for r := range sizes {
		sizes[r] = 6 + (r*7)%13
		for d := range sizes[r] {
			paths = append(paths, []string{fmt.Sprintf("r%02d-d%02d", r, d), fmt.Sprintf("r%02d", r), "KZ"})
		}
	}
	var geo *Hierarchy
	if linked {
		var err error
		if geo, err = NewHierarchy(paths); err != nil {
			tb.Fatal(err)
		}
	}
	spec := Spec[cell4]{K: 5, Subject: func(r cell4) string { return r.User }, Margins: true,
		Dimensions: []Dimension[cell4]{
			{Name: "district", Key: func(r cell4) string { return r.D[0] }, Hierarchy: geo},
			{Name: "age", Key: func(r cell4) string { return r.D[1] }},
			{Name: "lot", Key: func(r cell4) string { return r.D[3] }},
		}}
	a := mustAgg(tb, spec)
	users := max(rows/8, 1)
	people := make([][2]int, users)
	for u := range people {
		r := zipf(rng, 17)
		people[u] = [2]int{r*100 + zipf(rng, sizes[r]), zipf(rng, 6)}
	}
	for range rows {
		u := rng.IntN(users)
		a.Add(cell4{User: fmt.Sprint("u", u),
			D: [4]string{fmt.Sprintf("r%02d-d%02d", people[u][0]/100, people[u][0]%100), fmt.Sprint("a", people[u][1]), "", fmt.Sprint("l", zipf(rng, 8))}})
	}
	return a
}

// BenchmarkReleaseDistricts releases the 204 districts × 6 × 8 table of
// 200,000 bids flat (the baseline) and linked to the 17 regions.
func BenchmarkReleaseDistricts(b *testing.B) { benchLinked(b, districtPartner) }
