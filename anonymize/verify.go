package anonymize

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// VerifyError lists what a verification found wrong with a table. It wraps
// ErrDisclosive. Problems name cells by their keys (generalised values),
// never by subject.
type VerifyError struct {
	Problems []string
}

func (e *VerifyError) Error() string {
	const max = 5
	p := e.Problems
	more := ""
	if len(p) > max {
		p, more = p[:max], fmt.Sprintf(" (and %d more)", len(e.Problems)-max)
	}
	return "anonymize: table is disclosive: " + strings.Join(p, "; ") + more
}

func (e *VerifyError) Unwrap() error { return ErrDisclosive }

// Verify checks released tables as a CI gate before anything is sent to
// a partner: K is at least 2; no key is listed twice; every published cell
// shows at least K subjects; suppressed cells carry no value; with
// margins, every margin is present and published margins add up (rows and
// every sum). It then solves the reader's linear program over every
// connected group of suppressed cells (all margins, non-negativity, every
// listed cell holding at least one row and its floor per row, see
// Table.Floors) and refuses a table in which any suppressed cell is pinned
// or shown to hold fewer than K rows. A group of more than 4,000 coupled
// suppressed cells fails with ErrUnaudited rather than pass unaudited.
// Dominance needs the contributions and is checked by Aggregator.Verify.
//
// Several tables released together from the same data (bids by region and
// month, and by region and age band, say) are checked each on its own and
// all together, since a reader holds them all. Keys are matched by
// dimension name: a cell of one table is the margin, over the dimensions
// it lacks, of the cells of another, so a total that one table publishes
// and another suppresses counts as published. The tables must have the
// same K, and a cell published by two tables must show the same values.
// A margin that no table lists is still a value the tables agree on, so it
// joins the audit as a cell nobody publishes. The dimension sets of the
// tables must be decomposable (an acyclic hypergraph): then any tables
// that agree on their shared margins are the margins of some full table.
// Cyclic sets (three tables over pairs of three dimensions, say) are
// refused with ErrNotDecomposable: the full table's cells, each at least
// zero, bound the listed ones in ways no margin equation shows. Even
// decomposable cuts of the same rows (region × age and region × lot) are
// margins of one latent region × age × lot table whose cells hold whole
// rows and subjects; Verify sees only the margins, so a level may hold
// here and still be narrowed by a reader who reasons about that table:
// release such cuts as one table with margins instead.
func Verify(tables ...*Table) error {
	v := &verifier{joint: len(tables) > 1}
	if len(tables) == 0 {
		v.bad("no table")
	}
	for i, t := range tables {
		v.table = i
		v.check(t)
	}
	v.table = -1
	if len(v.p) == 0 && !decomposable(tables) {
		return ErrNotDecomposable
	}
	if len(v.p) == 0 {
		j := v.join(tables)
		if len(v.p) == 0 {
			if err := v.checkJoined(j); err != nil {
				return err
			}
		}
	}
	if len(v.p) > 0 {
		return &VerifyError{Problems: v.p}
	}
	return nil
}

// verifier collects the problems of a verification.
type verifier struct {
	p     []string
	joint bool
	table int // index of the table being checked, or -1
}

func (v *verifier) bad(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if v.joint && v.table >= 0 {
		msg = fmt.Sprintf("table %d: %s", v.table, msg)
	}
	v.p = append(v.p, msg)
}

// check runs the checks that need one table alone.
func (v *verifier) check(t *Table) {
	if t == nil {
		v.bad("no table")
		return
	}
	if t.K < 2 {
		v.bad("k is %d", t.K)
	}
	h, err := hierOf(t.Dimensions, t.Parents)
	if err != nil {
		v.bad("%v", err)
		return
	}
	if h != nil && !t.Margins {
		v.bad("a table with hierarchies has no margins")
		return
	}
	n := len(v.p)
	for i := range t.Cells {
		v.checkCell(t, i)
	}
	if len(v.p) == n {
		v.checkKeys(t, h)
	}
}

func (v *verifier) checkCell(t *Table, i int) {
	c := &t.Cells[i]
	switch {
	case len(c.Key) != len(t.Dimensions):
		v.bad("cell %d has %d key components for %d dimensions", i, len(c.Key), len(t.Dimensions))
	case !t.Margins && slices.Contains(c.Key, Total):
		v.bad("cell %v is a margin in a table without margins", c.Key)
	case c.Suppressed && (c.Rows != 0 || c.Subjects != 0 || c.Sums != nil):
		v.bad("suppressed cell %v carries values", c.Key)
	case c.Suppressed:
	case c.Subjects < t.K:
		v.bad("cell %v is published with %d subjects", c.Key, c.Subjects)
	case c.Subjects > t.K:
		v.bad("cell %v shows %d subjects: published counts are capped at k", c.Key, c.Subjects)
	case c.Rows < c.Subjects:
		v.bad("cell %v has fewer rows than subjects", c.Key)
	case len(c.Sums) != len(t.Measures):
		v.bad("cell %v has %d sums for %d measures", c.Key, len(c.Sums), len(t.Measures))
	case slices.ContainsFunc(c.Sums, func(x float64) bool { return !finite(x) }):
		v.bad("cell %v has a sum that is not a finite number", c.Key)
	}
}

