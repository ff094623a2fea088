package consent

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyringRefusesBadKeys(t *testing.T) {
	for name, c := range map[string]struct {
		id     string
		secret []byte
	}{
		"empty id":      {"", testSecret},
		"id with space": {"k 1", testSecret},
		"long id":       {string(bytes.Repeat([]byte("k"), 65)), testSecret},
		"short secret":  {"k1", testSecret[:31]},
		"long secret":   {"k1", append(bytes.Clone(testSecret), 0)},
		"no secret":     {"k1", nil},
	} {
		_, err := NewKeyring(c.id, c.secret)
		assert.ErrorIs(t, err, ErrInvalidInput, name)
	}
	k := testKeys(t)
	assert.ErrorIs(t, k.Add("k1", oldTestSecret), ErrInvalidInput, "an id is added once")
}

// A keyring never shows a secret, whatever prints or encodes it.
func TestKeyringNeverPrintsSecrets(t *testing.T) {
	k := testKeys(t)
	require.NoError(t, k.Add("old", oldTestSecret))
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "keys", k)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "keys", k)
	js, err := json.Marshal(struct{ K *Keyring }{k})
	require.NoError(t, err)
	outs := []string{logged.String(), string(js)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, k), fmt.Sprintf(verb, *k), fmt.Sprintf(verb, []*Keyring{k}))
	}
	for _, out := range outs {
		assert.NotContains(t, out, "ZZZZ", out) // 0x5a is 'Z'
		assert.NotContains(t, out, "5a5a5a5a")
		assert.NotContains(t, out, "a5a5a5a5")
		assert.NotContains(t, out, "90 90 90") // 0x5a in decimal
		assert.NotContains(t, out, "165 165")  // 0xa5 in decimal
	}
	assert.Equal(t, "consent.Keyring{signer: k1, keys: [k1 old]}", fmt.Sprint(k))
}

// recordMAC is HMAC-SHA256 as crypto/hmac computes it in one shot, over the
// documented encoding; the expected tag pins that encoding.
func TestRecordMACIsHMACSHA256(t *testing.T) {
	k := testKeys(t)
	r := Record{ID: "cr_1", Seq: 2, Kind: KindGranted, Subject: "u1", Purpose: "marketing", Recipient: "ads",
		NoticeVersion: "v1", Language: "ru", Method: MethodWebForm, Evidence: "form-1", KeyID: "k1",
		At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), ExpiresAt: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
	prev, dec := Digest{1}, Head{Seq: 1, Hash: Digest{2}}
	got, ok := recordMAC(k, prev, dec, r)
	require.True(t, ok)

	var msg bytes.Buffer
	msg.WriteString("1cb-kz/compliance/consent record v2\x00")
	field := func(s string) { msg.Write([]byte{0, 0, 0, byte(len(s))}); msg.WriteString(s) }
	u64 := func(v int64) {
		var b [8]byte
		for i := range 8 {
			b[7-i] = byte(v >> (8 * i))
		}
		msg.Write(b[:])
	}
	field("k1")
	msg.Write(prev[:])
	u64(1)
	msg.Write(dec.Hash[:])
	for _, s := range []string{"cr_1", "granted", "u1", "marketing", "ads", "v1", "ru", "web_form", "form-1", ""} {
		field(s)
	}
	u64(2)
	u64(r.At.UnixMicro())
	msg.WriteByte(1)
	u64(r.ExpiresAt.UnixMicro())
	msg.WriteByte(0) // no StatedAt
	m := hmac.New(sha256.New, testSecret)
	m.Write(msg.Bytes())
	assert.Equal(t, hex.EncodeToString(m.Sum(nil)), hex.EncodeToString(got[:]))

	// the zero StatedAt and the epoch differ
	r.StatedAt = time.Unix(0, 0)
	other, _ := recordMAC(k, prev, dec, r)
	assert.NotEqual(t, got, other)
}

// Cloning the keyed HMAC is safe from many goroutines (run with -race).
func TestKeyringConcurrentUse(t *testing.T) {
	k := testKeys(t)
	r := Record{ID: "cr_1", Seq: 1, Kind: KindGranted, Subject: "u1", KeyID: "k1", At: t0}
	want, _ := recordMAC(k, Digest{}, Head{}, r)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				got, _ := recordMAC(k, Digest{}, Head{}, r)
				if got != want {
					t.Error("mac differs between goroutines")
					return
				}
			}
		})
	}
	wg.Wait()
}

// NewLedger copies the keyring: adding a key later neither races with the
// ledger nor changes what it accepts.
func TestLedgerKeepsACopyOfTheKeyring(t *testing.T) {
	store := NewMemoryStore()
	other, err := NewKeyring("k2", oldTestSecret)
	require.NoError(t, err)
	f := newFixture(t, store)
	l2 := newTestLedger(t, store, Options{Keys: other, Clock: f.clock.Now})
	g, err := l2.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	require.Equal(t, "k2", g.KeyID)

	keys := testKeys(t)
	l := newTestLedger(t, store, Options{Keys: keys, Clock: f.clock.Now})
	require.NoError(t, keys.Add("k2", oldTestSecret)) // after NewLedger
	_, err = l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	assert.ErrorIs(t, err, ErrTampered, "the ledger's copy lacks k2")
}

// purposeMAC is HMAC-SHA256 over the documented encoding (DESIGN.md), and
// no two purposes that differ in a sealed field share a tag.
func TestPurposeMACIsHMACSHA256(t *testing.T) {
	k := testKeys(t)
	p := Purpose{ID: "marketing", Description: Texts{KK: "kk", RU: "ru", EN: "en"}, DataCategories: []string{"email", "bids"}}
	got, ok := purposeMAC(k, "k1", p)
	require.True(t, ok)
	var msg bytes.Buffer
	msg.WriteString("1cb-kz/compliance/consent purpose v2\x00")
	field := func(s string) { msg.Write([]byte{0, 0, 0, byte(len(s))}); msg.WriteString(s) }
	for _, s := range []string{"k1", "marketing", "kk", "ru", "en"} {
		field(s)
	}
	msg.Write([]byte{0, 0, 0, 2})
	field("email")
	field("bids")
	msg.WriteByte(0) // ConsentRequired false
	m := hmac.New(sha256.New, testSecret)
	m.Write(msg.Bytes())
	assert.Equal(t, hex.EncodeToString(m.Sum(nil)), hex.EncodeToString(got[:]))

	for name, change := range map[string]func(*Purpose){
		"consent required": func(p *Purpose) { p.ConsentRequired = true },
		"category moved":   func(p *Purpose) { p.DataCategories = []string{"emailbids"} },
		"category dropped": func(p *Purpose) { p.DataCategories = p.DataCategories[:1] },
		"text moved":       func(p *Purpose) { p.Description.KK, p.Description.RU = "kkru", "" },
		"id":               func(p *Purpose) { p.ID = "marketing2" },
	} {
		q := p
		q.DataCategories = slices.Clone(p.DataCategories)
		change(&q)
		other, _ := purposeMAC(k, "k1", q)
		assert.NotEqual(t, got, other, name)
	}
}
