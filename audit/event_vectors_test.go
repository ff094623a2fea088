package audit

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata/event_vectors.json pins the version-1 event encoding and the
// pseudonym construction for other implementations (an auditor's own
// verifier, say). It was generated once, by running this file's tests with
// COMPLIANCE_UPDATE_EVENT_VECTORS=1, and checked by hand against the layout
// documented on Event.MarshalBinary; since then the tests only read it.

const eventVectorsFile = "testdata/event_vectors.json"

type eventVectors struct {
	Comment    string            `json:"comment"`
	Valid      []eventVector     `json:"valid"`
	Invalid    []invalidVector   `json:"invalid"`
	Pseudonyms []pseudonymVector `json:"pseudonyms"`
}

type eventVector struct {
	Name          string `json:"name"`
	Time          string `json:"time"` // RFC 3339 with nanoseconds, UTC
	ActorID       string `json:"actor_id"`
	ActorRole     string `json:"actor_role"`
	Action        string `json:"action"`
	Subject       string `json:"subject"`
	Resource      string `json:"resource"`
	Purpose       string `json:"purpose"`
	Outcome       uint8  `json:"outcome"`
	Reason        string `json:"reason"`
	CorrelationID string `json:"correlation_id"`
	BreakGlass    bool   `json:"break_glass"`
	Encoding      string `json:"encoding"` // hex
}

type invalidVector struct {
	Name     string `json:"name"`
	Encoding string `json:"encoding"` // hex
}

type pseudonymVector struct {
	Key       string `json:"key"` // hex
	ID        string `json:"id"`
	Pseudonym string `json:"pseudonym"`
}

func (v eventVector) event(t *testing.T) Event {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, v.Time)
	require.NoError(t, err)
	return Event{
		Time: tm.UTC(), Actor: Actor{ID: v.ActorID, Role: v.ActorRole}, Action: Action(v.Action),
		Subject: Pseudonym(v.Subject), Resource: v.Resource, Purpose: v.Purpose, Outcome: Outcome(v.Outcome),
		Reason: v.Reason, CorrelationID: v.CorrelationID, BreakGlass: v.BreakGlass,
	}
}

func TestEventVectors(t *testing.T) {
	if os.Getenv("COMPLIANCE_UPDATE_EVENT_VECTORS") != "" {
		writeEventVectors(t)
	}
	raw, err := os.ReadFile(eventVectorsFile)
	require.NoError(t, err)
	var vs eventVectors
	require.NoError(t, json.Unmarshal(raw, &vs))
	require.NotEmpty(t, vs.Valid)
	require.NotEmpty(t, vs.Invalid)
	require.NotEmpty(t, vs.Pseudonyms)

	for _, v := range vs.Valid {
		t.Run("valid/"+v.Name, func(t *testing.T) {
			want, err := hex.DecodeString(v.Encoding)
			require.NoError(t, err)
			e := v.event(t)
			got, err := e.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, want, got)
			var d Event
			require.NoError(t, d.UnmarshalBinary(want))
			assert.Equal(t, e, d)
		})
	}
	for _, v := range vs.Invalid {
		t.Run("invalid/"+v.Name, func(t *testing.T) {
			data, err := hex.DecodeString(v.Encoding)
			require.NoError(t, err)
			var d Event
			require.ErrorIs(t, d.UnmarshalBinary(data), ErrInvalidEvent)
		})
	}
	for _, v := range vs.Pseudonyms {
		key, err := hex.DecodeString(v.Key)
		require.NoError(t, err)
		p, err := NewPseudonymizer(key)
		require.NoError(t, err)
		assert.Equal(t, Pseudonym(v.Pseudonym), p.Subject(v.ID))
	}
}

