package redact

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// IINs: 061211600012 is the example of github.com/ZhymabekRoman/kz-iin-validator,
// 901123300258 that of the idnumbers test suite (901123300255 its invalid
// twin); the others were built with the Decree No. 565 algorithm, one of them
// (860110300707) needing the second weighting pass. Prefix 86011030077
// gives 10 in both passes, so no number starting with it is ever issued.
func TestValidIIN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"061211600012", true},
		{"901123300258", true},
		{"901123300255", false},
		{"860110300125", true},
		{"900501400008", true},
		{"870301400002", true},
		{"860110300707", true}, // second pass
		{"000215501119", true}, // 15 Feb 2000
		{"061211600013", false},
		{"860110300126", false},
		{"860110300770", false}, // never issued: both passes give 10
		{"860110300771", false},
		{"861310300125", false}, // month 13
		{"860132300125", false}, // day 32
		{"860110700125", false}, // century digit 7
		{"86011030012", false},
		{"8601103001250", false},
		{"86011030012a", false},
		{" 860110300125", false},
		{"８６０１１０３００１２５", false}, // full-width digits
		{"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, validIIN(tt.in), tt.in)
	}
}

func TestValidIINLeapDay(t *testing.T) {
	// 29 February: leap 2000 and 1996 yes, 1900 and 2001 no; unknown
	// century (0) accepted.
	for _, tt := range []struct {
		prefix string
		want   bool
	}{
		{"0002295", true}, {"9602293", true}, {"0002293", false}, {"0102295", false}, {"0102290", true},
	} {
		d := withCheckDigit(t, tt.prefix+"0001")
		assert.Equal(t, tt.want, validIIN(d), d)
	}
}

// withCheckDigit completes 11 digits with their IIN check digit, trying the
// next serial numbers if the prefix is never issued.
func withCheckDigit(t *testing.T, p string) string {
	t.Helper()
	for range 10 {
		if c := iinCheckDigit(p + "0"); c >= 0 {
			return p + string(rune('0'+c))
		}
		b := []byte(p)
		b[10]++
		p = string(b)
	}
	t.Fatalf("no check digit for %s", p)
	return ""
}

// BINs of legal persons are public (the state register, bank details on
// every invoice): Kaspi Bank, Halyk Bank and KazMunayGas, as published, and
// the examples of the idnumbers and kaz-person-id test suites.
func TestValidBIN(t *testing.T) {
	for _, s := range []string{"971240001315", "940140000385", "020240000555", "990940003030", "950341000052", "050340000019", "121041001238"} {
		assert.True(t, validBIN(s), s)
		assert.False(t, validIIN(s), s)
	}
	assert.False(t, validBIN("990940003031"), "idnumbers' invalid example")
	assert.False(t, validBIN("050340000018"), "check digit")
	assert.False(t, validBIN("051340000019"), "month 13")
	assert.False(t, validBIN(withCheckDigit(t, "05033000001")), "type 3")
	assert.False(t, validBIN(withCheckDigit(t, "05034400001")), "division 4")
	assert.False(t, validBIN("061211600012"), "an IIN")
	assert.False(t, validBIN("05034000001"))
}

// Card numbers: the networks' published test PANs.
func TestValidPAN(t *testing.T) {
	valid := []string{
		"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111",
		"5500000000000004", "2223003122003222", "378282246310005", "3782 822463 10005",
		"6011111111111117", "6200000000000005", "4222222222222", "4000056655665556",
		"6759649826438453", "6250941006528599",
		// wider separators
		"4111  1111 1111 1111", "4111 - 1111 - 1111 - 1111", "4111 -1111- 1111-  1111",
		"4111\u00a01111\u00a01111\u00a01111", "4111\u202f1111\u202f1111\u202f1111", "4111\u00a0-\u00a01111 1111 1111",
		// UzCard and Humo: 16 digits, one run or four groups of four
		"8600123456789012", "8600 1234 5678 9012", "9860123456789015", "9860-1234-5678-9015",
	}
	for _, s := range valid {
		assert.True(t, validPAN(s), s)
	}
	invalid := []string{
		"4111111111111112", "411111111111", "41111111111111111111", "1111111111111117",
		"7111111111111117", " 4111111111111111", "4111111111111111-",
		"4111.1111.1111.1111", "4111 1111 1111 111a", "", "0000000000000000",
		"4111    1111 1111 1111", "4111 -- 1111 1111 1111", "4111 (1111) 1111 1111", "4111\u00a0\u00a0\u00a0\u00a01111 1111 1111",
		"4111\xc2 1111 1111 1111", "4111\u2009" + "1111 1111 1111", // a thin space is no separator
		"8600123456789013", "860012345678 9012", "8600 12345678 9012", withLuhn("86001234567890"), withLuhn("860012345678901234"),
	}
	for _, s := range invalid {
		assert.False(t, validPAN(s), s)
	}
}

