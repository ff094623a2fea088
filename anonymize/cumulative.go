package anonymize

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// This file holds the audit of a cumulative release together with the
// earlier ones: the reader's linear program over every table released of
// the population.
//
// A reader who holds the tables released so far (oldest first, the new
// one last) knows every table's margin equations and published values,
// one row at least in every cell a table lists (a cell a table does not
// list held nothing then), every sum at least its floor times its rows,
// and, per cell and quantity, earlier ≤ later: the rows added between two
// releases are a group of people of their own, with rows ≥ 0 and a sum at
// least its floor per row. The variables are the suppressed values of
// every table and the added groups. Three kinds of promise are checked:
//
//   - every level of the new table's sensitive cells (new values);
//   - every level of a group added since the previous table that is below
//     K or dominated (the slack new − previous), so that subtraction shows
//     neither the group nor its size;
//   - every promise of the earlier tables. The previous table's threshold
//     cells keep their levels, recomputed from the previous rows (new rows
//     − added rows), and its dominated sums levels computed with today's
//     largest contributions (at least the previous ones). A promise that
//     cannot be recomputed (an older table's cell, a group added between
//     older tables) or that these bounds do not cover must not be narrowed
//     at all: the bounds with the new table must be those the reader had
//     before it, which the audit of the previous release checked. So each
//     release keeps the promises of all of them, by induction.
//
// Bounds are solved per connected group of variables with the simplex of
// simplex.go, and a bound within lpMargin of its target is decided by a
// rounded solution checked exactly in integers (as attack.go does), so
// rounding can only make the audit refuse more.

// maxJointVars bounds the variables of one connected group of the joint
// program (a dense tableau); a larger group fails with ErrUnaudited.
const maxJointVars = 1500

// joint is the reader's program over the releases of one population.
type joint struct {
	cons   [][]int32
	nq     int
	sides  int         // tables, oldest first; the last is the new one
	scale  []float64   // per quantity
	pub    [][]bool    // per side, per cell
	val    [][][]int64 // per side, quantity, cell (where published)
	listed [][]bool    // per side, per cell
	// vars maps (side, q, cell) to the value; added maps (side, q, cell)
	// to the group added between side−1 and side. A value with no
	// variable is known.
	vars  map[[3]int32]jexpr
	added map[[3]int32]jexpr
	lows  []int64
	qOf   []int
	eqs   []intRow
	eqTo  []int // per equation: the latest side it involves
	comp  []int // per variable: its connected group
	lps   map[[2]int]*jointLP
	// before caches the bounds over the earlier tables alone (which no
	// choice of the new table changes) per (side, added, q, cell, up),
	// across the rounds of one release; nil caches nothing.
	before map[[5]int32]float64
}

// jointLP is the program of one connected group over the first tables.
type jointLP struct {
	cols []int // variables, in column order
	col  map[int]int
	eqs  []intRow    // the equations, over columns
	a    [][]float64 // the scaled equations
	b    []float64
	sa   []sparseRow // a's non-zero entries
	tab  *tableau
	err  error
	cs   []float64 // column scales
}

// sparseRow is the non-zero entries of a row.
type sparseRow struct {
	cols []int
	v    []float64
}

// solve minimises c·y from the vertex the last solve ended at (any basis
// of the tableau is feasible). Should rounding have drifted the tableau
// from the equations, phase one runs again and the objective is solved
// afresh; a second drift is a solver failure.
func (p *jointLP) solve(c []float64) (float64, []float64, error) {
	for range 2 {
		if p.tab == nil {
			tab, err := newTableau(p.a, p.b, len(p.cols))
			if err != nil {
				return 0, nil, err
			}
			p.tab = tab
		}
		f, y, err := p.tab.optimize(c, nil)
		if y == nil || p.satisfies(y) {
			return f, y, err
		}
		p.tab = nil
	}
	return 0, nil, errSolver
}

