package audit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkpointedLog writes a log with a checkpoint after every 3 entries,
// n checkpoints in all, and closes it.
func checkpointedLog(t *testing.T, n int) *logFixture {
	t.Helper()
	ctx := context.Background()
	tl := openLogFixture(t, Options{})
	for i := range n {
		appendN(t, tl.Log, i*3, 3)
		_, err := tl.Checkpoint(ctx)
		require.NoError(t, err)
	}
	require.NoError(t, tl.Close())
	return tl
}

// A torn write damages only the last checkpoint frame. Damage with intact
// frames after it is not a torn tail: Open must refuse it with the files
// untouched, rather than cut the newer signed checkpoints with it.
func TestOpenRefusesDamagedCheckpointBeforeIntactOnes(t *testing.T) {
	ctx := context.Background()
	ref := checkpointedLog(t, 5)
	frames := readAllFrames(t, filepath.Join(ref.dir, checkpointFileName), 0)
	require.Len(t, frames, 5)
	tests := []struct {
		name       string
		off        int64 // byte flipped in the checkpoint file
		checkpoint int
	}{
		{"length field high byte", frames[1].off, 1},
		{"length field low byte", frames[1].off + 3, 1},
		{"note text", frames[1].off + 20, 1},
		{"CRC", frames[1].end - 1, 1},
		{"first checkpoint", frames[0].off + 20, 0},
		{"last but one", frames[3].off + 20, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, ref.dir)
			flip(t, filepath.Join(dir, checkpointFileName), tt.off)
			before := dirSnapshot(t, dir)
			_, err := Open(context.Background(), Dir(dir), Options{Signer: ref.s, Verifier: ref.v})
			requireTamper(t, err, -1, tt.checkpoint)
			assert.Equal(t, before, dirSnapshot(t, dir), "Open must leave damage it cannot explain untouched")
			requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), -1, tt.checkpoint)
		})
	}
}

// The genuine torn tail, the last checkpoint frame cut short (and perhaps
// followed by zeros where its data never reached the disk), is still
// repaired, keeping every intact checkpoint.
func TestOpenRepairsTornLastCheckpoint(t *testing.T) {
	ctx := context.Background()
	ref := checkpointedLog(t, 5)
	path := filepath.Join(ref.dir, checkpointFileName)
	frames := readAllFrames(t, path, 0)
	last := frames[4]
	tests := []struct {
		name string
		tear func(b []byte) []byte
	}{
		{"cut inside the note", func(b []byte) []byte { return b[:last.off+30] }},
		{"cut inside the length", func(b []byte) []byte { return b[:last.off+2] }},
		{"CRC missing", func(b []byte) []byte { return b[:last.end-4] }},
		{"zeros after the written part", func(b []byte) []byte {
			return append(b[:last.off+30], make([]byte, last.end-last.off-30)...)
		}},
		{"flipped bit in the last frame", func(b []byte) []byte { b[last.off+20] ^= 1; return b }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, ref.dir)
			b, err := os.ReadFile(filepath.Join(dir, checkpointFileName))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, checkpointFileName), tt.tear(b), 0o600))
			l, err := Open(context.Background(), Dir(dir), Options{Signer: ref.s, Verifier: ref.v})
			require.NoError(t, err)
			assert.True(t, l.store.recovery().CheckpointsTrunc)
			cps, err := l.store.checkpoints(ctx)
			require.NoError(t, err)
			assert.Len(t, cps, 4, "every intact checkpoint is kept")
			require.NoError(t, l.Close()) // signs the last checkpoint again
			require.NoError(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}))
		})
	}
}

