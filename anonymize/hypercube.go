package anonymize

import (
	"fmt"
	"math"
)

// This file gives Release its guarantee that no suppressed cell is
// exposed: not derivable, not pinned, and not bounded below K rows, by the
// published values, the margins and presence (one row per listed cell, a
// sum at least its floor times its rows), whatever combination of them a
// reader uses, linear programming included.
//
// Release knows the true values x, so it proves this with a witness per
// suppressed cell s: another table x' that a reader cannot tell from x
// (same published values, same listed cells, every one still with a row)
// in which s differs, and holds K rows or more when x_s < K. The witnesses
// are hypercube moves, as in tau-ARGUS's hypercube method: take, in every
// dimension, s's value and one other (Total counts as a value); the 2^d
// corners get signs that flip between two real values and not between a
// value and Total, and then adding t to the + corners and subtracting t
// from the − corners keeps every margin equation (an equation sums along
// one dimension, where the corners come in pairs that cancel: two children
// of opposite signs, or a child and its margin of the same sign). With
// every corner suppressed and listed, the move is invisible; it keeps
// presence while the − corners keep a row each, so it is a witness when
// they have room for t = max(1, K−x_s), or, for a cell with x_s >= K, when
// either side has room for t = 1. Moves add up, so several hypercubes may
// share the raise, each − corner giving at most its rows minus one in all.
// Sums move along: by f·t for a floor f > 0, which keeps every sum at or
// above f times its rows, and, for a floor of zero, by one unit the way
// the sums have room for. A cell without a witness gets suppressed the
// hypercube that gives the room it lacks for the fewest published rows.
// The hypercube pairing every value of s with Total has only + corners and
// unlimited room, so there is always one, and the loop ends.

// grid indexes the cells of a table with margins by their coordinates:
// per dimension a value id, 0 for Total.
type grid struct {
	dims   int
	n      []uint32 // real values per dimension
	coords [][MaxDimensions]uint32
	index  map[[MaxDimensions]uint32]int32
	// dense indexes the cells by mixed-radix coordinates when the full
	// grid is small enough (-1 for an absent cell): one slice load per
	// corner instead of a map lookup.
	dense  []int32
	off    []int // per cell, its index in dense
	stride [MaxDimensions]int
	// visits counts the hypercubes found and the partial ones tried along
	// flat dimensions: the unit of work that bounds pruneWide.
	visits int
	// tree holds, per dimension, its hierarchy (hierarchy.go), nil when flat.
	tree []*gridTree
}

// denseLimit bounds the size of the dense index.
const denseLimit = 1 << 22

// lookup returns the cell at coordinates c.
func (g *grid) lookup(c [MaxDimensions]uint32) (int32, bool) {
	if g.dense != nil {
		off := 0
		for d := range g.dims {
			off += int(c[d]) * g.stride[d]
		}
		x := g.dense[off]
		return x, x >= 0
	}
	x, ok := g.index[c]
	return x, ok
}

func newGrid(keys [][]string) *grid {
	g := &grid{coords: make([][MaxDimensions]uint32, len(keys)), index: make(map[[MaxDimensions]uint32]int32, len(keys))}
	if len(keys) > 0 {
		g.dims = len(keys[0])
	}
	ids := make([]map[string]uint32, g.dims)
	g.n = make([]uint32, g.dims)
	for d := range ids {
		ids[d] = map[string]uint32{}
	}
	for i, k := range keys {
		for d, v := range k {
			if v == Total {
				continue
			}
			id, ok := ids[d][v]
			if !ok {
				g.n[d]++
				id = g.n[d]
				ids[d][v] = id
			}
			g.coords[i][d] = id
		}
		g.index[g.coords[i]] = int32(i)
	}
	size := 1
	for d := range g.dims {
		g.stride[d] = size
		size *= int(g.n[d]) + 1
		if size > denseLimit {
			return g
		}
	}
	g.dense = make([]int32, size)
	for i := range g.dense {
		g.dense[i] = -1
	}
	g.off = make([]int, len(g.coords))
	for i, c := range g.coords {
		off := 0
		for d := range g.dims {
			off += int(c[d]) * g.stride[d]
		}
		g.dense[off] = int32(i)
		g.off[i] = off
	}
	return g
}