// satisfies reports whether y satisfies every scaled equation to within
// residualTol.
func (p *jointLP) satisfies(y []float64) bool {
	for i, row := range p.sa {
		s := -p.b[i]
		for k, c := range row.cols {
			s += row.v[k] * y[c]
		}
		if math.Abs(s) > residualTol*(1+math.Abs(p.b[i])) {
			return false
		}
	}
	return true
}

// newJoint builds the program over the cells of s: per side (table,
// oldest first), pub marks the published cells, listed the cells the
// table lists, and val holds per quantity and cell the published values;
// floors holds per quantity the least a row adds (0 for rows).
func newJoint(s *system, val [][][]int64, pub, listed [][]bool, floors []int64) (*joint, error) {
	n := s.numCell
	nq := len(floors)
	j := &joint{cons: s.cons, nq: nq, sides: len(pub), scale: make([]float64, nq), pub: pub, val: val, listed: listed,
		vars: map[[3]int32]jexpr{}, added: map[[3]int32]jexpr{}, lps: map[[2]int]*jointLP{}}
	for sd := range j.sides {
		for q := range nq {
			for x := range n {
				if pub[sd][x] {
					j.scale[q] = max(j.scale[q], math.Abs(float64(val[sd][q][x])))
				}
			}
		}
	}
	for q := range nq {
		j.scale[q] = max(j.scale[q], 1)
	}
	lin := func() *linExpr { return &linExpr{coef: map[int]int64{}} }
	add := func(e *linExpr, to int) error {
		if e.overflow {
			return errAuditOverflow
		}
		ir := intRow{rhs: -e.c}
		for v, c := range e.coef {
			if c != 0 {
				ir.cols = append(ir.cols, v)
				ir.coef = append(ir.coef, c)
			}
		}
		if len(ir.cols) == 0 {
			return nil
		}
		j.eqs, j.eqTo = append(j.eqs, ir), append(j.eqTo, to)
		return nil
	}
	// Values: a cell's value in table sd is Σ y + c over shifted
	// variables y ≥ 0 (lows in c). A value both tables suppress is the
	// earlier value plus the added group's variable (substituted, so it
	// takes no variable and no equation of its own); the group added
	// between a published value and a suppressed one is the new value
	// less the old, a variable too; only a published value over a
	// suppressed one needs an equation (old + added = new).
	for sd := range j.sides {
		for q := range nq {
			for x := range int32(n) {
				key := [3]int32{int32(sd), int32(q), x}
				low := int64(0)
				if q == 0 {
					low = 1
				}
				var e jexpr
				switch {
				case !listed[sd][x]:
				case pub[sd][x]:
					e.c = val[sd][q][x]
				case sd == 0 || !listed[sd-1][x]:
					v := j.newVar(q, low)
					e = jexpr{vars: []int{v}, c: low}
				default:
					old := j.vars[[3]int32{int32(sd - 1), int32(q), x}]
					dlow := int64(0)
					if len(old.vars) == 0 {
						dlow = max(low-old.c, 0)
					}
					d := j.newVar(q, dlow)
					e = jexpr{vars: append(slices.Clone(old.vars), d), c: old.c + dlow}
				}
				j.vars[key] = e
			}
		}
	}
	term := func(e *linExpr, x jexpr, sign int64) {
		for _, v := range x.vars {
			e.term(v, sign, 0)
		}
		e.term(-1, sign, x.c)
	}
	// floor adds a − f·b − slack = 0 for (a, b) the sum and rows.
	floor := func(f int64, a, b jexpr, q, to int) error {
		if f <= 0 || (len(a.vars) == 0 && len(b.vars) == 0) {
			return nil
		}
		e := lin()
		term(e, a, 1)
		term(e, b, -f)
		e.term(j.newVar(q, 0), -1, 0)
		return add(e, to)
	}
	for sd := range j.sides {
		for _, con := range s.cons { // margin equations
			for q := range nq {
				e := lin()
				for i, x := range con {
					sign := int64(-1)
					if i == 0 {
						sign = 1
					}
					term(e, j.vars[[3]int32{int32(sd), int32(q), x}], sign)
				}
				if err := add(e, sd); err != nil {
					return nil, err
				}
			}
		}
		for x := range int32(n) {
			for q := 1; q < nq; q++ {
				if err := floor(floors[q], j.vars[[3]int32{int32(sd), int32(q), x}], j.vars[[3]int32{int32(sd), 0, x}], q, sd); err != nil {
					return nil, err
				}
			}
		}
		if sd == 0 {
			continue
		}
		// Added groups: new − old ≥ 0, with the added sum at least its
		// floor times its rows.
		for x := range int32(n) {
			for q := range nq {
				key := [3]int32{int32(sd), int32(q), x}
				en, eo := j.vars[key], j.vars[[3]int32{int32(sd - 1), int32(q), x}]
				var d jexpr
				switch {
				case len(en.vars) == 0 && len(eo.vars) == 0:
					d.c = en.c - eo.c
				case len(en.vars) > len(eo.vars): // new = old + d, or new alone
					last := en.vars[len(en.vars)-1]
					d = jexpr{vars: []int{last}, c: j.lows[last]}
					if len(eo.vars) == 0 && listed[sd-1][x] { // old published: d = new − old
						d.c = en.c - eo.c
					}
				default: // a published value over a suppressed one
					v := j.newVar(q, 0)
					d = jexpr{vars: []int{v}}
					e := lin()
					term(e, en, 1)
					term(e, eo, -1)
					e.term(v, -1, 0)
					if err := add(e, sd); err != nil {
						return nil, err
					}
				}
				j.added[key] = d
			}
			for q := 1; q < nq; q++ {
				if err := floor(floors[q], j.added[[3]int32{int32(sd), int32(q), x}], j.added[[3]int32{int32(sd), 0, x}], q, sd); err != nil {
					return nil, err
				}
			}
		}
	}
	j.components()
	return j, nil
}

