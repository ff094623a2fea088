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
	l, err := Open(context.Background(), DB(db), Options{Signer: s, Verifier: v})
	require.NoError(t, err)
	return &pgFixture{Log: l, db: db, logFixture: logFixture{s: s, v: v}}
}

func TestPGVerifyWhileAppending(t *testing.T) {
	f := openPGLog(t)
	verifyWhileAppending(t, f.Log, DB(f.db), f.v)
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
	_, err = Open(ctx, DB(f.db), Options{Signer: f.s})
	assert.ErrorIs(t, err, ErrLocked)

	require.NoError(t, f.Close())
	require.NoError(t, Verify(ctx, DB(f.db), Options{Verifier: f.v}))

	l, err := Open(ctx, DB(f.db), Options{Signer: f.s, Verifier: f.v})
	require.NoError(t, err)
	assert.Equal(t, int64(110), l.Size())
	appendN(t, l, 110, 3)
	require.NoError(t, l.Close())
	require.NoError(t, Verify(ctx, DB(f.db), Options{Verifier: f.v}))
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
			// hash is the frontier hash Open reads first.
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
			require.NoError(t, Verify(ctx, DB(f.db), Options{Verifier: f.v}))
			for _, q := range tt.sql {
				var args []any
				if strings.Contains(q, "$1") {
					args = []any{other}
				}
				_, err := f.db.ExecContext(ctx, q, args...)
				require.NoError(t, err)
			}
			requireTamper(t, Verify(ctx, DB(f.db), Options{Verifier: f.v}), tt.index, tt.checkpoint)
			l, err := Open(ctx, DB(f.db), Options{Signer: f.s, Verifier: f.v})
			if err == nil {
				require.NoError(t, l.Close())
			}
			if tt.index >= 0 && tt.name != "edit" && tt.name != "reorder" && tt.name != "hash edited" {
				assert.ErrorIs(t, err, ErrTampered, "Open notices missing or damaged rows")
			}
		})
	}
}

// A database administrator deletes the newest entries, their hashes and
// the checkpoint that covered them: the tables are self-consistent again
// and Verify passes, but the checkpoint an auditor kept exposes the
// truncation.
func TestPGTruncationCaughtByKeptCheckpoint(t *testing.T) {
	ctx := context.Background()
	f := openPGLog(t)
	appendN(t, f.Log, 0, 5)
	_, err := f.Checkpoint(ctx)
	require.NoError(t, err)
	appendN(t, f.Log, 5, 7)
	kept, err := f.Checkpoint(ctx)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.NoError(t, Verify(ctx, DB(f.db), Options{Verifier: f.v, Checkpoints: [][]byte{kept}}))

	for _, q := range []string{
		`DELETE FROM audit_log_entries WHERE idx >= 5`,
		fmt.Sprintf(`DELETE FROM audit_log_hashes WHERE idx >= %d`, tlog.StoredHashCount(5)),
		`DELETE FROM audit_log_checkpoints WHERE size > 5`,
	} {
		_, err := f.db.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	require.NoError(t, Verify(ctx, DB(f.db), Options{Verifier: f.v}), "the tables alone cannot show it")
	requireTamper(t, Verify(ctx, DB(f.db), Options{Verifier: f.v, Checkpoints: [][]byte{kept}}), 5, 1)

	other := openLogFixture(t, Options{})
	appendN(t, other.Log, 0, 3)
	foreign, err := other.Checkpoint(ctx)
	require.NoError(t, err)
	require.NoError(t, other.Close())
	err = Verify(ctx, DB(f.db), Options{Verifier: f.v, Checkpoints: [][]byte{foreign}})
	require.Error(t, err, "a checkpoint signed by another key is refused")
	assert.NotErrorIs(t, err, ErrTampered)
}

// The application role pgstore.go recommends, INSERT and SELECT on the
// log's tables and no CREATE on the schema, opens, appends to, checkpoints
// and verifies a log whose tables exist, and PostgreSQL refuses it every
// UPDATE and DELETE.
func TestPGLeastPrivilegeRole(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	f := openPGLogOn(t, admin) // creates the tables as the administrator
	appendN(t, f.Log, 0, 3)
	require.NoError(t, f.Close())

	role := fmt.Sprintf("audit_app_%d", os.Getpid())
	for _, q := range []string{
		`CREATE ROLE ` + role + ` LOGIN`,
		`REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
		`GRANT USAGE ON SCHEMA public TO ` + role,
		`GRANT SELECT, INSERT ON audit_log_entries, audit_log_hashes, audit_log_checkpoints TO ` + role,
	} {
		_, err := admin.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	app, err := sql.Open("pgx", dsn+" user="+role)
	require.NoError(t, err)
	t.Cleanup(func() {
		app.Close()
		// DROP OWNED also revokes the role's privileges, here and on shared objects.
		_, err := admin.Exec(`DROP OWNED BY ` + role + `; DROP ROLE ` + role)
		assert.NoError(t, err)
	})
	_, err = app.ExecContext(ctx, `CREATE TABLE probe (x int)`)
	require.ErrorContains(t, err, "permission denied", "the role must not be able to create tables")

	l, err := Open(ctx, DB(app), Options{Signer: f.s, Verifier: f.v})
	require.NoError(t, err)
	appendN(t, l, 3, 4)
	_, err = l.Checkpoint(ctx)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	require.NoError(t, Verify(ctx, DB(app), Options{Verifier: f.v}))

	for _, q := range []string{
		`UPDATE audit_log_entries SET data = data WHERE idx = 0`,
		`DELETE FROM audit_log_entries WHERE idx = 6`,
		`UPDATE audit_log_hashes SET hash = hash WHERE idx = 0`,
		`DELETE FROM audit_log_hashes`,
		`DELETE FROM audit_log_checkpoints`,
		`TRUNCATE audit_log_entries`,
	} {
		_, err := app.ExecContext(ctx, q)
		require.ErrorContains(t, err, "permission denied", q)
	}
	require.NoError(t, Verify(ctx, DB(admin), Options{Verifier: f.v}))
}
