package redact

import (
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"github.com/1cb-kz/compliance/pii/internal/tags"
	"log/slog"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// NewHandler returns a slog.Handler that removes personal data
// from records before passing them to next:
//
//   - the message, every key and group name and every string value are
//     passed through Text;
//   - an attribute, group, map entry or struct field whose key or name names
//     a category of personal data in English, Russian or Kazakh ("email",
//     "user_phone", "cardNumber", "IINNumber", "first_name", "ФИО",
//     "Аты-жөні", "ЖСН", "номер_телефона", "Мекенжай", "familiya"...) has
//     its values masked for that category (see Mask, or "****"), found by
//     Scan or not, numbers included; so do the attributes under a WithGroup of such
//     a name (tag a field `pii:"-"` when its name misleads: "Name" of a lot);
//   - numbers of 10 digits or more are redacted like strings, so an IIN or
//     phone number logged as a number is caught too, an IIN that lost its
//     leading zeros (born 2000–2009) included;
//   - a value whose type has pii tags, at any depth (a struct, a pointer to
//     one, a slice or map of them, a struct holding one), is logged as a
//     group of its fields with the tagged ones masked for their category,
//     unexported ones included: its String, Error, MarshalJSON, MarshalText
//     and LogValue methods are never called, nor is it formatted with %+v,
//     since any of them may show what the tags declare;
//   - other structs (their exported fields, and the unexported ones named
//     for a category, masked), maps, slices, arrays and pointers become
//     groups of their redacted elements, at every depth, so that what next
//     receives is exactly what was checked, whatever its output format;
//   - URLs (*url.URL, url.URL, *url.Userinfo) are shown without their
//     password, then redacted, percent-encoded values included;
//   - errors, fmt.Stringers, encoding.TextMarshalers, json.Marshalers, byte
//     slices, slog.Attrs and structs without fields to log are replaced by
//     their redacted text or group (Error, String, MarshalText, MarshalJSON,
//     the bytes, the attribute, %+v): next sees a string or group, never the
//     original value;
//   - slog.LogValuer values and attributes added with With or WithAttrs are
//     treated the same way.
//
// Inside one attribute the handler follows at most 8 levels and 1000
// values; what lies deeper or beyond is masked whole or dropped, so that a
// cyclic or very large value cannot hang it. Levels and times pass
// unchanged. A nil next discards everything. The handler is safe for
// concurrent use if next is.
func NewHandler(next slog.Handler) slog.Handler {
	if next == nil {
		next = slog.DiscardHandler
	}
	return &redactingHandler{next: next}
}

type redactingHandler struct {
	next   slog.Handler
	within tags.Category // category named by an enclosing WithGroup, if any
}

func (h *redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, Text(r.Message), r.PC)
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
	return &redactingHandler{next: h.next.WithGroup(Text(name)), within: within}
}

// Bounds on what the handler follows inside one attribute's value.
const (
	maxLogDepth  = 8    // nested groups, structs, maps, slices and pointers
	maxLogValues = 1000 // values examined
)

// redactAttr redacts one top-level attribute. within is the category named
// by an enclosing group, if any.
func redactAttr(a slog.Attr, within tags.Category) slog.Attr {
	r := redactor{budget: maxLogValues}
	return r.attr(a, within, 0)
}

// redactor walks one attribute's value, counting the values it examines.
type redactor struct{ budget int }

func (r *redactor) attr(a slog.Attr, within tags.Category, depth int) slog.Attr {
	c := within
	if k, ok := cachedKeyCategory(a.Key); ok {
		c = k
	}
	return slog.Attr{Key: Text(a.Key), Value: r.value(a.Value, c, depth)}
}