func (j *joint) newVar(q int, low int64) int {
	j.lows = append(j.lows, low)
	j.qOf = append(j.qOf, q)
	return len(j.lows) - 1
}

// jexpr is a value of the joint program: Σ y + c over shifted variables
// y ≥ 0 of one quantity (the variables' lows are in c).
type jexpr struct {
	vars []int
	c    int64
}

// linExpr is Σ coef·y + c in integers, overflow recorded.
type linExpr struct {
	coef     map[int]int64
	c        int64
	overflow bool
}

// term adds sign·(y_v + c) (y_v absent when v < 0).
func (e *linExpr) term(v int, sign, c int64) {
	if v >= 0 {
		var ok bool
		if e.coef[v], ok = sub(e.coef[v], -sign); !ok {
			e.overflow = true
		}
	}
	t, ok := mul(sign, c)
	if !ok {
		e.overflow = true
	}
	if e.c, ok = sub(e.c, -t); !ok {
		e.overflow = true
	}
}

// components groups the variables connected by equations.
func (j *joint) components() {
	parent := make([]int, len(j.lows))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range j.eqs {
		for _, c := range e.cols[1:] {
			parent[find(c)] = find(e.cols[0])
		}
	}
	for _, m := range []map[[3]int32]jexpr{j.vars, j.added} {
		for _, e := range m {
			for _, c := range e.vars[min(1, len(e.vars)):] {
				parent[find(c)] = find(e.vars[0])
			}
		}
	}
	j.comp = make([]int, len(parent))
	for i := range parent {
		j.comp[i] = find(i)
	}
}

