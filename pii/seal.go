package pii

import (
	"context"
	"errors"
	"fmt"
	"reflect"
)

// sealPlan is the cached, per-type list of what Seal and Open do.
type sealPlan struct {
	table     string // the struct type's name: first context element
	fields    []sealField
	encrypted int // fields with encrypt set
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
		if sf.encrypt {
			p.encrypted++
		}
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
		plain := v.Field(f.index).String()
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
			if err == nil && f.indexTo >= 0 {
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
				v.Field(f.index).SetString(all[start:r.tokEnd])
			}
			if f.indexTo >= 0 {
				v.Field(f.indexTo).SetString(all[r.tokEnd:r.idxEnd])
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
		plain := v.Field(f.index).String()
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
		v.Field(f.index).SetString(out[i])
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
