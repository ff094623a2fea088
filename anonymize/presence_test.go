package anonymize

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks the presence rule against what a reader can actually
// infer: for every suppressed cell, the least and greatest row count that
// the published cells, the margin equations and "every listed cell has at
// least one row" allow, computed exactly by linear programming over the
// rationals (a dense two-phase simplex with Bland's rule, independent of
// the audit's eliminator).

// readerBounds returns, for every suppressed cell of tab, the least and
// greatest number of rows a reader can infer (hi nil: unbounded).
func readerBounds(t *testing.T, tab *Table) map[int][2]*big.Rat {
	t.Helper()
	return readerValueBounds(t, tab, func(c Cell) *big.Rat { return big.NewRat(int64(c.Rows), 1) }, 1)
}

// readerValueBounds returns, for every suppressed cell of tab, the least
// and greatest value that a reader can infer of the quantity val (rows, or
// a sum), knowing every suppressed value is at least least.
func readerValueBounds(t *testing.T, tab *Table, val func(Cell) *big.Rat, least int64) map[int][2]*big.Rat {
	t.Helper()
	return readerValueBoundsAt(t, tab, val, func(int) int64 { return least })
}

// readerValueBoundsAt is readerValueBounds with a lower bound per cell.
func readerValueBoundsAt(t *testing.T, tab *Table, val func(Cell) *big.Rat, leastOf func(int) int64) map[int][2]*big.Rat {
	t.Helper()
	cons := tableEquations(t, tab)
	var cols []int
	colOf := map[int32]int{}
	for i, c := range tab.Cells {
		if c.Suppressed {
			colOf[int32(i)] = len(cols)
			cols = append(cols, i)
		}
	}
	// Rows of A y = b for y = x − 1 >= 0, x the suppressed rows.
	var a [][]*big.Rat
	var b []*big.Rat
	for _, con := range cons {
		r := make([]*big.Rat, len(cols))
		for i := range r {
			r[i] = new(big.Rat)
		}
		rhs, nz := new(big.Rat), false
		for i, x := range con {
			v := int64(-1)
			if i == 0 {
				v = 1
			}
			if c, ok := colOf[x]; ok {
				r[c].SetInt64(v)
				rhs.Sub(rhs, big.NewRat(v*leastOf(int(x)), 1)) // the shift x = y + least
				nz = true
			} else {
				rhs.Sub(rhs, new(big.Rat).Mul(big.NewRat(v, 1), val(tab.Cells[x])))
			}
		}
		if nz {
			a, b = append(a, r), append(b, rhs)
		}
	}
	out := map[int][2]*big.Rat{}
	if len(cols) == 0 {
		return out
	}
	lp := newLP(a, b, len(cols))
	for c, cell := range cols {
		one := big.NewRat(leastOf(cell), 1)
		obj := make([]*big.Rat, len(cols))
		for i := range obj {
			obj[i] = new(big.Rat)
		}
		obj[c].SetInt64(1)
		hi, bounded := lp.max(obj)
		obj[c].SetInt64(-1)
		lo, _ := lp.max(obj)
		lo.Neg(lo).Add(lo, one)
		if bounded {
			hi.Add(hi, one)
		} else {
			hi = nil
		}
		out[cell] = [2]*big.Rat{lo, hi}
	}
	return out
}

// tableEquations returns the equations a reader of tab holds, each as the
// parent cell followed by its children: a margin and its children along
// one dimension, or a subtotal and its children (Table.Parents). It is
// built here from the keys alone, independently of the package's system.
func tableEquations(t *testing.T, tab *Table) [][]int32 {
	t.Helper()
	index := map[string]int32{}
	for i, c := range tab.Cells {
		index[fmt.Sprint(c.Key)] = int32(i)
	}
	parent := func(d int, v string) string {
		if p, ok := tab.Parents[tab.Dimensions[d]][v]; ok {
			return p
		}
		return Total
	}
	type eqKey struct{ parent, dim int32 }
	eqs := map[eqKey]int{}
	var out [][]int32
	for i, c := range tab.Cells {
		for d, v := range c.Key {
			if v == Total {
				continue
			}
			pk := slices.Clone(c.Key)
			pk[d] = parent(d, v)
			p, ok := index[fmt.Sprint(pk)]
			require.True(t, ok, "margin or subtotal of %v missing", c.Key)
			ek := eqKey{p, int32(d)}
			e, seen := eqs[ek]
			if !seen {
				e = len(out)
				eqs[ek] = e
				out = append(out, []int32{p})
			}
			out[e] = append(out[e], int32(i))
		}
	}
	return out
}

