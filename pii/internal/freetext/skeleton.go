package freetext

import "unicode/utf8"

// maxSkeleton bounds a skeleton; longer words match nothing.
const maxSkeleton = 48

// skeleton writes into buf a script-neutral key for the word w: lower-case
// ASCII, Cyrillic (Russian and Kazakh) and the 2021 Kazakh Latin letters
// mapped to one romanisation, so that "Нұрлан", "Нурлан", "Nūrlan" and
// "Nurlan" share the key "nurlan", and "Алия", "Aliya", "Aliia" share
// "alia". A word mixing scripts ("Ивaнов" with a Latin "a") gets the
// key of its intended spelling. It returns false for a word that has a
// letter outside these scripts or is too long.
func skeleton(buf *[maxSkeleton]byte, w string) ([]byte, bool) {
	n := 0
	put := func(p string) bool {
		if n+len(p) > len(buf) {
			return false
		}
		n += copy(buf[n:], p)
		return true
	}
	for i := 0; i < len(w); {
		c := w[i]
		var p string
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				p = asciiLower[c-'A' : c-'A'+1]
			case c >= 'a' && c <= 'z':
				p = asciiLower[c-'a' : c-'a'+1]
			case c == '-':
				p = "-"
			case c == '\'':
				continue
			case c >= '0' && c <= '9':
				p = digits[c-'0' : c-'0'+1]
			default:
				return nil, false
			}
		} else {
			r, size := decodeRune(w[i:])
			i += size
			var ok bool
			if p, ok = mapRune(r); !ok {
				return nil, false
			}
		}
		if !put(p) {
			return nil, false
		}
	}
	return normalise(buf[:n]), true
}

const (
	asciiLower = "abcdefghijklmnopkrstuvwxyz" // q reads as k (Kazakh Latin)
	digits     = "0123456789"
)

// cyr maps U+0410..U+044F (А..я) to their romanisation, upper and lower
// case alike.
var cyr = [32]string{
	"a", "b", "v", "g", "d", "e", "j", "z", "i", "i", "k", "l", "m", "n", "o", "p",
	"r", "s", "t", "u", "f", "h", "ts", "ch", "sh", "sh", "", "y", "", "e", "iu", "ia",
}

func mapRune(r rune) (string, bool) {
	switch {
	case r >= 0x410 && r <= 0x42F:
		return cyr[r-0x410], true
	case r >= 0x430 && r <= 0x44F:
		return cyr[r-0x430], true
	}
	switch r {
	case 'Ё', 'ё', 'Є', 'є':
		return "e", true
	case 'І', 'і', 'Ї', 'ї', 'ı', 'İ', 'Ì', 'Í', 'Î', 'Ï', 'ì', 'í', 'î', 'ï', 'Ī', 'ī':
		return "i", true
	case 'Ә', 'ә', 'Ä', 'ä', 'À', 'Á', 'Â', 'Ã', 'Å', 'à', 'á', 'â', 'ã', 'å', 'Ā', 'ā':
		return "a", true
	case 'Ғ', 'ғ', 'Ğ', 'ğ', 'Ґ', 'ґ':
		return "g", true
	case 'Қ', 'қ':
		return "k", true
	case 'Ң', 'ң', 'Ñ', 'ñ':
		return "n", true
	case 'Ө', 'ө', 'Ö', 'ö', 'Ò', 'Ó', 'Ô', 'Õ', 'ò', 'ó', 'ô', 'õ', 'Ø', 'ø', 'Ō', 'ō':
		return "o", true
	case 'Ұ', 'ұ', 'Ү', 'ү', 'Ū', 'ū', 'Ü', 'ü', 'Ù', 'Ú', 'Û', 'ù', 'ú', 'û', 'Ў', 'ў':
		return "u", true
	case 'Һ', 'һ':
		return "h", true
	case 'Ş', 'ş', 'Š', 'š':
		return "sh", true
	case 'Ç', 'ç', 'Č', 'č':
		return "ch", true
	case 'Ž', 'ž':
		return "j", true
	case 'É', 'È', 'Ê', 'Ë', 'é', 'è', 'ê', 'ë', 'Ē', 'ē':
		return "e", true
	case 'Ý', 'ý', 'ÿ':
		return "y", true
	case 'ß':
		return "ss", true
	case '’':
		return "", true
	}
	return "", false
}

// normalise rewrites a lower-case romanisation in place to one spelling:
// zh→j, kh→h, initial ye→e, y before a vowel or after one→i,
// doubled letters once ("Assel"→"asel", "Дмитрий"→"dmitri").
func normalise(b []byte) []byte {
	w := 0
	for r := 0; r < len(b); r++ {
		c := b[r]
		var nx byte
		if r+1 < len(b) {
			nx = b[r+1]
		}
		switch {
		case c == 'z' && nx == 'h':
			c = 'j'
			r++
		case c == 'k' && nx == 'h':
			c = 'h'
			r++
		case c == 'y' && r == 0 && nx == 'e':
			continue // "yerlan" → "erlan"
		case c == 'y' && (isVowel(nx) || w > 0 && isVowel(b[w-1])):
			c = 'i'
		}
		if w > 0 && b[w-1] == c && c != '-' {
			continue
		}
		b[w] = c
		w++
	}
	return b[:w]
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// lowerWord writes into buf the lower-case form of w for the marker and
// context tables (ASCII and Cyrillic letters; other runes as they are).
func lowerWord(buf *[maxSkeleton]byte, w string) ([]byte, bool) {
	if len(w) > len(buf) {
		return nil, false
	}
	n := 0
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
			n++
			i++
			continue
		}
		if c == 0xD0 && i+1 < len(w) && w[i+1] >= 0xB0 && w[i+1] <= 0xBF || c == 0xD1 && i+1 < len(w) && w[i+1] >= 0x80 && w[i+1] <= 0xBF {
			buf[n], buf[n+1] = c, w[i+1] // lower-case Cyrillic
			n += 2
			i += 2
			continue
		}
		r, size := decodeRune(w[i:])
		switch {
		case r >= 0x410 && r <= 0x42F:
			r += 0x20
		case r >= 0x400 && r <= 0x40F:
			r += 0x50
		case r >= 0x460 && r <= 0x4FF && r != 0x4C0 && isUpper(r):
			r++
		case r == 'İ':
			r = 'i'
		case r >= 0xC0 && r <= 0xDE && r != 0xD7:
			r += 0x20
		case r >= 0x100 && r <= 0x17F && isUpper(r):
			r++
		}
		if r == utf8.RuneError && size == 1 {
			return nil, false
		}
		n += utf8.EncodeRune(buf[n:], r)
		i += size
	}
	return buf[:n], true
}
