package audit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Verify re-reads the log kept in b, as an auditor would, without
// modifying it, locking it or trusting anything the writer computed:
//
//   - every stored checkpoint must carry a valid signature by
//     opts.Verifier, have the same origin, and a larger size than the one
//     before it;
//   - every entry must decode as an Event and match its stored leaf hash,
//     and every stored interior hash must match the hash recomputed from
//     the entries;
//   - every segment file of a directory log must be named after the first
//     entry its header records, as Open requires;
//   - the Merkle tree recomputed from the entries must have, at the size of
//     each stored checkpoint and of each of opts.Checkpoints, that
//     checkpoint's root hash, which proves them consistent with each other
//     and with the entries;
//   - no checkpoint may be larger than the log, and a non-empty log must be
//     covered by at least one checkpoint.
//
// It returns nil, a [*TamperError] naming the first bad entry (and
// checkpoint) for any edit, deletion, insertion, reordering, renaming or
// truncation, an error wrapping [ErrInvalidCheckpoint] for one of
// opts.Checkpoints that is not a checkpoint of this log, or another error
// if the log cannot be read. A TamperError about opts.Checkpoints[j] has
// Checkpoint set to j plus the number of stored checkpoints.
//
// Entries appended after the newest stored checkpoint are checked against
// their stored hashes only, where those reached the disk (a directory log
// writes them after the entries and syncs them before each new segment
// file and checkpoint); deleting such entries together with their hashes
// is detectable only against a checkpoint kept outside the log
// (opts.Checkpoints). A directory holding no log at all is an error, not
// tampering, unless a kept checkpoint proves the log had entries. What a
// crash leaves (a torn tail, a log whose creation was interrupted)
// verifies as Open would repair it. Verify may run while a Log appends.
func Verify(ctx context.Context, b Backend, opts Options) error {
	if err := b.check(); err != nil {
		return err
	}
	if opts.Verifier == nil {
		return fmt.Errorf("%w: Options.Verifier is required", ErrInvalidOptions)
	}
	if b.db != nil {
		return verifySource(ctx, &pgSource{db: b.db}, opts.Verifier, opts.Checkpoints)
	}
	src, err := openFileSource(b.dir)
	if errors.Is(err, errNoLogFiles) && len(opts.Checkpoints) > 0 {
		if terr := verifySource(ctx, emptySource{}, opts.Verifier, opts.Checkpoints); errors.Is(terr, ErrTampered) {
			return terr
		}
	}
	if err != nil {
		return err
	}
	defer src.close()
	return verifySource(ctx, src, opts.Verifier, opts.Checkpoints)
}

// hashChunk is how many stored hashes Verify reads at a time.
const hashChunk = 1 << 13

// positioned is a tree head to check, with its position for errors.
type positioned struct {
	TreeHead
	pos int
}

func verifySource(ctx context.Context, src source, v note.Verifier, known [][]byte) error {
	heads, stored, err := verifyCheckpoints(ctx, src, v, known)
	if err != nil {
		return err
	}
	count, err := src.storedHashCount(ctx)
	if err != nil {
		return err
	}
	hashed := recordsCovered(count)
	want := tlog.StoredHashCount(hashed)
	// As Open: stored hashes before the trusted point must match; after
	// it, where a crash can leave them unwritten, a zero one is a gap the
	// next Open fills, and entries without stored hashes are part of the
	// log (see fileStore.openSegments).
	lastSeg, err := src.lastSegment(ctx)
	if err != nil {
		return err
	}
	var cpMax int64
	for _, h := range heads {
		if h.pos < stored {
			cpMax = max(cpMax, h.Size)
		}
	}
	trusted := max(min(hashed, lastSeg), cpMax)

	var buf []tlog.Hash
	var pos int64 // index of the next stored hash to compare
	nextStored := func() (tlog.Hash, error) {
		if len(buf) == 0 {
			if pos >= want {
				return tlog.Hash{}, io.ErrUnexpectedEOF
			}
			var err error
			if buf, err = src.hashRange(ctx, pos, min(pos+hashChunk, want)); err != nil {
				return tlog.Hash{}, err
			}
		}
		h := buf[0]
		buf = buf[1:]
		pos++
		return h, nil
	}

	tree := &frontier{}
	next, covered := 0, int64(0) // next head to check; entries covered by checked ones
	checkHeads := func() error {
		for ; next < len(heads) && heads[next].Size == tree.n; next++ {
			if tree.root() != heads[next].Hash {
				return &TamperError{Index: covered, Checkpoint: heads[next].pos, Reason: "entries do not match the signed checkpoint"}
			}
			covered = tree.n
		}
		return nil
	}
	if err := checkHeads(); err != nil { // a checkpoint of the empty log
		return err
	}
	var e Event
	err = src.scan(ctx, hashed, func(i int64, data []byte) error {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for k, h := range tree.add(tlog.RecordHash(data)) {
			if i >= hashed {
				break // no stored hashes yet
			}
			stored, err := nextStored()
			if err != nil {
				return err
			}
			if stored != h && (i < trusted || stored != tlog.Hash{}) {
				if k == 0 {
					return entryTampered(i, "entry does not match its stored hash")
				}
				return entryTampered(i, "stored tree hash does not match the entries")
			}
		}
		if err := e.UnmarshalBinary(data); err != nil {
			return entryTampered(i, "entry is not a valid event")
		}
		return checkHeads()
	})
	if err != nil {
		return err
	}
	switch {
	case tree.n < hashed:
		return entryTampered(tree.n, "entries missing")
	case next < len(heads):
		return &TamperError{Index: tree.n, Checkpoint: heads[next].pos, Reason: "log truncated below a signed checkpoint"}
	case tree.n > 0 && len(heads) == 0:
		return entryTampered(0, "no signed checkpoint")
	}
	return nil
}

