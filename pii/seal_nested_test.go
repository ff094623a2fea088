package pii

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type Contact struct {
	Email      string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string
	Phone      string `pii:"phone,encrypt"`
}

type Billing struct {
	IBAN    string `pii:"iban,encrypt"`
	Address *Address
}

type Address struct {
	Line string `pii:"address,encrypt"`
	City string
}

// nestedUser embeds Contact (fields promoted), holds Billing by value and
// an Address through a pointer, and a pointer to another user, opted out.
type nestedUser struct {
	ID      string
	Name    string `pii:"name,encrypt"`
	Contact        // promoted: Email, EmailIndex, Phone
	Billing Billing
	Home    *Address
	Created time.Time
	Referer *nestedUser `pii:"-"` // another record: sealed in its own call
}

func TestSealNested(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := nestedUser{
		ID: "7", Name: "Aliya",
		Contact: Contact{Email: "A@B.kz", Phone: "+77010000000"},
		Billing: Billing{IBAN: "KZ86125KZT5004100100", Address: &Address{Line: "Abay 1", City: "Almaty"}},
		Created: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
	}
	want := u
	wantAddr := *u.Billing.Address
	require.NoError(t, enc.Seal(&u, u.ID))

	for name, v := range map[string]string{"Name": u.Name, "Email": u.Email, "Phone": u.Phone, "IBAN": u.Billing.IBAN, "Line": u.Billing.Address.Line} {
		assert.True(t, IsToken(v), name)
	}
	assert.Nil(t, u.Home, "a nil pointer is left nil")
	assert.Equal(t, "Almaty", u.Billing.Address.City)

	// The context names promoted fields as promoted (as a flat struct
	// would, so embedding keeps existing rows readable) and nested ones by
	// path; BlindIndex reaches them directly.
	email, err := openSealed(enc, u.Email, "nestedUser", "Email", "7")
	require.NoError(t, err)
	assert.Equal(t, "A@B.kz", email)
	line, err := openSealed(enc, u.Billing.Address.Line, "nestedUser", "Billing.Address.Line", "7")
	require.NoError(t, err)
	assert.Equal(t, "Abay 1", line)
	idx, err := enc.BlindIndex("nestedUser.EmailIndex", "a@b.kz")
	require.NoError(t, err)
	assert.Equal(t, idx, u.EmailIndex)

	require.NoError(t, enc.Open(&u, u.ID))
	want.EmailIndex = idx
	gotAddr := *u.Billing.Address
	u.Billing.Address, want.Billing.Address = nil, nil
	assert.Equal(t, want, u)
	assert.Equal(t, wantAddr, gotAddr)

	// A field moved between nested structs of one row fails.
	require.NoError(t, enc.Seal(&u, u.ID))
	u.Name, u.Billing.IBAN = u.Billing.IBAN, u.Name
	assert.ErrorIs(t, enc.Open(&u, u.ID), ErrDecrypt)
}

type withSlice struct {
	Contacts []Contact
}

type withMap struct {
	ByKind map[string]*Contact
}

type withUnexported struct {
	contact Contact
	ID      string
}

type withOptOut struct {
	Name     string      `pii:"name,encrypt"`
	Contacts []Contact   `pii:"-"` // sealed one by one, each with its own record id
	Next     *withOptOut `pii:"-"`
}

type withTaggedStruct struct {
	Billing Billing `pii:"payment,encrypt"`
}

type recursiveRow struct {
	Name string `pii:"name,encrypt"`
	Next *recursiveRow
}

func TestSealNestedRefusals(t *testing.T) {
	_, enc := newTestEncryptor(t)
	for name, tc := range map[string]struct {
		ptr   any
		field string
	}{
		"slice of tagged structs": {&withSlice{}, "Contacts"},
		"map of tagged structs":   {&withMap{}, "ByKind"},
		"encrypt on a struct":     {&withTaggedStruct{}, "Billing"},
		"recursive type":          {&recursiveRow{Name: "a"}, "Next"},
	} {
		t.Run(name, func(t *testing.T) {
			err := enc.Seal(tc.ptr, "1")
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.ErrorIs(t, err, ErrInvalid)
			assert.Equal(t, tc.field, fe.Field)
		})
	}

	u := withUnexported{contact: Contact{Email: "a@b.kz"}, ID: "1"}
	var fe *FieldError
	require.ErrorAs(t, enc.Seal(&u, u.ID), &fe, "an unexported field holding a struct to seal is refused, never left in clear")
	assert.Equal(t, "contact", fe.Field)
	assert.Equal(t, "a@b.kz", u.contact.Email)

	o := withOptOut{Name: "a", Contacts: []Contact{{Email: "a@b.kz"}}, Next: &withOptOut{Name: "b"}}
	require.NoError(t, enc.Seal(&o, "1"), `pii:"-" opts a field out`)
	assert.True(t, IsToken(o.Name))
	assert.Equal(t, "a@b.kz", o.Contacts[0].Email)
	assert.Equal(t, "b", o.Next.Name)
}

