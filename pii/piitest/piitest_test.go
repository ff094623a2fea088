package piitest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/1cb-kz/compliance/pii"
	"github.com/1cb-kz/compliance/pii/piitest"
)

// recorder captures failures instead of failing the real test.
type recorder struct {
	testing.TB
	msgs   []string
	failed bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
	r.failed = true
}
func (r *recorder) Fatal(args ...any) { r.msgs = append(r.msgs, fmt.Sprint(args...)); r.failed = true }
func (r *recorder) FailNow()          { r.failed = true }

type user struct {
	Name  string `pii:"name"`
	Email string `pii:"email,encrypt"`
	Card  string `pii:"payment,encrypt"`
	Title string `pii:"-"`
}

type oversharing struct {
	Name     string `pii:"name"`
	IIN      string `pii:"iin,encrypt"`
	Phone    string
	Nickname string
}

func TestRequireMinimal(t *testing.T) {
	piitest.RequireMinimal(t, user{})
	piitest.RequireMinimal(t, oversharing{}, pii.CategoryName, pii.CategoryIIN, pii.CategoryPhone) // Phone: undeclared, named for a phone

	r := &recorder{TB: t}
	piitest.RequireMinimal(r, oversharing{})
	assert.True(t, r.failed)
	assert.Contains(t, strings.Join(r.msgs, "\n"), "IIN (iin)")

	r = &recorder{TB: t}
	piitest.RequireMinimal(r, 42)
	assert.True(t, r.failed)
}

func TestRequireDeclared(t *testing.T) {
	piitest.RequireDeclared(t, user{})

	r := &recorder{TB: t}
	piitest.RequireDeclared(r, oversharing{})
	assert.True(t, r.failed)
	assert.Len(t, r.msgs, 1)
	assert.Contains(t, r.msgs[0], "field Phone looks like personal data (phone)")

	r = &recorder{TB: t}
	piitest.RequireDeclared(r, nil)
	assert.True(t, r.failed)
}

func Example() {
	type User struct {
		FullName string `pii:"name,encrypt"`
		Email    string `pii:"email,encrypt,index=EmailIdx"`
		EmailIdx string
		Phone    string `pii:"phone,encrypt"`
	}
	// In a host's test: piitest.RequireMinimal(t, User{}) fails with
	err := pii.CheckMinimal(User{})
	fmt.Println(err)
	// Output:
	// pii: piitest_test.User holds personal data outside the allowed categories (name, email, payment): Phone (phone)
}

type hiding struct {
	//lint:ignore U1000 only its type is inspected
	passportNo string           // unexported
	Contacts   map[string]int64 // phone numbers as map values
	BirthDate  int32
	IINNumber  string
	Lot        int32
}

// Fields the check once missed: unexported ones, maps, 32-bit numbers and
// initialisms followed by a word.
func TestRequireDeclaredShapes(t *testing.T) {
	r := &recorder{TB: t}
	piitest.RequireDeclared(r, hiding{})
	assert.True(t, r.failed)
	got := strings.Join(r.msgs, "\n")
	for _, want := range []string{"field passportNo looks like personal data (document)", "field BirthDate", "field IINNumber looks like personal data (iin)"} {
		assert.Contains(t, got, want)
	}
	assert.Len(t, r.msgs, 3, "Contacts names no category, Lot is no personal data")
}
