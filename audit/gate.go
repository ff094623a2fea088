package audit

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// DenialCode says why the gate denied an access. It is a fixed token, safe
// to show, log and branch on; it never contains personal data. It is also
// the Reason recorded in the log for a denied access.
type DenialCode string

// Denial codes.
const (
	DenyInvalidRequest       DenialCode = "invalid_request"         // the Access is malformed (see Access)
	DenyUnknownStaff         DenialCode = "unknown_staff"           // the directory has no such employee
	DenyInactive             DenialCode = "inactive"                // the employee is not active
	DenyUntrained            DenialCode = "untrained"               // no security and confidentiality training on record, or dated in the future
	DenyTrainingExpired      DenialCode = "training_expired"        // the training is older than its validity period
	DenyNotAuthorized        DenialCode = "not_authorized"          // no grant of the policy covers role, action and purpose
	DenyBreakGlassNoReason   DenialCode = "break_glass_no_reason"   // break glass without a justification
	DenyBreakGlassNotAllowed DenialCode = "break_glass_not_allowed" // the employee holds no role allowed to break glass
	DenyDirectoryError       DenialCode = "directory_error"         // the directory failed; fail closed
	DenyLogError             DenialCode = "log_error"               // the decision could not be logged; fail closed
)

// DeniedError is the error [Gate.Authorize] returns. It matches [ErrDenied]
// and unwraps to the directory or log failure behind DenyDirectoryError and
// DenyLogError. Its message holds only the code.
type DeniedError struct {
	Code  DenialCode
	cause error
}

func (e *DeniedError) Error() string { return "audit: access denied: " + string(e.Code) }

// Is reports whether target is ErrDenied.
func (e *DeniedError) Is(target error) bool { return target == ErrDenied }

// Unwrap returns the failure behind the denial, if any.
func (e *DeniedError) Unwrap() error { return e.cause }

// Causes behind DenyDirectoryError and DenyLogError that the gate itself
// detects.
var (
	errDirectoryMismatch = errors.New("audit: directory returned a different employee")
	errNoDirectory       = errors.New("audit: gate has no directory")
	errNoLog             = errors.New("audit: gate has no log")
)

// Staff is what a [Directory] knows about an employee.
type Staff struct {
	ID     string // must equal the id looked up; the gate fails closed otherwise
	Roles  []string
	Active bool
	// TrainedAt is when the employee last completed security and
	// confidentiality training (clause 5.1); zero means never.
	TrainedAt time.Time
	// TrainingValidFor is how long that training counts. Zero or negative
	// means it does not count at all: the gate has no default period.
	TrainingValidFor time.Duration
}

// trainingStatus returns "" if s's training is valid at now, or the code to
// deny with.
func (s *Staff) trainingStatus(now time.Time) DenialCode {
	if s.TrainedAt.IsZero() || s.TrainedAt.After(now) {
		return DenyUntrained
	}
	if s.TrainingValidFor <= 0 || !now.Before(s.TrainedAt.Add(s.TrainingValidFor)) {
		return DenyTrainingExpired
	}
	return ""
}

// Directory looks staff up by employee id; the host's HR or identity system
// implements it. Lookup returns [ErrUnknownStaff] (possibly wrapped) when
// there is no such employee; any other error makes the gate fail closed.
type Directory interface {
	Lookup(ctx context.Context, id string) (Staff, error)
}

// MemoryDirectory is a [Directory] held in memory, for tests and small
// deployments. It is safe for concurrent use. An employee who leaves is
// Put again with Active false, so their attempts are denied as inactive
// rather than unknown.
type MemoryDirectory struct {
	mu    sync.RWMutex
	staff map[string]Staff
}

// NewMemoryDirectory returns a MemoryDirectory holding staff.
func NewMemoryDirectory(staff ...Staff) *MemoryDirectory {
	d := &MemoryDirectory{staff: make(map[string]Staff, len(staff))}
	for _, s := range staff {
		d.Put(s)
	}
	return d
}

// Put adds or replaces the staff member with id s.ID.
func (d *MemoryDirectory) Put(s Staff) {
	s.Roles = slices.Clone(s.Roles)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.staff[s.ID] = s
}

