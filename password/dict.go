package password

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/password/internal/wordlist"
)

// The matcher holds everything the estimator looks words up in: every list
// of internal/wordlist spelled in the matching alphabet (layout.go), in one
// byte trie, and the keyboard graphs. It is built on the first estimate
// (loadMatcher), never at start-up.
type matcher struct {
	trie   trie
	graphs []*keyGraph
	expand *expandTable
	tables *layoutTables
}

const (
	rankMask   = 1<<24 - 1
	flagCommon = 1 << 31 // a common password: Check refuses it outright
	flagWord   = 1 << 30 // a word of a language, a name, a place
	maxKey     = 32      // longest key, in bytes of the matching alphabet
	minKey     = 3       // shorter keys are noise ("ab", "12")
)

var loadMatcher = sync.OnceValue(buildMatcher)

func buildMatcher() *matcher {
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
	m.trie = b.build()
	for _, g := range wordlist.Graphs() {
		if g.Name == "qwerty" || g.Name == "keypad" {
			m.graphs = append(m.graphs, newKeyGraph(g))
		}
	}
	return m
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

// A trie of byte strings in flat arrays: node k's children are the edges
// first[k] to first[k+1]-1, edge e leads to node e+1 (nodes are numbered
// breadth first) and is labelled lab[e]; val[k] is the entry of the key
// that ends at node k, 0 if none. Nine bytes a node.
type trie struct {
	first []uint32
	lab   []byte
	val   []uint32
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

// child returns the node reached from node k by byte c, or 0.
func (t *trie) child(k uint32, c byte) uint32 {
	lo, hi := t.first[k], t.first[k+1]
	for lo < hi {
		mid := (lo + hi) / 2
		switch l := t.lab[mid]; {
		case l == c:
			return mid + 1
		case l < c:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0
}

// get returns the entry of key, or 0.
func (t *trie) get(key []byte) uint32 {
	var k uint32
	for _, c := range key {
		if k = t.child(k, c); k == 0 {
			return 0
		}
	}
	return t.val[k]
}

// keyGraph is a keyboard adjacency graph from zxcvbn (for each key, its
// neighbours in fixed directions, each as "unshifted shifted"), indexed by
// pairs of runes, with zxcvbn's estimate tabulated.
type keyGraph struct {
	adj map[[2]rune]uint8 // (a, b) → direction<<1 | shifted, plus one
	// ways[l][t] is log₂ of zxcvbn's count of walks of length up to l with
	// up to t turns (l, t ≤ maxAnalysed).
	ways [][]float64
}

func newKeyGraph(g wordlist.Graph) *keyGraph {
	k := &keyGraph{adj: make(map[[2]rune]uint8)}
	for key, ns := range g.Adjacent {
		a, _ := utf8.DecodeRuneInString(key)
		for dir, n := range ns {
			for i, b := range []rune(n) {
				if _, ok := k.adj[[2]rune{a, b}]; !ok {
					k.adj[[2]rune{a, b}] = uint8(dir<<1|min(i, 1)) + 1
				}
			}
		}
	}
	// zxcvbn: Σ_{i=2..l} Σ_{t=1..min(turns,i-1)} C(i-1, t-1)·S·D^t, summed
	// once here so that an estimate costs a look-up however many turns the
	// walk has (computed per walk it cost O(l·t²), 10 ms on "ү6"×64).
	const n = maxAnalysed + 1
	s, d := float64(g.StartingPositions), g.AverageDegree
	binom := pascal(n)
	k.ways = make([][]float64, n)
	sum := make([]float64, n) // Σ over i ≤ l of term(i, t), per t
	for l := range n {
		k.ways[l] = make([]float64, n)
		if l >= 2 {
			for t := 1; t <= l-1; t++ {
				sum[t] += binom[l-1][t-1] * s * math.Pow(d, float64(t))
			}
		}
		acc := 0.0
		for t := range n {
			if t >= 1 {
				acc += sum[t]
			}
			k.ways[l][t] = math.Log2(max(acc, 1))
		}
	}
	return k
}

// pascal returns the binomial coefficients C(i, j) for i, j < n.
func pascal(n int) [][]float64 {
	c := make([][]float64, n)
	for i := range n {
		c[i] = make([]float64, n)
		c[i][0] = 1
		for j := 1; j <= i; j++ {
			c[i][j] = c[i-1][j-1] + c[i-1][j]
		}
	}
	return c
}

// adjacent returns the direction from a to b, or -1, and whether b is the
// shifted character of its key.
func (g *keyGraph) adjacent(a, b rune) (int, bool) {
	e := g.adj[[2]rune{a, b}]
	if e == 0 {
		return -1, false
	}
	e--
	return int(e >> 1), e&1 == 1
}

// bits is zxcvbn's estimate for a keyboard walk of length l with the given
// number of turns and shifted keys.
func (g *keyGraph) bits(l, turns, shifted int) float64 {
	b := g.ways[min(l, maxAnalysed)][min(turns, maxAnalysed)]
	if shifted > 0 {
		u := l - shifted
		if u == 0 {
			b++
		} else {
			b += math.Log2(binomialSum(shifted+u, min(shifted, u)))
		}
	}
	return b
}

// binomialSum returns Σ_{k=1..m} C(n, k), in O(m).
func binomialSum(n, m int) float64 {
	var sum float64
	c := 1.0
	for k := 1; k <= m; k++ {
		c = c * float64(n-k+1) / float64(k)
		sum += c
	}
	return sum
}
