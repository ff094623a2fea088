package ci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/1cb-kz/compliance/anonymize"
	"github.com/1cb-kz/compliance/password"
	"github.com/1cb-kz/compliance/pii"
	"github.com/1cb-kz/compliance/pii/piitest"
)

// These are the tests a host service keeps in its own CI, so that a change
// to its handler, its data model or its partner report that breaks the
// Rules fails the build.

func newAccounts(tb testing.TB) *Accounts {
	tb.Helper()
	kr, err := pii.NewKeyring()
	require.NoError(tb, err)
	enc, err := pii.NewEncryptor(kr, pii.Options{})
	require.NoError(tb, err)
	policy := password.DefaultPolicy()
	return &Accounts{Policy: policy, Enc: enc}
}

func register(t *testing.T, a *Accounts, lang, body string) (*httptest.ResponseRecorder, []Problem) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/register", strings.NewReader(body))
	r.Header.Set("Accept-Language", lang)
	w := httptest.NewRecorder()
	a.Register(w, r)
	var resp struct{ Errors []Problem }
	if w.Code == http.StatusUnprocessableEntity {
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp))
	}
	return w, resp.Errors
}

func body(name, email, pw string) string {
	b, _ := json.Marshal(map[string]string{"name": name, "email": email, "password": pw})
	return string(b)
}

// Clause 2.1 on the registration handler: every weak password is refused
// with the rule it breaks, in the user's language.
func TestRegisterPasswordPolicy(t *testing.T) {
	a := newAccounts(t)
	for _, tc := range []struct {
		password string
		want     password.Code
	}{
		{"Ab1!", password.TooShort},
		{"abcdefgh12", password.NoSpecial},
		{"Qwerty123!", password.TooWeak},
		{"йцукен123!", password.TooWeak},
		{"Almaty2024!", password.TooWeak},
		{"aigerim.seitkali!1", password.ContainsUserInput},
	} {
		t.Run(tc.password, func(t *testing.T) {
			w, problems := register(t, a, "ru-KZ", body("Айгерім Сейтқали", "aigerim.seitkali@example.kz", tc.password))
			require.Equal(t, http.StatusUnprocessableEntity, w.Code)
			codes := make([]string, len(problems))
			for i, p := range problems {
				codes[i] = p.Code
				assert.NotEmpty(t, p.Message)
			}
			assert.Contains(t, codes, string(tc.want))
			assert.NotContains(t, w.Body.String(), tc.password, "the response echoes the password")
		})
	}
	assert.Empty(t, a.Rows(), "a refused registration stored a row")
}

func TestRegisterMessagesInThreeLanguages(t *testing.T) {
	a := newAccounts(t)
	seen := map[string]bool{}
	for _, lang := range []string{"kk", "ru", "en"} {
		_, problems := register(t, a, lang, body("Dana Akhmetova", "dana@example.kz", "Qwerty123!"))
		require.NotEmpty(t, problems, lang)
		seen[problems[0].Message] = true
	}
	assert.Len(t, seen, 3, "the three languages gave the same message")
}

// A breach corpus that cannot be reached refuses the registration rather
// than letting an unchecked password through.
func TestRegisterFailsClosed(t *testing.T) {
	a := newAccounts(t)
	a.Policy.Breach = unreachable{}
	pw, err := password.Generate(a.Policy, 16)
	require.NoError(t, err)
	w, _ := register(t, a, "en", body("Dana Akhmetova", "dana@example.kz", pw))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Empty(t, a.Rows())
}

type unreachable struct{}

func (unreachable) Breached(context.Context, string) (bool, error) {
	return false, errors.New("breach corpus unreachable")
}

func TestRegisterBadRequests(t *testing.T) {
	a := newAccounts(t)
	for name, tc := range map[string]struct {
		method, body string
		want         int
	}{
		"get":           {http.MethodGet, "", http.StatusMethodNotAllowed},
		"not json":      {http.MethodPost, "name=x", http.StatusBadRequest},
		"unknown field": {http.MethodPost, `{"name":"x","email":"x@example.kz","password":"p","admin":true}`, http.StatusBadRequest},
		"no e-mail":     {http.MethodPost, `{"name":"x","password":"p"}`, http.StatusBadRequest},
		"too large":     {http.MethodPost, `{"name":"` + strings.Repeat("x", 1<<15) + `"}`, http.StatusBadRequest},
	} {
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			a.Register(w, httptest.NewRequest(tc.method, "/register", strings.NewReader(tc.body)))
			assert.Equal(t, tc.want, w.Code)
		})
	}
}

