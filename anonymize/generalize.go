package anonymize

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Bands maps numbers to labelled intervals [edge[i-1], edge[i]), with
// bottom coding below the first edge and top coding from the last. It is
// immutable and safe for concurrent use.
type Bands struct {
	edges  []float64
	labels []string
}

// NewBands returns the bands cut at the given increasing, finite edges.
// labels, if not nil, names the len(edges)+1 bands in order; by default
// they read "<e0", "e0-e1", ..., ">=en" (for whole-number edges "18-24"
// means [18, 25)).
func NewBands(edges []float64, labels []string) (*Bands, error) {
	if len(edges) == 0 {
		return nil, fmt.Errorf("%w: no edges", ErrGeneralizer)
	}
	for i, e := range edges {
		if !finite(e) || (i > 0 && e <= edges[i-1]) {
			return nil, fmt.Errorf("%w: edges must be finite and increasing", ErrGeneralizer)
		}
	}
	if labels == nil {
		labels = defaultLabels(edges)
	}
	if len(labels) != len(edges)+1 {
		return nil, fmt.Errorf("%w: %d labels for %d bands", ErrGeneralizer, len(labels), len(edges)+1)
	}
	seen := map[string]bool{}
	for _, l := range labels {
		if l == Total || seen[l] {
			return nil, fmt.Errorf("%w: labels must be distinct and not %q", ErrGeneralizer, Total)
		}
		seen[l] = true
	}
	return &Bands{edges: slices.Clone(edges), labels: slices.Clone(labels)}, nil
}

func defaultLabels(edges []float64) []string {
	whole := true
	for _, e := range edges {
		whole = whole && e == math.Trunc(e) && math.Abs(e) < 1e15
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	labels := []string{"<" + f(edges[0])}
	for i := 1; i < len(edges); i++ {
		hi := edges[i]
		if whole {
			hi--
		}
		labels = append(labels, f(edges[i-1])+"-"+f(hi))
	}
	return append(labels, ">="+f(edges[len(edges)-1]))
}

// Label returns the label of the band holding v. NaN falls in the lowest
// band; check values before (Add refuses NaN measures, not dimensions).
func (b *Bands) Label(v float64) string {
	i, _ := slices.BinarySearchFunc(b.edges, v, func(e, v float64) int {
		if e <= v {
			return -1
		}
		return 1
	})
	return b.labels[i]
}

// Labels returns the labels of the bands in order.
func (b *Bands) Labels() []string { return slices.Clone(b.labels) }

func mustBands(edges []float64, labels []string) *Bands {
	b, err := NewBands(edges, labels)
	if err != nil {
		panic(err)
	}
	return b
}

// AgeBands returns the age bands of official statistics: under 18
// (bottom coded; minors should not be bidders at all), 18-24, 25-34, ...
// 55-64, and 65+ (top coded, where the oldest ages are rare and
// identifying). Label takes the age in whole years (AgeAt).
func AgeBands() *Bands { return mustBands([]float64{18, 25, 35, 45, 55, 65}, nil) }

// AgeAt returns the age in whole years on day at of a person born on birth.
func AgeAt(birth, at time.Time) int {
	y := at.Year() - birth.Year()
	if at.Month() < birth.Month() || (at.Month() == birth.Month() && at.Day() < birth.Day()) {
		y--
	}
	return y
}

// Period is a date truncation unit.
type Period int

// Periods for TruncateDate.
const (
	Month Period = iota
	Quarter
	Year
)

// TruncateDate returns the period holding t, in t's location: "2026-03"
// (Month), "2026-Q1" (Quarter) or "2026" (Year).
func TruncateDate(t time.Time, p Period) string {
	switch p {
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())+2)/3)
	case Year:
		return fmt.Sprintf("%04d", t.Year())
	default:
		return fmt.Sprintf("%04d-%02d", t.Year(), int(t.Month()))
	}
}

// Hierarchy is a generalisation tree: every value has one parent, up to a
// root. It is immutable and safe for concurrent use.
type Hierarchy struct {
	parent map[string]string
	root   string
	inner  map[string]bool // values with a child
}