// Lookup implements [Directory].
func (d *MemoryDirectory) Lookup(ctx context.Context, id string) (Staff, error) {
	if err := ctx.Err(); err != nil {
		return Staff{}, err
	}
	if d == nil {
		return Staff{}, errNoDirectory
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	s, ok := d.staff[id]
	if !ok {
		return Staff{}, ErrUnknownStaff
	}
	s.Roles = slices.Clone(s.Roles)
	return s, nil
}

// Grant lets staff holding Role perform any of Actions for any of Purposes.
// An empty Role or empty lists grant nothing; there are no wildcards.
type Grant struct {
	Role     string
	Actions  []Action
	Purposes []string
}

// AccessPolicy says which roles may do which action for which purpose.
// Whatever no Grant covers is denied. BreakGlassRoles lists the roles whose
// holders may take the emergency path (see [Access].BreakGlass); empty means
// nobody may.
type AccessPolicy struct {
	Grants          []Grant
	BreakGlassRoles []string
}

type grantKey struct {
	role    string
	action  Action
	purpose string
}

// Access is a request to touch personal data, checked by [Gate.Authorize].
type Access struct {
	Employee string    // employee id, looked up in the Directory; required
	Role     string    // act under this role only; empty means any role the employee holds
	Action   Action    // required
	Subject  Pseudonym // whose data; empty if none in particular
	Resource string    // which data
	Purpose  string    // why; matched exactly against the policy's purposes
	// Reason is free text recorded with an allowed decision (a denial
	// records its DenialCode instead); for break glass it is the required
	// justification. Give an incident or ticket reference, not personal
	// data.
	Reason        string
	CorrelationID string
	// BreakGlass asks for emergency access outside the grants. The
	// employee must still be active and trained, must hold one of the
	// policy's BreakGlassRoles, and must give a Reason with something
	// visible in it (white space, control and format characters such as
	// U+200B do not count); the logged event is flagged so reviewers can
	// find every such access.
	BreakGlass bool
}

// Gate enforces clause 5.1 and records every decision. It is safe for
// concurrent use.
type Gate struct {
	staff      Directory
	grants     map[grantKey]struct{}
	breakGlass map[string]struct{}
	record     func(context.Context, Event) error
	now        func() time.Time
	logger     *slog.Logger
}

// GateOptions configure a [Gate]; the zero value is ready to use.
type GateOptions struct {
	// Now is the clock the gate reads; nil means [time.Now].
	Now func() time.Time

	// Logger hears why an access was denied when the fault is the
	// host's, not the employee's: the log could not record the decision
	// (DenyLogError) or the directory failed (DenyDirectoryError). Nil
	// means [slog.Default]. Messages carry the denial code and the error,
	// never the request's fields; the error is the Directory's or the
	// log's own, so a Directory should not quote personal data in its
	// errors ([SQLDirectory] leaves out the driver's message, which may
	// quote the employee id it was given).
	Logger *slog.Logger
}

// NewGate returns a Gate that checks staff against policy and records
// every decision in log. A nil log or Directory (a nil *MemoryDirectory or
// *SQLDirectory included) makes every access fail closed.
func NewGate(staff Directory, policy AccessPolicy, log *Log, opts GateOptions) *Gate {
	var record func(context.Context, Event) error
	if log != nil {
		record = func(ctx context.Context, e Event) error {
			_, err := log.Append(ctx, e)
			return err
		}
	}
	return newGate(staff, policy, record, opts)
}

// newGate builds a Gate recording its decisions with record; nil record
// makes every decision fail closed with DenyLogError.
func newGate(staff Directory, policy AccessPolicy, record func(context.Context, Event) error, opts GateOptions) *Gate {
	g := &Gate{
		staff:      staff,
		grants:     make(map[grantKey]struct{}),
		breakGlass: make(map[string]struct{}),
		record:     record,
		now:        opts.Now,
		logger:     cmp.Or(opts.Logger, slog.Default()),
	}
	if g.now == nil {
		g.now = time.Now
	}
	for _, gr := range policy.Grants {
		if gr.Role == "" {
			continue // an empty role would match staff records with a blank role
		}
		for _, a := range gr.Actions {
			for _, p := range gr.Purposes {
				g.grants[grantKey{gr.Role, a, p}] = struct{}{}
			}
		}
	}
	for _, r := range policy.BreakGlassRoles {
		if r != "" {
			g.breakGlass[r] = struct{}{}
		}
	}
	return g
}

// Authorize decides whether a.Employee may perform a.Action on the data
// described by a, and returns nil only if so. It denies by default, and
// denies unknown, inactive, untrained or expired-training staff, accesses no
// grant covers, and break glass without a reason or by a role not allowed
// to. Every decision, allowed or denied, is appended to the log before
// Authorize returns; if that append fails the access is denied
// (DenyLogError) even if it would have been allowed. A failing Directory
// also denies (DenyDirectoryError).
//
// The returned error is a [*DeniedError] matching [ErrDenied].
func (g *Gate) Authorize(ctx context.Context, a Access) error {
	e, code, cause := g.decide(ctx, a)
	if code != "" {
		e.Outcome = OutcomeDenied
		if code == DenyDirectoryError {
			e.Outcome = OutcomeError
		}
		e.Reason = string(code)
	}
	err := errNoLog
	if g.record != nil {
		err = g.record(ctx, e)
	}
	if err != nil {
		return g.deny(ctx, DenyLogError, err)
	}
	if code == DenyDirectoryError {
		return g.deny(ctx, code, cause)
	}
	if code != "" {
		return &DeniedError{Code: code, cause: cause}
	}
	return nil
}

// deny reports a denial that is the host's fault to the logger and returns
// it.
func (g *Gate) deny(ctx context.Context, code DenialCode, cause error) error {
	level := slog.LevelError
	if ctx.Err() != nil {
		level = slog.LevelWarn // the caller gave up; the host is not at fault
	}
	g.logger.LogAttrs(context.WithoutCancel(ctx), level, "audit: access denied",
		slog.String("code", string(code)), slog.Any("err", cause))
	return &DeniedError{Code: code, cause: cause}
}

// decide returns the event to record and, for a denial, its code and cause.
func (g *Gate) decide(ctx context.Context, a Access) (Event, DenialCode, error) {
	e := Event{
		Time:          g.now().UTC(),
		Actor:         Actor{ID: a.Employee, Role: a.Role},
		Action:        a.Action,
		Subject:       a.Subject,
		Resource:      a.Resource,
		Purpose:       a.Purpose,
		Outcome:       OutcomeAllowed,
		Reason:        a.Reason,
		CorrelationID: a.CorrelationID,
		BreakGlass:    a.BreakGlass,
	}
	if err := e.validate(); err != nil {
		return sanitize(e), DenyInvalidRequest, nil
	}
	if g.staff == nil {
		return e, DenyDirectoryError, errNoDirectory
	}
	s, err := g.staff.Lookup(ctx, a.Employee)
	switch {
	case errors.Is(err, ErrUnknownStaff):
		return e, DenyUnknownStaff, nil
	case err != nil:
		return e, DenyDirectoryError, err
	case s.ID != a.Employee:
		return e, DenyDirectoryError, errDirectoryMismatch
	case !s.Active:
		return e, DenyInactive, nil
	}
	if code := s.trainingStatus(e.Time); code != "" {
		return e, code, nil
	}
	roles := s.Roles
	if a.Role != "" {
		if !slices.Contains(roles, a.Role) {
			return e, DenyNotAuthorized, nil
		}
		roles = []string{a.Role}
	}
	if a.BreakGlass {
		if blank(a.Reason) {
			return e, DenyBreakGlassNoReason, nil
		}
		i := slices.IndexFunc(roles, func(r string) bool { _, ok := g.breakGlass[r]; return ok })
		if i < 0 {
			return e, DenyBreakGlassNotAllowed, nil
		}
		e.Actor.Role = roles[i]
		return e, "", nil
	}
	i := slices.IndexFunc(roles, func(r string) bool {
		_, ok := g.grants[grantKey{r, a.Action, a.Purpose}]
		return ok
	})
	if i < 0 {
		return e, DenyNotAuthorized, nil
	}
	e.Actor.Role = roles[i]
	return e, "", nil
}

// blank reports whether s has nothing a reviewer could read (see visible):
// white space, controls, format characters such as U+200B ZERO WIDTH SPACE,
// combining marks or blank-looking letters would otherwise let a
// break-glass reason look given while saying nothing.
func blank(s string) bool { return !strings.ContainsFunc(s, visible) }

// visible reports whether r shows as something: a letter, digit,
// punctuation or symbol, except those that render as blank space (the
// Hangul fillers, the blank Braille pattern). Spaces, controls, format
// characters and combining marks alone show nothing.
func visible(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800:
		return false
	}
	return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S)
}

// sanitize makes a loggable event of a malformed request by dropping every
// field that cannot be encoded. A subject that is not a pseudonym is dropped
// rather than recorded, since it may be raw personal data.
func sanitize(e Event) Event {
	text := func(s string) string {
		if len(s) > MaxFieldLen || !utf8.ValidString(s) {
			return ""
		}
		return s
	}
	e.Actor.ID = text(e.Actor.ID)
	if e.Actor.ID == "" {
		e.Actor.ID = "-"
	}
	e.Actor.Role = text(e.Actor.Role)
	if !e.Action.valid() {
		e.Action = "invalid"
	}
	if !e.Subject.valid() {
		e.Subject = ""
	}
	e.Resource = text(e.Resource)
	e.Purpose = text(e.Purpose)
	e.Reason = text(e.Reason)
	e.CorrelationID = text(e.CorrelationID)
	return e
}
