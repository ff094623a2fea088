package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const dir = "../../../testdata/eval"

func readCorpus(t *testing.T, name string) []entry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	require.NoError(t, err)
	defer f.Close()
	var out []entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		require.Len(t, fields, 4, "%s: %q", name, sc.Text())
		out = append(out, entry{fields[0], fields[1], fields[2], fields[3]})
	}
	require.NoError(t, sc.Err())
	return out
}

func TestCorporaWellFormed(t *testing.T) {
	for _, name := range []string{"tune.txt", "heldout.txt", "foreign.txt", "strong.txt"} {
		es := readCorpus(t, name)
		assert.Greater(t, len(es), 2500, name)
		for _, e := range es {
			ok := utf8.ValidString(e.password) && utf8.RuneCountInString(e.password) <= 128 &&
				strings.IndexFunc(e.password, unicode.IsControl) < 0 && e.source != "" && e.transform != ""
			assert.True(t, ok, "%s: %q", name, e.password)
			if strings.HasPrefix(e.transform, "iin") {
				continue // an IIN with no letter: refused by DefaultPolicy's composition, there for NISTPolicy
			}
			assert.True(t, meetsComposition(e.password), "%s: %q (%s) fails the composition rule", name, e.password, e.transform)
		}
	}
}

func meetsComposition(p string) bool {
	return utf8.RuneCountInString(p) >= 8 && strings.IndexFunc(p, unicode.IsLetter) >= 0 &&
		strings.IndexFunc(p, unicode.IsDigit) >= 0 &&
		strings.IndexFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0
}

// TestSplitDisjoint: no base word (after folding) is in both halves.
func TestSplitDisjoint(t *testing.T) {
	tune := map[string]bool{}
	for _, e := range readCorpus(t, "tune.txt") {
		tune[key(e.base)] = true
		assert.False(t, heldOut(e.base), "%q in tune belongs to the held-out half", e.base)
	}
	for _, e := range readCorpus(t, "heldout.txt") {
		assert.False(t, tune[key(e.base)], "%q in both halves", e.base)
		assert.True(t, heldOut(e.base), "%q in heldout belongs to the tune half", e.base)
	}
}

// TestForeignAbsent: no base word of foreign.txt is in an embedded list.
func TestForeignAbsent(t *testing.T) {
	known := map[string]bool{}
	for _, ws := range embedded() {
		for _, w := range ws {
			known[key(w)] = true
		}
	}
	for _, e := range readCorpus(t, "foreign.txt") {
		assert.False(t, known[key(e.base)], "%q (%s) is in an embedded list", e.base, e.source)
	}
}

// TestReproducible: the committed weak and strong corpora are what the
// generator makes from the embedded lists (the foreign one needs the
// downloads and is checked by TestForeignAbsent only).
func TestReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes every list")
	}
	l := embedded()
	tune, held := weakSplit(l)
	assert.Equal(t, readCorpus(t, "tune.txt"), tune)
	assert.Equal(t, readCorpus(t, "heldout.txt"), held)
	assert.Equal(t, readCorpus(t, "strong.txt"), strongCorpus(l))
}
