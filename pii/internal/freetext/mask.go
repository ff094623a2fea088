package freetext

import "unicode/utf8"

// hidden replaces a hidden word, number or text.
const hidden = "***"

// Mask returns a readable mask of a span's text: names keep initials
// ("С*** А*** Н***", "A*** S***"), addresses keep the locality and street type
// ("г. Алматы, ул. ***", "Алматы қ., *** к-сі, *** үй").
func Mask(k Kind, s string) string {
	if s == "" {
		return ""
	}
	return string(AppendMask(nil, k, s))
}

// AppendMask appends the mask of s (see [Mask]) to dst; it allocates
// nothing when dst has room.
func AppendMask(dst []byte, k Kind, s string) []byte {
	if s == "" {
		return dst
	}
	switch k {
	case Name:
		return appendName(dst, s)
	case Address:
		return appendAddress(dst, s)
	}
	return append(dst, hidden...)
}

// appendName keeps the first letter of each word and the dots of initials.
func appendName(dst []byte, s string) []byte {
	base := len(dst)
	z := tokenizer{s: s}
	for {
		t, ok := z.next()
		if !ok {
			break
		}
		text := s[t.start:t.end]
		switch t.kind {
		case tWord:
			dst = sep(dst, base, t)
			r, size := utf8.DecodeRuneInString(text)
			if !isLetter(r) {
				dst = append(dst, hidden...)
				continue
			}
			dst = append(dst, text[:size]...)
			if size < len(text) {
				dst = append(dst, hidden...)
			}
		case tDot:
			if len(dst) > base {
				dst = sep(dst, base, t)
				dst = append(dst, '.')
			}
		case tNum:
			dst = sep(dst, base, t)
			dst = append(dst, hidden...)
		}
	}
	if len(dst) == base {
		return append(dst, hidden...)
	}
	return dst
}

// sep appends the space before token t when the text had one and the mask
// (dst after base) has begun.
func sep(dst []byte, base int, t token) []byte {
	if len(dst) > base && t.flags&fGlued == 0 {
		return append(dst, ' ')
	}
	return dst
}

// appendAddress keeps the markers ("г.", "ул.", "үй", "кв."), the names of
// the city, region, district and country, and the punctuation between
// parts; it hides the street's name, house and flat numbers, postcodes and
// anything it cannot read as an address part.
func appendAddress(dst []byte, s string) []byte {
	w := wins.Get().(*win)
	defer func() { w.s, w.t = "", nil; wins.Put(w) }()
	w.s, w.d = s, dicts()
	toks := w.toks[:0]
	z := tokenizer{s: s}
	for {
		t, ok := z.next()
		if !ok {
			break
		}
		toks = append(toks, t) // on the heap past the window's 256 tokens
	}
	w.t = toks
	// hide[x]: token x is a street's name, a number, or outside any part.
	var hideBuf [window]bool
	hide := hideBuf[:0]
	for _, t := range toks {
		hide = append(hide, t.kind == tWord || t.kind == tNum || t.kind == tOther)
	}
	cs := &w.comps // chain fills cs[:n]; nothing reads past it
	for i := 0; i < len(toks); {
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
	base := len(dst)
	for x, t := range toks {
		if hide[x] && x > 0 && hide[x-1] {
			continue // one "***" for a hidden run
		}
		dst = sep(dst, base, t)
		if hide[x] {
			dst = append(dst, hidden...)
		} else {
			dst = append(dst, s[t.start:t.end]...)
		}
	}
	if len(dst) == base {
		return append(dst, hidden...)
	}
	return dst
}
