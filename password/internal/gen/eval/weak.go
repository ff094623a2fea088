package main

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/password/internal/wordlist"
)

// embedded returns the package's lists by name.
func embedded() map[string][]string {
	m := map[string][]string{}
	for _, d := range wordlist.Dictionaries() {
		m[d.Name] = d.Words
	}
	return m
}

// key is what decides a base word's half: lower case, Kazakh letters and ё
// folded, spaces and hyphens dropped, so that Нұрлан and Нурлан, or "хан
// шатыр" and "ханшатыр", land in the same half.
func key(w string) string {
	return kazakhFolded.Replace(keyFolded.Replace(strings.ToLower(w)))
}

var (
	keyFolded = strings.NewReplacer(" ", "", "-", "", "ё", "е")
	joinWords = strings.NewReplacer(" ", "", "-", "")
)

// heldOut reports whether a base word belongs to the held-out half.
func heldOut(w string) bool {
	h := sha256.Sum256([]byte("eval-split:" + key(w)))
	return h[0]&1 == 1
}

// source is one kind of base word and how many bases of it each half gets.
type source struct {
	name  string
	words []string
	n     int
}

// weakSources lists every source of base words, the sampled rank range of
// each (the most common words of long lists, where a dictionary attack
// starts) and the share of the corpus.
func weakSources(l map[string][]string) []source {
	top := func(name string, n int) []string { return l[name][:min(n, len(l[name]))] }
	letters := func(ws []string) []string { // drop bases with no letter (123456)
		var out []string
		for _, w := range ws {
			if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
				out = append(out, w)
			}
		}
		return out
	}
	lengths := func(ws []string, lo, hi int) []string {
		var out []string
		for _, w := range ws {
			if n := utf8.RuneCountInString(w); n >= lo && n <= hi {
				out = append(out, w)
			}
		}
		return out
	}
	var xxWords, xxNames []string
	for _, lang := range []string{"de", "fr", "es", "it", "pt", "nl", "pl", "cs", "fi", "id"} {
		xxWords = append(xxWords, top(lang+"_words", 5000)...)
		xxNames = append(xxNames, top(lang+"_names", 2000)...)
	}
	return []source{
		{"leaked_multilingual", lengths(letters(top("leaked_multilingual", 20000)), 4, 12), 400},
		{"passwords", lengths(letters(top("passwords", 7141)), 4, 12), 150},
		{"local_passwords", letters(l["local_passwords"]), 100},
		{"ru_words", lengths(l["ru_words"], 4, 10), 500},
		{"kk_words", lengths(l["kk_words"], 4, 10), 400},
		{"common_words", l["common_words"], 150},
		{"given_names", l["given_names"], 300},
		{"surnames", l["surnames"], 200},
		{"patronymics", l["patronymics"], 100},
		{"places", l["places"], 300},
		{"organisations", letters(l["organisations"]), 250},
		{"culture", letters(l["culture"]), 250},
		{"phrases", l["phrases"], 250},
		{"en_words", lengths(top("en_words", 10000), 4, 12), 200},
		{"en_wikipedia", lengths(top("en_wikipedia", 10000), 4, 12), 100},
		{"xx_words", lengths(xxWords, 4, 12), 200},
		{"xx_names", lengths(xxNames, 3, 12), 100},
	}
}

// weakSplit builds the tune and held-out corpora: from every source the
// same number of bases in each half, each mangled once; then keyboard walks
// and IIN-like numbers, split the same way. Each source has its own random
// stream, so a change to one list changes only its own lines.
func weakSplit(l map[string][]string) (tune, held []entry) {
	for _, s := range weakSources(l) {
		rng := rngFor("weak/" + s.name)
		t, h := sample(rng, s)
		tune = append(tune, mangleAll(rng, s.name, t, pool(s, t))...)
		held = append(held, mangleAll(rng, s.name, h, pool(s, h))...)
	}
	walks := walkCorpus(rngFor("weak/walk"))
	for _, e := range walks {
		if heldOut(e.base) {
			held = append(held, e)
		} else {
			tune = append(tune, e)
		}
	}
	rng := rngFor("weak/iin")
	for i := 0; i < 200; i++ {
		e := iinEntry(rng)
		if heldOut(e.base) {
			held = append(held, e)
		} else {
			tune = append(tune, e)
		}
	}
	return tune, held
}

