package pii

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors. Test for them with errors.Is; the typed errors below wrap
// them and carry detail that is safe to log (key ids and states, type and
// field names, never key material, plaintext, subject ids or context values).
var (
	// ErrDecrypt reports a token that is malformed, was tampered with, was
	// moved to another row or column, or belongs to another keyring.
	ErrDecrypt = errors.New("pii: decryption failed")
	// ErrUnknownKey reports a key id that the keyring does not hold, or holds
	// in a state that refuses the operation (disabled, destroyed, below the
	// minimum decryption version). The error is a *[KeyError], or for a
	// subject without a data key a plain wrap.
	ErrUnknownKey = errors.New("pii: unknown or unusable key")
	// ErrErased reports a subject whose data key was destroyed by
	// [Encryptor.Forget].
	ErrErased = errors.New("pii: subject erased")
	// ErrPlaintext reports a value that is not a token, met in strict mode.
	ErrPlaintext = errors.New("pii: value is not an encrypted token")
	// ErrKeyring reports a keyring that cannot be read (malformed JSON, a
	// keyring file that group or others may access, a missing environment
	// variable) or a state change that the keyring refuses.
	ErrKeyring = errors.New("pii: invalid keyring")
	// ErrNotMinimal reports a struct holding personal data outside the
	// allowed categories; the error is a *[MinimisationError].
	ErrNotMinimal = errors.New("pii: personal data outside the allowed categories")
	// ErrInvalid reports a programming or configuration error: a
	// [Encryptor.Seal], [Encryptor.Open], [Inventory] or [CheckMinimal]
	// argument that is not a struct (or, for Seal and Open, a non-nil pointer
	// to one), an empty record id or bad subject id, a malformed `pii` tag or
	// a type Seal cannot seal (wrapped in a *[FieldError] naming the field),
	// a bad [Options.Indexes] entry, a per-subject call without
	// [Options.SubjectKeys], a plaintext over [MaxPlaintext].
	ErrInvalid = errors.New("pii: invalid argument or configuration")
)

// invalidError is an [ErrInvalid] with its own message.
type invalidError string

func (e invalidError) Error() string { return string(e) }

func (e invalidError) Unwrap() error { return ErrInvalid }

// invalidf returns an [ErrInvalid] with a formatted message. Callers pass
// names from the program (types, fields, tags, options), never values.
func invalidf(format string, args ...any) error {
	return invalidError(fmt.Sprintf(format, args...))
}

// KeyError reports a key that exists or is referenced by a token but cannot
// be used. It unwraps to [ErrUnknownKey].
type KeyError struct {
	ID     uint32
	State  KeyState // zero when the keyring holds no key with this id
	Reason string
}

func (e *KeyError) Error() string {
	msg := "pii: key " + strconv.FormatUint(uint64(e.ID), 10)
	if e.State != 0 {
		msg += " (" + e.State.String() + ")"
	}
	return msg + ": " + e.Reason
}

func (e *KeyError) Unwrap() error { return ErrUnknownKey }

// tokenError reports why a token was rejected. It unwraps to [ErrDecrypt].
// The reason never quotes the token, the plaintext or the associated data.
type tokenError struct {
	Reason string
}

func (e *tokenError) Error() string { return "pii: decryption failed: " + e.Reason }

func (e *tokenError) Unwrap() error { return ErrDecrypt }

// FieldError reports which struct field [Encryptor.Seal], [Encryptor.Open] or
// [Inventory] failed on. It names the Go type and field, never the field's
// value, and unwraps to the underlying error ([ErrInvalid] for a malformed
// tag or a field that Seal cannot seal; [ErrDecrypt], [ErrUnknownKey] or
// [ErrErased] for a token).
type FieldError struct {
	Type  string // Go type name of the struct
	Field string // Go field name
	Err   error
}

func (e *FieldError) Error() string {
	return "pii: field " + e.Type + "." + e.Field + ": " + e.Err.Error()
}

func (e *FieldError) Unwrap() error { return e.Err }

// MinimisationError lists the fields of a struct type that hold personal
// data outside the allowed categories. It names types, fields and
// categories, never values. It matches [ErrNotMinimal] with errors.Is.
type MinimisationError struct {
	Type    string     // Go type of the struct
	Allowed []Category // the allowed set checked against
	Fields  []Field    // offending fields, in declaration order
}

func (e *MinimisationError) Error() string {
	var b strings.Builder
	b.WriteString("pii: ")
	b.WriteString(e.Type)
	b.WriteString(" holds personal data outside the allowed categories (")
	for i, c := range e.Allowed {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(c))
	}
	b.WriteString("):")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" ")
		b.WriteString(f.Name)
		b.WriteString(" (")
		b.WriteString(string(f.Category))
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap makes errors.Is(err, [ErrNotMinimal]) true.
func (e *MinimisationError) Unwrap() error { return ErrNotMinimal }
