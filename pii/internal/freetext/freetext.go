package freetext

import (
	"math/bits"
	"sync"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/pii/internal/swar"
)

// Kind is the kind of a span found by [Find].
type Kind uint8

const (
	// Name is a person's name: surname, given name, patronymic, initials.
	Name Kind = iota + 1
	// Address is a Kazakhstan address, or the street, house and flat part of one.
	Address
)

// Span is a found piece of text: s[Start:End] is of kind Kind.
type Span struct {
	Start, End int // byte offsets into s
	Kind       Kind
}

const (
	window   = 256 // tokens held at once
	lookMax  = 64  // the most tokens a span (with its context) may reach ahead
	lookBack = 4   // tokens kept before the next one to read, for context words
)

// win is the window of tokens Find works on.
type win struct {
	s    string
	t    []token
	d    *tables
	buf  [maxSkeleton]byte
	toks [window]token
	acr  [1 << acrBits]acrEntry // see acronym
	mem  [1 << memBits]memEntry // see memEntry
	// comps holds the parts of the address address reads; chain fills
	// comps[:n] and nothing reads past it.
	comps [maxComps]comp
}

// wins recycles windows: a window is 6 KiB, too big to clear on every
// call for a log line.
var wins = sync.Pool{New: func() any { return new(win) }}

// Find appends to dst the name and address spans of s, in order, non-overlapping;
// time linear in len(s); safe on invalid UTF-8 and hostile input.
func Find(dst []Span, s string) []Span {
	p := nextHot(s, 0)
	if p < 0 {
		return dst
	}
	w := wins.Get().(*win)
	w.d = dicts()
	dst = w.find(dst, s, p)
	w.s, w.t = "", nil
	wins.Put(w)
	return dst
}

// Delim reports whether [FindSplit] splits its text at byte c: a control
// character (a line break, a tab) or one of `"<>[\]`.
func Delim(c byte) bool { return delimBytes[c] != 0 }

// FindSplit appends to dst what Find finds in each stretch of s between
// delimiter bytes (see [Delim]), each stretch on its own, with the spans
// in offsets of s. It is Find called on each stretch, with one window for
// all of them.
func FindSplit(dst []Span, s string) []Span {
	var w *win
	for i := 0; i < len(s); {
		// The first byte from i that may start a span, in whatever
		// stretch: the stretches before the one that holds it have none
		// and are passed over without looking for their delimiters.
		// Whether a byte is hot depends on the bytes beside it, and a
		// delimiter beside it reads as the stretch's end would: it is
		// neither a letter nor a digit nor a continuation byte.
		h := nextHot(s[i:], 0) // s[i-1] is a delimiter, read as the start
		if h < 0 {
			break
		}
		h += i
		b := i // the start of the stretch that holds h
		for k := h - 1; k >= i; k-- {
			if delimBytes[s[k]] != 0 {
				b = k + 1
				break
			}
		}
		j := nextDelim(s, h)
		if w == nil {
			w = wins.Get().(*win)
			w.d = dicts()
		}
		n := len(dst)
		dst = w.find(dst, s[b:j], h-b)
		for k := n; k < len(dst); k++ {
			dst[k].Start += b
			dst[k].End += b
		}
		i = j + 1
	}
	if w != nil {
		w.s, w.t = "", nil
		wins.Put(w)
	}
	return dst
}

