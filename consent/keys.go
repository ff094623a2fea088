package consent

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"maps"
	"slices"
	"sync"
)

// KeySize is the size of a chain key: 32 bytes from a CSPRNG.
const KeySize = 32

// Keyring holds the secret keys that authenticate the record chain
// (HMAC-SHA256, RFC 2104): one signing key, which seals every new record
// and whose id the record carries, and any number of older keys that only
// verify. Keep the secrets outside the database (a secret manager, a file
// readable by the service alone): whoever holds them can forge records.
//
// A Keyring never prints or logs its secrets: every fmt verb and slog
// show only the key ids, and encoding/json shows nothing. Build it before
// [NewLedger], which takes a copy.
type Keyring struct {
	signer string
	keys   map[string]*macKey
}

// macKey holds clones of one key's HMAC, keyed once, in a pool: a MAC
// costs no key schedule and no allocation.
type macKey struct {
	pool sync.Pool // of *macState
}

type macState struct {
	h   hash.Hash
	buf []byte
}

// NewKeyring returns a keyring whose signing key is secret, named id.
// The id is recorded in every record it seals (letters, digits and
// . _ : - /, at most 64 bytes); the secret must be [KeySize] bytes.
//
// To rotate: generate a new secret under a new id, give every process a
// keyring that can verify it ([Keyring.Add]) while the old key still
// signs, then make the new key the signer everywhere and keep the old one
// as a verifying key for as long as records it sealed exist, i.e. forever.
// A process whose keyring lacks a key denies the records it sealed with
// [ErrTampered].
func NewKeyring(id string, secret []byte) (*Keyring, error) {
	k := &Keyring{keys: map[string]*macKey{}}
	if err := k.Add(id, secret); err != nil {
		return nil, err
	}
	k.signer = id
	return k, nil
}

// Add adds a key that verifies records but does not seal new ones. Adding
// an id again fails.
func (k *Keyring) Add(id string, secret []byte) error {
	if err := validID("Keyring id", id, false); err != nil {
		return err
	}
	if len(id) > 64 {
		return invalid("Keyring id", "too long")
	}
	if len(secret) != KeySize {
		return invalid("Keyring secret", fmt.Sprintf("must be %d bytes", KeySize))
	}
	if _, dup := k.keys[id]; dup {
		return invalid("Keyring id", "already present")
	}
	h := hmac.New(sha256.New, secret)
	h.Reset() // keeps the keyed inner and outer states, so that each use starts from them
	c, ok := h.(hash.Cloner)
	if !ok {
		return fmt.Errorf("consent: keyring: hmac cannot be cloned")
	}
	if _, err := c.Clone(); err != nil {
		return fmt.Errorf("consent: keyring: %w", err)
	}
	mk := &macKey{}
	mk.pool.New = func() any {
		clone, _ := c.Clone() // it cloned above; clones of one state never fail apart
		return &macState{h: clone, buf: make([]byte, 0, 512)}
	}
	k.keys[id] = mk
	return nil
}

// clone returns a copy sharing the (immutable) keyed states.
func (k *Keyring) clone() *Keyring {
	return &Keyring{signer: k.signer, keys: maps.Clone(k.keys)}
}

// Format prints the key ids only, never a secret, for every verb.
func (k *Keyring) Format(f fmt.State, _ rune) {
	if k == nil {
		_, _ = fmt.Fprint(f, "consent.Keyring(nil)")
		return
	}
	_, _ = fmt.Fprintf(f, "consent.Keyring{signer: %s, keys: %v}", k.signer, slices.Sorted(maps.Keys(k.keys)))
}

// sum returns HMAC-SHA256 under key id of the message msg appends to a
// buffer, or false if the ring lacks the key.
func (k *Keyring) sum(id string, msg func([]byte) []byte) (Digest, bool) {
	mk, ok := k.keys[id]
	if !ok {
		return Digest{}, false
	}
	st := mk.pool.Get().(*macState)
	st.h.Reset()
	st.buf = msg(st.buf[:0])
	st.h.Write(st.buf)
	var d Digest
	copy(d[:], st.h.Sum(st.buf[:0])) // into the pooled buffer: d stays on the stack
	mk.pool.Put(st)
	return d, true
}
