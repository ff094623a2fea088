package password

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// Interop vectors made by the reference tools; see testdata/interop/README.md.

type interopVector struct {
	Password string `json:"password"`
	Salt     string `json:"salt"`
	Args     string `json:"args"`
	Cost     int    `json:"cost"`
	Encoded  string `json:"encoded"`
}

type interopFile struct {
	Tool        string          `json:"tool"`
	Verify      []interopVector `json:"verify"`
	Unsupported []interopVector `json:"unsupported"`
	NFKC        []interopVector `json:"nfkc"` // tool hash of NFKC(password)
	Raw         []interopVector `json:"raw"`  // tool hash of the raw, non-NFKC bytes
}

func loadInterop(t *testing.T, name string) interopFile {
	t.Helper()
	data, err := os.ReadFile("testdata/interop/" + name)
	require.NoError(t, err)
	var f interopFile
	require.NoError(t, json.Unmarshal(data, &f))
	require.NotEmpty(t, f.Verify)
	return f
}

// TestArgon2ReferenceVectors: hashes from the reference argon2 CLI verify,
// and re-encoding from the same salt and parameters gives the tool's string.
func TestArgon2ReferenceVectors(t *testing.T) {
	f := loadInterop(t, "argon2.json")
	h := cheapHasher(t, HasherOptions{})
	for _, v := range f.Verify {
		t.Run(v.Args, func(t *testing.T) {
			ok, err := h.Verify(context.Background(), v.Password, v.Encoded)
			require.NoError(t, err)
			assert.True(t, ok)
			ph, err := parsePHC(v.Encoded)
			require.NoError(t, err)
			if ph.params.Memory <= 1024 { // keep the run short: one mismatch per cheap vector
				ok, err = h.Verify(context.Background(), v.Password+"!", v.Encoded)
				require.NoError(t, err)
				assert.False(t, ok)
			}
			assert.Equal(t, v.Salt, string(ph.salt))
			// Verify proved argon2id(password, salt) equals the tool's output,
			// so re-encoding what was parsed is what Hash would print.
			assert.Equal(t, v.Encoded, ph.encode())
		})
	}
	// One full Hash-path run from the tool's salt and parameters.
	v := f.Verify[len(f.Verify)-1]
	ph, err := parsePHC(v.Encoded)
	require.NoError(t, err)
	assert.Equal(t, v.Encoded, cheapHasher(t, HasherOptions{Params: ph.params}).hashWithSalt(v.Password, []byte(v.Salt), ""))
	for _, v := range f.Unsupported {
		ok, err := h.Verify(context.Background(), v.Password, v.Encoded)
		assert.False(t, ok)
		assert.ErrorIs(t, err, ErrUnsupportedHash, v.Args)
	}
}

// TestArgon2NFKCVectors pins what NFKC normalisation means for interop: a
// non-NFKC password (full-width, decomposed, ligature) verifies against the
// tool's hash of its NFKC form, and not against the tool's hash of its raw
// bytes, as Hasher.Verify documents for imported hashes.
func TestArgon2NFKCVectors(t *testing.T) {
	f := loadInterop(t, "argon2.json")
	require.Len(t, f.NFKC, 3)
	require.Len(t, f.Raw, len(f.NFKC))
	h := cheapHasher(t, HasherOptions{})
	for i, v := range f.NFKC {
		require.NotEqual(t, norm.NFKC.String(v.Password), v.Password, "vector %d is already NFKC", i)
		ok, err := h.Verify(context.Background(), v.Password, v.Encoded)
		require.NoError(t, err)
		assert.True(t, ok, "typed %q, stored NFKC", v.Password)
		ok, err = h.Verify(context.Background(), norm.NFKC.String(v.Password), v.Encoded)
		require.NoError(t, err)
		assert.True(t, ok, "typed NFKC of %q", v.Password)

		ok, err = h.Verify(context.Background(), f.Raw[i].Password, f.Raw[i].Encoded)
		require.NoError(t, err)
		assert.False(t, ok, "raw-byte hash of %q verifies: normalisation not applied?", v.Password)
	}
}

