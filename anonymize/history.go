package anonymize

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"
)

// History keeps the tables a host has released of one population, so that
// the next cumulative release (January, then January and February) is
// audited against them: a reader who holds them all subtracts one from
// another and learns the rows added in between, and every later table,
// being at least the earlier one cell by cell, bounds the cells an earlier
// one suppressed. The host keeps every table it released of the
// population, for as long as it releases cumulative tables of it: the
// audit reads them all, and a table left out is one the reader still
// holds but the audit does not.
type History interface {
	// Tables returns the tables kept, oldest first.
	Tables(ctx context.Context) ([]*Table, error)
	// Keep records a released table.
	Keep(ctx context.Context, t *Table) error
}

// MemoryHistory is a History in memory, safe for concurrent use.
type MemoryHistory struct {
	mu     sync.Mutex
	tables []*Table
}

// NewMemoryHistory returns an empty MemoryHistory.
func NewMemoryHistory() *MemoryHistory { return &MemoryHistory{} }

// Tables returns the tables kept, oldest first.
func (h *MemoryHistory) Tables(context.Context) ([]*Table, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.tables), nil
}

// Keep records t.
func (h *MemoryHistory) Keep(_ context.Context, t *Table) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tables = append(h.tables, t)
	return nil
}

// SQLHistory is a History in a PostgreSQL table of (id, released_at,
// body): body is the table as encoding/json writes it, which holds what
// the partners received and no reason of suppression.
type SQLHistory struct {
	db    *sql.DB
	table string
}

// NewSQLHistory returns a History kept in the named table, creating it if
// it does not exist.
func NewSQLHistory(ctx context.Context, db *sql.DB, table string) (*SQLHistory, error) {
	q, err := quoteQualified(table)
	if err != nil {
		return nil, err
	}
	_, err = db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+q+
		` (id bigserial PRIMARY KEY, released_at timestamptz NOT NULL, body text NOT NULL)`)
	if err != nil {
		return nil, fmt.Errorf("anonymize: history: %w", err)
	}
	return &SQLHistory{db: db, table: q}, nil
}

// Tables returns the tables kept, oldest first.
func (h *SQLHistory) Tables(ctx context.Context) ([]*Table, error) {
	rows, err := h.db.QueryContext(ctx, `SELECT body FROM `+h.table+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("anonymize: history: %w", err)
	}
	defer rows.Close()
	var out []*Table
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("anonymize: history: %w", err)
		}
		t := new(Table)
		if err := json.Unmarshal([]byte(body), t); err != nil {
			return nil, fmt.Errorf("%w: a kept table does not decode", ErrHistory)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("anonymize: history: %w", err)
	}
	return out, nil
}

// Keep records t.
func (h *SQLHistory) Keep(ctx context.Context, t *Table) error {
	body, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("anonymize: history: %w", err)
	}
	_, err = h.db.ExecContext(ctx, `INSERT INTO `+h.table+` (released_at, body) VALUES ($1, $2)`, t.ReleasedAt, string(body))
	if err != nil {
		return fmt.Errorf("anonymize: history: %w", err)
	}
	return nil
}

