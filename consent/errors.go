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
	// ErrInvalidInput reports a malformed argument; see [InputError].
	ErrInvalidInput = errors.New("consent: invalid input")
	// ErrUnknownPurpose reports a purpose id that was never defined.
	ErrUnknownPurpose = errors.New("consent: unknown purpose")
	// ErrUnknownRecipient reports a recipient id that was never defined.
	ErrUnknownRecipient = errors.New("consent: unknown recipient")
	// ErrUnknownNotice reports a notice version (or language) never published,
	// or not yet in effect at the time of the event.
	ErrUnknownNotice = errors.New("consent: unknown notice")
	// ErrNoticeConflict reports a notice version published again with other
	// content; see [NoticeConflictError].
	ErrNoticeConflict = errors.New("consent: notice version already published with different content")
	// ErrDefinitionConflict reports a purpose, recipient or legal basis id
	// defined again with other content. Definitions are immutable: give the
	// changed one a new id.
	ErrDefinitionConflict = errors.New("consent: id already defined with different content")
	// ErrFutureEvent reports an event or query time beyond the ledger clock
	// plus the allowed skew; see [TimeError].
	ErrFutureEvent = errors.New("consent: time is in the future")
	// ErrOutOfOrder reports an event dated before the latest event already
	// recorded for the same subject; see [TimeError].
	ErrOutOfOrder = errors.New("consent: event is older than the subject's latest event")
	// ErrNotGranted reports a withdrawal of a consent that is not in force
	// (never granted, refused, already withdrawn or expired).
	ErrNotGranted = errors.New("consent: no consent in force to withdraw")
	// ErrStaleNotice reports a grant under a notice that a newer material
	// notice had already superseded at the time of the grant.
	ErrStaleNotice = errors.New("consent: notice superseded by a newer material notice")
	// ErrNotFound reports a record or request id that does not exist.
	ErrNotFound = errors.New("consent: not found")
	// ErrInvalidTransition reports a forbidden data-subject request status
	// change; see [TransitionError].
	ErrInvalidTransition = errors.New("consent: invalid request status transition")
	// ErrNoDeadline reports a request kind for which the deadline policy has
	// no deadline configured.
	ErrNoDeadline = errors.New("consent: no deadline configured for request kind")
	// ErrNoStore is returned by every method of a Ledger made with a nil Store.
	ErrNoStore = errors.New("consent: ledger has no store")
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

// NoticeConflictError reports that Version (in Language) is already published
// with a different text digest, effective time or materiality.
type NoticeConflictError struct {
	Version  string
	Language string
	Field    string // what differs: "text", "effective time", "material"
}

func (e *NoticeConflictError) Error() string {
	return fmt.Sprintf("consent: notice %q (%s) already published with a different %s", e.Version, e.Language, e.Field)
}

// Is makes errors.Is(err, ErrNoticeConflict) true.
func (e *NoticeConflictError) Is(target error) bool { return target == ErrNoticeConflict }

// TimeError reports an event time that is in the future or out of order.
type TimeError struct {
	At    time.Time // the time given
	Limit time.Time // latest allowed (future) or earliest allowed (order)
	Err   error     // ErrFutureEvent or ErrOutOfOrder
}

func (e *TimeError) Error() string {
	if e.Err == ErrFutureEvent {
		return fmt.Sprintf("consent: time %s is after %s", e.At.UTC().Format(time.RFC3339), e.Limit.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("consent: time %s is before the latest recorded event at %s", e.At.UTC().Format(time.RFC3339), e.Limit.UTC().Format(time.RFC3339))
}

// Unwrap returns ErrFutureEvent or ErrOutOfOrder.
func (e *TimeError) Unwrap() error { return e.Err }

// TransitionError reports a refused request status change.
type TransitionError struct {
	From, To RequestStatus
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("consent: request cannot go from %q to %q", e.From, e.To)
}

// Is makes errors.Is(err, ErrInvalidTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrInvalidTransition }
