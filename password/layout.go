package password

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Keyboard layouts and transliteration.
//
// Users on this platform switch between the Latin (QWERTY), Russian (ЙЦУКЕН)
// and Kazakh keyboard layouts. A password typed with the wrong layout active is
// a different string of the same keys: "йцукен" is "qwerty", "ghbdtn" is
// "привет", and on the Kazakh layout the digit row yields ә і ң ғ ү ұ қ ө һ.
// Every map here sends one rune to one rune, so positions in a shifted string
// are positions in the original: matches found in a shifted string cover the
// same characters of the password.

// ruToKey maps a Russian-layout letter to the QWERTY key it sits on. The
// Kazakh layout keeps the Russian letters where they are.
var ruToKey = map[rune]rune{
	'й': 'q', 'ц': 'w', 'у': 'e', 'к': 'r', 'е': 't', 'н': 'y', 'г': 'u', 'ш': 'i', 'щ': 'o', 'з': 'p', 'х': '[', 'ъ': ']',
	'ф': 'a', 'ы': 's', 'в': 'd', 'а': 'f', 'п': 'g', 'р': 'h', 'о': 'j', 'л': 'k', 'д': 'l', 'ж': ';', 'э': '\'',
	'я': 'z', 'ч': 'x', 'с': 'c', 'м': 'v', 'и': 'b', 'т': 'n', 'ь': 'm', 'б': ',', 'ю': '.', 'ё': '`',
}

// keyToRu is the inverse of ruToKey: what a QWERTY key types on the Russian
// layout.
var keyToRu = invert(ruToKey)

// Two placements of the nine Kazakh letters on the digit row are in use: the
// sequential one (ә on 1 … һ on 9) and the one of the Windows "Kazakh" layout
// (KBDKAZ: ә on 2, і on 3, ң on 4, ғ on 5, ү on 8, ұ on 9, қ on 0, ө on -,
// һ on =). A password made of these letters is the digits the user meant to
// type, so both are tried.
var (
	kkDigitsSequential = map[rune]rune{'ә': '1', 'і': '2', 'ң': '3', 'ғ': '4', 'ү': '5', 'ұ': '6', 'қ': '7', 'ө': '8', 'һ': '9'}
	kkDigitsWindows    = map[rune]rune{'ә': '2', 'і': '3', 'ң': '4', 'ғ': '5', 'ү': '8', 'ұ': '9', 'қ': '0', 'ө': '-', 'һ': '='}
)

// leet maps the usual character substitutions back to letters. '1' and '|'
// stand for both i and l, so two tables are used.
var (
	leetI = map[rune]rune{'4': 'a', '@': 'a', '8': 'b', '(': 'c', '{': 'c', '[': 'c', '<': 'c', '3': 'e', '6': 'g', '9': 'g', '1': 'i', '!': 'i', '|': 'i', '0': 'o', '$': 's', '5': 's', '+': 't', '7': 't', '%': 'x', '2': 'z'}
	leetL = map[rune]rune{'4': 'a', '@': 'a', '8': 'b', '(': 'c', '{': 'c', '[': 'c', '<': 'c', '3': 'e', '6': 'g', '9': 'g', '1': 'l', '!': 'i', '|': 'l', '0': 'o', '$': 's', '5': 's', '+': 't', '7': 'l', '%': 'x', '2': 'z'}
)

// leetCyrillic undoes the substitutions made in Cyrillic words: @ and 4 for
// а, 0 for о, 3 for з, 6 for б, $ for с (the Latin-looking c), ! for і.
var leetCyrillic = map[rune]rune{'@': 'а', '4': 'а', '0': 'о', '3': 'з', '6': 'б', '$': 'с', '5': 'с', '!': 'і', '1': 'і', '|': 'і'}

// A runeTable is a rune-to-rune map for the runes below tableSize (ASCII,
// Latin, Cyrillic), as an array: the variants of a password are built with
// one index per rune instead of one map look-up.
type runeTable [tableSize]rune

const tableSize = 0x500 // through the Cyrillic block

func newRuneTable(ms ...map[rune]rune) *runeTable {
	var t runeTable
	for _, m := range ms {
		for k, v := range m {
			if k < tableSize && t[k] == 0 {
				t[k] = v
			}
		}
	}
	return &t
}

// apply returns what r maps to, or r.
func (t *runeTable) apply(r rune) rune {
	if r >= 0 && r < tableSize && t[r] != 0 {
		return t[r]
	}
	return r
}

// tables holds the layouts and l33t maps as runeTables.
var tables = struct {
	leetI, leetL, leetCyrillic               *runeTable
	ruKeysSequential, ruKeysWindows, keyToRu *runeTable
}{
	leetI:            newRuneTable(leetI),
	leetL:            newRuneTable(leetL),
	leetCyrillic:     newRuneTable(leetCyrillic),
	ruKeysSequential: newRuneTable(ruToKey, kkDigitsSequential),
	ruKeysWindows:    newRuneTable(ruToKey, kkDigitsWindows),
	keyToRu:          newRuneTable(keyToRu),
}

