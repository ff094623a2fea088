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
			m := lpMargin * p.scale[q]
			unit := float64(att.floor[q])
			if q == 0 {
				unit = 1
			}
			need := float64(kn.k)*unit + m
			if lo, hi, ok := p.reach(int32(i), q); ok && hi-lo > m && (unit == 0 || hi >= need) {
				continue // two feasible points differ, one reaching K: no LP needed
			}
			lo, hi, err := att.bounds(int32(i), q)
			if err != nil {
				return nil, err
			}
			if hi-lo <= m || (unit > 0 && hi < float64(kn.k)*unit-m) {
				out = append(out, int32(i))
				break
			}
		}
	}
	return out, nil
}
