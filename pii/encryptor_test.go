package pii

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestEncryptor(t testing.TB, opts ...Options) (*Keyring, *Encryptor) {
	t.Helper()
	kr, err := NewKeyring()
	require.NoError(t, err)
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	enc, err := NewEncryptor(kr, o)
	require.NoError(t, err)
	return kr, enc
}

func TestEncryptDecryptRoundTrip(t *testing.T) {
	_, enc := newTestEncryptor(t)
	for _, pt := range []string{"", "a", "Әлия Нұрланқызы", "user@example.kz", strings.Repeat("x", 4096)} {
		tok, err := enc.EncryptString(pt, "users", "email", "42")
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(tok, tokenPrefix))
		assert.Len(t, tok, TokenLen(len(pt)))
		assert.NotContains(t, tok, "example")
		got, err := enc.DecryptString(tok, "users", "email", "42")
		require.NoError(t, err)
		assert.Equal(t, pt, got)
	}
}

func TestTokensAreRandomised(t *testing.T) {
	_, enc := newTestEncryptor(t)
	a, err := enc.EncryptString("same", "t", "c", "1")
	require.NoError(t, err)
	b, err := enc.EncryptString("same", "t", "c", "1")
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
}

func TestContextBinding(t *testing.T) {
	_, enc := newTestEncryptor(t)
	tok, err := enc.EncryptString("secret", "users", "email", "42")
	require.NoError(t, err)
	for name, ctx := range map[string][]string{
		"other row":     {"users", "email", "43"},
		"other column":  {"users", "phone", "42"},
		"other table":   {"admins", "email", "42"},
		"no context":    nil,
		"extra element": {"users", "email", "42", ""},
		"re-split":      {"users", "emai", "l42"},
		"reordered":     {"email", "users", "42"},
		"shorter":       {"users", "email"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := enc.DecryptString(tok, ctx...)
			assert.ErrorIs(t, err, ErrDecrypt)
		})
	}
}

func TestOtherKeyringFails(t *testing.T) {
	_, a := newTestEncryptor(t)
	_, b := newTestEncryptor(t)
	tok, err := a.EncryptString("x", "t", "c", "1")
	require.NoError(t, err)
	_, err = b.DecryptString(tok, "t", "c", "1")
	assert.ErrorIs(t, err, ErrDecrypt)
}

// TestEverySingleBitFlipFails flips each bit of every character of a short
// token, exhaustively.
func TestEverySingleBitFlipFails(t *testing.T) {
	_, enc := newTestEncryptor(t)
	tok, err := enc.EncryptString("ab", "t", "c", "1")
	require.NoError(t, err)
	flips := 0
	for i := range len(tok) {
		for bit := range 8 {
			b := []byte(tok)
			b[i] ^= 1 << bit
			got, err := enc.DecryptString(string(b), "t", "c", "1")
			if err == nil {
				t.Fatalf("flip of bit %d of byte %d decrypted to %q", bit, i, got)
			}
			if !errors.Is(err, ErrDecrypt) && !errors.Is(err, ErrUnknownKey) && !errors.Is(err, ErrPlaintext) {
				t.Fatalf("flip of bit %d of byte %d: unexpected error %v", bit, i, err)
			}
			flips++
		}
	}
	assert.Equal(t, 8*len(tok), flips)
}

func TestTruncatedAndMalformedTokens(t *testing.T) {
	_, enc := newTestEncryptor(t)
	tok, err := enc.EncryptString("hello", "t", "c", "1")
	require.NoError(t, err)
	for i := range len(tok) {
		_, err := enc.DecryptString(tok[:i], "t", "c", "1")
		require.Error(t, err, "prefix of length %d", i)
	}
	for _, bad := range []string{
		tokenPrefix, tokenPrefix + "!!!!", tokenPrefix + strings.Repeat("A", 60), tok + "A", tok + "=",
		tokenPrefix + " " + tok[len(tokenPrefix):], tok[:len(tok)-1] + "\n",
	} {
		_, err := enc.DecryptString(bad, "t", "c", "1")
		assert.ErrorIs(t, err, ErrDecrypt, "%q", bad)
		assert.NotContains(t, err.Error(), "hello")
	}
}

