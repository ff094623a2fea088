package anonymize

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// This file holds the reader's linear program: the bounds an attacker
// computes for a suppressed value from everything a table publishes.
//
// The attacker knows, for every constraint (a margin and its children along
// one dimension), parent − Σ children = 0 for Rows and for every sum; the
// published values; that every listed cell holds a row (an absent cell is
// zero); and, for a measure with a floor f >= 0 per row (Table.Floors),
// that its sum is at least f times its rows. The least and greatest value
// of a suppressed cell under these linear constraints are the reader's
// bounds. Only the suppressed cells connected to it by constraints with
// suppressed cells matter, so the program is solved per connected group,
// which keeps it small on a well-protected table.
//
// The solver is the dense two-phase simplex of simplex.go (float64,
// Bland's rule, an iteration cap). Its answers are used with a margin in
// the safe direction only: a bound counts as protecting a level when it
// passes it by lpMargin of the group's scale; within that margin of an
// integer target, the optimum rounded to integers and checked exactly
// decides (exactValue). So a rounding error can make the audit ask for
// more protection, never accept less. Release also proves most levels
// exactly with integer hypercube moves (hypercube.go) before asking the
// solver, and a solver failure other than infeasible or unbounded counts
// as an unprotected cell.

// maxAuditCells (4,000) bounds the number of suppressed cells that the reader's
// linear program may couple together (one connected group of suppressed
// cells sharing constraints). A larger group is not audited: Release and
// Verify fail with ErrTooLarge rather than publish a table whose bounds
// were not computed.
const maxAuditCells = 4000

// errSolver marks a numerical failure of the solver: Release suppresses
// more rather than trust it, Verify reports it.
var errSolver = errors.New("the reader's linear program failed")

// lpMargin is the relative margin by which a computed bound must pass a
// target (see the file comment).
const lpMargin = 1e-6

// attacker describes what a reader knows of a table: for each quantity
// (rows, then the sums with a floor) which cells it knows and their
// values. Quantities whose measure may be negative are absent.
type attacker struct {
	s     *system
	known [][]bool  // per quantity, per cell
	val   [][]int64 // per quantity, per cell (used where known)
	floor []int64   // per quantity: 0 for rows, f per row for a sum
	least [][]int64 // per quantity, per cell: a lower bound from history, or nil
	group []int     // per quantity: the group of quantities solved together
	comp  [][]int32 // per group, per cell: component id or -1
	size  [][]int   // per group: cells per component
	cache map[lpKey]*attackLP
}

// lpKey names one group's program for one component.
type lpKey struct{ group, comp int }

// newAttacker builds the reader's knowledge; quantities index known, val and
// floor alike (0 is rows). Rows and the sums with a positive floor are
// coupled (sum >= f·rows) and solved together; a sum with a zero floor is
// solved alone.
func newAttacker(s *system, known [][]bool, val [][]int64, floor []int64) *attacker {
	r := &attacker{s: s, known: known, val: val, floor: floor, group: make([]int, len(floor)), cache: map[lpKey]*attackLP{}}
	groups := 1
	for q := 1; q < len(floor); q++ {
		if floor[q] == 0 {
			r.group[q] = groups
			groups++
		}
	}
	r.comp, r.size = make([][]int32, groups), make([][]int, groups)
	return r
}

// unknown reports whether cell x is unknown in some quantity of group g.
func (r *attacker) unknown(g int, x int32) bool {
	for q, gq := range r.group {
		if gq == g && !r.known[q][x] {
			return true
		}
	}
	return false
}

// components labels the unknown cells of group g by connected component
// (cells sharing a constraint).
func (r *attacker) components(g int) ([]int32, []int) {
	n := r.s.numCell
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, con := range r.s.cons {
		first := int32(-1)
		for _, x := range con {
			if !r.unknown(g, x) {
				continue
			}
			if first < 0 {
				first = find(x)
				continue
			}
			if y := find(x); y != first {
				parent[y] = first
			}
		}
	}
	comp := make([]int32, n)
	ids := map[int32]int32{}
	var size []int
	for i := range n {
		comp[i] = -1
		if !r.unknown(g, int32(i)) {
			continue
		}
		root := find(int32(i))
		id, ok := ids[root]
		if !ok {
			id = int32(len(size))
			ids[root] = id
			size = append(size, 0)
		}
		comp[i] = id
		size[id]++
	}
	return comp, size
}

// lowOf is the least value of quantity q of cell x that a reader takes
// for granted without the coupling: one row, or zero, or what an earlier
// release of part of the population showed (a cumulative table's cell is
// at least the earlier one's).
func (r *attacker) lowOf(q int, x int32) float64 {
	if r.least != nil && r.least[q] != nil {
		return float64(max(r.least[q][x], int64(r.lower(q))))
	}
	return r.lower(q)
}

