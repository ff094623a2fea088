package freetext

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/pii/internal/swar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type want struct {
	text string
	kind Kind
}

func found(s string) []want {
	var out []want
	for _, sp := range Find(nil, s) {
		out = append(out, want{s[sp.Start:sp.End], sp.Kind})
	}
	return out
}

func TestFindNames(t *testing.T) {
	tests := []struct {
		in   string
		want []want
	}{
		{"Клиент Серикова Алия Нурлановна просит перезвонить.", []want{{"Серикова Алия Нурлановна", Name}}},
		{"Передайте Серикову Алию Нурлановну, что торги перенесены.", []want{{"Серикову Алию Нурлановну", Name}}},
		{"Связаться с Сериковой Алией.", []want{{"Сериковой Алией", Name}}},
		{"Нұрланға хабарласыңыз.", []want{{"Нұрланға", Name}}},
		{"Документы подписал Серикова А. Н.", []want{{"Серикова А. Н.", Name}}},
		{"Документы подписал Серикова А.Н.", []want{{"Серикова А.Н.", Name}}},
		{"Contact A. Serikova today.", []want{{"A. Serikova", Name}}},
		{"Асқар Нұрланұлы Жұмабаев қатысты.", []want{{"Асқар Нұрланұлы Жұмабаев", Name}}},
		{"Асқар Серік ұлы келді.", []want{{"Асқар Серік ұлы", Name}}},
		{"Nūrlan Serıkūly and Aliya Nurlanova", []want{{"Nūrlan Serıkūly", Name}, {"Aliya Nurlanova", Name}}},
		{"Dear Mr Whitfield,", []want{{"Whitfield", Name}}},
		{"г-н Кемелбек подал заявку", []want{{"Кемелбек", Name}}},
		{"Айгүл ханым, сәлеметсіз бе", []want{{"Айгүл", Name}}},
		{"участник торгов Иванов", []want{{"Иванов", Name}}},
		{"ФИО: Петров Мирон Савельевич", []want{{"Петров Мирон Савельевич", Name}}},
		{"John F. Kennedy airport", []want{{"John F. Kennedy", Name}}},
		{"Вера Иванова", []want{{"Вера Иванова", Name}}},
		{"ИВАНОВ ИВАН ИВАНОВИЧ", []want{{"ИВАНОВ ИВАН ИВАНОВИЧ", Name}}},
		{"Ивaнов Иван", []want{{"Ивaнов Иван", Name}}}, // Latin "a" inside a Cyrillic word
		{`{"user":"Серикова Алия","lot":1542}`, []want{{"Серикова Алия", Name}}},
		{`level=info msg="bid placed" bidder="Жумабаев Нурлан" lot=1542`, []want{{"Жумабаев Нурлан", Name}}},
		{"Сессия Петра Сергеевича завершена.", []want{{"Петра Сергеевича", Name}}},
		{"write to D. Merriweather today", []want{{"D. Merriweather", Name}}},
		// Not names.
		{"Казахстанский рынок вырос.", nil},
		{"Снова Kaspi Bank, Toyota Camry и Lada Vesta.", nil},
		{"ТОО «Айгерим» выставило лот.", nil},
		{"В Алматы и Астане прошли торги 8 Марта.", nil},
		{"Grant Thornton audited Mercedes Benz.", nil},
		{"Общие Положения", nil},
		{"Передайте, пожалуйста, документы.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, found(tt.in))
		})
	}
}

