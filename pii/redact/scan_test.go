package redact

import (
	"fmt"
	"github.com/1cb-kz/compliance/pii/internal/tags"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// found is a match written as kind and text, for readable tables.
type found struct {
	Kind Kind
	Text string
}

func scanFound(text string) []found {
	var out []found
	for _, m := range Scan(text) {
		out = append(out, found{m.Kind, text[m.Start:m.End]})
	}
	return out
}

func TestScan(t *testing.T) {
	tests := []struct {
		text string
		want []found
	}{
		{"", nil},
		{"nothing here, just words and 42 numbers", nil},
		{"mail alice@example.kz now", []found{{KindEmail, "alice@example.kz"}}},
		{"<Ivan.Petrov+shop@Mail.Example.COM>.", []found{{KindEmail, "Ivan.Petrov+shop@Mail.Example.COM"}}},
		{"end of sentence bob@example.kz.", []found{{KindEmail, "bob@example.kz"}}},
		{"not mail: a@localhost, @example.kz, x@1.2.3.4, x@-bad.kz", nil},
		{"two a@b.kz@c.kz", []found{{KindEmail, "a@b.kz"}}},
		{"trailing label alice@example.kz.2 and bob@mail.example.kz..x", []found{{KindEmail, "alice@example.kz"}, {KindEmail, "bob@mail.example.kz"}}},
		{"hyphens a@b.kz-.x c@d-e.example.kz- f@g.-h.kz", []found{{KindEmail, "a@b.kz"}, {KindEmail, "c@d-e.example.kz"}}},
		{"labels x@" + strings.Repeat("a.", 126) + "1", nil},
		{"labels x@" + strings.Repeat("ab.", 80) + "1", []found{{KindEmail, "x@" + strings.Repeat("ab.", 79) + "ab"}}},
		{"logfmt user=alice@example.kz path=/u/bob@example.kz", []found{{KindEmail, "alice@example.kz"}, {KindEmail, "bob@example.kz"}}},
		{"long " + strings.Repeat("x", 100) + "@example.kz", []found{{KindEmail, strings.Repeat("x", 64) + "@example.kz"}}},
		{"digits in mail 87011234567@mail.kz", []found{{KindEmail, "87011234567@mail.kz"}}},
		{"card 4111 1111 1111 1111 exp 12/29", []found{{KindPAN, "4111 1111 1111 1111"}}},
		{"card 4111111111111111.", []found{{KindPAN, "4111111111111111"}}},
		{"card 4111-1111-1111-1111", []found{{KindPAN, "4111-1111-1111-1111"}}},
		{"amex 3782 822463 10005", []found{{KindPAN, "3782 822463 10005"}}},
		{"paid 300 by 4111 1111 1111 1111", []found{{KindPAN, "4111 1111 1111 1111"}}},
		{"bad luhn 4111 1111 1111 1112", nil},
		{"hex ab4111111111111111cd and ab4111111111111111", nil},
		{"id_4111111111111111 and scan-4111111111111111.pdf", []found{{KindPAN, "4111111111111111"}, {KindPAN, "4111111111111111"}}},
		{"float 0.4111111111111111 and 4111111111111111.5", nil},
		{"phone +7 (701) 123-45-67, or 87011234567", []found{{KindPhone, "+7 (701) 123-45-67"}, {KindPhone, "87011234567"}}},
		{"tel:+77011234567;", []found{{KindPhone, "+77011234567"}}},
		{"russian +7 916 123 45 67", nil},
		{"iin 860110300125 bin 050340000019", []found{{KindIIN, "860110300125"}, {KindBIN, "050340000019"}}},
		{"bad iin 860110300126", nil},
		{"iban KZ86125KZT5004100100 and KZ86 125K ZT50 0410 0100", []found{{KindIBAN, "KZ86125KZT5004100100"}, {KindIBAN, "KZ86 125K ZT50 0410 0100"}}},
		{"glued XKZ86125KZT5004100100 KZ86125KZT5004100100X", nil},
		{"bad iban KZ87125KZT5004100100", nil},
		{"ИИН860110300125", []found{{KindIIN, "860110300125"}}},
		{"ИИН:860110300125, тел.87011234567", []found{{KindIIN, "860110300125"}, {KindPhone, "87011234567"}}},
		{"uuid 550e8400-e29b-41d4-a716-446655440000", nil},
		{"ts 2024-11-26 12:30:00.123456789 1732612345123456789", nil},
		// wider separators, no-break spaces, UzCard and Humo
		{"card 4111  1111 1111 1111", []found{{KindPAN, "4111  1111 1111 1111"}}},
		{"card 4111 - 1111 - 1111 - 1111.", []found{{KindPAN, "4111 - 1111 - 1111 - 1111"}}},
		{"card 4111    1111 1111 1111", nil},
		{"card\u00a04111\u00a01111\u00a01111\u00a01111\u00a0ok", []found{{KindPAN, "4111\u00a01111\u00a01111\u00a01111"}}},
		{"card 4111\u202f1111\u202f1111\u202f1111", []found{{KindPAN, "4111\u202f1111\u202f1111\u202f1111"}}},
		{"tel +7\u00a0701\u00a0123\u00a045\u00a067", []found{{KindPhone, "+7\u00a0701\u00a0123\u00a045\u00a067"}}},
		{"tel +7 701 123 - 45 67", nil},
		{"uzcard 8600 1234 5678 9012, humo 9860123456789015", []found{{KindPAN, "8600 1234 5678 9012"}, {KindPAN, "9860123456789015"}}},
		{"not a card 8600 1234 5678 9013 or 86001234 56789012", nil},
		// 8601103001250008 passes Luhn, but an IIN and a year are no card
		{"iin 860110300125 0008", []found{{KindIIN, "860110300125"}}},
		{"iin then card 860110300125 - 4111 1111 1111 1111", []found{{KindIIN, "860110300125"}, {KindPAN, "4111 1111 1111 1111"}}},
		{"mixed alice@example.kz 4111111111111111 +77011234567 860110300125 KZ86125KZT5004100100",
			[]found{{KindEmail, "alice@example.kz"}, {KindPAN, "4111111111111111"}, {KindPhone, "+77011234567"}, {KindIIN, "860110300125"}, {KindIBAN, "KZ86125KZT5004100100"}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, scanFound(tt.text))
		})
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{KindEmail: "email", KindPAN: "pan", KindPhone: "phone", KindIIN: "iin", KindBIN: "bin", KindIBAN: "iban", 0: "unknown", 99: "unknown"} {
		assert.Equal(t, want, k.String())
	}
	assert.Equal(t, tags.Payment, KindPAN.category())
	assert.Equal(t, tags.Category(""), Kind(0).category())
}

// A very long run of digit groups is examined in slices; a card number at
// any place in it is still found.
func TestScanLongRun(t *testing.T) {
	for _, pos := range []int{0, 20, 31, 32, 33, 63, 64, 100} {
		parts := make([]string, 0, 130)
		for range 128 {
			parts = append(parts, "1")
		}
		parts[pos] = "4111111111111111"
		text := strings.Join(parts, " ")
		got := scanFound(text)
		require.Contains(t, got, found{KindPAN, "4111111111111111"}, "pos %d", pos)
	}
}

// checkMatches asserts the invariants every Scan result must hold.
func checkMatches(t *testing.T, text string, ms []Match) {
	t.Helper()
	prev := 0
	for _, m := range ms {
		if m.Start < prev || m.End <= m.Start || m.End > len(text) {
			t.Fatalf("bad match %+v after %d in %q", m, prev, text)
		}
		s := text[m.Start:m.End]
		if encoded(s) {
			dec, _ := decodeForms(nil, nil, s)
			s = strings.TrimSpace(string(dec))
		}
		var ok bool
		switch m.Kind {
		case KindEmail:
			ok = strings.Count(s, "@") == 1
		case KindPAN:
			ok = validPAN(s) || validPANUnion(s)
		case KindPhone:
			ok = validKZPhone(s)
		case KindIIN, KindBIN:
			d, _, _ := digitsOf(nil, s, iinGap)
			ok = m.Kind == KindIIN && validIIN(string(d)) || m.Kind == KindBIN && validBIN(string(d))
		case KindIBAN:
			ok = validKZIBAN(s)
		case KindName, KindAddress:
			ok = hasLetter(s) && !strings.ContainsAny(s, "\"<>[\\]\n")
		}
		if !ok {
			t.Fatalf("match %v %q does not validate", m.Kind, s)
		}
		prev = m.End
	}
}

// validPANUnion reports whether s, split into digit groups, begins or ends
// with a card number: a match that covers numbers overlapping one.
func validPANUnion(s string) bool {
	gs := strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	for i := range gs {
		if validPAN(strings.Join(gs[:i+1], " ")) || validPAN(strings.Join(gs[i:], " ")) {
			return true
		}
	}
	return false
}

// A number just before a card number can make a shorter Luhn-valid number
// with its first groups; the match then covers both, and Redact shows no
// more than the last four digits, whichever the card was.
func TestScanOverlappingPANs(t *testing.T) {
	shown := func(r string) string { // the digits Redact left visible
		return strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return c
			}
			return -1
		}, r)
	}
	for _, pan := range []string{"4111 1111 1111 1111", "5500 0000 0000 0004", "4000 0566 5566 5556"} {
		for p := range 1000 {
			text := fmt.Sprint(p) + " " + pan
			ms := Scan(text)
			require.NotEmpty(t, ms, text)
			checkMatches(t, text, ms)
			red := Text(text)
			if len(ms) == 1 && ms[0].Start == 0 {
				assert.LessOrEqual(t, len(shown(red)), 6+4, "%q → %q", text, red)
			} else {
				assert.Equal(t, fmt.Sprint(p)+" "+maskPAN(pan), red)
			}
		}
	}
	assert.Equal(t, []found{{KindPAN, "6 4111 1111 1111 1111"}}, scanFound("6 4111 1111 1111 1111"))
	assert.Equal(t, "* **** **** **** 1111", Text("6 4111 1111 1111 1111"))
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"mixed alice@example.kz 4111111111111111 +77011234567 860110300125 KZ86125KZT5004100100",
		"+7 (701) 123-45-67", "a@b.kz@c.kz", "4111 1111 1111 1111 1111", "KZ86 125K ZT50 0410 0100", "1 1 1 1 1 1",
		"4111  1111 - 1111 1111", "card\u00a04111\u00a01111\u00a01111\u00a01111\u00a0", "+7\u202f701\u202f123\u202f45\u202f67",
		"8600 1234 5678 9012 9860123456789015", "Р\xc2\xa0\xe2\x80\xaf1\xc2", "860110300125 0008",
		"q=a%40b.kz&t=%2B77011234567", "7+701+123+45+67", "%%2%zz%4", "%2540", "id_860110300125.pdf",
		"8601 1030 0125", "ә@мысал.қаз", "x@xn--80ao21a", "8.701.123.45.67", "\xd0@\xd0\xb0.\xd0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ms := Scan(text)
		checkMatches(t, text, ms)
		// Cutting at a delimiter never changes what is found.
		if i := delimCut([]byte(text), 0); i > 0 {
			left, right := Scan(text[:i]), Scan(text[i:])
			for _, m := range right {
				left = append(left, Match{m.Kind, m.Start + i, m.End + i})
			}
			if fmt.Sprint(left) != fmt.Sprint(ms) {
				t.Fatalf("cut at %d changes matches of %q: %v vs %v", i, text, left, ms)
			}
		}
		out := Text(text)
		if len(ms) == 0 && out != text {
			t.Fatalf("redacted without a match: %q", text)
		}
		// The streaming redactor agrees with Redact however the text is split.
		var sb strings.Builder
		rw := NewWriter(&sb)
		a, b := len(text)/3, 2*len(text)/3
		for _, part := range []string{text[:a], text[a:b], text[b:]} {
			if _, err := rw.Write([]byte(part)); err != nil {
				t.Fatal(err)
			}
		}
		if err := rw.Close(); err != nil {
			t.Fatal(err)
		}
		if sb.String() != out {
			t.Fatalf("stream %q != Redact %q", sb.String(), out)
		}
	})
}

