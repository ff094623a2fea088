package pii

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"math"
	"math/bits"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/pii/internal/swar"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// IndexConfig configures one blind index (see [Options.Indexes]).
type IndexConfig struct {
	// Category selects the normalisation applied before hashing, so that
	// equal values in different spellings match:
	//
	//	email            trimmed, Unicode NFC, lower-cased
	//	phone            digits; a Kazakh number (+7 / 8 / 7, 10 or 11 digits) to E.164 "+7XXXXXXXXXX"
	//	iin, payment     digits only (IIN, PAN)
	//	iban             letters upper-cased, spaces removed
	//	other categories trimmed, NFC, lower-cased, inner runs of space collapsed
	//	""               the exact bytes
	Category Category
	// Bits is the index width, 8 to 256 (32 when 0). Fewer
	// bits mean more rows share a value: more false positives to filter
	// after decryption, less for an attacker to learn. Size it with
	// [RecommendIndexBits].
	Bits int
	// Slow hashes with argon2id before the HMAC, for low-entropy values (an
	// IIN has about 2^30 plausible values, a birth date far fewer): an
	// attacker who also holds the index key pays Argon2 per guess. Costs
	// about Argon2Memory of RAM and milliseconds per value.
	Slow bool
	// The argon2id costs (RFC 9106) when Slow is set; each zero field takes
	// OWASP's minimum: 2 passes, 19 MiB, 1 thread. Setting them without
	// Slow is an error.
	Argon2Time    uint32 // passes
	Argon2Memory  uint32 // KiB
	Argon2Threads uint8
}

// OWASP's minimum argon2id configuration (19 MiB, 2 passes, 1 thread),
// for the zero fields of a Slow [IndexConfig].
const (
	defaultArgon2Time    = 2
	defaultArgon2Memory  = 19 * 1024
	defaultArgon2Threads = 1
)

// defaultIndexBits is the width of a blind index configured without Bits.
// At 2^32 a table of a million rows has about 1/4000 false positives per
// lookup; use [RecommendIndexBits] to trade this against leakage.
const defaultIndexBits = 32

// checkIndexConfig validates the configuration of blind index name and
// fills its defaults. Its errors wrap [ErrInvalid].
func checkIndexConfig(name string, cfg IndexConfig) (IndexConfig, error) {
	if name == "" {
		return cfg, errEmptyIndexName
	}
	if cfg.Bits == 0 {
		cfg.Bits = defaultIndexBits
	}
	switch {
	case cfg.Bits < 8 || cfg.Bits > 256:
		return cfg, invalidf("pii: blind index %q: bits must be 8 to 256", name)
	case cfg.Category != "" && !cfg.Category.valid():
		return cfg, invalidf("pii: blind index %q: unknown category", name)
	case !cfg.Slow && (cfg.Argon2Time != 0 || cfg.Argon2Memory != 0 || cfg.Argon2Threads != 0):
		return cfg, invalidf("pii: blind index %q: argon2 costs without Slow", name)
	case !cfg.Slow:
		return cfg, nil
	}
	cfg.Argon2Time = cmp.Or(cfg.Argon2Time, defaultArgon2Time)
	cfg.Argon2Memory = cmp.Or(cfg.Argon2Memory, defaultArgon2Memory)
	cfg.Argon2Threads = cmp.Or(cfg.Argon2Threads, defaultArgon2Threads)
	if cfg.Argon2Memory < 8*uint32(cfg.Argon2Threads) {
		return cfg, invalidf("pii: blind index %q: argon2 needs at least 8 KiB of memory per thread", name)
	}
	return cfg, nil
}

const errEmptyIndexName = invalidError("pii: empty blind index name")

// RecommendIndexBits returns the range of safe blind-index widths for a
// table expected to hold rows rows, after CipherSweet's planning rule: at
// most floor(log2(rows)) bits, so that on average every index value is
// shared by at least one other row of a full table and a value alone does
// not single a row out; at least ceil(log2(rows)/2) bits, so that a lookup
// returns no more than about √rows candidates to decrypt and filter. For
// 50 000 rows it returns 8 and 15. When several blind indexes cover one
// column, their widths add up against the same maximum. For fewer than 4
// rows there is no safe width and it returns 0, 0.
func RecommendIndexBits(rows uint64) (minBits, maxBits int) {
	if rows < 4 {
		return 0, 0
	}
	l := math.Log2(float64(rows))
	maxBits = bits.Len64(rows) - 1 // floor(log2(rows)), exact for integers
	minBits = int(math.Ceil(l / 2))
	return min(minBits, maxBits), min(maxBits, 256)
}

