package anonymize

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// This file holds the PostgreSQL push-down: the same table as the
// aggregator, computed by the warehouse. The Spec's Column fields (and
// SubjectColumn) name the columns of a table or view that already holds the
// generalised values (text) and the raw measures (numeric); the functions of
// the Spec are not used. Generalise in a view, for example
//
//	CREATE VIEW bids_g AS SELECT user_id, region, to_char(placed_at, 'YYYY-MM') AS month, amount FROM bids;
//
// The generated query clamps and rounds every measure exactly as Add does
// (numeric ROUND is half away from zero), groups by GROUPING SETS (every
// subset of the dimensions when margins are on), counts distinct subjects
// and, when a measure has a dominance rule, aggregates per subject first and
// returns each cell's largest per-subject contributions. Its result goes
// through the same release as the aggregator's: primary and secondary
// suppression and the audit run in Go, in the caller's process.
//
// Identifiers are quoted, numbers are formatted by strconv: no part of the
// query comes from data. Subjects are counted exactly (no fingerprints), so
// the push-down may count one more subject than an aggregator in the rare
// event of a fingerprint collision.

type sqlSpec struct {
	k       int
	table   string
	subject string
	dims    []string // quoted columns
	names   []string
	shapes  []measureShape
	margins bool
	// levels holds, per hierarchical dimension, its leaves and their
	// values at every depth below the root (levels[i][j][n]: the value at
	// depth j+1 of leaf n, the leaf itself below its own depth); nil for
	// a flat dimension. The query takes them as parameters.
	levels [][][]string
	hier   hier
}

func newSQLSpec[T any](spec Spec[T], table string) (*sqlSpec, error) {
	s := &sqlSpec{margins: spec.Margins}
	var err error
	if s.table, err = quoteQualified(table); err != nil {
		return nil, err
	}
	if s.subject, err = quoteIdent(spec.SubjectColumn); err != nil {
		return nil, err
	}
	s.levels = make([][][]string, len(spec.Dimensions))
	for i, d := range spec.Dimensions {
		q, err := quoteIdent(d.Column)
		if err != nil {
			return nil, err
		}
		s.dims = append(s.dims, q)
		s.names = append(s.names, d.Name)
		if d.Hierarchy != nil {
			if !spec.Margins {
				return nil, specError("dimension %q: a hierarchy needs Margins", d.Name)
			}
			if s.hier == nil {
				s.hier = make(hier, len(spec.Dimensions))
			}
			s.hier[i] = d.Hierarchy.parents()
			s.levels[i] = d.Hierarchy.levels()
		}
	}
	for i := range spec.Measures {
		if _, err := quoteIdent(spec.Measures[i].Column); err != nil {
			return nil, err
		}
		s.shapes = append(s.shapes, spec.Measures[i].shape())
	}
	if s.k, err = checkShape(spec.K, s.names, s.shapes); err != nil {
		return nil, err
	}
	if n := len(strings.Split(s.dimList(), ", ")); n > 31 {
		return nil, specError("%d grouping columns (levels of every dimension), PostgreSQL's GROUPING takes at most 31", n)
	}
	return s, nil
}

