package redact

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Secrets the types below hold; none may reach the output.
const (
	leakName     = "Aigerim Seitkali"
	leakPassport = "N12345678"
	leakStreet   = "Abay 1, Almaty"
)

// logOne logs one attribute through the redacting handler into a JSON
// handler and returns that attribute as decoded JSON and the raw output.
func logOne(t *testing.T, value any) (any, string) {
	t.Helper()
	var buf bytes.Buffer
	slog.New(NewHandler(slog.NewJSONHandler(&buf, nil))).Info("x", "v", value)
	var m map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m), buf.String())
	return m["v"], buf.String()
}

func assertNoLeak(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range append([]string{leakName, "Seitkali", leakPassport, "12345678", leakStreet, "Abay"}, secrets...) {
		assert.NotContains(t, out, s)
	}
}

// taggedStringer shows its tagged fields through String on the pointer.
type taggedStringer struct {
	ID   string
	Name string `pii:"name"`
	Doc  string `pii:"document"`
}

func (u *taggedStringer) String() string { return "user " + u.ID + " " + u.Name + " " + u.Doc }

// taggedJSON shows them through MarshalJSON.
type taggedJSON struct {
	Name     string `pii:"name" json:"name"`
	Passport string `pii:"document" json:"passport"`
}

func (u taggedJSON) MarshalJSON() ([]byte, error) {
	type plain taggedJSON
	return json.Marshal(plain(u))
}

// taggedError and taggedText show them through Error and MarshalText.
type taggedError struct {
	Name string `pii:"name"`
}

func (e taggedError) Error() string { return "no user " + e.Name }

type taggedText struct {
	Name string `pii:"name"`
}

func (x taggedText) MarshalText() ([]byte, error) { return []byte(x.Name), nil }

// taggedLogValuer shows them through LogValue under a neutral key.
type taggedLogValuer struct {
	Name string `pii:"name"`
}

func (x taggedLogValuer) LogValue() slog.Value { return slog.StringValue("who " + x.Name) }

// taggedHidden holds its personal data in unexported fields, which %+v
// would print.
type taggedHidden struct {
	name  string `pii:"name"`
	doc   string `pii:"document"`
	count int    `pii:"document"`
	other string
}

// wrapper has no tags of its own but holds a tagged type, and a String
// that shows it.
type wrapper struct {
	Lot   int
	buyer taggedJSON
}

func (w wrapper) String() string { return strconv.Itoa(w.Lot) + " " + w.buyer.Name }

// taggedList is a slice of tagged structs with a String.
type taggedList []taggedJSON

func (l taggedList) String() string { return l[0].Name }

// A value whose type has pii tags is logged as a group with its tagged
// fields masked, whatever text methods it has, and its unexported tagged
// fields are masked, never printed with %+v.
func TestRedactingHandlerTaggedTypesIgnoreTextMethods(t *testing.T) {
	u := taggedStringer{ID: "42", Name: leakName, Doc: leakPassport}
	tests := []struct {
		name  string
		value any
		want  any
	}{
		{"value of a type whose pointer is a Stringer", u,
			map[string]any{"ID": "42", "Name": "A*** S***", "Doc": masked}},
		{"pointer Stringer", &u,
			map[string]any{"ID": "42", "Name": "A*** S***", "Doc": masked}},
		{"json.Marshaler", taggedJSON{leakName, leakPassport},
			map[string]any{"Name": "A*** S***", "Passport": masked}},
		{"error", taggedError{leakName}, map[string]any{"Name": "A*** S***"}},
		{"encoding.TextMarshaler", taggedText{leakName}, map[string]any{"Name": "A*** S***"}},
		{"slog.LogValuer", taggedLogValuer{leakName}, map[string]any{"Name": "A*** S***"}},
		{"pointer to LogValuer", &taggedLogValuer{leakName}, map[string]any{"Name": "A*** S***"}},
		{"unexported tagged fields", taggedHidden{name: leakName, doc: leakPassport, count: 12345678, other: "x"},
			map[string]any{"name": "A*** S***", "doc": masked, "count": masked}},
		{"untagged type holding a tagged one", wrapper{Lot: 7, buyer: taggedJSON{Name: leakName}},
			map[string]any{"Lot": 7.0}},
		{"slice of tagged structs", taggedList{{Name: leakName}},
			map[string]any{"0": map[string]any{"Name": "A*** S***", "Passport": ""}}},
		{"inside a map", map[string]any{"k": &u},
			map[string]any{"k": map[string]any{"ID": "42", "Name": "A*** S***", "Doc": masked}}},
		{"nil pointer", (*taggedStringer)(nil), nil},
		{"empty slice", taggedList{}, []any{}},
		{"empty map", map[string]taggedJSON{}, map[string]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, out := logOne(t, tt.value)
			assert.Equal(t, tt.want, got)
			assertNoLeak(t, out)
		})
	}
}

type untaggedProfile struct {
	FirstName string
	Passport  string
	Address   string
	DOB       int
	Lot       int
	Title     string `pii:"-"` // declared to hold no personal data
	email     string
	note      string
}

type profileKey struct {
	Name string `pii:"name"`
}