// falsePositiveRate returns the share of random digit strings of length n,
// standing alone, in which Scan finds anything.
func falsePositiveRate(rng *rand.Rand, n, trials int) float64 {
	buf := make([]byte, n)
	hits := 0
	for range trials {
		for i := range buf {
			buf[i] = byte('0' + rng.IntN(10))
		}
		if len(Scan(string(buf))) > 0 {
			hits++
		}
	}
	return float64(hits) / float64(trials)
}

// TestFalsePositiveRate measures how often a random digit string of each
// length from 6 to 24 is reported. Lengths 11 to 19 are the ones a match
// can have; without checksums every 13–19-digit string would be a "PAN".
// At 16 digits first digits 8 and 9 count too (UzCard, Humo).
func TestFalsePositiveRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const trials = 20000
	total := 0.0
	for n := 6; n <= 24; n++ {
		r := falsePositiveRate(rng, n, trials)
		total += r
		t.Logf("random %2d-digit strings: %.4f%% reported", n, 100*r)
		switch {
		case n < 11 || n > 19:
			assert.Zero(t, r, "length %d can never match", n)
		case n == 11:
			// phone: 8/7 then 6/7 has probability 2/10 * 2/10; no checksum exists
			assert.InDelta(t, 0.04, r, 0.01, "length 11")
		case n == 12:
			assert.Less(t, r, 0.01, "length 12 (IIN/BIN checksum and date)")
		case n == 16:
			// Luhn (1/10) and a first digit of 2-6, 8 or 9 (7/10)
			assert.InDelta(t, 0.07, r, 0.01, "length 16")
		default:
			// Luhn (1/10) and a first digit of 2-6 (5/10)
			assert.InDelta(t, 0.05, r, 0.01, "length %d", n)
		}
	}
	t.Logf("mean over lengths 6-24: %.4f%%", 100*total/19)

	// The regexp-only baseline, without checksums, reports them all.
	hits := 0
	buf := make([]byte, 16)
	for range trials {
		for i := range buf {
			buf[i] = byte('0' + rng.IntN(10))
		}
		if baselineRE.MatchString(string(buf)) {
			hits++
		}
	}
	t.Logf("regexp baseline, random 16-digit strings: %.4f%% reported", 100*float64(hits)/trials)
	assert.Equal(t, trials, hits)
}

