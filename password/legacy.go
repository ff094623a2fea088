package password

import (
	"context"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// maxBcryptCost is the highest legacy bcrypt cost Verify runs: 2^14 rounds,
// about 1.3 s of CPU here (cost 10 takes 80 ms; each step doubles it), above
// the 10 to 12 legacy systems use. A costlier hash is refused with
// ErrUnsupportedHash rather than let a planted cost-31 hash spin for days.
//
// Legacy bcrypt hashes are verified, never created.
//
// bcrypt reads at most 72 bytes of the password and silently ignores the
// rest: 72 ASCII characters but only 36 Cyrillic letters (two bytes each in
// UTF-8), so two long Russian or Kazakh passphrases with the same first 36
// letters share a bcrypt hash. Hashes migrated from an older system are
// handled this way:
//
//   - Verify compares the first 72 bytes of the password as typed (not
//     NFKC-normalised: the legacy system saw raw bytes), exactly what the
//     legacy system checked, so existing users can still log in;
//   - NeedsRehash always reports true for them, so the host replaces the hash
//     with an argon2id hash of the whole password at that login;
//   - only $2a$, $2b$ and $2y$ are accepted (the $2x$ variant of a buggy
//     implementation and bare $2$ are refused), with cost 4 to maxBcryptCost.
const maxBcryptCost = 14

const (
	bcryptLength    = 60
	bcryptMaxInput  = 72
	bcryptAlphabet  = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	bcryptPrefixLen = 7 // "$2b$10$"
)

// isBcrypt reports whether encoded looks like a bcrypt hash of any variant.
func isBcrypt(encoded string) bool {
	return strings.HasPrefix(encoded, "$2") && len(encoded) > 3 && (encoded[2] == '$' || encoded[3] == '$')
}

// parseBcrypt checks the shape of a bcrypt hash: $2a$, $2b$ or $2y$, two cost
// digits within bounds and 53 characters of bcrypt's base64.
func parseBcrypt(encoded string) error {
	if len(encoded) != bcryptLength || encoded[3] != '$' || encoded[6] != '$' {
		return formatError("bad bcrypt hash")
	}
	switch encoded[2] {
	case 'a', 'b', 'y':
	default:
		return unsupportedError("bcrypt variant other than 2a, 2b or 2y")
	}
	c1, c2 := encoded[4], encoded[5]
	if c1 < '0' || c1 > '9' || c2 < '0' || c2 > '9' {
		return formatError("bad bcrypt cost")
	}
	cost := int(c1-'0')*10 + int(c2-'0')
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return formatError("bcrypt cost out of range")
	}
	if cost > maxBcryptCost {
		return unsupportedError("cost above the hasher's limit")
	}
	for i := bcryptPrefixLen; i < len(encoded); i++ {
		if strings.IndexByte(bcryptAlphabet, encoded[i]) < 0 {
			return formatError("bad bcrypt encoding")
		}
	}
	return nil
}

func (h *Hasher) verifyBcrypt(ctx context.Context, password, encoded string) (bool, error) {
	if err := parseBcrypt(encoded); err != nil {
		return false, err
	}
	if err := h.checkKey(""); err != nil {
		return false, err
	}
	pw := []byte(password)
	if len(pw) > bcryptMaxInput {
		pw = pw[:bcryptMaxInput] // what bcrypt does anyway; explicit here
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	err := bcrypt.CompareHashAndPassword([]byte(encoded), pw)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, formatError("bad bcrypt hash")
	}
}
