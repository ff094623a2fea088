package redact

import "strings"

// IIN and BIN: Kazakhstan's 12-digit individual and business identification
// numbers (Government Decree No. 565 of 11 June 2003 on the national
// registers of identification numbers). Both end in the same check digit:
// the weighted sum of the first eleven digits with weights 1..11, mod 11; if
// that is 10, the sum again with weights 3..11,1,2, mod 11; if that is 10 too
// the number is never issued.
// Valid reports whether s is a well-formed identifier of kind k, by the
// checksum or plan that Scan uses:
//
//	KindIIN, KindBIN  Decree No. 565 check digit (weights 1–11, then 3–11,1,2,
//	                  mod 11), plus date and type plausibility; 12 digits
//	KindPAN   13–19 digits, first digit 2–6 (or 8–9 at 16 digits, UzCard and
//	          Humo), Luhn; in one run or in groups separated by one to three
//	          spaces or hyphens
//	KindIBAN  a Kazakh IBAN (ISO 13616 mod-97), electronic or print form
//	KindPhone a Kazakh number: +7, 8 or 7, then a number starting 6 or 7
//
// Other kinds (e-mail, names, addresses) have no checksum: Valid reports
// false.
func Valid(k Kind, s string) bool {
	switch k {
	case KindIIN:
		return validIIN(s)
	case KindBIN:
		return validBIN(s)
	case KindPAN:
		return validPAN(s)
	case KindIBAN:
		return validKZIBAN(s)
	case KindPhone:
		return validKZPhone(s)
	}
	return false
}

var (
	iinWeights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	iinWeights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

// iinCheckDigit returns the check digit of the 12-digit number d, or -1 if
// no number with these first eleven digits is ever issued.
func iinCheckDigit(d string) int {
	s1, s2 := 0, 0
	for i := range 11 {
		v := int(d[i] - '0')
		s1 += v * iinWeights1[i]
		s2 += v * iinWeights2[i]
	}
	if c := s1 % 11; c != 10 {
		return c
	}
	if c := s2 % 11; c != 10 {
		return c
	}
	return -1
}

// allDigits reports whether s is non-empty and made of ASCII digits only.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func twoDigits(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// validIIN reports whether s is a well-formed individual identification
// number: exactly 12 ASCII digits, YYMMDD a real date, the seventh digit
// 1–6 (century and sex: 1/2 born 1800–1899, 3/4 1900–1999, 5/6 2000–2099)
// or 0 (century not encoded), and a correct check digit. It does not say
// whether the number was ever issued.
func validIIN(s string) bool {
	if len(s) != 12 || !allDigits(s) {
		return false
	}
	year := -1 // unknown century: accept 29 February
	switch s[6] {
	case '1', '2':
		year = 1800 + twoDigits(s[0:2])
	case '3', '4':
		year = 1900 + twoDigits(s[0:2])
	case '5', '6':
		year = 2000 + twoDigits(s[0:2])
	case '0':
	default:
		return false
	}
	month, day := twoDigits(s[2:4]), twoDigits(s[4:6])
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return false
	}
	return iinCheckDigit(s) == int(s[11]-'0')
}

// daysIn returns the number of days of month in year; year -1 means
// unknown, for which February has 29.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year < 0 || (year%4 == 0 && (year%100 != 0 || year%400 == 0)) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// validBIN reports whether s is a well-formed business identification
// number: 12 ASCII digits, YYMM the month of registration, the fifth digit
// the legal person's type (4 resident, 5 non-resident, 6 joint individual
// entrepreneurship), the sixth its division (0 head office, 1 branch,
// 2 representative office, 3 peasant farm), and a correct check digit.
func validBIN(s string) bool {
	if len(s) != 12 || !allDigits(s) {
		return false
	}
	if m := twoDigits(s[2:4]); m < 1 || m > 12 {
		return false
	}
	if s[4] < '4' || s[4] > '6' || s[5] > '3' {
		return false
	}
	return iinCheckDigit(s) == int(s[11]-'0')
}

// luhnValid reports whether the digit string d passes the Luhn check
// (ISO/IEC 7812-1 annex B).
func luhnValid(d string) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// PAN lengths per ISO/IEC 7812-1.
const (
	minPANDigits = 13
	maxPANDigits = 19
)