// ReleaseAfter releases a's table as the next cumulative release of a
// population whose earlier releases h keeps, and keeps it in h. a holds
// every row so far; added holds the rows since the previous release (an
// aggregator of the same spec: the host selects them, by month say). The
// earlier releases are the tables in h with a's dimensions, measures, K
// and hierarchies; the latest of them must equal a's minus added's cell by
// cell where it publishes, and every table must list only cells a has, or
// ReleaseAfter fails with ErrHistory.
//
// Each group of rows added since the previous release with fewer than K
// subjects, or whose sum fails a dominance rule, is protected like a
// sensitive cell. The new table is then audited with the reader's linear
// program over all the kept tables and the new one (each table's margin
// equations and published values, one row per listed cell, floors, and
// earlier ≤ later per cell, see cumulative.go): the levels of the new
// table's sensitive cells and of the added groups must hold; so must the
// levels of every cell the previous table suppressed, recomputed from a
// minus added as if it were below K or dominated (a kept table carries no
// reasons, so memory and SQL histories give the same release), unless the
// reader's bounds on it are those it had before; and no other value an
// earlier table suppressed may be narrowed. When a promise fails, the
// cells the previous table suppressed are kept suppressed, then, round by
// round, a failing cell the new table publishes, or one published cell in
// each constraint of it (one the previous table hid, else the smallest);
// when that does not help, ReleaseAfter publishes nothing and returns an error
// wrapping ErrDisclosive. The program couples at most 1,500 hidden values
// of all the tables (a year of monthly 17 × 6 tables needs about 700); a
// larger group fails with ErrUnaudited. With no earlier
// table, ReleaseAfter is Release followed by Keep.
func (a *Aggregator[T]) ReleaseAfter(ctx context.Context, h History, added *Aggregator[T]) (*Table, error) {
	if a.err != nil {
		return nil, a.err
	}
	if added.err != nil {
		return nil, added.err
	}
	if err := a.compatible(added.k, added.spec.Margins, dimNames(added.spec), added.shapes, a.keys.id[:]); err != nil { // fingerprints are never mixed: any key
		return nil, err
	}
	if !a.hier.equal(added.hier) {
		return nil, fmt.Errorf("%w: different hierarchies", ErrIncompatible)
	}
	tables, err := h.Tables(ctx)
	if err != nil {
		return nil, err
	}
	rt := a.raw()
	kept := released(tables, rt)
	if len(kept) == 0 {
		t, err := release(rt, a.spec.now())
		if err != nil {
			return nil, err
		}
		return t, h.Keep(ctx, t)
	}
	t, err := releaseAfter(ctx, rt, added.raw(), kept, a.spec.now())
	if err != nil {
		return nil, err
	}
	return t, h.Keep(ctx, t)
}

// released returns the tables of tables with rt's shape, oldest first.
func released(tables []*Table, rt *rawTable) []*Table {
	var out []*Table
	for _, t := range tables {
		if t.K == rt.k && t.Margins == rt.margins && slices.Equal(t.Dimensions, rt.dims) && len(t.Measures) == len(rt.shapes) {
			same := sameHierarchies(t, rt)
			for j, sh := range rt.shapes {
				same = same && t.Measures[j] == sh.name
			}
			if same {
				out = append(out, t)
			}
		}
	}
	return out
}

// sameHierarchies reports whether t's hierarchies are rt's: the same
// dimensions are hierarchical, and every value t lists has the parent rt's
// hierarchy gives it.
func sameHierarchies(t *Table, rt *rawTable) bool {
	for d, name := range rt.dims {
		m, ok := t.Parents[name]
		if ok != (rt.hier != nil && rt.hier[d] != nil) {
			return false
		}
		for v, p := range m {
			if rt.hier.up(d, v) != p {
				return false
			}
		}
	}
	return true
}