// cubes calls visit with every hypercube through cell s whose corners are
// all listed and accepted by ok, until visit returns false. corners[0] is
// s; signs are +1 or -1, +1 on s. When keep is not nil, a partial
// hypercube that keep rejects is not extended: its corners along the
// dimensions chosen so far, with their signs, are corners of every
// hypercube that extends it, so keep prunes by what they already rule out.
func (g *grid) cubes(s int32, ok func(int32) bool, keep func([]int32, []int8) bool, visit func(corners []int32, signs []int8) bool) {
	// One buffer per depth: siblings reuse it, and visit sees corners only
	// while it runs.
	var bufC [MaxDimensions + 1][]int32
	var bufS [MaxDimensions + 1][]int8
	for d := 1; d <= g.dims; d++ {
		bufC[d], bufS[d] = make([]int32, 0, 1<<d), make([]int8, 0, 1<<d)
	}
	bufC[0], bufS[0] = []int32{s}, []int8{1}
	g.extend(s, 0, &bufC, &bufS, ok, keep, func(c []int32, sg []int8) bool {
		g.visits++ // hierarchical dimensions' moves count here
		return visit(c, sg)
	})
}

// extend picks the other value of dimension d and recurses; it returns
// false when visit asked to stop.
func (g *grid) extend(s int32, d int, bufC *[MaxDimensions + 1][]int32, bufS *[MaxDimensions + 1][]int8, ok func(int32) bool, keep func([]int32, []int8) bool, visit func([]int32, []int8) bool) bool {
	corners, signs := bufC[d], bufS[d]
	if d == g.dims {
		return visit(corners, signs)
	}
	if g.tree != nil && g.tree[d] != nil {
		return g.extendTree(s, d, bufC, bufS, ok, keep, visit)
	}
	own := g.coords[s][d]
	for alt := uint32(0); alt <= g.n[d]; alt++ {
		if alt == own {
			continue
		}
		flip := int8(1)
		if own != 0 && alt != 0 {
			flip = -1
		}
		next := append(bufC[d+1][:0], corners...)
		nextSigns := append(bufS[d+1][:0], signs...)
		found := true
		g.visits++
		for i, x := range corners {
			var y int32
			listed := true
			if g.dense != nil { // x's own offset, moved along d
				y = g.dense[g.off[x]+(int(alt)-int(g.coords[x][d]))*g.stride[d]]
				listed = y >= 0
			} else {
				c := g.coords[x]
				c[d] = alt
				y, listed = g.lookup(c)
			}
			if !listed || !ok(y) {
				found = false
				break
			}
			next, nextSigns = append(next, y), append(nextSigns, signs[i]*flip)
		}
		bufC[d+1], bufS[d+1] = next, nextSigns
		if found && (keep == nil || keep(next, nextSigns)) && !g.extend(s, d+1, bufC, bufS, ok, keep, visit) {
			return false
		}
	}
	return true
}

// witness checks and finds hypercube witnesses against the true values.
type witness struct {
	g  *grid
	kn *knowledge
	// zero holds the sums of the measures whose floor is zero in fixed
	// point: they move independently of the rows and need room of their own.
	zero [][]int64
	// done marks the cells that cover found a witness for, and proved
	// the levels protect found proved, while suppressions were only added
	// (prune, which lifts some, checks afresh).
	done   []bool
	proved map[int]bool
	// cellRests and levelRests hold the cells the last proof of each
	// suppressed cell's witness and of each level rests on: the proof
	// holds while they all stay suppressed (see pruneWide).
	cellRests  map[int32][]int32
	levelRests map[int][]int32
	// cost is what suppressing each cell loses: its rows (improve makes
	// some dearer to steer the search).
	cost []int64
}

func newWitness(keys [][]string, kn *knowledge) *witness {
	w := &witness{g: newGrid(keys), kn: kn, cost: kn.rows}
	for j, f := range kn.floors {
		if f == 0 {
			w.zero = append(w.zero, kn.sums[j])
		}
	}
	return w
}

