package freetext

import "unicode/utf8"

// Address parts.
const (
	aCity = iota + 1
	aRegion
	aDistrict
	aCountry
	aStreet // street, avenue, microdistrict
	aHouse
	aApt
	aCorp
	aPost
)

// comp is one part of an address: its kind, whether a marker names it
// ("ул.", "үй") and its tokens; value is the token range of the part's own
// words (the street's name, the house number), which Mask hides or keeps.
type comp struct {
	kind       int
	marked     bool
	weak       bool // "Main Street": a capitalised English street word, an address only with a number or another part
	start, end int
	vs, ve     int
}

const (
	maxComps    = 12
	maxValue    = 3 // words in a street or place name
	maxAddrToks = 48
)

// address tries to read an address that starts at token i and returns the
// token index after it.
func (w *win) address(i int) (int, bool) {
	cs := &w.comps // not a local array: clearing one costs more than most calls
	n := w.chain(i, cs[:])
	if !addressValid(cs[:n]) {
		return 0, false
	}
	return cs[n-1].end, true
}

// chain reads the parts of an address from token i, separated by commas or
// spaces, into cs and returns how many it read.
func (w *win) chain(i int, cs []comp) int {
	n := 0
	j := i
	prev := 0
	for n < len(cs) && j < len(w.t) && j-i < maxAddrToks {
		if n > 0 && w.t[j].flags&fLine != 0 {
			break
		}
		c, ok := w.comp(j, prev)
		if !ok {
			break
		}
		cs[n] = c
		n++
		prev = c.kind
		j = c.end
		if j < len(w.t) && w.t[j].kind == tComma && j+1 < len(w.t) {
			if _, ok := w.comp(j+1, prev); ok {
				j++
			}
		}
	}
	return n
}

// addressValid: a marked street or microdistrict is an address on its own;
// otherwise it takes two parts or more, one of them a unit (a house or
// flat with its marker, a postcode, or a street name and number after a
// city) and one a place (city, region, district, country or street), and
// some evidence beyond bare names (a marker or a postcode); or three parts,
// two of them marked. A city, a postcode or a house number alone is not an
// address, nor are two postcodes.
func addressValid(cs []comp) bool {
	if len(cs) == 0 {
		return false
	}
	marked := 0
	var unit, place, post, bareStreet bool
	for _, c := range cs {
		if c.kind == aStreet && c.marked && !c.weak {
			return true
		}
		if c.marked {
			marked++
		}
		switch c.kind {
		case aHouse, aApt:
			unit = unit || c.marked
		case aPost:
			unit, post = true, true
		case aStreet:
			unit, place = true, true
			bareStreet = bareStreet || !c.marked
		case aCity, aRegion, aDistrict, aCountry:
			place = true
		}
	}
	return len(cs) >= 2 && unit && place && (marked > 0 || post || bareStreet) ||
		len(cs) >= 3 && marked >= 2
}

