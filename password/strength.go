package password

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxAnalysed is the number of characters (runes after NFKC) that Strength
// looks at. Longer input is cut to this length before any matching, so the
// cost of an estimate is bounded whatever the caller passes; the estimate of
// a longer password is that of its first maxAnalysed characters, which can
// only understate its strength.
const maxAnalysed = maxChars

// maxUserInputs and maxUserInputLen bound the user inputs Strength considers.
const (
	maxUserInputs   = 16
	maxUserInputLen = 64
	// maxUserWords bounds the user words in all their spellings: each is
	// searched for in every variant, and logins and names are chosen by
	// whoever registers, so without it 16 inputs full of short tokens
	// made one Check take 11 ms instead of 0.3. A login, an e-mail and a full
	// name make about 25.
	maxUserWords    = 48
	minUserToken    = 3 // shorter tokens are noise ("a", "kz")
	minContainToken = 4 // ContainsUserInput fires on tokens this long or longer
)

// bruteforceBits is the cost of one character no pattern explains: log₂ of
// the size of its class, as in a mask attack (hashcat's ?d ?l ?u ?s): 10
// digits, 26 Latin letters of one case, 33 Cyrillic letters of one case
// (Russian; the Kazakh nine are counted with them), 33 ASCII specials, and
// 100 for any other character. zxcvbn charges 10 for every character and
// adds a cost per pattern instead; this model gives the same order of
// guesses for random strings without that bookkeeping.
func bruteforceBits(r rune) float64 {
	switch {
	case r >= '0' && r <= '9':
		return bitsDigit
	case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		return bitsLatin
	case strings.ContainsRune(commonSpecials, r):
		return commonSpecialBits
	case r < 0x80:
		return bitsSpecial
	case isCyrillic(r):
		return bitsCyrillic
	}
	return bitsOther
}

// commonSpecials are the symbols people put after a word most often.
const commonSpecials = "!.@#_?$*&№"

var (
	bitsDigit    = math.Log2(10)
	bitsLatin    = math.Log2(26)
	bitsSpecial  = math.Log2(33)
	bitsCyrillic = math.Log2(33)
	bitsOther    = math.Log2(100)
)

// Score thresholds in guesses, as in zxcvbn: below 10³ is 0, below 10⁶ is 1,
// below 10⁸ is 2, below 10¹⁰ is 3, otherwise 4.
var scoreGuesses = [4]float64{1e3, 1e6, 1e8, 1e10}

// Estimate is the result of Strength. It never holds the password or any
// part of it.
type Estimate struct {
	// Score is 0 (guessed at once) to 4 (beyond an offline attack on a slow
	// hash): the number of thresholds 10³, 10⁶, 10⁸, 10¹⁰ that Guesses reaches.
	Score int
	// Guesses estimates how many guesses an attacker who knows the patterns
	// below needs: the product over the weakest decomposition of the password.
	Guesses float64
	// Patterns names the kinds of pattern in that decomposition, sorted:
	// "bruteforce", "date", "dictionary", "keyboard", "layout", "l33t",
	// "repeat", "reversed", "sequence", "user-input", "year".
	Patterns []string
}

// Strength estimates how hard password is to guess, in the manner of zxcvbn
// (see the package documentation for the patterns and the lists). Pass the
// userInputs (login, e-mail, name) whenever they are known: a password
// built from them is cheap to guess.
//
// Characters are counted as runes after NFKC normalisation; only the first
// 128 of them are analysed. Strength is pure, safe for concurrent use, and
// costs at most 2 ms of CPU whatever the input. The first call in a process
// also loads the embedded index of the word lists, once (DESIGN.md gives
// its cost); call Strength at start-up to pay it there.
func Strength(password string, userInputs ...string) Estimate {
	r := analyse(prepare(password), userInputs, true)
	return r.estimate()
}

// prepare normalises s to NFKC and cuts it to maxAnalysed runes. Input is cut
// to a bounded number of bytes first so that normalisation itself is bounded.
func prepare(s string) []rune {
	const maxBytes = maxAnalysed * utf8.UTFMax * 2
	if len(s) > maxBytes {
		s = s[:maxBytes]
	}
	rs := nfkcRunes(s)
	if len(rs) > maxAnalysed {
		rs = rs[:maxAnalysed]
	}
	return rs
}

