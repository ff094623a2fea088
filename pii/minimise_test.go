package pii

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type minAddress struct {
	Street string `pii:"address"`
	City   string
}

type minBase struct {
	ID    int64
	Email string `pii:"email,encrypt,index=EmailIdx"`
}

type minUser struct {
	minBase
	EmailIdx  string
	FullName  string `pii:"name,encrypt"`
	Card      string `pii:"payment"`
	Phone     string `pii:"phone,encrypt"`
	IIN       string `pii:"iin,encrypt,index=IINIdx"`
	IINIdx    string
	Home      *minAddress  // walked through the pointer
	Contacts  []minContact // walked through the slice
	Friends   map[string]*minUser
	BirthDate time.Time
	Title     string `pii:"-"`
	//lint:ignore U1000 only its type is inspected
	secret string `pii:"iin"`
	//lint:ignore U1000 only its type is inspected
	mu sync.Mutex
}

type minContact struct {
	Mobile string
	Note   string `pii:"name"`
}

func TestInventory(t *testing.T) {
	fields, err := Inventory(minUser{})
	require.NoError(t, err)
	want := []Field{
		{Name: "Email", Category: CategoryEmail, Encrypted: true, Index: "EmailIdx"},
		{Name: "FullName", Category: CategoryName, Encrypted: true},
		{Name: "Card", Category: CategoryPayment},
		{Name: "Phone", Category: CategoryPhone, Encrypted: true},
		{Name: "IIN", Category: CategoryIIN, Encrypted: true, Index: "IINIdx"},
		{Name: "Home.Street", Category: CategoryAddress},
		{Name: "Contacts[].Note", Category: CategoryName},
		{Name: "secret", Category: CategoryIIN},
	}
	assert.Equal(t, want, fields)

	// Pointers, nil pointers and repeated calls give the same answer.
	for _, v := range []any{&minUser{}, (*minUser)(nil)} {
		again, err := Inventory(v)
		require.NoError(t, err)
		assert.Equal(t, want, again)
	}
	// The caller's copy is its own.
	fields[0].Name = "changed"
	again, _ := Inventory(minUser{})
	assert.Equal(t, "Email", again[0].Name)
}

func TestUndeclared(t *testing.T) {
	fields, err := Undeclared(minUser{})
	require.NoError(t, err)
	assert.Equal(t, []Field{
		{Name: "Contacts[].Mobile", Category: CategoryPhone},
		{Name: "BirthDate", Category: CategoryBirthDate},
	}, fields)
}

func TestCheckMinimal(t *testing.T) {
	type clause31 struct {
		Name  string `pii:"name"`
		Email string `pii:"email,encrypt"`
		Card  string `pii:"payment,encrypt"`
	}
	require.NoError(t, CheckMinimal(clause31{}))
	require.NoError(t, CheckMinimal(&minUser{}, CategoryName, CategoryEmail, CategoryPayment, CategoryPhone, CategoryIIN, CategoryAddress, CategoryBirthDate))

	err := CheckMinimal(minUser{})
	require.ErrorIs(t, err, ErrNotMinimal)
	var me *MinimisationError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"Phone", "IIN", "Home.Street", "secret", "Contacts[].Mobile", "BirthDate"}, fieldNames(me.Fields))
	assert.Equal(t, defaultAllowed(), me.Allowed)
	assert.Equal(t, "pii: pii.minUser holds personal data outside the allowed categories (name, email, payment): Phone (phone), IIN (iin), Home.Street (address), secret (iin), Contacts[].Mobile (phone), BirthDate (birthdate)", err.Error())

	err = CheckMinimal(minUser{}, CategoryName, "phne")
	require.ErrorIs(t, err, ErrInvalid)
	assert.False(t, errors.Is(err, ErrNotMinimal))
}