func TestReorderedTokens(t *testing.T) {
	_, enc := newTestEncryptor(t)
	tok, err := enc.EncryptString("hello world", "t", "c", "1")
	require.NoError(t, err)
	raw, err := tokenEncoding.DecodeString(tok[len(tokenPrefix):])
	require.NoError(t, err)
	swap := func(f func(b []byte)) string {
		b := append([]byte(nil), raw...)
		f(b)
		return tokenPrefix + tokenEncoding.EncodeToString(b)
	}
	for name, bad := range map[string]string{
		"header and nonce swapped": swap(func(b []byte) {
			h := append([]byte(nil), b[:headerSize]...)
			copy(b, b[headerSize:2*headerSize])
			copy(b[headerSize:], h)
		}),
		"nonce halves swapped": swap(func(b []byte) {
			n := b[headerSize : headerSize+nonceSize]
			for i := range nonceSize / 2 {
				n[i], n[i+nonceSize/2] = n[i+nonceSize/2], n[i]
			}
		}),
		"tag moved first": swap(func(b []byte) {
			body := b[headerSize+nonceSize:]
			rotated := append(append([]byte(nil), body[len(body)-tagSize:]...), body[:len(body)-tagSize]...)
			copy(body, rotated)
		}),
		"kind changed to subject": swap(func(b []byte) { b[0] = kindSubject; clear(b[1:headerSize]) }),
		"kind changed to wrap":    swap(func(b []byte) { b[0] = kindWrap }),
	} {
		_, err := enc.DecryptString(bad, "t", "c", "1")
		assert.ErrorIs(t, err, ErrDecrypt, name)
	}
}

func TestStrictAndMigrationModes(t *testing.T) {
	_, strict := newTestEncryptor(t)
	_, err := strict.DecryptString("legacy@example.kz", "t", "c", "1")
	assert.ErrorIs(t, err, ErrPlaintext)
	_, err = strict.Reencrypt("legacy@example.kz", "t", "c", "1")
	assert.ErrorIs(t, err, ErrPlaintext)

	kr, mig := newTestEncryptor(t, Options{LegacyPlaintext: true})
	got, err := mig.DecryptString("legacy@example.kz", "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "legacy@example.kz", got)
	tok, err := mig.Reencrypt("legacy@example.kz", "t", "c", "1")
	require.NoError(t, err)
	assert.True(t, IsToken(tok))
	assert.Equal(t, uint64(2), mig.LegacyReads())

	// A strict Encryptor on the same keyring reads the migrated token.
	strict2, err := NewEncryptor(kr, Options{})
	require.NoError(t, err)
	got, err = strict2.DecryptString(tok, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "legacy@example.kz", got)

	// A value with the prefix is never taken for plaintext.
	_, err = mig.DecryptString(tokenPrefix+"garbage", "t", "c", "1")
	assert.ErrorIs(t, err, ErrDecrypt)
}

func TestRotationAndReencrypt(t *testing.T) {
	kr, enc := newTestEncryptor(t)
	old, err := enc.EncryptString("v", "t", "c", "1")
	require.NoError(t, err)

	same, err := enc.Reencrypt(old, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, old, same, "a token under the primary key is left alone")

	id, err := kr.Rotate()
	require.NoError(t, err)
	assert.Equal(t, uint32(2), id)
	assert.Equal(t, map[uint32]KeyState{1: KeyDecryptOnly, 2: KeyPrimary}, kr.Status().Keys)

	got, err := enc.DecryptString(old, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "v", got)

	moved, err := enc.Reencrypt(old, "t", "c", "1")
	require.NoError(t, err)
	assert.NotEqual(t, old, moved)
	_, err = enc.Reencrypt(old, "t", "c", "2")
	assert.ErrorIs(t, err, ErrDecrypt, "Reencrypt authenticates the context")

	require.NoError(t, kr.SetState(1, KeyDisabled))
	_, err = enc.DecryptString(old, "t", "c", "1")
	var ke *KeyError
	require.ErrorAs(t, err, &ke)
	assert.Equal(t, uint32(1), ke.ID)
	assert.Equal(t, KeyDisabled, ke.State)
	assert.ErrorIs(t, err, ErrUnknownKey)

	got, err = enc.DecryptString(moved, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "v", got)

	require.NoError(t, kr.SetState(1, KeyDecryptOnly))
	got, err = enc.DecryptString(old, "t", "c", "1")
	require.NoError(t, err, "disabling is reversible")
	assert.Equal(t, "v", got)

	require.NoError(t, kr.SetMinDecryptVersion(2))
	_, err = enc.DecryptString(old, "t", "c", "1")
	assert.ErrorIs(t, err, ErrUnknownKey)
	require.NoError(t, kr.SetMinDecryptVersion(1))

	require.NoError(t, kr.SetIndexKey(2))
	require.NoError(t, kr.SetState(1, KeyDestroyed))
	_, err = enc.DecryptString(old, "t", "c", "1")
	assert.ErrorIs(t, err, ErrUnknownKey)
	assert.Error(t, kr.SetState(1, KeyDecryptOnly), "destruction is irreversible")
}

func TestConcurrentRotation(t *testing.T) {
	kr, enc := newTestEncryptor(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				ctx := []string{"t", "c", string(rune('a' + g)), string(rune(i))}
				tok, err := enc.EncryptString("value", ctx...)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := enc.DecryptString(tok, ctx...)
				if err != nil || got != "value" {
					t.Error("round trip failed during rotation", err)
					return
				}
				bin, err := enc.AppendEncrypt(nil, []byte("value"), ctx...)
				if err != nil {
					t.Error(err)
					return
				}
				if pt, err := enc.AppendDecrypt(nil, bin, ctx...); err != nil || string(pt) != "value" {
					t.Error("binary round trip failed during rotation", err)
					return
				}
				if _, err := enc.BlindIndex("users.email", "a@b.kz"); err != nil {
					t.Error(err)
					return
				}
				u := sealUser{Name: "Aliya", Email: "a@b.kz"}
				if err := enc.Seal(&u, ctx[3]); err != nil {
					t.Error(err)
					return
				}
				if err := enc.Open(&u, ctx[3]); err != nil || u.Name != "Aliya" {
					t.Error("seal round trip failed during rotation", err)
					return
				}
			}
		})
	}
	for range 20 {
		id, err := kr.Rotate()
		require.NoError(t, err)
		// Other writers race with the readers too (without changing what
		// they may use: a token in flight may be under any older key).
		require.NoError(t, kr.SetState(id-1, KeyDecryptOnly))
		require.NoError(t, kr.SetMinDecryptVersion(1))
		require.NoError(t, kr.SetIndexKey(1))
	}
	wg.Wait()
}