// nfkcRunes returns s normalised to NFKC, except that № (U+2116, Shift+3 on
// ЙЦУКЕН and the Kazakh layout) stays one symbol instead of becoming the
// letters "No": typed by mistake for #, it is a special character, and a
// key of the layout readings. № is a starter that composes with nothing,
// so normalising the pieces between its occurrences is normalising the
// whole.
func nfkcRunes(s string) []rune {
	if !strings.ContainsRune(s, '№') {
		return []rune(norm.NFKC.String(s))
	}
	var rs []rune
	for i, piece := range strings.Split(s, "№") {
		if i > 0 {
			rs = append(rs, '№')
		}
		rs = append(rs, []rune(norm.NFKC.String(piece))...)
	}
	return rs
}

// result is what one analysis finds.
type result struct {
	bits              float64 // log₂ of the guesses
	patterns          []string
	containsUserInput bool
	common            bool
}

func (r result) estimate() Estimate {
	g := math.Exp2(r.bits)
	score := 0
	for _, t := range scoreGuesses {
		if g*(1+1e-9) >= t { // 2^log₂(10⁶) may round just below 10⁶
			score++
		}
	}
	return Estimate{Score: score, Guesses: g, Patterns: r.patterns}
}

// A match explains the runes i..j (inclusive) of the password at a cost of
// bits (log₂ of the guesses).
type match struct {
	i, j    int
	bits    float64
	pattern pattern
}

// pattern names a kind of match, for Estimate.Patterns.
type pattern uint8

const (
	patBruteforce pattern = iota
	patDate
	patDictionary
	patKeyboard
	patLayout
	patLeet
	patRepeat
	patReversed
	patSequence
	patUserInput
	patYear
	patNone // the plain variant: the matcher names the pattern
)

var patternNames = [...]string{"bruteforce", "date", "dictionary", "keyboard", "layout", "l33t", "repeat", "reversed", "sequence", "user-input", "year", ""}

// A variant is one reading of the password, rewritten one rune for one rune
// (as typed on another layout, with l33t undone, reversed) and spelled in
// the matching alphabet. Positions in a variant are positions in the
// password, except for the reversed variant, whose matches are mapped back.
type variant struct {
	runes    []rune
	base     []rune // the reading l33t was undone on; nil if not a l33t variant
	sk       skeleton
	extra    float64
	pattern  pattern // patNone for the plain variant
	reversed bool
}

func (v *variant) leet() bool { return v.base != nil }

type analyzer struct {
	m        *matcher
	orig     []rune
	low      []rune
	upper    []int // upper[k]: upper-case letters in orig[:k]
	variants []*variant
	matches  []match // matches of any length
	// span[i*width+l] is the cheapest dictionary match of runes i..i+l.
	width   int
	span    []float64
	spanPat []pattern
	user    []userWord
	res     result
}

// maxWord bounds the length in runes of a dictionary match.
const maxWord = 48

// analyse estimates rs, already prepared. With repeats false the repeat
// matcher is skipped: that is how the unit of a repeat is estimated, and it
// bounds the recursion to one level.
func analyse(rs []rune, userInputs []string, repeats bool) result {
	n := len(rs)
	if n == 0 {
		return result{}
	}
	a := newAnalyzer(loadMatcher(), rs)
	a.buildUserDict(userInputs)
	a.buildVariants()
	a.span = make([]float64, n*a.width)
	for k := range a.span {
		a.span[k] = math.Inf(1)
	}
	a.spanPat = make([]pattern, n*a.width)
	for _, v := range a.variants {
		a.dictionaryMatch(v)
	}
	a.res.common = a.common()
	for _, v := range a.variants {
		if v.leet() || v.reversed {
			continue
		}
		a.sequenceMatch(v)
		a.spatialMatch(v)
		a.dateMatch(v)
	}
	if repeats {
		a.repeatMatch()
	}
	a.search()
	return a.res
}

// common reports whether a variant other than the reversed one is, whole, a
// common password.
func (a *analyzer) common() bool {
	for _, v := range a.variants {
		if !v.reversed && a.m.trie.get(v.sk.b)&flagCommon != 0 {
			return true
		}
	}
	return false
}

func newAnalyzer(m *matcher, rs []rune) *analyzer {
	n := len(rs)
	a := &analyzer{m: m, orig: rs, low: make([]rune, n), upper: make([]int, n+1), width: min(n, maxWord)}
	for i, r := range rs {
		a.low[i] = unicode.ToLower(r)
		a.upper[i+1] = a.upper[i]
		if unicode.IsUpper(r) {
			a.upper[i+1]++
		}
	}
	return a
}

