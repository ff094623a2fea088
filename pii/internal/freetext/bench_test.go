package freetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// benchText is mixed Russian, Kazakh and English support text: ordinary
// sentences with, now and then, a name or an address.
func benchText() string {
	var b strings.Builder
	ord := genOrdinary(3, 0, 20000)
	sm := corpus(0)
	for i, s := range ord {
		b.WriteString(s)
		b.WriteByte(' ')
		if i%8 == 0 {
			b.WriteString(sm[i%len(sm)].text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func BenchmarkFind(b *testing.B) {
	s := benchText()
	b.SetBytes(int64(len(s)))
	var dst []Span
	dicts()
	for b.Loop() {
		dst = Find(dst[:0], s)
	}
}

// BenchmarkBaselineFields is the floor Find is compared with: splitting
// the same text into words with strings.Fields.
func BenchmarkBaselineFields(b *testing.B) {
	s := benchText()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = strings.Fields(s)
	}
}

// BenchmarkBaselineRunes decodes every rune of the text: a plain UTF-8 scan.
func BenchmarkBaselineRunes(b *testing.B) {
	s := benchText()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		n := 0
		for i := 0; i < len(s); {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			n++
		}
		_ = n
	}
}

func BenchmarkMask(b *testing.B) {
	for b.Loop() {
		_ = Mask(Name, "Серикова Алия Нурлановна")
		_ = Mask(Address, "г. Алматы, ул. Абая, д. 10, кв. 5")
	}
}
