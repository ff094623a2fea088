package anonymize

import (
	"fmt"
	"maps"
	"slices"
)

// This file links the levels of hierarchical dimensions (district → region
// → country, month → quarter → year) into one table, as tau-ARGUS treats
// hierarchical tables: a key component may be a leaf, an inner node (a
// subtotal) or Total, and every node equals the sum of its children, at
// every combination of the other dimensions' values. The whole system is
// protected and audited at once, not sub-table by sub-table (HiTaS, de
// Wolf 2002, protects the sub-tables top-down and must then check the
// result against the whole table anyway).
//
// Three things change with a hierarchy, each in one place:
//
//   - the equations (newLinkedSystem): the parent of a component is its
//     node's parent, Total for a top-level node;
//   - the hypercube moves that prove a suppressed cell can move
//     (extendTree): along a hierarchical dimension a move is no longer a
//     pair of values but a null vector of that dimension's subtotal
//     equations: +1 on the path from a leaf up to below a common ancestor,
//     −1 on the path from another leaf up to below it (the ancestor and
//     everything above it unchanged), or +1 on a leaf's whole path up to
//     Total. The tensor product of such vectors over the dimensions keeps
//     every equation, because an equation sums along one dimension with
//     the others fixed;
//   - the least number of rows a reader grants a cell (linkedLeaves): one
//     per listed interior cell under it, interior meaning a leaf in every
//     dimension.

// maxHierarchyDepth bounds the levels of a hierarchy below its root: each
// row of the data adds to one cell per combination of its dimensions'
// levels, and the moves through an inner node multiply with its depth.
const maxHierarchyDepth = 6

// hier holds, per dimension of a table, the parent of every value below
// the top level (a top-level value's parent is Total); nil for a flat
// dimension, and a nil hier for a table without hierarchies.
type hier []map[string]string

// up returns the parent of value v of dimension d: Total for a flat
// dimension or a top-level value.
func (h hier) up(d int, v string) string {
	if h == nil || h[d] == nil {
		return Total
	}
	if p, ok := h[d][v]; ok {
		return p
	}
	return Total
}

// hierOf returns the hierarchies of the named dimensions from a table's
// Parents, or nil when it has none. It refuses a hierarchy with a cycle,
// a parent equal to Total, or more than maxHierarchyDepth levels.
func hierOf(dims []string, parents map[string]map[string]string) (hier, error) {
	if len(parents) == 0 {
		return nil, nil
	}
	h := make(hier, len(dims))
	for name, m := range parents {
		d := slices.Index(dims, name)
		if d < 0 {
			return nil, fmt.Errorf("%w: a hierarchy names no dimension of the table", ErrGeneralizer)
		}
		if err := checkParents(m); err != nil {
			return nil, fmt.Errorf("dimension %q: %w", name, err)
		}
		if len(m) > 0 {
			h[d] = m
		}
	}
	return h, nil
}

// checkParents refuses a parent map with an empty or reserved value, a
// cycle, or a path longer than maxHierarchyDepth below Total.
func checkParents(m map[string]string) error {
	for v, p := range m {
		if v == "" || v == Total || p == "" || p == Total {
			return fmt.Errorf("%w: empty or reserved value in a hierarchy", ErrGeneralizer)
		}
		for n, x := 1, p; ; n++ {
			if n >= maxHierarchyDepth {
				return fmt.Errorf("%w: a hierarchy is deeper than %d levels or has a cycle", ErrGeneralizer, maxHierarchyDepth)
			}
			next, ok := m[x]
			if !ok {
				break
			}
			x = next
		}
	}
	return nil
}

// path returns v and its ancestors below Total in dimension d.
func (h hier) path(d int, v string) []string {
	p := []string{v}
	for x := h.up(d, v); x != Total; x = h.up(d, x) {
		p = append(p, x)
	}
	return p
}

// newLinkedSystem is newSystem with hierarchies: the parent of a key
// component is its node's parent (Total for a top-level node or a flat
// dimension).
func newLinkedSystem(keys [][]string, strict bool, h hier) (*system, error) {
	index := make(map[string]int32, len(keys))
	for i, k := range keys {
		index[joinKey(k)] = int32(i)
	}
	if len(index) != len(keys) {
		return nil, fmt.Errorf("%w: duplicate cell keys", ErrDisclosive)
	}
	s := &system{numCell: len(keys), ofCell: make([][]int32, len(keys))}
	type pd struct{ parent, dim int32 }
	conOf := map[pd]int32{}
	var parentKey []string
	for i, k := range keys {
		for d := range k {
			if k[d] == Total {
				continue
			}
			parentKey = append(parentKey[:0], k...)
			parentKey[d] = h.up(d, k[d])
			p, ok := index[joinKey(parentKey)]
			if !ok {
				if strict {
					return nil, fmt.Errorf("%w: a margin cell is missing", ErrDisclosive)
				}
				continue
			}
			ci, ok := conOf[pd{p, int32(d)}]
			if !ok {
				ci = int32(len(s.cons))
				conOf[pd{p, int32(d)}] = ci
				s.cons = append(s.cons, []int32{p})
				s.ofCell[p] = append(s.ofCell[p], ci)
			}
			s.cons[ci] = append(s.cons[ci], int32(i))
			s.ofCell[i] = append(s.ofCell[i], ci)
		}
	}
	return s, nil
}

// newLinkedWitness is newWitness whose hypercubes follow the hierarchies.
func newLinkedWitness(keys [][]string, kn *knowledge, h hier) *witness {
	w := newWitness(keys, kn)
	if h != nil {
		w.g.tree = gridTrees(w.g, keys, h)
	}
	return w
}

