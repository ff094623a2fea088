package anonymize

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// synth generates synthetic bids deterministically: bidders live in one of
// 20 regions (skewed sizes, as Almaty and Astana dwarf Ulytau), belong to
// one of 7 age bands and bid in any of 36 months, with amounts spread over
// four orders of magnitude. 20×7×36 = 5,040 interior cells.
type synth struct {
	rng     *rand.Rand
	users   []string
	region  []uint8
	age     []uint8
	regions []string
	ages    []string
	months  []string
}

func newSynth(users int, seed uint64) *synth {
	s := &synth{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for i := range 20 {
		s.regions = append(s.regions, fmt.Sprintf("KZ-%02d", i))
	}
	s.ages = []string{"18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"}
	for m := range 36 {
		s.months = append(s.months, fmt.Sprintf("%d-%02d", 2023+m/12, m%12+1))
	}
	for i := range users {
		s.users = append(s.users, "user-"+strconv.Itoa(i))
		// Region i has weight ~ 1/(i+1): a few big regions, a long tail.
		r := int(20 * s.rng.Float64() * s.rng.Float64() * s.rng.Float64())
		s.region = append(s.region, uint8(r))
		s.age = append(s.age, uint8(min(6, s.rng.IntN(4)+s.rng.IntN(4))))
	}
	return s
}

func (s *synth) next() bid {
	u := s.rng.IntN(len(s.users))
	return bid{
		User:   s.users[u],
		Region: s.regions[s.region[u]],
		Age:    s.ages[s.age[u]],
		Month:  s.months[s.rng.IntN(len(s.months))],
		Amount: float64(1000 + s.rng.IntN(1000)*s.rng.IntN(300)),
	}
}

func synthSpec(margins bool) Spec[bid] {
	s := bidSpec(5, margins)
	s.Dimensions = append(s.Dimensions, Dimension[bid]{Name: "month", Key: func(b bid) string { return b.Month }, Column: "month"})
	return s
}

// naive is the baseline: one set of subjects per cell.
type naive map[[3]string]map[string]struct{}

func (n naive) add(b bid, margins bool) {
	key := [3]string{b.Region, b.Age, b.Month}
	masks := 1
	if margins {
		masks = 8
	}
	for mask := range masks {
		k := key
		for i := range 3 {
			if mask&(1<<i) != 0 {
				k[i] = Total
			}
		}
		set := n[k]
		if set == nil {
			set = map[string]struct{}{}
			n[k] = set
		}
		set[b.User] = struct{}{}
	}
}

// benchRows is the number of rows of one benchmark iteration. Each
// iteration feeds the same pre-generated rows (500,000 bids of 100,000
// bidders) to a fresh aggregator or a fresh naive map, so that both grow
// their sets from empty and neither pays for the generator.
const benchRows = 500_000

var benchData = sync.OnceValue(func() []bid {
	s := newSynth(100_000, 1)
	rows := make([]bid, benchRows)
	for i := range rows {
		rows[i] = s.next()
	}
	return rows
})

func benchmarkAdd(b *testing.B, margins bool) {
	rows := benchData()
	spec := synthSpec(margins)
	for b.Loop() {
		a := mustAgg(b, spec)
		for _, r := range rows {
			a.Add(r)
		}
		if a.Err() != nil {
			b.Fatal(a.Err())
		}
	}
	b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
}

func benchmarkNaive(b *testing.B, margins bool) {
	rows := benchData()
	for b.Loop() {
		n := naive{}
		for _, r := range rows {
			n.add(r, margins)
		}
	}
	b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkAdd(b *testing.B)             { benchmarkAdd(b, false) }
func BenchmarkAddNaive(b *testing.B)        { benchmarkNaive(b, false) }
func BenchmarkAddMargins(b *testing.B)      { benchmarkAdd(b, true) }
func BenchmarkAddMarginsNaive(b *testing.B) { benchmarkNaive(b, true) }

// releaseInput builds the ~5,000-cell synthetic table with margins.
func releaseInput(tb testing.TB, rows int, dominance bool) *Aggregator[bid] {
	s := newSynth(40_000, 2)
	spec := synthSpec(true)
	if dominance {
		spec.Measures[0].Dominance = []NK{{N: 1, K: 75}}
		spec.Measures[0].P = 10
	}
	a := mustAgg(tb, spec)
	for range rows {
		a.Add(s.next())
	}
	return a
}

func BenchmarkRelease(b *testing.B) { benchmarkRelease(b, false) }

// BenchmarkReleaseDominance adds a (1,75) and a p=10% rule to the amount.
func BenchmarkReleaseDominance(b *testing.B) { benchmarkRelease(b, true) }

func benchmarkRelease(b *testing.B, dominance bool) {
	a := releaseInput(b, 400_000, dominance)
	var t *Table
	for b.Loop() {
		var err error
		if t, err = a.Release(); err != nil {
			b.Fatal(err)
		}
	}
	reportSuppression(b, t)
}

func reportSuppression(b *testing.B, t *Table) {
	n := t.Suppressed()
	b.ReportMetric(float64(len(t.Cells)), "cells")
	b.ReportMetric(100*float64(n[Threshold])/float64(len(t.Cells)), "%threshold")
	b.ReportMetric(100*float64(n[Dominance])/float64(len(t.Cells)), "%dominance")
	b.ReportMetric(100*float64(n[Secondary])/float64(len(t.Cells)), "%secondary")
}

// TestLongTenMillionRows measures rows/s and peak heap of the aggregator
// and of the naive baseline on 10 million synthetic bids (3 dimensions, one
// sum, K=5, no margins and with margins). Run with COMPLIANCE_LONG=1 -v.
func TestLongTenMillionRows(t *testing.T) {
	if os.Getenv("COMPLIANCE_LONG") == "" {
		t.Skip("set COMPLIANCE_LONG=1 to run")
	}
	const total, chunk = 10_000_000, 1_000_000
	for _, margins := range []bool{false, true} {
		// run feeds the same 10 million rows (1,000,000 bidders) to add,
		// generating them a chunk at a time outside the timed section.
		run := func(name string, add func(bid)) {
			s := newSynth(1_000_000, 3)
			buf := make([]bid, chunk)
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base, peak := ms.HeapAlloc, ms.HeapAlloc
			var el time.Duration
			for range total / chunk {
				for i := range buf {
					buf[i] = s.next()
				}
				start := time.Now()
				for _, r := range buf {
					add(r)
				}
				el += time.Since(start)
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			t.Logf("margins=%v %-10s %6.2f s, %5.2f Mrows/s  peak heap %6.1f MiB (above the generator and a %d-row buffer)",
				margins, name, el.Seconds(), total/el.Seconds()/1e6, float64(peak-base)/(1<<20), chunk)
		}
		a := mustAgg(t, synthSpec(margins))
		run("aggregator", a.Add)
		tab, err := a.Release()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("cells %d, suppressed %v", len(tab.Cells), tab.Suppressed())
		a = nil
		n := naive{}
		run("naive", func(b bid) { n.add(b, margins) })
		t.Logf("naive cells %d", len(n))
		n = nil
		_, _ = a, n
	}
}

// BenchmarkFingerprint is the raw primitive beside Add's hot path: one keyed
// HMAC-SHA256 of a subject. Add pays it at most once per row, and only while
// one of the row's cells holds fewer than K fingerprints; the naive baseline
// never pays it (it keeps raw subject ids, the thing this package avoids).
func BenchmarkFingerprint(b *testing.B) {
	a := mustAgg(b, synthSpec(false))
	var x uint64
	for b.Loop() {
		x += a.fingerprint("user-123456")
	}
	_ = x
}
