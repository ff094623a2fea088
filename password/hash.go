package password

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// errSyntax is the internal cause of parse failures; it never escapes.
var errSyntax = errors.New("syntax error")

// hashFormatError reports why an encoded hash was refused. reason is a fixed
// phrase such as "memory out of range"; it never quotes the input. It matches
// ErrMalformedHash with errors.Is, or ErrUnsupportedHash when the string is
// well-formed but this Hasher does not verify it (scheme, cost, pepper).
type hashFormatError struct {
	reason      string
	unsupported bool
}

func (e *hashFormatError) Error() string {
	if e.unsupported {
		return ErrUnsupportedHash.Error() + ": " + e.reason
	}
	return ErrMalformedHash.Error() + ": " + e.reason
}

// Is makes errors.Is(err, ErrMalformedHash) and, for unsupported schemes,
// errors.Is(err, ErrUnsupportedHash) true.
func (e *hashFormatError) Is(target error) bool {
	if e.unsupported {
		return target == ErrUnsupportedHash
	}
	return target == ErrMalformedHash
}

func formatError(reason string) error { return &hashFormatError{reason: reason} }

func unsupportedError(reason string) error {
	return &hashFormatError{reason: reason, unsupported: true}
}

// Params are argon2id cost parameters for new hashes. A zero field takes its
// default, which is what Hash uses: m=19 MiB, t=2, p=1, the OWASP Password
// Storage Cheat Sheet's recommended argon2id configuration, with a 16-byte
// salt and a 32-byte hash (RFC 9106 section 4).
type Params struct {
	Memory     uint32 // m: memory cost in KiB; 0 means 19456 (19 MiB)
	Time       uint32 // t: number of passes; 0 means 2
	Threads    uint8  // p: degree of parallelism (lanes); 0 means 1
	SaltLength uint32 // random salt length in bytes; 0 means 16
	KeyLength  uint32 // hash output length in bytes; 0 means 32
}

// defaultParams returns the parameters of Hash.
func defaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 32}
}

// withDefaults returns p with each zero field set to its default.
func (p Params) withDefaults() Params {
	d := defaultParams()
	p.Memory = cmp.Or(p.Memory, d.Memory)
	p.Time = cmp.Or(p.Time, d.Time)
	p.Threads = cmp.Or(p.Threads, d.Threads)
	p.SaltLength = cmp.Or(p.SaltLength, d.SaltLength)
	p.KeyLength = cmp.Or(p.KeyLength, d.KeyLength)
	return p
}

// maxPasswordLength bounds, in bytes, the passwords Hash and Verify accept,
// before NFKC normalisation (which may multiply the length by up to 18): a
// login endpoint must not normalise and MAC megabytes per attempt. It is 32
// times the longest password DefaultPolicy accepts (128 characters).
const maxPasswordLength = 4096

// defaultMaxVerifyMemory is HasherOptions.MaxVerifyMemory's default in KiB:
// 64 MiB, the memory of RFC 9106's second recommended configuration
// (m=64 MiB, t=3), above every configuration OWASP lists. verifyWorkFactor
// bounds passes alike: memory×passes at most 4 × the memory ceiling.
const (
	defaultMaxVerifyMemory = 64 * 1024
	verifyWorkFactor       = 4
)

// minCreateMemory and minCreateWork are the floor for creating hashes:
// OWASP's weakest listed argon2id configuration is m=7 MiB, t=5
// (memory×passes = 35,840 KiB).
const (
	minCreateMemory = 7 * 1024
	minCreateWork   = 7 * 1024 * 5
)

// check returns why p is out of bounds, or "".
func (p Params) check() string {
	switch {
	case p.Threads < 1 || p.Threads > maxThreads:
		return "parallelism out of range"
	case p.Time < 1 || p.Time > maxTime:
		return "time out of range"
	case p.Memory < minMemory*uint32(p.Threads) || p.Memory > maxMemory:
		return "memory out of range"
	case uint64(p.Memory)*uint64(p.Time) > maxWork:
		return "memory times time out of range"
	case p.SaltLength < minSaltLength || p.SaltLength > maxSaltLength:
		return "salt length out of range"
	case p.KeyLength < minKeyLength || p.KeyLength > maxKeyLength:
		return "hash length out of range"
	}
	return ""
}

