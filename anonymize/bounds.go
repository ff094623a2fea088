package anonymize

import "math"

// This file holds the presence rule: what a reader can infer about a
// suppressed cell from inequalities, not only from the equations the
// rank audit covers.
//
// Every listed cell holds at least one row (an absent cell is zero, so a
// listed one is not), and a measure with a floor f >= 0 per row
// (Table.Floors) has a sum of at least f times the cell's rows. With the
// published values and the margin equations, these bounds propagate: in a
// margin with m suppressed children and a published parent, the children
// share T = parent − published children, each at least 1, so each is at
// most T−(m−1); a suppressed margin is at least the sum of its children's
// lower bounds, which narrows its siblings in turn. A suppressed cell is
// exposed when a reader can pin it (lower bound = upper bound), or bound its
// rows below K (which would show it to be a threshold cell; the reason of a
// suppression is not published for the same purpose), or a sum with floor
// f > 0 below K·f.
//
// The bounds are computed by interval propagation: every constraint narrows
// the intervals of its cells (bounds consistency) until nothing changes.
// Every bound it finds is one a reader can find, so it never exposes a
// cell wrongly; it is not linear programming, which can combine
// constraints into tighter bounds in general. The tests compare it with an
// exact rational LP on random small tables.

// knowledge is what a reader may know of the values of a table's cells: the
// published values, one row at least per listed cell, and the floors of
// some measures.
type knowledge struct {
	k    int64
	rows []int64 // per cell; only published cells' values are used
	// sums holds, per measure with a floor, the fixed-point sum of each
	// cell (unknownSum where no audited table publishes it); floors the
	// floors, in the same fixed point.
	sums   [][]int64
	floors []int64
}

// unknownSum marks a sum that no audited table publishes.
const unknownSum = math.MinInt64

// inf is an absent upper bound.
const inf = math.MaxInt64

// intervals are bounds on every cell's value.
type intervals struct{ lo, hi []int64 }

// propagationBudget bounds the constraint visits of one propagation, per
// constraint. Integer bounds of a feasible table settle in a few rounds;
// the budget stops a creeping cycle, and running out counts as exposure.
const propagationBudget = 64

// propagate narrows the intervals of the cells, starting from known values
// (fixed) and lower bounds lo0 for the others, through the constraints
// until nothing changes. It returns false when an interval becomes empty
// (an inconsistent table) or the budget runs out.
func (s *system) propagate(known []bool, val, lo0 []int64) (*intervals, bool) {
	n := s.numCell
	iv := &intervals{lo: make([]int64, n), hi: make([]int64, n)}
	for i := range n {
		if known[i] {
			iv.lo[i], iv.hi[i] = val[i], val[i]
		} else {
			iv.lo[i], iv.hi[i] = lo0[i], inf
		}
	}
	queued := make([]bool, len(s.cons))
	queue := make([]int32, len(s.cons))
	for c := range queue {
		queue[c], queued[c] = int32(c), true
	}
	budget := propagationBudget * (len(s.cons) + 1)
	for len(queue) > 0 {
		if budget--; budget < 0 {
			return iv, false
		}
		c := queue[0]
		queue, queued[c] = queue[1:], false
		changed, ok := iv.narrow(s.cons[c])
		if !ok {
			return iv, false
		}
		for _, x := range changed {
			for _, c2 := range s.ofCell[x] {
				if !queued[c2] {
					queue, queued[c2] = append(queue, c2), true
				}
			}
		}
	}
	return iv, true
}

// narrow applies a constraint (parent = sum of children) to the intervals
// of its cells and returns the cells whose interval changed; false when
// one became empty.
func (iv *intervals) narrow(con []int32) ([]int32, bool) {
	var changed []int32
	set := func(x int32, lo, hi int64) bool {
		moved := false
		if lo > iv.lo[x] {
			iv.lo[x], moved = lo, true
		}
		if hi < iv.hi[x] {
			iv.hi[x], moved = hi, true
		}
		if moved {
			changed = append(changed, x)
		}
		return iv.lo[x] <= iv.hi[x]
	}
	p, children := con[0], con[1:]
	sumLo, sumHi := int64(0), int64(0)
	for _, x := range children {
		sumLo, sumHi = satAdd(sumLo, iv.lo[x]), satAdd(sumHi, iv.hi[x])
	}
	if !set(p, sumLo, sumHi) {
		return changed, false
	}
	for _, x := range children {
		// The others' bounds, where the sums allow subtracting exactly.
		hi, lo := int64(inf), iv.lo[x]
		if iv.hi[p] != inf && sumLo != inf {
			hi = iv.hi[p] - (sumLo - iv.lo[x])
		}
		if sumHi != inf {
			lo = max(lo, iv.lo[p]-(sumHi-iv.hi[x]))
		}
		if !set(x, lo, hi) {
			return changed, false
		}
	}
	return changed, true
}

// satAdd adds non-negative bounds, saturating at inf: a saturated sum only
// loosens a bound, which keeps it sound.
func satAdd(a, b int64) int64 {
	if a == inf || b == inf || a > inf-b {
		return inf
	}
	return a + b
}

// exposed returns the suppressed cells that propagation shows a reader can
// pin or bound below K; with a propagation that fails (an inconsistent
// table, or a budget run out) it returns every suppressed cell.
func (s *system) exposed(reasons []Reason, kn *knowledge) []int32 {
	published := make([]bool, s.numCell)
	ones := make([]int64, s.numCell)
	for i, r := range reasons {
		published[i], ones[i] = r == NotSuppressed, 1
	}
	rows, ok := s.propagate(published, kn.rows, ones)
	out := s.check(reasons, rows, ok, kn.k, 1)
	for j, f := range kn.floors {
		known := make([]bool, s.numCell)
		lo0 := make([]int64, s.numCell)
		for i := range lo0 {
			known[i] = published[i] && kn.sums[j][i] != unknownSum
			if v, ok := mul(f, rows.lo[i]); ok {
				lo0[i] = v
			}
		}
		sums, ok := s.propagate(known, kn.sums[j], lo0)
		out = append(out, s.check(reasons, sums, ok, kn.k, f)...)
	}
	return out
}

// check returns the suppressed cells that iv pins, or bounds below k·unit
// (unit > 0): rows with unit 1, a sum with its floor.
func (s *system) check(reasons []Reason, iv *intervals, ok bool, k, unit int64) []int32 {
	var out []int32
	low, fits := mul(k, unit)
	for i, r := range reasons {
		if r == NotSuppressed {
			continue
		}
		if !ok || iv.lo[i] >= iv.hi[i] || (unit > 0 && (!fits || iv.hi[i] < low)) {
			out = append(out, int32(i))
		}
	}
	return out
}
