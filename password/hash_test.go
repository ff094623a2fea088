package password

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/argon2"
)

// cheapParams keep unit tests fast; NewHasher refuses them, buildHasher,
// which skips only its OWASP floor, does not.
var cheapParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLength: 16, KeyLength: 32}

func testPepper(id string) Pepper {
	k := sha256.Sum256([]byte("test pepper " + id))
	return Pepper{ID: id, Key: k[:]}
}

func cheapHasher(t testing.TB, opts HasherOptions) *Hasher {
	t.Helper()
	if opts.Params == (Params{}) {
		opts.Params = cheapParams
	}
	h, err := buildHasher(opts)
	require.NoError(t, err)
	return h
}

func TestHashDefaults(t *testing.T) {
	const pw = "Correct-Horse-7-Battery"
	encoded, err := Hash(context.Background(), pw)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(encoded, "$argon2id$v=19$m=19456,t=2,p=1$"), encoded)
	ph, err := parsePHC(encoded)
	require.NoError(t, err)
	assert.Len(t, ph.salt, 16)
	assert.Len(t, ph.key, 32)
	assert.Equal(t, argon2.IDKey([]byte(pw), ph.salt, 2, 19*1024, 1, 32), ph.key, "hash is plain argon2id of the password")
	// ExampleHash verifies it; here the mismatch (default cost runs are slow
	// under -race, so each is counted).
	ok, err := Verify(context.Background(), pw+"x", encoded)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.False(t, NeedsRehash(encoded))
}

func TestHashFreshSalt(t *testing.T) {
	h := cheapHasher(t, HasherOptions{})
	seen := map[string]bool{}
	for range 20 {
		encoded, err := h.Hash(context.Background(), "same password")
		require.NoError(t, err)
		ph, err := parsePHC(encoded)
		require.NoError(t, err)
		require.False(t, seen[string(ph.salt)], "salt repeated")
		seen[string(ph.salt)] = true
	}
}

func TestHashRefusesUnhashable(t *testing.T) {
	h := cheapHasher(t, HasherOptions{})
	for _, pw := range []string{"", "\xff\xfe", "abc\xc3"} {
		_, err := h.Hash(context.Background(), pw)
		assert.ErrorIs(t, err, ErrUnhashablePassword, "%q", pw)
	}
}

