package pii

import (
	"context"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
)

// SubjectKeyStore keeps one wrapped data key per data subject (a user id).
// The wrapped key is a keyring token: the store never sees a usable key, and
// a copy of the store is useless without the keyring. Implementations must
// be safe for concurrent use, and never put a subject id or a key in an
// error. [MemorySubjectKeyStore] and [SQLSubjectKeyStore] are provided.
type SubjectKeyStore interface {
	// Get returns subject's wrapped key. It returns [ErrErased] after
	// [SubjectKeyStore.Forget] and an error wrapping [ErrUnknownKey] when
	// subject has no key yet.
	Get(ctx context.Context, subject string) (wrapped string, err error)
	// CompareAndSwap stores new as subject's wrapped key if the key stored is
	// old ("" for a subject without a key: the first key), and returns the
	// key stored after the call: new, or the one another writer stored first.
	// It returns [ErrErased] after [SubjectKeyStore.Forget], so that an
	// erased subject id is never given a key again, and an error wrapping
	// [ErrUnknownKey] when old is not "" and subject has no key.
	CompareAndSwap(ctx context.Context, subject, old, new string) (stored string, err error)
	// Forget destroys subject's key and keeps a tombstone, so that later
	// calls return [ErrErased]. It is idempotent, and succeeds for a subject
	// that never had a key.
	Forget(ctx context.Context, subject string) error
}

// maxSubjectLen bounds subject ids, in bytes (256).
const maxSubjectLen = 256

func checkSubject(subject string) error {
	if subject == "" || len(subject) > maxSubjectLen {
		return invalidf("pii: subject id must be 1 to %d bytes", maxSubjectLen)
	}
	return nil
}

// MemorySubjectKeyStore is an in-memory [SubjectKeyStore] for tests and
// single-process tools. [MemorySubjectKeyStore.Forget] drops the wrapped key
// from the map; the Go runtime gives no guarantee that the freed memory is
// overwritten.
type MemorySubjectKeyStore struct {
	mu     sync.Mutex
	keys   map[string]string
	erased map[string]bool
}

// NewMemorySubjectKeyStore returns an empty store.
func NewMemorySubjectKeyStore() *MemorySubjectKeyStore {
	return &MemorySubjectKeyStore{keys: map[string]string{}, erased: map[string]bool{}}
}

// Get implements [SubjectKeyStore].
func (m *MemorySubjectKeyStore) Get(ctx context.Context, subject string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.get(subject)
}

// get is Get with m.mu held.
func (m *MemorySubjectKeyStore) get(subject string) (string, error) {
	if m.erased[subject] {
		return "", ErrErased
	}
	w, ok := m.keys[subject]
	if !ok {
		return "", errNoSubjectKey
	}
	return w, nil
}

var errNoSubjectKey = fmt.Errorf("%w: subject has no data key", ErrUnknownKey)

// CompareAndSwap implements [SubjectKeyStore].
func (m *MemorySubjectKeyStore) CompareAndSwap(ctx context.Context, subject, old, new string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	stored, err := m.get(subject)
	switch {
	case err == errNoSubjectKey && old == "":
	case err != nil:
		return "", err
	case stored != old:
		return stored, nil
	}
	m.keys[subject] = new
	return new, nil
}

// Forget implements [SubjectKeyStore].
func (m *MemorySubjectKeyStore) Forget(ctx context.Context, subject string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.keys, subject)
	m.erased[subject] = true
	return nil
}

// subjectKeyContext is the associated data under which data keys are wrapped; the
// subject id is bound as the last element.
const subjectKeyContext = "pii subject data key"

// subjectKey returns subject's data key as an HKDF pseudorandom key,
// creating the data key on first use when create is set.
func (e *Encryptor) subjectKey(ctx context.Context, subject string, create bool) ([]byte, error) {
	if err := e.checkSubject(subject); err != nil {
		return nil, err
	}
	wrapped, err := e.subjects.Get(ctx, subject)
	missing := errors.Is(err, ErrUnknownKey) && !errors.Is(err, ErrErased)
	if missing && !create {
		return nil, errNoSubjectKey
	}
	if missing {
		dek := make([]byte, keySize)
		rand.Read(dek)
		w, werr := encryptText(e, kindWrap, dek, []string{subjectKeyContext, subject})
		clear(dek)
		if werr != nil {
			return nil, werr
		}
		wrapped, err = e.subjects.CompareAndSwap(ctx, subject, "", w)
	}
	if err != nil {
		return nil, err
	}
	s := getScratch()
	defer putScratch(s)
	dek, err := e.decryptKeyring(s, nil, kindWrap, wrapped, []string{subjectKeyContext, subject})
	if err != nil {
		return nil, fmt.Errorf("pii: unwrapping subject data key: %w", err)
	}
	if len(dek) != keySize {
		return nil, &tokenError{Reason: "subject data key has the wrong size"}
	}
	return hkdf.Extract(sha256.New, dek, []byte(hkdfSalt))
}

// subjectAEAD derives the subkey of one purpose from a subject's key.
func subjectAEAD(prk []byte, purpose []byte) (cipher.AEAD, error) {
	key, err := hkdf.Expand(sha256.New, prk, string(purpose), keySize)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return chacha20poly1305.NewX(key)
}

