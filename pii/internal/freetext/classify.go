package freetext

import (
	"bytes"

	"github.com/1cb-kz/compliance/pii/internal/swar"
)

// text returns the text of token k.
func (w *win) text(k int) string { t := &w.t[k]; return w.s[t.start:t.end] }

// Classification levels (token.lvl): each adds to the one before.
const (
	lvlLite  = 1 // address marker roles and context words
	lvlGiven = 2 // places, stop words and given names
	lvlFull  = 3 // surnames and patronymics
)

// classify fills the marker roles and context class of token k once.
// A word read before (see memEntry) takes the classes found then.
func (w *win) classify(k int) *token {
	t := &w.t[k]
	if t.lvl >= lvlLite {
		return t
	}
	e := w.memory(t)
	if e != nil && e.lvl[lvlLite] != 0 {
		e.recall(t, lvlLite)
		return t
	}
	w.classifyLite(t)
	e.store(t, lvlLite)
	return t
}

// classifyLite is classify without the memory.
func (w *win) classifyLite(t *token) {
	t.lvl = lvlLite
	if t.flags&fLong != 0 {
		t.class = clNotName
		t.lvl = lvlFull
		return
	}
	text := w.s[t.start:t.end]
	switch t.kind {
	case tNum:
		t.class = clNotName
		t.lvl = lvlFull
		if len(text) == 6 && (text[0] == '0' || text[0] == '1') && allDigits(text) {
			t.class |= clPostcode
		}
		if c := text[len(text)-1]; c >= 0x80 || c == 'i' || c == 'r' {
			lw, _ := lowerWord(&w.buf, text)
			switch {
			case bytes.HasSuffix(lw, []byte("үй")) || bytes.HasSuffix(lw, []byte("üi")):
				t.mark = mHousePre // "10-үй" is a whole house part
			case bytes.HasSuffix(lw, []byte("пәтер")) || bytes.HasSuffix(lw, []byte("päter")):
				t.mark = mAptPre
			}
		}
		return
	case tWord:
	default:
		t.lvl = lvlFull
		return
	}
	d := w.d
	if t.flags&fCap == 0 {
		t.lvl = lvlFull // lower-case words are never names
	}
	if t.flags&fUpper == 0 && !d.maybeMarker(text) {
		return
	}
	if lw, ok := lowerWord(&w.buf, text); ok {
		t.mark = d.marker[string(lw)]
		t.class = d.context[string(lw)]
	}
}

// nameClass fills the name classes of token k up to level lvl.
func (w *win) nameClass(k int, lvl uint8) *token {
	t := w.classify(k)
	if t.lvl >= lvl {
		return t
	}
	e := w.memory(t)
	if e != nil && e.lvl[lvl] != 0 {
		e.recall(t, lvl)
		return t
	}
	w.nameClassUp(t, lvl)
	e.store(t, lvl)
	return t
}