func (p Params) validate() error {
	if reason := p.check(); reason != "" {
		return formatError(reason)
	}
	return nil
}

// weakerThan reports whether a hash made with p is weaker than one made with
// q: less memory, fewer passes, a shorter salt or a shorter output.
func (p Params) weakerThan(q Params) bool {
	return p.Memory < q.Memory || p.Time < q.Time || p.SaltLength < q.SaltLength || p.KeyLength < q.KeyLength
}

// Pepper is a server-side secret key mixed into every hash: the password is
// replaced by HMAC-SHA256(Key, password) before argon2id runs, and ID is
// written into the hash (PHC parameter keyid) so that the right key is found
// at verification and keys can rotate. A database stolen without the pepper
// cannot be attacked offline at all, and an attacker who can write to the
// database cannot plant a hash of a password they know.
//
// Keep the key outside the database (environment, secrets manager, HSM). A
// Pepper never prints its key with fmt, slog or encoding/json, with one
// exception Go's fmt imposes: inside an unexported field of a struct that
// is printed, fmt cannot call the Pepper's methods and prints the raw bytes.
// Hand Peppers to NewHasher (which copies the keys) and do not keep them in
// configuration structs that get logged.
type Pepper struct {
	// ID names the key: 1 to 8 ASCII letters, digits, '-' or '_'. It is
	// stored in clear in every hash and is not secret.
	ID string
	// Key is the secret, at least 32 bytes from a CSPRNG.
	Key []byte
}

// minPepperKeyLength is the shortest accepted pepper key, in bytes.
const minPepperKeyLength = 32

// Format prints the pepper's ID only, never its key.
func (p Pepper) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "password.Pepper{ID:%q, Key:[REDACTED]}", p.ID)
}

// LogValue keeps the key out of slog output.
func (p Pepper) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", p.ID), slog.String("key", "[REDACTED]"))
}

// MarshalJSON keeps the key out of JSON output.
func (p Pepper) MarshalJSON() ([]byte, error) {
	return []byte(`{"id":` + strconv.Quote(p.ID) + `,"key":"[REDACTED]"}`), nil
}

// HasherOptions configure NewHasher. The zero value gives the defaults of
// Hash and Verify.
type HasherOptions struct {
	// Params for new hashes; zero fields take the defaults of Hash. Values
	// below OWASP's weakest argon2id configuration (m=7 MiB with t=5: at
	// least 7 MiB and 35 MiB·passes) or with a salt or output shorter than
	// 16 bytes are refused, as is anything outside the parsing bounds
	// (at most 2 GiB, 64 passes, 64 lanes).
	Params Params
	// Peppers is the key ring. Peppers[0], if any, peppers every new hash;
	// the others only verify hashes made before a rotation (NeedsRehash
	// reports those). IDs must be distinct.
	Peppers []Pepper
	// AllowUnpeppered lets a Hasher with peppers verify hashes made without
	// one (argon2id without keyid, legacy bcrypt) during a migration.
	// Without it such hashes fail with ErrUnsupportedHash, which keeps a
	// database writer from planting a hash of a password they know.
	AllowUnpeppered bool
	// MaxConcurrent bounds how many hashes compute at once; further callers
	// wait (Hash and Verify give up when their context ends).
	// Each argon2id computation holds the memory its hash names, so this
	// bounds the memory a burst of logins can take: MaxConcurrent ×
	// Params.Memory for hashes made with the current parameters, and at
	// worst MaxConcurrent × MaxVerifyMemory (2 × 64 MiB with the defaults on
	// a 2-core machine). Zero means runtime.GOMAXPROCS(0): argon2id with p=1
	// is CPU-bound and more concurrent computations than cores only add
	// memory and latency. A hash with p lanes counts as one computation
	// although it runs p goroutines.
	MaxConcurrent int
	// MaxVerifyMemory is the most memory, in KiB, that a stored argon2id
	// hash may name for this Hasher to verify it; memory×passes is bounded
	// to 4 × MaxVerifyMemory KiB·passes as well. A costlier hash is refused
	// with ErrUnsupportedHash before anything runs: stored hashes are input,
	// and a corrupted or planted m=2097152 would otherwise allocate 2 GiB
	// per login attempt. Zero means 64 MiB, or Params.Memory if that is
	// larger: RFC 9106's second recommended configuration (m=64 MiB, t=3)
	// and every OWASP configuration verify. Raise it (up to 2 GiB) only to
	// import hashes made with more memory; it may not be below Params.Memory.
	MaxVerifyMemory uint32
}