// EncryptFor encrypts plaintext under subject's data key, creating the key on
// first use, and returns a token that Forget(ctx, subject) makes permanently
// undecryptable, wherever copies of it are kept. The associated data aad is
// used as in [Encryptor.EncryptString]; the subject is authenticated too.
func (e *Encryptor) EncryptFor(ctx context.Context, subject, plaintext string, aad ...string) (string, error) {
	prk, err := e.subjectKey(ctx, subject, true)
	if err != nil {
		return "", err
	}
	defer clear(prk)
	s := getScratch()
	defer putScratch(s)
	if s.text, err = appendSubjectToken(s, s.text[:0], kindSubject, prk, subject, plaintext, aad, nil); err != nil {
		return "", err
	}
	return string(s.text), nil
}

// appendSubjectToken appends a subject token of the given kind (kindSubject
// or kindSubject2) to dst.
func appendSubjectToken[T string | []byte](s *scratch, dst []byte, kind byte, prk []byte, subject string, plaintext T, aad []string, nonce []byte) ([]byte, error) {
	s.purpose = appendPurpose(s.purpose[:0], kind, aad)
	aead, err := subjectAEAD(prk, s.purpose)
	if err != nil {
		return dst, err
	}
	return appendTextToken(s, dst, kind, 0, aead, []byte(subject), plaintext, aad, nonce)
}

// DecryptFor decrypts a token written by [Encryptor.EncryptFor] for subject.
// After [Encryptor.Forget] it fails with [ErrErased]. It also decrypts
// keyring tokens (from [Encryptor.EncryptString]) and, in migration mode,
// legacy plaintext, but only while subject is not erased, which eases a move
// to subject tokens.
func (e *Encryptor) DecryptFor(ctx context.Context, subject, token string, aad ...string) (string, error) {
	prk, err := e.subjectKey(ctx, subject, false)
	if err != nil && err != errNoSubjectKey {
		return "", err
	}
	defer clear(prk)
	if !IsToken(token) {
		return e.legacyValue(token)
	}
	s := getScratch()
	defer putScratch(s)
	pt, err := e.openSubject(s, prk, subject, token, aad)
	if err != nil {
		return "", err
	}
	return string(pt), nil
}

// openSubject decrypts a subject or keyring text token; the plaintext
// aliases s.raw.
func (e *Encryptor) openSubject(s *scratch, prk []byte, subject, token string, aad []string) ([]byte, error) {
	t, err := parseToken(token, &s.raw)
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case kindKeyring:
		return e.openKeyring(s, nil, kindKeyring, t, aad, t.ciphertext[:0])
	case kindSubject:
		return openSubjectToken(s, prk, subject, t, aad)
	}
	return nil, &tokenError{Reason: "wrong token kind"}
}

// openSubjectToken opens the parsed subject token t (of kind kindSubject or
// kindSubject2); the plaintext aliases t.
func openSubjectToken(s *scratch, prk []byte, subject string, t rawToken, aad []string) ([]byte, error) {
	if prk == nil {
		return nil, errNoSubjectKey
	}
	s.purpose = appendPurpose(s.purpose[:0], t.kind, aad)
	aead, err := subjectAEAD(prk, s.purpose)
	if err != nil {
		return nil, err
	}
	return openToken(s, aead, t, []byte(subject), aad, t.ciphertext[:0])
}

// Forget erases subject (clause 7.1): its data key is destroyed in the store,
// and every token written for it by [Encryptor.EncryptFor] or
// [Encryptor.SealFor], including copies in replicas, exports and backups of
// the data, fails from then on with [ErrErased]. The host must also delete
// the subject's blind-index values (keyed hashes of the plaintext, still
// comparable after erasure) and any plaintext it keeps elsewhere.
func (e *Encryptor) Forget(ctx context.Context, subject string) error {
	if err := e.checkSubject(subject); err != nil {
		return err
	}
	return e.subjects.Forget(ctx, subject)
}

// errNoSubjectStore reports a per-subject call on an [Encryptor] built
// without [Options.SubjectKeys].
const errNoSubjectStore = invalidError("pii: no subject key store (Options.SubjectKeys)")

// checkSubject refuses a per-subject call without a store or with a bad
// subject id.
func (e *Encryptor) checkSubject(subject string) error {
	if e.subjects == nil {
		return errNoSubjectStore
	}
	return checkSubject(subject)
}

// maxRewrapAttempts bounds [Encryptor.RewrapSubjectKey]'s retries when
// another writer replaces the wrapped key between its read and its write.
const maxRewrapAttempts = 3

// RewrapSubjectKey re-wraps subject's data key under the keyring's primary
// key, so that the older keyring key can later be destroyed. The data key
// itself, and so every token of the subject, is unchanged.
func (e *Encryptor) RewrapSubjectKey(ctx context.Context, subject string) error {
	if err := e.checkSubject(subject); err != nil {
		return err
	}
	for range maxRewrapAttempts {
		wrapped, err := e.subjects.Get(ctx, subject)
		if err != nil {
			return err
		}
		if !IsToken(wrapped) {
			return &tokenError{Reason: "stored subject key is not a token"}
		}
		rewrapped, err := e.reencrypt(kindWrap, wrapped, []string{subjectKeyContext, subject})
		if err != nil {
			return fmt.Errorf("pii: re-wrapping subject data key: %w", err)
		}
		if rewrapped == wrapped {
			return nil
		}
		stored, err := e.subjects.CompareAndSwap(ctx, subject, wrapped, rewrapped)
		if err != nil || stored == rewrapped {
			return err
		}
		// Another writer re-wrapped it first: check what it stored.
	}
	return &tokenError{Reason: "subject key changed concurrently"}
}
