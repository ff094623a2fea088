package audit

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "audit.example.com/access"

// testKeys returns a fresh Ed25519 note signer and verifier.
func testKeys(t testing.TB) (note.Signer, note.Verifier) {
	t.Helper()
	_, s, v := testKeyPair(t)
	return s, v
}

// testKeyPair is testKeys, also returning the encoded signer key.
func testKeyPair(t testing.TB) (string, note.Signer, note.Verifier) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, testOrigin)
	require.NoError(t, err)
	s, err := note.NewSigner(skey)
	require.NoError(t, err)
	v, err := note.NewVerifier(vkey)
	require.NoError(t, err)
	return skey, s, v
}

// logEvent returns a valid event distinguishable by i.
func logEvent(i int) Event {
	return Event{
		Time:          time.Date(2026, 11, 26, 12, 0, 0, i, time.UTC),
		Actor:         Actor{ID: fmt.Sprintf("emp-%d", i%7), Role: "support"},
		Action:        ActionRead,
		Resource:      "users/profile",
		Purpose:       "support.ticket",
		Outcome:       OutcomeAllowed,
		Reason:        "ticket",
		CorrelationID: fmt.Sprintf("req-%d", i),
	}
}

func encoded(t testing.TB, e Event) []byte {
	t.Helper()
	b, err := e.MarshalBinary()
	require.NoError(t, err)
	return b
}

type logFixture struct {
	*Log
	dir string
	s   note.Signer
	v   note.Verifier
}

func openLogFixture(t testing.TB, opts Options) *logFixture {
	t.Helper()
	return openLogFixtureFS(t, opts, osFS{})
}

// openLogFixtureFS is openLogFixture with the log's files kept through fsys.
func openLogFixtureFS(t testing.TB, opts Options, fsys fileSystem) *logFixture {
	t.Helper()
	s, v := testKeys(t)
	dir := t.TempDir()
	opts.Signer, opts.Verifier = s, v
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler) // tests that read the log pass their own
	}
	l, err := open(context.Background(), Dir(dir), opts, fsys)
	require.NoError(t, err)
	return &logFixture{Log: l, dir: dir, s: s, v: v}
}

func (tl *logFixture) reopen(t testing.TB, opts Options) {
	t.Helper()
	opts.Signer, opts.Verifier = tl.s, tl.v
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	l, err := Open(context.Background(), Dir(tl.dir), opts)
	require.NoError(t, err)
	tl.Log = l
}

func appendN(t testing.TB, l *Log, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		r, err := l.Append(context.Background(), logEvent(i))
		require.NoError(t, err)
		require.Equal(t, int64(i), r.Index)
	}
}

func TestLogAppendProveVerify(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{SegmentEntries: 5})
	var receipts []Receipt
	for i := range 23 {
		r, err := tl.Append(ctx, logEvent(i))
		require.NoError(t, err)
		assert.Equal(t, int64(i), r.Index)
		assert.Equal(t, tlog.RecordHash(encoded(t, logEvent(i))), r.Hash)
		receipts = append(receipts, r)
	}
	assert.Equal(t, int64(23), tl.Size())

	cp1, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	head1, err := OpenCheckpoint(cp1, tl.v)
	require.NoError(t, err)
	assert.Equal(t, TreeHead{Origin: testOrigin, Size: 23, Hash: head1.Hash}, head1)

	// The root is the RFC 6962 hash of the encoded events.
	var stored memHashes
	for i := range 23 {
		h, err := tlog.StoredHashes(int64(i), encoded(t, logEvent(i)), stored)
		require.NoError(t, err)
		stored = append(stored, h...)
	}
	want, err := tlog.TreeHash(23, stored)
	require.NoError(t, err)
	assert.Equal(t, want, head1.Hash)

	for _, r := range receipts {
		for _, size := range []int64{r.Index + 1, 23} {
			p, err := tl.InclusionProof(ctx, r.Index, size)
			require.NoError(t, err)
			th, err := tlog.TreeHash(size, stored)
			require.NoError(t, err)
			require.NoError(t, tlog.CheckRecord(p, size, th, r.Index, r.Hash))
		}
	}

	// Unchanged tree: the same checkpoint.
	again, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	assert.Equal(t, cp1, again)

	appendN(t, tl.Log, 23, 10)
	cp2, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	head2, err := OpenCheckpoint(cp2, tl.v)
	require.NoError(t, err)
	p, err := tl.ConsistencyProof(ctx, 23, 33)
	require.NoError(t, err)
	require.NoError(t, checkConsistency(p, head1.Size, head1.Hash, head2.Size, head2.Hash))

	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))

	// Reopen and continue; the proofs stay valid.
	tl.reopen(t, Options{SegmentEntries: 5})
	assert.False(t, tl.store.recovery().repaired())
	assert.Equal(t, int64(33), tl.Size())
	appendN(t, tl.Log, 33, 4)
	rp, err := tl.InclusionProof(ctx, 3, 23)
	require.NoError(t, err)
	require.NoError(t, tlog.CheckRecord(rp, 23, head1.Hash, 3, receipts[3].Hash))
	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
}

