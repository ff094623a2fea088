package password

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Clauses of the platform's Rules served by this package, as
// Violation.Clause names them.
const (
	clauseComplexity = "2.1" // complex passwords of at least 8 characters: letters, digits, specials
	clauseStorage    = "2.2" // change regularly; never in the clear; never handed to others
)

// maxChars is the longest password DefaultPolicy and NISTPolicy accept, in
// characters (runes after NFKC normalisation). It is also the hard ceiling
// of every Policy: longer input is refused before any analysis.
const maxChars = 128

// Policy is a password policy in the style of Keycloak's: each field is one
// rule, and the zero value of a field switches its rule off (except
// MaxLength, whose zero means 128). A Policy is a plain value,
// safe to copy and to share between goroutines; Breach must itself be safe
// for concurrent use.
type Policy struct {
	MinLength int // characters (runes after NFKC); 0: no minimum
	MaxLength int // characters, at most 128 (the ceiling of every policy); 0: 128

	RequireLetter  bool // any Unicode letter: Latin, Russian, Kazakh (ә ғ қ ң ө ұ ү һ і)
	RequireDigit   bool // a decimal digit after NFKC
	RequireSpecial bool // any other printable character, space included
	RequireUpper   bool // an upper-case letter (off in both profiles)
	RequireLower   bool // a lower-case letter (off in both profiles)

	// MinScore is the least Strength score accepted (0 to 4); 0 skips the
	// estimate.
	MinScore int
	// RejectCommon refuses passwords found in the embedded lists of common
	// passwords: zxcvbn's 7,141 most common passwords, those of Russian and
	// Kazakh speakers, and a multilingual list of leaked passwords. A
	// password is found when, spelled as the estimator spells every reading
	// (lower case, in any script or romanisation), it equals an entry as
	// typed, with l33t undone, or as typed on another keyboard layout
	// ("йцукен" is "qwerty").
	RejectCommon bool
	// RejectUserInputs refuses passwords that contain, in any spelling the
	// estimator knows, a word of four or more characters from the user
	// inputs passed to Check (login, e-mail local part, name).
	RejectUserInputs bool

	// History is how many previous passwords CheckChange refuses to reuse.
	History int
	// MaxAge is how long a password may be kept before Expired reports it;
	// 0 never expires.
	MaxAge time.Duration

	// Hasher, when set, compares a password with stored hashes for
	// CheckChange, with its peppers and concurrency bound; nil uses the
	// default Hasher of Hash and Verify, which handles hashes made without
	// a pepper.
	Hasher *Hasher

	// Breach, when set, is asked by Check and CheckChange whether the
	// password is known to attackers (OpenPwnedFile, HIBPClient,
	// MultiBreachChecker).
	Breach BreachChecker
}

// DefaultPolicy returns clause 2.1 of the Rules made real: at least 8 and at
// most 128 characters, at least one letter, one digit and one special
// character, and a strength score of at least 3 (which is what makes
// "complex" mean hard to guess, and rejects Qwerty123!, P@ssw0rd1,
// Almaty2024!, йцукен123!, Қазақстан2026! and пароль123, all of which the
// composition rule alone lets through). It refuses common passwords and
// passwords containing the user's own inputs. For clause 2.2 it keeps the
// last 5 passwords from reuse and sets a MaxAge of 180 days, which the Rules
// only recommend: use Expired to prompt the user, not to lock them out.
//
// See the package documentation for how this differs from NISTPolicy.
func DefaultPolicy() Policy {
	return Policy{
		MinLength:        8,
		MaxLength:        maxChars,
		RequireLetter:    true,
		RequireDigit:     true,
		RequireSpecial:   true,
		MinScore:         3,
		RejectCommon:     true,
		RejectUserInputs: true,
		History:          5,
		MaxAge:           180 * 24 * time.Hour,
	}
}

