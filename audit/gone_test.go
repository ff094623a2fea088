package audit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoDurableRecordNoAccess takes the log's storage away under an open
// Log and its Gate in every way a host can lose it: the gate must deny,
// tell the host's logger why, never acknowledge an append into files that
// are no longer the log, and lose no acknowledged entry that still exists.
func TestNoDurableRecordNoAccess(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// break_ damages the log in dir and returns where the entries
		// acknowledged before it now live ("" if they were deleted).
		break_ func(t *testing.T, dir string, fsys *faultFS) (kept string)
		cause  error // also matched by the denial, if not nil
	}{
		{name: "directory removed", break_: func(t *testing.T, dir string, _ *faultFS) string {
			require.NoError(t, os.RemoveAll(dir))
			return ""
		}},
		{name: "directory renamed away", break_: func(t *testing.T, dir string, _ *faultFS) string {
			require.NoError(t, os.Rename(dir, dir+".old"))
			return dir + ".old"
		}},
		{name: "directory replaced", break_: func(t *testing.T, dir string, _ *faultFS) string {
			require.NoError(t, os.Rename(dir, dir+".old"))
			require.NoError(t, os.Mkdir(dir, 0o700))
			return dir + ".old"
		}},
		{name: "current segment removed", break_: func(t *testing.T, dir string, _ *faultFS) string {
			require.NoError(t, os.Remove(filepath.Join(dir, segmentName(8))))
			return ""
		}},
		{name: "old segment removed", break_: func(t *testing.T, dir string, _ *faultFS) string {
			require.NoError(t, os.Remove(filepath.Join(dir, segmentName(0))))
			return ""
		}},
		{name: "old segment replaced by a copy", break_: func(t *testing.T, dir string, _ *faultFS) string {
			p := filepath.Join(dir, segmentName(4))
			b, err := os.ReadFile(p)
			require.NoError(t, err)
			require.NoError(t, os.Rename(p, p+".bak"))
			require.NoError(t, os.WriteFile(p, b, 0o600))
			return ""
		}},
		{name: "hashes removed", break_: func(t *testing.T, dir string, _ *faultFS) string {
			require.NoError(t, os.Remove(filepath.Join(dir, hashFileName)))
			return ""
		}},
		{name: "lock file removed", break_: func(t *testing.T, dir string, _ *faultFS) string {
			// Another Open could now take a new lock and write too.
			require.NoError(t, os.Remove(filepath.Join(dir, lockFileName)))
			return dir
		}},
		{name: "read-only file system", cause: syscall.EROFS, break_: func(t *testing.T, dir string, fsys *faultFS) string {
			fsys.readOnly.Store(true)
			return dir
		}},
		{name: "full disk", cause: syscall.ENOSPC, break_: func(t *testing.T, dir string, fsys *faultFS) string {
			fsys.diskBytes.Store(0)
			return dir
		}},
	} {
		for _, quiet := range []bool{false, true} {
			t.Run(tc.name+map[bool]string{false: "", true: "/old mtime"}[quiet], func(t *testing.T) {
				fsys := newFaultFS()
				var logs bytes.Buffer
				logger := slog.New(slog.NewTextHandler(&logs, nil))
				tl := openLogFixtureFS(t, Options{SegmentEntries: 4, Logger: logger}, fsys)
				g := NewGate(NewMemoryDirectory(testStaff()...), testPolicy, tl.Log, GateOptions{Now: func() time.Time { return gateNow }, Logger: logger})
				ok := Access{Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket"}
				for range 10 {
					require.NoError(t, g.Authorize(ctx, ok))
				}
				_, err := tl.Checkpoint(ctx)
				require.NoError(t, err)
				if quiet {
					// The directory's mtime is old: checkAlive takes its
					// fast path until the damage changes the directory.
					old := time.Now().Add(-time.Hour)
					require.NoError(t, os.Chtimes(tl.dir, old, old))
					require.NoError(t, tl.store.(*fileStore).watch())
					require.NoError(t, g.Authorize(ctx, ok))
				}
				acked := tl.Size()

				kept := tc.break_(t, tl.dir, fsys)
				err = g.Authorize(ctx, ok)
				var de *DeniedError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, DenyLogError, de.Code)
				if tc.cause != nil {
					require.ErrorIs(t, err, tc.cause)
				} else {
					require.ErrorIs(t, err, ErrLogFailed)
				}
				assert.Equal(t, acked, tl.Size(), "nothing acknowledged after the damage")
				assert.Contains(t, logs.String(), "level=ERROR msg=\"audit: access denied\" code=log_error")

				if tc.cause == syscall.ENOSPC {
					// A full disk fails the append but leaves the log
					// consistent and usable once space is back.
					fsys.diskBytes.Store(-1)
					require.NoError(t, g.Authorize(ctx, ok))
					require.NoError(t, tl.Close())
				} else {
					// Every later access is denied too, and Close says
					// the log failed.
					require.ErrorIs(t, g.Authorize(ctx, ok), ErrLogFailed)
					assert.Contains(t, logs.String(), "audit: log failed")
					require.ErrorIs(t, tl.Close(), ErrLogFailed)
					fsys.readOnly.Store(false)
				}
				if kept == "" {
					return
				}
				// What was acknowledged is still there, whole.
				require.NoError(t, Verify(ctx, Dir(kept), Options{Verifier: tl.v}))
				l, err := Open(ctx, Dir(kept), Options{Signer: tl.s, Verifier: tl.v, Logger: logger})
				require.NoError(t, err)
				assert.GreaterOrEqual(t, l.Size(), acked)
				require.NoError(t, l.Close())
			})
		}
	}
}