func TestHashNormalisesNFKC(t *testing.T) {
	h := cheapHasher(t, HasherOptions{})
	encoded, err := h.Hash(context.Background(), "Йошкар-Ола１２３") // composed Й, full-width digits
	require.NoError(t, err)
	for _, typed := range []string{"Йошкар-Ола123", "И\u0306ошкар-Ола123", "Йошкар-Ола１２３"} {
		ok, err := h.Verify(context.Background(), typed, encoded)
		require.NoError(t, err)
		assert.True(t, ok, "%q", typed)
	}
	ok, err := h.Verify(context.Background(), "Иошкар-Ола123", encoded)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestNewHasherValidation(t *testing.T) {
	tests := []struct {
		name string
		opts HasherOptions
	}{
		{"negative concurrency", HasherOptions{MaxConcurrent: -1}},
		{"below OWASP memory", HasherOptions{Params: Params{Memory: 4096, Time: 10, Threads: 1, SaltLength: 16, KeyLength: 32}}},
		{"below OWASP work", HasherOptions{Params: Params{Memory: 19456, Time: 1, Threads: 1, SaltLength: 16, KeyLength: 32}}},
		{"short salt", HasherOptions{Params: Params{Memory: 19456, Time: 2, Threads: 1, SaltLength: 8, KeyLength: 32}}},
		{"defaulted time below OWASP work", HasherOptions{Params: Params{Memory: 16 * 1024}}},
		{"threads over max", HasherOptions{Params: Params{Threads: maxThreads + 1, Memory: 19456 * 16}}},
		{"short key", HasherOptions{Params: Params{KeyLength: 12}}},
		{"memory over max", HasherOptions{Params: Params{Memory: maxMemory + 1, Time: 1, Threads: 1, SaltLength: 16, KeyLength: 32}}},
		{"empty pepper id", HasherOptions{Peppers: []Pepper{{ID: "", Key: make([]byte, 32)}}}},
		{"long pepper id", HasherOptions{Peppers: []Pepper{{ID: "123456789", Key: make([]byte, 32)}}}},
		{"pepper id with space", HasherOptions{Peppers: []Pepper{{ID: "a b", Key: make([]byte, 32)}}}},
		{"short pepper key", HasherOptions{Peppers: []Pepper{{ID: "k1", Key: make([]byte, 31)}}}},
		{"duplicate pepper id", HasherOptions{Peppers: []Pepper{testPepper("k1"), testPepper("k1")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewHasher(tt.opts)
			assert.Nil(t, h)
			assert.ErrorIs(t, err, ErrInvalidConfig)
			assert.NotContains(t, fmt.Sprint(err), "test pepper")
		})
	}
	h, err := NewHasher(HasherOptions{})
	require.NoError(t, err)
	assert.Equal(t, defaultParams(), h.params)
	h, err = NewHasher(HasherOptions{Params: Params{Memory: 7168, Time: 5, Threads: 1, SaltLength: 16, KeyLength: 16}})
	require.NoError(t, err, "OWASP's weakest listed configuration is accepted")
	assert.Equal(t, uint32(7168), h.params.Memory)
	assert.Equal(t, runtime.GOMAXPROCS(0), cap(h.sem), "MaxConcurrent 0 is GOMAXPROCS")
	// Each zero field of Params takes its default.
	h, err = NewHasher(HasherOptions{Params: Params{Memory: 64 * 1024, Time: 3}})
	require.NoError(t, err)
	assert.Equal(t, Params{Memory: 64 * 1024, Time: 3, Threads: 1, SaltLength: 16, KeyLength: 32}, h.params)
}

// The pepper errors are ErrUnsupportedHash with their reason in the message.
func TestPepperErrorsMatchUnsupported(t *testing.T) {
	for _, err := range []error{errUnknownPepper, errPepperRequired} {
		assert.ErrorIs(t, err, ErrUnsupportedHash)
		assert.NotErrorIs(t, err, ErrMalformedHash)
		assert.Contains(t, err.Error(), "password: unsupported hash: ")
	}
}

func TestZeroHasherRefuses(t *testing.T) {
	var h Hasher
	_, err := h.Hash(context.Background(), "pw")
	assert.ErrorIs(t, err, ErrInvalidConfig)
	ok, err := h.Verify(context.Background(), "pw", phcGood)
	assert.False(t, ok)
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

// TestNilHasherRefuses: a nil *Hasher is an error, as the zero Hasher is,
// not a nil dereference. (A nil Policy.Hasher means the default Hasher.)
func TestNilHasherRefuses(t *testing.T) {
	var h *Hasher
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"Hash", func() error { _, err := h.Hash(context.Background(), "pw"); return err }},
		{"Verify", func() error { _, err := h.Verify(context.Background(), "pw", phcGood); return err }},
		{"VerifyAbsent", func() error { return h.VerifyAbsent(ctx, "pw") }},
		{"InHistory", func() error { _, err := h.inHistory(ctx, "pw", []string{phcGood}); return err }},
		{"zero Hasher VerifyAbsent", func() error { return new(Hasher).VerifyAbsent(ctx, "pw") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.call(), ErrInvalidConfig)
		})
	}
	// NeedsRehash has no error to return: it asks for the rehash whose
	// Hash then reports the configuration, rather than dereference nil.
	assert.True(t, h.NeedsRehash(phcGood))
	assert.True(t, new(Hasher).NeedsRehash(phcGood))
}