// NISTPolicy returns the profile of NIST SP 800-63B-4 (§3.1.1.2) and OWASP
// ASVS 5.0 (V6.2) for a password that is the only authentication factor: at
// least 15 characters, up to 128, no composition rule, no periodic expiry, a
// blocklist (the embedded common passwords, the user's own inputs, and a
// strength score of at least 3, which rejects dictionary words, keyboard
// walks, repeats and dates). History is 0: NIST asks for a change only on
// evidence of compromise. Set Breach to check a breach corpus, as both
// standards require. Where the password is one factor of several, NIST
// allows a MinLength of 8.
func NISTPolicy() Policy {
	return Policy{
		MinLength:        15,
		MaxLength:        maxChars,
		MinScore:         3,
		RejectCommon:     true,
		RejectUserInputs: true,
	}
}

// Check reports whether password satisfies DefaultPolicy. userInputs are the
// words the user's password must not be built from (login, e-mail, name).
// It returns nil or a *PolicyError. DefaultPolicy consults no breach corpus,
// so Check does no I/O and never blocks.
func Check(password string, userInputs ...string) error {
	return DefaultPolicy().Check(context.Background(), password, userInputs...)
}

// Check reports whether password satisfies p. It returns nil, a
// *PolicyError listing every violation at once (except that TooLong and
// InvalidCharacter are reported alone: such input is refused before it is
// analysed), or, when p.Breach is set and fails, an error wrapping
// ErrBreachCheck: a failed look-up is never a silent pass. Only p.Breach
// may block or do I/O, and ctx is passed to it; without Breach, Check is
// pure and its cost bounded whatever the input (2 ms of CPU at most).
func (p Policy) Check(ctx context.Context, password string, userInputs ...string) error {
	return p.CheckChange(ctx, password, nil, userInputs...) // no history: no hash
}

// CheckChange checks a new password for clause 2.1 and 2.2 at once: it is
// Check plus a Reused violation when password matches one of the newest
// p.History entries of history (stored hashes, newest first), compared by
// p.Hasher or, when nil, by the package's default Hasher. Older entries are
// ignored, so callers may pass their whole history. Each entry compared
// costs one hash verification; ctx ends the wait for each.
//
// When the password is malformed (InvalidCharacter, TooLong) no hash is
// computed. An entry that cannot be verified (malformed, unknown pepper)
// makes CheckChange return its error (matching ErrMalformedHash or
// ErrUnsupportedHash) unless another entry matched: an unverifiable history
// is never a silent pass.
func (p Policy) CheckChange(ctx context.Context, password string, history []string, userInputs ...string) error {
	vs := p.check(password, userInputs)
	if err := p.checkBreach(ctx, password, &vs); err != nil {
		return err
	}
	if p.History > 0 && len(history) > 0 && !vs.has(InvalidCharacter) && !vs.has(TooLong) {
		if err := ctx.Err(); err != nil {
			return err
		}
		h := p.Hasher
		if h == nil {
			h = defaultHasher()
		}
		reused, err := h.inHistory(ctx, password, history[:min(len(history), p.History)])
		if reused {
			vs.add(Violation{Code: Reused, Clause: clauseStorage, Limit: p.History})
		} else if err != nil {
			return fmt.Errorf("password: history check: %w", err)
		}
	}
	return vs.err()
}

func (p Policy) checkBreach(ctx context.Context, password string, vs *violations) error {
	if p.Breach == nil || vs.has(InvalidCharacter) || vs.has(TooLong) {
		return nil
	}
	breached, err := p.Breach.Breached(ctx, password)
	if err != nil {
		return breachFailure(err)
	}
	if breached {
		// A password in a breach corpus has been handed to third parties,
		// which clause 2.2 forbids.
		vs.add(Violation{Code: Breached, Clause: clauseStorage})
	}
	return nil
}

// Expired reports whether a password last changed at changedAt is older than
// p.MaxAge at now. A zero changedAt (never recorded) counts as expired. With
// MaxAge 0 nothing expires.
func (p Policy) Expired(changedAt, now time.Time) bool {
	if p.MaxAge <= 0 {
		return false
	}
	return changedAt.IsZero() || now.Sub(changedAt) >= p.MaxAge
}