// A crash while a log is being created must not leave a directory that
// can never be opened. Creation is crash-safe now, but a directory an
// earlier version left with a short hash file and no records opens as an
// empty log; with records present, a short hash file is still damage.
func TestOpenAfterCrashWhileCreating(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		hashes  []byte // nil: no hash file
		seg0    []byte // nil: no first segment
		cps     []byte
		tamper  bool
		noLog   bool // Verify finds no log at all
		leftTmp bool
	}{
		{name: "zero-length hash file", hashes: []byte{}},
		{name: "zero-length hash file, empty first segment", hashes: []byte{}, seg0: segmentHeader(0)},
		{name: "zero-length hash file and first segment", hashes: []byte{}, seg0: []byte{}},
		{name: "half a header", hashes: []byte(hashMagic[:10])},
		{name: "zeroed header", hashes: make([]byte, hashHeaderSize)},
		{name: "no hash file, temporary one left", noLog: true, leftTmp: true},
		{name: "garbage header", hashes: []byte("not a header"), tamper: true},
		{name: "zero-length hash file with an entry", hashes: []byte{},
			seg0: appendFrame(segmentHeader(0), encoded(t, logEvent(0))), tamper: true},
		{name: "zero-length hash file with a checkpoint", hashes: []byte{},
			cps: appendFrame(nil, []byte("checkpoint")), tamper: true},
	}
	s, v := testKeys(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name string, b []byte) {
				if b != nil {
					require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o600))
				}
			}
			write(lockFileName, []byte{})
			write(checkpointFileName, append([]byte{}, tt.cps...))
			write(hashFileName, tt.hashes)
			write(segmentName(0), tt.seg0)
			if tt.leftTmp {
				write(hashFileName+tmpSuffix, []byte("torn"))
			}
			verr := Verify(ctx, Dir(dir), Options{Verifier: v})
			before := dirSnapshot(t, dir)
			l, err := Open(context.Background(), Dir(dir), Options{Signer: s, Verifier: v})
			if tt.tamper {
				requireTamper(t, err, 0, -1)
				requireTamper(t, verr, 0, -1)
				assert.Equal(t, before, dirSnapshot(t, dir), "files untouched")
				return
			}
			if tt.noLog {
				require.Error(t, verr)
				assert.NotErrorIs(t, verr, ErrTampered)
			} else {
				require.NoError(t, verr, "the remains of a log being created are an empty log")
			}
			require.NoError(t, err)
			assert.Equal(t, int64(0), l.Size())
			appendN(t, l, 0, 3)
			require.NoError(t, l.Close())
			require.NoError(t, Verify(ctx, Dir(dir), Options{Verifier: v}))
			_, err = os.Stat(filepath.Join(dir, hashFileName+tmpSuffix))
			assert.ErrorIs(t, err, os.ErrNotExist, "the leftover temporary file was reused")
		})
	}
}

// A file whose creation fails never appears under its name: the failed
// hash file leaves neither "hashes" nor its temporary file, and the next
// Open creates the log.
func TestCreateLeavesNoShortFile(t *testing.T) {
	dir := t.TempDir()
	s, v := testKeys(t)
	fsys := newFaultFS()
	fsys.syncOnly.Store(hashFileName)
	fsys.failSync.Store(true)
	_, err := open(context.Background(), Dir(dir), Options{Signer: s, Verifier: v}, fsys)
	require.Error(t, err)
	for _, name := range []string{hashFileName, hashFileName + tmpSuffix} {
		_, err := os.Stat(filepath.Join(dir, name))
		assert.ErrorIs(t, err, os.ErrNotExist, name)
	}
	l, err := Open(context.Background(), Dir(dir), Options{Signer: s, Verifier: v})
	require.NoError(t, err)
	appendN(t, l, 0, 2)
	require.NoError(t, l.Close())
	require.NoError(t, Verify(context.Background(), Dir(dir), Options{Verifier: v}))
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		assert.False(t, filepath.Ext(e.Name()) == tmpSuffix, "temporary file %s left", e.Name())
	}
}

// A directory whose log files were all deleted holds no log, but a
// checkpoint the auditor kept proves the log had entries: that is
// tampering, not a missing directory.
func TestVerifyEmptiedDirectoryAgainstKeptCheckpoint(t *testing.T) {
	ctx := context.Background()
	ref := checkpointedLog(t, 1)
	kept := unframe(readCheckpointFrames(t, ref.dir)[0])
	tests := []struct {
		name   string
		remove []string
		known  [][]byte
		tamper bool
	}{
		{"log files deleted, checkpoint kept", []string{hashFileName, checkpointFileName, segmentName(0)}, [][]byte{kept}, true},
		{"every file deleted, checkpoint kept", []string{hashFileName, checkpointFileName, segmentName(0), lockFileName}, [][]byte{kept}, true},
		{"log files deleted, no checkpoint kept", []string{hashFileName, checkpointFileName, segmentName(0)}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, ref.dir)
			for _, name := range tt.remove {
				require.NoError(t, os.Remove(filepath.Join(dir, name)))
			}
			err := Verify(ctx, Dir(dir), Options{Verifier: ref.v, Checkpoints: tt.known})
			if tt.tamper {
				requireTamper(t, err, 0, 0)
				return
			}
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrTampered)
		})
	}
	t.Run("missing directory is not tampering", func(t *testing.T) {
		err := Verify(ctx, Dir(filepath.Join(ref.dir, "missing")), Options{Verifier: ref.v, Checkpoints: [][]byte{kept}})
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrTampered)
	})
}

// holdsFrame finds a frame at any offset, and none in a torn one.
func TestHoldsFrame(t *testing.T) {
	frame := appendFrame(nil, []byte("a signed checkpoint"))
	tests := []struct {
		name string
		b    []byte
		want bool
	}{
		{"empty", nil, false},
		{"frame", frame, true},
		{"frame after garbage", append([]byte("xyz"), frame...), true},
		{"torn frame", frame[:len(frame)-1], false},
		{"zeros", make([]byte, 64), false},
		{"torn frame then zeros", append(slices.Clone(frame[:10]), make([]byte, 64)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, holdsFrame(tt.b, maxSignedCheckpoint))
		})
	}
}