// indexKey is the cached per-index subkey: a pool of keyed HMACs and, for
// argon2id indexes, the key itself as the Argon2 salt.
type indexKey struct {
	key  []byte
	macs sync.Pool // *indexMAC
}

// indexMAC is a pre-keyed HMAC-SHA256 with its buffers. hmac.Hash.Reset
// restores the keyed state from a saved copy without rehashing the key, and
// pooling avoids the allocations of hmac.New or of Clone (hash.Cloner) per
// call.
type indexMAC struct {
	h   hash.Hash
	msg []byte // the normalised value; cleared before reuse
	sum []byte
}

func newIndexKey(key []byte) (*derivedKey, error) {
	ik := &indexKey{key: append([]byte(nil), key...)}
	ik.macs.New = func() any { return &indexMAC{h: hmac.New(sha256.New, ik.key)} }
	return &derivedKey{index: ik}, nil
}

// BlindIndex returns the blind index of value for the named index: the hex
// form of HMAC-SHA256 under the index's own subkey (derived from the
// keyring's index key, see [Keyring.SetIndexKey]) of the normalised value,
// truncated to the index's bits (unused low bits of the last byte zero).
// Equal values after normalisation give equal indexes, so a host can look
// rows up by equality (WHERE email_idx = $1) without decrypting, then must
// decrypt the candidates and compare, since truncation makes false
// positives.
//
// An index not configured in [Options.Indexes] normalises by the category
// that its name spells: the name itself, or its last element after a '.',
// minus an "Index", "_index" or "Idx" suffix ("email", "users.email",
// "EmailIndex", "phone_idx"); otherwise the exact bytes are hashed.
func (e *Encryptor) BlindIndex(index, value string) (string, error) {
	var buf [2 * sha256.Size]byte
	idx, err := e.appendBlindIndexNamed(buf[:0], index, value)
	if err != nil {
		return "", err
	}
	return string(idx), nil
}

// appendBlindIndexNamed is [Encryptor.BlindIndex] appending the index to dst,
// so that a caller computing many (a batch of lookups, a re-index) can reuse
// one buffer and allocate nothing per value.
func (e *Encryptor) appendBlindIndexNamed(dst []byte, index, value string) ([]byte, error) {
	if index == "" {
		return dst, errEmptyIndexName
	}
	return e.appendBlindIndex(dst, e.indexState(index), value)
}

// indexState is what [Encryptor.BlindIndex] resolves for one index name: its
// configuration and its subkey cache.
type indexState struct {
	cfg IndexConfig
	subkeyCache
}

// indexState returns the state of index, cached per [Encryptor].
func (e *Encryptor) indexState(index string) *indexState {
	if st, ok := e.indexStates.getString(index); ok {
		return st
	}
	return e.indexStates.add(index, func() *indexState {
		cfg, ok := e.indexes[index]
		if !ok {
			cfg = IndexConfig{Category: categoryOfIndex(index), Bits: defaultIndexBits}
		}
		return &indexState{cfg: cfg, subkeyCache: subkeyCache{purpose: []byte(indexPurpose + index)}}
	})
}

const indexPurpose = "pii1 blind index\x00"

// key returns the index key of st.
func (st *indexState) key(kr *Keyring) (*indexKey, error) {
	_, d, err := st.current(kr, true, newIndexKey)
	if err != nil {
		return nil, err
	}
	return d.index, nil
}

// appendBlindIndex appends the blind index of value under st to dst.
func (e *Encryptor) appendBlindIndex(dst []byte, st *indexState, value string) ([]byte, error) {
	ik, err := st.key(e.kr)
	if err != nil {
		return dst, err
	}
	cfg := &st.cfg
	m := ik.macs.Get().(*indexMAC)
	defer func() {
		// The normalised value is personal data, and the hash's block buffer
		// holds its tail until Reset restores the keyed state.
		clear(m.msg)
		m.h.Reset()
		if cap(m.msg) <= maxPooledBuffer {
			ik.macs.Put(m)
		}
	}()
	m.msg = normalize(m.msg[:0], cfg.Category, value)
	msg := m.msg
	if cfg.Slow {
		msg = argon2.IDKey(m.msg, ik.key, cfg.Argon2Time, cfg.Argon2Memory, cfg.Argon2Threads, sha256.Size)
		defer clear(msg)
	}
	m.h.Write(msg) // reset when pooled
	m.sum = m.h.Sum(m.sum[:0])
	sum := m.sum
	n := (cfg.Bits + 7) / 8
	sum = sum[:n]
	if r := cfg.Bits % 8; r != 0 {
		sum[n-1] &= byte(0xff << (8 - r))
	}
	return hex.AppendEncode(dst, sum), nil
}

