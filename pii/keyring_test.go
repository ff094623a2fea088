package pii

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyringExportParse(t *testing.T) {
	kr, err := NewKeyring()
	require.NoError(t, err)
	_, err = kr.Rotate()
	require.NoError(t, err)
	_, err = kr.Rotate()
	require.NoError(t, err)
	require.NoError(t, kr.SetIndexKey(2))
	require.NoError(t, kr.SetState(1, KeyDestroyed))
	require.NoError(t, kr.SetMinDecryptVersion(2))

	enc, err := NewEncryptor(kr, Options{})
	require.NoError(t, err)
	tok, err := enc.EncryptString("v", "t", "c", "1")
	require.NoError(t, err)
	idx, err := enc.BlindIndex("email", "a@b.kz")
	require.NoError(t, err)

	data, err := kr.Export()
	require.NoError(t, err)
	kr2, err := ParseKeyring(data)
	require.NoError(t, err)
	_, err = ParseKeyring(append(slices.Clone(data), " \r\n\t"...))
	require.NoError(t, err, "trailing white space, as a file's last newline, is allowed")
	assert.Equal(t, kr.Status().Keys, kr2.Status().Keys)
	assert.Equal(t, uint32(3), kr2.Status().Primary)
	assert.Equal(t, uint32(2), kr2.Status().IndexKey)
	assert.Equal(t, uint32(2), kr2.Status().MinDecryptVersion)

	enc2, err := NewEncryptor(kr2, Options{})
	require.NoError(t, err)
	got, err := enc2.DecryptString(tok, "t", "c", "1")
	require.NoError(t, err)
	assert.Equal(t, "v", got)
	idx2, err := enc2.BlindIndex("email", "a@b.kz")
	require.NoError(t, err)
	assert.Equal(t, idx, idx2)

	again, err := kr2.Export()
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again))
}

func TestKeyringNeverPrintsSecrets(t *testing.T) {
	kr, err := NewKeyring()
	require.NoError(t, err)
	data, err := kr.Export()
	require.NoError(t, err)
	var parsed keyringJSON
	require.NoError(t, json.Unmarshal(data, &parsed))
	secret := base64.StdEncoding.EncodeToString(parsed.Keys[0].Key)

	var log strings.Builder
	slog.New(slog.NewJSONHandler(&log, nil)).Info("loaded", "keyring", kr)
	raw := parsed.Keys[0].Key
	goSyntax := fmt.Sprintf("%#v", raw) // []byte{0x.., ...}
	for _, s := range []string{fmt.Sprint(kr), fmt.Sprintf("%v %+v %#v %s", kr, kr, kr, kr), log.String()} {
		assert.NotContains(t, s, secret)
		assert.NotContains(t, s, secret[:16])
		assert.NotContains(t, s, fmt.Sprintf("%x", raw[:8]))
		assert.NotContains(t, s, goSyntax[7:40])
		assert.NotContains(t, s, fmt.Sprint(raw[:6])[1:])
	}
	_, err = json.Marshal(struct{ K *Keyring }{kr})
	assert.ErrorIs(t, err, ErrKeyring, "implicit JSON marshalling is refused")
}

// Status is read at one instant: during rotations, every snapshot has
// exactly one primary key, the one it names.
func TestKeyringStatusIsConsistent(t *testing.T) {
	kr, err := NewKeyring()
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 200 {
			_, err := kr.Rotate()
			assert.NoError(t, err)
		}
	}()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		st := kr.Status()
		var primaries []uint32
		for id, state := range st.Keys {
			if state == KeyPrimary {
				primaries = append(primaries, id)
			}
		}
		require.Equal(t, []uint32{st.Primary}, primaries)
		require.Len(t, st.Keys, int(st.Primary), "ids are 1..primary")
	}
}