// need is how far s must be able to move up: to K rows, and by one at
// least.
func (w *witness) need(s int32) int64 { return max(1, w.kn.k-w.kn.rows[s]) }

// down reports whether the move can lower s by one: allowed when s holds
// K rows or more, so that lowering it reveals nothing about K.
func (w *witness) down(s int32, corners []int32, signs []int8) bool {
	return w.kn.rows[s] >= w.kn.k && w.rowRoom(corners, signs, 1) >= 1
}

// sumsMove reports whether the sums with a zero floor can move along the
// hypercube, one way or the other, by one unit.
func (w *witness) sumsMove(corners []int32, signs []int8) bool {
	for _, sums := range w.zero {
		if room(corners, signs, sums, -1, 0) < 1 && room(corners, signs, sums, 1, 0) < 1 {
			return false
		}
	}
	return true
}

// room is the least value minus floor over the corners of the given sign:
// how far a move can lower them.
func room(corners []int32, signs []int8, v []int64, sign int8, floor int64) int64 {
	r := int64(inf)
	for i, x := range corners {
		if signs[i] == sign {
			r = min(r, v[x]-floor)
		}
	}
	return r
}

// rowRoom is the least slack of rows over the corners of the given sign:
// how far a move can lower them.
func (w *witness) rowRoom(corners []int32, signs []int8, sign int8) int64 {
	r := int64(inf)
	for i, x := range corners {
		if signs[i] == sign {
			r = min(r, w.slack(rowsQ, x))
		}
	}
	return r
}

// covered reports whether s has a witness among the suppressed cells.
func (w *witness) covered(s int32, reasons []Reason) bool { return w.deficit(s, reasons) == 0 }

// deficit returns how much room s lacks among the suppressed cells: zero
// when it has a witness, else how far short of need the moves fall (need
// itself when only the sums lack a move). Moves add up: several hypercubes
// can raise s together, as long as no cell is lowered below one row in all
// (a cell lowered by one and raised by another counts only the lowering,
// which is safe). The rows and the sums with a zero floor may use
// different moves.
func (w *witness) deficit(s int32, reasons []Reason) int64 { return w.proof(s, reasons, nil) }

// proof is deficit, calling rec (when not nil) with the corners of every
// move it counts: the cells the witness rests on.
func (w *witness) proof(s int32, reasons []Reason, rec func([]int32)) int64 {
	need, raised := w.need(s), int64(0)
	var used taken
	rowsOK, sumsOK := false, len(w.zero) == 0
	// Once the sums are proved, a hypercube moves nothing when a − corner
	// has no slack left (take gains nothing) and down cannot hold (s has
	// fewer than K rows, or a + corner has no slack): no hypercube that
	// has such corners is extended.
	canDown := w.kn.rows[s] >= w.kn.k
	keep := func(c []int32, sg []int8) bool {
		if !sumsOK {
			return true
		}
		takeDead, downDead := false, !canDown
		for i, x := range c {
			if sg[i] < 0 {
				takeDead = takeDead || w.slack(rowsQ, x)-used.of(x) <= 0
			} else {
				downDead = downDead || w.slack(rowsQ, x) < 1
			}
		}
		return !takeDead || !downDead
	}
	w.g.cubes(s, func(x int32) bool { return reasons[x] != NotSuppressed }, keep, func(c []int32, sg []int8) bool {
		moved := false
		if !sumsOK && w.sumsMove(c, sg) {
			sumsOK, moved = true, true
		}
		if !rowsOK && w.down(s, c, sg) {
			rowsOK, moved = true, true
		}
		if !rowsOK {
			t := w.take(c, sg, &used, need-raised)
			raised += t
			rowsOK, moved = raised >= need, moved || t > 0
		}
		if moved && rec != nil {
			rec(c)
		}
		return !(rowsOK && sumsOK)
	})
	switch {
	case !rowsOK:
		return need - raised
	case !sumsOK:
		return need
	}
	return 0
}

