package freetext

import (
	"unicode/utf8"

	"github.com/1cb-kz/compliance/pii/internal/swar"
)

// Token kinds.
const (
	tWord  uint8 = iota + 1 // starts with a letter: letters, digits, inner '-', '\'' or '’'
	tNum                    // starts with a digit: digits, letters, inner '-', '/'
	tDot                    // '.'
	tComma                  // ','
	tQuote                  // « » " “ ” „
	tOther                  // any other punctuation or symbol, and invalid UTF-8
)

// Token flags.
const (
	fCap      uint8 = 1 << iota // word starts with an upper-case letter
	fUpper                      // word has two or more letters, all upper-case
	fGlued                      // no space between the previous token and this one
	fLine                       // a line break between the previous token and this one
	fLong                       // word or number longer than maxWordBytes
	fInnerCap                   // word has an upper-case letter after its first letter
)

// maxWordBytes bounds the words looked up in the dictionaries; a longer
// token is never a name, a marker or a place.
const maxWordBytes = 64

type token struct {
	start, end int32
	kind       uint8
	flags      uint8
	// Filled lazily by classify and nameClass.
	lvl   uint8
	class uint32 // cl* bits
	mark  uint32 // m* marker roles, 0 if none
}

// tokenizer splits s into tokens one at a time. Whitespace separates
// tokens and is not returned. Invalid UTF-8 bytes are tOther tokens.
type tokenizer struct {
	s string
	i int
}

// next returns the next token, or ok == false at the end of s.
func (z *tokenizer) next() (t token, ok bool) {
	s := z.s
	i := z.i
	var fl uint8 = fGlued
	for i < len(s) {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\r' {
			fl &^= fGlued
			i++
			continue
		}
		if c == '\n' || c == '\v' || c == '\f' {
			fl = fl&^fGlued | fLine
			i++
			continue
		}
		if c >= utf8.RuneSelf && c != 0xD0 && c != 0xD1 { // U+0400..U+047F are no spaces
			if r, size := decodeRune(s[i:]); isSpace(r) {
				if r == 0x2028 || r == 0x2029 || r == 0x85 {
					fl |= fLine
				}
				fl &^= fGlued
				i += size
				continue
			}
		}
		break
	}
	if i >= len(s) {
		z.i = i
		return token{}, false
	}
	if z.i == 0 && i == 0 {
		fl &^= fGlued
	}
	start := i
	c := s[i]
	switch {
	case c < utf8.RuneSelf && asciiLetter(c):
		if c <= 'Z' {
			fl |= fCap
		}
		i = z.wordEnd(i, &fl)
		return z.emit(start, i, tWord, fl)
	case c >= '0' && c <= '9':
		i = z.numEnd(i)
		return z.emit(start, i, tNum, fl)
	case c == '.':
		return z.emit(start, i+1, tDot, fl)
	case c == ',':
		return z.emit(start, i+1, tComma, fl)
	case c == '"':
		return z.emit(start, i+1, tQuote, fl)
	case c < utf8.RuneSelf:
		return z.emit(start, i+1, tOther, fl)
	}
	if i+1 < len(s) && (c == 0xD0 && s[i+1]&0xC0 == 0x80 || c == 0xD1 && s[i+1] >= 0x80 && s[i+1] < 0xA0) {
		// Cyrillic U+0400..U+045F: letters, upper case below U+0430.
		if c == 0xD0 && s[i+1] < 0xB0 {
			fl |= fCap
		}
		i = z.wordEnd(i, &fl)
		return z.emit(start, i, tWord, fl)
	}
	r, size := decodeRune(s[i:])
	if isLetter(r) {
		if isUpper(r) {
			fl |= fCap
		}
		i = z.wordEnd(i, &fl)
		return z.emit(start, i, tWord, fl)
	}
	switch r {
	case '«', '»', '“', '”', '„':
		return z.emit(start, i+size, tQuote, fl)
	}
	return z.emit(start, i+size, tOther, fl)
}

func (z *tokenizer) emit(start, end int, kind, fl uint8) (token, bool) {
	z.i = end
	if end-start > maxWordBytes {
		fl |= fLong
	}
	return token{start: int32(start), end: int32(end), kind: kind, flags: fl}, true
}

// wordEnd returns the end of the word that starts at i, and sets fUpper
// when it has two or more letters and all are upper-case.
func (z *tokenizer) wordEnd(i int, fl *uint8) int {
	s := z.s
	letters, uppers := 0, 0
	run := true
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case asciiLetter(c):
				letters++
				if c <= 'Z' {
					uppers++
				}
				i++
				continue
			case c >= '0' && c <= '9':
				i++
				continue
			case c == '-' || c == '\'':
				if i+1 < len(s) && startsAlnum(s[i+1:]) && i > 0 {
					i++
					continue
				}
			}
			break
		}
		if (c == 0xD0 || c == 0xD1) && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			// Cyrillic U+0400..U+047F: all letters; upper case below U+0430.
			letters++
			if c == 0xD0 && s[i+1] < 0xB0 {
				uppers++
			}
			i += 2
			// A run of lower-case Cyrillic, four letters at a time, tried
			// once a word: the rest is read a letter at a time.
			if run {
				run = false
				for i+8 <= len(s) && cyrLower4(swar.Load(s, i)) {
					letters += 4
					i += 8
				}
			}
			continue
		}
		r, size := decodeRune(s[i:])
		if isLetter(r) {
			letters++
			if isUpper(r) {
				uppers++
			}
			i += size
			continue
		}
		if r == '’' && startsAlnum(s[i+size:]) {
			i += size
			continue
		}
		break
	}
	if letters >= 2 && uppers == letters {
		*fl |= fUpper
	}
	if first := *fl&fCap != 0; uppers > 1 || uppers == 1 && !first {
		*fl |= fInnerCap
	}
	return i
}

