package password

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{"", "Qwerty123!", "P@ssw0rd1", "йцукен123!", "Қазақстан2026!", "әіңғүұқө", strings.Repeat("a1!", 20),
		"31.12.1990", "\xff\xfe", "a\x00b", "\ufdfa", "\ufb01", strings.Repeat("\ufdfa", 40), "1990-12-31 23", "ЖЁ@$1|"} {
		f.Add(s, "aigerim@example.kz")
	}
}

// FuzzCheck: Check never panics, accepts only valid UTF-8, returns nil or a
// *PolicyError whose messages are the fixed sentences with at most a number
// put in (so they cannot carry the password), and is deterministic.
func FuzzCheck(f *testing.F) {
	fuzzSeeds(f)
	known := map[string]bool{}
	for _, m := range messages {
		for _, s := range []string{m.en, m.ru, m.ruOne, m.kk} {
			known[s] = true
		}
	}
	f.Fuzz(func(t *testing.T, pw, input string) {
		err := Check(pw, input)
		if err == nil {
			if !utf8.ValidString(pw) {
				t.Fatal("accepted invalid UTF-8")
			}
			return
		}
		var pe *PolicyError
		if !errors.As(err, &pe) || len(pe.Violations) == 0 {
			t.Fatalf("not a *PolicyError: %T", err)
		}
		for _, v := range pe.Violations {
			if v.Clause != clauseComplexity && v.Clause != clauseStorage {
				t.Fatalf("clause %q", v.Clause)
			}
			for _, lang := range []string{"kk", "ru", "en"} {
				m := v.Message(lang)
				if n := strconv.Itoa(v.Limit); v.Limit != 0 {
					m = strings.Replace(m, n, "%d", 1)
				}
				if !known[m] {
					t.Fatalf("code %q: message %q is not one of the fixed sentences", v.Code, m)
				}
			}
		}
		if again := Check(pw, input); again == nil || again.Error() != err.Error() {
			t.Fatal("not deterministic")
		}
	})
}

// FuzzStrength: Strength never panics, stays in range, and ignores
// everything after the first maxAnalysed runes.
func FuzzStrength(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, pw, input string) {
		e := Strength(pw, input)
		if e.Score < 0 || e.Score > 4 || e.Guesses < 1 || e.Guesses != e.Guesses {
			t.Fatalf("estimate out of range: %+v", e)
		}
		// Whatever follows the first maxAnalysed characters is ignored.
		rs := []rune(norm.NFKC.String(pw))
		if len(pw) <= maxAnalysed*utf8.UTFMax*2 && utf8.ValidString(pw) && len(rs) >= maxAnalysed {
			if e2 := Strength(pw+"x"+pw, input); e2.Guesses != e.Guesses {
				t.Fatal("looked past maxAnalysed")
			}
		}
	})
}
