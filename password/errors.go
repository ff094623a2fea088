package password

import "errors"

// The sentinels of the package, for errors.Is. None of the errors returned
// here ever carries a password, an encoded hash or a pepper key.

// Errors of Check and CheckChange.
var (
	// ErrPolicy matches every *PolicyError: it tells a password the policy
	// refuses from a failure of a breach or history check.
	ErrPolicy = errors.New("password: refused by the password policy")
	// ErrBreachCheck wraps the errors of Policy.Breach.
	ErrBreachCheck = errors.New("password: breach check failed")
	// ErrHistoryCheck wraps the errors of the history comparison.
	ErrHistoryCheck = errors.New("password: history check failed")
	// ErrInvalidPolicy is returned by Policy.Validate.
	ErrInvalidPolicy = errors.New("password: invalid policy")
)

// Errors returned by Hash, Verify and the Hasher. None of them ever carries
// the password, the encoded hash or a pepper key.
var (
	// ErrMalformedHash means an encoded hash could not be parsed or has a
	// parameter outside the bounds any argon2id hash must respect (memory
	// 8 KiB to 2 GiB, 1 to 64 passes and lanes, 8 to 48-byte salt, 12 to
	// 64-byte output). The message names the reason, never the input.
	ErrMalformedHash = errors.New("password: malformed hash")
	// ErrUnsupportedHash means the encoded string is not argon2id (v=19) nor
	// legacy bcrypt ($2a$, $2b$, $2y$), for example argon2i, md5-crypt or a
	// password stored in the clear, or that it is well-formed but costs more
	// than the Hasher agrees to run (HasherOptions.MaxVerifyMemory, bcrypt
	// cost above 14).
	ErrUnsupportedHash = errors.New("password: unsupported hash scheme")
	// ErrUnknownPepper means the hash was made with a pepper key whose id the
	// Hasher does not hold (or the Hasher holds no pepper at all).
	ErrUnknownPepper = errors.New("password: hash needs an unknown pepper key")
	// ErrPepperRequired means the Hasher holds peppers and refuses a hash made
	// without one (see HasherOptions.AllowUnpeppered).
	ErrPepperRequired = errors.New("password: hash without pepper refused")
	// ErrInvalidParams means a HasherOptions value is out of bounds.
	ErrInvalidParams = errors.New("password: invalid hasher options")
	// ErrUnhashablePassword means Hash was given an empty password, one that
	// is not valid UTF-8 or one longer than 4,096 bytes, or Verify one longer
	// than 4,096 bytes.
	ErrUnhashablePassword = errors.New("password: empty, over-long or invalid UTF-8 password")
)

// ErrPwnedFileCorrupt means the pwned-passwords file is not in the expected
// format: a line that does not parse, a truncated last line, an empty file,
// or lines out of hash order (such as the HIBP file ordered by prevalence),
// whether found when the file is opened or during a lookup. The concrete
// error is a *PwnedFileError.
var ErrPwnedFileCorrupt = errors.New("password: corrupt pwned-passwords file")

// ErrPwnedFileNotOpen is returned by the methods of a nil *PwnedFile, such as
// the one a failed OpenPwnedFile leaves: a missing corpus fails every check
// instead of passing every password.
var ErrPwnedFileNotOpen = errors.New("password: pwned-passwords file not open")

// ErrHIBPResponse means the range API answered with something other than a
// well-formed 200 response. The concrete error is a *HIBPError.
var ErrHIBPResponse = errors.New("password: bad response from pwned passwords api")

// ErrGenerateLength is returned by Generate for a length the policy cannot
// accept, that cannot hold one character of each required class, or at
// which no draw reached the policy's MinScore.
var ErrGenerateLength = errors.New("password: length not allowed by the policy")

// errIndex means the embedded word index does not decode: a build defect
// (go generate and TestEmbeddedIndex keep it from shipping), never bad
// input, so the first estimate panics with it.
var errIndex = errors.New("password: embedded index corrupt")
