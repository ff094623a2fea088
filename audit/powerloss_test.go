package audit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// powerCut returns a copy of the log directory as the disk would hold it
// if the power failed now: every file cut to its size at its last
// successful sync (what was written after it never reached the disk) or,
// with zeros, that part read back as zeros (a file system that made the
// size durable but not the data).
func powerCut(t *testing.T, dir string, fsys *faultFS, zeros bool) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		if n, ok := fsys.synced.Load(e.Name()); ok && int(n.(int64)) < len(b) {
			if zeros {
				clear(b[n.(int64):])
			} else {
				b = b[:n.(int64)]
			}
		}
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600))
	}
	return dst
}

// TestPowerCutAfterEveryAck cuts the power after every acknowledged
// append (one sync per batch, stored hashes synced only before a new
// segment file and a checkpoint): Verify must accept the disk as it is,
// Open must keep every acknowledged entry without reporting tampering, and
// the reopened log must verify and accept appends.
func TestPowerCutAfterEveryAck(t *testing.T) {
	ctx := context.Background()
	for _, zeros := range []bool{false, true} {
		fsys := newFaultFS()
		tl := openLogFixtureFS(t, Options{SegmentEntries: 3}, fsys)
		for i := range 24 {
			appendN(t, tl.Log, i, 1)
			if i%7 == 6 {
				_, err := tl.Checkpoint(ctx)
				require.NoError(t, err)
			}
			cut := powerCut(t, tl.dir, fsys, zeros)
			if i >= 6 { // before its first checkpoint, a log does not verify
				require.NoError(t, Verify(ctx, Dir(cut), Options{Verifier: tl.v}), "ack %d zeros %v: Verify", i, zeros)
			}
			l, err := Open(ctx, Dir(cut), Options{Signer: tl.s, Verifier: tl.v})
			require.NoError(t, err, "ack %d zeros %v: Open", i, zeros)
			require.Equal(t, int64(i+1), l.Size(), "ack %d zeros %v", i, zeros)
			appendN(t, l, i+1, 1)
			require.NoError(t, l.Close())
			require.NoError(t, Verify(ctx, Dir(cut), Options{Verifier: tl.v}))
			events := readEvents(t, cut)
			for j := range i + 2 {
				require.Equal(t, logEvent(j).CorrelationID, events[j].CorrelationID)
			}
		}
		require.NoError(t, tl.Close())
	}
}

// TestUnsyncedHashesAreChecked: the stored hashes after the trusted point
// are recomputed when missing or zero, but one that is present and wrong
// is tampering, for Open and Verify alike, and so are hashes of entries
// that are not there.
func TestUnsyncedHashesAreChecked(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{SegmentEntries: 100})
	appendN(t, tl.Log, 0, 4)
	_, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	appendN(t, tl.Log, 4, 6) // after the checkpoint, in the same segment
	tl.mu.Lock()
	tl.closed = true // abandon the log as a crash would: no final checkpoint
	tl.cond.Broadcast()
	tl.mu.Unlock()
	<-tl.committed
	require.NoError(t, tl.store.close())
	leaf := func(i int64) int64 { return int64(hashHeaderSize) + tlog.StoredHashIndex(0, i)*tlog.HashSize }

	for _, tt := range []struct {
		name   string
		damage func(t *testing.T, dir string)
		index  int64 // -1: no tampering
		open   bool  // Open notices it too (it checks only the hashes it trusts least; Verify checks all)
	}{
		{"intact", func(*testing.T, string) {}, -1, false},
		{"hashes after the checkpoint lost", func(t *testing.T, dir string) {
			require.NoError(t, os.Truncate(filepath.Join(dir, hashFileName), leaf(4)))
		}, -1, false},
		{"a hash after the checkpoint zero", func(t *testing.T, dir string) {
			writeAt(t, filepath.Join(dir, hashFileName), leaf(7), make([]byte, tlog.HashSize))
		}, -1, false},
		{"a hash after the checkpoint wrong", func(t *testing.T, dir string) {
			writeAt(t, filepath.Join(dir, hashFileName), leaf(7), []byte{1})
		}, 7, true},
		{"a hash before the checkpoint zero", func(t *testing.T, dir string) {
			writeAt(t, filepath.Join(dir, hashFileName), leaf(2), make([]byte, tlog.HashSize))
		}, 2, false},
		{"hashed entries cut", func(t *testing.T, dir string) {
			truncateSegmentAfter(t, dir, 8)
		}, 8, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, tl.dir)
			tt.damage(t, dir)
			verr := Verify(ctx, Dir(dir), Options{Verifier: tl.v})
			l, oerr := Open(ctx, Dir(dir), Options{Signer: tl.s, Verifier: tl.v})
			if tt.index < 0 {
				require.NoError(t, verr)
				require.NoError(t, oerr)
				assert.Equal(t, int64(10), l.Size())
				require.NoError(t, l.Close())
				require.NoError(t, Verify(ctx, Dir(dir), Options{Verifier: tl.v}))
				return
			}
			var te *TamperError
			require.ErrorAs(t, verr, &te, "Verify")
			assert.LessOrEqual(t, te.Index, tt.index, "Verify")
			if tt.open {
				require.True(t, errors.As(oerr, &te), "Open: %v", oerr)
			} else if oerr == nil {
				require.NoError(t, l.Close())
			}
		})
	}
}

