package anonymize

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Reason says why a cell is suppressed. It is kept for the host's own
// records (Table.Reason, Table.Suppressed) and is never part of a written
// table: a reader who knew that a hidden cell is a threshold cell (fewer
// than K subjects) or a dominance or secondary one (K or more) would have
// bounds that, with the margins, can pin its value.
type Reason uint8

// Reasons of suppression.
const (
	// NotSuppressed is the reason of a published cell.
	NotSuppressed Reason = iota
	// Threshold: fewer than K distinct subjects.
	Threshold
	// Dominance: a measure's sum fails its (n,k) or p% rule.
	Dominance
	// Secondary: the cell is safe but suppressed so that no primary cell can
	// be derived, or bounded below K, from the published cells and margins.
	Secondary
	// Unrecorded: the cell is suppressed in a table that Release did not
	// make (built or decoded by hand), so no reason is known.
	Unrecorded
)

func (r Reason) String() string {
	switch r {
	case NotSuppressed:
		return "published"
	case Threshold:
		return "threshold"
	case Dominance:
		return "dominance"
	case Secondary:
		return "secondary"
	case Unrecorded:
		return "unrecorded"
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Table is a released table. Suppressed cells carry their key and nothing
// else: Rows, Subjects and Sums are zero, so that no writer can leak them,
// and why a cell is suppressed is not in its exported fields either.
type Table struct {
	K          int
	Dimensions []string
	Measures   []string
	Cells      []Cell
	// Margins is true when the table holds margin cells (key components
	// equal to Total).
	Margins bool
	// Rules describes the dominance rules per measure, e.g.
	// "amount: (1,75) p=10".
	Rules []string
	// Parents maps the name of a hierarchical dimension to the parent of
	// each of its values below the top level, e.g. {"month":
	// {"2026-01": "2026-Q1", "2026-Q1": "2026"}}; a top-level value's
	// parent is Total. Every parent is the sum of its children, and
	// Verify audits the table against those equations too.
	Parents map[string]map[string]string
	// Floors maps a measure's name to the least value one row can add to
	// it, for the measures where that is known and not negative: the
	// measure's Bounds.Min when it is >= 0, or 0 under a dominance rule
	// (Add refuses negative values there). A reader may know it too; Verify
	// then checks that the margins cannot pin a suppressed cell's sum.
	// Measures that may be negative are absent and get no such check.
	Floors map[string]float64
	// ReleasedAt is the time of the release (UTC, seconds).
	ReleasedAt time.Time

	// reasons records why each suppressed cell is suppressed: unexported
	// so that neither a writer nor encoding/json sees it, and behind a
	// pointer so that fmt (%v, %+v, %#v), which prints unexported fields,
	// shows an address and not the reasons of whoever logs a table.
	reasons *suppressions
}

// suppressions maps a suppressed cell's joinKey to its reason.
type suppressions struct{ byKey map[string]Reason }

// reason returns the recorded reason of a suppressed cell, or Unrecorded.
func (t *Table) reason(key []string) Reason {
	if t.reasons != nil {
		if r, ok := t.reasons.byKey[joinKey(key)]; ok {
			return r
		}
	}
	return Unrecorded
}

// Cell is one cell of a released table.
type Cell struct {
	// Key holds one value per dimension; Total in a margin.
	Key []string
	// Rows is the number of rows (for example bids).
	Rows int
	// Subjects is the number of distinct subjects, saturated at K: a
	// published cell shows K when K or more subjects contribute. The exact
	// count is not kept (memory O(cells×K)) and is not needed to publish.
	// Unlike Rows and Sums it is not additive (a subject may fall in
	// several cells, and the value is capped), so a margin's Subjects is
	// not the total of its children's; it reveals nothing beyond "K or
	// more" and takes no part in the margin equations that secondary
	// suppression protects.
	Subjects int
	// Sums holds one sum per measure.
	Sums       []float64
	Suppressed bool
}

// Reason returns why the cell with the given key is suppressed, for the
// host's audit log only: NotSuppressed for a published or unknown key,
// Unrecorded for a suppressed cell of a table that Release did not make.
// Never publish it (see Reason).
func (t *Table) Reason(key []string) Reason {
	i := slices.IndexFunc(t.Cells, func(c Cell) bool { return slices.Equal(c.Key, key) })
	if i < 0 || !t.Cells[i].Suppressed {
		return NotSuppressed
	}
	return t.reason(key)
}

// Suppressed counts the suppressed cells of t by reason, for the host's
// audit log only; the writers publish the total alone.
func (t *Table) Suppressed() map[Reason]int {
	n := map[Reason]int{}
	for i := range t.Cells {
		if c := &t.Cells[i]; c.Suppressed {
			n[t.reason(c.Key)]++
		}
	}
	return n
}

// rawTable is the unprotected table that both the aggregator and the
// PostgreSQL push-down produce, and that release protects.
type rawTable struct {
	k       int
	dims    []string
	shapes  []measureShape
	margins bool
	cells   []rawCell
	// hier holds the dimensions' hierarchies, nil when every one is flat.
	hier hier
}

type rawCell struct {
	key      []string
	rows     int64
	subjects int     // saturated at k
	sums     []int64 // fixed point
	top      [][]int64
}

// Release protects the table and returns it: primary suppression of every
// cell (margins included) with fewer than K distinct subjects or a sum that
// fails its dominance rule, then secondary suppression, then an exact audit
// that no suppressed cell can be derived from the published ones. It returns
// the first error recorded by Add. Release does not change the aggregator.
func (a *Aggregator[T]) Release() (*Table, error) {
	if a.err != nil {
		return nil, a.err
	}
	return release(a.raw(), a.spec.now())
}

// raw exports the aggregator's cells.
func (a *Aggregator[T]) raw() *rawTable {
	nm := len(a.shapes)
	rt := &rawTable{k: a.k, shapes: a.shapes, margins: a.spec.Margins, cells: make([]rawCell, len(a.cells)), hier: a.hier}
	for _, d := range a.spec.Dimensions {
		rt.dims = append(rt.dims, d.Name)
	}
	for c, key := range a.cells {
		rc := rawCell{
			key:      make([]string, len(rt.dims)),
			rows:     a.rows[c],
			subjects: int(a.nsub[c]),
			sums:     slices.Clone(a.sums[c*nm : (c+1)*nm]),
			top:      make([][]int64, nm),
		}
		for i := range rc.key {
			if id := a.id(key, i); id == 0 {
				rc.key[i] = Total
			} else {
				rc.key[i] = a.values[i][id-1]
			}
		}
		rt.cells[c] = rc
	}
	for ck, i := range a.contrib {
		vals := a.contribs[int(i)*nm : int(i+1)*nm]
		for j, sh := range a.shapes {
			if n := sh.top(); n > 0 {
				rt.cells[ck.cell].top[j] = insertTop(rt.cells[ck.cell].top[j], vals[j], n)
			}
		}
	}
	return rt
}

// insertTop inserts v into top, kept in decreasing order and at most n long.
func insertTop(top []int64, v int64, n int) []int64 {
	i, _ := slices.BinarySearchFunc(top, v, func(a, b int64) int { return cmp.Compare(b, a) })
	if i >= n {
		return top
	}
	top = slices.Insert(top, i, v)
	if len(top) > n {
		top = top[:n]
	}
	return top
}

// compareKeys orders cells by their keys, component by component, with
// Total after every value: a margin follows the cells it sums.
func compareKeys(a, b []string) int { return hier(nil).compareKeys(a, b) }

// compareKeys is compareKeys with hierarchies: values compare by their
// paths from the top level, and a subtotal follows the values it sums.
func (h hier) compareKeys(a, b []string) int {
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		switch {
		case a[i] == Total:
			return 1
		case b[i] == Total:
			return -1
		}
		if h == nil || h[i] == nil {
			return strings.Compare(a[i], b[i])
		}
		pa, pb := h.path(i, a[i]), h.path(i, b[i])
		for j := 1; j <= min(len(pa), len(pb)); j++ {
			if c := strings.Compare(pa[len(pa)-j], pb[len(pb)-j]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(pb), len(pa)) // the ancestor, shorter, last
	}
	return 0
}

// dominated reports whether a sum with the given largest contributions
// (decreasing, non-negative; a subject's contribution is the total of its
// rows in the cell) fails one of the rules, as tau-ARGUS defines them:
//
//   - (n,k): the n largest contributions sum to more than k% of the total
//     (x1+…+xn > k/100·X); a cell with n or fewer contributors fails;
//   - p%: the total minus the two largest contributions, which is what the
//     second-largest contributor does not know of the largest, is less
//     than p% of the largest (X−x1−x2 < p/100·x1).
//
// Both sides are multiplied by 100 so that integer k and p compare exactly
// (below 2^53).
func dominated(sum int64, top []int64, sh measureShape) bool {
	total := float64(sum)
	for _, r := range sh.nk {
		var s float64
		for i := 0; i < r.N && i < len(top); i++ {
			s += float64(top[i])
		}
		if s*100 > r.K*total {
			return true
		}
	}
	if sh.p > 0 && len(top) > 0 {
		x1 := float64(top[0])
		var x2 float64
		if len(top) > 1 {
			x2 = float64(top[1])
		}
		if (total-x1-x2)*100 < sh.p*x1 {
			return true
		}
	}
	return false
}

// release applies primary and secondary suppression to rt.
func release(rt *rawTable, now time.Time) (*Table, error) {
	rt.sort()
	reasons := rt.primary()
	return rt.protectAndBuild(reasons, rt.levels(reasons), rt.known(), now)
}

// sort orders the cells by key (see compareKeys).
func (rt *rawTable) sort() {
	slices.SortFunc(rt.cells, func(a, b rawCell) int { return rt.hier.compareKeys(a.key, b.key) })
}

// protectAndBuild adds the secondary suppressions that protect every level
// (cells sorted), then builds the table.
func (rt *rawTable) protectAndBuild(reasons []Reason, lvs []level, kn *knowledge, now time.Time) (*Table, error) {
	if rt.margins {
		keys := make([][]string, len(rt.cells))
		for i := range rt.cells {
			keys[i] = rt.cells[i].key
		}
		sys, err := newLinkedSystem(keys, true, rt.hier)
		if err != nil {
			return nil, err
		}
		if err := sys.protect(reasons, lvs, kn, newLinkedWitness(keys, kn, rt.hier)); err != nil {
			return nil, err
		}
	}
	t := &Table{K: rt.k, Dimensions: rt.dims, Margins: rt.margins, ReleasedAt: now.UTC().Truncate(time.Second),
		Floors: map[string]float64{}, reasons: &suppressions{byKey: map[string]Reason{}}}
	for _, sh := range rt.shapes {
		t.Measures = append(t.Measures, sh.name)
		if r := sh.describe(); r != "" {
			t.Rules = append(t.Rules, r)
		}
		if f, ok := sh.floor(); ok {
			t.Floors[sh.name] = f
		}
	}
	t.Parents = rt.parents()
	t.Cells = make([]Cell, len(rt.cells))
	for i := range rt.cells {
		c := &rt.cells[i]
		out := Cell{Key: c.key, Suppressed: reasons[i] != NotSuppressed}
		if out.Suppressed {
			t.reasons.byKey[joinKey(c.key)] = reasons[i]
		} else {
			out.Rows = int(c.rows)
			out.Subjects = c.subjects
			out.Sums = make([]float64, len(c.sums))
			for j, s := range c.sums {
				out.Sums[j] = fromFixed(s, rt.shapes[j].decimals)
			}
		}
		t.Cells[i] = out
	}
	return t, nil
}

// primary returns the primary suppressions of the (sorted) cells.
func (rt *rawTable) primary() []Reason {
	reasons := make([]Reason, len(rt.cells))
	for i := range rt.cells {
		c := &rt.cells[i]
		if c.subjects < rt.k {
			reasons[i] = Threshold
			continue
		}
		for j, sh := range rt.shapes {
			if sh.top() > 0 && dominated(c.sums[j], c.top[j], sh) {
				reasons[i] = Dominance
				break
			}
		}
	}
	return reasons
}

// known returns what a reader may know of the cells' values, for the
// presence rule of secondary suppression: rows, and the fixed-point sums
// of the measures with a non-negative floor.
func (rt *rawTable) known() *knowledge {
	kn := &knowledge{k: int64(rt.k), rows: make([]int64, len(rt.cells))}
	for i := range rt.cells {
		kn.rows[i] = rt.cells[i].rows
	}
	for j, sh := range rt.shapes {
		f, ok := sh.floor()
		if !ok {
			continue
		}
		sums := make([]int64, len(rt.cells))
		for i := range rt.cells {
			sums[i] = rt.cells[i].sums[j]
		}
		kn.sums = append(kn.sums, sums)
		kn.floors = append(kn.floors, toFixed(f, sh.decimals))
	}
	return kn
}

// floor returns the least value one row can add to the measure when it is
// known and not negative: values are clamped to Bounds, and a dominance
// rule makes Add refuse negative values.
func (ms measureShape) floor() (float64, bool) {
	switch {
	case ms.bounds != nil && ms.bounds.Min >= 0:
		return ms.bounds.Min, true
	case ms.top() > 0:
		return 0, true
	}
	return 0, false
}

// describe renders the measure's rules for the metadata of a table.
func (ms measureShape) describe() string {
	var parts []string
	for _, r := range ms.nk {
		parts = append(parts, fmt.Sprintf("(%d,%g)", r.N, r.K))
	}
	if ms.p > 0 {
		parts = append(parts, fmt.Sprintf("p=%g", ms.p))
	}
	if len(parts) == 0 {
		return ""
	}
	return ms.name + ": " + strings.Join(parts, " ")
}