// checkKeys refuses a key listed twice (two releases concatenated, say)
// and, with margins, a missing margin or subtotal.
func (v *verifier) checkKeys(t *Table, h hier) {
	index := make(map[string]bool, len(t.Cells))
	for _, c := range t.Cells {
		k := joinKey(c.Key)
		if index[k] {
			v.bad("cell %v is listed twice", c.Key)
		}
		index[k] = true
	}
	if !t.Margins {
		return
	}
	for _, c := range t.Cells {
		for d := range c.Key {
			if c.Key[d] == Total {
				continue
			}
			pk := slices.Clone(c.Key)
			pk[d] = h.up(d, c.Key[d])
			if !index[joinKey(pk)] {
				v.bad("a margin cell is missing (of cell %v)", c.Key)
				return
			}
		}
	}
}

// joined is the union of tables audited together: keys over the union of
// their dimensions (Total where a table lacks one), sums over the union of
// their measures (NaN where the publishing table lacks the measure).
type joined struct {
	k int
	// listed is the number of cells that some table lists; the cells after
	// them are margins that no table lists (see addMargins).
	listed    int
	dims      []string
	measures  []string
	floors    map[string]float64
	keys      [][]string
	published []bool
	rows      []int64
	sums      [][]float64
	// parents and hier are the tables' hierarchies by dimension name and
	// by index into dims.
	parents map[string]map[string]string
	hier    hier
}

// join merges the tables; it reports tables with different K and cells
// that two tables publish with different values.
func (v *verifier) join(tables []*Table) *joined {
	j := &joined{k: tables[0].K, floors: map[string]float64{}, parents: map[string]map[string]string{}}
	for _, t := range tables {
		if t.K != j.k {
			v.bad("tables have different k")
			return j
		}
		for name, m := range t.Parents {
			if len(m) == 0 {
				continue
			}
			if old, ok := j.parents[name]; ok && !maps.Equal(old, m) {
				v.bad("tables disagree on the hierarchy of %q", name)
				return j
			}
			j.parents[name] = m
		}
		j.dims = union(j.dims, t.Dimensions)
		j.measures = union(j.measures, t.Measures)
		for name, f := range t.Floors {
			if old, ok := j.floors[name]; !ok || f > old {
				j.floors[name] = f
			}
		}
	}
	j.hier, _ = hierOf(j.dims, j.parents) // each table's was checked
	index := map[string]int{}
	for _, t := range tables {
		for i := range t.Cells {
			j.add(v, t, &t.Cells[i], index)
		}
	}
	j.listed = len(j.keys)
	if len(tables) > 1 {
		j.addMargins(index)
	}
	return j
}

// addMargins adds, as cells nobody publishes, every margin of a listed cell
// that no table lists, and their margins in turn. Tables released without
// margins still agree on them (Σ_month A(r,m) = Σ_age B(r,a)): left out,
// the constraints that tie the tables would be lost. One table alone
// gains nothing from its unpublished margins, so Verify skips them.
func (j *joined) addMargins(index map[string]int) {
	for x := 0; x < len(j.keys); x++ {
		for d := range j.dims {
			if j.keys[x][d] == Total {
				continue
			}
			pk := slices.Clone(j.keys[x])
			pk[d] = j.hier.up(d, pk[d])
			if _, ok := index[joinKey(pk)]; !ok {
				j.cell(pk, index)
			}
		}
	}
}

// cell returns the index of the cell with the given key, adding it,
// unpublished, when it is new.
func (j *joined) cell(key []string, index map[string]int) int {
	jk := joinKey(key)
	if x, ok := index[jk]; ok {
		return x
	}
	x := len(j.keys)
	index[jk] = x
	sums := make([]float64, len(j.measures))
	for m := range sums {
		sums[m] = math.NaN()
	}
	j.keys, j.published, j.rows, j.sums = append(j.keys, key), append(j.published, false), append(j.rows, 0), append(j.sums, sums)
	return x
}

