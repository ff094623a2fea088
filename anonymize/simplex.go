package anonymize

import (
	"errors"
	"math"
	"slices"
)

// This file holds the simplex method that solves the reader's programs:
// a dense tableau in float64, two phases, Bland's rule. Bland's rule never
// cycles, which matters here: the programs of suppressed tables are highly
// degenerate (many cells at their bounds), and gonum's Simplex, tried
// first, looped without end on some of them. Phase one runs once per
// program; every objective then starts from its feasible basis. An
// iteration cap turns a runaway into errSolver, which the audit never
// takes for protection.

var (
	errInfeasible = errors.New("infeasible program")
	errUnbounded  = errors.New("unbounded program")
)

// pivotTol is the least magnitude of a pivot, and the reduced cost below
// which a column may enter, on programs scaled to values of order one.
const pivotTol = 1e-9

// tableau is a feasible basis of A y = b, y >= 0: rows of n coefficients
// and the right-hand side last; basis[i] is the column basic in row i.
type tableau struct {
	rows  [][]float64
	basis []int
	n     int
}

// newTableau finds a feasible basis by phase one (artificial variables,
// then driven out or their rows dropped as redundant).
func newTableau(a [][]float64, b []float64, n int) (*tableau, error) {
	m := len(a)
	w := n + m
	tb := &tableau{n: n, basis: make([]int, m)}
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
	}
	cost := make([]float64, w)
	for j := n; j < w; j++ {
		cost[j] = 1
	}
	obj, err := tb.run(cost, w)
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
			tb.rows = slices.Delete(tb.rows, i, i+1)
			tb.basis = slices.Delete(tb.basis, i, i+1)
			i--
			continue
		}
		tb.pivot(i, col)
	}
	for i, r := range tb.rows { // drop the artificial columns
		rhs := r[w]
		tb.rows[i] = append(r[:n:n], rhs)
	}
	return tb, nil
}

// minimize returns the least value of c·y and a solution, from a copy of
// the feasible basis.
func (tb *tableau) minimize(c []float64) (float64, []float64, error) {
	cp := &tableau{n: tb.n, basis: slices.Clone(tb.basis), rows: make([][]float64, len(tb.rows))}
	for i, r := range tb.rows {
		cp.rows[i] = slices.Clone(r)
	}
	f, err := cp.run(c, tb.n)
	if err != nil {
		return 0, nil, err
	}
	y := make([]float64, tb.n)
	for i, bcol := range cp.basis {
		y[bcol] = max(cp.rows[i][len(cp.rows[i])-1], 0)
	}
	return f, y, nil
}

// run minimises cost over the first cols columns with Bland's rule.
func (tb *tableau) run(cost []float64, cols int) (float64, error) {
	m := len(tb.rows)
	rhs := func(i int) float64 { return tb.rows[i][len(tb.rows[i])-1] }
	limit := 50 * (m + cols + 10)
	for range limit {
		// Reduced costs: c_j − Σ c_basis(i) · row_i[j].
		enter := -1
		for j := range cols {
			rc := cost[j]
			for i, bcol := range tb.basis {
				if v := tb.rows[i][j]; v != 0 {
					rc -= cost[bcol] * v
				}
			}
			if rc < -pivotTol {
				enter = j
				break
			}
		}
		if enter < 0 {
			f := 0.0
			for i, bcol := range tb.basis {
				f += cost[bcol] * rhs(i)
			}
			return f, nil
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
			return 0, errUnbounded
		}
		tb.pivot(leave, enter)
	}
	return 0, errSolver
}

// pivot makes column c basic in row r.
func (tb *tableau) pivot(r, c int) {
	pr := tb.rows[r]
	inv := 1 / pr[c]
	for j := range pr {
		pr[j] *= inv
	}
	pr[c] = 1
	for i, row := range tb.rows {
		if i == r {
			continue
		}
		f := row[c]
		if f == 0 {
			continue
		}
		for j, v := range pr {
			if v != 0 {
				row[j] -= f * v
			}
		}
		row[c] = 0
	}
	tb.basis[r] = c
}
