package audit

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// The tamper suite builds a small log (12 entries in segments of 5, signed
// checkpoints at sizes 3, 8 and 12), damages a copy of it in every way the
// issue lists, and checks that Verify names the right entry and checkpoint.

const tamperEntries = 12

var tamperCheckpoints = []int64{3, 8, 12}

// buildTamperLog writes the reference log and returns its directory.
func buildTamperLog(t *testing.T) *logFixture {
	t.Helper()
	ctx := context.Background()
	tl := openLogFixture(t, Options{SegmentEntries: 5})
	n := 0
	for _, size := range tamperCheckpoints {
		appendN(t, tl.Log, n, int(size)-n)
		n = int(size)
		_, err := tl.Checkpoint(ctx)
		require.NoError(t, err)
	}
	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
	return tl
}

// copyDir copies the files of a log directory to a fresh one.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600))
	}
	return dst
}

// requireTamper asserts that err is a *TamperError at the given entry
// index and checkpoint position.
func requireTamper(t *testing.T, err error, index int64, checkpoint int, msgAndArgs ...any) {
	t.Helper()
	var te *TamperError
	if !assert.ErrorAs(t, err, &te, msgAndArgs...) {
		return
	}
	assert.ErrorIs(t, err, ErrTampered)
	assert.Equal(t, index, te.Index, msgAndArgs...)
	assert.Equal(t, checkpoint, te.Checkpoint, msgAndArgs...)
}

// entryFrames returns, for each segment of dir, the segment and the raw
// frames of its entries.
type segFrames struct {
	seg    segment
	header []byte
	frames [][]byte
}

func readSegments(t *testing.T, dir string) []segFrames {
	t.Helper()
	segs, err := listSegments(dir)
	require.NoError(t, err)
	var out []segFrames
	for _, seg := range segs {
		path := filepath.Join(dir, seg.name)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		sf := segFrames{seg: seg, header: b[:segmentHeaderSize]}
		for _, f := range readAllFrames(t, path, segmentHeaderSize) {
			sf.frames = append(sf.frames, b[f.off:f.end])
		}
		out = append(out, sf)
	}
	return out
}

// allFrames flattens the entry frames of a directory in log order.
func allFrames(segs []segFrames) [][]byte {
	var all [][]byte
	for _, s := range segs {
		all = append(all, s.frames...)
	}
	return all
}

// writeFrames rewrites the segment files of dir so that they hold frames
// in order, keeping the segment boundaries (and headers) of segs.
func writeFrames(t *testing.T, dir string, segs []segFrames, frames [][]byte) {
	t.Helper()
	for i, s := range segs {
		var b []byte
		b = append(b, s.header...)
		end := len(frames)
		if i+1 < len(segs) {
			end = min(int(segs[i+1].seg.first), len(frames))
		}
		start := min(int(s.seg.first), len(frames))
		for _, f := range frames[start:end] {
			b = append(b, f...)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, s.seg.name), b, 0o600))
	}
}

func TestTamperEntries(t *testing.T) {
	ctx := context.Background()
	ref := buildTamperLog(t)
	segs := readSegments(t, ref.dir)
	frames := allFrames(segs)
	require.Len(t, frames, tamperEntries)

	tests := []struct {
		name   string
		mutate func([][]byte) [][]byte
		index  int64
	}{
		{"delete first", func(f [][]byte) [][]byte { return slices.Delete(f, 0, 1) }, 0},
		{"delete middle", func(f [][]byte) [][]byte { return slices.Delete(f, 6, 7) }, 6},
		{"delete last", func(f [][]byte) [][]byte { return f[:len(f)-1] }, 11},
		{"duplicate", func(f [][]byte) [][]byte { return slices.Insert(f, 4, f[4]) }, 5},
		{"insert foreign", func(f [][]byte) [][]byte {
			return slices.Insert(f, 9, appendFrame(nil, encoded(t, logEvent(99))))
		}, 9},
		{"reorder adjacent", func(f [][]byte) [][]byte { f[7], f[8] = f[8], f[7]; return f }, 7},
		{"reorder distant", func(f [][]byte) [][]byte { f[2], f[10] = f[10], f[2]; return f }, 2},
		{"edit with valid CRC", func(f [][]byte) [][]byte {
			f[5] = appendFrame(nil, encoded(t, logEvent(555)))
			return f
		}, 5},
		{"truncate entries", func(f [][]byte) [][]byte { return f[:4] }, 4},
		{"truncate to empty", func(f [][]byte) [][]byte { return nil }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, ref.dir)
			writeFrames(t, dir, segs, tt.mutate(slices.Clone(frames)))
			requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), tt.index, -1)
		})
	}

	t.Run("segment file deleted", func(t *testing.T) {
		dir := copyDir(t, ref.dir)
		require.NoError(t, os.Remove(filepath.Join(dir, segs[1].seg.name)))
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), 5, -1)
	})
	t.Run("stored hashes deleted", func(t *testing.T) {
		dir := copyDir(t, ref.dir)
		require.NoError(t, os.Remove(filepath.Join(dir, hashFileName)))
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), 0, -1)
	})
	t.Run("not a log", func(t *testing.T) {
		err := Verify(ctx, Dir(t.TempDir()), Options{Verifier: ref.v})
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrTampered)
	})
	// Open finds a segment by its name; Verify must agree, for every
	// segment and whether the new name sorts before or after the old.
	for i, sf := range segs {
		for _, shift := range []int64{-1, 1} {
			if sf.seg.first+shift < 0 {
				continue
			}
			t.Run(fmt.Sprintf("segment %d renamed by %+d", i, shift), func(t *testing.T) {
				dir := copyDir(t, ref.dir)
				require.NoError(t, os.Rename(filepath.Join(dir, sf.seg.name), filepath.Join(dir, segmentName(sf.seg.first+shift))))
				err := Verify(ctx, Dir(dir), Options{Verifier: ref.v})
				require.ErrorIs(t, err, ErrTampered)
				var te *TamperError
				require.ErrorAs(t, err, &te)
				assert.LessOrEqual(t, te.Index, sf.seg.first)
				if i == 0 || i == len(segs)-1 {
					_, err := Open(ctx, Dir(dir), Options{Signer: ref.s})
					require.ErrorIs(t, err, ErrTampered, "Open")
				}
			})
		}
	}
	t.Run("last segment deleted", func(t *testing.T) {
		dir := copyDir(t, ref.dir)
		require.NoError(t, os.Remove(filepath.Join(dir, segs[2].seg.name)))
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), 10, -1)
	})
}