// TestVerifyAbsent: the dummy hash has the Hasher's parameters and current
// pepper (so VerifyAbsent costs what Verify of a current hash costs), is
// made once, and matches no password.
func TestVerifyAbsent(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		opts HasherOptions
	}{
		{"no pepper", HasherOptions{}},
		{"peppered", HasherOptions{Peppers: []Pepper{testPepper("k2"), testPepper("k1")}}},
		{"other params", HasherOptions{Params: Params{Memory: 128, Time: 2, Threads: 2, SaltLength: 24, KeyLength: 16}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := cheapHasher(t, tt.opts)
			dummy, err := h.absent()
			require.NoError(t, err)
			ph, err := parsePHC(dummy)
			require.NoError(t, err)
			assert.Equal(t, h.params, ph.params)
			assert.Equal(t, h.ring.current, ph.keyID)
			assert.False(t, h.NeedsRehash(dummy), "a hash as current as any")
			again, err := h.absent()
			require.NoError(t, err)
			assert.Equal(t, dummy, again, "made once per Hasher")
			other, err := cheapHasher(t, tt.opts).absent()
			require.NoError(t, err)
			assert.NotEqual(t, dummy, other, "random per Hasher")

			for _, pw := range []string{"", "password", "Correct-Horse-7-Battery", "йцукен123", fullWidth("x1")} {
				require.NoError(t, h.VerifyAbsent(ctx, pw), "%q", pw)
				ok, err := h.Verify(context.Background(), pw, dummy)
				require.NoError(t, err)
				assert.False(t, ok, "%q matches the dummy hash", pw)
			}
		})
	}
}

func TestVerifyAbsentDefaultParams(t *testing.T) {
	dummy, err := defaultHasher().absent()
	require.NoError(t, err)
	ph, err := parsePHC(dummy)
	require.NoError(t, err)
	assert.Equal(t, defaultParams(), ph.params)
	assert.Empty(t, ph.keyID)
}

// TestVerifyAbsentWaitsLikeVerify: VerifyAbsent takes a computation slot
// and gives up with its context, as Verify does.
func TestVerifyAbsentWaitsLikeVerify(t *testing.T) {
	h := cheapHasher(t, HasherOptions{MaxConcurrent: 1})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, h.VerifyAbsent(cancelled, "pw"), context.Canceled)
	assert.ErrorIs(t, h.VerifyAbsent(context.Background(), strings.Repeat("a", maxPasswordLength+1)), ErrUnhashablePassword)

	require.NoError(t, h.acquire(context.Background())) // occupy the only slot
	short, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	assert.ErrorIs(t, h.VerifyAbsent(short, "pw"), context.DeadlineExceeded)

	done := make(chan error)
	go func() { done <- h.VerifyAbsent(context.Background(), "pw") }()
	select {
	case <-done:
		t.Fatal("VerifyAbsent ran while the only slot was taken")
	case <-time.After(30 * time.Millisecond):
	}
	h.release()
	assert.NoError(t, <-done)
	assert.Zero(t, len(h.sem))
}

