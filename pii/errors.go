package pii

import (
	"errors"
	"strconv"
)

// Sentinel errors. Test for them with errors.Is; the typed errors below wrap
// them and carry detail that is safe to log (key ids and states, never key
// material, plaintext or context values).
var (
	// ErrDecrypt reports a token that is malformed, was tampered with, was
	// moved to another row or column, or belongs to another keyring.
	ErrDecrypt = errors.New("pii: decryption failed")
	// ErrUnknownKey reports a key id that the keyring does not hold, or holds
	// in a state that refuses the operation (disabled, destroyed, below the
	// minimum decryption version).
	ErrUnknownKey = errors.New("pii: unknown or unusable key")
	// ErrErased reports a subject whose data key was destroyed by Forget.
	ErrErased = errors.New("pii: subject erased")
	// ErrPlaintext reports a value that is not a token, met in strict mode.
	ErrPlaintext = errors.New("pii: value is not an encrypted token")
	// ErrKeyring reports a keyring that cannot be parsed or a state change
	// that the keyring refuses.
	ErrKeyring = errors.New("pii: invalid keyring")
	// ErrNoSubjectStore reports a per-subject operation on an Encryptor built
	// without Options.SubjectKeys.
	ErrNoSubjectStore = errors.New("pii: no subject key store configured")
	// ErrInvalidTarget reports a Seal or Open argument that is not a
	// non-nil pointer to a struct.
	ErrInvalidTarget = errors.New("pii: target must be a non-nil pointer to a struct")
)

// KeyError reports a key that exists or is referenced by a token but cannot
// be used. It unwraps to ErrUnknownKey.
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

// tokenError reports why a token was rejected. It unwraps to ErrDecrypt.
// The reason never quotes the token, the plaintext or the associated data.
type tokenError struct {
	Reason string
}

func (e *tokenError) Error() string { return "pii: decryption failed: " + e.Reason }

func (e *tokenError) Unwrap() error { return ErrDecrypt }

// FieldError reports which struct field Seal or Open failed on. It names the
// Go field, never its value, and unwraps to the underlying error.
type FieldError struct {
	Type  string // Go type name of the struct
	Field string // Go field name
	Err   error
}

func (e *FieldError) Error() string {
	return "pii: field " + e.Type + "." + e.Field + ": " + e.Err.Error()
}

func (e *FieldError) Unwrap() error { return e.Err }
