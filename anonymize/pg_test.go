package anonymize

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// loadBids creates table bids and inserts rows in batches.
func loadBids(t testing.TB, db *sql.DB, rows []bid) {
	t.Helper()
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `CREATE TABLE bids (user_id text, region text, age text, month text, amount numeric(14,2), delta numeric GENERATED ALWAYS AS (-amount) STORED)`)
	require.NoError(t, err)
	const batch = 20_000
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
		cols := make([][]string, 5)
		for _, r := range part {
			cols[0] = append(cols[0], r.User)
			cols[1] = append(cols[1], r.Region)
			cols[2] = append(cols[2], r.Age)
			cols[3] = append(cols[3], r.Month)
			cols[4] = append(cols[4], strconv.FormatFloat(r.Amount, 'f', -1, 64))
		}
		_, err := db.ExecContext(ctx, `INSERT INTO bids (user_id, region, age, month, amount) SELECT u, r, a, m, v::numeric
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(u, r, a, m, v)`,
			cols[0], cols[1], cols[2], cols[3], cols[4])
		require.NoError(t, err)
	}
}

func sqlSpecOf(s Spec[bid]) Spec[bid] {
	s.SubjectColumn = "user_id"
	return s
}

func TestReleaseSQLMatchesAggregator(t *testing.T) {
	db := pgtest.Open(t)
	rows := randomBids(4000, 21)
	rows = append(rows, bid{User: `o"brien`, Region: "=cmd'|x", Age: "a0", Month: "m0", Amount: 1.01})
	for range 3 { // a whale: dominance suppressions in its cells and margins
		rows = append(rows, bid{User: "whale", Region: "r1", Age: "a1", Month: "m1", Amount: 9000.13})
	}
	loadBids(t, db, rows)
	ctx := context.Background()
	for name, spec := range mergeSpecs() {
		t.Run(name, func(t *testing.T) {
			spec := sqlSpecOf(spec)
			a := mustAgg(t, spec)
			for _, r := range rows {
				a.Add(r)
			}
			want, err := a.Release()
			require.NoError(t, err)
			got, err := ReleaseSQL(ctx, db, spec, "bids")
			require.NoError(t, err)
			assert.Equal(t, stripTime(want), stripTime(got))
			require.NoError(t, a.Verify(got))
			n := got.Suppressed()
			t.Logf("%d cells, suppressed %v", len(got.Cells), n)
		})
	}
}

func TestReleaseSQLRefusesBadRows(t *testing.T) {
	db := pgtest.Open(t)
	loadBids(t, db, randomBids(100, 1))
	ctx := context.Background()
	spec := sqlSpecOf(mergeSpecs()["dominance"])
	for _, q := range []string{
		`INSERT INTO bids VALUES (NULL, 'r', 'a', 'm', 1)`,
		`UPDATE bids SET region = NULL WHERE ctid IN (SELECT ctid FROM bids LIMIT 1)`,
		`UPDATE bids SET month = '*' WHERE ctid IN (SELECT ctid FROM bids LIMIT 1)`,
		`UPDATE bids SET amount = 'NaN' WHERE ctid IN (SELECT ctid FROM bids LIMIT 1)`,
		`UPDATE bids SET amount = -5 WHERE ctid IN (SELECT ctid FROM bids LIMIT 1)`,
		`INSERT INTO bids VALUES ('', 'r', 'a', 'm', 1)`,
	} {
		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		_, err = tx.ExecContext(ctx, q)
		require.NoError(t, err)
		require.NoError(t, tx.Commit())
		_, err = ReleaseSQL(ctx, db, spec, "bids")
		assert.ErrorIs(t, err, ErrRow, q)
		_, err = db.ExecContext(ctx, `DROP TABLE bids`)
		require.NoError(t, err)
		loadBids(t, db, randomBids(100, 1))
	}
}

func TestQueryQuotesIdentifiers(t *testing.T) {
	spec := sqlSpecOf(bidSpec(5, true))
	spec.Dimensions[0].Column = `re"gion`
	q, err := pushDownQuery(spec, "analytics.bids")
	require.NoError(t, err)
	assert.Contains(t, q, `"re""gion"::text`)
	assert.Contains(t, q, `FROM "analytics"."bids"`)
	assert.Contains(t, q, "GROUPING SETS ((d0, d1), (d0), (d1), ())")
	for _, bad := range []string{"", "a.b.c", "x\x00y", strings.Repeat("x", 64)} {
		_, err := pushDownQuery(spec, bad)
		assert.ErrorIs(t, err, ErrSpec, "%q", bad)
	}
	spec.SubjectColumn = ""
	_, err = pushDownQuery(spec, "bids")
	assert.ErrorIs(t, err, ErrSpec)
}

// BenchmarkReleaseSQL is BenchmarkRelease through PostgreSQL: the same
// 400,000 synthetic bids and ~5,500 cells.
func BenchmarkReleaseSQL(b *testing.B) {
	db := pgtest.Open(b)
	s := newSynth(40_000, 2)
	rows := make([]bid, 400_000)
	for i := range rows {
		rows[i] = s.next()
	}
	loadBids(b, db, rows)
	_, err := db.Exec("ANALYZE bids")
	require.NoError(b, err)
	spec := sqlSpecOf(synthSpec(true))
	var t *Table
	for b.Loop() {
		if t, err = ReleaseSQL(context.Background(), db, spec, "bids"); err != nil {
			b.Fatal(err)
		}
	}
	reportSuppression(b, t)
}

func FuzzParseIntArray(f *testing.F) {
	for _, s := range []string{"{}", "{1,2,3}", "{-5}", "{9223372036854775807}", "{1,,2}", "{NULL}", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseIntArray(s)
		if err != nil {
			return
		}
		// What parses re-encodes to the canonical form and parses back.
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = strconv.FormatInt(x, 10)
		}
		again, err := parseIntArray("{" + strings.Join(parts, ",") + "}")
		require.NoError(t, err)
		assert.Equal(t, v, again)
	})
}

// TestReleaseSQLHostileIdentifiers runs the push-down on a column and a
// table whose names try to break out of their quotes: they are identifiers,
// never SQL.
func TestReleaseSQLHostileIdentifiers(t *testing.T) {
	db := pgtest.Open(t)
	rows := randomBids(500, 4)
	loadBids(t, db, rows)
	const column, table = `re"gion"; DROP TABLE bids; --`, `bi"ds; --`
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `ALTER TABLE bids RENAME COLUMN region TO "re""gion""; DROP TABLE bids; --"`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `CREATE VIEW "bi""ds; --" AS SELECT * FROM bids`)
	require.NoError(t, err)
	spec := sqlSpecOf(mergeSpecs()["margins"])
	spec.Dimensions[0].Column = column
	_, want := onePass(t, spec, rows)
	got, err := ReleaseSQL(ctx, db, spec, table)
	require.NoError(t, err)
	assert.Equal(t, stripTime(want), stripTime(got))
	var n int
	require.NoError(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM bids`).Scan(&n))
	assert.Equal(t, len(rows), n)
}
