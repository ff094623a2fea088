package audit

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOptionsRefused lists every configuration Open, Verify,
// OpenCheckpoint and NewPseudonymizer refuse: each is an
// ErrInvalidOptions, never a panic or a half-opened log.
func TestOptionsRefused(t *testing.T) {
	ctx := context.Background()
	s, v := testKeys(t)
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		err  func() error
	}{
		{"Open: zero backend", func() error { _, err := Open(ctx, Backend{}, Options{Signer: s}); return err }},
		{"Open: both backends", func() error {
			_, err := Open(ctx, Backend{dir: dir, db: &sql.DB{}}, Options{Signer: s})
			return err
		}},
		{"Open: no signer", func() error { _, err := Open(ctx, Dir(dir), Options{}); return err }},
		{"Open: bad origin", func() error {
			_, err := Open(ctx, Dir(dir), Options{Signer: s, Origin: "two words"})
			return err
		}},
		{"Open: kept checkpoints without verifier", func() error {
			_, err := Open(ctx, Dir(dir), Options{Signer: s, Checkpoints: [][]byte{[]byte("x")}})
			return err
		}},
		{"Verify: zero backend", func() error { return Verify(ctx, Backend{}, Options{Verifier: v}) }},
		{"Verify: no verifier", func() error { return Verify(ctx, Dir(dir), Options{Signer: s}) }},
		{"Verify: empty directory name", func() error { return Verify(ctx, Dir(""), Options{Verifier: v}) }},
		{"OpenCheckpoint: no verifier", func() error { _, err := OpenCheckpoint([]byte("x"), nil); return err }},
		{"NewPseudonymizer: short key", func() error { _, err := NewPseudonymizer(make([]byte, 16)); return err }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.ErrorIs(t, tt.err(), ErrInvalidOptions)
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing created by a refused Open")
}

// TestOpenWithKeptCheckpoints: Open, like Verify, refuses a log that does
// not contain the tree of a checkpoint kept outside it: truncated together
// with its newest stored checkpoints, or swapped for a fork.
func TestOpenWithKeptCheckpoints(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{SegmentEntries: 4})
	appendN(t, tl.Log, 0, 5)
	_, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	appendN(t, tl.Log, 5, 6)
	kept, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	require.NoError(t, tl.Close())

	// Intact: Open accepts the kept checkpoint.
	tl.reopen(t, Options{SegmentEntries: 4, Checkpoints: [][]byte{kept}})
	require.NoError(t, tl.Close())

	// A fork: another log under the same key and origin.
	fork := copyDir(t, tl.dir)
	require.NoError(t, os.RemoveAll(fork))
	fl, err := Open(ctx, Dir(fork), Options{Signer: tl.s})
	require.NoError(t, err)
	for i := range 11 {
		_, err := fl.Append(ctx, logEvent(100+i))
		require.NoError(t, err)
	}
	require.NoError(t, fl.Close())
	_, err = Open(ctx, Dir(fork), Options{Signer: tl.s, Verifier: tl.v, Checkpoints: [][]byte{kept}})
	requireTamper(t, err, 0, 1)
	requireTamper(t, Verify(ctx, Dir(fork), Options{Verifier: tl.v, Checkpoints: [][]byte{kept}}), -1, 1)

	// Truncated to the first checkpoint, the newer one deleted with it.
	cut := copyDir(t, tl.dir)
	truncateLog(t, cut, 5)
	cps := readCheckpointFrames(t, cut)
	require.NoError(t, os.WriteFile(filepath.Join(cut, checkpointFileName), cps[0], 0o600))
	l, err := Open(ctx, Dir(cut), Options{Signer: tl.s, Verifier: tl.v})
	require.NoError(t, err, "the directory alone cannot show it")
	require.NoError(t, l.Close())
	_, err = Open(ctx, Dir(cut), Options{Signer: tl.s, Verifier: tl.v, Checkpoints: [][]byte{kept}})
	requireTamper(t, err, 5, 1)
}
