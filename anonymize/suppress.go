package anonymize

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// This file holds secondary suppression and its audit.
//
// With margins, a table is a linear system: every margin cell equals the sum
// of its children along each dimension where its key is Total. The same
// equations, with the same coefficients, hold for Rows and for every
// measure's sum (a cell is suppressed whole), so one structural audit covers
// them all. Subjects is not part of the system: it is saturated at K and
// not additive (see Cell.Subjects), so it carries no equation. A reader
// knows the published cells (and knows that absent cells are zero), so the
// suppressed values x_S satisfy A_S x_S = b, where A_S is the constraint
// matrix restricted to the suppressed columns. A suppressed cell s is
// determined exactly, by some combination of additions and subtractions of
// published values, if and only if the unit vector e_s lies in the row space
// of A_S (otherwise a null vector z of A_S with z_s != 0 moves x_s freely).
//
// The audit decides this exactly: it brings A_S to reduced row echelon form
// over the rationals by fraction-free Gauss-Jordan elimination on sparse
// integer rows (each row divided by the gcd of its entries), with every
// product checked for overflow. Cell s is determined iff its column is a
// pivot whose row has no other entry. Should an entry ever exceed 63 bits,
// the audit fails with an error instead of guessing, and nothing is released.
//
// A reader knows more than the equations: every listed cell holds at least
// one row, and some measures have a floor. hypercube.go makes Release give
// every suppressed cell a witness that these bounds, however combined, do
// not pin it or put it below K; bounds.go holds the weaker check that
// Verify can run without the true values. A witness also proves a cell
// underivable, so the rank audit below is, after it, an independent check.
//
// Secondary suppression is iterative: first, while a constraint holds exactly
// one suppressed cell, suppress the smallest published cell of that
// constraint; while a suppressed cell has no witness, suppress the
// published corners of its cheapest one; then run the audit and, for every
// determined cell, suppress the smallest published cell sharing a
// constraint with it; repeat until nothing is found. "Smallest" and
// "cheapest" are by rows, so that the cells lost are the small ones.

// errAuditOverflow reports an elimination whose coefficients left int64.
var errAuditOverflow = fmt.Errorf("%w: coefficients overflow 63 bits", ErrUnaudited)

// system is the constraint structure of a table with margins.
type system struct {
	cons    [][]int32 // cons[i][0] is the parent (+1); the rest are children (-1)
	ofCell  [][]int32 // constraints each cell takes part in
	numCell int
}

// newSystem derives the constraints from the cells' keys. When strict,
// every margin that a cell implies must be present; otherwise (tables
// audited together) a missing margin is a value nobody publishes, and its
// constraint is left out as it would bind nothing.
func newSystem(keys [][]string, strict bool) (*system, error) {
	return newLinkedSystem(keys, strict, nil)
}

// joinKey encodes a key unambiguously (length-prefixed components).
func joinKey(k []string) string {
	var b strings.Builder
	for _, v := range k {
		fmt.Fprintf(&b, "%d:%s", len(v), v)
	}
	return b.String()
}

// protect adds secondary suppressions to reasons until every suppressed
// cell has a witness (see hypercube.go) and the audit passes. Candidates
// are ordered by rows, smallest first.
func (s *system) protect(reasons []Reason, lvs []level, kn *knowledge, w *witness) error {
	if err := s.repair(reasons, lvs, kn, w); err != nil {
		return err
	}
	s.pruneWide(reasons, lvs, kn, w)
	if err := s.prune(reasons, lvs, kn, w, false); err != nil {
		return err
	}
	for range improveRounds {
		better, err := s.improve(reasons, lvs, kn, w)
		if err != nil {
			return err
		}
		if !better {
			break
		}
	}
	return s.prune(reasons, lvs, kn, w, true)
}