// nextDelim returns the index of the first delimiter byte (see [Delim])
// at or after i, or len(s). It skips eight bytes at a time while none of
// them is below 0x20, 0x7F, '"', in '<'..'>' or in '['..']'.
func nextDelim(s string, i int) int {
	const ones = 0x0101010101010101
	for ; i+8 <= len(s); i += 8 {
		x := swar.Load(s, i)
		lo := x & (ones * 127)
		if m := swar.Less(x, 0x20) | swar.ZeroBytes(x^ones*0x7F) | swar.ZeroBytes(x^ones*'"') |
			(swar.Low7Between(lo, '<'-1, '>'+1)|swar.Low7Between(lo, '['-1, ']'+1))&^x; m != 0 {
			// Every delimiter is flagged: none comes before the first
			// flagged byte.
			for k := i + bits.TrailingZeros64(m)>>3; k < i+8; k++ {
				if delimBytes[s[k]] != 0 {
					return k
				}
			}
		}
	}
	for ; i < len(s); i++ {
		if delimBytes[s[i]] != 0 {
			return i
		}
	}
	return len(s)
}

// delimBytes marks the delimiter bytes (see [Delim]).
const delimBytes = "" +
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" +
	"\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x01\x01\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// find appends the spans of s, whose first hot byte is at p.
func (w *win) find(dst []Span, s string, p int) []Span {
	w.s = s
	// floor: where the last region ended; regions never start before it.
	for floor := 0; p >= 0; {
		if c := s[p]; c >= '0' && c <= '9' {
			end, ok := p+len("2026-12-07T10"), false
			if !stampHead(s, p) {
				end, ok = w.numberMatters(p)
			}
			if !ok {
				// No address marker or postcode shape near this number; a
				// time ("10:15:02Z") is passed over whole.
				for end+1 < len(s) && s[end] == ':' && s[end+1] >= '0' && s[end+1] <= '9' {
					z := tokenizer{s: s, i: end + 1}
					end = z.numEnd(end + 1)
				}
				p = nextHot(s, end)
				continue
			}
		} else if end, ok := w.alone(p); ok {
			p = nextHot(s, end) // a capitalised word that no span can hold
			continue
		}
		dst, floor = w.region(dst, regionStart(s, p, floor), p)
		p = nextHot(s, floor)
	}
	return dst
}

// region tokenises s from q, where a few words of context precede the
// capitalised word or number at p, until three lower-case words in a row
// that cannot be address markers or context words,
// and appends the spans found there.
// It returns the end of the region.
func (w *win) region(dst []Span, q, p int) ([]Span, int) {
	buf := &w.toks
	z := tokenizer{s: w.s, i: q}
	var (
		n, i  int  // tokens in buf, next token to consider
		end   bool // the region is tokenised
		hot   bool // a hot token was read
		quiet int  // lower-case words since the last hot token
		next  = p + 1
	)
	for {
		for n < len(buf) && !end {
			t, ok := z.next()
			if !ok {
				end = true
				break
			}
			buf[n] = t
			n++
			if t.kind == tNum || t.kind == tQuote || t.kind == tWord && t.flags&fCap != 0 || int(t.start) <= p && p < int(t.end) {
				hot, quiet = true, 0
				next = max(next, int(t.end))
			} else if t.kind == tWord && !w.d.maybeMarker(w.s[t.start:t.end]) {
				if quiet++; hot && quiet > 2 || !hot && int(t.start) > p {
					end = true
				}
			}
		}
		w.t = buf[:n]
		limit := n
		if !end {
			limit = n - lookMax
		}
		for i < limit {
			if !w.candidate(i) {
				i++
				continue
			}
			if e, ok := w.address(i); ok {
				dst = append(dst, w.span(i, e, Address))
				next = max(next, int(w.t[e-1].end))
				i = e
				continue
			}
			if b, e, ok := w.name(i); ok {
				dst = append(dst, w.span(b, e, Name))
				next = max(next, int(w.t[e-1].end))
				i = e
				continue
			}
			i++
		}
		if end {
			// The next region starts after the last hot token or span, so
			// that the quiet words after them can be its context, and spans
			// never overlap.
			return dst, next
		}
		keep := max(i-lookBack, 0)
		n = copy(buf[:], buf[keep:n])
		i -= keep
	}
}