// buildVariants lists the readings of the password: as typed, on the other
// layout (ЙЦУКЕН read as QWERTY keys with the Kazakh digit row in both
// placements, QWERTY read as ЙЦУКЕН), each also with l33t undone, and the
// plain reading reversed. Readings spelled alike are kept once.
func (a *analyzer) buildVariants() {
	t := a.m.tables
	a.add(a.low, nil, 0, patNone, false)
	rev := slices.Clone(a.low)
	slices.Reverse(rev)
	a.add(rev, nil, 1, patReversed, true)
	bases := [][]rune{a.low}
	layout := func(tab *runeTable) {
		rs := make([]rune, len(a.low))
		changed := false
		for i, r := range a.low {
			rs[i] = tab.apply(r)
			changed = changed || rs[i] != r
		}
		if changed && a.add(rs, nil, 1, patLayout, false) {
			bases = append(bases, rs)
		}
	}
	cyr, latin := false, false
	nCyr, nLatin := 0, 0
	for _, r := range a.low {
		switch {
		case isCyrillic(r):
			nCyr++
		case r >= 'a' && r <= 'z':
			nLatin++
		}
		cyr = cyr || isCyrillic(r) || r == '№'
		latin = latin || r >= 'a' && r <= 'z'
	}
	if nCyr > 0 && nCyr >= nLatin {
		// A Cyrillic word with look-alike digits, symbols and Latin letters.
		tabs := []*runeTable{t.lookalikesA, t.lookalikesB}
		if slices.Contains(a.low, '3') && slices.Contains(a.low, '4') {
			tabs = append(tabs, t.lookalikesC, t.lookalikesD)
		}
		for _, tab := range tabs {
			rs := make([]rune, len(a.low))
			changed := false
			for i, r := range a.low {
				rs[i] = tab.apply(r)
				changed = changed || rs[i] != r
			}
			if changed {
				a.add(rs, a.low, 0, patLeet, false)
			}
		}
	}
	if slices.ContainsFunc(a.low, func(r rune) bool { return t.latinAlternatives.has(r) }) {
		rs := make([]rune, len(a.low))
		for i, r := range a.low {
			rs[i] = t.latinAlternatives.apply(r)
		}
		if a.add(rs, nil, 0, patNone, false) {
			bases = append(bases, rs)
		}
	}
	if cyr {
		layout(t.ruKeysSequential)
		layout(t.ruKeysWindows)
	}
	if latin {
		layout(t.keyToRu)
	}
	for k, b := range bases {
		extra := 0.0
		if k > 0 {
			extra = 1
		}
		pat := patLeet
		a.add(a.unleet(b, t.leetI, false), b, extra, pat, false)
		a.add(a.unleet(b, t.leetL, false), b, extra, pat, false)
		a.add(a.unleet(b, t.leetI, true), b, extra, pat, false)
	}
}

// add appends a variant unless one already spells the same; it reports
// whether it did.
func (a *analyzer) add(rs, base []rune, extra float64, p pattern, reversed bool) bool {
	if rs == nil {
		return false
	}
	v := &variant{runes: rs, base: base, extra: extra, pattern: p, reversed: reversed}
	// A rune spells as at most two bytes but for x, я and ю: room for all
	// but the rarest passwords in one allocation.
	room := 2*len(rs) + 8
	v.sk = skeleton{b: make([]byte, 0, room), from: make([]int32, 0, room), to: make([]int32, 0, room)}
	a.m.spell(rs, &v.sk)
	for _, w := range a.variants {
		if w.reversed == reversed && string(w.sk.b) == string(v.sk.b) {
			return false
		}
	}
	a.variants = append(a.variants, v)
	return true
}

