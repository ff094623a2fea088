package anonymize

import (
	"math"
	"slices"
)

// This file holds the protection levels of sensitive cells: how wide the
// interval a reader can compute for a suppressed cell must be.
//
// A reader of a table with margins can bound every suppressed value by
// linear programming: minimise and maximise it subject to the margin
// equations, the published values, one row at least in every listed cell
// and every sum at least its floor times its rows. Not being able to derive
// a value exactly is not enough (a reader who learns "between 999,954 and
// 1,000,054" has learnt the value); the interval must contain the true
// value widened by a lower and an upper protection level, the formulation
// of Fischetti and Salazar (2001) that tau-ARGUS and sdcTable implement.
//
// Levels follow Hundepool et al., Statistical Disclosure Control (Wiley,
// 2012), ch. 4 (magnitude tables) and ch. 5 (frequency tables), and the
// tau-ARGUS manual:
//
//   - A cell below the threshold (fewer than K subjects) with r rows: the
//     reader must not be able to tell it from a cell of one row (the least
//     a listed cell holds, so "as good as empty") nor from a cell of K
//     rows: lower level min(r−1, K−1), upper level max(K−r, 1). For r < K
//     the interval must contain [1, K]; the true value is never at the
//     upper end.
//   - A sum failing the p% rule, largest contribution x1: the second
//     largest contributor must not estimate x1 within p%, so both levels
//     are p·x1/100 (symmetric, as tau-ARGUS sets them; this also covers
//     the smaller upper level p·x1/100 − (X−x1−x2) of the strict rule).
//   - A sum X failing an (n,k) rule whose n largest contributions sum to
//     Sn: the coalition of those n must not be able to hold that it holds
//     more than k% of the cell, so an upper estimate must reach 100·Sn/k:
//     both levels are 100·Sn/k − X.
//
// A sum failing several rules takes the largest level. Lower targets stop
// at what the reader knows anyway (one row, a sum's floor): the interval
// must reach that bound. Levels are rounded up to whole units of the
// measure's fixed point.

// quantity numbers the additive values a reader bounds: 0 is Rows, q > 0
// the sum of the q-th measure with a floor (knowledge.sums[q-1]).
type quantity int

const rowsQ quantity = 0

// level is the interval that the reader's bounds on one quantity of one
// suppressed cell must contain: lo and hi in the quantity's fixed point.
type level struct {
	cell   int32
	q      quantity
	lo, hi int64
	// least is the least value the reader grants anyway: one row per
	// listed interior cell under the cell, a sum's floor times its rows.
	// lo is never below it, and a reader's bound reaching it protects lo.
	least int64
}

// levels returns the protection levels of the primary suppressions (cells
// sorted as release sorts them).
func (rt *rawTable) levels(reasons []Reason) []level {
	var out []level
	k := int64(rt.k)
	leaves := rt.leaves()
	fq := rt.floorQuantities()
	for i := range rt.cells {
		c := &rt.cells[i]
		if reasons[i] == NotSuppressed {
			continue
		}
		if c.subjects < rt.k {
			r := c.rows
			least := leaves[i]
			out = append(out, level{cell: int32(i), q: rowsQ, lo: max(r-min(r-1, k-1), least), hi: r + max(k-r, 1), least: least})
		}
		for j, sh := range rt.shapes {
			if sh.top() == 0 || !dominated(c.sums[j], c.top[j], sh) {
				continue
			}
			pl := sh.protection(c.sums[j], c.top[j])
			f, _ := sh.floor()
			least, ok := mul(toFixed(f, sh.decimals), c.rows)
			if !ok {
				least = c.sums[j]
			}
			out = append(out, level{cell: int32(i), q: fq[j], lo: max(c.sums[j]-pl, least), hi: satAdd(c.sums[j], pl), least: least})
		}
	}
	return out
}

// floorQuantities maps each measure to its quantity in knowledge (1 for the
// first measure with a floor, ...), or 0 for a measure without a floor.
func (rt *rawTable) floorQuantities() []quantity {
	fq := make([]quantity, len(rt.shapes))
	q := quantity(0)
	for j, sh := range rt.shapes {
		if _, ok := sh.floor(); ok {
			q++
			fq[j] = q
		}
	}
	return fq
}

// protection returns the protection level of a dominated sum (see the file
// comment), in fixed point, at least one unit.
func (ms measureShape) protection(sum int64, top []int64) int64 {
	pl := 1.0
	if ms.p > 0 && len(top) > 0 {
		pl = max(pl, math.Ceil(ms.p*float64(top[0])/100))
	}
	for _, r := range ms.nk {
		var sn float64
		for i := 0; i < r.N && i < len(top); i++ {
			sn += float64(top[i])
		}
		pl = max(pl, math.Ceil(100*sn/r.K-float64(sum)))
	}
	if pl >= 1<<62 {
		return 1 << 62
	}
	return int64(pl)
}

// leaves returns, per cell, the number of interior cells (no Total in the
// key) it sums, itself included: with one row at least in each, the least
// number of rows a reader grants the cell.
func (rt *rawTable) leaves() []int64 {
	if rt.hier != nil {
		return rt.linkedLeaves()
	}
	out := make([]int64, len(rt.cells))
	if !rt.margins {
		for i := range out {
			out[i] = 1
		}
		return out
	}
	index := make(map[string]int, len(rt.cells))
	for i := range rt.cells {
		index[joinKey(rt.cells[i].key)] = i
	}
	d := len(rt.dims)
	key := make([]string, d)
	for i := range rt.cells {
		c := rt.cells[i].key
		if slices.Contains(c, Total) {
			continue
		}
		for mask := range 1 << d {
			for j := range d {
				key[j] = c[j]
				if mask&(1<<j) != 0 {
					key[j] = Total
				}
			}
			if x, ok := index[joinKey(key)]; ok {
				out[x]++
			}
		}
	}
	return out
}
