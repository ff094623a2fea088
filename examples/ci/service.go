package ci

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"github.com/1cb-kz/compliance/anonymize"
	"github.com/1cb-kz/compliance/password"
	"github.com/1cb-kz/compliance/pii"
)

// User is the host's users table. The pii tags declare every field that
// holds personal data: the host's CI checks them against clause 3.1
// (piitest), and Seal encrypts them before a row is stored.
type User struct {
	ID           string
	Lang         string
	Name         string `pii:"name,encrypt"`
	Email        string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex   string
	PasswordHash string
}

// Accounts serves registrations. It is safe for concurrent use.
type Accounts struct {
	Policy password.Policy // password.DefaultPolicy() with a Breach checker, typically
	Enc    *pii.Encryptor

	mu    sync.Mutex
	users map[string]User // by e-mail blind index
	next  int
}

// RegisterRequest is the body of POST /register. The password is a
// password.Secret, so logging the request cannot print it.
type RegisterRequest struct {
	Name     string          `json:"name"`
	Email    string          `json:"email"`
	Password password.Secret `json:"password"`
}

// Problem is one reason a registration was refused.
type Problem struct {
	Code    string `json:"code"`
	Clause  string `json:"clause,omitempty"`
	Message string `json:"message"`
}

// languages are those the platform speaks; the first is the default.
var languages = language.NewMatcher([]language.Tag{language.Kazakh, language.Russian, language.English})

// lang picks kk, ru or en from the Accept-Language header.
func lang(r *http.Request) string {
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := languages.Match(tags...)
	return []string{"kk", "ru", "en"}[i]
}

// Register handles POST /register: 201 with the new id, 422 with the
// reasons (in the user's language) when the password breaks the policy,
// 400 on a malformed body, 409 when the e-mail is taken.
func (a *Accounts) Register(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var req RegisterRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<14))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || req.Email == "" || req.Name == "" {
		http.Error(w, "malformed request", http.StatusBadRequest)
		return
	}
	l := lang(r)
	local, _, _ := strings.Cut(req.Email, "@")
	err := a.Policy.Check(r.Context(), req.Password.Reveal(), local, req.Email, req.Name)
	var pe *password.PolicyError
	switch {
	case errors.As(err, &pe):
		problems := make([]Problem, len(pe.Violations))
		for i, v := range pe.Violations {
			problems[i] = Problem{Code: string(v.Code), Clause: v.Clause, Message: v.Message(l)}
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": problems})
		return
	case err != nil: // the breach check failed: refuse rather than pass unchecked
		http.Error(w, "password check unavailable, try again", http.StatusServiceUnavailable)
		return
	}
	id, err := a.create(r.Context(), req, l)
	switch {
	case errors.Is(err, errTaken):
		http.Error(w, "e-mail already registered", http.StatusConflict)
	case err != nil:
		http.Error(w, "internal error", http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	}
}

var errTaken = errors.New("e-mail already registered")

// create hashes the password, seals the personal data and stores the row.
func (a *Accounts) create(ctx context.Context, req RegisterRequest, l string) (string, error) {
	hash, err := password.Hash(ctx, req.Password.Reveal())
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.users == nil {
		a.users = map[string]User{}
	}
	a.next++
	u := User{ID: "u" + strconv.Itoa(a.next), Lang: l, Name: req.Name, Email: req.Email, PasswordHash: hash}
	if err := a.Enc.Seal(&u, u.ID); err != nil {
		return "", err
	}
	if _, ok := a.users[u.EmailIndex]; ok {
		return "", errTaken // a truncated index could collide: a real host decrypts and compares
	}
	a.users[u.EmailIndex] = u
	return u.ID, nil
}

// Rows returns a copy of the stored rows, as a database dump would hold them.
func (a *Accounts) Rows() []User {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]User, 0, len(a.users))
	for _, u := range a.users {
		out = append(out, u)
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Bid is one bid, as the partner report sees it.
type Bid struct {
	Bidder string // user id
	Region string
	Month  string // "2026-03"
	Amount float64
}

// PartnerReport is the statistics the host sends its partners (clause 6.2):
// bids and amounts by region and month, each published cell backed by at
// least five distinct bidders and no sum dominated by one of them.
func PartnerReport(bids []Bid) (*anonymize.Table, error) {
	agg, err := anonymize.NewAggregator(anonymize.Spec[Bid]{
		K:       5,
		Subject: func(b Bid) string { return b.Bidder },
		Dimensions: []anonymize.Dimension[Bid]{
			{Name: "region", Key: func(b Bid) string { return b.Region }},
			{Name: "month", Key: func(b Bid) string { return b.Month }},
		},
		Measures: []anonymize.Measure[Bid]{{Name: "amount_kzt", Value: func(b Bid) float64 { return b.Amount },
			Dominance: []anonymize.NK{{N: 1, K: 75}}}},
		Margins: true,
	})
	if err != nil {
		return nil, err
	}
	for _, b := range bids {
		agg.Add(b)
	}
	return agg.Release()
}