// Validate reports, with an error matching ErrInvalidConfig, a policy that
// no password can satisfy or that is meaningless: negative fields, MinLength
// above the maximum, MinScore above 4. Check does not call it (a bad policy refuses passwords, it never
// accepts more); call it where policies are configured.
func (p Policy) Validate() error {
	switch {
	case p.MinLength < 0 || p.MaxLength < 0 || p.MinScore < 0 || p.History < 0 || p.MaxAge < 0:
		return fmt.Errorf("%w: negative value", ErrInvalidConfig)
	case p.MaxLength > maxChars:
		return fmt.Errorf("%w: MaxLength above %d", ErrInvalidConfig, maxChars)
	case p.MinLength > p.maxLength():
		return fmt.Errorf("%w: MinLength above MaxLength", ErrInvalidConfig)
	case p.MinScore > 4:
		return fmt.Errorf("%w: MinScore above 4", ErrInvalidConfig)
	}
	return nil
}

func (p Policy) maxLength() int {
	if p.MaxLength <= 0 || p.MaxLength > maxChars {
		return maxChars
	}
	return p.MaxLength
}

// The zero-width joiner and non-joiner are the only format characters
// accepted; every other control or format character (bidi overrides, zero
// width spaces) is InvalidCharacter.
const (
	zwj  = '\u200d'
	zwnj = '\u200c'
)

type violations []Violation

func (vs *violations) add(v Violation) { *vs = append(*vs, v) }

func (vs violations) has(c Code) bool {
	for _, v := range vs {
		if v.Code == c {
			return true
		}
	}
	return false
}

func (vs violations) err() error {
	if len(vs) == 0 {
		return nil
	}
	return &PolicyError{Violations: vs}
}

func (p Policy) check(password string, userInputs []string) violations {
	var vs violations
	maxLen := p.maxLength()
	// Refuse over-long input before anything else touches it. NFKC can
	// expand a rune to many (U+FDFA is 18), so the byte bound is generous and
	// the exact bound is applied after normalisation.
	if len(password) > maxLen*utf8.UTFMax*2 {
		vs.add(Violation{Code: TooLong, Clause: clauseComplexity, Limit: maxLen})
		return vs
	}
	if !utf8.ValidString(password) {
		vs.add(Violation{Code: InvalidCharacter, Clause: clauseComplexity})
		return vs
	}
	rs := nfkcRunes(password)
	if len(rs) > maxLen {
		vs.add(Violation{Code: TooLong, Clause: clauseComplexity, Limit: maxLen})
		return vs
	}
	cs := classify(rs)
	if cs.invalid {
		vs.add(Violation{Code: InvalidCharacter, Clause: clauseComplexity})
		return vs
	}
	if len(rs) < p.MinLength {
		vs.add(Violation{Code: TooShort, Clause: clauseComplexity, Limit: p.MinLength})
	}
	for _, c := range p.missingClasses(cs) {
		vs.add(Violation{Code: c, Clause: clauseComplexity})
	}
	if p.MinScore <= 0 && !p.RejectCommon && !p.RejectUserInputs {
		return vs
	}
	var inputs []string
	if p.RejectUserInputs || p.MinScore > 0 {
		inputs = userInputs
	}
	res := analyse(rs, inputs, true)
	if p.RejectCommon && res.common {
		vs.add(Violation{Code: Common, Clause: clauseComplexity})
	}
	if p.RejectUserInputs && res.containsUserInput {
		vs.add(Violation{Code: ContainsUserInput, Clause: clauseComplexity})
	}
	if p.MinScore > 0 {
		if e := res.estimate(); e.Score < p.MinScore {
			vs.add(Violation{Code: TooWeak, Clause: clauseComplexity, Limit: p.MinScore})
		}
	}
	return vs
}

// classes records which classes of character a password has.
type classes struct {
	letter, digit, special, upper, lower, invalid bool
}

