package password_test

import (
	"context"
	"crypto/sha1"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/1cb-kz/compliance/password"
)

func ExampleHash() {
	ctx := context.Background()
	encoded, err := password.Hash(ctx, "Correct-Horse-7-Battery")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(encoded[:31])

	ok, err := password.Verify(ctx, "Correct-Horse-7-Battery", encoded)
	fmt.Println(ok, err)
	// Output:
	// $argon2id$v=19$m=19456,t=2,p=1$
	// true <nil>
}

func ExampleVerify() {
	ctx := context.Background()
	// A hash made by the reference argon2 tool (testdata/interop).
	const stored = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE"
	for _, attempt := range []string{"password", "Password"} {
		ok, err := password.Verify(ctx, attempt, stored)
		fmt.Println(attempt, ok, err)
	}
	// A forged hash asking for 4 GiB is refused before anything runs.
	_, err := password.Verify(ctx, "password", "$argon2id$v=19$m=4294967295,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")
	fmt.Println(err)
	// Output:
	// password true <nil>
	// Password false <nil>
	// password: malformed hash: memory out of range
}

// A login: an unknown account costs the server what a wrong password costs,
// and is refused with the same answer, so neither the response time nor the
// response tells which accounts exist.
func ExampleVerifyAbsent() {
	ctx := context.Background()
	stored, err := password.Hash(ctx, "Correct-Horse-7-Battery")
	if err != nil {
		log.Fatal(err)
	}
	accounts := map[string]string{"aigerim": stored}

	login := func(name, typed string) bool {
		encoded, ok := accounts[name]
		if !ok {
			if err := password.VerifyAbsent(ctx, typed); err != nil {
				log.Print(err) // never the password: errors do not carry it
			}
			return false // exactly as for a wrong password
		}
		match, err := password.Verify(ctx, typed, encoded)
		return err == nil && match
	}
	fmt.Println(login("aigerim", "Correct-Horse-7-Battery"))
	fmt.Println(login("nurlan", "Correct-Horse-7-Battery"))
	// Output:
	// true
	// false
}

// With a peppered Hasher, VerifyAbsent also spends the pepper's HMAC, and it
// waits for a computation slot like any login, within the request's context.
func ExampleHasher_VerifyAbsent() {
	k1 := password.Pepper{ID: "k1", Key: []byte("0123456789abcdef0123456789abcdef")} // from a secrets manager
	h, err := password.NewHasher(password.HasherOptions{Peppers: []password.Pepper{k1}, MaxConcurrent: 4})
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// The login names no account.
	err = h.VerifyAbsent(ctx, "Алматы-Тау-2026")
	fmt.Println("login refused;", err)
	// Output: login refused; <nil>
}

// The login flow: verify, then upgrade legacy or outdated hashes while the
// password is at hand.
func ExampleNeedsRehash() {
	ctx := context.Background()
	stored := "$2y$05$omrRkB0DpFhqwluddp4yh.7IusYj8tzTelzJvMV.gqEd3bfv8oHzy" // bcrypt from an old system
	typed := "Qwerty123!"

	ok, err := password.Verify(ctx, typed, stored)
	if err != nil || !ok {
		fmt.Println("login refused")
		return
	}
	if password.NeedsRehash(stored) {
		if stored, err = password.Hash(ctx, typed); err != nil {
			log.Fatal(err)
		}
		// store it in place of the old hash
	}
	fmt.Println(strings.SplitN(stored, "$", 3)[1], password.NeedsRehash(stored))
	// Output: argon2id false
}

// A Hasher with a pepper kept outside the database, rotated from key "k1"
// to key "k2", and at most 4 hashes computing at once.
func ExampleNewHasher() {
	ctx := context.Background()
	k1 := password.Pepper{ID: "k1", Key: []byte("0123456789abcdef0123456789abcdef")} // from a secrets manager
	k2 := password.Pepper{ID: "k2", Key: []byte("fedcba9876543210fedcba9876543210")}

	old, err := password.NewHasher(password.HasherOptions{Peppers: []password.Pepper{k1}, MaxConcurrent: 4})
	if err != nil {
		log.Fatal(err)
	}
	stored, _ := old.Hash(context.Background(), "Алматы-Тау-2026")
	fmt.Println(strings.Contains(stored, ",keyid=azE$"))

	// After rotation new hashes use k2; k1 still verifies older ones.
	h, err := password.NewHasher(password.HasherOptions{Peppers: []password.Pepper{k2, k1}, MaxConcurrent: 4})
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // don't queue forever under load
	defer cancel()
	ok, err := h.Verify(ctx, "Алматы-Тау-2026", stored)
	fmt.Println(ok, err, h.NeedsRehash(stored))

	// Without the pepper, the stolen hash cannot even be checked.
	_, err = password.Verify(ctx, "Алматы-Тау-2026", stored)
	fmt.Println(err)
	fmt.Println(k1) // keys never print
	// Output:
	// true
	// true <nil> true
	// password: unsupported hash: pepper key id not held by this hasher
	// password.Pepper{ID:"k1", Key:[REDACTED]}
}

func ExampleOpenPwnedFile() {
	// The real file is pwned-passwords-sha1-ordered-by-hash.txt from
	// github.com/HaveIBeenPwned/PwnedPasswordsDownloader (~40 GB).
	path := filepath.Join(os.TempDir(), "pwned-example.txt")
	lines := []string{
		"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:10434004", // "password"
		fmt.Sprintf("%X:1", sha1.Sum([]byte("seen-once"))),
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(path)

	pwned, err := password.OpenPwnedFile(path, password.PwnedFileOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer pwned.Close()

	var checker password.BreachChecker = pwned
	for _, pw := range []string{"password", "seen-once", "Zq7!vR2#pLm9"} {
		breached, err := checker.Breached(context.Background(), pw)
		fmt.Println(pw, breached, err)
	}
	// Output:
	// password true <nil>
	// seen-once true <nil>
	// Zq7!vR2#pLm9 false <nil>
}

func ExampleHIBPClient() {
	// A stand-in for https://api.pwnedpasswords.com/range/ ; in production
	// leave BaseURL empty.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/range/5BAA6" { // SHA-1("password") starts 5BAA6
			fmt.Fprint(w, "1E4C9B93F3F0682250B6CF8331B7EE68FD8:10434004\r\n00000000000000000000000000000000001:0\r\n")
			return
		}
		fmt.Fprint(w, "00000000000000000000000000000000001:0\r\n")
	}))
	defer srv.Close()

	client := &password.HIBPClient{BaseURL: srv.URL + "/range/", HTTPClient: srv.Client(), Timeout: 3 * time.Second}
	for _, pw := range []string{"password", "Zq7!vR2#pLm9"} {
		n, err := client.Count(context.Background(), pw)
		fmt.Println(pw, n, err)
	}
	// Output:
	// password 10434004 <nil>
	// Zq7!vR2#pLm9 0 <nil>
}