// IBANs: KZ86125KZT5004100100 is the example of the SWIFT IBAN registry,
// KZ244350000012344567 and KZ563190000012344567 those of published IBAN
// format tables and validator test suites.
func TestValidKZIBAN(t *testing.T) {
	valid := []string{"KZ86125KZT5004100100", "KZ86 125K ZT50 0410 0100", "kz86125kzt5004100100", "KZ75125KZT1001300335",
		"KZ244350000012344567", "KZ563190000012344567"}
	for _, s := range valid {
		assert.True(t, validKZIBAN(s), s)
	}
	invalid := []string{
		"KZ87125KZT5004100100", "KZ86125KZT5004100101", "KZ86125KZT500410010", "KZ86125KZT50041001000",
		"KZ86 125KZT5004100100", "KZ86125KZT5004100100 ", "KZ86  125K ZT50 0410 0100", "GB82WEST12345698765432",
		"KZ8612XKZT5004100100", "KZ86125KZT50041001-0", "", "KZ",
	}
	for _, s := range invalid {
		assert.False(t, validKZIBAN(s), s)
	}
}

func TestValidKZPhone(t *testing.T) {
	valid := []string{
		"+77011234567", "+7 701 123 45 67", "+7 (701) 123-45-67", "8 (701) 123-45-67",
		"87011234567", "77011234567", "8 727 123 45 67", "+7-727-1234567", "8(7172)123456",
		"+7 600 123 45 67",
		"+7\u00a0701\u00a0123\u00a045\u00a067", "8\u202f(701)\u202f123-45-67",
		"+7.701.123.45.67", "8/701/123-45-67", "8 (701) 123.45.67",
	}
	for _, s := range valid {
		assert.True(t, validKZPhone(s), s)
	}
	invalid := []string{
		"+79161234567",  // Russia
		"89161234567",   // Russia
		"+87011234567",  // + with trunk prefix
		"7011234567",    // no prefix
		"+770112345678", // 12 digits
		"+7 701 123 45 6",
		"+7   701 123 45 67", // three separators
		"+7 701 123 - 45 67",
		"+7\u00a0\u00a0\u00a0701 123 45 67",
		"+7 701 123 45 67 ",
		"(+7) 701 123 45 67",
		"+7..701.123.45.67.", "8.701.123.4567.",
		"", "+",
	}
	for _, s := range invalid {
		assert.False(t, validKZPhone(s), s)
	}
}

// withLuhn completes digits with their Luhn check digit.
func withLuhn(digits string) string {
	for c := '0'; c <= '9'; c++ {
		if luhnValid(digits + string(c)) {
			return digits + string(c)
		}
	}
	panic("unreachable")
}

// iinCheckDigit agrees with the decree's algorithm written out plainly, on
// random numbers, those needing the second weighting included.
func TestIINCheckDigitReference(t *testing.T) {
	sum := func(d string, weight func(i int) int) int {
		s := 0
		for i := range 11 {
			s += int(d[i]-'0') * weight(i)
		}
		return s % 11
	}
	first := func(i int) int { return i + 1 }         // 1..11
	second := func(i int) int { return (i+2)%11 + 1 } // 3..11, 1, 2
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 12)
	secondUsed := 0
	for range 200000 {
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		d := string(b)
		want := sum(d, first)
		if want == 10 {
			secondUsed++
			if want = sum(d, second); want == 10 {
				want = -1
			}
		}
		require.Equal(t, want, iinCheckDigit(d), d)
	}
	assert.Greater(t, secondUsed, 1000)
}
