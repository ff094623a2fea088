package anonymize

import "math"

// This file holds what a reader knows of a table, and the check of
// package-level Verify, which has the published values and nothing else.

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
	// least holds, per quantity (rows, then sums), a lower bound per cell
	// that an earlier release of part of the population gives, or nil.
	least [][]int64
}

// leastOf returns the history's lower bound on quantity q of cell x, or 0.
func (kn *knowledge) leastOf(q quantity, x int32) int64 {
	if kn.least == nil || kn.least[q] == nil {
		return 0
	}
	return kn.least[q][x]
}

// unknownSum marks a sum that no audited table publishes.
const unknownSum = math.MinInt64

// inf is an absent upper bound.
const inf = math.MaxInt64

// satAdd adds non-negative bounds, saturating at inf: a saturated sum only
// loosens a bound, which keeps it sound.
func satAdd(a, b int64) int64 {
	if a == inf || b == inf || a > inf-b {
		return inf
	}
	return a + b
}

// exposed returns the suppressed cells among the first listed that the
// reader's linear program pins (least bound equal to greatest), or whose
// rows it bounds below K, or a sum with floor f > 0 below K·f (either
// would show a threshold cell, whose reason is not published). Bounds
// within lpMargin of the boundary count as reaching it: rows are whole
// numbers, and a bound of the program over integer data that falls short
// of an integer does so by at least the inverse of a basis determinant.
//
// Most cells are settled by feasible points alone: two points at which
// the cell differs, one of them at K rows or more, prove it exposed by
// neither test. Only the others are solved, each from the vertex the
// last solve ended at, and only as far as a point that settles them.
func (s *system) exposed(reasons []Reason, kn *knowledge, listed int) ([]int32, error) {
	att := attackerOf(s, reasons, kn)
	var out []int32
	for i, r := range reasons[:listed] {
		if r == NotSuppressed {
			continue
		}
		for q := range att.known {
			if att.known[q][i] {
				continue
			}
			p, err := att.program(int32(i), q)
			if err != nil {
				return nil, err
			}
			bad, err := p.exposes(int32(i), q, att.floor[q], kn.k)
			if err != nil {
				return nil, err
			}
			if bad {
				out = append(out, int32(i))
				break
			}
		}
	}
	return out, nil
}

// exposes reports whether the reader's program pins quantity q of cell x
// or bounds it below K units (rows, or the floor per row times K when
// floor is positive); see exposed.
func (p *attackLP) exposes(x int32, q int, floor, k int64) (bool, error) {
	if p.err != nil {
		return false, p.err
	}
	j, in := p.vars[lpVar{x, q}]
	if !in { // in no equation: unbounded above
		return false, nil
	}
	m := lpMargin * p.scale[q]
	unit := float64(floor)
	if q == 0 {
		unit = 1
	}
	need := float64(k) * unit
	lo, hi, _ := p.reach(x, q)
	if unit > 0 && hi < need+m {
		v, opt, err := p.push(j, true, need+m)
		if err != nil {
			return false, err
		}
		if opt && v < need-m {
			return true, nil
		}
		lo, hi = p.seenLo[j], p.seenHi[j]
	}
	if hi-lo > m {
		return false, nil
	}
	v, opt, err := p.push(j, false, hi-2*m)
	if err != nil {
		return false, err
	}
	if !opt {
		return false, nil
	}
	lo = v
	if hi, opt, err = p.push(j, true, math.Inf(1)); err != nil || !opt {
		return false, err
	}
	return hi-lo <= m, nil
}