// releaseAfter is release with the added rows' groups as further
// sensitive cells, audited together with the tables kept before it
// (oldest first; see ReleaseAfter and cumulative.go).
func releaseAfter(ctx context.Context, rt, added *rawTable, kept []*Table, now time.Time) (*Table, error) {
	rt.sort()
	prev := kept[len(kept)-1]
	addedAt := make(map[string]*rawCell, len(added.cells))
	for i := range added.cells {
		addedAt[joinKey(added.cells[i].key)] = &added.cells[i]
	}
	earlier := make(map[string]*Cell, len(prev.Cells))
	for i := range prev.Cells {
		earlier[joinKey(prev.Cells[i].Key)] = &prev.Cells[i]
	}
	if len(addedAt) > len(rt.cells) || len(earlier) != len(prev.Cells) {
		return nil, fmt.Errorf("%w: more added cells than cells, or a key kept twice", ErrHistory)
	}
	reasons := rt.primary()
	lvs := rt.levels(reasons)
	primaryLevels := len(lvs)
	kn := rt.known()
	fq := rt.floorQuantities()
	nq := 1 + len(kn.sums)
	kn.least = make([][]int64, nq)
	// oldVal holds, per quantity and cell, the value before the added
	// rows; oldIn whether prev lists the cell; oldPub whether it publishes it.
	oldVal := make([][]int64, nq)
	for q := range nq {
		kn.least[q] = make([]int64, len(rt.cells))
		oldVal[q] = make([]int64, len(rt.cells))
	}
	oldIn, oldPub := make([]bool, len(rt.cells)), make([]bool, len(rt.cells))
	var jl []jointLevel
	leaves := rt.leaves()
	for i := range rt.cells {
		oldIn[i] = earlier[joinKey(rt.cells[i].key)] != nil
	}
	// The reader knows that an added group holds a row at least in every
	// interior cell the previous table does not list.
	fresh := rt.leavesWhere(func(i int) bool { return !oldIn[i] })
	k := int64(rt.k)
	matched := 0
	for i := range rt.cells {
		c := &rt.cells[i]
		jk := joinKey(c.key)
		d := addedAt[jk]
		old := earlier[jk]
		delete(addedAt, jk)
		drows, dsums := int64(0), make([]int64, len(c.sums))
		if d != nil {
			drows, dsums = d.rows, d.sums
		}
		if old == nil {
			if drows != c.rows {
				return nil, fmt.Errorf("%w: a cell the previous release lacks holds rows before those added", ErrHistory)
			}
			continue
		}
		matched++
		oldRows := c.rows - drows
		if drows < 0 || oldRows < 1 || (!old.Suppressed && int64(old.Rows) != oldRows) {
			return nil, fmt.Errorf("%w: the previous release does not match the rows before those added", ErrHistory)
		}
		oldPub[i] = !old.Suppressed
		oldVal[rowsQ][i] = oldRows
		for j, sh := range rt.shapes {
			oldSum := c.sums[j] - dsums[j]
			if !old.Suppressed && (j >= len(old.Sums) || toFixedOK(old.Sums[j], sh.decimals) != oldSum) {
				return nil, fmt.Errorf("%w: the previous release does not match the rows before those added", ErrHistory)
			}
			if fq[j] > 0 {
				oldVal[fq[j]][i] = oldSum
			}
		}
		if !old.Suppressed { // the reader knows the old values: the new ones are at least those
			for q := range nq {
				kn.least[q][i] = oldVal[q][i]
			}
		} else {
			jl = append(jl, rt.oldLevels(len(kept)-1, int32(i), oldVal, k)...)
		}
		if drows == 0 {
			continue
		}
		if d.subjects < rt.k {
			reasons[i] = max(reasons[i], Threshold)
			least := max(leaves[i], oldRows)
			lvs = append(lvs, level{cell: int32(i), q: rowsQ, lo: least, hi: oldRows + drows + max(k-drows, 1), least: least})
			jl = append(jl, jointLevel{side: len(kept), added: true, cell: int32(i), q: int(rowsQ), lo: min(fresh[i], drows), hi: drows + max(k-drows, 1)})
		}
		for j, sh := range rt.shapes {
			if sh.top() == 0 || fq[j] == 0 || !dominated(dsums[j], d.top[j], sh) {
				continue
			}
			if reasons[i] == NotSuppressed {
				reasons[i] = Dominance
			}
			pl := sh.protection(dsums[j], d.top[j])
			oldSum := c.sums[j] - dsums[j]
			lvs = append(lvs, level{cell: int32(i), q: fq[j], lo: max(c.sums[j]-pl, oldSum), hi: satAdd(c.sums[j], pl), least: oldSum})
			least, ok := mul(kn.floors[fq[j]-1], fresh[i])
			if !ok || least > dsums[j] {
				least = dsums[j]
			}
			jl = append(jl, jointLevel{side: len(kept), added: true, cell: int32(i), q: int(fq[j]), lo: max(dsums[j]-pl, least), hi: satAdd(dsums[j], pl)})
		}
	}
	if len(addedAt) > 0 || matched != len(prev.Cells) {
		return nil, fmt.Errorf("%w: added rows in cells the table lacks, or cells of the previous release it lacks", ErrHistory)
	}
	// Below a value the previous table published a level asks for nothing
	// the reader does not know already; a value it suppressed the reader
	// does not know, and the joint audit below holds the old table's
	// promises for it.
	for i := range lvs {
		lv := &lvs[i]
		if h := kn.least[lv.q][lv.cell]; h > 0 {
			lv.lo, lv.least = max(lv.lo, h), max(lv.least, h)
		}
	}
	for _, lv := range lvs[:primaryLevels] {
		jl = append(jl, jointLevel{side: len(kept), cell: lv.cell, q: int(lv.q), lo: lv.lo, hi: lv.hi})
	}
	ca := &cumulativeAudit{rt: rt, kn: kn, levels: jl}
	if err := ca.older(kept[:len(kept)-1]); err != nil {
		return nil, err
	}
	ca.val, ca.pub, ca.listed = append(ca.val, oldVal), append(ca.pub, oldPub), append(ca.listed, oldIn)
	s, err := newLinkedSystem(ca.keys(), rt.margins, rt.hier)
	if err != nil {
		return nil, err
	}
	// First the new table as release protects it; then with every cell
	// the previous table suppressed kept suppressed; then, round by
	// round, with more cells around those whose promise fails (expand).
	force := make([]bool, len(rt.cells))
	for round := range cumulativeRounds {
		rs, ls := slices.Clone(reasons), slices.Clone(lvs)
		for i := range rs {
			if force[i] && rs[i] == NotSuppressed {
				rs[i] = Unrecorded // kept by prune, which lifts only Secondary
			}
		}
		t, err := rt.protectAndBuild(rs, ls, kn, now)
		if err != nil {
			return nil, err
		}
		for key, r := range t.reasons.byKey {
			if r == Unrecorded {
				t.reasons.byKey[key] = Secondary
			}
		}
		bad, err := ca.failing(ctx, s, t)
		if err != nil {
			return nil, err
		}
		if len(bad) == 0 {
			return t, nil
		}
		more := false
		if round == 0 {
			for i := range force {
				if oldIn[i] && !oldPub[i] && !force[i] {
					force[i], more = true, true
				}
			}
		}
		if !more {
			more = expand(s, bad, t, force, oldIn, oldPub, kn.rows)
		}
		if !more {
			break
		}
	}
	return nil, fmt.Errorf("%w: read together with the earlier releases, a protection level cannot be met", ErrDisclosive)
}