// stampHead reports whether the digit at p starts the date, hours and
// minutes of an RFC 3339 time ("2026-12-07T10:15:02Z") after no word: a
// number that numberMatters would pass over, reading "2026-12-07T10" with
// neither a postcode's shape nor a marker before or after it.
func stampHead(s string, p int) bool {
	const n = len("2026-12-07T10:15:")
	if len(s)-p < n {
		return false
	}
	t := s[p : p+n]
	if t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15} {
		if asciiTab[t[i]]&bDigit == 0 {
			return false
		}
	}
	if p > 0 {
		if c := s[p-1]; c == ' ' || c == '.' || asciiTab[c]&(bLetter|bDash|bHigh) != 0 {
			return false // a word may come before: numberMatters reads it
		}
	}
	return true
}

// numberMatters reports whether the number at p may start an address: a
// postcode, a number with a Kazakh marker suffix ("10-үй"), or a number
// next to an address marker ("д. 10", "10 үй", "5 мкр").
// A number inside an address that has a capitalised word is read with
// that word's region anyway. It returns the end of the number.
func (w *win) numberMatters(p int) (int, bool) {
	s := w.s
	z := tokenizer{s: s, i: p}
	end := z.numEnd(p) // the token at p, a digit: what z.next would read
	num := s[p:end]
	if len(num) == 6 && allDigits(num) && (num[0] == '0' || num[0] == '1') || hasNonASCII(num) {
		return end, true // a postcode, or "10-үй", "5-пәтер"
	}
	// The word before, over spaces and one dot.
	i := p
	for i > 0 && s[i-1] == ' ' {
		i--
	}
	if i > 0 && s[i-1] == '.' {
		i--
	}
	j := i
	for j > 0 && i-j < 24 && asciiTab[s[j-1]]&(bHigh|bLetter|bDash) != 0 {
		j--
	}
	if j < i && w.isMarker(s[j:i]) {
		return end, true
	}
	// The word after.
	k := end
	for k < len(s) && (s[k] == ' ' || s[k] == '-') {
		k++
	}
	m := k
	for m < len(s) && m-k < 24 && asciiTab[s[m]]&(bHigh|bLetter) != 0 {
		m++
	}
	return end, m > k && w.isMarker(s[k:m])
}

// alone reports whether the capitalised word at p can be passed over
// without reading a region around it, and returns its end. Most capitalised
// words of logs and prose (log levels, identifiers, sentence starts) are
// such words: every span holds a capitalised word or a number next to
// another capitalised word, a number, a marker, a context word or a
// comma, and a region read for one of those reads the words around it.
// What is left is a word between lower-case words that are neither
// markers nor context words, or a line's ends, or ":;!?)": it is a span
// only as a well-known given name alone, which needs a non-ASCII letter
// and a given-name prefix. Anything unusual reads the region.
func (w *win) alone(p int) (int, bool) {
	s := w.s
	t, known := capWordAt(s, p)
	if !known {
		z := tokenizer{s: s, i: p}
		t, _ = z.next()
	}
	end := int(t.end)
	if t.kind != tWord || int(t.start) != p || t.flags&fLong != 0 {
		return end, false
	}
	if !w.quietBefore(p) {
		return end, false
	}
	if !w.quietAfter(end) {
		// An acronym that no list knows (INFO, GET, ГБД) is never part of
		// a name, nor a place or a marker; a span after it is read from
		// the next word's region, which looks back over it.
		return end, t.flags&fUpper != 0 && w.acronym(t)
	}
	if s[p] < utf8.RuneSelf {
		return end, true // a Latin word alone is never a name
	}
	if t.flags&fUpper != 0 && w.acronym(t) {
		return end, true
	}
	return end, w.noGivenPrefix(&t)
}