// unleet undoes l33t in rs: a substitute next to Cyrillic letters is read as
// the Cyrillic letter it stands for, otherwise as the Latin one (tab). With
// inner, only substitutes followed by a letter in the same run are undone,
// so that the digits after a word stay digits (P@ssw0rd1 is password1). It
// returns nil when nothing changes.
func (a *analyzer) unleet(rs []rune, tab *runeTable, inner bool) []rune {
	t := a.m.tables
	n := len(rs)
	// script[i]: whether the nearest letter to i is Cyrillic; letterRight[i]:
	// whether a letter follows i before anything that is neither a letter
	// nor a substitute.
	out := slices.Clone(rs)
	changed := false
	lastScript := 0 // 0 none, 1 Latin, 2 Cyrillic
	left := make([]int8, n)
	leftDist := make([]int, n)
	d := 1 << 30
	for i, r := range rs {
		if unicode.IsLetter(r) {
			lastScript, d = scriptOf(r), 0
		} else {
			d++
		}
		left[i], leftDist[i] = int8(lastScript), d
	}
	rightScript, rd := 0, 1<<30
	letterRight := false
	for i := n - 1; i >= 0; i-- {
		r := rs[i]
		isSub := tab.has(r) || t.leetCyrillic.has(r)
		if unicode.IsLetter(r) {
			rightScript, rd = scriptOf(r), 0
			letterRight = true
			continue
		}
		rd++
		if !isSub {
			letterRight = false
			continue
		}
		if inner && !letterRight {
			continue
		}
		script := int(left[i])
		if rd < leftDist[i] || script == 0 {
			script = rightScript
		}
		if script == 2 && t.leetCyrillic.has(r) {
			out[i] = t.leetCyrillic.apply(r)
		} else if tab.has(r) {
			out[i] = tab.apply(r)
		}
		changed = changed || out[i] != r
	}
	if !changed {
		return nil
	}
	return out
}

func scriptOf(r rune) int {
	if isCyrillic(r) {
		return 2
	}
	return 1
}

func isCyrillic(r rune) bool { return r >= 0x400 && r < 0x530 }

// dictionaryMatch walks the trie from every rune boundary of v's spelling,
// and searches it for the user's words.
func (a *analyzer) dictionaryMatch(v *variant) {
	t := &a.m.trie
	sk := &v.sk
	n := len(sk.b)
	boundaryEnd := func(b int) bool { return b+1 == n || sk.to[b] < sk.from[b+1] }
	for s := range n {
		if s > 0 && sk.to[s-1] >= sk.from[s] {
			continue // inside one rune's spelling
		}
		var node uint32
		for b := s; b < n && b-s < maxKey; b++ {
			if node = t.child(node, sk.b[b]); node == 0 {
				break
			}
			if e := t.val[node]; e != 0 && boundaryEnd(b) {
				a.addWord(v, int(sk.from[s]), int(sk.to[b]), float64(e&rankMask), e&flagWord != 0, patDictionary)
			}
		}
	}
	for _, w := range a.user {
		for off := 0; off < n; {
			k := bytes.Index(sk.b[off:], w.s)
			if k < 0 {
				break
			}
			s, e := off+k, off+k+len(w.s)-1
			if (s == 0 || sk.to[s-1] < sk.from[s]) && boundaryEnd(e) {
				i, j := int(sk.from[s]), int(sk.to[e])
				a.addWord(v, i, j, float64(w.rank), false, patUserInput)
				if j-i+1 >= minContainToken {
					a.res.containsUserInput = true
				}
			}
			off = s + 1
		}
	}
}

// A userWord is a word from the user's inputs, in the matching alphabet.
type userWord struct {
	s    []byte
	rank int
}

func (a *analyzer) addWord(v *variant, i, j int, rank float64, word bool, pattern pattern) {
	if j-i >= a.width {
		return
	}
	oi, oj := i, j
	// Short matches found only in a rewritten reading are mostly noise: a
	// large list has a word for most short strings, and a random password
	// read backwards, or on the other layout with l33t undone, shows them.
	if v.leet() && v.extra > 0 && j-i+1 < layoutLeetMinLen {
		return
	}
	if v.reversed {
		n := len(v.runes)
		oi, oj = n-1-j, n-1-i
	}
	bits := math.Log2(rank)
	if word && oj-oi+1 >= scaledLen {
		bits = wordBits(rank)
	}
	bits += v.extra
	if a.upper[oj+1] != a.upper[oi] {
		bits += upperBits(a.orig[oi : oj+1])
	}
	if v.leet() {
		subs := 0
		for k := oi; k <= oj; k++ {
			if v.runes[k] != v.base[k] {
				subs++
			}
		}
		if subs == 0 {
			return // the reading l33t was undone on finds the same word
		}
		if oj-oi+1 < leetMinLen {
			return // short words through l33t are noise in random strings
		}
		bits += leetBits * float64(subs)
		pattern = patLeet
	} else if v.pattern != patNone {
		pattern = v.pattern
	}
	// A match across a separator (Nur-Sultan, men seni) must be whole
	// tokens: otherwise the ends of two words of a passphrase, with the
	// separator dropped, make a third.
	for _, r := range a.orig[oi : oj+1] {
		if isSeparator(r) && r != '\'' && r != '’' {
			if (oi > 0 && unicode.IsLetter(a.orig[oi-1])) || (oj+1 < len(a.orig) && unicode.IsLetter(a.orig[oj+1])) {
				return
			}
			bits += sepBits
		}
	}
	// Keep the cheapest match per span in a table instead of a list,
	// however many variants find it.
	k := oi*a.width + oj - oi
	if bits < a.span[k] {
		a.span[k] = bits
		a.spanPat[k] = pattern
	}
}

