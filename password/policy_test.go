package password

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func codes(t *testing.T, err error) []Code {
	t.Helper()
	if err == nil {
		return nil
	}
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	var cs []Code
	for _, v := range pe.Violations {
		cs = append(cs, v.Code)
	}
	return cs
}

// The issue's examples: all pass the composition rule of clause 2.1 and all
// must be rejected by DefaultPolicy.
func TestIssueWeakExamplesRejected(t *testing.T) {
	composition := Policy{MinLength: 8, RequireLetter: true, RequireDigit: true, RequireSpecial: true}
	for _, pw := range []string{"Qwerty123!", "P@ssw0rd1", "Almaty2024!", "йцукен123!", "Қазақстан2026!"} {
		t.Run(pw, func(t *testing.T) {
			require.NoError(t, composition.Check(context.Background(), pw), "composition alone accepts it")
			err := Check(pw)
			require.Error(t, err)
			assert.Contains(t, codes(t, err), TooWeak)
		})
	}
	// пароль123 has no special character, and is weak besides.
	assert.ElementsMatch(t, []Code{NoSpecial, Common, TooWeak}, codes(t, Check("пароль123")))
	assert.Contains(t, codes(t, Check("пароль123!")), TooWeak)
}

func TestCheckAcceptsStrong(t *testing.T) {
	for _, pw := range []string{
		"xK9#mQ2$pL7!",
		"correct-horse-battery-staple7!",
		"Тихий-кит-плывёт-на-север-42!",
		"Қызғалдақ!тау7Бұлақ#сағат",
		"v8&Tz!qWm#3R",
		"жүзім 7 ыстық ? ақпан кітапхана",
	} {
		assert.NoError(t, Check(pw), pw)
	}
}

func TestCheckViolations(t *testing.T) {
	long := strings.Repeat("Zq7!", 33) // 132 characters
	tests := []struct {
		name string
		pw   string
		want []Code
	}{
		{"empty", "", []Code{TooShort, NoLetter, NoDigit, NoSpecial, TooWeak}},
		{"all at once", "zqx", []Code{TooShort, NoDigit, NoSpecial, TooWeak}},
		{"no letter", "1234567!@#$%^&*", []Code{NoLetter, TooWeak}},
		{"no digit", "Xk#mQpLwZr!v", []Code{NoDigit}},
		{"no special", "Xk9mQ2pL7wZr", []Code{NoSpecial}},
		{"too long", long, []Code{TooLong}},
		{"hugely long", strings.Repeat("a", 1<<20), []Code{TooLong}},
		{"invalid utf-8", "Xk9#mQ2$\xffpL7!", []Code{InvalidCharacter}},
		{"nul", "Xk9#mQ2$\x00pL7!", []Code{InvalidCharacter}},
		{"newline", "Xk9#mQ2$\npL7!", []Code{InvalidCharacter}},
		{"bidi override", "Xk9#mQ2$\u202epL7!", []Code{InvalidCharacter}},
		{"zero width", "Xk9#mQ2$\u200bpL7!", []Code{InvalidCharacter}},
		{"common", "password1", []Code{NoSpecial, Common, TooWeak}},
		{"common on the russian layout", "gfhjkm", []Code{TooShort, NoDigit, NoSpecial, Common, TooWeak}},
		{"space is special", "Xk9 mQ2 pL7w", nil},
		{"emoji is special", "Xk9mQ2pL7w\U0001F510", nil},
		{"emoji sequence with joiner", "Xk9mQ2pL7w\U0001F469\u200d\U0001F4BB", nil},
		{"a joiner is not special", "Xk9mQ2pL7w\u200d", []Code{NoSpecial}},
		{"kazakh letters are letters", "әіңғүұқөһ 7!", []Code{TooWeak}},
		{"full-width digit is a digit", "Xk#mQpLwZr!v\uff17", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ElementsMatch(t, tt.want, codes(t, Check(tt.pw)))
		})
	}
}

func TestCheckCountsRunesAfterNFKC(t *testing.T) {
	p := Policy{MinLength: 8, MaxLength: 10}
	assert.NoError(t, p.Check(context.Background(), "пароль12"), "8 Cyrillic runes, 14 bytes")
	assert.ElementsMatch(t, []Code{TooShort}, codes(t, p.Check(context.Background(), "парол12")))
	// U+FB01 (ﬁ) is two runes after NFKC.
	assert.NoError(t, p.Check(context.Background(), "\ufb01\ufb01\ufb01\ufb01"))
	assert.ElementsMatch(t, []Code{TooLong}, codes(t, p.Check(context.Background(), strings.Repeat("\ufb01", 6))))
	// MaxLength above the ceiling is the ceiling.
	assert.ElementsMatch(t, []Code{TooLong}, codes(t, Policy{MaxLength: 1000}.Check(context.Background(), strings.Repeat("a", maxChars+1))))
}

