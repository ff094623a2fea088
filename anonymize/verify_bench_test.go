package anonymize

import (
	"fmt"
	"math/rand/v2"
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
