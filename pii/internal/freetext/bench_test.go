package freetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// chat is ordinary support-chat text in the three languages, mostly
// lower-case as such text is.
var chat = []string{
	"здравствуйте, не могу оплатить участие в торгах, карта отклоняется уже третий раз подряд.",
	"подскажите, пожалуйста, когда вернут гарантийный взнос по лоту 1542? прошло уже десять рабочих дней.",
	"спасибо, всё получилось, документы загрузил в личный кабинет.",
	"сәлеметсіз бе, өтінімім қабылданбады, себебін түсіндіріп беріңізші.",
	"кепілдік жарнасы қашан қайтарылады? екі апта өтті.",
	"hi, my bid was rejected with an error, could you check what went wrong with the payment?",
	"the auction page keeps loading forever on my phone, please advise.",
	"Ваша заявка принята, ожидайте подтверждения в течение 24 часов.",
	"Error 502 at 10:42:17 while sending the bid, request id 7f3a9c.",
}

// benchText is mixed Russian, Kazakh and English support text: chat
// lines, the ordinary capitalised sentences of the corpus, and now and
// then a name or an address.
func benchText() string {
	var b strings.Builder
	ord := genOrdinary(3, 0, 10000)
	sm := corpus(0)
	for i, s := range ord {
		b.WriteString(s)
		b.WriteByte(' ')
		for k := range 3 {
			b.WriteString(chat[(i*3+k)%len(chat)])
			b.WriteByte(' ')
		}
		if i%4 == 0 {
			b.WriteString(sm[i%len(sm)].text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func BenchmarkFind(b *testing.B) {
	s := benchText()
	b.SetBytes(int64(len(s)))
	var dst []Span
	dicts()
	for b.Loop() {
		dst = Find(dst[:0], s)
	}
}

// BenchmarkBaselineFields is the floor Find is compared with: splitting
// the same text into words with strings.Fields.
func BenchmarkBaselineFields(b *testing.B) {
	s := benchText()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = strings.Fields(s)
	}
}

// BenchmarkBaselineRunes decodes every rune of the text: a plain UTF-8 scan.
func BenchmarkBaselineRunes(b *testing.B) {
	s := benchText()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		n := 0
		for i := 0; i < len(s); {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			n++
		}
		_ = n
	}
}

func BenchmarkMask(b *testing.B) {
	for b.Loop() {
		_ = Mask(Name, "Серикова Алия Нурлановна")
		_ = Mask(Address, "г. Алматы, ул. Абая, д. 10, кв. 5")
	}
}

// BenchmarkFindShort is Find on one log line, as Redact and the slog
// handler call it; BenchmarkBaselineShortFields splits the same line.
func BenchmarkFindShort(b *testing.B) {
	const s = "bid rejected: insufficient deposit, user_id=4411, lot 1542, retry in 30s"
	dicts()
	var dst []Span
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		dst = Find(dst[:0], s)
	}
}

func BenchmarkBaselineShortFields(b *testing.B) {
	const s = "bid rejected: insufficient deposit, user_id=4411, lot 1542, retry in 30s"
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = strings.Fields(s)
	}
}
