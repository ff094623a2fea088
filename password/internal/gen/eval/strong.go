package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// strongCorpus returns passwords that a policy must accept: random strings
// of 12 to 16 characters over ASCII and over Cyrillic, and passphrases of 4
// or 5 words drawn uniformly from large lists, with separators, a capital
// and a digit.
func strongCorpus(l map[string][]string) []entry {
	var out []entry
	rng := rngFor("strong/random")
	ascii := []rune(printableASCII())
	for range 1000 {
		out = append(out, entry{randomString(rng, ascii), "random", "ascii-12-16", ""})
	}
	cyr := []rune("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯӘҒҚҢӨҰҮҺІ0123456789!@#$%^&*()-_=+.,;:?№")
	for range 700 {
		out = append(out, entry{randomString(rng, cyr), "random", "cyrillic-12-16", ""})
	}
	fit := func(ws []string) []string {
		var out []string
		for _, w := range ws {
			if n := utf8.RuneCountInString(w); n >= 3 && n <= 10 && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
				out = append(out, w)
			}
		}
		return out
	}
	for _, p := range []struct {
		name  string
		words []string
		n     int
	}{
		{"en_common", fit(l["en_common"]), 600},
		{"ru_words", fit(l["ru_words"]), 450},
		{"kk_words", fit(l["kk_words"]), 250},
	} {
		rng := rngFor("strong/" + p.name)
		for range p.n {
			out = append(out, entry{passphrase(rng, p.words), p.name, "passphrase", ""})
		}
	}
	return out
}

func printableASCII() string {
	var b strings.Builder
	for r := '!'; r <= '~'; r++ {
		b.WriteRune(r)
	}
	return b.String()
}

// randomString draws 12 to 16 runes uniformly from alphabet until the
// result has a letter, a digit and a special character.
func randomString(rng *rand.Rand, alphabet []rune) string {
	for {
		n := 12 + rng.IntN(5)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(rs)
		if strings.IndexFunc(s, unicode.IsLetter) >= 0 && strings.IndexFunc(s, unicode.IsDigit) >= 0 &&
			strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return s
		}
	}
}

// passphrase joins 4 or 5 words drawn uniformly from words with one
// separator, capitalises one word and appends a digit.
func passphrase(rng *rand.Rand, words []string) string {
	seps := []string{"-", "_", ".", "!", "#", "+", "*", "/"}
	sep := seps[rng.IntN(len(seps))]
	n := 4 + rng.IntN(2)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[rng.IntN(len(words))]
	}
	c := rng.IntN(n)
	ws[c] = capitalise(ws[c])
	return strings.Join(ws, sep) + fmt.Sprint(rng.IntN(10))
}