func quoteIdent(name string) (string, error) {
	if name == "" || strings.ContainsRune(name, 0) || len(name) > 63 {
		return "", specError("invalid column or table name")
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`, nil
}

// quoteQualified quotes "table" or "schema.table".
func quoteQualified(name string) (string, error) {
	parts := strings.Split(name, ".")
	if len(parts) > 2 {
		return "", specError("invalid table name")
	}
	for i, p := range parts {
		q, err := quoteIdent(p)
		if err != nil {
			return "", err
		}
		parts[i] = q
	}
	return strings.Join(parts, "."), nil
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func mustQuote(column string) string {
	q, _ := quoteIdent(column)
	return q
}

// measureExpr is the clamped, rounded, fixed-point value of measure j
// (column quoted).
func (s *sqlSpec) measureExpr(j int, column string) string {
	v := column + "::numeric"
	if b := s.shapes[j].bounds; b != nil {
		v = fmt.Sprintf("LEAST(GREATEST(%s, %s), %s)", v, num(b.Min), num(b.Max))
	}
	return fmt.Sprintf("ROUND(%s * %s)::bigint", v, num(pow10[s.shapes[j].decimals]))
}

func (s *sqlSpec) dominance() bool {
	for _, sh := range s.shapes {
		if sh.top() > 0 {
			return true
		}
	}
	return false
}

// dimColumns returns, per dimension, the columns of base that hold its
// value: d<i> for a flat dimension; d<i>_<j> for the value at depth j of
// a hierarchical one, deepest first.
func (s *sqlSpec) dimColumns() [][]string {
	out := make([][]string, len(s.dims))
	for i := range s.dims {
		if s.levels[i] == nil {
			out[i] = []string{fmt.Sprintf("d%d", i)}
			continue
		}
		for j := len(s.levels[i]); j >= 1; j-- {
			out[i] = append(out[i], fmt.Sprintf("d%d_%d", i, j))
		}
	}
	return out
}

// groupingSets lists the grouping sets, with extra appended to each: per
// dimension one of its columns or none (Total), every combination when
// margins are on.
func (s *sqlSpec) groupingSets(extra string) string {
	sets := [][]string{nil}
	for _, cols := range s.dimColumns() {
		var next [][]string
		for _, set := range sets {
			for _, c := range cols {
				next = append(next, append(slices.Clone(set), c))
			}
			if s.margins {
				next = append(next, set)
			}
		}
		sets = next
	}
	var out []string
	for _, set := range sets {
		if extra != "" {
			set = append(set, extra)
		}
		out = append(out, "("+strings.Join(set, ", ")+")")
	}
	return "GROUPING SETS (" + strings.Join(out, ", ") + ")"
}

func (s *sqlSpec) dimList() string {
	var d []string
	for _, cols := range s.dimColumns() {
		d = append(d, cols...)
	}
	return strings.Join(d, ", ")
}

// args returns the query's parameters: per hierarchical dimension, one
// text array per depth (leaves first).
func (s *sqlSpec) args() []any {
	var out []any
	for _, lv := range s.levels {
		for _, col := range lv {
			out = append(out, col)
		}
	}
	return out
}

// hierJoins returns the joins of base that map each hierarchical
// dimension's leaf to its values at every depth; the first parameter is
// $first.
func (s *sqlSpec) hierJoins(first int) (string, int) {
	var b strings.Builder
	for i, lv := range s.levels {
		if lv == nil {
			continue
		}
		var arrays, names []string
		for j := range lv {
			arrays = append(arrays, fmt.Sprintf("$%d::text[]", first))
			names = append(names, fmt.Sprintf("l%d", j))
			first++
		}
		fmt.Fprintf(&b, " JOIN unnest(%s) AS h%d(%s) ON h%d.l0 = %s.%s::text", strings.Join(arrays, ", "), i, strings.Join(names, ", "), i, s.table, s.dims[i])
	}
	return b.String(), first
}

// query builds the release query. Its columns are: grouping bits, one text
// column per dimension, rows, distinct subjects, one text sum per measure,
// and, per measure with a dominance rule, a text array of the largest
// per-subject contributions.
func (s *sqlSpec) query(columns []string) string {
	var b strings.Builder
	b.WriteString("WITH base AS (SELECT " + s.table + "." + s.subject + "::text AS s")
	for i, d := range s.dims {
		if s.levels[i] == nil {
			fmt.Fprintf(&b, ", %s.%s::text AS d%d", s.table, d, i)
			continue
		}
		for j := 1; j < len(s.levels[i]); j++ { // l0 is the leaf, l<j> the value at depth j
			fmt.Fprintf(&b, ", h%d.l%d AS d%d_%d", i, j, i, j)
		}
		fmt.Fprintf(&b, ", h%d.l0 AS d%d_%d", i, i, len(s.levels[i]))
	}
	for j := range s.shapes {
		fmt.Fprintf(&b, ", %s AS m%d", s.measureExpr(j, s.table+"."+mustQuote(columns[j])), j)
	}
	joins, _ := s.hierJoins(1)
	b.WriteString(" FROM " + s.table + joins + ")")
	dl := s.dimList()
	if !s.dominance() {
		fmt.Fprintf(&b, " SELECT GROUPING(%s) AS g, %s, COUNT(*) AS n, COUNT(DISTINCT s) AS subjects", dl, dl)
		for j := range s.shapes {
			fmt.Fprintf(&b, ", SUM(m%d)::text", j)
		}
		// The empty grouping set yields a grand-total row (SUM NULL) even
		// over no rows; the aggregator has no cell there, so drop it.
		fmt.Fprintf(&b, " FROM base GROUP BY %s HAVING COUNT(*) > 0", s.groupingSets(""))
		return b.String()
	}
	fmt.Fprintf(&b, ", per AS (SELECT GROUPING(%s) AS g, %s, COUNT(*) AS n", dl, dl)
	for j := range s.shapes {
		fmt.Fprintf(&b, ", SUM(m%d) AS c%d", j, j)
	}
	fmt.Fprintf(&b, " FROM base GROUP BY %s)", s.groupingSets("s"))
	fmt.Fprintf(&b, " SELECT g, %s, SUM(n)::bigint, COUNT(*)", dl)
	for j := range s.shapes {
		fmt.Fprintf(&b, ", SUM(c%d)::text", j)
	}
	for j, sh := range s.shapes {
		if n := sh.top(); n > 0 {
			fmt.Fprintf(&b, ", ((array_agg(c%d ORDER BY c%d DESC))[1:%d])::text", j, j, n)
		}
	}
	fmt.Fprintf(&b, " FROM per GROUP BY g, %s", dl)
	return b.String()
}

// check builds the query counting the rows that Add would refuse, and
// its parameters (the leaves of each hierarchy).
func (s *sqlSpec) check(columns []string) (string, []any) {
	conds := []string{s.subject + " IS NULL", s.subject + "::text = ''"}
	var args []any
	for i, d := range s.dims {
		conds = append(conds, d+" IS NULL", d+"::text = '"+Total+"'")
		if s.levels[i] != nil {
			args = append(args, s.levels[i][0])
			conds = append(conds, fmt.Sprintf("NOT (%s::text = ANY($%d::text[]))", d, len(args)))
		}
	}
	for j, sh := range s.shapes {
		q, _ := quoteIdent(columns[j])
		conds = append(conds, q+" IS NULL", q+"::float8 IN ('NaN', 'Infinity', '-Infinity')")
		x := q + "::numeric"
		if b := sh.bounds; b != nil {
			x = fmt.Sprintf("LEAST(GREATEST(%s, %s), %s)", x, num(b.Min), num(b.Max))
		}
		conds = append(conds, fmt.Sprintf("(%s::float8 NOT IN ('NaN', 'Infinity', '-Infinity') AND ROUND(%s, %d) <> %s)", q, x, sh.decimals, x))
		if sh.top() > 0 {
			lo := q + "::numeric"
			if sh.bounds != nil {
				lo = fmt.Sprintf("GREATEST(%s, %s)", lo, num(sh.bounds.Min))
			}
			conds = append(conds, lo+" < 0")
		}
	}
	return "SELECT COUNT(*) FROM " + s.table + " WHERE " + strings.Join(conds, " OR "), args
}

func measureColumns[T any](spec Spec[T]) []string {
	c := make([]string, len(spec.Measures))
	for i, m := range spec.Measures {
		c[i] = m.Column
	}
	return c
}

// pushDownQuery returns the SQL that ReleaseSQL runs to compute the
// unprotected table (its parameters aside).
func pushDownQuery[T any](spec Spec[T], table string) (string, error) {
	s, err := newSQLSpec(spec, table)
	if err != nil {
		return "", err
	}
	return s.query(measureColumns(spec)), nil
}

// ReleaseSQL computes the table described by spec over a PostgreSQL table
// or view in the database, then protects it exactly as Aggregator.Release
// does. Rows that Add would refuse (NULL or empty subject, NULL dimension
// or a dimension equal to Total, NULL, NaN or infinite measure, a negative
// measure under a dominance rule) make it fail with ErrRow, reporting how
// many there are. Run it in a REPEATABLE READ read-only transaction if the
// table changes meanwhile; ReleaseSQL opens one itself.
func ReleaseSQL[T any](ctx context.Context, db *sql.DB, spec Spec[T], table string) (*Table, error) {
	s, err := newSQLSpec(spec, table)
	if err != nil {
		return nil, err
	}
	cols := measureColumns(spec)
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("anonymize: push-down: %w", err)
	}
	defer tx.Rollback()
	var bad int64
	check, args := s.check(cols)
	if err := tx.QueryRowContext(ctx, check, args...).Scan(&bad); err != nil {
		return nil, fmt.Errorf("anonymize: push-down check: %w", err)
	}
	if bad > 0 {
		return nil, fmt.Errorf("%w: %d rows of the table cannot be counted", ErrRow, bad)
	}
	rt, err := s.fetch(ctx, tx, cols)
	if err != nil {
		return nil, err
	}
	return release(rt, spec.now())
}

func (s *sqlSpec) fetch(ctx context.Context, tx *sql.Tx, cols []string) (*rawTable, error) {
	rows, err := tx.QueryContext(ctx, s.query(cols), s.args()...)
	if err != nil {
		return nil, fmt.Errorf("anonymize: push-down query: %w", err)
	}
	defer rows.Close()
	rt := &rawTable{k: s.k, dims: s.names, shapes: s.shapes, margins: s.margins, hier: s.hier}
	nd, nm := len(s.dims), len(s.shapes)
	dimCols := s.dimColumns()
	ncol := 0
	for _, c := range dimCols {
		ncol += len(c)
	}
	seen := map[string]bool{} // a leaf above the deepest level comes once per level below its own
	var tops []int
	for j, sh := range s.shapes {
		if sh.top() > 0 {
			tops = append(tops, j)
		}
	}
	for rows.Next() {
		var g, n, subjects int64
		dims := make([]sql.NullString, ncol)
		sums := make([]string, nm)
		top := make([]string, len(tops))
		dest := []any{&g}
		for i := range dims {
			dest = append(dest, &dims[i])
		}
		dest = append(dest, &n, &subjects)
		for j := range sums {
			dest = append(dest, &sums[j])
		}
		for j := range top {
			dest = append(dest, &top[j])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("anonymize: push-down scan: %w", err)
		}
		c := rawCell{key: make([]string, nd), rows: n, subjects: int(min(subjects, int64(s.k))), sums: make([]int64, nm), top: make([][]int64, nm)}
		col := 0
		for i, cols := range dimCols {
			c.key[i] = Total
			for range cols {
				if g&(1<<(ncol-1-col)) == 0 {
					c.key[i] = dims[col].String
				}
				col++
			}
		}
		if jk := joinKey(c.key); seen[jk] {
			continue
		} else {
			seen[jk] = true
		}
		for j, v := range sums {
			if c.sums[j], err = strconv.ParseInt(v, 10, 64); err != nil {
				return nil, fmt.Errorf("%w: sum of measure %q overflows", ErrRow, s.shapes[j].name)
			}
		}
		for t, j := range tops {
			if c.top[j], err = parseIntArray(top[t]); err != nil {
				return nil, err
			}
		}
		rt.cells = append(rt.cells, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("anonymize: push-down rows: %w", err)
	}
	return rt, nil
}

// parseIntArray parses PostgreSQL's text form of a bigint array, "{3,2,1}".
func parseIntArray(s string) ([]int64, error) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if s == "" {
		return nil, nil
	}
	var out []int64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("anonymize: push-down: malformed contribution array")
		}
		out = append(out, v)
	}
	return out, nil
}