// noGivenPrefix reports whether the skeleton of word t starts as no given
// name does, remembered with the word's classes (see memEntry).
func (w *win) noGivenPrefix(t *token) bool {
	e := w.memory(t)
	if e != nil && e.noGiven != 0 {
		return e.noGiven == 1
	}
	sk, ok := skeleton(&w.buf, w.s[t.start:t.end])
	no := ok && !w.d.givenPrefix.may(sk)
	if e != nil {
		e.noGiven = 2
		if no {
			e.noGiven = 1
		}
	}
	return no
}

// acronym reports whether the all-capitals word t is an acronym: no name,
// place, marker or context word. The answer depends on the word's bytes
// alone, so that for a word of up to eight bytes it is remembered in the
// window (log levels and acronyms recur on every line).
func (w *win) acronym(t token) bool {
	word := w.s[t.start:t.end]
	if len(word) > 8 {
		return w.acronymClass(t)
	}
	var k uint64
	for i := 0; i < len(word); i++ {
		k |= uint64(word[i]) << (8 * i)
	}
	e := &w.acr[(k*0x9E3779B97F4A7C15)>>(64-acrBits)]
	if e.n != uint8(len(word)) || e.key != k {
		*e = acrEntry{key: k, n: uint8(len(word)), yes: w.acronymClass(t)}
	}
	return e.yes
}

// acrBits sets the size of the window's memory of acronyms: 1<<acrBits.
const acrBits = 5

// acrEntry remembers acronym's answer for a word of n bytes packed into
// key; n is 0 in an empty entry.
type acrEntry struct {
	key uint64
	n   uint8
	yes bool
}

// acronymClass is acronym without the memory.
func (w *win) acronymClass(t token) bool {
	w.toks[0] = t
	w.t = w.toks[:1]
	c := w.nameClass(0, lvlFull)
	w.t = nil
	return c.class&clNotName != 0 && c.mark == 0 &&
		c.class&(clCity|clRegion|clCountry|clCtxPre|clCtxPost|clCtxRole|clCtxLink|clUly) == 0
}

// quietAfter reports whether what follows the word that ends at e cannot
// join it in a span: the end of the text or line, a lower-case word that
// is not a marker or a context word, or one of ":;!?)".
func (w *win) quietAfter(e int) bool {
	s := w.s
	for e < len(s) && (s[e] == ' ' || s[e] == '\t') {
		e++
	}
	if e >= len(s) {
		return true
	}
	if c := s[e]; c < utf8.RuneSelf && !asciiLetter(c) && (c < '0' || c > '9') {
		// Punctuation but the dot, the comma and the quote ends every
		// span ("GET /api", "WARN: ...").
		return c != '.' && c != ',' && c != '"'
	}
	end, known := lowerWordAt(s, e)
	if !known {
		z := tokenizer{s: s, i: e}
		t, _ := z.next()
		if t.kind != tWord || int(t.start) != e || t.flags&(fCap|fUpper|fLong|fInnerCap) != 0 {
			return false
		}
		end = int(t.end)
	} else if end < 0 {
		return false
	}
	word := s[e:end]
	if !w.d.maybeMarker(word) {
		return true // a word in lower case: the filter answers
	}
	return !w.markerOrContext(word)
}

// lowerWordAt reads the token at e, the start of a token, as the
// tokenizer would, for the common case of a word of lower-case ASCII and
// Cyrillic letters (а..я, ѐ..џ) and digits, with an inner hyphen or apostrophe
// before an ASCII letter or digit. It returns the word's end, or -1 if
// the token is not a word in lower case of at most maxWordBytes; known is
// false where it cannot tell (other letters, spaces or marks).
func lowerWordAt(s string, e int) (end int, known bool) {
	i := e
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || i > e && c >= '0' && c <= '9':
			i++
			continue
		case c >= 'A' && c <= 'Z' || i == e && c >= '0' && c <= '9':
			return -1, true // upper case, or a number
		case c == '-' || c == '\'':
			if i > e && i+1 < len(s) {
				if n := s[i+1]; n >= utf8.RuneSelf {
					return 0, false
				} else if asciiLetter(n) || n >= '0' && n <= '9' {
					i++
					continue
				}
			}
		case c == 0xD0 && i+1 < len(s) && s[i+1] >= 0xB0 && s[i+1] <= 0xBF,
			c == 0xD1 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F:
			i += 2
			continue
		case c == 0xD0 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0xAF:
			return -1, true // Ѐ..Я
		case c >= utf8.RuneSelf:
			return 0, false
		}
		break
	}
	if i == e {
		return 0, false
	}
	if i-e > maxWordBytes {
		return -1, true
	}
	return i, true
}

