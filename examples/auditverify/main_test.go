package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/1cb-kz/compliance/audit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
)

// writeLog writes a small signed log and returns its directory, the
// verifier key and the checkpoint signed at its end.
func writeLog(t *testing.T) (dir, vkey string, checkpoint []byte) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "audit.example.com/access")
	require.NoError(t, err)
	signer, err := note.NewSigner(skey)
	require.NoError(t, err)
	dir = t.TempDir()
	l, err := audit.Open(dir, audit.Options{Signer: signer})
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
	return dir, vkey, checkpoint
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
	for _, args := range [][]string{{}, {dir}, {"-key", "garbage", dir}, {"-key", vkey, filepath.Join(dir, "missing")}, {"-key", "@/nonexistent", dir}} {
		code, _, _ := runCmd(args...)
		assert.Equal(t, 2, code, "%q", args)
	}
}
