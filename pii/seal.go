package pii

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// sealPlan is the cached, per-type list of what [Encryptor.Seal] and
// [Encryptor.Open] do.
type sealPlan struct {
	// table is the table identity, the first context element of version 2:
	// the declared table name, or "go:" + package path + "." + type name.
	table string
	// name is the Go type's name: in errors, as the first context element
	// of version 1, and (without a declared table) in index names.
	name        string
	indexPrefix string // index names are indexPrefix + "." + field path
	fields      []sealField
	encrypted   int         // fields with encrypt set
	pointers    bool        // some field is reached through a pointer, so two may share memory
	dynamic     []planIface // fields that may hold interface values, checked per call: a plan sees types only
}

// planIface is a field that can hold interface values (an interface, or a
// slice, array, map or struct holding one), which [Encryptor.Seal] refuses to
// pass over when a value inside holds a struct with fields to seal.
type planIface struct {
	path []int
	name string
}

type sealField struct {
	path      []int  // field indexes from the root struct, through nested structs and pointers
	name      string // the field's name, as promoted: "Email", "Billing.IBAN"
	encrypt   bool
	indexTo   []int // path of the field receiving the blind index, or nil
	indexName string
	indexSt   *indexState
	key       *fieldKey // for encrypted fields: context version 2
	keyV1     *fieldKey // for reading tokens in context version 1
	// viaPointer: the field (and its index field) is reached through a
	// pointer.
	viaPointer bool
}

// plan returns the cached plan of struct type t, building it on first use.
func (e *Encryptor) plan(t reflect.Type) (*sealPlan, error) {
	if p, ok := e.plans.Load(t); ok {
		return p.(*sealPlan), nil
	}
	p, err := e.buildPlan(t)
	if err != nil {
		return nil, err // not cached: the error path is not hot
	}
	actual, _ := e.plans.LoadOrStore(t, p)
	return actual.(*sealPlan), nil
}

func (e *Encryptor) buildPlan(t reflect.Type) (*sealPlan, error) {
	p := &sealPlan{name: t.Name()}
	if p.name == "" {
		p.name = t.String()
	}
	table, declared, err := declaredTable(t)
	if err != nil {
		return nil, &FieldError{Type: p.name, Field: "_", Err: err}
	}
	switch {
	case declared:
		p.table, p.indexPrefix = table, table
	case t.Name() != "":
		p.table, p.indexPrefix = "go:"+t.PkgPath()+"."+t.Name(), p.name
	}
	w := planWalk{e: e, p: p, onPath: map[reflect.Type]bool{t: true}}
	if err := w.walk(planLevel{t: t, scope: t}); err != nil {
		return nil, err
	}
	if err := p.checkIndexTargets(); err != nil {
		return nil, err
	}
	if p.table == "" && len(p.fields) > 0 {
		return nil, &FieldError{Type: p.name, Field: "_", Err: invalidError(`an unnamed struct type has no table identity: declare one with a field _ struct{} ` + "`" + `pii:"table=NAME"` + "`")}
	}
	if declared {
		if prev, loaded := e.tables.LoadOrStore(table, t); loaded && prev != t {
			return nil, &FieldError{Type: p.name, Field: "_", Err: invalidf("table %q is declared by another type too (%s)", table, prev.(reflect.Type))}
		}
	}
	return p, nil
}

// tableTag is the tag key of a declared table: _ struct{} `pii:"table=users"`.
const tableTag = "table="

// declaredTable returns the table name declared on struct type t by a blank
// field tagged `pii:"table=NAME"`. NAME is 1 to 128 bytes of ASCII letters,
// digits and "_.-", so it never collides with the "go:" form of a type's
// identity.
func declaredTable(t reflect.Type) (string, bool, error) {
	var name string
	found := false
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("pii")
		if f.Name != "_" || !ok || tag == "-" {
			continue
		}
		v, ok := strings.CutPrefix(tag, tableTag)
		switch {
		case !ok:
			return "", false, invalidf("a blank field's pii tag must be %sNAME", tableTag)
		case found:
			return "", false, invalidError("two table names declared")
		case !validTableName(v):
			return "", false, invalidError("a table name is 1 to 128 ASCII letters, digits, '_', '.' or '-'")
		}
		name, found = v, true
	}
	return name, found, nil
}

