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

// logLines are log lines in Russian, Kazakh and English as the platform
// writes them (the lines of the redact package's benchmark), one in
// thirteen with a name and an address.
var logLines = []string{
	"2026-12-07T10:15:02Z INFO заявка на участие в торгах принята, лот 4521, шаг аукциона 50000 тенге",
	"2026-12-07T10:15:03Z INFO сауда-саттыққа қатысуға өтінім қабылданды, лот 4521",
	"2026-12-07T10:15:04Z WARN bid rejected: deposit not confirmed by the bank, retry in 30s",
	"2026-12-07T10:15:05Z INFO пользователь вошёл в личный кабинет, сессия 7f3a9c2e истекает через 15 мин",
	"2026-12-07T10:15:06Z INFO пайдаланушы жеке кабинетке кірді, сессия мерзімі 15 минут",
	"2026-12-07T10:15:07Z DEBUG GET /api/v2/lots?page=3&size=50&sort=price 200 in 12ms",
	"2026-12-07T10:15:08Z INFO протокол торгов сформирован и подписан ЭЦП организатора",
	"2026-12-07T10:15:09Z INFO уведомление отправлено на alice@example.kz, тел. +7 701 123 45 67",
	"2026-12-07T10:15:10Z INFO ИИН 860110300125 проверен в ГБД ФЛ, статус: активен",
	"2026-12-07T10:15:11Z DEBUG GET /api/v2/users?email=d.omarov%40inbox.kz 200 in 8ms",
	"2026-12-07T10:15:12Z INFO auction 4521 closed, winner notified, 17 participants",
	"2026-12-07T10:15:13Z INFO кепілдік жарна банкке аударылды, сомасы 250000 теңге",
	"2026-12-07T10:15:14Z INFO заявку подала Серикова Алия Нурлановна, адрес: г. Алматы, ул. Абая, д. 10",
}

// BenchmarkFindLogs is Find on each log line in turn, as Redact calls it
// (one call per line), beside a plain byte scan of the same lines for
// newlines and capitals: the floor of any detector that reads every byte.
func BenchmarkFindLogs(b *testing.B) {
	dicts()
	n := 0
	for _, l := range logLines {
		n += len(l) + 1
	}
	b.Run("Find", func(b *testing.B) {
		defer cpuRate(b, n)()
		var dst []Span
		for b.Loop() {
			for _, l := range logLines {
				dst = Find(dst[:0], l)
			}
		}
	})
	b.Run("BaselineByteScan", func(b *testing.B) {
		defer cpuRate(b, n)()
		k := 0
		for b.Loop() {
			for _, l := range logLines {
				for i := 0; i < len(l); i++ {
					if c := l[i]; c >= 'A' && c <= 'Z' || c == 0xD0 {
						k++
					}
				}
			}
		}
		_ = k
	})
}