func writeAt(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(b, off)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// truncateSegmentAfter cuts the only segment of dir after n entries.
func truncateSegmentAfter(t *testing.T, dir string, n int) {
	t.Helper()
	p := filepath.Join(dir, segmentName(0))
	frames := readAllFrames(t, p, segmentHeaderSize)
	require.Greater(t, len(frames), n)
	require.NoError(t, os.Truncate(p, frames[n].off))
}

// powerCutLive is powerCut taken while appends run: it reads the files in
// the order in which the log makes them durable (checkpoints, stored
// hashes, then the segment files, listed last), so that the copy is a disk
// state a power cut could leave at some instant.
func powerCutLive(t *testing.T, dir string, fsys *faultFS) string {
	t.Helper()
	dst := t.TempDir()
	copyCut := func(name string) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		if n, ok := fsys.synced.Load(name); ok && int(n.(int64)) < len(b) {
			b = b[:n.(int64)]
		}
		require.NoError(t, os.WriteFile(filepath.Join(dst, name), b, 0o600))
	}
	copyCut(checkpointFileName)
	copyCut(hashFileName)
	segs, err := listSegments(dir)
	require.NoError(t, err)
	for _, seg := range segs {
		copyCut(seg.name)
	}
	return dst
}

// TestPowerCutUnderLoad cuts the power at moments while 8 writers append
// and checkpoints are signed: every append acknowledged before the cut
// must be in the log Open recovers, and the recovered log must verify.
func TestPowerCutUnderLoad(t *testing.T) {
	ctx := context.Background()
	fsys := newFaultFS()
	tl := openLogFixtureFS(t, Options{SegmentEntries: 5}, fsys)
	var mu sync.Mutex
	acked := map[string]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				e := logEvent(i)
				e.CorrelationID = fmt.Sprintf("w%d-%d", w, i)
				if _, err := tl.Append(ctx, e); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked[e.CorrelationID] = true
				mu.Unlock()
				if w == 0 && i%9 == 0 {
					if _, err := tl.Checkpoint(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	for cut := range 12 {
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		before := maps.Clone(acked)
		mu.Unlock()
		img := powerCutLive(t, tl.dir, fsys)
		l, err := Open(ctx, Dir(img), Options{Signer: tl.s, Verifier: tl.v})
		require.NoError(t, err, "cut %d", cut)
		require.NoError(t, l.Close())
		require.NoError(t, Verify(ctx, Dir(img), Options{Verifier: tl.v}), "cut %d", cut)
		have := map[string]bool{}
		for _, e := range readEvents(t, img) {
			have[e.CorrelationID] = true
		}
		for id := range before {
			require.True(t, have[id], "cut %d lost acknowledged %s", cut, id)
		}
		t.Logf("cut %d: %d acknowledged before it, %d recovered", cut, len(before), len(have))
	}
	close(stop)
	wg.Wait()
	require.NoError(t, tl.Close())
}