// value redacts v, or masks it for category c if c is not empty.
func (r *redactor) value(v slog.Value, c tags.Category, depth int) slog.Value {
	r.budget--
	if r.budget < 0 || depth > maxLogDepth {
		return slog.StringValue(masked)
	}
	// A type's pii tags take precedence over its LogValue, as over its
	// String: the method may show the very fields the tags declare.
	if v.Kind() != slog.KindLogValuer || !piiTagged(reflect.TypeOf(v.Any())) {
		v = v.Resolve()
	}
	switch v.Kind() {
	case slog.KindGroup:
		as := v.Group()
		red := make([]slog.Attr, len(as))
		for i, a := range as {
			red[i] = r.attr(a, c, depth+1)
		}
		return slog.GroupValue(red...)
	case slog.KindAny, slog.KindLogValuer:
		return r.anyValue(v.Any(), c, depth)
	}
	if c != "" {
		return maskScalar(c, v)
	}
	return redactScalar(v)
}

// anyValue redacts the value x of a KindAny attribute, or masks it for
// category c if c is not empty.
func (r *redactor) anyValue(x any, c tags.Category, depth int) slog.Value {
	if g, ok := r.composite(x, c, depth); ok {
		return g
	}
	s, ok := anyText(x)
	if !ok {
		return slog.AnyValue(nil) // nil or a nil pointer: nothing to show
	}
	if c != "" {
		return slog.StringValue(maskCategory(c, s))
	}
	return slog.StringValue(Text(s))
}

// minIntDigits is the fewest digits of a number redactScalar examines: an
// IIN or BIN of someone born or registered in 2000 loses two leading zeros
// when logged as an integer.
const minIntDigits = 10

// redactScalar redacts a value of a kind other than group and any.
func redactScalar(v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(Text(v.String()))
	case slog.KindInt64, slog.KindUint64, slog.KindFloat64:
		s, ok := integerText(v)
		if !ok || len(strings.TrimPrefix(s, "-")) < minIntDigits {
			return v
		}
		if red := Text(s); red != s {
			return slog.StringValue(red)
		}
		if id, ok := unpaddedID(s); ok {
			return slog.StringValue(maskIIN(id))
		}
	}
	return v
}

// unpaddedID returns the IIN or BIN that the decimal integer s is once its
// leading zeros are restored: born or registered in 2000-2009, such a
// number starts with 0 and prints with 10 or 11 digits.
func unpaddedID(s string) (string, bool) {
	if len(s) != 10 && len(s) != 11 || !allDigits(s) {
		return "", false
	}
	id := strings.Repeat("0", 12-len(s)) + s
	return id, validIIN(id) || validBIN(id)
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
func maskScalar(c tags.Category, v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(maskCategory(c, v.String()))
	case slog.KindInt64, slog.KindUint64, slog.KindFloat64:
		return maskNumber(c, v)
	case slog.KindTime:
		if c == tags.BirthDate {
			return slog.StringValue(masked)
		}
	}
	return v
}

// maskNumber masks a number whose key names category c. Whatever the
// category, the number is personal data as much as a string would be (a
// birth date 19860110, a house number, a passport number), so it never
// passes unchanged; numbers of categories with a partial mask keep what that
// mask keeps.
func maskNumber(c tags.Category, v slog.Value) slog.Value {
	s, ok := integerText(v)
	if !ok {
		return slog.StringValue(masked)
	}
	switch c {
	case tags.IIN:
		if id, ok := unpaddedID(s); ok {
			s = id
		}
		return slog.StringValue(maskIIN(s))
	case tags.Phone, tags.Payment, tags.IBAN:
		return slog.StringValue(maskCategory(c, s))
	}
	return slog.StringValue(masked)
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
	case *url.URL:
		return x.Redacted(), true // the password replaced by "xxxxx"
	case url.URL:
		return x.Redacted(), true
	case *url.Userinfo:
		if _, set := x.Password(); set {
			return x.Username() + ":xxxxx", true
		}
		return x.Username(), true
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

// keyCache memoises keyCategory for the handler: log keys are few and
// repeated. It stops growing at maxCachedKeys so that keys built from data
// cannot exhaust memory.
var (
	keyCache     sync.Map // string → tags.Category ("" for none)
	keyCacheSize atomic.Int64
)

const maxCachedKeys = 4096

func cachedKeyCategory(key string) (tags.Category, bool) {
	if c, ok := keyCache.Load(key); ok {
		return c.(tags.Category), c.(tags.Category) != ""
	}
	c, _ := tags.KeyCategory(key)
	if keyCacheSize.Load() < maxCachedKeys {
		if _, loaded := keyCache.LoadOrStore(key, c); !loaded {
			keyCacheSize.Add(1)
		}
	}
	return c, c != ""
}

// composite turns a struct, map, slice, array or pointer into a group of
// its redacted elements; c, if not empty, masks every element. It returns
// false for values shown as text (see anyText) and for nil pointers. A
// value whose type has pii tags (see piiTagged) is always walked, never
// shown as text.
func (r *redactor) composite(x any, c tags.Category, depth int) (slog.Value, bool) {
	if x == nil {
		return slog.Value{}, false
	}
	if a, ok := x.(slog.Attr); ok { // its String would show key and value
		return slog.GroupValue(r.attr(a, c, depth+1)), true
	}
	rv := reflect.ValueOf(x)
	if shownAsText(x) && !piiTagged(rv.Type()) {
		return slog.Value{}, false
	}
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
		return r.structValue(rv, c, depth)
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return slog.Value{}, false // bytes: shown as text
		}
		if rv.Len() == 0 {
			return emptyValue(x, []any{}), true
		}
		return r.listValue(rv, c, depth), true
	case reflect.Map:
		if rv.Len() == 0 {
			return emptyValue(x, map[string]any{}), true
		}
		return r.mapValue(rv, c, depth), true
	}
	return slog.Value{}, false
}

