package pii

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
)

// sealPlan is the cached, per-type list of what Seal and Open do.
type sealPlan struct {
	table     string // the struct type's name: first context element
	fields    []sealField
	encrypted int // fields with encrypt set
}

type sealField struct {
	path      []int  // field indexes from the root struct, through nested structs and pointers
	name      string // the field's name, as promoted: "Email", "Billing.IBAN"
	encrypt   bool
	indexTo   []int // path of the field receiving the blind index, or nil
	indexName string
	indexSt   *indexState
	key       *fieldKey // for encrypted fields
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
	p := &sealPlan{table: t.Name()}
	if p.table == "" {
		p.table = t.String()
	}
	if err := e.walkPlan(p, t, nil, "", map[reflect.Type]bool{t: true}); err != nil {
		return nil, err
	}
	return p, nil
}

// walkPlan adds to p the fields of struct type t, reached from the root
// struct by path and named with prefix. It follows exported nested structs
// and pointers to structs (fields of embedded ones named as promoted, so
// that embedding does not change a field's context), and refuses slices,
// arrays and maps of tagged structs and recursive types rather than leave
// their fields in clear: a field tagged `pii:"-"` is skipped, for values
// that the caller seals in their own calls. onPath holds the struct types
// being walked.
func (e *Encryptor) walkPlan(p *sealPlan, t reflect.Type, path []int, prefix string, onPath map[reflect.Type]bool) error {
	for i := range t.NumField() {
		f := t.Field(i)
		name := prefix + f.Name
		fail := func(err error) error { return &FieldError{Type: p.table, Field: name, Err: err} }
		tag, tagged := f.Tag.Lookup("pii")
		if tag == "-" || !f.IsExported() {
			continue
		}
		fpath := append(slices.Clip(path), i)
		if inner := nestedStruct(f.Type); inner != nil {
			if ft, err := parseTag(tag); tagged && (err != nil || ft.Encrypt || ft.Index != "") {
				return fail(errors.New("only string fields can be encrypted or indexed"))
			}
			if onPath[inner] {
				if hasSealTags(inner, map[reflect.Type]bool{}) {
					return fail(errors.New(`a recursive type holds another record: tag the field pii:"-" and seal it in its own call`))
				}
				continue
			}
			nested := name + "."
			if f.Anonymous {
				nested = prefix
			}
			onPath[inner] = true
			err := e.walkPlan(p, inner, fpath, nested, onPath)
			delete(onPath, inner)
			if err != nil {
				return err
			}
			continue
		}
		if elem := containerElem(f.Type); elem != nil && hasSealTags(elem, map[reflect.Type]bool{}) {
			return fail(errors.New(`Seal does not follow slices, arrays or maps: tag the field pii:"-" and seal each element in its own call, with its own record id`))
		}
		if !tagged {
			continue
		}
		sf, err := e.planField(p, t, f, fpath, name, prefix, tag)
		if err != nil {
			return fail(err)
		}
		if sf.encrypt || sf.indexTo != nil {
			p.fields = append(p.fields, sf)
		}
		if sf.encrypt {
			p.encrypted++
		}
	}
	return nil
}