func TestLogRangeErrors(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{})
	appendN(t, tl.Log, 0, 3)
	for _, c := range [][2]int64{{-1, 3}, {3, 3}, {0, 4}, {2, 1}} {
		_, err := tl.InclusionProof(ctx, c[0], c[1])
		assert.ErrorIs(t, err, ErrRange, "inclusion %v", c)
	}
	for _, c := range [][2]int64{{0, 3}, {2, 4}, {3, 2}, {-1, 2}} {
		_, err := tl.ConsistencyProof(ctx, c[0], c[1])
		assert.ErrorIs(t, err, ErrRange, "consistency %v", c)
	}
	require.NoError(t, tl.Close())
	_, err := tl.Append(ctx, logEvent(9))
	assert.ErrorIs(t, err, ErrClosed)
	_, err = tl.Checkpoint(ctx)
	assert.ErrorIs(t, err, ErrClosed)
	_, err = tl.InclusionProof(ctx, 0, 1)
	assert.ErrorIs(t, err, ErrClosed)
	assert.ErrorIs(t, tl.Close(), ErrClosed)
}

func TestLogRejects(t *testing.T) {
	s, _ := testKeys(t)
	_, err := Open(context.Background(), Dir(t.TempDir()), Options{})
	assert.ErrorIs(t, err, ErrInvalidOptions, "no signer")
	_, err = Open(context.Background(), Dir(t.TempDir()), Options{Signer: s, Origin: "two\nlines"})
	assert.ErrorIs(t, err, ErrInvalidOptions)
	assert.NotErrorIs(t, err, ErrInvalidCheckpoint, "an option, not a checkpoint")

	tl := openLogFixture(t, Options{})
	_, err = tl.Append(context.Background(), Event{})
	assert.ErrorIs(t, err, ErrInvalidEvent)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = tl.Append(ctx, logEvent(1))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int64(0), tl.Size())

	// One writer per directory.
	_, err = Open(context.Background(), Dir(tl.dir), Options{Signer: tl.s})
	assert.ErrorIs(t, err, ErrLocked)
	require.NoError(t, tl.Close())

	// A different origin, or a verifier of another key, is refused.
	tl.reopen(t, Options{})
	appendN(t, tl.Log, 0, 1)
	require.NoError(t, tl.Close())
	_, err = Open(context.Background(), Dir(tl.dir), Options{Signer: tl.s, Origin: "other.example/log"})
	assert.ErrorIs(t, err, ErrInvalidOptions)
	_, otherV := testKeys(t)
	_, err = Open(context.Background(), Dir(tl.dir), Options{Signer: tl.s, Verifier: otherV})
	assert.ErrorIs(t, err, ErrTampered)
}