func TestFindAddresses(t *testing.T) {
	tests := []struct {
		in   string
		want []want
	}{
		{"Адрес: г. Алматы, ул. Абая, д. 10, кв. 5.", []want{{"г. Алматы, ул. Абая, д. 10, кв. 5", Address}}},
		{"Алматы қ., Абай к-сі, 10 үй, 5 пәтер", []want{{"Алматы қ., Абай к-сі, 10 үй, 5 пәтер", Address}}},
		{"050000, г. Алматы, мкр. Самал-2, д. 33", []want{{"050000, г. Алматы, мкр. Самал-2, д. 33", Address}}},
		{"пр. Достык 97", []want{{"пр. Достык 97", Address}}},
		{"Abay ave. 10, apt. 5, Almaty", []want{{"Abay ave. 10, apt. 5, Almaty", Address}}},
		{"12 Dostyk str., Almaty", []want{{"12 Dostyk str., Almaty", Address}}},
		{"Самал-2 шағын ауданы, 15-үй", []want{{"Самал-2 шағын ауданы, 15-үй", Address}}},
		{"Алматинская обл., Карасайский р-н, с. Каскелен, ул. Абая 5", []want{{"Алматинская обл., Карасайский р-н, с. Каскелен, ул. Абая 5", Address}}},
		{"Алматы, Розыбакиева 247", []want{{"Алматы, Розыбакиева 247", Address}}},
		{"ул. «Алтын Дала», 7", []want{{"ул. «Алтын Дала», 7", Address}}},
		{"живёт: 5 мкр., д. 10, кв. 3", []want{{"5 мкр., д. 10, кв. 3", Address}}},
		{"Мой адрес: Алматы, мкр Аксай-4, 35 дом, 12 кв", []want{{"Алматы, мкр Аксай-4, 35 дом, 12 кв", Address}}},
		{"г.Алматы, ул.Абая,10", []want{{"г.Алматы, ул.Абая,10", Address}}},
		{"г. Актау, 14 мкр, 22 үй", []want{{"г. Актау, 14 мкр, 22 үй", Address}}},
		{"индекс 050010", nil},
		{"050000, 010000, 100000", nil},
		{"д. 10, кв. 5", nil},
		{"050000, Алматы", []want{{"050000, Алматы", Address}}},
		{"user_id=4411, lot 1542, retry in 30s", nil},
		// Not addresses.
		{"Торги прошли в Алматы и Астане.", nil},
		{"Площадь 120 кв. м, см. стр. 5 и т. д. 7", nil},
		{"В 2026 г. Затем цены выросли.", nil},
		{"Индекс 050000 не указан, Main Street Market открыт.", nil},
		{"Смотрите п. 3 и пр. Затем подпишите.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, found(tt.in))
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		kind     Kind
		in, want string
	}{
		{Name, "Серикова Алия Нурлановна", "С*** А*** Н***"},
		{Name, "Aliya Serikova", "A*** S***"},
		{Name, "Серикова А.Н.", "С*** А.Н."},
		{Name, "A. Serikova", "A. S***"},
		{Name, "Ивaнов", "И***"},
		{Address, "г. Алматы, ул. Абая, д. 10, кв. 5", "г. Алматы, ул. ***, д. ***, кв. ***"},
		{Address, "Алматы қ., Абай к-сі, 10 үй", "Алматы қ., *** к-сі, *** үй"},
		{Address, "050000, г. Алматы, мкр. Самал-2", "***, г. Алматы, мкр. ***"},
		{Address, "Abay ave. 10, apt. 5, Almaty", "*** ave. ***, apt. ***, Almaty"},
		{Address, "something else entirely", "***"},
		{Name, "", ""},
		{Kind(9), "Иванов", "***"},
		{Name, "\xff\xfe", "***"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, Mask(tt.kind, tt.in))
		})
	}
}

// TestFindSpansValid checks the contract on awkward input: spans in range,
// in order, non-overlapping, and dst kept.
func TestFindSpansValid(t *testing.T) {
	inputs := []string{
		"", " ", "\xff\xfe\xfd", "А", "А.", "г.", "ул.", "ул. ", "д. 5", "Иванов И.",
		strings.Repeat("Иванов ", 1000), strings.Repeat("А. ", 1000), strings.Repeat("ул. Абая, ", 500),
		"Ив\xffанов Иван", "Иванов\x00Иван", "ул.\nАбая 5", "Иван\u2028Петров",
	}
	for _, s := range inputs {
		dst := Find([]Span{{1, 2, Name}}, s)
		require.Equal(t, Span{1, 2, Name}, dst[0])
		checkSpans(t, s, dst[1:])
	}
}

func checkSpans(t *testing.T, s string, spans []Span) {
	t.Helper()
	prev := 0
	for _, sp := range spans {
		if sp.Start < prev || sp.End <= sp.Start || sp.End > len(s) || sp.Kind != Name && sp.Kind != Address {
			t.Fatalf("bad span %+v after %d in %q", sp, prev, s)
		}
		prev = sp.End
	}
}

