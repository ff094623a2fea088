package password

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Spellings of one word in every script, romanisation and layout that users
// type meet in the matching alphabet.
func TestSpellingsMeet(t *testing.T) {
	m := loadMatcher()
	spell := func(s string) string {
		var sk skeleton
		m.spell([]rune(s), &sk)
		return string(sk.b)
	}
	for _, group := range [][]string{
		{"нурлан", "нұрлан", "nurlan", "nūrlan"},
		{"жанна", "zhanna", "janna"},
		{"шымкент", "shymkent", "şymkent"},
		{"сергей", "sergey", "sergei"},
		{"қарағанды", "qaraghandy", "karagandy", "караганды", "qarağandy"},
		{"алматы", "almaty"},
		{"пароль", "parol", "parol'"},
		{"админ", "admin"},
		{"шадов", "shadow"},
		{"елена", "yelena", "elena"},
		{"максим", "maksim", "maxim"},
		{"менсенісүйемін", "mensenisuyemin", "men seni suyemin", "men-seni-süyemin"},
		{"цой", "tsoi", "tsoy"},
		{"щука", "shchuka", "schuka"},
		{"ақорда", "akorda", "aqorda"},
	} {
		for _, w := range group[1:] {
			assert.Equal(t, spell(group[0]), spell(w), "%s and %s", group[0], w)
		}
	}
	// Positions: every byte knows the runes it came from.
	var sk skeleton
	m.spell([]rune("щука-x"), &sk)
	assert.Equal(t, "suka", string(sk.b[:4]))
	assert.Equal(t, []int32{0, 1, 2, 3, 5, 5}, sk.from)
	assert.Equal(t, []int32{0, 1, 2, 3, 5, 5}, sk.to)
}

func TestLayoutsAreOneToOne(t *testing.T) {
	assert.Len(t, invert(ruToKey), len(ruToKey), "no two characters on one key")
	for _, m := range []map[rune]rune{kkDigitsSequential, kkDigitsWindows} {
		assert.Len(t, invert(m), 9)
	}
	shift := func(s string, m map[rune]rune) string { return string(shiftRunes([]rune(s), m)) }
	assert.Equal(t, "qwerty", shift("йцукен", ruToKey))
	assert.Equal(t, "gfhjkm", shift("пароль", ruToKey))
	assert.Equal(t, "ghbdtn", shift("привет", ruToKey))
	assert.Equal(t, "p@ssw0rd1", shift("з\"ыыц0кв1", ruToKey))
	assert.Equal(t, "!@#$%^&", shift("!\"№;%:?", ruToKey))
	assert.Equal(t, "з\"ыыц0кв1", shift("p@ssw0rd1", keyToRu))
}

func TestIIN(t *testing.T) {
	for ds, want := range map[string]int{
		"900101300017": 1990, // check digit from the first weights
		"000229500018": 2000, // a leap day
		"850715401236": 1985,
		"011231609876": 2001,
		"900101300018": 0, // wrong check digit
		"900230300012": 0, // 30 February
		"900101700010": 0, // century digit 7
	} {
		y, ok := iinDate([]rune(ds))
		if want == 0 {
			assert.False(t, ok, ds)
			continue
		}
		assert.True(t, ok, ds)
		assert.Equal(t, want, y, ds)
	}
}