// Hasher hashes and verifies passwords with fixed parameters, an optional
// pepper key ring and a bound on concurrent computations. A Hasher is safe
// for concurrent use; share one per process. Printing one (fmt, log/slog,
// encoding/json) never shows its keys.
type Hasher struct {
	params Params
	// ring is behind a pointer so that printing a Hasher, or a copy of one,
	// shows its address and never the keys: fmt prints a nested pointer as
	// an address, and encoding/json sees no exported field.
	ring         *keyRing
	sem          chan struct{}
	verifyMemory uint32 // largest m of a hash Verify runs, KiB
	verifyWork   uint64 // largest m×t of a hash Verify runs, KiB·passes
	// absent is the dummy hash VerifyAbsent verifies against, made on first
	// use.
	absent func() (string, error)
}

// keyRing holds a Hasher's peppers.
type keyRing struct {
	current         string            // id of the pepper for new hashes, "" for none
	peppers         map[string][]byte // id → key; nil without peppers
	allowUnpeppered bool
}

// NewHasher validates opts and returns a Hasher. Every error matches
// ErrInvalidConfig and names the field at fault, never a key.
func NewHasher(opts HasherOptions) (*Hasher, error) {
	p := opts.Params.withDefaults()
	if p.Memory < minCreateMemory || uint64(p.Memory)*uint64(p.Time) < minCreateWork || p.SaltLength < 16 || p.KeyLength < 16 {
		return nil, fmt.Errorf("%w: parameters below the OWASP minimum", ErrInvalidConfig)
	}
	return buildHasher(opts)
}

// buildHasher checks opts against everything but NewHasher's floor for
// creating hashes (the format's bounds, the concurrency, the verification
// ceiling, the key ring) and builds the Hasher.
func buildHasher(opts HasherOptions) (*Hasher, error) {
	p := opts.Params.withDefaults()
	if reason := p.check(); reason != "" {
		return nil, fmt.Errorf("%w: %s", ErrInvalidConfig, reason)
	}
	n := opts.MaxConcurrent
	if n < 0 {
		return nil, fmt.Errorf("%w: negative MaxConcurrent", ErrInvalidConfig)
	}
	if n == 0 {
		n = runtime.GOMAXPROCS(0)
	}
	vm := opts.MaxVerifyMemory
	switch {
	case vm == 0:
		vm = max(defaultMaxVerifyMemory, p.Memory)
	case vm > maxMemory:
		return nil, fmt.Errorf("%w: MaxVerifyMemory above 2 GiB", ErrInvalidConfig)
	case vm < p.Memory:
		return nil, fmt.Errorf("%w: MaxVerifyMemory below Params.Memory", ErrInvalidConfig)
	}
	h := &Hasher{
		params:       p,
		ring:         &keyRing{allowUnpeppered: opts.AllowUnpeppered},
		sem:          make(chan struct{}, n),
		verifyMemory: vm,
		verifyWork:   max(verifyWorkFactor*uint64(vm), uint64(p.Memory)*uint64(p.Time)),
	}
	h.absent = sync.OnceValues(h.dummyHash)
	ring := h.ring
	for i, pep := range opts.Peppers {
		if !validKeyID(pep.ID) {
			return nil, fmt.Errorf("%w: pepper %d: id must be 1 to %d ASCII letters, digits, '-' or '_'", ErrInvalidConfig, i, maxKeyIDLength)
		}
		if len(pep.Key) < minPepperKeyLength {
			return nil, fmt.Errorf("%w: pepper %q: key shorter than %d bytes", ErrInvalidConfig, pep.ID, minPepperKeyLength)
		}
		if ring.peppers == nil {
			ring.peppers = make(map[string][]byte, len(opts.Peppers))
			ring.current = pep.ID
		}
		if _, dup := ring.peppers[pep.ID]; dup {
			return nil, fmt.Errorf("%w: pepper %q: duplicate id", ErrInvalidConfig, pep.ID)
		}
		ring.peppers[pep.ID] = append([]byte(nil), pep.Key...)
	}
	return h, nil
}