// TestCheckAliveFastPath pins what checkAlive looks at: while the
// directory is unchanged and settled only the directory (whatever the
// number of segment files); after a change every file; until the change is
// older than a clock tick the files being written, and then every file
// once more. A FileInfo the check does not match stands in for a file
// removed or replaced.
func TestCheckAliveFastPath(t *testing.T) {
	tl := openLogFixture(t, Options{SegmentEntries: 2})
	appendN(t, tl.Log, 0, 20)
	s := tl.store.(*fileStore)
	tl.wmu.Lock()
	defer tl.wmu.Unlock()
	stranger := s.files[checkpointFileName]
	old := time.Now().Add(-time.Hour)
	setMtime := func(m time.Time) { require.NoError(t, os.Chtimes(tl.dir, m, m)) }

	setMtime(old)
	require.NoError(t, s.watch())
	require.NoError(t, s.checkAlive()) // settles
	s.files["old.seg"] = stranger
	assert.NoError(t, s.checkAlive(), "settled: the directory only")

	setMtime(time.Now())
	assert.ErrorContains(t, s.checkAlive(), "file old.seg removed or replaced", "changed: every file")
	delete(s.files, "old.seg")
	require.NoError(t, s.checkAlive())
	s.files["old.seg"] = stranger
	assert.NoError(t, s.checkAlive(), "within the tick: the files being written only")
	hashes := s.files[hashFileName]
	s.files[hashFileName] = stranger
	assert.ErrorContains(t, s.checkAlive(), "file hashes removed or replaced")
	s.files[hashFileName] = hashes
	delete(s.files, "old.seg")

	setMtime(old)
	require.NoError(t, s.checkAlive()) // the change: every file
	s.files["old.seg"] = stranger
	assert.ErrorContains(t, s.checkAlive(), "file old.seg removed or replaced", "settling: every file once more")
	delete(s.files, "old.seg")
	require.NoError(t, s.checkAlive())
	s.files["old.seg"] = stranger
	assert.NoError(t, s.checkAlive(), "settled again")
	delete(s.files, "old.seg")
}

// TestGateReportsHostFaults: the gate tells the host's logger about the
// denials that are the host's fault (log or directory failing), and only
// about those, without the request's fields.
func TestGateReportsHostFaults(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		dir    Directory
		record func(context.Context, Event) error
		logged string // "" for nothing
	}{
		{"allowed", nil, nil, ""},
		{"denied by policy", nil, nil, ""},
		{"directory failing", failingDirectory{err: errors.New("ldap: connection refused")}, nil, `level=ERROR msg="audit: access denied" code=directory_error err="ldap: connection refused"`},
		{"log failing", nil, func(context.Context, Event) error { return ErrLogFailed }, `level=ERROR msg="audit: access denied" code=log_error err="audit: log failed; close and reopen it"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			rec := &decisionRecorder{}
			record := tt.record
			if record == nil {
				record = rec.record
			}
			staff := tt.dir
			if staff == nil {
				staff = NewMemoryDirectory(testStaff()...)
			}
			g := newGate(staff, testPolicy, record, GateOptions{Now: func() time.Time { return gateNow }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			a := Access{Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket", Resource: "users/secret-resource"}
			if tt.name == "denied by policy" {
				a.Purpose = "marketing"
			}
			_ = g.Authorize(ctx, a)
			if tt.logged == "" {
				assert.Empty(t, logs.String())
				return
			}
			assert.Contains(t, logs.String(), tt.logged)
			assert.NotContains(t, logs.String(), "emp-1")
			assert.NotContains(t, logs.String(), "secret-resource")
		})
	}
}

// TestReplacedDirectoryUntouched: an append that would start a new segment
// file never creates it in a directory that replaced the log's, and Close
// of a log whose directory is gone says so even with nothing to append.
func TestReplacedDirectoryUntouched(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{SegmentEntries: 4, Logger: slog.New(slog.DiscardHandler)})
	appendN(t, tl.Log, 0, 8) // the second segment is full: the next append starts a third
	require.NoError(t, os.Rename(tl.dir, tl.dir+".old"))
	require.NoError(t, os.Mkdir(tl.dir, 0o700))
	_, err := tl.Append(ctx, logEvent(8))
	require.ErrorIs(t, err, ErrLogFailed)
	ents, err := os.ReadDir(tl.dir)
	require.NoError(t, err)
	assert.Empty(t, ents, "nothing written into the new directory")
	require.ErrorIs(t, tl.Close(), ErrLogFailed)

	idle := openLogFixture(t, Options{Logger: slog.New(slog.DiscardHandler)})
	appendN(t, idle.Log, 0, 3)
	_, err = idle.Checkpoint(ctx)
	require.NoError(t, err)
	require.NoError(t, os.RemoveAll(idle.dir))
	require.ErrorIs(t, idle.Close(), ErrLogFailed)
}