// validPAN reports whether s is a plausible payment card number: 13 to 19
// digits, optionally grouped, and a correct Luhn check digit. The major
// industry identifier (first digit) is 2 to 6, as used by the international
// card networks, or 8 or 9 for a 16-digit number written as one run or as
// four groups of four, as the Uzbek UzCard (8600) and Humo (9860) cards
// are. Groups are separated by one to three characters, spaces (U+0020,
// the no-break U+00A0 and narrow no-break U+202F) and at most one hyphen:
// "4111 1111 1111 1111", "4111-1111-1111-1111", "4111  1111 1111 1111",
// "4111 - 1111 - 1111 - 1111".
func validPAN(s string) bool {
	var buf [64]byte
	d, grouped, ok := digitsOf(buf[:0], s, panGap)
	if !ok || len(d) < minPANDigits || len(d) > maxPANDigits {
		return false
	}
	return panPlausible(string(d), grouped)
}

// panPlausible checks a bare digit string already of PAN length; grouped
// reports whether it was written as one run or four groups of four. First
// digits 8 and 9 are accepted only with both, so that an IIN or phone
// number and the number next to it are not taken for a card (each 16-digit
// combination passes the Luhn check one time in ten).
func panPlausible(d string, grouped bool) bool {
	switch {
	case d[0] >= '2' && d[0] <= '6':
	case (d[0] == '8' || d[0] == '9') && len(d) == 16 && grouped:
	default:
		return false
	}
	return luhnValid(d)
}

// digitsOf appends the ASCII digits of s to dst. s must start and end with
// a digit and gapOK must accept the text between each two digit groups;
// anything else, or more than 64 bytes, makes ok false. grouped reports
// whether s is one group or four groups of four digits, as cards are
// printed.
func digitsOf(dst []byte, s string, gapOK func(string) bool) (d []byte, grouped, ok bool) {
	if s == "" || len(s) > 64 || !isDigit(s[0]) || !isDigit(s[len(s)-1]) {
		return dst, false, false
	}
	groups, fours := 0, 0
	for i := 0; ; {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		dst = append(dst, s[i:j]...)
		groups++
		if j-i == 4 {
			fours++
		}
		if j == len(s) {
			return dst, groups == 1 || (groups == 4 && fours == 4), true
		}
		k := j
		for !isDigit(s[k]) { // s ends with a digit
			k++
		}
		if !gapOK(s[j:k]) {
			return dst, false, false
		}
		i = k
	}
}

// Separators between digit groups: spaces and hyphens in a card number;
// spaces, hyphens and parentheses in a phone number ("8 (701) 123-45-67").
// Either may use no-break spaces (see spaceLen) as spaces.
const (
	panSeps   = " -"
	phoneSeps = " -()./"
	maxPANGap = 3 // " - ", "  "
)

// panGap accepts the separators between two groups of a card number: one
// to maxPANGap spaces and hyphens, at most one of them a hyphen.
func panGap(gap string) bool {
	n, hyphens, ok := gapChars(gap, panSeps)
	return ok && n <= maxPANGap && hyphens <= 1
}

// phoneGap accepts the separators between two groups of a phone number: at
// most maxSepRun spaces, hyphens, parentheses, dots and slashes.
func phoneGap(gap string) bool {
	n, _, ok := gapChars(gap, phoneSeps)
	return ok && n <= maxSepRun
}

// gapChars counts the characters of gap, which must all be ASCII bytes from
// seps or no-break spaces, and the hyphens among them.
func gapChars(gap, seps string) (n, hyphens int, ok bool) {
	for i := 0; i < len(gap); n++ {
		c := gap[i]
		// ' ' and '-' are in every set; the rest are looked up.
		if c == ' ' || c == '-' || c < 0x80 && strings.IndexByte(seps, c) >= 0 {
			if c == '-' {
				hyphens++
			}
			i++
			continue
		}
		w := spaceLen(gap, i)
		if w == 0 {
			return n, hyphens, false
		}
		i += w
	}
	return n, hyphens, true
}

