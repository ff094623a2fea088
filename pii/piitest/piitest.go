// Package piitest lets a host's tests fail when a data model holds
// personal data that clause 3.1 of the Rules does not allow, or personal
// data that is not declared at all:
//
//	func TestUserIsMinimal(t *testing.T) {
//		piitest.RequireMinimal(t, User{})                           // clause 3.1: name, e-mail, payment
//		piitest.RequireMinimal(t, Order{}, pii.CategoryName, pii.CategoryAddress) // a wider, reviewed set
//		piitest.RequireDeclared(t, User{})                          // no untagged Email, Phone, Телефон, ЖСН...
//	}
package piitest

import (
	"testing"

	"github.com/1cb-kz/compliance/pii"
)

// RequireMinimal fails tb unless every field of the struct v tagged
// `pii:"<category>..."` (see [pii.Inventory]), or untagged but named for
// personal data (see [pii.Undeclared]), is of an allowed category; with no
// allowed categories, those of clause 3.1 ([pii.CategoryName],
// [pii.CategoryEmail], [pii.CategoryPayment]).
// The failure names the offending fields and their categories.
func RequireMinimal(tb testing.TB, v any, allowed ...pii.Category) {
	tb.Helper()
	if err := pii.CheckMinimal(v, allowed...); err != nil {
		tb.Fatal(err)
	}
}

// RequireDeclared fails tb if the struct v has untagged fields whose names
// suggest personal data (see [pii.Undeclared]): tag them with their category,
// or with `pii:"-"` if they hold none.
func RequireDeclared(tb testing.TB, v any) {
	tb.Helper()
	fields, err := pii.Undeclared(v)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range fields {
		tb.Errorf("piitest: field %s looks like personal data (%s) but has no pii tag; tag it `pii:\"%s\"` or `pii:\"-\"`", f.Name, f.Category, f.Category)
	}
	if len(fields) > 0 {
		tb.FailNow()
	}
}
