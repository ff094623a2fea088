package main

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLayouts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"P@ssw0rd1", `З"ыыц0кв1`}, // the example
		{"qwerty", "йцукен"},
		{"Admin#1", "Фвьшт№1"},
		{"a/b?c", "ф.и,с"},
	} {
		assert.Equal(t, tc.want, onLayout(tc.in, ruKeys), tc.in)
		assert.Equal(t, tc.in, onLayout(tc.want, latinKeys), tc.want)
	}
	assert.Equal(t, "Rfrfirf", onLayout("Какашка", latinKeys))
	assert.Equal(t, "Vfhecz", onLayout("Маруся", latinKeys))
}

func TestRomanisations(t *testing.T) {
	scheme := func(name string) map[rune]string {
		for _, r := range romanisations {
			if r.name == name {
				return r.m
			}
		}
		t.Fatalf("no scheme %s", name)
		return nil
	}
	for _, tc := range []struct{ scheme, in, want string }{
		{"kz2021", "Нұрсұлтан", "Nūrsūltan"},
		{"kz2021", "қазақстан", "qazaqstan"},
		{"kz2021", "шығыс", "şyğys"},
		{"kz2021ascii", "Өскемен", "Oskemen"},
		{"passport", "Щукина", "Shchukina"},
		{"passport", "Юлия", "Iuliia"},
		{"gost", "Чайка", "Chajka"},
		{"chat", "Жизнь", "Jizn"},
		{"chat", "Нұрлан", "Nurlan"},
	} {
		got, ok := romanise(tc.in, scheme(tc.scheme))
		assert.True(t, ok)
		assert.Equal(t, tc.want, got, tc.scheme+" "+tc.in)
	}
}

func TestLeetAndComposition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		got, ok := leet(rng, "пароль")
		assert.True(t, ok)
		assert.NotEqual(t, "пароль", got)
		assert.Equal(t, len([]rune("пароль")), len([]rune(strings.NewReplacer("@", "а", "4", "а", "0", "о", "3", "з").Replace(got))))
	}
	_, ok := leet(rng, "xyz")
	assert.False(t, ok)
	p, added := composed(rng, "Kot")
	assert.True(t, added)
	assert.True(t, meetsComposition(p), p)
	p, added = composed(rng, "Almaty2024!")
	assert.False(t, added)
	assert.Equal(t, "Almaty2024!", p)
}

func TestIINCheckDigit(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		e := iinEntry(rng)
		d := make([]int, 12)
		for i, r := range e.base {
			d[i] = int(r - '0')
		}
		c, ok := iinCheck(d[:11])
		assert.True(t, ok)
		assert.Equal(t, d[11], c, e.base)
		assert.Len(t, e.base, 12)
		assert.True(t, d[2]*10+d[3] >= 1 && d[2]*10+d[3] <= 12, "month of %s", e.base)
	}
}
