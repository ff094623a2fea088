package pii

import (
	"errors"
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
	// path; DecryptString and BlindIndex reach them directly.
	email, err := enc.DecryptString(u.Email, "nestedUser", "Email", "7")
	require.NoError(t, err)
	assert.Equal(t, "A@B.kz", email)
	line, err := enc.DecryptString(u.Billing.Address.Line, "nestedUser", "Billing.Address.Line", "7")
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
			assert.Equal(t, tc.field, fe.Field)
		})
	}

	u := withUnexported{contact: Contact{Email: "a@b.kz"}, ID: "1"}
	require.NoError(t, enc.Seal(&u, u.ID), "unexported fields are skipped, as unexported strings are")
	assert.Equal(t, "a@b.kz", u.contact.Email)

	o := withOptOut{Name: "a", Contacts: []Contact{{Email: "a@b.kz"}}, Next: &withOptOut{Name: "b"}}
	require.NoError(t, enc.Seal(&o, "1"), `pii:"-" opts a field out`)
	assert.True(t, IsToken(o.Name))
	assert.Equal(t, "a@b.kz", o.Contacts[0].Email)
	assert.Equal(t, "b", o.Next.Name)
}