// Hash returns the argon2id PHC string of password. It waits for a
// computation slot, giving up with ctx.Err() if ctx ends first; a
// computation that has started runs to completion.
//
// The password must be non-empty valid UTF-8; it is normalised to NFKC
// before hashing (NIST SP 800-63B-4 section 3.1.1.2), so the same password
// typed as composed or decomposed Unicode verifies alike.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.usable(); err != nil {
		return "", err
	}
	if password == "" || len(password) > maxPasswordLength || !utf8.ValidString(password) {
		return "", ErrUnhashablePassword
	}
	salt := make([]byte, h.params.SaltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading random salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return h.hashWithSalt(password, salt, h.ring.current), nil
}

// hashWithSalt computes the PHC string of password with the given salt and
// pepper id (which must be in the key ring, or "").
func (h *Hasher) hashWithSalt(password string, salt []byte, keyID string) string {
	p := h.params
	p.SaltLength = uint32(len(salt))
	ph := &phcHash{params: p, keyID: keyID, salt: salt}
	ph.key = h.derive(password, ph)
	return ph.encode()
}

// derive runs argon2id for a parsed or new hash. Its parameters must have
// been validated. The copies of the password it makes are wiped after use
// (the caller's string, immutable in Go, cannot be).
func (h *Hasher) derive(password string, ph *phcHash) []byte {
	input := norm.NFKC.AppendString(nil, password)
	defer clear(input)
	if ph.keyID != "" {
		mac := hmac.New(sha256.New, h.ring.peppers[ph.keyID])
		mac.Write(input)
		peppered := mac.Sum(nil)
		defer clear(peppered)
		input = peppered
	}
	p := ph.params
	return argon2.IDKey(input, ph.salt, p.Time, p.Memory, p.Threads, p.KeyLength)
}

// Verify reports whether password matches encoded, an argon2id PHC string
// or a legacy bcrypt hash, waiting for a computation slot unless ctx ends
// first. A mismatch is
// (false, nil); an encoded string that cannot be verified is (false, err)
// with err matching ErrMalformedHash or ErrUnsupportedHash (other scheme,
// cost above the ceiling, pepper mismatch), or ctx.Err() if ctx ends while
// waiting for a slot. A
// password over 4,096 bytes is (false, ErrUnhashablePassword). It never
// returns true with an error.
//
// The encoded string is parsed and its parameters checked against the
// format's bounds and then the Hasher's own ceiling (MaxVerifyMemory) before
// any hashing, so a hostile hash cannot make the server allocate gigabytes,
// spin for seconds or panic. The final comparison is constant-time.
//
// The password is NFKC-normalised as in Hash, so argon2id hashes imported
// from a system that hashed raw bytes verify only for passwords that NFKC
// leaves unchanged: all text typed on Latin, Russian and Kazakh keyboards
// (precomposed letters), but not, say, full-width digits or a decomposed й.
// Legacy bcrypt hashes are compared on the raw bytes, and bcrypt reads
// only the first 72 of them: 72 ASCII characters but 36 Cyrillic letters,
// so two long Russian passphrases with the same first 36 letters match the
// same bcrypt hash. Verify checks exactly what the legacy system checked, so
// its users can still log in, and NeedsRehash is always true for bcrypt, so
// the host replaces the hash with argon2id of the whole password at that
// login. This package never creates bcrypt hashes.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (bool, error) {
	if err := h.usable(); err != nil {
		return false, err
	}
	if len(password) > maxPasswordLength {
		return false, ErrUnhashablePassword
	}
	if isBcrypt(encoded) {
		return h.verifyBcrypt(ctx, password, encoded)
	}
	ph, err := parsePHC(encoded)
	if err != nil {
		if strings.HasPrefix(encoded, "$argon2i$") || strings.HasPrefix(encoded, "$argon2d$") {
			return false, unsupportedError("argon2 variant other than argon2id")
		}
		if !strings.HasPrefix(encoded, argon2idPrefix) {
			return false, ErrUnsupportedHash
		}
		return false, err
	}
	if err := h.checkKey(ph.keyID); err != nil {
		return false, err
	}
	if err := h.checkCost(ph.params); err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := h.derive(password, ph)
	return subtle.ConstantTimeCompare(got, ph.key) == 1, nil
}

