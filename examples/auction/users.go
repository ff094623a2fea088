package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strings"
	"time"
)

// User is a row of the platform's users table as the database holds it.
// Clause 3.1 lets the platform collect full name, e-mail and payment
// details; the pii tags declare exactly those, and Seal turns them into
// tokens before the row is stored.
type User struct {
	_          struct{}  `pii:"table=users"` // tokens are bound to this table, whatever the Go type is called
	ID         string    `json:"id"`         // pseudonymous account id, also the data subject id
	Lang       string    `json:"lang"`
	Name       string    `json:"name" pii:"name,encrypt"`
	Email      string    `json:"email" pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string    `json:"email_index"`                // blind index: WHERE email_index = $1
	IBAN       string    `json:"iban" pii:"payment,encrypt"` // account for deposits and refunds
	Password   string    `json:"password_hash"`              // argon2id PHC string, never the password
	Created    time.Time `json:"created"`
}

// userTable stands for the users table of the host's database.
type userTable struct {
	rows  map[string]*User
	order []string
}

func newUserTable() *userTable { return &userTable{rows: map[string]*User{}} }

func (t *userTable) insert(u User) {
	if _, ok := t.rows[u.ID]; !ok {
		t.order = append(t.order, u.ID)
	}
	t.rows[u.ID] = &u
}

func (t *userTable) get(id string) (User, bool) {
	u, ok := t.rows[id]
	if !ok {
		return User{}, false
	}
	return *u, true
}

func (t *userTable) delete(id string) {
	delete(t.rows, id)
	t.order = slices.DeleteFunc(t.order, func(s string) bool { return s == id })
}

// all returns copies of the rows in insertion order.
func (t *userTable) all() []User {
	out := make([]User, 0, len(t.order))
	for _, id := range t.order {
		out = append(out, *t.rows[id])
	}
	return out
}

// byEmailIndex returns the rows whose blind index equals idx: the
// candidates of a lookup, to be decrypted and compared.
func (t *userTable) byEmailIndex(idx string) []User {
	var out []User
	for _, u := range t.all() {
		if u.EmailIndex == idx {
			out = append(out, u)
		}
	}
	return out
}

// dump writes the table as JSON lines, as a database dump or backup would
// hold it.
func (t *userTable) dump(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, u := range t.all() {
		if err := enc.Encode(u); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// person is a synthetic registrant, before anything is stored.
type person struct {
	ID, Lang, Name, Email, IBAN string
}

// Synthetic names: Kazakh users write in Kazakh Cyrillic, Russian-speaking
// users in Russian, and English-interface users in Latin letters. Each has a
// Latin form for the e-mail address.
var (
	kkNames = [][2]string{{"Айгерім", "aigerim"}, {"Нұрлан", "nurlan"}, {"Әсел", "assel"}, {"Ерлан", "erlan"},
		{"Гүлнар", "gulnar"}, {"Қанат", "kanat"}, {"Жанар", "zhanar"}, {"Бауыржан", "bauyrzhan"}}
	kkSurnames = [][2]string{{"Сейтқали", "seitkali"}, {"Омарова", "omarova"}, {"Жұмабаев", "zhumabayev"},
		{"Тоқтарова", "toktarova"}, {"Әбенов", "abenov"}, {"Құрманғали", "kurmangali"}}
	ruNames = [][2]string{{"Ольга", "olga"}, {"Дмитрий", "dmitry"}, {"Елена", "elena"}, {"Сергей", "sergey"},
		{"Наталья", "natalya"}, {"Андрей", "andrey"}}
	ruSurnames = [][2]string{{"Иванова", "ivanova"}, {"Ким", "kim"}, {"Петров", "petrov"}, {"Шевченко", "shevchenko"},
		{"Волкова", "volkova"}}
	enNames = [][2]string{{"Dana", "dana"}, {"Timur", "timur"}, {"Madina", "madina"}, {"Arman", "arman"},
		{"Saule", "saule"}}
	enSurnames = [][2]string{{"Akhmetova", "akhmetova"}, {"Nurpeisov", "nurpeisov"}, {"Bekova", "bekova"},
		{"Smith", "smith"}}
	langs = []string{"kk", "ru", "en"}
)

// newPerson draws the i-th registrant.
func (p *platform) newPerson(i int) person {
	lang := langs[i%len(langs)]
	names, surnames := kkNames, kkSurnames
	switch lang {
	case "ru":
		names, surnames = ruNames, ruSurnames
	case "en":
		names, surnames = enNames, enSurnames
	}
	n := names[p.rng.IntN(len(names))]
	s := surnames[p.rng.IntN(len(surnames))]
	return person{
		ID:    fmt.Sprintf("u%04d", i+1),
		Lang:  lang,
		Name:  n[0] + " " + s[0],
		Email: fmt.Sprintf("%s.%s%d@example.kz", n[1], s[1], p.rng.IntN(100)),
		IBAN:  p.newIBAN(),
	}
}

// newIBAN draws a Kazakh IBAN (20 characters: KZ, two check digits, a
// three-digit bank code and a 13-character account) with correct ISO 13616
// check digits.
func (p *platform) newIBAN() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%03d", 100+p.rng.IntN(900))
	b.WriteString("KZT")
	for range 10 {
		b.WriteByte(byte('0' + p.rng.IntN(10)))
	}
	bban := b.String()
	// Move "KZ00" to the end, letters to numbers (A=10 … Z=35), mod 97.
	var digits strings.Builder
	for _, c := range bban + "KZ00" {
		if c >= 'A' && c <= 'Z' {
			fmt.Fprintf(&digits, "%d", c-'A'+10)
		} else {
			digits.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	check := 98 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("KZ%02d%s", check, bban)
}
