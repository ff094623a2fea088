package pii

import (
	"bytes"
	"cmp"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// keySize is the size in bytes of every keyring key and subject data key.
const keySize = 32

// KeyState is the life-cycle state of a keyring key.
//
//	primary       encrypts new tokens and decrypts; exactly one key is primary
//	decrypt-only  decrypts old tokens and Reencrypt moves them to the primary
//	disabled      refuses every use but keeps its material (reversible)
//	destroyed     material erased; tokens under it are lost for good
type KeyState uint8

// Key states, see [KeyState].
const (
	KeyPrimary KeyState = iota + 1
	KeyDecryptOnly
	KeyDisabled
	KeyDestroyed
)

var keyStateNames = [...]string{"", "primary", "decrypt-only", "disabled", "destroyed"}

func (s KeyState) String() string {
	if int(s) < len(keyStateNames) && s != 0 {
		return keyStateNames[s]
	}
	return "KeyState(" + strconv.Itoa(int(s)) + ")"
}

// jsonKeyState is a [KeyState] in the keyring's JSON form.
type jsonKeyState KeyState

func (s jsonKeyState) MarshalText() ([]byte, error) {
	if s == 0 || int(s) >= len(keyStateNames) {
		return nil, fmt.Errorf("%w: invalid key state %d", ErrKeyring, s)
	}
	return []byte(keyStateNames[s]), nil
}

func (s *jsonKeyState) UnmarshalText(b []byte) error {
	for i, name := range keyStateNames {
		if i != 0 && string(b) == name {
			*s = jsonKeyState(i)
			return nil
		}
	}
	return fmt.Errorf("%w: unknown key state", ErrKeyring)
}

// maxCachedSubkeys bounds the per-key cache of derived subkeys, so that a
// caller passing unbounded context (a record id where a column was expected)
// cannot grow memory without limit; past it subkeys are derived per call.
const maxCachedSubkeys = 4096

type keyEntry struct {
	id     uint32
	state  KeyState
	secret []byte // nil once destroyed
	prk    []byte // HKDF-Extract(SHA-256, secret); nil once destroyed

	subkeys map[string]*subkeyRef // purpose → derived subkey
}

// derivedKey is a subkey derived for one purpose: an AEAD, or a blind
// index's key and its pooled HMACs.
type derivedKey struct {
	aead  cipher.AEAD
	index *indexKey
}

// subkeyRef holds a derivedKey. The [Encryptor]'s caches keep the ref, never
// the derivedKey itself, and destroying a key empties every ref in its
// cache, so that no cached copy of a destroyed key's material stays
// reachable.
type subkeyRef struct {
	key atomic.Pointer[derivedKey]
	// pinned: held in the keyring's cache, so emptied on destruction. A
	// ref past the cache's bound is not, and may be used but not cached.
	pinned bool
}

// Keyring holds versioned 256-bit keys, each with a uint32 id and a
// [KeyState]. Encryptors derive a separate subkey per purpose (per column, per
// blind index, per subject-key wrapping) from the keys with HKDF-SHA256, so
// the ring itself never encrypts anything.
//
// A Keyring is safe for concurrent use: [Keyring.Rotate],
// [Keyring.SetState] and [Keyring.SetMinDecryptVersion] may run while other
// goroutines encrypt and decrypt through Encryptors that share it.
//
// Its key material is secret. String, LogValue and MarshalJSON never reveal
// it, nor does fmt's %#v (the material is behind pointers that fmt does not
// follow); [Keyring.Export] is the only way out.
type Keyring struct {
	mu         sync.RWMutex
	keys       map[uint32]*keyEntry
	primary    uint32
	minDecrypt uint32
	indexKey   uint32

	// gen changes on every state change (under mu), so that callers may
	// cache what they resolved and revalidate with one atomic load.
	gen atomic.Uint64
}

// NewKeyring returns a keyring with one fresh random primary key, id 1.
func NewKeyring() (*Keyring, error) {
	k := &Keyring{keys: map[uint32]*keyEntry{}, primary: 1, minDecrypt: 1, indexKey: 1}
	if err := k.add(1, KeyPrimary, newSecret()); err != nil {
		return nil, err
	}
	return k, nil
}

// newSecret returns a fresh random key. crypto/rand.Read never fails
// (Go 1.24+: it crashes the program rather than return short).
func newSecret() []byte {
	secret := make([]byte, keySize)
	rand.Read(secret)
	return secret
}

func (k *Keyring) add(id uint32, state KeyState, secret []byte) error {
	e := &keyEntry{id: id, state: state}
	if state != KeyDestroyed {
		prk, err := hkdf.Extract(sha256.New, secret, []byte(hkdfSalt))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrKeyring, err)
		}
		e.secret, e.prk = secret, prk
	}
	k.keys[id] = e
	return nil
}