// lp is a feasible basis of A y = b, y >= 0, in a dense tableau (the last
// column is the right-hand side).
type lp struct {
	tab   [][]*big.Rat
	basis []int
	n     int
}

// newLP finds a feasible basis by phase 1 (artificial variables, then
// dropped) with Bland's rule; A y = b must be feasible.
func newLP(a [][]*big.Rat, b []*big.Rat, n int) *lp {
	m := len(a)
	l := &lp{n: n, basis: make([]int, m)}
	for i := range m {
		r := make([]*big.Rat, n+m+1)
		for j := range r {
			r[j] = new(big.Rat)
		}
		for j := range n {
			r[j].Set(a[i][j])
		}
		r[n+i].SetInt64(1)
		r[n+m].Set(b[i])
		if b[i].Sign() < 0 {
			for j := range n {
				r[j].Neg(r[j])
			}
			r[n+m].Neg(r[n+m])
		}
		l.tab, l.basis[i] = append(l.tab, r), n+i
	}
	cost := make([]*big.Rat, n+m)
	for j := range cost {
		cost[j] = new(big.Rat)
		if j >= n {
			cost[j].SetInt64(1)
		}
	}
	l.minimise(cost, n+m)
	l.dropArtificials()
	return l
}

// dropArtificials pivots basic artificials (at zero) out, or drops their
// rows, then removes the artificial columns.
func (l *lp) dropArtificials() {
	for i := 0; i < len(l.tab); i++ {
		if l.basis[i] < l.n {
			continue
		}
		j := slices.IndexFunc(l.tab[i][:l.n], func(v *big.Rat) bool { return v.Sign() != 0 })
		if j < 0 {
			l.tab, l.basis = slices.Delete(l.tab, i, i+1), slices.Delete(l.basis, i, i+1)
			i--
			continue
		}
		l.pivot(i, j, nil)
	}
	for i, r := range l.tab {
		l.tab[i] = append(r[:l.n], r[len(r)-1])
	}
}

// max returns the maximum of obj·y from a copy of the basis, and false
// when it is unbounded.
func (l *lp) max(obj []*big.Rat) (*big.Rat, bool) {
	c := &lp{n: l.n, basis: slices.Clone(l.basis)}
	for _, r := range l.tab {
		cr := make([]*big.Rat, len(r))
		for j := range r {
			cr[j] = new(big.Rat).Set(r[j])
		}
		c.tab = append(c.tab, cr)
	}
	cost := make([]*big.Rat, l.n)
	for j := range cost {
		cost[j] = new(big.Rat).Neg(obj[j])
	}
	if !c.minimise(cost, l.n) {
		return nil, false
	}
	v := new(big.Rat)
	for i, bv := range c.basis {
		v.Add(v, new(big.Rat).Mul(obj[bv], c.tab[i][len(c.tab[i])-1]))
	}
	return v, true
}

// minimise minimises cost over the first cols columns with Bland's rule,
// keeping the reduced costs as a row pivoted with the tableau; it returns
// false when the minimum is unbounded.
func (l *lp) minimise(cost []*big.Rat, cols int) bool {
	rc := make([]*big.Rat, len(cost)+1)
	for j := range rc {
		rc[j] = new(big.Rat)
		if j < len(cost) {
			rc[j].Set(cost[j])
		}
		for i, bv := range l.basis {
			rc[j].Sub(rc[j], new(big.Rat).Mul(cost[bv], l.tab[i][j]))
		}
	}
	for {
		enter := slices.IndexFunc(rc[:cols], func(v *big.Rat) bool { return v.Sign() < 0 })
		if enter < 0 {
			return true
		}
		leave := -1
		var best *big.Rat
		for i, r := range l.tab {
			if r[enter].Sign() <= 0 {
				continue
			}
			q := new(big.Rat).Quo(r[len(r)-1], r[enter])
			if leave < 0 || q.Cmp(best) < 0 || (q.Cmp(best) == 0 && l.basis[i] < l.basis[leave]) {
				leave, best = i, q
			}
		}
		if leave < 0 {
			return false
		}
		l.pivot(leave, enter, rc)
	}
}

// pivot makes column c basic in row r, updating the reduced costs rc too.
func (l *lp) pivot(r, c int, rc []*big.Rat) {
	inv := new(big.Rat).Inv(l.tab[r][c])
	for j := range l.tab[r] {
		l.tab[r][j].Mul(l.tab[r][j], inv)
	}
	rows := l.tab
	if rc != nil {
		rows = append(slices.Clone(rows), rc)
	}
	for i, row := range rows {
		if i == r || row[c].Sign() == 0 {
			continue
		}
		f := new(big.Rat).Set(row[c])
		for j := range row {
			if l.tab[r][j].Sign() != 0 {
				row[j].Sub(row[j], new(big.Rat).Mul(f, l.tab[r][j]))
			}
		}
	}
	l.basis[r] = c
}

