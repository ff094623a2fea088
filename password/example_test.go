package password_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/1cb-kz/compliance/password"
)

func ExampleCheck() {
	err := password.Check("Almaty2024!", "aigerim@example.kz")
	var pe *password.PolicyError
	if errors.As(err, &pe) {
		for _, v := range pe.Violations {
			fmt.Println(v.Clause, v.Code)
			fmt.Println(v.Message("kk"))
			fmt.Println(v.Message("ru"))
			fmt.Println(v.Message("en"))
		}
	}
	fmt.Println(password.Check("Тихий-кит-плывёт-на-север-42!"))
	// Output:
	// 2.1 too_weak
	// құпиясөзді болжау тым оңай: сөздерді, күндерді және пернетақта тізбектерін қолданбаңыз
	// пароль слишком легко подобрать: избегайте слов, дат и последовательностей клавиш
	// password is too easy to guess: avoid words, dates and keyboard patterns
	// <nil>
}

func ExamplePolicy_Check() {
	p := password.NISTPolicy() // 15+ characters, no composition rule, blocklist
	fmt.Println(p.Check(context.Background(), "correct horse battery staple"))
	fmt.Println(p.Check(context.Background(), "йцукенйцукен123"))
	fmt.Println(p.Check(context.Background(), "short"))
	// Output:
	// <nil>
	// password is too easy to guess: avoid words, dates and keyboard patterns
	// password must be at least 15 characters long; password is among the most commonly used passwords; password is too easy to guess: avoid words, dates and keyboard patterns
}

func ExamplePolicy_Check_breach() {
	p := password.DefaultPolicy()
	p.Breach = password.CommonPasswords() // or OpenPwnedFile, or the HIBP client
	err := p.Check(context.Background(), "P@ssw0rd")
	fmt.Println(err)
	// Output:
	// password is among the most commonly used passwords; password is too easy to guess: avoid words, dates and keyboard patterns; password appears in a known data breach
}

func ExamplePolicy_CheckChange() {
	old, err := password.Hash("xK9#mQ2$pL7!")
	if err != nil {
		panic(err)
	}
	p := password.DefaultPolicy()
	history := []string{old} // stored hashes, newest first
	fmt.Println(p.CheckChange(context.Background(), "xK9#mQ2$pL7!", history))
	fmt.Println(p.CheckChange(context.Background(), "v8&Tz!qWm#3R", history))
	// Output:
	// password matches one of the last 5 passwords: choose a new one
	// <nil>
}

func ExamplePolicy_Expired() {
	p := password.DefaultPolicy() // MaxAge 180 days
	changed := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	if p.Expired(changed, now) {
		fmt.Println("ask the user to choose a new password")
	}
	// Output:
	// ask the user to choose a new password
}

func ExampleStrength() {
	for _, pw := range []string{"йцукен123!", "Қазақстан2026!", "әіңғүұқө", "Kv9#rT2!mQ8&"} {
		e := password.Strength(pw)
		fmt.Println(e.Score, e.Patterns)
	}
	// Output:
	// 0 [bruteforce layout]
	// 1 [bruteforce dictionary year]
	// 0 [layout]
	// 4 [bruteforce l33t]
}

func ExampleGenerate() {
	pw, err := password.Generate(password.DefaultPolicy(), 16)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(pw), password.Check(pw))
	// Output:
	// 16 <nil>
}

func ExampleSecret() {
	var req struct {
		Login    string
		Password password.Secret
	}
	_ = json.Unmarshal([]byte(`{"Login":"aigerim","Password":"xK9#mQ2$pL7!"}`), &req)
	fmt.Printf("%v\n", req)
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("login", "password", req.Password)
	fmt.Println(password.Check(req.Password.Reveal()))
	// Output:
	// {aigerim [REDACTED]}
	// level=INFO msg=login password=[REDACTED]
	// <nil>
}

func ExampleCommonPasswords() {
	common := password.CommonPasswords()
	for _, pw := range []string{"qwerty", "йцукен", "gfhjkm", "Kv9#rT2!mQ8&"} {
		found, _ := common.Breached(context.Background(), pw)
		fmt.Println(found)
	}
	// Output:
	// true
	// true
	// true
	// false
}
