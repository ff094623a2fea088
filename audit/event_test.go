package audit

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testPseudonymKey = bytes.Repeat([]byte{0x42}, 32)

func testPseudonym(t testing.TB, id string) Pseudonym {
	t.Helper()
	p, err := NewPseudonymizer(testPseudonymKey)
	require.NoError(t, err)
	return p.Subject(id)
}

func sampleEvent(t testing.TB) Event {
	return Event{
		Time:          time.Date(2026, 11, 26, 12, 0, 0, 123456789, time.UTC),
		Actor:         Actor{ID: "emp-17", Role: "support"},
		Action:        ActionRead,
		Subject:       testPseudonym(t, "user-1001"),
		Resource:      "users/profile",
		Purpose:       "support.ticket",
		Outcome:       OutcomeAllowed,
		Reason:        "ticket 4711",
		CorrelationID: "req-9f2c",
	}
}

// encodeByHand builds the documented version-1 layout independently of
// MarshalBinary, so the test pins the format rather than the code.
func encodeByHand(e Event) []byte {
	var b []byte
	b = append(b, 1)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Time.UnixNano()))
	var flags byte
	if e.BreakGlass {
		flags = 1
	}
	b = append(b, flags, byte(e.Outcome))
	for _, s := range []string{e.Actor.ID, e.Actor.Role, string(e.Action), string(e.Subject),
		e.Resource, e.Purpose, e.Reason, e.CorrelationID} {
		b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
		b = append(b, s...)
	}
	return b
}

func TestEventEncodingMatchesSpec(t *testing.T) {
	e := sampleEvent(t)
	got, err := e.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, encodeByHand(e), got)

	e.BreakGlass = true
	e.Outcome = OutcomeDenied
	got, err = e.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, encodeByHand(e), got)
}

func TestEventRoundTrip(t *testing.T) {
	base := sampleEvent(t)
	almaty := time.FixedZone("Asia/Almaty", 5*3600)
	tests := map[string]func(*Event){
		"sample": func(*Event) {},
		"minimal": func(e *Event) {
			*e = Event{Time: e.Time, Actor: Actor{ID: "x"}, Action: "login", Outcome: OutcomeError}
		},
		"break glass":       func(e *Event) { e.BreakGlass = true },
		"denied":            func(e *Event) { e.Outcome = OutcomeDenied; e.Reason = "training_expired" },
		"control chars":     func(e *Event) { e.Reason = "a\r\nb\x00c\x1b[31m\u202e" },
		"unicode":           func(e *Event) { e.Purpose = "поддержка"; e.Actor.Role = "оператор" },
		"max field":         func(e *Event) { e.Resource = strings.Repeat("r", MaxFieldLen) },
		"custom action":     func(e *Event) { e.Action = "bulk-export.v2" },
		"pre-epoch time":    func(e *Event) { e.Time = time.Date(1900, 1, 1, 0, 0, 0, 1, time.UTC) },
		"non-UTC location":  func(e *Event) { e.Time = e.Time.In(almaty) },
		"monotonic reading": func(e *Event) { e.Time = time.Now() },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			e := base
			mutate(&e)
			data, err := e.MarshalBinary()
			require.NoError(t, err)
			var d Event
			require.NoError(t, d.UnmarshalBinary(data))
			assert.True(t, d.Time.Equal(e.Time))
			assert.Equal(t, time.UTC, d.Time.Location())
			want := e
			want.Time = e.Time.Round(0).UTC()
			assert.Equal(t, want, d)
			again, err := d.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, data, again)
		})
	}
}

func TestEventMarshalRejects(t *testing.T) {
	raw := "alice@example.com"
	tests := map[string]func(*Event){
		"zero time":           func(e *Event) { e.Time = time.Time{} },
		"time out of range":   func(e *Event) { e.Time = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) },
		"missing actor":       func(e *Event) { e.Actor.ID = "" },
		"missing action":      func(e *Event) { e.Action = "" },
		"action with newline": func(e *Event) { e.Action = "read\nx" },
		"action upper case":   func(e *Event) { e.Action = "READ" },
		"action too long":     func(e *Event) { e.Action = Action(strings.Repeat("a", 65)) },
		"missing outcome":     func(e *Event) { e.Outcome = 0 },
		"unknown outcome":     func(e *Event) { e.Outcome = 4 },
		"raw subject":         func(e *Event) { e.Subject = Pseudonym(raw) },
		"upper-case hex":      func(e *Event) { e.Subject = Pseudonym(strings.ToUpper(string(e.Subject))) },
		"short pseudonym":     func(e *Event) { e.Subject = e.Subject[:len(e.Subject)-1] },
		"field too long":      func(e *Event) { e.Reason = strings.Repeat(raw, MaxFieldLen) },
		"invalid UTF-8":       func(e *Event) { e.Purpose = raw + "\xff" },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			e := sampleEvent(t)
			mutate(&e)
			data, err := e.MarshalBinary()
			require.ErrorIs(t, err, ErrInvalidEvent)
			assert.Nil(t, data)
			assert.NotContains(t, err.Error(), raw, "errors must not carry personal data")
		})
	}
}

