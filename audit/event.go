package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
)

// eventVersion is the version byte that starts every encoded [Event].
const eventVersion = 1

// MaxFieldLen is the largest number of bytes a text field of an [Event] may
// hold. It bounds the size of a record (under 25 KiB) so a hostile
// caller cannot fill the log with one giant entry.
const MaxFieldLen = 4096

// maxActionLen bounds an [Action] token.
const maxActionLen = 64

// Action names what an actor did. Actions are short lower-case tokens of
// 1 to 64 bytes (letters, digits, '.', '_', '-'). The constants are the
// four that [MarshalOCSF] maps to an OCSF activity; any other token is as
// valid, e.g. Action("export") or Action("transfer"), and is exported to
// OCSF as Other with the token as its name.
type Action string

// The actions with an OCSF activity of their own.
const (
	ActionRead   Action = "read"
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	ActionDelete Action = "delete"
)

// valid reports whether a is a non-empty token of at most maxActionLen
// bytes drawn from [a-z0-9._-].
func (a Action) valid() bool {
	if len(a) == 0 || len(a) > maxActionLen {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Outcome is the result of an access decision or operation.
type Outcome uint8

// Outcomes. The zero value is deliberately invalid, so an Event whose
// outcome was forgotten cannot be encoded.
const (
	OutcomeAllowed Outcome = 1
	OutcomeDenied  Outcome = 2
	OutcomeError   Outcome = 3
)

// String returns "allowed", "denied", "error", or "outcome(N)" for an
// invalid value.
func (o Outcome) String() string {
	switch o {
	case OutcomeAllowed:
		return "allowed"
	case OutcomeDenied:
		return "denied"
	case OutcomeError:
		return "error"
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

func (o Outcome) valid() bool { return o >= OutcomeAllowed && o <= OutcomeError }

// Actor is the employee (or service) who acted.
type Actor struct {
	ID   string // stable employee or service identifier; required
	Role string // role under which the actor acted
}

// Event is one record of the access log: who (Actor) did what (Action) to
// whose data (Subject) and which data (Resource), why (Purpose), when
// (Time), and with what result (Outcome, Reason). It follows the content of
// NIST SP 800-53 AU-3 and the OWASP Logging Cheat Sheet.
//
// Subject is a keyed [Pseudonym], never a name, e-mail or other raw
// personal data: the encoder refuses anything else. Text fields may hold
// any valid UTF-8, control characters included; the binary encoding is
// length-prefixed, so no byte of a field can ever be read as the start of
// another field or record (CWE-117), and every text rendering
// ([Event.String], [Event.LogValue], [MarshalOCSF]) escapes the C0 and C1
// controls (NEL included), DEL, U+2028, U+2029 and the bidirectional
// formatting characters, so no field can start a line however a reader
// splits lines.
//
// Only Subject is checked for personal data. Resource, Reason and
// CorrelationID are free text: never put an account id, e-mail or other
// identifier there, or the log links the pseudonym back to the person and
// erasure no longer cuts the link.
type Event struct {
	Time          time.Time // when it happened; required, stored in UTC at nanosecond precision
	Actor         Actor
	Action        Action    // required
	Subject       Pseudonym // whose data; empty when no person's data is involved
	Resource      string    // which data, e.g. "users/profile" or a table name
	Purpose       string    // why, e.g. "support.ticket"
	Outcome       Outcome   // required
	Reason        string    // why the outcome, e.g. the denial reason code or a break-glass justification
	CorrelationID string    // request or trace id tying related events together
	BreakGlass    bool      // access granted by the emergency path, outside normal policy
}

// Encoding flags.
const (
	flagBreakGlass = 1 << 0
	knownFlags     = flagBreakGlass
)

// Time range representable in int64 nanoseconds since the Unix epoch.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

func invalid(field, why string) error {
	return fmt.Errorf("%w: %s %s", ErrInvalidEvent, field, why)
}

// validate checks every field. Errors name the field, never its content.
func (e *Event) validate() error {
	if e.Time.IsZero() {
		return invalid("time", "is missing")
	}
	if e.Time.Before(minTime) || e.Time.After(maxTime) {
		return invalid("time", "is out of range")
	}
	if e.Actor.ID == "" {
		return invalid("actor id", "is missing")
	}
	if !e.Action.valid() {
		return invalid("action", "is not a lower-case token of 1 to 64 bytes")
	}
	if !e.Outcome.valid() {
		return invalid("outcome", "is not allowed, denied or error")
	}
	if e.Subject != "" && !e.Subject.valid() {
		return invalid("subject", "is not a pseudonym")
	}
	for _, f := range [...]struct{ name, v string }{
		{"actor id", e.Actor.ID},
		{"actor role", e.Actor.Role},
		{"resource", e.Resource},
		{"purpose", e.Purpose},
		{"reason", e.Reason},
		{"correlation id", e.CorrelationID},
	} {
		if len(f.v) > MaxFieldLen {
			return invalid(f.name, "is too long")
		}
		if !utf8.ValidString(f.v) {
			return invalid(f.name, "is not valid UTF-8")
		}
	}
	return nil
}

// MarshalBinary returns the canonical encoding of e, or an error wrapping
// [ErrInvalidEvent] if a required field (Time, Actor.ID, Action, Outcome) is
// missing or any field is invalid. Nothing is silently dropped or changed,
// except that the time is converted to UTC (the instant is kept) and its
// monotonic clock reading is discarded.
//
// The encoding (version 1) is, in order:
//
//	uint8   version (1)
//	uint64  time, nanoseconds since 1970-01-01T00:00:00Z, two's complement
//	uint8   flags (bit 0: break glass; other bits zero)
//	uint8   outcome
//	then, each as a uint16 length followed by that many bytes:
//	        actor id, actor role, action, subject, resource, purpose,
//	        reason, correlation id
//
// All integers are big-endian. Every valid Event has exactly one encoding,
// and [Event.UnmarshalBinary] accepts only that one.
func (e Event) MarshalBinary() ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	var flags uint8
	if e.BreakGlass {
		flags |= flagBreakGlass
	}
	// validate bounds every field by MaxFieldLen, far below the uint16
	// limit of a length prefix.
	buf := make([]byte, 0, e.encodedLenHint())
	buf = append(buf, eventVersion)
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.Time.UnixNano()))
	buf = append(buf, flags, uint8(e.Outcome))
	for _, s := range e.textFields() {
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(s)))
		buf = append(buf, s...)
	}
	return buf, nil
}