// NewHierarchy builds a hierarchy from a table whose every row is a path
// from a leaf to the root, for example {"Semey", "Abai Region",
// "Kazakhstan"}. Rows may have different lengths but must end at the same
// root, and a value must have the same parent in every row.
func NewHierarchy(rows [][]string) (*Hierarchy, error) {
	h := &Hierarchy{parent: map[string]string{}}
	for _, r := range rows {
		if len(r) == 0 {
			return nil, fmt.Errorf("%w: empty row", ErrGeneralizer)
		}
		if h.root == "" {
			h.root = r[len(r)-1]
		}
		if r[len(r)-1] != h.root {
			return nil, fmt.Errorf("%w: rows end at different roots", ErrGeneralizer)
		}
		for i, v := range r {
			if v == "" || v == Total {
				return nil, fmt.Errorf("%w: empty or reserved value", ErrGeneralizer)
			}
			want := ""
			if i+1 < len(r) {
				want = r[i+1]
			}
			if p, ok := h.parent[v]; ok && p != want {
				return nil, fmt.Errorf("%w: value %q has two parents", ErrGeneralizer, v)
			}
			h.parent[v] = want
		}
	}
	if h.root == "" || len(h.parent) < 2 {
		return nil, fmt.Errorf("%w: no value below the root", ErrGeneralizer)
	}
	// Refuse cycles (every walk up must reach the root) and depth.
	h.inner = map[string]bool{}
	for v, p := range h.parent {
		if p != "" {
			h.inner[p] = true
		}
		for n, x := 0, v; x != h.root; n++ {
			if n > len(h.parent) || x == "" {
				return nil, fmt.Errorf("%w: cycle", ErrGeneralizer)
			}
			if n >= maxHierarchyDepth {
				return nil, fmt.Errorf("%w: deeper than %d levels below the root", ErrGeneralizer, maxHierarchyDepth)
			}
			x = h.parent[x]
		}
	}
	return h, nil
}

// path returns v and its ancestors up to the root.
func (h *Hierarchy) path(v string) ([]string, error) {
	if _, ok := h.parent[v]; !ok {
		return nil, fmt.Errorf("%w: unknown value", ErrGeneralizer)
	}
	p := []string{v}
	for v != h.root {
		v = h.parent[v]
		p = append(p, v)
	}
	return p, nil
}

// leaf reports whether v is a value of h without children.
func (h *Hierarchy) leaf(v string) bool {
	_, ok := h.parent[v]
	return ok && !h.inner[v] && v != h.root
}

// parents returns the parent of every value below the top level (the
// root's children), as Table.Parents holds them: the root is Total.
func (h *Hierarchy) parents() map[string]string {
	m := map[string]string{}
	for v, p := range h.parent {
		if p != "" && p != h.root {
			m[v] = p
		}
	}
	return m
}

// depth returns the number of levels below the root.
func (h *Hierarchy) depth() int {
	n := 0
	for v := range h.parent {
		d := 0
		for x := v; x != h.root; x = h.parent[x] {
			d++
		}
		n = max(n, d)
	}
	return n
}

// levels returns the leaves of h and, per depth j from 1 to the deepest
// leaf's depth minus one, each leaf's ancestor at depth j (the leaf itself
// if it is not deeper): the columns the PostgreSQL push-down joins to map
// a leaf to every level.
func (h *Hierarchy) levels() [][]string {
	var leaves []string
	for v := range h.parent {
		if h.leaf(v) {
			leaves = append(leaves, v)
		}
	}
	slices.Sort(leaves)
	depth := h.depth()
	out := make([][]string, depth)
	for _, l := range leaves {
		p, _ := h.path(l) // leaf ... root
		p = p[:len(p)-1]
		slices.Reverse(p) // depth 1 ... leaf
		out[0] = append(out[0], l)
		for j := 1; j < depth; j++ {
			out[j] = append(out[j], p[min(j, len(p))-1])
		}
	}
	return out
}

// AtDepth returns the ancestor of v at the given depth below the root (1:
// the children of the root, such as regions), or v itself if v is not
// that deep: the value to publish when the table shows that level only.
func (h *Hierarchy) AtDepth(v string, depth int) (string, error) {
	p, err := h.path(v)
	if err != nil {
		return "", err
	}
	i := len(p) - 1 - depth // p runs from v up to the root
	return p[max(i, 0)], nil
}
