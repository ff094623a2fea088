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

// benchTexts: the mixed text; support chat alone (mostly lower case); and
// the corpus's ordinary text alone, dense with capitalised names of
// places, firms, products and headings.
func benchTexts() []struct{ name, text string } {
	return []struct{ name, text string }{
		{"mixed", benchText()},
		{"chat", strings.Repeat(strings.Join(chat, " ")+" ", 2000)},
		{"capitalised", strings.Join(genOrdinary(3, 0, 50000), " ")},
	}
}

// BenchmarkFind runs Find on each text, beside its baselines on the same
// text: strings.Fields, and a plain decode of every rune.
func BenchmarkFind(b *testing.B) {
	dicts()
	for _, bt := range benchTexts() {
		s := bt.text
		b.Run(bt.name+"/Find", func(b *testing.B) {
			defer cpuRate(b, len(s))()
			var dst []Span
			for b.Loop() {
				dst = Find(dst[:0], s)
			}
		})
		b.Run(bt.name+"/BaselineFields", func(b *testing.B) {
			defer cpuRate(b, len(s))()
			for b.Loop() {
				_ = strings.Fields(s)
			}
		})
		b.Run(bt.name+"/BaselineRunes", func(b *testing.B) {
			defer cpuRate(b, len(s))()
			for b.Loop() {
				n := 0
				for i := 0; i < len(s); {
					_, size := utf8.DecodeRuneInString(s[i:])
					i += size
					n++
				}
				_ = n
			}
		})
	}
}

func BenchmarkMask(b *testing.B) {
	for b.Loop() {
		_ = Mask(Name, "Серикова Алия Нурлановна")
		_ = Mask(Address, "г. Алматы, ул. Абая, д. 10, кв. 5")
	}
}

// cpuRate sets the bytes per operation and, where the CPU time can be read,
// reports "cpu-MB/s": throughput against CPU time rather than the wall
// clock, steadier on a shared machine (run with GOMAXPROCS=1).
func cpuRate(b *testing.B, n int) func() {
	b.SetBytes(int64(n))
	c0, ok := cpuTime()
	return func() {
		if c1, _ := cpuTime(); ok && c1 > c0 {
			b.ReportMetric(float64(n)*float64(b.N)/(c1-c0).Seconds()/1e6, "cpu-MB/s")
		}
	}
}

// BenchmarkFindShort is Find on one log line, as Redact and the slog
// handler call it; BenchmarkBaselineShortFields splits the same line.
func BenchmarkFindShort(b *testing.B) {
	const s = "bid rejected: insufficient deposit, user_id=4411, lot 1542, retry in 30s"
	dicts()
	var dst []Span
	defer cpuRate(b, len(s))()
	for b.Loop() {
		dst = Find(dst[:0], s)
	}
}

func BenchmarkBaselineShortFields(b *testing.B) {
	const s = "bid rejected: insufficient deposit, user_id=4411, lot 1542, retry in 30s"
	defer cpuRate(b, len(s))()
	for b.Loop() {
		_ = strings.Fields(s)
	}
}