func TestCheckUserInputs(t *testing.T) {
	inputs := []string{"aigerim.zh@example.kz", "Айгерим Жанболатова"}
	for _, pw := range []string{"Aigerim#2019kX!", "Zhanbolatova!7q", "Xq!7Айгерим", "xq!7AYGERIM"} {
		t.Run(pw, func(t *testing.T) {
			assert.Contains(t, codes(t, Check(pw, inputs...)), ContainsUserInput)
		})
	}
	assert.NoError(t, Check("xK9#mQ2$pL7!", inputs...))
	// Without the inputs, the same password is not refused for containing them.
	assert.NotContains(t, codes(t, Check("Zhanbolatova!7q")), ContainsUserInput)
}

func TestNISTPolicy(t *testing.T) {
	p := NISTPolicy()
	assert.NoError(t, p.Check(context.Background(), "correct horse battery staple"), "no composition rule")
	assert.ElementsMatch(t, []Code{TooShort}, codes(t, p.Check(context.Background(), "xK9#mQ2$pL7!")))
	assert.Contains(t, codes(t, p.Check(context.Background(), "passwordpassword")), TooWeak)
	assert.Contains(t, codes(t, p.Check(context.Background(), "йцукенйцукен123")), TooWeak)
	assert.Zero(t, p.History)
	assert.Zero(t, p.MaxAge)
}

func TestViolationMessages(t *testing.T) {
	all := []Code{TooShort, TooLong, NoLetter, NoDigit, NoSpecial, NoUpper, NoLower, InvalidCharacter, TooWeak, Common, ContainsUserInput, Reused, Breached}
	seen := map[string]bool{}
	for _, c := range all {
		v := Violation{Code: c, Clause: clauseComplexity, Limit: 8}
		kk, ru, en := v.Message("kk"), v.Message("ru"), v.Message("en")
		for _, m := range []string{kk, ru, en} {
			assert.NotEmpty(t, m)
			assert.False(t, seen[m], "duplicate message %q", m)
			seen[m] = true
			first, _ := utf8.DecodeRuneInString(m)
			assert.False(t, unicode.IsUpper(first), "messages are lower-case")
			assert.NotContains(t, m, "%!", "formatting")
		}
		assert.Equal(t, en, v.Message("de"), "unknown languages fall back to English")
		assert.Equal(t, ru, v.Message("ru-KZ"))
		assert.Equal(t, kk, v.Message("KK_kz"))
	}
	assert.Equal(t, "password must be at least 8 characters long", Violation{Code: TooShort, Limit: 8}.Message("en"))
	assert.Equal(t, "пароль должен содержать не менее 8 символов", Violation{Code: TooShort, Limit: 8}.Message("ru"))
	assert.Equal(t, "құпиясөз кемінде 8 таңбадан тұруы керек", Violation{Code: TooShort, Limit: 8}.Message("kk"))
	// Russian numerals ending in 1 (but not 11) take the singular.
	for n, want := range map[int]string{
		21:  "пароль должен содержать не менее 21 символа",
		11:  "пароль должен содержать не менее 11 символов",
		15:  "пароль должен содержать не менее 15 символов",
		101: "пароль должен содержать не менее 101 символа",
	} {
		assert.Equal(t, want, Violation{Code: TooShort, Limit: n}.Message("ru"))
	}
	assert.Equal(t, "пароль должен содержать не более 121 символа", Violation{Code: TooLong, Limit: 121}.Message("ru"))
	assert.Equal(t, "этот пароль совпадает с одним из 21 последнего пароля: выберите новый", Violation{Code: Reused, Limit: 21}.Message("ru"))
}

func TestPolicyErrorNeverHoldsThePassword(t *testing.T) {
	const pw = "Almaty2024!"
	err := Check(pw, "almaty")
	require.Error(t, err)
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.NotContains(t, strings.ToLower(err.Error()), "almaty")
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, m := range pe.Messages(lang) {
			assert.NotContains(t, strings.ToLower(m), "almaty")
		}
	}
	assert.ErrorIs(t, err, ErrPolicy)
	assert.True(t, pe.Has(TooWeak))
	assert.False(t, pe.Has(Breached))
	for _, v := range pe.Violations {
		assert.Equal(t, clauseComplexity, v.Clause)
	}
}

type fakeBreach struct {
	breached bool
	err      error
	calls    int
}

func (f *fakeBreach) Breached(ctx context.Context, password string) (bool, error) {
	f.calls++
	return f.breached, f.err
}

