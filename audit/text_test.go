package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// forbidden is the test's own statement of what no text rendering may hold
// raw, from the Unicode tables rather than from mustEscape: every control
// (Cc: C0, DEL, C1 with NEL), the line and paragraph separators, and every
// Bidi_Control character.
func forbidden(r rune) bool {
	return unicode.Is(unicode.Cc, r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

func requireNoRaw(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if forbidden(r) {
			t.Fatalf("%s holds U+%04X raw at byte %d", what, r, i)
		}
	}
	require.True(t, utf8.ValidString(out), "%s is not UTF-8", what)
}

// textFieldsOf names the free-text fields a rendering must carry.
func textFieldsOf(e Event) map[string]string {
	return map[string]string{
		"actor": e.Actor.ID, "role": e.Actor.Role, "resource": e.Resource,
		"purpose": e.Purpose, "reason": e.Reason, "correlation_id": e.CorrelationID,
	}
}

// parseString reads the quoted fields back from Event.String.
func parseString(t *testing.T, s string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, k := range []string{"actor", "role", "action", "subject", "resource", "purpose", "reason", "correlation_id"} {
		_, rest, ok := strings.Cut(s, " "+k+"=")
		if !ok {
			t.Fatalf("String has no %s", k)
		}
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			t.Fatalf("String field %s: %v", k, err)
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			t.Fatalf("String field %s: %v", k, err)
		}
		got[k] = v
		s = rest[len(q):]
	}
	return got
}

// parseTextHandler reads event.KEY values back from one slog text line.
func parseTextHandler(t *testing.T, line, key string) string {
	t.Helper()
	_, rest, ok := strings.Cut(line, " event."+key+"=")
	if !ok {
		t.Fatalf("no event.%s", key)
	}
	v := rest
	if strings.HasPrefix(rest, `"`) {
		q, err := strconv.QuotedPrefix(rest)
		if err == nil {
			v, err = strconv.Unquote(q)
		}
		if err != nil {
			t.Fatalf("event.%s: %v", key, err)
		}
	} else if i := strings.IndexByte(rest, ' '); i >= 0 {
		v = rest[:i]
	}
	return v
}

// unescapeLogValue inverts escapeText, as a reader of LogValue output does.
func unescapeLogValue(t *testing.T, v string) string {
	t.Helper()
	s, err := strconv.Unquote(`"` + v + `"`)
	if err != nil {
		t.Fatalf("LogValue value %q: %v", v, err)
	}
	return s
}