type contactA struct {
	Email string `pii:"email,encrypt"`
}

type contactB struct {
	Email string `pii:"email,encrypt"`
}

type rvContact struct { // unexported, embedded: its fields are promoted all the same
	Email string `pii:"email,encrypt"`
}

type billingIdx struct {
	IBAN      string `pii:"iban,encrypt,index=IBANIndex"`
	IBANIndex string
}

type listNode struct {
	Value string
	Next  *listNode
}

func TestSealNestedShapes(t *testing.T) {
	_, enc := newTestEncryptor(t)

	t.Run("shadowed", func(t *testing.T) {
		type row struct {
			Email string `pii:"email,encrypt"`
			contactA
		}
		err := enc.Seal(&row{Email: "a@b.kz"}, "1")
		var fe *FieldError
		require.ErrorAs(t, err, &fe)
		assert.Contains(t, err.Error(), "not promoted")
	})
	t.Run("ambiguous", func(t *testing.T) {
		type row struct {
			contactA
			contactB
		}
		assert.ErrorContains(t, enc.Seal(&row{}, "1"), "not promoted")
	})
	t.Run("embedded pointer", func(t *testing.T) {
		type row struct{ *Contact }
		var nilRow row
		require.NoError(t, enc.Seal(&nilRow, "1"))
		assert.Nil(t, nilRow.Contact)
		r := row{&Contact{Email: "a@b.kz"}}
		require.NoError(t, enc.Seal(&r, "1"))
		assert.True(t, IsToken(r.Email))
		require.NoError(t, enc.Open(&r, "1"))
		assert.Equal(t, "a@b.kz", r.Email)
	})
	t.Run("embedded unexported", func(t *testing.T) {
		type row struct{ rvContact }
		r := row{rvContact{Email: "a@b.kz"}}
		require.NoError(t, enc.Seal(&r, "1"))
		assert.True(t, IsToken(r.Email), "promoted fields are sealed, as json would write them")
		require.NoError(t, enc.Open(&r, "1"))
		assert.Equal(t, "a@b.kz", r.Email)
	})
	t.Run("pointer to pointer", func(t *testing.T) {
		type row struct{ PP **Contact }
		c := &Contact{Email: "a@b.kz"}
		r := row{&c}
		require.NoError(t, enc.Seal(&r, "1"))
		assert.True(t, IsToken((**r.PP).Email))
	})
	t.Run("aliased pointers", func(t *testing.T) {
		shared := &Address{Line: "Abay 1"}
		u := nestedUser{ID: "1", Home: shared, Billing: Billing{Address: shared}}
		assert.ErrorContains(t, enc.Seal(&u, u.ID), "shares its value")
		assert.Equal(t, "Abay 1", shared.Line)
	})
	t.Run("index in a nested struct", func(t *testing.T) {
		type row struct{ Billing billingIdx }
		r := row{billingIdx{IBAN: "KZ86 125K ZT50 0410 0100"}}
		require.NoError(t, enc.Seal(&r, "1"))
		want, err := enc.BlindIndex("row.Billing.IBANIndex", "KZ86125KZT5004100100")
		require.NoError(t, err)
		assert.Equal(t, want, r.Billing.IBANIndex)
	})
	t.Run("recursive type without tags", func(t *testing.T) {
		type row struct {
			Name string `pii:"name,encrypt"`
			List *listNode
		}
		r := row{Name: "a", List: &listNode{Value: "x", Next: &listNode{Value: "y"}}}
		require.NoError(t, enc.Seal(&r, "1"))
		assert.True(t, IsToken(r.Name))
	})
	t.Run("array of strings", func(t *testing.T) {
		type row struct {
			Names [2]string `pii:"name,encrypt"`
		}
		assert.ErrorContains(t, enc.Seal(&row{}, "1"), "only string fields")
	})
	t.Run("interface holding a tagged struct", func(t *testing.T) {
		type row struct{ X any }
		assert.ErrorContains(t, enc.Seal(&row{X: Contact{Email: "a@b.kz"}}, "1"), "seal it in its own call")
		assert.ErrorContains(t, enc.Seal(&row{X: &Contact{Email: "a@b.kz"}}, "1"), "seal it in its own call")
		assert.NoError(t, enc.Seal(&row{X: "text"}, "1"))
		assert.NoError(t, enc.Seal(&row{}, "1"))
	})
}

