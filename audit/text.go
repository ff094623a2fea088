package audit

import (
	"strconv"
	"unicode/utf8"
)

// The text renderings of an Event (String, LogValue, the OCSF JSON) must
// never let a field start a new line or reorder the text around it, for
// any reader: one that splits at LF, one that splits the Unicode way (NEL,
// LS, PS, VT, FF, CR), a terminal (ESC and the C1 controls), or a viewer
// that applies the bidirectional algorithm. Each escapes every rune for
// which mustEscape is true.

// mustEscape reports whether r may not appear raw in a text rendering: the
// C0 controls, DEL and the C1 controls (NEL U+0085 among them), U+2028
// LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR, and the bidirectional
// formatting characters (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066
// to U+2069; CVE-2021-42574).
func mustEscape(r rune) bool {
	switch {
	case r < 0x20, 0x7f <= r && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, 0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
		return true
	}
	return false
}

// escapeText returns s with every rune for which mustEscape is true, every
// byte that is not UTF-8, every backslash and every double quote written as
// a Go escape sequence, so strconv.Unquote of s between double quotes gives
// s back. A string with none of them is returned unchanged.
func escapeText(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == '\\' || r == '"' || mustEscape(r) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	buf := make([]byte, 0, len(s)+16)
	buf = append(buf, s[:i]...)
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			buf = append(buf, `\x`...)
			buf = append(buf, hexDigits[s[i]>>4], hexDigits[s[i]&0xf])
		case r == '\\' || r == '"':
			buf = append(buf, '\\', byte(r))
		case mustEscape(r):
			// strconv escapes these as \a \b \f \n \r \t \v \xNN or \uNNNN.
			q := strconv.QuoteRune(r)
			buf = append(buf, q[1:len(q)-1]...)
		default:
			buf = append(buf, s[i:i+n]...)
		}
		i += n
	}
	return string(buf)
}

const hexDigits = "0123456789abcdef"

// escapeJSON rewrites the output of encoding/json so that no rune for which
// mustEscape is true appears raw: encoding/json escapes the C0 controls,
// U+2028 and U+2029 itself but leaves DEL, the C1 controls and the
// bidirectional formatting characters as they are. Outside strings JSON
// holds only ASCII punctuation, digits and letters, so every such rune is
// inside a string, where \uNNNN is its escape. The result decodes to the
// same value.
func escapeJSON(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r >= 0x7f && mustEscape(r) {
			if out == nil {
				out = make([]byte, 0, len(b)+16)
			}
			out = append(out, b[last:i]...)
			out = append(out, `\u`...)
			out = append(out, hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
			last = i + n
		}
		i += n
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