func TestParseKeyringRejects(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	k := func(id int, state, material string) string {
		if material == "" {
			return fmt.Sprintf(`{"id":%d,"state":%q}`, id, state)
		}
		return fmt.Sprintf(`{"id":%d,"state":%q,"key":%q}`, id, state, material)
	}
	ring := func(extra string, keys ...string) string {
		return `{"format":"1cb-kz/pii-keyring/v1"` + extra + `,"keys":[` + strings.Join(keys, ",") + `]}`
	}
	for name, in := range map[string]string{
		"empty":            ``,
		"not json":         `pii`,
		"no format":        `{"keys":[` + k(1, "primary", key) + `]}`,
		"wrong format":     strings.Replace(ring("", k(1, "primary", key)), "v1", "v2", 1),
		"unknown field":    ring(`,"extra":1`, k(1, "primary", key)),
		"trailing":         ring("", k(1, "primary", key)) + `{}`,
		"no keys":          ring(""),
		"no primary":       ring("", k(1, "decrypt-only", key)),
		"two primaries":    ring("", k(1, "primary", key), k(2, "primary", key)),
		"id zero":          ring("", k(0, "primary", key)),
		"duplicate id":     ring("", k(1, "primary", key), k(1, "decrypt-only", key)),
		"short key":        ring("", k(1, "primary", short)),
		"missing material": ring("", k(1, "primary", "")),
		"destroyed w/ key": ring("", k(1, "destroyed", key), k(2, "primary", key)),
		"bad state":        ring("", k(1, "active", key)),
		"bad base64":       ring("", k(1, "primary", "!!!")),
		"min above":        ring(`,"min_decrypt_version":5`, k(1, "primary", key)),
		"index destroyed":  ring(`,"index_key":1`, k(1, "destroyed", ""), k(2, "primary", key)),
		"index missing":    ring(`,"index_key":9`, k(1, "primary", key)),
		"huge":             strings.Repeat(" ", maxKeyringSize+1),
		// encoding/json alone accepts what follows.
		"trailing bracket": ring("", k(1, "primary", key)) + `]`,
		"trailing brace":   ring("", k(1, "primary", key)) + `}`,
		"trailing value":   ring("", k(1, "primary", key)) + ` 1`,
		"upper-case names": `{"FORMAT":"1cb-kz/pii-keyring/v1","Keys":[{"ID":1,"State":"primary","KEY":"` + key + `"}]}`,
		"one wrong case":   strings.Replace(ring("", k(1, "primary", key)), `"state"`, `"State"`, 1),
		"repeated keys":    ring(`,"keys":[`+k(1, "primary", key)+`]`, k(1, "primary", key), k(2, "decrypt-only", key)),
		"repeated id":      ring("", `{"id":2,"id":1,"state":"primary","key":"`+key+`"}`),
		"repeated format":  `{"format":"x","format":"1cb-kz/pii-keyring/v1","keys":[` + k(1, "primary", key) + `]}`,
		"name is key":      ring(`,"`+key+`":1`, k(1, "primary", key)),
		"too deep":         ring("", `{"id":1,"state":"primary","key":["`+key+`"]}`),
		"deep arrays":      strings.Repeat("[", 10000),
		"unclosed":         `{"format":"1cb-kz/pii-keyring/v1","keys":[`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseKeyring([]byte(in))
			assert.ErrorIs(t, err, ErrKeyring)
			assert.NotContains(t, fmt.Sprint(err), key)
		})
	}
}