func fieldNames(fs []Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

type recursive struct {
	Email string `pii:"email"`
	Next  *recursive
	Kids  []recursive
}

type badTag struct {
	Inner struct {
		Phone string `pii:"phone,encrpyt"`
	}
}

func TestInventoryErrors(t *testing.T) {
	for _, v := range []any{nil, 42, "s", []minUser{}, (*int)(nil)} {
		_, err := Inventory(v)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.ErrorIs(t, CheckMinimal(v), ErrInvalid)
		_, err = Undeclared(v)
		assert.ErrorIs(t, err, ErrInvalid)
	}

	fields, err := Inventory(recursive{})
	require.NoError(t, err)
	assert.Equal(t, []string{"Email"}, fieldNames(fields), "a recursive type is walked once")

	_, err = Inventory(badTag{})
	require.ErrorIs(t, err, ErrInvalid)
	var te *tagError
	require.ErrorAs(t, err, &te)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Inner.Phone", fe.Field)
	assert.False(t, errors.Is(err, ErrNotMinimal))
	// Cached errors are returned again.
	_, err2 := Inventory(&badTag{})
	assert.Equal(t, err, err2)
}

func TestUndeclaredOptOut(t *testing.T) {
	type withName struct{ DisplayName, CardNumber, Comment string }
	type optedOut struct {
		DisplayName string `pii:"-"`
	}
	fields, err := Undeclared(withName{})
	require.NoError(t, err)
	assert.Equal(t, []Field{{Name: "DisplayName", Category: CategoryName}, {Name: "CardNumber", Category: CategoryPayment}}, fields)
	fields, err = Undeclared(optedOut{})
	require.NoError(t, err)
	assert.Empty(t, fields)
}

type embContact struct {
	Phone string `pii:"phone"`
}

type embNamed struct {
	minAddress `pii:"address"` // the embedded struct as a whole is tagged
	*embContact
}

// An embedded struct's fields are promoted; a tag on the embedded field
// itself is listed under the type's name, never an empty one.
func TestInventoryEmbedded(t *testing.T) {
	fields, err := Inventory(struct{ Outer embNamed }{})
	require.NoError(t, err)
	assert.Equal(t, []Field{
		{Name: "Outer.minAddress", Category: CategoryAddress},
		{Name: "Outer.Street", Category: CategoryAddress},
		{Name: "Outer.Phone", Category: CategoryPhone},
	}, fields)
}

type shapes struct {
	//lint:ignore U1000 only its type is inspected
	email       string // unexported fields hold data all the same
	Phones      map[string]string
	Emails      map[string]bool // a set: the data is in the keys
	Lot         int32
	UserIIN     uint32
	BirthYear   uint16
	DOB         int32
	IINNumber   string
	PANNumber   string
	CVV         int16
	PassportNo  *int64
	Iin         [12]byte
	HomeAddress any
	Balance     float64
	PhoneVerify bool   // a flag holds no number
	Declared    string `pii:"-"`
	FullName    string `pii:"-"`
}

// Undeclared looks at unexported fields, maps, numbers of any size and
// interface values, and splits initialisms from the word after them.
func TestUndeclaredShapes(t *testing.T) {
	fields, err := Undeclared(shapes{})
	require.NoError(t, err)
	assert.Equal(t, []Field{
		{Name: "email", Category: CategoryEmail},
		{Name: "Phones", Category: CategoryPhone},
		{Name: "Emails", Category: CategoryEmail},
		{Name: "UserIIN", Category: CategoryIIN},
		{Name: "BirthYear", Category: CategoryBirthDate},
		{Name: "DOB", Category: CategoryBirthDate},
		{Name: "IINNumber", Category: CategoryIIN},
		{Name: "PANNumber", Category: CategoryPayment},
		{Name: "CVV", Category: CategoryPayment},
		{Name: "PassportNo", Category: CategoryDocument},
		{Name: "Iin", Category: CategoryIIN},
		{Name: "HomeAddress", Category: CategoryAddress},
	}, fields)
}

type selfList []selfList

// A type that contains itself through slices does not hang the walk.
func TestUndeclaredRecursiveSlice(t *testing.T) {
	fields, err := Undeclared(struct{ Phones selfList }{})
	require.NoError(t, err)
	assert.Empty(t, fields)
}

// Russian and Kazakh field names are personal data too.
type ruUser struct {
	ID          int64
	ФИО         string `pii:"name,encrypt"`
	Телефон     string
	ЖСН         string
	АтыЖөні     string
	Мекенжай    string
	Комментарий string
	ИмяФайла    string
	Почта       string `pii:"-"` // the shop's public address
}

func TestUndeclaredRussianKazakh(t *testing.T) {
	fields, err := Undeclared(ruUser{})
	require.NoError(t, err)
	assert.Equal(t, []Field{
		{Name: "Телефон", Category: CategoryPhone},
		{Name: "ЖСН", Category: CategoryIIN},
		{Name: "АтыЖөні", Category: CategoryName},
		{Name: "Мекенжай", Category: CategoryAddress},
	}, fields)
	err = CheckMinimal(ruUser{})
	var me *MinimisationError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"Телефон", "ЖСН", "Мекенжай"}, fieldNames(me.Fields))
}

// A declared table is no field: Inventory, Undeclared and CheckMinimal
// pass over it.
func TestMinimiseDeclaredTable(t *testing.T) {
	type row struct {
		_     struct{} `pii:"table=users"`
		Email string   `pii:"email,encrypt"`
	}
	fields, err := Inventory(row{})
	require.NoError(t, err)
	assert.Equal(t, []Field{{Name: "Email", Category: CategoryEmail, Encrypted: true}}, fields)
	require.NoError(t, CheckMinimal(row{}))
	und, err := Undeclared(row{})
	require.NoError(t, err)
	assert.Empty(t, und)
}