func TestEventUnmarshalRejects(t *testing.T) {
	good, err := sampleEvent(t).MarshalBinary()
	require.NoError(t, err)
	with := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := map[string][]byte{
		"empty":            nil,
		"unknown version":  with(func(b []byte) []byte { b[0] = 2; return b }),
		"version zero":     with(func(b []byte) []byte { b[0] = 0; return b }),
		"unknown flag":     with(func(b []byte) []byte { b[9] = 0x02; return b }),
		"outcome zero":     with(func(b []byte) []byte { b[10] = 0; return b }),
		"outcome four":     with(func(b []byte) []byte { b[10] = 4; return b }),
		"trailing byte":    append(bytes.Clone(good), 0),
		"empty actor":      encodeByHand(Event{Time: time.Unix(1, 0), Action: "read", Outcome: OutcomeAllowed}),
		"raw subject":      encodeByHand(Event{Time: time.Unix(1, 0), Actor: Actor{ID: "a"}, Action: "read", Outcome: OutcomeAllowed, Subject: "bob"}),
		"bad action":       encodeByHand(Event{Time: time.Unix(1, 0), Actor: Actor{ID: "a"}, Action: "Read", Outcome: OutcomeAllowed}),
		"invalid UTF-8":    encodeByHand(Event{Time: time.Unix(1, 0), Actor: Actor{ID: "\xc3"}, Action: "read", Outcome: OutcomeAllowed}),
		"length overflows": with(func(b []byte) []byte { b[11], b[12] = 0xff, 0xff; return b }),
	}
	for i := range len(good) {
		tests[fmt.Sprintf("truncated at %d", i)] = good[:i]
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			e := sampleEvent(t)
			before := e
			err := e.UnmarshalBinary(data)
			require.ErrorIs(t, err, ErrInvalidEvent)
			assert.Equal(t, before, e, "a failed decode must leave the Event unchanged")
		})
	}
}

// TestEventNoLogInjection is the CWE-117 property: whatever a field holds,
// the record stays one record, and its text rendering one line.
func TestEventNoLogInjection(t *testing.T) {
	forged := sampleEvent(t)
	forged.Actor.ID = "admin"
	forged.Outcome = OutcomeAllowed
	forgedLine := forged.String()

	e := sampleEvent(t)
	e.Outcome = OutcomeDenied
	e.Reason = "nope\n" + forgedLine + "\r\n"
	e.Resource = "x\u2028y\u202ez"
	e.CorrelationID = "\x1b[2K\r"

	s := e.String()
	assert.NotContains(t, s, "\n")
	assert.NotContains(t, s, "\r")
	assert.NotContains(t, s, "\x1b")
	assert.NotContains(t, s, "\u2028")
	assert.NotContains(t, s, "\u202e")
	assert.NotContains(t, s, forgedLine, "the forged record only appears escaped, inside a quoted value")
	assert.Contains(t, s, strconv.Quote(e.Reason))

	data, err := e.MarshalBinary()
	require.NoError(t, err)
	var d Event
	require.NoError(t, d.UnmarshalBinary(data))
	assert.Equal(t, OutcomeDenied, d.Outcome)
	assert.Equal(t, e.Reason, d.Reason, "content is kept verbatim, not silently altered")
}

func TestEventString(t *testing.T) {
	e := sampleEvent(t)
	e.BreakGlass = true
	assert.Equal(t,
		`time=2026-11-26T12:00:00.123456789Z actor="emp-17" role="support" action="read" subject="`+string(e.Subject)+
			`" resource="users/profile" purpose="support.ticket" outcome=allowed reason="ticket 4711" correlation_id="req-9f2c" break_glass=true`,
		e.String())
}

func TestOutcomeString(t *testing.T) {
	assert.Equal(t, "allowed", OutcomeAllowed.String())
	assert.Equal(t, "denied", OutcomeDenied.String())
	assert.Equal(t, "error", OutcomeError.String())
	assert.Equal(t, "outcome(0)", Outcome(0).String())
}

func TestPseudonymizer(t *testing.T) {
	for _, short := range [][]byte{nil, make([]byte, MinPseudonymKeyLen-1)} {
		_, err := NewPseudonymizer(short)
		require.ErrorIs(t, err, ErrInvalidOptions)
	}

	key := bytes.Repeat([]byte{7}, 32)
	p, err := NewPseudonymizer(key)
	require.NoError(t, err)
	key[0] = 8 // the Pseudonymizer keeps its own copy
	a := p.Subject("user-1001")

	m := hmac.New(sha256.New, bytes.Repeat([]byte{7}, 32))
	m.Write([]byte("github.com/1cb-kz/compliance/audit subject v1\x00user-1001"))
	assert.Equal(t, Pseudonym("ps1:"+hex.EncodeToString(m.Sum(nil))), a)

	assert.Equal(t, a, p.Subject("user-1001"), "deterministic")
	assert.NotEqual(t, a, p.Subject("user-1002"))
	other, err := NewPseudonymizer(bytes.Repeat([]byte{8}, 32))
	require.NoError(t, err)
	assert.NotEqual(t, a, other.Subject("user-1001"), "a different key gives unlinkable pseudonyms")
	assert.NotContains(t, string(a), "user")

	assert.True(t, a.valid())
	for _, bad := range []Pseudonym{"user-1001", a[:len(a)-1], a + "0", Pseudonym(strings.ToUpper(string(a))), "ps2:" + a[4:]} {
		assert.False(t, bad.valid(), "%q", bad)
	}
}

