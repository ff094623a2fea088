package consent

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The cache accepts a record only when every MAC input and the tag equal
// what was verified: any change, including one that keeps the tag, falls
// back to the MAC and fails.
func TestVerifiedCacheExactMatch(t *testing.T) {
	keys := testKeys(t)
	h := benchHistory(keys, "u1")
	seen := newVerifiedCache()
	require.NoError(t, verifyRecords(keys, seen, "u1", h, true, 0))
	require.Len(t, seen.get("u1"), len(h))
	require.NoError(t, verifyRecords(keys, seen, "u1", h, true, 0), "unchanged records, from the cache")

	for name, change := range map[string]func(r []Record){
		"evidence":           func(r []Record) { r[4].Evidence = "forged" },
		"kind":               func(r []Record) { r[7].Kind = KindGranted },
		"subject":            func(r []Record) { r[3].Subject = "u2" },
		"time by 1µs":        func(r []Record) { r[9].At = r[9].At.Add(1000) },
		"expiry added":       func(r []Record) { r[2].ExpiresAt = r[2].At.Add(1e9) },
		"key id":             func(r []Record) { r[5].KeyID = "k2" },
		"tag":                func(r []Record) { r[6].Hash[0] ^= 1 },
		"two rows swapped":   func(r []Record) { r[7], r[8] = r[8], r[7]; r[7].Seq, r[8].Seq = 8, 9 },
		"a row removed":      func(r []Record) { copy(r[5:], r[6:]); r[9] = Record{} },
		"tag of another row": func(r []Record) { r[8].Hash = r[7].Hash },
	} {
		t.Run(name, func(t *testing.T) {
			bad := append([]Record(nil), h...)
			change(bad)
			if bad[9] == (Record{}) {
				bad = bad[:9]
			}
			err := verifyRecords(keys, seen, "u1", bad, true, 0)
			assert.ErrorIs(t, err, ErrTampered)
			assert.ErrorIs(t, verifyRecords(keys, nil, "u1", bad, true, 0), ErrTampered, "and without the cache")
		})
	}
	require.NoError(t, verifyRecords(keys, seen, "u1", h, true, 0))
}

// The cache stays within its bounds, keeps the newest records of a long
// history, and is safe for concurrent use.
func TestVerifiedCacheBounds(t *testing.T) {
	keys := testKeys(t)
	seen := newVerifiedCache()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range verifiedCap / eventsPerSubject {
				subject := fmt.Sprintf("w%d-%d", w, i)
				h := benchHistory(keys, subject)
				assert.NoError(t, verifyRecords(keys, seen, subject, h, true, 0))
				assert.NoError(t, verifyRecords(keys, seen, subject, h, true, 0))
			}
		})
	}
	wg.Wait()
	total := 0
	for _, m := range []map[string]verifiedMACs{seen.cur, seen.prev} {
		for _, v := range m {
			total += len(v)
		}
	}
	assert.LessOrEqual(t, seen.n, verifiedCap/2)
	assert.LessOrEqual(t, total, verifiedCap)

	long := make([]Record, 3*verifiedPerSubject)
	for k := range long {
		long[k] = benchEvent("long", k+1)
		long[k].Seq, long[k].ID = int64(k+1), fmt.Sprintf("cr_long_%d", k)
	}
	long = seal(keys, nil, long)
	require.NoError(t, verifyRecords(keys, seen, "long", long, true, 0))
	v := seen.get("long")
	require.Len(t, v, verifiedPerSubject)
	assert.Equal(t, long[len(long)-1], v[len(v)-1].r, "the newest records are kept")
	for i := 1; i < len(v); i++ {
		assert.Less(t, v[i-1].r.Seq, v[i].r.Seq, "in Seq order")
	}
}

// A Ledger remembers the MACs of the records it writes, and what it
// remembers is dropped by nothing but the bound: a restarted process
// (a new Ledger) starts empty and recomputes.
func TestLedgerRemembersWhatItWrites(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	g := f.grant(t, "u1", "marketing", "ads")
	v := f.l.verified.get("u1")
	require.Len(t, v, 1)
	assert.Equal(t, g, v[0].r)
	assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed)

	restarted := newTestLedger(t, f.store, Options{Clock: f.clock.Now})
	assert.Empty(t, restarted.verified.get("u1"))
	assert.True(t, mustCheck(t, restarted, "u1", "marketing", "ads").Allowed)
	assert.Len(t, restarted.verified.get("u1"), 1, "verified by its MAC, then remembered")
}

// The fast path, pinned without timing: once a history is remembered, a
// Check of it computes no MAC. The test empties the Ledger's keyring
// (which no caller can do), so any MAC computed would fail with "unknown
// key id": the remembered history still verifies, and a changed record
// still fails, since it falls back to the MAC.
func TestWarmCheckComputesNoMAC(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	f.grant(t, "u1", "marketing", "ads")
	f.grant(t, "u1", "delivery", "ads")
	_, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "delivery", Recipient: "ads"})
	require.NoError(t, err)
	h := f.history(t, "u1")

	f.l.keys = &Keyring{signer: "k1", keys: map[string]*macKey{}}
	assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed, "verified by comparison alone")

	h[1].Evidence = "forged"
	setHistory(t, f.store, "u1", h)
	_, err = f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	var te *TamperError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, te.Problem, "unknown key id", "the changed record went to the MAC")
}
