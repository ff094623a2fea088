package consent

import (
	"context"
	"fmt"
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
	History []StatusChange `json:"history"`
}

// StatusChange is one entry of a request's status history.
type StatusChange struct {
	Status RequestStatus `json:"status"`
	At     time.Time     `json:"at"`
	Note   string        `json:"note,omitempty"` // no personal data
}

// final reports whether the request is closed.
func (r Request) final() bool { return r.Status == StatusCompleted || r.Status == StatusRejected }

// DeadlinePolicy says when a data-subject request is due: [Deadlines]
// (calendar durations) or [WorkingDays] (a production calendar). Deadlines
// change with the law, so they are configuration ([Options].Deadlines).
// Its method is unexported: these two are the policies.
type DeadlinePolicy interface {
	due(kind RequestKind, opened time.Time) (time.Time, error)
}

// Deadlines is a DeadlinePolicy of calendar durations per request kind. A
// kind without an entry fails with ErrNotConfigured.
type Deadlines map[RequestKind]time.Duration

func (d Deadlines) due(kind RequestKind, opened time.Time) (time.Time, error) {
	v, ok := d[kind]
	if !ok || v <= 0 {
		return time.Time{}, fmt.Errorf("%w: %q", ErrNotConfigured, kind)
	}
	return opened.Add(v), nil
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
	if l.deadlines == nil {
		return Request{}, fmt.Errorf("%w: Options.Deadlines", ErrNotConfigured)
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
		History: []StatusChange{{Status: StatusOpen, At: now}},
	}
	if err := l.store.createRequest(ctx, r); err != nil {
		return Request{}, err
	}
	return r, nil
}

// SetRequestStatus moves request id to status. Changes not allowed by the
// workflow (open → in_progress → completed or rejected; final states are
// final) fail with ErrInvalidTransition and change nothing.
func (l *Ledger) SetRequestStatus(ctx context.Context, id string, status RequestStatus, note string) (Request, error) {
	if err := validID("ID", id, false); err != nil {
		return Request{}, err
	}
	if err := validText("Note", note, textMaxLen, true); err != nil {
		return Request{}, err
	}
	now := l.now()
	return l.store.updateRequest(ctx, id, func(r Request) (Request, error) {
		if !canTransition(r.Status, status) {
			return Request{}, fmt.Errorf("%w: from %q to %q", ErrInvalidTransition, r.Status, status)
		}
		if len(r.History) > 0 {
			now = later(now, r.History[len(r.History)-1].At)
		}
		r.History = append(append([]StatusChange(nil), r.History...), StatusChange{Status: status, At: now, Note: note})
		r.Status = status
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

// WorkingDays is a DeadlinePolicy that counts working days: Monday to
// Friday in Location, minus Holidays. A request is due at the end of its
// last working day, the day it was opened not counted. Days and Holidays
// are configuration (the production calendar changes every year).
type WorkingDays struct {
	Days     map[RequestKind]int
	Holidays []time.Time    // only the date in Location matters
	Location *time.Location // nil means UTC; e.g. Asia/Almaty
}

func (w WorkingDays) due(kind RequestKind, opened time.Time) (time.Time, error) {
	n, ok := w.Days[kind]
	if !ok || n <= 0 {
		return time.Time{}, fmt.Errorf("%w: %q", ErrNotConfigured, kind)
	}
	loc := w.Location
	if loc == nil {
		loc = time.UTC
	}
	off := map[[3]int]bool{}
	for _, h := range w.Holidays {
		y, m, d := h.In(loc).Date()
		off[[3]int{y, int(m), d}] = true
	}
	y, m, d := opened.In(loc).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		y, m, d := day.Date()
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday && !off[[3]int{y, int(m), d}] {
			n--
		}
		if day.Year() > opened.Year()+2 {
			return time.Time{}, fmt.Errorf("%w: calendar has no working days", ErrNotConfigured)
		}
	}
	return day.AddDate(0, 0, 1), nil
}
