package freetext

import "unicode/utf8"

// A name part is one word of a name, or one initial with its dot.
type part struct {
	class      uint32
	initial    bool
	afterLower bool  // the token before the part is a lower-case word
	latin      bool  // the part starts with an ASCII letter
	afterCap   bool  // the token before the part is a capitalised word
	runEnd     bool  // the part ends the run of capitalised words it is in
	shape      uint8 // of an unknown word, first or after a surname: sh* bits (set where asked)
	nominative bool  // a surname in the nominative: -ов, -ева, -ұлы … (set where asked)
	masculine  bool  // … and a man's: -ов, -ев, -ұлы, -ин
	next       bool  // a lower-case word follows the part (set where asked)
	single     bool  // one letter without a dot ("Both V and T")
	cyrillic   bool  // the part starts with a Cyrillic letter (U+0400–U+052F)
	upper      bool  // the word is in capitals (ИВАНОВ)
	brand      bool  // a Latin given name that is also a stop word: a make (Mercedes, Lada) (set where asked)
	heading    bool  // the run has no lower-case word on either side: a heading or a label (set where asked)
	afterDet   bool  // an English determiner comes before the part: "the", "our" (set where asked)
	contact    bool  // an e-mail address in angle brackets follows the name: "Bastian Blank <…>" (set where asked)
	long       bool  // a Latin word of four letters or more (set where asked)
	product    bool  // a Latin word shaped as no English surname is: CamelCase, -a/-o/-i, a common word + -er (set where asked)
	end        int   // token index after the part
}

const maxParts = 5

// Part kinds for the patterns.
const (
	pG = iota // a given name that is not a common word
	pA        // an ambiguous given name (Вера, Bill, Роман)
	pP        // a patronymic
	pS        // a surname by list or strong ending
	pW        // a surname by weak ending
	pU        // an unknown capitalised word
	pI        // an initial
)

func kindOf(p part) int {
	c := p.class
	switch {
	case p.initial || p.single: // a dotless letter is an initial inside a name ("Steven R Loomis"); valid turns it away last
		return pI
	case c&clPatr != 0:
		return pP
	case c&clGiven != 0 && c&clAmb == 0:
		return pG
	case c&(clGiven|clCore|clSurList) == clGiven|clCore:
		return pA // a listed given name that is also a common word, whatever its ending: Любовь (-овь), Лев
	case c&(clSurList|clSurMorS) != 0:
		return pS
	case c&clGiven != 0:
		return pA
	case c&clSurMorW != 0:
		return pW
	}
	return pU
}

// name tries to read a person's name that starts at token i. It returns
// the token range of the name.
func (w *win) name(i int) (b, e int, ok bool) {
	if w.lone(i) {
		// One word with nothing name-like around it: a name only if it is
		// a well-known given name in Cyrillic ("Нұрланға хабарласыңыз");
		// alone in Latin script, Regina and Florence are more often places.
		t := w.nameClass(i, lvlGiven)
		c := t.class
		if c&(clGiven|clCore) == clGiven|clCore && c&(clAmb|clNotName|clCity|clRegion|clCountry|clStop|clCtxPre|clCtxPost|clCtxLink) == 0 &&
			t.kind == tWord && t.flags&fCap != 0 && t.mark == 0 && w.s[t.start] >= utf8.RuneSelf && !w.orgName(i) && w.loneGiven(i) {
			return i, i + 1, true
		}
		return 0, 0, false
	}
	var parts [maxParts]part
	n := 0
	j := i
	for n < maxParts && j < len(w.t) {
		p, next, ok := w.part(j, n == 0)
		if !ok {
			break
		}
		// "Серік ұлы": the separate ұлы/қызы makes the word before it a patronymic.
		if next < len(w.t) && !p.initial {
			if u := w.t[next]; u.kind == tWord && u.flags&(fCap|fLine|fGlued) == 0 && w.classify(next).class&clUly != 0 {
				p.class = p.class&^(clGiven|clAmb) | clPatr
				next++
			}
		}
		p.end = next
		parts[n] = p
		n++
		j = next
	}
	if n == 0 {
		return 0, 0, false
	}
	parts[0].afterCap = i > 0 && w.t[i-1].kind == tWord && w.t[i-1].flags&fCap != 0 && w.t[i].flags&fLine == 0
	afterLower := i > 0 && w.t[i-1].kind == tWord && w.t[i-1].flags&fCap == 0
	parts[n-1].runEnd = w.runEnd(parts[n-1].end, afterLower)
	if w.orgName(i) {
		return 0, 0, false
	}
	ctx, role := w.contextBefore(i)
	start := w.sentenceStart(i)
	if n >= 2 {
		w.nameShapes(parts[:n], start)
	}
	best := func(ps []part, ctx, start bool) int {
		for m := len(ps); m > 0; m-- {
			c := ctx || w.contextAfter(ps[m-1].end)
			if !c && role && roleValid(ps[:m]) {
				return m
			}
			if valid(ps[:m], c, start) {
				return m
			}
		}
		return 0
	}
	// A word before a longer name is not part of it: "Передайте Е. М.
	// Иванову", "Бүгін Сәуле Ерсұлтановна Нұрпейісова".
	if n >= 2 && !parts[0].initial {
		// At a sentence start an unknown word before a name of two words
		// or more is a common word: "Сессия Петра Сергеевича".
		b1 := best(parts[1:n], false, false)
		if b1 > 0 && !role && (1+b1 > best(parts[:n], ctx, start) || start && !ctx && b1 >= 2 && kindOf(parts[0]) == pU) {
			return 0, 0, false
		}
	}
	if m := best(parts[:n], ctx, start); m > 0 {
		if m >= 2 && !ctx && w.firmLike(parts[:m]) {
			return 0, 0, false
		}
		return i, parts[m-1].end, true
	}
	return 0, 0, false
}