// attackerOf returns the reader of a table whose suppressed cells are
// those of reasons, with what kn knows of the others.
func attackerOf(s *system, reasons []Reason, kn *knowledge) *attacker {
	nq := 1 + len(kn.sums)
	known, val := make([][]bool, nq), make([][]int64, nq)
	floor := append([]int64{0}, kn.floors...)
	for q := range nq {
		known[q] = make([]bool, s.numCell)
		for i, r := range reasons {
			known[q][i] = r == NotSuppressed
		}
		val[q] = kn.rows
		if q > 0 {
			val[q] = kn.sums[q-1]
			for i, v := range val[q] {
				known[q][i] = known[q][i] && v != unknownSum
			}
		}
	}
	att := newAttacker(s, known, val, floor)
	att.least = kn.least
	return att
}

// protectLevels checks every protection level, first by integer
// hypercube moves among the suppressed cells, then by the reader's linear
// program restricted to a neighbourhood of the cell (protectsLocally);
// where neither proves the level protected it suppresses the cheapest
// hypercube that moves the cell by what it lacks. It reports whether it
// suppressed anything; when it did not, every level is proved protected
// against the reader's linear program. With add false it only
// checks, and reports whether a level is unprotected.
func (s *system) protectLevels(reasons []Reason, lvs []level, kn *knowledge, w *witness, add bool) (bool, error) {
	att := attackerOf(s, reasons, kn)
	added := false
	if w.proved == nil {
		w.proved, w.levelRests = map[int]bool{}, map[int][]int32{}
	}
	for li, lv := range lvs {
		if add && w.proved[li] {
			continue // more suppressions only widen the reader's bounds
		}
		proved := true
		var rests []int32
		rec := func(c []int32) { rests = append(rests, c...) }
		v := w.values(lv.q)[lv.cell]
		lpDone := false
		for _, dir := range []int8{1, -1} {
			want := lv.hi - v
			if dir < 0 {
				want = v - lv.lo
			}
			if want <= 0 {
				continue
			}
			got := w.lift(lv.cell, lv.q, dir, want, reasons, rec)
			if got >= want {
				continue
			}
			if !lpDone {
				ok, cells := att.protectsLocally(lv)
				if ok {
					rests = append(rests, cells...)
					break
				}
				lpDone = true
			}
			if !add {
				return true, nil
			}
			proved = false
			c := w.cheapestLift(lv.cell, lv.q, dir, want-got, reasons)
			if c == nil { // cannot happen: the all-Total hypercube qualifies
				return false, fmt.Errorf("%w: a protection level cannot be met", ErrDisclosive)
			}
			if hideAll(c, reasons) {
				added = true
			}
		}
		if proved {
			w.levelRests[li] = rests
		}
		if add && proved {
			w.proved[li] = true
		}
	}
	return added, nil
}

// lpWitnessLimit bounds the suppressed cells of a table on which cover
// and prune look for local-LP witnesses: they save complements on small
// tables and cost a program per cell on large ones, where hypercubes do.
const lpWitnessLimit = 400

// lpWitness returns a check that the reader's program, restricted to a
// neighbourhood of a suppressed cell (protectsLocally), shows what a
// hypercube witness shows: its rows reach K (or, from K rows or more,
// move at all) and its sums with a zero floor move. Hypercubes pair two
// values per dimension; the program combines any moves, so it proves
// cells that no single family of hypercubes does.
func (s *system) lpWitness(reasons []Reason, kn *knowledge) func(int32, func([]int32)) bool {
	var att *attacker
	hidden := 0
	for _, r := range reasons {
		if r != NotSuppressed {
			hidden++
		}
	}
	if hidden > lpWitnessLimit {
		return func(int32, func([]int32)) bool { return false }
	}
	return func(x int32, rec func([]int32)) bool {
		if att == nil {
			att = attackerOf(s, reasons, kn)
		}
		return att.witnesses(x, kn, rec)
	}
}

