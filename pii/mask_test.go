package pii

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
		{"email", MaskEmail, "alice@example.kz", "a***@example.kz"},
		{"email/dots", MaskEmail, "ivan.petrov+shop@mail.example.com", "i***@mail.example.com"},
		{"email/short local", MaskEmail, "ab@example.kz", "***@example.kz"},
		{"email/one char", MaskEmail, "a@example.kz", "***@example.kz"},
		{"email/cyrillic local", MaskEmail, "иван@example.kz", "и***@example.kz"},
		{"email/no at", MaskEmail, "alice.example.kz", masked},
		{"email/no local", MaskEmail, "@example.kz", masked},
		{"email/bad domain", MaskEmail, "alice@localhost", masked},
		{"email/empty domain", MaskEmail, "alice@", masked},
		{"email/two ats", MaskEmail, "a@b@example.kz", "a***@example.kz"},
		{"email/empty", MaskEmail, "", ""},
		{"email/invalid utf8", MaskEmail, "\xff\xfeabc@example.kz", "***@example.kz"},
		{"email/text in domain", MaskEmail, "x@Aigerim Seitkali 860110300125.kz", masked},
		{"email/non-ascii domain", MaskEmail, "x@пример.kz", masked},
		{"email/control in domain", MaskEmail, "x@exam\nple.kz", masked},

		{"pan/16", MaskPAN, "4111111111111111", "411111******1111"},
		{"pan/spaced", MaskPAN, "4111 1111 1111 1111", "4111 11** **** 1111"},
		{"pan/hyphens", MaskPAN, "5500-0000-0000-0004", "5500-00**-****-0004"},
		{"pan/19", MaskPAN, "6250941006528599123", "625094*********9123"},
		{"pan/15 amex keeps last four only", MaskPAN, "378282246310005", "***********0005"},
		{"pan/13", MaskPAN, "4222222222222", "*********2222"},
		{"pan/12 too short", MaskPAN, "411111111111", masked},
		{"pan/20 too long", MaskPAN, "41111111111111111111", masked},
		{"pan/letters", MaskPAN, "4111-1111-1111-111x", masked},
		{"pan/empty", MaskPAN, "", ""},
		{"pan/double spaces", MaskPAN, "4111  1111  1111  1111", "4111  11**  ****  1111"},
		{"pan/spaced hyphens", MaskPAN, "4111 - 1111 - 1111 - 1111", "4111 - 11** - **** - 1111"},
		{"pan/no-break spaces", MaskPAN, "4111\u00a01111\u00a01111\u00a01111", "4111\u00a011**\u00a0****\u00a01111"},
		{"pan/uzcard", MaskPAN, "8600 1234 5678 9012", "8600 12** **** 9012"},
		{"pan/four spaces", MaskPAN, "4111    1111 1111 1111", masked},

		{"phone/kz", MaskPhone, "+7 701 123 45 67", "+7 701 *** ** 67"},
		{"phone/kz parens", MaskPhone, "8 (701) 123-45-67", "8 (701) ***-**-67"},
		{"phone/kz bare", MaskPhone, "87011234567", "8701*****67"},
		{"phone/other", MaskPhone, "+44 20 7946 0958", "+** ** **** **58"},
		{"phone/short", MaskPhone, "123456", masked},
		{"phone/garbage", MaskPhone, "call me", masked},
		{"phone/empty", MaskPhone, "", ""},
		{"phone/no-break spaces", MaskPhone, "+7\u00a0701\u00a0123\u00a045\u00a067", "+7\u00a0701\u00a0***\u00a0**\u00a067"},

		{"iin", MaskIIN, "860110300125", "**********25"},
		{"iin/short", MaskIIN, "86011030012", masked},
		{"iin/letters", MaskIIN, "86011030012x", masked},
		{"iin/empty", MaskIIN, "", ""},

		{"iban", MaskIBAN, "KZ86125KZT5004100100", "KZ86************0100"},
		{"iban/print", MaskIBAN, "KZ86 125K ZT50 0410 0100", "KZ86 **** **** **** 0100"},
		{"iban/short", MaskIBAN, "KZ86125KZT", masked},
		{"iban/symbols", MaskIBAN, "KZ86-125K-ZT50-0410-0100", masked},
		{"iban/empty", MaskIBAN, "", ""},

		{"name", MaskName, "Aigerim Nurlanovna Seitkali", "A*** N*** S***"},
		{"name/cyrillic hyphen", MaskName, "Анна-Мария  Иванова", "А***-М***  И***"},
		{"name/initial", MaskName, "J. Smith", "J*** S***"},
		{"name/one letter", MaskName, "A", "*"},
		{"name/leading space", MaskName, " Bo ", " B*** "},
		{"name/digits", MaskName, "R2D2", "R***"},
		{"name/not a letter", MaskName, "(Ivan)", "*"},
		{"name/empty", MaskName, "", ""},
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
			{MaskPAN, isDigit, 10}, {MaskPhone, isDigit, 6}, {MaskIIN, isDigit, 2}, {MaskIBAN, isAlnum, 8},
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
		if out := MaskEmail(s); out != "" && out != masked {
			local := out[:strings.LastIndexByte(out, '@')]
			if utf8.RuneCountInString(local) > 4 || !strings.HasSuffix(local, "***") {
				t.Fatalf("%q masked to %q shows its local part", s, out)
			}
		}
		for _, fn := range []func(string) string{MaskEmail, MaskPAN, MaskPhone, MaskIIN, MaskIBAN, MaskName} {
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
		m := MaskIIN(iin)
		candidates := 0
		for n := range 1000 {
			c := iin[:7] + fmt.Sprintf("%03d", n) + iin[10:]
			if ValidIIN(c) && MaskIIN(c) == m {
				candidates++
			}
		}
		assert.GreaterOrEqual(t, candidates, 50, iin)
	}
}