// FuzzDecodeForms checks the decoder of percent and form encoding: offsets
// strictly increase and end at the input's end, and what it decodes is
// never longer than the input.
func FuzzDecodeForms(f *testing.F) {
	for _, s := range []string{"", "%", "%4", "%40", "%zz", "a%2Bb", "1+2", "+1+", "%%%", "%E2%80%AF", "\xff%ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dec, ends := decodeForms(nil, nil, s)
		if len(dec) != len(ends) || len(dec) > len(s) {
			t.Fatalf("%q: %d bytes, %d offsets", s, len(dec), len(ends))
		}
		prev := int32(0)
		for _, e := range ends {
			if e <= prev && !(e == prev && prev == 0) || int(e) > len(s) {
				t.Fatalf("%q: offsets %v", s, ends)
			}
			prev = e
		}
		if len(s) > 0 && int(ends[len(ends)-1]) != len(s) {
			t.Fatalf("%q: last offset %d", s, ends[len(ends)-1])
		}
	})
}

// skipQuiet stops at the first trigger byte, as the byte loop it replaces
// does, on random text dense in bytes next to the triggers.
func TestSkipQuiet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("*+,/09:?@AJKLjklz \x00\x01\x80\xc0\xcb\xeb\xff")
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(b)
		for i := 0; i <= len(s); i++ {
			want := i
			for want < len(s) && class[s[want]]&clTrigger == 0 {
				want++
			}
			if got := skipQuiet(s, i); got != want {
				t.Fatalf("skipQuiet(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}

// A log line's time holds no match, and what follows or precedes it is
// found as anywhere else.
func TestScanAfterTime(t *testing.T) {
	for text, want := range map[string][]Kind{
		"2026-12-07T10:15:02Z 87011234567":           {KindPhone},
		"2026-12-07T10:15:02Z alice@example.kz":      {KindEmail},
		"2026-12-07T10:15:02 8 701 123 45 67":        {KindPhone},
		"2026-12-07T10:15:860110300125":              {KindIIN},
		"IIN 860110300125 2026-12-07T10:15:02.123Z":  {KindIIN},
		"2026-12-07T10:15:02+05:00 4111111111111111": {KindPAN},
		"2026-12-07T10:15:02Z INFO":                  nil,
		"2026-12-07T10:15:02.123+05:00":              nil,
	} {
		var got []Kind
		for _, m := range Scan(text) {
			got = append(got, m.Kind)
		}
		assert.Equal(t, want, got, text)
	}
}