// hostile inputs of about 1 MiB each.
func hostile() map[string]string {
	const n = 1 << 20
	rep := func(unit string) string { return strings.Repeat(unit, n/len(unit)) }
	return map[string]string{
		"capitalised words":  rep("Иванов Иван Иванович Петров "),
		"initials":           rep("А.Б.В. "),
		"markers":            rep("ул. г. д. кв. "),
		"address chain":      rep("ул. Абая, д. 1, кв. 2, "),
		"mixed scripts":      rep("ИвaнOв Nūrлан "),
		"invalid utf-8":      rep("\xff\xd0\xd0А\xc3"),
		"one long word":      rep("Я"),
		"digits":             rep("050000 "),
		"no spaces caps":     rep("ИвановИван"),
		"quotes":             rep("«А «Б "),
		"kazakh case forms":  rep("Нұрланғаның Серікқызымен "),
		"line breaks":        rep("Иван\n"),
		"context words only": rep("клиент г-н мырза "),
	}
}

// TestHostileInputLinear: every hostile input of 1 MiB is read in under a
// second (best of three runs; the slowest takes about 0.15 s on the shared
// 2-core VM, so the ceiling has a margin of six; twenty times more under
// the race detector), never panics, and yields valid spans and masks.
func TestHostileInputLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for name, s := range hostile() {
		t.Run(name, func(t *testing.T) {
			best := time.Hour
			var spans []Span
			for range 3 {
				start := time.Now()
				spans = Find(spans[:0], s)
				best = min(best, time.Since(start))
			}
			checkSpans(t, s, spans)
			t.Logf("%v for 1 MiB, %d spans", best, len(spans))
			if best > slowdown*time.Second {
				t.Errorf("Find took %v on 1 MiB of %s", best, name)
			}
			for _, sp := range spans[:min(len(spans), 50)] {
				m := Mask(sp.Kind, s[sp.Start:sp.End])
				if !utf8.ValidString(m) {
					t.Errorf("mask %q is not valid UTF-8", m)
				}
			}
		})
	}
}

// TestMaskHidesLetters: a name's mask keeps at most one letter per word.
func TestMaskHidesLetters(t *testing.T) {
	for _, s := range []string{"Серикова Алия Нурлановна", "Nūrlan Serıkūly", "Ивaнов-Петров И.И."} {
		assertMaskHides(t, s, Mask(Name, s))
	}
}

func assertMaskHides(t *testing.T, in, mask string) {
	t.Helper()
	letters := 0
	for _, r := range mask {
		if r != '*' && r != ' ' && r != '.' {
			letters++
		}
	}
	if words := len(strings.Fields(in)) + strings.Count(in, "."); letters > words {
		t.Errorf("Mask(%q) = %q keeps %d letters for %d words", in, mask, letters, words)
	}
}

// TestNextHot compares the eight-byte skip with a plain scan on every
// capital letter of the scripts read, at every alignment.
func TestNextHot(t *testing.T) {
	plain := func(s string, pos int) int { return nextHotBytes(s, pos, len(s)) }
	var caps []rune
	for r := rune(0); r < 0x500; r++ {
		if isLetter(r) && isUpper(r) {
			caps = append(caps, r)
		}
	}
	caps = append(caps, '0', '7')
	// Random text of letters and spaces, capitals at every alignment.
	alphabet := []rune("жаяпрЁёІіЎАЯЖӘәҚқÄäÜ aZ1.\u00a0")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		rs := make([]rune, rng.IntN(24))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(rs)
		for pos := 0; pos < len(s); pos++ {
			if got, want := nextHot(s, pos), plain(s, pos); got != want {
				t.Fatalf("nextHot(%q, %d) = %d, want %d", s, pos, got, want)
			}
		}
	}
	for _, c := range caps {
		for pad := range 18 { // the capital at every alignment, after Cyrillic and after ASCII
			s := strings.Repeat("ж", pad/2) + strings.Repeat("a", pad%2) + " " + string(c) + "ырау ақын и ещё"
			for pos := 0; pos < len(s); pos++ {
				if got, want := nextHot(s, pos), plain(s, pos); got != want {
					t.Fatalf("nextHot(%q, %d) = %d, want %d", s, pos, got, want)
				}
			}
		}
	}
}

// Find and AppendMask allocate nothing once dst has room: the window of
// tokens is pooled and every look-up works on its buffers.
func TestZeroAllocations(t *testing.T) {
	if slowdown > 1 {
		t.Skip("the race detector empties sync.Pool at random")
	}
	text := strings.Join(logLines, "\n") + "\n" + benchText()[:4096]
	dst := Find(nil, text)
	require.NotEmpty(t, dst)
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(20, func() {
		dst = Find(dst[:0], text)
		for _, sp := range dst {
			buf = AppendMask(buf[:0], sp.Kind, text[sp.Start:sp.End])
		}
	})
	assert.Zero(t, allocs)
}

