package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The tables below are written from the keyboards and the standards, not
// copied from the password package, so that the corpora test its tables
// instead of repeating them.

// ruKeys is the Russian ЙЦУКЕН layout: what each QWERTY key types, lower
// and shifted.
var ruKeys = map[rune]rune{
	'`': 'ё', 'q': 'й', 'w': 'ц', 'e': 'у', 'r': 'к', 't': 'е', 'y': 'н', 'u': 'г', 'i': 'ш', 'o': 'щ', 'p': 'з', '[': 'х', ']': 'ъ',
	'a': 'ф', 's': 'ы', 'd': 'в', 'f': 'а', 'g': 'п', 'h': 'р', 'j': 'о', 'k': 'л', 'l': 'д', ';': 'ж', '\'': 'э',
	'z': 'я', 'x': 'ч', 'c': 'с', 'v': 'м', 'b': 'и', 'n': 'т', 'm': 'ь', ',': 'б', '.': 'ю', '/': '.',
	'~': 'Ё', '@': '"', '#': '№', '$': ';', '^': ':', '&': '?', '{': 'Х', '}': 'Ъ', ':': 'Ж', '"': 'Э',
	'<': 'Б', '>': 'Ю', '?': ',', '|': '/',
}

// latinKeys is the inverse: what the QWERTY layout types on the key of
// each character of the Russian layout.
var latinKeys = func() map[rune]rune {
	m := make(map[rune]rune, len(ruKeys))
	for k, v := range ruKeys {
		m[v] = k
		if u := unicode.ToUpper(k); u != k && unicode.IsLetter(v) {
			m[unicode.ToUpper(v)] = u
		}
	}
	return m
}()