// comp reads one address part at token j; prev is the kind of the part
// before it in the chain, 0 at the start.
func (w *win) comp(j, prev int) (comp, bool) {
	if j >= len(w.t) {
		return comp{}, false
	}
	t := w.classify(j)
	switch t.kind {
	case tNum:
		return w.numComp(j, prev)
	case tWord:
	default:
		return comp{}, false
	}
	if t.mark&(mCityPre|mStreetPre|mHousePre|mAptPre|mCorpPre|mIndexPre) != 0 {
		if c, ok := w.prefixComp(j, prev); ok {
			return c, true
		}
	}
	if t.flags&fCap == 0 {
		return comp{}, false
	}
	// A name before a marker: "Абай к-сі", "Алматы қ.", "Медеуский р-н", "Dostyk str.".
	if c, ok := w.postfixComp(j, j); ok {
		return c, true
	}
	// A bare city or country is a part only inside a chain: after another
	// part, or before a comma.
	if prev == 0 && (j+1 >= len(w.t) || w.t[j+1].kind != tComma) {
		return comp{}, false
	}
	c := w.nameClass(j, lvlGiven).class
	switch {
	case c&clCountry != 0:
		return comp{kind: aCountry, start: j, end: j + 1, vs: j, ve: j + 1}, true
	case c&clCity != 0:
		return comp{kind: aCity, start: j, end: j + 1, vs: j, ve: j + 1}, true
	case (prev == aStreet || prev == aHouse || prev == aApt || prev == aCorp) && c&(clStop|clNotName|clGiven) == 0 &&
		(w.placeFollows(j+1) || j > 0 && w.t[j-1].kind == tComma && !isInitial(w.text(j)) && w.chainEnds(j+1) && w.nameClass(j, lvlFull).class&(clSurList|clSurMorS|clSurMorW|clPatr) == 0):
		// A town no list knows, after the street and house and before a
		// postcode or the country, or last after a comma where the
		// sentence goes on or ends: "…, office 62, Tekeli, Kazakhstan",
		// "…, 227, Zhitikara 056121", "…, block 62, Sarkand." (not a
		// surname or an initial: "…, кв. 5, Иванов", "…, үй 66, S. Akhmetov").
		return comp{kind: aCity, start: j, end: j + 1, vs: j, ve: j + 1}, true
	case prev == aCity && c&(clStop|clNotName|clCountry|clRegion) == 0:
		// "Алматы, Розыбакиева 247": a name and a house number after a city.
		k := j + 1
		if k < len(w.t) && w.t[k].kind == tComma {
			k++
		}
		if k < len(w.t) && w.t[k].kind == tNum && w.classify(k).class&clPostcode == 0 {
			return comp{kind: aStreet, start: j, end: j + 1, vs: j, ve: j + 1}, true
		}
	}
	return comp{}, false
}

// markerEnd returns the token after marker j and its dot, and whether the
// marker's form is acceptable (an ambiguous abbreviation needs its dot).
func (w *win) markerEnd(j int) (int, bool) {
	k := j + 1
	if k < len(w.t) && w.t[k].kind == tDot && w.t[k].flags&fGlued != 0 {
		return k + 1, true
	}
	return k, w.t[j].mark&mWeak == 0
}

func (w *win) prefixComp(j, prev int) (comp, bool) {
	t := &w.t[j]
	k, ok := w.markerEnd(j)
	if !ok || k >= len(w.t) || w.t[k].flags&fLine != 0 {
		return comp{}, false
	}
	m := t.mark
	if m&mIndexPre != 0 && w.t[k].kind == tNum && w.classify(k).class&clPostcode != 0 {
		return comp{kind: aPost, marked: true, start: j, end: k + 1, vs: k, ve: k + 1}, true
	}
	if m&(mHousePre|mAptPre|mCorpPre) != 0 && w.t[k].kind == tNum {
		kind := aHouse
		switch {
		case m&mHousePre != 0:
		case m&mAptPre != 0:
			kind = aApt
		case prev == 0:
			return comp{}, false // "стр. 5" alone is a page
		default:
			kind = aCorp
		}
		return comp{kind: kind, marked: true, start: j, end: k + 1, vs: k, ve: k + 1}, true
	}
	if m&mStreetPre != 0 {
		if ve, ok := w.value(k, m&mMkr != 0); ok {
			if m&mWeak != 0 && prev == 0 && !w.knownStreet(k, ve) && !w.unitAt(ve) && !w.genitive(ve-1) {
				return comp{}, false // "и пр. Затем"
			}
			return comp{kind: aStreet, marked: true, start: j, end: ve, vs: k, ve: ve}, true
		}
	}
	if m&mCityPre != 0 && w.t[k].kind == tWord && w.t[k].flags&fCap != 0 {
		if j > 0 && w.t[j-1].kind == tNum && w.nameClass(k, lvlGiven).class&clCity == 0 {
			return comp{}, false // "2026 г. Затем": a year
		}
		if t.flags&fCap != 0 && t.end-t.start <= 2 && w.nameClass(k, lvlGiven).class&clCity == 0 {
			return comp{}, false // "С. Иванов", "G. Smith": an initial
		}
		if ve, ok := w.value(k, false); ok {
			return comp{kind: aCity, marked: true, start: j, end: ve, vs: k, ve: ve}, true
		}
	}
	return comp{}, false
}