// Map keys and untagged struct field names are categorised like attribute
// keys, so that their values are masked.
func TestRedactingHandlerKeyNames(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  any
	}{
		{"map keys", map[string]any{"first_name": "Aigerim", "passport": leakPassport, "address": leakStreet, "lot": 7},
			map[string]any{"first_name": "A***", "passport": masked, "address": masked, "lot": 7.0}},
		{"nested map keys", map[string]map[string]string{"buyer": {"FullName": leakName}},
			map[string]any{"buyer": map[string]any{"FullName": "A*** S***"}}},
		{"untagged struct fields", untaggedProfile{"Aigerim", leakPassport, leakStreet, 19860110, 7, "Dr", "alice@example.kz", "n"},
			map[string]any{"FirstName": "A***", "Passport": masked, "Address": masked, "DOB": masked, "Lot": 7.0, "Title": "Dr", "email": "a***@example.kz"}},
		{"attribute slice", []slog.Attr{slog.String("first_name", "Aigerim"), slog.Int("lot", 7)},
			map[string]any{"first_name": "A***", "lot": 7.0}},
		{"one attribute", slog.String("passport", leakPassport), map[string]any{"passport": masked}},
		{"attribute in a map", map[string]any{"a": slog.String("address", leakStreet)},
			map[string]any{"a": map[string]any{"address": masked}}},
		{"tagged map key", map[profileKey]int{{Name: leakName}: 3}, map[string]any{masked: 3.0}},
		{"tagged map key in any", map[any]int{profileKey{Name: leakName}: 3}, map[string]any{masked: 3.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, out := logOne(t, tt.value)
			assert.Equal(t, tt.want, got)
			assertNoLeak(t, out, "alice@example.kz", "19860110", "Aigerim")
		})
	}
}

// A number under a key that names a category is masked whatever the
// category, never shown as under a neutral key, and an IIN or BIN that lost
// its leading zeros as an integer is still found.
func TestRedactingHandlerNumbers(t *testing.T) {
	iin2005 := withCheckDigit(t, "05031560012") // born 15 March 2005: 11 digits as a number
	iin2000 := withCheckDigit(t, "00101250001") // born 12 October 2000: 10 digits
	bin2007 := withCheckDigit(t, "07054000123") // registered May 2007
	require.True(t, validIIN(iin2005) && validIIN(iin2000) && validBIN(bin2007))
	num := func(s string) int64 {
		n, err := strconv.ParseInt(s, 10, 64)
		require.NoError(t, err)
		return n
	}
	tests := []struct {
		key   string
		value any
		want  any
	}{
		{"birth_date", 19860110, masked},
		{"address", 87011234567, masked},
		{"house_address", 12.5, masked},
		{"name", int64(860110300125), masked},
		{"passport", uint32(12345678), masked},
		{"email", 42, masked},
		{"cvv", 123, masked},
		{"phone", int64(87011234567), "8701*****67"},
		{"iin", num(iin2005), "**********" + iin2005[10:]},
		{"iin", num(iin2000), "**********" + iin2000[10:]},
		{"card", int64(4111111111111111), "411111******1111"},
		{"id", num(iin2005), "**********" + iin2005[10:]},
		{"id", num(iin2000), "**********" + iin2000[10:]},
		{"id", num(bin2007), "**********" + bin2007[10:]},
		{"id", float64(num(iin2005)), "**********" + iin2005[10:]},
		{"id", -num(iin2005), float64(-num(iin2005))},
		{"id", 1732612345, 1732612345.0}, // a Unix time is no IIN
		{"id", 123456789, 123456789.0},
		// Born January to September 2000: 9 digits, too short to tell from
		// other numbers (about 3% of 9-digit numbers would pass).
		{"id", num(withCheckDigit(t, "00071250001")), float64(num(withCheckDigit(t, "00071250001")))},
		{"other", 87011234567, "8701*****67"},
	}
	for _, tt := range tests {
		t.Run(tt.key+" "+strconv.Quote(fmtAny(tt.value)), func(t *testing.T) {
			var buf bytes.Buffer
			slog.New(NewHandler(slog.NewJSONHandler(&buf, nil))).Info("x", tt.key, tt.value)
			var m map[string]any
			require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
			assert.Equal(t, tt.want, m[tt.key])
		})
	}
}

func fmtAny(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Restoring leading zeros makes few other 10- and 11-digit numbers look like
// an IIN or BIN; 9-digit ones would, which is why they are not examined.
func TestUnpaddedIDRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rate := func(n int) float64 {
		hits := 0
		for range 20000 {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte('0' + rng.IntN(10))
			}
			b[0] = byte('1' + rng.IntN(9))
			if _, ok := unpaddedID(string(b)); ok {
				hits++
			}
			if s := "000" + string(b); n == 9 && (validIIN(s) || validBIN(s)) {
				hits++
			}
		}
		return float64(hits) / 20000
	}
	for n, limit := range map[int]float64{9: 0.05, 10: 0.01, 11: 0.01} {
		r := rate(n)
		t.Logf("random %d-digit numbers taken for an IIN or BIN: %.2f%%", n, 100*r)
		assert.Less(t, r, limit)
	}
}
