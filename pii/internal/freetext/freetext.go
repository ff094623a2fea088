// Package freetext finds people's names and Kazakhstan addresses in free text (Kazakh, Russian, English), without a model.
package freetext

// Kind is the kind of a span found by [Find].
type Kind uint8

const (
	// Name is a person's name: surname, given name, patronymic, initials.
	Name Kind = iota + 1
	// Address is a Kazakhstan postal address or part of one.
	Address
)

// Span is a found piece of text: s[Start:End] is of kind Kind.
type Span struct {
	Start, End int // byte offsets into s
	Kind       Kind
}

// Find appends to dst the name and address spans of s, in order, non-overlapping;
// time linear in len(s); safe on invalid UTF-8 and hostile input.
func Find(dst []Span, s string) []Span {
	return dst
}

// Mask returns a readable mask of a span's text: names keep initials
// ("С*** А*** Н***", "A*** S***"), addresses keep the locality and street type
// ("г. Алматы, ул. ***", "Алматы қ., *** к-сі, *** үй").
func Mask(k Kind, s string) string {
	return "***"
}
