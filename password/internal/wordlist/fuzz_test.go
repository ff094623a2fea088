package wordlist

import (
	"strings"
	"testing"
)

// FuzzParse: the decoders of the embedded formats never panic and keep
// every non-empty line, whatever the text.
func FuzzParse(f *testing.F) {
	f.Add("a\tb\t\tc\n")
	f.Add("\n\n")
	f.Add("x")
	f.Add("g\tfF\ttT\t\t\n\t\n")
	f.Fuzz(func(t *testing.T, s string) {
		ws := lines(s)
		n := 0
		for _, l := range strings.Split(s, "\n") {
			if l != "" {
				n++
			}
		}
		if len(ws) != n {
			t.Fatalf("lines(%q) = %d words, want %d", s, len(ws), n)
		}
		g := parseGraph("x", s)
		if g.StartingPositions != len(g.Adjacent) || g.AverageDegree < 0 {
			t.Fatalf("parseGraph(%q): inconsistent %+v", s, g)
		}
	})
}
