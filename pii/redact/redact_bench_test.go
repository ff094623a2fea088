package redact

import (
	"io"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// baselineRE is what a regexp-only redactor would use: candidate e-mail
// addresses, digit runs with separators and KZ IBANs, without checksums.
var baselineRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|\+?\d(?:[ \-()]{0,2}\d){10,18}|(?i:KZ)\d{2}(?: ?[A-Za-z0-9]{4}){4}`)

func benchText() string {
	return mixedText(rand.New(rand.NewPCG(7, 8)), 64<<10)
}

// logText is log lines in Russian, Kazakh and English, as the platform
// writes them, about one in four with personal data, some of it encoded,
// one in thirteen with a name and an address.
func logText(rng *rand.Rand, n int) string {
	lines := []string{
		"2026-12-07T10:15:02Z INFO заявка на участие в торгах принята, лот 4521, шаг аукциона 50000 тенге\n",
		"2026-12-07T10:15:03Z INFO сауда-саттыққа қатысуға өтінім қабылданды, лот 4521\n",
		"2026-12-07T10:15:04Z WARN bid rejected: deposit not confirmed by the bank, retry in 30s\n",
		"2026-12-07T10:15:05Z INFO пользователь вошёл в личный кабинет, сессия 7f3a9c2e истекает через 15 мин\n",
		"2026-12-07T10:15:06Z INFO пайдаланушы жеке кабинетке кірді, сессия мерзімі 15 минут\n",
		"2026-12-07T10:15:07Z DEBUG GET /api/v2/lots?page=3&size=50&sort=price 200 in 12ms\n",
		"2026-12-07T10:15:08Z INFO протокол торгов сформирован и подписан ЭЦП организатора\n",
		"2026-12-07T10:15:09Z INFO уведомление отправлено на alice@example.kz, тел. +7 701 123 45 67\n",
		"2026-12-07T10:15:10Z INFO ИИН 860110300125 проверен в ГБД ФЛ, статус: активен\n",
		"2026-12-07T10:15:11Z DEBUG GET /api/v2/users?email=d.omarov%40inbox.kz 200 in 8ms\n",
		"2026-12-07T10:15:12Z INFO auction 4521 closed, winner notified, 17 participants\n",
		"2026-12-07T10:15:13Z INFO кепілдік жарна банкке аударылды, сомасы 250000 теңге\n",
		"2026-12-07T10:15:14Z INFO заявку подала Серикова Алия Нурлановна, адрес: г. Алматы, ул. Абая, д. 10\n",
	}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(lines[rng.IntN(len(lines))])
	}
	return b.String()
}

// chatText is support chat and ticket text in Russian, Kazakh and
// English: mostly lower-case sentences, capitalised ones with places,
// firms and months, and about one line in six with a name, an address, a
// phone number or an e-mail address.
func chatText(rng *rand.Rand, n int) string {
	lines := []string{
		"здравствуйте, не могу оплатить участие в торгах, карта отклоняется уже третий раз подряд.\n",
		"подскажите, пожалуйста, когда вернут гарантийный взнос по лоту 1542? прошло уже десять рабочих дней.\n",
		"сәлеметсіз бе, өтінімім қабылданбады, себебін түсіндіріп беріңізші.\n",
		"кепілдік жарнасы қашан қайтарылады? екі апта өтті.\n",
		"hi, my bid was rejected with an error, could you check what went wrong with the payment?\n",
		"the auction page keeps loading forever on my phone, please advise.\n",
		"Ваша заявка принята, ожидайте подтверждения в течение 24 часов.\n",
		"Торги по лоту перенесены на 15 декабря, Астана, Дворец независимости.\n",
		"Thank you for contacting First Credit Bureau support, Almaty office, Monday to Friday.\n",
		"Өтінішіңіз қаралуда, Қазақстан Республикасының заңнамасына сәйкес жауап беріледі.\n",
		"Прошу вернуть взнос на счёт, ФИО Серикова Алия Нурлановна, тел. +7 701 123 45 67\n",
		"Customer John Smith, 12 Abay Ave, apt 5, Almaty 050010, e-mail john.smith@example.com\n",
		"Мекенжайым: Алматы қ., Абай к-сі, 10 үй, Нұрланға хабарласыңыз.\n",
	}
	var b strings.Builder
	for b.Len() < n {
		i := rng.IntN(len(lines) - 3)
		if rng.IntN(6) == 0 {
			i = len(lines) - 3 + rng.IntN(3)
		}
		b.WriteString(lines[i])
	}
	return b.String()
}

// BenchmarkRedact runs Text on 64 KiB of each text, and the two scans it
// joins alone: log lines; support chat (both about one line in four to
// six with personal data); identifier-dense text, where every other
// token is an e-mail address or a number; and one long line of access
// log without personal data.
func BenchmarkRedact(b *testing.B) {
	for _, bc := range []struct {
		name string
		text string
	}{
		{"ru-kk-en-logs", logText(rand.New(rand.NewPCG(5, 6)), 64<<10)},
		{"ru-kk-en-chat", chatText(rand.New(rand.NewPCG(7, 8)), 64<<10)},
		{"identifier-dense", benchText()},
		{"clean", strings.Repeat("GET /api/v1/lots/1234 200 OK in 15ms, user agent Mozilla/5.0 ", 1100)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			defer cpuRate(b, len(bc.text))()
			b.ReportAllocs()
			for b.Loop() {
				_ = Text(bc.text)
			}
		})
		// Names and addresses alone, as Scan looks for them.
		b.Run(bc.name+"-names", func(b *testing.B) {
			defer cpuRate(b, len(bc.text))()
			b.ReportAllocs()
			for b.Loop() {
				_ = findFreeText(bc.text)
			}
		})
		// The same without names and addresses: the identifiers alone
		// (Redact with names off, on the same text).
		b.Run(bc.name+"-identifiers", func(b *testing.B) {
			defer cpuRate(b, len(bc.text))()
			b.ReportAllocs()
			var out []byte
			for b.Loop() {
				out = appendRedacted(out[:0], bc.text, scanIdentifiers(bc.text))
			}
		})
	}
}

func BenchmarkScan(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Scan(text)
	}
}

// BenchmarkBaselineRegexpScan finds candidates only, with no validation and
// no masking: the floor a regexp-based redactor starts from.
func BenchmarkBaselineRegexpScan(b *testing.B) {
	for name, text := range map[string]string{"ru-kk-en-logs": logText(rand.New(rand.NewPCG(5, 6)), 64<<10), "identifier-dense": benchText()} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				_ = baselineRE.FindAllStringIndex(text, -1)
			}
		})
	}
}

func BenchmarkRedactStream(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		rw := NewWriter(io.Discard)
		for i := 0; i < len(text); i += 4096 {
			if _, err := rw.Write([]byte(text[i:min(i+4096, len(text))])); err != nil {
				b.Fatal(err)
			}
		}
		if err := rw.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func benchLog(b *testing.B, h slog.Handler) {
	l := slog.New(h)
	b.ReportAllocs()
	for b.Loop() {
		l.Info("payment by alice@example.kz accepted", "lot", 1234, "card", "4111111111111111", "note", "call +7 701 123 45 67", "elapsed_ms", 15)
	}
}

func BenchmarkRedactingHandler(b *testing.B) {
	benchLog(b, NewHandler(slog.NewJSONHandler(io.Discard, nil)))
}

// BenchmarkBaselineJSONHandler is the same record through the wrapped
// handler alone.
func BenchmarkBaselineJSONHandler(b *testing.B) {
	benchLog(b, slog.NewJSONHandler(io.Discard, nil))
}

// BenchmarkScanWorstCase runs Scan on inputs built to make it work hardest:
// single digits between spaces (every window of up to 19 groups is a
// candidate) and '@' before long runs of one-letter labels.
func BenchmarkScanWorstCase(b *testing.B) {
	for _, bc := range []struct{ name, unit string }{
		{"digit-groups", "2 "},
		{"labels", "x@" + strings.Repeat("a.", 126) + "1 "},
	} {
		text := strings.Repeat(bc.unit, (64<<10)/len(bc.unit))
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				_ = Scan(text)
			}
		})
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