// iinGap accepts the separator between two groups of a grouped IIN: one
// space, hyphen or no-break space.
func iinGap(gap string) bool {
	n, _, ok := gapChars(gap, " -")
	return ok && n == 1
}

// spaceLen returns the length in bytes of the no-break space U+00A0 or the
// narrow no-break space U+202F at s[i:], or 0. Word processors and locale
// formatting (French, Russian, Kazakh digit grouping) put them between
// digit groups, where they count as spaces.
func spaceLen(s string, i int) int {
	switch {
	case i+1 < len(s) && s[i] == 0xC2 && s[i+1] == 0xA0:
		return 2
	case i+2 < len(s) && s[i] == 0xE2 && s[i+1] == 0x80 && s[i+2] == 0xAF:
		return 3
	}
	return 0
}

// KZ IBAN: "KZ", two check digits, a 3-digit bank code and a 13-character
// alphanumeric account number (ISO 13616, SWIFT IBAN registry).
const kzIBANLen = 20

// validKZIBAN reports whether s is a Kazakh IBAN with a correct ISO 13616
// mod-97 check, in electronic form ("KZ86125KZT5004100100") or print form
// (groups of four separated by single spaces). Letters may be in either case.
func validKZIBAN(s string) bool {
	b, end, ok := kzIBANAt(s, 0, len(s))
	return ok && end == len(s) && kzIBANValid(b[:])
}

// kzIBANAt reads the 20 characters of an IBAN from s[i:limit], in
// electronic form or with a single space between each group of four, and
// upper-cases them. It returns the index after the last character read.
func kzIBANAt(s string, i, limit int) (b [kzIBANLen]byte, end int, ok bool) {
	n, spaces := 0, 0
	for n < kzIBANLen && i < limit {
		c := s[i]
		if c == ' ' && n%4 == 0 && n > 0 && n/4 == spaces+1 && (n == 4 || spaces > 0) {
			spaces++
			i++
			continue
		}
		if !isAlnum(c) {
			break
		}
		b[n] = upper(c)
		n++
		i++
	}
	return b, i, n == kzIBANLen && (spaces == 0 || spaces == kzIBANLen/4-1)
}

// kzIBANValid checks 20 upper-cased alphanumeric bytes.
func kzIBANValid(b []byte) bool {
	if b[0] != 'K' || b[1] != 'Z' || !allDigits(string(b[2:7])) {
		return false
	}
	return ibanMod97(b) == 1
}

// ibanMod97 computes the ISO 7064 MOD 97-10 remainder of an IBAN with its
// first four characters moved to the end and letters replaced by 10..35.
func ibanMod97(b []byte) int {
	r := 0
	add := func(c byte) {
		if c >= 'A' {
			v := int(c-'A') + 10
			r = (r*100 + v) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	for _, c := range b[4:] {
		add(c)
	}
	for _, c := range b[:4] {
		add(c)
	}
	return r
}

func isAlnum(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// Kazakhstan numbers share country code 7 with Russia; the national
// significant numbers of Kazakhstan begin with 6 or 7 (ITU-T E.164
// assignment, Kazakh numbering plan), Russia's with 3, 4, 8 or 9.

// validKZPhone reports whether s is a Kazakh telephone number written as
// +7 followed by ten digits, or 8 or 7 followed by ten digits, the first of
// which is 6 or 7. Up to two spaces (no-break spaces included), hyphens or
// parentheses may separate digit groups, so the three-digit code may stand
// in parentheses: "+7 (701) 123-45-67", "87011234567", "8 727 123 45 67".
func validKZPhone(s string) bool {
	plus := strings.HasPrefix(s, "+")
	if plus {
		s = s[1:]
	}
	var buf [64]byte
	d, _, ok := digitsOf(buf[:0], s, phoneGap)
	return ok && kzPhoneDigits(string(d), plus)
}

// kzPhoneDigits checks the bare digits of a phone number.
func kzPhoneDigits(d string, plus bool) bool {
	if len(d) != 11 || (d[1] != '6' && d[1] != '7') {
		return false
	}
	if plus {
		return d[0] == '7'
	}
	return d[0] == '7' || d[0] == '8'
}