// hkdfSalt separates this package's derivations from any other use of the
// same key material.
const hkdfSalt = "github.com/1cb-kz/compliance/pii keyring v1"

// Rotate adds a fresh random key, makes it primary and demotes the previous
// primary to decrypt-only. It returns the new key's id. Tokens written before
// keep decrypting. The procedure, once the new keyring is published to every
// instance:
//
//  1. [Encryptor.Seal] every row again (it moves tokens under an older
//     key), [Encryptor.Reencrypt] the columns written by EncryptString, and
//     [Encryptor.RewrapSubjectKey] every subject.
//  2. SetState(old, [KeyDisabled]) and watch for [ErrUnknownKey]: a token
//     that was missed fails loudly, and the step can be undone.
//  3. SetState(old, [KeyDestroyed]) once the backups taken before step 1
//     have expired.
//
// Blind indexes keep their key (see [Keyring.SetIndexKey]).
func (k *Keyring) Rotate() (uint32, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	defer k.gen.Add(1)
	if k.keys == nil {
		return 0, fmt.Errorf("%w: a zero Keyring holds no keys (use NewKeyring or ParseKeyring)", ErrKeyring)
	}
	var maxID uint32
	for id := range k.keys {
		maxID = max(maxID, id)
	}
	if maxID == math.MaxUint32 {
		return 0, fmt.Errorf("%w: key ids exhausted", ErrKeyring)
	}
	id := maxID + 1
	if err := k.add(id, KeyPrimary, newSecret()); err != nil {
		return 0, err
	}
	if old := k.keys[k.primary]; old != nil {
		old.state = KeyDecryptOnly
	}
	k.primary = id
	return id, nil
}

// KeyringStatus is a consistent snapshot of a keyring's key ids and
// states, without key material.
type KeyringStatus struct {
	Primary           uint32              // the key new tokens are encrypted under
	IndexKey          uint32              // the key blind indexes derive from (see Keyring.SetIndexKey)
	MinDecryptVersion uint32              // tokens under lower key ids are refused (see Keyring.SetMinDecryptVersion)
	Keys              map[uint32]KeyState // every key's state, destroyed ones included
}

// Status returns the keyring's key ids and states, read at one instant: a
// rotation running at the same time is seen whole or not at all.
func (k *Keyring) Status() KeyringStatus {
	k.mu.RLock()
	defer k.mu.RUnlock()
	st := KeyringStatus{Primary: k.primary, IndexKey: k.indexKey, MinDecryptVersion: k.minDecrypt, Keys: make(map[uint32]KeyState, len(k.keys))}
	for id, e := range k.keys {
		st.Keys[id] = e.state
	}
	return st
}

// primaryID returns the id of the primary key.
func (k *Keyring) primaryID() uint32 {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.primary
}

// SetMinDecryptVersion refuses, from now on, every token (and wrapped
// subject key) under a key id below v, whatever that key's state. It cannot
// exceed the primary id. It does not affect blind indexes, which derive from
// the index key (see [KeyringStatus.IndexKey]) whatever its id; disable that
// key to stop them.
func (k *Keyring) SetMinDecryptVersion(v uint32) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	defer k.gen.Add(1)
	if v > k.primary {
		return fmt.Errorf("%w: minimum decryption version %d is above the primary key %d", ErrKeyring, v, k.primary)
	}
	k.minDecrypt = v
	return nil
}