// wordBits is the cost of a word of the given rank. zxcvbn charges
// log₂(rank), as if the attacker tried each word alone and in order; but
// the lists here are an order of magnitude longer than zxcvbn's, their
// ranks only roughly follow frequency (the hunspell forms are ranked by
// length), and an attacker runs the whole of such a list through every
// rule (a year, a date, a symbol, a second word). So a word costs
// rank^wordExponent guesses, at least 2^wordFloorBits, and never more than
// its rank. Its length must be scaledLen or more: shorter words cost their
// rank, as in zxcvbn, since a long list holds most short strings.
func wordBits(rank float64) float64 {
	b := math.Log2(rank)
	return min(b, max(wordExponent*b, wordFloorBits))
}

// The costs below were tuned on testdata/eval/tune.txt and the even lines
// of strong.txt, never on heldout.txt (DESIGN.md has the figures).
const (
	wordExponent      = 0.35 // a word of rank r costs r^0.35 guesses …
	wordFloorBits     = 5.5  // … but at least 2^5.5, or r if r is less
	scaledLen         = 4    // words shorter than this cost their full rank
	leetBits          = 2.0  // each substitute undone
	leetMinLen        = 4    // shortest word read through l33t
	layoutLeetMinLen  = 6    // shortest word read through a layout and l33t
	sepBits           = 2.0  // each separator inside a phrase
	iinBits           = 6.0  // an IIN: known to whoever targets its holder
	commonSpecialBits = 3.32 // one of the ten usual symbols (log₂ 10)
)

// upperBits is zxcvbn's cost of the capitalisation of a word: nothing for
// lower case, one bit for the usual schemes (Capital, ALL CAPS, lasT), else
// log₂ of the ways to place that many capitals.
func upperBits(word []rune) float64 {
	up, lo := 0, 0
	for _, r := range word {
		switch {
		case unicode.IsUpper(r):
			up++
		case unicode.IsLower(r):
			lo++
		}
	}
	if up == 0 {
		return 0
	}
	if lo == 0 || (up == 1 && (unicode.IsUpper(word[0]) || unicode.IsUpper(word[len(word)-1]))) {
		return 1
	}
	return math.Log2(binomialSum(up+lo, min(up, lo)))
}

// sequenceMatch finds runs of three or more characters whose code points step
// by +1 or -1 (abc, 987, абв, 1234 typed as әіңғ).
func (a *analyzer) sequenceMatch(v *variant) {
	rs := v.runes
	n := len(rs)
	for i := 0; i < n-2; {
		delta := rs[i+1] - rs[i]
		if (delta != 1 && delta != -1) || seqClass(rs[i]) == 0 || seqClass(rs[i]) != seqClass(rs[i+1]) {
			i++
			continue
		}
		j := i + 1
		for j+1 < n && rs[j+1]-rs[j] == delta && seqClass(rs[j+1]) == seqClass(rs[i]) {
			j++
		}
		if j-i >= 2 {
			var base float64
			switch c := rs[i]; {
			case c == 'a' || c == 'z' || c == '0' || c == '1' || c == '9' || c == 'а' || c == 'я':
				base = 4
			case seqClass(c) == 2:
				base = 10
			case seqClass(c) == 3:
				base = 33
			default:
				base = 26
			}
			bits := math.Log2(base*float64(j-i+1)) + v.extra
			if delta < 0 {
				bits++
			}
			a.matches = append(a.matches, match{i: i, j: j, bits: bits, pattern: orPattern(v, patSequence)})
		}
		i = j
	}
}