// planField plans the tagged exported field f of struct type t.
func (e *Encryptor) planField(p *sealPlan, t reflect.Type, f reflect.StructField, fpath []int, name, prefix, tag string) (sealField, error) {
	ft, err := parseTag(tag)
	if err != nil {
		return sealField{}, err
	}
	if !ft.Encrypt && ft.Index == "" {
		return sealField{}, nil
	}
	if f.Type.Kind() != reflect.String {
		return sealField{}, errors.New("only string fields can be encrypted or indexed")
	}
	sf := sealField{path: fpath, name: name, encrypt: ft.Encrypt}
	if ft.Encrypt {
		// The context is (type, field, record id); the subkey's purpose is
		// everything but the record id.
		sf.key = &fieldKey{purpose: appendPurpose(nil, kindKeyring, []string{p.table, name, ""})}
	}
	if ft.Index == "" {
		return sf, nil
	}
	target, ok := t.FieldByName(ft.Index)
	switch {
	case !ok || len(target.Index) != 1 || !target.IsExported():
		return sealField{}, fmt.Errorf("index field %s is not an exported field of %s", ft.Index, t.Name())
	case target.Type.Kind() != reflect.String:
		return sealField{}, fmt.Errorf("index field %s is not a string", ft.Index)
	case target.Index[0] == fpath[len(fpath)-1]:
		return sealField{}, errors.New("a field cannot be its own index")
	}
	if tt, ok := target.Tag.Lookup("pii"); ok {
		if tft, err := parseTag(tt); err == nil && tft.Encrypt {
			return sealField{}, fmt.Errorf("index field %s is itself encrypted", ft.Index)
		}
	}
	sf.indexTo = append(slices.Clip(fpath[:len(fpath)-1]), target.Index[0])
	sf.indexName = p.table + "." + prefix + ft.Index
	cfg, registered := e.indexes[sf.indexName]
	switch {
	case !registered && categoryOfIndex(sf.indexName) != ft.Category:
		return sealField{}, fmt.Errorf("index %s: its name does not spell category %s; configure it with WithBlindIndex so that BlindIndex normalises as Seal does", sf.indexName, ft.Category)
	case registered && cfg.Category != ft.Category:
		return sealField{}, fmt.Errorf("index %s is configured for category %q, the field is %s", sf.indexName, cfg.Category, ft.Category)
	}
	// Unregistered, the index normalises by the category its name spells,
	// which is the field's (checked above).
	sf.indexSt = e.indexState(sf.indexName)
	return sf, nil
}

// nestedStruct returns t, or what t points to, when that is a struct.
func nestedStruct(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		return t
	}
	return nil
}

// containerElem returns the struct type held by a slice, array or map
// field (through pointers and nesting), or nil.
func containerElem(t reflect.Type) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer:
			t = t.Elem()
		case reflect.Struct:
			return t
		default:
			return nil
		}
	}
}

// hasSealTags reports whether struct type t, or a struct it holds, has a
// field tagged encrypt or index=.
func hasSealTags(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, ok := f.Tag.Lookup("pii"); ok {
			if ft, err := parseTag(tag); err != nil || ft.Encrypt || ft.Index != "" {
				return true
			}
		}
		if inner := containerElem(f.Type); inner != nil && hasSealTags(inner, seen) {
			return true
		}
	}
	return false
}

// fieldAt returns the field of struct v at path, through nested structs
// and pointers; false when a pointer on the way is nil.
func fieldAt(v reflect.Value, path []int) (reflect.Value, bool) {
	for i, x := range path {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// target checks ptr and returns the struct value and its plan.
func (e *Encryptor) target(ptr any, recordID string) (reflect.Value, *sealPlan, error) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, nil, ErrInvalidTarget
	}
	if recordID == "" {
		return reflect.Value{}, nil, errors.New("pii: empty record id")
	}
	v = v.Elem()
	p, err := e.plan(v.Type())
	return v, p, err
}

// Seal encrypts, in place, the string fields of the struct *ptr tagged
// `pii:"<category>,encrypt"`, under the primary key with the context (type
// name, field name, recordID), and fills the fields named by
// `index=<Field>` with the blind index (named "<Type>.<Field>", see
// BlindIndex) of the plaintext. Empty fields, and fields that already hold a
// token of this field and record, are left as they are, so Seal is
// idempotent; a value that starts with the token prefix but does not
// authenticate is an error (ErrDecrypt), never stored as is. Untagged and
// unexported fields are skipped. On error *ptr is unchanged.
//
// Seal follows exported nested structs and non-nil pointers to structs, as
// part of the same record: a nested field's name in the context is its
// path ("Billing.IBAN"), and a field of an embedded struct is named as
// promoted ("Email"), so embedding a struct does not change its tokens.
// Slices, arrays and maps of structs with tagged fields, and pointers to a
// type that holds them already (recursive types), are an error rather than
// left in clear: tag such a field `pii:"-"` and seal its values in their own
// calls, each with its own record id.
//
// The record id binds each token to its row: Open with another record id
// fails. It must be stable for the row's life (a primary key, not a
// position). Renaming the Go type or field changes the context; rename with
// Open under the old type and Seal under the new.
func (e *Encryptor) Seal(ptr any, recordID string) error {
	return e.seal(ptr, nil, "", recordID)
}

// Open decrypts in place the fields that Seal encrypted. Blind-index fields
// are left as they are. On error *ptr is unchanged.
func (e *Encryptor) Open(ptr any, recordID string) error {
	return e.open(ptr, nil, "", recordID)
}