// lower is the least value of quantity q in a listed cell that a reader
// can take for granted without the coupling: one row, or zero.
func (r *attacker) lower(q int) float64 {
	if q == 0 {
		return 1
	}
	return 0
}

// bounds returns the reader's least and greatest value of quantity q of
// cell x (unknown in q), in fixed point; hi is +Inf when unbounded.
func (r *attacker) bounds(x int32, q int) (lo, hi float64, err error) {
	p, err := r.program(x, q)
	if err != nil {
		return 0, 0, err
	}
	return p.bounds(x, q)
}

// program returns the program that bounds (x, q), building it once.
func (r *attacker) program(x int32, q int) (*attackLP, error) {
	g := r.group[q]
	if r.comp[g] == nil {
		r.comp[g], r.size[g] = r.components(g)
	}
	c := int(r.comp[g][x])
	if r.size[g][c] > maxAuditCells {
		return nil, fmt.Errorf("%w: %d suppressed cells are coupled, at most %d", ErrUnaudited, r.size[g][c], maxAuditCells)
	}
	p := r.cache[lpKey{g, c}]
	if p == nil {
		var cells []int32
		for i, ci := range r.comp[g] {
			if int(ci) == c {
				cells = append(cells, int32(i))
			}
		}
		p = r.build(g, cells, func(x int32) bool { return r.comp[g][x] == int32(c) })
		r.cache[lpKey{g, c}] = p
	}
	return p, nil
}

// attackLP is one group's program over one component, in standard form
// (minimise c·y subject to A·y = b, y >= 0), with y the scaled excess of
// each unknown value over its lower bound.
type attackLP struct {
	a      [][]float64
	n      int      // columns
	tab    *tableau // the feasible basis, once found
	tabErr error
	b      []float64
	vars   map[lpVar]int
	scale  []float64 // per quantity
	low    []float64 // per quantity: the least value of a cell without history
	lows   []float64 // per variable: its lower bound, added back
	// seenLo and seenHi are, per variable, the least and greatest value
	// (unscaled) at the feasible points found so far (see record);
	// pointsDone is set once feasiblePoints ran.
	seenLo, seenHi []float64
	pointsDone     bool
	// exact is the program in integer form (exactOK when every right-hand
	// side is an integer float64 holds), colScale each column's scale;
	// argMin and argMax the solutions of the last bounds.
	exact          []intRow
	exactOK        bool
	colScale       []float64
	argMin, argMax []float64
	argCol         int
	err            error // a program that could not be built (an inconsistent table)
}

type lpVar struct {
	cell int32
	q    int
}