// TestKeptCheckpointRefused: a checkpoint handed in by the caller that is
// not one of this log's is ErrInvalidCheckpoint, from Open, Verify and
// OpenCheckpoint alike, and never a *TamperError (the log is not at fault).
func TestKeptCheckpointRefused(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{})
	appendN(t, tl.Log, 0, 3)
	good, err := tl.Checkpoint(ctx)
	require.NoError(t, err)
	require.NoError(t, tl.Close())

	head, err := OpenCheckpoint(good, tl.v)
	require.NoError(t, err)
	text, err := formatCheckpoint(head)
	require.NoError(t, err)
	otherS, _ := testKeys(t) // same name, another key
	byOther, err := note.Sign(&note.Note{Text: string(text)}, otherS)
	require.NoError(t, err)
	head.Origin = "other.example/log" // signed by this log's key, for another log
	text, err = formatCheckpoint(head)
	require.NoError(t, err)
	otherOrigin, err := note.Sign(&note.Note{Text: string(text)}, tl.s)
	require.NoError(t, err)
	unsigned := good[:bytes.Index(good, []byte("\n\n"))+2]
	for name, cp := range map[string][]byte{
		"signed by another key": byOther,
		"another origin":        otherOrigin,
		"no signature":          unsigned,
		"not a note":            []byte("audit.example.com/access\n3\n"),
		"truncated":             good[:len(good)-10],
	} {
		t.Run(name, func(t *testing.T) {
			if name != "another origin" {
				_, err := OpenCheckpoint(cp, tl.v)
				assert.ErrorIs(t, err, ErrInvalidCheckpoint)
			}
			_, err := Open(ctx, Dir(tl.dir), Options{Signer: tl.s, Verifier: tl.v, Checkpoints: [][]byte{cp}})
			assert.ErrorIs(t, err, ErrInvalidCheckpoint)
			assert.NotErrorIs(t, err, ErrTampered)
			err = Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v, Checkpoints: [][]byte{cp}})
			assert.ErrorIs(t, err, ErrInvalidCheckpoint)
			assert.NotErrorIs(t, err, ErrTampered)
		})
	}
	// OpenCheckpoint checks the signature and form, not the origin.
	_, err = OpenCheckpoint(otherOrigin, tl.v)
	require.NoError(t, err)

	// With no stored checkpoint to name the origin, the kept ones must
	// agree among themselves.
	bare := copyDir(t, tl.dir)
	require.NoError(t, os.Remove(filepath.Join(bare, checkpointFileName)))
	require.NoError(t, Verify(ctx, Dir(bare), Options{Verifier: tl.v, Checkpoints: [][]byte{good}}))
	err = Verify(ctx, Dir(bare), Options{Verifier: tl.v, Checkpoints: [][]byte{good, otherOrigin}})
	assert.ErrorIs(t, err, ErrInvalidCheckpoint)
}

func TestLogConcurrentAppends(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{SegmentEntries: 64, MaxBatch: 16})
	const writers, each = 8, 40
	seen := make([]bool, writers*each)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				r, err := tl.Append(ctx, logEvent(w*each+i))
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				assert.False(t, seen[r.Index])
				seen[r.Index] = true
				mu.Unlock()
			}
		})
	}
	// Checkpoints and proofs race with the appends.
	wg.Go(func() {
		for range 20 {
			cp, err := tl.Checkpoint(ctx)
			if !assert.NoError(t, err) {
				return
			}
			h, err := OpenCheckpoint(cp, tl.v)
			assert.NoError(t, err)
			if h.Size > 1 {
				_, err := tl.InclusionProof(ctx, h.Size/2, h.Size)
				assert.NoError(t, err)
			}
		}
	})
	wg.Wait()
	assert.Equal(t, int64(writers*each), tl.Size())
	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
}

