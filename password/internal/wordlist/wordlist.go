package wordlist

import (
	"compress/gzip"
	"embed"
	"encoding/binary"
	"io"
	"io/fs"
	"strings"
	"sync"
)

//go:generate go run ../gen -out data

// Dictionary is one ranked list: Words[0] is the most common; a word's rank
// is its index plus one.
type Dictionary struct {
	Name  string
	Words []string
}

// Graph is a keyboard adjacency graph in zxcvbn's form.
//
// Adjacent has one entry per character that the keyboard can type, shifted
// characters included: "a" and "A" are both keys of qwerty. Its value lists
// the key's neighbours in a fixed order of directions (six on the staggered
// keyboards, clockwise from the left: left, upper-left, upper-right, right,
// lower-right, lower-left; eight on the keypads, clockwise from the left),
// "" where the key has no neighbour in that direction. On keyboards with a
// shift level a neighbour is two characters, unshifted then shifted ("2@");
// on the keypads it is one ("5").
type Graph struct {
	Name     string
	Adjacent map[string][]string
	// StartingPositions is the number of keys, len(Adjacent): zxcvbn's "s".
	StartingPositions int
	// AverageDegree is the mean number of non-empty neighbours per key:
	// zxcvbn's "d". (zxcvbn-go's CalculateAvgDegree computes something
	// else, the mean length of a neighbour string over all directions.)
	AverageDegree float64
}

// The lists and the graphs are embedded apart, so that a program that needs
// only the graphs (the password package, whose word index is prebuilt) does
// not link the lists.
var (
	//go:embed data/*.txt.gz
	files embed.FS
	//go:embed data/graph_*.tsv.gz
	graphFiles embed.FS
)

// Dictionaries returns every embedded list, in a fixed order (that of
// names_gen.go; the zxcvbn-go lists first). The lists are decoded on the
// first call and shared by every later call: callers must not modify them.
func Dictionaries() []Dictionary {
	dictionaries.Do(func() { dictionaries.v = decodeDictionaries() })
	return dictionaries.v
}

// Graphs returns the keyboard graphs qwerty, dvorak, keypad and mac_keypad,
// decoded on the first call and shared: callers must not modify them.
func Graphs() []Graph {
	graphs.Do(func() { graphs.v = decodeGraphs() })
	return graphs.v
}

// The caches are zero values with no initialiser, so importing the package
// runs no code (sync.OnceValue would allocate its closure at start-up).
var (
	dictionaries struct {
		sync.Once
		v []Dictionary
	}
	graphs struct {
		sync.Once
		v []Graph
	}
)

// decodeDictionaries decompresses the lists in parallel, one goroutine a
// list (the largest, ru_words, bounds the wall time).
func decodeDictionaries() []Dictionary {
	out := make([]Dictionary, len(listNames))
	var wg sync.WaitGroup
	for i, name := range listNames {
		wg.Go(func() {
			out[i] = Dictionary{Name: name, Words: lines(read(files, "data/"+name+".txt.gz"))}
		})
	}
	wg.Wait()
	return out
}

func decodeGraphs() []Graph {
	out := make([]Graph, len(graphNames))
	for i, name := range graphNames {
		out[i] = parseGraph(name, read(graphFiles, "data/graph_"+name+".tsv.gz"))
	}
	return out
}

// read returns the decompressed content of an embedded file, in one
// allocation of the size the gzip trailer records. The files are written by
// the generator and checked by the tests, so a failure here is a build
// defect, not bad input.
func read(fsys embed.FS, name string) string {
	f, err := fsys.Open(name)
	if err != nil {
		panic("wordlist: embedded file missing: " + name)
	}
	defer f.Close()
	gz, ok := f.(interface {
		io.ReaderAt
		io.Reader
		Stat() (fs.FileInfo, error)
	})
	fi, err := f.Stat()
	var isize [4]byte // ISIZE, the uncompressed size, RFC 1952 §2.3.1
	if !ok || err != nil || fi.Size() < 18 {
		panic("wordlist: embedded file corrupt: " + name)
	}
	if _, err := gz.ReadAt(isize[:], fi.Size()-4); err != nil {
		panic("wordlist: embedded file corrupt: " + name)
	}
	z, err := gzip.NewReader(gz)
	if err != nil {
		panic("wordlist: embedded file corrupt: " + name)
	}
	var b strings.Builder
	b.Grow(int(binary.LittleEndian.Uint32(isize[:])))
	if _, err := io.Copy(&b, z); err != nil {
		panic("wordlist: embedded file corrupt: " + name)
	}
	return b.String()
}

// lines splits s, one word a line and each line ended by '\n', into
// substrings of s (one allocation for the text, one for the slice).
func lines(s string) []string {
	out := make([]string, 0, strings.Count(s, "\n"))
	for line := range strings.SplitSeq(s, "\n") {
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// parseGraph reads a graph written by the generator: one key a line, the
// key then its neighbours in direction order, separated by tabs.
func parseGraph(name, s string) Graph {
	g := Graph{Name: name, Adjacent: make(map[string][]string)}
	edges := 0
	for _, line := range lines(s) {
		f := strings.Split(line, "\t")
		g.Adjacent[f[0]] = f[1:]
		for _, n := range f[1:] {
			if n != "" {
				edges++
			}
		}
	}
	g.StartingPositions = len(g.Adjacent)
	if g.StartingPositions > 0 {
		g.AverageDegree = float64(edges) / float64(g.StartingPositions)
	}
	return g
}