// SetIndexKey makes blind indexes derive from key id from now on;
// [Keyring.Rotate] never changes the index key, so that index values stay
// comparable. Every stored index value must then be recomputed
// ([Encryptor.Open] then [Encryptor.Seal] each row; Seal alone skips fields
// that already hold tokens): values computed under the previous index key no
// longer match.
func (k *Keyring) SetIndexKey(id uint32) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	defer k.gen.Add(1)
	e := k.keys[id]
	if e == nil || e.state == KeyDestroyed {
		return fmt.Errorf("%w: index key %d does not exist or is destroyed", ErrKeyring, id)
	}
	k.indexKey = id
	return nil
}

// SetState changes the state of key id.
//
//   - KeyPrimary promotes the key (for a rollback) and demotes the current
//     primary to decrypt-only.
//   - KeyDecryptOnly and KeyDisabled apply to any key but the primary (Rotate
//     first) and may be switched back and forth.
//   - KeyDestroyed erases the key material; it is irreversible and refused
//     for the primary and for the blind-index key.
func (k *Keyring) SetState(id uint32, s KeyState) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	defer k.gen.Add(1)
	e := k.keys[id]
	if e == nil {
		return &KeyError{ID: id, Reason: "not in the keyring"}
	}
	if e.state == KeyDestroyed {
		return &KeyError{ID: id, State: e.state, Reason: "a destroyed key cannot change state"}
	}
	switch s {
	case KeyPrimary:
		if id < k.minDecrypt {
			return &KeyError{ID: id, State: e.state, Reason: "below the minimum decryption version"}
		}
		if id != k.primary {
			k.keys[k.primary].state = KeyDecryptOnly
			k.primary = id
		}
	case KeyDecryptOnly, KeyDisabled:
		if id == k.primary {
			return &KeyError{ID: id, State: e.state, Reason: "the primary key cannot be demoted; rotate first"}
		}
	case KeyDestroyed:
		if id == k.primary {
			return &KeyError{ID: id, State: e.state, Reason: "the primary key cannot be destroyed; rotate first"}
		}
		if id == k.indexKey {
			return &KeyError{ID: id, State: e.state, Reason: "the blind-index key cannot be destroyed; SetIndexKey first"}
		}
		clear(e.secret)
		clear(e.prk)
		for _, r := range e.subkeys {
			r.key.Store(nil)
		}
		e.secret, e.prk, e.subkeys = nil, nil, nil
	default:
		return fmt.Errorf("%w: invalid key state %d", ErrKeyring, s)
	}
	e.state = s
	return nil
}

// String describes the keyring without key material.
func (k *Keyring) String() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return fmt.Sprintf("pii.Keyring{primary: %d, keys: %d, min decrypt: %d}", k.primary, len(k.keys), k.minDecrypt)
}

// LogValue implements slog.LogValuer without key material.
func (k *Keyring) LogValue() slog.Value {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return slog.GroupValue(
		slog.Uint64("primary", uint64(k.primary)),
		slog.Int("keys", len(k.keys)),
		slog.Uint64("min_decrypt", uint64(k.minDecrypt)),
	)
}

// MarshalJSON always fails, with an [ErrKeyring], so that a keyring
// embedded in a configuration or log record is never serialised by
// accident. Use [Keyring.Export].
func (k *Keyring) MarshalJSON() ([]byte, error) {
	return nil, fmt.Errorf("%w: a Keyring is secret and is not marshalled implicitly; use Export", ErrKeyring)
}

// keyringJSON is the serialised keyring:
//
//	{"format": "1cb-kz/pii-keyring/v1", "min_decrypt_version": 1, "index_key": 1,
//	 "keys": [{"id": 1, "state": "decrypt-only", "key": "<base64, 32 bytes>"},
//	          {"id": 2, "state": "primary", "key": "<base64>"},
//	          {"id": 3, "state": "destroyed"}]}
type keyringJSON struct {
	Format            string        `json:"format"`
	MinDecryptVersion uint32        `json:"min_decrypt_version,omitempty"`
	IndexKey          uint32        `json:"index_key,omitempty"`
	Keys              []keyJSONItem `json:"keys"`
}

type keyJSONItem struct {
	ID    uint32       `json:"id"`
	State jsonKeyState `json:"state"`
	Key   []byte       `json:"key,omitempty"` // standard base64 in JSON
}