// TestCheckpointRefusesInconsistentTree rewrites a stored hash under an
// open log's feet, then its in-memory tree: the log must not sign a tree
// that does not extend the one it signed before, and must name that
// checkpoint, counted across a reopen.
func TestCheckpointRefusesInconsistentTree(t *testing.T) {
	ctx := context.Background()
	tl := openLogFixture(t, Options{})
	appendN(t, tl.Log, 0, 4)
	_, err := tl.Checkpoint(ctx) // checkpoint 0
	require.NoError(t, err)
	require.NoError(t, tl.Close()) // checkpoint 0 again: the tree has not grown
	tl.reopen(t, Options{})
	appendN(t, tl.Log, 4, 4)
	_, err = tl.Checkpoint(ctx) // checkpoint 1, of 8 entries
	require.NoError(t, err)
	appendN(t, tl.Log, 8, 3)

	// Forge on disk: the stored hash of entries 8 and 9, which the
	// consistency proof from 8 to 11 is built from.
	hashes := filepath.Join(tl.dir, hashFileName)
	off := int64(hashHeaderSize) + tlog.StoredHashIndex(1, 4)*tlog.HashSize
	flip(t, hashes, off)
	_, err = tl.Checkpoint(ctx)
	requireTamper(t, err, 0, 1)
	flip(t, hashes, off)

	// Forge in memory: the tree no longer matches what was signed.
	tl.mu.Lock()
	tl.tree.nodes[0].hash[0] ^= 1
	tl.mu.Unlock()
	_, err = tl.Checkpoint(ctx)
	requireTamper(t, err, 0, 1)
	tl.mu.Lock()
	tl.tree.nodes[0].hash[0] ^= 1
	tl.mu.Unlock()

	// A smaller tree, or another tree of the same size, is refused outright.
	requireTamper(t, tl.checkExtends(ctx, TreeHead{Origin: testOrigin, Size: 7}), 7, 1)
	requireTamper(t, tl.checkExtends(ctx, TreeHead{Origin: testOrigin, Size: 8}), 0, 1)

	// Undamaged, it signs checkpoint 2, and names it after that.
	_, err = tl.Checkpoint(ctx)
	require.NoError(t, err)
	requireTamper(t, tl.checkExtends(ctx, TreeHead{Origin: testOrigin, Size: 8}), 8, 2)
	require.NoError(t, tl.Close())
	require.NoError(t, Verify(ctx, Dir(tl.dir), Options{Verifier: tl.v}))
	assert.Len(t, readCheckpointFrames(t, tl.dir), 3)
}

func TestOpenRefusesLogBehindItsCheckpoint(t *testing.T) {
	tl := openLogFixture(t, Options{})
	appendN(t, tl.Log, 0, 5)
	require.NoError(t, tl.Close()) // signs a checkpoint of 5
	// Truncate entries and hashes consistently to 3 entries.
	truncateLog(t, tl.dir, 3)
	_, err := Open(context.Background(), Dir(tl.dir), Options{Signer: tl.s})
	var te *TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, int64(3), te.Index)
}

// truncateLog cuts the entries and stored hashes of a closed log to n
// entries, as a careful attacker would.
func truncateLog(t testing.TB, dir string, n int64) {
	t.Helper()
	segs, err := listSegments(dir)
	require.NoError(t, err)
	for _, seg := range segs {
		path := filepath.Join(dir, seg.name)
		if seg.first >= n && seg.first > 0 {
			require.NoError(t, os.Remove(path))
			continue
		}
		frames := readAllFrames(t, path, segmentHeaderSize)
		if keep := n - seg.first; keep < int64(len(frames)) {
			require.NoError(t, os.Truncate(path, frames[keep].off))
		}
	}
	require.NoError(t, os.Truncate(filepath.Join(dir, hashFileName), int64(hashHeaderSize)+tlog.StoredHashCount(n)*tlog.HashSize))
}

type frameAt struct {
	off, end int64
}

func readAllFrames(t testing.TB, path string, start int64) []frameAt {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	_, err = f.Seek(start, 0)
	require.NoError(t, err)
	var out []frameAt
	_, damaged, err := readFrames(f, start, maxEntrySize, func(off int64, data []byte) error {
		out = append(out, frameAt{off, off + int64(len(data)) + frameOverhead})
		return nil
	})
	require.NoError(t, err)
	require.False(t, damaged)
	return out
}

