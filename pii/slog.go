package pii

import (
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// NewRedactingHandler returns a slog.Handler that removes personal data
// from records before passing them to next:
//
//   - the message, every key and group name and every string value are
//     passed through Redact;
//   - an attribute or group whose key names a category of personal data
//     ("email", "user_phone", "cardNumber", "iin", "iban", "first_name",
//     "address", "birth_date", "passport"...) has its values masked for
//     that category (MaskEmail, MaskPAN, MaskName..., or "****"), found by
//     Scan or not; so do the attributes under a WithGroup of such a name;
//   - numbers of 11 digits or more are redacted like strings, so an IIN or
//     phone number logged as a number is caught too;
//   - structs (exported fields; a `pii` tag masks the field for its
//     category), maps, slices, arrays and pointers become groups of their
//     redacted elements, at every depth, so that what next receives is
//     exactly what was checked, whatever its output format;
//   - errors, fmt.Stringers, encoding.TextMarshalers, json.Marshalers, byte
//     slices and structs without exported fields are replaced by their
//     redacted text (Error, String, MarshalText, MarshalJSON, the bytes,
//     %+v): next sees a string, never the original value;
//   - slog.LogValuer values and attributes added with With or WithAttrs are
//     treated the same way.
//
// Inside one attribute the handler follows at most 8 levels and 1000
// values; what lies deeper or beyond is masked whole or dropped, so that a
// cyclic or very large value cannot hang it. Levels and times pass
// unchanged. A nil next discards everything. The handler is safe for
// concurrent use if next is.
func NewRedactingHandler(next slog.Handler) slog.Handler {
	if next == nil {
		next = slog.DiscardHandler
	}
	return &redactingHandler{next: next}
}

type redactingHandler struct {
	next   slog.Handler
	within Category // category named by an enclosing WithGroup, if any
}

func (h *redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	attrs := make([]slog.Attr, 0, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, redactAttr(a, h.within))
		return true
	})
	nr.AddAttrs(attrs...)
	return h.next.Handle(ctx, nr)
}

func (h *redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = redactAttr(a, h.within)
	}
	return &redactingHandler{next: h.next.WithAttrs(red), within: h.within}
}

func (h *redactingHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	within := h.within
	if c, ok := cachedKeyCategory(name); ok {
		within = c
	}
	return &redactingHandler{next: h.next.WithGroup(Redact(name)), within: within}
}

// Bounds on what the handler follows inside one attribute's value.
const (
	maxLogDepth  = 8    // nested groups, structs, maps, slices and pointers
	maxLogValues = 1000 // values examined
)

// redactAttr redacts one top-level attribute. within is the category named
// by an enclosing group, if any.
func redactAttr(a slog.Attr, within Category) slog.Attr {
	r := redactor{budget: maxLogValues}
	return r.attr(a, within, 0)
}

// redactor walks one attribute's value, counting the values it examines.
type redactor struct{ budget int }

func (r *redactor) attr(a slog.Attr, within Category, depth int) slog.Attr {
	c := within
	if k, ok := cachedKeyCategory(a.Key); ok {
		c = k
	}
	return slog.Attr{Key: Redact(a.Key), Value: r.value(a.Value, c, depth)}
}

// value redacts v, or masks it for category c if c is not empty.
func (r *redactor) value(v slog.Value, c Category, depth int) slog.Value {
	r.budget--
	if r.budget < 0 || depth > maxLogDepth {
		return slog.StringValue(masked)
	}
	v = v.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		as := v.Group()
		red := make([]slog.Attr, len(as))
		for i, a := range as {
			red[i] = r.attr(a, c, depth+1)
		}
		return slog.GroupValue(red...)
	case slog.KindAny:
		if g, ok := r.composite(v.Any(), c, depth); ok {
			return g
		}
		s, ok := anyText(v.Any())
		if !ok {
			return v // nil
		}
		if c != "" {
			return slog.StringValue(maskCategory(c, s))
		}
		return slog.StringValue(Redact(s))
	}
	if c != "" {
		return maskScalar(c, v)
	}
	return redactScalar(v)
}

// minIntDigits is the fewest digits of any number Scan detects.
const minIntDigits = minRunDigits

// redactScalar redacts a value of a kind other than group and any.
func redactScalar(v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(Redact(v.String()))
	case slog.KindInt64, slog.KindUint64, slog.KindFloat64:
		s, ok := integerText(v)
		if !ok || len(strings.TrimPrefix(s, "-")) < minIntDigits {
			return v
		}
		if red := Redact(s); red != s {
			return slog.StringValue(red)
		}
	}
	return v
}