// sample draws n bases for each half, without replacement, uniformly from
// the source's range.
func sample(rng *rand.Rand, s source) (tune, held []string) {
	perm := rng.Perm(len(s.words))
	seen := map[string]bool{}
	for _, i := range perm {
		w := s.words[i]
		k := key(w)
		if seen[k] || k == "" {
			continue
		}
		seen[k] = true
		if heldOut(w) {
			if len(held) < s.n {
				held = append(held, w)
			}
		} else if len(tune) < s.n {
			tune = append(tune, w)
		}
		if len(tune) == s.n && len(held) == s.n {
			break
		}
	}
	return tune, held
}

// pool is the words a base may be joined with: the ten best-ranked bases
// of the same half of the same source, so that a joined pair never crosses
// halves and is two common words ("iloveyou", not two rare ones, whose
// product of ranks no attacker reaches).
func pool(s source, half []string) []string {
	rank := make(map[string]int, len(s.words))
	for i, w := range s.words {
		if _, ok := rank[w]; !ok {
			rank[w] = i
		}
	}
	p := slices.Clone(half)
	slices.SortStableFunc(p, func(a, b string) int { return cmp.Compare(rank[a], rank[b]) })
	return p[:min(10, len(p))]
}

func mangleAll(rng *rand.Rand, src string, bases, pool []string) []entry {
	out := make([]entry, 0, len(bases))
	for _, b := range bases {
		out = append(out, mangle(rng, src, joinWords.Replace(b), pool))
	}
	return out
}

// mangle applies one form transform to the base and a suffix, the way users
// do, then the composition fix-up.
func mangle(rng *rand.Rand, src, base string, pool []string) entry {
	forms := []string{"capitalised", "capitalised", "lower", "upper", "leet", "joined"}
	if hasCyrillic(base) {
		forms = append(forms, "romanised", "romanised", "romanised", "latin-layout", "latin-layout")
		if hasKazakh(base) {
			forms = append(forms, "kazakh-folded", "kazakh-folded")
		}
	} else if strings.IndexFunc(base, unicode.IsLetter) >= 0 {
		forms = append(forms, "russian-layout", "russian-layout")
	}
	form := forms[rng.IntN(len(forms))]
	p := base
	t := form
	switch form {
	case "capitalised":
		p = capitalise(base)
	case "upper":
		p = strings.ToUpper(base)
	case "leet":
		if q, ok := leet(rng, base); ok {
			p = capitalise(q)
		} else {
			p, t = capitalise(base), "capitalised"
		}
	case "joined":
		base = joinWords.Replace(pool[rng.IntN(len(pool))])
		other := joinWords.Replace(pool[rng.IntN(len(pool))])
		p = base + other
		if rng.IntN(2) == 0 {
			p = capitalise(base) + capitalise(other)
		}
	case "romanised":
		r := romanisations[rng.IntN(len(romanisations))]
		q, ok := romanise(base, r.m)
		if !ok {
			p, t = capitalise(base), "capitalised"
		} else {
			p, t = capitalise(q), "romanised-"+r.name
		}
	case "latin-layout":
		p = onLayout(capitalise(kazakhFolded.Replace(base)), latinKeys)
	case "russian-layout":
		p = onLayout(capitalise(base), ruKeys)
	case "kazakh-folded":
		p = capitalise(kazakhFolded.Replace(base))
	}
	suf, st := suffix(rng)
	if form == "russian-layout" {
		// the suffix is typed on the same layout: "1!" becomes "1!", "@" becomes "
		suf = onLayout(suf, ruKeys)
		st += "(ru-layout)"
	}
	p += suf
	t += "+" + st
	p, added := composed(rng, p)
	if added {
		t += "+padded"
	}
	return entry{p, src, t, base}
}