// TestTamperRewrittenHistory is the careful attacker: entries edited,
// deleted or truncated, with every stored hash recomputed to match. Only
// the signed checkpoints expose it; the error names the first entry that
// no earlier checkpoint vouches for.
func TestTamperRewrittenHistory(t *testing.T) {
	ctx := context.Background()
	ref := buildTamperLog(t)
	segs := readSegments(t, ref.dir)
	frames := allFrames(segs)

	rewrite := func(t *testing.T, dir string, events []Event) {
		var fs [][]byte
		var hashes []byte
		tree := &frontier{}
		for _, e := range events {
			data := encoded(t, e)
			fs = append(fs, appendFrame(nil, data))
			for _, h := range tree.add(tlog.RecordHash(data)) {
				hashes = append(hashes, h[:]...)
			}
		}
		writeFrames(t, dir, segs, fs)
		require.NoError(t, os.WriteFile(filepath.Join(dir, hashFileName), append([]byte(hashMagic), hashes...), 0o600))
	}
	events := make([]Event, tamperEntries)
	for i := range events {
		events[i] = logEvent(i)
	}
	require.Len(t, frames, len(events))

	t.Run("edit", func(t *testing.T) {
		dir := copyDir(t, ref.dir)
		ev := slices.Clone(events)
		ev[6].Outcome = OutcomeDenied
		rewrite(t, dir, ev)
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), 3, 1) // somewhere in [3, 8)
	})
	t.Run("delete", func(t *testing.T) {
		dir := copyDir(t, ref.dir)
		rewrite(t, dir, slices.Delete(slices.Clone(events), 1, 2))
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), 0, 0)
	})
	t.Run("truncate below checkpoint", func(t *testing.T) {
		dir := copyDir(t, ref.dir)
		rewrite(t, dir, events[:10])
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), 10, 2)
		_, err := Open(context.Background(), Dir(dir), Options{Signer: ref.s})
		requireTamper(t, err, 10, 2)
	})
	t.Run("truncate past all checkpoints is caught by the auditor's copy", func(t *testing.T) {
		dir := copyDir(t, ref.dir)
		rewrite(t, dir, events[:8])
		cps := readCheckpointFrames(t, dir)
		require.NoError(t, os.WriteFile(filepath.Join(dir, checkpointFileName), slices.Concat(cps[:2]...), 0o600))
		// A segment file left after the cut names an entry that is not
		// there...
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), 8, -1)
		// ...but with it deleted too, the directory is self-consistent
		// again...
		require.NoError(t, os.Remove(filepath.Join(dir, segs[2].seg.name)))
		require.NoError(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}))
		// ...but not with the checkpoint an auditor kept.
		known := readCheckpointFrames(t, ref.dir)[2]
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v, Checkpoints: [][]byte{unframe(known)}}), 8, 2)
	})
}

// readCheckpointFrames returns the raw frames of the checkpoint file.
func readCheckpointFrames(t *testing.T, dir string) [][]byte {
	t.Helper()
	path := filepath.Join(dir, checkpointFileName)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out [][]byte
	for _, f := range readAllFrames(t, path, 0) {
		out = append(out, b[f.off:f.end])
	}
	return out
}

func unframe(frame []byte) []byte { return frame[4 : len(frame)-4] }