// checkKey reports whether the Hasher can verify a hash with pepper id keyID.
func (h *Hasher) checkKey(keyID string) error {
	r := h.ring
	if keyID == "" {
		if r.peppers != nil && !r.allowUnpeppered {
			return errPepperRequired
		}
		return nil
	}
	if _, ok := r.peppers[keyID]; !ok {
		return errUnknownPepper
	}
	return nil
}

// The pepper errors of Verify. A hash without a pepper that a Hasher with
// peppers refuses may have been planted by a database writer who knows its
// password.
var (
	errUnknownPepper  = unsupportedError("pepper key id not held by this hasher")
	errPepperRequired = unsupportedError("hash made without a pepper, which this hasher requires")
)

// VerifyAbsent spends what a Verify of password against a hash of this
// Hasher's parameters and current pepper spends (the wait for a computation
// slot, the memory and the CPU) and matches nothing. Call it when a login
// names no existing account, then refuse the login exactly as for a wrong
// password: the response time and the server's load then do not tell an
// attacker which accounts exist (OWASP ASVS V2, user enumeration). Stored
// hashes made with older parameters or bcrypt cost what they cost; rehash
// them (NeedsRehash) so that every login costs the same.
//
// It verifies against a dummy hash of a random key under a random salt,
// made once per Hasher on first use, so no password matches it, the empty
// one included. It returns nil, or the error Verify would: ctx.Err()
// if ctx ends while waiting for a slot, ErrUnhashablePassword for a
// password over 4,096 bytes, ErrInvalidConfig for a nil Hasher or one not
// made by NewHasher.
func (h *Hasher) VerifyAbsent(ctx context.Context, password string) error {
	if err := h.usable(); err != nil {
		return err
	}
	encoded, err := h.absent()
	if err != nil {
		return err
	}
	// The same path as a real login; its result is meaningless.
	_, err = h.Verify(ctx, password, encoded)
	return err
}

// dummyHash encodes a hash with the Hasher's parameters and current pepper
// id whose salt and output are random: computing it would cost an argon2id
// run for nothing, and nothing matches it but by chance (2⁻¹²⁸ with the
// 16-byte output NewHasher requires at least).
func (h *Hasher) dummyHash() (string, error) {
	ph := &phcHash{params: h.params, keyID: h.ring.current}
	ph.salt = make([]byte, h.params.SaltLength)
	ph.key = make([]byte, h.params.KeyLength)
	for _, b := range [][]byte{ph.salt, ph.key} {
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("password: reading random bytes: %w", err)
		}
	}
	return ph.encode(), nil
}