// capWordAt reads the token at p, a byte that starts a capital letter,
// as the tokenizer would, for the common case of a word of ASCII letters
// and digits, with an inner hyphen or apostrophe before an ASCII letter or
// digit, and Cyrillic letters of U+0400..U+047F; known is false where it
// cannot tell (other letters, spaces or marks).
func capWordAt(s string, p int) (t token, known bool) {
	if c := s[p]; asciiTab[c]&bUpper == 0 && !(c == 0xD0 && p+1 < len(s) && s[p+1] >= 0x80 && s[p+1] < 0xB0) {
		return token{}, false
	}
	i := p
	letters, uppers := 0, 0
	for i < len(s) {
		c := s[i]
		k := asciiTab[c]
		switch {
		case k&bLetter != 0:
			letters++
			if k&bUpper != 0 {
				uppers++
			}
			i++
			continue
		case k&bDigit != 0 && i > p:
			i++
			continue
		case k&(bDash|bApos) != 0 && i > p && i+1 < len(s):
			if n := asciiTab[s[i+1]]; n&bHigh != 0 {
				return token{}, false
			} else if n&(bLetter|bDigit) != 0 {
				i++
				continue
			}
		case (c == 0xD0 || c == 0xD1) && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			letters++
			if c == 0xD0 && s[i+1] < 0xB0 {
				uppers++
			}
			i += 2
			continue
		case k&bHigh != 0:
			return token{}, false
		}
		break
	}
	var fl uint8 = fCap | fGlued
	if p == 0 {
		fl = fCap
	}
	if letters >= 2 && uppers == letters {
		fl |= fUpper
	}
	if uppers > 1 {
		fl |= fInnerCap
	}
	if i-p > maxWordBytes {
		fl |= fLong
	}
	return token{start: int32(p), end: int32(i), kind: tWord, flags: fl}, true
}

// markerOrContext reports whether word is an address marker or a context
// word (any case), or may be one: a word it cannot read.
func (w *win) markerOrContext(word string) bool {
	if !w.d.maybeMarker(word) && (len(word) <= 4 || lowerTail(word)) {
		return false // the filter answers for short words and words in lower or title case
	}
	lw, ok := lowerWord(&w.buf, word)
	return !ok || w.d.marker[string(lw)] != 0 || w.d.context[string(lw)] != 0
}

// quietBefore reports whether what precedes p (over spaces and up to two
// ASCII punctuation marks) cannot make the word at p part of a span: the
// start of the text or a line, a number, or a word that is not a marker
// or a context word.
func (w *win) quietBefore(p int) bool {
	s := w.s
	j := p
	for punct := 0; ; {
		for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
			j--
		}
		if j == 0 {
			return true
		}
		c := s[j-1]
		if c == '\n' || c == '\r' || c >= '0' && c <= '9' {
			return true
		}
		if c >= utf8.RuneSelf || asciiLetter(c) {
			break
		}
		if punct++; punct > 2 {
			return true
		}
		j--
	}
	m := j
	for m > 0 && j-m < maxSkeleton && (s[m-1] >= utf8.RuneSelf || asciiLetter(s[m-1]) || s[m-1] == '-') {
		m--
	}
	if m > 0 && (s[m-1] >= utf8.RuneSelf || asciiLetter(s[m-1])) {
		return false // a word too long to read here
	}
	for m < j && !utf8.RuneStart(s[m]) {
		m++
	}
	word := s[m:j]
	if word == "" || !utf8.ValidString(word) {
		return false
	}
	return !w.markerOrContext(word)
}

