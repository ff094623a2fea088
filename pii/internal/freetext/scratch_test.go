package freetext

import "testing"

func TestScratch(t *testing.T) {
	for _, s := range []string{
		"Алматинская обл., г. Атырау, ул. Абая",
		"Адрес: Алматинская обл., г. Атырау, ул. Абая",
	} {
		sp := Find(nil, s)
		for _, x := range sp {
			t.Logf("%d %q -> %q", x.Kind, s[x.Start:x.End], Mask(x.Kind, s[x.Start:x.End]))
		}
		w := win{s: s, d: dicts()}
		z := tokenizer{s: s}
		for {
			tk, ok := z.next()
			if !ok {
				break
			}
			w.t = append(w.t, tk)
		}
		var cs [maxComps]comp
		for i := range w.t {
			n := w.chain(i, cs[:])
			t.Log(i, w.text(i), n, cs[:n])
		}
	}
}
