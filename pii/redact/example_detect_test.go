package redact_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/1cb-kz/compliance/pii/redact"
)

func ExampleScan() {
	text := "Contact alice@example.kz or +7 (701) 123-45-67, IIN 860110300125, card 4111 1111 1111 1111."
	for _, m := range redact.Scan(text) {
		fmt.Printf("%-5s %2d-%2d %s\n", m.Kind, m.Start, m.End, text[m.Start:m.End])
	}
	// Output:
	// email  8-24 alice@example.kz
	// phone 28-46 +7 (701) 123-45-67
	// iin   52-64 860110300125
	// pan   71-90 4111 1111 1111 1111
}

func ExampleText() {
	fmt.Println(redact.Text("refund 4111111111111111 to KZ86125KZT5004100100 for bob.smith@example.kz"))
	// Output:
	// refund 411111******1111 to KZ86************0100 for b***@example.kz
}

func ExampleNewWriter() {
	var out bytes.Buffer
	w := redact.NewWriter(&out)
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

func ExampleCopy() {
	src := strings.NewReader("2026-11-26 login ok user=alice@example.kz\n2026-11-26 payout iin=860110300125\n")
	if _, err := redact.Copy(context.Background(), os.Stdout, src); err != nil {
		panic(err)
	}
	// Output:
	// 2026-11-26 login ok user=a***@example.kz
	// 2026-11-26 payout iin=**********25
}

func ExampleNewHandler() {
	opts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{} // for a stable example
		}
		return a
	}}
	logger := slog.New(redact.NewHandler(slog.NewTextHandler(os.Stdout, opts)))
	logger.Info("bid by alice@example.kz", "lot", 42, "phone", "87011234567", "full_name", "Aigerim Seitkali",
		slog.Group("payment", "card", "4111 1111 1111 1111", "note", "iin 860110300125"))
	// Output:
	// level=INFO msg="bid by a***@example.kz" lot=42 phone=8701*****67 full_name="A*** S***" payment.card="4111 11** **** 1111" payment.note="iin **********25"
}

func ExampleMask() {
	fmt.Println(redact.Mask(redact.KindPAN, "4111 1111 1111 1111"))
	fmt.Println(redact.Mask(redact.KindPAN, "378282246310005")) // 15 digits: last four only
	fmt.Println(redact.Mask(redact.KindPAN, "1234"))            // not a card number: masked whole
	fmt.Println(redact.Mask(redact.KindEmail, "aigerim.s@example.kz"))
	fmt.Println(redact.Mask(redact.KindPhone, "+7 (701) 123-45-67"))
	fmt.Println(redact.Mask(redact.KindIIN, "860110300125"))
	fmt.Println(redact.Mask(redact.KindIBAN, "KZ86 125K ZT50 0410 0100"))
	fmt.Println(redact.Mask(redact.KindName, "Анна-Мария Иванова"))
	// Output:
	// 4111 11** **** 1111
	// ***********0005
	// ****
	// a***@example.kz
	// +7 (701) ***-**-67
	// **********25
	// KZ86 **** **** **** 0100
	// А***-М*** И***
}

func ExampleValid() {
	fmt.Println(redact.Valid(redact.KindIIN, "860110300125"), redact.Valid(redact.KindIIN, "860110300126"))
	fmt.Println(redact.Valid(redact.KindPAN, "4111 1111 1111 1111"), redact.Valid(redact.KindPAN, "4111 1111 1111 1112"))
	fmt.Println(redact.Valid(redact.KindIBAN, "KZ86 125K ZT50 0410 0100"), redact.Valid(redact.KindIBAN, "KZ87125KZT5004100100"))
	fmt.Println(redact.Valid(redact.KindPhone, "8 (727) 123-45-67"), redact.Valid(redact.KindPhone, "+7 916 123 45 67"))
	fmt.Println(redact.Valid(redact.KindBIN, "050340000019"))
	// Output:
	// true false
	// true false
	// true false
	// true false
	// true
}
