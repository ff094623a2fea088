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
	// time outside the years 1 to 9999, which not every store can hold
	// (JSON, PostgreSQL), is one too; see [TimeError].
	ErrInvalidInput = errors.New("consent: invalid input")
	// ErrConflict reports a purpose, recipient or legal basis id defined
	// again with other content, or a notice version published again with
	// another text, effective time or materiality. Definitions are
	// immutable: give the changed one a new id or version.
	ErrConflict = errors.New("consent: already defined with different content")
	// ErrFutureEvent reports an event or query time beyond the ledger clock
	// plus the allowed skew; see [TimeError].
	ErrFutureEvent = errors.New("consent: time is in the future")
	// ErrOutOfOrder reports a grant, refusal or notification dated before
	// the latest event already recorded for the same subject; see
	// [TimeError]. A withdrawal is refused for it only when the subject
	// granted the same consent after the withdrawal's date (see
	// [Withdrawal]).
	ErrOutOfOrder = errors.New("consent: event is older than the subject's latest event")
	// ErrSchemaOutdated reports a PostgreSQL database that Migrate has not
	// brought to this version of the package: run Migrate (as the tables'
	// owner) before starting the new version.
	ErrSchemaOutdated = errors.New("consent: store: database schema is older than this package: run Migrate")
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
	// ErrInvalidTransition reports a forbidden data-subject request status
	// change.
	ErrInvalidTransition = errors.New("consent: invalid request status transition")
	// ErrNotConfigured reports a call that needs an [Options] field left
	// empty (Deadlines for data-subject requests, ReceiptSigner for
	// receipts), or a request kind the deadline policy has no deadline for.
	ErrNotConfigured = errors.New("consent: ledger option not configured")
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

// TimeError reports a time that is in the future, out of order or out of
// range.
type TimeError struct {
	Field string    // the argument, e.g. "Grant.At"; empty for ErrOutOfOrder
	At    time.Time // the time given
	Limit time.Time // latest allowed (future, range) or earliest allowed (order, range)
	// Err is ErrFutureEvent, ErrOutOfOrder, or ErrInvalidInput for a time
	// outside the years 1 to 9999.
	Err error
}

func (e *TimeError) Error() string {
	at, limit := e.At.UTC().Format(time.RFC3339), e.Limit.UTC().Format(time.RFC3339)
	switch e.Err {
	case ErrFutureEvent:
		return fmt.Sprintf("consent: time %s is after %s", at, limit)
	case ErrInvalidInput:
		return fmt.Sprintf("consent: %s %s is outside the years 1 to 9999", e.Field, at)
	}
	return fmt.Sprintf("consent: time %s is before the latest recorded event at %s", at, limit)
}

// Unwrap returns ErrFutureEvent, ErrOutOfOrder or ErrInvalidInput.
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
