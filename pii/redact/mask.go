package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/pii/internal/freetext"
	"github.com/1cb-kz/compliance/pii/internal/tags"
)

// Mask returns s, personal data of kind k, masked so that staff can still
// tell values apart but not read them:
//
//	KindEmail    "alice@example.kz" → "a***@example.kz" (the domain kept)
//	KindPAN      at most the BIN (16+ digits only) and the last four digits
//	             (PCI DSS 3.4.1), so six or more digits stay hidden
//	KindPhone    "+7 701 ***-**-67": the operator code and last two digits
//	KindIIN/BIN  the last four digits; the date of birth and sex are hidden
//	KindIBAN     the country, the bank code and the last four characters
//	KindName     the first letter of each word: "Aigerim Nurlanovna" → "A*** N***"
//	KindAddress  the locality and street type: "г. Алматы, ул. ***"
//
// Input that is too short or malformed for its kind becomes a fixed "****"
// (so its length is not shown); the empty string stays empty. Mask never
// panics.
func Mask(k Kind, s string) string {
	if s == "" {
		return ""
	}
	switch k {
	case KindEmail:
		return maskEmail(s)
	case KindPAN:
		return maskPAN(s)
	case KindPhone:
		return maskPhone(s)
	case KindIIN, KindBIN:
		return maskIIN(s)
	case KindIBAN:
		return maskIBAN(s)
	case KindName:
		return maskName(s)
	case KindAddress:
		return freetext.Mask(freetext.Address, s)
	}
	return masked
}

// masked replaces a value that is too short, too long or too odd to mask
// partially. It has a fixed length, so it reveals nothing about the input.
const masked = "****"

// maskEmail masks the local part of an e-mail address, keeping its first
// character when it has at least three, and keeps the domain:
// "alice@example.kz" → "a***@example.kz". Anything that is not an address
// with a valid host name is masked whole. The empty string stays empty.
func maskEmail(s string) string { return maskString(s, appendMaskEmail) }

func appendMaskEmail(dst []byte, s string) []byte {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || !validDomain(strings.ToLower(s[at+1:])) {
		return append(dst, masked...)
	}
	local, domain := s[:at], s[at+1:]
	r, size := utf8.DecodeRuneInString(local)
	if utf8.RuneCountInString(local) >= 3 && r != utf8.RuneError && unicode.IsPrint(r) {
		dst = append(dst, local[:size]...)
	}
	dst = append(dst, "***@"...)
	return append(dst, domain...)
}

// maskString runs an append-style mask; the empty string stays empty.
func maskString(s string, f func([]byte, string) []byte) string {
	if s == "" {
		return ""
	}
	return string(f(make([]byte, 0, len(s)+4), s))
}

// maskPAN masks a payment card number so that at most the first six digits
// (the BIN) and the last four remain, as PCI DSS requirement 3.4.1 allows:
// "4111 1111 1111 1111" → "4111 11** **** 1111". The BIN is kept only for
// numbers of 16 digits or more, so that at least six digits are always
// hidden; separators (as validPAN accepts them) are kept. Anything that is
// not 13 to 19 digits is masked whole. The Luhn check is not required.
func maskPAN(s string) string { return maskString(s, appendMaskPAN) }

func appendMaskPAN(dst []byte, s string) []byte {
	var buf [64]byte
	d, _, ok := digitsOf(buf[:0], s, panGap)
	n := len(d)
	if !ok || n < minPANDigits || n > maxPANDigits {
		return append(dst, masked...)
	}
	keepHead := 0
	if n >= 16 {
		keepHead = 6
	}
	return appendMaskDigits(dst, s, keepHead, 4, n)
}

// appendMaskDigits appends s with its digits replaced by '*', except the
// first head and the last tail of its n digits. Other bytes are copied.
func appendMaskDigits(dst []byte, s string, head, tail, n int) []byte {
	k := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			if k >= head && k < n-tail {
				c = '*'
			}
			k++
		}
		dst = append(dst, c)
	}
	return dst
}

// maskPhone masks a telephone number, keeping its separators, the last two
// digits and, for an 11-digit number such as a Kazakh one, the first four
// (country and operator or area code): "+7 701 123 45 67" → "+7 701 *** ** 67".
// Anything that is not 7 to 15 digits with the separators of validKZPhone is
// masked whole.
func maskPhone(s string) string { return maskString(s, appendMaskPhone) }

func appendMaskPhone(dst []byte, s string) []byte {
	var buf [64]byte
	d, _, ok := digitsOf(buf[:0], strings.TrimPrefix(s, "+"), phoneGap)
	n := len(d)
	if !ok || n < 7 || n > 15 {
		return append(dst, masked...)
	}
	head := 0
	if n == 11 {
		head = 4
	}
	return appendMaskDigits(dst, s, head, 2, n)
}