// onLayout retypes s with the other layout active, rune by rune; runes the
// layout does not change (digits, '!') stay.
func onLayout(s string, table map[rune]rune) string {
	var b strings.Builder
	for _, r := range s {
		if t, ok := table[r]; ok {
			b.WriteRune(t)
		} else if t, ok := table[unicode.ToLower(r)]; ok && unicode.IsUpper(r) {
			b.WriteRune(unicode.ToUpper(t))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Romanisation schemes for Cyrillic (Russian and Kazakh letters).
var romanisations = []struct {
	name string
	m    map[rune]string
}{
	{"gost", withKazakh(map[rune]string{ // GOST 7.79-2000 system B, without its apostrophes
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z", 'и': "i", 'й': "j",
		'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
		'х': "x", 'ц': "cz", 'ч': "ch", 'ш': "sh", 'щ': "shh", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	})},
	{"passport", withKazakh(map[rune]string{ // ICAO 9303, as in Russian and Kazakh passports
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "i",
		'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
		'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	})},
	{"chat", withKazakh(map[rune]string{ // informal "translit"
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "j", 'з': "z", 'и': "i", 'й': "y",
		'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
		'х': "h", 'ц': "c", 'ч': "ch", 'ш': "sh", 'щ': "sch", 'ъ': "", 'ы': "i", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	})},
	{"kz2021", map[rune]string{ // Kazakh Latin alphabet of 2021
		'а': "a", 'ә': "ä", 'б': "b", 'в': "v", 'г': "g", 'ғ': "ğ", 'д': "d", 'е': "e", 'ё': "io", 'ж': "j", 'з': "z",
		'и': "i", 'й': "i", 'к': "k", 'қ': "q", 'л': "l", 'м': "m", 'н': "n", 'ң': "ñ", 'о': "o", 'ө': "ö", 'п': "p",
		'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ұ': "ū", 'ү': "ü", 'ф': "f", 'х': "h", 'һ': "h", 'ц': "ts", 'ч': "ch",
		'ш': "ş", 'щ': "ş", 'ъ': "", 'ы': "y", 'і': "ı", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	}},
	{"kz2021ascii", map[rune]string{ // the same, typed without the diacritics
		'а': "a", 'ә': "a", 'б': "b", 'в': "v", 'г': "g", 'ғ': "g", 'д': "d", 'е': "e", 'ё': "io", 'ж': "j", 'з': "z",
		'и': "i", 'й': "i", 'к': "k", 'қ': "q", 'л': "l", 'м': "m", 'н': "n", 'ң': "n", 'о': "o", 'ө': "o", 'п': "p",
		'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ұ': "u", 'ү': "u", 'ф': "f", 'х': "h", 'һ': "h", 'ц': "ts", 'ч': "ch",
		'ш': "sh", 'щ': "sh", 'ъ': "", 'ы': "y", 'і': "i", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	}},
}

// withKazakh adds the Kazakh letters to a Russian scheme the way Russian
// speakers spell them (ң as n, қ as k, ...), and the Ukrainian and
// Belarusian letters as their nearest Russian ones.
func withKazakh(m map[rune]string) map[rune]string {
	for k, v := range map[rune]rune{'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и', 'ї': 'и', 'є': 'е', 'ґ': 'г', 'ў': 'у'} {
		m[k] = m[v]
	}
	return m
}

func romanise(s string, m map[rune]string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		lower := unicode.ToLower(r)
		t, ok := m[lower]
		if !ok {
			if isCyrillic(r) {
				return "", false
			}
			b.WriteRune(r)
			continue
		}
		if lower != r && t != "" {
			f, n := utf8.DecodeRuneInString(t)
			t = string(unicode.ToUpper(f)) + t[n:]
		}
		b.WriteString(t)
	}
	return b.String(), true
}

// kazakhFolded replaces the Kazakh letters by their Russian look-alikes.
var kazakhFolded = strings.NewReplacer(
	"ә", "а", "ғ", "г", "қ", "к", "ң", "н", "ө", "о", "ұ", "у", "ү", "у", "һ", "х", "і", "и",
	"Ә", "А", "Ғ", "Г", "Қ", "К", "Ң", "Н", "Ө", "О", "Ұ", "У", "Ү", "У", "Һ", "Х", "І", "И",
)

// l33t tables: what users substitute, in each script.
var (
	leetLatin    = map[rune][]string{'a': {"@", "4"}, 'e': {"3"}, 'i': {"1", "!"}, 'o': {"0"}, 's': {"$", "5"}, 't': {"7"}, 'l': {"1"}, 'g': {"9"}, 'b': {"8"}}
	leetCyrillic = map[rune][]string{'а': {"@", "4"}, 'о': {"0"}, 'з': {"3"}, 'ч': {"4"}, 'б': {"6"}, 'е': {"3"}, 'в': {"8"}, 'с': {"$", "5"}, 'и': {"u"}, 'т': {"7"}}
)

// leet substitutes every occurrence of one to three of the letters of s that
// have a substitute.
func leet(rng *rand.Rand, s string) (string, bool) {
	var cands []rune
	seen := map[rune]bool{}
	for _, r := range strings.ToLower(s) {
		if seen[r] {
			continue
		}
		if _, ok := leetLatin[r]; ok {
			cands = append(cands, r)
		} else if _, ok := leetCyrillic[r]; ok {
			cands = append(cands, r)
		}
		seen[r] = true
	}
	if len(cands) == 0 {
		return "", false
	}
	rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	pick := map[rune]string{}
	for _, r := range cands[:min(len(cands), 1+rng.IntN(3))] {
		subs := leetLatin[r]
		if subs == nil {
			subs = leetCyrillic[r]
		}
		pick[r] = subs[rng.IntN(len(subs))]
	}
	var b strings.Builder
	for _, r := range s {
		if t, ok := pick[unicode.ToLower(r)]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }

func hasCyrillic(s string) bool { return strings.IndexFunc(s, isCyrillic) >= 0 }

func hasKazakh(s string) bool { return strings.ContainsAny(s, "әғқңөұүһіӘҒҚҢӨҰҮҺІ") }

// suffix returns what users append: a year, digits, symbols, or both.
func suffix(rng *rand.Rand) (string, string) {
	year := func() string {
		if rng.IntN(3) == 0 {
			return fmt.Sprint(2015 + rng.IntN(16)) // 2015–2030: the year of the change
		}
		return fmt.Sprint(1950 + rng.IntN(81)) // 1950–2030: a birth year, mostly
	}
	symbols := []string{"!", "!", "!", "@", "#", "$", "*", ".", "!!", "!@#", "?", "_", "&", "%"}
	digits := []string{"1", "1", "12", "123", "123", "1234", "01", "007", "777", "69", "99", "11", "21", "22", "23", "24", "25"}
	switch rng.IntN(7) {
	case 0:
		return year() + symbols[rng.IntN(len(symbols))], "year+symbol"
	case 1:
		return symbols[rng.IntN(len(symbols))] + year(), "symbol+year"
	case 2:
		return digits[rng.IntN(len(digits))] + symbols[rng.IntN(len(symbols))], "digits+symbol"
	case 3:
		return symbols[rng.IntN(len(symbols))] + digits[rng.IntN(len(digits))], "symbol+digits"
	case 4:
		return "_" + year(), "_year"
	case 5:
		d := fmt.Sprintf("%02d%02d", 1+rng.IntN(28), 1+rng.IntN(12)) // a birthday, DDMM
		return d + symbols[rng.IntN(len(symbols))], "ddmm+symbol"
	default:
		return year(), "year"
	}
}

// composed makes p meet DefaultPolicy's composition (a letter, a digit, a
// special, at least 8 characters) the way users do, by appending, so that a
// rejection measures the strength estimate and not the composition rule.
func composed(rng *rand.Rand, p string) (string, bool) {
	added := false
	hasClass := func(f func(rune) bool) bool { return strings.IndexFunc(p, f) >= 0 }
	if !hasClass(unicode.IsLetter) {
		p = "Aa" + p
		added = true
	}
	if !hasClass(unicode.IsDigit) {
		p += fmt.Sprint(rng.IntN(10))
		added = true
	}
	if !hasClass(func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		p += "!"
		added = true
	}
	for n := utf8.RuneCountInString(p); n < 8; n++ {
		p += fmt.Sprint((n + 1) % 10)
		added = true
	}
	return p, added
}