func seqClass(r rune) int {
	switch {
	case r >= 'a' && r <= 'z':
		return 1
	case r >= '0' && r <= '9':
		return 2
	case r >= 'а' && r <= 'я':
		return 3
	}
	return 0
}

func orPattern(v *variant, p pattern) pattern {
	if v.pattern != patNone {
		return v.pattern
	}
	return p
}

// spatialMatch finds walks of three or more adjacent keys on the QWERTY
// keyboard or the numeric keypad ("qwerty", "zxcvbn", "1qaz", "7896").
func (a *analyzer) spatialMatch(v *variant) {
	for _, g := range a.m.graphs {
		rs := v.runes
		n := len(rs)
		for i := 0; i < n-2; {
			j := i + 1
			lastDir, turns, shifted := -1, 0, 0
			for ; j < n; j++ {
				dir, shift := g.adjacent(rs[j-1], rs[j])
				if dir < 0 {
					break
				}
				if shift {
					shifted++
				}
				if dir != lastDir {
					turns++
					lastDir = dir
				}
			}
			if j-i > 2 {
				a.matches = append(a.matches, match{i: i, j: j - 1, bits: g.bits(j-i, turns, shifted) + v.extra, pattern: orPattern(v, patKeyboard)})
			}
			i = j
		}
	}
}

// dateMatch finds years (1900–2099) and dates with or without separators
// (31.12.1990, 1990-12-31, 311290, 19901231).
func (a *analyzer) dateMatch(v *variant) {
	rs := v.runes
	n := len(rs)
	ref := time.Now().Year()
	for i := 0; i < n; i++ {
		if !isDigit(rs[i]) {
			continue
		}
		// Years.
		if i+4 <= n && allDigits(rs[i:i+4]) {
			if y := atoi(rs[i : i+4]); y >= 1900 && y <= 2099 {
				a.matches = append(a.matches, match{i: i, j: i + 3, bits: yearBits(y, ref) + v.extra, pattern: orPattern(v, patYear)})
			}
		}
		// A day and month without a year (2704, 0412): a birthday or an
		// anniversary.
		if i+4 <= n && allDigits(rs[i:i+4]) {
			if p, q := atoi(rs[i:i+2]), atoi(rs[i+2:i+4]); validDayMonth(p, q) || validDayMonth(q, p) {
				a.matches = append(a.matches, match{i: i, j: i + 3, bits: math.Log2(366) + v.extra, pattern: orPattern(v, patDate)})
			}
		}
		// Dates without separators: 4 to 8 digits.
		for l := 4; l <= 8 && i+l <= n; l++ {
			if !allDigits(rs[i : i+l]) {
				break
			}
			if y, ok := digitDate(rs[i:i+l], ref); ok {
				a.matches = append(a.matches, match{i: i, j: i + l - 1, bits: math.Log2(365) + yearBits(y, ref) + v.extra, pattern: orPattern(v, patDate)})
			}
		}
		// IINs: a birth date, then the century and sex, a serial number and
		// a check digit. An IIN is printed on every document and known to
		// whoever targets its holder, who tries it among the first guesses,
		// as they try the holder's login and name.
		if i+12 <= n && allDigits(rs[i:i+12]) && (i+12 == n || !isDigit(rs[i+12])) && (i == 0 || !isDigit(rs[i-1])) {
			if _, ok := iinDate(rs[i : i+12]); ok {
				a.matches = append(a.matches, match{i: i, j: i + 11, bits: iinBits + v.extra, pattern: orPattern(v, patDate)})
			}
		}
		// Dates with separators: d{1,4} s d{1,2} s d{1,4}, the same s twice.
		if j, y, ok := sepDate(rs[i:], ref); ok {
			a.matches = append(a.matches, match{i: i, j: i + j - 1, bits: math.Log2(365) + yearBits(y, ref) + 2 + v.extra, pattern: orPattern(v, patDate)})
		}
	}
}

