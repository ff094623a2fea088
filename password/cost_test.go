package password

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/password/internal/wordlist"
)

// costBound is the documented ceiling on one Check of at most
// maxChars characters.
const costBound = 2 * time.Millisecond

// costAlphabet has characters of every class and script the matchers treat
// differently: Latin letters (dictionary starts, keyboard keys, l33t
// targets), digits (dates, IINs, l33t, the keypad), ASCII symbols (l33t,
// ЙЦУКЕН symbols, date separators, dropped separators), Russian and Kazakh
// letters (romanised, read as QWERTY keys, the Kazakh digit row), № and
// other scripts.
const costAlphabet = "aeqzAQ0169@!\"$;.- йцжщЩәұүһ№ω中😀"

// costFamilies returns inputs of maxChars runes built to drive each
// matcher to its worst: every alternation of two characters of
// costAlphabet, keyboard walks full of turns, repeats with a twist, and
// each list's longest entries run together.
func costFamilies() map[string]string {
	fit := func(s string) string {
		rs := []rune(strings.Repeat(s, maxAnalysed/max(1, utf8.RuneCountInString(s))+1))
		return string(rs[:maxAnalysed])
	}
	out := map[string]string{}
	alpha := []rune(costAlphabet)
	for _, x := range alpha {
		for _, y := range alpha {
			out["alt/"+string(x)+string(y)] = fit(string(x) + string(y))
			out["alt3/"+string(x)+string(y)] = fit(string(x) + string(x) + string(y))
		}
	}
	for _, s := range []string{"qazwsxedcrfvtgbyhnujmikolp", "1q2w3e4r5t6y7u8i9o0p", "ү6ұ7қ8ө9", "йфяцычувс", "zaq1xsw2cde3", "qwsxcdewazx", "7412589630", "ghbdtn", "p@ssw0rd", "п@р0ль", "ййййц", "31.12.1990", "900101300017"} {
		out["walk/"+s] = fit(s)
	}
	// Repeats with a twist: a unit repeated, one character changed in each
	// copy, so that every copy is a new unit to estimate.
	for _, unit := range []string{"ab", "abc", "password", "пароль", "1qaz"} {
		var b strings.Builder
		for k := 0; b.Len() < 4*maxAnalysed; k++ {
			rs := []rune(unit)
			rs[k%len(rs)] = rune('0' + k%10)
			b.WriteString(string(rs))
		}
		out["twist/"+unit] = fit(b.String())
		out["grow/"+unit] = fit(strings.Repeat(unit, 1) + strings.Repeat(unit, 2) + strings.Repeat(unit, 3) + strings.Repeat(unit, 4) + strings.Repeat(unit, 5))
	}
	fib := func() string {
		a, b := "a", "ab"
		for len(b) < maxAnalysed {
			a, b = b, b+a
		}
		return b
	}
	out["fibonacci"] = fit(fib())
	out["upper"] = fit("PaSsWoRd")
	// The longest entries of every list, run together.
	for _, d := range wordlist.Dictionaries() {
		ws := slices.Clone(d.Words)
		slices.SortFunc(ws, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
		out["longest/"+d.Name] = fit(strings.Join(ws[:min(8, len(ws))], ""))
		out["longest1/"+d.Name] = fit(ws[0])
	}
	return out
}

// checkCost returns the least thread CPU time of runs calls of Check on pw.
func checkCost(pw string, inputs []string, runs int) time.Duration {
	p := DefaultPolicy()
	best := time.Hour
	for range runs {
		start := threadCPU()
		_ = p.Check(context.Background(), pw, inputs...)
		best = min(best, threadCPU()-start)
	}
	return best
}

// TestWorstCaseCost asserts the documented bound: no input of at most
// maxChars characters costs Check more than 2 ms. Each family is
// measured in CPU time of the calling thread (so the load of a shared
// machine does not count) as the best of several runs (so a garbage
// collection or a preemption does not either); the worst family must stay
// under the bound. Under the race detector, which slows everything tenfold,
// it only measures.
func TestWorstCaseCost(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("measures CPU time: not under -short or the race detector")
	}
	Strength("load the lists")
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	type cost struct {
		name string
		d    time.Duration
	}
	var costs []cost
	for inName, inputs := range userInputSets() {
		for name, pw := range costFamilies() {
			runs := 2
			if inName == "hostile" {
				runs = 1
			}
			costs = append(costs, cost{inName + "/" + name, checkCost(pw, inputs, runs)})
		}
	}
	slices.SortFunc(costs, func(a, b cost) int { return int(b.d - a.d) })
	// Measure the worst few again, more carefully.
	for k := range costs[:10] {
		in, name, _ := strings.Cut(costs[k].name, "/")
		costs[k].d = checkCost(costFamilies()[name], userInputSets()[in], 7)
	}
	slices.SortFunc(costs, func(a, b cost) int { return int(b.d - a.d) })
	for _, c := range costs[:10] {
		t.Logf("%-40s %v", c.name, c.d)
	}
	worst := costs[0]
	t.Logf("worst of %d inputs (%s): %s, %v per Check on %d characters", len(costs), cpuClock, worst.name, worst.d, maxAnalysed)
	if worst.d > costBound {
		t.Errorf("Check took %v on %s, over the %v bound", worst.d, worst.name, costBound)
	}
}