func TestErrorsCarryNoSecrets(t *testing.T) {
	_, enc := newTestEncryptor(t)
	tok, _ := enc.EncryptString("P@ssport 123", "users", "doc", "rec-77")
	_, err := enc.DecryptString(tok, "users", "doc", "rec-78")
	require.Error(t, err)
	for _, s := range []string{"P@ssport", "rec-7", "users", tok[len(tokenPrefix):]} {
		assert.NotContains(t, err.Error(), s)
	}
}

// MaxPlaintext holds on every encrypting path.
func TestMaxPlaintext(t *testing.T) {
	ctx := context.Background()
	_, enc := newTestEncryptor(t, Options{SubjectKeys: NewMemorySubjectKeyStore()})
	for _, n := range []int{MaxPlaintext, MaxPlaintext + 1} {
		pt := strings.Repeat("a", n)
		_, errS := enc.EncryptString(pt, "t", "c", "1")
		_, errF := enc.EncryptFor(ctx, "u", pt, "t", "c", "1")
		_, errB := enc.AppendEncrypt(nil, []byte(pt), "t", "c", "1")
		for _, err := range []error{errS, errF, errB} {
			if n == MaxPlaintext {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrInvalid)
			}
		}
	}
}

func TestTokenLen(t *testing.T) {
	assert.Equal(t, 5+60, TokenLen(0)) // 45 bytes, 60 base64 characters
	assert.Equal(t, len(tokenPrefix)+(45+100)*4/3+1, TokenLen(100))
}

func TestZeroValuesDoNotPanic(t *testing.T) {
	var enc Encryptor
	_, err := enc.EncryptString("x", "t")
	assert.ErrorIs(t, err, ErrKeyring)
	_, err = enc.BlindIndex("email", "x")
	assert.ErrorIs(t, err, ErrKeyring)
	assert.Error(t, enc.Seal(&sealUser{Name: "x"}, "1"))

	var kr Keyring
	e2, err := NewEncryptor(&kr, Options{})
	require.NoError(t, err)
	_, err = e2.EncryptString("x", "t")
	assert.ErrorIs(t, err, ErrUnknownKey)
	_, err = kr.Rotate()
	assert.ErrorIs(t, err, ErrKeyring, "a zero Keyring has no map to add a key to")
	assert.Equal(t, KeyringStatus{Keys: map[uint32]KeyState{}}, kr.Status())
	_, err = NewEncryptor(nil, Options{})
	assert.ErrorIs(t, err, ErrKeyring)
}

