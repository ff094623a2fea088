package anonymize

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func randomBids(n int, seed uint64) []bid {
	rng := rand.New(rand.NewPCG(seed, 1))
	rows := make([]bid, n)
	for i := range rows {
		u := rng.IntN(120)
		rows[i] = bid{
			User:   fmt.Sprint("u", u),
			Region: fmt.Sprint("r", u%4),
			Age:    fmt.Sprint("a", rng.IntN(3)),
			Month:  fmt.Sprint("m", rng.IntN(3)),
			Amount: float64(rng.IntN(5000)) / 100,
		}
	}
	return rows
}

func mergeSpecs() map[string]Spec[bid] {
	plain := synthSpec(true)
	plain.K = 3
	plain.Measures[0].Decimals = 2
	dom := plain
	dom.Measures = []Measure[bid]{{Name: "amount", Value: plain.Measures[0].Value, Decimals: 2, Dominance: []NK{{1, 60}}, P: 15, Column: "amount"}}
	noMargins := plain
	noMargins.Margins = false
	// A dominance rule on one measure, and a second measure without rules
	// whose values are negative (column delta = -amount in pg_test).
	mixed := dom
	mixed.Measures = append(slices.Clip(dom.Measures), Measure[bid]{Name: "delta", Value: func(b bid) float64 { return -b.Amount }, Decimals: 2, Column: "delta"})
	return map[string]Spec[bid]{"margins": plain, "dominance": dom, "no margins": noMargins, "mixed measures": mixed}
}

func stripTime(t *Table) *Table {
	c := *t
	c.ReleasedAt = time.Time{}
	return &c
}

// onePass feeds rows to one aggregator and releases.
func onePass(t *testing.T, spec Spec[bid], rows []bid) (*Aggregator[bid], *Table) {
	t.Helper()
	one := mustAgg(t, spec)
	for _, r := range rows {
		one.Add(r)
	}
	tab, err := one.Release()
	require.NoError(t, err)
	return one, tab
}

func TestMergeEqualsOnePass(t *testing.T) {
	rows := randomBids(3000, 9)
	for name, spec := range mergeSpecs() {
		t.Run(name, func(t *testing.T) {
			one, want := onePass(t, spec, rows)

			// Three shards of a random partition, merged in another order.
			all := mustAgg(t, spec)
			shards := []*Aggregator[bid]{all.Fork(), all.Fork(), all.Fork()}
			rng := rand.New(rand.NewPCG(5, 5))
			for _, r := range rows {
				shards[rng.IntN(3)].Add(r)
			}
			for _, i := range []int{2, 0, 1} {
				require.NoError(t, all.Merge(shards[i]))
			}
			got, err := all.Release()
			require.NoError(t, err)
			assert.Equal(t, stripTime(want), stripTime(got))
			require.NoError(t, one.Verify(got))
		})
	}
}

func TestPartialStateRoundTrip(t *testing.T) {
	rows := randomBids(2000, 11)
	for name, spec := range mergeSpecs() {
		t.Run(name, func(t *testing.T) {
			spec.Key = bytes.Repeat([]byte{7}, KeySize) // workers in other processes share the key
			one := mustAgg(t, spec)
			coordinator := mustAgg(t, spec)
			for w := range 4 {
				worker := mustAgg(t, spec)
				for _, r := range rows[w*500 : (w+1)*500] {
					worker.Add(r)
					one.Add(r)
				}
				state, err := worker.MarshalBinary()
				require.NoError(t, err)
				received := mustAgg(t, spec)
				require.NoError(t, received.UnmarshalBinary(state))
				again, err := received.MarshalBinary()
				require.NoError(t, err)
				assert.Equal(t, state, again, "encoding is canonical")
				require.NoError(t, coordinator.Merge(received))
			}
			want, err := one.Release()
			require.NoError(t, err)
			got, err := coordinator.Release()
			require.NoError(t, err)
			assert.Equal(t, stripTime(want), stripTime(got))
		})
	}
}

func TestMergeRefusesIncompatible(t *testing.T) {
	s := bidSpec(3, true)
	a, b := mustAgg(t, s), mustAgg(t, s)
	assert.ErrorIs(t, a.Merge(b), ErrIncompatible, "independent random keys")
	assert.ErrorIs(t, a.Merge(a), ErrIncompatible)
	assert.ErrorIs(t, a.Merge(nil), ErrIncompatible)
	s2 := s
	s2.K = 4
	s.Key, s2.Key = make([]byte, KeySize), make([]byte, KeySize)
	a, c := mustAgg(t, s), mustAgg(t, s2)
	assert.ErrorIs(t, a.Merge(c), ErrIncompatible, "different k")
	state, err := c.MarshalBinary()
	require.NoError(t, err)
	assert.ErrorIs(t, a.UnmarshalBinary(state), ErrIncompatible)

	bad := a.Fork()
	bad.Add(bid{})
	assert.ErrorIs(t, a.Merge(bad), ErrRow)
	_, err = a.Release()
	assert.ErrorIs(t, err, ErrRow, "a merged row error is not forgotten")
}