// nameClassUp is nameClass without the memory, for a token classified
// below lvl.
func (w *win) nameClassUp(t *token, lvl uint8) {
	text := w.s[t.start:t.end]
	sk, ok := skeleton(&w.buf, text)
	if !ok || t.flags&fUpper != 0 && len(sk) <= 3 || hasDigit(text) {
		t.class |= clNotName
		t.lvl = lvlFull
		return
	}
	if t.lvl < lvlGiven {
		var pc uint32
		if w.d.placePrefix.may(sk) {
			pc = w.placeClass(sk)
		}
		t.class |= pc
		if w.d.givenPrefix.may(sk) {
			t.class |= w.givenClass(sk, pc != 0)
		}
		t.lvl = lvlGiven
	}
	if lvl < lvlFull {
		return
	}
	t.lvl = lvlFull
	if w.d.surnamePrefix.may(sk) && w.isSurname(sk) {
		t.class |= clSurList
	}
	t.class |= w.d.end.surnameMorph(sk)
	if hasSuffix(sk, "i") || hasSuffix(sk, "ia") || hasSuffix(sk, "a") {
		t.class |= clGivenLike
	}
	// A given name that is as often a surname (clGivenSur) but not a
	// common word: Spencer, Morgan, Preston; not Grant or Ford.
	sur := t.class&(clAmb|clStop) == 0
	if t.class&(clGiven|clCore) == clGiven && t.class&(clSurMorS|clSurEn) != 0 {
		t.class &^= clGiven | clAmb // "Pavlov", "Thornton" in the Moby list are surnames here
		if sur {
			t.class |= clGivenSur
		}
	}
	if t.class&(clGiven|clCore|clSurList) == clGiven|clSurList {
		t.class |= clAmb // "Morgan", "Jackson", "Howard": as often a surname, or a firm's or a place's name
		if sur {
			t.class |= clGivenSur
		}
	}
	if t.flags&fUpper != 0 && t.class&(clGiven|clSurList|clSurMorS|clSurMorW|clPatr) == 0 {
		t.class |= clNotName // an acronym: ТОО, IBAN
	}
}

// commonEn reports whether the Latin word text, in lower case, is a common
// English word (Focus, Office, Policy) or has a suffix of one.
func (w *win) commonEn(text string) bool {
	if commonEnSuffix(text) {
		return true
	}
	lw, ok := lowerWord(&w.buf, text)
	return ok && len(lw) >= 4 && len(lw) <= 10 && w.d.commonEn.has(string(lw))
}

// commonEnSuffixes end English nouns and adjectives, never surnames.
var commonEnSuffixes = [...]string{"tion", "sion", "ment", "ness", "ity", "ance", "ence", "ogy", "ics", "ship", "ism", "ist", "ful", "ive", "ous", "able"}

// commonEnSuffix reports whether the ASCII word w ends in one of
// commonEnSuffixes, in any case.
func commonEnSuffix(w string) bool {
	if w == "" {
		return false
	}
	switch w[len(w)-1] | 0x20 { // the last letters of commonEnSuffixes
	case 'n', 't', 's', 'y', 'e', 'p', 'm', 'l':
	default:
		return false
	}
	for _, suf := range commonEnSuffixes {
		if len(w) > len(suf)+1 && asciiEqualFold(w[len(w)-len(suf):], suf) {
			return true
		}
	}
	return false
}

func asciiEqualFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		if a[i]|0x20 != b[i] {
			return false
		}
	}
	return true
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
	ruEndings = []ending{
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
	exact := g[string(sk)]
	if exact&gCore != 0 {
		return givenBits(exact)
	}
	if place {
		return givenBits(exact)
	}
	if c := w.inflectedGiven(sk); c != 0 {
		return c // "Валентине" is Валентина's dative before it is the English Valentine
	}
	return givenBits(exact)
}

