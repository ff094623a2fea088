package password

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"flag"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/1cb-kz/compliance/password/internal/wordlist"
)

// buildIndex builds the trie of every list of internal/wordlist and the
// generated keyboard walks, spelled in the matching alphabet: what go
// generate embeds as index.bin.
func buildIndex() trie {
	m := &matcher{expand: newExpandTable(), tables: newLayoutTables()}
	var b keyBuilder
	var s skeleton
	put := func(w string, rank int, common, word bool, minLen int) {
		m.spell([]rune(w), &s)
		if len(s.b) < minLen || len(s.b) > maxKey || rank <= 0 {
			return
		}
		e := uint32(min(rank, rankMask))
		if common {
			e |= flagCommon
		}
		if word {
			e |= flagWord
		}
		b.add(s.b, e)
	}
	for _, d := range wordlist.Dictionaries() {
		common := strings.HasSuffix(d.Name, "passwords") || strings.HasPrefix(d.Name, "leaked")
		minLen := minKey
		if d.Name == "affixes" {
			minLen = 2
		}
		word := !common && d.Name != "affixes"
		for i, w := range d.Words {
			put(w, i+1, common, word, minLen)
		}
	}
	for i, w := range walks() {
		put(w, walkRank+i, false, false, minKey)
	}
	return b.build()
}

// encodeIndex writes t in the format of indexFile.
func encodeIndex(t trie) []byte {
	n := len(t.val)
	var p []byte
	for k := range n {
		c := t.first[k+1] - t.first[k]
		if c > 255 {
			panic("a trie node with more than 255 children")
		}
		p = append(p, byte(c))
	}
	p = append(p, t.lab...)
	for _, e := range t.val {
		v := uint64(e&rankMask) << 2
		if e&flagCommon != 0 {
			v |= 2
		}
		if e&flagWord != 0 {
			v |= 1
		}
		p = binary.AppendUvarint(p, v)
	}
	var out bytes.Buffer
	out.WriteString(indexMagic)
	out.Write(binary.AppendUvarint(nil, uint64(n)))
	out.Write(binary.AppendUvarint(nil, uint64(len(p))))
	z, _ := flate.NewWriter(&out, flate.BestCompression)
	z.Write(p)
	z.Close()
	return out.Bytes()
}

var updateIndex = flag.Bool("update-index", false, "rewrite index.bin from internal/wordlist (go generate)")

// The embedded index is the one the lists and the spelling code give: it
// fails when either changed without go generate. With -update-index it
// rewrites index.bin.
func TestEmbeddedIndex(t *testing.T) {
	want := buildIndex()
	if *updateIndex {
		require.NoError(t, os.WriteFile("index.bin", encodeIndex(want), 0o644))
		return
	}
	got, err := decodeIndex(indexFile)
	require.NoError(t, err)
	// Compared decoded, so that another version of compress/flate does
	// not fail it.
	require.True(t, slices.Equal(want.first, got.first), "trie shape differs: run go generate")
	require.True(t, bytes.Equal(want.lab, got.lab), "trie labels differ: run go generate")
	require.True(t, slices.Equal(want.val, got.val), "trie entries differ: run go generate")
	t.Logf("%d nodes, %d keys, %d bytes embedded", len(got.val), countKeys(got), len(indexFile))
}

func countKeys(t trie) int {
	n := 0
	for _, v := range t.val {
		if v != 0 {
			n++
		}
	}
	return n
}

// A corrupt index is an error, never a panic or a short read accepted.
func TestDecodeIndexCorrupt(t *testing.T) {
	var b keyBuilder
	for i, k := range []string{"abc", "abd", "b", "zzzz"} {
		b.add([]byte(k), uint32(i+1)|flagWord)
	}
	good := string(encodeIndex(b.build()))
	_, err := decodeIndex(good)
	require.NoError(t, err)
	for name, f := range map[string]string{
		"empty":     "",
		"magic":     "x" + good[1:],
		"truncated": good[:len(good)-3],
		"header":    indexMagic,
		"nodes":     indexMagic + "\x00\x00",
		"huge":      indexMagic + "\xff\xff\xff\xff\x0f\x01",
	} {
		_, err := decodeIndex(f)
		assert.ErrorIs(t, err, errIndex, name)
	}
}

func FuzzDecodeIndex(f *testing.F) {
	var b keyBuilder
	for i, k := range []string{"abc", "abd", "b"} {
		b.add([]byte(k), uint32(i+1))
	}
	f.Add(encodeIndex(b.build()))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := decodeIndex(string(data))
		if err != nil {
			return
		}
		for k := range len(tr.val) {
			// Every edge leads to a node that exists.
			require.LessOrEqual(t, tr.first[k], tr.first[k+1])
			require.LessOrEqual(t, int(tr.first[k+1]), len(tr.lab))
		}
	})
}

// keyBuilder collects keys in one arena, to be sorted and merged: a key
// found in several lists keeps its best rank and is common if any list
// says so.
type keyBuilder struct {
	arena []byte
	keys  []builderKey
}

type builderKey struct {
	off, n uint32
	val    uint32
}

func (b *keyBuilder) add(key []byte, val uint32) {
	b.keys = append(b.keys, builderKey{uint32(len(b.arena)), uint32(len(key)), val})
	b.arena = append(b.arena, key...)
}