// build assembles the program of group g over the given cells (in
// reports membership): their values unknown in a quantity of the group are
// the variables; every other value is taken as known. Over a component,
// that is the reader's program; over fewer cells, with the true values of
// the others, a restriction of it: its feasible points are still tables
// the reader cannot exclude, so the bounds it gives are inside the
// reader's.
func (r *attacker) build(g int, cells []int32, in func(int32) bool) *attackLP {
	p := &attackLP{vars: map[lpVar]int{}, scale: make([]float64, len(r.floor)), low: make([]float64, len(r.floor))}
	var qs []int
	for q, gq := range r.group {
		if gq == g {
			qs = append(qs, q)
			p.low[q] = r.lower(q)
		}
	}
	var cons []int32
	seenCon := map[int32]bool{}
	for _, x := range cells {
		for _, ci := range r.s.ofCell[x] {
			if !seenCon[ci] {
				seenCon[ci] = true
				cons = append(cons, ci)
			}
		}
	}
	slices.Sort(cons)
	// Equations per quantity, with their right-hand sides before scaling.
	type eq struct {
		cols []lpVar
		coef []float64
		rhs  float64
	}
	var eqs []eq
	for _, q := range qs {
		var e eliminator
		e.init()
		for _, ci := range cons {
			con := r.s.cons[ci]
			var rw row
			var out eq
			touches := false
			for i, x := range con {
				coef := -1.0
				if i == 0 {
					coef = 1
				}
				if r.known[q][x] || !in(x) {
					out.rhs -= coef * float64(r.val[q][x])
					continue
				}
				touches = true
				v := lpVar{x, q}
				if _, ok := p.vars[v]; !ok {
					p.vars[v] = len(p.vars)
					p.lows = append(p.lows, r.lowOf(q, x))
				}
				out.cols = append(out.cols, v)
				out.coef = append(out.coef, coef)
				out.rhs -= coef * r.lowOf(q, x)
				rw.cols = append(rw.cols, int32(p.vars[v]))
				rw.vals = append(rw.vals, int64(coef))
			}
			if !touches {
				continue
			}
			rw.sort()
			before := len(e.rows)
			if err := e.add(rw); err != nil {
				p.err = err
				return p
			}
			if len(e.rows) > before { // independent of the equations kept so far
				eqs = append(eqs, out)
			}
			p.scale[q] = max(p.scale[q], math.Abs(out.rhs))
		}
		p.scale[q] = max(p.scale[q], 1)
	}
	// Coupling: sum − f·rows − slack = 0 for every cell of the component
	// whose rows or sum is unknown.
	type couple struct {
		x int32
		q int
	}
	var couples []couple
	for _, q := range qs {
		if q == 0 || r.floor[q] == 0 {
			continue
		}
		for _, x := range cells {
			if !r.known[0][x] || !r.known[q][x] {
				couples = append(couples, couple{x, q})
			}
		}
	}
	n := len(p.vars) + len(couples)
	p.a = make([][]float64, len(eqs)+len(couples))
	for i := range p.a {
		p.a[i] = make([]float64, n)
	}
	p.n = n
	p.b = make([]float64, len(eqs)+len(couples))
	p.colScale = make([]float64, n)
	for v, j := range p.vars {
		p.colScale[j] = p.scale[v.q]
	}
	integral := func(f float64) (int64, bool) {
		return int64(f), f == math.Trunc(f) && math.Abs(f) < 1<<53
	}
	p.exactOK = true
	for i, e := range eqs {
		s := p.scale[e.cols[0].q]
		var ir intRow
		for j, v := range e.cols {
			p.a[i][p.vars[v]] = e.coef[j]
			ir.cols, ir.coef = append(ir.cols, p.vars[v]), append(ir.coef, int64(e.coef[j]))
		}
		p.b[i] = e.rhs / s
		var ok bool
		ir.rhs, ok = integral(e.rhs)
		p.exactOK = p.exactOK && ok
		p.exact = append(p.exact, ir)
	}
	for i, cp := range couples {
		row := len(eqs) + i
		f := float64(r.floor[cp.q])
		ss := p.scale[cp.q]
		var ir intRow
		rhs := 0.0 // sum − f·rows − slack = 0, divided by the sum's scale
		if r.known[cp.q][cp.x] || !in(cp.x) {
			rhs -= float64(r.val[cp.q][cp.x])
		} else {
			p.a[row][p.vars[lpVar{cp.x, cp.q}]] = 1
			ir.cols, ir.coef = append(ir.cols, p.vars[lpVar{cp.x, cp.q}]), append(ir.coef, 1)
			rhs -= r.lowOf(cp.q, cp.x)
		}
		if r.known[0][cp.x] {
			rhs += f * float64(r.val[0][cp.x])
		} else {
			p.a[row][p.vars[lpVar{cp.x, 0}]] = -f * p.scale[0] / ss
			ir.cols, ir.coef = append(ir.cols, p.vars[lpVar{cp.x, 0}]), append(ir.coef, -r.floor[cp.q])
			rhs += f * r.lowOf(0, cp.x)
		}
		p.a[row][len(p.vars)+i] = -1
		ir.cols, ir.coef = append(ir.cols, len(p.vars)+i), append(ir.coef, -1)
		p.colScale[len(p.vars)+i] = ss
		p.b[row] = rhs / ss
		var ok bool
		ir.rhs, ok = integral(rhs)
		p.exactOK = p.exactOK && ok
		p.exact = append(p.exact, ir)
	}
	return p
}

// intRow is one equation of a program in integer form, unscaled: the
// variables are the excesses over their lower bounds, in fixed point.
type intRow struct {
	cols []int
	coef []int64
	rhs  int64
}

// exactValue rounds a solution y of the scaled program to integers and
// checks, in integer arithmetic, that it satisfies every equation and
// bound: then it is a table the reader cannot exclude, and the value of
// variable j there (lower bound added back) is exact. It reports false
// when rounding does not give a feasible point.
func (p *attackLP) exactValue(y []float64, j int) (int64, bool) {
	if !p.exactOK || y == nil {
		return 0, false
	}
	v, ok := roundFeasible(y, p.colScale, p.exact)
	if !ok {
		return 0, false
	}
	return v[j] + int64(p.lows[j]), true
}

