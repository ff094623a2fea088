package pii

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/chacha20poly1305"
)

// Encryptor encrypts and decrypts field values as tokens, seals and opens
// tagged structs, computes blind indexes and erases subjects. It is safe for
// concurrent use, including while its [Keyring] is rotated.
type Encryptor struct {
	kr       *Keyring
	legacy   bool
	legacyN  atomic.Uint64
	subjects SubjectKeyStore
	indexes  map[string]IndexConfig // read-only after NewEncryptor

	indexStates cowMap[*indexState] // index name → state
	fieldKeys   cowMap[*fieldKey]   // subkey purpose → cached primary subkey
	plans       sync.Map            // reflect.Type → *sealPlan
	tables      sync.Map            // declared table name → reflect.Type
	rejectV1    bool
}

// Options configures an [Encryptor]. The zero value is strict mode (no
// legacy plaintext), no per-subject keys, and blind indexes configured by
// their names (see [Encryptor.BlindIndex]).
type Options struct {
	// SubjectKeys enables per-subject data keys ([Encryptor.EncryptFor],
	// [Encryptor.DecryptFor], [Encryptor.SealFor], [Encryptor.OpenFor],
	// [Encryptor.Forget]), kept in this store.
	SubjectKeys SubjectKeyStore
	// Indexes configures blind indexes by name ("User.EmailIndex", or
	// "<table>.<field>" for a declared table). Indexes not listed take
	// 32 bits and the category that their name spells.
	Indexes map[string]IndexConfig
	// LegacyPlaintext turns on migration mode: [Encryptor.DecryptString],
	// [Encryptor.Open] and [Encryptor.Reencrypt] accept a value without the
	// token prefix as legacy plaintext, returning it unchanged (Reencrypt
	// encrypts it) and counting it in [Encryptor.LegacyReads]. Otherwise such
	// a value fails with [ErrPlaintext]. A value with the token prefix must
	// always authenticate.
	LegacyPlaintext bool
	// RejectOldContext makes [Encryptor.Open] and [Encryptor.Seal] refuse
	// tokens in the version-1 context (bound to the Go type's bare name, not
	// its package), once Seal has moved every row to version 2. Until then
	// such a token still opens, and can be copied between same-named types of
	// two packages.
	RejectOldContext bool
}

// NewEncryptor returns an [Encryptor] over kr.
func NewEncryptor(kr *Keyring, opts Options) (*Encryptor, error) {
	if kr == nil {
		return nil, fmt.Errorf("%w: nil keyring", ErrKeyring)
	}
	e := &Encryptor{kr: kr, indexes: map[string]IndexConfig{}, legacy: opts.LegacyPlaintext, subjects: opts.SubjectKeys, rejectV1: opts.RejectOldContext}
	for name, cfg := range opts.Indexes {
		cfg, err := checkIndexConfig(name, cfg)
		if err != nil {
			return nil, err
		}
		e.indexes[name] = cfg
	}
	return e, nil
}

// LegacyReads returns how many legacy plaintext values migration mode has
// passed through (see [Options.LegacyPlaintext]). Zero for a while in production
// means the migration is complete and strict mode can be restored.
func (e *Encryptor) LegacyReads() uint64 { return e.legacyN.Load() }

