package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Options configure [Open] and [Verify]. The zero value of every field but
// Signer (for Open) and Verifier (for Verify) is a sound default.
type Options struct {
	// Signer signs checkpoints; Open requires it. Use an Ed25519 key from
	// [note.GenerateKey] and keep it away from the log's storage: whoever
	// holds it can sign a rewritten history.
	Signer note.Signer

	// Verifier checks checkpoint signatures; Verify requires it. If it is
	// set, Open requires the newest stored checkpoint, and every one in
	// Checkpoints, to carry its signature, which catches a directory or
	// database swapped for another log.
	Verifier note.Verifier

	// Checkpoints are signed checkpoints of this log kept outside its
	// storage (by an auditor, a witness, or the host). Open and Verify
	// require the log to contain the tree of each of them, which catches a
	// log truncated together with its newest stored checkpoints, and a
	// fork. They need Verifier.
	Checkpoints [][]byte

	// Origin is the first line of every checkpoint, the log's unique name,
	// e.g. "audit.example.com/access". It defaults to Signer.Name().
	Origin string

	// Logger receives what the host's operators must hear about: a
	// repair Open made after a crash, and the failure that stops a Log
	// (a failed fsync, a full disk, its directory removed or replaced).
	// Nil means [slog.Default]. Messages carry no event data.
	Logger *slog.Logger

	// SegmentEntries is the number of entries per segment file of a
	// directory log; zero means 65536. Changing it for an existing
	// directory is harmless.
	SegmentEntries int64

	// MaxBatch bounds the entries one group commit writes; zero means 1024.
	MaxBatch int
}

// Backend is where a log is kept: a directory ([Dir]) or a PostgreSQL
// database ([DB]). Both give the same tree, proofs, checkpoints and
// guarantees. The zero Backend is invalid.
type Backend struct {
	dir string
	db  *sql.DB
}

// Dir is the log kept in the directory at path, created by Open if needed.
func Dir(path string) Backend { return Backend{dir: path} }

// DB is the log kept in three tables of the PostgreSQL database db (see
// [Open] for the privileges it needs).
func DB(db *sql.DB) Backend { return Backend{db: db} }

func (b Backend) check() error {
	if (b.dir == "") == (b.db == nil) {
		return fmt.Errorf("%w: no backend (use audit.Dir or audit.DB)", ErrInvalidOptions)
	}
	return nil
}

// A Receipt acknowledges a durable Append.
type Receipt struct {
	Index int64     // position of the entry in the log
	Hash  tlog.Hash // its RFC 6962 leaf hash, tlog.RecordHash of the encoded event
}

// Log is an append-only, tamper-evident log of access events: every Event
// is a leaf of an RFC 6962 Merkle tree, and Checkpoint signs the tree head
// as a C2SP tlog-checkpoint note. A Log is safe for concurrent use;
// concurrent Appends share one sync (group commit).
type Log struct {
	store    store
	signer   note.Signer
	origin   string
	maxBatch int
	logger   *slog.Logger

	mu        sync.Mutex
	cond      *sync.Cond // signals the committer
	queue     []*appendReq
	tree      *frontier // durable entries
	failed    error     // sticky write failure
	closed    bool
	committed chan struct{} // closed when the committer has exited

	cpMu sync.Mutex // serialises Checkpoint
	last *signedHead

	// wmu serialises the writes of the committer and of Checkpoint: a
	// store is not safe for concurrent writes (the PostgreSQL store would
	// otherwise run a checkpoint INSERT inside an open append transaction).
	wmu sync.Mutex
}

type signedHead struct {
	head   TreeHead
	signed []byte
	pos    int // its position among the stored checkpoints, 0 = oldest
}

type appendReq struct {
	data  []byte
	index int64
	hash  tlog.Hash
	done  chan error
}