// loneGiven reports whether the Cyrillic word i, alone, reads as a Russian
// or Kazakh given name or one of its case forms: four letters or more
// ("Или" is Ильи's form but mostly "or"), and not an English name that
// its skeleton happens to spell ("Қате" is "error", not Kate; "Сеанс"
// is no Sean's).
func (w *win) loneGiven(i int) bool {
	text := w.text(i)
	if utf8.RuneCountInString(text) < 4 {
		return false
	}
	var b [maxSkeleton]byte
	sk, ok := skeleton(&b, text)
	if !ok {
		return false
	}
	want := ruKkBits(text)
	if g := w.d.given[string(sk)]; g != 0 {
		return g&want == want
	}
	return w.inflectedRuKk(sk, want)
}

// ruKkBits returns the given-name bits a Cyrillic word must have to read
// as a Russian or Kazakh name: gInflect, and gKazakh if it has a Kazakh
// letter ("Қате" is no case form of Катя, "Кіру" none of Кира).
func ruKkBits(text string) uint8 {
	if hasKazakhLetter(text) {
		return gInflect | gKazakh
	}
	return gInflect
}

// inflectedRuKk reports whether sk is a Russian or Kazakh case form of a
// given name with the bits want (inflectedGiven without the English
// possessive).
func (w *win) inflectedRuKk(sk []byte, want uint8) bool {
	var b [maxSkeleton + 2]byte
	lookup := func(stem []byte, add string) bool {
		n := copy(b[:], stem)
		n += copy(b[n:], add)
		return w.d.given[string(b[:n])]&want == want
	}
	for _, e := range w.d.end.ru.of(sk) {
		if len(sk)-len(e.end) >= 2 && hasSuffix(sk, e.end) && lookup(sk[:len(sk)-len(e.end)], e.add) {
			return true
		}
	}
	want |= gKazakh // a Kazakh case ending on a Kazakh name: "Нұрланға", not "Саванна" (Савва)
	for _, e := range w.d.end.kk.of(sk) {
		if len(sk)-len(e.end) >= 3 && hasSuffix(sk, e.end) && lookup(sk[:len(sk)-len(e.end)], "") {
			return true
		}
	}
	return false
}

// nameShapes fills the flags that only some patterns ask for, and only for
// a run of two parts or more, so that single capitalised words cost
// nothing: whether the last Latin word is a common English word ("Ford
// Focus", "Lincoln Navigator", "A. Overview"), and at a sentence start
// whether an unknown first word is shaped like a given name and the
// surname after it is in the nominative ("Толқын Әлжанова", "Данияр
// Мұсабеков", not "Передайте Иванову").
func (w *win) nameShapes(ps []part, start bool) {
	n := len(ps)
	if last := &ps[n-1]; last.latin && !last.initial && last.class&(clSurList|clGiven|clPatr) == 0 {
		text := w.text(last.end - 1)
		last.long = len(text) >= 4
		if w.commonLatinAt(last.end - 1) {
			last.class |= clCommonEn
		}
		last.product = productLike(text) || w.commonForm(text)
	}
	for x := 1; x < n; x++ {
		// "Семёнов Мирон", not "Объектов Элементы": the shapes of a
		// Cyrillic unknown word after a surname, and the surname's case.
		if p := &ps[x]; p.cyrillic && kindOf(*p) == pU && kindOf(ps[x-1]) == pS {
			p.shape = wordShape(w.text(p.end - 1))
			ps[x-1].nominative, ps[x-1].masculine = nominativeSurname(w.text(ps[x-1].end - 1))
		}
	}
	first := &ps[0]
	if first.latin {
		first.afterDet = w.afterDeterminer(first.end - 1)
		e := ps[n-1].end
		k := first.end - 1
		lowerBefore := k > 0 && w.t[k-1].kind == tWord && w.t[k-1].flags&fCap == 0 && w.t[k].flags&fLine == 0
		first.heading = !lowerBefore && (e >= len(w.t) || w.t[e].flags&fLine != 0 || w.t[e].kind == tWord && w.t[e].flags&fCap != 0)
		first.contact = e < len(w.t) && w.t[e].kind == tOther && w.t[e].flags&fLine == 0 && w.s[w.t[e].start] == '<'
	}
	if n == 2 && first.latin && !first.initial && first.class&clGiven != 0 && kindOf(ps[1]) == pU {
		var b [maxSkeleton]byte
		if sk, ok := skeleton(&b, w.text(first.end-1)); ok {
			first.brand = w.d.given[string(sk)]&gStop != 0
		}
	}
	if first.initial || kindOf(*first) != pU && kindOf(*first) != pW {
		return
	}
	text := w.text(first.end - 1)
	if first.latin && w.commonLatinAt(first.end-1) {
		first.class |= clCommonEn
	}
	first.shape = wordShape(text)
	if (start || first.cyrillic) && n >= 2 && !ps[1].initial {
		ps[1].nominative, ps[1].masculine = nominativeSurname(w.text(ps[1].end - 1))
		ps[1].shape = wordShape(w.text(ps[1].end - 1))
		if e := ps[1].end; e < len(w.t) {
			ps[1].next = w.t[e].kind == tWord && w.t[e].flags&(fCap|fLine) == 0
		}
	}
}