// witnesses reports whether the reader's program, restricted to
// neighbourhoods of suppressed cell x, shows what a hypercube witness
// shows (see lpWitness), calling rec (when not nil) with each
// neighbourhood a proof rests on.
func (att *attacker) witnesses(x int32, kn *knowledge, rec func([]int32)) bool {
	holds := func(lv level) bool {
		ok, cells := att.protectsLocally(lv)
		if ok && rec != nil {
			rec(cells)
		}
		return ok
	}
	moves := func(q quantity, v, up int64) bool {
		return holds(level{cell: x, q: q, lo: v, hi: v + up, least: v}) ||
			v > 0 && holds(level{cell: x, q: q, lo: v - up, hi: v - up, least: -1})
	}
	r := kn.rows[x]
	if r < kn.k {
		if !holds(level{cell: x, q: rowsQ, lo: r, hi: kn.k, least: r}) {
			return false
		}
	} else if !moves(rowsQ, r, 1) {
		return false
	}
	for j, f := range kn.floors {
		if f == 0 && !moves(quantity(j+1), kn.sums[j][x], 1) {
			return false
		}
	}
	return true
}

// smaller orders cells by size, then index.
func smaller(size []int64, a, b int32) bool {
	return size[a] < size[b] || (size[a] == size[b] && a < b)
}

// smallestPublished returns the smallest published cell of constraint c,
// or -1.
func (s *system) smallestPublished(c int32, reasons []Reason, size []int64) int32 {
	best := int32(-1)
	for _, x := range s.cons[c] {
		if reasons[x] == NotSuppressed && (best < 0 || smaller(size, x, best)) {
			best = x
		}
	}
	return best
}

// settle runs the cheap pass until nothing changes: a constraint with one
// suppressed cell gives it away, so its smallest published cell is
// suppressed too.
func (s *system) settle(reasons []Reason, size []int64) {
	for changed := true; changed; {
		changed = false
		for ci, con := range s.cons {
			if countSuppressed(con, reasons) != 1 {
				continue
			}
			if x := s.smallestPublished(int32(ci), reasons, size); x >= 0 {
				reasons[x] = Secondary
				changed = true
			}
		}
	}
}

func countSuppressed(con []int32, reasons []Reason) int {
	n := 0
	for _, x := range con {
		if reasons[x] != NotSuppressed {
			n++
		}
	}
	return n
}

// hideNeighbours suppresses, for each determined cell, the smallest
// published cell sharing a constraint with it; when every constraint of
// every determined cell is fully suppressed, it widens to the smallest
// published cell next to any suppression.
func (s *system) hideNeighbours(det []int32, reasons []Reason, size []int64) error {
	added := false
	for _, d := range det {
		best := int32(-1)
		for _, c := range s.ofCell[d] {
			if x := s.smallestPublished(c, reasons, size); x >= 0 && (best < 0 || smaller(size, x, best)) {
				best = x
			}
		}
		if best >= 0 && reasons[best] == NotSuppressed {
			reasons[best] = Secondary
			added = true
		}
	}
	if added {
		return nil
	}
	return s.widen(reasons, size)
}

// widen suppresses the smallest published cell next to any suppression,
// when the targeted choices found nothing to suppress.
func (s *system) widen(reasons []Reason, size []int64) error {
	best := int32(-1)
	for c := range s.cons {
		if x := s.smallestPublished(int32(c), reasons, size); x >= 0 && (best < 0 || smaller(size, x, best)) {
			best = x
		}
	}
	if best < 0 {
		return fmt.Errorf("%w: secondary suppression did not converge", ErrDisclosive)
	}
	reasons[best] = Secondary
	return nil
}

// pruneLimit bounds the number of secondary suppressions prune tries to
// lift: each try is one audit.
const pruneLimit = 32