const keyringFormat = "1cb-kz/pii-keyring/v1"

// maxKeyringSize bounds the input of [ParseKeyring].
const maxKeyringSize = 1 << 20

// Export returns the keyring's JSON form, key material included in base64.
// THE RESULT IS SECRET: store it as you store a database password (a secret
// manager, an environment variable injected at start, a 0600 file), never in
// the database it protects nor in its backups.
func (k *Keyring) Export() ([]byte, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := keyringJSON{Format: keyringFormat, MinDecryptVersion: k.minDecrypt, IndexKey: k.indexKey}
	for _, e := range k.keys {
		out.Keys = append(out.Keys, keyJSONItem{ID: e.id, State: jsonKeyState(e.state), Key: e.secret})
	}
	slices.SortFunc(out.Keys, func(a, b keyJSONItem) int { return cmp.Compare(a.ID, b.ID) })
	return json.MarshalIndent(out, "", "  ")
}

// ParseKeyring parses the JSON form written by [Keyring.Export]. It is
// strict: data after the JSON value, unknown, wrong-case or repeated field
// names, a missing or repeated id, a key that is not 32 bytes, material on a
// destroyed key, no primary or two primaries are errors (wrapping
// [ErrKeyring]; no error quotes key material), so that no two readers of one
// file can see different keyrings.
func ParseKeyring(data []byte) (*Keyring, error) {
	if len(data) > maxKeyringSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrKeyring, maxKeyringSize)
	}
	in, err := decodeKeyringJSON(data)
	if err != nil {
		in.clear() // a decode that failed half-way may hold keys
		return nil, err
	}
	return keyringFrom(&in)
}

// clear erases the key material of a keyring that was refused.
func (in *keyringJSON) clear() {
	for _, item := range in.Keys {
		clear(item.Key)
	}
}

// keyringFrom checks a decoded keyring and builds it. A keyring it refuses
// leaves no key material behind: it erases in's keys and what it derived
// from them.
func keyringFrom(in *keyringJSON) (_ *Keyring, err error) {
	k := &Keyring{keys: map[uint32]*keyEntry{}, minDecrypt: max(in.MinDecryptVersion, 1)}
	defer func() {
		if err != nil {
			in.clear()
			for _, e := range k.keys {
				clear(e.prk)
			}
		}
	}()
	if in.Format != keyringFormat {
		return nil, fmt.Errorf("%w: format must be %q", ErrKeyring, keyringFormat)
	}
	lowest := uint32(0)
	for _, item := range in.Keys {
		if item.ID == 0 {
			return nil, fmt.Errorf("%w: key id 0 is reserved", ErrKeyring)
		}
		if k.keys[item.ID] != nil {
			return nil, fmt.Errorf("%w: key id %d appears twice", ErrKeyring, item.ID)
		}
		state := KeyState(item.State)
		switch state {
		case KeyDestroyed:
			if item.Key != nil {
				return nil, fmt.Errorf("%w: destroyed key %d still has material", ErrKeyring, item.ID)
			}
		case KeyPrimary, KeyDecryptOnly, KeyDisabled:
			if len(item.Key) != keySize {
				return nil, fmt.Errorf("%w: key %d must be %d bytes", ErrKeyring, item.ID, keySize)
			}
			if lowest == 0 || item.ID < lowest {
				lowest = item.ID
			}
		default:
			return nil, fmt.Errorf("%w: key %d has no state", ErrKeyring, item.ID)
		}
		if state == KeyPrimary {
			if k.primary != 0 {
				return nil, fmt.Errorf("%w: more than one primary key", ErrKeyring)
			}
			k.primary = item.ID
		}
		if err := k.add(item.ID, state, item.Key); err != nil {
			return nil, err
		}
	}
	if k.primary == 0 {
		return nil, fmt.Errorf("%w: no primary key", ErrKeyring)
	}
	if k.minDecrypt > k.primary {
		return nil, fmt.Errorf("%w: minimum decryption version is above the primary key", ErrKeyring)
	}
	k.indexKey = in.IndexKey
	if k.indexKey == 0 {
		k.indexKey = lowest
	}
	if e := k.keys[k.indexKey]; e == nil || e.state == KeyDestroyed {
		return nil, fmt.Errorf("%w: index key %d does not exist or is destroyed", ErrKeyring, k.indexKey)
	}
	return k, nil
}

