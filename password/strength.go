package password

import (
	"bufio"
	"bytes"
	"embed"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nbutton23/zxcvbn-go/adjacency"
	"github.com/nbutton23/zxcvbn-go/frequency"
	"golang.org/x/text/unicode/norm"
)

// maxAnalysed is the number of characters (runes after NFKC) that Strength
// looks at. Longer input is cut to this length before any matching, so the
// cost of an estimate is bounded whatever the caller passes; the estimate of
// a longer password is that of its first maxAnalysed characters, which can
// only understate its strength.
const maxAnalysed = DefaultMaxLength

// maxWord bounds the length in runes of a dictionary lookup.
const maxWord = 24

// maxUserInputs and maxUserInputLen bound the user inputs Strength considers.
const (
	maxUserInputs    = 16
	maxUserInputLen  = 64
	maxUserSpellings = 4 // transliterations tried per user word
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
	case r < 0x80:
		return bitsSpecial
	case isCyrillic(r):
		return bitsCyrillic
	}
	return bitsOther
}

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
// and with its data (github.com/nbutton23/zxcvbn-go: English words, names,
// surnames, common passwords, the QWERTY and keypad graphs), extended for
// this platform's users: Russian and Kazakh words, names, surnames and places
// with their Latin transliterations, passwords typed on the wrong keyboard
// layout (Russian ЙЦУКЕН, Kazakh digit row), years and dates, repeated units
// of any length, the platform's own words and the userInputs (login, e-mail,
// name), which should be passed whenever they are known.
//
// Characters are counted as runes after NFKC normalisation; only the first
// 128 (DefaultMaxLength) of them are analysed. Strength is pure, safe for
// concurrent use, and its cost is bounded (see BenchmarkCheckWorstCase). The
// first call loads the word lists (about 0.1 s).
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
	rs := []rune(norm.NFKC.String(s))
	if len(rs) > maxAnalysed {
		rs = rs[:maxAnalysed]
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

// A variant is the password (lower-cased, diacritics folded) rewritten one
// rune for one rune: as typed on another layout, with l33t undone, reversed.
// Positions in a variant are positions in the password, except for reversed
// variants, whose matches are mapped back.
type variant struct {
	runes    []rune
	s        string
	off      []int // byte offset of each rune in s, plus len(s)
	extra    float64
	pattern  pattern // patNone for the plain variant
	reversed bool
	leet     bool
}

func newVariant(rs []rune, extra float64, pattern pattern) *variant {
	v := &variant{runes: rs, extra: extra, pattern: pattern, off: make([]int, len(rs)+1)}
	var b strings.Builder
	b.Grow(len(rs) * 2)
	for i, r := range rs {
		v.off[i] = b.Len()
		b.WriteRune(r)
	}
	v.off[len(rs)] = b.Len()
	v.s = b.String()
	return v
}

func (v *variant) sub(i, j int) string { return v.s[v.off[i]:v.off[j+1]] }

type analyzer struct {
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

// analyse estimates rs, already prepared. With repeats false the repeat
// matcher is skipped: that is how the unit of a repeat is estimated, and it
// bounds the recursion to one level.
func analyse(rs []rune, userInputs []string, repeats bool) result {
	d := loadDictionary()
	n := len(rs)
	if n == 0 {
		return result{}
	}
	a := newAnalyzer(rs)
	a.buildUserDict(userInputs)
	a.buildVariants()
	a.span = make([]float64, n*a.width)
	for k := range a.span {
		a.span[k] = math.Inf(1)
	}
	a.spanPat = make([]pattern, n*a.width)
	for _, v := range a.variants {
		a.dictionaryMatch(d, v)
	}
	a.res.common = a.common(d)
	for _, v := range a.variants {
		if v.leet || v.reversed {
			continue
		}
		a.sequenceMatch(v)
		a.spatialMatch(v, d)
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
func (a *analyzer) common(d *dictionary) bool {
	for _, v := range a.variants {
		if e, ok := d.words[v.s]; ok && !v.reversed && e&flagCommon != 0 {
			return true
		}
	}
	return false
}

func newAnalyzer(rs []rune) *analyzer {
	n := len(rs)
	a := &analyzer{orig: rs, low: make([]rune, n), upper: make([]int, n+1), width: min(n, maxWord)}
	for i, r := range rs {
		a.low[i] = fold(r)
		a.upper[i+1] = a.upper[i]
		if unicode.IsUpper(r) {
			a.upper[i+1]++
		}
	}
	return a
}

// buildVariants lists the plain folded password and each rewriting of it
// that differs from it.
func (a *analyzer) buildVariants() {
	n := len(a.low)
	plain := newVariant(a.low, 0, patNone)
	a.variants = append(a.variants, plain)
	rev := slices.Clone(a.low)
	slices.Reverse(rev)
	rv := newVariant(rev, 1, patReversed)
	rv.reversed = true
	a.variants = append(a.variants, rv)

	add := func(t *runeTable, extra float64, pattern pattern, leet bool) {
		rs := make([]rune, n)
		changed := false
		for i, r := range a.low {
			rs[i] = t.apply(r)
			changed = changed || rs[i] != r
		}
		if !changed {
			return
		}
		v := newVariant(rs, extra, pattern)
		for _, w := range a.variants {
			if w.s == v.s && !w.reversed {
				return
			}
		}
		v.leet = leet
		a.variants = append(a.variants, v)
	}
	add(tables.leetI, 0, patLeet, true)
	add(tables.leetL, 0, patLeet, true)
	if slices.ContainsFunc(a.low, isCyrillic) {
		add(tables.leetCyrillic, 0, patLeet, true)
		// Cyrillic typed on a Latin keyboard, Kazakh letters as the digits
		// they replace (both placements).
		add(tables.ruKeysSequential, 1, patLayout, false)
		add(tables.ruKeysWindows, 1, patLayout, false)
	}
	// Latin keys typed meaning Russian letters ("ghbdtn" is "привет").
	add(tables.keyToRu, 1, patLayout, false)
}

// dictionaryMatch looks up every substring of v of at most maxWord runes in
// the word lists and the user inputs.
func (a *analyzer) dictionaryMatch(d *dictionary, v *variant) {
	n := len(v.runes)
	for i := range n {
		a.lookup(d.words, v, i, patDictionary)
	}
	for _, w := range a.user {
		for off := 0; off < len(v.s); {
			k := strings.Index(v.s[off:], w.s)
			if k < 0 {
				break
			}
			b := off + k
			if i, ok := slices.BinarySearch(v.off, b); ok && i+w.runes <= n {
				a.addWord(v, i, i+w.runes-1, float64(w.rank), patUserInput)
				if w.runes >= minContainToken {
					a.res.containsUserInput = true
				}
			}
			off = b + 1
		}
	}
}

// A userWord is a word from the user's inputs, in one spelling.
type userWord struct {
	s     string
	rank  int
	runes int
}

// lookup matches the substrings of v starting at i against dict, stopping as
// soon as no key of dict starts with the substring: every prefix of every
// key is in dict, flagged, so the walk costs the length of the longest match
// plus one, not maxWord.
func (a *analyzer) lookup(dict map[string]uint32, v *variant, i int, pattern pattern) {
	end := min(len(v.runes), i+maxWord)
	for j := i; j < end; j++ {
		e, ok := dict[v.sub(i, j)]
		if !ok {
			return
		}
		if rank := e & rankMask; rank != 0 {
			a.addWord(v, i, j, float64(rank), pattern)
		}
		if e&flagPrefix == 0 {
			return
		}
	}
}

// insertWord puts w in dict with rank (keeping the better rank and the
// common flag of an existing entry) and marks each of its proper prefixes.
func insertWord(dict map[string]uint32, w string, rank int, common bool) {
	if w == "" || rank <= 0 || utf8.RuneCountInString(w) > maxWord {
		return
	}
	e := uint32(min(rank, rankMask))
	if common {
		e |= flagCommon
	}
	if old, ok := dict[w]; ok {
		if r := old & rankMask; r != 0 && r < e&rankMask {
			e = e&^rankMask | r
		}
		e |= old & (flagCommon | flagPrefix)
	}
	dict[w] = e
	// Longest prefix first: a prefix already flagged was inserted with all of
	// its own prefixes, so the walk can stop there.
	for k := len(w) - 1; k > 0; k-- {
		if !utf8.RuneStart(w[k]) {
			continue
		}
		old, ok := dict[w[:k]]
		if ok && old&flagPrefix != 0 {
			break
		}
		dict[w[:k]] = old | flagPrefix
	}
}

func (a *analyzer) addWord(v *variant, i, j int, rank float64, pattern pattern) {
	oi, oj := i, j
	if v.reversed {
		n := len(v.runes)
		oi, oj = n-1-j, n-1-i
	}
	bits := math.Log2(rank) + v.extra
	if a.upper[oj+1] != a.upper[oi] {
		bits += upperBits(a.orig[oi : oj+1])
	}
	if v.leet {
		subs := 0
		for k := oi; k <= oj; k++ {
			if v.runes[k] != a.low[k] {
				subs++
			}
		}
		if subs == 0 {
			return // the plain variant finds the same word
		}
		bits += float64(subs)
		pattern = patLeet
	} else if v.pattern != patNone {
		pattern = v.pattern
	}
	// Words are at most maxWord runes long: keep the cheapest per span in a
	// table instead of a list, however many variants find it.
	k := oi*a.width + oj - oi
	if bits < a.span[k] {
		a.span[k] = bits
		a.spanPat[k] = pattern
	}
}

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
	var ways float64
	for k := 1; k <= min(up, lo); k++ {
		ways += binomial(up+lo, k)
	}
	return math.Log2(ways)
}

func binomial(n, k int) float64 {
	r := 1.0
	for i := 1; i <= k; i++ {
		r = r * float64(n-k+i) / float64(i)
	}
	return r
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
func (a *analyzer) spatialMatch(v *variant, d *dictionary) {
	for _, g := range d.graphs {
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
		// Dates without separators: 4 to 8 digits.
		for l := 4; l <= 8 && i+l <= n; l++ {
			if !allDigits(rs[i : i+l]) {
				break
			}
			if y, ok := digitDate(rs[i:i+l], ref); ok {
				a.matches = append(a.matches, match{i: i, j: i + l - 1, bits: math.Log2(365) + yearBits(y, ref) + v.extra, pattern: orPattern(v, patDate)})
			}
		}
		// Dates with separators: d{1,4} s d{1,2} s d{1,4}, the same s twice.
		if j, y, ok := sepDate(rs[i:], ref); ok {
			a.matches = append(a.matches, match{i: i, j: i + j - 1, bits: math.Log2(365) + yearBits(y, ref) + 2 + v.extra, pattern: orPattern(v, patDate)})
		}
	}
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
// with their transliterations, ranked in the order given. Inputs are bounded
// in number and length, and matched with strings.Index: a few hundred bytes
// of search per variant.
func (a *analyzer) buildUserDict(inputs []string) {
	if len(inputs) == 0 {
		return
	}
	rank := 0
	seen := map[string]bool{}
	add := func(tok string) {
		if utf8.RuneCountInString(tok) < minUserToken || seen[tok] || len(a.user) >= maxUserWords {
			return
		}
		rank++
		spellings := append(transliterations(tok, maxUserSpellings), tok, latinToCyrillic(tok))
		for _, t := range spellings {
			if n := utf8.RuneCountInString(t); n >= minUserToken && !seen[t] && len(a.user) < maxUserWords {
				seen[t] = true
				a.user = append(a.user, userWord{s: t, rank: rank, runes: n})
			}
		}
	}
	for _, in := range inputs[:min(len(inputs), maxUserInputs)] {
		rs := prepare(in)
		if len(rs) > maxUserInputLen {
			rs = rs[:maxUserInputLen]
		}
		for i, r := range rs {
			rs[i] = fold(r)
		}
		s := string(rs)
		if at := strings.LastIndexByte(s, '@'); at > 0 {
			add(s[:at]) // the local part of an e-mail address
		}
		add(s)
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			add(f)
		}
	}
}

// The dictionary: every word of every list, lower-cased, with the rank of its
// best appearance. The top bit marks common passwords, which Check also
// rejects outright.
type dictionary struct {
	words  map[string]uint32
	graphs []*keyGraph
}

const (
	rankMask   = 1<<24 - 1 // 0: not a word, only a prefix of one
	flagPrefix = 1 << 30   // a longer key starts with this one
	flagCommon = 1 << 31   // a common password
)

//go:embed data/*.txt
var wordFiles embed.FS

var loadDictionary = sync.OnceValue(buildDictionary)

func buildDictionary() *dictionary {
	d := &dictionary{words: make(map[string]uint32, 1<<18)}
	put := func(w string, rank int, common bool) { insertWord(d.words, w, rank, common) }
	lists := []struct {
		name     string
		common   bool
		cyrillic int // how many of the top entries also get a Cyrillic spelling
	}{
		{"Passwords", true, 2000},
		{"English", false, 1000},
		{"MaleNames", false, 300},
		{"FemaleNames", false, 300},
		{"Surname", false, 300},
	}
	for _, l := range lists {
		for i, w := range frequency.Lists[l.name].List {
			w = strings.ToLower(w)
			put(w, i+1, l.common)
			if i < l.cyrillic {
				put(latinToCyrillic(w), 2*(i+1), false)
			}
		}
	}
	for _, f := range []string{"passwords", "words", "names", "surnames", "places", "platform", "affixes"} {
		for i, w := range readList(f) {
			rank := i + 1
			common := f == "passwords"
			put(w, rank, common)
			for _, t := range transliterations(w, maxTranslit) {
				put(t, 2*rank, common)
			}
			if f == "surnames" {
				for _, suffix := range []string{"ов", "ев", "ин"} {
					if strings.HasSuffix(w, suffix) {
						put(w+"а", rank, false)
						for _, t := range transliterations(w+"а", maxTranslit) {
							put(t, 2*rank, false)
						}
					}
				}
			}
		}
	}
	d.graphs = []*keyGraph{newKeyGraph(adjacency.GraphMap["qwerty"]), newKeyGraph(adjacency.GraphMap["keypad"])}
	return d
}

// readList returns the words of data/name.txt, one a line, without comments
// and blank lines, lower-cased and NFKC-normalised.
func readList(name string) []string {
	b, err := wordFiles.ReadFile("data/" + name + ".txt")
	if err != nil {
		panic("password: embedded word list missing: " + name) // a build defect, not bad input
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		rs := []rune(norm.NFKC.String(line))
		for i, r := range rs {
			rs[i] = fold(r)
		}
		out = append(out, string(rs))
	}
	return out
}

// keyGraph is a keyboard adjacency graph from zxcvbn-go (for each key, its
// neighbours in fixed directions, each as "unshifted shifted"), indexed by
// pairs of runes.
type keyGraph struct {
	adj      map[[2]rune]uint8 // (a, b) → direction<<1 | shifted, plus one
	startPos float64
	degree   float64
}

func newKeyGraph(g adjacency.Graph) *keyGraph {
	k := &keyGraph{adj: make(map[[2]rune]uint8)}
	var edges float64
	for key, ns := range g.Graph {
		a, _ := utf8.DecodeRuneInString(key)
		for dir, n := range ns {
			if n == "" {
				continue
			}
			edges++
			for i, b := range []rune(n) {
				if _, ok := k.adj[[2]rune{a, b}]; !ok {
					k.adj[[2]rune{a, b}] = uint8(dir<<1|min(i, 1)) + 1
				}
			}
		}
	}
	k.startPos = float64(len(g.Graph))
	k.degree = edges / k.startPos
	return k
}

// adjacent returns the direction from a to b, or -1, and whether b is the
// shifted character of its key.
func (g *keyGraph) adjacent(a, b rune) (int, bool) {
	e := g.adj[[2]rune{a, b}]
	if e == 0 {
		return -1, false
	}
	e--
	return int(e >> 1), e&1 == 1
}

// bits is zxcvbn's estimate for a keyboard walk of length l with the given
// number of turns and shifted keys.
func (g *keyGraph) bits(l, turns, shifted int) float64 {
	var ways float64
	for i := 2; i <= l; i++ {
		for t := 1; t <= min(turns, i-1); t++ {
			ways += binomial(i-1, t-1) * g.startPos * math.Pow(g.degree, float64(t))
		}
	}
	b := math.Log2(ways)
	if shifted > 0 {
		u := l - shifted
		if u == 0 {
			b++
		} else {
			var s float64
			for k := 1; k <= min(shifted, u); k++ {
				s += binomial(shifted+u, k)
			}
			b += math.Log2(s)
		}
	}
	return b
}