func TestLoadKeyring(t *testing.T) {
	kr, err := NewKeyring()
	require.NoError(t, err)
	data, err := kr.Export()
	require.NoError(t, err)

	path := filepath.Join(t.TempDir(), "keyring.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	fromFile, err := LoadKeyringFile(path)
	require.NoError(t, err)
	assert.Equal(t, kr.Status().Keys, fromFile.Status().Keys)
	_, err = LoadKeyringFile(filepath.Join(t.TempDir(), "missing"))
	assert.ErrorIs(t, err, ErrKeyring, "a keyring that cannot be read")
	assert.ErrorIs(t, err, fs.ErrNotExist)

	for _, mode := range []fs.FileMode{0o644, 0o640, 0o604, 0o620, 0o602} {
		require.NoError(t, os.Chmod(path, mode))
		_, err = LoadKeyringFile(path)
		require.ErrorIs(t, err, ErrKeyring, "mode %04o", mode)
		assert.Contains(t, err.Error(), fmt.Sprintf("%04o", mode))
		assert.NotContains(t, err.Error(), string(data[:40]))
	}
	require.NoError(t, os.Chmod(path, 0o400))
	_, err = LoadKeyringFile(path)
	require.NoError(t, err)
	// The mode checked is the target's, not a symbolic link's (0777).
	link := filepath.Join(t.TempDir(), "link.json")
	require.NoError(t, os.Symlink(path, link))
	_, err = LoadKeyringFile(link)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(path, 0o644))
	_, err = LoadKeyringFile(link)
	require.ErrorIs(t, err, ErrKeyring)

	t.Setenv("PII_TEST_KEYRING", string(data))
	fromEnv, err := KeyringFromEnv("PII_TEST_KEYRING")
	require.NoError(t, err)
	assert.Equal(t, kr.Status().Keys, fromEnv.Status().Keys)
	_, err = KeyringFromEnv("PII_TEST_KEYRING_UNSET")
	assert.ErrorIs(t, err, ErrKeyring)
}

func TestKeyringStateRules(t *testing.T) {
	kr, err := NewKeyring()
	require.NoError(t, err)
	assert.Error(t, kr.SetState(1, KeyDisabled), "primary cannot be disabled")
	assert.Error(t, kr.SetState(1, KeyDestroyed), "primary cannot be destroyed")
	assert.ErrorIs(t, kr.SetState(7, KeyDisabled), ErrUnknownKey)
	assert.Error(t, kr.SetState(1, KeyState(9)))
	_, err = kr.Rotate()
	require.NoError(t, err)
	assert.Error(t, kr.SetState(1, KeyDestroyed), "the index key cannot be destroyed")
	assert.Error(t, kr.SetMinDecryptVersion(3))
	assert.Error(t, kr.SetIndexKey(9))

	// Promoting an older key is a rollback.
	require.NoError(t, kr.SetState(1, KeyPrimary))
	assert.Equal(t, uint32(1), kr.Status().Primary)
	assert.Equal(t, map[uint32]KeyState{1: KeyPrimary, 2: KeyDecryptOnly}, kr.Status().Keys)

	var js jsonKeyState
	assert.Error(t, js.UnmarshalText([]byte("active")))
	_, err = jsonKeyState(0).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "KeyState(9)", KeyState(9).String())
}