// TestHtpasswdVectors: bcrypt hashes from htpasswd -B verify, with bcrypt's
// 72-byte truncation made visible, and always need a rehash.
func TestHtpasswdVectors(t *testing.T) {
	f := loadInterop(t, "bcrypt.json")
	h := cheapHasher(t, HasherOptions{})
	for _, v := range f.Verify {
		ok, err := h.Verify(context.Background(), v.Password, v.Encoded)
		require.NoError(t, err, v.Password)
		assert.True(t, ok, v.Password)
		ok, err = h.Verify(context.Background(), v.Password[:len(v.Password)-1], v.Encoded)
		require.NoError(t, err)
		assert.Equal(t, len(v.Password) > 72, ok, "dropping the last byte only matters within 72 bytes: %q", v.Password)
		assert.True(t, h.NeedsRehash(v.Encoded))
	}
	// The 40-letter Cyrillic vector: 36 letters are all bcrypt ever saw.
	last := f.Verify[len(f.Verify)-1]
	require.Equal(t, strings.Repeat("ж", 40), last.Password)
	ok, err := h.Verify(context.Background(), strings.Repeat("ж", 36)+"anything", last.Encoded)
	require.NoError(t, err)
	assert.True(t, ok, "bcrypt ignores bytes after the 72nd")
}

// TestArgon2ReferenceToolLive runs the reference CLI on a salt and
// parameters chosen here and checks it prints the hash this package made.
func TestArgon2ReferenceToolLive(t *testing.T) {
	if _, err := exec.LookPath("argon2"); err != nil {
		t.Skip("argon2 CLI not installed (Debian package argon2)")
	}
	cases := []struct {
		password string
		params   Params
	}{
		{"Correct-Horse-7-Battery", defaultParams()},
		{"Қазақстан2026!", Params{Memory: 4096, Time: 3, Threads: 2, SaltLength: 16, KeyLength: 32}},
		{"пароль", Params{Memory: 256, Time: 1, Threads: 4, SaltLength: 24, KeyLength: 64}},
	}
	for _, c := range cases {
		// A random salt without NUL bytes, which a command line cannot carry.
		salt := make([]byte, c.params.SaltLength)
		_, err := rand.Read(salt)
		require.NoError(t, err)
		for i := range salt {
			salt[i] |= 1
		}
		h := cheapHasher(t, HasherOptions{Params: c.params})
		ours := h.hashWithSalt(c.password, salt, "")

		p := c.params
		cmd := exec.Command("argon2", string(salt), "-id", "-e",
			"-t", strconv.FormatUint(uint64(p.Time), 10), "-k", strconv.FormatUint(uint64(p.Memory), 10), "-p", strconv.FormatUint(uint64(p.Threads), 10), "-l", strconv.FormatUint(uint64(p.KeyLength), 10))
		cmd.Stdin = strings.NewReader(c.password)
		out, err := cmd.Output()
		require.NoError(t, err)
		assert.Equal(t, strings.TrimSpace(string(out)), ours, c.password)
	}
}

// TestHtpasswdLive hashes with htpasswd -B now and verifies here.
func TestHtpasswdLive(t *testing.T) {
	if _, err := exec.LookPath("htpasswd"); err != nil {
		t.Skip("htpasswd not installed (Debian package apache2-utils)")
	}
	h := cheapHasher(t, HasherOptions{})
	for _, pw := range []string{"Qwerty123!", "Алматы 2026 ә", strings.Repeat("q", 80)} {
		out, err := exec.Command("htpasswd", "-nbB", "-C", "4", "u", pw).Output()
		require.NoError(t, err)
		_, encoded, ok := strings.Cut(strings.TrimSpace(string(out)), ":")
		require.True(t, ok)
		ok, err = h.Verify(context.Background(), pw, encoded)
		require.NoError(t, err)
		assert.True(t, ok, pw)
		ok, err = h.Verify(context.Background(), "x"+pw, encoded)
		require.NoError(t, err)
		assert.False(t, ok, pw)
	}
}
