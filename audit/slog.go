package audit

import "log/slog"

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