// categoryOfIndex infers a category from an index name, or "".
func categoryOfIndex(name string) Category {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	var buf [24]byte
	if len(name) > len(buf) {
		return ""
	}
	b := buf[:len(name)]
	for i := range len(name) {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	for _, suffix := range []string{"_index", "index", "_idx", "idx"} {
		if len(b) > len(suffix) && string(b[len(b)-len(suffix):]) == suffix {
			b = b[:len(b)-len(suffix)]
			break
		}
	}
	if c := Category(b); c.valid() {
		return c
	}
	return ""
}

// normalize appends the normalised form of v for category c.
func normalize(dst []byte, c Category, v string) []byte {
	switch c {
	case "":
		return append(dst, v...)
	case CategoryIIN, CategoryPayment:
		return appendDigits(dst, v)
	case CategoryPhone:
		return appendPhone(dst, v)
	case CategoryIBAN:
		for _, r := range v {
			if r != ' ' && r != '\t' && r != '-' {
				dst = utf8.AppendRune(dst, toUpperASCII(r))
			}
		}
		return dst
	case CategoryEmail:
		return appendFolded(dst, strings.TrimSpace(v))
	default:
		return appendFolded(dst, strings.Join(strings.Fields(v), " "))
	}
}

func toUpperASCII(r rune) rune {
	if 'a' <= r && r <= 'z' {
		return r - 'a' + 'A'
	}
	return r
}

// appendFolded appends the NFC, lower-cased form of v. Input that is
// already ASCII without capitals, the common case, is its own folded form
// (ASCII is NFC): one read-only pass checks it and it is copied in one
// move. Other ASCII input is lower-cased in place after the copy; anything
// else goes through NFC and strings.ToLower.
func appendFolded(dst []byte, v string) []byte {
	if isFoldedASCII(v) {
		return append(dst, v...)
	}
	start := len(dst)
	dst = append(dst, v...)
	b := dst[start:]
	for i, c := range b {
		if c >= utf8.RuneSelf {
			clear(b) // the copy is personal data; the result may be shorter
			return append(dst[:start], strings.ToLower(norm.NFC.String(v))...)
		}
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// isFoldedASCII reports whether v is ASCII without capital letters. It
// tests eight bytes at a time (SWAR): this check runs on every blind index,
// and a byte loop cost as much as the rest of the normalisation.
func isFoldedASCII(v string) bool {
	const high = 0x8080808080808080
	i := 0
	for ; i+8 <= len(v); i += 8 {
		w := load64(v[i : i+8])
		if w&high != 0 || swar.HasBetween(w, 'A'-1, 'Z'+1) {
			return false
		}
	}
	for ; i < len(v); i++ {
		if c := v[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// load64 reads eight bytes little-endian; the compiler turns it into a
// single load.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func appendDigits(dst []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		if '0' <= v[i] && v[i] <= '9' {
			dst = append(dst, v[i])
		}
	}
	return dst
}

// appendPhone appends a phone number as "+" and its digits, in E.164 form
// "+7XXXXXXXXXX" for Kazakh (and Russian: the same +7 plan) numbers written
// without "+" as 8XXXXXXXXXX, 7XXXXXXXXXX or XXXXXXXXXX.
func appendPhone(dst []byte, v string) []byte {
	plus := strings.HasPrefix(strings.TrimSpace(v), "+")
	start := len(dst) + 1
	dst = appendDigits(append(dst, '+'), v)
	d := dst[start:]
	switch {
	case plus:
	case len(d) == 11 && d[0] == '8':
		d[0] = '7'
	case len(d) == 10:
		dst = appendDigits(append(dst[:start], '7'), v)
	}
	return dst
}