// postfixComp reads a name of up to maxValue words at j followed by a
// postfix marker; start is where the part begins (j, or a house number
// before it: "10 Dostyk str.").
func (w *win) postfixComp(j, start int) (comp, bool) {
	for ve := j + 1; ve <= j+maxValue && ve < len(w.t); ve++ {
		if !w.valueWord(ve-1, ve-1 == j) {
			return comp{}, false
		}
		mt := w.classify(ve)
		if mt.kind != tWord || mt.flags&fLine != 0 {
			continue
		}
		kind := 0
		switch m := mt.mark; {
		case m&mStreetPost != 0:
			kind = aStreet
		case m&mCityPost != 0:
			kind = aCity
		case m&mRegionPost != 0:
			kind = aRegion
		case m&mDistrictPost != 0:
			kind = aDistrict
		case m&mShagyn != 0 && ve+1 < len(w.t) && w.t[ve+1].kind == tWord && w.classify(ve+1).mark&mAudan != 0:
			return comp{kind: aStreet, marked: true, start: start, end: w.dotEnd(ve + 2), vs: j, ve: ve}, true
		}
		if kind == 0 || mt.flags&fCap != 0 && mt.mark&(mStreetPost) == 0 {
			continue
		}
		// A city is one word, a region or district at most two ("Батыс
		// Қазақстан облысы"); more would take in a name before it.
		if kind == aCity && ve-j > 1 || (kind == aRegion || kind == aDistrict) && ve-j > 2 {
			return comp{}, false
		}
		end := w.dotEnd(ve + 1)
		weak := kind == aStreet && start == j && end == ve+1 && mt.flags&fCap != 0 && w.s[mt.start] < utf8.RuneSelf
		return comp{kind: kind, marked: true, weak: weak, start: start, end: end, vs: j, ve: ve}, true
	}
	return comp{}, false
}

// dotEnd includes a dot glued to the marker that ends at k.
func (w *win) dotEnd(k int) int {
	if k < len(w.t) && w.t[k].kind == tDot && w.t[k].flags&fGlued != 0 {
		return k + 1
	}
	return k
}

// numComp reads a part that starts with a number: "10-үй", "10 үй",
// "5 пәтер", "5 мкр", "10 Dostyk str.", a postcode, or a bare house
// number after a street.
func (w *win) numComp(j, prev int) (comp, bool) {
	t := &w.t[j]
	switch {
	case t.mark&mHousePre != 0:
		return comp{kind: aHouse, marked: true, start: j, end: j + 1, vs: j, ve: j + 1}, true
	case t.mark&mAptPre != 0:
		return comp{kind: aApt, marked: true, start: j, end: j + 1, vs: j, ve: j + 1}, true
	}
	if k := j + 1; k < len(w.t) && w.t[k].flags&fLine == 0 {
		nt := w.classify(k)
		if nt.kind == tWord {
			switch m := nt.mark; {
			case m&mHousePost != 0:
				return comp{kind: aHouse, marked: true, start: j, end: w.dotEnd(k + 1), vs: j, ve: j + 1}, true
			case m&mAptPost != 0:
				return comp{kind: aApt, marked: true, start: j, end: w.dotEnd(k + 1), vs: j, ve: j + 1}, true
			case m&mStreetPost != 0 && nt.flags&fCap == 0 && (m&mStreetPre != 0): // "5 мкр"
				return comp{kind: aStreet, marked: true, start: j, end: w.dotEnd(k + 1), vs: j, ve: j + 1}, true
			}
			if nt.flags&fCap != 0 && nt.class&clPostcode == 0 {
				if c, ok := w.postfixComp(k, j); ok && c.kind == aStreet {
					c.vs = j
					return c, true
				}
			}
		}
	}
	if t.class&clPostcode != 0 {
		return comp{kind: aPost, start: j, end: j + 1, vs: j, ve: j + 1}, true
	}
	if prev == aStreet {
		return comp{kind: aHouse, start: j, end: j + 1, vs: j, ve: j + 1}, true
	}
	return comp{}, false
}