// Clause 2.2 on the handler: a compliant password is accepted and only its
// argon2id hash is stored; personal data are stored sealed (clause 4.2).
func TestRegisterStoresHashNotPassword(t *testing.T) {
	a := newAccounts(t)
	pw, err := password.Generate(a.Policy, 16)
	require.NoError(t, err)
	w, _ := register(t, a, "en", body("Dana Akhmetova", "dana@example.kz", pw))
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())

	rows := a.Rows()
	require.Len(t, rows, 1)
	dump, err := json.Marshal(rows)
	require.NoError(t, err)
	for _, clear := range []string{pw, "Dana", "dana@example.kz"} {
		assert.NotContains(t, string(dump), clear)
	}
	assert.True(t, strings.HasPrefix(rows[0].PasswordHash, "$argon2id$"))
	ok, err := password.Verify(t.Context(), pw, rows[0].PasswordHash)
	require.NoError(t, err)
	assert.True(t, ok)

	w, _ = register(t, a, "en", body("Dana A.", " DANA@example.kz", pw))
	assert.Equal(t, http.StatusConflict, w.Code, "the blind index did not find the same address")
}

// Clause 3.1 on the data model: one line per struct.
func TestUserIsMinimal(t *testing.T) {
	piitest.RequireMinimal(t, User{}) // only name, e-mail and payment details
	piitest.RequireDeclared(t, User{})
}

// What RequireMinimal catches: a field a developer adds without asking.
func TestMinimalCatchesNewPersonalData(t *testing.T) {
	type userWithPhone struct {
		User
		Phone string `pii:"phone"`
	}
	err := pii.CheckMinimal(userWithPhone{})
	assert.ErrorIs(t, err, pii.ErrNotMinimal)

	type userUndeclared struct {
		User
		IIN string // no tag: RequireDeclared would fail on it
	}
	undeclared, err := pii.Undeclared(userUndeclared{})
	require.NoError(t, err)
	require.Len(t, undeclared, 1)
	assert.Equal(t, "IIN", undeclared[0].Name)
}

func syntheticBids(n int) []Bid {
	rng := rand.New(rand.NewPCG(1, 2))
	regions := []string{"Astana", "Almaty city", "Shymkent", "Karaganda", "Ulytau"}
	bids := make([]Bid, n)
	for i := range bids {
		b := Bid{
			Bidder: fmt.Sprintf("u%d", rng.IntN(n/10+1)),
			Region: regions[rng.IntN(len(regions)-1)],
			Month:  fmt.Sprintf("2026-%02d", 1+rng.IntN(6)),
			Amount: float64(100_000 + rng.IntN(5_000_000)),
		}
		if rng.IntN(100) == 0 { // Ulytau is rare: about five bids a month, by six bidders in all
			b.Region, b.Bidder = "Ulytau", fmt.Sprintf("u%d", rng.IntN(6))
		}
		bids[i] = b
	}
	return bids
}

// Clause 6.2 on the partner report: what leaves is verified as anonymous.
func TestPartnerReportIsAnonymous(t *testing.T) {
	table, err := PartnerReport(syntheticBids(3000))
	require.NoError(t, err)
	require.NoError(t, anonymize.Verify(table))
	suppressed := table.Suppressed()
	assert.NotZero(t, suppressed[anonymize.Threshold]+suppressed[anonymize.Dominance], "the test data exercise no suppression")
}

// What Verify catches: a report where someone published a small cell.
func TestVerifyCatchesDisclosiveReport(t *testing.T) {
	table, err := PartnerReport(syntheticBids(3000))
	require.NoError(t, err)
	i := slices.IndexFunc(table.Cells, func(c anonymize.Cell) bool { return table.Reason(c.Key) == anonymize.Threshold })
	require.GreaterOrEqual(t, i, 0, "no cell below the threshold in the test data")
	table.Cells[i] = anonymize.Cell{Key: table.Cells[i].Key, Rows: 2, Subjects: 2, Sums: []float64{300_000}}
	err = anonymize.Verify(table)
	assert.ErrorIs(t, err, anonymize.ErrDisclosive)
	var ve *anonymize.VerifyError
	assert.True(t, errors.As(err, &ve) && len(ve.Problems) > 0)
}

// FuzzRegister: whatever the body, the handler answers with a creation or
// a client error, never a server error or a panic.
func FuzzRegister(f *testing.F) {
	f.Add("Dana", "dana@example.kz", "Qwerty123!")
	f.Add("Айгерім", "aigerim@example.kz", "йцукен123!")
	f.Add("", "", "")
	f.Add("x", "x@x", "\x00\xff")
	a := newAccounts(f)
	f.Fuzz(func(t *testing.T, name, email, pw string) {
		w := httptest.NewRecorder()
		a.Register(w, httptest.NewRequest(http.MethodPost, "/register", strings.NewReader(body(name, email, pw))))
		switch w.Code {
		case http.StatusCreated, http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("status %d", w.Code)
		}
	})
}