func TestPartialStateRefusesTampering(t *testing.T) {
	s := bidSpec(3, true)
	s.Key = make([]byte, KeySize)
	s.Measures[0].Decimals = 2
	a := mustAgg(t, s)
	for _, r := range randomBids(200, 1) {
		a.Add(r)
	}
	state, err := a.MarshalBinary()
	require.NoError(t, err)
	for _, i := range []int{0, 9, 50, len(state) / 2, len(state) - 1} {
		forged := bytes.Clone(state)
		forged[i] ^= 1
		err := mustAgg(t, s).UnmarshalBinary(forged)
		assert.Error(t, err, "byte %d", i)
	}
	assert.ErrorIs(t, mustAgg(t, s).UnmarshalBinary(state[:20]), ErrPartial)
	assert.ErrorIs(t, mustAgg(t, s).UnmarshalBinary(append(bytes.Clone(state), 0)), ErrPartial)
}

func FuzzDecodePartial(f *testing.F) {
	for _, spec := range mergeSpecs() {
		for _, n := range []int{3, 12, 50} {
			a := mustAgg(f, spec)
			for _, r := range randomBids(n, 3) {
				a.Add(r)
			}
			state, err := a.MarshalBinary()
			require.NoError(f, err)
			f.Add(state[:len(state)-32])
		}
	}
	specs := mergeSpecs()
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) < len(partialMagic)+40 {
			return
		}
		for _, spec := range specs {
			a := mustAgg(t, spec)
			if err := a.decode(body); err != nil {
				require.ErrorIs(t, err, ErrPartial)
				continue
			}
			// A state that decodes keeps Add's invariants: it re-encodes,
			// decodes again to the same cells, merges, and (when small
			// enough for the fuzzer's pace) releases.
			state, err := a.MarshalBinary()
			require.NoError(t, err)
			b := a.Fork()
			require.NoError(t, b.UnmarshalBinary(state))
			want, got := a.raw(), b.raw()
			byKey := func(x, y rawCell) int { return compareKeys(x.key, y.key) }
			slices.SortFunc(want.cells, byKey)
			slices.SortFunc(got.cells, byKey)
			require.Equal(t, want, got)
			if err := b.Merge(a); err != nil {
				require.ErrorIs(t, err, ErrRow, "only a sum or count overflow may refuse it")
			}
			if len(a.cells) <= 30 {
				_, err := a.Release()
				require.NoError(t, err)
			}
		}
	})
}

func TestForkPerGoroutine(t *testing.T) {
	rows := randomBids(4000, 17)
	spec := mergeSpecs()["dominance"]
	_, want := onePass(t, spec, rows)

	all := mustAgg(t, spec)
	shards := make([]*Aggregator[bid], 4)
	done := make(chan int)
	for w := range shards {
		shards[w] = all.Fork()
		go func() {
			for i := w; i < len(rows); i += len(shards) {
				shards[w].Add(rows[i])
			}
			done <- w
		}()
	}
	for range shards {
		require.NoError(t, all.Merge(shards[<-done]))
	}
	got, err := all.Release()
	require.NoError(t, err)
	assert.Equal(t, stripTime(want), stripTime(got))
}

// Aggregators that differ only in a dimension's hierarchy (or in having
// one) must not merge: subtotal cells would be audited against the wrong
// equations.
func TestMergeRefusesDifferentHierarchies(t *testing.T) {
	key := make([]byte, KeySize)
	spec := func(h *Hierarchy) Spec[hrow] {
		s := hierSpec(3, h)
		s.Key = key
		return s
	}
	cases := map[string][2]*Hierarchy{
		"half-years against quarters": {halfYears(t), quarters(t)},
		"hierarchy against flat":      {halfYears(t), nil},
		"flat against hierarchy":      {nil, quarters(t)},
	}
	for name, hs := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := mustAgg(t, spec(hs[0])), mustAgg(t, spec(hs[1]))
			assert.ErrorIs(t, a.Merge(b), ErrIncompatible)
			state, err := b.MarshalBinary()
			require.NoError(t, err)
			assert.ErrorIs(t, a.UnmarshalBinary(state), ErrIncompatible)
		})
	}
	a, b := mustAgg(t, spec(quarters(t))), mustAgg(t, spec(quarters(t)))
	require.NoError(t, a.Merge(b), "the same hierarchy built twice merges")
	state, err := b.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, a.UnmarshalBinary(state))
}
