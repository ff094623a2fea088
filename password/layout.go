package password

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Keyboard layouts, l33t and the matching alphabet.
//
// Users on this platform switch between the Latin (QWERTY), Russian (ЙЦУКЕН)
// and Kazakh keyboard layouts. A password typed with the wrong layout active is
// a different string of the same keys: "йцукен" is "qwerty", "ghbdtn" is
// "привет", З"ыыц0кв1 is P@ssw0rd1, and on the Kazakh layout the digit row
// yields ә і ң ғ ү ұ қ ө һ. Every map here sends one rune to one rune, so
// positions in a rewritten password are positions in the password.

// ruToKey maps what the Russian layout types to the QWERTY character of the
// same key, symbols included (Shift+2 is " on ЙЦУКЕН, @ on QWERTY). The
// Kazakh layout keeps the Russian letters and symbols where they are.
var ruToKey = map[rune]rune{
	'й': 'q', 'ц': 'w', 'у': 'e', 'к': 'r', 'е': 't', 'н': 'y', 'г': 'u', 'ш': 'i', 'щ': 'o', 'з': 'p', 'х': '[', 'ъ': ']',
	'ф': 'a', 'ы': 's', 'в': 'd', 'а': 'f', 'п': 'g', 'р': 'h', 'о': 'j', 'л': 'k', 'д': 'l', 'ж': ';', 'э': '\'',
	'я': 'z', 'ч': 'x', 'с': 'c', 'м': 'v', 'и': 'b', 'т': 'n', 'ь': 'm', 'б': ',', 'ю': '.', 'ё': '`',
	'"': '@', '№': '#', ';': '$', ':': '^', '?': '&', '.': '/', ',': '?',
}

// keyToRu maps a QWERTY character to what the same key types on the Russian
// layout ("ghbdtn" is "привет", "@" is "). It is the inverse of ruToKey,
// with the shifted letter keys added.
var keyToRu = func() map[rune]rune {
	m := invert(ruToKey)
	for k, v := range map[rune]rune{':': 'ж', '"': 'э', '{': 'х', '}': 'ъ', '<': 'б', '>': 'ю', '~': 'ё'} {
		m[k] = v
	}
	return m
}()

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
// stand for both i and l, so two Latin tables are used. leetCyrillic undoes
// the substitutions made in Cyrillic words: @ and 4 (a) for а, 4 for ч, 0 for
// о, 3 for з, 6 for б, 8 for в, $ and 5 for с, ! and 1 for і.
var (
	leetI        = map[rune]rune{'4': 'a', '@': 'a', '8': 'b', '(': 'c', '{': 'c', '[': 'c', '<': 'c', '3': 'e', '6': 'g', '9': 'g', '1': 'i', '!': 'i', '|': 'i', '0': 'o', '$': 's', '5': 's', '+': 't', '7': 't', '%': 'x', '2': 'z'}
	leetL        = map[rune]rune{'4': 'a', '@': 'a', '8': 'b', '(': 'c', '{': 'c', '[': 'c', '<': 'c', '3': 'e', '6': 'g', '9': 'g', '1': 'l', '!': 'i', '|': 'l', '0': 'o', '$': 's', '5': 's', '+': 't', '7': 'l', '%': 'x', '2': 'z'}
	leetCyrillic = map[rune]rune{'@': 'а', '4': 'ч', '0': 'о', '3': 'з', '6': 'б', '8': 'в', '$': 'с', '5': 'с', '!': 'і', '1': 'і', '|': 'і', '#': 'ш', '9': 'д'}
)

// In a Cyrillic word, digits and symbols stand for the letters they look
// like, and so do the Latin letters that look like Cyrillic ones (u for и,
// p for р, c for с, 3 for е or з, 4 for а or ч): "П@нuхuдн@я", "Н3у43ный".
// The tables read the ambiguous substitutes each way (сказать is 5к434ть:
// 3 for з and 4 for а).
var (
	cyrillicLookalikes = map[rune]rune{
		'@': 'а', '0': 'о', '6': 'б', '8': 'в', '$': 'с', '5': 'с', '7': 'т', '1': 'і', '!': 'і', '|': 'і', '#': 'ш',
		'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'x': 'х', 'y': 'у', 'k': 'к', 'm': 'м', 't': 'т', 'h': 'н',
		'b': 'в', 'u': 'и', 'n': 'п', 'r': 'г', 'i': 'і',
	}
	cyrillicLookalikesA = map[rune]rune{'3': 'е', '4': 'а'}
	cyrillicLookalikesB = map[rune]rune{'3': 'з', '4': 'ч', '9': 'д'}
	cyrillicLookalikesC = map[rune]rune{'3': 'з', '4': 'а'}
	cyrillicLookalikesD = map[rune]rune{'3': 'е', '4': 'ч'}
)