// program returns the program of v's group over the tables up to side
// upto.
func (j *joint) program(v int, upto int) *jointLP {
	key := [2]int{j.comp[v], upto}
	if p := j.lps[key]; p != nil {
		return p
	}
	p := &jointLP{col: map[int]int{}}
	j.lps[key] = p
	for u, c := range j.comp {
		if c == key[0] {
			p.col[u] = len(p.cols)
			p.cols = append(p.cols, u)
		}
	}
	if len(p.cols) > maxJointVars {
		p.err = fmt.Errorf("%w: more than %d coupled values across the releases", ErrUnaudited, maxJointVars)
		return p
	}
	p.cs = make([]float64, len(p.cols))
	for i, u := range p.cols {
		p.cs[i] = j.scale[j.qOf[u]]
	}
	var a [][]float64
	var b []float64
	for i, e := range j.eqs {
		if j.comp[e.cols[0]] != key[0] || j.eqTo[i] > upto {
			continue
		}
		r := make([]float64, len(p.cols))
		m := 0.0
		for k, u := range e.cols {
			c := p.col[u]
			r[c] = float64(e.coef[k]) * p.cs[c]
			m = max(m, math.Abs(r[c]))
		}
		sr := sparseRow{}
		for c := range r {
			r[c] /= m
			if r[c] != 0 {
				sr.cols, sr.v = append(sr.cols, c), append(sr.v, r[c])
			}
		}
		p.sa = append(p.sa, sr)
		a, b = append(a, r), append(b, float64(e.rhs)/m)
		cols := make([]int, len(e.cols))
		for k, u := range e.cols {
			cols[k] = p.col[u]
		}
		p.eqs = append(p.eqs, intRow{cols: cols, coef: e.coef, rhs: e.rhs})
	}
	if len(a) == 0 {
		return p
	}
	p.a, p.b = a, b
	p.tab, p.err = newTableau(a, b, len(p.cols))
	if errors.Is(p.err, errInfeasible) {
		p.err = fmt.Errorf("%w: the releases are inconsistent", ErrHistory)
	} else if p.err != nil {
		p.err = solverError(p.err)
	}
	return p
}

// extreme returns the least (up false) or greatest value of e over the
// tables up to side upto, and whether a rounded solution checked exactly
// attains the exact value ev.
func (j *joint) extreme(e jexpr, up bool, upto int) (f float64, ev int64, exact bool, err error) {
	p := j.program(e.vars[0], upto)
	if p.err != nil {
		return 0, 0, false, p.err
	}
	low := float64(e.c)
	if p.tab == nil { // in no equation: free above its lower bound
		if up {
			return math.Inf(1), 0, false, nil
		}
		return low, e.c, true, nil
	}
	c := make([]float64, len(p.cols))
	for _, v := range e.vars {
		c[p.col[v]] = 1
		if up {
			c[p.col[v]] = -1
		}
	}
	obj, y, err := p.solve(c)
	switch {
	case errors.Is(err, errUnbounded) && up:
		return math.Inf(1), 0, false, nil
	case err != nil:
		return 0, 0, false, solverError(err)
	}
	if up {
		obj = -obj
	}
	f = obj*p.cs[p.col[e.vars[0]]] + low
	ev, exact = p.exactAt(y, e)
	return f, ev, exact, nil
}

// exactAt rounds y to integers and checks every equation and y ≥ 0
// exactly; it returns the value of e there.
func (p *jointLP) exactAt(y []float64, x jexpr) (int64, bool) {
	v, ok := roundFeasible(y, p.cs, p.eqs)
	if !ok {
		return 0, false
	}
	r := x.c
	for _, u := range x.vars {
		var ok bool
		if r, ok = sub(r, -v[p.col[u]]); !ok {
			return 0, false
		}
	}
	return r, true
}

// reaches reports whether the reader's bound on v (least when up is false)
// reaches target: passes it by the solver margin, or, within the margin,
// attains it at an integer solution checked exactly.
func (j *joint) reaches(v jexpr, target int64, up bool) (bool, error) {
	f, ev, exact, err := j.extreme(v, up, j.sides-1)
	if err != nil {
		return false, err
	}
	m := lpMargin * j.scale[j.qOf[v.vars[0]]]
	t := float64(target)
	if up {
		return f >= t+m || (f >= t-m && exact && ev >= target), nil
	}
	return f <= t-m || (f <= t+m && exact && ev <= target), nil
}