// FindSplit finds what Find finds in each stretch on its own, at the same
// places, with nothing allocated once dst has room.
func TestFindSplit(t *testing.T) {
	text := strings.Join(logLines, "\n") + "\n" + benchText()[:16384] + "\n\n<" + strings.Join(logLines, `"`) +
		"\tИванов Иван Иванович]Петров Пётр[Сидоров\x7fг. Алматы, ул. Абая\x00Ақтөбе қ.\\Серикова Алия>"
	var want []Span
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && !Delim(text[j]) {
			j++
		}
		for _, sp := range Find(nil, text[i:j]) {
			want = append(want, Span{Start: sp.Start + i, End: sp.End + i, Kind: sp.Kind})
		}
		i = j + 1
	}
	require.NotEmpty(t, want)
	got := FindSplit(nil, text)
	require.Equal(t, want, got)
	require.Empty(t, FindSplit(nil, ""))
	require.Empty(t, FindSplit(nil, "\n\n\""))
	if slowdown == 1 {
		assert.Zero(t, testing.AllocsPerRun(10, func() { got = FindSplit(got[:0], text) }))
	}
}

// Delim is the set its doc names, and nextDelim finds the first of them
// from every start, in text with every byte at every alignment.
func TestDelim(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		want := b < 0x20 || b == 0x7F || strings.IndexByte(`"<>[\]`, b) >= 0
		require.Equal(t, want, Delim(b), "byte %#x", b)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 4096)
	for i := range buf {
		buf[i] = byte(rng.IntN(256))
		if rng.IntN(4) > 0 {
			buf[i] = "abc Жя=?;:;{|}~"[rng.IntN(17)] // mostly bytes that are not delimiters, and their neighbours
		}
	}
	s := string(buf)
	for i := 0; i <= len(s); i++ {
		want := i
		for want < len(s) && !Delim(s[want]) {
			want++
		}
		require.Equal(t, want, nextDelim(s, i), "from %d", i)
	}
}

// acronym remembers its answers: the same as acronymClass for every word,
// asked twice in a row and after the memory has turned over.
func TestAcronymMemory(t *testing.T) {
	words := []string{"INFO", "WARN", "DEBUG", "GET", "ИИН", "ГБД", "ФЛ", "ЭЦП", "ТОО", "IBAN", "ALIA", "АЛИЯ", "ANNA", "АЛМАТЫ", "USA", "OK", "ИВАНОВ", "ABCDEFGHIJ", "ҚАЗ", "ӘЛИЯ"}
	w := new(win)
	w.d = dicts()
	yes := 0
	for round := range 3 {
		for _, word := range words {
			w.s = word
			z := tokenizer{s: word}
			tok, ok := z.next()
			require.True(t, ok)
			require.NotZero(t, tok.flags&fUpper, word)
			want := w.acronymClass(tok)
			if round == 0 && want {
				yes++
			}
			assert.Equal(t, want, w.acronym(tok), word)
			assert.Equal(t, want, w.acronym(tok), word)
		}
	}
	assert.True(t, yes > 0 && yes < len(words), "both answers are asked")
}

// lowerTail, with its fast paths for ASCII and Cyrillic, answers as a
// decode of every rune does, on random words of letters of every script
// this package reads, and invalid bytes.
func TestLowerTail(t *testing.T) {
	ref := func(word string) bool {
		_, n := utf8.DecodeRuneInString(word)
		for _, r := range word[n:] {
			if isUpper(r) || r == utf8.RuneError {
				return false
			}
		}
		return true
	}
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "Z", "q", "-", "'", "ж", "Ж", "я", "Я", "ё", "Ё", "і", "І", "ѐ", "Ѐ", "џ", "Џ", "ѡ", "Ѡ", "ә", "Ә",
		"ү", "Ү", "ұ", "Ұ", "қ", "Қ", "ө", "Ө", "ş", "Ş", "é", "É", "ı", "İ", "\xd0", "\xd1", "\xd1\xc0", "\x80", "\xff"}
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		word := b.String()
		require.Equal(t, ref(word), lowerTail(word), "%q", word)
	}
}