func TestBinaryRoundTrip(t *testing.T) {
	_, enc := newTestEncryptor(t)
	for _, pt := range []string{"", "a", "Әлия Нұрланқызы", strings.Repeat("x", 4096)} {
		tok, err := enc.AppendEncrypt(nil, []byte(pt), "users", "email", "42")
		require.NoError(t, err)
		assert.Len(t, tok, len(pt)+49, "n + 49 bytes, as AppendEncrypt says")
		assert.Equal(t, len(tok), cap(tok), "one exact allocation")
		assert.True(t, bytes.HasPrefix(tok, []byte(binaryMagic)))
		if len(pt) > 8 {
			assert.False(t, bytes.Contains(tok, []byte(pt)))
		}
		saved := bytes.Clone(tok)
		got, err := enc.AppendDecrypt(nil, tok, "users", "email", "42")
		require.NoError(t, err)
		assert.Equal(t, pt, string(got))
		assert.Equal(t, saved, tok, "Decrypt does not modify the token")
	}
}

func TestBinaryIsTheTextTokenUnencoded(t *testing.T) {
	_, enc := newTestEncryptor(t)
	bin, err := enc.AppendEncrypt(nil, []byte("v"), "t", "c", "1")
	require.NoError(t, err)
	text := tokenPrefix + tokenEncoding.EncodeToString(bin[len(binaryMagic):])
	got, err := enc.DecryptString(text, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "v", got)
}

func TestBinaryContextAndKeys(t *testing.T) {
	kr, enc := newTestEncryptor(t)
	tok, err := enc.AppendEncrypt(nil, []byte("secret"), "users", "email", "42")
	require.NoError(t, err)
	for name, ctx := range map[string][]string{
		"other row":    {"users", "email", "43"},
		"other column": {"users", "phone", "42"},
		"no context":   nil,
		"re-split":     {"users", "emai", "l42"},
	} {
		_, err := enc.AppendDecrypt(nil, tok, ctx...)
		assert.ErrorIs(t, err, ErrDecrypt, name)
	}
	_, err = kr.Rotate()
	require.NoError(t, err)
	require.NoError(t, kr.SetMinDecryptVersion(2))
	_, err = enc.AppendDecrypt(nil, tok, "users", "email", "42")
	assert.ErrorIs(t, err, ErrUnknownKey)
}

func TestBinaryEverySingleBitFlipFails(t *testing.T) {
	_, enc := newTestEncryptor(t)
	tok, err := enc.AppendEncrypt(nil, []byte("ab"), "t", "c", "1")
	require.NoError(t, err)
	for i := range len(tok) {
		for bit := range 8 {
			b := bytes.Clone(tok)
			b[i] ^= 1 << bit
			got, err := enc.AppendDecrypt(nil, b, "t", "c", "1")
			if err == nil {
				t.Fatalf("flip of bit %d of byte %d decrypted to %q", bit, i, got)
			}
			if !errors.Is(err, ErrDecrypt) && !errors.Is(err, ErrUnknownKey) && !errors.Is(err, ErrPlaintext) {
				t.Fatalf("flip of bit %d of byte %d: unexpected error %v", bit, i, err)
			}
		}
	}
	for i := range len(tok) {
		_, err := enc.AppendDecrypt(nil, tok[:i], "t", "c", "1")
		require.Error(t, err, "prefix of length %d", i)
	}
}

