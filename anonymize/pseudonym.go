package anonymize

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
)

// Pseudonymizer derives partner pseudonyms from one master key. A
// pseudonym is HMAC-SHA256(partner key, id) truncated to 128 bits, where the
// partner key is HKDF-SHA256(master, info = partner name): the same user
// has a stable pseudonym in every file sent to one partner, unrelated
// pseudonyms at two partners (their files cannot be joined on it), and no
// raw identifier leaves. Without the master key a pseudonym cannot be
// reversed, even by enumerating all user ids.
//
// A Pseudonymizer is safe for concurrent use. Rotating the master key
// changes every pseudonym of every partner.
type Pseudonymizer struct {
	master []byte
}

// NewPseudonymizer returns a Pseudonymizer under master, which must hold at
// least KeySize bytes from a secure random source.
func NewPseudonymizer(master []byte) (*Pseudonymizer, error) {
	if len(master) < KeySize {
		return nil, fmt.Errorf("%w: pseudonym key must be at least %d bytes", ErrSpec, KeySize)
	}
	return &Pseudonymizer{master: append([]byte(nil), master...)}, nil
}

// Partner returns the pseudonyms of one partner, named by a stable
// identifier (not a display name that may change).
func (p *Pseudonymizer) Partner(name string) (*Partner, error) {
	if name == "" {
		return nil, fmt.Errorf("%w: empty partner name", ErrSpec)
	}
	k, err := hkdf.Key(sha256.New, p.master, nil, "1cb compliance partner pseudonym v1\x00"+name, 32)
	if err != nil {
		return nil, err
	}
	return &Partner{key: k}, nil
}

// Partner computes the pseudonyms of one partner. It is safe for concurrent
// use.
type Partner struct {
	key []byte
}

var pseudoEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Pseudonym returns the pseudonym of id: 26 lower-case base32 characters.
// The empty id has the empty pseudonym.
func (p *Partner) Pseudonym(id string) string {
	if id == "" {
		return ""
	}
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(id))
	return strings.ToLower(pseudoEncoding.EncodeToString(m.Sum(nil)[:16]))
}
