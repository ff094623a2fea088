package freetext

import (
	"strings"
	"unicode/utf8"
)

// hidden replaces a hidden word, number or text.
const hidden = "***"

// Mask returns a readable mask of a span's text: names keep initials
// ("С*** А*** Н***", "A*** S***"), addresses keep the locality and street type
// ("г. Алматы, ул. ***", "Алматы қ., *** к-сі, *** үй").
func Mask(k Kind, s string) string {
	if s == "" {
		return ""
	}
	switch k {
	case Name:
		return maskName(s)
	case Address:
		return maskAddress(s)
	}
	return hidden
}

// maskName keeps the first letter of each word and the dots of initials.
func maskName(s string) string {
	var b strings.Builder
	z := tokenizer{s: s}
	for {
		t, ok := z.next()
		if !ok {
			break
		}
		text := s[t.start:t.end]
		switch t.kind {
		case tWord:
			sep(&b, t)
			r, size := utf8.DecodeRuneInString(text)
			if !isLetter(r) {
				b.WriteString(hidden)
				continue
			}
			b.WriteString(text[:size])
			if size < len(text) {
				b.WriteString(hidden)
			}
		case tDot:
			if b.Len() > 0 {
				sep(&b, t)
				b.WriteByte('.')
			}
		case tNum:
			sep(&b, t)
			b.WriteString(hidden)
		}
	}
	if b.Len() == 0 {
		return hidden
	}
	return b.String()
}

// sep writes the space before token t when the text had one.
func sep(b *strings.Builder, t token) {
	if b.Len() > 0 && t.flags&fGlued == 0 {
		b.WriteByte(' ')
	}
}

// maskAddress keeps the markers ("г.", "ул.", "үй", "кв."), the names of
// the city, region, district and country, and the punctuation between
// parts; it hides the street's name, house and flat numbers, postcodes and
// anything it cannot read as an address part.
func maskAddress(s string) string {
	w := win{s: s, d: dicts()}
	var toks []token
	z := tokenizer{s: s}
	for {
		t, ok := z.next()
		if !ok {
			break
		}
		toks = append(toks, t)
	}
	w.t = toks
	// hide[x]: token x is a street's name, a number, or outside any part.
	hide := make([]bool, len(toks))
	for x, t := range toks {
		hide[x] = t.kind == tWord || t.kind == tNum || t.kind == tOther
	}
	for i := 0; i < len(toks); {
		var cs [maxComps]comp
		n := w.chain(i, cs[:])
		if n == 0 {
			i++
			continue
		}
		for _, c := range cs[:n] {
			for x := c.start; x < c.end; x++ {
				switch c.kind {
				case aCity, aRegion, aDistrict, aCountry:
					hide[x] = false
				default:
					hide[x] = x >= c.vs && x < c.ve
				}
			}
		}
		i = cs[n-1].end
	}
	var b strings.Builder
	for x, t := range toks {
		if hide[x] && x > 0 && hide[x-1] {
			continue // one "***" for a hidden run
		}
		if b.Len() > 0 && t.flags&fGlued == 0 {
			b.WriteByte(' ')
		}
		if hide[x] {
			b.WriteString(hidden)
		} else {
			b.WriteString(s[t.start:t.end])
		}
	}
	if b.Len() == 0 {
		return hidden
	}
	return b.String()
}
