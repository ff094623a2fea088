package anonymize

import (
	"errors"
	"math"
	"slices"
)

// This file holds the simplex method that solves the reader's programs:
// a dense tableau in float64, two phases. The entering column is the one
// of most negative reduced cost (Dantzig's rule) until the objective
// stalls on a degenerate vertex, and then the first one (Bland's rule)
// until it improves again: Bland's rule never cycles, which matters here,
// since the programs of suppressed tables are highly degenerate (many
// cells at their bounds; gonum's Simplex, tried first, looped without end
// on some of them), and Dantzig's takes far fewer pivots elsewhere. The
// reduced costs are kept as a row of the tableau and updated by each
// pivot, which touches only the non-zero entries of the pivot row.
//
// Phase one runs once per program. Every objective then starts from the
// basis the previous one ended at (any basis of the tableau is feasible),
// so that the minimum and maximum of neighbouring cells, solved one after
// the other, take few pivots. An iteration cap turns a runaway into
// errSolver, which the audit never takes for protection.

var (
	errInfeasible = errors.New("infeasible program")
	errUnbounded  = errors.New("unbounded program")
)

// pivotTol is the least magnitude of a pivot, and the reduced cost below
// which a column may enter, on programs scaled to values of order one.
const pivotTol = 1e-9

// stallPivots is the number of degenerate pivots in a row after which
// the entering column is chosen by Bland's rule, until the objective
// improves.
const stallPivots = 20

// tableau is a feasible basis of A y = b, y >= 0: rows of n coefficients
// and the right-hand side last; basis[i] is the column basic in row i,
// and row[j] the row in which column j is basic, or -1.
type tableau struct {
	rows  [][]float64
	basis []int
	row   []int
	n     int
	nz    []int // scratch: the non-zero columns of the pivot row
}

// newTableau finds a feasible basis by phase one (artificial variables,
// then driven out or their rows dropped as redundant).
func newTableau(a [][]float64, b []float64, n int) (*tableau, error) {
	m := len(a)
	w := n + m
	tb := &tableau{n: n, basis: make([]int, m), row: make([]int, w)}
	for j := range tb.row {
		tb.row[j] = -1
	}
	for i := range m {
		r := make([]float64, w+1)
		copy(r, a[i])
		r[n+i] = 1
		r[w] = b[i]
		if b[i] < 0 {
			for j := range n {
				r[j] = -r[j]
			}
			r[w] = -r[w]
		}
		tb.rows = append(tb.rows, r)
		tb.basis[i] = n + i
		tb.row[n+i] = i
	}
	cost := make([]float64, w)
	for j := n; j < w; j++ {
		cost[j] = 1
	}
	obj, err := tb.run(cost, w, nil)
	if err != nil {
		return nil, err
	}
	if obj > pivotTol*float64(1+m) {
		return nil, errInfeasible
	}
	// Drive basic artificials (at zero) out, or drop their rows.
	for i := 0; i < len(tb.rows); i++ {
		if tb.basis[i] < n {
			continue
		}
		col := slices.IndexFunc(tb.rows[i][:n], func(v float64) bool { return math.Abs(v) > pivotTol })
		if col < 0 {
			tb.row[tb.basis[i]] = -1
			tb.rows = slices.Delete(tb.rows, i, i+1)
			tb.basis = slices.Delete(tb.basis, i, i+1)
			for k := i; k < len(tb.basis); k++ {
				tb.row[tb.basis[k]] = k
			}
			i--
			continue
		}
		tb.pivot(i, col, nil)
	}
	for i, r := range tb.rows { // drop the artificial columns
		rhs := r[w]
		tb.rows[i] = append(r[:n:n], rhs)
	}
	tb.row = tb.row[:n]
	return tb, nil
}

// clone returns an independent copy of the tableau.
func (tb *tableau) clone() *tableau {
	cp := &tableau{n: tb.n, basis: slices.Clone(tb.basis), row: slices.Clone(tb.row), rows: make([][]float64, len(tb.rows))}
	for i, r := range tb.rows {
		cp.rows[i] = slices.Clone(r)
	}
	return cp
}

// minimize returns the least value of c·y and a solution, from a copy of
// the feasible basis.
func (tb *tableau) minimize(c []float64) (float64, []float64, error) {
	return tb.clone().optimize(c, nil)
}