func TestErrorsCarryNoEventData(t *testing.T) {
	e := &TamperError{Index: 4, Checkpoint: -1, Reason: "entry damaged"}
	assert.Equal(t, "audit: log tampered at entry 4: entry damaged", e.Error())
	assert.True(t, errors.Is(e, ErrTampered))
	e = &TamperError{Index: -1, Checkpoint: 2, Reason: "x"}
	assert.Equal(t, "audit: log tampered at checkpoint 2: x", e.Error())

	// A denial's message is its code alone, whatever failure is behind it.
	d := &DeniedError{Code: DenyDirectoryError, cause: errors.New("hr: no row for alice@example.com")}
	assert.Equal(t, "audit: access denied: directory_error", d.Error())
	assert.ErrorIs(t, d, ErrDenied)
}

// exclusiveStore wraps a store and records any overlap between its writes.
type exclusiveStore struct {
	store
	inflight atomic.Int32
	overlaps atomic.Int32
}

func (s *exclusiveStore) enter() func() {
	if s.inflight.Add(1) > 1 {
		s.overlaps.Add(1)
	}
	time.Sleep(100 * time.Microsecond) // widen the window an overlap needs
	return func() { s.inflight.Add(-1) }
}

func (s *exclusiveStore) append(ctx context.Context, first int64, entries [][]byte, hashes []tlog.Hash) error {
	defer s.enter()()
	return s.store.append(ctx, first, entries, hashes)
}

func (s *exclusiveStore) addCheckpoint(ctx context.Context, size int64, signed []byte) error {
	defer s.enter()()
	return s.store.addCheckpoint(ctx, size, signed)
}

// TestStoreWritesSerialised: a store is not safe for concurrent writes (the
// PostgreSQL one shares one connection between the append transaction and
// the checkpoint INSERT), so the Log never overlaps a group commit with a
// checkpoint write.
func TestStoreWritesSerialised(t *testing.T) {
	ctx := context.Background()
	sgn, v := testKeys(t)
	fs, err := openFileStore(t.TempDir(), nil, 0)
	require.NoError(t, err)
	st := &exclusiveStore{store: fs}
	opts := Options{Signer: sgn, Verifier: v}
	require.NoError(t, checkOptions(&opts))
	l, err := newLog(ctx, st, opts)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				_, err := l.Append(ctx, logEvent(w*25+i))
				assert.NoError(t, err)
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			_, err := l.Checkpoint(ctx)
			assert.NoError(t, err)
		}
	})
	wg.Wait()
	require.NoError(t, l.Close())
	assert.Zero(t, st.overlaps.Load(), "store writes overlapped")
}

// TestVerifyWhileAppending: Verify may run while a Log appends and
// checkpoints (Verify's doc); a log being written is never reported as
// tampered. TestPGVerifyWhileAppending runs it on PostgreSQL.
func TestVerifyWhileAppending(t *testing.T) {
	tl := openLogFixture(t, Options{SegmentEntries: 16, MaxBatch: 8})
	verifyWhileAppending(t, tl.Log, Dir(tl.dir), tl.v)
}

func verifyWhileAppending(t *testing.T, l *Log, b Backend, v note.Verifier) {
	ctx := context.Background()
	appendN(t, l, 0, 3)
	_, err := l.Checkpoint(ctx)
	require.NoError(t, err)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 60 {
				_, err := l.Append(ctx, logEvent(100+w*60+i))
				assert.NoError(t, err)
				if w == 0 && i%20 == 19 {
					_, err := l.Checkpoint(ctx)
					assert.NoError(t, err)
				}
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	verified := 0
	for running := true; running; verified++ {
		select {
		case <-done:
			running = false
		default:
		}
		require.NoError(t, Verify(ctx, b, Options{Verifier: v}), "verification %d", verified)
	}
	require.NoError(t, l.Close())
	require.NoError(t, Verify(ctx, b, Options{Verifier: v}))
	t.Logf("%d verifications while appending", verified)
}