// take raises s along the hypercube by as much as the − corners have left
// (their rows minus one, minus what earlier moves took), at most want, and
// records what it took.
func (w *witness) take(corners []int32, signs []int8, used *taken, want int64) int64 {
	t := want
	for i, x := range corners {
		if signs[i] < 0 {
			t = min(t, w.slack(rowsQ, x)-used.of(x))
		}
	}
	if t <= 0 {
		return 0
	}
	for i, x := range corners {
		if signs[i] < 0 {
			used.add(x, t)
		}
	}
	return t
}

// taken records how much earlier moves of one proof lowered each corner:
// a few dozen cells, so a list beats a map.
type taken struct {
	cells []int32
	by    []int64
}

func (u *taken) of(x int32) int64 {
	for i, y := range u.cells {
		if y == x {
			return u.by[i]
		}
	}
	return 0
}

func (u *taken) add(x int32, t int64) {
	for i, y := range u.cells {
		if y == x {
			u.by[i] += t
			return
		}
	}
	u.cells, u.by = append(u.cells, x), append(u.by, t)
}

// cheapest returns the corners of the hypercube through s, with at least
// one published corner, that gives s the room it lacks for the fewest
// published rows; failing that, the one with the fewest published rows per
// row of room. The hypercube pairing every value with Total has only +
// corners, unlimited room, so there is always one.
func (w *witness) cheapest(s int32, reasons []Reason, lack int64) []int32 {
	p := cubePick{score: math.Inf(1)}
	w.g.cubes(s, func(int32) bool { return true }, p.bound(w, reasons), func(c []int32, sg []int8) bool {
		gain := min(w.rowRoom(c, sg, -1), lack)
		if w.down(s, c, sg) {
			gain = lack
		}
		cost := w.hideCost(c, reasons)
		if gain < 1 || cost == 0 || !w.sumsMove(c, sg) {
			return true
		}
		p.offer(c, gain, cost, lack)
		return true
	})
	return p.best
}

// cubePick keeps the cheapest of the hypercubes offered to it: one that
// gains all that is lacking, at the least cost, before any that gains
// less; among those, the least cost per unit gained.
type cubePick struct {
	best  []int32
	full  bool
	score float64
}

// offer considers the hypercube with corners c, which gains gain of lack
// at cost (both at least 1).
func (p *cubePick) offer(c []int32, gain, cost, lack int64) {
	full, score := gain >= lack, float64(cost)/float64(gain)
	if full {
		score = float64(cost)
	}
	if (full && !p.full) || (full == p.full && score < p.score) {
		p.best, p.full, p.score = append(p.best[:0], c...), full, score
	}
}

// bound returns the pruning bound of a search offering to p: once p holds
// a hypercube that gains all that is lacking, one whose published corners
// so far already cost as much cannot be picked (costs are not negative and
// offer takes only a strictly lower one), so its extensions are not tried.
// The pick is the one the full search makes.
func (p *cubePick) bound(w *witness, reasons []Reason) func([]int32, []int8) bool {
	return func(c []int32, _ []int8) bool {
		return !p.full || float64(w.hideCost(c, reasons)) < p.score
	}
}

// hideCost returns the cost of suppressing the published cells of c.
func (w *witness) hideCost(c []int32, reasons []Reason) int64 {
	cost := int64(0)
	for _, x := range c {
		if reasons[x] == NotSuppressed {
			cost = satAdd(cost, w.cost[x])
		}
	}
	return cost
}

// hideAll suppresses (as Secondary) the published cells of c and reports
// whether there were any.
func hideAll(c []int32, reasons []Reason) bool {
	added := false
	for _, x := range c {
		if reasons[x] == NotSuppressed {
			reasons[x] = Secondary
			added = true
		}
	}
	return added
}

// cover gives every suppressed cell a witness, suppressing the published
// corners of the cheapest one where it lacks one. It reports whether it
// suppressed anything.
func (w *witness) cover(reasons []Reason, proves func(int32, func([]int32)) bool) (bool, error) {
	added := false
	if w.done == nil {
		w.done, w.cellRests = make([]bool, len(reasons)), map[int32][]int32{}
	}
	for s, r := range reasons {
		if r == NotSuppressed || w.done[s] {
			continue
		}
		var rests []int32
		rec := func(c []int32) { rests = append(rests, c...) }
		lack := w.proof(int32(s), reasons, rec)
		if lack > 0 {
			rests = rests[:0]
		}
		if lack == 0 || proves(int32(s), rec) {
			w.cellRests[int32(s)] = rests
			w.done[s] = true // more suppressions only add hypercubes, widen bounds
			continue
		}
		best := w.cheapest(int32(s), reasons, lack)
		if best == nil { // cannot happen: the all-Total hypercube qualifies
			return false, fmt.Errorf("%w: a suppressed cell has no witness", ErrDisclosive)
		}
		if hideAll(best, reasons) {
			added = true
		}
	}
	return added, nil
}

