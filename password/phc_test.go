package password

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// phcGood is a valid argon2id string from the reference implementation
// (testdata/interop/argon2.json).
const phcGood = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE"

func TestParsePHCValid(t *testing.T) {
	h, err := parsePHC(phcGood)
	require.NoError(t, err)
	assert.Equal(t, Params{Memory: 19456, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 32}, h.params)
	assert.Equal(t, "somesaltsomesalt", string(h.salt))
	assert.Empty(t, h.keyID)
	assert.Equal(t, phcGood, h.encode(), "encode(parse(s)) == s")

	withKey := "$argon2id$v=19$m=19456,t=2,p=1,keyid=azIwMjY$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE"
	h, err = parsePHC(withKey)
	require.NoError(t, err)
	assert.Equal(t, "k2026", h.keyID)
	assert.Equal(t, withKey, h.encode())
}

func TestParsePHCRefuses(t *testing.T) {
	const salt, key = "c29tZXNhbHRzb21lc2FsdA", "K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE"
	mk := func(params string) string { return "$argon2id$v=19$" + params + "$" + salt + "$" + key }
	tests := []struct {
		name, encoded string
		unsupported   bool
	}{
		{"empty", "", false},
		{"argon2i", "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key, false},
		{"version 16", "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key, true},
		{"missing version", "$argon2id$m=19456,t=2,p=1$" + salt + "$" + key, false},
		{"version leading zero", "$argon2id$v=019$m=19456,t=2,p=1$" + salt + "$" + key, false},
		{"zero threads", mk("m=19456,t=2,p=0"), false},
		{"zero time", mk("m=19456,t=0,p=1"), false},
		{"zero memory", mk("m=0,t=2,p=1"), false},
		{"memory below 8p", mk("m=63,t=1,p=8"), false},
		{"memory 4 GiB", mk("m=4294967295,t=1,p=1"), false},
		{"memory over max", mk("m=2097153,t=1,p=1"), false},
		{"time over max", mk("m=64,t=65,p=1"), false},
		{"work over max", mk("m=2097152,t=3,p=1"), false},
		{"threads over max", mk("m=19456,t=2,p=65"), false},
		{"threads overflow uint8", mk("m=19456,t=2,p=257"), false},
		{"uint32 overflow", mk("m=4294967296,t=2,p=1"), false},
		{"leading zero", mk("m=019456,t=2,p=1"), false},
		{"plus sign", mk("m=+19456,t=2,p=1"), false},
		{"minus sign", mk("m=-1,t=2,p=1"), false},
		{"spaces", mk("m=19456, t=2,p=1"), false},
		{"order", mk("t=2,m=19456,p=1"), false},
		{"duplicate", mk("m=19456,m=19456,p=1"), false},
		{"missing p", mk("m=19456,t=2"), false},
		{"unknown parameter", mk("m=19456,t=2,p=1,data=AAAA"), false},
		{"empty keyid", mk("m=19456,t=2,p=1,keyid="), false},
		{"keyid too long", mk("m=19456,t=2,p=1,keyid=MTIzNDU2Nzg5"), false},
		{"keyid binary", mk("m=19456,t=2,p=1,keyid=AAE"), false},
		{"padded salt", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key, false},
		{"padded hash", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key + "=", false},
		{"url alphabet", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + strings.ReplaceAll(key, "+", "-"), false},
		{"newline in hash", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key[:10] + "\n" + key[10:], false},
		{"non-canonical trailing bits", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key[:len(key)-1] + "F", false},
		{"salt too short", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + key, false},
		{"hash too short", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$AAAAAAAAAAAAAA", false},
		{"empty salt", "$argon2id$v=19$m=19456,t=2,p=1$$" + key, false},
		{"extra field", phcGood + "$", false},
		{"missing field", "$argon2id$v=19$m=19456,t=2,p=1$" + key, false},
		{"too long", "$argon2id$v=19$m=19456,t=2,p=1$" + strings.Repeat("A", 300) + "$" + key, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := parsePHC(tt.encoded)
			require.Error(t, err)
			assert.Nil(t, h)
			var fe *hashFormatError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.unsupported, errors.Is(err, ErrUnsupportedHash))
			assert.Equal(t, !tt.unsupported, errors.Is(err, ErrMalformedHash))
			assert.NotContains(t, err.Error(), "c29tZXNh", "error quotes input")
		})
	}
}

func TestParseDecimal(t *testing.T) {
	for s, want := range map[string]uint32{"0": 0, "1": 1, "19456": 19456, "4294967295": 4294967295} {
		got, err := parseDecimal(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", "00", "01", "+1", "-1", "1e3", "4294967296", "99999999999", " 1", "١"} {
		_, err := parseDecimal(s)
		assert.Error(t, err, s)
	}
}

// FuzzParsePHC checks that the parser never panics, that anything it accepts
// is within bounds (so argon2.IDKey can be run on it safely), and that
// accepted strings have one spelling: encode(parse(s)) == s.
func FuzzParsePHC(f *testing.F) {
	f.Add(phcGood)
	f.Add("$argon2id$v=19$m=64,t=1,p=8,keyid=azIwMjY$OGJ5dGVzYWw$YnZIvTo9RiKTrGGD6TZEg3kSrX6tDElvjCQ8jRfyGVE")
	f.Add("$argon2id$v=19$m=0,t=0,p=0$$")
	f.Add("$argon2id$v=16$m=4294967295,t=1,p=255$c29tZXNhbHQ$Py0w2340bMtQuJwfBeXg4l1iZIYA1IOVTHz3H/f+cLc")
	f.Add("$2y$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parsePHC(s)
		if err != nil {
			if h != nil {
				t.Fatal("non-nil result with error")
			}
			var fe *hashFormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		if reason := h.params.check(); reason != "" {
			t.Fatalf("accepted out-of-bounds params: %s", reason)
		}
		if int(h.params.SaltLength) != len(h.salt) || int(h.params.KeyLength) != len(h.key) {
			t.Fatal("lengths disagree")
		}
		if h.keyID != "" && !validKeyID(h.keyID) {
			t.Fatal("accepted bad key id")
		}
		if got := h.encode(); got != s {
			t.Fatalf("not canonical: %q re-encodes as %q", s, got)
		}
	})
}

// FuzzVerifyEncoded runs Verify's whole dispatch (argon2id, bcrypt, other)
// on arbitrary encoded strings with cheap parameters allowed: no panic, and
// never true with an error.
func FuzzVerifyEncoded(f *testing.F) {
	f.Add("$argon2id$v=19$m=64,t=1,p=8$OGJ5dGVzYWw$YnZIvTo9RiKTrGGD6TZEg3kSrX6tDElvjCQ8jRfyGVE")
	f.Add("$2y$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK")
	f.Add("$2x$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK")
	f.Add("$2$04$YoAdUV31.Ie7OTgegs.I1uF02hykbRMxtWHCowQGonQVe/LXvgMTK")
	f.Add("plaintext")
	h, err := buildHasher(HasherOptions{Params: cheapParams, AllowUnpeppered: true, Peppers: []Pepper{testPepper("k1")}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		// Keep each run cheap: the bounds allow up to 2 GiB, which is the
		// point of the bounds, not something to run per fuzz input.
		if ph, err := parsePHC(encoded); err == nil && uint64(ph.params.Memory)*uint64(ph.params.Time) > 1<<12 {
			t.Skip()
		}
		if parseBcrypt(encoded) == nil && encoded[4:6] > "06" {
			t.Skip()
		}
		ok, err := h.Verify(context.Background(), "p", encoded)
		if ok && err != nil {
			t.Fatal("true with error")
		}
	})
}
