package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// faultFS is the real file system with switchable faults: a full disk
// (writes fail with ENOSPC after a byte budget) and failing fsyncs.
type faultFS struct {
	osFS
	failSync  atomic.Bool                   // every Sync and SyncDir fails with EIO
	syncOnly  atomic.Value                  // if set, only files with this base name (or being created under it) fail to sync
	diskBytes atomic.Int64                  // bytes that may still be written; < 0 means unlimited
	writes    atomic.Uint64                 // number of WriteAt calls
	syncs     atomic.Uint64                 // number of successful file Syncs
	readOnly  atomic.Bool                   // writes and truncations fail with EROFS, as on a file system remounted read-only
	hold      atomic.Pointer[chan struct{}] // if set, file Syncs wait until it is closed
	held      atomic.Int32                  // Syncs waiting on hold
	synced    sync.Map                      // base name -> file size at its last successful Sync
}

func newFaultFS() *faultFS {
	f := &faultFS{}
	f.diskBytes.Store(-1)
	f.syncOnly.Store("")
	return f
}

func (fs *faultFS) OpenFile(name string, flag int, perm os.FileMode) (storeFile, error) {
	f, err := fs.osFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	// A file being created is known by the name it is renamed to.
	return &faultFile{storeFile: f, fs: fs, name: strings.TrimSuffix(filepath.Base(name), tmpSuffix)}, nil
}

func (fs *faultFS) SyncDir(dir string) error {
	if fs.failSync.Load() && fs.syncOnly.Load().(string) == "" {
		return syscall.EIO
	}
	return fs.osFS.SyncDir(dir)
}

type faultFile struct {
	storeFile
	fs   *faultFS
	name string
}

func (f *faultFile) Truncate(size int64) error {
	if f.fs.readOnly.Load() {
		return syscall.EROFS
	}
	return f.storeFile.Truncate(size)
}

func (f *faultFile) WriteAt(p []byte, off int64) (int, error) {
	f.fs.writes.Add(1)
	if f.fs.readOnly.Load() {
		return 0, syscall.EROFS
	}
	if budget := f.fs.diskBytes.Load(); budget >= 0 {
		if int64(len(p)) > budget {
			// Write what fits, as a real full disk does.
			n, _ := f.storeFile.WriteAt(p[:budget], off)
			f.fs.diskBytes.Store(0)
			return n, syscall.ENOSPC
		}
		f.fs.diskBytes.Add(-int64(len(p)))
	}
	return f.storeFile.WriteAt(p, off)
}

func (f *faultFile) Sync() error {
	if f.fs.failSync.Load() {
		if only := f.fs.syncOnly.Load().(string); only == "" || only == f.name {
			return syscall.EIO
		}
	}
	if hold := f.fs.hold.Load(); hold != nil {
		f.fs.held.Add(1)
		<-*hold
		f.fs.held.Add(-1)
	}
	err := f.storeFile.Sync()
	if err == nil {
		f.fs.syncs.Add(1)
		if fi, serr := f.storeFile.Stat(); serr == nil {
			f.fs.synced.Store(f.name, fi.Size())
		}
	}
	return err
}

// waitFor polls cond until it holds; the test's own timeout bounds it.
func waitFor(cond func() bool) {
	for !cond() {
		time.Sleep(time.Millisecond)
	}
}

// TestGroupCommit holds the fsync of a first append and queues more
// appends behind it: the first Append must not return before its fsync,
// and the queued ones must be committed together, with one write per file
// and one fsync for the whole batch.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	fsys := newFaultFS()
	tl := openLogFixtureFS(t, Options{}, fsys)
	hold := make(chan struct{})
	fsys.hold.Store(&hold)

	first := make(chan Receipt, 1)
	go func() {
		r, err := tl.Append(ctx, logEvent(0))
		assert.NoError(t, err)
		first <- r
	}()
	waitFor(func() bool { return fsys.held.Load() == 1 })
	select {
	case <-first:
		t.Fatal("Append returned before its entry was synced")
	default:
	}

	const queued = 31
	var wg sync.WaitGroup
	indexes := make(chan int64, queued)
	for i := range queued {
		wg.Go(func() {
			r, err := tl.Append(ctx, logEvent(1+i))
			assert.NoError(t, err)
			indexes <- r.Index
		})
	}
	waitFor(func() bool {
		tl.mu.Lock()
		defer tl.mu.Unlock()
		return len(tl.queue) == queued
	})
	writes, syncs := fsys.writes.Load(), fsys.syncs.Load()
	fsys.hold.Store(nil)
	close(hold)
	wg.Wait()
	close(indexes)

	assert.Equal(t, int64(0), (<-first).Index)
	seen := map[int64]bool{}
	for x := range indexes {
		seen[x] = true
	}
	assert.Len(t, seen, queued)
	assert.False(t, seen[0])
	// One sync per batch, of its entries: the first batch's (held above,
	// so counted after the release) and the queued batch of 31's. One
	// hash write for the first batch, then one entry write and one hash
	// write for the second.
	assert.Equal(t, syncs+2, fsys.syncs.Load(), "fsyncs")
	assert.Equal(t, writes+3, fsys.writes.Load(), "writes")
	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
}