// writeEventVectors regenerates the vector file from the current code.
func writeEventVectors(t *testing.T) {
	key := bytes.Repeat([]byte{0x42}, 32)
	p, err := NewPseudonymizer(key)
	require.NoError(t, err)
	base := eventVector{
		Time: "2026-11-26T12:00:00.123456789Z", ActorID: "emp-17", ActorRole: "support", Action: "read",
		Subject: string(p.Subject("user-1001")), Resource: "users/profile", Purpose: "support.ticket",
		Outcome: 1, Reason: "ticket 4711", CorrelationID: "req-9f2c",
	}
	valid := []eventVector{base}
	add := func(name string, f func(*eventVector)) {
		v := base
		v.Name = name
		f(&v)
		valid = append(valid, v)
	}
	valid[0].Name = "read allowed"
	add("minimal", func(v *eventVector) {
		*v = eventVector{Name: v.Name, Time: "1970-01-01T00:00:00.000000001Z", ActorID: "a", Action: "login", Outcome: 3}
	})
	add("denied with break glass", func(v *eventVector) { v.Outcome, v.BreakGlass, v.Reason = 2, true, "break_glass_no_reason" })
	add("control characters kept verbatim", func(v *eventVector) { v.Reason = "a\r\nb\x00c\x1b[2K\u2028\u202e" })
	add("non-ASCII", func(v *eventVector) { v.Purpose, v.ActorRole = "поддержка", "оператор" })
	add("before 1970", func(v *eventVector) { v.Time = "1969-07-20T20:17:40Z" })
	for i := range valid {
		data, err := valid[i].event(t).MarshalBinary()
		require.NoError(t, err)
		valid[i].Encoding = hex.EncodeToString(data)
	}
	good, _ := hex.DecodeString(valid[0].Encoding)
	mut := func(f func([]byte) []byte) string { return hex.EncodeToString(f(bytes.Clone(good))) }
	invalid := []invalidVector{
		{"empty", ""},
		{"version 0", mut(func(b []byte) []byte { b[0] = 0; return b })},
		{"version 2", mut(func(b []byte) []byte { b[0] = 2; return b })},
		{"unknown flag", mut(func(b []byte) []byte { b[9] |= 0x80; return b })},
		{"outcome 0", mut(func(b []byte) []byte { b[10] = 0; return b })},
		{"outcome 4", mut(func(b []byte) []byte { b[10] = 4; return b })},
		{"trailing byte", mut(func(b []byte) []byte { return append(b, 0) })},
		{"truncated", mut(func(b []byte) []byte { return b[:len(b)-1] })},
		{"length past end", mut(func(b []byte) []byte { b[11], b[12] = 0xff, 0xff; return b })},
		{"upper-case action", mut(func(b []byte) []byte { i := bytes.Index(b, []byte("read")); b[i] = 'R'; return b })},
		{"subject not a pseudonym", mut(func(b []byte) []byte { i := bytes.Index(b, []byte("ps1:")); b[i] = 'P'; return b })},
		{"invalid UTF-8", mut(func(b []byte) []byte { i := bytes.Index(b, []byte("ticket 4711")); b[i] = 0xff; return b })},
	}
	vs := eventVectors{
		Comment: "github.com/1cb-kz/compliance/audit event encoding v1 and pseudonyms; see Event.MarshalBinary. " +
			"outcome: 1 allowed, 2 denied, 3 error. Pseudonym: \"ps1:\" || hex(HMAC-SHA256(key, " +
			"\"github.com/1cb-kz/compliance/audit subject v1\\x00\" || id)).",
		Valid:   valid,
		Invalid: invalid,
		Pseudonyms: []pseudonymVector{
			{Key: hex.EncodeToString(key), ID: "user-1001", Pseudonym: string(p.Subject("user-1001"))},
			{Key: hex.EncodeToString(key), ID: "", Pseudonym: string(p.Subject(""))},
			{Key: hex.EncodeToString(bytes.Repeat([]byte{0x01}, 48)), ID: "user-1001", Pseudonym: ""},
		},
	}
	p48, err := NewPseudonymizer(bytes.Repeat([]byte{0x01}, 48))
	require.NoError(t, err)
	vs.Pseudonyms[2].Pseudonym = string(p48.Subject("user-1001"))
	out, err := json.MarshalIndent(vs, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(eventVectorsFile), 0o755))
	require.NoError(t, os.WriteFile(eventVectorsFile, append(out, '\n'), 0o644))
}