func TestCheckBreach(t *testing.T) {
	ctx := context.Background()
	p := DefaultPolicy()
	const strong = "xK9#mQ2$pL7!"

	p.Breach = &fakeBreach{breached: true}
	err := p.Check(ctx, strong)
	assert.ElementsMatch(t, []Code{Breached}, codes(t, err))
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, clauseStorage, pe.Violations[0].Clause)

	p.Breach = &fakeBreach{}
	assert.NoError(t, p.Check(ctx, strong))

	failing := &fakeBreach{err: errors.New("network down")}
	p.Breach = failing
	err = p.Check(ctx, strong)
	assert.ErrorIs(t, err, ErrBreachCheck, "a failed look-up is never a pass")
	assert.NotErrorIs(t, err, ErrPolicy)

	// Malformed input is not sent to the checker.
	failing.calls = 0
	assert.ElementsMatch(t, []Code{InvalidCharacter}, codes(t, p.Check(ctx, "\xff\xfe")))
	assert.Zero(t, failing.calls)
}

func TestExpired(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	p := DefaultPolicy()
	tests := []struct {
		name      string
		maxAge    time.Duration
		changedAt time.Time
		want      bool
	}{
		{"fresh", p.MaxAge, now.Add(-24 * time.Hour), false},
		{"just under", p.MaxAge, now.Add(-p.MaxAge + time.Second), false},
		{"exactly", p.MaxAge, now.Add(-p.MaxAge), true},
		{"old", p.MaxAge, now.AddDate(-1, 0, 0), true},
		{"never recorded", p.MaxAge, time.Time{}, true},
		{"no max age", 0, time.Time{}, false},
		{"in the future", p.MaxAge, now.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Policy{MaxAge: tt.maxAge}.Expired(tt.changedAt, now))
		})
	}
}

func TestZeroPolicyAcceptsAnythingWellFormed(t *testing.T) {
	var p Policy
	assert.NoError(t, p.Check(context.Background(), ""))
	assert.NoError(t, p.Check(context.Background(), "a"))
	assert.ElementsMatch(t, []Code{InvalidCharacter}, codes(t, p.Check(context.Background(), "a\x00")))
	assert.ElementsMatch(t, []Code{TooLong}, codes(t, p.Check(context.Background(), strings.Repeat("a", maxChars+1))))
}

func TestDefaultPolicyIsClause21(t *testing.T) {
	p := DefaultPolicy()
	assert.Equal(t, 8, p.MinLength)
	assert.Equal(t, 128, p.MaxLength)
	assert.True(t, p.RequireLetter && p.RequireDigit && p.RequireSpecial)
	assert.Equal(t, 3, p.MinScore)
	assert.Nil(t, p.Breach)
}

func TestValidate(t *testing.T) {
	assert.NoError(t, DefaultPolicy().Validate())
	assert.NoError(t, NISTPolicy().Validate())
	assert.NoError(t, Policy{}.Validate())
	for _, p := range []Policy{
		{MinLength: -1},
		{MaxLength: 129},
		{MinLength: 20, MaxLength: 10},
		{MinLength: 200},
		{MinScore: 5},
		{History: -1},
		{MaxAge: -time.Hour},
	} {
		assert.ErrorIs(t, p.Validate(), ErrInvalidConfig, "%+v", p)
	}
}

func TestViolationJSON(t *testing.T) {
	b, err := json.Marshal(Violation{Code: TooShort, Clause: clauseComplexity, Limit: 8})
	require.NoError(t, err)
	assert.JSONEq(t, `{"code":"too_short","clause":"2.1","limit":8}`, string(b))
}

// Every letter of the Kazakh and Russian alphabets, in both cases, is a
// letter of its case; digits from other scripts are digits; symbols, space
// and emoji are specials; controls and bidi marks are invalid.
func TestClassify(t *testing.T) {
	const kk = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
	for _, r := range kk {
		lo, up := classify([]rune{r}), classify([]rune{unicode.ToUpper(r)})
		assert.Equal(t, classes{letter: true, lower: true}, lo, string(r))
		assert.Equal(t, classes{letter: true, upper: true}, up, string(unicode.ToUpper(r)))
	}
	for _, tt := range []struct {
		in   string
		want classes
	}{
		{"7", classes{digit: true}},
		{"٣", classes{digit: true}}, // Arabic-Indic three
		{" ", classes{special: true}},
		{"№", classes{special: true}},
		{"₸", classes{special: true}}, // tenge sign
		{"\U0001F510", classes{special: true}},
		{"\u200d", classes{}},
		{"\t", classes{invalid: true}},
		{"\u202e", classes{invalid: true}},
		{"\ue000", classes{invalid: true}}, // private use
	} {
		assert.Equal(t, tt.want, classify([]rune(tt.in)), "%q", tt.in)
	}
}