// allCovered reports whether every suppressed cell has a witness.
func (w *witness) allCovered(reasons []Reason, proves func(int32, func([]int32)) bool) bool {
	for s, r := range reasons {
		if r != NotSuppressed && !w.covered(int32(s), reasons) && !proves(int32(s), nil) {
			return false
		}
	}
	return true
}

// values returns quantity q of every cell: rows, or the sums of the q-th
// measure with a floor (kn.sums[q-1]).
func (w *witness) values(q quantity) []int64 {
	if q == rowsQ {
		return w.kn.rows
	}
	return w.kn.sums[q-1]
}

// slack is how far quantity q of cell x can fall while the cell keeps a
// row and its sums their floors: rows − 1, or sum − floor·rows (and no
// lower than an earlier release of part of the population showed). Moving the
// rows moves the sums with a positive floor along (by floor·t), which
// keeps their slack, so the rows need only their own.
func (w *witness) slack(q quantity, x int32) int64 {
	if q == rowsQ {
		return w.kn.rows[x] - max(1, w.kn.leastOf(q, x))
	}
	fr, ok := mul(w.kn.floors[q-1], w.kn.rows[x])
	if !ok {
		return 0
	}
	return w.kn.sums[q-1][x] - max(fr, w.kn.leastOf(q, x))
}

// lift returns how far, up to want, the hypercubes of suppressed cells
// through s can move quantity q of s in direction dir (+1 up, −1 down),
// with integer arithmetic: each move is a table the reader cannot tell
// from the true one, so it proves that the reader's bounds reach that far.
// Moves add up as long as no corner that falls gives more than its slack
// in all. rec, when not nil, is called with the corners of every move
// counted: the cells the proof rests on.
func (w *witness) lift(s int32, q quantity, dir int8, want int64, reasons []Reason, rec func([]int32)) int64 {
	got := int64(0)
	var used taken
	// A corner that falls and has no slack left stops every move through
	// it, so no hypercube that has one is extended.
	spent := func(c []int32, sg []int8) bool {
		for i, x := range c {
			if sg[i]*dir < 0 && w.slack(q, x)-used.of(x) <= 0 {
				return false
			}
		}
		return true
	}
	w.g.cubes(s, func(x int32) bool { return reasons[x] != NotSuppressed }, spent, func(c []int32, sg []int8) bool {
		t := want - got
		for i, x := range c {
			if sg[i]*dir < 0 {
				t = min(t, w.slack(q, x)-used.of(x))
			}
		}
		if t <= 0 {
			return true
		}
		for i, x := range c {
			if sg[i]*dir < 0 {
				used.add(x, t)
			}
		}
		if rec != nil {
			rec(c)
		}
		got += t
		return got < want
	})
	return got
}

// cheapestLift returns the corners of the hypercube through s, with at
// least one published corner, that moves quantity q of s in direction dir
// by lack for the fewest published rows; failing that, the one with the
// fewest published rows per unit of move.
func (w *witness) cheapestLift(s int32, q quantity, dir int8, lack int64, reasons []Reason) []int32 {
	p := cubePick{score: math.Inf(1)}
	w.g.cubes(s, func(int32) bool { return true }, p.bound(w, reasons), func(c []int32, sg []int8) bool {
		gain := lack
		for i, x := range c {
			if sg[i]*dir < 0 {
				gain = min(gain, w.slack(q, x))
			}
		}
		cost := w.hideCost(c, reasons)
		if gain < 1 || cost == 0 {
			return true
		}
		p.offer(c, gain, cost, lack)
		return true
	})
	return p.best
}