// keyringNames are the field names of the keyring's JSON form, at any
// level. encoding/json alone would match them in any case and let a
// repeated name replace the first, so that two tools could read one file as
// two different keyrings; checkKeyringTokens allows each once and exactly
// as written.
var keyringNames = map[string]bool{
	"format": true, "min_decrypt_version": true, "index_key": true, "keys": true,
	"id": true, "state": true, "key": true,
}

// maxKeyringDepth is the nesting of the keyring's JSON form: the object, its
// keys array and each key's object.
const maxKeyringDepth = 3

// decodeKeyringJSON decodes data strictly: one JSON value and nothing after
// it, no unknown, wrong-case or repeated field names. Its errors never quote
// the input, which holds key material.
func decodeKeyringJSON(data []byte) (keyringJSON, error) {
	var in keyringJSON
	if err := checkKeyringTokens(data); err != nil {
		return in, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, fmt.Errorf("%w: malformed JSON", ErrKeyring)
	}
	return in, nil
}

// checkKeyringTokens reads data token by token and refuses anything but a
// single value (trailing bytes other than white space included), nesting
// deeper than the format's, and field names that are unknown, in the wrong
// case or repeated within one object.
func checkKeyringTokens(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*jsonFrame
	for {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: malformed JSON", ErrKeyring)
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.wantName && tok != json.Delim('}') {
			if err := top.name(tok); err != nil {
				return err
			}
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) == maxKeyringDepth {
				return fmt.Errorf("%w: JSON nested too deeply", ErrKeyring)
			}
			f := &jsonFrame{}
			if tok == json.Delim('{') {
				f.names, f.wantName = map[string]bool{}, true
			}
			stack = append(stack, f)
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value is complete: the enclosing object expects a name next.
		if len(stack) == 0 {
			break
		}
		if f := stack[len(stack)-1]; f.names != nil {
			f.wantName = true
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: trailing data after the keyring", ErrKeyring)
	}
	return nil
}

// jsonFrame is an open object or array met by checkKeyringTokens.
type jsonFrame struct {
	names    map[string]bool // names seen in an object; nil for an array
	wantName bool            // the next token of the object is a name or '}'
}

// name checks the field name tok against the format's names and those
// already seen in the object. The name is quoted only once known: an
// unknown one may be key material pasted in the wrong place.
func (f *jsonFrame) name(tok json.Token) error {
	name, _ := tok.(string)
	switch {
	case !keyringNames[name]:
		return fmt.Errorf("%w: unknown field name (names are case-sensitive)", ErrKeyring)
	case f.names[name]:
		return fmt.Errorf("%w: field %q appears twice in one object", ErrKeyring, name)
	}
	f.names[name] = true
	f.wantName = false
	return nil
}

// checkKeyringFileMode refuses a file that group or others may read or
// write: whoever reads it holds every key, and whoever writes it chooses
// them. Windows reports no such permissions, so it is not checked there.
func checkKeyringFileMode(fi os.FileInfo, path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%w: %s has mode %04o; group and others must have no access (chmod 0600 or 0400)", ErrKeyring, path, uint32(perm))
	}
	return nil
}

// LoadKeyringFile reads and parses a keyring file written from
// [Keyring.Export]. Every error matches [ErrKeyring] (a missing file
// [io/fs.ErrNotExist] too). It refuses, with an error that names the file and
// its mode, a file that group or others may read or write, other than on
// Windows: keep it readable by the service account alone (mode 0600 or
// 0400; in Kubernetes, defaultMode 0400 on the secret volume). The mode is
// checked on the opened file, after symbolic links are followed.
func LoadKeyringFile(path string) (*Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: opening keyring file: %w", ErrKeyring, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%w: reading keyring file: %w", ErrKeyring, err)
	}
	if err := checkKeyringFileMode(fi, path); err != nil {
		return nil, err
	}
	data, err := readSecret(f, maxKeyringSize, fi.Size())
	defer clear(data)
	if err != nil {
		return nil, fmt.Errorf("%w: reading keyring file: %w", ErrKeyring, err)
	}
	return ParseKeyring(data)
}