// lowerTail reports whether the runes of word after its first are all
// lower-case, so that its filterKey is the lower-case word's.
func lowerTail(word string) bool {
	_, n := utf8.DecodeRuneInString(word)
	for i := n; i < len(word); {
		c := word[i]
		switch {
		case c < utf8.RuneSelf:
			if c >= 'A' && c <= 'Z' {
				return false
			}
			i++
			continue
		case c == 0xD0 && i+1 < len(word) && word[i+1] >= 0xB0 && word[i+1] <= 0xBF,
			c == 0xD1 && i+1 < len(word) && word[i+1] >= 0x80 && word[i+1] <= 0x9F:
			i += 2 // Cyrillic а..я, ѐ..џ
			continue
		}
		r, size := utf8.DecodeRuneInString(word[i:])
		if isUpper(r) || r == utf8.RuneError {
			return false
		}
		i += size
	}
	return true
}

// isMarker reports whether word (maybe starting mid-rune, then it is not)
// is an address marker.
func (w *win) isMarker(word string) bool {
	if !w.d.maybeMarker(word) || !utf8.RuneStart(word[0]) || !utf8.ValidString(word) {
		return false
	}
	lw, ok := lowerWord(&w.buf, word)
	return ok && w.d.marker[string(lw)] != 0
}

// nextHot returns the index of the next byte at or after pos that starts a
// word with an upper-case letter or a digit, or -1. It skips eight bytes
// at a time while none of them can be part of one: an ASCII digit or
// capital, 0xD0 before 0x80..0xAF (Cyrillic Ѐ..Я), a lead byte 0xC3..0xC5
// (Latin-1 and Latin Extended-A letters), 0xD2 or 0xD3 before an even byte
// (the Kazakh capitals and the other capitals of U+0480..U+04FF) and 0xD3
// before 0x80..0x8F (Ӏ, Ӂ …); a two-byte test also looks at the byte
// before the eight, and the bytes are then read from it. Lower-case
// Cyrillic and Kazakh letters (ё, і, қ, ү …) pass without a byte-by-byte
// read.
func nextHot(s string, pos int) int {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	i := pos
	var prev uint64 // the byte before s[i]
	if i > 0 {
		prev = uint64(s[i-1])
	}
	for ; i+8 <= len(s); i += 8 {
		x := swar.Load(s, i)
		y := x<<8 | prev // the byte before each byte of x
		lo := x & (ones * 127)
		// ASCII digits and capitals; bytes in 0x90..0xAF, in 0xC3..0xC5;
		// bytes after a 0xD0 (and maybe a few more), bytes in 0x80..0x8F,
		// even bytes after a 0xD2 or 0xD3, bytes after a 0xD3 (and maybe a
		// few more).
		ascii := (swar.Low7Between(lo, '0'-1, '9'+1) | swar.Low7Between(lo, 'A'-1, 'Z'+1)) &^ x
		c9 := swar.Low7Between(lo, 0x0F, 0x30) & x
		lat := swar.Low7Between(lo, 0x42, 0x46) & x
		d0 := swar.ZeroBytes(y ^ ones*0xD0)
		c8 := swar.ZeroBytes(x&(ones*0xF0) ^ ones*0x80)
		kk := swar.Low7Between(y&(ones*127), 0x51, 0x54) & y & (^x & ones << 7)
		d3 := swar.ZeroBytes(y ^ ones*0xD3)
		if m := ascii | d0&(c9|c8) | lat | kk | d3&c8; m != 0 {
			// Every byte that may start a capital is flagged (or the
			// byte after it, for two-byte tests): none starts before
			// the byte before the first flagged one.
			k := i + bits.TrailingZeros64(m)>>3
			if j := nextHotBytes(s, max(pos, k-1), i+8); j >= 0 {
				return j
			}
		}
		prev = x >> 56
	}
	return nextHotBytes(s, max(pos, i-1), len(s))
}