// Open opens the log kept in b for appending, creating it if it does not
// exist. One Log at a time may write a backend: a directory is held with
// flock(2) and a database with a session advisory lock until Close, and
// Open returns ErrLocked while another Log holds it.
//
// After a crash Open repairs what the interrupted append left (a torn tail
// of a directory log, never an acknowledged entry) and reports the repair
// to Options.Logger. It returns a [*TamperError], changing nothing, for
// stored entries that are damaged, contradict the newest stored checkpoint
// or one of Options.Checkpoints, and an error wrapping
// [ErrInvalidCheckpoint] for one of Options.Checkpoints that is not a
// checkpoint of this log.
//
// In a database, Open creates the log's three tables only if one is
// missing, which needs CREATE on the schema; once they exist the
// application's role needs only INSERT and SELECT on them, and should be
// given nothing that could update or delete a row.
func Open(ctx context.Context, b Backend, opts Options) (*Log, error) {
	return open(ctx, b, opts, osFS{})
}

// open is Open with the file system a directory log is kept through (tests
// pass one that injects faults).
func open(ctx context.Context, b Backend, opts Options, fsys fileSystem) (*Log, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	var s store
	var err error
	if b.db != nil {
		s, err = openPGStore(ctx, b.db)
	} else {
		s, err = openFileStore(b.dir, fsys, opts.SegmentEntries)
	}
	if err != nil {
		return nil, err
	}
	l, err := newLog(ctx, s, opts)
	if err != nil {
		s.close()
		return nil, err
	}
	return l, nil
}

func checkOptions(opts *Options) error {
	if opts.Signer == nil {
		return fmt.Errorf("%w: Options.Signer is required", ErrInvalidOptions)
	}
	if opts.Origin == "" {
		opts.Origin = opts.Signer.Name()
	}
	if err := checkOrigin(opts.Origin); err != nil {
		return fmt.Errorf("%w: Options.Origin: %w", ErrInvalidOptions, err)
	}
	if len(opts.Checkpoints) > 0 && opts.Verifier == nil {
		return fmt.Errorf("%w: Options.Checkpoints need Options.Verifier", ErrInvalidOptions)
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 1024
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return nil
}

func newLog(ctx context.Context, s store, opts Options) (*Log, error) {
	l := &Log{
		store:     s,
		signer:    opts.Signer,
		origin:    opts.Origin,
		maxBatch:  opts.MaxBatch,
		logger:    opts.Logger,
		committed: make(chan struct{}),
	}
	l.cond = sync.NewCond(&l.mu)
	n := s.size()
	tree, err := loadFrontier(n, l.hashReader(ctx))
	if err != nil {
		return nil, err
	}
	l.tree = tree
	cps, err := s.checkpoints(ctx)
	if err != nil {
		return nil, err
	}
	if len(cps) > 0 {
		last := len(cps) - 1
		head, err := readCheckpoint(cps[last], opts.Verifier)
		if err != nil {
			return nil, checkpointTampered(last, err.Error())
		}
		if head.Origin != l.origin {
			return nil, fmt.Errorf("%w: the log's origin is %q, not %q (Options.Origin or the Signer's name)", ErrInvalidOptions, head.Origin, l.origin)
		}
		if err := l.checkContains(ctx, head, last, "the newest stored checkpoint"); err != nil {
			return nil, err
		}
		l.last = &signedHead{head: head, signed: cps[last], pos: last}
	}
	// Kept checkpoints: a *TamperError about kept[j] has Checkpoint
	// len(cps)+j, as Verify's.
	kept, err := openKept(opts.Checkpoints, opts.Verifier, l.origin)
	if err != nil {
		return nil, err
	}
	for j, head := range kept {
		if err := l.checkContains(ctx, head, len(cps)+j, "a kept checkpoint"); err != nil {
			return nil, err
		}
	}
	if rec := s.recovery(); rec.repaired() {
		l.logger.LogAttrs(ctx, slog.LevelWarn, "audit: log repaired after a crash",
			slog.Int64("truncated_bytes", rec.TruncatedBytes),
			slog.Int("dropped_segments", rec.DroppedSegments),
			slog.Int64("rehashed_entries", rec.Rehashed),
			slog.Bool("torn_checkpoint", rec.CheckpointsTrunc))
	}
	go l.commit()
	return l, nil
}

// checkContains returns a *TamperError, with Checkpoint pos, unless the
// log's tree contains the tree of head, the checkpoint described by what.
func (l *Log) checkContains(ctx context.Context, head TreeHead, pos int, what string) error {
	if head.Size > l.tree.n {
		return &TamperError{Index: l.tree.n, Checkpoint: pos, Reason: "entries missing below " + what}
	}
	root, err := l.treeHash(ctx, head.Size)
	if err != nil {
		return err
	}
	if root != head.Hash {
		return &TamperError{Index: 0, Checkpoint: pos, Reason: "entries do not match " + what + ": the log was rewritten or forked"}
	}
	return nil
}

// readCheckpoint parses a stored checkpoint, verifying its signature if v
// is not nil.
func readCheckpoint(signed []byte, v note.Verifier) (TreeHead, error) {
	if v != nil {
		return OpenCheckpoint(signed, v)
	}
	_, err := note.Open(signed, note.VerifierList())
	var unverified *note.UnverifiedNoteError
	if !errors.As(err, &unverified) {
		return TreeHead{}, fmt.Errorf("%w: not a signed note", ErrInvalidCheckpoint)
	}
	return parseCheckpoint([]byte(unverified.Note.Text))
}

func (l *Log) hashReader(ctx context.Context) tlog.HashReader {
	return tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) { return l.store.readHashes(ctx, idx) })
}