func classify(rs []rune) classes {
	var c classes
	for _, r := range rs {
		switch {
		case r == zwj || r == zwnj:
			// Joiners inside emoji sequences and some scripts: allowed, but
			// an invisible character is no special character.
		case r != ' ' && !unicode.IsPrint(r):
			c.invalid = true
		case unicode.IsLetter(r):
			c.letter = true
			c.upper = c.upper || unicode.IsUpper(r)
			c.lower = c.lower || unicode.IsLower(r)
		case unicode.Is(unicode.Nd, r):
			c.digit = true
		case unicode.IsMark(r):
			// A combining mark left after NFKC belongs to the letter before it.
		default:
			c.special = true
		}
	}
	return c
}

// missingClasses returns the codes of the classes p requires and c lacks.
func (p Policy) missingClasses(c classes) []Code {
	var codes []Code
	for _, k := range []struct {
		want, have bool
		code       Code
	}{
		{p.RequireLetter, c.letter, NoLetter},
		{p.RequireDigit, c.digit, NoDigit},
		{p.RequireSpecial, c.special, NoSpecial},
		{p.RequireUpper, c.upper, NoUpper},
		{p.RequireLower, c.lower, NoLower},
	} {
		if k.want && !k.have {
			codes = append(codes, k.code)
		}
	}
	return codes
}

// Code identifies a rule a password breaks. Codes are stable strings, safe
// to log, store and send to clients.
type Code string

// The codes. Each Violation carries one.
const (
	TooShort          Code = "too_short"           // fewer than MinLength characters
	TooLong           Code = "too_long"            // more than MaxLength characters
	NoLetter          Code = "no_letter"           // no letter
	NoDigit           Code = "no_digit"            // no digit
	NoSpecial         Code = "no_special"          // no special character
	NoUpper           Code = "no_upper"            // no upper-case letter
	NoLower           Code = "no_lower"            // no lower-case letter
	InvalidCharacter  Code = "invalid_character"   // invalid UTF-8, control or other non-printable character
	TooWeak           Code = "too_weak"            // Strength score below MinScore
	Common            Code = "common"              // in the embedded list of common passwords
	ContainsUserInput Code = "contains_user_input" // contains the login, e-mail or name
	Reused            Code = "reused"              // one of the last History passwords
	Breached          Code = "breached"            // known to Policy.Breach
)

// Violation is one rule a password breaks. It never holds the password.
type Violation struct {
	Code   Code   `json:"code"`
	Clause string `json:"clause"` // "2.1" or "2.2"
	// Limit is the number the rule is about, where there is one: the
	// length for TooShort and TooLong, the score for TooWeak, the history
	// size for Reused.
	Limit int `json:"limit,omitempty"`
}

// Message returns the violation as a sentence for the user in lang: "kk"
// (Kazakh), "ru" (Russian) or "en" (English, also for any other value).
// Region subtags are ignored ("ru-KZ" is Russian).
func (v Violation) Message(lang string) string {
	lang, _, _ = strings.Cut(strings.ToLower(lang), "-")
	lang, _, _ = strings.Cut(lang, "_")
	m, ok := messages[v.Code]
	if !ok {
		return "password: unknown rule " + string(v.Code)
	}
	var tmpl string
	switch lang {
	case "kk":
		tmpl = m.kk
	case "ru":
		tmpl = m.ru
		// After "не менее", "не более" and "из", a number ending in 1
		// (but not 11) takes the genitive singular: 21 символа, 21 пароля.
		if m.ruOne != "" && v.Limit%10 == 1 && v.Limit%100 != 11 {
			tmpl = m.ruOne
		}
	default:
		tmpl = m.en
	}
	if strings.Contains(tmpl, "%d") {
		return fmt.Sprintf(tmpl, v.Limit)
	}
	return tmpl
}