// expand marks for suppression, for every cell x whose promise fails, x
// itself when the new table publishes it, and otherwise one published
// cell in each constraint of x: one the previous table suppressed if any
// (its pattern protected the old value), else the one of fewest rows. It
// reports whether it marked any.
func expand(s *system, bad []int32, t *Table, force, oldIn, oldPub []bool, rows []int64) bool {
	more := false
	oldHidden := func(y int32) bool { return oldIn[y] && !oldPub[y] }
	for _, x := range bad {
		if !t.Cells[x].Suppressed {
			if !force[x] {
				force[x], more = true, true
			}
			continue
		}
		for _, ci := range s.ofCell[x] {
			best := int32(-1)
			for _, y := range s.cons[ci] {
				if t.Cells[y].Suppressed || force[y] {
					continue
				}
				if best < 0 || (oldHidden(y) && !oldHidden(best)) || (oldHidden(y) == oldHidden(best) && rows[y] < rows[best]) {
					best = y
				}
			}
			if best >= 0 {
				force[best], more = true, true
			}
		}
	}
	return more
}

// cumulativeRounds bounds the rounds of further suppression by which
// releaseAfter tries to keep the promises of both releases.
const cumulativeRounds = 16

// oldLevels returns the promises of a cell the previous table suppressed,
// with old values old[q][cell]. Why it was suppressed is not used (a
// table read back from SQLHistory has no reasons, and both stores must
// give the same release): its rows keep the level of a cell below the
// threshold, r − min(r−1, K−1) to r + max(K−r, 1), and the sum of a
// measure with a dominance rule keeps the level of the old sum computed
// with the largest contributions of all rows so far, which are at least
// the old ones, so that level is at least the old one. A promise the joint
// bounds do not cover holds still when they are the bounds the reader had
// before the new table (see joint.holds): a secondary cell's.
func (rt *rawTable) oldLevels(side int, cell int32, old [][]int64, k int64) []jointLevel {
	rows := old[rowsQ][cell]
	out := []jointLevel{{side: side, cell: cell, q: int(rowsQ), lo: rows - min(rows-1, k-1), hi: rows + max(k-rows, 1)}}
	fq := rt.floorQuantities()
	for j, sh := range rt.shapes {
		if fq[j] == 0 || sh.top() == 0 { // a sum without a dominance rule has no level
			continue
		}
		sum := old[fq[j]][cell]
		pl := sh.protection(sum, rt.cells[cell].top[j])
		out = append(out, jointLevel{side: side, cell: cell, q: int(fq[j]), lo: max(sum-pl, 0), hi: satAdd(sum, pl)})
	}
	return out
}

// cumulativeAudit checks a candidate new table against the tables
// released before it.
type cumulativeAudit struct {
	rt     *rawTable
	kn     *knowledge
	levels []jointLevel
	// val, pub and listed hold the earlier tables (oldest first) as
	// newJoint reads them.
	val         [][][]int64
	pub, listed [][]bool
	before      map[[5]int32]float64 // joint.before, kept across rounds
}