// A runeTable is a rune-to-rune map for the runes below tableSize (ASCII,
// Latin, Cyrillic, №), as an array: the variants of a password are built
// with one index per rune instead of one map look-up.
type runeTable [tableSize]rune

const tableSize = 0x2200 // through the Letterlike Symbols block (№ is U+2116)

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

// has reports whether t maps r.
func (t *runeTable) has(r rune) bool { return r >= 0 && r < tableSize && t[r] != 0 }

// latinAlternatives reads the Latin letters that romanisations use for two
// different Cyrillic letters the other way: x is х in GOST 7.79 (Xaritonova,
// Buxara) where the matching alphabet reads кс (Maxim), and j is й in GOST
// (Zdravstvujte) where it reads ж (Janna).
var latinAlternatives = map[rune]rune{'x': 'х', 'j': 'й'}

// tables holds the layouts and l33t maps as runeTables. They are built on
// the first strength estimate, not at start-up.
type layoutTables struct {
	leetI, leetL, leetCyrillic               *runeTable
	lookalikesA, lookalikesB                 *runeTable
	lookalikesC, lookalikesD                 *runeTable
	latinAlternatives                        *runeTable
	ruKeysSequential, ruKeysWindows, keyToRu *runeTable
}

func newLayoutTables() *layoutTables {
	return &layoutTables{
		leetI:             newRuneTable(leetI),
		leetL:             newRuneTable(leetL),
		leetCyrillic:      newRuneTable(leetCyrillic),
		lookalikesA:       newRuneTable(cyrillicLookalikesA, cyrillicLookalikes),
		latinAlternatives: newRuneTable(latinAlternatives),
		lookalikesB:       newRuneTable(cyrillicLookalikesB, cyrillicLookalikes),
		lookalikesC:       newRuneTable(cyrillicLookalikesC, cyrillicLookalikes),
		lookalikesD:       newRuneTable(cyrillicLookalikesD, cyrillicLookalikes),
		ruKeysSequential:  newRuneTable(ruToKey, kkDigitsSequential),
		ruKeysWindows:     newRuneTable(ruToKey, kkDigitsWindows),
		keyToRu:           newRuneTable(keyToRu),
	}
}

func invert(m map[rune]rune) map[rune]rune {
	inv := make(map[rune]rune, len(m))
	for k, v := range m {
		inv[v] = k
	}
	return inv
}

// The matching alphabet.
//
// Every word list and every reading of the password is spelled in one
// alphabet before it is matched, so that one index serves every script and
// every romanisation. Cyrillic (Russian and Kazakh) is romanised, the Kazakh
// letters as their Russian look-alikes (ұ and ү as у, қ as к, ә as а …);
// the Latin spellings of one sound meet (sh, ş, sch and shch are ш; zh and
// j are ж; kh and h are х; ts, tc and ch are ц and ч; w is в; q is қ; y and i
// are й, ы and и; x is кс; ye, ie, yo and io are е and ё); a doubled letter
// counts once;
// and the separators people put inside phrases (space, -, _, ') are dropped.
// So Нұрлан, Нурлан, Nurlan and Nūrlan are one key, and so are Жанна,
// Zhanna and Janna, Шымкент and Şymkent, Сергей, Sergey and Sergei. The
// alphabet loses distinctions on purpose: an attacker's candidate list is
// the union of the spellings.

// cyrillicLatin is the first-stage spelling of each Cyrillic letter.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "j", 'з': "z", 'и': "i", 'й': "i",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "h", 'ц': "C", 'ч': "C", 'ш': "s", 'щ': "s", 'ъ': "", 'ы': "i", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'і': "i",
	'ї': "i", 'є': "e", 'ў': "u",
}

// latinSpecial spells the Latin letters whose diacritic changes the sound
// (the 2021 Kazakh alphabet's ş, Turkish ç) or that NFD does not decompose.
var latinSpecial = map[rune]string{
	'ş': "s", 'ș': "s", 'š': "s", 'ç': "C", 'č': "C", 'ž': "j", 'ı': "i", 'ß': "s", 'æ': "a", 'ø': "o", 'đ': "d", 'ł': "l",
	'œ': "o",
}

// The separators dropped from the matching alphabet.
func isSeparator(r rune) bool {
	return r == ' ' || r == '-' || r == '_' || r == '\'' || r == '`' || r == '’'
}

// expandTable holds the first-stage spelling of every rune below tableSize;
// runes above are spelled as themselves.
type expandTable [tableSize]string

