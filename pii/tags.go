package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Category names a kind of personal data. It is the first element of a
// `pii:"..."` struct tag and the unit of the minimisation check.
type Category string

// The categories understood in struct tags. Clause 3.1 of the Rules names
// full name, e-mail and payment details; the others are the personal data a
// Kazakh marketplace holds in practice.
const (
	CategoryName      Category = "name"      // full name or part of it
	CategoryEmail     Category = "email"     // e-mail address
	CategoryPhone     Category = "phone"     // telephone number
	CategoryPayment   Category = "payment"   // card number (PAN) or other payment detail
	CategoryIIN       Category = "iin"       // Kazakh individual identification number
	CategoryAddress   Category = "address"   // postal address
	CategoryIBAN      Category = "iban"      // bank account number
	CategoryBirthDate Category = "birthdate" // date of birth
	CategoryDocument  Category = "document"  // identity document number (passport, ID card)
	CategoryIP        Category = "ip"        // IP address
)

// categories lists every known category, in a stable order.
var categories = []Category{
	CategoryName, CategoryEmail, CategoryPhone, CategoryPayment, CategoryIIN,
	CategoryAddress, CategoryIBAN, CategoryBirthDate, CategoryDocument, CategoryIP,
}

// Valid reports whether c is one of the categories this package knows.
func (c Category) Valid() bool {
	for _, k := range categories {
		if c == k {
			return true
		}
	}
	return false
}

// fieldTag is a parsed `pii:"<category>[,encrypt][,index=<Field>]"` tag.
type fieldTag struct {
	Category Category
	Encrypt  bool   // the field is sealed by Encryptor.Seal
	Index    string // name of the sibling field that receives the blind index, or ""
}

// TagError reports a malformed `pii` struct tag. It holds the tag text and
// never a field value.
type TagError struct {
	Tag    string // the tag as written
	Reason string
}

func (e *TagError) Error() string {
	return "pii: invalid struct tag " + quoteTag(e.Tag) + ": " + e.Reason
}

// maxTagLen bounds the tag text copied into errors.
const maxTagLen = 64

func quoteTag(s string) string {
	if len(s) > maxTagLen {
		s = s[:maxTagLen] + "..."
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

// parseTag parses the value of a `pii` struct tag. It is strict: an unknown
// category, an unknown or repeated option, an empty element or an index
// target that is not a Go identifier is an error. The tag "-" declares a
// field that holds no personal data despite its name (see Undeclared), or a
// nested value that Seal skips because the caller seals it on its own; it
// parses to the zero fieldTag, whose empty Category means "none".
func parseTag(tag string) (fieldTag, error) {
	if tag == "-" {
		return fieldTag{}, nil
	}
	fail := func(reason string) (fieldTag, error) {
		return fieldTag{}, &TagError{Tag: tag, Reason: reason}
	}
	parts := strings.Split(tag, ",")
	var ft fieldTag
	ft.Category = Category(parts[0])
	if ft.Category == "" {
		return fail("missing category")
	}
	if !ft.Category.Valid() {
		return fail("unknown category")
	}
	for _, opt := range parts[1:] {
		name, value, hasValue := strings.Cut(opt, "=")
		switch {
		case name == "encrypt" && !hasValue:
			if ft.Encrypt {
				return fail("repeated option encrypt")
			}
			ft.Encrypt = true
		case name == "index" && hasValue:
			if ft.Index != "" {
				return fail("repeated option index")
			}
			if !isIdentifier(value) {
				return fail("index target is not a field name")
			}
			ft.Index = value
		case opt == "":
			return fail("empty option")
		default:
			return fail("unknown option")
		}
	}
	return ft, nil
}

// isIdentifier reports whether s is a Go identifier.
func isIdentifier(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}