// maskIIN masks an IIN or BIN, keeping only the last two digits:
// "860110300125" → "**********25". The first seven digits hold the date of
// birth and sex, which others often know, and the check digit ties the rest
// together: were the last four shown, one who knows the birth date could
// recover the whole number, so only two are kept. Anything that is not 12
// digits is masked whole.
func maskIIN(s string) string { return maskString(s, appendMaskIIN) }

func appendMaskIIN(dst []byte, s string) []byte {
	if len(s) == 12 && allDigits(s) {
		dst = append(dst, "**********"...)
		return append(dst, s[10:]...)
	}
	// Grouped as Scan finds them ("860110 300125"): separators kept.
	var buf [64]byte
	if d, _, ok := digitsOf(buf[:0], s, iinGap); ok && len(d) == 12 {
		return appendMaskDigits(dst, s, 0, 2, 12)
	}
	return append(dst, masked...)
}

// maskIBAN masks an IBAN, keeping the country code, the check digits and the
// last four characters: "KZ86125KZT5004100100" → "KZ86************0100".
// Spaces of the print form are kept. Anything that is not 15 to 34 letters
// and digits is masked whole.
func maskIBAN(s string) string { return maskString(s, appendMaskIBAN) }

func appendMaskIBAN(dst []byte, s string) []byte {
	n := 0
	for i := 0; i < len(s); i++ {
		switch {
		case isAlnum(s[i]):
			n++
		case s[i] == ' ' && i > 0 && s[i-1] != ' ':
		default:
			return append(dst, masked...)
		}
	}
	if n < 15 || n > 34 || s[len(s)-1] == ' ' {
		return append(dst, masked...)
	}
	k := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != ' ' {
			if k >= 4 && k < n-4 {
				c = '*'
			}
			k++
		}
		dst = append(dst, c)
	}
	return dst
}

// maskName masks a personal name word by word, keeping the first letter of
// each word of two letters or more: "Aigerim Nurlanovna Seitkali" →
// "A*** N*** S***". Words are separated by spaces and hyphens, which are
// kept; one-letter words and words that do not start with a letter become
// "*". It works on any script.
func maskName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		i := strings.IndexFunc(s, func(r rune) bool { return !isNameSep(r) })
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexFunc(s, isNameSep)
		if j < 0 {
			j = len(s)
		}
		word := s[:j]
		s = s[j:]
		r, size := utf8.DecodeRuneInString(word)
		if utf8.RuneCountInString(word) < 2 || !unicode.IsLetter(r) {
			b.WriteString("*")
			continue
		}
		b.WriteString(word[:size])
		b.WriteString("***")
	}
	return b.String()
}

func isNameSep(r rune) bool { return r == '-' || unicode.IsSpace(r) }

// appendMaskKind appends the mask of text found by Scan as kind k.
func appendMaskKind(dst []byte, k Kind, s string) []byte {
	switch k {
	case KindEmail:
		return appendMaskEmail(dst, s)
	case KindPAN:
		// validPAN and appendMaskPAN, reading the digits once.
		var buf [64]byte
		d, grouped, ok := digitsOf(buf[:0], s, panGap)
		if ok && len(d) >= minPANDigits && len(d) <= maxPANDigits && panPlausible(string(d), grouped) {
			keepHead := 0
			if len(d) >= 16 {
				keepHead = 6
			}
			return appendMaskDigits(dst, s, keepHead, 4, len(d))
		}
		// Numbers overlapping a card number (see scanner.panOverlap):
		// keep the last four digits only.
		n := 0
		for i := 0; i < len(s); i++ {
			if isDigit(s[i]) {
				n++
			}
		}
		return appendMaskDigits(dst, s, 0, 4, n)
	case KindPhone:
		return appendMaskPhone(dst, s)
	case KindIIN, KindBIN:
		return appendMaskIIN(dst, s)
	case KindIBAN:
		return appendMaskIBAN(dst, s)
	case KindName:
		return freetext.AppendMask(dst, freetext.Name, s)
	case KindAddress:
		return freetext.AppendMask(dst, freetext.Address, s)
	}
	return append(dst, masked...)
}

// maskCategory masks a value known to be of category c (from a struct tag
// or a log attribute's key). Categories without a partial mask are masked
// whole.
func maskCategory(c tags.Category, s string) string {
	if s == "" {
		return ""
	}
	switch c {
	case tags.Email:
		return maskEmail(s)
	case tags.Payment:
		return maskPAN(s)
	case tags.Phone:
		return maskPhone(s)
	case tags.IIN:
		return maskIIN(s)
	case tags.IBAN:
		return maskIBAN(s)
	case tags.Name:
		return maskName(s)
	}
	return masked
}
