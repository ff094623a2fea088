package password

import "errors"

// The sentinels of the package, for [errors.Is]: one for each condition a
// caller branches on. The message after the sentinel's text names the reason
// in a fixed phrase. No error of this package ever carries a password, an
// encoded hash, a pepper key or a hash prefix.
var (
	// ErrPolicy matches every [*PolicyError]: a password the policy refuses,
	// as opposed to a check that could not be made.
	ErrPolicy = errors.New("password: refused by the password policy")
	// ErrBreachCheck means a breach corpus could not be consulted: every
	// error of [OpenPwnedFile], [PwnedFile], [HIBPClient],
	// [MultiBreachChecker] and [Policy.Breach] matches it (a corrupt or
	// closed file, a nil *PwnedFile, a failed or malformed API response, a
	// cancelled context). It is never a pass: the caller decides whether to
	// refuse the change (fail closed) or not.
	ErrBreachCheck = errors.New("password: breach check failed")
	// ErrInvalidConfig means a configuration cannot work: a [HasherOptions]
	// value out of bounds, a nil [Hasher] or one not made by [NewHasher], a
	// [Policy] that [Policy.Validate] refuses, an [HIBPClient.BaseURL] that
	// is not an absolute URL, or a [Generate] length the policy cannot
	// accept (outside its limits, too short for its classes, or too short
	// for any draw to reach its MinScore).
	ErrInvalidConfig = errors.New("password: invalid configuration")
	// ErrMalformedHash means an encoded hash could not be parsed or has a
	// parameter outside the bounds any argon2id hash must respect (memory
	// 8 KiB to 2 GiB, 1 to 64 passes and lanes, 8 to 48-byte salt, 12 to
	// 64-byte output).
	ErrMalformedHash = errors.New("password: malformed hash")
	// ErrUnsupportedHash means the encoded string is well-formed enough to
	// recognise but the [Hasher] does not verify it: a scheme other than
	// argon2id (v=19) and legacy bcrypt ($2a$, $2b$, $2y$), such as
	// argon2i, md5-crypt or a password stored in the clear; a cost above
	// the Hasher's ceiling ([HasherOptions.MaxVerifyMemory], bcrypt cost
	// above 14); a pepper key id the Hasher does not hold; or no pepper
	// where the Hasher requires one ([HasherOptions.AllowUnpeppered]).
	ErrUnsupportedHash = errors.New("password: unsupported hash")
	// ErrUnhashablePassword means [Hash] was given an empty password, one
	// that is not valid UTF-8 or one longer than 4,096 bytes, or [Verify]
	// one longer than 4,096 bytes.
	ErrUnhashablePassword = errors.New("password: empty, over-long or invalid UTF-8 password")
)

// errIndex means the embedded word index does not decode: a build defect
// (go generate and TestEmbeddedIndex keep it from shipping), never bad
// input, so the first estimate panics with it.
var errIndex = errors.New("password: embedded index corrupt")
