package pgtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/1cb-kz/compliance/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)

	_, err := db.ExecContext(ctx, `CREATE TABLE bids (id serial PRIMARY KEY, amount bigint NOT NULL, bidder text NOT NULL)`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `INSERT INTO bids (amount, bidder) VALUES ($1, $2), ($3, $4)`, 1500, "a", 2500, "b")
	require.NoError(t, err)

	var n, sum int64
	require.NoError(t, db.QueryRowContext(ctx, `SELECT count(*), sum(amount) FROM bids`).Scan(&n, &sum))
	require.Equal(t, int64(2), n)
	require.Equal(t, int64(4000), sum)

	var version string
	require.NoError(t, db.QueryRowContext(ctx, `SHOW server_version`).Scan(&version))
	t.Logf("PostgreSQL %s", version)
}

// Each call gets its own database: a table made in one is absent from the other.
func TestDatabasesAreIsolated(t *testing.T) {
	ctx := context.Background()
	a, b := pgtest.Open(t), pgtest.Open(t)
	_, err := a.ExecContext(ctx, `CREATE TABLE only_in_a (x int)`)
	require.NoError(t, err)
	_, err = b.ExecContext(ctx, `SELECT * FROM only_in_a`)
	require.Error(t, err)
}