// assertReaderCannotBound fails when a reader can pin a suppressed cell's
// row count, or show that it is below K.
func assertReaderCannotBound(t *testing.T, tab *Table, msg string) {
	t.Helper()
	k := big.NewRat(int64(tab.K), 1)
	for cell, lh := range readerBounds(t, tab) {
		lo, hi := lh[0], lh[1]
		if hi == nil {
			continue
		}
		assert.True(t, hi.Cmp(k) >= 0, "%s: cell %v has at most %v rows, below k=%d", msg, tab.Cells[cell].Key, hi, tab.K)
		assert.True(t, lo.Cmp(hi) < 0, "%s: cell %v is pinned at %v rows", msg, tab.Cells[cell].Key, hi)
	}
}

func TestSimplexReference(t *testing.T) {
	// x0 + x1 = 6, x1 + x2 = 4 (as y = x−1: y0+y1 = 4, y1+y2 = 2).
	r := func(v int64) *big.Rat { return big.NewRat(v, 1) }
	a := [][]*big.Rat{{r(1), r(1), r(0)}, {r(0), r(1), r(1)}}
	b := []*big.Rat{r(4), r(2)}
	l := newLP(a, b, 3)
	v, ok := l.max([]*big.Rat{r(1), r(0), r(0)})
	require.True(t, ok)
	assert.Equal(t, "4/1", v.String(), "y0 at most 4")
	v, ok = l.max([]*big.Rat{r(0), r(-1), r(0)})
	require.True(t, ok)
	assert.Equal(t, "0/1", v.String(), "y1 at least 0")
	v, ok = l.max([]*big.Rat{r(0), r(1), r(0)})
	require.True(t, ok)
	assert.Equal(t, "2/1", v.String(), "y1 at most 2")
	_, ok = newLP([][]*big.Rat{{r(1), r(-1)}}, []*big.Rat{r(0)}, 2).max([]*big.Rat{r(1), r(0)})
	assert.False(t, ok, "y0 = y1 is unbounded")
}

// TestNoSuppressedCountCanBeBounded is the property: over random small
// tables of one row per subject (rows = subjects), no suppressed cell's
// count is pinned, or bounded below K, by the margins and presence.
func TestNoSuppressedCountCanBeBounded(t *testing.T) {
	shapes := [][]int{{4}, {3, 3}, {2, 4}, {4, 3}, {2, 2, 2}, {3, 2, 2}}
	for trial := range 240 {
		rng := rand.New(rand.NewPCG(uint64(trial), 62))
		card := shapes[trial%len(shapes)]
		k := 2 + rng.IntN(4)
		tab := randomSmallTable(t, rng, card, k)
		assert.NoError(t, Verify(tab), "trial %d", trial)
		assertReaderCannotBound(t, tab, fmt.Sprintf("trial %d shape %v k=%d", trial, card, k))
	}
}

// randomSmallTable releases a table with margins over the given
// cardinalities, one row per subject, cells of 0 to 3K subjects (many
// below K).
func randomSmallTable(t *testing.T, rng *rand.Rand, card []int, k int) *Table {
	tab, _ := randomSmallRelease(t, rng, card, k)
	return tab
}

// smallRow is a row of randomSmallRelease.
type smallRow struct {
	user string
	key  []string
}

// randomSmallRelease is randomSmallTable with its aggregator.
func randomSmallRelease(t *testing.T, rng *rand.Rand, card []int, k int) (*Table, *Aggregator[smallRow]) {
	type row = smallRow
	spec := Spec[row]{K: k, Subject: func(r row) string { return r.user }, Margins: true}
	for d := range card {
		spec.Dimensions = append(spec.Dimensions, Dimension[row]{Name: fmt.Sprint("d", d), Key: func(r row) string { return r.key[d] }})
	}
	a := mustAgg(t, spec)
	for ci, key := range fullKeys(card) {
		if slices.Contains(key, Total) {
			continue
		}
		n := rng.IntN(3 * k)
		if rng.IntN(3) == 0 {
			n = rng.IntN(k) // a small cell
		}
		for i := range n {
			a.Add(row{user: fmt.Sprint(ci, "-", i), key: key})
		}
	}
	tab, err := a.Release()
	require.NoError(t, err)
	return tab, a
}
