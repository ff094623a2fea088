package pii

import (
	"strings"

	"github.com/1cb-kz/compliance/pii/internal/tags"
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

// valid reports whether c is one of the categories this package knows.
func (c Category) valid() bool { return tags.Category(c).Valid() }

// fieldTag is a parsed `pii:"<category>[,encrypt][,index=<Field>]"` tag.
type fieldTag struct {
	Category Category
	Encrypt  bool   // the field is sealed by Encryptor.Seal
	Index    string // name of the sibling field that receives the blind index, or ""
}

// tagError reports a malformed `pii` struct tag. It holds the tag text
// (bounded) and never a field value, and unwraps to [ErrInvalid].
type tagError struct {
	Tag    string // the tag as written
	Reason string
}

func (e *tagError) Error() string {
	return "pii: invalid struct tag " + quoteTag(e.Tag) + ": " + e.Reason
}

func (e *tagError) Unwrap() error { return ErrInvalid }

// maxTagLen bounds the tag text copied into errors.
const maxTagLen = 64

func quoteTag(s string) string {
	if len(s) > maxTagLen {
		s = s[:maxTagLen] + "..."
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

// parseTag parses the value of a `pii` struct tag (see tags.Parse). The tag
// "-" declares a field that holds no personal data despite its name (see
// [Undeclared]), or a nested value that [Encryptor.Seal] skips because the
// caller seals it on its own; it parses to the zero fieldTag, whose empty
// Category means "none".
func parseTag(tag string) (fieldTag, error) {
	t, reason := tags.Parse(tag)
	if reason != "" {
		return fieldTag{}, &tagError{Tag: tag, Reason: reason}
	}
	return fieldTag{Category: Category(t.Category), Encrypt: t.Encrypt, Index: t.Index}, nil
}

// keyCategory guesses the category of personal data a field name names.
func keyCategory(name string) (Category, bool) {
	c, ok := tags.KeyCategory(name)
	return Category(c), ok
}