// union appends the names of b missing from a.
func union(a, b []string) []string {
	for _, n := range b {
		if !slices.Contains(a, n) {
			a = append(a, n)
		}
	}
	return a
}

// add merges one cell of t into j.
func (j *joined) add(v *verifier, t *Table, c *Cell, index map[string]int) {
	key := make([]string, len(j.dims))
	for d, name := range j.dims {
		key[d] = Total
		if i := slices.Index(t.Dimensions, name); i >= 0 {
			key[d] = c.Key[i]
		}
	}
	x := j.cell(key, index)
	if c.Suppressed {
		return
	}
	if j.published[x] && int64(c.Rows) != j.rows[x] {
		v.bad("tables disagree on cell %v", key)
	}
	j.published[x], j.rows[x] = true, int64(c.Rows)
	for m, name := range t.Measures {
		jm := slices.Index(j.measures, name)
		if old := j.sums[x][jm]; !math.IsNaN(old) && old != c.Sums[m] {
			v.bad("tables disagree on cell %v", key)
		}
		j.sums[x][jm] = c.Sums[m]
	}
}

// checkJoined runs the checks of the margin equations on the union.
func (v *verifier) checkJoined(j *joined) error {
	s, err := newLinkedSystem(j.keys, false, j.hier)
	if err != nil {
		return err
	}
	reasons := make([]Reason, len(j.keys))
	for i, pub := range j.published {
		if !pub {
			reasons[i] = Unrecorded
		}
	}
	decimals := make([]int, len(j.measures))
	for m := range j.measures {
		decimals[m] = j.decimals(m)
	}
	consistent := len(v.p)
	for _, con := range s.cons {
		if countSuppressed(con, reasons) == 0 {
			v.checkSums(j, con, decimals)
		}
	}
	det, err := s.audit(reasons)
	if err != nil {
		return err
	}
	for _, d := range det {
		if int(d) < j.listed { // a margin nobody lists may well be derivable
			v.bad("suppressed cell %v is derivable from the published cells", j.keys[d])
		}
	}
	if len(v.p) > consistent {
		return nil // the bounds assume a consistent table; derivable cells are reported already
	}
	exp, err := s.exposed(reasons, j.knowledge(decimals), j.listed)
	if err != nil {
		return err
	}
	for _, x := range exp {
		v.bad("suppressed cell %v can be pinned or bounded below k from the margins", j.keys[x])
	}
	return nil
}

// checkSums checks that a fully published constraint adds up: rows, and
// every measure that all its cells publish.
func (v *verifier) checkSums(j *joined, con []int32, decimals []int) {
	rows, ok := int64(0), true
	for _, x := range con[1:] {
		// Published rows are at least k, so only a hand-made table with
		// absurd counts can overflow; it does not add up.
		if rows, ok = sub(rows, -j.rows[x]); !ok {
			break
		}
	}
	parent := j.keys[con[0]]
	if !ok || rows != j.rows[con[0]] {
		v.bad("margin %v does not add up", parent)
		return
	}
	for m, name := range j.measures {
		vals := make([]float64, len(con))
		for i, x := range con {
			vals[i] = j.sums[x][m]
		}
		if !slices.ContainsFunc(vals, math.IsNaN) && !addsUp(vals, decimals[m]) {
			v.bad("margin %v: %s does not add up", parent, name)
		}
	}
}

// addsUp reports whether vals[0] is the sum of the others: exactly, in
// fixed point, when the values are exact at the given decimals (d >= 0);
// otherwise within the rounding error of float64, relative to the sum of
// the magnitudes, so that children of ±5e14 cancelling to a small parent
// are not refused for the digits float64 cannot hold.
func addsUp(vals []float64, d int) bool {
	if d >= 0 {
		sum := int64(0)
		for _, x := range vals[1:] {
			var ok bool
			if sum, ok = sub(sum, -toFixed(x, d)); !ok {
				return false
			}
		}
		return sum == toFixed(vals[0], d)
	}
	sum, mag := 0.0, math.Abs(vals[0])
	for _, x := range vals[1:] {
		sum += x
		mag += math.Abs(x)
	}
	return math.Abs(sum-vals[0]) <= 4*float64(len(vals))*0x1p-53*mag
}

// decimals returns the least number of decimals (up to maxDecimals) at
// which every published sum of measure m is an exact fixed-point number
// that float64 holds without loss (below 2^52 units), or -1.
func (j *joined) decimals(m int) int {
	for d := 0; d <= maxDecimals; d++ {
		if !slices.ContainsFunc(j.sums, func(s []float64) bool { return !math.IsNaN(s[m]) && !exactAt(s[m], d) }) {
			return d
		}
	}
	return -1
}