func (e *Event) textFields() [8]string {
	return [8]string{
		e.Actor.ID, e.Actor.Role, string(e.Action), string(e.Subject),
		e.Resource, e.Purpose, e.Reason, e.CorrelationID,
	}
}

func (e *Event) encodedLenHint() int {
	n := 1 + 8 + 1 + 1
	for _, s := range e.textFields() {
		n += 2 + len(s)
	}
	return n
}

// UnmarshalBinary decodes the canonical encoding produced by
// [Event.MarshalBinary]. It rejects an unknown version, unknown flags,
// truncated input, trailing bytes and any field that MarshalBinary would
// refuse, with an error wrapping [ErrInvalidEvent]; on error e is left
// unchanged. The decoded time is in UTC.
func (e *Event) UnmarshalBinary(data []byte) error {
	s := cryptobyte.String(data)
	var (
		version, flags, outcome uint8
		nanos                   uint64
		text                    [8]cryptobyte.String
	)
	if !s.ReadUint8(&version) {
		return invalid("encoding", "is truncated")
	}
	if version != eventVersion {
		return invalid("encoding", "has an unknown version")
	}
	if !s.ReadUint64(&nanos) || !s.ReadUint8(&flags) || !s.ReadUint8(&outcome) {
		return invalid("encoding", "is truncated")
	}
	if flags&^knownFlags != 0 {
		return invalid("encoding", "has unknown flags")
	}
	for i := range text {
		if !s.ReadUint16LengthPrefixed(&text[i]) {
			return invalid("encoding", "is truncated")
		}
	}
	if !s.Empty() {
		return invalid("encoding", "has trailing bytes")
	}
	d := Event{
		Time:          time.Unix(0, int64(nanos)).UTC(),
		Actor:         Actor{ID: string(text[0]), Role: string(text[1])},
		Action:        Action(text[2]),
		Subject:       Pseudonym(text[3]),
		Resource:      string(text[4]),
		Purpose:       string(text[5]),
		Outcome:       Outcome(outcome),
		Reason:        string(text[6]),
		CorrelationID: string(text[7]),
		BreakGlass:    flags&flagBreakGlass != 0,
	}
	if err := d.validate(); err != nil {
		return err
	}
	*e = d
	return nil
}