// verifyCheckpoints checks the signature, origin and order of every stored
// checkpoint and of the known ones, and returns their tree heads ordered
// by size.
func verifyCheckpoints(ctx context.Context, src source, v note.Verifier, known [][]byte) (_ []positioned, stored int, _ error) {
	cps, err := src.checkpoints(ctx)
	if err != nil {
		return nil, 0, err
	}
	var heads []positioned
	for i, cp := range cps {
		h, err := OpenCheckpoint(cp, v)
		if err != nil {
			return nil, 0, checkpointTampered(i, "checkpoint signature or format invalid")
		}
		if i > 0 && h.Origin != heads[0].Origin {
			return nil, 0, checkpointTampered(i, "checkpoint origin differs")
		}
		if i > 0 && h.Size <= heads[i-1].Size {
			return nil, 0, checkpointTampered(i, "checkpoint out of order or duplicated")
		}
		heads = append(heads, positioned{h, i})
	}
	stored = len(heads)
	origin := ""
	if stored > 0 {
		origin = heads[0].Origin
	}
	kept, err := openKept(known, v, origin)
	if err != nil {
		return nil, 0, err
	}
	for j, h := range kept {
		k, found := slices.BinarySearchFunc(heads[:stored], h.Size, func(p positioned, size int64) int { return cmp.Compare(p.Size, size) })
		if found && heads[k].Hash != h.Hash {
			return nil, 0, &TamperError{Index: -1, Checkpoint: stored + j, Reason: "kept checkpoint contradicts a stored one: the log forked"}
		}
		heads = append(heads, positioned{h, stored + j})
	}
	slices.SortStableFunc(heads, func(a, b positioned) int { return cmp.Compare(a.Size, b.Size) })
	return heads, stored, nil
}

// openKept opens the checkpoints kept outside the log (Options.Checkpoints)
// with v. All must name one origin: origin if it is not empty, else the
// first one's.
func openKept(kept [][]byte, v note.Verifier, origin string) ([]TreeHead, error) {
	heads := make([]TreeHead, len(kept))
	for j, cp := range kept {
		h, err := OpenCheckpoint(cp, v)
		if err != nil {
			return nil, fmt.Errorf("audit: kept checkpoint %d: %w", j, err)
		}
		if origin == "" {
			origin = h.Origin
		}
		if h.Origin != origin {
			return nil, fmt.Errorf("%w: kept checkpoint %d is for another log", ErrInvalidCheckpoint, j)
		}
		heads[j] = h
	}
	return heads, nil
}

// errNoLogFiles is wrapped by openFileSource for a directory that holds no
// log: no stored hashes, no entry and no checkpoint.
var errNoLogFiles = errors.New("audit: no log in directory")

// verifiedSource is a source Verify can close.
type verifiedSource interface {
	source
	close() error
}

// fileSource reads a log directory for Verify, without locking or
// repairing it.
type fileSource struct {
	dir    string
	hashes *os.File
}

// openFileSource opens the log in dir for reading. Entries or checkpoints
// without intact stored hashes are a damaged log. Without them, a torn hash
// file is what a crash while creating the log leaves, which Open repairs,
// and reads as an empty log; no hash file at all is no log.
func openFileSource(dir string) (verifiedSource, error) {
	f, err := os.Open(filepath.Join(dir, hashFileName))
	var hdr []byte
	if err == nil {
		if hdr, err = readHashHeader(f); err == nil {
			return &fileSource{dir: dir, hashes: f}, nil
		}
		f.Close()
	}
	missing := errors.Is(err, os.ErrNotExist)
	if !missing && !errors.Is(err, errBadHeader) {
		return nil, fmt.Errorf("audit: %w", err)
	}
	empty, derr := holdsNoRecords(dir)
	switch {
	case derr != nil:
		return nil, fmt.Errorf("audit: %w", derr)
	case missing && !empty:
		return nil, entryTampered(0, "stored hashes missing")
	case missing:
		return nil, fmt.Errorf("%w: %w", errNoLogFiles, err)
	case !empty || !tornHeader(hdr, hashMagic):
		return nil, entryTampered(0, "stored hashes damaged")
	}
	return emptySource{}, nil
}