// cyrLower4 reports whether the eight bytes of x are four two-byte
// characters that wordEnd reads as lower-case Cyrillic letters: 0xD0
// before 0xB0..0xBF (а..п) or 0xD1 before any continuation byte. The low
// bit of each lead byte (set for 0xD1) is copied to bits 4 and 5 of the
// byte after it, so one mask tests both: the lead is 0xD0 or 0xD1 and the
// second byte is 0xB0..0xBF after 0xD0, 0x80..0xBF after 0xD1.
func cyrLower4(x uint64) bool {
	const lead, cyr = 0x0001000100010001, 0xB0D0B0D0B0D0B0D0
	return (x|(x&lead)*0x3000)&0xF0FEF0FEF0FEF0FE == cyr
}

// numEnd returns the end of the number that starts at i: digits, then
// letters, digits, and inner '-' or '/' ("10А", "10/2", "22-үй").
func (z *tokenizer) numEnd(i int) int {
	s := z.s
	for i < len(s) {
		switch k := asciiTab[s[i]]; {
		case k&(bLetter|bDigit) != 0:
			i++
			continue
		case k&(bDash|bSlash) != 0:
			if i+1 < len(s) {
				if n := asciiTab[s[i+1]]; n&(bLetter|bDigit) != 0 || n&bHigh != 0 && startsAlnum(s[i+1:]) {
					i++
					continue
				}
			}
		case k&bHigh != 0:
			r, size := decodeRune(s[i:])
			if !isLetter(r) {
				return i
			}
			i += size
			continue
		}
		return i
	}
	return i
}

// decodeRune is utf8.DecodeRuneInString, with two-byte characters
// (Cyrillic, Kazakh, Latin-1) decoded here rather than in a call.
func decodeRune(s string) (rune, int) {
	if len(s) >= 2 && s[0] >= 0xC2 && s[0] < 0xE0 && s[1]&0xC0 == 0x80 {
		return rune(s[0]&0x1F)<<6 | rune(s[1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s)
}

func asciiLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// Byte classes of asciiTab.
const (
	bLetter = 1 << iota // ASCII letter
	bUpper              // ASCII upper-case letter
	bDigit              // ASCII digit
	bDash               // '-'
	bSlash              // '/'
	bApos               // '\''
	bHigh               // not ASCII
)

// asciiTab holds the b* classes of each byte, for the tokenizer's loops.
const asciiTab = "" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x20\x00\x00\x00\x00\x00\x08\x00\x10\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x00\x00\x00\x00\x00\x00" +
	"\x00\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x00\x00\x00\x00\x00" +
	"\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00" +
	"\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40" +
	"\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40" +
	"\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40" +
	"\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40"

func startsAlnum(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c < utf8.RuneSelf {
		return asciiLetter(c) || c >= '0' && c <= '9'
	}
	r, _ := decodeRune(s)
	return isLetter(r)
}

// isLetter reports whether r is a letter of the scripts this package reads:
// Latin (with the 2021 Kazakh Latin letters and Latin-1 accents) and
// Cyrillic (with the Kazakh letters). Other scripts are not letters here,
// so a word mixing them in is split and matches nothing.
func isLetter(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return asciiLetter(byte(r))
	case r >= 0x400 && r <= 0x4FF:
		return r < 0x482 || r > 0x489
	case r >= 0xC0 && r <= 0x17F:
		return r != 0xD7 && r != 0xF7
	}
	return false
}

// isUpper reports whether the letter r is upper-case (for isLetter's scripts).
func isUpper(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r >= 'A' && r <= 'Z'
	case r >= 0x400 && r <= 0x42F:
		return true
	case r >= 0x460 && r <= 0x4FF:
		if r == 0x4C0 { // Ӏ palochka
			return true
		}
		if r >= 0x4C1 && r <= 0x4CE {
			return r&1 == 1
		}
		return r&1 == 0
	case r >= 0xC0 && r <= 0xDE:
		return r != 0xD7
	case r >= 0x100 && r <= 0x17F:
		if r == 0x130 { // İ
			return true
		}
		if r == 0x131 { // ı
			return false
		}
		if r >= 0x139 && r <= 0x148 || r >= 0x179 && r <= 0x17E {
			return r&1 == 1
		}
		return r&1 == 0
	}
	return false
}

// isSpace reports whether the non-ASCII rune r separates words.
func isSpace(r rune) bool {
	switch r {
	case 0xA0, 0x85, 0x2028, 0x2029, 0x2002, 0x2003, 0x2007, 0x2009, 0x200A, 0x202F, 0x3000:
		return true
	}
	return false
}
