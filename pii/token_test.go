package pii

import (
	"bytes"
	"strings"
	"testing"
)

func FuzzDecryptToken(f *testing.F) {
	kr, err := NewKeyring()
	if err != nil {
		f.Fatal(err)
	}
	enc, err := NewEncryptor(kr, Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, pt := range []string{"", "a", "user@example.kz", strings.Repeat("й", 100)} {
		tok, err := enc.EncryptString(pt, "t", "c", "1")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
	}
	f.Add(tokenPrefix)
	f.Add(tokenPrefix + "AQAAAAE")
	f.Add("plain text")
	f.Fuzz(func(t *testing.T, s string) {
		pt, err := enc.DecryptString(s, "t", "c", "1")
		if err == nil {
			// Only genuine tokens decrypt; re-encrypting must round-trip.
			tok, err := enc.EncryptString(pt, "t", "c", "1")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := enc.DecryptString(tok, "t", "c", "1"); err != nil || got != pt {
				t.Fatal("round trip failed")
			}
		}
		if tok, err := enc.Reencrypt(s, "t", "c", "1"); err == nil && !IsToken(tok) {
			t.Fatal("Reencrypt returned a non-token")
		}
		_, _ = parseToken(s, new([]byte))
	})
}

func FuzzDecryptBinary(f *testing.F) {
	kr, err := NewKeyring()
	if err != nil {
		f.Fatal(err)
	}
	enc, err := NewEncryptor(kr, Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, pt := range []string{"", "a", "user@example.kz"} {
		tok, err := enc.AppendEncrypt(nil, []byte(pt), "t", "c", "1")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
	}
	f.Add([]byte(binaryMagic))
	f.Add([]byte("plain"))
	f.Fuzz(func(t *testing.T, b []byte) {
		saved := bytes.Clone(b)
		pt, err := enc.AppendDecrypt(nil, b, "t", "c", "1")
		if !bytes.Equal(saved, b) {
			t.Fatal("Decrypt modified its input")
		}
		if err == nil {
			tok, err := enc.AppendEncrypt(nil, pt, "t", "c", "1")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := enc.AppendDecrypt(nil, tok, "t", "c", "1"); err != nil || !bytes.Equal(got, pt) {
				t.Fatal("round trip failed")
			}
		}
		if _, err := enc.AppendDecrypt(nil, b, "t", "c", "1"); err == nil && !isBinaryToken(b) {
			t.Fatal("AppendDecrypt accepted a non-token")
		}
		if !bytes.Equal(saved, b) {
			t.Fatal("AppendDecrypt modified its input")
		}
	})
}
