package audit

import (
	"context"
	"errors"

	"golang.org/x/mod/sumdb/tlog"
)

// maxEntrySize bounds one stored entry. An encoded Event is at most a few
// tens of kilobytes; the bound keeps a damaged length field from making a
// reader allocate gigabytes.
const maxEntrySize = 1 << 20

// store is the storage behind a Log: entries, their stored hashes in
// the numbering of [tlog.StoredHashIndex], and the signed checkpoints. The
// Log does all the hashing; a store only keeps bytes durably. A store is
// used by one Log; the Log serialises append and addCheckpoint.
type store interface {
	// size returns the number of durable entries (after recovery).
	size() int64
	// readHashes returns the stored hashes at the given indexes, all of
	// which belong to durable entries. It is safe to call concurrently
	// with append.
	readHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
	// append stores entries first, first+1, ... and their stored hashes,
	// which start at tlog.StoredHashCount(first), and returns only when
	// the entries are durable (and their hashes durable or recomputable
	// from them). On error none of the batch was acknowledged; after
	// recovery all, a prefix or none of it may be present.
	append(ctx context.Context, first int64, entries [][]byte, hashes []tlog.Hash) error
	// checkpoints returns the stored signed checkpoints, oldest first.
	checkpoints(ctx context.Context) ([][]byte, error)
	// addCheckpoint durably stores a signed checkpoint for size entries.
	addCheckpoint(ctx context.Context, size int64, signed []byte) error
	// recovery describes what opening the store repaired.
	recovery() recovery
	close() error
}

// source is what Verify reads: a store's raw content, without repair.
type source interface {
	// storedHashCount returns how many stored hashes are present.
	storedHashCount(ctx context.Context) (int64, error)
	// hashRange returns the stored hashes [start, end).
	hashRange(ctx context.Context, start, end int64) ([]tlog.Hash, error)
	// scan calls fn for entries 0, 1, ... in order until fn returns an
	// error, which scan returns (errStopScan becomes nil). It returns a
	// *TamperError when it cannot frame entry i; limit is the number of
	// entries the caller needs: damage at or beyond it is not reported.
	scan(ctx context.Context, limit int64, fn func(i int64, data []byte) error) error
	checkpoints(ctx context.Context) ([][]byte, error)
	// lastSegment bounds the entries whose stored hashes were durable
	// before later entries were written (see fileStore.openSegments);
	// a store that writes entries and hashes together returns MaxInt64.
	lastSegment(ctx context.Context) (int64, error)
}

var errStopScan = errors.New("stop scan")

// recovery is what Open repaired after a crash: the torn tail of an
// interrupted append and a partly written checkpoint, and the stored hashes
// it wrote for durable entries whose hashes had not reached the disk. Open
// never discards an acknowledged entry; damage to one is reported as a
// *TamperError instead. Open reports a repair to Options.Logger.
type recovery struct {
	TruncatedBytes   int64 // bytes of unacknowledged entries, hashes and checkpoints removed
	DroppedSegments  int   // segment files created by the interrupted append, removed
	CheckpointsTrunc bool  // a partly written checkpoint was removed
	Rehashed         int64 // durable entries whose stored hashes Open wrote
}

// repaired reports whether anything was repaired.
func (r recovery) repaired() bool {
	return r.TruncatedBytes > 0 || r.DroppedSegments > 0 || r.CheckpointsTrunc || r.Rehashed > 0
}