// NeedsRehash reports whether encoded should be replaced by a fresh Hash of
// the password, which the host does right after a successful Verify, while it
// holds the password: true for legacy bcrypt, for argon2id hashes weaker than
// the Hasher's parameters (less memory, fewer passes, shorter salt or output),
// for hashes made with another pepper than the current one (or with none when
// a pepper is configured), and for anything that does not parse. A nil
// Hasher, or one not made by NewHasher, reports true: its Hash then
// returns the ErrInvalidConfig that explains why.
func (h *Hasher) NeedsRehash(encoded string) bool {
	if h.usable() != nil {
		return true
	}
	ph, err := parsePHC(encoded)
	if err != nil {
		return true
	}
	return ph.keyID != h.ring.current || ph.params.weakerThan(h.params)
}

// checkCost refuses a parsed hash that costs more than the Hasher's ceiling.
func (h *Hasher) checkCost(p Params) error {
	if p.Memory > h.verifyMemory || uint64(p.Memory)*uint64(p.Time) > h.verifyWork {
		return unsupportedError("cost above the hasher's limit")
	}
	return nil
}

// usable refuses a nil Hasher (a typed nil in Policy.Hasher) and one not
// made by NewHasher (whose zero parameters would make argon2.IDKey panic).
func (h *Hasher) usable() error {
	if h == nil {
		return fmt.Errorf("%w: nil Hasher", ErrInvalidConfig)
	}
	if h.sem == nil || h.ring == nil {
		return fmt.Errorf("%w: Hasher not created with NewHasher", ErrInvalidConfig)
	}
	return nil
}

// acquire waits for a computation slot.
func (h *Hasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// defaultHasher backs the package-level functions.
var defaultHasher = sync.OnceValue(func() *Hasher {
	h, err := NewHasher(HasherOptions{})
	if err != nil {
		panic("password: default hasher: " + err.Error()) // unreachable: constant options
	}
	return h
})

// Hash returns the argon2id PHC string of password with the default Params, a
// fresh 16-byte salt from crypto/rand and no pepper, for example
//
//	$argon2id$v=19$m=19456,t=2,p=1$<22 chars of salt>$<43 chars of hash>
//
// At most runtime.GOMAXPROCS(0) hashes compute at once across Hash, Verify,
// VerifyAbsent and Policy.CheckChange; a caller waits for a slot, giving up
// with ctx.Err() if ctx ends first. Use a [Hasher] to choose that bound or
// add a pepper. See [Hasher.Hash].
func Hash(ctx context.Context, password string) (string, error) {
	return defaultHasher().Hash(ctx, password)
}

// Verify reports whether password matches encoded, an argon2id PHC string or
// a legacy bcrypt hash ($2a$, $2b$, $2y$; only the first 72 bytes of the
// password count, see [Hasher.Verify]). A mismatch is (false, nil); a hash
// that cannot be verified is (false, err). Hashes costing more than 64 MiB
// of memory (or 256 MiB·passes) and bcrypt hashes above cost 14 are refused
// with [ErrUnsupportedHash]; use a [Hasher] with MaxVerifyMemory to import
// costlier argon2id ones. It waits for a computation slot as [Hash] does,
// giving up with ctx.Err() if ctx ends first.
//
// For a login name that does not exist, call [VerifyAbsent] instead, so the
// response time does not reveal which accounts exist.
func Verify(ctx context.Context, password, encoded string) (bool, error) {
	return defaultHasher().Verify(ctx, password, encoded)
}

// VerifyAbsent spends the time and memory of a Verify at the default Params
// and matches nothing: call it when a login names no existing account, then
// refuse the login as for a wrong password. It waits for a computation slot
// as [Verify] does, giving up with ctx.Err() if ctx ends first. See
// [Hasher.VerifyAbsent].
func VerifyAbsent(ctx context.Context, password string) error {
	return defaultHasher().VerifyAbsent(ctx, password)
}

// NeedsRehash reports whether encoded is legacy (bcrypt), malformed, peppered
// or weaker than the default Params, so the host should store a fresh Hash after
// the next successful Verify. See Hasher.NeedsRehash.
func NeedsRehash(encoded string) bool {
	return defaultHasher().NeedsRehash(encoded)
}
