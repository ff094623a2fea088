package pii_test

import (
	"errors"
	"fmt"

	"github.com/1cb-kz/compliance/pii"
)

func ExampleInventory() {
	type Customer struct {
		FullName string `pii:"name,encrypt"`
		Email    string `pii:"email,encrypt,index=EmailIdx"`
		EmailIdx string
		Address  struct {
			Street string `pii:"address"`
		}
	}
	fields, err := pii.Inventory(Customer{})
	if err != nil {
		panic(err)
	}
	for _, f := range fields {
		fmt.Printf("%s %s encrypted=%t\n", f.Name, f.Category, f.Encrypted)
	}
	// Output:
	// FullName name encrypted=true
	// Email email encrypted=true
	// Address.Street address encrypted=false
}

func ExampleCheckMinimal() {
	type Bidder struct {
		FullName string `pii:"name,encrypt"`
		IIN      string `pii:"iin,encrypt"`
	}
	err := pii.CheckMinimal(Bidder{}) // clause 3.1: name, email, payment
	fmt.Println(err)
	var me *pii.MinimisationError
	if errors.As(err, &me) {
		fmt.Println(me.Fields[0].Name)
	}
	fmt.Println(pii.CheckMinimal(Bidder{}, pii.CategoryName, pii.CategoryIIN))
	// Output:
	// pii: pii_test.Bidder holds personal data outside the allowed categories (name, email, payment): IIN (iin)
	// IIN
	// <nil>
}

func ExampleUndeclared() {
	type Seller struct {
		DisplayName string `pii:"-"` // the shop's brand, not a person
		Phone       string // holds personal data, not declared
		Email       string `pii:"email,encrypt"`
	}
	fields, _ := pii.Undeclared(Seller{})
	for _, f := range fields {
		fmt.Println(f.Name, f.Category)
	}
	// Output: Phone phone
}