func validTableName(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// checkIndexTargets refuses an index field that two fields name, or that is
// itself sealed or indexed: one write would silently replace the other.
func (p *sealPlan) checkIndexTargets() error {
	for i, f := range p.fields {
		if f.indexTo == nil {
			continue
		}
		for j, g := range p.fields {
			if j != i && (slices.Equal(f.indexTo, g.path) || j < i && slices.Equal(f.indexTo, g.indexTo)) {
				return &FieldError{Type: p.name, Field: f.name, Err: invalidf("its index field is also written for %s", g.name)}
			}
		}
	}
	return nil
}

// planWalk walks a struct type for buildPlan. It follows nested structs and
// pointers to structs, exported or embedded, as parts of the same record:
// a nested field is named by its path ("Billing.IBAN") and a field of an
// embedded struct as promoted ("Email"), so that embedding does not change
// its context. What it cannot seal it refuses rather than leave in clear:
// slices, arrays and maps of structs with fields to seal, recursive types
// that hold such fields, and promoted names that Go does not promote
// (shadowed or ambiguous). A field tagged `pii:"-"` is skipped, for values
// that the caller seals in their own calls.
type planWalk struct {
	e      *Encryptor
	p      *sealPlan
	onPath map[reflect.Type]bool // struct types being walked
}

// planLevel is one struct type in the walk.
type planLevel struct {
	t      reflect.Type
	path   []int  // from the root to t
	prefix string // the names of t's fields start with it
	// scope is the struct where t's field names are looked up: the root
	// or the nearest struct reached by a named field, at scopeLen
	// elements of path.
	scope    reflect.Type
	scopeLen int
	// viaPointer: t is reached through a pointer, so its fields may share
	// memory with others.
	viaPointer bool
}

func (w *planWalk) walk(lv planLevel) error {
	for i := range lv.t.NumField() {
		f := lv.t.Field(i)
		tag, tagged := f.Tag.Lookup("pii")
		if tag == "-" || f.Name == "_" {
			continue // opted out, or blank (holds nothing; may declare the table)
		}
		fpath := append(slices.Clip(lv.path), i)
		name := lv.prefix + f.Name
		fail := func(err error) error { return &FieldError{Type: w.p.name, Field: name, Err: err} }
		if !f.IsExported() && !f.Anonymous {
			// Seal cannot write an unexported field: one it would have
			// to seal is an error, never a value left in clear.
			if err := unexportedSealable(f, tag, tagged); err != nil {
				return fail(err)
			}
			if holdsInterface(f.Type) {
				w.p.dynamic = append(w.p.dynamic, planIface{path: fpath, name: name})
			}
			continue
		}
		if inner := nestedStruct(f.Type); inner != nil {
			if err := w.nested(lv, f, inner, fpath, name, tag, tagged); err != nil {
				if fe := (*FieldError)(nil); errors.As(err, &fe) {
					return err // from a field inside: it names the field at fault
				}
				return fail(err)
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if holdsInterface(f.Type) {
			w.p.dynamic = append(w.p.dynamic, planIface{path: fpath, name: name})
		}
		if elem := containerElem(f.Type); elem != nil && hasSealTags(elem) {
			return fail(invalidError(`slices, arrays and maps are not followed: tag the field pii:"-" and seal each element in its own call, with its own record id`))
		}
		if !tagged {
			continue
		}
		ft, err := parseTag(tag)
		if err != nil {
			return fail(err)
		}
		if !ft.Encrypt && ft.Index == "" {
			continue
		}
		if !lv.promotes(f.Name, fpath) {
			return fail(errShadowed)
		}
		sf, err := w.field(lv, f, ft, fpath, name)
		if err != nil {
			return fail(err)
		}
		w.p.fields = append(w.p.fields, sf)
		if sf.encrypt {
			w.p.encrypted++
		}
	}
	return nil
}

// unexportedSealable refuses an unexported field that is tagged to be
// sealed or indexed, or that holds a struct with such fields.
func unexportedSealable(f reflect.StructField, tag string, tagged bool) error {
	if tagged {
		ft, err := parseTag(tag)
		if err != nil {
			return err
		}
		if ft.Encrypt || ft.Index != "" {
			return invalidError(`an unexported field cannot be sealed: export it, or tag it pii:"-" if it must stay as it is`)
		}
	}
	if inner := containerElem(f.Type); inner != nil && hasSealTags(inner) {
		return invalidError(`an unexported field holds a struct with fields to seal: export it, or tag it pii:"-" and seal the struct in its own call`)
	}
	return nil
}

const errShadowed = invalidError("the field is not promoted (an outer field of the same name shadows it, or two embedded structs at one depth have it): rename one, or tag pii:\"-\" the embedded field that holds this one")

// nested walks the struct type inner of field f (a struct or pointers to
// one).
func (w *planWalk) nested(lv planLevel, f reflect.StructField, inner reflect.Type, fpath []int, name, tag string, tagged bool) error {
	if stdType(inner) {
		return nil // time.Time, sync.Mutex, *sql.DB...: no pii tags inside
	}
	if tagged {
		ft, err := parseTag(tag)
		if err != nil {
			return err
		}
		if ft.Encrypt || ft.Index != "" {
			return invalidError("only string fields can be encrypted or indexed")
		}
	}
	if w.onPath[inner] {
		if hasSealTags(inner) {
			return invalidError(`a recursive type holds another record: tag the field pii:"-" and seal it in its own call`)
		}
		return nil
	}
	if !f.Anonymous && !lv.promotes(f.Name, fpath) {
		if hasSealTags(inner) {
			return errShadowed
		}
		return nil
	}
	via := lv.viaPointer || f.Type.Kind() == reflect.Pointer
	w.p.pointers = w.p.pointers || via
	next := planLevel{t: inner, path: fpath, prefix: name + ".", scope: inner, scopeLen: len(fpath), viaPointer: via}
	if f.Anonymous {
		next.prefix, next.scope, next.scopeLen = lv.prefix, lv.scope, lv.scopeLen
	}
	w.onPath[inner] = true
	defer delete(w.onPath, inner)
	return w.walk(next)
}

// promotes reports whether the field at fpath, named name in its struct,
// is what Go selects as scope.name: always for a direct field, and for one
// of an embedded struct when no other field shadows it and no other
// embedded struct at its depth has the name.
func (lv planLevel) promotes(name string, fpath []int) bool {
	rel := fpath[lv.scopeLen:]
	if len(rel) == 1 {
		return true
	}
	sf, ok := lv.scope.FieldByName(name)
	return ok && slices.Equal(sf.Index, rel)
}

// field plans the tagged, exported string field f of lv.
func (w *planWalk) field(lv planLevel, f reflect.StructField, ft fieldTag, fpath []int, name string) (sealField, error) {
	if f.Type.Kind() != reflect.String {
		return sealField{}, invalidError("only string fields can be encrypted or indexed")
	}
	p := w.p
	sf := sealField{path: fpath, name: name, encrypt: ft.Encrypt, viaPointer: lv.viaPointer}
	if ft.Encrypt {
		// The context is (table, field, record id); the subkey's purpose is
		// everything but the record id. Version 1 had the bare type name
		// where version 2 has the table identity.
		sf.key = w.e.fieldKey(appendPurpose(nil, kindKeyring2, []string{p.table, name, ""}))
		sf.keyV1 = w.e.fieldKey(appendPurpose(nil, kindKeyring, []string{p.name, name, ""}))
	}
	if ft.Index == "" {
		return sf, nil
	}
	owner := lv.t.Name()
	switch {
	case lv.path == nil:
		owner = p.name
	case owner == "":
		owner = lv.t.String()
	}
	target, ok := lv.t.FieldByName(ft.Index)
	switch {
	case !ok || len(target.Index) != 1 || !target.IsExported():
		return sealField{}, invalidf("index field %s is not an exported field of %s", ft.Index, owner)
	case target.Type.Kind() != reflect.String:
		return sealField{}, invalidf("index field %s is not a string", ft.Index)
	case target.Index[0] == fpath[len(fpath)-1]:
		return sealField{}, invalidError("a field cannot be its own index")
	}
	if tt, ok := target.Tag.Lookup("pii"); ok {
		if tft, err := parseTag(tt); err == nil && tft.Encrypt {
			return sealField{}, invalidf("index field %s is itself encrypted", ft.Index)
		}
	}
	sf.indexTo = append(slices.Clip(lv.path), target.Index[0])
	if !lv.promotes(ft.Index, sf.indexTo) {
		return sealField{}, fmt.Errorf("index field %s: %w", ft.Index, errShadowed)
	}
	sf.indexName = p.indexPrefix + "." + lv.prefix + ft.Index
	cfg, registered := w.e.indexes[sf.indexName]
	switch {
	case !registered && categoryOfIndex(sf.indexName) != ft.Category:
		return sealField{}, invalidf("index %s: its name does not spell category %s; configure it in Options.Indexes so that BlindIndex normalises as Seal does", sf.indexName, ft.Category)
	case registered && cfg.Category != ft.Category:
		return sealField{}, invalidf("index %s is configured for category %q, the field is %s", sf.indexName, cfg.Category, ft.Category)
	}
	// Unregistered, the index normalises by the category its name spells,
	// which is the field's (checked above).
	sf.indexSt = w.e.indexState(sf.indexName)
	return sf, nil
}

// nestedStruct returns t, or what t points to, when that is a struct.
// Bounded: `type p *p` points to itself.
func nestedStruct(t reflect.Type) reflect.Type {
	for range maxElemDepth {
		switch t.Kind() {
		case reflect.Pointer:
			t = t.Elem()
		case reflect.Struct:
			return t
		default:
			return nil
		}
	}
	return nil
}

// containerElem returns the struct type held by a slice, array or map
// field (through pointers and nesting), or nil. Bounded: `type list
// []list` holds itself and nothing else.
func containerElem(t reflect.Type) reflect.Type {
	for range maxElemDepth {
		switch t.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer:
			t = t.Elem()
		case reflect.Struct:
			return t
		default:
			return nil
		}
	}
	return nil
}

// sealTags caches hasSealTags per struct type: [Encryptor.Seal] checks the
// dynamic types held by interface fields on every call.
var sealTags sync.Map // reflect.Type → bool

// hasSealTags reports whether struct type t, or a struct it holds, has a
// field that [Encryptor.Seal] would encrypt or index (or a malformed tag).
func hasSealTags(t reflect.Type) bool {
	if v, ok := sealTags.Load(t); ok {
		return v.(bool)
	}
	has := scanSealTags(t, map[reflect.Type]bool{})
	sealTags.Store(t, has)
	return has
}

func scanSealTags(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] || stdType(t) {
		return false
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		tag, tagged := f.Tag.Lookup("pii")
		if tag == "-" || f.Name == "_" {
			continue
		}
		if tagged {
			if ft, err := parseTag(tag); err != nil || ft.Encrypt || ft.Index != "" {
				return true
			}
		}
		if inner := containerElem(f.Type); inner != nil && scanSealTags(inner, seen) {
			return true
		}
	}
	return false
}

// fieldAt returns the field of struct v at path, through nested structs
// and pointers; false when a pointer on the way is nil.
func fieldAt(v reflect.Value, path []int) (reflect.Value, bool) {
	for _, x := range path {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// fieldAddr returns the address of target k of the plan: field k/2, or
// for odd k its blind-index field.
func (p *sealPlan) fieldAddr(v reflect.Value, k int) (reflect.Value, bool) {
	path := p.fields[k/2].path
	if k%2 == 1 {
		path = p.fields[k/2].indexTo
	}
	if path == nil {
		return reflect.Value{}, false
	}
	fv, ok := fieldAt(v, path)
	if !ok {
		return reflect.Value{}, false
	}
	return fv.Addr(), true
}

// check refuses, per call, what the plan cannot see in types: two fields
// that share memory through pointers (each would overwrite the other's
// token, bound to another field), and a struct with fields to seal held
// in an interface value, at any depth (an interface in an interface, an
// []any, a map of any).
func (p *sealPlan) check(v reflect.Value) error {
	for _, f := range p.dynamic {
		fv, ok := fieldAt(v, f.path)
		if !ok {
			continue
		}
		w := valueWalk{budget: maxCheckNodes}
		if err := w.find(fv, 0); err != nil {
			return &FieldError{Type: p.name, Field: f.name + w.where, Err: err}
		}
	}
	if !p.pointers {
		return nil
	}
	// Two fields can share memory only when one of them is reached through a
	// pointer. Addresses are compared pairwise and never stored: a growing
	// slice of them, or Pointer and UnsafeAddr (which force their target to
	// escape), would move every struct passed to [Encryptor.Seal] to the
	// heap.
	for a := range 2 * len(p.fields) {
		fa := p.fields[a/2]
		va, ok := p.fieldAddr(v, a)
		if !ok {
			continue
		}
		for b := (a/2 + 1) * 2; b < 2*len(p.fields); b++ {
			if !fa.viaPointer && !p.fields[b/2].viaPointer {
				continue
			}
			if vb, ok := p.fieldAddr(v, b); ok && va.UnsafePointer() == vb.UnsafePointer() {
				return &FieldError{Type: p.name, Field: p.fields[b/2].name, Err: invalidError("shares its value with another field through pointers")}
			}
		}
	}
	return nil
}

// errInvalidTarget reports a [Encryptor.Seal] or [Encryptor.Open] argument
// that is not a non-nil pointer to a struct.
const errInvalidTarget = invalidError("pii: target must be a non-nil pointer to a struct")

// target checks ptr and returns the struct value and its plan.
func (e *Encryptor) target(ptr any, recordID string) (reflect.Value, *sealPlan, error) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, nil, errInvalidTarget
	}
	if recordID == "" {
		return reflect.Value{}, nil, invalidError("pii: empty record id")
	}
	v = v.Elem()
	p, err := e.plan(v.Type())
	if err != nil {
		return reflect.Value{}, nil, err
	}
	if len(p.dynamic) > 0 || p.pointers {
		if err := p.check(v); err != nil {
			return reflect.Value{}, nil, err
		}
	}
	return v, p, nil
}

// Seal encrypts, in place, the string fields of the struct *ptr tagged
// `pii:"<category>,encrypt"`, under the primary key with the context (table,
// field name, recordID), and fills the fields named by `index=<Field>` with
// the blind index (named "<table>.<Field>" for a declared table, else
// "<Type>.<Field>"; see [Encryptor.BlindIndex]) of the plaintext. The table
// is the name a blank field declares (_ struct{} `pii:"table=users"`: 1 to
// 128 ASCII letters, digits, '_', '.' or '-'), or else the type's package
// path and name. Empty fields are left empty. A field that already holds a
// token of this field and record is left as it is, or moved to the primary
// key and the current context if it is under an older key or was written
// before the table binding, so Seal is idempotent; a value that
// starts with the token prefix but does not authenticate is an error
// ([ErrDecrypt]), never stored as is. Untagged fields are skipped. On error
// *ptr is unchanged.
//
// Seal follows exported nested structs, embedded structs and non-nil
// pointers to structs, as parts of the same record: a nested field's name
// in the context is its path ("Billing.IBAN"), and a field of an embedded
// struct is named as promoted ("Email"), so embedding a struct does not
// change its tokens. What it cannot seal is an [ErrInvalid], in a [FieldError]
// naming the field, rather than left in clear: an unexported field tagged
// to be sealed or holding such a struct; slices, arrays and maps of structs
// with tagged fields; recursive types that hold them; tagged fields that Go
// does not promote (shadowed or ambiguous); two fields sharing memory
// through pointers; and, checked on each call at any depth, a struct with
// tagged fields held in an interface value (an `[]any`, a map of any, an
// interface in an interface). Tag such a field `pii:"-"` and seal its
// values in their own calls, each with its own record id.
//
// The record id binds each token to its row: [Encryptor.Open] with another
// record id fails. It must be stable for the row's life (a primary key, not a
// position). Without a declared table, renaming or moving the Go type changes
// the context (declare the table to avoid that); renaming a field always
// does: rename with Open under the old name and Seal under the new.
func (e *Encryptor) Seal(ptr any, recordID string) error {
	v, p, err := e.target(ptr, recordID)
	if err != nil {
		return err
	}
	return e.seal(v, p, nil, "", recordID)
}

// Open decrypts in place the fields that [Encryptor.Seal] encrypted.
// Blind-index fields are left as they are. On error *ptr is unchanged.
func (e *Encryptor) Open(ptr any, recordID string) error {
	v, p, err := e.target(ptr, recordID)
	if err != nil {
		return err
	}
	return e.open(v, p, nil, "", recordID)
}

// SealFor is [Encryptor.Seal] under subject's data key (see
// [Encryptor.EncryptFor]): after Forget(ctx, subject) [Encryptor.OpenFor]
// fails with [ErrErased]. Blind indexes stay under the keyring's index key;
// the host deletes them on erasure. Fields that already hold a token are left
// alone: to move a row sealed by Seal to the subject's key, [Encryptor.Open]
// it and SealFor it.
func (e *Encryptor) SealFor(ctx context.Context, ptr any, subject, recordID string) error {
	v, p, err := e.target(ptr, recordID) // before a subject key is created for it
	if err != nil {
		return err
	}
	prk, err := e.subjectKey(ctx, subject, true)
	if err != nil {
		return err
	}
	defer clear(prk)
	return e.seal(v, p, prk, subject, recordID)
}

// OpenFor is [Encryptor.Open] for a struct sealed by [Encryptor.SealFor].
func (e *Encryptor) OpenFor(ctx context.Context, ptr any, subject, recordID string) error {
	v, p, err := e.target(ptr, recordID)
	if err != nil {
		return err
	}
	prk, err := e.subjectKey(ctx, subject, false)
	if err != nil {
		return err
	}
	defer clear(prk)
	return e.open(v, p, prk, subject, recordID)
}

// maxInlineFields is the number of field results kept on the stack.
const maxInlineFields = 8

// sealed is the new value of one field and of its blind-index field, as
// offsets into the single string that seal builds.
type sealed struct {
	changed        bool
	indexed        bool // the blind index was computed too
	tokEnd, idxEnd int  // value: [start, tokEnd), index: [tokEnd, idxEnd)
}

func (e *Encryptor) seal(v reflect.Value, p *sealPlan, prk []byte, subject, recordID string) error {
	var err error
	s := getScratch()
	defer putScratch(s)
	// Every new value is appended to one buffer that becomes one string,
	// whose substrings are the new field values: a single allocation per
	// struct. Nothing is assigned before every field succeeded, so that an
	// error leaves the struct untouched.
	var inline [maxInlineFields]sealed
	out := inline[:0]
	if len(p.fields) > len(inline) {
		out = make([]sealed, 0, len(p.fields))
	}
	nonces := s.drawNonces(p.encrypted)
	buf := s.text[:0]
	defer func() { s.text = buf }() // cleared by putScratch
	for _, f := range p.fields {
		fv, ok := fieldAt(v, f.path)
		var plain string
		if ok {
			plain = fv.String()
		}
		ctx := [3]string{p.table, f.name, recordID}
		var nonce []byte
		if f.encrypt {
			nonce, nonces = nonces[:nonceSize], nonces[nonceSize:]
		}
		r := sealed{tokEnd: len(buf), idxEnd: len(buf)}
		switch {
		case plain == "":
		case f.encrypt && IsToken(plain):
			// Already sealed: it must authenticate here, so that a value
			// merely starting with the token prefix is an error, not
			// plaintext stored as if encrypted. A token in the version-1
			// context or under an older key is moved to the current form,
			// of the same kind (keyring or subject); its index stays.
			var pt []byte
			var ti tokenInfo
			pt, ti, err = e.openField(s, p, f, prk, subject, plain, recordID)
			if err == nil && e.stale(f, ti) {
				s.old = append(s.old[:0], pt...)
				clear(s.raw)
				sprk := prk
				if ti.kind&^kindV2 == kindKeyring {
					sprk = nil
				}
				r.changed = true
				buf, err = appendField(e, s, buf, f, sprk, subject, s.old, ctx[:], nonce)
				clear(s.old)
				r.tokEnd, r.idxEnd = len(buf), len(buf)
			}
			clear(s.raw) // the plaintext: only its authentication mattered
		default:
			r.changed, r.indexed = true, f.indexTo != nil
			buf, err = appendField(e, s, buf, f, prk, subject, plain, ctx[:], nonce)
			r.tokEnd = len(buf)
			if err == nil && f.indexTo != nil {
				buf, err = e.appendBlindIndex(buf, f.indexSt, plain)
			}
			r.idxEnd = len(buf)
		}
		if err != nil {
			return &FieldError{Type: p.name, Field: f.name, Err: err}
		}
		out = append(out, r)
	}
	all, start := string(buf), 0
	for i, f := range p.fields {
		r := out[i]
		if r.changed {
			if f.encrypt {
				fv, _ := fieldAt(v, f.path)
				fv.SetString(all[start:r.tokEnd])
			}
			if r.indexed {
				iv, _ := fieldAt(v, f.indexTo)
				iv.SetString(all[r.tokEnd:r.idxEnd])
			}
		}
		start = r.idxEnd
	}
	return nil
}

// appendField appends the token of one field's plaintext to buf (nothing for
// a field that is only indexed), in context version 2.
func appendField[T string | []byte](e *Encryptor, s *scratch, buf []byte, f sealField, prk []byte, subject string, plain T, ctx []string, nonce []byte) ([]byte, error) {
	switch {
	case !f.encrypt:
		return buf, nil
	case prk != nil:
		return appendSubjectToken(s, buf, kindSubject2, prk, subject, plain, ctx, nonce)
	}
	id, aead, err := f.key.primary(e.kr)
	if err != nil {
		return buf, err
	}
	return appendTextToken(s, buf, kindKeyring2, id, aead, nil, plain, ctx, nonce)
}

// tokenInfo is the header of a token that openField authenticated; zero
// for a legacy plaintext value.
type tokenInfo struct {
	kind  byte
	keyID uint32
}

// stale reports whether an authenticated token of field f is not in the
// form [Encryptor.Seal] writes: context version 1, or a keyring token under a key
// other than the primary.
func (e *Encryptor) stale(f sealField, t tokenInfo) bool {
	switch {
	case t.kind == 0: // legacy plaintext: left to migration mode's own rules
		return false
	case t.kind&kindV2 == 0:
		return true
	case t.kind == kindKeyring2:
		id, _, err := f.key.primary(e.kr)
		return err == nil && id != t.keyID
	}
	return false
}

func (e *Encryptor) open(v reflect.Value, p *sealPlan, prk []byte, subject, recordID string) error {
	var err error
	s := getScratch()
	defer putScratch(s)
	// One string per field, unlike [Encryptor.Seal]: a plaintext that the
	// caller keeps (in a cache, say) must not keep the row's other personal
	// data alive.
	var inline [maxInlineFields]string
	out := inline[:0]
	if len(p.fields) > len(inline) {
		out = make([]string, 0, len(p.fields))
	}
	for _, f := range p.fields {
		fv, ok := fieldAt(v, f.path)
		if !ok {
			out = append(out, "")
			continue
		}
		plain := fv.String()
		if f.encrypt && plain != "" {
			var pt []byte
			if pt, _, err = e.openField(s, p, f, prk, subject, plain, recordID); err != nil {
				return &FieldError{Type: p.name, Field: f.name, Err: err}
			}
			if pt != nil {
				plain = string(pt)
				clear(pt)
			}
		}
		out = append(out, plain)
	}
	for i, f := range p.fields {
		if fv, ok := fieldAt(v, f.path); ok {
			fv.SetString(out[i])
		}
	}
	return nil
}

// openField decrypts one field's token, in either context version, with
// the subject's key when prk is set, and returns the token's kind. The
// plaintext aliases s.raw, and the caller clears it; nil (kind 0) means a
// legacy plaintext value (migration mode), which is the token itself.
func (e *Encryptor) openField(s *scratch, p *sealPlan, f sealField, prk []byte, subject, token, recordID string) ([]byte, tokenInfo, error) {
	if !IsToken(token) {
		_, err := e.legacyValue(token)
		return nil, tokenInfo{}, err
	}
	t, err := parseToken(token, &s.raw)
	if err != nil {
		return nil, tokenInfo{}, err
	}
	ctx := [3]string{p.table, f.name, recordID}
	if t.kind&kindV2 == 0 {
		if e.rejectV1 {
			return nil, tokenInfo{}, &tokenError{Reason: "token in the version-1 context (Options.RejectOldContext)"}
		}
		ctx[0] = p.name
	}
	var pt []byte
	switch t.kind {
	case kindKeyring:
		pt, err = e.openKeyring(s, f.keyV1, kindKeyring, t, ctx[:], t.ciphertext[:0])
	case kindKeyring2:
		pt, err = e.openKeyring(s, f.key, kindKeyring2, t, ctx[:], t.ciphertext[:0])
	case kindSubject, kindSubject2:
		if prk == nil {
			return nil, tokenInfo{}, &tokenError{Reason: "subject token: use OpenFor"}
		}
		pt, err = openSubjectToken(s, prk, subject, t, ctx[:])
	default:
		return nil, tokenInfo{}, &tokenError{Reason: "wrong token kind"}
	}
	return pt, tokenInfo{kind: t.kind, keyID: t.keyID}, err
}

// maxCheckDepth and maxCheckNodes bound the per-call walk of values held in
// interfaces: deeper or larger values (and pointer cycles) are refused, as
// what cannot be checked might hold a struct left in clear.
const (
	maxCheckDepth = 64
	maxCheckNodes = 1 << 20
)

// valueWalk finds a struct with fields to seal inside a value that holds
// interface values. where names the place found, by position and type,
// never by a value or a map key (which may be personal data).
type valueWalk struct {
	budget int
	where  string
}

const (
	errHeldInInterface = invalidError(`holds a struct with fields to seal in an interface value, which Seal cannot plan: seal it in its own call and tag the field pii:"-"`)
	errTooDeep         = invalidError(`holds interface values nested too deeply (or in a cycle) to check: tag the field pii:"-" if it holds no struct to seal`)
)

func (w *valueWalk) find(v reflect.Value, depth int) error {
	if depth > maxCheckDepth || w.budget <= 0 {
		return errTooDeep
	}
	w.budget--
	if !v.IsValid() {
		return nil
	}
	if depth > 0 {
		if t := containerElem(v.Type()); t != nil && hasSealTags(t) {
			w.where += ".(" + v.Type().String() + ")"
			return errHeldInInterface
		}
	}
	if !holdsInterface(v.Type()) {
		return nil
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return w.find(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.Name != "_" && f.Tag.Get("pii") != "-" && holdsInterface(f.Type) {
				if err := w.find(v.Field(i), depth+1); err != nil {
					return w.at("."+f.Name, err)
				}
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := w.find(v.Index(i), depth+1); err != nil {
				return w.at("["+strconv.Itoa(i)+"]", err)
			}
		}
	case reflect.Map:
		// Not MapRange or MapIter, through which v (and so every struct
		// passed to [Encryptor.Seal]) would escape to the heap.
		for _, k := range v.MapKeys() {
			if err := w.find(k, depth+1); err != nil {
				return w.at("[key]", err)
			}
			if err := w.find(v.MapIndex(k), depth+1); err != nil {
				return w.at("[…]", err)
			}
		}
	}
	return nil
}

// at prefixes the place of a struct found with step; a value too deep to
// check is reported at the field itself.
func (w *valueWalk) at(step string, err error) error {
	if err == errHeldInInterface {
		w.where = step + w.where
	}
	return err
}

// stdType reports whether t is a named type of the standard library, which
// holds no pii tags and whose interface fields (a context's values, a
// logger's handler) [Encryptor.Seal] does not follow.
func stdType(t reflect.Type) bool {
	return t.PkgPath() != "" && standardPackage(t.PkgPath())
}

// holdsIface caches holdsInterface per type.
var holdsIface sync.Map // reflect.Type → bool

// holdsInterface reports whether a value of type t can hold an interface
// value: t is an interface, or a pointer, slice, array, map or struct
// (through any of its fields but blank and pii:"-" ones) that holds one.
func holdsInterface(t reflect.Type) bool {
	if v, ok := holdsIface.Load(t); ok {
		return v.(bool)
	}
	has := scanInterface(t, map[reflect.Type]bool{})
	holdsIface.Store(t, has)
	return has
}

// scanInterface is holdsInterface without the cache. seen holds the types
// already scanned on this call: a type met again (`type list []list`, a
// struct pointing to itself) adds nothing.
func scanInterface(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t.Kind() == reflect.Interface {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return scanInterface(t.Elem(), seen)
	case reflect.Map:
		return scanInterface(t.Key(), seen) || scanInterface(t.Elem(), seen)
	case reflect.Struct:
		if stdType(t) {
			return false
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.Name != "_" && f.Tag.Get("pii") != "-" && scanInterface(f.Type, seen) {
				return true
			}
		}
	}
	return false
}
