package pii_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/1cb-kz/compliance/pii"
)

func ExampleScan() {
	text := "Contact alice@example.kz or +7 (701) 123-45-67, IIN 860110300125, card 4111 1111 1111 1111."
	for _, m := range pii.Scan(text) {
		fmt.Printf("%-5s %2d-%2d %s\n", m.Kind, m.Start, m.End, text[m.Start:m.End])
	}
	// Output:
	// email  8-24 alice@example.kz
	// phone 28-46 +7 (701) 123-45-67
	// iin   52-64 860110300125
	// pan   71-90 4111 1111 1111 1111
}

func ExampleRedact() {
	fmt.Println(pii.Redact("refund 4111111111111111 to KZ86125KZT5004100100 for bob.smith@example.kz"))
	// Output:
	// refund 411111******1111 to KZ86************0100 for b***@example.kz
}

func ExampleNewRedactingWriter() {
	var out bytes.Buffer
	w := pii.NewRedactingWriter(&out)
	// A phone number split across two writes is still found.
	fmt.Fprint(w, "caller +7 701 12")
	fmt.Fprint(w, "3 45 67 hung up\n")
	if err := w.Close(); err != nil {
		panic(err)
	}
	fmt.Print(out.String())
	// Output:
	// caller +7 701 *** ** 67 hung up
}

func ExampleRedactStream() {
	src := strings.NewReader("2026-11-26 login ok user=alice@example.kz\n2026-11-26 payout iin=860110300125\n")
	if _, err := pii.RedactStream(context.Background(), os.Stdout, src); err != nil {
		panic(err)
	}
	// Output:
	// 2026-11-26 login ok user=a***@example.kz
	// 2026-11-26 payout iin=**********25
}

func ExampleNewRedactingHandler() {
	opts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{} // for a stable example
		}
		return a
	}}
	logger := slog.New(pii.NewRedactingHandler(slog.NewTextHandler(os.Stdout, opts)))
	logger.Info("bid by alice@example.kz", "lot", 42, "phone", "87011234567", "full_name", "Aigerim Seitkali",
		slog.Group("payment", "card", "4111 1111 1111 1111", "note", "iin 860110300125"))
	// Output:
	// level=INFO msg="bid by a***@example.kz" lot=42 phone=8701*****67 full_name="A*** S***" payment.card="4111 11** **** 1111" payment.note="iin **********25"
}

func ExampleMaskPAN() {
	fmt.Println(pii.MaskPAN("4111 1111 1111 1111"))
	fmt.Println(pii.MaskPAN("378282246310005")) // 15 digits: last four only
	fmt.Println(pii.MaskPAN("1234"))            // not a card number: masked whole
	// Output:
	// 4111 11** **** 1111
	// ***********0005
	// ****
}

func ExampleMaskEmail() {
	fmt.Println(pii.MaskEmail("aigerim.s@example.kz"))
	fmt.Println(pii.MaskEmail("ab@example.kz"))
	// Output:
	// a***@example.kz
	// ***@example.kz
}

func ExampleMaskPhone() {
	fmt.Println(pii.MaskPhone("+7 (701) 123-45-67"))
	// Output: +7 (701) ***-**-67
}

func ExampleMaskIIN() {
	fmt.Println(pii.MaskIIN("860110300125"))
	// Output: **********25
}

func ExampleValidIIN() {
	fmt.Println(pii.ValidIIN("860110300125"), pii.ValidIIN("860110300126"))
	// Output: true false
}

func ExampleValidPAN() {
	fmt.Println(pii.ValidPAN("4111 1111 1111 1111"), pii.ValidPAN("4111 1111 1111 1112"))
	// Output: true false
}

func ExampleValidKZIBAN() {
	fmt.Println(pii.ValidKZIBAN("KZ86 125K ZT50 0410 0100"), pii.ValidKZIBAN("KZ87125KZT5004100100"))
	// Output: true false
}

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

func ExampleMaskIBAN() {
	fmt.Println(pii.MaskIBAN("KZ86 125K ZT50 0410 0100"))
	// Output: KZ86 **** **** **** 0100
}

func ExampleMaskName() {
	fmt.Println(pii.MaskName("Анна-Мария Иванова"))
	// Output: А***-М*** И***
}

func ExampleValidKZPhone() {
	fmt.Println(pii.ValidKZPhone("8 (727) 123-45-67"), pii.ValidKZPhone("+7 916 123 45 67"))
	// Output: true false
}

func ExampleValidBIN() {
	fmt.Println(pii.ValidBIN("050340000019"))
	// Output: true
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