// prune lifts secondary suppressions that turn out unnecessary, largest
// cells first, keeping each lift only if every suppressed cell keeps a
// witness and the audit still passes. The greedy loop of protect adds
// cells a few at a time and often hides more than needed; pruning recovers
// many of them.
func (s *system) prune(reasons []Reason, lvs []level, kn *knowledge, w *witness, useLP bool) error {
	var sec []int32
	for i, r := range reasons {
		if r == Secondary {
			sec = append(sec, int32(i))
		}
	}
	if len(sec) > pruneLimit {
		return nil
	}
	size := kn.rows
	slices.SortFunc(sec, func(a, b int32) int {
		if size[a] != size[b] {
			return cmp.Compare(size[b], size[a])
		}
		return cmp.Compare(a, b)
	})
	// holds reports whether the pattern keeps every promise.
	holds := func() (bool, error) {
		proves := func(int32, func([]int32)) bool { return false }
		if useLP {
			proves = s.lpWitness(reasons, kn)
		}
		if !w.allCovered(reasons, proves) {
			return false, nil
		}
		if det, err := s.auditSmall(reasons); err != nil || len(det) > 0 {
			return false, err
		}
		bad, err := s.protectLevels(reasons, lvs, kn, w, false)
		return !bad, err
	}
	for _, c := range sec {
		if reasons[c] != Secondary {
			continue // lifted as a partner
		}
		reasons[c] = NotSuppressed
		ok, err := holds()
		if err != nil {
			return err
		}
		if ok {
			continue
		}
		// Lifted alone, c may leave a constraint with one hidden cell,
		// which gives it away; lifted together with that cell, neither
		// may be needed.
		for _, d := range s.partners(c, reasons) {
			reasons[d] = NotSuppressed
			if ok, err = holds(); err != nil {
				return err
			}
			if ok {
				break
			}
			reasons[d] = Secondary
		}
		if !ok {
			reasons[c] = Secondary
		}
	}
	return nil
}

// partners returns the complements that are, with c published, the only
// suppressed cell of a constraint of c.
func (s *system) partners(c int32, reasons []Reason) []int32 {
	var out []int32
	for _, ci := range s.ofCell[c] {
		only := int32(-1)
		for _, x := range s.cons[ci] {
			if reasons[x] == NotSuppressed {
				continue
			}
			if only >= 0 {
				only = -1
				break
			}
			only = x
		}
		if only >= 0 && reasons[only] == Secondary && !slices.Contains(out, only) {
			out = append(out, only)
		}
	}
	return out
}

// rankAuditLimit bounds the suppressed cells of the rank audit that
// Release runs as an independent check of its witnesses. Beyond it the
// elimination's fill-in makes it the slowest step by far, and the
// witnesses alone prove every suppressed cell underivable.
const rankAuditLimit = 2500

// auditSmall is audit on tables with at most rankAuditLimit suppressed
// cells, and finds nothing on larger ones (see rankAuditLimit).
func (s *system) auditSmall(reasons []Reason) ([]int32, error) {
	n := 0
	for _, r := range reasons {
		if r != NotSuppressed {
			n++
		}
	}
	if n > rankAuditLimit {
		return nil, nil
	}
	return s.audit(reasons)
}

