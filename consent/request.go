package consent

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"
)

// RequestKind is what a data subject asks for under clause 7.1.
type RequestKind string

// Request kinds.
const (
	RequestAccess     RequestKind = "access"
	RequestCorrection RequestKind = "correction"
	RequestDeletion   RequestKind = "deletion"
)

// RequestStatus is the state of a data-subject request.
type RequestStatus string

// Request statuses. Completed and Rejected are final.
const (
	StatusOpen       RequestStatus = "open"
	StatusInProgress RequestStatus = "in_progress"
	StatusCompleted  RequestStatus = "completed"
	StatusRejected   RequestStatus = "rejected"
)

// transitions lists the allowed status changes.
var transitions = map[RequestStatus][]RequestStatus{
	StatusOpen:       {StatusInProgress, StatusCompleted, StatusRejected},
	StatusInProgress: {StatusCompleted, StatusRejected},
}

func canTransition(from, to RequestStatus) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Request is a data-subject request (access, correction, deletion).
type Request struct {
	ID       string        `json:"id"`
	Subject  string        `json:"subject"`
	Kind     RequestKind   `json:"kind"`
	Status   RequestStatus `json:"status"`
	OpenedAt time.Time     `json:"opened_at"`
	Due      time.Time     `json:"due"`
	ClosedAt time.Time     `json:"closed_at,omitzero"`
	// History lists every status change, oldest first.
	History []struct {
		Status RequestStatus `json:"status"`
		At     time.Time     `json:"at"`
		Note   string        `json:"note,omitempty"` // no personal data
	} `json:"history"`
}

// addStatus appends a status change to r's history, in a copy of it: the
// caller's Request keeps its own.
func (r *Request) addStatus(status RequestStatus, at time.Time, note string) {
	r.History = slices.Clip(r.History)
	h := grow(&r.History)
	h.Status, h.At, h.Note = status, at, note
	r.Status = status
}

// final reports whether the request is closed.
func (r Request) final() bool { return r.Status == StatusCompleted || r.Status == StatusRejected }

// Deadlines says when data-subject requests (clause 7.1) are due, per
// request kind: in calendar time (Calendar) or in working days
// (WorkingDays: Monday to Friday in Location, minus Holidays; due at the
// end of the last working day, the day the request was opened not
// counted). The law and the production calendar change, so these are
// configuration ([Options].Deadlines). A kind with no entry in either map
// cannot be opened ([ErrNotConfigured]); a kind in both, or a deadline
// that is not positive, is refused by [NewLedger].
type Deadlines struct {
	Calendar    map[RequestKind]time.Duration // due this long after opening
	WorkingDays map[RequestKind]int           // due after this many working days
	Holidays    []time.Time                   // only the date in Location matters
	Location    *time.Location                // nil means UTC; e.g. Asia/Almaty
}

// validate refuses a kind given twice or a deadline that is not positive.
func (d Deadlines) validate() error {
	for k, v := range d.Calendar {
		if err := validKind(k); err != nil {
			return err
		}
		if v <= 0 {
			return invalid("Options.Deadlines.Calendar", "not positive")
		}
		if _, ok := d.WorkingDays[k]; ok {
			return invalid("Options.Deadlines", "a request kind in both Calendar and WorkingDays")
		}
	}
	for k, n := range d.WorkingDays {
		if err := validKind(k); err != nil {
			return err
		}
		if n <= 0 {
			return invalid("Options.Deadlines.WorkingDays", "not positive")
		}
	}
	return nil
}

// clone copies the maps and the holidays, so that a Ledger's deadlines
// never change under it.
func (d Deadlines) clone() Deadlines {
	d.Calendar, d.WorkingDays, d.Holidays = maps.Clone(d.Calendar), maps.Clone(d.WorkingDays), slices.Clone(d.Holidays)
	return d
}

// due returns when a request of kind opened at opened is due.
func (d Deadlines) due(kind RequestKind, opened time.Time) (time.Time, error) {
	if v, ok := d.Calendar[kind]; ok && v > 0 {
		return opened.Add(v), nil
	}
	n, ok := d.WorkingDays[kind]
	if !ok || n <= 0 {
		return time.Time{}, fmt.Errorf("%w: no deadline for %q requests", ErrNotConfigured, kind)
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	date := func(t time.Time) [3]int {
		y, m, dd := t.Date()
		return [3]int{y, int(m), dd}
	}
	off := map[[3]int]bool{}
	for _, h := range d.Holidays {
		off[date(h.In(loc))] = true
	}
	o := date(opened.In(loc))
	day := time.Date(o[0], time.Month(o[1]), o[2], 0, 0, 0, 0, loc)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday && !off[date(day)] {
			n--
		}
		if day.Year() > opened.Year()+2 {
			return time.Time{}, fmt.Errorf("%w: calendar has no working days", ErrNotConfigured)
		}
	}
	return day.AddDate(0, 0, 1), nil
}

func validKind(k RequestKind) error {
	switch k {
	case RequestAccess, RequestCorrection, RequestDeletion:
		return nil
	}
	return invalid("Kind", "unknown request kind")
}

// OpenRequest records a new data-subject request, due according to the
// ledger's deadline policy.
func (l *Ledger) OpenRequest(ctx context.Context, subject string, kind RequestKind) (Request, error) {
	if err := validSubject(subject); err != nil {
		return Request{}, err
	}
	if err := validKind(kind); err != nil {
		return Request{}, err
	}
	now := l.now()
	due, err := l.deadlines.due(kind, now)
	if err != nil {
		return Request{}, err
	}
	if err := validTime("Request.Due", due); err != nil {
		return Request{}, err
	}
	r := Request{
		ID: newID("dsr_"), Subject: subject, Kind: kind, Status: StatusOpen,
		OpenedAt: now, Due: norm(due),
	}
	r.addStatus(StatusOpen, now, "")
	if err := l.store.createRequest(ctx, r); err != nil {
		return Request{}, err
	}
	return r, nil
}

// SetRequestStatus moves request id to status. Changes not allowed by the
// workflow (open → in_progress → completed or rejected; final states are
// final) fail with [ErrConflict] and change nothing; a status that is
// none of the four fails with [ErrInvalidInput].
func (l *Ledger) SetRequestStatus(ctx context.Context, id string, status RequestStatus, note string) (Request, error) {
	if err := validID("ID", id, false); err != nil {
		return Request{}, err
	}
	switch status {
	case StatusOpen, StatusInProgress, StatusCompleted, StatusRejected:
	default:
		return Request{}, invalid("Status", "unknown request status")
	}
	if err := validText("Note", note, textMaxLen, true); err != nil {
		return Request{}, err
	}
	now := l.now()
	return l.store.updateRequest(ctx, id, func(r Request) (Request, error) {
		if !canTransition(r.Status, status) {
			return Request{}, fmt.Errorf("%w: request status cannot change from %q to %q", ErrConflict, r.Status, status)
		}
		if len(r.History) > 0 {
			now = later(now, r.History[len(r.History)-1].At)
		}
		r.addStatus(status, now, note)
		if r.final() {
			r.ClosedAt = now
		}
		return r, nil
	})
}

// Overdue returns the requests still open after their due time at now
// (zero means the ledger clock), most overdue first.
func (l *Ledger) Overdue(ctx context.Context, now time.Time) ([]Request, error) {
	if now.IsZero() {
		now = l.now()
	}
	all, err := l.store.listRequests(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []Request
	for _, r := range all {
		if !r.final() && now.After(r.Due) {
			out = append(out, r)
		}
	}
	sortRequestsByDue(out)
	return out, nil
}