// older adds the tables released before the previous one, and the
// promises that the new table must not narrow: every value an older
// table suppressed, and every group added between two of them.
func (ca *cumulativeAudit) older(tables []*Table) error {
	rt := ca.rt
	index := make(map[string]int, len(rt.cells))
	for i := range rt.cells {
		index[joinKey(rt.cells[i].key)] = i
	}
	fq := rt.floorQuantities()
	nq := 1 + len(ca.kn.sums)
	// The quantities with levels: rows, and the sums of measures with a
	// dominance rule.
	protected := []int{int(rowsQ)}
	for j, sh := range rt.shapes {
		if fq[j] > 0 && sh.top() > 0 {
			protected = append(protected, int(fq[j]))
		}
	}
	for sd, t := range tables {
		val := make([][]int64, nq)
		for q := range val {
			val[q] = make([]int64, len(rt.cells))
		}
		pub, listed := make([]bool, len(rt.cells)), make([]bool, len(rt.cells))
		for _, c := range t.Cells {
			i, ok := index[joinKey(c.Key)]
			if !ok || listed[i] {
				return fmt.Errorf("%w: an earlier release lists a cell twice, or one the table lacks", ErrHistory)
			}
			listed[i] = true
			if c.Suppressed {
				for _, q := range protected {
					ca.levels = append(ca.levels, jointLevel{side: sd, cell: int32(i), q: q, narrow: true})
				}
				continue
			}
			pub[i] = true
			val[rowsQ][i] = int64(c.Rows)
			for j, sh := range rt.shapes {
				if fq[j] == 0 {
					continue
				}
				v := int64(unknownSum)
				if j < len(c.Sums) {
					v = toFixedOK(c.Sums[j], sh.decimals)
				}
				if v == unknownSum {
					return fmt.Errorf("%w: an earlier release holds a sum out of range", ErrHistory)
				}
				val[fq[j]][i] = v
			}
		}
		ca.val, ca.pub, ca.listed = append(ca.val, val), append(ca.pub, pub), append(ca.listed, listed)
	}
	// Groups added between older tables, and between the last of them
	// and the previous table.
	for sd := 1; sd <= len(tables); sd++ {
		for i := range rt.cells {
			for _, q := range protected {
				ca.levels = append(ca.levels, jointLevel{side: sd, added: true, cell: int32(i), q: q, narrow: true})
			}
		}
	}
	return nil
}

func (ca *cumulativeAudit) keys() [][]string {
	keys := make([][]string, len(ca.rt.cells))
	for i := range ca.rt.cells {
		keys[i] = ca.rt.cells[i].key
	}
	return keys
}

// failing returns the cells of the promises that fail in the reader's
// program over the earlier tables and t (system s). It stops early, with
// ctx's error, when ctx is done.
func (ca *cumulativeAudit) failing(ctx context.Context, s *system, t *Table) ([]int32, error) {
	newPub := make([]bool, len(ca.rt.cells))
	for i := range newPub {
		newPub[i] = !t.Cells[i].Suppressed
	}
	newVal := append([][]int64{ca.kn.rows}, ca.kn.sums...)
	floors := append([]int64{0}, ca.kn.floors...)
	all := make([]bool, len(newPub))
	for i := range all {
		all[i] = true
	}
	j, err := newJoint(s, append(slices.Clone(ca.val), newVal), append(slices.Clone(ca.pub), newPub), append(slices.Clone(ca.listed), all), floors)
	if err != nil {
		return nil, err
	}
	if ca.before == nil {
		ca.before = map[[5]int32]float64{}
	}
	j.before = ca.before
	var bad []int32
	for _, lv := range ca.levels {
		if len(bad) > 0 && bad[len(bad)-1] == lv.cell {
			continue // the cell is to be worked on anyway
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ok, err := j.holds(lv)
		if err != nil {
			return nil, err
		}
		if !ok {
			bad = append(bad, lv.cell)
		}
	}
	return bad, nil
}

// toFixedOK converts a published sum back to fixed point (it was made from
// one, so the conversion is exact).
func toFixedOK(v float64, decimals int) int64 {
	if !finite(v) || !fitsFixed(v, decimals) {
		return unknownSum
	}
	return toFixed(v, decimals)
}