func (l *Log) treeHash(ctx context.Context, n int64) (tlog.Hash, error) {
	if n == 0 {
		return emptyTreeHash, nil
	}
	return tlog.TreeHash(n, l.hashReader(ctx))
}

// Size returns the number of durable entries.
func (l *Log) Size() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tree.n
}

// Append encodes e, adds it to the log and returns once it is durable: in
// a directory, written with the other Appends waiting at the time and
// fdatasynced once for all of them, and the directory and files found
// still in place; in a database, committed in one transaction with them.
// If ctx ends first, Append returns an error wrapping ctx.Err() and the
// event may or may not be in the log. An error means the access the event
// records must not happen. After a failed sync, or with the directory or a
// file of the log removed or replaced, Append returns an error wrapping
// [ErrLogFailed] until the log is reopened; a full disk fails only the
// appends it hits.
func (l *Log) Append(ctx context.Context, e Event) (Receipt, error) {
	if err := ctx.Err(); err != nil {
		return Receipt{}, err
	}
	data, err := e.MarshalBinary()
	if err != nil {
		return Receipt{}, err
	}
	return l.appendData(ctx, data)
}

func (l *Log) appendData(ctx context.Context, data []byte) (Receipt, error) {
	if len(data) > maxEntrySize {
		return Receipt{}, fmt.Errorf("audit: entry of %d bytes exceeds %d", len(data), maxEntrySize)
	}
	req := &appendReq{data: data, done: make(chan error, 1)}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return Receipt{}, ErrClosed
	}
	if l.failed != nil {
		l.mu.Unlock()
		return Receipt{}, l.failed
	}
	l.queue = append(l.queue, req)
	l.cond.Signal()
	l.mu.Unlock()
	select {
	case err := <-req.done:
		if err != nil {
			return Receipt{}, err
		}
		return Receipt{Index: req.index, Hash: req.hash}, nil
	case <-ctx.Done():
		return Receipt{}, fmt.Errorf("audit: append outcome unknown: %w", ctx.Err())
	}
}

