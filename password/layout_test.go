package password

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTransliterations(t *testing.T) {
	assert.Contains(t, transliterations("алматы", 12), "almaty")
	assert.Contains(t, transliterations("қарағанды", 12), "qaraghandy")
	assert.Contains(t, transliterations("қарағанды", 12), "karagandy")
	assert.Contains(t, transliterations("пароль", 12), "parol")
	assert.Contains(t, transliterations("жанна", 12), "zhanna")
	assert.Len(t, transliterations("щщщщщщщщ", 12), 12, "bounded")
	assert.Nil(t, transliterations("qwerty", 12))
}

func TestLatinToCyrillic(t *testing.T) {
	for in, want := range map[string]string{"admin": "админ", "master": "мастер", "shadow": "шадов", "q1": ""} {
		assert.Equal(t, want, latinToCyrillic(in), in)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[rune]rune{'Ä': 'a', 'ş': 's', 'ı': 'i', 'Ñ': 'n', 'Й': 'й', 'Ё': 'е', 'Қ': 'қ', '1': '1', 'ü': 'u'} {
		assert.Equal(t, string(want), string(fold(in)), string(in))
	}
}

func TestLayoutsAreOneToOne(t *testing.T) {
	assert.Len(t, keyToRu, len(ruToKey), "no two letters on one key")
	for _, m := range []map[rune]rune{kkDigitsSequential, kkDigitsWindows} {
		assert.Len(t, invert(m), 9)
	}
	shift := func(s string) string { return string(shiftRunes([]rune(s), ruToKey)) }
	assert.Equal(t, "qwerty", shift("йцукен"))
	assert.Equal(t, "gfhjkm", shift("пароль"))
	assert.Equal(t, "ghbdtn", shift("привет"))
}

func TestWordListsDocumented(t *testing.T) {
	source, err := os.ReadFile("data/SOURCE.md")
	require.NoError(t, err)
	files, err := fs.Glob(wordFiles, "data/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".txt")
		assert.Contains(t, string(source), "`"+name+".txt`", "source and licence of %s", f)
		words := readList(name)
		assert.NotEmpty(t, words, f)
		seen := map[string]bool{}
		for _, w := range words {
			assert.True(t, utf8.ValidString(w) && strings.TrimSpace(w) == w && w != "", "%s: %q", f, w)
			assert.False(t, seen[w], "%s: %q listed twice", f, w)
			seen[w] = true
		}
	}
}
