// Package xaes implements XAES-256-GCM as specified at c2sp.org/XAES-256-GCM.
//
// XAES-256-GCM is AES-256-GCM with a 192-bit nonce: for every message a
// 256-bit key is derived from the input key and the first 96 bits of the
// nonce with a counter-mode CMAC-AES-256 KDF (NIST SP 800-108r1), and the
// remaining 96 bits are used as the AES-256-GCM nonce. Random nonces can be
// used for an effectively unlimited number of messages under one key
// (2^80 messages keep the collision risk below 2^-32).
//
// The Go 1.26 standard library implements the construction only in an
// internal package (crypto/internal/fips140/aes/gcm), so it is built here
// from crypto/aes and crypto/cipher. Package pii does not encrypt with it:
// it exists, checked against the C2SP vectors, so that pii's benchmarks can
// show why XChaCha20-Poly1305 was chosen instead (see pii's package
// documentation).
package xaes

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"errors"
)

const (
	// KeySize is the size of an XAES-256-GCM key.
	KeySize = 32
	// NonceSize is the size of an XAES-256-GCM nonce.
	NonceSize = 24
	// Overhead is the size of the GCM authentication tag.
	Overhead = 16
)

type xaes struct {
	block cipher.Block
	k1    [aes.BlockSize]byte
}

// New returns an XAES-256-GCM AEAD for a 32-byte key.
func New(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, errors.New("xaes: bad key length")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	x := &xaes{block: block}
	// L = AES-256_K(0^128); K1 = L << 1, xored with 0x87 if MSB1(L) is set.
	block.Encrypt(x.k1[:], x.k1[:])
	var msb byte
	for i := len(x.k1) - 1; i >= 0; i-- {
		b := x.k1[i]
		x.k1[i] = b<<1 | msb
		msb = b >> 7
	}
	x.k1[len(x.k1)-1] ^= byte(subtle.ConstantTimeByteEq(msb, 1)) * 0x87
	return x, nil
}

func (*xaes) NonceSize() int { return NonceSize }
func (*xaes) Overhead() int  { return Overhead }

// derive returns the AES-256-GCM instance for the per-message key Kₓ.
func (x *xaes) derive(nonce []byte) (cipher.AEAD, error) {
	var key [KeySize]byte
	m1 := key[:aes.BlockSize]
	m2 := key[aes.BlockSize:]
	m1[1], m1[2] = 1, 'X'
	m2[1], m2[2] = 2, 'X'
	copy(m1[4:], nonce[:12])
	copy(m2[4:], nonce[:12])
	subtle.XORBytes(m1, m1, x.k1[:])
	subtle.XORBytes(m2, m2, x.k1[:])
	x.block.Encrypt(m1, m1)
	x.block.Encrypt(m2, m2)
	block, err := aes.NewCipher(key[:])
	clear(key[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (x *xaes) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	if len(nonce) != NonceSize {
		panic("xaes: bad nonce length passed to Seal")
	}
	g, err := x.derive(nonce)
	if err != nil {
		panic("xaes: " + err.Error()) // unreachable: the derived key is always 32 bytes
	}
	return g.Seal(dst, nonce[12:], plaintext, additionalData)
}

var errOpen = errors.New("xaes: message authentication failed")

func (x *xaes) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	if len(nonce) != NonceSize {
		return nil, errOpen
	}
	g, err := x.derive(nonce)
	if err != nil {
		return nil, errOpen
	}
	return g.Open(dst, nonce[12:], ciphertext, additionalData)
}