// notNarrowed reports whether the bounds on v (a value of an earlier
// table) with the new table are those without it, within the solver's
// margin.
func (j *joint) notNarrowed(v jexpr, lv jointLevel) (bool, error) {
	m := lpMargin * j.scale[j.qOf[v.vars[0]]]
	for _, up := range []bool{false, true} {
		fj, _, _, err := j.extreme(v, up, j.sides-1)
		if err != nil {
			return false, err
		}
		// At its own lower bound, or unbounded, nothing was narrowed.
		if (up && math.IsInf(fj, 1)) || (!up && fj <= float64(v.c)+m) {
			continue
		}
		ck := [5]int32{int32(lv.side), 0, int32(lv.q), lv.cell, 0}
		if lv.added {
			ck[1] = 1
		}
		if up {
			ck[4] = 1
		}
		fo, ok := j.before[ck]
		if !ok {
			fo, _, _, err = j.extreme(v, up, j.sides-2)
			if err != nil {
				return false, err
			}
			if j.before != nil {
				j.before[ck] = fo
			}
		}
		if (up && fj < fo-m) || (!up && fj > fo+m) {
			return false, nil
		}
	}
	return true, nil
}

// jointLevel is a promise checked in the joint program: quantity q of a
// cell's value in table side (or, when added, of the group added between
// side−1 and side) must range over [lo, hi]; with narrow, a value of an
// earlier table must not be narrowed at all.
type jointLevel struct {
	side   int
	added  bool
	cell   int32
	q      int
	lo, hi int64
	narrow bool
}

// holds reports whether the promise holds.
func (j *joint) holds(lv jointLevel) (bool, error) {
	key := [3]int32{int32(lv.side), int32(lv.q), lv.cell}
	v := j.vars[key]
	if lv.added {
		v = j.added[key]
	}
	if len(v.vars) == 0 { // known: pinned, unless it was known before
		return lv.narrow, nil
	}
	if !lv.narrow {
		ok, err := j.reaches(v, lv.lo, false)
		if err == nil && ok {
			ok, err = j.reaches(v, lv.hi, true)
		}
		if err != nil || ok || lv.side == j.sides-1 {
			return ok, err
		}
		// A promise of an earlier table the bounds do not cover holds
		// still if they are those the reader had before.
	}
	return j.notNarrowed(v, lv)
}

// leavesWhere returns, per cell, the number of interior cells i under it
// (itself included) for which keep(i) holds (leaves, restricted).
func (rt *rawTable) leavesWhere(keep func(int) bool) []int64 {
	out := make([]int64, len(rt.cells))
	index := make(map[string]int, len(rt.cells))
	inner := make([]map[string]bool, len(rt.dims)) // values that are a parent
	for d := range inner {
		inner[d] = map[string]bool{}
	}
	for i := range rt.cells {
		k := rt.cells[i].key
		index[joinKey(k)] = i
		for d, v := range k {
			if v != Total {
				if p := rt.hier.up(d, v); p != Total {
					inner[d][p] = true
				}
			}
		}
	}
	key := make([]string, len(rt.dims))
	var walk func(d int, c []string)
	walk = func(d int, c []string) {
		if d == len(c) {
			if x, ok := index[joinKey(key)]; ok {
				out[x]++
			}
			return
		}
		for _, v := range append(rt.hier.path(d, c[d]), Total) {
			key[d] = v
			walk(d+1, c)
		}
	}
	for i := range rt.cells {
		c := rt.cells[i].key
		if !keep(i) || slices.Contains(c, Total) {
			continue
		}
		interior := true
		for d, v := range c {
			interior = interior && !inner[d][v]
		}
		if interior {
			walk(0, c)
		}
	}
	return out
}