// productLike reports whether the Latin word text is shaped as English
// surnames are not, but products' and firms' names are: a capital inside
// it ("CenterCredit"; not McKenzie, O'Neill, DeWitt) or a last letter a,
// o or i ("Niva", "Tiggo"; with commonForm, asked only after a given name
// that is also a common word or a surname, since Costa and Rossi are
// surnames too).
func productLike(text string) bool {
	for i := 1; i < len(text); i++ {
		if c := text[i]; c >= 'A' && c <= 'Z' && text[i-1] != '\'' {
			if p := text[:i]; p != "Mc" && p != "Mac" && p != "De" && p != "Di" && p != "La" && p != "Le" && p != "Van" && p != "Von" {
				return true
			}
		}
	}
	switch text[len(text)-1] {
	case 'a', 'o', 'i':
		return true
	}
	return false
}

// commonLatinAt is commonLatin of the word at token k, remembered with the
// word's classes (see memEntry): the names of firms and products recur.
func (w *win) commonLatinAt(k int) bool {
	t := &w.t[k]
	e := w.memory(t)
	if e != nil && e.common != 0 {
		return e.common == 1
	}
	common := w.commonLatin(w.s[t.start:t.end])
	if e != nil {
		e.common = 2
		if common {
			e.common = 1
		}
	}
	return common
}

// commonLatin reports whether the Latin word text is a common English
// word: commonEn, a few words common_en.txt.gz leaves out as if they were
// a stem and -er or -ly ("After", "Only"), or an adjective in -less.
func (w *win) commonLatin(text string) bool {
	if w.commonEn(text) {
		return true
	}
	for _, f := range [...]string{"after", "only", "other", "never", "later", "early"} {
		if len(text) == len(f) && asciiEqualFold(text, f) {
			return true
		}
	}
	n := len(text)
	return n > 6 && asciiEqualFold(text[n-4:], "less") // "Wireless", "Seamless"
}

// commonForm reports whether the Latin word text is a common word and -s,
// -er or -ly, forms common_en.txt.gz leaves out as inflections ("Foods",
// "Ranger", "Duster", "Corner"). Surnames are such forms too (Fields,
// Snider, Archer), so it is asked only after a given name that is also a
// common word or a surname.
func (w *win) commonForm(text string) bool {
	n := len(text)
	if n >= 5 && text[n-1] == 's' && text[n-2] != 's' {
		// "Foods", "Holdings", "Industries"; also "Fields", "Banks"
		var y [maxSkeleton]byte
		return w.commonWord(text[:n-1]) || n > 6 && text[n-4:] == "ings" && w.commonWord(text[:n-4]) ||
			n > 5 && n-3 < len(y) && text[n-3:] == "ies" && w.commonWord(string(append(append(y[:0], text[:n-3]...), 'y')))
	}
	if n < 5 || text[n-2:] != "er" && text[n-2:] != "ly" {
		return false
	}
	return w.commonWord(text[:n-2]) || text[n-2] == 'e' && w.commonWord(text[:n-1])
}

// commonWord reports whether the Latin word text is in common_en.txt.gz
// itself (commonEn also takes the endings of nouns: "Tollive" would be one).
func (w *win) commonWord(text string) bool {
	lw, ok := lowerWord(&w.buf, text)
	return ok && len(lw) >= 3 && len(lw) <= 10 && w.d.commonEn.has(string(lw))
}