// readSecret reads r to its end, or to one byte past limit, into a buffer
// sized by hint (the file's size). Unlike io.ReadAll, it clears every
// buffer it outgrows, which would otherwise keep copies of the keys.
func readSecret(r io.Reader, limit int, hint int64) ([]byte, error) {
	buf := make([]byte, 0, int(min(max(hint, 512), int64(limit)))+1)
	for {
		if len(buf) == cap(buf) {
			if len(buf) > limit {
				return buf, nil
			}
			bigger := make([]byte, len(buf), min(2*cap(buf), limit+1))
			copy(bigger, buf)
			clear(buf)
			buf = bigger
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		}
	}
}

// KeyringFromEnv parses the keyring held, in its [Keyring.Export] JSON form,
// by the environment variable name.
func KeyringFromEnv(name string) (*Keyring, error) {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return nil, fmt.Errorf("%w: environment variable %s is not set", ErrKeyring, name)
	}
	data := []byte(v)
	defer clear(data) // the string itself cannot be cleared
	return ParseKeyring(data)
}

// usable returns key id's entry if its state allows the operation. The
// minimum decryption version applies to tokens, not to the blind-index key
// (index set): [Keyring.Rotate] never moves the index key, so completing a
// rotation with [Keyring.SetMinDecryptVersion] must not break lookups. The
// caller holds k.mu.
func (k *Keyring) usable(id uint32, encrypt, index bool) (*keyEntry, error) {
	e := k.keys[id]
	if e == nil {
		return nil, &KeyError{ID: id, Reason: "not in the keyring"}
	}
	switch {
	case e.state == KeyDestroyed || e.state == KeyDisabled:
		return nil, &KeyError{ID: id, State: e.state, Reason: "refused in this state"}
	case encrypt && e.state != KeyPrimary:
		return nil, &KeyError{ID: id, State: e.state, Reason: "not the primary key"}
	case !index && id < k.minDecrypt:
		return nil, &KeyError{ID: id, State: e.state, Reason: "below the minimum decryption version"}
	}
	return e, nil
}

// subkey returns the subkey derived for purpose under key want, creating
// it with derive(HKDF-Expand(prk, purpose)) on first use, and its ref for
// callers that cache it. With want 0 it uses the primary key, or with
// index set the index key, resolved under the lock, and returns the id it
// used.
func (k *Keyring) subkey(want uint32, encrypt, index bool, purpose []byte, derive func([]byte) (*derivedKey, error)) (uint32, *derivedKey, *subkeyRef, error) {
	if k == nil { // a zero Encryptor, not made by NewEncryptor
		return 0, nil, nil, errNoKeyring
	}
	resolve := func() uint32 {
		switch {
		case want != 0:
			return want
		case index:
			return k.indexKey
		}
		return k.primary
	}
	k.mu.RLock()
	id := resolve()
	e, err := k.usable(id, encrypt, index)
	if err != nil {
		k.mu.RUnlock()
		return id, nil, nil, err
	}
	if r, ok := e.subkeys[string(purpose)]; ok {
		k.mu.RUnlock()
		return id, r.key.Load(), r, nil // not destroyed: usable() said so
	}
	k.mu.RUnlock()

	k.mu.Lock()
	defer k.mu.Unlock()
	id = resolve() // the keyring may have rotated in between
	if e, err = k.usable(id, encrypt, index); err != nil {
		return id, nil, nil, err
	}
	if r, ok := e.subkeys[string(purpose)]; ok {
		return id, r.key.Load(), r, nil
	}
	key, err := hkdf.Expand(sha256.New, e.prk, string(purpose), keySize)
	if err != nil {
		return id, nil, nil, fmt.Errorf("%w: %v", ErrKeyring, err)
	}
	d, err := derive(key)
	clear(key)
	if err != nil {
		return id, nil, nil, err
	}
	if e.subkeys == nil {
		e.subkeys = map[string]*subkeyRef{}
	}
	r := &subkeyRef{pinned: len(e.subkeys) < maxCachedSubkeys}
	r.key.Store(d)
	if r.pinned {
		e.subkeys[string(purpose)] = r
	}
	return id, d, r, nil
}
