package password

import (
	"fmt"
	"log/slog"
)

// redacted is what a Secret prints as.
const redacted = "[REDACTED]"

// Secret holds a password (or any other secret string) so that it cannot be
// printed by accident: fmt (every verb, %v %s %q %x %#v included), JSON,
// text and gob encoding, and log/slog all show [REDACTED]. Reveal returns the
// value for the one place that needs it (Check, Hash).
//
// Secret decodes from JSON as the string it is (encoding/json's error for
// any other JSON value names its kind, never its digits), so a request
// struct can declare `Password password.Secret` and be logged safely
// afterwards. It guards
// against accidents, not against code that calls Reveal or converts it with
// string(s), nor against printers that bypass these interfaces because a
// Secret is a string underneath:
//   - an unexported struct field of type Secret: fmt and slog's text
//     handler print it through reflection, in the clear (keep Secret fields
//     exported, as in the example);
//   - reflection dumpers (go-spew, testify's diffs);
//   - encoding/json map keys, which use a string-kinded key as is: do not
//     use a Secret as a map key.
type Secret string

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

// String returns [REDACTED].
func (Secret) String() string { return redacted }

// Format writes [REDACTED] for every verb and flag, %#v included (fmt asks
// a Formatter before a GoStringer).
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue returns [REDACTED] for log/slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON returns "[REDACTED]".
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns [REDACTED], for encoders other than JSON.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// GobEncode returns [REDACTED]: encoding/gob ignores MarshalText and would
// otherwise send the value.
func (Secret) GobEncode() ([]byte, error) { return []byte(redacted), nil }