func TestOpenNestedErrorLeavesStructUnchanged(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := nestedUser{ID: "1", Name: "Aliya", Billing: Billing{IBAN: "KZ86125KZT5004100100", Address: &Address{Line: "Abay 1"}}}
	require.NoError(t, enc.Seal(&u, u.ID))
	line := u.Billing.Address.Line
	u.Billing.Address.Line = line[:len(line)-2] + "AA"
	tampered := u.Billing.Address.Line
	sealed := u
	assert.ErrorIs(t, enc.Open(&u, u.ID), ErrDecrypt)
	assert.Equal(t, sealed.Name, u.Name)
	assert.Equal(t, sealed.Billing.IBAN, u.Billing.IBAN)
	assert.Equal(t, tampered, u.Billing.Address.Line)
}

func TestSealForNested(t *testing.T) {
	ctx := context.Background()
	_, enc := newTestEncryptor(t, Options{SubjectKeys: NewMemorySubjectKeyStore()})
	u := nestedUser{ID: "3", Contact: Contact{Email: "a@b.kz"}, Billing: Billing{IBAN: "KZ86125KZT5004100100", Address: &Address{Line: "Abay 1"}}}
	require.NoError(t, enc.SealFor(ctx, &u, "user-3", u.ID))
	assert.True(t, IsToken(u.Billing.Address.Line))
	backup := u
	backup.Billing.Address = &Address{Line: u.Billing.Address.Line}
	require.NoError(t, enc.OpenFor(ctx, &u, "user-3", u.ID))
	assert.Equal(t, "Abay 1", u.Billing.Address.Line)
	assert.Equal(t, "a@b.kz", u.Email)
	require.NoError(t, enc.Forget(ctx, "user-3"))
	assert.ErrorIs(t, enc.OpenFor(ctx, &backup, "user-3", backup.ID), ErrErased)
}

// Rows written before Seal followed nested structs sealed the nested value
// in its own call, under its own type name. Tagging the field pii:"-"
// keeps that scheme readable.
func TestSealSeparatelySealedNestedStillOpens(t *testing.T) {
	_, enc := newTestEncryptor(t)
	type row struct {
		Name    string  `pii:"name,encrypt"`
		Billing Billing `pii:"-"` // sealed on its own, as the old documentation said
	}
	r := row{Name: "Aliya", Billing: Billing{IBAN: "KZ86125KZT5004100100"}}
	require.NoError(t, enc.Seal(&r.Billing, "1"))
	require.NoError(t, enc.Seal(&r, "1"))
	iban, err := openSealed(enc, r.Billing.IBAN, "Billing", "IBAN", "1")
	require.NoError(t, err, "the nested token keeps its own type's context")
	assert.Equal(t, "KZ86125KZT5004100100", iban)
	require.NoError(t, enc.Open(&r, "1"))
	require.NoError(t, enc.Open(&r.Billing, "1"))
	assert.Equal(t, row{Name: "Aliya", Billing: Billing{IBAN: "KZ86125KZT5004100100"}}, r)
}

func TestSealPlanRefusesSharedIndexFields(t *testing.T) {
	_, enc := newTestEncryptor(t)
	type twoToOne struct {
		A          string `pii:"email,encrypt,index=EmailIndex"`
		B          string `pii:"email,encrypt,index=EmailIndex"`
		EmailIndex string
	}
	assert.ErrorContains(t, enc.Seal(&twoToOne{}, "1"), "also written for A")
	type chained struct {
		A          string `pii:"email,index=EmailIndex"`
		EmailIndex string `pii:"email,index=EmailIdx"`
		EmailIdx   string
	}
	assert.ErrorContains(t, enc.Seal(&chained{}, "1"), "also written for EmailIndex")
}

func TestSealNestedErrorNamesTheField(t *testing.T) {
	_, enc := newTestEncryptor(t)
	type inner struct {
		IBAN string `pii:"iban,encrypt,index=Nope"`
	}
	type row struct{ B inner }
	err := enc.Seal(&row{}, "1")
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "B.IBAN", fe.Field, "the field at fault, not its container")
	assert.Contains(t, err.Error(), "not an exported field of inner")
	type anon struct {
		B struct {
			IBAN string `pii:"iban,encrypt,index=Nope"`
		}
	}
	assert.ErrorContains(t, enc.Seal(&anon{}, "1"), "not an exported field of struct {", "an anonymous struct is named by its type")
	assert.Equal(t, 1, strings.Count(err.Error(), "pii: field"), "wrapped once")
}