// commit is the group-commit loop: it takes everything queued (up to
// maxBatch), hashes it, hands it to the store as one batch (one write per
// file and one sync, or one transaction), and acknowledges each request.
//
// Before it takes a batch it gathers: the writers its last batch released
// are typically about to queue again, and taking the queue the moment the
// first of them arrives would split them over two batches, each paying
// the full price of the store's syncs (the split then perpetuates itself,
// half the writers queueing while the other half commits). So while fewer
// requests are queued than were active during the last commit (its batch
// and those that queued meanwhile), it yields the processor to them, for
// at most a quarter of the last commit's duration (capped at maxGather):
// a bounded delay that costs a lone writer nothing (it is all the
// writers there are) and under load makes one batch of all of them.
func (l *Log) commit() {
	defer close(l.committed)
	l.mu.Lock()
	defer l.mu.Unlock()
	var writers int            // requests in the last batch and queued while it committed
	var lastTook time.Duration // how long the store took to commit it
	for {
		for len(l.queue) == 0 && !l.closed {
			l.cond.Wait()
		}
		if len(l.queue) == 0 {
			return
		}
		if want := min(writers, l.maxBatch); len(l.queue) < want {
			deadline := time.Now().Add(min(lastTook/4, maxGather))
			for len(l.queue) < want && !l.closed && time.Now().Before(deadline) {
				l.mu.Unlock()
				runtime.Gosched()
				l.mu.Lock()
			}
		}
		batch := l.queue[:min(len(l.queue), l.maxBatch)]
		l.queue = append([]*appendReq(nil), l.queue[len(batch):]...)
		if l.failed != nil {
			for _, r := range batch {
				r.done <- l.failed
			}
			continue
		}
		tree := l.tree.clone()
		first := tree.n
		l.mu.Unlock()

		entries := make([][]byte, len(batch))
		var hashes []tlog.Hash
		for i, r := range batch {
			entries[i] = r.data
			r.index = first + int64(i)
			r.hash = tlog.RecordHash(r.data)
			hashes = append(hashes, tree.add(r.hash)...)
		}
		// A batch serves many callers: one caller's cancellation must not
		// fail the others' writes.
		start := time.Now()
		l.wmu.Lock()
		err := l.store.append(context.Background(), first, entries, hashes)
		l.wmu.Unlock()
		lastTook = time.Since(start)

		l.mu.Lock()
		writers = len(batch) + len(l.queue)
		if err == nil {
			l.tree = tree
		} else if errors.Is(err, ErrLogFailed) && l.failed == nil {
			l.failed = err
			l.logger.LogAttrs(context.Background(), slog.LevelError, "audit: log failed: appends are refused until it is reopened", slog.Any("err", err))
		}
		for _, r := range batch {
			r.done <- err
		}
	}
}

// maxGather bounds how long the committer waits for writers to queue.
const maxGather = time.Millisecond

// Checkpoint signs and returns a checkpoint for the current tree: a C2SP
// tlog-checkpoint note (origin, size, base64 root hash) signed by
// Options.Signer. It first checks, with a consistency proof computed from
// the stored hashes, that the tree extends the tree of the last checkpoint
// the log signed; otherwise the storage changed under the open log, and it
// signs nothing and returns a [*TamperError] whose Checkpoint is that last
// checkpoint. It never signs a fork or a rollback. If the tree has not
// grown, it returns the last checkpoint again. Every new checkpoint is
// stored durably before it is returned.
func (l *Log) Checkpoint(ctx context.Context) ([]byte, error) {
	l.cpMu.Lock()
	defer l.cpMu.Unlock()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, ErrClosed
	}
	head := TreeHead{Origin: l.origin, Size: l.tree.n, Hash: l.tree.root()}
	l.mu.Unlock()
	return l.checkpoint(ctx, head)
}

func (l *Log) checkpoint(ctx context.Context, head TreeHead) ([]byte, error) {
	if l.last != nil {
		if err := l.checkExtends(ctx, head); err != nil {
			return nil, err
		}
		if head.Size == l.last.head.Size {
			return append([]byte(nil), l.last.signed...), nil
		}
	}
	text, err := formatCheckpoint(head)
	if err != nil {
		return nil, err
	}
	signed, err := note.Sign(&note.Note{Text: string(text)}, l.signer)
	if err != nil {
		return nil, fmt.Errorf("audit: sign checkpoint: %w", err)
	}
	l.wmu.Lock()
	err = l.store.addCheckpoint(ctx, head.Size, signed)
	l.wmu.Unlock()
	if err != nil {
		return nil, err
	}
	pos := 0
	if l.last != nil {
		pos = l.last.pos + 1
	}
	l.last = &signedHead{head: head, signed: signed, pos: pos}
	return append([]byte(nil), signed...), nil
}

