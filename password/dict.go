package password

import (
	"compress/flate"
	_ "embed" // the index
	"encoding/binary"
	"io"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/password/internal/wordlist"
)

// The matcher holds everything the estimator looks words up in: every list
// of internal/wordlist spelled in the matching alphabet (layout.go), in one
// byte trie prebuilt by go generate and embedded, and the keyboard graphs.
// It is loaded on the first estimate (loadMatcher), never at start-up.
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

// The index is built by `go generate` (TestEmbeddedIndex with -update-index
// spells every list of internal/wordlist and the generated keyboard walks,
// merges and sorts the keys, and writes the trie), so that loading it costs
// one inflate and one pass over the nodes, and the raw lists are linked into
// no program.
//
//go:generate go test -run ^TestEmbeddedIndex$ -update-index .

// indexFile is the trie: indexMagic, the number of nodes and the length of
// the payload as uvarints, then the payload as raw DEFLATE (RFC 1951). The
// payload is, per node in breadth-first order, its number of children as a
// byte (a node has at most 255: the matching alphabet is smaller); then the label byte of every edge; then, per node, its entry as
// a uvarint (rank<<2 | common<<1 | word, 0 if no key ends there).
//
//go:embed index.bin
var indexFile string

const (
	indexMagic      = "pwidx1\n"
	maxIndexPayload = 64 << 20 // bytes; the index's payload is about 6 MB
)

// The matcher is a zero value with no initialiser, so that importing the
// package runs no code, and loadMatcher is reachable only from the strength
// estimate: a program that only hashes links no index.
var theMatcher struct {
	sync.Once
	m *matcher
}

// loadMatcher returns the matcher, loading the index on the first call.
func loadMatcher() *matcher {
	theMatcher.Do(func() { theMatcher.m = newMatcher() })
	return theMatcher.m
}

func newMatcher() *matcher {
	m := &matcher{expand: newExpandTable(), tables: newLayoutTables()}
	t, err := decodeIndex(indexFile)
	if err != nil {
		// The file is written by go generate and checked by the tests: a
		// failure here is a build defect, not bad input.
		panic(err)
	}
	m.trie = t
	for _, g := range wordlist.Graphs() {
		if g.Name == "qwerty" || g.Name == "keypad" {
			m.graphs = append(m.graphs, newKeyGraph(g))
		}
	}
	return m
}

// decodeIndex reads the trie of indexFile (see there for the format).
func decodeIndex(f string) (trie, error) {
	r := strings.NewReader(strings.TrimPrefix(f, indexMagic))
	nodes, err1 := binary.ReadUvarint(r)
	size, err2 := binary.ReadUvarint(r)
	if !strings.HasPrefix(f, indexMagic) || err1 != nil || err2 != nil || nodes == 0 || size > maxIndexPayload || 2*nodes-1 > size {
		return trie{}, errIndex
	}
	p := make([]byte, size)
	z := flate.NewReader(r)
	if _, err := io.ReadFull(z, p); err != nil {
		return trie{}, errIndex
	}
	if _, err := z.Read(make([]byte, 1)); err != io.EOF {
		return trie{}, errIndex // data past the payload, or a stream cut short
	}
	n := int(nodes)
	t := trie{first: make([]uint32, n+1), lab: make([]byte, n-1), val: make([]uint32, n)}
	if len(p) < 2*n-1 {
		return trie{}, errIndex
	}
	edges := uint32(0)
	for k, c := range p[:n] {
		t.first[k] = edges
		edges += uint32(c)
	}
	t.first[n] = edges
	p = p[n:]
	if edges != uint32(n-1) {
		return trie{}, errIndex
	}
	copy(t.lab, p)
	p = p[n-1:]
	for k := range n {
		v, w := binary.Uvarint(p)
		if w <= 0 || v>>2 > rankMask {
			return trie{}, errIndex
		}
		p = p[w:]
		e := uint32(v >> 2)
		if v&2 != 0 {
			e |= flagCommon
		}
		if v&1 != 0 {
			e |= flagWord
		}
		t.val[k] = e
	}
	if len(p) != 0 {
		return trie{}, errIndex
	}
	return t, nil
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
