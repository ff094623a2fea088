package freetext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// spansOf returns the texts and kinds of Find's spans in s.
func spansOf(s string) []want {
	var out []want
	for _, sp := range Find(nil, s) {
		out = append(out, want{s[sp.Start:sp.End], sp.Kind})
	}
	return out
}

// TestNameClasses pins the classes that splits 5 and 6 left open and the
// rules that closed them (DESIGN.md, "Splits 6 and 7"), each beside the
// reading it must not take. Each row fails if its rule is dropped.
func TestNameClasses(t *testing.T) {
	tests := []struct {
		name, in string
		want     []want
	}{
		// An English given name that is a common word or a surname, then a surname.
		{"common-word given name", "Agreed with Grant Lockwood to reschedule.", []want{{"Grant Lockwood", Name}}},
		{"common-word given name at a start", "Dawn Gaskell reported that the bid button does not respond.", []want{{"Dawn Gaskell", Name}}},
		{"before a colon after a lower-case word", "New address for Graham Braithwaite: Manas St 10, Almaty.", []want{{"Graham Braithwaite", Name}, {"Manas St 10, Almaty", Address}}},
		{"with a middle initial and a Moby surname", "Warren M. Harcourt disputes the commission.", []want{{"Warren M. Harcourt", Name}}},
		{"firm in firms.txt", "Grant Thornton audited the lots.", nil},
		{"firm in Cyrillic", "Аудит провёл Грант Торнтон.", nil},
		{"run goes on into a common word", "Holly Lane Yard", nil},
		{"run goes on into a country", "Philip Morris Kazakhstan", nil},
		{"third name is not a firm word", "Thanks to Daniel Kahn Gillmor for the patch.", []want{{"Daniel Kahn", Name}}},
		{"product: common word + -er", "Ford Ranger sold in Dallas.", nil},
		{"product: ends in a vowel", "Продаётся Lada Niva.", nil},
		{"product: CamelCase", "Payment via Bank CenterCredit.", nil},
		{"product: common word", "Lincoln Navigator from the lot.", nil},
		{"firm: a plural of a common word", "Grant Holdings listed lots.", nil},
		{"firm: a plural in -ies", "Hope Industries won the tender.", nil},
		{"short word after an ambiguous given name", "Installed on Red Hat systems.", nil},
		{"after a determiner", "We discussed the Bryan School yesterday.", nil},
		{"after a capitalised determiner", "The Kevin Gravestone project starts in May.", nil},
		{"a given name and a common word alone on a line", "Justin Partition", nil},
		{"a given name and a common-word surname in a sentence", "Agreed with John Bishop today.", []want{{"John Bishop", Name}}},
		// A lone initial and a surname.
		{"initial at a sentence start", "S. Ormsby moved to Almaty last month.", []want{{"S. Ormsby", Name}}},
		{"initial after a comma", "The winning bidder, W. Etheridge, paid on Tuesday.", []want{{"W. Etheridge", Name}}},
		{"enumeration with a common word", "A. Overview", nil},
		{"enumeration with a short word", "E. Add an appropriate copyright notice.", nil},
		{"enumeration with an -er form", "Q. After installing, run the tool.", nil},
		{"dotless letter inside a name", "Thanks to Steven R Loomis.", []want{{"Steven R Loomis", Name}}},
		{"dotless letter ends no name", "Both V and T are type parameters.", nil},
		{"dotless letter starts no name", "A Python module.", nil},
		// An unlisted given name before a surname at a sentence start.
		{"Kazakh letters, woman's surname", "Толқын Әлжанова өтінімін кері қайтарып алды.", []want{{"Толқын Әлжанова", Name}}},
		{"man's surname, sentence goes on", "Данияр Мұсабеков өтінімін кері қайтарып алды.", []want{{"Данияр Мұсабеков", Name}}},
		{"romanised", "Aibol Joldasov reported a problem.", []want{{"Aibol Joldasov", Name}}},
		{"verb before a dative surname", "Передайте Иванову документы.", nil},
		{"noun in -ие before a genitive surname", "Заявление Петрова рассмотрено.", nil},
		{"genders disagree: a plural noun and -ов", "Правила Торгов", nil},
		{"heading: man's surname and nothing after", "Порядок Расчётов", nil},
		{"dative given name ending like a surname", "Передать Альбине Рожковой оригинал договора.", []want{{"Альбине Рожковой", Name}}},
		// Lone words and mixed forms.
		{"lone Kazakh given name in the dative", "Нұрланға хабарласыңыз.", []want{{"Нұрланға", Name}}},
		{"lone word spelling an English name", "Қате орын алды.", nil},
		{"lone word of three letters", "Или отправьте письмо.", nil},
		{"lone common word that is a name", "Жаңа нұсқа қолжетімді.", nil},
		{"words in capitals and not", "Поиск ШАБЛОНОВ в файле.", nil},
		{"one word in capitals alone", "Если ОСНОВНОЙ не задан.", nil},
		{"names are in one script", "Тема Enlightenment выбрана.", nil},
		{"islands are places", "Остров Мэн", nil},
		// After split 7.
		{"make that is a given name, then a model", "Mercedes Sprinter from the fleet.", nil},
		{"make that is a given name, then a surname", "Lada Petrova called.", []want{{"Lada Petrova", Name}}},
		{"car make in the stop list", "Chrysler Pacifica sold.", nil},
		{"role word at a sentence start is no part of the name", "Клиент Иванов просит перезвонить.", []want{{"Иванов", Name}}},
		{"feminine role word", "Участница Кәрімова отозвала ставку.", []want{{"Кәрімова", Name}}},
		{"woman's surname after a consonant, sentence goes on", "Шолпан Оспанқұлова төлем мерзімін ұзартуды сұрады.", []want{{"Шолпан Оспанқұлова", Name}}},
		{"Kazakh name in -ын before a surname", "Аукцион жеңімпазы Ұлбосын Жексенова құжаттарды әкелді.", []want{{"Ұлбосын Жексенова", Name}}},
		// Title-case pairs of common words.
		{"a heading's plurals after a genitive in -ов", "Объектов Элементы", nil},
		{"a surname and an unlisted given name", "Вчера звонил Семёнов Мирон.", []want{{"Семёнов Мирон", Name}}},
		{"a Kazakh word is no English name", "Қате Ортақ", nil},
		{"a genitive plural after a noun in -а", "Фрагмента Знаков", nil},
		{"an oblique surname after a nominative noun", "Метка Базовой", nil},
		{"instrumental given name and surname", "Встреча с Оскаром Калашниковым перенесена.", []want{{"Оскаром Калашниковым", Name}}},
		{"an English name in Russian letters", "Автор: Ричард Столлман.", []want{{"Ричард Столлман", Name}}},
		// Addresses: an unlisted town last in the chain.
		{"town last after a comma", "Registered at Mametova Street 244, block 62, Sarkand.", []want{{"Mametova Street 244, block 62, Sarkand", Address}}},
		{"an initial after an address is a name's", "Тұрғылықты жері: Қажымұқан даңғылы, үй 66, S. Akhmetzhanov.", []want{{"Қажымұқан даңғылы, үй 66", Address}, {"S. Akhmetzhanov", Name}}},
		{"a surname after an address is a name's", "Адрес: ул. Абая 10, кв. 5, Иванов.", []want{{"ул. Абая 10, кв. 5", Address}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, spansOf(tt.in), tt.in)
		})
	}
}

// TestHasKazakhLetter checks the byte test against the letters themselves.
func TestHasKazakhLetter(t *testing.T) {
	for _, r := range "әғқңөұүһіӘҒҚҢӨҰҮҺІ" {
		assert.True(t, hasKazakhLetter(string(r)+"н"), "%c first", r)
		assert.True(t, hasKazakhLetter("На"+string(r)), "%c last", r)
	}
	for _, r := range "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ" {
		assert.False(t, hasKazakhLetter("На"+string(r)+"н"), "%c", r)
	}
	assert.False(t, hasKazakhLetter("Smith"))
}