func FuzzParseKeyring(f *testing.F) {
	kr, err := NewKeyring()
	if err != nil {
		f.Fatal(err)
	}
	_, _ = kr.Rotate()
	data, _ := kr.Export()
	f.Add(data)
	f.Add([]byte(`{"format":"1cb-kz/pii-keyring/v1","keys":[{"id":1,"state":"destroyed"}]}`))
	f.Add([]byte(`{}`))
	f.Add(append(append([]byte{}, data...), ']'))
	f.Add(append(append([]byte{}, data...), '}'))
	f.Add(bytes.ReplaceAll(data, []byte(`"keys"`), []byte(`"Keys"`)))
	f.Add(bytes.Replace(data, []byte(`"keys": [`), []byte(`"keys": [], "keys": [`), 1))
	f.Add(bytes.Replace(data, []byte(`"id": 1`), []byte(`"id": 2, "id": 1`), 1))
	f.Add([]byte(`[[[[{"format":1}]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParseKeyring(data)
		if err != nil {
			return
		}
		// A parsed keyring is usable and survives a round trip.
		out, err := k.Export()
		if err != nil {
			t.Fatal(err)
		}
		k2, err := ParseKeyring(out)
		if err != nil {
			t.Fatalf("re-parse of exported keyring: %v", err)
		}
		if fmt.Sprint(k.Status().Keys) != fmt.Sprint(k2.Status().Keys) {
			t.Fatal("round trip changed the keys")
		}
		enc, err := NewEncryptor(k, Options{})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := enc.EncryptString("x", "t")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := enc.DecryptString(tok, "t"); err != nil || got != "x" {
			t.Fatalf("round trip: %q %v", got, err)
		}
	})
}

// TestRefusedKeyringLeavesNoKeys: a keyring that decodes but is refused
// (two primaries, a bad format, a minimum above the primary, an index key
// destroyed) has its decoded key material erased, as the package promises
// for the buffers it owns.
func TestRefusedKeyringLeavesNoKeys(t *testing.T) {
	key := func(b byte) []byte { return bytes.Repeat([]byte{b}, keySize) }
	for name, in := range map[string]keyringJSON{
		"two primaries": {Format: keyringFormat, Keys: []keyJSONItem{
			{ID: 1, State: jsonKeyState(KeyPrimary), Key: key(1)}, {ID: 2, State: jsonKeyState(KeyPrimary), Key: key(2)}}},
		"format": {Format: "other", Keys: []keyJSONItem{{ID: 1, State: jsonKeyState(KeyPrimary), Key: key(1)}}},
		"min above primary": {Format: keyringFormat, MinDecryptVersion: 3, Keys: []keyJSONItem{
			{ID: 1, State: jsonKeyState(KeyDecryptOnly), Key: key(1)}, {ID: 2, State: jsonKeyState(KeyPrimary), Key: key(2)}}},
		"index key destroyed": {Format: keyringFormat, IndexKey: 1, Keys: []keyJSONItem{
			{ID: 1, State: jsonKeyState(KeyDestroyed)}, {ID: 2, State: jsonKeyState(KeyPrimary), Key: key(2)}}},
	} {
		t.Run(name, func(t *testing.T) {
			kr, err := keyringFrom(&in)
			require.ErrorIs(t, err, ErrKeyring)
			assert.Nil(t, kr)
			for _, item := range in.Keys {
				assert.True(t, bytes.Equal(make([]byte, len(item.Key)), item.Key), "key %d not erased", item.ID)
			}
		})
	}
	valid := keyringJSON{Format: keyringFormat, Keys: []keyJSONItem{{ID: 1, State: jsonKeyState(KeyPrimary), Key: key(7)}}}
	kr, err := keyringFrom(&valid)
	require.NoError(t, err)
	assert.Equal(t, key(7), valid.Keys[0].Key, "an accepted keyring keeps its keys")
	assert.Equal(t, uint32(1), kr.Status().Primary)
}

// chunkReader returns its data a few bytes per Read and remembers every
// buffer it was handed.
type chunkReader struct {
	data []byte
	bufs [][]byte
}

func (r *chunkReader) Read(p []byte) (int, error) {
	r.bufs = append(r.bufs, p[:cap(p)])
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 7)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestReadSecret: the keyring file is read whole, refused past the limit,
// and every buffer outgrown on the way is cleared (io.ReadAll would drop
// them with the keys in them).
func TestReadSecret(t *testing.T) {
	secret := bytes.Repeat([]byte("0123456789abcdef"), 200) // 3,200 bytes
	for _, hint := range []int64{0, 100, int64(len(secret)), 1 << 30} {
		r := &chunkReader{data: bytes.Clone(secret)}
		got, err := readSecret(r, maxKeyringSize, hint)
		require.NoError(t, err)
		assert.Equal(t, secret, got, "hint %d", hint)
		for _, b := range r.bufs {
			if len(b) > 0 && &b[len(b)-1] == &got[:cap(got)][cap(got)-1] {
				continue // the buffer returned
			}
			assert.False(t, bytes.Contains(b, []byte("0123456")), "hint %d: an outgrown buffer holds the secret", hint)
		}
	}
	r := &chunkReader{data: bytes.Repeat([]byte("x"), 5000)}
	got, err := readSecret(r, 1000, 0)
	require.NoError(t, err)
	assert.Len(t, got, 1001, "one byte past the limit, for ParseKeyring to refuse")
}
