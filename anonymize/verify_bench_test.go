package anonymize

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// verifyInput is the table for the full audit: 2,000 bids of 100
// bidders over 20 regions × 6 age bands × 12 months, with margins, K=5.
// Most of its cells are small, so most are suppressed and the reader's
// program couples hundreds of them.
func verifyInput(tb testing.TB, seed uint64) *Aggregator[bid] {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 2000))
	a := mustAgg(tb, synthSpec(true))
	type person struct{ region, age int }
	people := make([]person, 100)
	for i := range people {
		people[i] = person{zipf(rng, 20), min(5, rng.IntN(4)+rng.IntN(3))}
	}
	for range 2000 {
		u := rng.IntN(len(people))
		p := people[u]
		if rng.IntN(2) == 0 { // half the bids elsewhere: a bidder travels
			p = person{zipf(rng, 20), rng.IntN(6)}
		}
		a.Add(bid{User: fmt.Sprint("u", u), Region: fmt.Sprint("r", p.region), Age: fmt.Sprint("a", p.age),
			Month: fmt.Sprint("m", rng.IntN(12)), Amount: float64(100 + rng.IntN(10_000))})
	}
	return a
}

// BenchmarkVerifyJoint is Verify on that table: the reader's full
// program over every connected group of suppressed cells.
func BenchmarkVerifyJoint(b *testing.B) {
	a := verifyInput(b, 1)
	t, err := a.Release()
	if err != nil {
		b.Fatal(err)
	}
	hidden := 0
	for _, c := range t.Cells {
		if c.Suppressed {
			hidden++
		}
	}
	for b.Loop() {
		if err := Verify(t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(t.Cells)), "cells")
	b.ReportMetric(float64(hidden), "suppressed")
}

// BenchmarkVerifyJointRelease is the baseline beside it: Release of the
// same table (which proves its levels locally).
func BenchmarkVerifyJointRelease(b *testing.B) {
	a := verifyInput(b, 1)
	for b.Loop() {
		if _, err := a.Release(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExposedMatchesFullBounds checks the audit's shortcuts (feasible
// points, warm starts, solves stopped once a cell is settled) against the
// plain rule on the reader's optimum: every suppressed cell's least and
// greatest value solved to the end from a fresh program, pinned when they
// meet, exposed when the greatest is below K. Random tables with margins
// and random suppressions, many of them exposed.
func TestExposedMatchesFullBounds(t *testing.T) {
	shapes := [][]int{{4, 3}, {5, 4}, {3, 3, 3}, {2, 3, 2, 2}, {6, 5}}
	exposedSeen, cellsSeen := 0, 0
	for trial := range 60 {
		rng := rand.New(rand.NewPCG(uint64(trial), 4242))
		keys := fullKeys(shapes[trial%len(shapes)])
		s, err := newSystem(keys, true)
		if err != nil {
			t.Fatal(err)
		}
		kn := &knowledge{k: int64(3 + rng.IntN(4)), rows: consistentRows(rng, keys, 1, 12)}
		if trial%2 == 1 { // a sum with a floor of 2 per row, coupled to the rows
			kn.sums, kn.floors = [][]int64{flooredSums(rng, keys, kn.rows, 2)}, []int64{2}
		}
		reasons := make([]Reason, len(keys))
		density := 0.15 + 0.5*rng.Float64()
		for i := range reasons {
			if rng.Float64() < density {
				reasons[i] = Threshold
			}
		}
		got, err := s.exposed(reasons, kn, len(reasons))
		if err != nil {
			t.Fatal(err)
		}
		var want []int32
		for i, r := range reasons {
			if r == NotSuppressed {
				continue
			}
			cellsSeen++
			for q, unit := range append([]int64{1}, kn.floors...) {
				att := attackerOf(s, reasons, kn) // a fresh program per cell: no shortcut carries over
				p, err := att.program(int32(i), q)
				if err != nil {
					t.Fatal(err)
				}
				lo, hi, err := att.bounds(int32(i), q)
				if err != nil {
					t.Fatal(err)
				}
				m := lpMargin * p.scale[q]
				if hi-lo <= m || hi < float64(kn.k*unit)-m {
					want = append(want, int32(i))
					break
				}
			}
		}
		exposedSeen += len(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("trial %d: exposed %v, the full bounds say %v", trial, got, want)
		}
	}
	t.Logf("%d suppressed cells, %d exposed, all verdicts equal", cellsSeen, exposedSeen)
	if exposedSeen == 0 {
		t.Fatal("no exposed cell: the test cannot fail")
	}
}

// flooredSums gives every interior cell of keys a sum of at least floor
// per row (rows from consistentRows) and every margin the sum of its
// interior cells.
func flooredSums(rng *rand.Rand, keys [][]string, rows []int64, floor int64) []int64 {
	index := map[string]int{}
	for i, k := range keys {
		index[joinKey(k)] = i
	}
	sums := make([]int64, len(keys))
	for i, k := range keys {
		if slices.Contains(k, Total) {
			continue
		}
		v := floor*rows[i] + int64(rng.IntN(20))
		for mask := range 1 << len(k) {
			m := slices.Clone(k)
			for d := range m {
				if mask&(1<<d) != 0 {
					m[d] = Total
				}
			}
			sums[index[joinKey(m)]] += v
		}
	}
	return sums
}