// SealFor is Seal under subject's data key (see EncryptFor): after
// Forget(ctx, subject) OpenFor fails with ErrErased. Blind indexes stay
// under the keyring's index key; the host deletes them on erasure. Fields
// that already hold a token are left alone: to move a row sealed by Seal to
// the subject's key, Open it and SealFor it.
func (e *Encryptor) SealFor(ctx context.Context, ptr any, subject, recordID string) error {
	prk, err := e.subjectKey(ctx, subject, true)
	if err != nil {
		return err
	}
	defer clear(prk)
	return e.seal(ptr, prk, subject, recordID)
}

// OpenFor is Open for a struct sealed by SealFor.
func (e *Encryptor) OpenFor(ctx context.Context, ptr any, subject, recordID string) error {
	if _, _, err := e.target(ptr, recordID); err != nil {
		return err
	}
	prk, err := e.subjectKey(ctx, subject, false)
	if err != nil {
		return err
	}
	defer clear(prk)
	return e.open(ptr, prk, subject, recordID)
}

// maxInlineFields is the number of field results kept on the stack.
const maxInlineFields = 8

// sealed is the new value of one field and of its blind-index field, as
// offsets into the single string that seal builds.
type sealed struct {
	changed        bool
	tokEnd, idxEnd int // value: [start, tokEnd), index: [tokEnd, idxEnd)
}

func (e *Encryptor) seal(ptr any, prk []byte, subject, recordID string) error {
	v, p, err := e.target(ptr, recordID)
	if err != nil {
		return err
	}
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
			// plaintext stored as if encrypted.
			_, err = e.openField(s, f, prk, subject, plain, ctx[:])
			clear(s.raw) // the plaintext: only its authentication mattered
		default:
			r.changed = true
			buf, err = e.sealField(s, buf, f, prk, subject, plain, ctx[:], nonce)
			r.tokEnd = len(buf)
			if err == nil && f.indexTo != nil {
				buf, err = e.appendBlindIndex(buf, f.indexSt, plain)
			}
			r.idxEnd = len(buf)
		}
		if err != nil {
			return &FieldError{Type: p.table, Field: f.name, Err: err}
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
			if f.indexTo != nil {
				iv, _ := fieldAt(v, f.indexTo)
				iv.SetString(all[r.tokEnd:r.idxEnd])
			}
		}
		start = r.idxEnd
	}
	return nil
}

// sealField appends the token of one field's plaintext to buf (nothing for
// a field that is only indexed).
func (e *Encryptor) sealField(s *scratch, buf []byte, f sealField, prk []byte, subject, plain string, ctx []string, nonce []byte) ([]byte, error) {
	switch {
	case !f.encrypt:
		return buf, nil
	case prk != nil:
		return e.appendEncryptSubject(s, buf, prk, subject, plain, ctx, nonce)
	}
	id, aead, err := f.key.primary(e.kr)
	if err != nil {
		return buf, err
	}
	return appendTextToken(s, buf, kindKeyring, id, aead, nil, plain, ctx, nonce)
}

func (e *Encryptor) open(ptr any, prk []byte, subject, recordID string) error {
	v, p, err := e.target(ptr, recordID)
	if err != nil {
		return err
	}
	s := getScratch()
	defer putScratch(s)
	// One string per field, unlike Seal: a plaintext that the caller keeps
	// (in a cache, say) must not keep the row's other personal data alive.
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
			ctx := [3]string{p.table, f.name, recordID}
			var pt []byte
			if pt, err = e.openField(s, f, prk, subject, plain, ctx[:]); err != nil {
				return &FieldError{Type: p.table, Field: f.name, Err: err}
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

// openField decrypts one field's token, with the subject's key when prk is
// set. The plaintext aliases s.raw, and the caller clears it; nil means a
// legacy plaintext value (migration mode), which is the token itself.
func (e *Encryptor) openField(s *scratch, f sealField, prk []byte, subject, token string, ctx []string) ([]byte, error) {
	switch {
	case !IsToken(token):
		_, err := e.legacyValue(token)
		return nil, err
	case prk != nil:
		return e.openSubject(s, prk, subject, token, ctx)
	}
	return e.decryptKeyring(s, f.key, kindKeyring, token, ctx)
}