func TestPepper(t *testing.T) {
	const pw = "пароль-с-перцем-2026"
	k1, k2 := testPepper("k1"), testPepper("k2")
	h1 := cheapHasher(t, HasherOptions{Peppers: []Pepper{k1}})
	encoded, err := h1.Hash(context.Background(), pw)
	require.NoError(t, err)
	require.Contains(t, encoded, ",keyid=azE$", "key id recorded")

	// The construction: argon2id(HMAC-SHA256(key, NFKC(password))).
	ph, err := parsePHC(encoded)
	require.NoError(t, err)
	mac := hmac.New(sha256.New, k1.Key)
	mac.Write([]byte(pw))
	assert.Equal(t, argon2.IDKey(mac.Sum(nil), ph.salt, cheapParams.Time, cheapParams.Memory, 1, 32), ph.key)

	ok, err := h1.Verify(context.Background(), pw, encoded)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.False(t, h1.NeedsRehash(encoded))

	// Without the key: refused, not false.
	ok, err = cheapHasher(t, HasherOptions{}).Verify(context.Background(), pw, encoded)
	assert.False(t, ok)
	assert.ErrorIs(t, err, errUnknownPepper)
	ok, err = cheapHasher(t, HasherOptions{Peppers: []Pepper{k2}}).Verify(context.Background(), pw, encoded)
	assert.False(t, ok)
	assert.ErrorIs(t, err, errUnknownPepper)

	// Same id, another key: a mismatch.
	forged := Pepper{ID: "k1", Key: k2.Key}
	ok, err = cheapHasher(t, HasherOptions{Peppers: []Pepper{forged}}).Verify(context.Background(), pw, encoded)
	require.NoError(t, err)
	assert.False(t, ok)

	// Rotation: k2 current, k1 kept for verification.
	h2 := cheapHasher(t, HasherOptions{Peppers: []Pepper{k2, k1}})
	ok, err = h2.Verify(context.Background(), pw, encoded)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.True(t, h2.NeedsRehash(encoded), "hash under a retired key")
	fresh, err := h2.Hash(context.Background(), pw)
	require.NoError(t, err)
	assert.Contains(t, fresh, ",keyid=azI$")
	assert.False(t, h2.NeedsRehash(fresh))

	// Unpeppered hashes under a peppered Hasher.
	plain, err := cheapHasher(t, HasherOptions{}).Hash(context.Background(), pw)
	require.NoError(t, err)
	ok, err = h2.Verify(context.Background(), pw, plain)
	assert.False(t, ok)
	assert.ErrorIs(t, err, errPepperRequired)
	migrating := cheapHasher(t, HasherOptions{Peppers: []Pepper{k2}, AllowUnpeppered: true})
	ok, err = migrating.Verify(context.Background(), pw, plain)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.True(t, migrating.NeedsRehash(plain))

	const bcryptHash = "$2y$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK" // "password"
	_, err = h2.Verify(context.Background(), "password", bcryptHash)
	assert.ErrorIs(t, err, errPepperRequired)
	ok, err = migrating.Verify(context.Background(), "password", bcryptHash)
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestPepperKeyIsCopied(t *testing.T) {
	p := testPepper("k1")
	key := append([]byte(nil), p.Key...)
	h := cheapHasher(t, HasherOptions{Peppers: []Pepper{{ID: "k1", Key: key}}})
	encoded, err := h.Hash(context.Background(), "pw")
	require.NoError(t, err)
	clear(key)
	ok, err := h.Verify(context.Background(), "pw", encoded)
	require.NoError(t, err)
	assert.True(t, ok, "caller wiping its slice must not change the Hasher")
}

func TestNeedsRehash(t *testing.T) {
	cur := Params{Memory: 256, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 32}
	h := cheapHasher(t, HasherOptions{Params: cur})
	tests := []struct {
		name   string
		params Params
		want   bool
	}{
		{"same", cur, false},
		{"more memory", Params{Memory: 512, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 32}, false},
		{"more passes and lanes", Params{Memory: 256, Time: 3, Threads: 4, SaltLength: 16, KeyLength: 32}, false},
		{"less memory", Params{Memory: 128, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 32}, true},
		{"fewer passes", Params{Memory: 256, Time: 1, Threads: 1, SaltLength: 16, KeyLength: 32}, true},
		{"shorter salt", Params{Memory: 256, Time: 2, Threads: 1, SaltLength: 8, KeyLength: 32}, true},
		{"shorter key", Params{Memory: 256, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 16}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := cheapHasher(t, HasherOptions{Params: tt.params})
			encoded, err := other.Hash(context.Background(), "pw")
			require.NoError(t, err)
			assert.Equal(t, tt.want, h.NeedsRehash(encoded))
		})
	}
	for _, encoded := range []string{"", "garbage", "$2y$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK", phcGood[:40]} {
		assert.True(t, h.NeedsRehash(encoded), "%q", encoded)
	}
	assert.True(t, NeedsRehash("$argon2id$v=19$m=12288,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE"),
		"OWASP's m=12 MiB,t=3 has less memory than the defaults")
}