// afterDeterminer reports whether the token before k is an English
// determiner: a person's name seldom follows "the", "a" or "our", a
// product's, a school's or a place's often does.
func (w *win) afterDeterminer(k int) bool {
	if k == 0 {
		return false
	}
	t := &w.t[k-1]
	if t.kind != tWord || w.t[k].flags&fLine != 0 || t.end-t.start > 5 {
		return false
	}
	switch w.s[t.start:t.end] {
	case "the", "a", "an", "this", "that", "these", "those", "our", "your", "their", "its", "my", "every", "each",
		"The", "An", "This", "That", "These", "Those", "Our", "Your", "Their", "Its", "My", "Every", "Each": // not "A": "A Smith" may be an initial
		return true
	}
	return false
}

// firmLike reports whether the Latin name ps is a firm's, product's or
// place's name rather than a person's: a well-known firm named after
// people (firms.txt: "Grant Thornton", "Ralph Lauren"), or a run of
// capitalised Latin words that goes on after it ("Holly Lane Yard",
// "Philip Morris Kazakhstan"), which people's names in running text do
// not.
func (w *win) firmLike(ps []part) bool {
	for _, p := range ps {
		if !p.latin {
			return false
		}
	}
	e := ps[len(ps)-1].end
	if e < len(w.t) {
		if t := &w.t[e]; t.kind == tWord && t.flags&(fCap|fLine) == fCap && w.s[t.start] < utf8.RuneSelf && w.notName(e) {
			return true
		}
	}
	if ps[0].initial || ps[1].initial {
		return false
	}
	return w.isFirm(ps[0].end-1, ps[1].end-1)
}

// notName reports whether the capitalised Latin word at token e is no part
// of a person's name: a common English word, a stop word, a place, an
// acronym ("Holly Lane Yard", "Philip Morris Kazakhstan"), and not an
// unknown word that may be a third name ("Daniel Kahn Gillmor").
func (w *win) notName(e int) bool {
	c := w.nameClass(e, lvlFull).class
	switch {
	case c&(clStop|clCity|clRegion|clCountry|clNotName) != 0:
		return true
	case c&(clSurList|clSurMorS|clSurMorW|clPatr) != 0 || c&(clGiven|clAmb) == clGiven:
		return false
	}
	return w.commonLatinAt(e) // also a given name that is a common word: "Yard"
}

// isFirm reports whether words a and b begin a firm's name in firms.txt.
func (w *win) isFirm(a, b int) bool {
	if len(w.d.firms) == 0 {
		return false
	}
	var buf [2*maxSkeleton + 1]byte
	ka, ok := skeleton(&w.buf, w.text(a))
	if !ok {
		return false
	}
	k := copy(buf[:], ka)
	buf[k] = ' '
	k++
	kb, ok := skeleton(&w.buf, w.text(b))
	if !ok {
		return false
	}
	k += copy(buf[k:], kb)
	_, ok = w.d.firms[string(buf[:k])]
	return ok
}

// Shapes of an unknown word that may be a given name no list holds.
const (
	shFem     uint8 = 1 << iota // ends as Russian women's names do: -а, -я
	shMasc                      // ends in a consonant or -й, as men's names do
	shOblique                   // ends in a case ending of a given name: -е, -и, -у, -ю
	shKazakh                    // has a Kazakh letter: ә ғ қ ң ө ұ ү һ і, or the 2021 Latin ä ğ ı ñ ö ş ū ü q
	shCommon                    // ends as a Russian verb, adjective or -ие noun does: -ть, -те, -ла, -ли, -ый, -ие
)

// hasKazakhLetter reports whether the Cyrillic word text has a letter of
// the Kazakh alphabet that Russian lacks (ә ғ қ ң ө ұ ү һ і and their
// capitals), by their UTF-8 bytes: lead byte 0xD2 or 0xD3 (U+0480–U+04FF,
// which also holds other Turkic letters), or і/І.
func hasKazakhLetter(text string) bool {
	for i := 0; i+1 < len(text); i++ {
		switch c := text[i]; c {
		case 0xD2, 0xD3:
			return true
		case 0xD1:
			if text[i+1] == 0x96 {
				return true
			}
		case 0xD0:
			if text[i+1] == 0x86 {
				return true
			}
		}
	}
	return false
}

// wordShape returns the sh* bits of an unknown word.
func wordShape(text string) uint8 {
	var sh uint8
	for _, suf := range [...]string{"ть", "те", "ла", "ло", "ли", "лся", "сь", "ие", "ое", "ые", "ая", "ый", "ой"} {
		if len(text) > len(suf)+2 && text[len(text)-len(suf):] == suf {
			sh |= shCommon
			break
		}
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		switch r {
		case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', 'Ә', 'Ғ', 'Қ', 'Ң', 'Ө', 'Ұ', 'Ү', 'Һ', 'І',
			'ä', 'ğ', 'ı', 'ñ', 'ö', 'ş', 'ū', 'ü', 'q':
			sh |= shKazakh
		}
	}
	if n := len(text); n > 4 && (text[n-4:] == "ом" || text[n-4:] == "ем" || text[n-4:] == "ём") {
		sh |= shOblique // the instrumental of a man's name: Прохором, Евсеем
	}
	r, _ := utf8.DecodeLastRuneInString(text)
	switch r {
	case 'а', 'я', 'a':
		sh |= shFem
	case 'е', 'и', 'у', 'ю', 'ь':
		sh |= shOblique
	case 'о', 'ы', 'э', 'ё', 'o', 'e', 'i', 'u', 'y':
	default:
		sh |= shMasc
	}
	return sh
}

// nominativeSurname reports whether text ends as a surname in the
// nominative does: -ов, -ев, -ова, -ева (also romanised), -ұлы, -қызы,
// -енко, -ин, -ина; not -ову, -овой, -овым, which a verb before them
// governs. masculine is for the endings no woman's surname has.
func nominativeSurname(text string) (nominative, masculine bool) {
	var b [maxSkeleton]byte
	sk, ok := skeleton(&b, text)
	if !ok {
		return false, false
	}
	for _, suf := range [...]string{"ov", "ev", "uly", "in", "enko"} {
		if len(sk) > len(suf)+2 && hasSuffix(sk, suf) {
			return true, suf != "enko"
		}
	}
	for _, suf := range [...]string{"ova", "eva", "kyzy", "ina"} {
		if len(sk) > len(suf)+2 && hasSuffix(sk, suf) {
			return true, false
		}
	}
	return false, false
}

// part reads one name part at token j: a capitalised word that can be part
// of a name, or an initial ("А." glued to its dot).
func (w *win) part(j int, first bool) (part, int, bool) {
	t := &w.t[j]
	if t.kind != tWord || t.flags&fCap == 0 || !first && t.flags&fLine != 0 {
		return part{}, 0, false
	}
	text := w.text(j)
	if isInitial(text) && j+1 < len(w.t) && w.t[j+1].kind == tDot && w.t[j+1].flags&fGlued != 0 {
		after := j > 0 && w.t[j-1].kind == tWord && w.t[j-1].flags&fCap == 0
		return part{initial: true, afterLower: after}, j + 2, true // "А.Н." glues the second initial to the first dot
	}
	if !first && t.flags&fGlued != 0 {
		return part{}, 0, false
	}
	c := w.nameClass(j, lvlFull).class
	if c&(clNotName|clCity|clRegion|clCountry|clStop) != 0 && c&clGiven == 0 || t.mark != 0 && c&clGiven == 0 ||
		c&(clCtxPre|clCtxPost|clCtxLink|clCtxRole) != 0 { // "Клиент Иванов": the role is no part of the name
		return part{}, 0, false
	}
	cyr := text[0] >= 0xD0 && text[0] <= 0xD4
	if cyr && c&clGiven != 0 && hasKazakhLetter(text) && !w.ruKkGiven(text) {
		// A word with Kazakh letters is a given name only from the Kazakh
		// list: "Қате" (error) is not Kate, "Және" (and) not Jane; an
		// English name written in Russian letters is ("Ричард Столлман").
		c &^= clGiven | clAmb | clCore | clGivenSur
	}
	return part{class: c, latin: text[0] < utf8.RuneSelf, cyrillic: cyr, single: len(text) <= utf8.UTFMax && utf8.RuneCountInString(text) == 1,
		upper: t.flags&fUpper != 0 && len(text) > 2}, j + 1, true
}

// ruKkGiven reports whether text is a Russian or Kazakh given name or a
// case form of one (the lists with gInflect), not only an English name
// whose skeleton it shares.
func (w *win) ruKkGiven(text string) bool {
	var b [maxSkeleton]byte
	sk, ok := skeleton(&b, text)
	if !ok {
		return false
	}
	want := ruKkBits(text)
	if g := w.d.given[string(sk)]; g&want == want {
		return true
	}
	return w.inflectedRuKk(sk, want)
}

// runEnd reports whether token e ends a run of capitalised words in
// running text: the end, a lower-case word, or a dot, comma or other
// punctuation but a number ("Chery Tiggo 7" is a product) or a colon,
// unless a lower-case word comes before the run ("Grant Application:" is
// a heading, "New address for Graham Gaskell:" is not).
func (w *win) runEnd(e int, afterLower bool) bool {
	if e >= len(w.t) {
		return true
	}
	t := &w.t[e]
	switch t.kind {
	case tWord:
		return t.flags&fCap == 0
	case tDot, tComma:
		return true
	case tOther:
		return w.s[t.start] != ':' || afterLower
	}
	return false
}

// isInitial reports whether text is one letter, or a romanised digraph
// that stands for one (Zh., Sh., Ch., Kh., Ts., Yu., Ya.).
func isInitial(text string) bool {
	switch len(text) {
	case 1:
		return true
	case 2:
		if text[0] >= 0xC0 && text[0] < 0xE0 {
			return true
		}
		switch text {
		case "Zh", "Sh", "Ch", "Kh", "Ts", "Yu", "Ya", "Ye", "Iu", "Ia":
			return true
		}
	}
	return false
}

// valid reports whether the parts form a name. ctx is a context word
// before or after ("клиент", "Mr", "мырза"); start that the name begins a
// sentence, where an unknown capitalised word is most often not a name.
func valid(ps []part, ctx, start bool) bool {
	var k [maxParts]int
	inits, words := 0, 0
	for x, p := range ps {
		k[x] = kindOf(p)
		if k[x] == pI {
			inits++
		} else {
			words++
		}
	}
	n := len(ps)
	last := ps[n-1]
	if n == 2 && k[1] == pU && last.class&clCommonEn != 0 && !ctx && !ps[0].contact && (ps[0].class&clCore == 0 || ps[0].heading) ||
		n >= 2 && (last.single || ps[0].single) {
		return false // "Lincoln Navigator", "Ford Focus", "Justin Partition" alone on a line, "Both V and T", "C Shell"
	}
	if n >= 2 && ps[0].latin && ps[0].afterDet && !ctx {
		return false // "the Bryan School page", "our Victoria Station office"
	}
	if n >= 2 && !ctx && mixedScripts(ps) || n == 1 && ps[0].upper && !ctx {
		return false // "Тема Enlightenment"; "ОСНОВНОЙ" (-овной) alone
	}
	if ps[0].brand && !ctx {
		return false // "Mercedes Sprinter", "Lada Niva"; not "Lada Petrova"
	}
	if n >= 2 && !ctx && mixedCase(ps) {
		return false // "Поиск ШАБЛОНОВ": a name is in capitals whole or not at all
	}
	// An English given name, whether or not it is also a surname or a
	// common word (Spencer, Warren, Grant, Dawn, Miles), then an unknown
	// Latin word or a surname, or a middle initial and one: "Spencer
	// Crowther", "Grant Lockwood", "Wallace M. Abernathy"; only when those
	// words are the whole run of capitalised words in running text, since
	// headings and firms run longer ("Jackson Hole Trip", "Morgan Street
	// Warehouse"), and the last is no common English word.
	if ps[0].latin && !ps[0].initial && ps[0].class&(clGiven|clGivenSur) != 0 && !ps[0].afterCap && last.runEnd && last.latin &&
		last.class&clCommonEn == 0 && !last.product && // "Ford Ranger", "Lada Niva"; firms.txt has "Morgan Stanley"
		(n == 2 || n == 3 && k[1] == pI) && surnameAfterGiven(k[n-1], last) {
		return true
	}
	if inits > 0 {
		// One initial before an unknown Latin word after a lower-case
		// word ("write to D. Merriweather"), or ending a run of
		// capitalised words anywhere but after another capitalised word
		// ("S. Ormsby moved", "bidder, W. Etheridge, paid") if it has
		// four letters or more; not an enumeration ("Приложение А.
		// Раздел", "A. Overview", "B. Terms And Conditions", "E. Add").
		if n == 2 && ps[0].initial && k[1] == pU && ps[1].latin && (ps[0].afterLower || !ps[0].afterCap && last.runEnd && last.long) {
			return true
		}
		return initialsValid(k[:n], inits, words)
	}
	if ctx && words <= 3 {
		return true
	}
	given := func(x int) bool { return x == pG || x == pA }
	sur := func(x int) bool { return x == pS || x == pW }
	// strongU: an unknown word next to a strong surname ending: "Семёнов
	// Мирон", "Мирон Семёнов" (not at a sentence start, where "Передайте
	// Иванову" is the usual reading).
	strongU := func(u, s int) bool {
		return u == pU && ps[s].class&(clSurMorS|clSurList) != 0 && ps[s].class&clSurList == 0
	}
	switch n {
	case 1:
		return k[0] == pG && ps[0].class&clCore != 0 && !ps[0].latin || k[0] == pP && ps[0].class&clSurMorS == 0
	case 2:
		a, b := k[0], k[1]
		switch {
		case (given(a) || a == pU || a == pW) && b == pP:
			return true
		case a == pW && b == pS && ps[1].class&clSurMorS != 0 && ps[0].class&clGivenLike != 0: // "Эвелину Сафонову"
			return true
		case a == pG && (sur(b) || b == pU || b == pG):
			return true
		case a == pG && b == pA && (ps[0].class&clCore != 0 || ps[1].class&(clSurList|clSurMorS|clSurMorW) != 0):
			return true // "Nancy Chandler", not "Jackson Hole"
		case a == pS && b == pW && ps[0].class&clSurMorS != 0: // "Ысқақова Аделинаға"
			return true
		case a == pA && (b == pS || b == pG):
			return true
		case a == pS && b == pG, a == pW && b == pG, a == pP && given(b):
			return true
		case a == pS && b == pA && ps[0].class&clSurMorS != 0: // "Иванова Вера", not "Jackson Hole"
			return true
		case a == pS && strongU(b, 0) && (ps[1].latin || surnameGiven(ps[0], ps[1])):
			return true
		case b == pS && strongU(a, 1) && (!start || givenLike(ps[0].class)) && (ps[0].latin || caseAgrees(ps[0], ps[1])):
			return true
		case b == pS && (strongU(a, 1) || a == pW && (ps[0].shape&shKazakh != 0 || ps[0].latin) && ps[1].class&clSurList == 0) && ps[1].nominative && startGiven(ps[0], ps[1]):
			// At a sentence start, an unlisted given name before a
			// surname in the nominative: "Толқын Әлжанова", "Данияр
			// Мұсабеков өтінімін …"; not "Передайте Иванову", "Заявление
			// Петрова", "Правила Торгов", "Порядок Расчётов".
			return true
		case a == pW && b == pS && ps[1].class&clSurMorS != 0 && ps[0].shape&shOblique != 0 && !ps[0].latin && !start:
			return true // "Альбине Рожковой": a given name's case form that ends like a surname
		case a == pW && b == pS && ps[1].class&clSurMorS != 0 && ps[1].class&clSurList == 0 && ps[0].shape&shKazakh != 0 && !start:
			return true // "Ұлбосын Жексенова": a Kazakh name in -ын before a strong surname
		}
	case 3:
		a, b, c := k[0], k[1], k[2]
		switch {
		case (given(a) || a == pU || a == pW) && b == pP && (sur(c) || c == pU):
			return true
		case (sur(a) || a == pU || given(a)) && (given(b) || b == pU || b == pW) && c == pP:
			return true
		case a == pG && given(b) && (sur(c) || c == pU && ps[0].class&clCore != 0):
			return true // "John Michael Whitaker", not "Lincoln Park Lots"
		case given(a) && sur(b) && c == pP:
			return true
		}
	}
	return false
}