// gridTree is one hierarchical dimension of a grid, by value id (0 is
// Total, the root).
type gridTree struct {
	parent   []uint32   // per id; parent[0] unused
	children [][]uint32 // per id, among the values the grid lists
	moves    map[uint32][][]gridStep
}

// gridStep is one value of a move along a hierarchical dimension and its
// sign.
type gridStep struct {
	id   uint32
	sign int8
}

// gridTrees builds the trees of the hierarchical dimensions of g from the
// keys g indexes.
func gridTrees(g *grid, keys [][]string, h hier) []*gridTree {
	trees := make([]*gridTree, g.dims)
	for d := range g.dims {
		if h[d] == nil {
			continue
		}
		ids := map[string]uint32{Total: 0}
		for i, k := range keys {
			ids[k[d]] = g.coords[i][d]
		}
		t := &gridTree{parent: make([]uint32, g.n[d]+1), children: make([][]uint32, g.n[d]+1), moves: map[uint32][][]gridStep{}}
		for v, id := range ids {
			if id == 0 {
				continue
			}
			p, ok := ids[h.up(d, v)]
			if !ok { // a parent the keys do not list: no move crosses it
				p = 0
			}
			t.parent[id] = p
			t.children[p] = append(t.children[p], id)
		}
		for _, c := range t.children {
			slices.Sort(c)
		}
		trees[d] = t
	}
	return trees
}

// descents returns the downward paths from id to a leaf, id first.
func (t *gridTree) descents(id uint32) [][]uint32 {
	if len(t.children[id]) == 0 {
		return [][]uint32{{id}}
	}
	var out [][]uint32
	for _, c := range t.children[id] {
		for _, p := range t.descents(c) {
			out = append(out, append([]uint32{id}, p...))
		}
	}
	return out
}

// through returns the moves of the dimension through value own, own first
// with sign +1 in each (see the file comment).
func (t *gridTree) through(own uint32) [][]gridStep {
	if m, ok := t.moves[own]; ok {
		return m
	}
	var out [][]gridStep
	for _, down := range t.descents(own) {
		base := make([]gridStep, 0, len(down)+2*maxHierarchyDepth)
		for _, id := range down {
			base = append(base, gridStep{id, 1})
		}
		// Up from own: at each ancestor l, pair with another child's
		// descents (l unchanged), then climb through l.
		side := own
		for x := own; x != 0; {
			l := t.parent[x]
			for _, w := range t.children[l] {
				if w == side {
					continue
				}
				for _, other := range t.descents(w) {
					m := slices.Clone(base)
					for _, id := range other {
						m = append(m, gridStep{id, -1})
					}
					out = append(out, m)
				}
			}
			if l != 0 {
				base = append(base, gridStep{l, 1})
			}
			side, x = l, l
		}
		// The whole path to Total: + everywhere, unlimited room.
		if own != 0 {
			base = append(base, gridStep{0, 1})
		}
		out = append(out, base)
	}
	t.moves[own] = out
	return out
}

// extendTree is extend along a hierarchical dimension d: every move through
// s's value multiplies the corners so far.
func (g *grid) extendTree(s int32, d int, bufC *[MaxDimensions + 1][]int32, bufS *[MaxDimensions + 1][]int8, ok func(int32) bool, keep func([]int32, []int8) bool, visit func([]int32, []int8) bool) bool {
	corners, signs := bufC[d], bufS[d]
	for _, m := range g.tree[d].through(g.coords[s][d]) {
		next, nextSigns := bufC[d+1][:0], bufS[d+1][:0]
		found := true
	steps:
		for _, st := range m {
			for i, x := range corners {
				var y int32
				listed := true
				if g.dense != nil { // x's own offset, moved along d
					y = g.dense[g.off[x]+(int(st.id)-int(g.coords[x][d]))*g.stride[d]]
					listed = y >= 0
				} else {
					c := g.coords[x]
					c[d] = st.id
					y, listed = g.lookup(c)
				}
				if !listed || !ok(y) {
					found = false
					break steps
				}
				next, nextSigns = append(next, y), append(nextSigns, signs[i]*st.sign)
			}
		}
		bufC[d+1], bufS[d+1] = next, nextSigns
		if found && (keep == nil || keep(next, nextSigns)) && !g.extend(s, d+1, bufC, bufS, ok, keep, visit) {
			return false
		}
	}
	return true
}

// linkedLeaves is leaves with hierarchies: per cell, the number of
// interior cells (a leaf in every dimension) it sums, itself included.
func (rt *rawTable) linkedLeaves() []int64 {
	return rt.leavesWhere(func(int) bool { return true })
}

// parents returns the table's Parents: per hierarchical dimension, the
// parent of every listed value below the top level; nil without
// hierarchies.
func (rt *rawTable) parents() map[string]map[string]string {
	if rt.hier == nil {
		return nil
	}
	out := map[string]map[string]string{}
	for d, m := range rt.hier {
		if m == nil {
			continue
		}
		pm := map[string]string{}
		for i := range rt.cells {
			v := rt.cells[i].key[d]
			if p, ok := m[v]; ok {
				pm[v] = p
			}
		}
		out[rt.dims[d]] = pm
	}
	return out
}

// innerValues returns the values of dimension d that are the parent of
// another.
func (h hier) innerValues(d int) map[string]bool {
	out := map[string]bool{}
	if h != nil && h[d] != nil {
		for _, p := range h[d] {
			out[p] = true
		}
	}
	return out
}

// equal reports whether h and o are the same hierarchies.
func (h hier) equal(o hier) bool {
	if (h == nil) != (o == nil) {
		return false
	}
	return slices.EqualFunc(h, o, func(a, b map[string]string) bool { return (a == nil) == (b == nil) && maps.Equal(a, b) })
}
