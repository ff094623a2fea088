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
	// is one too.
	ErrInvalidInput = errors.New("consent: invalid input")
	// ErrConflict reports a change that what the ledger already holds
	// forbids. Each call has one such change: a purpose, recipient or
	// legal basis id defined again with other content, or a notice version
	// published again with another text, effective time or materiality
	// (definitions are immutable: give the changed one a new id or
	// version); a grant, refusal, notification or withdrawal dated before
	// the subject's latest event (an [InputError]; see [Withdrawal]); a
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

// InputError says which argument the ledger refused and why. It matches
// [ErrInvalidInput], except for an event dated before the subject's latest
// event, which matches [ErrConflict]. For a time, At is the time given and
// Limit the latest allowed (in the future: the ledger clock plus a minute;
// after the year 9999) or the earliest (out of order: the time of the
// subject's latest event, or for a withdrawal of a later grant of the same
// consent; before the year 1).
type InputError struct {
	Field   string    // Go field name, e.g. "Subject" or "Grant.At"
	Problem string    // lower-case, no personal data
	At      time.Time // for a time: the time given
	Limit   time.Time // for a time: the latest or earliest allowed

	conflict bool // an event out of order: matches ErrConflict
}

func (e *InputError) Error() string {
	if e.At.IsZero() && e.Limit.IsZero() {
		return fmt.Sprintf("consent: invalid %s: %s", e.Field, e.Problem)
	}
	what := "invalid " + e.Field
	if e.conflict {
		what = "conflict: " + e.Field
	}
	return fmt.Sprintf("consent: %s: %s (%s, limit %s)", what, e.Problem,
		e.At.UTC().Format(time.RFC3339), e.Limit.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrInvalidInput) true, or errors.Is(err,
// ErrConflict) for an event out of order.
func (e *InputError) Is(target error) bool {
	if e.conflict {
		return target == ErrConflict
	}
	return target == ErrInvalidInput
}

func invalid(field, problem string) error { return &InputError{Field: field, Problem: problem} }

func futureTime(field string, at, limit time.Time) error {
	return &InputError{Field: field, Problem: "in the future", At: at, Limit: limit}
}

// outOfOrder refuses an event dated before a later event it must follow
// (problem names which), with ErrConflict.
func outOfOrder(field, problem string, at, later time.Time) error {
	return &InputError{Field: field, Problem: problem, At: at, Limit: later, conflict: true}
}

// Time bounds every store can hold: JSON encodes only four-digit years, and
// the PostgreSQL timestamptz range contains these.
var (
	minTime = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, time.December, 31, 23, 59, 59, 999999000, time.UTC)
)

// validTime refuses a time outside the years 1 to 9999 (UTC) with an
// *InputError. The ledger refuses it before any
// store sees it, so both stores behave alike. The zero time is in range.
func validTime(field string, t time.Time) error {
	switch y := t.UTC().Year(); {
	case y < 1:
		return &InputError{Field: field, Problem: "outside the years 1 to 9999", At: t, Limit: minTime}
	case y > 9999:
		return &InputError{Field: field, Problem: "outside the years 1 to 9999", At: t, Limit: maxTime}
	}
	return nil
}