// optimize minimises c·y from the current basis, in place, and returns
// the value and the solution it ended at (errUnbounded with a feasible
// solution when c·y has no least value). When stop is not nil it is asked
// after every pivot, and a true answer ends the search there.
func (tb *tableau) optimize(c []float64, stop func(*tableau) bool) (float64, []float64, error) {
	f, err := tb.run(c, tb.n, stop)
	if err != nil && !errors.Is(err, errUnbounded) {
		return 0, nil, err
	}
	return f, tb.point(), err
}

// point returns the current basic solution.
func (tb *tableau) point() []float64 {
	y := make([]float64, tb.n)
	for i, bcol := range tb.basis {
		y[bcol] = max(tb.rows[i][len(tb.rows[i])-1], 0)
	}
	return y
}

// value returns the current value of column j.
func (tb *tableau) value(j int) float64 {
	if i := tb.row[j]; i >= 0 {
		r := tb.rows[i]
		return max(r[len(r)-1], 0)
	}
	return 0
}

// run minimises cost over the first cols columns and returns the
// objective at the basis it ends at: the optimum, or, when stop returns
// true after a pivot, the value there.
func (tb *tableau) run(cost []float64, cols int, stop func(*tableau) bool) (float64, error) {
	m := len(tb.rows)
	rhs := func(i int) float64 { return tb.rows[i][len(tb.rows[i])-1] }
	// Reduced costs d_j = c_j − Σ c_basis(i) · row_i[j], and the objective.
	d := make([]float64, cols+1)
	copy(d, cost[:cols])
	for i, bcol := range tb.basis {
		cb := cost[bcol]
		if cb == 0 {
			continue
		}
		r := tb.rows[i]
		for j := range cols {
			if v := r[j]; v != 0 {
				d[j] -= cb * v
			}
		}
		d[cols] -= cb * rhs(i)
	}
	objective := func() float64 { return -d[cols] }
	limit := 50 * (m + cols + 10)
	stalled := 0
	for range limit {
		enter := -1
		if stalled < stallPivots {
			best := -pivotTol
			for j := range cols {
				if d[j] < best {
					enter, best = j, d[j]
				}
			}
		} else {
			for j := range cols {
				if d[j] < -pivotTol {
					enter = j
					break
				}
			}
		}
		if enter < 0 {
			return objective(), nil
		}
		leave, best := -1, math.Inf(1)
		for i := range m {
			v := tb.rows[i][enter]
			if v <= pivotTol {
				continue
			}
			ratio := max(rhs(i), 0) / v
			if ratio < best-1e-12 || (math.Abs(ratio-best) <= 1e-12 && tb.basis[i] < tb.basis[leave]) {
				leave, best = i, ratio
			}
		}
		if leave < 0 {
			return math.Inf(-1), errUnbounded
		}
		if best*-d[enter] > pivotTol {
			stalled = 0
		} else {
			stalled++
		}
		tb.pivot(leave, enter, d)
		if stop != nil && stop(tb) {
			return objective(), nil
		}
	}
	return 0, errSolver
}

// pivot makes column c basic in row r, and updates the reduced costs d
// (cols entries and the objective last) when d is not nil.
func (tb *tableau) pivot(r, c int, d []float64) {
	pr := tb.rows[r]
	inv := 1 / pr[c]
	tb.nz = tb.nz[:0]
	for j, v := range pr {
		if v != 0 {
			pr[j] = v * inv
			tb.nz = append(tb.nz, j)
		}
	}
	pr[c] = 1
	last := len(pr) - 1
	for i, row := range tb.rows {
		if i == r {
			continue
		}
		f := row[c]
		if f == 0 {
			continue
		}
		for _, j := range tb.nz {
			row[j] -= f * pr[j]
		}
		row[c] = 0
	}
	if d != nil {
		cols := len(d) - 1
		if f := d[c]; f != 0 {
			for _, j := range tb.nz {
				switch {
				case j < cols:
					d[j] -= f * pr[j]
				case j == last:
					d[cols] -= f * pr[j]
				}
			}
			d[c] = 0
		}
	}
	tb.row[tb.basis[r]] = -1
	tb.basis[r] = c
	tb.row[c] = r
}
