package password

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/nbutton23/zxcvbn-go"
)

// adversarial returns 128-character inputs chosen to drive each matcher to
// its worst case: long repeats and near-repeats (repeat matcher), strings of
// dictionary prefixes (dictionary lookups on every variant), digit runs
// (dates), keyboard walks, and mixes that make every layout and l33t variant
// differ from the plain one.
func adversarial() map[string]string {
	fit := func(s string) string { return string([]rune(s)[:maxAnalysed]) }
	rep := func(s string) string { return fit(strings.Repeat(s, maxAnalysed)) }
	fib := func() string {
		a, b := "a", "ab"
		for len(b) < maxAnalysed {
			a, b = b, b+a
		}
		return b[:maxAnalysed]
	}
	return map[string]string{
		"same":      rep("a"),
		"pair":      rep("ab"),
		"a1!":       rep("a1!"),
		"words":     rep("password"),
		"cyrillic":  rep("пароль"),
		"kazakh":    rep("әіңғүұқөһ"),
		"mix":       rep("p@ss1|ә!й0Ж"),
		"digits":    rep("19901231"),
		"dates":     rep("31.12.1990"),
		"keyboard":  rep("qwertyuiop"),
		"sequence":  rep("abcdefghijklmnopqrstuvwxyz"),
		"near":      fit(strings.Repeat("a", 63) + "b" + strings.Repeat("a", 64)),
		"nearrep":   rep(strings.Repeat("x", 31) + "y"),
		"fibonacci": fib(),
		"upper":     rep("PaSsWoRd"),
		"doubles":   rep("aabbccddeeffgghhiijjkkllmmnnooppqqrrssttuuvvwwxxyyzz"),
		"cyrdouble": rep("ааббввггддееёёжжззииййккллммннооппррссттуу"),
	}
}

// userInputSets are the user inputs each adversarial password is checked
// with: ordinary ones, and the most a hostile registrant can pass (logins
// and names are chosen by whoever registers): maxUserInputs inputs of 64
// characters, each a run of distinct short tokens, in Latin and Cyrillic.
func userInputSets() map[string][]string {
	hostile := make([]string, maxUserInputs)
	for i := range hostile {
		var b strings.Builder
		for j := range 16 {
			b.WriteRune([]rune("aeiouщжчшюяёхцэ")[(i+j)%15])
			b.WriteRune([]rune("bcdfgабвгдежзий")[(i*3+j)%15])
			b.WriteRune('a' + rune((i*7+j)%26))
			b.WriteByte(' ')
		}
		hostile[i] = b.String()
	}
	return map[string][]string{
		"ordinary": {"user.name@example.kz", "Айгерим Жанболатова"},
		"hostile":  hostile,
	}
}

// BenchmarkCheckWorstCase measures DefaultPolicy.Check on each adversarial
// input, with ordinary and hostile user inputs; the bound is 2 ms
// for every one.
func BenchmarkCheckWorstCase(b *testing.B) {
	p := DefaultPolicy()
	Strength("warm up the word lists")
	for inName, inputs := range userInputSets() {
		for name, in := range adversarial() {
			b.Run(inName+"/"+name, func(b *testing.B) {
				for b.Loop() {
					_ = p.Check(context.Background(), in, inputs...)
				}
			})
		}
	}
}

// BenchmarkZxcvbnWorstCase is the baseline: zxcvbn-go's PasswordStrength on
// the same inputs (tens of milliseconds to seconds each).
func BenchmarkZxcvbnWorstCase(b *testing.B) {
	for name, in := range adversarial() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_ = zxcvbn.PasswordStrength(in, nil)
			}
		})
	}
}

// BenchmarkCorpus compares Check and zxcvbn-go's PasswordStrength on the same
// sample of the development corpus (see corpus_test.go), per password.
func BenchmarkCorpus(b *testing.B) {
	sample := corpusSample(200)
	p := DefaultPolicy()
	Strength("warm up the word lists")
	b.Run("Check", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = p.Check(context.Background(), sample[i%len(sample)])
			i++
		}
	})
	b.Run("Strength", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_ = Strength(sample[i%len(sample)])
			i++
		}
	})
	b.Run("zxcvbn", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_ = zxcvbn.PasswordStrength(sample[i%len(sample)], nil)
			i++
		}
	})
}

func BenchmarkGenerate(b *testing.B) {
	p := DefaultPolicy()
	for _, n := range []int{12, 16, 32} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Generate(p, n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