// emptyValue returns an empty slice or map x as itself, or as plain if its
// type has pii tags, so that next never calls the type's methods.
func emptyValue(x, plain any) slog.Value {
	if piiTagged(reflect.TypeOf(x)) {
		return slog.AnyValue(plain)
	}
	return slog.AnyValue(x)
}

// shownAsText reports whether x is logged by its own text (see anyText)
// unless its type has pii tags.
func shownAsText(x any) bool {
	switch x.(type) {
	case error, fmt.Stringer, encoding.TextMarshaler, json.Marshaler, []byte, url.URL:
		return true
	}
	return false
}

// structValue logs a struct as a group of its fields (see logFieldsOf). A
// struct without such fields is shown with %+v, unless its type has pii
// tags: then it is masked whole.
func (r *redactor) structValue(rv reflect.Value, c tags.Category, depth int) (slog.Value, bool) {
	fields := logFieldsOf(rv.Type())
	if len(fields) == 0 {
		if piiTagged(rv.Type()) {
			return slog.StringValue(masked), true
		}
		return slog.Value{}, false // shown with %+v
	}
	attrs := make([]slog.Attr, len(fields))
	for i, f := range fields {
		fc := c
		if f.category != "" {
			fc = f.category
		}
		fv := rv.Field(f.index)
		var v slog.Value
		if f.exported {
			v = r.value(slog.AnyValue(fv.Interface()), fc, depth+1)
		} else {
			r.budget--
			v = unexportedValue(fv, fc)
		}
		attrs[i] = slog.Attr{Key: f.name, Value: v}
	}
	return slog.GroupValue(attrs...), true
}