// checkExtends returns a *TamperError unless the tree cur contains the
// tree of the last signed checkpoint as a prefix, proven from the stored
// hashes. The fault lies somewhere in the first cur.Size entries, their
// stored hashes or the log's memory of them, so Index is 0, as for Open's
// check of the newest checkpoint.
func (l *Log) checkExtends(ctx context.Context, cur TreeHead) error {
	old := l.last.head
	inconsistent := func(why string) error {
		return &TamperError{Index: 0, Checkpoint: l.last.pos, Reason: why}
	}
	switch {
	case cur.Size < old.Size:
		return &TamperError{Index: cur.Size, Checkpoint: l.last.pos, Reason: "tree smaller than the last signed checkpoint"}
	case cur.Size == old.Size:
		if cur.Hash != old.Hash {
			return inconsistent("tree differs from the last signed checkpoint")
		}
		return nil
	case old.Size == 0:
		if old.Hash != emptyTreeHash {
			return inconsistent("last signed checkpoint has a bad empty tree hash")
		}
		return nil
	}
	proof, err := tlog.ProveTree(cur.Size, old.Size, l.hashReader(ctx))
	if err != nil {
		return err
	}
	if err := tlog.CheckTree(proof, cur.Size, cur.Hash, old.Size, old.Hash); err != nil {
		return inconsistent("tree does not extend the last signed checkpoint")
	}
	return nil
}

// InclusionProof returns the RFC 6962 proof that entry index is in the tree
// of the first treeSize entries. Check it with [tlog.CheckRecord] against
// the root hash of a checkpoint of that size and tlog.RecordHash of the
// encoded event (Receipt.Hash).
func (l *Log) InclusionProof(ctx context.Context, index, treeSize int64) (tlog.RecordProof, error) {
	if err := l.checkRange(index, treeSize); err != nil {
		return nil, err
	}
	if index == treeSize {
		return nil, ErrRange
	}
	return tlog.ProveRecord(treeSize, index, l.hashReader(ctx))
}

// ConsistencyProof returns the RFC 6962 proof that the tree of the first
// newSize entries extends the tree of the first oldSize entries. Check it
// with [tlog.CheckTree] against the root hashes of two checkpoints.
func (l *Log) ConsistencyProof(ctx context.Context, oldSize, newSize int64) (tlog.TreeProof, error) {
	if err := l.checkRange(oldSize, newSize); err != nil {
		return nil, err
	}
	if oldSize == 0 {
		return nil, ErrRange
	}
	return tlog.ProveTree(newSize, oldSize, l.hashReader(ctx))
}

// checkRange requires 0 <= lo <= hi <= size of an open log.
func (l *Log) checkRange(lo, hi int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	if lo < 0 || lo > hi || hi > l.tree.n {
		return ErrRange
	}
	return nil
}

// Close waits for queued Appends, signs a final checkpoint if the tree grew
// since the last one (so that every entry is covered by a signature), and
// releases the storage. Appends after Close return ErrClosed. If the log
// failed (see [ErrLogFailed]), Close returns that failure again and signs
// nothing.
func (l *Log) Close() error {
	l.cpMu.Lock()
	defer l.cpMu.Unlock()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
	<-l.committed

	var err error
	l.mu.Lock()
	head := TreeHead{Origin: l.origin, Size: l.tree.n, Hash: l.tree.root()}
	failed := l.failed
	l.mu.Unlock()
	if failed == nil && (l.last == nil && head.Size > 0 || l.last != nil && head.Size > l.last.head.Size) {
		_, err = l.checkpoint(context.Background(), head)
	}
	return errors.Join(failed, err, l.store.close())
}