func invert(m map[rune]rune) map[rune]rune {
	inv := make(map[rune]rune, len(m))
	for k, v := range m {
		inv[v] = k
	}
	return inv
}

// translit lists the Latin spellings of each Cyrillic letter (Russian and
// Kazakh), most common first: passport (ICAO), GOST, informal chat spellings
// and the Kazakh Latin alphabet of 2021 with its diacritics folded (ä → a).
var translit = map[rune][]string{
	'а': {"a"}, 'б': {"b"}, 'в': {"v", "w"}, 'г': {"g"}, 'д': {"d"}, 'е': {"e", "ye"}, 'ё': {"e", "yo"},
	'ж': {"zh", "j"}, 'з': {"z"}, 'и': {"i", "y"}, 'й': {"y", "i", "j"}, 'к': {"k", "q"}, 'л': {"l"}, 'м': {"m"},
	'н': {"n"}, 'о': {"o"}, 'п': {"p"}, 'р': {"r"}, 'с': {"s"}, 'т': {"t"}, 'у': {"u", "w"}, 'ф': {"f"},
	'х': {"kh", "h", "x"}, 'ц': {"ts", "c"}, 'ч': {"ch", "c"}, 'ш': {"sh", "s"}, 'щ': {"shch", "sch"},
	'ъ': {"", "ie"}, 'ы': {"y", "i"}, 'ь': {"", "'"}, 'э': {"e"}, 'ю': {"yu", "iu"}, 'я': {"ya", "ia"},
	'ә': {"a", "ae"}, 'ғ': {"g", "gh"}, 'қ': {"q", "k"}, 'ң': {"n", "ng"}, 'ө': {"o", "oe"}, 'ұ': {"u"},
	'ү': {"u", "ue"}, 'һ': {"h"}, 'і': {"i"},
}

// maxTranslit bounds how many Latin spellings one word expands to.
const maxTranslit = 12

// transliterations returns up to limit Latin spellings of a lower-case
// Cyrillic word, the most usual first. Words with no Cyrillic letter give nil.
func transliterations(word string, limit int) []string {
	out := []string{""}
	cyr := false
	for _, r := range word {
		alts, ok := translit[r]
		if !ok {
			for i := range out {
				out[i] += string(r)
			}
			continue
		}
		cyr = true
		next := make([]string, 0, min(len(out)*len(alts), limit))
		for _, a := range alts {
			for _, o := range out {
				if len(next) == limit {
					break
				}
				next = append(next, o+a)
			}
		}
		out = next
	}
	if !cyr {
		return nil
	}
	return out
}

// latinToCyrillic spells a Latin word the way a Russian or Kazakh speaker
// writes it in Cyrillic ("admin" → "админ", "master" → "мастер").
func latinToCyrillic(word string) string {
	var b strings.Builder
	for i := 0; i < len(word); i++ {
		if i+1 < len(word) {
			if c, ok := latinDigraphs[word[i:i+2]]; ok {
				b.WriteString(c)
				i++
				continue
			}
		}
		c, ok := latinLetters[word[i]]
		if !ok {
			return ""
		}
		b.WriteString(c)
	}
	return b.String()
}

var latinDigraphs = map[string]string{"sh": "ш", "ch": "ч", "zh": "ж", "th": "т", "ph": "ф", "oo": "у", "ee": "и", "ck": "к", "ya": "я", "yu": "ю", "kh": "х", "ts": "ц"}

var latinLetters = map[byte]string{
	'a': "а", 'b': "б", 'c': "к", 'd': "д", 'e': "е", 'f': "ф", 'g': "г", 'h': "х", 'i': "и", 'j': "дж", 'k': "к", 'l': "л", 'm': "м",
	'n': "н", 'o': "о", 'p': "п", 'q': "к", 'r': "р", 's': "с", 't': "т", 'u': "у", 'v': "в", 'w': "в", 'x': "кс", 'y': "й", 'z': "з",
}

// fold lower-cases r and strips diacritics from Latin letters (ä → a, ş → s,
// ı → i), so that the Kazakh Latin alphabet and plain ASCII spellings meet.
// Cyrillic letters keep their marks: й and ё are letters of their own.
func fold(r rune) rune {
	r = unicode.ToLower(r)
	if r < 0x80 || !unicode.Is(unicode.Latin, r) {
		if r == 'ё' {
			return 'е'
		}
		return r
	}
	if r == 'ı' {
		return 'i'
	}
	var buf [8]byte
	d := norm.NFD.Append(buf[:0], []byte(string(r))...)
	if base := []rune(string(d)); len(base) > 0 && base[0] < 0x80 {
		return base[0]
	}
	return r
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }
