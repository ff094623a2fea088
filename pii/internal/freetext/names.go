package freetext

import "unicode/utf8"

// A name part is one word of a name, or one initial with its dot.
type part struct {
	class      uint32
	initial    bool
	afterLower bool // the token before the part is a lower-case word
	latin      bool // the part starts with an ASCII letter
	afterCap   bool // the token before the part is a capitalised word
	runEnd     bool // the part ends the run of capitalised words it is in
	end        int  // token index after the part
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
	case p.initial:
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
			t.kind == tWord && t.flags&fCap != 0 && t.mark == 0 && w.s[t.start] >= utf8.RuneSelf && !w.orgName(i) {
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
	parts[n-1].runEnd = w.runEnd(parts[n-1].end)
	if parts[0].class&clGivenSur != 0 && n >= 2 && parts[n-1].latin {
		// Only this pattern asks whether a word is a common English one.
		if k := parts[n-1].end - 1; w.commonEn(w.text(k)) {
			parts[n-1].class |= clCommonEn
		}
	}
	if w.orgName(i) {
		return 0, 0, false
	}
	ctx, role := w.contextBefore(i)
	start := w.sentenceStart(i)
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
		return i, parts[m-1].end, true
	}
	return 0, 0, false
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
		c&(clCtxPre|clCtxPost|clCtxLink) != 0 {
		return part{}, 0, false
	}
	return part{class: c, latin: text[0] < utf8.RuneSelf}, j + 1, true
}

// runEnd reports whether token e ends a run of capitalised words in
// running text: the end, a lower-case word, or a dot, comma or other
// punctuation but a colon ("Grant Application:" is a heading) or a
// number ("Chery Tiggo 7" is a product).
func (w *win) runEnd(e int) bool {
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
		return w.s[t.start] != ':'
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
	// An English given name that is as often a surname (Spencer, Morgan,
	// Wallace), then an unknown Latin word or a middle initial and one:
	// "Spencer Crowther", "Wallace M. Abernathy"; only when those words
	// are the whole run of capitalised words, since headings and firms
	// run longer ("Jackson Hole Trip", "Morgan Street Warehouse").
	if ps[0].latin && ps[0].class&clGivenSur != 0 && !ps[0].afterCap && ps[n-1].runEnd && ps[n-1].latin &&
		ps[n-1].class&(clCommonEn|clGivenSur) == 0 && // "Morgan Stanley": two such names, more often a firm's
		(n == 2 && (k[1] == pU || k[1] == pS || k[1] == pW) || n == 3 && k[1] == pI && (k[2] == pU || k[2] == pS || k[2] == pW)) {
		return true
	}
	if inits > 0 {
		// One initial before an unknown Latin word after a lower-case
		// word: a name in running text ("write to D. Merriweather"); not
		// an enumeration ("Приложение А. Раздел", "A. Overview").
		if n == 2 && k[0] == pI && k[1] == pU && ps[0].afterLower && ps[1].latin {
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
		case a == pS && strongU(b, 0):
			return true
		case b == pS && strongU(a, 1) && (!start || givenLike(ps[0].class)):
			return true
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
