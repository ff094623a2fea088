package anonymize

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullKeys returns every key of a table with margins over the given
// cardinalities.
func fullKeys(card []int) [][]string {
	keys := [][]string{{}}
	for _, n := range card {
		var next [][]string
		for _, k := range keys {
			for v := range n + 1 {
				val := Total
				if v < n {
					val = fmt.Sprint("v", v)
				}
				next = append(next, append(slices.Clone(k), val))
			}
		}
		keys = next
	}
	return keys
}

// referenceDetermined decides derivability independently of the
// eliminator: dense Gaussian elimination with big.Rat, comparing the rank
// of A_S with the rank of A_S plus the unit row of each suppressed cell.
func referenceDetermined(s *system, reasons []Reason) []int32 {
	var cols []int32
	colOf := map[int32]int{}
	for i, r := range reasons {
		if r != NotSuppressed {
			colOf[int32(i)] = len(cols)
			cols = append(cols, int32(i))
		}
	}
	var a [][]*big.Rat
	for _, con := range s.cons {
		r := make([]*big.Rat, len(cols))
		for i := range r {
			r[i] = new(big.Rat)
		}
		nz := false
		for i, x := range con {
			if c, ok := colOf[x]; ok {
				v := int64(-1)
				if i == 0 {
					v = 1
				}
				r[c].SetInt64(v)
				nz = true
			}
		}
		if nz {
			a = append(a, r)
		}
	}
	basis, pivots := rref(a, len(cols))
	var det []int32
	for c, cell := range cols {
		// Reduce the unit vector e_c by the basis: it lies in the row space
		// iff nothing is left.
		e := make([]*big.Rat, len(cols))
		for i := range e {
			e[i] = new(big.Rat)
		}
		e[c].SetInt64(1)
		for i, r := range basis {
			f := new(big.Rat).Set(e[pivots[i]])
			if f.Sign() == 0 {
				continue
			}
			for j := range e {
				e[j].Sub(e[j], new(big.Rat).Mul(f, r[j]))
			}
		}
		zero := true
		for _, v := range e {
			zero = zero && v.Sign() == 0
		}
		if zero {
			det = append(det, cell)
		}
	}
	return det
}

// rref returns the non-zero rows of the reduced row echelon form of rows
// (pivots scaled to 1) and their pivot columns.
func rref(rows [][]*big.Rat, n int) ([][]*big.Rat, []int) {
	m := rows
	var pivots []int
	rk := 0
	for c := 0; c < n && rk < len(m); c++ {
		p := -1
		for i := rk; i < len(m); i++ {
			if m[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[rk], m[p] = m[p], m[rk]
		inv := new(big.Rat).Inv(m[rk][c])
		for j := c; j < n; j++ {
			m[rk][j].Mul(m[rk][j], inv)
		}
		for i := range m {
			if i == rk || m[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(m[i][c])
			for j := c; j < n; j++ {
				m[i][j].Sub(m[i][j], new(big.Rat).Mul(f, m[rk][j]))
			}
		}
		pivots = append(pivots, c)
		rk++
	}
	return m[:rk], pivots
}

func TestAuditMatchesRationalReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	shapes := [][]int{{4}, {3, 3}, {4, 3}, {2, 3, 3}, {3, 2, 2, 2}}
	for trial := range 150 {
		card := shapes[trial%len(shapes)]
		keys := fullKeys(card)
		s, err := newSystem(keys, true)
		require.NoError(t, err)
		reasons := make([]Reason, len(keys))
		density := 0.1 + 0.5*rng.Float64()
		for i := range reasons {
			if rng.Float64() < density {
				reasons[i] = Threshold
			}
		}
		got, err := s.audit(reasons)
		require.NoError(t, err)
		want := referenceDetermined(s, reasons)
		require.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "trial %d shape %v", trial, card)
	}
}

func TestAuditFindsClassicPatterns(t *testing.T) {
	keys := fullKeys([]int{3, 3}) // 4x4 with margins
	s, err := newSystem(keys, true)
	require.NoError(t, err)
	at := func(i, j int) int { return i*4 + j }

	// One suppressed interior cell: its row total gives it away.
	reasons := make([]Reason, len(keys))
	reasons[at(0, 0)] = Threshold
	det, err := s.audit(reasons)
	require.NoError(t, err)
	assert.Equal(t, []int32{int32(at(0, 0))}, det)

	// A rectangle of four interior cells is the classic safe pattern.
	reasons[at(0, 1)], reasons[at(1, 0)], reasons[at(1, 1)] = Secondary, Secondary, Secondary
	det, err = s.audit(reasons)
	require.NoError(t, err)
	assert.Empty(t, det)

	// An L of three: each corner is determined.
	reasons[at(1, 1)] = NotSuppressed
	det, err = s.audit(reasons)
	require.NoError(t, err)
	assert.NotEmpty(t, det)
}

// consistentRows gives every interior cell of keys (from fullKeys) a random
// row count in [lo, hi) and every margin the sum of its interior cells.
func consistentRows(rng *rand.Rand, keys [][]string, lo, hi int) []int64 {
	index := map[string]int{}
	for i, k := range keys {
		index[joinKey(k)] = i
	}
	rows := make([]int64, len(keys))
	for _, k := range keys {
		if slices.Contains(k, Total) {
			continue
		}
		v := int64(lo + rng.IntN(hi-lo))
		for mask := range 1 << len(k) {
			m := slices.Clone(k)
			for d := range m {
				if mask&(1<<d) != 0 {
					m[d] = Total
				}
			}
			rows[index[joinKey(m)]] += v
		}
	}
	return rows
}

func TestProtectLeavesNothingDerivable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 60 {
		card := [][]int{{5, 4}, {3, 3, 3}, {6}, {2, 2, 2, 2}}[trial%4]
		keys := fullKeys(card)
		s, err := newSystem(keys, true)
		require.NoError(t, err)
		reasons := make([]Reason, len(keys))
		kn := &knowledge{k: 5, rows: consistentRows(rng, keys, 1, 100)}
		primary := 0
		for i := range reasons {
			if rng.Float64() < 0.15 {
				reasons[i] = Threshold
				primary++
			}
		}
		before := slices.Clone(reasons)
		require.NoError(t, s.protect(reasons, nil, kn, newWitness(keys, kn)))
		assert.Empty(t, referenceDetermined(s, reasons), "trial %d", trial)
		exp, err := s.exposed(reasons, kn, len(reasons))
		require.NoError(t, err)
		assert.Empty(t, exp, "trial %d: a suppressed cell is exposed", trial)
		for i := range before {
			if before[i] != NotSuppressed {
				assert.Equal(t, before[i], reasons[i], "primary reasons are kept")
			}
		}
		if primary == 0 {
			assert.Equal(t, before, reasons, "nothing to protect, nothing suppressed")
		}
	}
}