func TestVerifyRefuses(t *testing.T) {
	h := cheapHasher(t, HasherOptions{})
	const pw = "s3cret-Пароль"
	tests := []struct {
		name    string
		encoded string
		want    error
	}{
		{"empty", "", ErrUnsupportedHash},
		{"clear text", pw, ErrUnsupportedHash},
		{"md5-crypt", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", ErrUnsupportedHash},
		{"argon2i", "$argon2i$v=19$m=1024,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$lwfbXCoFcL3IplJiF7JfD/BD6NIUHLAFJiATPggIHk8", ErrUnsupportedHash},
		{"argon2 v16", "$argon2id$v=16$m=1024,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$xhtr11LEeJyIuO+R8+4hIMCKBlEpziXjyCKDF8TjuIA", ErrUnsupportedHash},
		{"zero threads", "$argon2id$v=19$m=19456,t=2,p=0$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE", ErrMalformedHash},
		{"4 GiB", "$argon2id$v=19$m=4294967295,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE", ErrMalformedHash},
		{"bcrypt 2x", "$2x$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK", ErrUnsupportedHash},
		{"bcrypt 2", "$2$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK", ErrMalformedHash},
		{"bcrypt cost 32", "$2y$32$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK", ErrMalformedHash},
		{"bcrypt cost 31", "$2y$31$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK", ErrUnsupportedHash},
		{"bcrypt cost 15", "$2b$15$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK", ErrUnsupportedHash},
		{"2 GiB, within the format", "$argon2id$v=19$m=2097152,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE", ErrUnsupportedHash},
		{"64 MiB with t=5", "$argon2id$v=19$m=65536,t=5,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE", ErrUnsupportedHash},
		{"t=64", "$argon2id$v=19$m=19456,t=64,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE", ErrUnsupportedHash},
		{"bcrypt cost 03", "$2b$03$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK", ErrMalformedHash},
		{"bcrypt short", "$2b$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMT", ErrMalformedHash},
		{"bcrypt bad alphabet", "$2b$04$YoAdUV31+Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK", ErrMalformedHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(context.Background(), pw, tt.encoded)
			assert.False(t, ok)
			require.ErrorIs(t, err, tt.want)
			assert.NotContains(t, err.Error(), pw)
			if len(tt.encoded) > 20 {
				assert.NotContains(t, err.Error(), tt.encoded[7:20], "error quotes the hash")
			}
		})
	}
}

// TestVerifyCostCeiling: the Hasher runs only hashes within its ceiling,
// 64 MiB and 4×64 MiB·passes by default, raised by its own parameters or
// MaxVerifyMemory. checkCost is the gate Verify applies after parsing
// (TestVerifyRefuses shows the refusals end to end without running them).
func TestVerifyCostCeiling(t *testing.T) {
	const mib = 1024
	p := func(m, t uint32) Params { return Params{Memory: m, Time: t, Threads: 1, SaltLength: 16, KeyLength: 32} }
	tests := []struct {
		name string
		opts HasherOptions
		ok   []Params
		too  []Params
	}{
		{"default", HasherOptions{},
			[]Params{p(19*mib, 2), p(46*mib, 1), p(64*mib, 3), p(64*mib, 4), p(8*mib, 32)},
			[]Params{p(64*mib+1, 1), p(64*mib, 5), p(19*mib, 14), p(2048*mib, 1)}},
		{"own params above the default", HasherOptions{Params: p(128*mib, 3)},
			[]Params{p(128*mib, 3), p(128*mib, 4)},
			[]Params{p(128*mib+1, 1), p(128*mib, 5)}},
		{"own work above 4×memory", HasherOptions{Params: p(64*mib, 8)},
			[]Params{p(64*mib, 8)},
			[]Params{p(64*mib, 9)}},
		{"raised for an import", HasherOptions{MaxVerifyMemory: 2048 * mib},
			[]Params{p(2048*mib, 1), p(1024*mib, 4)},
			[]Params{p(2048*mib, 5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewHasher(tt.opts)
			require.NoError(t, err)
			for _, c := range tt.ok {
				assert.NoError(t, h.checkCost(c), "m=%d t=%d", c.Memory, c.Time)
			}
			for _, c := range tt.too {
				assert.ErrorIs(t, h.checkCost(c), ErrUnsupportedHash, "m=%d t=%d", c.Memory, c.Time)
			}
		})
	}
	for _, opts := range []HasherOptions{{MaxVerifyMemory: maxMemory + 1}, {Params: p(64*mib, 3), MaxVerifyMemory: 32 * mib}} {
		_, err := NewHasher(opts)
		assert.ErrorIs(t, err, ErrInvalidConfig)
	}
}

func TestPasswordLengthBound(t *testing.T) {
	h := cheapHasher(t, HasherOptions{})
	longest := strings.Repeat("ж", maxPasswordLength/2)
	encoded, err := h.Hash(context.Background(), longest)
	require.NoError(t, err)
	ok, err := h.Verify(context.Background(), longest, encoded)
	require.NoError(t, err)
	assert.True(t, ok)

	tooLong := longest + "x"
	_, err = h.Hash(context.Background(), tooLong)
	assert.ErrorIs(t, err, ErrUnhashablePassword)
	ok, err = h.Verify(context.Background(), tooLong, encoded)
	assert.False(t, ok)
	assert.ErrorIs(t, err, ErrUnhashablePassword)
	assert.NotContains(t, err.Error(), "ж")
}

func TestConcurrencyBound(t *testing.T) {
	h := cheapHasher(t, HasherOptions{MaxConcurrent: 1})
	encoded, err := h.Hash(context.Background(), "pw")
	require.NoError(t, err)

	require.NoError(t, h.acquire(context.Background())) // occupy the only slot

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	ok, err := h.Verify(ctx, "pw", encoded)
	assert.False(t, ok)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	_, err = h.Hash(cancelled, "pw")
	assert.ErrorIs(t, err, context.Canceled)

	// A waiter proceeds once the slot is released.
	done := make(chan bool)
	go func() {
		ok, _ := h.Verify(context.Background(), "pw", encoded)
		done <- ok
	}()
	select {
	case <-done:
		t.Fatal("verification ran while the only slot was taken")
	case <-time.After(30 * time.Millisecond):
	}
	h.release()
	assert.True(t, <-done)
	assert.Zero(t, len(h.sem), "callers that gave up took no slot; the waiter gave its back")
}

func TestConcurrentUse(t *testing.T) {
	h := cheapHasher(t, HasherOptions{MaxConcurrent: 2, Peppers: []Pepper{testPepper("k1")}})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			pw := fmt.Sprintf("password-%d", i)
			encoded, err := h.Hash(context.Background(), pw)
			assert.NoError(t, err)
			ok, err := h.Verify(context.Background(), pw, encoded)
			assert.NoError(t, err)
			assert.True(t, ok)
		})
	}
	wg.Wait()
	assert.Zero(t, len(h.sem), "every slot released")
}