// fInnerCap is set when an upper-case letter follows the first letter.
func TestInnerCap(t *testing.T) {
	for word, want := range map[string]bool{
		"ivan": false, "Ivan": false, "iVan": true, "IVAN": true, "McDonald": true, "иван": false, "Иван": false,
		"иВан": true, "ИВАН": true, "алматы-Арена": true, "Нұрлан": false, "нҰрлан": true, "10А": false,
	} {
		z := tokenizer{s: word}
		tok, ok := z.next()
		require.True(t, ok)
		if tok.kind != tWord {
			require.False(t, want, word)
			continue
		}
		assert.Equal(t, want, tok.flags&fInnerCap != 0, word)
	}
}

// The window's memory gives every word the classes a fresh window finds,
// at each level asked in either order, for every word of the corpora, of
// the log lines and of words that collide in the memory.
func TestClassMemory(t *testing.T) {
	var texts []string
	for _, sm := range corpus(0) {
		texts = append(texts, sm.text)
	}
	texts = append(texts, genOrdinary(4, 3, 3000)...)
	texts = append(texts, logLines...)
	shared := new(win)
	shared.d = dicts()
	words := 0
	for _, text := range texts {
		z := tokenizer{s: text}
		for {
			tok, ok := z.next()
			if !ok {
				break
			}
			words++
			for _, lvls := range [][]uint8{{lvlLite, lvlGiven, lvlFull}, {lvlFull}, {lvlGiven, lvlLite}} {
				shared.s = text
				shared.toks[0] = tok
				shared.t = shared.toks[:1]
				want := tok // classified without the memory, as classify and nameClass do
				for _, lvl := range lvls {
					shared.s = text
					if want.lvl < lvlLite {
						shared.classifyLite(&want)
					}
					if want.lvl < lvl {
						shared.nameClassUp(&want, lvl)
					}
					require.Equal(t, want, *shared.nameClass(0, lvl), "%q at level %d", text[tok.start:tok.end], lvl)
				}
			}
			if tok.kind == tWord {
				sk, ok := skeleton(&shared.buf, text[tok.start:tok.end])
				want := ok && !shared.d.givenPrefix.may(sk)
				require.Equal(t, want, shared.noGivenPrefix(&tok), "%q", text[tok.start:tok.end])
				require.Equal(t, want, shared.noGivenPrefix(&tok), "%q, remembered", text[tok.start:tok.end])
				common := shared.commonLatin(text[tok.start:tok.end])
				require.Equal(t, common, shared.commonLatinAt(0), "%q", text[tok.start:tok.end])
				require.Equal(t, common, shared.commonLatinAt(0), "%q, remembered", text[tok.start:tok.end])
			}
		}
	}
	require.Greater(t, words, 20000)
}

// lowerWordAt answers as the tokenizer does wherever it says it knows, on
// random text from every byte where a token may start.
func TestLowerWordAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "z", "Q", "0", "9", "-", "'", " ", ".", ",", "ж", "Ж", "я", "Я", "ё", "Ё", "ѐ", "џ", "ѡ", "Ѡ", "ә", "Ә",
		"ұ", "é", "’", "\u00a0", "\xd0", "\xd1", "\x80", strings.Repeat("ab", 20), strings.Repeat("жы", 20)}
	known := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		for e := range len(s) {
			if c := s[e]; c == ' ' || c == '\t' || c < utf8.RuneSelf && !asciiLetter(c) && (c < '0' || c > '9') || !utf8.RuneStart(c) {
				continue // quietAfter reads on only from a letter, a digit or a non-ASCII byte
			}
			end, ok := lowerWordAt(s, e)
			if !ok {
				continue
			}
			known++
			z := tokenizer{s: s, i: e}
			tok, _ := z.next()
			want := -1
			if tok.kind == tWord && int(tok.start) == e && tok.flags&(fCap|fUpper|fLong|fInnerCap) == 0 {
				want = int(tok.end)
			}
			require.Equal(t, want, end, "%q at %d", s, e)
		}
	}
	require.Greater(t, known, 10000)
}

// capWordAt answers as the tokenizer does wherever it says it knows, on
// random text from every byte.
func TestCapWordAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"a", "Z", "Q", "0", "-", "'", " ", ".", "ж", "Ж", "Я", "Ё", "ѐ", "Ѐ", "Ѡ", "Ә", "ә", "É", "é", "’",
		"\u00a0", "\xd0", "\xd1", "\x80", strings.Repeat("AB", 20), strings.Repeat("Жы", 20)}
	known := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		for p := range len(s) {
			got, ok := capWordAt(s, p)
			if !ok {
				continue
			}
			known++
			z := tokenizer{s: s, i: p}
			want, _ := z.next()
			require.Equal(t, want, got, "%q at %d", s, p)
		}
	}
	require.Greater(t, known, 10000)
}