// unexportedValue masks an unexported field of category c. Reflection reads
// its strings and numbers, not the value itself: a partial mask where the
// category has one, "****" for anything else.
func unexportedValue(fv reflect.Value, c tags.Category) slog.Value {
	switch fv.Kind() {
	case reflect.String:
		return slog.StringValue(maskCategory(c, fv.String()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return maskNumber(c, slog.Int64Value(fv.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return maskNumber(c, slog.Uint64Value(fv.Uint()))
	case reflect.Float32, reflect.Float64:
		return maskNumber(c, slog.Float64Value(fv.Float()))
	}
	return slog.StringValue(masked)
}

// listValue logs a slice or array as a group keyed by index, up to the
// budget.
func (r *redactor) listValue(rv reflect.Value, c tags.Category, depth int) slog.Value {
	attrs := make([]slog.Attr, min(rv.Len(), max(r.budget, 0)+1))
	for i := range attrs {
		attrs[i] = slog.Attr{Key: strconv.Itoa(i), Value: r.value(slog.AnyValue(rv.Index(i).Interface()), c, depth+1)}
	}
	return slog.GroupValue(attrs...)
}

// mapValue logs a map as a group sorted by key, up to the budget. Keys are
// attribute keys: one that names a category masks its value for it.
func (r *redactor) mapValue(rv reflect.Value, c tags.Category, depth int) slog.Value {
	attrs := make([]slog.Attr, 0, min(rv.Len(), max(r.budget, 0)+1))
	for it := rv.MapRange(); it.Next() && len(attrs) < cap(attrs); {
		key, kc := mapKey(it.Key(), c)
		attrs = append(attrs, slog.Attr{Key: key, Value: r.value(slog.AnyValue(it.Value().Interface()), kc, depth+1)})
	}
	slices.SortFunc(attrs, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
	return slog.GroupValue(attrs...)
}

// mapKey returns the text of a map key, redacted, or masked for c if c is
// not empty, and the category for its value: the one the key names, else
// c. A key whose type has pii tags is masked whole rather than formatted.
func mapKey(k reflect.Value, c tags.Category) (string, tags.Category) {
	if k.Kind() == reflect.Interface && !k.IsNil() {
		k = k.Elem()
	}
	if piiTagged(k.Type()) {
		return masked, c
	}
	text := fmt.Sprint(k.Interface())
	kc := c
	if cat, ok := cachedKeyCategory(text); ok {
		kc = cat
	}
	if c != "" {
		return maskCategory(c, text), kc
	}
	return Text(text), kc
}

// logField is a struct field as the handler logs it.
type logField struct {
	index    int
	name     string
	exported bool
	// category from the pii tag ("****" masking if the tag is malformed),
	// else from the field's name as for attribute keys; none for `pii:"-"`
	category tags.Category
}

var logFields sync.Map // reflect.Type → []logField

// logFieldsOf returns the fields of struct type t the handler logs,
// computed once: the exported ones, and the unexported ones that are tagged
// or named for a category, which are masked.
func logFieldsOf(t reflect.Type) []logField {
	if fs, ok := logFields.Load(t); ok {
		return fs.([]logField)
	}
	var fs []logField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "_" {
			continue // blank: holds nothing (its tag may declare a table)
		}
		lf := logField{index: i, name: f.Name, exported: f.IsExported(), category: fieldCategory(f)}
		if lf.exported || lf.category != "" {
			fs = append(fs, lf)
		}
	}
	actual, _ := logFields.LoadOrStore(t, fs)
	return actual.([]logField)
}

// fieldCategory returns the category of a struct field for logging: its
// tag's, or the one its name suggests if it has no tag.
func fieldCategory(f reflect.StructField) tags.Category {
	tag, ok := f.Tag.Lookup("pii")
	if !ok {
		c, _ := tags.KeyCategory(f.Name)
		return c
	}
	ft, reason := tags.Parse(tag)
	if reason != "" {
		return tags.Document // malformed: masked whole, numbers too
	}
	return ft.Category
}

// taggedTypes memoises piiTagged per type.
var taggedTypes sync.Map // reflect.Type → bool

// piiTagged reports whether values of type t hold fields tagged `pii` with a
// category (or a malformed tag), at any depth through pointers, slices,
// arrays, map keys and values and struct fields, exported or not. Such
// values are logged field by field with those fields masked, never through
// their String, Error, MarshalJSON, MarshalText or LogValue methods, nor
// with %+v.
func piiTagged(t reflect.Type) bool {
	if t == nil {
		return false
	}
	if v, ok := taggedTypes.Load(t); ok {
		return v.(bool)
	}
	tagged := typeHasTags(t, map[reflect.Type]bool{})
	taggedTypes.Store(t, tagged)
	return tagged
}

// typeHasTags walks t, each type once.
func typeHasTags(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return typeHasTags(t.Elem(), seen)
	case reflect.Map:
		return typeHasTags(t.Key(), seen) || typeHasTags(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			// `pii:"-"` on a nested struct only leaves its sealing to the
			// caller: its own fields may still be tagged.
			if tag, ok := f.Tag.Lookup("pii"); ok && tag != "-" {
				return true
			}
			if typeHasTags(f.Type, seen) {
				return true
			}
		}
	}
	return false
}