// TestFaultFullDisk fills the disk in the middle of an append: Append
// fails, the log stays usable and consistent, and once space is back
// appends continue.
func TestFaultFullDisk(t *testing.T) {
	ctx := context.Background()
	for _, budget := range []int64{0, 5, 60, 200, 400} {
		fsys := newFaultFS()
		tl := openLogFixtureFS(t, Options{SegmentEntries: 4}, fsys)
		appendN(t, tl.Log, 0, 6)
		_, err := tl.Checkpoint(ctx)
		require.NoError(t, err)

		fsys.diskBytes.Store(budget)
		var failed int
		for i := 6; i < 12; i++ {
			if _, err := tl.Append(ctx, logEvent(i)); err != nil {
				assert.ErrorIs(t, err, syscall.ENOSPC)
				failed++
			}
		}
		require.Positive(t, failed, "budget %d", budget)
		size := tl.Size()

		// The log is consistent on disk right now (a crash here is fine)...
		require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}), "budget %d", budget)
		// ...and keeps working when space is freed.
		fsys.diskBytes.Store(-1)
		_, err = tl.Checkpoint(ctx)
		require.NoError(t, err)
		r, err := tl.Append(ctx, logEvent(100))
		require.NoError(t, err)
		assert.Equal(t, size, r.Index)
		require.NoError(t, tl.Close())
		require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))

		tl.reopen(t, Options{SegmentEntries: 4})
		assert.Equal(t, size+1, tl.Size())
		assert.False(t, tl.store.recovery().repaired())
		require.NoError(t, tl.Close())
	}
}

// TestFaultFsync fails fsync on each file in turn: Append reports the
// failure, the log refuses further writes (the page cache can no longer be
// trusted), and after a reopen it holds every acknowledged entry, is
// consistent and accepts appends again.
func TestFaultFsync(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		file string
		ok   int // appends that succeed first: the stored hashes are synced only before a new segment file and a checkpoint
		cp   bool
	}{
		{file: ""},
		{file: segmentName(4)},
		{file: hashFileName, ok: 3}, // the 4th starts segment 8
		{file: hashFileName, ok: 1, cp: true},
	} {
		file := tc.file
		t.Run(fmt.Sprintf("file=%s/ok=%d/checkpoint=%v", file, tc.ok, tc.cp), func(t *testing.T) {
			fsys := newFaultFS()
			tl := openLogFixtureFS(t, Options{SegmentEntries: 4}, fsys)
			appendN(t, tl.Log, 0, 5)
			_, err := tl.Checkpoint(ctx)
			require.NoError(t, err)

			fsys.syncOnly.Store(file)
			fsys.failSync.Store(true)
			appendN(t, tl.Log, 5, tc.ok)
			acked := int64(5 + tc.ok)
			if tc.cp {
				_, err = tl.Checkpoint(ctx)
			} else {
				_, err = tl.Append(ctx, logEvent(int(acked)))
			}
			require.ErrorIs(t, err, ErrLogFailed)
			require.ErrorIs(t, err, syscall.EIO)
			_, err = tl.Append(ctx, logEvent(int(acked)))
			require.ErrorIs(t, err, ErrLogFailed, "no write after a failed fsync")
			assert.Equal(t, acked, tl.Size())
			fsys.failSync.Store(false)
			require.ErrorIs(t, tl.Close(), ErrLogFailed) // reported again, and no checkpoint of a failed log

			tl.reopen(t, Options{SegmentEntries: 4})
			// The failed append may or may not be durable; nothing
			// acknowledged is lost and the log is consistent.
			require.GreaterOrEqual(t, tl.Size(), acked)
			require.LessOrEqual(t, tl.Size(), acked+1)
			appendN(t, tl.Log, int(tl.Size()), 2)
			require.NoError(t, tl.Close())
			require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
			events := readEvents(t, tl.dir)
			for i := range int(acked) {
				assert.Equal(t, logEvent(i).CorrelationID, events[i].CorrelationID)
			}
		})
	}
}

// TestFaultCheckpointWrite fails the write of a checkpoint: Checkpoint
// errors and the stored checkpoints stay valid.
func TestFaultCheckpointWrite(t *testing.T) {
	ctx := context.Background()
	fsys := newFaultFS()
	tl := openLogFixtureFS(t, Options{}, fsys)
	appendN(t, tl.Log, 0, 3)
	_, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	appendN(t, tl.Log, 3, 2)
	fsys.diskBytes.Store(10)
	_, err = tl.Checkpoint(ctx)
	require.ErrorIs(t, err, syscall.ENOSPC)
	fsys.diskBytes.Store(-1)
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
	cp, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	h, err := OpenCheckpoint(cp, tl.v)
	require.NoError(t, err)
	assert.Equal(t, int64(5), h.Size)
	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
}

