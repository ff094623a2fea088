package anonymize

import (
	"cmp"
	"slices"
)

// This file holds the pass that lifts unneeded complements on tables of
// any size.
//
// The greedy loop of repair hides a few cells at a time, each for the
// cell or level that lacked a proof then; later choices often make
// earlier ones unneeded. Every proof Release keeps rests on a known set
// of cells: a hypercube witness on its corners, a lift on the corners of
// its moves, a local program on its neighbourhood (the cells outside it
// enter at their true values whether published or not). Publishing a
// complement can only break the proofs that rest on it, so pruneWide
// tries every complement, largest first, re-proves just those, and keeps
// the cell published when they all still hold. Each kept lift loses
// nothing the reader could use: every suppressed cell keeps a witness,
// and every level stays proved against the reader's program.

// pruneWideFloor is the least number of hypercube visits pruneWide may
// spend, so that small tables are pruned whole.
const pruneWideFloor = 1 << 20

// pruneWide lifts the complements that no proof needs, largest first.
func (s *system) pruneWide(reasons []Reason, lvs []level, kn *knowledge, w *witness) {
	// A proof is named by what it proves and its generation: a newer
	// proof of the same cell or level replaces the older, and the cells
	// the older rested on no longer matter to it.
	type dep struct{ id, gen int32 }
	usesCell := map[int32][]dep{}  // cell → witnesses that rest on it
	usesLevel := map[int32][]dep{} // cell → level proofs that rest on it
	genCell, genLevel := make([]int32, len(reasons)), make([]int32, len(lvs))
	var att *attacker // the reader of the current pattern, built when a proof needs it
	reader := func() *attacker {
		if att == nil {
			att = attackerOf(s, reasons, kn)
		}
		return att
	}
	// proveCell finds a witness for x, by hypercubes or else by local
	// programs (the greedy sum of hypercube moves may miss a witness that
	// more suppressions reordered), recording what it rests on.
	proveCell := func(x int32) bool {
		genCell[x]++
		d := dep{x, genCell[x]}
		rec := func(c []int32) {
			for _, y := range c {
				if y != x {
					usesCell[y] = append(usesCell[y], d)
				}
			}
		}
		return w.proof(x, reasons, rec) == 0 || reader().witnesses(x, kn, rec)
	}
	// A cell or level whose proof rests on c is proved again, when c is
	// published, by hypercubes only: a local program per try would cost
	// more than the pass saves (prune tries them on small tables).
	checkCell := func(x int32) bool { return w.deficit(x, reasons) == 0 }
	checkLevel := func(li int) bool {
		lv := lvs[li]
		v := w.values(lv.q)[lv.cell]
		return w.lift(lv.cell, lv.q, 1, lv.hi-v, reasons, nil) >= lv.hi-v &&
			w.lift(lv.cell, lv.q, -1, v-lv.lo, reasons, nil) >= v-lv.lo
	}
	proveLevel := func(li int, useLP bool) bool {
		lv := lvs[li]
		genLevel[li]++
		d := dep{int32(li), genLevel[li]}
		rec := func(c []int32) {
			for _, y := range c[1:] {
				usesLevel[y] = append(usesLevel[y], d)
			}
		}
		v := w.values(lv.q)[lv.cell]
		for _, dir := range []int8{1, -1} {
			want := lv.hi - v
			if dir < 0 {
				want = v - lv.lo
			}
			if want <= 0 || w.lift(lv.cell, lv.q, dir, want, reasons, rec) >= want {
				continue
			}
			if !useLP {
				return false
			}
			ok, cells := reader().protectsLocally(lv)
			if !ok {
				return false
			}
			for _, y := range cells {
				usesLevel[y] = append(usesLevel[y], d)
			}
			return true
		}
		return true
	}
	// Start from the proofs repair made, where they still hold (every cell
	// they rest on still suppressed); prove afresh the others.
	stillHolds := func(rests []int32) bool {
		return rests != nil && !slices.ContainsFunc(rests, func(y int32) bool { return reasons[y] == NotSuppressed })
	}
	var sec []int32
	for x, r := range reasons {
		if r == NotSuppressed {
			continue
		}
		if rests, ok := w.cellRests[int32(x)]; ok && (stillHolds(rests) || len(rests) == 0 && w.deficit(int32(x), reasons) == 0) {
			genCell[x]++
			for _, y := range rests {
				usesCell[y] = append(usesCell[y], dep{int32(x), genCell[x]})
			}
		} else if !proveCell(int32(x)) {
			return // cannot happen after repair; change nothing
		}
		if r == Secondary {
			sec = append(sec, int32(x))
		}
	}
	for li := range lvs {
		if rests, ok := w.levelRests[li]; ok && stillHolds(rests) {
			genLevel[li]++
			for _, y := range rests {
				usesLevel[y] = append(usesLevel[y], dep{int32(li), genLevel[li]})
			}
		} else if !proveLevel(li, true) {
			return // cannot happen after repair; change nothing
		}
	}
	size := kn.rows
	slices.SortFunc(sec, func(a, b int32) int {
		if size[a] != size[b] {
			return cmp.Compare(size[b], size[a])
		}
		return cmp.Compare(a, b)
	})
	// The pass may try one and a half times as many hypercubes as the
	// release did before it (and at least pruneWideFloor): a bound on its
	// time, whatever the table. Complements are tried largest first, so
	// what the budget cuts off is the smallest.
	budget := w.g.visits + max(w.g.visits*3/2, pruneWideFloor)
	for _, c := range sec {
		if w.g.visits > budget {
			break
		}
		reasons[c] = NotSuppressed
		att = nil
		var cells []int32
		for _, d := range usesCell[c] {
			if genCell[d.id] == d.gen && reasons[d.id] != NotSuppressed {
				cells = append(cells, d.id)
			}
		}
		var levels []int
		for _, d := range usesLevel[c] {
			if genLevel[d.id] == d.gen {
				levels = append(levels, int(d.id))
			}
		}
		ok := true
		for _, x := range cells {
			if !checkCell(x) {
				ok = false
				break
			}
		}
		for i := 0; ok && i < len(levels); i++ {
			ok = checkLevel(levels[i])
		}
		if !ok {
			reasons[c] = Secondary
			continue
		}
		for _, li := range levels {
			proveLevel(li, false) // record what the proof rests on now
		}
		delete(usesCell, c)
		delete(usesLevel, c)
		for _, x := range cells {
			proveCell(x) // record what the proof rests on now
		}
	}
}