func FuzzEventUnmarshal(f *testing.F) {
	e := sampleEvent(f)
	good, _ := e.MarshalBinary()
	f.Add(good)
	e.BreakGlass, e.Subject, e.Reason = true, "", "a\nb"
	good, _ = e.MarshalBinary()
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		var e Event
		if err := e.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrInvalidEvent) {
				t.Fatalf("error does not wrap ErrInvalidEvent: %v", err)
			}
			return
		}
		again, err := e.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded event does not re-encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("non-canonical encoding accepted:\n in  %x\n out %x", data, again)
		}
		if strings.ContainsAny(e.String(), "\r\n") {
			t.Fatalf("text rendering spans lines: %q", e.String())
		}
	})
}

func FuzzEventRoundTrip(f *testing.F) {
	f.Add(int64(0), "emp", "role", "read", "res", "purpose", "reason", "corr", uint8(1), false, true)
	f.Add(int64(-1), "a\nb", "", "x", "\r\n", "\x00", "\xff", "", uint8(3), true, false)
	ps := testPseudonym(f, "u")
	f.Fuzz(func(t *testing.T, nanos int64, actor, role, action, resource, purpose, reason, corr string,
		outcome uint8, breakGlass, withSubject bool) {
		e := Event{
			Time: time.Unix(0, nanos), Actor: Actor{ID: actor, Role: role}, Action: Action(action),
			Resource: resource, Purpose: purpose, Outcome: Outcome(outcome), Reason: reason,
			CorrelationID: corr, BreakGlass: breakGlass,
		}
		if withSubject {
			e.Subject = ps
		}
		data, err := e.MarshalBinary()
		if err != nil {
			if !errors.Is(err, ErrInvalidEvent) {
				t.Fatalf("error does not wrap ErrInvalidEvent: %v", err)
			}
			return
		}
		var d Event
		if err := d.UnmarshalBinary(data); err != nil {
			t.Fatalf("encoded event does not decode: %v", err)
		}
		e.Time = e.Time.UTC()
		if d != e {
			t.Fatalf("round trip changed the event:\n %v\n %v", e, d)
		}
	})
}

// TestLargestRecord: MaxFieldLen bounds a record under 25 KiB (its doc),
// far inside the 1 MiB a store accepts per entry.
func TestLargestRecord(t *testing.T) {
	full := strings.Repeat("x", MaxFieldLen)
	e := sampleEvent(t)
	e.Actor = Actor{ID: full, Role: full}
	e.Action = Action(strings.Repeat("a", maxActionLen))
	e.Resource, e.Purpose, e.Reason, e.CorrelationID = full, full, full, full
	data, err := e.MarshalBinary()
	require.NoError(t, err)
	assert.Less(t, len(data), 25<<10)
	assert.Less(t, len(data), maxEntrySize)
	e.Action += "a"
	_, err = e.MarshalBinary()
	require.ErrorIs(t, err, ErrInvalidEvent, "an action longer than 64 bytes")
}

// TestPseudonymizerPrintsNoKey: the key is the only thing that links the
// log to people; no fmt verb, slog handler or encoding/json shows it.
func TestPseudonymizerPrintsNoKey(t *testing.T) {
	key := bytes.Repeat([]byte{0x5a}, MinPseudonymKeyLen) // 'Z', 90
	p, err := NewPseudonymizer(key)
	require.NoError(t, err)
	var out bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q"} {
		fmt.Fprintf(&out, verb+"\n", p)
		fmt.Fprintf(&out, verb+"\n", *p)
		fmt.Fprintf(&out, verb+"\n", struct{ P *Pseudonymizer }{p})
		fmt.Fprintf(&out, verb+"\n", struct{ p Pseudonymizer }{*p})
		fmt.Fprintf(&out, verb+"\n", []any{p, &p})
	}
	slog.New(slog.NewTextHandler(&out, nil)).Info("x", "p", p, "v", *p)
	slog.New(slog.NewJSONHandler(&out, nil)).Info("x", "p", p, "v", *p)
	js, err := json.Marshal(p) //lint:ignore SA9005 the point: json must see nothing
	require.NoError(t, err)
	out.Write(js)
	s := out.String()
	for _, leak := range []string{"ZZZZ", "5a5a5a5a", "5A5A5A5A", "90 90 90 90", "WlpaWlpa", "[90", "\\x5a"} {
		assert.NotContains(t, s, leak)
	}
}