// improve searches for a cheaper pattern than the one found, on tables
// with at most pruneLimit complements: for each complement, largest first,
// it protects the primaries again from scratch with that cell made too
// dear to pick, and keeps the result when its complements' rows total
// less. The greedy choices are made one cell at a time and cascade (a
// small cell hidden in one margin forces its neighbours); starting again
// without the costly one undoes a whole cascade.
func (s *system) improve(reasons []Reason, lvs []level, kn *knowledge, w *witness) (bool, error) {
	total := func(r []Reason) int64 {
		var n int64
		for i, x := range r {
			if x == Secondary {
				n += kn.rows[i]
			}
		}
		return n
	}
	var sec []int32
	for i, r := range reasons {
		if r == Secondary {
			sec = append(sec, int32(i))
		}
	}
	if len(sec) > pruneLimit {
		return false, nil
	}
	slices.SortFunc(sec, func(a, b int32) int { return cmp.Compare(kn.rows[b], kn.rows[a]) })
	best, better := total(reasons), false
	dear := slices.Clone(kn.rows)
	for _, c := range sec {
		if reasons[c] != Secondary {
			continue
		}
		trial := slices.Clone(reasons)
		for i, r := range trial {
			if r == Secondary {
				trial[i] = NotSuppressed
			}
		}
		cost := slices.Clone(dear)
		cost[c] = inf / 4
		tw := &witness{g: w.g, kn: kn, zero: w.zero, cost: cost}
		if err := s.repair(trial, lvs, kn, tw); err != nil {
			return false, err
		}
		s.pruneWide(trial, lvs, kn, tw)
		if err := s.prune(trial, lvs, kn, tw, false); err != nil {
			return false, err
		}
		if t := total(trial); t < best {
			copy(reasons, trial)
			best, dear, better = t, cost, true
		}
	}
	return better, nil
}

// improveRounds bounds the rounds of improve.
const improveRounds = 4

// repair adds secondary suppressions to reasons until every suppressed
// cell has a witness and the audit passes, without prune and improve: the
// loop protect starts with.
func (s *system) repair(reasons []Reason, lvs []level, kn *knowledge, w *witness) error {
	for {
		s.settle(reasons, w.cost)
		added, err := w.cover(reasons, s.lpWitness(reasons, kn))
		if err != nil {
			return err
		}
		if added {
			continue
		}
		det, err := s.auditSmall(reasons)
		if err != nil {
			return err
		}
		if len(det) > 0 {
			if err := s.hideNeighbours(det, reasons, w.cost); err != nil {
				return err
			}
			continue
		}
		added, err = s.protectLevels(reasons, lvs, kn, w, true)
		if err != nil || !added {
			return err
		}
	}
}

// audit returns the suppressed cells whose value the published cells
// determine exactly, in increasing order.
func (s *system) audit(reasons []Reason) ([]int32, error) {
	var e eliminator
	e.init()
	for _, con := range s.cons {
		var r row
		for i, x := range con {
			if reasons[x] == NotSuppressed {
				continue
			}
			v := int64(-1)
			if i == 0 {
				v = 1
			}
			r.cols = append(r.cols, x)
			r.vals = append(r.vals, v)
		}
		if len(r.cols) == 0 {
			continue
		}
		r.sort()
		if err := e.add(r); err != nil {
			return nil, err
		}
	}
	var det []int32
	for col, p := range e.pivot {
		if len(e.rows[p].cols) == 1 {
			det = append(det, col)
		}
	}
	slices.Sort(det)
	return det, nil
}

// row is a sparse integer row, columns increasing, no zero values.
type row struct {
	cols []int32
	vals []int64
}

func (r *row) sort() {
	idx := make([]int, len(r.cols))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return int(r.cols[a]) - int(r.cols[b]) })
	cols, vals := make([]int32, len(idx)), make([]int64, len(idx))
	for i, j := range idx {
		cols[i], vals[i] = r.cols[j], r.vals[j]
	}
	r.cols, r.vals = cols, vals
}

func (r *row) get(col int32) int64 {
	if i, ok := slices.BinarySearch(r.cols, col); ok {
		return r.vals[i]
	}
	return 0
}

// eliminator keeps a basis of the rows added so far in reduced row echelon
// form: each basis row has a pivot column that no other basis row contains.
type eliminator struct {
	rows  []row
	pivot map[int32]int32          // pivot column → basis row
	occur map[int32]map[int32]bool // non-pivot column → basis rows containing it
}

func (e *eliminator) init() {
	e.pivot = map[int32]int32{}
	e.occur = map[int32]map[int32]bool{}
}

