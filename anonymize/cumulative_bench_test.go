package anonymize

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// This file measures a year of monthly cumulative reports (issue 14 item
// 4): the table partners get every month, region × age band (17 × 6 with
// margins, K = 5), bid counts and a p%-ruled sum, each month released
// with ReleaseAfter against every earlier month of the same population.

// yearOfBids returns twelve months of about perMonth bids each from one
// skewed population (regions fall off as 1/rank, age bands Zipf-like by a
// shuffled rank, amounts log-normal), as partnerTable draws them.
func yearOfBids(perMonth int, seed uint64) [12][]cell4 {
	rng := rand.New(rand.NewPCG(seed, 0xca1e))
	users := perMonth * 3 / 2
	type person struct{ region, age int }
	ageRank := []int{2, 1, 3, 0, 4, 5} // 25–34 most, then 18–24, 35–44, …
	people := make([]person, users)
	for u := range people {
		people[u] = person{zipf(rng, 17), ageRank[zipf(rng, 6)]}
	}
	var year [12][]cell4
	for m := range year {
		n := perMonth + rng.IntN(perMonth/5) - perMonth/10
		for range n {
			u := rng.IntN(users)
			year[m] = append(year[m], cell4{User: fmt.Sprint("u", u),
				D:      [4]string{fmt.Sprint("r", people[u].region), fmt.Sprint("a", people[u].age)},
				Amount: math.Round(math.Exp(8 + 1.5*rng.NormFloat64()))})
		}
	}
	return year
}

// monthlySpec is the 17 × 6 table: counts and a p%-ruled sum.
func monthlySpec() Spec[cell4] {
	return Spec[cell4]{K: 5, Subject: func(r cell4) string { return r.User }, Margins: true,
		Dimensions: []Dimension[cell4]{
			{Name: "region", Key: func(r cell4) string { return r.D[0] }},
			{Name: "age", Key: func(r cell4) string { return r.D[1] }}},
		Measures: []Measure[cell4]{{Name: "amount", Value: func(r cell4) float64 { return r.Amount }, P: 10}}}
}

// monthStat is what one monthly release cost.
type monthStat struct {
	took       time.Duration
	suppressed int // cells, margins included
	cells      int
	alloc      uint64 // bytes allocated by the release
}

// releaseYear releases months cumulative tables (January, January +
// February, …) through one MemoryHistory and returns each month's cost;
// it stops at the first error.
func releaseYear(tb testing.TB, year [12][]cell4, months int) ([]monthStat, error) {
	tb.Helper()
	ctx := context.Background()
	h := NewMemoryHistory()
	all := mustAgg(tb, monthlySpec())
	var stats []monthStat
	for m := range months {
		added := mustAgg(tb, monthlySpec())
		for _, r := range year[m] {
			all.Add(r)
			added.Add(r)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		t, err := all.ReleaseAfter(ctx, h, added)
		if err != nil {
			return stats, fmt.Errorf("month %d: %w", m+1, err)
		}
		st := monthStat{took: time.Since(start), cells: len(t.Cells)}
		runtime.ReadMemStats(&after)
		st.alloc = after.TotalAlloc - before.TotalAlloc
		for _, c := range t.Cells {
			if c.Suppressed {
				st.suppressed++
			}
		}
		stats = append(stats, st)
		tb.Logf("month %2d: %6.2f s, %3d of %d cells suppressed (%.1f%%), %.0f MB allocated", m+1, st.took.Seconds(), st.suppressed, st.cells,
			100*float64(st.suppressed)/float64(st.cells), float64(st.alloc)/1e6)
	}
	return stats, nil
}

// TestLongYearOfMonthlyReleases releases twelve monthly cumulative
// reports of the 17 × 6 table and logs each month's time and cells
// suppressed; every month must be released (audited) or the test fails.
// COMPLIANCE_LONG=1 only: minutes on the shared machine.
//
//	COMPLIANCE_LONG=1 go test -count=1 -run TestLongYearOfMonthlyReleases -v ./anonymize/
func TestLongYearOfMonthlyReleases(t *testing.T) {
	if os.Getenv("COMPLIANCE_LONG") == "" {
		t.Skip("COMPLIANCE_LONG=1 runs a year of monthly releases")
	}
	stats, err := releaseYear(t, yearOfBids(2000, 14), 12)
	var total time.Duration
	for _, st := range stats {
		total += st.took
	}
	t.Logf("%d months in %.1f s", len(stats), total.Seconds())
	require.NoError(t, err)
	require.Len(t, stats, 12)
}

// BenchmarkReleaseYear releases the first three months of the year (the
// long test above runs all twelve) and reports the third month's share of
// cells suppressed.
//
//	go test -run XXX -bench BenchmarkReleaseYear -benchtime 1x -count 2 ./anonymize/
func BenchmarkReleaseYear(b *testing.B) {
	year := yearOfBids(2000, 14)
	var stats []monthStat
	for b.Loop() {
		var err error
		stats, err = releaseYear(b, year, 3)
		require.NoError(b, err)
	}
	last := stats[len(stats)-1]
	b.ReportMetric(100*float64(last.suppressed)/float64(last.cells), "%cells-month3")
	b.ReportMetric(last.took.Seconds(), "s-month3")
}
