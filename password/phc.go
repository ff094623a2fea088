package password

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// This file holds the strict parser and encoder of argon2id strings in the
// PHC string format (https://github.com/P-H-C/phc-string-format):
//
//	$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>[,keyid=<b64>]$<b64 salt>$<b64 hash>
//
// Strict means: exactly one spelling is accepted for a given hash. Numbers are
// decimal without sign or leading zeros, base64 is the standard alphabet
// without padding and with zero trailing bits, parameters appear in the order
// the PHC specification gives and at most once, and every cost and length is
// checked against the bounds below before anything is computed. A stored hash
// is input like any other: a forged one with m=4294967295 or p=0 must be
// refused, not run (argon2.IDKey allocates m KiB and panics on p=0).

// Bounds on the parameters of an argon2id hash, applied both to a Hasher's
// configuration and to every encoded hash before it is parsed any further.
// They say what a PHC string may name at all; what a Hasher agrees to run is
// bounded lower, by HasherOptions.MaxVerifyMemory.
const (
	// minMemory is the smallest memory cost accepted, in KiB. Argon2 itself
	// requires 8 KiB per lane; anything below a mebibyte is not a password
	// hash worth trusting, but imported hashes vary, so the floor is Argon2's.
	minMemory = 8
	// maxMemory is the largest memory cost accepted, in KiB (2 GiB, the first
	// recommendation of RFC 9106 section 4). It is also the largest
	// HasherOptions.MaxVerifyMemory.
	maxMemory = 2 << 20
	// maxTime is the largest number of passes accepted.
	maxTime = 64
	// maxThreads is the largest degree of parallelism accepted.
	maxThreads = 64
	// minSaltLength and maxSaltLength bound the salt, in bytes (PHC: 8 to 48).
	minSaltLength = 8
	maxSaltLength = 48
	// minKeyLength and maxKeyLength bound the hash output, in bytes
	// (PHC: 12 to 64).
	minKeyLength = 12
	maxKeyLength = 64
	// maxKeyIDLength is the longest pepper key identifier, in bytes (PHC's
	// limit for the argon2 keyid parameter).
	maxKeyIDLength = 8

	// maxWork bounds memory×passes (KiB·passes): 4 GiB of memory traffic,
	// twice RFC 9106's first recommendation (2 GiB, t=1) and about a hundred
	// times OWASP's minimum.
	maxWork = 4 << 20
	// maxEncodedLength bounds the whole string before it is parsed.
	maxEncodedLength = 256

	argon2idPrefix = "$argon2id$"
	argon2Version  = 19
)

// b64 is the base64 flavour of the PHC format: standard alphabet, no padding.
// Strict makes the decoder refuse non-zero trailing bits, so that each byte
// string has exactly one encoding.
var b64 = base64.RawStdEncoding.Strict()

// phcHash is a parsed argon2id PHC string.
type phcHash struct {
	params Params
	keyID  string // empty when the hash has no pepper
	salt   []byte
	key    []byte
}

// parsePHC parses and validates an argon2id PHC string. The error is a
// *hashFormatError, which never quotes the input.
func parsePHC(encoded string) (*phcHash, error) {
	if len(encoded) > maxEncodedLength {
		return nil, formatError("encoded hash too long")
	}
	rest, ok := strings.CutPrefix(encoded, argon2idPrefix)
	if !ok {
		return nil, formatError("not an argon2id hash")
	}
	fields := strings.Split(rest, "$")
	if len(fields) != 4 {
		return nil, formatError("wrong number of fields")
	}
	version, ok := strings.CutPrefix(fields[0], "v=")
	if !ok {
		return nil, formatError("missing version")
	}
	v, err := parseDecimal(version)
	if err != nil {
		return nil, formatError("bad version")
	}
	if v != argon2Version {
		return nil, unsupportedError("argon2 version other than 19")
	}
	h := &phcHash{}
	if err := h.parseParams(fields[1]); err != nil {
		return nil, err
	}
	if h.salt, err = decodeB64(fields[2]); err != nil {
		return nil, formatError("bad salt encoding")
	}
	if h.key, err = decodeB64(fields[3]); err != nil {
		return nil, formatError("bad hash encoding")
	}
	h.params.SaltLength = uint32(len(h.salt))
	h.params.KeyLength = uint32(len(h.key))
	if err := h.params.validate(); err != nil {
		return nil, err
	}
	return h, nil
}

// parseParams parses "m=…,t=…,p=…[,keyid=…]" in exactly that order.
func (h *phcHash) parseParams(s string) error {
	parts := strings.Split(s, ",")
	if len(parts) != 3 && len(parts) != 4 {
		return formatError("wrong number of parameters")
	}
	names := [...]string{"m", "t", "p", "keyid"}
	var nums [3]uint32
	for i, part := range parts {
		name, value, ok := strings.Cut(part, "=")
		if !ok || name != names[i] {
			return formatError("unexpected parameter")
		}
		if i == 3 {
			id, err := decodeB64(value)
			if err != nil || len(id) == 0 || len(id) > maxKeyIDLength {
				return formatError("bad key id")
			}
			if !validKeyID(string(id)) {
				return formatError("bad key id")
			}
			h.keyID = string(id)
			continue
		}
		n, err := parseDecimal(value)
		if err != nil {
			return formatError("bad " + name + " parameter")
		}
		nums[i] = n
	}
	if nums[2] > maxThreads {
		return formatError("parallelism out of range")
	}
	h.params.Memory, h.params.Time, h.params.Threads = nums[0], nums[1], uint8(nums[2])
	return nil
}

// encode returns the PHC string of h.
func (h *phcHash) encode() string {
	var b strings.Builder
	b.Grow(len(argon2idPrefix) + 48 + b64.EncodedLen(len(h.salt)) + b64.EncodedLen(len(h.key)))
	b.WriteString(argon2idPrefix)
	b.WriteString("v=")
	b.WriteString(strconv.Itoa(argon2Version))
	b.WriteString("$m=")
	b.WriteString(strconv.FormatUint(uint64(h.params.Memory), 10))
	b.WriteString(",t=")
	b.WriteString(strconv.FormatUint(uint64(h.params.Time), 10))
	b.WriteString(",p=")
	b.WriteString(strconv.FormatUint(uint64(h.params.Threads), 10))
	if h.keyID != "" {
		b.WriteString(",keyid=")
		b.WriteString(b64.EncodeToString([]byte(h.keyID)))
	}
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(h.salt))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(h.key))
	return b.String()
}

// parseDecimal parses a PHC decimal: digits only, no sign, no leading zero,
// at most ten digits and within uint32.
func parseDecimal(s string) (uint32, error) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return 0, errSyntax
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errSyntax
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, errSyntax
	}
	return uint32(n), nil
}

// decodeB64 decodes unpadded standard base64. The standard library decoder
// skips '\r' and '\n'; those are refused here so that an encoding is unique.
func decodeB64(s string) ([]byte, error) {
	if s == "" || strings.ContainsAny(s, "\r\n=") {
		return nil, errSyntax
	}
	return b64.DecodeString(s)
}

// validKeyID reports whether id is a well-formed pepper key identifier:
// 1 to maxKeyIDLength bytes of ASCII letters, digits, '-' and '_'. Key ids
// are not secret and may be logged.
func validKeyID(id string) bool {
	if id == "" || len(id) > maxKeyIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}