// value reads the name after a prefix marker: up to maxValue capitalised
// words ("Абая", "Толе би", "Аль-Фараби", "Самал-2"), a quoted name
// («Алтын Дала»), a number and a word ("ул. 8 Марта"), or, when numbered,
// a number alone ("мкр. 5"). It returns the token index after the value.
func (w *win) value(k int, numbered bool) (int, bool) {
	if k >= len(w.t) {
		return 0, false
	}
	t := &w.t[k]
	if t.kind == tQuote {
		for e := k + 1; e < len(w.t) && e <= k+2*maxValue; e++ {
			if w.t[e].kind == tQuote {
				return e + 1, e > k+1
			}
			if w.t[e].kind != tWord && w.t[e].kind != tNum || w.t[e].flags&fLine != 0 {
				return 0, false
			}
		}
		return 0, false
	}
	if w.t[k].kind == tWord && w.classify(k).mark&mNamed != 0 {
		k = w.dotEnd(k + 1)
		if k >= len(w.t) {
			return 0, false
		}
	}
	e := k
	if w.t[k].kind == tNum {
		if w.classify(k).class&clPostcode != 0 {
			return 0, false
		}
		e = k + 1
		if e < len(w.t) && w.valueWord(e, true) {
			return e + 1, true // "ул. 8 Марта"
		}
		return e, numbered // "мкр. 5"
	}
	for e < len(w.t) && e < k+maxValue && w.valueWord(e, e == k) {
		e++
	}
	return e, e > k
}

// valueWord reports whether token e can be a word of a street or place
// name: capitalised (not a marker), or after the first word a lower-case
// title such as "би", "батыр", "жолы".
func (w *win) valueWord(e int, first bool) bool {
	t := w.classify(e)
	if t.kind != tWord || t.flags&fLong != 0 || !first && t.flags&(fLine|fGlued) != 0 {
		return false
	}
	if t.flags&fCap != 0 {
		m := t.mark &^ (mTitle | mNamed | mWeak)
		return m == 0 || first && m&(mStreetPost|mCityPost|mRegionPost|mDistrictPost) == 0 ||
			!first && t.mark&mTitle != 0 // "Жибек Жолы", "Kabanbay Batyr", "Tole Bi"
	}
	return !first && t.mark&mTitle != 0
}

// placeFollows reports whether token k (after an optional comma) is a
// postcode or the country.
func (w *win) placeFollows(k int) bool {
	if k < len(w.t) && w.t[k].kind == tComma {
		k++
	}
	if k >= len(w.t) || w.t[k].flags&fLine != 0 {
		return false
	}
	t := w.classify(k)
	switch t.kind {
	case tNum:
		return t.class&clPostcode != 0
	case tWord:
		return t.flags&fCap != 0 && w.nameClass(k, lvlGiven).class&clCountry != 0
	}
	return false
}

// chainEnds reports whether token k ends an address chain: the end of the
// text or line, a full stop, a semicolon or a closing bracket, or a
// lower-case word that is no marker.
func (w *win) chainEnds(k int) bool {
	if k >= len(w.t) || w.t[k].flags&fLine != 0 {
		return true
	}
	t := w.classify(k)
	switch t.kind {
	case tDot:
		return true
	case tOther:
		c := w.s[t.start]
		return c == ';' || c == ')'
	case tWord:
		return t.flags&fCap == 0 && t.mark == 0
	}
	return false
}

// knownStreet reports whether tokens [k, e) are one known street name.
func (w *win) knownStreet(k, e int) bool {
	if e != k+1 || w.t[k].kind != tWord {
		return false
	}
	sk, ok := skeleton(&w.buf, w.text(k))
	if !ok {
		return false
	}
	_, ok = w.d.street[string(sk)]
	return ok
}

// unitAt reports whether token k (after an optional comma) is a number or
// a house or flat marker.
func (w *win) unitAt(k int) bool {
	if k < len(w.t) && w.t[k].kind == tComma {
		k++
	}
	if k >= len(w.t) {
		return false
	}
	return w.t[k].kind == tNum || w.t[k].kind == tWord && w.classify(k).mark&(mHousePre|mAptPre) != 0
}

// genitive reports whether the word k ends as a street named in the
// genitive does (Сейфуллина, Абая, Курмангазы): "пр. Абая" is an avenue.
func (w *win) genitive(k int) bool {
	if w.t[k].kind != tWord || w.t[k].flags&fCap == 0 {
		return false
	}
	c := w.nameClass(k, lvlGiven).class
	if c&(clStop|clNotName) != 0 {
		return false
	}
	sk, ok := skeleton(&w.buf, w.text(k))
	return ok && len(sk) >= 4 && (hasSuffix(sk, "a") || hasSuffix(sk, "y") || hasSuffix(sk, "ia"))
}