// roundFeasible rounds a solution y of a scaled program (column i scaled
// by scale[i]) to integers and checks, in integer arithmetic, that every
// row holds and every value is ≥ 0; it reports false when rounding does
// not give a feasible point.
func roundFeasible(y, scale []float64, rows []intRow) ([]int64, bool) {
	v := make([]int64, len(y))
	for i, yi := range y {
		f := math.Round(yi * scale[i])
		if f < 0 || f >= 1<<53 {
			return nil, false
		}
		v[i] = int64(f)
	}
	for _, ir := range rows {
		sum := int64(0)
		for k, c := range ir.cols {
			t, ok := mul(ir.coef[k], v[c])
			if !ok {
				return nil, false
			}
			if sum, ok = sub(sum, -t); !ok {
				return nil, false
			}
		}
		if sum != ir.rhs {
			return nil, false
		}
	}
	return v, true
}

// feasiblePoints computes feasible points of the program, once: the
// vertices that four random objectives per quantity reach. Each is a
// table a reader cannot tell from the true one, so a value a point takes
// is one the reader cannot exclude; Verify settles most cells with them
// and with the vertices its own solves pass through (see record).
func (p *attackLP) feasiblePoints() {
	if p.pointsDone || p.err != nil {
		return
	}
	p.pointsDone = true
	rng := rand.New(rand.NewPCG(1, 2)) // directions only; any would do
	for q := range p.scale {
		for range 4 {
			c := make([]float64, p.n)
			any := false
			for v, j := range p.vars {
				if v.q == q {
					c[j], any = rng.Float64()-0.5, true
				}
			}
			if any {
				_, _, _ = p.solve(c, nil) // a failure only leaves fewer points
			}
		}
	}
}

// record widens the range of values seen at feasible points by the
// point y of the scaled program.
func (p *attackLP) record(y []float64) {
	if p.seenLo == nil {
		p.seenLo, p.seenHi = make([]float64, len(p.vars)), make([]float64, len(p.vars))
		for j := range p.seenLo {
			p.seenLo[j], p.seenHi[j] = math.Inf(1), math.Inf(-1)
		}
	}
	for j := range p.seenLo {
		v := y[j]*p.colScale[j] + p.lows[j]
		p.seenLo[j], p.seenHi[j] = min(p.seenLo[j], v), max(p.seenHi[j], v)
	}
}

// reach returns the least and greatest value of (x, q) over the feasible
// points found so far, and false when there are none or the program lacks
// the variable.
func (p *attackLP) reach(x int32, q int) (lo, hi float64, ok bool) {
	j, in := p.vars[lpVar{x, q}]
	p.feasiblePoints()
	if !in || p.seenLo == nil {
		return 0, 0, false
	}
	return p.seenLo[j], p.seenHi[j], true
}

// push moves variable (x, q) up (or down) from the current vertex until
// its value reaches until or cannot go further, and returns the value it
// ended at (unscaled; ±Inf when unbounded) and whether that is the
// optimum. The vertex is recorded.
func (p *attackLP) push(j int, up bool, until float64) (float64, bool, error) {
	c := make([]float64, p.n)
	c[j] = 1
	if up {
		c[j] = -1
	}
	s, low := p.colScale[j], p.lows[j]
	stopped := false
	stop := func(tb *tableau) bool {
		v := tb.value(j)*s + low
		stopped = (up && v >= until) || (!up && v <= until)
		return stopped
	}
	_, y, err := p.solve(c, stop)
	switch {
	case errors.Is(err, errUnbounded) && up:
		return math.Inf(1), true, nil
	case err != nil:
		return 0, false, solverError(err)
	}
	return y[j]*s + low, !stopped, nil
}

// bounds solves the program twice for variable (x, q).
func (p *attackLP) bounds(x int32, q int) (lo, hi float64, err error) {
	if p.err != nil {
		return 0, 0, p.err
	}
	j, ok := p.vars[lpVar{x, q}]
	if !ok { // in no equation (a table without margins): only its lower bound
		return p.low[q], math.Inf(1), nil // no history reaches a cell in no equation
	}
	cols := p.n
	c := make([]float64, cols)
	c[j] = 1
	fmin, ymin, err := p.solve(c, nil)
	if err != nil {
		return 0, 0, solverError(err)
	}
	c[j] = -1
	fmax, ymax, err := p.solve(c, nil)
	p.argMin, p.argMax, p.argCol = ymin, ymax, j
	switch {
	case errors.Is(err, errUnbounded):
		hi = math.Inf(1)
	case err != nil:
		return 0, 0, solverError(err)
	default:
		hi = -fmax*p.scale[q] + p.lows[j]
	}
	return fmin*p.scale[q] + p.lows[j], hi, nil
}