// iinDate reports whether ds (12 digits) is a valid individual
// identification number of Kazakhstan (a date YYMMDD, a century-and-sex
// digit 1–6, four serial digits and a check digit computed with weights
// 1…11, then 3…11, 1, 2 when the first sum gives 10), and returns its year.
func iinDate(ds []rune) (int, bool) {
	c := int(ds[6] - '0')
	if c < 1 || c > 6 {
		return 0, false
	}
	y := 1700 + 100*((c+1)/2) + atoi(ds[0:2])
	if !validDate(atoi(ds[4:6]), atoi(ds[2:4]), y) {
		return 0, false
	}
	sum := 0
	for k := range 11 {
		sum += (k + 1) * int(ds[k]-'0')
	}
	check := sum % 11
	if check == 10 {
		sum = 0
		for k := range 11 {
			sum += ((k+2)%11 + 1) * int(ds[k]-'0')
		}
		if check = sum % 11; check == 10 {
			return 0, false
		}
	}
	return y, check == int(ds[11]-'0')
}

// validDate reports whether d.m.y is a date of the Gregorian calendar.
func validDate(d, m, y int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func yearBits(y, ref int) float64 {
	return math.Log2(float64(max(abs(y-ref), 20)))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if !isDigit(r) {
			return false
		}
	}
	return true
}

func atoi(rs []rune) int {
	n := 0
	for _, r := range rs {
		n = n*10 + int(r-'0')
	}
	return n
}

// fullYear turns a two-digit year into the nearest century's.
func fullYear(y, digits int) int {
	if digits == 4 {
		return y
	}
	if y > 50 {
		return 1900 + y
	}
	return 2000 + y
}

// digitDate reports whether ds (4 to 8 digits) splits into day, month and a
// two- or four-digit year in one of the usual orders, and returns the year.
func digitDate(ds []rune, ref int) (int, bool) {
	l := len(ds)
	for _, yl := range [2]int{4, 2} {
		if yl >= l-1 {
			continue
		}
		rest := l - yl
		if rest < 2 || rest > 4 {
			continue
		}
		// Year last (dmy, mdy) or first (ymd, ydm).
		for _, yearFirst := range [2]bool{false, true} {
			var yr, dm []rune
			if yearFirst {
				yr, dm = ds[:yl], ds[yl:]
			} else {
				yr, dm = ds[rest:], ds[:rest]
			}
			y := fullYear(atoi(yr), yl)
			if y < 1900 || y > 2099 {
				continue
			}
			for split := 1; split < len(dm); split++ {
				if split > 2 || len(dm)-split > 2 {
					continue
				}
				p, q := atoi(dm[:split]), atoi(dm[split:])
				if validDayMonth(p, q) || validDayMonth(q, p) {
					return y, true
				}
			}
		}
	}
	return 0, false
}

func validDayMonth(d, m int) bool { return d >= 1 && d <= 31 && m >= 1 && m <= 12 }

func isDateSep(r rune) bool { return strings.ContainsRune(" -/._\\,", r) }

// sepDate matches a date with separators at the start of rs and returns its
// length in runes and its year.
func sepDate(rs []rune, ref int) (int, int, bool) {
	var parts [3][]rune
	k := 0
	var sep rune
	for p := range 3 {
		start := k
		for k < len(rs) && isDigit(rs[k]) && k-start < 4 {
			k++
		}
		if k == start {
			return 0, 0, false
		}
		parts[p] = rs[start:k]
		if p < 2 {
			if k >= len(rs) || !isDateSep(rs[k]) || (p == 1 && rs[k] != sep) {
				return 0, 0, false
			}
			sep = rs[k]
			k++
		}
	}
	a, b, c := parts[0], parts[1], parts[2]
	switch {
	case len(c) == 4 || len(c) == 2 && len(a) <= 2:
		y := fullYear(atoi(c), len(c))
		if len(a) <= 2 && len(b) <= 2 && (validDayMonth(atoi(a), atoi(b)) || validDayMonth(atoi(b), atoi(a))) && y >= 1900 && y <= 2099 {
			return k, y, true
		}
	case len(a) == 4:
		y := atoi(a)
		if len(b) <= 2 && len(c) <= 2 && (validDayMonth(atoi(c), atoi(b)) || validDayMonth(atoi(b), atoi(c))) && y >= 1900 && y <= 2099 {
			return k, y, true
		}
	}
	return 0, 0, false
}

