package freetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"Клиент Серикова Алия Нурлановна, г. Алматы, ул. Абая, д. 10, кв. 5.",
		"Алматы қ., Абай к-сі, 10 үй, 5 пәтер — Нұрланға хабарласыңыз.",
		"Contact A. Serikova at 12 Dostyk str., Almaty or Mr Smith.",
		"Ивaнов И.И.\xff", "ул. «Алтын", "050000, г.", "А.Б.В.Г.Д.", "Серік ұлы ұлы",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spans := Find(nil, s)
		prev := 0
		for _, sp := range spans {
			if sp.Start < prev || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("bad span %+v after %d", sp, prev)
			}
			if sp.Kind != Name && sp.Kind != Address {
				t.Fatalf("bad kind %d", sp.Kind)
			}
			prev = sp.End
			text := s[sp.Start:sp.End]
			m := Mask(sp.Kind, text)
			if !utf8.ValidString(m) {
				t.Fatalf("Mask(%q) = %q is not valid UTF-8", text, m)
			}
			if sp.Kind == Name {
				checkNameMask(t, text, m)
			}
		}
	})
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"Серикова Алия Нурлановна", "A. S.", "г. Алматы, ул. Абая, д. 10", "\xff\xfeЯ", "Ә-Ә Ә"} {
		f.Add(s, uint8(Name))
		f.Add(s, uint8(Address))
	}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		m := Mask(Kind(k), s)
		if !utf8.ValidString(m) {
			t.Fatalf("Mask = %q is not valid UTF-8", m)
		}
		switch Kind(k) {
		case Name:
			checkNameMask(t, s, m)
		case Address:
			// Every word of the mask is a marker, a kept place name or
			// punctuation from the input, or "***".
			for _, f := range strings.Fields(strings.ReplaceAll(m, hidden, " ")) {
				if !strings.Contains(s, f) {
					t.Fatalf("Mask(Address, %q) = %q invents %q", s, m, f)
				}
			}
		default:
			if s != "" && m != hidden {
				t.Fatalf("Mask(%d, %q) = %q", k, s, m)
			}
		}
	})
}

// checkNameMask: a name's mask is initials, dots, spaces and "***"; each
// kept letter is the first letter of a word of the input.
func checkNameMask(t *testing.T, in, m string) {
	t.Helper()
	initials := map[rune]bool{}
	z := tokenizer{s: in}
	for {
		tk, ok := z.next()
		if !ok {
			break
		}
		if tk.kind == tWord {
			r, _ := utf8.DecodeRuneInString(in[tk.start:tk.end])
			initials[r] = true
		}
	}
	for _, r := range strings.NewReplacer(hidden, "", " ", "", ".", "").Replace(m) {
		if !initials[r] {
			t.Fatalf("Mask(Name, %q) = %q keeps %q, not an initial", in, m, r)
		}
	}
}
