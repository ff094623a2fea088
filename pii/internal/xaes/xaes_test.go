package xaes

import (
	"bytes"
	"crypto/sha3"
	"encoding/hex"
	"os"
	"regexp"
	"testing"
)

// TestC2SPVectors runs the two vectors of testdata/xaes-256-gcm-vectors.md
// (c2sp.org/XAES-256-GCM), parsed from the file.
func TestC2SPVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/xaes-256-gcm-vectors.md")
	if err != nil {
		t.Fatal(err)
	}
	field := func(name string) [][]byte {
		re := regexp.MustCompile(`(?m)^\s+` + name + `: (.*)$`)
		var out [][]byte
		for _, m := range re.FindAllSubmatch(data, -1) {
			v := bytes.TrimSpace(m[1])
			if len(v) >= 2 && v[0] == '"' {
				out = append(out, v[1:len(v)-1])
				continue
			}
			b, err := hex.DecodeString(string(v))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out = append(out, b)
		}
		return out
	}
	keys, nonces, pts, aads, cts := field("K"), field("N"), field("Plaintext"), field("AAD"), field("Ciphertext")
	if len(keys) != 2 || len(nonces) != 2 || len(pts) != 2 || len(aads) != 2 || len(cts) != 2 {
		t.Fatalf("parsed %d/%d/%d/%d/%d vector fields, want 2 each", len(keys), len(nonces), len(pts), len(aads), len(cts))
	}
	for i := range keys {
		a, err := New(keys[i])
		if err != nil {
			t.Fatal(err)
		}
		ct := a.Seal(nil, nonces[i], pts[i], aads[i])
		if !bytes.Equal(ct, cts[i]) {
			t.Errorf("vector %d: Seal = %x, want %x", i, ct, cts[i])
		}
		pt, err := a.Open(nil, nonces[i], cts[i], aads[i])
		if err != nil || !bytes.Equal(pt, pts[i]) {
			t.Errorf("vector %d: Open = %q, %v", i, pt, err)
		}
		bad := bytes.Clone(cts[i])
		bad[0] ^= 1
		if _, err := a.Open(nil, nonces[i], bad, aads[i]); err == nil {
			t.Errorf("vector %d: tampered ciphertext opened", i)
		}
	}
}

// TestC2SPAccumulated is the specification's accumulated randomized test
// for 10 000 iterations.
func TestC2SPAccumulated(t *testing.T) {
	const want = "e6b9edf2df6cec60c8cbd864e2211b597fb69a529160cd040d56c0c210081939"
	rng, acc := sha3.NewSHAKE128(), sha3.NewSHAKE128()
	read := func(n int) []byte {
		b := make([]byte, n)
		rng.Read(b)
		return b
	}
	for range 10_000 {
		key, nonce := read(32), read(24)
		pt := read(int(read(1)[0]))
		aad := read(int(read(1)[0]))
		a, err := New(key)
		if err != nil {
			t.Fatal(err)
		}
		ct := a.Seal(nil, nonce, pt, aad)
		acc.Write(ct)
		if got, err := a.Open(nil, nonce, ct, aad); err != nil || !bytes.Equal(got, pt) {
			t.Fatal("round trip failed")
		}
	}
	sum := make([]byte, 32)
	acc.Read(sum)
	if got := hex.EncodeToString(sum); got != want {
		t.Fatalf("accumulated hash %s, want %s", got, want)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := New(make([]byte, 16)); err == nil {
		t.Error("16-byte key accepted")
	}
	a, _ := New(make([]byte, 32))
	if _, err := a.Open(nil, make([]byte, 12), make([]byte, 32), nil); err == nil {
		t.Error("short nonce accepted by Open")
	}
}