func TestFaultOpenRefusesDamage(t *testing.T) {
	ref := buildTamperLog(t)
	for name, mutate := range map[string]func(dir string){
		"hash header": func(dir string) { flip(t, filepath.Join(dir, hashFileName), 0) },
		"entry in acknowledged prefix": func(dir string) {
			segs := readSegments(t, dir)
			f := readAllFrames(t, filepath.Join(dir, segs[2].seg.name), segmentHeaderSize)
			flip(t, filepath.Join(dir, segs[2].seg.name), f[0].off+6)
		},
		"stored hash of the last entry": func(dir string) {
			path := filepath.Join(dir, hashFileName)
			fi, err := os.Stat(path)
			require.NoError(t, err)
			flip(t, path, int64(hashHeaderSize)+tlog.StoredHashIndex(0, tamperEntries-1)*tlog.HashSize)
			require.Equal(t, fi.Size(), int64(hashHeaderSize)+tlog.StoredHashCount(tamperEntries)*tlog.HashSize)
		},
		"stored hashes cut below the last checkpoint": func(dir string) {
			// Open must not take the entries beyond the cut for an
			// unacknowledged tail and delete them.
			require.NoError(t, os.Truncate(filepath.Join(dir, hashFileName), int64(hashHeaderSize)+tlog.StoredHashCount(tamperEntries-2)*tlog.HashSize))
		},
		"stored hashes deleted": func(dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, hashFileName)))
		},
		"middle of checkpoints": func(dir string) {
			path := filepath.Join(dir, checkpointFileName)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			b = append(b, make([]byte, maxSignedCheckpoint*2)...) // damage followed by much more
			require.NoError(t, os.WriteFile(path, b, 0o600))
			flip(t, path, 0)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := copyDir(t, ref.dir)
			mutate(dir)
			before := dirSnapshot(t, dir)
			_, err := Open(context.Background(), Dir(dir), Options{Signer: ref.s})
			require.Error(t, err)
			assert.Equal(t, before, dirSnapshot(t, dir), "Open must not repair damage it cannot explain")
		})
	}
}

func dirSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = string(b)
	}
	return out
}

// TestTornTailRecovery simulates the files a crash leaves behind: a
// complete entry without its stored hashes, a torn entry, a partial hash,
// a torn checkpoint, and (as an earlier version of this package could
// leave) a new segment file after the torn entry. Verify accepts the
// directory as is (nothing acknowledged is damaged); Open keeps the
// complete entry (a batch is acknowledged once its entries are synced) and
// writes its hashes, truncates the rest and reports it.
func TestTornTailRecovery(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{SegmentEntries: 4})
	appendN(t, tl.Log, 0, 6)
	require.NoError(t, tl.Close())
	cps := readCheckpointFrames(t, tl.dir)

	appendBytes := func(name string, b []byte) {
		f, err := os.OpenFile(filepath.Join(tl.dir, name), os.O_WRONLY|os.O_APPEND, 0)
		require.NoError(t, err)
		_, err = f.Write(b)
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
	whole := appendFrame(nil, encoded(t, logEvent(6)))
	appendBytes(segmentName(4), whole)                                         // complete, hashes not written
	appendBytes(segmentName(4), appendFrame(nil, encoded(t, logEvent(7)))[:9]) // torn
	require.NoError(t, os.WriteFile(filepath.Join(tl.dir, segmentName(8)), []byte(segmentMagic), 0o600))
	appendBytes(hashFileName, make([]byte, 20))             // part of a hash
	appendBytes(checkpointFileName, cps[0][:len(cps[0])/2]) // torn checkpoint
	require.Error(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}), "a torn checkpoint is reported until the log is reopened")
	require.NoError(t, os.Truncate(filepath.Join(tl.dir, checkpointFileName), int64(len(slices.Concat(cps...)))))
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}), "the unacknowledged tail is not tampering")
	appendBytes(checkpointFileName, cps[0][:len(cps[0])/2])

	tl.reopen(t, Options{SegmentEntries: 4})
	rec := tl.store.recovery()
	assert.True(t, rec.repaired())
	assert.True(t, rec.CheckpointsTrunc)
	assert.Equal(t, 1, rec.DroppedSegments)
	assert.Equal(t, int64(1), rec.Rehashed)
	assert.Equal(t, int64(9+len(segmentMagic)+len(cps[0])/2), rec.TruncatedBytes, "the partial hash is overwritten by entry 6's")
	assert.Equal(t, int64(7), tl.Size())
	appendN(t, tl.Log, 7, 5)
	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
}

// TestTornNewSegmentHeader: a crash while an append was creating the next
// segment file can leave it with a header that never reached the disk.
// That segment holds no acknowledged entry, so Open rewrites its header;
// appends continue into it and the log verifies.
func TestTornNewSegmentHeader(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{SegmentEntries: 4})
	appendN(t, tl.Log, 0, 4)
	require.NoError(t, tl.Close())
	torn := append(make([]byte, segmentHeaderSize), appendFrame(nil, encoded(t, logEvent(4)))...)
	require.NoError(t, os.WriteFile(filepath.Join(tl.dir, segmentName(4)), torn, 0o600))

	tl.reopen(t, Options{SegmentEntries: 4})
	assert.True(t, tl.store.recovery().repaired())
	assert.Equal(t, int64(4), tl.Size())
	appendN(t, tl.Log, 4, 2)
	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
}
