package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/1cb-kz/compliance/audit"
	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// writeLog writes a small signed log and returns its directory, the
// verifier key and the checkpoint signed at its end.
func writeLog(t *testing.T) (dir, vkey string, checkpoint []byte) {
	t.Helper()
	dir = t.TempDir()
	vkey, checkpoint = fillLog(t, func(signer note.Signer) (*audit.Log, error) {
		return audit.Open(context.Background(), audit.Dir(dir), audit.Options{Signer: signer})
	})
	return dir, vkey, checkpoint
}

// fillLog opens a log with a fresh key, appends 10 events, signs a
// checkpoint and closes it. It returns the verifier key and the checkpoint.
func fillLog(t *testing.T, open func(note.Signer) (*audit.Log, error)) (vkey string, checkpoint []byte) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "audit.example.com/access")
	require.NoError(t, err)
	signer, err := note.NewSigner(skey)
	require.NoError(t, err)
	l, err := open(signer)
	require.NoError(t, err)
	ctx := context.Background()
	for i := range 10 {
		_, err := l.Append(ctx, audit.Event{
			Time:    time.Date(2026, 11, 26, 12, 0, i, 0, time.UTC),
			Actor:   audit.Actor{ID: "emp-17", Role: "support"},
			Action:  audit.ActionRead,
			Outcome: audit.OutcomeAllowed,
		})
		require.NoError(t, err)
	}
	checkpoint, err = l.Checkpoint(ctx)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	return vkey, checkpoint
}

func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestAuditVerify(t *testing.T) {
	dir, vkey, cp := writeLog(t)
	keyFile := filepath.Join(t.TempDir(), "key")
	require.NoError(t, os.WriteFile(keyFile, []byte(vkey+"\n"), 0o600))
	cpFile := filepath.Join(t.TempDir(), "cp")
	require.NoError(t, os.WriteFile(cpFile, cp, 0o600))

	code, out, _ := runCmd("-key", vkey, dir)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "log verifies")
	code, _, _ = runCmd("-key", "@"+keyFile, "-checkpoint", cpFile, dir)
	assert.Equal(t, 0, code)

	// A flipped byte in the entries is tampering: exit 1.
	seg := filepath.Join(dir, "00000000000000000000.seg")
	b, err := os.ReadFile(seg)
	require.NoError(t, err)
	b[len(b)/2] ^= 1
	require.NoError(t, os.WriteFile(seg, b, 0o600))
	code, _, errOut := runCmd("-key", vkey, dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "TAMPERED")
	assert.Contains(t, errOut, "entry")

	// Another log's key: the checkpoints do not verify.
	_, otherKey, _ := writeLog(t)
	b[len(b)/2] ^= 1
	require.NoError(t, os.WriteFile(seg, b, 0o600))
	code, _, _ = runCmd("-key", otherKey, dir)
	assert.Equal(t, 1, code)

	// Usage errors: exit 2.
	for _, args := range [][]string{
		{}, {dir}, {"-key", "garbage", dir}, {"-key", vkey, filepath.Join(dir, "missing")}, {"-key", "@/nonexistent", dir},
		{"-key", vkey, "-db", "host=/nonexistent", dir}, {"-key", vkey, dir, dir}, {"-key", vkey, "-db", "@/nonexistent"},
	} {
		code, _, _ := runCmd(args...)
		assert.Equal(t, 2, code, "%q", args)
	}
}

// Every file of the log deleted: with a checkpoint kept from an earlier
// audit that is tampering (exit 1); without one, no log to check (exit 2).
func TestAuditVerifyEmptiedDirectory(t *testing.T) {
	dir, vkey, cp := writeLog(t)
	cpFile := filepath.Join(t.TempDir(), "cp")
	require.NoError(t, os.WriteFile(cpFile, cp, 0o600))
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		require.NoError(t, os.Remove(filepath.Join(dir, e.Name())))
	}
	code, _, errOut := runCmd("-key", vkey, "-checkpoint", cpFile, dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "TAMPERED")
	code, _, _ = runCmd("-key", vkey, dir)
	assert.Equal(t, 2, code)
}

// -db verifies a log kept in PostgreSQL, against kept checkpoints too, and
// never prints the connection string.
func TestAuditVerifyDB(t *testing.T) {
	dsn := pgtest.DSN(t)
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	vkey, cp := fillLog(t, func(signer note.Signer) (*audit.Log, error) {
		return audit.Open(ctx, audit.DB(db), audit.Options{Signer: signer})
	})
	tmp := t.TempDir()
	cpFile, dsnFile := filepath.Join(tmp, "cp"), filepath.Join(tmp, "dsn")
	require.NoError(t, os.WriteFile(cpFile, cp, 0o600))
	require.NoError(t, os.WriteFile(dsnFile, []byte(dsn+"\n"), 0o600))

	code, out, _ := runCmd("-key", vkey, "-db", dsn, "-checkpoint", cpFile)
	assert.Equal(t, 0, code)
	assert.Equal(t, "database: log verifies\n", out)
	code, _, _ = runCmd("-key", vkey, "-db", "@"+dsnFile)
	assert.Equal(t, 0, code)

	// The newest rows of all three tables deleted: only the kept
	// checkpoint shows it.
	for _, q := range []string{
		`DELETE FROM audit_log_entries WHERE idx >= 6`,
		`DELETE FROM audit_log_hashes WHERE idx >= 10`, // tlog.StoredHashCount(6)
		`DELETE FROM audit_log_checkpoints`,
	} {
		_, err := db.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	code, _, errOut := runCmd("-key", vkey, "-db", dsn, "-checkpoint", cpFile)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "TAMPERED")
	assert.NotContains(t, errOut, dsn)

	code, _, errOut = runCmd("-key", vkey, "-db", dsn+" dbname=missing password=hunter2")
	assert.Equal(t, 2, code)
	assert.NotContains(t, errOut, "hunter2")
}

// A connection string that does not parse, or whose server refuses, must
// never reach the output with its password.
func TestDBPasswordNeverPrinted(t *testing.T) {
	_, key, err := note.GenerateKey(rand.Reader, "audit.example.com/access")
	require.NoError(t, err)
	for _, dsn := range []string{
		"host=127.0.0.1 port=1 user=a password=hunter2 sslmode=bogus",
		"host=127.0.0.1 port=1 user=a password = hunter2 sslmode=bogus",
		"host=127.0.0.1 port=1 user=a password='hunter2 x' sslmode=bogus",
		"postgres://a:hunter2@127.0.0.1:1/db?sslmode=bogus",
		"postgres://a:hun@ter2@127.0.0.1:1/db?sslmode=bogus",
		"postgres://a:hunter2@127.0.0.1:notaport/db",
		"host=127.0.0.1 port=1 user=a password=hunter2 connect_timeout=1",
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"-key", key, "-db", dsn}, &out, &errb)
		assert.NotZero(t, code)
		assert.NotContains(t, errb.String()+out.String(), "ter2", dsn)
	}
}