// TestRenderingsEscapeEveryCodePoint puts every Unicode code point into
// the text fields of an event, in runs of 256 (each field its own run, after
// a fixed sample of the characters that must be escaped, a backslash and a
// double quote), and renders the event through String, LogValue (slog's
// text and JSON handlers) and MarshalOCSF: no output may hold a control, a
// line or paragraph separator or a bidirectional control raw, and each must
// give every field back exactly.
func TestRenderingsEscapeEveryCodePoint(t *testing.T) {
	const run = 256
	const sample = "\\\"\n\r\x00\x1b\x7f\u0085\u009b\u2028\u2029\u202e\u2066"
	base := sampleEvent(t)
	var jsonBuf, textBuf bytes.Buffer
	jsonLog := slog.New(slog.NewJSONHandler(&jsonBuf, nil))
	textLog := slog.New(slog.NewTextHandler(&textBuf, nil))
	runOf := func(start rune) string {
		var sb strings.Builder
		sb.WriteString(sample)
		for r := start; r < start+run && r <= unicode.MaxRune; r++ {
			if utf8.ValidRune(r) { // not a surrogate
				sb.WriteRune(r)
			}
		}
		return sb.String()
	}
	covered := rune(0)
	for start := rune(0); start <= unicode.MaxRune; start += 6 * run {
		e := base
		for i, f := range []*string{&e.Actor.ID, &e.Actor.Role, &e.Resource, &e.Purpose, &e.Reason, &e.CorrelationID} {
			*f = runOf(start + rune(i)*run)
			covered = min(start+rune(i+1)*run, unicode.MaxRune+1)
		}
		text := e.Reason
		want := textFieldsOf(e)
		where := fmt.Sprintf("runes U+%04X..", start)

		s := e.String()
		requireNoRaw(t, "String "+where, s)
		got := parseString(t, s)
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("String %s field %s: got %q", where, k, got[k])
			}
		}

		o, err := MarshalOCSF(e, OCSFProduct{Name: text})
		require.NoError(t, err)
		requireNoRaw(t, "OCSF "+where, string(o))
		var oj struct {
			StatusDetail string `json:"status_detail"`
			Metadata     struct {
				Product        OCSFProduct `json:"product"`
				CorrelationUID string      `json:"correlation_uid"`
			} `json:"metadata"`
			Actor struct {
				User struct {
					UID    string `json:"uid"`
					Groups []struct {
						Name string `json:"name"`
					} `json:"groups"`
				} `json:"user"`
			} `json:"actor"`
			Table    struct{ Name string } `json:"table"`
			Unmapped struct {
				Purpose string `json:"purpose"`
			} `json:"unmapped"`
		}
		require.NoError(t, json.Unmarshal(o, &oj), where)
		require.Len(t, oj.Actor.User.Groups, 1)
		for k, v := range map[string]string{
			"actor": oj.Actor.User.UID, "role": oj.Actor.User.Groups[0].Name, "resource": oj.Table.Name,
			"purpose": oj.Unmapped.Purpose, "reason": oj.StatusDetail, "correlation_id": oj.Metadata.CorrelationUID,
		} {
			if v != want[k] {
				t.Fatalf("OCSF %s field %s: got %q", where, k, v)
			}
		}
		require.Equal(t, text, oj.Metadata.Product.Name)

		jsonBuf.Reset()
		jsonLog.Info("access", "event", e)
		line := jsonBuf.String()
		requireNoRaw(t, "slog JSON "+where, strings.TrimSuffix(line, "\n"))
		var jl struct{ Event map[string]any }
		require.NoError(t, json.Unmarshal([]byte(line), &jl), where)
		for k, v := range want {
			if got := unescapeLogValue(t, jl.Event[k].(string)); got != v {
				t.Fatalf("slog JSON %s field %s: got %q", where, k, got)
			}
		}

		textBuf.Reset()
		textLog.Info("access", "event", e)
		line = textBuf.String()
		requireNoRaw(t, "slog text "+where, strings.TrimSuffix(line, "\n"))
		for k, v := range want {
			if got := unescapeLogValue(t, parseTextHandler(t, line, k)); got != v {
				t.Fatalf("slog text %s field %s: got %q", where, k, got)
			}
		}
	}
	require.Equal(t, unicode.MaxRune+1, covered, "every code point rendered")
}

// TestEscapeText pins the escapes a reader sees.
func TestEscapeText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text, ünïcödé, 日本", "plain text, ünïcödé, 日本"},
		{"a\nb", `a\nb`},
		{"nel\u0085", `nel\u0085`},
		{"del\x7f", `del\x7f`},
		{"ls\u2028ps\u2029", `ls\u2028ps\u2029`},
		{"rlo\u202eiso\u2066", `rlo\u202eiso\u2066`},
		{`back\slash "quoted"`, `back\\slash \"quoted\"`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"esc\x1b[2J", `esc\x1b[2J`},
	} {
		assert.Equal(t, tt.want, escapeText(tt.in), "%q", tt.in)
		assert.Equal(t, tt.in, unescapeLogValue(t, escapeText(tt.in)))
	}
}

// FuzzRenderings checks the same properties on arbitrary field contents.
func FuzzRenderings(f *testing.F) {
	f.Add("a\u0085b", "x\u2028y")
	f.Add("\x7f\x9f", "\u202e\\\"")
	f.Fuzz(func(t *testing.T, a, b string) {
		e := sampleEvent(t)
		e.Reason, e.Resource = a, b
		s := e.String()
		requireNoRaw(t, "String", s)
		got := parseString(t, s)
		require.Equal(t, a, got["reason"])
		require.Equal(t, b, got["resource"])
		if o, err := MarshalOCSF(e, OCSFProduct{}); err == nil {
			requireNoRaw(t, "OCSF", string(o))
			require.True(t, json.Valid(o))
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("access", "event", e)
		requireNoRaw(t, "slog JSON", strings.TrimSuffix(buf.String(), "\n"))
		var jl struct{ Event map[string]any }
		require.NoError(t, json.Unmarshal(buf.Bytes(), &jl))
		require.Equal(t, a, unescapeLogValue(t, jl.Event["reason"].(string)))
	})
}
