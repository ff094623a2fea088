package redact

import (
	"math/bits"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/1cb-kz/compliance/pii/internal/freetext"
	"github.com/1cb-kz/compliance/pii/internal/swar"
	"github.com/1cb-kz/compliance/pii/internal/tags"
)

// Kind is the kind of personal data a Match found.
type Kind uint8

// The kinds Scan detects.
const (
	KindEmail   Kind = iota + 1 // e-mail address
	KindPAN                     // payment card number (Luhn-valid), or overlapping ones
	KindPhone                   // Kazakh telephone number (+7 / 8)
	KindIIN                     // individual identification number (checksum-valid)
	KindBIN                     // business identification number (checksum-valid)
	KindIBAN                    // Kazakh IBAN (mod-97-valid)
	KindName                    // a person's name in free text (Kazakh, Russian, English)
	KindAddress                 // a postal address in Kazakhstan, in free text
)

var kindNames = [...]string{
	KindEmail:   "email",
	KindPAN:     "pan",
	KindPhone:   "phone",
	KindIIN:     "iin",
	KindBIN:     "bin",
	KindIBAN:    "iban",
	KindName:    "name",
	KindAddress: "address",
}

// String returns the lower-case name of k ("email", "pan", ...).
func (k Kind) String() string {
	if k == 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// tags.Category returns the struct-tag category data of kind k belongs to.
func (k Kind) category() tags.Category {
	switch k {
	case KindEmail:
		return tags.Email
	case KindPAN:
		return tags.Payment
	case KindPhone:
		return tags.Phone
	case KindIIN, KindBIN:
		return tags.IIN
	case KindIBAN:
		return tags.IBAN
	case KindName:
		return tags.Name
	case KindAddress:
		return tags.Address
	}
	return ""
}

// Match is one piece of personal data found by Scan: text[Start:End] in
// byte offsets.
type Match struct {
	Kind       Kind
	Start, End int
}

// Limits of what the scanner looks at.
const (
	maxEmailLocal  = 64  // RFC 5321 §4.5.3.1.1
	maxEmailDomain = 253 // RFC 1035 as used by RFC 5321
	maxEmailLen    = maxEmailLocal + 1 + maxEmailDomain
	maxLabel       = 63
	maxSepRun      = 2 // separators between digit groups: "8 (701) 123"
	minRunDigits   = 11
)

// byte classes, looked up in one table so the scanning loop stays cheap.
const (
	clDigit   = 1 << iota // 0-9
	clAlpha               // A-Z a-z
	clAtext               // allowed in an e-mail local part (see init)
	clDomain              // allowed in a domain name
	clSep                 // may separate digit groups
	clDelim               // never part of a match: a stream may be cut after it
	clTrigger             // may start a match: digit, '+', '@', 'K', 'k'
)

var class [256]uint8

func init() {
	for c := 0; c < 256; c++ {
		var v uint8
		b := byte(c)
		switch {
		case b >= '0' && b <= '9':
			v |= clDigit | clAtext | clDomain | clTrigger
		case (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z'):
			v |= clAlpha | clAtext | clDomain
		}
		// RFC 5322 atext without '=' and '/', which real addresses almost
		// never hold and logs put right before them: "user=a@b.kz",
		// "/users/a@b.kz".
		if strings.IndexByte("!#$%&'*+?^_`{|}~-.", b) >= 0 {
			v |= clAtext
		}
		if b == '-' || b == '.' {
			v |= clDomain
		}
		if b == ' ' || b == '-' || b == '(' || b == ')' || b == '.' || b == '/' {
			v |= clSep
		}
		// Delimiters: no match spans them, so a stream may be cut after
		// one. Not ',', ':', ';' nor non-ASCII bytes, which addresses and
		// internationalised e-mail addresses hold.
		if freetext.Delim(b) { // below 0x20, 0x7f, `"<>[\]`
			v |= clDelim
		}
		if b == '+' || b == '@' || b == 'K' || b == 'k' {
			v |= clTrigger
		}
		class[c] = v
	}
}

// maxGap is the most separator characters number links digit groups
// across; classify then checks them for each kind.
const maxGap = max(maxSepRun, maxPANGap)

// sepLen returns the length in bytes of the separator at t[k:limit]: an
// ASCII one or a no-break space (see spaceLen); 0 if there is none.
func sepLen(t string, k, limit int) int {
	if class[t[k]]&clSep != 0 {
		return 1
	}
	if t[k] < 0x80 {
		return 0
	}
	return spaceLen(t[:limit], k)
}

// isWord reports whether c glues a number to the text around it: a letter
// or digit. '_', '.', '/' and '-' do not ("scan_860110300125.pdf").
func isWord(c byte) bool { return class[c]&(clDigit|clAlpha) != 0 }

// Scan returns the personal data found in text, in order, without overlaps:
// e-mail addresses, payment card numbers, Kazakh telephone numbers, IINs,
// BINs and Kazakh IBANs, and people's names and Kazakhstan addresses in
// Kazakh, Russian and English (KindName, KindAddress; found by their
// structure and embedded lists, see DESIGN.md). Numbers must pass their checksum (Luhn, the IIN
// mod-11, the IBAN mod-97) and stand apart from surrounding letters and
// digits, so that hashes, UUIDs and identifiers rarely match.
//
// Digit groups of card and phone numbers may be separated by spaces,
// hyphens (and, in phone numbers, parentheses, dots and slashes) as Valid
// accepts them, the no-break spaces U+00A0 and U+202F counting as spaces.
//
// Values percent- or form-encoded, as URLs, query strings and form bodies
// carry them ("alice%40example.kz", "%2B77011234567", "+7+701+123+45+67"),
// are found in the decoded text and reported at their encoded place.
// Numbers may be glued to file names and paths by '_', '.', '/' and '-'
// ("scan_860110300125.pdf"); IINs may be grouped 6+6, 4+4+4 or 3+3+3+3
// with spaces or hyphens; phone numbers may use dots and slashes between
// groups. E-mail addresses may have local parts and domains in any script
// ("әлия@мысал.қаз") or in punycode ("xn--80ao21a").
//
// Digits in other scripts are not read as digits. No match holds a
// control character or one of `"<>[\]`, which is what lets Writer cut a
// stream after them.
func Scan(text string) []Match {
	var sc scratch
	return sc.scan(text)
}

// scratch holds the buffers of a scan, so that Text and a Writer reuse
// them from one text to the next.
type scratch struct {
	s       scanner
	ids, ft []Match // identifiers in decoded text; names and addresses
	ftDec   []Match // names and addresses in decoded text
	spans   []freetext.Span
	dec     []byte
	ends    []int32
	ds      scanner // of decoded text
	ms      []Match // names and addresses in a decoded chunk
}

// scratches recycles the buffers of Text.
var scratches = sync.Pool{New: func() any { return new(scratch) }}

// maxScratch bounds the matches a pooled scratch keeps room for.
const maxScratch = 1 << 12

// scan returns what Scan returns, in the scratch's buffers: valid until
// the scratch's next scan.
func (sc *scratch) scan(text string) []Match {
	sc.s = scanner{text: text, out: sc.s.out[:0]}
	sc.s.run()
	out := sc.s.out
	sc.ftDec = sc.ftDec[:0]
	if encodedForm(text, true) {
		sc.decodedMatches(text, true)
		out = mergeMatches(out, sc.ids)
	}
	sc.spans = freetext.FindSplit(sc.spans[:0], text)
	sc.ft = appendSpans(sc.ft[:0], sc.spans, text, 0)
	out = mergeMatches(out, sc.ft)
	out = mergeMatches(out, sc.ftDec)
	sc.s.out = out
	return out
}

// release returns the scratch to the pool unless it grew too big to keep.
func (sc *scratch) release() {
	if cap(sc.s.out) > maxScratch || cap(sc.ft) > maxScratch || cap(sc.spans) > maxScratch || cap(sc.dec) > 16*maxScratch {
		return
	}
	sc.s.text = ""
	scratches.Put(sc)
}

// scanIdentifiers finds what Scan finds but names and addresses.
func scanIdentifiers(text string) []Match {
	var sc scratch
	sc.s.text = text
	sc.s.run()
	if encoded(text) {
		sc.decodedMatches(text, false)
		return mergeMatches(sc.s.out, sc.ids)
	}
	return sc.s.out
}

// findFreeText returns the names and addresses of text (see
// freetext.Find), found in each stretch between delimiters on its own, so
// that a Writer, which cuts only after a delimiter, finds the same.
func findFreeText(text string) []Match {
	var buf [64]freetext.Span
	spans := freetext.FindSplit(buf[:0], text)
	return appendSpans(nil, spans, text, 0)
}

// appendSpans appends the spans of text as matches offset by off, but for
// those without a letter: digits alone are no name or address.
func appendSpans(dst []Match, spans []freetext.Span, text string, off int) []Match {
	for _, sp := range spans {
		if !hasLetter(text[sp.Start:sp.End]) {
			continue
		}
		k := KindName
		if sp.Kind == freetext.Address {
			k = KindAddress
		}
		dst = append(dst, Match{Kind: k, Start: off + sp.Start, End: off + sp.End})
	}
	return dst
}

// encoded reports whether text holds a percent escape ("%40") or a '+'
// between two digits (a form-encoded space: "+7+701+123+45+67"): forms
// that decodeForms changes.
func encoded(t string) bool { return encodedForm(t, false) }

// encodedForm is encoded, with words true also counting a '+' between two
// letters or digits ("Ivan+Petrov"), a space to whoever reads words.
func encodedForm(t string, words bool) bool {
	for i := 0; ; {
		k := strings.IndexByte(t[i:], '%')
		if k < 0 {
			break
		}
		i += k + 1
		if i+1 < len(t) && isHex(t[i]) && isHex(t[i+1]) {
			return true
		}
	}
	joins := isDigit
	if words {
		joins = isWord
	}
	for i := 0; i < len(t); {
		k := strings.IndexByte(t[i:], '+')
		if k < 0 {
			return false
		}
		p := i + k
		i = p + 1
		if p > 0 && p+1 < len(t) && joins(t[p-1]) && joins(t[p+1]) {
			return true
		}
	}
	return false
}

// decodeForms appends to dst the text with percent escapes decoded and
// each '+' between two digits read as a space, as URLs and HTML forms
// encode them; ends[i] is the offset in t just after what decoded to
// dst[i]. A '%' not followed by two hex digits stays as it is. It decodes
// once: "%2540" becomes "%40".
func decodeForms(dst []byte, ends []int32, t string) ([]byte, []int32) {
	for i := 0; i < len(t); {
		var c byte
		c, i = decodeByte(t, i)
		dst = append(dst, c)
		ends = append(ends, int32(i))
	}
	return dst, ends
}

// decodeForm is decodeForms without the offsets.
func decodeForm(dst []byte, t string) []byte {
	for i := 0; i < len(t); {
		var c byte
		c, i = decodeByte(t, i)
		dst = append(dst, c)
	}
	return dst
}

// decodeByte returns the byte that t decodes to at i (see decodeForms)
// and the index after what it was decoded from.
func decodeByte(t string, i int) (byte, int) {
	c := t[i]
	switch {
	case c == '%' && i+2 < len(t) && isHex(t[i+1]) && isHex(t[i+2]):
		return unhex(t[i+1])<<4 | unhex(t[i+2]), i + 3
	case c == '+' && i > 0 && i+1 < len(t) && isDigit(t[i-1]) && isDigit(t[i+1]):
		return ' ', i + 1
	}
	return c, i + 1
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// decodedMatches finds, in the decoded form (see decodeForms) of each
// chunk of t that holds an escape, what Scan finds but names and addresses
// (sc.ids), and with free true also the names and addresses (sc.ftDec),
// reading every '+' as the space a form encodes ("fio=%D0%A1...+%D0%90..."):
// one byte for one, so the offsets hold. Both are in offsets of t, in
// order. One decoding of a chunk serves both.
func (sc *scratch) decodedMatches(t string, free bool) {
	sc.ids, sc.ftDec = sc.ids[:0], sc.ftDec[:0]
	s, ms := &sc.ds, sc.ms[:0]
	sc.eachDecoded(t, free, func(i int, chunk string, dec []byte, ends []int32) {
		if !free || encoded(chunk) {
			*s = scanner{text: transient(dec), out: s.out[:0]}
			s.run()
			sc.ids = appendMapped(sc.ids, s.out, i, ends)
		}
		if free {
			for k, c := range dec {
				if c == '+' {
					dec[k] = ' '
				}
			}
			text := transient(dec)
			sc.spans = freetext.Find(sc.spans[:0], text)
			ms = appendSpans(ms[:0], sc.spans, text, 0)
			sc.ftDec = appendMapped(sc.ftDec, ms, i, ends)
		}
	})
	sc.ds.text, sc.ms = "", ms
}

// transient returns the bytes of b as a string without a copy, for a
// reader that keeps neither the string nor a part of it beyond the next
// change of b (the scanner and freetext.Find keep offsets only).
func transient(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// eachDecoded calls f with the offset in t of each chunk of t that holds
// an escape (see encodedForm), the chunk, its decoded form and the offsets
// of the decoded bytes in the chunk (see decodeForms). dec is reused for
// the next chunk; f may change it in place. A chunk ends at a space or a delimiter:
// URLs, query strings and form bodies hold neither, and text without
// escapes is not decoded at all.
func (sc *scratch) eachDecoded(t string, words bool, f func(i int, chunk string, dec []byte, ends []int32)) {
	// The next '%' and '+' at or after from (len(t) if none), each found
	// by IndexByte, which is much faster than IndexAny, and sought again
	// only once passed.
	pct, plus := -1, -1
	for from := 0; from < len(t); {
		if pct < from {
			pct = indexFrom(t, from, '%')
		}
		if plus < from {
			plus = indexFrom(t, from, '+')
		}
		p := min(pct, plus)
		if p == len(t) {
			return
		}
		i, j := p, p+1
		for i > from && !chunkEnd(t[i-1]) {
			i--
		}
		for j < len(t) && !chunkEnd(t[j]) {
			j++
		}
		from = j + 1
		chunk := t[i:j]
		if !encodedForm(chunk, words) {
			continue
		}
		sc.dec, sc.ends = decodeForms(sc.dec[:0], sc.ends[:0], chunk)
		f(i, chunk, sc.dec, sc.ends)
	}
}

// indexFrom returns the index of the first c in t at or after from, or
// len(t).
func indexFrom(t string, from int, c byte) int {
	if k := strings.IndexByte(t[from:], c); k >= 0 {
		return from + k
	}
	return len(t)
}

// appendMapped appends ms, matches in a decoded chunk at offset i of the
// text, mapped back to offsets of the text.
func appendMapped(dst, ms []Match, i int, ends []int32) []Match {
	for _, m := range ms {
		start := 0
		if m.Start > 0 {
			start = int(ends[m.Start-1])
		}
		dst = append(dst, Match{Kind: m.Kind, Start: i + start, End: i + int(ends[m.End-1])})
	}
	return dst
}

// hasLetter reports whether s holds a letter of any script.
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// chunkEnd reports whether c ends a chunk of possibly encoded text.
func chunkEnd(c byte) bool { return c == ' ' || class[c]&clDelim != 0 }

// mergeMatches returns the union of two ordered lists of matches, with
// overlapping matches joined into one of the longer one's kind. It merges
// in place from the back of a, grown to hold both (a before b at equal
// starts, as a stable sort would order them), then joins in one pass.
func mergeMatches(a, b []Match) []Match {
	if len(b) == 0 {
		return a
	}
	na := len(a)
	all := append(a, b...) // b's copy at the end is overwritten below
	i, j := na-1, len(b)-1
	for k := len(all) - 1; j >= 0; k-- {
		if i >= 0 && all[i].Start > b[j].Start {
			all[k] = all[i]
			i--
		} else {
			all[k] = b[j]
			j--
		}
	}
	out := all[:0]
	for _, m := range all {
		if n := len(out); n > 0 && m.Start < out[n-1].End {
			last := &out[n-1]
			if m.End-m.Start > last.End-last.Start {
				last.Kind = m.Kind
			}
			last.End = max(last.End, m.End)
			continue
		}
		out = append(out, m)
	}
	return out
}

type scanner struct {
	text string
	out  []Match
	// the next e-mail address at or after the current position
	email      Match
	emailValid bool
	atFrom     int              // search for '@' from here
	floor      int              // no match may start before this (end of the last one)
	groups     [maxGroups]group // scratch for number
}

func (s *scanner) add(m Match) {
	s.out = append(s.out, m)
	s.floor = m.End
}

// nextEmail returns the first e-mail address that starts at or after the
// floor and ends after i, or ok false.
func (s *scanner) nextEmail(i int) (Match, bool) {
	for {
		if s.emailValid && s.email.Start >= s.floor && s.email.End > i {
			return s.email, true
		}
		s.emailValid = false
		if s.atFrom < 0 {
			return Match{}, false
		}
		k := strings.IndexByte(s.text[s.atFrom:], '@')
		if k < 0 {
			s.atFrom = -1
			return Match{}, false
		}
		at := s.atFrom + k
		s.atFrom = at + 1
		if m, ok := s.emailAt(at); ok {
			s.email, s.emailValid = m, true
		}
	}
}

// emailAt returns the e-mail address around the '@' at index at.
func (s *scanner) emailAt(at int) (Match, bool) {
	t := s.text
	lo := max(at-maxEmailLocal, s.floor)
	start := at
	for start > lo {
		if class[t[start-1]]&clAtext != 0 {
			start--
			continue
		}
		// internationalised local part (RFC 6531): letters of any script
		r, n := utf8.DecodeLastRuneInString(t[lo:start])
		if n == 0 || !idnRune(r) {
			break
		}
		start -= n
	}
	for start < at && t[start] == '.' {
		start++
	}
	if start == at {
		return Match{}, false
	}
	end := at + 1
	hi := min(len(t), at+1+maxEmailDomain)
	for end < hi {
		if class[t[end]]&clDomain != 0 {
			end++
			continue
		}
		// internationalised domain name (RFC 5890): letters of any script
		r, n := utf8.DecodeRuneInString(t[end:hi])
		if n == 0 || !idnRune(r) {
			break
		}
		end += n
	}
	// "a@example.kz.2": the longest host name the domain characters begin with.
	n := hostLen(t[at+1 : end])
	if n == 0 {
		return Match{}, false
	}
	return Match{Kind: KindEmail, Start: start, End: at + 1 + n}, true
}

// idnRune reports whether r, a non-ASCII character, may be part of an
// internationalised e-mail address: a letter, digit or combining mark.
func idnRune(r rune) bool {
	return r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// validDomain checks a host name of at least two labels of letters (of
// any script), digits and inner hyphens, with a top-level label of letters
// or in punycode ("xn--80ao21a", which is ".қаз").
func validDomain(d string) bool { return d != "" && hostLen(d) == len(d) }

// hostLen returns the length of the longest host name (see validDomain) d
// begins with, or 0. It reads d once: a label that is not valid ends every
// host name that would hold it, though its letters before trailing hyphens
// may still be a top-level label ("example.kz-").
func hostLen(d string) int {
	n := 0
	for i, labels := 0, 0; ; labels++ {
		le := len(d)
		if j := strings.IndexByte(d[i:], '.'); j >= 0 {
			le = i + j
		}
		label := d[i:le]
		if tld := strings.TrimRight(label, "-"); labels > 0 && validTLD(tld) {
			n = i + len(tld)
		}
		if !validLabel(label) || le == len(d) {
			return n
		}
		i = le + 1
	}
}

func validLabel(l string) bool {
	if l == "" || len(l) > maxLabel || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if class[l[i]]&clDomain == 0 && l[i] < utf8.RuneSelf {
			return false
		}
	}
	return true
}

// validTLD accepts a top-level label of two or more letters (ASCII or
// another script) or an ASCII punycode label ("xn--p1ai").
func validTLD(l string) bool {
	if len(l) > 4 && (l[:4] == "xn--" || l[:4] == "XN--") {
		return validLabel(l) && isASCIIAlnumHyphen(l)
	}
	if isAlpha(l) {
		return len(l) >= 2
	}
	n := 0
	for _, r := range l {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			return false
		}
		n++
	}
	return n >= 2
}

func isASCIIAlnumHyphen(s string) bool {
	for i := 0; i < len(s); i++ {
		if class[s[i]]&clDomain == 0 || s[i] == '.' {
			return false
		}
	}
	return true
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if class[s[i]]&clAlpha == 0 {
			return false
		}
	}
	return true
}

func (s *scanner) run() {
	t := s.text
	i := 0
	for i < len(t) {
		if class[t[i]]&clTrigger == 0 {
			i = skipQuiet(t, i+1)
			continue
		}
		limit := len(t)
		// nextEmail, with its first test here: the address found
		// before is still ahead, or there is none.
		e, ok := s.email, s.emailValid && s.email.Start >= s.floor && s.email.End > i
		if !ok && s.atFrom >= 0 {
			e, ok = s.nextEmail(i)
		}
		if ok {
			if e.Start <= i {
				s.add(e)
				i = e.End
				continue
			}
			limit = e.Start
		}
		c := t[i]
		if i > 0 && t[i-1] == '%' && i+1 < len(t) && isHex(t[i]) && isHex(t[i+1]) {
			i += 2 // the digits of an escape ("%2B", "%40"): see the decoded pass
			for i < len(t) && isWord(t[i]) {
				i++
			}
			continue
		}
		if i > 0 && isWord(t[i-1]) {
			i++ // inside a word: "abc123", "a+7..."
			continue
		}
		if i > 1 && t[i-1] == '.' && isDigit(t[i-2]) {
			i++ // a decimal fraction
			continue
		}
		switch {
		case c == '@':
			i++
		case c == 'K' || c == 'k':
			if m, ok := s.iban(i, limit); ok {
				s.add(m)
				i = m.End
				continue
			}
			i++
		case c == '+' && (i+1 >= limit || !isDigit(t[i+1])):
			i++
		case stampHead(t, i, limit):
			// The date, hours and minutes of a log line's time
			// ("2026-12-07T10:15:02Z") hold no match: number would read
			// "2026-12-07" (glued to "T10") and "15", and find nothing.
			i += len("2026-12-07T10:15")
		default:
			i = s.number(i, limit)
		}
	}
}

// stampHead reports whether t[i:limit] starts with the date, hours and
// minutes of an RFC 3339 time and the colon after them: "2026-12-07T10:15:".
func stampHead(t string, i, limit int) bool {
	const n = len("2026-12-07T10:15:")
	if limit-i < n {
		return false
	}
	p := t[i : i+n]
	return p[4] == '-' && p[7] == '-' && p[10] == 'T' && p[13] == ':' && p[16] == ':' &&
		isDigit(p[0]) && isDigit(p[1]) && isDigit(p[2]) && isDigit(p[3]) && isDigit(p[5]) && isDigit(p[6]) &&
		isDigit(p[8]) && isDigit(p[9]) && isDigit(p[11]) && isDigit(p[12]) && isDigit(p[14]) && isDigit(p[15])
}

// skipQuiet returns the first index at or after i that may hold a byte
// that starts a match (see clTrigger), or len(t). It skips eight bytes at a
// time while none of them is a digit, '+', '@', 'K' or 'k', then steps a
// byte at a time; its pre-test may stop early but never passes a trigger.
func skipQuiet(t string, i int) int {
	const ones = 0x0101010101010101
	for ; i+8 <= len(t); i += 8 {
		x := swar.Load(t, i)
		// '+' (0x2B), 'K' (0x4B) and 'k' (0x6B) are 0x0B with bits 5 and
		// 6 cleared (so is the rare 0x0B itself, which the byte loop skips).
		if m := swar.Between(x, '0'-1, '9'+1) | swar.ZeroBytes(x&(ones*0x9F)^ones*0x0B) | swar.ZeroBytes(x^ones*'@'); m != 0 {
			i += bits.TrailingZeros64(m) >> 3 // every trigger is flagged: none before the first flagged byte
			break
		}
	}
	for i < len(t) && class[t[i]]&clTrigger == 0 {
		i++
	}
	return i
}

// iban matches a Kazakh IBAN starting at i, in electronic form or in groups
// of four separated by single spaces.
func (s *scanner) iban(i, limit int) (Match, bool) {
	t := s.text
	if i+1 >= limit || upper(t[i+1]) != 'Z' {
		return Match{}, false
	}
	b, j, ok := kzIBANAt(t, i, limit)
	if !ok || (j < len(t) && isWord(t[j])) || !kzIBANValid(b[:]) {
		return Match{}, false
	}
	return Match{Kind: KindIBAN, Start: i, End: j}, true
}

// group is a run of digits t[start:end].
type group struct{ start, end int }

// maxGroups bounds the digit groups examined at once. A longer run is
// examined in overlapping slices: windows starting in the first half of
// the slice, then the run again from the middle group. A window holds at
// most maxPANDigits groups, so it always fits in the slice.
const maxGroups = 2 * 32

// number examines the run of digit groups starting at i (a digit or a '+'
// before one) and returns the index where scanning resumes.
func (s *scanner) number(i, limit int) int {
	t := s.text
	plus := t[i] == '+'
	j := i
	if plus {
		j++
	}
	groups := s.groups[:0]
	ng := 0
	truncated := false
	for {
		g := group{start: j}
		for j < limit && isDigit(t[j]) {
			j++
		}
		g.end = j
		groups = append(groups, g)
		ng++
		// separators, then another group?
		k := j
		for n := 0; k < limit && n < maxGap; n++ {
			w := sepLen(t, k, limit)
			if w == 0 {
				break
			}
			k += w
		}
		if k == j || k >= limit || !isDigit(t[k]) {
			break
		}
		if ng == maxGroups {
			truncated = true
			break
		}
		j = k
	}
	if truncated {
		s.windows(groups, plus, maxGroups/2)
		return max(groups[maxGroups/2].start, s.floor)
	}
	end := groups[ng-1].end
	resume := end
	// A last group glued to a word, or to a decimal fraction, is not a
	// number of its own: drop it and skip the word.
	if end < len(t) && (isWord(t[end]) || (t[end] == '.' && end+1 < len(t) && isDigit(t[end+1]))) {
		ng--
		for resume < len(t) && isWord(t[resume]) {
			resume++
		}
	}
	if ng > 0 && groups[ng-1].end-groups[0].start >= minRunDigits {
		s.windows(groups[:ng], plus, ng)
	}
	return resume
}

// windows finds matches among consecutive digit groups, leftmost first and
// longest first, for windows starting before group starts.
func (s *scanner) windows(groups []group, plus bool, starts int) {
	t := s.text
	if n := len(groups); n == 0 || groups[n-1].end-groups[0].start < minRunDigits {
		return // fewer digits than any match holds ("2026-12-07", "15:02")
	}
	var buf [maxPANDigits]byte
	for a := 0; a < starts; a++ {
		if groups[a].start < s.floor {
			continue
		}
		// The digits of the longest window from a, and where each group
		// ends in them; every group holds at least one digit.
		d, last := buf[:0], a-1
		var ends [maxPANDigits]int
		for b := a; b < len(groups) && len(d)+groups[b].end-groups[b].start <= maxPANDigits; b++ {
			d = append(d, t[groups[b].start:groups[b].end]...)
			ends[b-a] = len(d)
			last = b
		}
		for b := last; b >= a; b-- {
			n := ends[b-a]
			if n < minRunDigits {
				break
			}
			if dotted(s.text, groups, a, b) {
				continue // part of a longer dotted number: a version, an address, a decimal
			}
			if m, ok := s.classify(groups[a:b+1], string(d[:n]), plus && a == 0, a == 0 && b == len(groups)-1); ok {
				if b2 := s.panOverlap(groups, a, b); b2 > b {
					m, b = Match{Kind: KindPAN, Start: m.Start, End: groups[b2].end}, b2
				}
				s.add(m)
				a = b
				break
			}
		}
	}
}

// panOverlap returns the last group of the card numbers that start inside
// the number found in groups[a:b+1] and reach past it, or b if there is
// none. In "6 4111 1111 1111 1111" both "6 4111 1111 1111" and "4111 1111
// 1111 1111" are Luhn-valid, and "874 4000 0566 5566 5556" holds a phone
// number and a card number; either may be the real one, and masking the
// first would show most of the other, so the match covers both, as a
// KindPAN of which Text keeps only the last four digits.
func (s *scanner) panOverlap(groups []group, a, b int) int {
	for extended := true; extended; {
		extended = false
		for a2 := a + 1; a2 <= b && !extended; a2++ {
			n := 0
			for b2 := a2; b2 < len(groups); b2++ {
				n += groups[b2].end - groups[b2].start
				if n > maxPANDigits {
					break
				}
				if b2 > b && n >= minPANDigits && s.isPAN(groups[a2:b2+1]) {
					a, b, extended = a2, b2, true
				}
			}
		}
	}
	return b
}

// isPAN reports whether the groups hold a plausible card number.
func (s *scanner) isPAN(gs []group) bool {
	var buf [maxPANDigits]byte
	d := buf[:0]
	for _, g := range gs {
		d = append(d, s.text[g.start:g.end]...)
	}
	return panPlausible(string(d), cardGrouped(gs)) && s.gapsOK(gs, panGap)
}

// dotted reports whether groups[a:b+1] are joined to a group before or
// after them by '.' or '/', which only phone numbers use between groups.
func dotted(t string, groups []group, a, b int) bool {
	joined := func(gap string) bool { return strings.ContainsAny(gap, "./") }
	return a > 0 && joined(t[groups[a-1].end:groups[a].start]) ||
		b+1 < len(groups) && joined(t[groups[b].end:groups[b+1].start])
}

// classify decides what the digits d of groups gs are, if anything. whole
// reports that gs is the whole run of digit groups.
func (s *scanner) classify(gs []group, d string, plus, whole bool) (Match, bool) {
	start, end := gs[0].start, gs[len(gs)-1].end
	switch {
	case len(d) == 11:
		if kzPhoneDigits(d, plus) && s.gapsOK(gs, phoneGap) {
			if plus {
				start--
			}
			return Match{Kind: KindPhone, Start: start, End: end}, true
		}
	case len(d) == 12 && !plus && (len(gs) == 1 || whole && iinGrouped(gs) && s.gapsOK(gs, iinGap)):
		if validIIN(d) {
			return Match{Kind: KindIIN, Start: start, End: end}, true
		}
		if validBIN(d) {
			return Match{Kind: KindBIN, Start: start, End: end}, true
		}
	case len(d) >= minPANDigits && !plus:
		if panPlausible(d, cardGrouped(gs)) && s.gapsOK(gs, panGap) {
			return Match{Kind: KindPAN, Start: start, End: end}, true
		}
	}
	return Match{}, false
}

// iinGrouped reports whether the 12 digits of gs are grouped as IINs are
// written: 6+6, 4+4+4 or 3+3+3+3.
func iinGrouped(gs []group) bool {
	size := 12 / len(gs)
	if len(gs) < 2 || len(gs) > 4 || size*len(gs) != 12 {
		return false
	}
	for _, g := range gs {
		if g.end-g.start != size {
			return false
		}
	}
	return true
}

// gapsOK reports whether gapOK accepts the separators between each two of
// the groups.
func (s *scanner) gapsOK(gs []group, gapOK func(string) bool) bool {
	for i := 1; i < len(gs); i++ {
		if !gapOK(s.text[gs[i-1].end:gs[i].start]) {
			return false
		}
	}
	return true
}

// cardGrouped reports whether the groups are one run or four groups of
// four digits (see panPlausible).
func cardGrouped(gs []group) bool {
	if len(gs) == 1 {
		return true
	}
	if len(gs) != 4 {
		return false
	}
	for _, g := range gs {
		if g.end-g.start != 4 {
			return false
		}
	}
	return true
}