// integerText formats a numeric value that is a whole number as decimal
// digits, the way log handlers print it.
func integerText(v slog.Value) (string, bool) {
	switch v.Kind() {
	case slog.KindInt64:
		return strconv.FormatInt(v.Int64(), 10), true
	case slog.KindUint64:
		return strconv.FormatUint(v.Uint64(), 10), true
	case slog.KindFloat64:
		f := v.Float64()
		if f != math.Trunc(f) || math.Abs(f) >= 1e21 {
			return "", false
		}
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return "", false
}

// maskScalar masks a value of a kind other than group and any whose key
// names category c.
func maskScalar(c Category, v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(maskCategory(c, v.String()))
	case slog.KindInt64, slog.KindUint64, slog.KindFloat64:
		switch c {
		case CategoryPhone, CategoryIIN, CategoryPayment, CategoryIBAN, CategoryDocument:
			if s, ok := integerText(v); ok {
				return slog.StringValue(maskCategory(c, s))
			}
			return slog.StringValue(masked)
		}
	case slog.KindTime:
		if c == CategoryBirthDate {
			return slog.StringValue(masked)
		}
	}
	return v
}

// anyText formats the value of a KindAny attribute that is not walked as a
// composite, the way it is meant to be shown; ok is false for nil and nil
// pointers, which hold nothing. A method that panics gives "****": logging
// never panics.
func anyText(x any) (s string, ok bool) {
	if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return "", false
	}
	defer func() {
		if recover() != nil {
			s, ok = masked, true
		}
	}()
	switch x := x.(type) {
	case nil:
		return "", false
	case error:
		return x.Error(), true
	case fmt.Stringer:
		return x.String(), true
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return masked, true
		}
		return string(b), true
	case json.Marshaler:
		b, err := x.MarshalJSON()
		if err != nil {
			return masked, true
		}
		return string(b), true
	case []byte:
		return string(x), true
	}
	if rv := reflect.ValueOf(x); (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) && rv.Type().Elem().Kind() == reflect.Uint8 {
		b := make([]byte, rv.Len()) // named byte slices and arrays: json.RawMessage, [16]byte
		reflect.Copy(reflect.ValueOf(b), rv)
		return string(b), true
	}
	return fmt.Sprintf("%+v", x), true
}

var (
	nameKeys = []string{
		"name", "fullname", "firstname", "lastname", "middlename", "surname", "givenname", "familyname",
		"patronymic", "fio", "username", "displayname", "cardholder", "cardholdername", "holdername",
		"customername", "personname", "buyername", "sellername", "ownername", "contactname",
		"recipientname", "payername", "payeename", "bidername", "biddername",
	}
	nameSuffixes = []string{
		"fullname", "firstname", "lastname", "middlename", "surname", "givenname", "familyname",
		"patronymic", "fio", "holdername",
	}
	// keys containing "address" that are not postal addresses
	notPostal = []string{"ip", "mac", "remote", "local", "listen", "server", "host", "bind", "wallet", "web", "url", "email", "mail"}
)

// keyCache memoises keyCategory for the handler: log keys are few and
// repeated. It stops growing at maxCachedKeys so that keys built from data
// cannot exhaust memory.
var (
	keyCache     sync.Map // string → Category ("" for none)
	keyCacheSize atomic.Int64
)

const maxCachedKeys = 4096

func cachedKeyCategory(key string) (Category, bool) {
	if c, ok := keyCache.Load(key); ok {
		return c.(Category), c.(Category) != ""
	}
	c, _ := keyCategory(key)
	if keyCacheSize.Load() < maxCachedKeys {
		if _, loaded := keyCache.LoadOrStore(key, c); !loaded {
			keyCacheSize.Add(1)
		}
	}
	return c, c != ""
}