// nextHotBytes is nextHot byte by byte over s[from:to] (it may look at
// the bytes after to).
func nextHotBytes(s string, from, to int) int {
	for i := from; i < to; i++ {
		switch hotBytes[s[i]] {
		case 0:
			continue
		case 2: // Cyrillic U+0400..U+043F: upper case is U+0400..U+042F
			if i+1 >= len(s) || s[i+1] < 0x80 || s[i+1] >= 0xC0 {
				continue // a stray byte: the next is read on its own
			}
			if s[i+1] >= 0xB0 {
				i++ // a lower-case letter
				continue
			}
		case 3: // a two-byte letter: decoded here, DecodeRune is slower
			if i+1 >= len(s) || s[i+1]&0xC0 != 0x80 {
				continue
			}
			if r := rune(s[i]&0x1F)<<6 | rune(s[i+1]&0x3F); !isLetter(r) || !isUpper(r) {
				i++
				continue
			}
		}
		if i == 0 || !wordByteBefore(s, i) {
			return i
		}
	}
	return -1
}

// wordByteBefore reports whether a letter or digit ends just before i.
func wordByteBefore(s string, i int) bool {
	c := s[i-1]
	if c < utf8.RuneSelf {
		return asciiLetter(c) || c >= '0' && c <= '9'
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isLetter(r)
}

// regionStart steps back from p over up to three tokens (at most 64 bytes,
// never before pos, never across a line break) and returns where to start
// tokenising, so that markers and context words before p are read.
func regionStart(s string, p, pos int) int {
	j := p
	for range 3 {
		k := j
		for k > pos && (s[k-1] == ' ' || s[k-1] == '\t') {
			k--
		}
		if k == pos || s[k-1] == '\n' || s[k-1] == '\r' {
			break
		}
		if c := s[k-1]; c >= utf8.RuneSelf || asciiLetter(c) || c >= '0' && c <= '9' || c == '-' {
			m := k
			for m > pos && k-m <= 32 {
				c := s[m-1]
				if !(c >= utf8.RuneSelf || asciiLetter(c) || c >= '0' && c <= '9' || c == '-') {
					break
				}
				m--
			}
			if k-m > 32 {
				break
			}
			for m < k && !utf8.RuneStart(s[m]) {
				m++
			}
			k = m
		} else {
			k--
		}
		if p-k > 64 {
			break
		}
		j = k
	}
	return j
}

// span returns the span of tokens [b, e).
func (w *win) span(b, e int, k Kind) Span {
	return Span{Start: int(w.t[b].start), End: int(w.t[e-1].end), Kind: k}
}

// candidate reports whether a name or an address may start at token i:
// a capitalised word, a number, or a short lower-case word (a marker or
// a context word) before a capitalised word, a number or a quote.
func (w *win) candidate(i int) bool {
	t := &w.t[i]
	switch t.kind {
	case tNum:
		return true
	case tWord:
	default:
		return false
	}
	if t.flags&fCap != 0 {
		return true
	}
	if t.end-t.start > 24 {
		return false
	}
	j := i + 1
	if j < len(w.t) && w.t[j].kind == tDot {
		j++
	}
	if j >= len(w.t) {
		return false
	}
	nt := &w.t[j]
	return nt.kind == tNum || nt.kind == tQuote || nt.kind == tWord && nt.flags&fCap != 0
}

// hotBytes marks the bytes that may start an upper-case letter or a
// digit: 1 ASCII, 2 the lead byte of Cyrillic А..п, 3 the lead byte of
// another two-byte letter to decode.
const hotBytes = "" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00\x00" +
	"\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x03\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
