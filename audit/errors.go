package audit

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is. No error of this package contains event
// data or personal data.
var (
	// ErrInvalidOptions is returned (wrapped, naming what is wrong) for a
	// configuration that cannot be used: by Open and Verify for a missing
	// Signer or Verifier, a bad Origin or a zero Backend, and by Open for
	// an Origin (or Signer name) that is not the stored log's; by
	// NewPseudonymizer for a short key; by OpenCheckpoint for a nil
	// verifier; by the Lookup of a SQLDirectory without a database or a
	// query.
	ErrInvalidOptions = errors.New("audit: invalid options")

	// ErrClosed is returned by methods of a closed Log.
	ErrClosed = errors.New("audit: log closed")

	// ErrLocked is returned by Open when another Log (in this or another
	// process) holds the backend: a directory's flock or a database's
	// advisory lock.
	ErrLocked = errors.New("audit: log directory in use by another writer")

	// ErrLogFailed is returned (wrapping the cause) by Append after a write
	// or fsync failed in a way that leaves the in-memory view of the files
	// in doubt. The files stay consistent; Close the Log and Open it again,
	// which truncates whatever was not acknowledged.
	ErrLogFailed = errors.New("audit: log failed; close and reopen it")

	// ErrRange is returned for a proof request outside the current tree.
	ErrRange = errors.New("audit: index or tree size out of range")

	// ErrTampered matches every *TamperError.
	ErrTampered = errors.New("audit: log tampered or damaged")

	// ErrInvalidCheckpoint is returned (wrapped) for a checkpoint handed
	// to OpenCheckpoint, or kept in Options.Checkpoints, that is not a
	// checkpoint of this log: its signature by the verifier is missing or
	// bad, its text does not follow c2sp.org/tlog-checkpoint, or it names
	// another origin. (A stored checkpoint at fault is a [*TamperError].)
	ErrInvalidCheckpoint = errors.New("audit: invalid checkpoint")

	// ErrInvalidEvent is returned (wrapped, with the name of the offending
	// field but never its value) when an [Event] cannot be encoded because
	// a required field is missing or a field is out of range, and when a
	// byte string is not the canonical encoding of a valid Event.
	ErrInvalidEvent = errors.New("audit: invalid event")

	// ErrDenied is matched (errors.Is) by every error [Gate.Authorize]
	// returns: any error from Authorize means "do not touch the data". Use
	// errors.As with a [*DeniedError] for the reason code.
	ErrDenied = errors.New("audit: access denied")

	// ErrUnknownStaff is returned by a [Directory] that has no staff member
	// with the requested id.
	ErrUnknownStaff = errors.New("audit: unknown staff member")
)

// A TamperError reports that a stored log is not what its writer wrote:
// an entry, a stored hash or a checkpoint was edited, deleted, inserted,
// reordered or truncated, or damaged by the storage.
//
// Index is the first entry found bad: the first entry whose bytes or
// position no longer match their stored hash, or, for a truncation, the
// first missing entry. When entries and stored hashes were rewritten
// together so that only a signed checkpoint exposes the change, Index is
// the first entry not covered by an earlier verified checkpoint: the
// rewrite is somewhere in [Index, that checkpoint's size); Open and
// [Log.Checkpoint], which check only the newest checkpoints, give 0 (and
// Checkpoint's change may lie anywhere in the current tree). Index is -1
// when only a checkpoint is at fault.
//
// Checkpoint is the position (0 = oldest) of the checkpoint at fault or
// exposing the fault, or -1.
type TamperError struct {
	Index      int64
	Checkpoint int
	Reason     string // what was found, e.g. "entry does not match its stored hash"
}

func (e *TamperError) Error() string {
	switch {
	case e.Index >= 0 && e.Checkpoint >= 0:
		return fmt.Sprintf("audit: log tampered at entry %d (checkpoint %d): %s", e.Index, e.Checkpoint, e.Reason)
	case e.Index >= 0:
		return fmt.Sprintf("audit: log tampered at entry %d: %s", e.Index, e.Reason)
	default:
		return fmt.Sprintf("audit: log tampered at checkpoint %d: %s", e.Checkpoint, e.Reason)
	}
}

// Is reports whether target is ErrTampered.
func (e *TamperError) Is(target error) bool { return target == ErrTampered }

func entryTampered(i int64, reason string) *TamperError {
	return &TamperError{Index: i, Checkpoint: -1, Reason: reason}
}

func checkpointTampered(c int, reason string) *TamperError {
	return &TamperError{Index: -1, Checkpoint: c, Reason: reason}
}