// scratch holds the per-call buffers, pooled so that encryption allocates
// only its result.
type scratch struct {
	raw, aad, purpose, text, nonces []byte
	old                             []byte // a stale token's plaintext, while Seal moves it
	nonce                           [nonceSize]byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooledBuffer keeps an occasional large value from pinning memory.
const maxPooledBuffer = 64 << 10

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(s *scratch) {
	// raw may hold plaintext; every user keeps len(s.raw) covering what it
	// wrote. text holds only tokens and blind indexes.
	clear(s.raw)
	if cap(s.raw) > maxPooledBuffer || cap(s.text) > maxPooledBuffer {
		return
	}
	scratchPool.Put(s)
}

func newAEAD(key []byte) (*derivedKey, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	return &derivedKey{aead: aead}, nil
}

// EncryptString encrypts plaintext under the primary key and returns its
// token. The associated data aad (typically table, column, record id, from
// the general to the specific) is authenticated: [Encryptor.DecryptString]
// needs the same. All elements but the last also select the subkey, so each
// table and column is encrypted under its own key.
func (e *Encryptor) EncryptString(plaintext string, aad ...string) (string, error) {
	return encryptText(e, kindKeyring, plaintext, aad)
}

// DecryptString authenticates and decrypts token with the associated data
// it was encrypted with. Errors wrap [ErrDecrypt] (malformed, tampered or moved
// token), [ErrUnknownKey] (key missing, disabled, destroyed or below the
// minimum decryption version) or [ErrPlaintext] (not a token, strict mode).
func (e *Encryptor) DecryptString(token string, aad ...string) (string, error) {
	if !IsToken(token) {
		return e.legacyValue(token)
	}
	s := getScratch()
	defer putScratch(s)
	pt, err := e.decryptKeyring(s, nil, kindKeyring, token, aad)
	if err != nil {
		return "", err
	}
	return string(pt), nil
}

func (e *Encryptor) legacyValue(v string) (string, error) {
	if !e.legacy {
		return "", ErrPlaintext
	}
	e.legacyN.Add(1)
	return v, nil
}

// Reencrypt moves token to the primary key without returning its plaintext:
// it returns the token unchanged when it is already under the primary key
// (compare to skip the write), and a fresh token under the primary key
// otherwise. In migration mode a legacy plaintext value is encrypted. Subject
// tokens ([Encryptor.EncryptFor], [Encryptor.SealFor]) are returned
// unchanged: their data key is not in the keyring.
func (e *Encryptor) Reencrypt(token string, aad ...string) (string, error) {
	if !IsToken(token) {
		if _, err := e.legacyValue(token); err != nil {
			return "", err
		}
		return e.EncryptString(token, aad...)
	}
	return e.reencrypt(kindKeyring, token, aad)
}

// reencrypt implements [Encryptor.Reencrypt] for keyring tokens of kind
// (field values or wrapped subject keys).
func (e *Encryptor) reencrypt(kind byte, token string, aad []string) (string, error) {
	s := getScratch()
	defer putScratch(s)
	t, err := parseToken(token, &s.raw)
	if err != nil {
		return "", err
	}
	if t.kind&^kindV2 == kindSubject && kind == kindKeyring {
		return token, nil // EncryptFor's or SealFor's: no keyring key to move from
	}
	pt, err := e.openKeyring(s, nil, kind, t, aad, t.ciphertext[:0])
	if err != nil {
		return "", err
	}
	if t.keyID == e.kr.primaryID() {
		return token, nil
	}
	return encryptText(e, kind, pt, aad)
}

// decryptKeyring opens a keyring text token of the given kind; the
// plaintext aliases s.raw. fk is as for openKeyring.
func (e *Encryptor) decryptKeyring(s *scratch, fk *fieldKey, kind byte, token string, aad []string) ([]byte, error) {
	t, err := parseToken(token, &s.raw)
	if err != nil {
		return nil, err
	}
	return e.openKeyring(s, fk, kind, t, aad, t.ciphertext[:0])
}

// openKeyring authenticates and decrypts the parsed keyring token t of the
// given kind, appending the plaintext to dst (which may be
// t.ciphertext[:0] to decrypt in place). fk is the subkey cache of the
// token's purpose, or nil to look it up.
func (e *Encryptor) openKeyring(s *scratch, fk *fieldKey, kind byte, t rawToken, aad []string, dst []byte) ([]byte, error) {
	switch {
	case t.kind == kindSubject && kind == kindKeyring:
		return nil, &tokenError{Reason: "subject token: use DecryptFor"}
	case t.kind != kind:
		return nil, &tokenError{Reason: "wrong token kind"}
	}
	if fk == nil {
		fk = e.keyFor(s, t.kind, aad)
	}
	aead, err := fk.key(e.kr, t.keyID)
	if err != nil {
		return nil, err
	}
	return openToken(s, aead, t, nil, aad, dst)
}

// openToken authenticates and decrypts t, appending to dst.
func openToken(s *scratch, aead cipher.AEAD, t rawToken, subject []byte, aad []string, dst []byte) ([]byte, error) {
	s.aad = appendAAD(s.aad[:0], t.header, subject, aad)
	pt, err := aead.Open(dst, t.nonce, t.ciphertext, s.aad)
	if err != nil {
		return nil, &tokenError{Reason: "authentication failed"}
	}
	return pt, nil
}

// encryptText seals plaintext into a text token of kind under the primary
// key. Its one allocation is the result.
func encryptText[T string | []byte](e *Encryptor, kind byte, plaintext T, aad []string) (string, error) {
	s := getScratch()
	defer putScratch(s)
	id, aead, err := e.keyFor(s, kind, aad).primary(e.kr)
	if err != nil {
		return "", err
	}
	s.text, err = appendTextToken(s, s.text[:0], kind, id, aead, nil, plaintext, aad, nil)
	if err != nil {
		return "", err
	}
	return string(s.text), nil
}

// appendTextToken appends to dst the text token of plaintext sealed under
// aead, the subkey of key id (0 for a subject subkey), using s.raw for the
// binary token. nonce is fresh random bytes drawn by the caller, or nil to
// draw them here.
func appendTextToken[T string | []byte](s *scratch, dst []byte, kind byte, id uint32, aead cipher.AEAD, subject []byte, plaintext T, aad []string, nonce []byte) ([]byte, error) {
	raw, err := appendSealed(s, s.raw[:0], kind, id, aead, subject, plaintext, aad, nonce)
	if err != nil {
		return dst, err
	}
	s.raw = raw
	return tokenEncoding.AppendEncode(append(dst, tokenPrefix...), raw), nil
}

// appendSealed appends kind || key-id || nonce || ciphertext to dst, sealed
// under aead, the subkey of key id (0 for a subject subkey). nonce is as
// for appendTextToken.
func appendSealed[T string | []byte](s *scratch, dst []byte, kind byte, id uint32, aead cipher.AEAD, subject []byte, plaintext T, aad []string, nonce []byte) ([]byte, error) {
	if len(plaintext) > MaxPlaintext {
		return nil, errTooLong
	}
	if len(nonce) != 0 && len(nonce) != nonceSize {
		return nil, errors.New("pii: internal error: wrong nonce size")
	}
	start := len(dst)
	body := start + headerSize + nonceSize
	dst = slices.Grow(dst, headerSize+nonceSize+len(plaintext)+tagSize)
	// The plaintext is moved into place first: it may lie in dst's spare
	// capacity, where the header and nonce go (copy moves overlapping
	// bytes correctly; writing the header first would clobber them).
	dst = dst[:body+len(plaintext)]
	copy(dst[body:], plaintext)
	dst[start] = kind
	binary.BigEndian.PutUint32(dst[start+1:], id)
	n := dst[start+headerSize : body]
	if len(nonce) == 0 {
		rand.Read(n) // never returns an error (crypto/rand, Go 1.24+)
	} else {
		copy(n, nonce)
	}
	s.aad = appendAAD(s.aad[:0], dst[start:start+headerSize], subject, aad)
	ct := aead.Seal(dst[body:body], n, dst[body:], s.aad)
	return dst[:body+len(ct)], nil
}

// drawNonces returns n fresh nonces, concatenated, from one crypto/rand
// read: [Encryptor.Seal] draws all its fields' nonces at once.
func (s *scratch) drawNonces(n int) []byte {
	s.nonces = slices.Grow(s.nonces[:0], n*nonceSize)[:n*nonceSize]
	rand.Read(s.nonces)
	return s.nonces
}

// AppendEncrypt is [Encryptor.EncryptString] in binary form, for BYTEA
// (VARBINARY, BLOB) columns: it appends to dst the token "pii1" || kind ||
// key-id || nonce || ciphertext, the same token as
// [Encryptor.EncryptString]'s without the text encoding: n + 49 bytes for a
// plaintext of n bytes. It skips base64, which for values of a kilobyte costs
// about as much as the encryption itself. dst may be nil, or overlap
// plaintext (AppendEncrypt(p[:0], p) encrypts in place, given room for
// 49 more bytes); reuse one buffer across calls to allocate nothing.
// [Encryptor.AppendDecrypt] reverses it; [Encryptor.Seal] and
// [Encryptor.Open] work on text tokens only.
func (e *Encryptor) AppendEncrypt(dst, plaintext []byte, aad ...string) ([]byte, error) {
	if len(plaintext) > MaxPlaintext {
		return dst, errTooLong
	}
	s := getScratch()
	defer putScratch(s)
	id, aead, err := e.keyFor(s, kindKeyring, aad).primary(e.kr)
	if err != nil {
		return dst, err
	}
	// One exact allocation when dst has no room. The magic is written
	// last: plaintext may lie in dst's spare capacity, which appendSealed
	// reads before it writes there.
	start := len(dst)
	var grown []byte
	if dst == nil {
		grown = make([]byte, 0, binaryTokenLen(len(plaintext)))
	} else {
		grown = slices.Grow(dst, binaryTokenLen(len(plaintext)))
	}
	out, err := appendSealed(s, grown[:start+len(binaryMagic)], kindKeyring, id, aead, nil, plaintext, aad, nil)
	if err != nil {
		return dst, err
	}
	copy(out[start:], binaryMagic)
	return out, nil
}

// errTooLong reports a plaintext over [MaxPlaintext].
const errTooLong = invalidError("pii: plaintext longer than 1048576 bytes (MaxPlaintext)")

// AppendDecrypt authenticates and decrypts a binary token from
// [Encryptor.AppendEncrypt] with the associated data it was encrypted with,
// appending the plaintext to dst (nil, or a buffer reused across calls; it
// may overlap token). Errors are those of [Encryptor.DecryptString]. In
// migration mode ([Options.LegacyPlaintext]) a value without the binary token
// prefix is appended as it is. To move a binary token to a new primary key,
// decrypt and encrypt it again. On error dst is returned with its original
// length (its spare capacity may have been written).
func (e *Encryptor) AppendDecrypt(dst, token []byte, aad ...string) ([]byte, error) {
	if dst == nil && len(token) > len(binaryMagic)+headerSize+nonceSize+tagSize {
		dst = make([]byte, 0, len(token)-len(binaryMagic)-headerSize-nonceSize) // room to open in place
	}
	if !isBinaryToken(token) {
		if !e.legacy {
			return dst, ErrPlaintext
		}
		e.legacyN.Add(1)
		return append(dst, token...), nil
	}
	t, err := parseBinaryToken(token)
	if err != nil {
		return dst, err
	}
	if t.kind != kindKeyring {
		return dst, &tokenError{Reason: "wrong token kind"}
	}
	s := getScratch()
	defer putScratch(s)
	// Copy what the AEAD reads out of token, then decrypt in place in
	// dst's tail: the AEAD permits only exact overlap, and token may
	// overlap dst.
	nonce := s.nonce[:]
	copy(nonce, t.nonce)
	s.aad = appendAAD(s.aad[:0], t.header, nil, aad)
	aead, err := e.keyFor(s, t.kind, aad).key(e.kr, t.keyID)
	if err != nil {
		return dst, err
	}
	start := len(dst)
	out := append(dst, t.ciphertext...)
	pt, err := aead.Open(out[start:start], nonce, out[start:], s.aad)
	if err != nil {
		return dst, &tokenError{Reason: "authentication failed"}
	}
	return out[:start+len(pt)], nil
}

// fieldKey caches the subkey of the primary key for one purpose (a token
// kind and associated data minus its record id: one table column, one
// struct field), so that the hot paths take no lock.
type fieldKey struct{ subkeyCache }

// keyFor returns the subkey cache of the purpose (kind, associated data minus the
// record id), leaving the purpose in s.purpose.
func (e *Encryptor) keyFor(s *scratch, kind byte, aad []string) *fieldKey {
	s.purpose = appendPurpose(s.purpose[:0], kind, aad)
	return e.fieldKey(s.purpose)
}

// fieldKey returns the subkey cache of purpose, shared by every path that
// encrypts or decrypts for it ([Encryptor.EncryptString] and [Encryptor.Seal]
// of the same column).
func (e *Encryptor) fieldKey(purpose []byte) *fieldKey {
	if fk, ok := e.fieldKeys.get(purpose); ok {
		return fk
	}
	purpose = slices.Clone(purpose)
	return e.fieldKeys.add(string(purpose), func() *fieldKey { return &fieldKey{subkeyCache{purpose: purpose}} })
}

// primary returns the primary key's id and subkey for the purpose.
func (fk *fieldKey) primary(kr *Keyring) (uint32, cipher.AEAD, error) {
	id, d, err := fk.current(kr, false, newAEAD)
	if err != nil {
		return 0, nil, err
	}
	return id, d.aead, nil
}

// key returns the subkey of key id for decryption: the primary key's from
// the cache (refreshing it if the keyring changed), since the primary key
// is always usable for decryption (never below the minimum decryption
// version); any other through the keyring.
func (fk *fieldKey) key(kr *Keyring, id uint32) (cipher.AEAD, error) {
	if kr == nil {
		return nil, errNoKeyring
	}
	if c := fk.cached.Load(); c != nil && c.id == id && c.gen == kr.gen.Load() {
		if d := c.ref.key.Load(); d != nil {
			return d.aead, nil
		}
	}
	if pid, aead, err := fk.primary(kr); err == nil && pid == id {
		return aead, nil
	}
	_, d, _, err := kr.subkey(id, false, false, fk.purpose, newAEAD)
	if err != nil {
		return nil, err
	}
	return d.aead, nil
}
