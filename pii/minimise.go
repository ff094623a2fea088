package pii

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// Field describes one field of a struct type that holds personal data.
type Field struct {
	// Name is the field's path from the struct inspected: "Email",
	// "Billing.IBAN", "Contacts[].Phone" ([] marks a slice, array or map
	// element). Fields of embedded structs are named as promoted.
	Name     string
	Category Category
	// Encrypted reports the tag's encrypt option on an exported string
	// field. [Encryptor.Seal] encrypts it through nested structs and pointers,
	// not through slices, arrays or maps ("[]" in Name): seal those values
	// in their own calls.
	Encrypted bool
	// Index is the blind-index field named by the tag's index option.
	Index string
}

// defaultAllowed is the allowed set of [CheckMinimal] without arguments:
// the categories clause 3.1 of the Rules lets the platform collect.
func defaultAllowed() []Category {
	return []Category{CategoryName, CategoryEmail, CategoryPayment}
}

// inventory is the cached result of walking one struct type.
type inventory struct {
	declared   []Field // fields with a pii tag
	undeclared []Field // untagged fields whose names suggest personal data
	err        error
}

var inventories sync.Map // reflect.Type → *inventory

// Inventory lists the fields of the struct v (or *v) that are tagged
// `pii:"<category>..."`, walking nested structs, pointers to structs and
// slices, arrays and maps of them (a recursive type once per path); tagged
// unexported fields count too, since the struct holds their data all the
// same, and unexported struct fields are followed except inside
// standard-library types. Only types are inspected, so fields of interface
// type are not followed, and a nil pointer or zero value will do:
// Inventory((*User)(nil)). The result is computed once per type and safe
// for concurrent use. A malformed tag is a *[FieldError] wrapping [ErrInvalid];
// a value that is not a struct or a pointer to one is an ErrInvalid.
func Inventory(v any) ([]Field, error) {
	inv, err := inventoryOf(v)
	if err != nil {
		return nil, err
	}
	return slices.Clone(inv.declared), nil
}

// Undeclared lists the fields of the struct v (walked as [Inventory] does),
// exported or not, that carry no pii tag, can hold text or numbers
// (strings, numbers of any size, byte slices and arrays, time.Time,
// interface values, and pointers, slices, arrays and maps of them) and
// whose names suggest personal data ("Email", "PhoneNumber", "FirstName",
// "IINNumber", "CardNumber", "cvv"...), with the category guessed from the
// name. Tag a field that holds no personal data with `pii:"-"` to declare
// it.
func Undeclared(v any) ([]Field, error) {
	inv, err := inventoryOf(v)
	if err != nil {
		return nil, err
	}
	return slices.Clone(inv.undeclared), nil
}

// CheckMinimal reports, as a *[MinimisationError], the fields of the struct v
// whose category is not in allowed: the declared ones (see [Inventory]), then
// the undeclared ones whose names suggest personal data (see [Undeclared], in
// English, Russian or Kazakh: "Phone", "Телефон", "ЖСН"). With no allowed
// categories it checks against those clause 3.1 of the Rules allows:
// [CategoryName], [CategoryEmail] and [CategoryPayment]. Tag a field `pii:"-"` to
// declare that it holds none. An unknown category in allowed is an
// [ErrInvalid].
func CheckMinimal(v any, allowed ...Category) error {
	if len(allowed) == 0 {
		allowed = defaultAllowed()
	}
	for _, c := range allowed {
		if !c.valid() {
			return invalidf("pii: CheckMinimal: unknown category %s in the allowed set", quoteTag(string(c)))
		}
	}
	inv, err := inventoryOf(v)
	if err != nil {
		return err
	}
	var bad []Field
	for _, f := range slices.Concat(inv.declared, inv.undeclared) {
		if !slices.Contains(allowed, f.Category) {
			bad = append(bad, f)
		}
	}
	if bad == nil {
		return nil
	}
	return &MinimisationError{Type: structType(v).String(), Allowed: slices.Clone(allowed), Fields: bad}
}

// errNotStruct reports a value given to [Inventory], [CheckMinimal] or
// [Undeclared] that is neither a struct nor a pointer to one.
const errNotStruct = invalidError("pii: value is not a struct or a pointer to a struct")

