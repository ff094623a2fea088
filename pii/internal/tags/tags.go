// Package tags holds what package pii and its redact package share about
// personal data in Go types: the categories, the `pii` struct tag and the
// rules that guess a category from a key or field name.
package tags

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Category names a kind of personal data (pii.Category converts to and
// from it).
type Category string

// The categories of the `pii` struct tag.
const (
	Name      Category = "name"
	Email     Category = "email"
	Phone     Category = "phone"
	Payment   Category = "payment"
	IIN       Category = "iin"
	Address   Category = "address"
	IBAN      Category = "iban"
	BirthDate Category = "birthdate"
	Document  Category = "document"
	IP        Category = "ip"
)

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	switch c {
	case Name, Email, Phone, Payment, IIN, Address, IBAN, BirthDate, Document, IP:
		return true
	}
	return false
}

// Tag is a parsed `pii:"<category>[,encrypt][,index=<Field>]"` tag.
type Tag struct {
	Category Category
	Encrypt  bool   // the field is sealed by Encryptor.Seal
	Index    string // name of the sibling field that receives the blind index, or ""
}

// Parse parses the value of a `pii` struct tag and returns why it is
// malformed, or "". It is strict: an unknown category, an unknown or
// repeated option, an empty element or an index target that is not a Go
// identifier is refused. The tag "-" parses to the zero Tag, whose empty
// Category means "none".
func Parse(tag string) (Tag, string) {
	if tag == "-" {
		return Tag{}, ""
	}
	parts := strings.Split(tag, ",")
	var ft Tag
	ft.Category = Category(parts[0])
	if ft.Category == "" {
		return Tag{}, "missing category"
	}
	if !ft.Category.Valid() {
		return Tag{}, "unknown category"
	}
	for _, opt := range parts[1:] {
		name, value, hasValue := strings.Cut(opt, "=")
		switch {
		case name == "encrypt" && !hasValue:
			if ft.Encrypt {
				return Tag{}, "repeated option encrypt"
			}
			ft.Encrypt = true
		case name == "index" && hasValue:
			if ft.Index != "" {
				return Tag{}, "repeated option index"
			}
			if !isIdentifier(value) {
				return Tag{}, "index target is not a field name"
			}
			ft.Index = value
		case opt == "":
			return Tag{}, "empty option"
		default:
			return Tag{}, "unknown option"
		}
	}
	return ft, ""
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