// add reduces r against the basis and, if anything is left, makes it a new
// basis row and eliminates its pivot from the others.
func (e *eliminator) add(r row) error {
	for _, c := range slices.Clone(r.cols) {
		p, ok := e.pivot[c]
		if !ok {
			continue
		}
		var err error
		if r, err = combine(r, e.rows[p], c); err != nil {
			return err
		}
	}
	if len(r.cols) == 0 {
		return nil
	}
	// Pivot on the column with fewest occurrences, to limit fill-in.
	pc := r.cols[0]
	for _, c := range r.cols[1:] {
		if len(e.occur[c]) < len(e.occur[pc]) {
			pc = c
		}
	}
	id := int32(len(e.rows))
	for q := range e.occur[pc] {
		old := e.rows[q]
		nr, err := combine(old, r, pc)
		if err != nil {
			return err
		}
		e.rows[q] = nr
		e.reindex(q, old, nr)
	}
	delete(e.occur, pc)
	e.rows = append(e.rows, r)
	e.pivot[pc] = id
	for _, c := range r.cols {
		if c != pc {
			e.mark(c, id)
		}
	}
	return nil
}

func (e *eliminator) mark(c, q int32) {
	m := e.occur[c]
	if m == nil {
		m = map[int32]bool{}
		e.occur[c] = m
	}
	m[q] = true
}

// reindex updates the occurrence sets of basis row q (not its pivot).
func (e *eliminator) reindex(q int32, old, nr row) {
	for _, c := range old.cols {
		if _, isPivot := e.pivot[c]; !isPivot {
			delete(e.occur[c], q)
		}
	}
	for _, c := range nr.cols {
		if _, isPivot := e.pivot[c]; !isPivot {
			e.mark(c, q)
		}
	}
}

// combine returns a*r - b*p, with a and b chosen so that column c cancels
// (p[c] != 0), divided by the gcd of its entries and with a positive first
// entry. Over the rationals it spans the same row space as r given p.
func combine(r, p row, c int32) (row, error) {
	rc, pc := r.get(c), p.get(c)
	if rc == 0 {
		return r, nil
	}
	g := gcd(abs(rc), abs(pc))
	a, b := pc/g, rc/g
	var out row
	i, j := 0, 0
	for i < len(r.cols) || j < len(p.cols) {
		var col int32
		var x, y int64
		switch {
		case j >= len(p.cols) || (i < len(r.cols) && r.cols[i] < p.cols[j]):
			col, x = r.cols[i], r.vals[i]
			i++
		case i >= len(r.cols) || p.cols[j] < r.cols[i]:
			col, y = p.cols[j], p.vals[j]
			j++
		default:
			col, x, y = r.cols[i], r.vals[i], p.vals[j]
			i++
			j++
		}
		ax, ok1 := mul(a, x)
		by, ok2 := mul(b, y)
		v, ok3 := sub(ax, by)
		if !ok1 || !ok2 || !ok3 {
			return row{}, errAuditOverflow
		}
		if v != 0 {
			out.cols = append(out.cols, col)
			out.vals = append(out.vals, v)
		}
	}
	normalize(&out)
	return out, nil
}

func normalize(r *row) {
	if len(r.vals) == 0 {
		return
	}
	g := int64(0)
	for _, v := range r.vals {
		g = gcd(g, abs(v))
	}
	if r.vals[0] < 0 {
		g = -g
	}
	for i := range r.vals {
		r.vals[i] /= g
	}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// abs of a value that is never math.MinInt64 (mul and sub refuse it).
func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// mul returns a*b and false when it leaves (-2^63, 2^63).
func mul(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(abs(a)), uint64(abs(b)))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	v := int64(lo)
	if (a < 0) != (b < 0) {
		v = -v
	}
	return v, true
}

// sub returns a-b and false on overflow or math.MinInt64.
func sub(a, b int64) (int64, bool) {
	v := a - b
	if (b > 0 && v > a) || (b < 0 && v < a) || v == math.MinInt64 {
		return 0, false
	}
	return v, true
}
