package password

import (
	"crypto/rand"
	"fmt"
	"math/big"
)

// The alphabets Generate draws from: ASCII only, so a generated password can
// be typed on any of the platform's keyboard layouts.
const (
	lowerChars   = "abcdefghijklmnopqrstuvwxyz"
	upperChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digitChars   = "0123456789"
	specialChars = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
	allChars     = lowerChars + upperChars + digitChars + specialChars
)

// maxGenerateAttempts bounds the draws. A draw is discarded when it lacks a
// required class (at length 8 under DefaultPolicy 43 % of draws do, mostly
// for want of a digit) or when a chance word or date pulls its score below
// p.MinScore (rare at 12 characters or more); a thousand failures in a row
// mean the length is too short for the policy, not bad luck.
const maxGenerateAttempts = 1000

// Generate returns a random password of length characters that satisfies
// p.Check (p.Breach is not consulted). It draws every character uniformly
// from the 94 printable ASCII characters (no space) with crypto/rand and
// discards draws that fail the policy, so the result is uniform over the
// passwords of that length and alphabet that p accepts: forcing one
// character of each class into place instead would favour passwords with
// exactly one digit or special. ASCII can be typed on every keyboard layout
// of the platform. length must be within p's limits; 16 or more is
// recommended (about 104 bits). A length the policy cannot accept is an
// error matching ErrInvalidConfig.
func Generate(p Policy, length int) (string, error) {
	required := 0
	for _, req := range []bool{p.RequireLetter && !p.RequireUpper && !p.RequireLower, p.RequireDigit, p.RequireSpecial, p.RequireUpper, p.RequireLower} {
		if req {
			required++
		}
	}
	if length <= 0 || length < p.MinLength || length > p.maxLength() || length < required {
		return "", fmt.Errorf("%w: Generate length %d outside the policy's limits or too short for its classes", ErrInvalidConfig, length)
	}
	buf := make([]byte, length)
	for range maxGenerateAttempts {
		for i := range buf {
			c, err := pick(allChars)
			if err != nil {
				return "", err
			}
			buf[i] = c
		}
		// The class test is cheap; Check, which estimates strength, runs
		// only on draws that pass it.
		if len(p.missingClasses(classify([]rune(string(buf))))) == 0 && p.check(string(buf), nil).err() == nil {
			return string(buf), nil
		}
	}
	return "", fmt.Errorf("%w: Generate length %d too short to reach a score of %d", ErrInvalidConfig, length, p.MinScore)
}

// pick returns a uniformly random byte of set: rand.Int draws without
// modulo bias.
func pick(set string) (byte, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
	if err != nil {
		return 0, fmt.Errorf("password: reading randomness: %w", err)
	}
	return set[n.Int64()], nil
}