// asciiTab holds the classes its constants name.
func TestASCIITab(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		var want uint8
		if asciiLetter(b) {
			want |= bLetter
		}
		if b >= 'A' && b <= 'Z' {
			want |= bUpper
		}
		if b >= '0' && b <= '9' {
			want |= bDigit
		}
		switch b {
		case '-':
			want |= bDash
		case '/':
			want |= bSlash
		case '\'':
			want |= bApos
		}
		if b >= utf8.RuneSelf {
			want |= bHigh
		}
		require.Equal(t, want, asciiTab[b], "byte %#x", b)
	}
}

// stampHead takes only a time at the start of a stretch or after a mark
// that ends no word, where numberMatters would pass it over; Find reads
// an address with a marker before a time-like number as before.
func TestStampHead(t *testing.T) {
	for s, want := range map[string]bool{
		"2026-12-07T10:15:02Z INFO": true, "[2026-12-07T10:15:02Z]": true, "2026-12-07T10:15": false,
		"2026-12-07 10:15:02": false, "2026-12-07T10-15:02": false, "x2026-12-07T10:15:02": false,
	} {
		p := strings.IndexByte(s, '2')
		assert.Equal(t, want, stampHead(s, p), s)
	}
	for _, s := range []string{"д. 2026-12-07T10:15:02", " 2026-12-07T10:15:02", ".2026-12-07T10:15:02", "-2026-12-07T10:15:02", "ж2026-12-07T10:15:02"} {
		assert.False(t, stampHead(s, strings.IndexByte(s, '2')), s)
	}
	assert.True(t, stampHead(`"2026-12-07T10:15:02Z"`, 1))
	assert.True(t, stampHead("=2026-12-07T10:15:02Z", 1))
}

// decodeRune is utf8.DecodeRuneInString on every one- and two-byte
// prefix and on longer and invalid text.
func TestDecodeRune(t *testing.T) {
	for a := range 256 {
		for b := range 256 {
			s := string([]byte{byte(a), byte(b)})
			r, n := decodeRune(s)
			wr, wn := utf8.DecodeRuneInString(s)
			require.Equal(t, [2]int{int(wr), wn}, [2]int{int(r), n}, "%q", s)
		}
	}
	for _, s := range []string{"", "a", "\xd0", "’s", "\xe2\x80", "Ж"} {
		r, n := decodeRune(s)
		wr, wn := utf8.DecodeRuneInString(s)
		require.Equal(t, [2]int{int(wr), wn}, [2]int{int(r), n}, "%q", s)
	}
}

// A word that starts with a Cyrillic letter of U+0400..U+047F is a word,
// capitalised as isUpper says, at the start of a text and after a space.
func TestTokenCyrillicStart(t *testing.T) {
	for r := rune(0x400); r <= 0x47F; r++ {
		for _, s := range []string{string(r) + "ан", " " + string(r) + "ан", string(r), string(r) + "\xd0"} {
			z := tokenizer{s: s}
			tok, ok := z.next()
			require.True(t, ok)
			require.Equal(t, tWord, tok.kind, "%q", s)
			require.Equal(t, isUpper(r), tok.flags&fCap != 0, "%q", s)
			var fl uint8
			require.Equal(t, z.wordEnd(int(tok.start), &fl), int(tok.end), "%q", s)
		}
	}
}

// cyrLower4 agrees with a byte-by-byte reading of every two-byte pair at
// each of the four positions of a word, the other three lower-case.
func TestCyrLower4(t *testing.T) {
	lower := func(a, b byte) bool { return a == 0xD0 && b >= 0xB0 && b <= 0xBF || a == 0xD1 && b&0xC0 == 0x80 }
	for pos := range 4 {
		for a := range 256 {
			for b := range 256 {
				w := []byte("аяёп")
				w[2*pos], w[2*pos+1] = byte(a), byte(b)
				if got, want := cyrLower4(swar.Load(string(w), 0)), lower(byte(a), byte(b)); got != want {
					t.Fatalf("pair %#x %#x at %d: got %v, want %v", a, b, pos, got, want)
				}
			}
		}
	}
}