func TestBinaryStrictAndLegacy(t *testing.T) {
	_, enc := newTestEncryptor(t)
	text, err := enc.EncryptString("v", "t", "c", "1")
	require.NoError(t, err)
	_, err = enc.AppendDecrypt(nil, []byte(text), "t", "c", "1")
	assert.ErrorIs(t, err, ErrDecrypt, "a text token is not a binary token")
	_, err = enc.AppendDecrypt(nil, []byte("plain"), "t", "c", "1")
	assert.ErrorIs(t, err, ErrPlaintext)
	_, err = enc.AppendEncrypt(nil, make([]byte, MaxPlaintext+1))
	assert.ErrorIs(t, err, ErrInvalid)

	_, legacy := newTestEncryptor(t, Options{LegacyPlaintext: true})
	got, err := legacy.AppendDecrypt(nil, []byte("plain"), "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "plain", string(got))
	assert.Equal(t, uint64(1), legacy.LegacyReads())
}

func TestBinaryAppendForms(t *testing.T) {
	_, enc := newTestEncryptor(t)
	buf := make([]byte, 0, 256)
	tok, err := enc.AppendEncrypt(buf, []byte("Aliya"), "t", "c", "1")
	require.NoError(t, err)
	assert.Same(t, &buf[:1][0], &tok[0], "the token is written into dst")
	want := bytes.Clone(tok)

	pt, err := enc.AppendDecrypt([]byte("x:"), tok, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "x:Aliya", string(pt))

	// Decrypting in place over the token itself (exact overlap), and into
	// a buffer that starts inside it, both work and never panic.
	pt, err = enc.AppendDecrypt(tok[:0], tok, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "Aliya", string(pt))
	copy(tok, want)
	pt, err = enc.AppendDecrypt(tok[:7], tok, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "Aliya", string(pt[7:]))

	// Encrypting a plaintext that lives in dst's spare capacity, where
	// the token's magic, header and nonce go (in place at offset 0), or
	// overlapping the ciphertext's place: the token holds the plaintext as
	// it was.
	for _, off := range []int{0, 1, 4, 9, 20, 33, 40} {
		const name = "Aliya Nurlanovna"
		room := make([]byte, 0, 256)
		plain := append(room[:off], name...)[off:]
		tok, err := enc.AppendEncrypt(room, plain, "t", "c", "4")
		require.NoError(t, err)
		assert.Same(t, &room[:1][0], &tok[0], "offset %d: written into dst", off)
		pt, err := enc.AppendDecrypt(nil, tok, "t", "c", "4")
		require.NoError(t, err)
		assert.Equal(t, name, string(pt), "plaintext at offset %d of dst's spare capacity", off)
	}
	assert.Contains(t, errTooLong.Error(), strconv.Itoa(MaxPlaintext))
	space := make([]byte, 0, 128)
	plain := append(space[:60], "Bolat"...)[60:]
	tok, err = enc.AppendEncrypt(space, plain, "t", "c", "2")
	require.NoError(t, err)
	pt, err = enc.AppendDecrypt(nil, tok, "t", "c", "2")
	require.NoError(t, err)
	assert.Equal(t, "Bolat", string(pt))

	_, err = enc.AppendDecrypt(nil, want, "t", "c", "2")
	assert.ErrorIs(t, err, ErrDecrypt)

	// On error dst keeps its length.
	dst := []byte("keep")
	got, err := enc.AppendDecrypt(dst, want, "t", "c", "2")
	assert.ErrorIs(t, err, ErrDecrypt)
	assert.Equal(t, "keep", string(got))
	got, err = enc.AppendEncrypt(dst, make([]byte, MaxPlaintext+1), "t", "c", "2")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, "keep", string(got))

	// One buffer reused across calls: nothing allocated (under -race
	// sync.Pool drops items at random, so the count is not asserted).
	if !raceEnabled {
		buf := make([]byte, 0, 256)
		out := make([]byte, 0, 256)
		allocs := testing.AllocsPerRun(100, func() {
			buf, _ = enc.AppendEncrypt(buf[:0], []byte("Aliya"), "t", "c", "3")
			out, _ = enc.AppendDecrypt(out[:0], buf, "t", "c", "3")
		})
		assert.Zero(t, allocs, "AppendEncrypt and AppendDecrypt with room in dst")
		assert.Equal(t, "Aliya", string(out))
	}
}

// TestReencryptLeavesSubjectTokens: Reencrypt returns subject tokens
// unchanged, as its doc says, whether EncryptFor or SealFor wrote them:
// their data key is not in the keyring, so a rotation job passing over every
// column must neither fail on them nor change them.
func TestReencryptLeavesSubjectTokens(t *testing.T) {
	ctx := context.Background()
	kr, enc := newTestEncryptor(t, Options{SubjectKeys: NewMemorySubjectKeyStore()})
	type row struct {
		_    struct{} `pii:"table=reencrypt_subject"`
		Name string   `pii:"name,encrypt"`
	}
	r := row{Name: "Aliya"}
	require.NoError(t, enc.SealFor(ctx, &r, "user-1", "1"))
	sealed := r.Name
	written, err := enc.EncryptFor(ctx, "user-1", "Aliya", "users", "name", "1")
	require.NoError(t, err)
	_, err = kr.Rotate()
	require.NoError(t, err)

	for name, tok := range map[string]string{"EncryptFor": written, "SealFor": sealed} {
		got, err := enc.Reencrypt(tok, "users", "name", "1")
		require.NoError(t, err, name)
		assert.Equal(t, tok, got, name)
	}
}