// mixedScripts reports whether the words of ps (not initials) are in
// Latin and Cyrillic both: one person's name is written in one script.
func mixedScripts(ps []part) bool {
	var lat, cyr bool
	for _, p := range ps {
		if p.initial || p.single {
			continue
		}
		lat = lat || !p.cyrillic
		cyr = cyr || p.cyrillic
	}
	return lat && cyr
}

// mixedCase reports whether some words of ps are in capitals and others
// not ("Поиск ШАБЛОНОВ", a command's help); "ИВАНОВ Иван" is written so
// in some forms, so a capitalised surname first is allowed.
func mixedCase(ps []part) bool {
	var up, low bool
	for x, p := range ps {
		if p.initial || p.single {
			continue
		}
		if p.upper {
			up = up || x > 0
		} else {
			low = true
		}
	}
	return up && low
}

// surnameAfterGiven reports whether a part of kind k can be the surname
// after an English given name: an unknown word, a surname by list or
// ending, or a name only the long Moby list holds (Harcourt, Ingram).
func surnameAfterGiven(k int, p part) bool {
	return k == pU && p.long || k == pS || k == pW || k == pG && p.class&clCore == 0 // not "Red Hat"
}

// startGiven reports whether the unknown word g, at a sentence start, is a
// given name before the nominative surname s: a Latin word that is no
// common English word; a Cyrillic word that is no verb or adjective, whose
// gender agrees with the surname's (a woman's -а before -ова, a man's
// consonant before -ов), and, for a man's surname, that has a Kazakh letter
// or is followed by the sentence's lower-case words (not a heading:
// "Порядок Расчётов").
func startGiven(g, s part) bool {
	if g.latin {
		return g.class&clCommonEn == 0
	}
	sh := g.shape
	switch {
	case sh&shCommon != 0:
		return false
	case s.masculine:
		return sh&shMasc != 0 && (sh&shKazakh != 0 || s.next)
	}
	// A woman's surname: after a woman's name, a Kazakh one, or a word
	// ending as men's names do when the sentence goes on ("Шолпан
	// Кәрімова төлем …"; a genitive "Протокол Петрова рассмотрен" holds a
	// surname too).
	return sh&(shFem|shKazakh) != 0 || sh&shMasc != 0 && s.next
}

// caseAgrees reports whether the unknown Cyrillic word g and the surname s
// after it can be one name in one case: a man's surname in the nominative
// after a word ending as men's names do, an oblique surname after no
// nominative -а ("Савва Воронцов", "Альбиной Рожковой"; not "Фрагмента
// Знаков", "Печати Запросов", "Метка Базовой", headings' genitives).
func caseAgrees(g, s part) bool {
	sh := g.shape
	switch {
	case sh&shKazakh != 0 || s.shape&shKazakh != 0:
		return true // Kazakh case endings follow other rules: "Перизат Әбдіраеваға"
	case s.nominative && s.masculine:
		return sh&shMasc != 0
	case !s.nominative:
		return sh&(shOblique|shCommon) != 0 || sh&shMasc != 0 && s.class&clSurMorS != 0 && g.class&clGivenLike != 0
	}
	return sh != 0
}