// String renders e as one line of logfmt-style key=value pairs for humans.
// Every free-text value is quoted with Go escaping ([strconv.Quote]), so a
// control character (C0, DEL, C1 such as NEL), U+2028, U+2029 or any other
// invisible or bidirectional formatting character shows as an escape
// sequence and can never start a forged line. It is a view, not an encoding: use
// [Event.MarshalBinary] to store or hash an Event.
func (e Event) String() string {
	var sb strings.Builder
	sb.WriteString("time=")
	sb.WriteString(e.Time.UTC().Format(time.RFC3339Nano))
	kv := func(k, v string) {
		sb.WriteByte(' ')
		sb.WriteString(k)
		sb.WriteByte('=')
		sb.WriteString(strconv.Quote(v))
	}
	kv("actor", e.Actor.ID)
	kv("role", e.Actor.Role)
	kv("action", string(e.Action))
	kv("subject", string(e.Subject))
	kv("resource", e.Resource)
	kv("purpose", e.Purpose)
	sb.WriteString(" outcome=")
	sb.WriteString(e.Outcome.String())
	kv("reason", e.Reason)
	kv("correlation_id", e.CorrelationID)
	if e.BreakGlass {
		sb.WriteString(" break_glass=true")
	}
	return sb.String()
}

// Pseudonym is a keyed, one-way stand-in for a data subject's identifier,
// made by [Pseudonymizer.Subject]: "ps1:" followed by 64 lower-case hex
// digits. Whoever holds the key can recompute the pseudonym of a known
// identifier and so find that person's records; nobody else can link it to
// a person. One read back from elsewhere (a SIEM) is converted with
// Pseudonym(s): [Gate.Authorize] denies, and [Event.MarshalBinary] refuses,
// a subject of any other form, since it may be raw personal data.
type Pseudonym string

const (
	pseudonymPrefix = "ps1:"
	pseudonymLen    = len(pseudonymPrefix) + 2*sha256.Size
)

// valid reports whether p has the exact form produced by Pseudonymizer.
func (p Pseudonym) valid() bool {
	if len(p) != pseudonymLen || !strings.HasPrefix(string(p), pseudonymPrefix) {
		return false
	}
	for i := len(pseudonymPrefix); i < len(p); i++ {
		c := p[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// MinPseudonymKeyLen is the shortest key [NewPseudonymizer] accepts.
const MinPseudonymKeyLen = 32

// pseudonymDomain separates these HMACs from any other use of the key.
const pseudonymDomain = "github.com/1cb-kz/compliance/audit subject v1\x00"

// Pseudonymizer turns data subjects' identifiers into [Pseudonym]s with
// HMAC-SHA256 under a secret key that the host keeps outside the log.
// Destroying the key cuts the link between the log and the people in it for
// good, without touching the log (whose hashes must not change). Pass a
// stable internal account id, not an e-mail address or phone number: after
// the account is erased nothing maps the pseudonym back to a person, even
// for the key holder. A Pseudonymizer is safe for concurrent use. It never
// shows its key: fmt and slog print an address in its place, and
// encoding/json sees no field.
type Pseudonymizer struct {
	key *pseudonymKey
}

// pseudonymKey keeps the key two pointers away from any value a caller can
// print: fmt prints a nested pointer as an address, and a verb a pointer
// does not take (%s, %q) dereferences only the one at fault, whose fields
// then print with %v.
type pseudonymKey struct{ b *[]byte }

// NewPseudonymizer returns a Pseudonymizer keyed with a copy of key, which
// must be at least [MinPseudonymKeyLen] random bytes; a shorter key is an
// error wrapping [ErrInvalidOptions].
func NewPseudonymizer(key []byte) (*Pseudonymizer, error) {
	if len(key) < MinPseudonymKeyLen {
		return nil, fmt.Errorf("%w: pseudonym key must be at least %d bytes", ErrInvalidOptions, MinPseudonymKeyLen)
	}
	k := append([]byte(nil), key...)
	return &Pseudonymizer{key: &pseudonymKey{b: &k}}, nil
}

// Subject returns the pseudonym of the data subject identified by id.
// The same key and id always give the same pseudonym.
func (p *Pseudonymizer) Subject(id string) Pseudonym {
	m := hmac.New(sha256.New, *p.key.b)
	m.Write([]byte(pseudonymDomain))
	m.Write([]byte(id))
	return Pseudonym(pseudonymPrefix + hex.EncodeToString(m.Sum(nil)))
}
