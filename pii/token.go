package pii

import (
	"encoding/base64"
	"encoding/binary"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// Token format, version 1.
//
//	token  = "pii1." base64url-nopad(kind || key-id || nonce || ciphertext)
//	kind   = 1 byte: 0x01 field value under a keyring key, 0x02 field value
//	         under a subject data key, 0x03 subject data key under a keyring key;
//	         0x11 and 0x12 are 0x01 and 0x02 written by Seal with context
//	         version 2 (table identity first), which Open tells apart from
//	         the version-1 context (bare Go type name) of 0x01 and 0x02
//	key-id = 4 bytes, big-endian uint32 (0 for subject tokens)
//	nonce  = 24 random bytes (XChaCha20-Poly1305)
//	ciphertext = XChaCha20-Poly1305(subkey, nonce, plaintext, aad), tag included
//	aad    = "pii1." || kind || key-id || [uvarint(len(subject)) || subject] || elements
//	elements = for each element of the caller's associated data (Seal: table,
//	         field, record id): uvarint(len) || element
//
// The subkey is HKDF-SHA256-Expand of the key for the token's purpose: the
// kind and every associated-data element but the last (table and column), so each
// column has its own key, while the last element (the record id) is bound as
// associated data only. Moving a token to another column, another row or
// another keyring, or changing any bit of it, fails authentication.
//
// DESIGN.md explains the choices.
const (
	tokenPrefix = "pii1."

	kindKeyring byte = 0x01 // a field value under a keyring key
	kindSubject byte = 0x02 // a field value under a subject data key
	kindWrap    byte = 0x03 // a subject data key under a keyring key

	// Context version 2 (kind | kindV2): a field that [Encryptor.Seal] wrote,
	// whose context starts with the table identity (see sealPlan.table)
	// rather than the bare Go type name of version 1.
	kindV2       byte = 0x10
	kindKeyring2      = kindKeyring | kindV2
	kindSubject2      = kindSubject | kindV2

	headerSize = 1 + 4
	nonceSize  = chacha20poly1305.NonceSizeX
	tagSize    = chacha20poly1305.Overhead
)

// MaxPlaintext is the largest value, in bytes, that [Encryptor.Seal],
// [Encryptor.EncryptString], [Encryptor.EncryptFor] and
// [Encryptor.AppendEncrypt] accept; a longer one is an [ErrInvalid].
// Field-level encryption is for short values.
const MaxPlaintext = 1 << 20

// tokenEncoding is strict so that each token has exactly one text form: a
// non-canonical final character (unused low bits set) is rejected, which the
// single-bit-flip test depends on.
var tokenEncoding = base64.RawURLEncoding.Strict()

// TokenLen returns the length in bytes (and characters: tokens are ASCII) of
// the token for a plaintext of n bytes. Size columns with it:
// VARCHAR(TokenLen(max bytes of the value)). A value of n characters of
// Cyrillic text is up to 2n bytes of UTF-8, and of arbitrary text up to 4n.
func TokenLen(n int) int {
	return len(tokenPrefix) + tokenEncoding.EncodedLen(headerSize+nonceSize+n+tagSize)
}

// IsToken reports whether s starts with the token prefix. It does not
// authenticate s: a value with the prefix is never treated as legacy
// plaintext, and must decrypt.
func IsToken(s string) bool {
	_, ok := strings.CutPrefix(s, tokenPrefix)
	return ok
}

// rawToken is a decoded token. All slices point into the decode buffer.
type rawToken struct {
	kind       byte
	keyID      uint32
	header     []byte // kind || key-id
	nonce      []byte
	ciphertext []byte
}

// parseToken decodes s into *buf (which it may grow) and splits it. It
// checks only the form; authentication happens when the ciphertext is opened.
func parseToken(s string, bufp *[]byte) (rawToken, error) {
	body, ok := strings.CutPrefix(s, tokenPrefix)
	if !ok {
		return rawToken{}, &tokenError{Reason: "missing token prefix"}
	}
	if len(body) > tokenEncoding.EncodedLen(headerSize+nonceSize+MaxPlaintext+tagSize) {
		return rawToken{}, &tokenError{Reason: "token too long"}
	}
	n := tokenEncoding.DecodedLen(len(body))
	if cap(*bufp) < n {
		clear((*bufp)[:cap(*bufp)]) // may hold an earlier plaintext
		*bufp = make([]byte, n)
	}
	*bufp = (*bufp)[:n]
	n, err := tokenEncoding.Decode(*bufp, []byte(body))
	if err != nil {
		return rawToken{}, &tokenError{Reason: "token is not valid base64url"}
	}
	return splitToken((*bufp)[:n])
}

// binaryMagic starts every binary token (see [Encryptor.AppendEncrypt]). Its
// fifth byte, the kind, is never '.', so a text token passed as bytes is
// refused.
const binaryMagic = "pii1"

// binaryTokenLen returns the length in bytes of the binary token (see
// [Encryptor.AppendEncrypt]) for a plaintext of n bytes: n + 49.
func binaryTokenLen(n int) int {
	return len(binaryMagic) + headerSize + nonceSize + n + tagSize
}

// isBinaryToken reports whether b starts with the binary token magic. Like
// [IsToken] it does not authenticate b.
func isBinaryToken(b []byte) bool {
	return len(b) >= len(binaryMagic) && string(b[:len(binaryMagic)]) == binaryMagic
}

// parseBinaryToken splits a binary token; the slices alias b.
func parseBinaryToken(b []byte) (rawToken, error) {
	if !isBinaryToken(b) {
		return rawToken{}, &tokenError{Reason: "missing token prefix"}
	}
	if len(b) > binaryTokenLen(MaxPlaintext) {
		return rawToken{}, &tokenError{Reason: "token too long"}
	}
	return splitToken(b[len(binaryMagic):])
}

// splitToken splits kind || key-id || nonce || ciphertext and checks the
// header's form.
func splitToken(raw []byte) (rawToken, error) {
	if len(raw) < headerSize+nonceSize+tagSize {
		return rawToken{}, &tokenError{Reason: "token too short"}
	}
	t := rawToken{
		kind:       raw[0],
		keyID:      binary.BigEndian.Uint32(raw[1:5]),
		header:     raw[:headerSize],
		nonce:      raw[headerSize : headerSize+nonceSize],
		ciphertext: raw[headerSize+nonceSize:],
	}
	switch base := t.kind &^ kindV2; {
	case t.kind != kindKeyring && t.kind != kindSubject && t.kind != kindWrap && t.kind != kindKeyring2 && t.kind != kindSubject2:
		return rawToken{}, &tokenError{Reason: "unknown token kind"}
	case base == kindSubject && t.keyID != 0:
		return rawToken{}, &tokenError{Reason: "subject token with a key id"}
	case base != kindSubject && t.keyID == 0:
		return rawToken{}, &tokenError{Reason: "key id 0 is reserved"}
	}
	return t, nil
}

// appendContext appends the injective encoding of associated-data elements.
func appendContext(dst []byte, aad []string) []byte {
	for _, c := range aad {
		dst = binary.AppendUvarint(dst, uint64(len(c)))
		dst = append(dst, c...)
	}
	return dst
}

// appendAAD appends the associated data of a token. Subject tokens also
// bind the subject (length-prefixed); keyring tokens pass nil.
func appendAAD(dst, header, subject []byte, aad []string) []byte {
	dst = append(dst, tokenPrefix...)
	dst = append(dst, header...)
	if header[0]&^kindV2 == kindSubject {
		dst = binary.AppendUvarint(dst, uint64(len(subject)))
		dst = append(dst, subject...)
	}
	return appendContext(dst, aad)
}

// appendPurpose appends the HKDF info string of a token's subkey: a label,
// the token kind and all associated-data elements but the last.
func appendPurpose(dst []byte, kind byte, aad []string) []byte {
	dst = append(dst, "pii1 aead\x00"...)
	dst = append(dst, kind)
	if len(aad) > 1 {
		dst = appendContext(dst, aad[:len(aad)-1])
	}
	return dst
}