// surnameGiven reports whether the unknown Cyrillic word g can be the given
// name after the surname s ("Семёнов Мирон", "Баранова Нелли",
// "Никитиновой Риммой"): it ends as given names do in some case, and not
// as a verb, adjective or -ие noun does after a surname in the nominative;
// not a heading's plurals ("Объектов Элементы", "Параметров Смещение").
func surnameGiven(s, g part) bool {
	sh := g.shape
	switch {
	case sh&shKazakh != 0:
		return true
	case sh&shCommon != 0:
		return !s.nominative
	}
	return sh&(shFem|shMasc|shOblique) != 0
}

// givenLike reports whether an unknown word ends as Russian and Kazakh
// given names do (-ий, -ия, -а), kept by classify in clGivenLike.
func givenLike(c uint32) bool { return c&clGivenLike != 0 }

// initialsValid accepts one or two initials before or after one word:
// "Серикова А. Н.", "A. Serikova", "Иванов И.И.".
func initialsValid(k []int, inits, words int) bool {
	if words == 2 && inits == 1 && len(k) == 3 && k[1] == pI {
		// "John F. Smith", "Jennifer W. Johnson"
		return (k[0] == pG || k[0] == pA) && k[2] != pP
	}
	if words != 1 || inits > 2 {
		return false
	}
	var word int
	switch {
	case k[0] != pI: // word first
		word = k[0]
	case k[len(k)-1] != pI: // initials first
		word = k[len(k)-1]
	default:
		return false
	}
	switch word {
	case pS, pW, pG, pA:
		return true
	case pU:
		return inits == 2
	}
	return false
}

// contextBefore reports whether an honorific or a role word precedes token
// i: "г-н Иванов", "Mr Smith", "ФИО: Иванов" (honorific); "клиент Иванов",
// "участник торгов Иванов", "customer Smith" (role).
func (w *win) contextBefore(i int) (honorific, role bool) {
	skips := 0
	for j := i - 1; j >= 0; j-- {
		t := &w.t[j]
		switch t.kind {
		case tWord:
			c := w.classify(j).class
			if c&clCtxLink != 0 && skips < 2 {
				skips = 2
				continue
			}
			return c&clCtxPre != 0, c&clCtxRole != 0
		case tDot, tOther:
			if skips++; skips > 2 {
				return false, false
			}
		default:
			return false, false
		}
	}
	return false, false
}

// roleValid: after a role word, one to three words with a name-like part,
// or one unknown word ("клиент Кемелбек", "bidder Fairbanks"); "Customer
// Support Center" is not a name.
func roleValid(ps []part) bool {
	if len(ps) > 3 {
		return false
	}
	for _, p := range ps {
		if k := kindOf(p); k != pU && k != pI {
			return true
		}
	}
	return len(ps) == 1 && !ps[0].initial
}

// contextAfter reports whether token e is a context word that follows a
// name: "Нұрлан мырза", "Айгүл ханым".
func (w *win) contextAfter(e int) bool {
	if e >= len(w.t) {
		return false
	}
	t := &w.t[e]
	return t.kind == tWord && t.flags&(fCap|fLine) == 0 && w.classify(e).class&clCtxPost != 0
}

// orgName reports whether token i opens an organisation's name in quotes
// after its legal form: ТОО «Айгерим», АО "Береке".
func (w *win) orgName(i int) bool {
	if i < 2 || w.t[i-1].kind != tQuote {
		return false
	}
	t := &w.t[i-2]
	return t.kind == tWord && t.flags&fUpper != 0
}

// sentenceStart reports whether token i begins a sentence or a line.
func (w *win) sentenceStart(i int) bool {
	if i == 0 || w.t[i].flags&fLine != 0 {
		return true
	}
	p := &w.t[i-1]
	switch p.kind {
	case tDot:
		return true
	case tOther:
		c := w.s[p.start]
		return c == '!' || c == '?' || c == ';' || c == '(' || c == '-' || c >= 0x80 // dashes, bullets
	case tQuote:
		return true
	}
	return false
}

// lone reports whether token i stands alone: neither the word after it nor
// a context word around it could make it part of a longer name.
func (w *win) lone(i int) bool {
	t := &w.t[i]
	if t.kind != tWord || isInitial(w.text(i)) {
		return false
	}
	if j := i + 1; j < len(w.t) {
		n := &w.t[j]
		if n.flags&fLine == 0 && n.kind == tWord && (n.flags&fCap != 0 || w.classify(j).class&(clUly|clCtxPost) != 0) {
			return false
		}
	}
	h, r := w.contextBefore(i)
	return !h && !r
}
