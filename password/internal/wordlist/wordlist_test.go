package wordlist

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/nbutton23/zxcvbn-go/adjacency"
	"github.com/nbutton23/zxcvbn-go/frequency"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

func byName(t *testing.T, name string) Dictionary {
	t.Helper()
	for _, d := range Dictionaries() {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no list %q", name)
	return Dictionary{}
}

func TestZxcvbnListsIdentical(t *testing.T) {
	for _, tc := range []struct{ ours, theirs string }{
		{"passwords", "Passwords"},
		{"en_words", "English"},
		{"us_female_names", "FemaleNames"},
		{"us_male_names", "MaleNames"},
		{"us_surnames", "Surname"},
	} {
		t.Run(tc.ours, func(t *testing.T) {
			want := frequency.Lists[tc.theirs].List
			require.NotEmpty(t, want)
			assert.Equal(t, want, byName(t, tc.ours).Words)
		})
	}
}

func TestZxcvbnGraphsIdentical(t *testing.T) {
	ours := Graphs()
	require.Len(t, ours, 4)
	for i, theirs := range []string{"qwerty", "dvorak", "keypad", "macKeypad"} {
		g := ours[i]
		want := adjacency.GraphMap[theirs]
		assert.Equal(t, want.Name, g.Name)
		assert.Equal(t, want.Graph, g.Adjacent, g.Name)
		edges := 0
		for _, ns := range want.Graph {
			for _, n := range ns {
				if n != "" {
					edges++
				}
			}
		}
		assert.Equal(t, len(want.Graph), g.StartingPositions)
		assert.InDelta(t, float64(edges)/float64(len(want.Graph)), g.AverageDegree, 1e-12)
	}
	// zxcvbn's published figures for qwerty: 94 keys, degree ≈ 4.596.
	assert.Equal(t, 94, ours[0].StartingPositions)
	assert.InDelta(t, 4.5957, ours[0].AverageDegree, 1e-3)
}

func TestListsWellFormed(t *testing.T) {
	ds := Dictionaries()
	require.Len(t, ds, len(listNames))
	names := map[string]bool{}
	for _, d := range ds {
		assert.False(t, names[d.Name], "duplicate list name %s", d.Name)
		names[d.Name] = true
		assert.NotEmpty(t, d.Words, d.Name)
		seen := make(map[string]bool, len(d.Words))
		for i, w := range d.Words {
			if !utf8.ValidString(w) || w == "" || w != strings.TrimSpace(w) || strings.ContainsAny(w, "\n\r\t") {
				t.Errorf("%s[%d]: malformed %q", d.Name, i, w)
			}
			if w != strings.ToLower(w) {
				t.Errorf("%s[%d]: not lower case: %q", d.Name, i, w)
			}
			if !norm.NFC.IsNormalString(w) {
				t.Errorf("%s[%d]: not NFC: %q", d.Name, i, w)
			}
			if mixesScripts(w) && !deliberatelyMixed[w] {
				t.Errorf("%s[%d]: mixes Cyrillic and Latin letters: %q", d.Name, i, w)
			}
			if seen[w] {
				t.Errorf("%s[%d]: duplicate %q", d.Name, i, w)
			}
			seen[w] = true
		}
	}
}

func TestDocumentedNames(t *testing.T) {
	doc := readDoc(t)
	for _, n := range listNames {
		perLanguage := len(n) > 3 && n[2] == '_' && strings.Contains(doc, "//\txx"+n[2:]+" ") &&
			regexp.MustCompile(`for xx in [a-z ]*\b`+n[:2]+`\b`).MatchString(doc)
		if !strings.Contains(doc, "//\t"+n+" ") && !perLanguage {
			t.Errorf("doc.go table lacks %s", n)
		}
	}
	for _, n := range graphNames {
		assert.Contains(t, doc, `"`+n+`"`)
	}
}

func TestCachedAndShared(t *testing.T) {
	a, b := Dictionaries(), Dictionaries()
	require.NotEmpty(t, a)
	assert.Same(t, &a[0], &b[0])
	assert.True(t, slices.Equal(graphNames[:], func() []string {
		var n []string
		for _, g := range Graphs() {
			n = append(n, g.Name)
		}
		return n
	}()))
}

func TestConcurrentFirstCall(t *testing.T) {
	var wg sync.WaitGroup
	got := make([][]Dictionary, 8)
	for i := range got {
		wg.Go(func() { got[i] = Dictionaries(); _ = Graphs() })
	}
	wg.Wait()
	for _, g := range got[1:] {
		assert.Same(t, &got[0][0], &g[0])
	}
}

func ExampleDictionaries() {
	for _, d := range Dictionaries() {
		if d.Name == "places" {
			fmt.Println(d.Words[0], d.Words[1])
		}
	}
	// Output: алматы астана
}

func ExampleGraphs() {
	g := Graphs()[0]
	fmt.Println(g.Name, g.Adjacent["g"], g.StartingPositions)
	// Output: qwerty [fF tT yY hH bB vV] 94
}

// deliberatelyMixed are entries that mix scripts on purpose (a walk typed
// across a layout switch).
var deliberatelyMixed = map[string]bool{"qwertyйцукен": true}

func mixesScripts(w string) bool {
	cyrillic, latin := false, false
	for _, r := range w {
		cyrillic = cyrillic || unicode.Is(unicode.Cyrillic, r)
		latin = latin || unicode.Is(unicode.Latin, r)
	}
	return cyrillic && latin
}