// inflectedGiven looks a skeleton up as a case form of a Russian or Kazakh
// given name.
func (w *win) inflectedGiven(sk []byte) uint32 {
	g := w.d.given
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
	for _, e := range w.d.end.ru.of(sk) {
		if len(sk)-len(e.end) >= 2 && hasSuffix(sk, e.end) {
			if c := lookup(sk[:len(sk)-len(e.end)], e.add); c&gInflect != 0 {
				return givenBits(c)
			}
		}
	}
	for _, e := range w.d.end.kk.of(sk) {
		if len(sk)-len(e.end) >= 3 && hasSuffix(sk, e.end) {
			if c := lookup(sk[:len(sk)-len(e.end)], ""); c&gInflect != 0 {
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
	for _, e := range w.d.end.ru.of(sk) {
		if len(sk)-len(e.end) >= 3 && hasSuffix(sk, e.end) {
			if c := lookup(sk[:len(sk)-len(e.end)], e.add); c != 0 {
				return c
			}
		}
	}
	for _, e := range w.d.end.kk.of(sk) {
		if len(sk)-len(e.end) >= 3 && hasSuffix(sk, e.end) {
			if c := lookup(sk[:len(sk)-len(e.end)], ""); c != 0 {
				return c
			}
		}
	}
	return 0
}

func givenBits(c uint8) uint32 {
	if c == 0 {
		return 0
	}
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
	for _, e := range w.d.end.surname.of(sk) {
		if len(sk)-len(e.end) >= 2 && hasSuffix(sk, e.end) {
			if _, ok := m[string(sk[:len(sk)-len(e.end)])]; ok {
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
		"ovny", "evny", "ichny", "uly", "kyzy",
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
	}
	// English surname endings: Pemberton, Blackwell, Holloway, Ashley,
	// Crawford, Whitfield, Hammond …
	enEndings = []string{
		"ton", "well", "way", "ley", "ford", "field", "wood", "worth", "ham", "more", "ond", "ins", "ings", "ock", "berg", "stein",
	}
)

const minStem = 3

// surnameMorph classifies a skeleton by its ending, also under a Kazakh
// case ending ("Серіковичке", "Оспановаға").
func (x *endings) surnameMorph(sk []byte) uint32 {
	if c := x.morph(sk); c != 0 {
		return c
	}
	for _, e := range x.kk.of(sk) {
		if len(sk)-len(e.end) >= 5 && hasSuffix(sk, e.end) {
			if c := x.morph(sk[:len(sk)-len(e.end)]); c != 0 {
				return c
			}
		}
	}
	return 0
}

func (x *endings) morph(sk []byte) uint32 {
	var c uint32
	if hasEnding(sk, x.patr) {
		c |= clPatr
	}
	if hasEnding(sk, x.strong) {
		c |= clSurMorS
	} else if hasEnding(sk, x.weak) {
		c |= clSurMorW
	} else if hasEnding(sk, x.en) {
		c |= clSurMorW | clSurEn
	}
	return c
}

func hasEnding(sk []byte, x *endingIndex) bool {
	for _, e := range x.of(sk) {
		if len(sk)-len(e.end) >= minStem && hasSuffix(sk, e.end) && sk[len(sk)-len(e.end)-1] != '-' {
			return true
		}
	}
	return false
}

func hasSuffix(b []byte, suffix string) bool {
	if len(b) < len(suffix) {
		return false
	}
	b = b[len(b)-len(suffix):]
	for i := len(suffix) - 1; i >= 0; i-- {
		if b[i] != suffix[i] {
			return false
		}
	}
	return true
}

// ending is a word ending, with what to add to the stem for a case ending.
type ending struct{ end, add string }

// endingIndex holds endings by their last byte, so that a word is compared
// only with the endings it may have.
type endingIndex [128][]ending

// newEndingIndex indexes es, with each ending written as skeletons are
// ("-ley" is "lei" in a skeleton).
func newEndingIndex(es []ending) *endingIndex {
	var x endingIndex
	for _, e := range es {
		e.end = string(normalise([]byte(e.end)))
		c := e.end[len(e.end)-1]
		x[c] = append(x[c], e)
	}
	return &x
}

func plain(ss []string) []ending {
	es := make([]ending, len(ss))
	for i, s := range ss {
		es[i] = ending{end: s}
	}
	return es
}

// of returns the endings that end with the last byte of sk.
func (x *endingIndex) of(sk []byte) []ending {
	if len(sk) == 0 || sk[len(sk)-1] >= 128 {
		return nil
	}
	return x[sk[len(sk)-1]]
}

// endings are the ending lists, indexed (built with the tables).
type endings struct {
	ru, kk, surname, patr, strong, weak, en *endingIndex
}

func newEndings() endings {
	return endings{
		ru:      newEndingIndex(ruEndings),
		kk:      newEndingIndex(plain(kkEndings)),
		surname: newEndingIndex(plain(surnameEndings)),
		patr:    newEndingIndex(plain(patrEndings)),
		en:      newEndingIndex(plain(enEndings)),
		strong:  newEndingIndex(plain(strongEndings)),
		weak:    newEndingIndex(plain(weakEndings)),
	}
}

// prefixSet holds the first three letters of a list's skeletons, so that a
// word that starts otherwise skips the list's look-ups (and those of its
// case forms, which keep the first three letters; shorter words always look).
type prefixSet [27 * 27 * 27]bool

func prefixKey(sk []byte) int {
	k := 0
	for i := range 3 {
		c := 26
		if i < len(sk) && sk[i] >= 'a' && sk[i] <= 'z' {
			c = int(sk[i] - 'a')
		}
		k = k*27 + c
	}
	return k
}

func (p *prefixSet) add(sk string) { p[prefixKey([]byte(sk))] = true }

func (p *prefixSet) may(sk []byte) bool { return len(sk) <= 5 || p[prefixKey(sk)] }

// The window's memory of classes. What a token's classes (lvl, class,
// mark) are once classify, or nameClass up to a level, has been asked
// of a fresh token is a function of its kind, its bytes and that level
// alone: the flags they read are the tokenizer's, from the same bytes,
// the tables never change, and nameClass from lvlGiven to lvlFull gives
// what it gives from lvlLite. So a word classified once in a window takes
// the same classes the next time it is asked for at that level, in this
// call or a later one, without a look-up. Words recur: markers, context
// words, the cities and given names of a ticket, the fixed words of log
// lines. The memory holds the last word of up to memWord bytes in each
// of its 1<<memBits slots, compared byte for byte (a collision of slots
// only costs a miss). Nothing but classify and nameClass may set a
// token's lvl, class or mark.
const (
	memBits = 8
	memWord = 32
)

type memEntry struct {
	word  [memWord]byte
	n     uint8 // len of the word; 0 in an empty slot
	kind  uint8
	lvl   [lvlFull + 1]uint8 // lvl[l]: the token's level once asked for l; 0 if not known
	class [lvlFull + 1]uint32
	mark  uint32 // set by classify, the same at every level
	// noGiven is noGivenPrefix's answer for the word: 1 yes, 2 no, 0 not
	// known.
	noGiven uint8
	// common is commonLatinAt's answer for the word, in the same way.
	common uint8
}

// memSlot returns the slot of the word w (1 ≤ len(w) ≤ memWord).
func memSlot(w string) int {
	n := len(w)
	var x uint64
	if n >= 8 {
		x = swar.Load(w, 0)*0x9E3779B97F4A7C15 ^ swar.Load(w, n-8)
	} else {
		for i := 0; i < n; i++ {
			x = x<<8 | uint64(w[i])
		}
	}
	h := (x ^ uint64(n)<<56) * 0xBF58476D1CE4E5B9
	return int(h >> (64 - memBits))
}

// memory returns the memory's slot for token t, emptied of any other
// word, or nil for a token it does not hold.
func (w *win) memory(t *token) *memEntry {
	n := t.end - t.start
	if n > memWord || t.kind != tWord && t.kind != tNum {
		return nil
	}
	word := w.s[t.start:t.end]
	e := &w.mem[memSlot(word)]
	if int32(e.n) != n || e.kind != t.kind || string(e.word[:n]) != word {
		*e = memEntry{n: uint8(n), kind: t.kind}
		copy(e.word[:], word)
	}
	return e
}

// recall sets t to what the memory holds for level lvl.
func (e *memEntry) recall(t *token, lvl uint8) {
	t.lvl, t.class, t.mark = e.lvl[lvl], e.class[lvl], e.mark
}

// store remembers t as classified for level lvl; e may be nil.
func (e *memEntry) store(t *token, lvl uint8) {
	if e != nil {
		e.lvl[lvl], e.class[lvl], e.mark = t.lvl, t.class, t.mark
	}
}
