package audit

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// memHashes is a tlog.HashReader over an in-memory slice of stored hashes.
type memHashes []tlog.Hash

func (m memHashes) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m[x]
	}
	return out, nil
}

// TestFrontierMatchesTlog checks that the frontier produces exactly the
// stored hashes and tree hashes of golang.org/x/mod/sumdb/tlog.
func TestFrontierMatchesTlog(t *testing.T) {
	var stored memHashes
	f := &frontier{}
	for n := range int64(300) {
		data := []byte{byte(n), byte(n >> 8), 'x'}
		want, err := tlog.StoredHashes(n, data, stored)
		require.NoError(t, err)
		got := f.add(tlog.RecordHash(data))
		require.Equal(t, want, got, "record %d", n)
		stored = append(stored, want...)
		require.Equal(t, tlog.StoredHashCount(n+1), int64(len(stored)))

		root, err := tlog.TreeHash(n+1, stored)
		require.NoError(t, err)
		require.Equal(t, root, f.root(), "tree %d", n+1)

		loaded, err := loadFrontier(n+1, stored)
		require.NoError(t, err)
		require.Equal(t, f.nodes, loaded.nodes)
		require.Equal(t, n+1, recordsCovered(int64(len(stored))))
		if n > 0 {
			require.Equal(t, n, recordsCovered(int64(len(stored))-1))
		}
	}
	assert.Equal(t, emptyTreeHash, (&frontier{}).root())
}

// rfc6962Leaves are the leaves of the transparency-dev/merkle test vectors
// (testdata/merkle), from the RFC 6962 reference tests.
var rfc6962Leaves = [][]byte{
	{}, {0x00}, {0x10}, {0x20, 0x21}, {0x30, 0x31}, {0x40, 0x41, 0x42, 0x43},
	{0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57},
	{0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f},
}

type b64 []byte

func (b *b64) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	v, err := base64.StdEncoding.DecodeString(s)
	*b = v
	return err
}

func toHash(b []byte) (tlog.Hash, bool) {
	var h tlog.Hash
	return h, copy(h[:], b) == len(b) && len(b) == tlog.HashSize
}

func toHashes(bs []b64) ([]tlog.Hash, bool) {
	out := make([]tlog.Hash, len(bs))
	for i, b := range bs {
		h, ok := toHash(b)
		if !ok {
			return nil, false
		}
		out[i] = h
	}
	return out, true
}

// vectorTree builds the tree of the RFC 6962 test leaves with the frontier
// and returns its stored hashes.
func vectorTree() memHashes {
	var stored memHashes
	f := &frontier{}
	for _, l := range rfc6962Leaves {
		stored = append(stored, f.add(tlog.RecordHash(l))...)
	}
	return stored
}

// forEachVector runs check, as a subtest, on each JSON vector file that
// glob matches, decoded into a V.
func forEachVector[V any](t *testing.T, glob string, check func(t *testing.T, file string, v V)) {
	files, err := filepath.Glob(glob)
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			var v V
			require.NoError(t, json.Unmarshal(raw, &v))
			check(t, file, v)
		})
	}
}

type inclusionVector struct {
	LeafIdx, TreeSize uint64
	Root, LeafHash    b64
	Proof             []b64
	WantErr           bool
}

type consistencyVector struct {
	Size1, Size2 int64
	Root1, Root2 b64
	Proof        []b64
	WantErr      bool
}

func TestRFC6962InclusionVectors(t *testing.T) {
	stored := vectorTree()
	forEachVector(t, "testdata/merkle/inclusion/*/*.json", func(t *testing.T, file string, v inclusionVector) {
		root, ok1 := toHash(v.Root)
		leaf, ok2 := toHash(v.LeafHash)
		proof, ok3 := toHashes(v.Proof)
		if !v.WantErr && fromReferenceTree(file) {
			// The happy paths are proofs our tree must produce.
			require.True(t, ok1 && ok2 && ok3)
			th, err := tlog.TreeHash(int64(v.TreeSize), stored)
			require.NoError(t, err)
			assert.Equal(t, root, th)
			assert.Equal(t, tlog.RecordHash(rfc6962Leaves[v.LeafIdx]), leaf)
			got, err := tlog.ProveRecord(int64(v.TreeSize), int64(v.LeafIdx), stored)
			require.NoError(t, err)
			assert.Equal(t, tlog.RecordProof(proof), got)
		}
		// Indexes beyond int64 (the "minus one" variants) are invalid.
		err := errMalformed(ok1 && ok2 && ok3 && v.LeafIdx <= math.MaxInt64 && v.TreeSize <= math.MaxInt64)
		if err == nil {
			err = tlog.CheckRecord(proof, int64(v.TreeSize), root, int64(v.LeafIdx), leaf)
		}
		assert.Equal(t, v.WantErr, err != nil, "CheckRecord: %v", err)
	})
}

func TestRFC6962ConsistencyVectors(t *testing.T) {
	stored := vectorTree()
	forEachVector(t, "testdata/merkle/consistency/*/*.json", func(t *testing.T, file string, v consistencyVector) {
		r1, ok1 := toHash(v.Root1)
		r2, ok2 := toHash(v.Root2)
		proof, ok3 := toHashes(v.Proof)
		if !v.WantErr && v.Size1 > 0 && v.Size1 < v.Size2 && fromReferenceTree(file) {
			require.True(t, ok1 && ok2 && ok3)
			got, err := tlog.ProveTree(v.Size2, v.Size1, stored)
			require.NoError(t, err)
			assert.Equal(t, tlog.TreeProof(proof), got)
		}
		if !(ok1 && ok2 && ok3) {
			// One vector has equal 12-byte "roots"; a root that is not
			// a 32-byte hash never gets this far here.
			return
		}
		err := checkConsistency(proof, v.Size1, r1, v.Size2, r2)
		assert.Equal(t, v.WantErr, err != nil, "consistency: %v", err)
	})
}

// fromReferenceTree reports whether a vector file is about the tree of
// rfc6962Leaves (the numbered folders) rather than an ad hoc one.
func fromReferenceTree(file string) bool {
	dir := filepath.Base(filepath.Dir(file))
	return len(dir) == 1 && '0' <= dir[0] && dir[0] <= '9'
}

func errMalformed(ok bool) error {
	if ok {
		return nil
	}
	return ErrInvalidCheckpoint
}

// errInconsistent is what checkConsistency returns for a proof that fails.
var errInconsistent = errors.New("inconsistent")

// checkConsistency, a test helper, verifies that p proves the tree of size
// newSize and hash newRoot extends the tree of size oldSize and hash
// oldRoot (RFC 9162, section 2.1.4.2). Unlike [tlog.CheckTree] it accepts equal sizes, with
// an empty proof and equal roots; a proof from the empty tree is rejected
// as meaningless.
func checkConsistency(p tlog.TreeProof, oldSize int64, oldRoot tlog.Hash, newSize int64, newRoot tlog.Hash) error {
	switch {
	case oldSize < 1 || oldSize > newSize:
		return fmt.Errorf("%w: sizes %d and %d", errInconsistent, oldSize, newSize)
	case oldSize == newSize:
		if len(p) != 0 || oldRoot != newRoot {
			return fmt.Errorf("%w: roots differ at size %d", errInconsistent, oldSize)
		}
		return nil
	}
	if err := tlog.CheckTree(p, newSize, newRoot, oldSize, oldRoot); err != nil {
		return fmt.Errorf("%w: %w", errInconsistent, err)
	}
	return nil
}
