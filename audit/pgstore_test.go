package audit

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// TestMain gives the package's PostgreSQL tests one shared server, and
// removes the large log the benchmarks build.
func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if large.dir != "" {
		os.RemoveAll(large.dir)
	}
	os.Exit(code)
}

type pgFixture struct {
	*Log
	db *sql.DB
	logFixture
}

func openPGLog(t *testing.T) *pgFixture {
	t.Helper()
	return openPGLogOn(t, pgtest.Open(t))
}

// openPGLogOn opens a new log on db, dropping any log tables already there.
func openPGLogOn(t *testing.T, db *sql.DB) *pgFixture {
	t.Helper()
	_, err := db.Exec(`DROP TABLE IF EXISTS audit_log_entries, audit_log_hashes, audit_log_checkpoints`)
	require.NoError(t, err)
	s, v := testKeys(t)
	l, err := OpenDB(context.Background(), db, Options{Signer: s, Verifier: v})
	require.NoError(t, err)
	return &pgFixture{Log: l, db: db, logFixture: logFixture{s: s, v: v}}
}

func TestPGLog(t *testing.T) {
	ctx := context.Background()
	f := openPGLog(t)
	appendN(t, f.Log, 0, 30)
	cp1, err := f.Checkpoint(ctx)
	require.NoError(t, err)
	h1, err := OpenCheckpoint(cp1, f.v)
	require.NoError(t, err)

	// Same tree as the file store: compare with a directory log of the
	// same events.
	file := openLogFixture(t, Options{})
	appendN(t, file.Log, 0, 30)
	file.mu.Lock()
	assert.Equal(t, file.tree.root(), h1.Hash)
	file.mu.Unlock()
	require.NoError(t, file.Close())

	for i := range int64(30) {
		p, err := f.InclusionProof(ctx, i, 30)
		require.NoError(t, err)
		require.NoError(t, tlog.CheckRecord(p, 30, h1.Hash, i, tlog.RecordHash(encoded(t, logEvent(int(i))))))
	}

	// Concurrent appends share transactions.
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 10 {
				_, err := f.Append(ctx, logEvent(1000+w*10+i))
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	cp2, err := f.Checkpoint(ctx)
	require.NoError(t, err)
	h2, err := OpenCheckpoint(cp2, f.v)
	require.NoError(t, err)
	assert.Equal(t, int64(110), h2.Size)
	proof, err := f.ConsistencyProof(ctx, 30, 110)
	require.NoError(t, err)
	require.NoError(t, checkConsistency(proof, 30, h1.Hash, 110, h2.Hash))

	// One writer at a time.
	_, err = OpenDB(ctx, f.db, Options{Signer: f.s})
	assert.ErrorIs(t, err, ErrLocked)

	require.NoError(t, f.Close())
	require.NoError(t, VerifyDB(ctx, f.db, f.v))

	l, err := OpenDB(ctx, f.db, Options{Signer: f.s, Verifier: f.v})
	require.NoError(t, err)
	assert.Equal(t, int64(110), l.Size())
	appendN(t, l, 110, 3)
	require.NoError(t, l.Close())
	require.NoError(t, VerifyDB(ctx, f.db, f.v))
}

func TestPGTamper(t *testing.T) {
	ctx := context.Background()
	other := encoded(t, logEvent(77))
	tests := []struct {
		name       string
		sql        []string
		index      int64
		checkpoint int
	}{
		{"edit", []string{`UPDATE audit_log_entries SET data = $1 WHERE idx = 7`}, 7, -1},
		{"delete", []string{`DELETE FROM audit_log_entries WHERE idx = 3`}, 3, -1},
		{"insert", []string{
			`UPDATE audit_log_entries SET idx = idx + 1000 WHERE idx >= 6`,
			`UPDATE audit_log_entries SET idx = idx - 999 WHERE idx >= 1000`,
			`INSERT INTO audit_log_entries (idx, data) SELECT 6, $1`,
		}, 6, -1},
		{"reorder", []string{
			`UPDATE audit_log_entries SET idx = idx + 1000 WHERE idx IN (8, 9)`,
			`UPDATE audit_log_entries SET idx = CASE idx WHEN 1008 THEN 9 ELSE 8 END WHERE idx >= 1000`,
		}, 8, -1},
		{"truncate", []string{
			`DELETE FROM audit_log_entries WHERE idx >= 10`,
			`DELETE FROM audit_log_hashes WHERE idx >= 18`,
		}, 10, 1},
		{"hash edited", []string{`UPDATE audit_log_hashes SET hash = sha256(hash) WHERE idx = 2`}, 1, -1},
		{"hash shortened", []string{
			// A tamperer who owns the table can drop its CHECK: the short
			// hash is the frontier hash OpenDB reads first.
			`ALTER TABLE audit_log_hashes DROP CONSTRAINT audit_log_hashes_hash_check`,
			fmt.Sprintf(`UPDATE audit_log_hashes SET hash = substring(hash from 1 for 5) WHERE idx = %d`, tlog.StoredHashIndex(3, 0)),
		}, 7, -1},
		{"checkpoint deleted", []string{`DELETE FROM audit_log_checkpoints WHERE seq = 0`}, -1, 0},
		{"checkpoint edited", []string{`UPDATE audit_log_checkpoints SET note = overlay(note placing '9' from 30) WHERE seq = 1`}, -1, 1},
		{"checkpoints reordered", []string{
			`UPDATE audit_log_checkpoints SET seq = 1 - seq + 1000`,
			`UPDATE audit_log_checkpoints SET seq = seq - 1000`,
		}, -1, 1},
	}
	db := pgtest.Open(t) // one database: each case starts from fresh tables
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := openPGLogOn(t, db)
			appendN(t, f.Log, 0, 5)
			_, err := f.Checkpoint(ctx)
			require.NoError(t, err)
			appendN(t, f.Log, 5, 7)
			require.NoError(t, f.Close()) // checkpoints at 5 and 12
			require.NoError(t, VerifyDB(ctx, f.db, f.v))
			for _, q := range tt.sql {
				var args []any
				if strings.Contains(q, "$1") {
					args = []any{other}
				}
				_, err := f.db.ExecContext(ctx, q, args...)
				require.NoError(t, err)
			}
			requireTamper(t, VerifyDB(ctx, f.db, f.v), tt.index, tt.checkpoint)
			l, err := OpenDB(ctx, f.db, Options{Signer: f.s, Verifier: f.v})
			if err == nil {
				require.NoError(t, l.Close())
			}
			if tt.index >= 0 && tt.name != "edit" && tt.name != "reorder" && tt.name != "hash edited" {
				assert.ErrorIs(t, err, ErrTampered, "OpenDB notices missing or damaged rows")
			}
		})
	}
}
