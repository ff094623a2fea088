package pii

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/argon2"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		c        Category
		in, want string
	}{
		{CategoryEmail, "  Aliya.N@Example.KZ \n", "aliya.n@example.kz"},
		{CategoryEmail, "ÄLIYA@MAIL.KZ", "äliya@mail.kz"},
		{CategoryEmail, "A\u0308liya@mail.kz", "äliya@mail.kz"}, // NFD → NFC
		{CategoryPhone, "+7 (701) 234-56-78", "+77012345678"},
		{CategoryPhone, "8 701 234 56 78", "+77012345678"},
		{CategoryPhone, "87012345678", "+77012345678"},
		{CategoryPhone, "77012345678", "+77012345678"},
		{CategoryPhone, "701 234 5678", "+77012345678"},
		{CategoryPhone, "+81 3 1234 5678", "+81312345678"}, // foreign numbers keep their digits
		{CategoryPhone, "+44 20 7946 0958", "+442079460958"},
		{CategoryIIN, "900101 300 123", "900101300123"},
		{CategoryPayment, "4111-1111 1111 1111", "4111111111111111"},
		{CategoryIBAN, "kz86 125k zt50 0410 0100", "KZ86125KZT5004100100"},
		{CategoryName, "  Aliya   Nurlanovna ", "aliya nurlanovna"},
		{"", " Exact ", " Exact "},
	} {
		assert.Equal(t, tc.want, string(normalize(nil, tc.c, tc.in)), "%s %q", tc.c, tc.in)
	}
}

func TestCategoryOfIndex(t *testing.T) {
	for name, want := range map[string]Category{
		"email": CategoryEmail, "users.email": CategoryEmail, "User.EmailIndex": CategoryEmail,
		"phone_idx": CategoryPhone, "PhoneIdx": CategoryPhone, "iin_index": CategoryIIN,
		"users.hash": "", "index": "", "": "", "Emails": "",
	} {
		assert.Equal(t, want, categoryOfIndex(name), name)
	}
}

type reindexUser struct {
	Email      string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string
}

