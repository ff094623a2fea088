package wordlist

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"testing"

	"github.com/nbutton23/zxcvbn-go/data"
)

// BenchmarkDecodeDictionaries is the cost of the first call to
// Dictionaries: decompressing and splitting every list.
func BenchmarkDecodeDictionaries(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = decodeDictionaries()
	}
}

// BenchmarkGunzipOnly is the floor under BenchmarkDecodeDictionaries: the
// decompression alone, output discarded.
func BenchmarkGunzipOnly(b *testing.B) {
	names, err := fs.Glob(files, "data/*.txt.gz")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			f, _ := files.Open(n)
			z, err := gzip.NewReader(f)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, z); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	}
}

// BenchmarkZxcvbnGoInit is the baseline this package replaces: what
// zxcvbn-go's frequency package does in init (unmarshal its five JSON
// lists), for a twelfth of the words.
func BenchmarkZxcvbnGoInit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range []string{"MaleNames", "FemaleNames", "Surnames", "English", "Passwords"} {
			raw, err := data.Asset("data/" + n + ".json")
			if err != nil {
				b.Fatal(err)
			}
			var l struct{ List []string }
			if err := json.Unmarshal(raw, &l); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDecodeGraphs(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = decodeGraphs()
	}
}
