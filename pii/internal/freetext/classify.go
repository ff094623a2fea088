package freetext

import "bytes"

// text returns the text of token k.
func (w *win) text(k int) string { t := &w.t[k]; return w.s[t.start:t.end] }

// classify fills the class and marker roles of token k once.
func (w *win) classify(k int) *token {
	t := &w.t[k]
	if t.done {
		return t
	}
	t.done = true
	if t.flags&fLong != 0 {
		t.class = clNotName
		return t
	}
	text := w.s[t.start:t.end]
	switch t.kind {
	case tNum:
		t.class = clNotName
		if len(text) == 6 && (text[0] == '0' || text[0] == '1') && allDigits(text) {
			t.class |= clPostcode
		}
		lw, _ := lowerWord(&w.buf, text)
		switch {
		case bytes.HasSuffix(lw, []byte("үй")) || bytes.HasSuffix(lw, []byte("üi")):
			t.mark = mHousePre // "10-үй" is a whole house part
		case bytes.HasSuffix(lw, []byte("пәтер")) || bytes.HasSuffix(lw, []byte("päter")):
			t.mark = mAptPre
		}
		return t
	case tWord:
	default:
		return t
	}
	d := w.d
	if lw, ok := lowerWord(&w.buf, text); ok {
		t.mark = d.marker[string(lw)]
		t.class = d.context[string(lw)]
	}
	if t.flags&fCap == 0 {
		return t
	}
	sk, ok := skeleton(&w.buf, text)
	if !ok || t.flags&fUpper != 0 && len(sk) <= 3 || hasDigit(text) {
		t.class |= clNotName
		return t
	}
	pc := w.placeClass(sk)
	t.class |= pc | w.givenClass(sk, pc != 0)

	if w.isSurname(sk) {
		t.class |= clSurList
	}
	t.class |= surnameMorph(sk)
	if hasSuffix(sk, "i") || hasSuffix(sk, "ia") || hasSuffix(sk, "a") {
		t.class |= clGivenLike
	}
	if t.class&(clSurMorS|clGiven|clCore) == clSurMorS|clGiven {
		t.class &^= clGiven | clAmb // "Pavlov" in the Moby list is a surname here
	}
	if t.flags&fUpper != 0 && t.class&(clGiven|clSurList|clSurMorS|clSurMorW|clPatr) == 0 {
		t.class |= clNotName // an acronym: ТОО, IBAN
	}
	return t
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// Case endings of given names, on skeletons, with the endings that give
// back the nominative: Russian (Ивану→Иван, Анну→Анна, Натальей→Наталья,
// Сергеем→Сергей; doubled letters are already collapsed) after a stem of
// two letters or more, Kazakh (Нұрланға, Нұрланның) after three or more.
var (
	ruEndings = []struct{ end, add string }{
		{"oi", "a"}, {"ei", "ia"}, {"ei", "a"}, {"om", ""}, {"em", "ei"}, {"em", ""}, {"em", "i"},
		{"iu", "i"}, {"ia", "i"}, {"u", ""}, {"u", "a"}, {"e", "a"}, {"e", "ia"}, {"e", ""},
		{"e", "ei"}, {"i", "ia"}, {"y", "a"}, {"a", ""},
	}
	kkEndings = []string{
		"nyn", "nin", "dyn", "din", "tyn", "tin", "dan", "den", "tan", "ten", "nan", "nen",
		"men", "ben", "pen", "nda", "nde",
		"ga", "ge", "ka", "ke", "na", "ne", "ny", "ni", "dy", "di", "ty", "ti", "da", "de", "ta", "te",
	}
)

// givenClass looks the skeleton up as a given name, then (for a Russian or
// Kazakh name, and for a word that is not a place) as a case form of one.
func (w *win) givenClass(sk []byte, place bool) uint32 {
	g := w.d.given
	if c := g[string(sk)]; c != 0 {
		return givenBits(c)
	}
	if place {
		return 0
	}
	var b [maxSkeleton + 2]byte
	lookup := func(stem []byte, add string) uint8 {
		n := copy(b[:], stem)
		n += copy(b[n:], add)
		return g[string(b[:n])]
	}
	if hasSuffix(sk, "s") && len(sk) > 3 { // English possessive: John's
		if c := lookup(sk[:len(sk)-1], ""); c != 0 {
			return givenBits(c)
		}
	}
	for _, e := range ruEndings {
		if len(sk)-len(e.end) >= 2 && hasSuffix(sk, e.end) {
			if c := lookup(sk[:len(sk)-len(e.end)], e.add); c&gInflect != 0 {
				return givenBits(c)
			}
		}
	}
	for _, e := range kkEndings {
		if len(sk)-len(e) >= 3 && hasSuffix(sk, e) {
			if c := lookup(sk[:len(sk)-len(e)], ""); c&gInflect != 0 {
				return givenBits(c)
			}
		}
	}
	return 0
}

// placeClass looks the skeleton up as a place or stop word, then as a
// case form of a place ("в Семее", "Алматыда", "Астане").
func (w *win) placeClass(sk []byte) uint32 {
	p := w.d.place
	if c := p[string(sk)]; c != 0 {
		return c
	}
	var b [maxSkeleton + 2]byte
	lookup := func(stem []byte, add string) uint32 {
		n := copy(b[:], stem)
		n += copy(b[n:], add)
		return p[string(b[:n])] & (clCity | clRegion | clCountry)
	}
	for _, e := range ruEndings {
		if len(sk)-len(e.end) >= 3 && hasSuffix(sk, e.end) {
			if c := lookup(sk[:len(sk)-len(e.end)], e.add); c != 0 {
				return c
			}
		}
	}
	for _, e := range kkEndings {
		if len(sk)-len(e) >= 3 && hasSuffix(sk, e) {
			if c := lookup(sk[:len(sk)-len(e)], ""); c != 0 {
				return c
			}
		}
	}
	return 0
}

func givenBits(c uint8) uint32 {
	b := clGiven
	if c&gAmb != 0 {
		b |= clAmb
	}
	if c&gCore != 0 {
		b |= clCore
	}
	return b
}

var surnameEndings = []string{"a", "u", "om", "e", "ym", "oi", "y", "s"}

func (w *win) isSurname(sk []byte) bool {
	m := w.d.surname
	if _, ok := m[string(sk)]; ok {
		return true
	}
	for _, e := range surnameEndings {
		if len(sk)-len(e) >= 2 && hasSuffix(sk, e) {
			if _, ok := m[string(sk[:len(sk)-len(e)])]; ok {
				return true
			}
		}
	}
	return false
}

// Surname and patronymic endings on skeletons, with their case forms; the
// stem before them must have at least minStem letters.
var (
	patrEndings = []string{
		"ovich", "evich", "ovicha", "evicha", "ovichu", "evichu", "ovichem", "evichem", "oviche", "eviche",
		"ovna", "evna", "ichna", "ovnu", "evnu", "ichnu", "ovnoi", "evnoi", "ichnoi", "ovne", "evne", "ichne",
		"ovny", "evny", "ichny", "uly", "kyzy", "ulu",
	}
	strongEndings = []string{
		"ov", "ova", "ovu", "ovoi", "ovym", "ove", "ovy", "ovyh",
		"ev", "eva", "evu", "evoi", "evym", "eve", "evy",
		"enko", "shvili", "dze", "uly", "kyzy", "bekov", "baev",
	}
	weakEndings = []string{
		"in", "ina", "inu", "inoi", "inym", "ine",
		"yn", "yna", "ynu", "ynoi",
		"ski", "skaia", "skogo", "skomu", "skim", "skom", "skuiu", "skoi",
		"tski", "tskaia", "tskogo", "tskoi",
		"uk", "iuk", "chuk", "ian", "iants", "son", "sen", "vich",
		// English: Pemberton, Blackwell, Holloway, Ashley, Crawford, Whitfield, Hammond …
		"ton", "well", "way", "ley", "ford", "field", "wood", "worth", "ham", "more", "ett", "ond", "ins", "ings", "ock", "berg", "stein",
	}
)

const minStem = 3

// surnameMorph classifies a skeleton by its ending, also under a Kazakh
// case ending ("Серіковичке", "Оспановаға").
func surnameMorph(sk []byte) uint32 {
	if c := morph(sk); c != 0 {
		return c
	}
	for _, e := range kkEndings {
		if len(sk)-len(e) >= 5 && hasSuffix(sk, e) {
			if c := morph(sk[:len(sk)-len(e)]); c != 0 {
				return c
			}
		}
	}
	return 0
}

func morph(sk []byte) uint32 {
	var c uint32
	if hasEnding(sk, patrEndings) {
		c |= clPatr
	}
	if hasEnding(sk, strongEndings) {
		c |= clSurMorS
	} else if hasEnding(sk, weakEndings) {
		c |= clSurMorW
	}
	return c
}

func hasEnding(sk []byte, es []string) bool {
	for _, e := range es {
		if len(sk)-len(e) >= minStem && hasSuffix(sk, e) && sk[len(sk)-len(e)-1] != '-' {
			return true
		}
	}
	return false
}

func hasSuffix(b []byte, suffix string) bool {
	return len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == suffix
}
