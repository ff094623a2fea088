package pii

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"reflect"
)

// sealPlan is the cached, per-type list of what Seal and Open do.
type sealPlan struct {
	table  string // the struct type's name: first context element
	fields []sealField
}

type sealField struct {
	index     int // field index in the struct
	name      string
	encrypt   bool
	indexTo   int // field index receiving the blind index, or -1
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
	fail := func(f reflect.StructField, err error) (*sealPlan, error) {
		return nil, &FieldError{Type: p.table, Field: f.Name, Err: err}
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("pii")
		if !ok || !f.IsExported() {
			continue
		}
		ft, err := parseTag(tag)
		if err != nil {
			return fail(f, err)
		}
		if !ft.Encrypt && ft.Index == "" {
			continue
		}
		if f.Type.Kind() != reflect.String {
			return fail(f, errors.New("only string fields can be encrypted or indexed"))
		}
		sf := sealField{index: i, name: f.Name, encrypt: ft.Encrypt, indexTo: -1}
		if ft.Encrypt {
			// The context is (type, field, record id); the subkey's
			// purpose is everything but the record id.
			sf.key = &fieldKey{purpose: appendPurpose(nil, kindKeyring, []string{p.table, f.Name, ""})}
		}
		if ft.Index != "" {
			target, ok := t.FieldByName(ft.Index)
			switch {
			case !ok || len(target.Index) != 1 || !target.IsExported():
				return fail(f, fmt.Errorf("index field %s is not an exported field of %s", ft.Index, p.table))
			case target.Type.Kind() != reflect.String:
				return fail(f, fmt.Errorf("index field %s is not a string", ft.Index))
			case target.Index[0] == i:
				return fail(f, errors.New("a field cannot be its own index"))
			}
			if tt, ok := target.Tag.Lookup("pii"); ok {
				if tft, err := parseTag(tt); err == nil && tft.Encrypt {
					return fail(f, fmt.Errorf("index field %s is itself encrypted", ft.Index))
				}
			}
			sf.indexTo = target.Index[0]
			sf.indexName = p.table + "." + ft.Index
			cfg, registered := e.indexes[sf.indexName]
			switch {
			case !registered && categoryOfIndex(sf.indexName) != ft.Category:
				return fail(f, fmt.Errorf("index %s: its name does not spell category %s; configure it with WithBlindIndex so that BlindIndex normalises as Seal does", sf.indexName, ft.Category))
			case registered && cfg.Category != ft.Category:
				return fail(f, fmt.Errorf("index %s is configured for category %q, the field is %s", sf.indexName, cfg.Category, ft.Category))
			}
			// Unregistered, the index normalises by the category its name
			// spells, which is the field's (checked above).
			sf.indexSt = e.indexState(sf.indexName)
		}
		p.fields = append(p.fields, sf)
	}
	return p, nil
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

func (e *Encryptor) seal(ptr any, prk []byte, subject, recordID string) error {
	v, p, err := e.target(ptr, recordID)
	if err != nil {
		return err
	}
	// Compute every new value before assigning any, so that an error
	// leaves the struct untouched.
	var inline [2 * maxInlineFields]string
	out := inline[:0]
	if 2*len(p.fields) > len(inline) {
		out = make([]string, 0, 2*len(p.fields))
	}
	for _, f := range p.fields {
		plain := v.Field(f.index).String()
		tok, idx := plain, ""
		ctx := [3]string{p.table, f.name, recordID}
		switch {
		case plain == "":
		case f.encrypt && IsToken(plain):
			// Already sealed: it must authenticate here, so that a value
			// merely starting with the token prefix is an error, not
			// plaintext stored as if encrypted.
			if prk != nil {
				_, err = e.decryptSubject(prk, subject, plain, ctx[:])
			} else {
				_, err = f.key.decrypt(e, plain, ctx[:])
			}
			if err != nil {
				return &FieldError{Type: p.table, Field: f.name, Err: err}
			}
		default:
			if f.indexTo >= 0 {
				if idx, err = e.blindIndex(f.indexSt, plain); err != nil {
					return &FieldError{Type: p.table, Field: f.name, Err: err}
				}
			}
			if f.encrypt {
				if prk != nil {
					tok, err = e.encryptSubject(prk, subject, plain, ctx[:])
				} else {
					var id uint32
					var aead cipher.AEAD
					if id, aead, err = f.key.primary(e.kr); err == nil {
						tok, err = encryptTokenSubject(e, kindKeyring, id, aead, nil, plain, ctx[:])
					}
				}
				if err != nil {
					return &FieldError{Type: p.table, Field: f.name, Err: err}
				}
			}
		}
		out = append(out, tok, idx)
	}
	for i, f := range p.fields {
		plain := v.Field(f.index).String()
		if plain == "" || f.encrypt && IsToken(plain) {
			continue
		}
		v.Field(f.index).SetString(out[2*i])
		if f.indexTo >= 0 {
			v.Field(f.indexTo).SetString(out[2*i+1])
		}
	}
	return nil
}

func (e *Encryptor) open(ptr any, prk []byte, subject, recordID string) error {
	v, p, err := e.target(ptr, recordID)
	if err != nil {
		return err
	}
	var inline [maxInlineFields]string
	out := inline[:0]
	if len(p.fields) > len(inline) {
		out = make([]string, 0, len(p.fields))
	}
	for _, f := range p.fields {
		tok := v.Field(f.index).String()
		if !f.encrypt || tok == "" {
			out = append(out, tok)
			continue
		}
		ctx := [3]string{p.table, f.name, recordID}
		var plain string
		if prk != nil {
			plain, err = e.decryptSubject(prk, subject, tok, ctx[:])
		} else {
			plain, err = f.key.decrypt(e, tok, ctx[:])
		}
		if err != nil {
			return &FieldError{Type: p.table, Field: f.name, Err: err}
		}
		out = append(out, plain)
	}
	for i, f := range p.fields {
		v.Field(f.index).SetString(out[i])
	}
	return nil
}
