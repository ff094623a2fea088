package consent

import (
	"slices"
	"sync"
)

// Bounds of the records a Ledger remembers as verified: 360 bytes each
// (the Record and its two links), so at most about 6 MiB, plus the
// strings the records share with their store.
const (
	verifiedCap        = 1 << 14 // records, over all subjects
	verifiedPerSubject = 64      // the newest records of one subject
)

// macInput is everything a version 2 MAC is computed from, and the tag
// itself (r.Hash): the record and the two links verifyRecord found for it.
type macInput struct {
	r    Record
	prev Digest
	dec  Head
}

// verifiedMACs are one subject's remembered inputs, in Seq order. A
// published slice is never modified.
type verifiedMACs []macInput

// search returns the index of the first input whose Seq is not below seq.
func (v verifiedMACs) search(seq int64) int {
	i, j := 0, len(v)
	for i < j {
		h := int(uint(i+j) >> 1)
		if v[h].r.Seq < seq {
			i = h + 1
		} else {
			j = h
		}
	}
	return i
}

// has reports whether (r, prev, dec) equal a remembered input, field for
// field.
func (v verifiedMACs) has(r *Record, prev Digest, dec Head) bool {
	i := v.search(r.Seq)
	return i < len(v) && v[i].r == *r && v[i].prev == prev && v[i].dec == dec
}

// verifiedCache remembers MACs a Ledger has computed and found equal to
// the stored tag, so that a record read again unchanged costs a
// comparison instead of an HMAC. It holds only facts about the keyring
// ("under these keys, these exact inputs have this tag"), never a verdict
// about a history: a record is accepted from it only when every input and
// the tag equal an entry, which is exactly when recomputing the MAC would
// succeed, so it accepts a subset of what the MAC accepts. Every other
// check (order, numbering, links, missing predecessors) runs on each
// read. The keyring of a Ledger never changes (NewLedger copies it, and
// an id cannot be given another secret), so entries never go stale.
//
// It is keyed by subject, so that a Check makes one lookup and then
// compares the subject's records side by side in memory. Two generations
// bound it: a lookup searches the current map, then the previous one
// (moving a hit forward); when the current map holds verifiedCap/2
// records it becomes the previous one. Safe for concurrent use.
type verifiedCache struct {
	mu        sync.Mutex
	cur, prev map[string]verifiedMACs
	n         int // records in cur
}

func newVerifiedCache() *verifiedCache {
	return &verifiedCache{cur: make(map[string]verifiedMACs)}
}

// get returns the subject's remembered inputs. A nil cache has none.
func (c *verifiedCache) get(subject string) verifiedMACs {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[subject]; ok {
		return v
	}
	v, ok := c.prev[subject]
	if ok {
		delete(c.prev, subject)
		c.storeLocked(subject, v)
	}
	return v
}

// add remembers fresh, inputs whose MACs were just computed and matched.
func (c *verifiedCache) add(subject string, fresh []macInput) {
	if c == nil || len(fresh) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.cur[subject]
	if !ok {
		old = c.prev[subject]
		delete(c.prev, subject)
	} else {
		c.n -= len(old)
	}
	v := make(verifiedMACs, 0, min(len(old)+len(fresh), verifiedPerSubject))
	v = append(v, old...)
	for _, in := range fresh {
		i := v.search(in.r.Seq)
		if i < len(v) && v[i].r.Seq == in.r.Seq {
			v[i] = in // the newest fact about that seq
		} else {
			v = slices.Insert(v, i, in)
		}
	}
	if len(v) > verifiedPerSubject {
		v = slices.Clone(v[len(v)-verifiedPerSubject:])
	}
	c.storeLocked(subject, v)
}

func (c *verifiedCache) storeLocked(subject string, v verifiedMACs) {
	if c.n+len(v) > verifiedCap/2 {
		c.prev, c.cur, c.n = c.cur, make(map[string]verifiedMACs), 0
	}
	c.cur[subject] = v
	c.n += len(v)
}