// solve minimises c·y over the program (simplex.go) from the vertex the
// last solve ended at, running phase one once per program, and records
// the vertex it ends at. The vertex is checked against the program's
// equations: should rounding have drifted the tableau away from them,
// phase one runs again from the program and the objective is solved
// afresh, and a second drift is a solver failure.
func (p *attackLP) solve(c []float64, stop func(*tableau) bool) (float64, []float64, error) {
	for try := range 2 {
		if p.tab == nil && p.tabErr == nil {
			p.tab, p.tabErr = newTableau(p.a, p.b, p.n)
		}
		if p.tabErr != nil {
			return 0, nil, p.tabErr
		}
		f, y, err := p.tab.optimize(c, stop)
		if y == nil {
			return f, y, err
		}
		if p.satisfies(y) {
			p.record(y)
			return f, y, err
		}
		p.tab = nil
		if try == 1 {
			break
		}
	}
	return 0, nil, errSolver
}

// residualTol is the largest residual of an equation, on the scaled
// program, at a point that counts as feasible: far inside lpMargin.
const residualTol = 1e-9

// satisfies reports whether y (scaled, non-negative) satisfies every
// equation of the program to within residualTol.
func (p *attackLP) satisfies(y []float64) bool {
	for i, row := range p.a {
		s := -p.b[i]
		for j, v := range row {
			if v != 0 {
				s += v * y[j]
			}
		}
		if math.Abs(s) > residualTol*(1+math.Abs(p.b[i])) {
			return false
		}
	}
	return true
}

// solverError wraps a failure of the solver: an infeasible program is an
// inconsistent table; anything else is a numerical failure, which the
// audit never takes for protection.
func solverError(err error) error {
	if errors.Is(err, errInfeasible) {
		return fmt.Errorf("%w: the published values are inconsistent", ErrDisclosive)
	}
	return fmt.Errorf("%w: %w: %w", ErrUnaudited, errSolver, err)
}

// localSizes are the neighbourhoods Release tries, in suppressed cells,
// before it suppresses more.
var localSizes = [...]int{48, 240}

// protectsLocally reports whether the reader's program restricted to a
// neighbourhood of the level's cell (the suppressed cells nearest to it
// through constraints, the others held at their true values) already
// shows the level protected: the restriction's bounds are inside the
// reader's, so this proves it. It needs the true values of every cell.
// It also returns the neighbourhood that proved the level: the proof holds
// while those cells stay suppressed, whatever becomes of the others (a
// cell outside it enters at its true value either way).
func (r *attacker) protectsLocally(lv level) (bool, []int32) {
	q := int(lv.q)
	g := r.group[q]
	for _, n := range localSizes {
		cells := r.neighbourhood(lv.cell, g, n)
		in := make(map[int32]bool, len(cells))
		for _, x := range cells {
			in[x] = true
		}
		p := r.build(g, cells, func(x int32) bool { return in[x] })
		lo, hi, err := p.bounds(lv.cell, q)
		if err == nil && p.covers(lv, q, lo, hi) {
			return true, cells
		}
		if len(cells) < n {
			return false, nil // the whole component: a larger one is the same
		}
	}
	return false, nil
}

// neighbourhood returns up to n cells unknown in group g, breadth first
// from x through the constraints.
func (r *attacker) neighbourhood(x int32, g, n int) []int32 {
	out := []int32{x}
	seen := map[int32]bool{x: true}
	for i := 0; i < len(out) && len(out) < n; i++ {
		for _, ci := range r.s.ofCell[out[i]] {
			for _, y := range r.s.cons[ci] {
				if !seen[y] && r.unknown(g, y) {
					seen[y] = true
					out = append(out, y)
					if len(out) == n {
						return out
					}
				}
			}
		}
	}
	return out
}

// covers reports whether bounds [lo, hi] on quantity q contain the
// level's interval, with the solver margin against the safe side except
// at the least value the reader grants anyway.
func (p *attackLP) covers(lv level, q int, lo, hi float64) bool {
	m := lpMargin * p.scale[q]
	okLo := lo <= float64(lv.lo)-m || (lv.lo <= lv.least && lo <= float64(lv.least)+m)
	okHi := hi >= float64(lv.hi)+m
	// Within the margin of a target, the rounded optimum decides exactly.
	if !okLo && lo <= float64(lv.lo)+m {
		v, ok := p.exactValue(p.argMin, p.argCol)
		okLo = ok && v <= lv.lo
	}
	if !okHi && hi >= float64(lv.hi)-m {
		v, ok := p.exactValue(p.argMax, p.argCol)
		okHi = ok && v >= lv.hi
	}
	return okLo && okHi
}
