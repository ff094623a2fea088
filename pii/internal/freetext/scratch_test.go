package freetext

import "testing"

func TestScratch(t *testing.T) {
	for _, s := range []string{
		"Клиент Серикова Алия Нурлановна проживает по адресу г. Алматы, ул. Абая, д. 10, кв. 5.",
		"Алматы қ., Абай к-сі, 10 үй, 5 пәтер — Нұрланға хабарлаңыз.",
		"Contact A. Serikova at 12 Dostyk str., Almaty or John Smith.",
		"Серикова А. Н. и Иванов И.И. подали заявки; мкр. Самал-2, д. 33.",
		"Позвоните Серикову Алию Нурлановну. 050000, г. Алматы, пр. Достык 97",
		"Mr Whitfield and Ms Baker met Асқар Серік ұлы at Abay ave. 10, apt 5.",
		"Казахстанский рынок вырос в январе 2026 г. Алматы и Астана лидируют. Снова Kaspi Bank.",
		"Иванов Иван Иванович, Жұмабаев Нұрлан, Aliya Nurlanova, Nūrlan Serıkūly",
	} {
		sp := Find(nil, s)
		for _, x := range sp {
			t.Logf("%d %q -> %q", x.Kind, s[x.Start:x.End], Mask(x.Kind, s[x.Start:x.End]))
		}
		t.Log("---")
	}
}
