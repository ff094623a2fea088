package audit

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
)

// LogValue implements [slog.LogValuer]: an Event passed to a slog logger
// is rendered as a group of its fields. Every text field is escaped before
// any handler sees it: control characters (C0, DEL, C1 such as NEL),
// U+2028, U+2029 and the bidirectional formatting characters are written
// as Go escape sequences (\n, \u0085, ...), and a backslash or double
// quote is escaped too, so a value is strconv.Unquote-able between double
// quotes and no handler, whatever it escapes itself, can be made to print
// a forged line. The subject is already a pseudonym.
func (e Event) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.Time("time", e.Time.UTC()),
		slog.String("actor", escapeText(e.Actor.ID)),
		slog.String("role", escapeText(e.Actor.Role)),
		slog.String("action", escapeText(string(e.Action))),
		slog.String("subject", escapeText(string(e.Subject))),
		slog.String("resource", escapeText(e.Resource)),
		slog.String("purpose", escapeText(e.Purpose)),
		slog.String("outcome", e.Outcome.String()),
		slog.String("reason", escapeText(e.Reason)),
		slog.String("correlation_id", escapeText(e.CorrelationID)),
	}
	if e.BreakGlass {
		attrs = append(attrs, slog.Bool("break_glass", true))
	}
	return slog.GroupValue(attrs...)
}

// errNoEvent is returned by the OCSF handler for a record without an Event.
var errNoEvent = errors.New("audit: slog record carries no audit.Event")

// ocsfHandler is the slog.Handler returned by NewOCSFHandler.
type ocsfHandler struct {
	mu      *sync.Mutex
	w       io.Writer
	product OCSFProduct
}

// NewOCSFHandler returns a [slog.Handler] that writes each record carrying
// an [Event] (as the value of any top-level attribute) to w as one line of
// OCSF JSON (see [MarshalOCSF]), for shipping access events to a SIEM
// through slog:
//
//	siem := slog.New(audit.NewOCSFHandler(w, product))
//	siem.Info("access", "event", e)
//
// Only the Event is exported: the message, level, other attributes and
// groups are not part of the OCSF record. Handle returns an error for a
// record without an Event or with an invalid one (slog.Logger discards
// it; call Handle directly to see it). Writes are serialised, so the
// handler is safe for concurrent use.
func NewOCSFHandler(w io.Writer, product OCSFProduct) slog.Handler {
	return &ocsfHandler{mu: new(sync.Mutex), w: w, product: product}
}

// Enabled reports true for every level: access events are never filtered
// by level.
func (h *ocsfHandler) Enabled(context.Context, slog.Level) bool { return true }

// Handle writes the record's Event as one OCSF JSON line.
func (h *ocsfHandler) Handle(_ context.Context, r slog.Record) error {
	var (
		ev    Event
		found bool
	)
	r.Attrs(func(a slog.Attr) bool {
		switch v := a.Value.Any().(type) {
		case Event:
			ev, found = v, true
		case *Event:
			if v != nil {
				ev, found = *v, true
			}
		}
		return !found
	})
	if !found {
		return errNoEvent
	}
	line, err := MarshalOCSF(ev, h.product)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err = h.w.Write(line)
	return err
}

// WithAttrs returns h: attributes are not part of the OCSF record.
func (h *ocsfHandler) WithAttrs([]slog.Attr) slog.Handler { return h }

// WithGroup returns h: groups are not part of the OCSF record.
func (h *ocsfHandler) WithGroup(string) slog.Handler { return h }