func structType(v any) reflect.Type {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func inventoryOf(v any) (*inventory, error) {
	return inventoryOfType(structType(v))
}

func inventoryOfType(t reflect.Type) (*inventory, error) {
	if t == nil || t.Kind() != reflect.Struct {
		return nil, errNotStruct
	}
	if inv, ok := inventories.Load(t); ok {
		return inv.(*inventory), inv.(*inventory).err
	}
	inv := &inventory{}
	w := walker{inv: inv, root: t, visiting: map[reflect.Type]bool{}}
	inv.err = w.walk(t, "")
	if inv.err != nil {
		inv.declared, inv.undeclared = nil, nil
	}
	// Blind-index fields hold keyed hashes, not personal data.
	for _, f := range inv.declared {
		if f.Index != "" {
			target := f.Index
			if i := strings.LastIndexByte(f.Name, '.'); i >= 0 {
				target = f.Name[:i+1] + f.Index
			}
			inv.undeclared = slices.DeleteFunc(inv.undeclared, func(u Field) bool { return u.Name == target })
		}
	}
	actual, _ := inventories.LoadOrStore(t, inv)
	return actual.(*inventory), actual.(*inventory).err
}

type walker struct {
	inv      *inventory
	root     reflect.Type
	visiting map[reflect.Type]bool // types on the current path, against recursion
}

func (w *walker) walk(t reflect.Type, prefix string) error {
	if w.visiting[t] {
		return nil
	}
	w.visiting[t] = true
	defer delete(w.visiting, t)
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "_" {
			continue // blank: holds nothing (its tag may declare the table)
		}
		name := prefix + f.Name
		tag, tagged := f.Tag.Lookup("pii")
		if tagged {
			ft, err := parseTag(tag)
			if err != nil {
				return &FieldError{Type: w.root.String(), Field: name, Err: err}
			}
			if ft.Category != "" {
				w.inv.declared = append(w.inv.declared, Field{
					Name:      name,
					Category:  ft.Category,
					Encrypted: ft.Encrypt && f.IsExported() && f.Type.Kind() == reflect.String,
					Index:     ft.Index,
				})
			}
		} else if c, ok := keyCategory(f.Name); ok && holdsText(f.Type, 0) {
			w.inv.undeclared = append(w.inv.undeclared, Field{Name: name, Category: c})
		}
		elem, path := f.Type, name
		if f.Anonymous { // fields of an embedded struct are promoted
			path = strings.TrimSuffix(prefix, ".")
		}
		// Bounded: `type list []list` never reaches anything else.
		for range maxElemDepth {
			switch elem.Kind() {
			case reflect.Pointer:
				elem = elem.Elem()
				continue
			case reflect.Slice, reflect.Array, reflect.Map:
				elem, path = elem.Elem(), path+"[]"
				continue
			}
			break
		}
		// Unexported fields of standard-library types (time.Time's location,
		// a mutex's state) are not the program's data model; those of the
		// program's own types, embedded or not, are.
		if elem.Kind() == reflect.Struct && (f.IsExported() || f.PkgPath == w.root.PkgPath() || !standardPackage(f.PkgPath)) {
			next := path + "."
			if f.Anonymous && path == "" {
				next = ""
			}
			if err := w.walk(elem, next); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxElemDepth bounds the pointers, slices, arrays and maps the walk
// follows from one field to the struct they hold.
const maxElemDepth = 64

// standardPackage reports whether the import path p is in the standard
// library, by the go command's rule: no dot in its first element.
func standardPackage(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

var timeType = reflect.TypeFor[time.Time]()

// maxHoldsDepth bounds holdsText through pointers, slices, arrays and maps,
// against types such as `type list []list`.
const maxHoldsDepth = maxElemDepth

// holdsText reports whether values of t can hold a name, number, address or
// date: strings, numbers of any size (an int32 holds a birth date 19860110,
// a uint16 a birth year), byte slices and arrays, time.Time, interface
// values, and pointers, slices, arrays and maps of those (a map by its keys
// or its values). depth counts the types followed.
func holdsText(t reflect.Type, depth int) bool {
	if t == timeType {
		return true
	}
	if depth > maxHoldsDepth {
		return false
	}
	switch t.Kind() {
	case reflect.String, reflect.Interface,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsText(t.Elem(), depth+1)
	case reflect.Map:
		return holdsText(t.Key(), depth+1) || holdsText(t.Elem(), depth+1)
	}
	return false
}