func TestSecondaryPrefersSmallCells(t *testing.T) {
	// Region x age with margins; r0/a0 has one bidder. The cheapest
	// protection is the rectangle through the smallest neighbours.
	a := mustAgg(t, bidSpec(3, true))
	add := func(region, age string, subjects, bidsEach int) {
		for i := range subjects {
			for range bidsEach {
				a.Add(bid{User: fmt.Sprint(region, age, i), Region: region, Age: age, Amount: 10})
			}
		}
	}
	add("r0", "a0", 1, 1)
	add("r0", "a1", 3, 1) // small
	add("r0", "a2", 50, 1)
	add("r1", "a0", 4, 1) // small
	add("r1", "a1", 5, 1) // small
	add("r1", "a2", 50, 1)
	add("r2", "a0", 50, 1)
	add("r2", "a1", 50, 1)
	add("r2", "a2", 50, 1)
	tab, err := a.Release()
	require.NoError(t, err)
	var secondary [][]string
	for _, c := range tab.Cells {
		if tab.Reason(c.Key) == Secondary {
			secondary = append(secondary, c.Key)
		}
	}
	assert.Equal(t, [][]string{{"r0", "a1"}, {"r1", "a0"}, {"r1", "a1"}}, secondary)
	assert.Equal(t, Threshold, tab.Reason([]string{"r0", "a0"}))
	require.NoError(t, Verify(tab))
}

func TestNewSystemRefusesMissingMargin(t *testing.T) {
	_, err := newSystem([][]string{{"a", "b"}, {"a", Total}}, true)
	assert.ErrorIs(t, err, ErrDisclosive)
	_, err = newSystem([][]string{{"a"}, {"a"}}, true)
	assert.ErrorIs(t, err, ErrDisclosive)
}

func TestCheckedArithmetic(t *testing.T) {
	_, ok := mul(1<<62, 2)
	assert.False(t, ok)
	v, ok := mul(-(1 << 31), 1<<31)
	assert.True(t, ok)
	assert.Equal(t, int64(-(1 << 62)), v)
	_, ok = sub(math.MinInt64+1, 1)
	assert.False(t, ok, "MinInt64 is refused so that abs never overflows")
	_, ok = sub(math.MaxInt64, -1)
	assert.False(t, ok)
	r, err := combine(row{cols: []int32{1, 2}, vals: []int64{1 << 40, 1}}, row{cols: []int32{1, 2}, vals: []int64{3, 1 << 40}}, 1)
	assert.ErrorIs(t, err, errAuditOverflow)
	assert.Empty(t, r.cols)
	r, err = combine(row{cols: []int32{1, 2}, vals: []int64{2, 4}}, row{cols: []int32{1, 3}, vals: []int64{1, 1}}, 1)
	require.NoError(t, err)
	assert.Equal(t, row{cols: []int32{2, 3}, vals: []int64{2, -1}}, r, "r - 2p, divided by the gcd 2")
}