func newExpandTable() *expandTable {
	var t expandTable
	for r := rune(0); r < tableSize; r++ {
		switch {
		case isSeparator(r):
			t[r] = ""
		case r < utf8.RuneSelf:
			t[r] = string(r)
		case cyrillicLatin[r] != "" || r == 'ъ' || r == 'ь':
			t[r] = cyrillicLatin[r]
		case latinSpecial[r] != "":
			t[r] = latinSpecial[r]
		case unicode.Is(unicode.Latin, r):
			t[r] = string(r)
			var buf [8]byte
			d := norm.NFD.AppendString(buf[:0], string(r))
			if len(d) > 0 && d[0] < utf8.RuneSelf && unicode.IsLetter(rune(d[0])) {
				t[r] = string(rune(unicode.ToLower(rune(d[0]))))
			}
		default:
			t[r] = string(r)
		}
	}
	return &t
}

// skeleton is a reading of the password spelled in the matching alphabet:
// b[k] was produced by the runes from[k]..to[k] of the password.
type skeleton struct {
	b        []byte
	from, to []int32
}

// digraphs of the second stage, longest first; each becomes one byte.
var digraphs = []struct {
	in  string
	out byte
}{
	{"shch", 's'}, {"dzh", 'j'}, {"sch", 's'},
	{"sh", 's'}, {"ch", 'C'}, {"zh", 'j'}, {"kh", 'h'}, {"ts", 'C'}, {"tc", 'C'}, {"tz", 'C'},
	{"gh", 'g'}, {"ph", 'f'}, {"th", 't'}, {"ck", 'k'}, {"ye", 'e'}, {"ie", 'e'}, {"yo", 'e'}, {"io", 'e'},
}

// digraphsFrom lists the digraphs by their first letter.
var digraphsFrom = func() (t [26][]struct {
	in  string
	out byte
}) {
	for _, d := range digraphs {
		t[d.in[0]-'a'] = append(t[d.in[0]-'a'], d)
	}
	return t
}()

// spell writes rs (lower case) in the matching alphabet into s.
func (m *matcher) spell(rs []rune, s *skeleton) {
	s.b, s.from, s.to = s.b[:0], s.from[:0], s.to[:0]
	// First stage: one rune at a time.
	var b1 []byte
	var f1, t1 []int32
	var buf [96]byte
	var fbuf, tbuf [96]int32
	b1, f1, t1 = buf[:0], fbuf[:0], tbuf[:0]
	for i, r := range rs {
		var e string
		if r >= 0 && r < tableSize {
			e = m.expand[r]
		} else {
			e = string(r)
		}
		if e == "" && (r == 'ь' || r == 'ъ') && len(b1) > 0 {
			// The signs spell as nothing but belong to the word: the byte
			// before covers them, so церковь matches all of Ц3рк08ь.
			t1[len(t1)-1] = int32(i)
			continue
		}
		for k := 0; k < len(e); k++ {
			b1 = append(b1, e[k])
			f1 = append(f1, int32(i))
			t1 = append(t1, int32(i))
		}
	}
	// Second stage: digraphs and single letters.
	var b2 []byte
	var f2, t2 []int32
	var buf2 [96]byte
	var fbuf2, tbuf2 [96]int32
	b2, f2, t2 = buf2[:0], fbuf2[:0], tbuf2[:0]
	emit := func(c byte, from, to int32) {
		b2 = append(b2, c)
		f2 = append(f2, from)
		t2 = append(t2, to)
	}
	for k := 0; k < len(b1); {
		c := b1[k]
		if c >= 'a' && c <= 'z' {
			done := false
			for _, d := range digraphsFrom[c-'a'] {
				if k+len(d.in) <= len(b1) && string(b1[k:k+len(d.in)]) == d.in {
					emit(d.out, f1[k], t1[k+len(d.in)-1])
					k += len(d.in)
					done = true
					break
				}
			}
			if done {
				continue
			}
			switch c {
			case 'w':
				c = 'v'
			case 'q', 'c':
				c = 'k'
			case 'y':
				c = 'i'
			case 'x':
				emit('k', f1[k], t1[k])
				c = 's'
			}
		}
		emit(c, f1[k], t1[k])
		k++
	}
	// Third stage: a doubled letter counts once (Алла and Ala, Жанна and
	// Zhana); longer runs are left as they are, to the repeat matcher.
	for k := 0; k < len(b2); {
		c := b2[k]
		j := k + 1
		for j < len(b2) && b2[j] == c {
			j++
		}
		if j-k == 2 && isASCIILetter(c) {
			s.b = append(s.b, c)
			s.from = append(s.from, f2[k])
			s.to = append(s.to, t2[k+1])
		} else {
			s.b = append(s.b, b2[k:j]...)
			s.from = append(s.from, f2[k:j]...)
			s.to = append(s.to, t2[k:j]...)
		}
		k = j
	}
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c == 'C' }