// readHashHeader returns the first bytes of a hash file, up to its header
// size, and an error unless they are the header.
func readHashHeader(f *os.File) ([]byte, error) {
	hdr := make([]byte, hashHeaderSize)
	n, err := f.ReadAt(hdr, 0)
	if err == nil && string(hdr) == hashMagic {
		return hdr, nil
	}
	if err == nil || err == io.EOF {
		err = errBadHeader
	}
	return hdr[:n], err
}

func (s *fileSource) close() error { return s.hashes.Close() }

// lastSegment returns the first entry of the last segment file: the
// stored hashes of every entry before it were durable before it was
// created.
func (s *fileSource) lastSegment(context.Context) (int64, error) {
	segs, err := listSegments(s.dir)
	if err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	if len(segs) == 0 {
		return 0, nil
	}
	return segs[len(segs)-1].first, nil
}

func (s *fileSource) storedHashCount(context.Context) (int64, error) {
	fi, err := s.hashes.Stat()
	if err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	return (fi.Size() - int64(hashHeaderSize)) / tlog.HashSize, nil
}

func (s *fileSource) hashRange(_ context.Context, start, end int64) ([]tlog.Hash, error) {
	buf := make([]byte, (end-start)*tlog.HashSize)
	if _, err := s.hashes.ReadAt(buf, int64(hashHeaderSize)+start*tlog.HashSize); err != nil {
		return nil, fmt.Errorf("audit: read hashes: %w", err)
	}
	out := make([]tlog.Hash, end-start)
	for i := range out {
		copy(out[i][:], buf[i*tlog.HashSize:])
	}
	return out, nil
}

func (s *fileSource) scan(ctx context.Context, limit int64, fn func(int64, []byte) error) error {
	segs, err := listSegments(s.dir)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	var next int64
	for _, seg := range segs {
		if err := ctx.Err(); err != nil {
			return err
		}
		stop, err := s.scanSegment(seg, &next, limit, fn)
		if err != nil || stop {
			return err
		}
	}
	return nil
}

func (s *fileSource) scanSegment(seg segment, next *int64, limit int64, fn func(int64, []byte) error) (stop bool, err error) {
	f, err := os.Open(filepath.Join(s.dir, seg.name))
	if err != nil {
		return false, fmt.Errorf("audit: %w", err)
	}
	defer f.Close()
	first, err := readSegmentHeader(f)
	if err != nil || first != *next {
		return false, entryTampered(*next, "entry segment missing or out of place")
	}
	if seg.first != first {
		// Open looks segments up by name: one under another name is
		// a segment missing.
		return false, entryTampered(*next, "entry segment renamed")
	}
	_, damaged, err := readFrames(io.NewSectionReader(f, segmentHeaderSize, 1<<62), segmentHeaderSize, maxEntrySize, func(_ int64, data []byte) error {
		if err := fn(*next, data); err != nil {
			return err
		}
		*next++
		return nil
	})
	if errors.Is(err, errStopScan) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if damaged {
		if *next < limit {
			return false, entryTampered(*next, "entry damaged")
		}
		return true, nil
	}
	return false, nil
}

// emptySource is a log with no entries and no checkpoints.
type emptySource struct{}

func (emptySource) storedHashCount(context.Context) (int64, error) { return 0, nil }
func (emptySource) lastSegment(context.Context) (int64, error)     { return 0, nil }
func (emptySource) hashRange(context.Context, int64, int64) ([]tlog.Hash, error) {
	return nil, io.ErrUnexpectedEOF // never called: there are no hashes
}
func (emptySource) scan(context.Context, int64, func(int64, []byte) error) error { return nil }
func (emptySource) checkpoints(context.Context) ([][]byte, error)                { return nil, nil }
func (emptySource) close() error                                                 { return nil }

func (s *fileSource) checkpoints(context.Context) ([][]byte, error) {
	f, err := os.Open(filepath.Join(s.dir, checkpointFileName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer f.Close()
	var cps [][]byte
	_, damaged, err := readFrames(f, 0, maxSignedCheckpoint, func(_ int64, data []byte) error {
		cps = append(cps, data)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if damaged {
		return nil, checkpointTampered(len(cps), "checkpoint damaged")
	}
	return cps, nil
}