// messages holds each violation's sentence in Kazakh, Russian and English;
// ruOne, where set, is the Russian sentence for a Limit ending in 1.
var messages = map[Code]struct{ kk, ru, ruOne, en string }{
	TooShort: {
		kk:    "құпиясөз кемінде %d таңбадан тұруы керек",
		ru:    "пароль должен содержать не менее %d символов",
		ruOne: "пароль должен содержать не менее %d символа",
		en:    "password must be at least %d characters long"},
	TooLong: {
		kk:    "құпиясөз %d таңбадан аспауы керек",
		ru:    "пароль должен содержать не более %d символов",
		ruOne: "пароль должен содержать не более %d символа",
		en:    "password must be at most %d characters long"},
	NoLetter: {
		kk: "құпиясөзде кемінде бір әріп болуы керек",
		ru: "пароль должен содержать хотя бы одну букву",
		en: "password must contain a letter"},
	NoDigit: {
		kk: "құпиясөзде кемінде бір цифр болуы керек",
		ru: "пароль должен содержать хотя бы одну цифру",
		en: "password must contain a digit"},
	NoSpecial: {
		kk: "құпиясөзде кемінде бір арнайы таңба болуы керек",
		ru: "пароль должен содержать хотя бы один специальный символ",
		en: "password must contain a special character"},
	NoUpper: {
		kk: "құпиясөзде кемінде бір бас әріп болуы керек",
		ru: "пароль должен содержать хотя бы одну заглавную букву",
		en: "password must contain an upper-case letter"},
	NoLower: {
		kk: "құпиясөзде кемінде бір кіші әріп болуы керек",
		ru: "пароль должен содержать хотя бы одну строчную букву",
		en: "password must contain a lower-case letter"},
	InvalidCharacter: {
		kk: "құпиясөзде рұқсат етілмеген немесе басқару таңбасы бар",
		ru: "пароль содержит недопустимый или управляющий символ",
		en: "password contains an invalid or control character"},
	TooWeak: {
		kk: "құпиясөзді болжау тым оңай: сөздерді, күндерді және пернетақта тізбектерін қолданбаңыз",
		ru: "пароль слишком легко подобрать: избегайте слов, дат и последовательностей клавиш",
		en: "password is too easy to guess: avoid words, dates and keyboard patterns"},
	Common: {
		kk: "бұл жиі қолданылатын құпиясөз",
		ru: "это распространённый пароль",
		en: "password is among the most commonly used passwords"},
	ContainsUserInput: {
		kk: "құпиясөзде атыңыз, логиніңіз немесе электрондық поштаңыз болмауы керек",
		ru: "пароль не должен содержать ваше имя, логин или адрес электронной почты",
		en: "password must not contain your name, login or e-mail address"},
	Reused: {
		kk:    "бұл құпиясөз соңғы %d құпиясөздің бірі: жаңасын таңдаңыз",
		ru:    "этот пароль совпадает с одним из %d последних паролей: выберите новый",
		ruOne: "этот пароль совпадает с одним из %d последнего пароля: выберите новый",
		en:    "password matches one of the last %d passwords: choose a new one"},
	Breached: {
		kk: "бұл құпиясөз деректердің жария болған ағып кетуінде кездеседі",
		ru: "этот пароль встречается в опубликованных утечках данных",
		en: "password appears in a known data breach"},
}

// PolicyError lists every rule a password breaks. It never holds the
// password. Use errors.As to get it from Check.
type PolicyError struct {
	Violations []Violation
}

// Is reports whether target is ErrPolicy.
func (e *PolicyError) Is(target error) bool { return target == ErrPolicy }

// Error returns ErrPolicy's text and the English messages, joined by "; ".
func (e *PolicyError) Error() string {
	return ErrPolicy.Error() + ": " + strings.Join(e.Messages("en"), "; ")
}

// Has reports whether the error lists a violation with code c.
func (e *PolicyError) Has(c Code) bool { return violations(e.Violations).has(c) }

// Messages returns the messages in lang, one per violation.
func (e *PolicyError) Messages(lang string) []string {
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		msgs[i] = v.Message(lang)
	}
	return msgs
}