// wordSet.has, which searches only the words that share a word's first
// two letters, answers as a map of the words does: on every word of the
// English list, on its prefixes, on it with a byte changed or added, and
// on short, upper-case and non-ASCII words.
func TestWordSetHas(t *testing.T) {
	set := dicts().commonEn
	words := make(map[string]bool, len(set.offs))
	for i := range set.offs {
		words[set.word(i)] = true
	}
	check := func(w string) {
		if got := set.has(w); got != words[w] {
			t.Fatalf("has(%q) = %v, want %v", w, got, words[w])
		}
	}
	for _, w := range []string{"", "a", "z", "{", "a{", "z{", "zz", "zzzz", "`a", "a`", "aa", "éa", "aé", "Abc", "ABOUT"} {
		check(w)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for w := range words {
		check(w)
		for i := 0; i <= len(w); i++ {
			check(w[:i])
		}
		check(w + "s")
		check(w + "{")
		b := []byte(w)
		b[rng.IntN(len(b))] = byte(rng.IntN(256))
		check(string(b))
		b[0] = 'a' + byte(rng.IntN(27)) // '{' after 'z'
		check(string(b))
	}
}

// commonEnSuffix, which first tests the last letter, answers as the loop
// over every suffix does, on random short words in any case.
func TestCommonEnSuffix(t *testing.T) {
	loop := func(w string) bool {
		for _, suf := range commonEnSuffixes {
			if len(w) > len(suf)+1 && asciiEqualFold(w[len(w)-len(suf):], suf) {
				return true
			}
		}
		return false
	}
	const letters = "tionsmeabylpfuvcgrhTIONSMEABYLPFUVCGRH-'@`é"
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		b := make([]byte, rng.IntN(9))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		if w := string(b); commonEnSuffix(w) != loop(w) {
			t.Fatalf("commonEnSuffix(%q) = %v", w, !loop(w))
		}
	}
}

// FindSplit, which looks for the delimiters only of a stretch that holds a
// hot byte, finds what Find finds in each stretch, on random text with
// delimiters beside capitals, digits, lone lead bytes and letters.
func TestFindSplitRandom(t *testing.T) {
	pieces := []string{
		"Иванов", "Иван", "Ивановна", "г.", "ул.", "Абая", "д.", "10", "050000", "Алматы", "қ.", "үй", "кв.", "5",
		"Серикова", "Алия", "А.", "Н.", "Mr", "John", "Smith", "INFO", "заявка", "принята", "the", "bid",
		"\xd0", "\xd0\x90", "\xd3\x98", "\xc3\x89", "é", "ё", "Ё", "x", "7",
		"\n", "\t", "\"", "<", ">", "[", "]", "\\", "\x7f", "\x00", "\r\n",
		" ", " ", " ", ", ", ". ", "-",
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		var want []Span
		for i := 0; i < len(text); {
			j := i
			for j < len(text) && !Delim(text[j]) {
				j++
			}
			for _, sp := range Find(nil, text[i:j]) {
				want = append(want, Span{Start: sp.Start + i, End: sp.End + i, Kind: sp.Kind})
			}
			i = j + 1
		}
		require.Equal(t, want, FindSplit(nil, text), "%q", text)
	}
}

// On invalid UTF-8 too (lone lead bytes before letters, capitals and
// ASCII), the eight-byte skip finds what a plain scan from the same
// position finds: whether a byte is hot does not depend on where the scan
// started, which FindSplit relies on when it scans across stretches.
func TestNextHotInvalidUTF8(t *testing.T) {
	plain := func(s string, pos int) int { return nextHotBytes(s, pos, len(s)) }
	pieces := []string{"\xd0", "\xd1", "\xd2", "\xd3", "\xc3", "\x90", "\xb0", "А", "а", "Ә", "ә", "É", "é", "A", "a", "7", " ", "\n", "ж"}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		for pos := 0; pos < len(s); pos++ {
			if got, want := nextHot(s, pos), plain(s, pos); got != want {
				t.Fatalf("nextHot(%q, %d) = %d, want %d", s, pos, got, want)
			}
			if want, got := plain(s, 0), plain(s, pos); pos <= want && got != want {
				t.Fatalf("plain(%q, %d) = %d, from 0 %d", s, pos, got, want)
			}
		}
	}
}
