package audit

import (
	"fmt"
	"math/bits"

	"golang.org/x/mod/sumdb/tlog"
)

// frontier is the right edge of an RFC 6962 Merkle tree: the hashes of the
// maximal complete subtrees that make up a tree of n leaves, largest
// (leftmost) first. Its length is the number of one bits of n, so at most 63
// hashes describe any tree. With it a writer computes the stored hashes of
// new records and the tree hash without reading anything back, and a
// verifier recomputes a whole log in a single pass with constant memory.
type frontier struct {
	n     int64
	nodes []frontierNode
}

type frontierNode struct {
	level int
	hash  tlog.Hash
}

// frontierIndexes returns the stored-hash indexes (in the numbering of
// [tlog.StoredHashIndex]) of the frontier of a tree of n leaves.
func frontierIndexes(n int64) []int64 {
	var idx []int64
	var start int64
	for level := 62; level >= 0; level-- {
		if n&(1<<level) != 0 {
			idx = append(idx, tlog.StoredHashIndex(level, start>>level))
			start += 1 << level
		}
	}
	return idx
}

// loadFrontier reads the frontier of a tree of n leaves from r.
func loadFrontier(n int64, r tlog.HashReader) (*frontier, error) {
	idx := frontierIndexes(n)
	hashes, err := r.ReadHashes(idx)
	if err != nil {
		return nil, err
	}
	if len(hashes) != len(idx) {
		return nil, fmt.Errorf("audit: read %d hashes, want %d", len(hashes), len(idx))
	}
	f := &frontier{n: n}
	for level := 62; level >= 0; level-- {
		if n&(1<<level) != 0 {
			f.nodes = append(f.nodes, frontierNode{level: level, hash: hashes[len(f.nodes)]})
		}
	}
	return f, nil
}

// clone returns an independent copy of f.
func (f *frontier) clone() *frontier {
	return &frontier{n: f.n, nodes: append([]frontierNode(nil), f.nodes...)}
}

// add appends a leaf with record hash h and returns the hashes to store for
// it, exactly as [tlog.StoredHashesForRecordHash] would: the record hash,
// then one hash for each subtree the record completes.
func (f *frontier) add(h tlog.Hash) []tlog.Hash {
	stored := make([]tlog.Hash, 1, 1+bits.TrailingZeros64(uint64(f.n+1)))
	stored[0] = h
	level := 0
	for len(f.nodes) > 0 && f.nodes[len(f.nodes)-1].level == level {
		h = tlog.NodeHash(f.nodes[len(f.nodes)-1].hash, h)
		f.nodes = f.nodes[:len(f.nodes)-1]
		level++
		stored = append(stored, h)
	}
	f.nodes = append(f.nodes, frontierNode{level: level, hash: h})
	f.n++
	return stored
}

// root returns the RFC 6962 Merkle tree hash of the f.n leaves.
func (f *frontier) root() tlog.Hash {
	if len(f.nodes) == 0 {
		return emptyTreeHash
	}
	h := f.nodes[len(f.nodes)-1].hash
	for i := len(f.nodes) - 2; i >= 0; i-- {
		h = tlog.NodeHash(f.nodes[i].hash, h)
	}
	return h
}

// recordOfStoredHash returns the record whose addition to the tree
// produces stored hash x (in the numbering of [tlog.StoredHashIndex]).
func recordOfStoredHash(x int64) int64 {
	level, n := tlog.SplitStoredHashIndex(x)
	return (n+1)<<level - 1
}

// recordsCovered returns the largest n with tlog.StoredHashCount(n) <= count:
// how many records a prefix of count stored hashes fully describes.
func recordsCovered(count int64) int64 {
	lo, hi := int64(0), count // StoredHashCount(n) >= n
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if tlog.StoredHashCount(mid) <= count {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}