// walkCorpus returns keyboard walks users type: columns, rows and zigzags
// of QWERTY, the same keys on ЙЦУКЕН, phone-keypad letter walks and numeric
// keypad walks, each with a capital or a suffix where the policy needs one.
func walkCorpus(rng *rand.Rand) []entry {
	rows := []string{"1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./"}
	var walks []string
	// columns: 1qaz, 2wsx, ... joined two to four at a time, downwards or upwards
	col := func(i int) string {
		var b []byte
		for _, r := range rows {
			if i < len(r) {
				b = append(b, r[i])
			}
		}
		return string(b)
	}
	for start := 0; start < 8; start++ {
		for n := 2; n <= 4; n++ {
			var down, up, zig strings.Builder
			for i := start; i < start+n; i++ {
				c := col(i)
				down.WriteString(c)
				up.WriteString(reverse(c))
				if (i-start)%2 == 0 {
					zig.WriteString(c)
				} else {
					zig.WriteString(reverse(c))
				}
			}
			walks = append(walks, down.String(), up.String(), zig.String())
		}
	}
	// rows and their three-key groups (qweasdzxc, asdzxcqwe)
	for start := 0; start < 7; start++ {
		for n := 3; n <= 6; n++ {
			seg := func(r string) string { return r[start:min(start+n, len(r))] }
			walks = append(walks, seg(rows[1])+seg(rows[2])+seg(rows[3]), seg(rows[0])+seg(rows[1]))
		}
	}
	walks = append(walks, "qwertyuiop", "asdfghjkl", "zxcvbnm", "qazwsxedc", "zaq12wsx", "xsw21qaz", "1q2w3e4r5t", "q1w2e3r4t5",
		"poiuytrewq", "mnbvcxz", "qwerasdfzxcv", "1qazxsw2", "zaqxswcde", "wsxedcrfv")
	var out []entry
	for _, w := range walks {
		out = append(out, walkEntry(rng, w, "qwerty", w))
		out = append(out, walkEntry(rng, onLayout(w, ruKeys), "jcuken", w))
	}
	// phone keypad: the letters of 2..9 in order (adgjmptw), and digit walks
	// of the numeric keypad
	for _, w := range []string{"adgjmptw", "adgjm", "behknqux", "cfilorvy", "ADGJMPTW", "wtpmjgda"} {
		out = append(out, walkEntry(rng, w, "phone-keypad", w))
	}
	for _, w := range []string{"7894561230", "147258369", "159753", "951753", "789456123", "1472583690", "3692581470", "741852963", "1235789", "2580", "14789632"} {
		out = append(out, walkEntry(rng, w, "numeric-keypad", w))
	}
	// the Kazakh digit row (Windows KBDKAZ: ә і ң ғ on 2 3 4 5; ү ұ қ ө һ on 8 9 0 - =)
	for _, w := range []string{"1әіңғ,.үұқ", "әіңғ", "1әіңғ", "үұқөһ", "әіңғ,.үұқөһ"} {
		out = append(out, walkEntry(rng, w, "kazakh-digit-row", w))
	}
	return out
}

// walkEntry mangles a walk; base is the walk's QWERTY form, so that the
// same keys on two layouts land in the same half.
func walkEntry(rng *rand.Rand, w, kind, base string) entry {
	t := "walk-" + kind
	if rng.IntN(2) == 0 {
		w = capitalise(w)
		t += "+capitalised"
	}
	if rng.IntN(2) == 0 {
		s, st := suffix(rng)
		w += s
		t += "+" + st
	}
	w, added := composed(rng, w)
	if added {
		t += "+padded"
	}
	return entry{w, "walk", t, base}
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// iinEntry returns an IIN-like number (YYMMDD, the century-and-sex digit,
// four serial digits, and the check digit of the real algorithm) used as a
// password, bare, with a symbol, or with a word.
func iinEntry(rng *rand.Rand) entry {
	year := 1950 + rng.IntN(60)
	d := []int{year / 10 % 10, year % 10}
	m, day := 1+rng.IntN(12), 1+rng.IntN(28)
	d = append(d, m/10, m%10, day/10, day%10)
	century := 3 + rng.IntN(2) // born 1900–1999: 3 male, 4 female
	if year >= 2000 {
		century = 5 + rng.IntN(2)
	}
	d = append(d, century)
	for range 4 {
		d = append(d, rng.IntN(10))
	}
	check, ok := iinCheck(d)
	if !ok {
		return iinEntry(rng)
	}
	d = append(d, check)
	var b strings.Builder
	for _, x := range d {
		fmt.Fprint(&b, x)
	}
	iin := b.String()
	switch rng.IntN(4) {
	case 0:
		return entry{iin, "iin", "iin", iin}
	case 1:
		return entry{iin + "!", "iin", "iin+symbol", iin}
	case 2:
		return entry{"Iin" + iin + "!", "iin", "word+iin+symbol", iin}
	default:
		return entry{"Kz" + iin + "#", "iin", "word+iin+symbol", iin}
	}
}

// iinCheck computes the IIN check digit: weights 1..11, then 3..11,1,2 when
// the first sum mod 11 is 10; no valid IIN when the second is 10 too.
func iinCheck(d []int) (int, bool) {
	sum := func(off int) int {
		s := 0
		for i, x := range d {
			s += x * ((i+off)%11 + 1)
		}
		return s % 11
	}
	if c := sum(0); c != 10 {
		return c, true
	}
	if c := sum(2); c != 10 {
		return c, true
	}
	return 0, false
}