func TestTamperCheckpoints(t *testing.T) {
	ctx := context.Background()
	ref := buildTamperLog(t)
	cps := readCheckpointFrames(t, ref.dir)
	require.Len(t, cps, len(tamperCheckpoints))

	tests := []struct {
		name       string
		mutate     func([][]byte) [][]byte
		index      int64
		checkpoint int
	}{
		{"duplicate", func(c [][]byte) [][]byte { return slices.Insert(c, 1, c[1]) }, -1, 2},
		{"reorder", func(c [][]byte) [][]byte { c[0], c[1] = c[1], c[0]; return c }, -1, 1},
		{"foreign signature", func(c [][]byte) [][]byte {
			other := openLogFixture(t, Options{})
			appendN(t, other.Log, 0, 3)
			cp, err := other.Checkpoint(ctx)
			require.NoError(t, err)
			require.NoError(t, other.Close())
			c[0] = appendFrame(nil, cp)
			return c
		}, -1, 0},
		{"resigned with another key", nil, -1, 0},
		{"all deleted", func([][]byte) [][]byte { return nil }, 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, ref.dir)
			c := slices.Clone(cps)
			if tt.mutate == nil {
				// A valid checkpoint of this very tree, signed by another key.
				h, err := OpenCheckpoint(unframe(c[0]), ref.v)
				require.NoError(t, err)
				other, _ := testKeys(t)
				l := &Log{signer: other, store: &memCheckpointStore{}}
				signed, err := l.checkpoint(ctx, h)
				require.NoError(t, err)
				c[0] = appendFrame(nil, signed)
			} else {
				c = tt.mutate(c)
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, checkpointFileName), slices.Concat(c...), 0o600))
			requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), tt.index, tt.checkpoint)
		})
	}
	t.Run("truncated mid-checkpoint", func(t *testing.T) {
		dir := copyDir(t, ref.dir)
		all := slices.Concat(cps...)
		require.NoError(t, os.WriteFile(filepath.Join(dir, checkpointFileName), all[:len(all)-10], 0o600))
		requireTamper(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}), -1, 2)
	})
}

// memCheckpointStore accepts checkpoints and nothing else.
type memCheckpointStore struct{ store }

func (*memCheckpointStore) addCheckpoint(context.Context, int64, []byte) error { return nil }

// TestTamperEveryByte flips each byte of every file of the log in turn and
// checks that Verify reports the entry or checkpoint that byte belongs to.
func TestTamperEveryByte(t *testing.T) {
	ctx := context.Background()
	ref := buildTamperLog(t)
	dir := copyDir(t, ref.dir)
	segs := readSegments(t, dir)

	type target struct {
		file       string
		off        int64
		index      int64
		checkpoint int
	}
	var targets []target
	for _, s := range segs {
		for off := range int64(segmentHeaderSize) {
			targets = append(targets, target{s.seg.name, off, s.seg.first, -1})
		}
		for k, f := range readAllFrames(t, filepath.Join(dir, s.seg.name), segmentHeaderSize) {
			for off := f.off; off < f.end; off++ {
				targets = append(targets, target{s.seg.name, off, s.seg.first + int64(k), -1})
			}
		}
	}
	for off := range int64(hashHeaderSize) {
		targets = append(targets, target{hashFileName, off, 0, -1})
	}
	for x := range tlog.StoredHashCount(tamperEntries) {
		level, n := tlog.SplitStoredHashIndex(x)
		first := (n+1)<<level - 1 // the entry whose addition produces this hash
		for b := range int64(tlog.HashSize) {
			targets = append(targets, target{hashFileName, int64(hashHeaderSize) + x*tlog.HashSize + b, first, -1})
		}
	}
	for k, f := range readAllFrames(t, filepath.Join(dir, checkpointFileName), 0) {
		for off := f.off; off < f.end; off++ {
			targets = append(targets, target{checkpointFileName, off, -1, k})
		}
	}

	stride := 3 // every byte under COMPLIANCE_LONG, a third of them otherwise
	if os.Getenv("COMPLIANCE_LONG") != "" {
		stride = 1
	}
	for i, tg := range targets {
		if i%stride != 0 {
			continue
		}
		path := filepath.Join(dir, tg.file)
		flip(t, path, tg.off)
		err := Verify(ctx, Dir(dir), Options{Verifier: ref.v})
		flip(t, path, tg.off)
		requireTamper(t, err, tg.index, tg.checkpoint, "%s byte %d", tg.file, tg.off)
		if t.Failed() {
			return
		}
	}
	require.NoError(t, Verify(ctx, Dir(dir), Options{Verifier: ref.v}))
	t.Logf("%d of %d single-byte flips tried, all detected", (len(targets)+stride-1)/stride, len(targets))
}

func flip(t *testing.T, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	defer f.Close()
	var b [1]byte
	_, err = f.ReadAt(b[:], off)
	if err != io.EOF {
		require.NoError(t, err)
	}
	b[0] ^= 0x01
	_, err = f.WriteAt(b[:], off)
	require.NoError(t, err)
}