func TestSecretsNeverPrinted(t *testing.T) {
	p := testPepper("k1")
	h := cheapHasher(t, HasherOptions{Peppers: []Pepper{p}})
	var buf bytes.Buffer
	for _, handler := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(handler).Info("config", "pepper", p, "hasher", h, "copy", *h)
	}
	js, err := json.Marshal(struct{ P Pepper }{p})
	require.NoError(t, err)
	outputs := []string{
		fmt.Sprint(p), fmt.Sprintf("%+v", p), fmt.Sprintf("%#v", p), fmt.Sprintf("%x", p), fmt.Sprintf("%s", p),
		fmt.Sprint(h), fmt.Sprintf("%+v", h), fmt.Sprintf("%#v", h), fmt.Sprintf("%v", *h), fmt.Sprintf("%#v", *h),
		fmt.Sprintf("%v", []Pepper{p}), string(js), buf.String(),
	}
	hexKey := fmt.Sprintf("%x", p.Key)
	for _, out := range outputs {
		assert.NotContains(t, out, hexKey[:16])
		assert.NotContains(t, out, string(p.Key[:8]))
		assert.NotContains(t, out, fmt.Sprint(p.Key[:4])[1:8])
	}
	assert.Contains(t, fmt.Sprint(p), "k1")
}

// TestPackageFunctionsWaitWithContext: Hash, Verify and VerifyAbsent share
// the default Hasher's computation slots and give up waiting for one when
// their context ends, as the Hasher's methods do.
func TestPackageFunctionsWaitWithContext(t *testing.T) {
	const stored = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE"
	h := defaultHasher()
	_, err := h.absent() // the dummy hash, made before the slots are taken
	require.NoError(t, err)
	for range cap(h.sem) { // occupy every slot
		require.NoError(t, h.acquire(context.Background()))
	}
	released := false
	release := func() {
		if !released {
			for range cap(h.sem) {
				h.release()
			}
			released = true
		}
	}
	defer release()

	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Hash", func(ctx context.Context) error { _, err := Hash(ctx, "password"); return err }},
		{"Verify", func(ctx context.Context) error { _, err := Verify(ctx, "password", stored); return err }},
		{"VerifyAbsent", func(ctx context.Context) error { return VerifyAbsent(ctx, "password") }},
	}
	for _, c := range calls {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		assert.ErrorIs(t, c.call(ctx), context.DeadlineExceeded, c.name)
		cancel()
	}
	release()
	for _, c := range calls {
		assert.NoError(t, c.call(context.Background()), c.name)
	}
	assert.Zero(t, len(h.sem))
}
