package password_test

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
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
	// password: refused by the password policy: password is too easy to guess: avoid words, dates and keyboard patterns
	// password: refused by the password policy: password must be at least 15 characters long; password is among the most commonly used passwords; password is too easy to guess: avoid words, dates and keyboard patterns
}

// A breach corpus behind a Policy: a leaked password is a violation, and a
// corpus that cannot be read is an error, never a pass.
func ExamplePolicy_Check_breach() {
	// A stand-in for the offline Have I Been Pwned file (see OpenPwnedFile).
	path := filepath.Join(os.TempDir(), "pwned-policy-example.txt")
	line := fmt.Sprintf("%X:3\r\n", sha1.Sum([]byte("Kv9#rT2!mQ8&")))
	if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(path)
	pwned, err := password.OpenPwnedFile(path, password.PwnedFileOptions{})
	if err != nil {
		log.Fatal(err)
	}

	p := password.DefaultPolicy()
	p.Breach = pwned // or &password.HIBPClient{}, or MultiBreachChecker of both
	ctx := context.Background()
	fmt.Println(p.Check(ctx, "Kv9#rT2!mQ8&"))
	fmt.Println(p.Check(ctx, "Zq7!vR2#pLm9"))
	pwned.Close()
	err = p.Check(ctx, "Zq7!vR2#pLm9")
	fmt.Println(errors.Is(err, password.ErrBreachCheck), errors.Is(err, password.ErrPolicy))
	// Output:
	// password: refused by the password policy: password appears in a known data breach
	// <nil>
	// true false
}

func ExamplePolicy_CheckChange() {
	ctx := context.Background()
	old, err := password.Hash(ctx, "xK9#mQ2$pL7!")
	if err != nil {
		panic(err)
	}
	p := password.DefaultPolicy()
	history := []string{old} // stored hashes, newest first
	fmt.Println(p.CheckChange(ctx, "xK9#mQ2$pL7!", history))
	fmt.Println(p.CheckChange(ctx, "v8&Tz!qWm#3R", history))
	// Output:
	// password: refused by the password policy: password matches one of the last 5 passwords: choose a new one
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
