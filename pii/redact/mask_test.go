package redact

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestMask(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"email", maskEmail, "alice@example.kz", "a***@example.kz"},
		{"email/dots", maskEmail, "ivan.petrov+shop@mail.example.com", "i***@mail.example.com"},
		{"email/short local", maskEmail, "ab@example.kz", "***@example.kz"},
		{"email/one char", maskEmail, "a@example.kz", "***@example.kz"},
		{"email/cyrillic local", maskEmail, "иван@example.kz", "и***@example.kz"},
		{"email/no at", maskEmail, "alice.example.kz", masked},
		{"email/no local", maskEmail, "@example.kz", masked},
		{"email/bad domain", maskEmail, "alice@localhost", masked},
		{"email/empty domain", maskEmail, "alice@", masked},
		{"email/two ats", maskEmail, "a@b@example.kz", "a***@example.kz"},
		{"email/empty", maskEmail, "", ""},
		{"email/invalid utf8", maskEmail, "\xff\xfeabc@example.kz", "***@example.kz"},
		{"email/text in domain", maskEmail, "x@Aigerim Seitkali 860110300125.kz", masked},
		{"email/non-ascii domain", maskEmail, "xy@пример.kz", "***@пример.kz"},
		{"email/idn", maskEmail, "әлия@мысал.қаз", "ә***@мысал.қаз"},
		{"email/punycode", maskEmail, "info@xn--80ak6aa92e.xn--80ao21a", "i***@xn--80ak6aa92e.xn--80ao21a"},
		{"email/bad punycode tld", maskEmail, "info@example.xn--", masked},
		{"email/control in domain", maskEmail, "x@exam\nple.kz", masked},

		{"pan/16", maskPAN, "4111111111111111", "411111******1111"},
		{"pan/spaced", maskPAN, "4111 1111 1111 1111", "4111 11** **** 1111"},
		{"pan/hyphens", maskPAN, "5500-0000-0000-0004", "5500-00**-****-0004"},
		{"pan/19", maskPAN, "6250941006528599123", "625094*********9123"},
		{"pan/15 amex keeps last four only", maskPAN, "378282246310005", "***********0005"},
		{"pan/13", maskPAN, "4222222222222", "*********2222"},
		{"pan/12 too short", maskPAN, "411111111111", masked},
		{"pan/20 too long", maskPAN, "41111111111111111111", masked},
		{"pan/letters", maskPAN, "4111-1111-1111-111x", masked},
		{"pan/empty", maskPAN, "", ""},
		{"pan/double spaces", maskPAN, "4111  1111  1111  1111", "4111  11**  ****  1111"},
		{"pan/spaced hyphens", maskPAN, "4111 - 1111 - 1111 - 1111", "4111 - 11** - **** - 1111"},
		{"pan/no-break spaces", maskPAN, "4111\u00a01111\u00a01111\u00a01111", "4111\u00a011**\u00a0****\u00a01111"},
		{"pan/uzcard", maskPAN, "8600 1234 5678 9012", "8600 12** **** 9012"},
		{"pan/four spaces", maskPAN, "4111    1111 1111 1111", masked},

		{"phone/kz", maskPhone, "+7 701 123 45 67", "+7 701 *** ** 67"},
		{"phone/kz parens", maskPhone, "8 (701) 123-45-67", "8 (701) ***-**-67"},
		{"phone/kz bare", maskPhone, "87011234567", "8701*****67"},
		{"phone/other", maskPhone, "+44 20 7946 0958", "+** ** **** **58"},
		{"phone/short", maskPhone, "123456", masked},
		{"phone/garbage", maskPhone, "call me", masked},
		{"phone/empty", maskPhone, "", ""},
		{"phone/no-break spaces", maskPhone, "+7\u00a0701\u00a0123\u00a045\u00a067", "+7\u00a0701\u00a0***\u00a0**\u00a067"},

		{"iin", maskIIN, "860110300125", "**********25"},
		{"iin/short", maskIIN, "86011030012", masked},
		{"iin/letters", maskIIN, "86011030012x", masked},
		{"iin/empty", maskIIN, "", ""},

		{"iban", maskIBAN, "KZ86125KZT5004100100", "KZ86************0100"},
		{"iban/print", maskIBAN, "KZ86 125K ZT50 0410 0100", "KZ86 **** **** **** 0100"},
		{"iban/short", maskIBAN, "KZ86125KZT", masked},
		{"iban/symbols", maskIBAN, "KZ86-125K-ZT50-0410-0100", masked},
		{"iban/empty", maskIBAN, "", ""},

		{"name", maskName, "Aigerim Nurlanovna Seitkali", "A*** N*** S***"},
		{"name/cyrillic hyphen", maskName, "Анна-Мария  Иванова", "А***-М***  И***"},
		{"name/initial", maskName, "J. Smith", "J*** S***"},
		{"name/one letter", maskName, "A", "*"},
		{"name/leading space", maskName, " Bo ", " B*** "},
		{"name/digits", maskName, "R2D2", "R***"},
		{"name/not a letter", maskName, "(Ivan)", "*"},
		{"name/empty", maskName, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.fn(tt.in))
		})
	}
}

// A mask never reveals a longer stretch of the input than the partial masks
// above allow, whatever the input: no panic, valid UTF-8 out for valid in.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"alice@example.kz", "4111 1111 1111 1111", "+7 701 123 45 67", "860110300125", "KZ86125KZT5004100100", "Анна-Мария", "\xff@\xff.kz",
		"4111 - 1111 - 1111 - 1111", "4111\u00a01111\u202f1111  1111", "8600 1234 5678 9012", "+7\u00a0701\u00a0123\u00a045\u00a067"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The most characters of each kind a mask may leave in clear.
		for _, lim := range []struct {
			fn    func(string) string
			count func(byte) bool
			max   int
		}{
			{maskPAN, isDigit, 10}, {maskPhone, isDigit, 6}, {maskIIN, isDigit, 2}, {maskIBAN, isAlnum, 8},
		} {
			out, n := lim.fn(s), 0
			for i := 0; i < len(out); i++ {
				if lim.count(out[i]) {
					n++
				}
			}
			if n > lim.max {
				t.Fatalf("%q masked to %q shows %d characters", s, out, n)
			}
		}
		if out := maskEmail(s); out != "" && out != masked {
			local := out[:strings.LastIndexByte(out, '@')]
			if utf8.RuneCountInString(local) > 4 || !strings.HasSuffix(local, "***") {
				t.Fatalf("%q masked to %q shows its local part", s, out)
			}
		}
		for _, fn := range []func(string) string{maskEmail, maskPAN, maskPhone, maskIIN, maskIBAN, maskName} {
			out := fn(s)
			if utf8.ValidString(s) && !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
			}
			if out == s && strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				t.Fatalf("input returned unmasked: %q", s)
			}
		}
	})
}

// The mask of an IIN leaves many candidates to one who knows the holder's
// birth date and sex (the first seven digits): with the last four digits
// shown, the check digit would single out the number.
func TestMaskIINHidesEnough(t *testing.T) {
	for _, iin := range []string{"860110300125", "901123300258", "061211600012"} {
		m := maskIIN(iin)
		candidates := 0
		for n := range 1000 {
			c := iin[:7] + fmt.Sprintf("%03d", n) + iin[10:]
			if validIIN(c) && maskIIN(c) == m {
				candidates++
			}
		}
		assert.GreaterOrEqual(t, candidates, 50, iin)
	}
}
