package freetext

import "testing"

func TestScratch(t *testing.T) {
	for _, s := range []string{
		"Доверенность выдана на имя Prokhor Pavlov.",
		"Вчера Viktor Mironoviç Pavlov звонил дважды, ждёт ответа.",
		"Оператор уточнил данные: S. Volkov, г. Уральск",
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
		for k := range w.t {
			c := w.classify(k)
			t.Logf("  %q class=%b mark=%b kind=%d", w.text(k), c.class, c.mark, c.kind)
		}
		t.Log("---")
	}
}
