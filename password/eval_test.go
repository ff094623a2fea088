package password

import (
	"bufio"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
)

// The evaluation corpora of testdata/eval (see the README there): each line
// is a password, its source and how it was mangled, separated by tabs.
// tune.txt is the part the estimator was tuned on; heldout.txt is built the
// same way from parts of the same sources that were never looked at while
// tuning; foreign.txt from sources the package has no list of (Ukrainian
// words, for instance); strong.txt holds random strings and random
// passphrases.
type evalLine struct {
	pw, source, mangling string
}

func readEval(t *testing.T, name string) []evalLine {
	t.Helper()
	f, err := os.Open("testdata/eval/" + name)
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	defer f.Close()
	var out []evalLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) < 3 || fs[0] == "" || strings.HasPrefix(fs[0], "#") {
			continue
		}
		out = append(out, evalLine{fs[0], fs[1], fs[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// evalRate is a count of hits among a total, per class.
type evalRate struct{ hit, total int }

func (r evalRate) pct() float64 { return 100 * float64(r.hit) / float64(max(r.total, 1)) }

// evaluate returns the share of lines for which hit holds, overall and by
// source and by the first step of the mangling.
func evaluate(lines []evalLine, hit func(string) bool) (evalRate, map[string]evalRate, []evalLine) {
	var all evalRate
	by := map[string]evalRate{}
	var misses []evalLine
	for _, l := range lines {
		h := hit(l.pw)
		for _, k := range []string{"source " + l.source, "mangling " + strings.SplitN(l.mangling, "+", 2)[0]} {
			r := by[k]
			r.total++
			if h {
				r.hit++
			}
			by[k] = r
		}
		all.total++
		if h {
			all.hit++
		} else {
			misses = append(misses, l)
		}
	}
	return all, by, misses
}

func logRates(t *testing.T, what string, all evalRate, by map[string]evalRate) {
	t.Helper()
	t.Logf("%s: %.2f %% of %d", what, all.pct(), all.total)
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("    %-40s %6.2f %% of %d", k, by[k].pct(), by[k].total)
	}
}

// TestEvaluation measures DefaultPolicy on the evaluation corpora and fails
// below the goals on the held-out part: at least 99 % of the weak
// passwords refused and 99.5 % of the strong ones accepted. The figures
// for tune.txt and foreign.txt are reported, with a floor under the
// foreign one (see DESIGN.md). Run with -v for the figures per source and
// per mangling.
func TestEvaluation(t *testing.T) {
	ctx := context.Background()
	p := DefaultPolicy()
	rejects := func(pw string) bool { return p.Check(ctx, pw) != nil }
	// What the estimate adds to the composition rule: the same policy
	// without composition and length rules.
	strengthOnly := Policy{MinScore: p.MinScore, RejectCommon: true}
	weakByStrength := func(pw string) bool { return strengthOnly.Check(ctx, pw) != nil }

	for _, c := range []struct {
		file   string
		weak   bool
		goal   float64
		strict bool
	}{
		{"tune.txt", true, 99, false},
		{"heldout.txt", true, 99, true},
		{"foreign.txt", true, 75, true},
		{"strong.txt", false, 99.5, true},
	} {
		lines := readEval(t, c.file)
		var (
			all    evalRate
			by     map[string]evalRate
			misses []evalLine
		)
		if c.weak {
			all, by, misses = evaluate(lines, rejects)
			logRates(t, c.file+": refused by DefaultPolicy", all, by)
			s, _, _ := evaluate(lines, weakByStrength)
			t.Logf("%s: refused by the strength estimate and common list alone: %.2f %%", c.file, s.pct())
		} else {
			all, by, misses = evaluate(lines, func(pw string) bool { return !rejects(pw) })
			logRates(t, c.file+": accepted by DefaultPolicy", all, by)
		}
		if c.strict && all.pct() < c.goal {
			t.Errorf("%s: %.2f %%, goal %.1f %%", c.file, all.pct(), c.goal)
		}
		if testing.Verbose() && c.file != "heldout.txt" {
			for _, m := range misses[:min(len(misses), 40)] {
				e := Strength(m.pw)
				t.Logf("    miss %s: %q (%s, %s) score %d %v", c.file, m.pw, m.source, m.mangling, e.Score, e.Patterns)
			}
		}
	}
}