func TestBlindIndex(t *testing.T) {
	kr, enc := newTestEncryptor(t, Options{Indexes: map[string]IndexConfig{"short": {Category: CategoryEmail, Bits: 12}}})
	a, err := enc.BlindIndex("users.email", "A@B.kz ")
	require.NoError(t, err)
	b, err := enc.BlindIndex("users.email", "a@b.kz")
	require.NoError(t, err)
	assert.Equal(t, a, b, "normalised before hashing")
	assert.Len(t, a, defaultIndexBits/4)

	c, err := enc.BlindIndex("admins.email", "a@b.kz")
	require.NoError(t, err)
	assert.NotEqual(t, a, c, "each index has its own key")

	s, err := enc.BlindIndex("short", "a@b.kz")
	require.NoError(t, err)
	assert.Len(t, s, 4, "12 bits in 2 bytes")
	assert.Equal(t, byte('0'), s[3], "unused low bits are zero")

	// Rotation does not change blind indexes; SetIndexKey does.
	_, err = kr.Rotate()
	require.NoError(t, err)
	after, err := enc.BlindIndex("users.email", "a@b.kz")
	require.NoError(t, err)
	assert.Equal(t, a, after)
	// Finishing the rotation (old tokens refused) must not break lookups:
	// the minimum decryption version is about tokens, not the index key.
	require.NoError(t, kr.SetMinDecryptVersion(2))
	after, err = enc.BlindIndex("users.email", "a@b.kz")
	require.NoError(t, err, "index key 1 is below the minimum decryption version")
	assert.Equal(t, a, after)
	u := reindexUser{Email: "a@b.kz"}
	require.NoError(t, enc.Seal(&u, "1"), "Seal computes the index too")
	// Disabling the index key does stop them.
	require.NoError(t, kr.SetState(1, KeyDisabled))
	_, err = enc.BlindIndex("users.email", "a@b.kz")
	assert.ErrorIs(t, err, ErrUnknownKey)
	require.NoError(t, kr.SetState(1, KeyDecryptOnly))
	require.NoError(t, kr.SetIndexKey(2))
	rekeyed, err := enc.BlindIndex("users.email", "a@b.kz")
	require.NoError(t, err)
	assert.NotEqual(t, a, rekeyed)
	// Re-indexing after SetIndexKey: Seal alone keeps the sealed field and
	// its old index; Open then Seal recomputes it.
	old := u.EmailIndex
	require.NoError(t, enc.Seal(&u, "1"))
	assert.Equal(t, old, u.EmailIndex)
	require.NoError(t, enc.Open(&u, "1"))
	require.NoError(t, enc.Seal(&u, "1"))
	want, err := enc.BlindIndex("reindexUser.EmailIndex", "a@b.kz")
	require.NoError(t, err)
	assert.Equal(t, want, u.EmailIndex)
	assert.NotEqual(t, old, u.EmailIndex)

	_, err = enc.BlindIndex("", "x")
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestBlindIndexSlow(t *testing.T) {
	_, enc := newTestEncryptor(t, Options{Indexes: map[string]IndexConfig{"iin": {Category: CategoryIIN, Slow: true, Argon2Time: 1, Argon2Memory: 64, Argon2Threads: 1}}})
	a, err := enc.BlindIndex("iin", "900101 300123")
	require.NoError(t, err)
	b, err := enc.BlindIndex("iin", "900101300123")
	require.NoError(t, err)
	assert.Equal(t, a, b)
	fast, err := enc.BlindIndex("fast.iin", "900101300123")
	require.NoError(t, err)
	assert.NotEqual(t, a, fast)

	// The construction, recomputed by hand under the index's own key:
	// HMAC-SHA256(key, argon2id(value, salt=key, t, m, p, 32)), truncated
	// to 32 bits; not the HMAC of the value alone, which Slow replaces.
	ik, err := enc.indexState("iin").key(enc.kr)
	require.NoError(t, err)
	mac := func(msg []byte) string {
		h := hmac.New(sha256.New, ik.key)
		h.Write(msg)
		return hex.EncodeToString(h.Sum(nil)[:4])
	}
	assert.Equal(t, mac(argon2.IDKey([]byte("900101300123"), ik.key, 1, 64, 1, sha256.Size)), a)
	assert.NotEqual(t, mac([]byte("900101300123")), a, "Slow must run argon2id")
}

func TestIndexOptionsValidation(t *testing.T) {
	kr, err := NewKeyring()
	require.NoError(t, err)
	for name, opt := range map[string]Options{
		"empty name":          {Indexes: map[string]IndexConfig{"": {}}},
		"too few bits":        {Indexes: map[string]IndexConfig{"x": {Bits: 4}}},
		"too many":            {Indexes: map[string]IndexConfig{"x": {Bits: 257}}},
		"category":            {Indexes: map[string]IndexConfig{"x": {Category: "shoe size"}}},
		"argon2 memory":       {Indexes: map[string]IndexConfig{"x": {Slow: true, Argon2Memory: 15, Argon2Threads: 2}}},
		"argon2 without Slow": {Indexes: map[string]IndexConfig{"x": {Argon2Time: 3}}},
	} {
		_, err := NewEncryptor(kr, opt)
		assert.ErrorIs(t, err, ErrInvalid, name)
	}
	// Each zero argon2 cost takes its default on its own.
	cfg, err := checkIndexConfig("x", IndexConfig{Slow: true, Argon2Time: 5})
	require.NoError(t, err)
	assert.Equal(t, IndexConfig{Bits: defaultIndexBits, Slow: true, Argon2Time: 5, Argon2Memory: 19 * 1024, Argon2Threads: 1}, cfg)
}

func TestRecommendIndexBits(t *testing.T) {
	for _, tc := range []struct {
		rows     uint64
		min, max int
	}{
		{50_000, 8, 15}, // CipherSweet's documented planner example
		{1_000_000, 10, 19},
		{1 << 20, 10, 20},
		{4, 1, 2},
		{3, 0, 0},
		{0, 0, 0},
	} {
		lo, hi := RecommendIndexBits(tc.rows)
		assert.Equal(t, [2]int{tc.min, tc.max}, [2]int{lo, hi}, "rows %d", tc.rows)
	}
}

// TestBlindIndexPinned pins index outputs under a fixed keyring, so that an
// optimisation of the hashing or normalisation path cannot change them.
func TestBlindIndexPinned(t *testing.T) {
	kr, err := ParseKeyring([]byte(`{"format":"1cb-kz/pii-keyring/v1","min_decrypt_version":1,"index_key":1,
		"keys":[{"id":1,"state":"primary","key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}]}`))
	require.NoError(t, err)
	enc, err := NewEncryptor(kr, Options{Indexes: map[string]IndexConfig{
		"w12":  {Category: CategoryEmail, Bits: 12},
		"w33":  {Category: CategoryEmail, Bits: 33},
		"w256": {Category: CategoryEmail, Bits: 256},
		"slow": {Category: CategoryIIN, Slow: true, Argon2Time: 1, Argon2Memory: 64, Argon2Threads: 1},
	}})
	require.NoError(t, err)
	for _, tc := range []struct{ index, value, want string }{
		{"users.email", "aliya.nurlanovna@example.kz", "f1466d23"},
		{"users.email", " Aliya.Nurlanovna@Example.KZ ", "f1466d23"},
		{"users.email", "A\u0308liya@mail.kz", "dce31a6e"},
		{"users.email", "", "f482532a"},
		{"admins.email", "aliya.nurlanovna@example.kz", "2ff97928"},
		{"w12", "a@b.kz", "9550"},
		{"w33", "a@b.kz", "633d79d180"},
		{"w256", "a@b.kz", "4969789a5a775c81c15d0639ff9813656c5a4024f6bb670c66496df1ab9ecbf5"},
		{"phone_idx", "8 701 234 56 78", "d88947f3"},
		{"iin_index", "900101 300 123", "f448db46"},
		{"iban", "kz86 125k zt50 0410 0100", "64546256"},
		{"name", "  Aliya   Nurlanovna ", "bb532e7e"},
		{"users.hash", " Exact ", "7a19aa45"},
		{"slow", "900101300123", "647cf9cd"},
	} {
		got, err := enc.BlindIndex(tc.index, tc.value)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%s %q", tc.index, tc.value)
	}
}

func TestIsFoldedASCII(t *testing.T) {
	naive := func(v string) bool {
		for i := 0; i < len(v); i++ {
			if c := v[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
				return false
			}
		}
		return true
	}
	// Every byte value at every position of strings of 1 to 17 bytes.
	for n := 1; n <= 17; n++ {
		for pos := range n {
			b := []byte(strings.Repeat("a", n))
			for c := range 256 {
				b[pos] = byte(c)
				require.Equal(t, naive(string(b)), isFoldedASCII(string(b)), "%q", b)
			}
		}
	}
	assert.True(t, isFoldedASCII(""))
	assert.True(t, isFoldedASCII("aliya.nurlanovna@example.kz"))
	assert.False(t, isFoldedASCII("aliya.nurlanovna@example.kZ"))
	assert.False(t, isFoldedASCII("äliya.nurlanovna@example.kz"))
}

func TestAppendBlindIndex(t *testing.T) {
	_, enc := newTestEncryptor(t)
	want, err := enc.BlindIndex("users.email", "a@b.kz")
	require.NoError(t, err)
	got, err := enc.appendBlindIndexNamed([]byte("idx:"), "users.email", "A@B.kz")
	require.NoError(t, err)
	assert.Equal(t, "idx:"+want, string(got))

	dst := []byte("keep")
	got, err = enc.appendBlindIndexNamed(dst, "", "a@b.kz")
	assert.Error(t, err)
	assert.Equal(t, "keep", string(got), "dst is returned as it was on error")

	if !raceEnabled {
		buf := make([]byte, 0, 64)
		allocs := testing.AllocsPerRun(100, func() {
			buf, _ = enc.appendBlindIndexNamed(buf[:0], "users.email", "a@b.kz")
		})
		assert.Zero(t, allocs, "AppendBlindIndex with room in dst allocates nothing")
	}
}

// Alternating index names must not confuse the per-name cache.
func TestBlindIndexAlternatingNames(t *testing.T) {
	kr, enc := newTestEncryptor(t)
	fresh, err := NewEncryptor(kr, Options{})
	require.NoError(t, err)
	names := []string{"users.email", "users.phone", "admins.email", "users.email"}
	for range 3 {
		for _, n := range names {
			got, err := enc.BlindIndex(n, "+7 701 234 56 78")
			require.NoError(t, err)
			fresh.indexStates.m.Store(nil)
			want, err := fresh.BlindIndex(n, "+7 701 234 56 78")
			require.NoError(t, err)
			require.Equal(t, want, got, n)
		}
	}
}