func (b *keyBuilder) key(k builderKey) []byte { return b.arena[k.off : k.off+k.n] }

func (b *keyBuilder) build() trie {
	slices.SortFunc(b.keys, func(x, y builderKey) int { return bytes.Compare(b.key(x), b.key(y)) })
	merged := b.keys[:0]
	for _, k := range b.keys {
		if n := len(merged); n > 0 && bytes.Equal(b.key(merged[n-1]), b.key(k)) {
			last := &merged[n-1]
			last.val = min(last.val&rankMask, k.val&rankMask) | (last.val|k.val)&(flagCommon|flagWord)
			continue
		}
		merged = append(merged, k)
	}
	keys := make([][]byte, len(merged))
	vals := make([]uint32, len(merged))
	for i, k := range merged {
		keys[i], vals[i] = b.key(k), k.val
	}
	return buildTrie(keys, vals)
}

// walkRank is the rank given to the first generated keyboard walk.
const walkRank = 50

// walks returns the keyboard shapes people type that are not walks from key
// to adjacent key: columns one after the other (1qaz2wsx, zaq12wsx), blocks
// of rows (qweasdzxc, 123qweasd), and the phone keypad's letters (adgjmptw).
// On the Russian layout and the Kazakh digit row they are matched through
// the layout readings of the password.
func walks() []string {
	rows := []string{"1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./"}
	col := func(c, r0, r1 int, up bool) string {
		var b []byte
		for r := r0; r <= r1; r++ {
			b = append(b, rows[r][c])
		}
		if up {
			slices.Reverse(b)
		}
		return string(b)
	}
	var out []string
	for c := range 10 {
		for k := 2; k <= 4 && c+k <= 10; k++ {
			for _, span := range [][2]int{{0, 3}, {0, 2}, {1, 3}} {
				for _, dirs := range [][2]bool{{false, false}, {true, true}, {true, false}, {false, true}} {
					var b strings.Builder
					for j := range k {
						b.WriteString(col(c+j, span[0], span[1], dirs[j%2]))
					}
					out = append(out, b.String())
				}
			}
		}
	}
	// Blocks of rows, the lower rows cut where the keyboard ends
	// (yuiop[ hjkl;' nm,./).
	for w := 3; w <= 8; w++ {
		for c := 0; c+w <= len(rows[0]); c++ {
			for r0 := range 3 {
				for h := 2; r0+h <= 4; h++ {
					var down, up strings.Builder
					for r := r0; r < r0+h; r++ {
						seg := func(r int) string { return rows[r][min(c, len(rows[r])):min(c+w, len(rows[r]))] }
						down.WriteString(seg(r))
						up.WriteString(seg(r0 + h - 1 - (r - r0)))
					}
					out = append(out, down.String(), up.String())
				}
			}
		}
	}
	// The phone keypad: the first, second and third letter of each key.
	for _, k := range []string{"adgjmptw", "behknqux", "cfilorvy", "wtpmjgda"} {
		for n := 4; n <= len(k); n++ {
			out = append(out, k[:n])
		}
	}
	out = append(out, "2580", "0852", "147258369", "963852741", "159357", "753951", "147963", "741236987")
	return out
}

// buildTrie builds the trie of sorted, distinct keys with their entries.
func buildTrie(sorted [][]byte, vals []uint32) trie {
	// Nodes are at most the bytes of all keys, plus the root.
	nodes := 1
	for _, k := range sorted {
		nodes += len(k)
	}
	type item struct{ lo, hi, depth int32 }
	t := trie{first: make([]uint32, 0, nodes+1), lab: make([]byte, 0, nodes), val: make([]uint32, 1, nodes)}
	queue := make([]item, 1, nodes)
	queue[0] = item{0, int32(len(sorted)), 0}
	for q := 0; q < len(queue); q++ {
		it := queue[q]
		t.first = append(t.first, uint32(len(t.lab)))
		lo := it.lo
		if lo < it.hi && len(sorted[lo]) == int(it.depth) {
			t.val[q] = vals[lo]
			lo++
		}
		for lo < it.hi {
			c := sorted[lo][it.depth]
			hi := lo + 1
			for hi < it.hi && sorted[hi][it.depth] == c {
				hi++
			}
			t.lab = append(t.lab, c)
			t.val = append(t.val, 0)
			queue = append(queue, item{lo, hi, it.depth + 1})
			lo = hi
		}
	}
	t.first = append(t.first, uint32(len(t.lab)))
	// The arrays were sized for the worst case; keep only what is used.
	t.first, t.lab, t.val = slices.Clone(t.first), slices.Clone(t.lab), slices.Clone(t.val)
	return t
}

// The first estimate's cost: loading the matcher (newMatcher), against its
// floor, inflating the embedded index with the output discarded.
func BenchmarkLoadMatcher(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		newMatcher()
	}
}

func BenchmarkLoadIndexDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeIndex(indexFile); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadIndexInflateOnly(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		r := strings.NewReader(strings.TrimPrefix(indexFile, indexMagic))
		binary.ReadUvarint(r)
		binary.ReadUvarint(r)
		if _, err := io.Copy(io.Discard, flate.NewReader(r)); err != nil {
			b.Fatal(err)
		}
	}
}