func exactAt(v float64, d int) bool {
	if math.Abs(v*pow10[d]) >= 1<<52 {
		return false
	}
	return fromFixed(toFixed(v, d), d) == v
}

// knowledge returns what a reader knows of the union's values: rows, and
// the fixed-point sums of the measures with a floor that are exact.
func (j *joined) knowledge(decimals []int) *knowledge {
	kn := &knowledge{k: int64(j.k), rows: j.rows}
	for m, name := range j.measures {
		f, ok := j.floors[name]
		d := decimals[m]
		if !ok || d < 0 || f < 0 || !fitsFixed(f, d) {
			continue
		}
		sums := make([]int64, len(j.keys))
		for i, s := range j.sums {
			sums[i] = unknownSum
			if !math.IsNaN(s[m]) {
				sums[i] = toFixed(s[m], d)
			}
		}
		kn.sums = append(kn.sums, sums)
		kn.floors = append(kn.floors, floorFixed(f, d))
	}
	return kn
}

// floorFixed converts a floor to fixed point rounding down: a suppressed
// sum need not be a multiple of 10^-d when d is less than the measure's
// Decimals, so rounding up could refuse a sound table.
func floorFixed(f float64, d int) int64 {
	n := toFixed(f, d)
	if fromFixed(n, d) > f {
		n--
	}
	return n
}

// Verify checks t as the package-level Verify does and, against the data
// in the aggregator, that every published cell exists with exactly its
// counts and sums, has at least K distinct subjects and passes every
// dominance rule, and that no cell of the data is missing from t.
func (a *Aggregator[T]) Verify(t *Table) error {
	if err := Verify(t); err != nil {
		return err
	}
	if a.err != nil {
		return a.err
	}
	rt := a.raw()
	index := make(map[string]*rawCell, len(rt.cells))
	for i := range rt.cells {
		index[joinKey(rt.cells[i].key)] = &rt.cells[i]
	}
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if t.K != rt.k {
		bad("table k %d, spec k %d", t.K, rt.k)
	}
	if len(t.Cells) != len(rt.cells) {
		bad("table has %d cells, data %d", len(t.Cells), len(rt.cells))
	}
	for _, c := range t.Cells {
		rc := index[joinKey(c.Key)]
		if rc == nil {
			bad("cell %v is not in the data", c.Key)
			continue
		}
		if c.Suppressed {
			continue
		}
		if rc.subjects < rt.k {
			bad("cell %v is published with fewer than k subjects", c.Key)
		}
		if int64(c.Rows) != rc.rows {
			bad("cell %v has wrong rows", c.Key)
		}
		for j, sh := range rt.shapes {
			if j < len(c.Sums) && c.Sums[j] != fromFixed(rc.sums[j], sh.decimals) {
				bad("cell %v has a wrong %s", c.Key, sh.name)
			}
			if sh.top() > 0 && dominated(rc.sums[j], rc.top[j], sh) {
				bad("cell %v is published but %s fails its dominance rule", c.Key, sh.name)
			}
		}
	}
	if len(p) == 0 && t.Margins {
		if err := rt.verifyLevels(t, bad); err != nil {
			return err
		}
	}
	if len(p) > 0 {
		return &VerifyError{Problems: p}
	}
	return nil
}

// verifyLevels checks, against the true values, that every sensitive cell
// of t is suppressed and that the reader's bounds on it contain its
// protection levels, exactly as Release checks before it returns.
func (rt *rawTable) verifyLevels(t *Table, bad func(string, ...any)) error {
	rt.sort()
	suppressed := map[string]bool{}
	for _, c := range t.Cells {
		suppressed[joinKey(c.Key)] = c.Suppressed
	}
	keys := make([][]string, len(rt.cells))
	reasons := rt.primary()
	lvs := rt.levels(reasons)
	for i := range rt.cells {
		keys[i] = rt.cells[i].key
		if suppressed[joinKey(keys[i])] {
			reasons[i] = max(reasons[i], Threshold)
		} else {
			reasons[i] = NotSuppressed
		}
	}
	s, err := newLinkedSystem(keys, true, rt.hier)
	if err != nil {
		return err
	}
	kn := rt.known()
	for _, lv := range lvs {
		if reasons[lv.cell] == NotSuppressed {
			bad("sensitive cell %v is published", keys[lv.cell])
			return nil
		}
	}
	narrow, err := s.protectLevels(reasons, lvs, kn, newLinkedWitness(keys, kn, rt.hier), false)
	if err != nil {
		return err
	}
	if narrow {
		bad("a reader's bounds on a sensitive cell are narrower than its protection levels")
	}
	return nil
}