// repeatMatch finds a unit of any length repeated two or more times in a row
// ("aaaa", "abcabc", "a1!a1!a1!"). The repeat costs the unit's own estimate
// times the number of copies.
func (a *analyzer) repeatMatch() {
	rs := a.low
	n := len(rs)
	units := map[string]float64{} // a unit's estimate, computed once
	for i := 0; i < n-1; {
		found := false
		for p := 1; i+2*p <= n; p++ {
			if !slices.Equal(rs[i:i+p], rs[i+p:i+2*p]) {
				continue
			}
			k := 2
			for i+(k+1)*p <= n && slices.Equal(rs[i:i+p], rs[i+k*p:i+(k+1)*p]) {
				k++
			}
			key := string(a.orig[i : i+p])
			bits, ok := units[key]
			if !ok {
				bits = analyse(a.orig[i:i+p], nil, false).bits
				units[key] = bits
			}
			a.matches = append(a.matches, match{i: i, j: i + k*p - 1, bits: bits + math.Log2(float64(k)), pattern: patRepeat})
			i += k * p
			found = true
			break
		}
		if !found {
			i++
		}
	}
}

// search finds the decomposition of the password into matches and
// brute-forced characters with the fewest total guesses (dynamic programming
// over positions: O(n·maxWord + matches)).
func (a *analyzer) search() {
	n := len(a.low)
	a.sortMatches()
	best := make([]float64, n+1)
	// from[k] is how best[k] was reached: -1 a brute-forced rune, 0..len(
	// matches)-1 a match, and len(matches)+s the span s of the table.
	from := make([]int, n+1)
	m := 0
	for k := range n {
		best[k+1] = best[k] + bruteforceBits(a.orig[k])
		from[k+1] = -1
		for ; m < len(a.matches) && a.matches[m].j == k; m++ {
			if c := best[a.matches[m].i] + a.matches[m].bits; c < best[k+1] {
				best[k+1] = c
				from[k+1] = m
			}
		}
		for l := 0; l < a.width && l <= k; l++ {
			i := k - l
			if c := best[i] + a.span[i*a.width+l]; c < best[k+1] {
				best[k+1] = c
				from[k+1] = len(a.matches) + i*a.width + l
			}
		}
	}
	a.res.bits = best[n]
	var seen [len(patternNames)]bool
	for k := n; k > 0; {
		switch f := from[k]; {
		case f < 0:
			seen[patBruteforce] = true
			k--
		case f < len(a.matches):
			seen[a.matches[f].pattern] = true
			k = a.matches[f].i
		default:
			s := f - len(a.matches)
			seen[a.spanPat[s]] = true
			k = s / a.width
		}
	}
	for p, ok := range seen {
		if ok && patternNames[p] != "" {
			a.res.patterns = append(a.res.patterns, patternNames[p])
		}
	}
}

// sortMatches orders the matches by end position (a counting sort: O(n +
// matches)).
func (a *analyzer) sortMatches() {
	count := make([]int, len(a.low)+1)
	for _, m := range a.matches {
		count[m.j+1]++
	}
	for k := 1; k < len(count); k++ {
		count[k] += count[k-1]
	}
	sorted := make([]match, len(a.matches))
	for _, m := range a.matches {
		sorted[count[m.j]] = m
		count[m.j]++
	}
	a.matches = sorted
}

// buildUserDict lists the user's own inputs, whole and split into words,
// in the matching alphabet, ranked in the order given. Inputs are bounded
// in number and length, and searched for with bytes.Index: a few hundred
// bytes of search per variant.
func (a *analyzer) buildUserDict(inputs []string) {
	if len(inputs) == 0 {
		return
	}
	rank := 0
	seen := map[string]bool{}
	var sk skeleton
	add := func(tok []rune) {
		if len(tok) < minUserToken || len(a.user) >= maxUserWords {
			return
		}
		a.m.spell(tok, &sk)
		if len(sk.b) < minUserToken || seen[string(sk.b)] {
			return
		}
		seen[string(sk.b)] = true
		rank++
		a.user = append(a.user, userWord{s: slices.Clone(sk.b), rank: rank})
	}
	for _, in := range inputs[:min(len(inputs), maxUserInputs)] {
		rs := prepare(in)
		if len(rs) > maxUserInputLen {
			rs = rs[:maxUserInputLen]
		}
		for i, r := range rs {
			rs[i] = unicode.ToLower(r)
		}
		if at := slices.Index(rs, '@'); at > 0 {
			add(rs[:at]) // the local part of an e-mail address
		}
		add(rs)
		start := -1
		for i := 0; i <= len(rs); i++ {
			if i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i])) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 {
				add(rs[start:i])
				start = -1
			}
		}
	}
}
