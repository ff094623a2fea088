package consent

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Callers branch on them with [errors.Is]; the typed errors
// below wrap them and carry detail for [errors.As]. No error message of this
// package contains a subject identifier, evidence or notice text.
var (
	// ErrInvalidInput reports a malformed argument; see [InputError]. A
	// time beyond the ledger clock plus a minute of skew, or outside the
	// years 1 to 9999 (which not every store can hold: JSON, PostgreSQL),
	// is one too; see [TimeError].
	ErrInvalidInput = errors.New("consent: invalid input")
	// ErrConflict reports a change that what the ledger already holds
	// forbids. Each call has one such change: a purpose, recipient or
	// legal basis id defined again with other content, or a notice version
	// published again with another text, effective time or materiality
	// (definitions are immutable: give the changed one a new id or
	// version); a grant, refusal, notification or withdrawal dated before
	// the subject's latest event (see [TimeError] and [Withdrawal]); a
	// request status change the workflow forbids ([Ledger.SetRequestStatus]).
	ErrConflict = errors.New("consent: conflict")
	// ErrNotGranted reports a withdrawal of a consent that is not in force
	// (never granted, refused, already withdrawn or expired).
	ErrNotGranted = errors.New("consent: no consent in force to withdraw")
	// ErrStaleNotice reports a grant under a notice that a newer material
	// notice had already superseded at the time of the grant.
	ErrStaleNotice = errors.New("consent: notice superseded by a newer material notice")
	// ErrNotFound reports an id that does not exist: a purpose or
	// recipient never defined, a notice version (or language) never
	// published or not yet in effect at the time of the event, a record or
	// a request. The message names which.
	ErrNotFound = errors.New("consent: not found")
	// ErrNotConfigured reports a deployment that is not set up for the
	// call: an [Options] field left empty (ReceiptSigner for receipts), a
	// request kind [Deadlines] has no deadline for, or a PostgreSQL
	// database that [Migrate] has not brought to this version of the
	// package (run Migrate, as the tables' owner, before starting the new
	// version).
	ErrNotConfigured = errors.New("consent: not configured")
	// ErrBadSignature reports a receipt that no known key signed, or that
	// was altered after signing.
	ErrBadSignature = errors.New("consent: receipt signature does not verify")
	// ErrTampered reports a subject history that does not verify, or that
	// does not extend a [Head] recorded earlier; see [TamperError]. Check
	// denies with it.
	ErrTampered = errors.New("consent: history tampered with")
)

// InputError describes which field of an argument is malformed and why.
type InputError struct {
	Field   string // Go field name, e.g. "Subject"
	Problem string // lower-case, no personal data
}

func (e *InputError) Error() string {
	return fmt.Sprintf("consent: invalid %s: %s", e.Field, e.Problem)
}

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func invalid(field, problem string) error { return &InputError{Field: field, Problem: problem} }

// TimeError reports a time that is in the future or out of range (it
// matches [ErrInvalidInput]), or dated before the subject's latest event
// (it matches [ErrConflict]).
type TimeError struct {
	Field string    // the argument, e.g. "Grant.At"; empty for an event out of order
	At    time.Time // the time given
	// Limit is the latest time allowed (future, range) or the earliest
	// (out of order: the subject's latest event; range).
	Limit time.Time
	// Err is ErrInvalidInput or ErrConflict.
	Err     error
	problem string
}

func futureTime(field string, at, limit time.Time) error {
	return &TimeError{Field: field, At: at, Limit: limit, Err: ErrInvalidInput, problem: "is after"}
}

func outOfOrder(at, latest time.Time) error {
	return &TimeError{At: at, Limit: latest, Err: ErrConflict, problem: "is before the latest recorded event at"}
}

func (e *TimeError) Error() string {
	at, limit := e.At.UTC().Format(time.RFC3339), e.Limit.UTC().Format(time.RFC3339)
	if e.problem == "" {
		return fmt.Sprintf("consent: %s %s is outside the years 1 to 9999", e.Field, at)
	}
	return fmt.Sprintf("consent: time %s %s %s", at, e.problem, limit)
}

// Unwrap returns ErrInvalidInput or ErrConflict.
func (e *TimeError) Unwrap() error { return e.Err }

// Time bounds every store can hold: JSON encodes only four-digit years, and
// the PostgreSQL timestamptz range contains these.
var (
	minTime = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, time.December, 31, 23, 59, 59, 999999000, time.UTC)
)

// validTime refuses a time outside the years 1 to 9999 (UTC) with a
// *TimeError wrapping ErrInvalidInput. The ledger refuses it before any
// store sees it, so both stores behave alike. The zero time is in range.
func validTime(field string, t time.Time) error {
	switch y := t.UTC().Year(); {
	case y < 1:
		return &TimeError{Field: field, At: t, Limit: minTime, Err: ErrInvalidInput}
	case y > 9999:
		return &TimeError{Field: field, At: t, Limit: maxTime, Err: ErrInvalidInput}
	}
	return nil
}