// keyCategory guesses the category of personal data an attribute key names.
// Keys are compared lower-cased, with separators removed and split into
// words at separators and camelCase boundaries.
func keyCategory(key string) (Category, bool) {
	if key == "" || len(key) > 64 {
		return "", false
	}
	words, joined := keyWords(key)
	has := func(w ...string) bool {
		for _, x := range words {
			for _, y := range w {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	contains := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(joined, s) {
				return true
			}
		}
		return false
	}
	switch {
	case contains("email") || has("mail") || strings.HasSuffix(joined, "mail"):
		return CategoryEmail, true
	case contains("iban"):
		return CategoryIBAN, true
	case has("iin", "bin", "inn"):
		return CategoryIIN, true
	case contains("phone", "mobile", "msisdn", "whatsapp") || has("tel"):
		return CategoryPhone, true
	case has("pan", "card") || contains("cardnumber", "creditcard", "cardno", "debitcard"):
		return CategoryPayment, true
	case contains("birth") || has("dob"):
		return CategoryBirthDate, true
	case contains("passport", "idcard", "documentnumber", "docnumber"):
		return CategoryDocument, true
	case contains("address", "street", "postcode", "zipcode") && !has(notPostal...):
		return CategoryAddress, true
	}
	for _, k := range nameKeys {
		if joined == k {
			return CategoryName, true
		}
	}
	for _, s := range nameSuffixes {
		if strings.HasSuffix(joined, s) {
			return CategoryName, true
		}
	}
	return "", false
}

// keyWords splits a key into lower-case words and returns them with their
// concatenation.
func keyWords(key string) ([]string, string) {
	var words []string
	var joined strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := strings.ToLower(key[start:end])
			words = append(words, w)
			joined.WriteString(w)
			start = -1
		}
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case !isAlnum(c):
			flush(i)
		case c >= 'A' && c <= 'Z' && i > 0 && start >= 0 && (key[i-1] < 'A' || key[i-1] > 'Z'):
			flush(i) // camelCase boundary: "userEmail"
			start = i
		case start < 0:
			start = i
		}
	}
	flush(len(key))
	return words, joined.String()
}

// composite turns a struct, map, slice, array or pointer into a group of
// its redacted elements; c, if not empty, masks every element. It returns
// false for values shown as text (see anyText) and for nil pointers.
func (r *redactor) composite(x any, c Category, depth int) (slog.Value, bool) {
	switch x.(type) {
	case nil, error, fmt.Stringer, encoding.TextMarshaler, json.Marshaler, []byte:
		return slog.Value{}, false
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return slog.Value{}, false
		}
		return r.value(slog.AnyValue(rv.Elem().Interface()), c, depth+1), true
	case reflect.String:
		return r.value(slog.StringValue(rv.String()), c, depth), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return r.value(slog.Int64Value(rv.Int()), c, depth), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return r.value(slog.Uint64Value(rv.Uint()), c, depth), true
	case reflect.Float32, reflect.Float64:
		return r.value(slog.Float64Value(rv.Float()), c, depth), true
	case reflect.Bool:
		return slog.BoolValue(rv.Bool()), true
	case reflect.Struct:
		fields := logFieldsOf(rv.Type())
		if len(fields) == 0 {
			return slog.Value{}, false // shown with %+v
		}
		attrs := make([]slog.Attr, len(fields))
		for i, f := range fields {
			fc := c
			if f.category != "" {
				fc = f.category
			}
			attrs[i] = slog.Attr{Key: f.name, Value: r.value(slog.AnyValue(rv.Field(f.index).Interface()), fc, depth+1)}
		}
		return slog.GroupValue(attrs...), true
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return slog.Value{}, false // bytes: shown as text
		}
		if rv.Len() == 0 {
			return slog.AnyValue(x), true
		}
		attrs := make([]slog.Attr, min(rv.Len(), max(r.budget, 0)+1))
		for i := range attrs {
			attrs[i] = slog.Attr{Key: strconv.Itoa(i), Value: r.value(slog.AnyValue(rv.Index(i).Interface()), c, depth+1)}
		}
		return slog.GroupValue(attrs...), true
	case reflect.Map:
		if rv.Len() == 0 {
			return slog.AnyValue(x), true
		}
		attrs := make([]slog.Attr, 0, min(rv.Len(), max(r.budget, 0)+1))
		for it := rv.MapRange(); it.Next() && len(attrs) < cap(attrs); {
			key := Redact(fmt.Sprint(it.Key().Interface()))
			if c != "" {
				key = maskCategory(c, key)
			}
			attrs = append(attrs, slog.Attr{Key: key, Value: r.value(slog.AnyValue(it.Value().Interface()), c, depth+1)})
		}
		slices.SortFunc(attrs, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
		return slog.GroupValue(attrs...), true
	}
	return slog.Value{}, false
}

// logField is an exported struct field as the handler logs it.
type logField struct {
	index    int
	name     string
	category Category // from the pii tag; "****" masking if the tag is malformed
}

var logFields sync.Map // reflect.Type → []logField

// logFieldsOf returns the exported fields of struct type t, computed once.
func logFieldsOf(t reflect.Type) []logField {
	if fs, ok := logFields.Load(t); ok {
		return fs.([]logField)
	}
	var fs []logField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		lf := logField{index: i, name: f.Name}
		if tag, ok := f.Tag.Lookup("pii"); ok {
			ft, err := parseTag(tag)
			lf.category = ft.Category
			if err != nil {
				lf.category = CategoryDocument // malformed: masked whole, numbers too
			}
		}
		fs = append(fs, lf)
	}
	actual, _ := logFields.LoadOrStore(t, fs)
	return actual.([]logField)
}
