package consent

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Texts holds one text in the three languages of the platform.
type Texts struct {
	KK string `json:"kk"`
	RU string `json:"ru"`
	EN string `json:"en"`
}

// Purpose is a reason for processing personal data, the unit of consent.
//
// Only ID is required. Description and DataCategories are optional but
// appear in receipts (Law 94-V Art. 8 asks for the list of data): fill them
// for production purposes.
type Purpose struct {
	ID             string   `json:"id"`              // stable id, e.g. "marketing.partners"
	Description    Texts    `json:"description"`     // what the subject is told, kk/ru/en; each optional
	DataCategories []string `json:"data_categories"` // list of data (Law 94-V Art. 8), e.g. "email"
	// ConsentRequired false marks processing on another ground (contract,
	// law) that needs no consent for the operator itself. It never lets data
	// go to a third party: a transfer always needs consent or a registered
	// [LegalBasis] (clause 6.1). It allows only on a purpose sealed under
	// the [Keyring] by [Ledger.DefinePurpose] (not one defined before keys).
	ConsentRequired bool `json:"consent_required"`

	// keyID and mac seal the purpose under the Keyring (see purposeMAC),
	// set by DefinePurpose, so that the table owner cannot turn
	// ConsentRequired off, or change what the subject agreed to.
	keyID string
	mac   Digest
}

// Recipient is a party personal data may be transferred to. The operator
// itself is the empty recipient id "".
//
// Only ID is required; receipts name the recipient by Name, or by ID when
// Name is empty.
type Recipient struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	BIN     string `json:"bin,omitempty"`     // Kazakh business identification number, if any
	Country string `json:"country,omitempty"` // ISO 3166-1 alpha-2 of where it processes data
	// CrossBorder marks a transfer out of Kazakhstan (Law 94-V Art. 16).
	CrossBorder bool `json:"cross_border"`
	// Public marks public dissemination (Law 94-V Art. 8).
	Public bool `json:"public"`
}

// Notice is one published version of the privacy notice in one language.
// A version may be published in several languages; all of them share the
// effective time and materiality.
type Notice struct {
	Version     string    `json:"version"`
	Language    string    `json:"language"`     // BCP 47, e.g. "kk", "ru", "en"; empty: "und"
	EffectiveAt time.Time `json:"effective_at"` // zero: when published
	// Material marks a change that needs fresh consent: consents given under
	// an older notice stop permitting anything once it is in effect.
	Material bool `json:"material"`
	// SHA256 is the digest of the exact text shown. PublishNotice computes
	// it from Text when Text is set, and checks it when both are set.
	SHA256 Digest `json:"sha256"`
	// Text is the notice text, kept as an immutable snapshot.
	Text string `json:"text,omitempty"`
}

// Digest is a SHA-256 digest; it encodes as lower-case hex in JSON.
type Digest [sha256.Size]byte

// MarshalText implements encoding.TextMarshaler.
func (d Digest) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(d[:])), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Digest) UnmarshalText(b []byte) error {
	if len(b) != 2*sha256.Size {
		return invalid("Digest", "not a sha-256 hex digest")
	}
	if _, err := hex.Decode(d[:], b); err != nil {
		return invalid("Digest", "not a sha-256 hex digest")
	}
	return nil
}

// String returns the hex digest.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// Method is how an event was captured.
type Method string

// Capture methods.
const (
	MethodWebForm   Method = "web_form"
	MethodMobileApp Method = "mobile_app"
	MethodEGov      Method = "egov"    // eGov / EDS-signed
	MethodWritten   Method = "written" // paper form
	MethodSMS       Method = "sms_otp"
	MethodSupport   Method = "support" // through a support agent
	methodSystem    Method = "system"  // recorded by the ledger itself
	MethodEmail     Method = "email"   // e.g. notification delivery
	MethodInApp     Method = "in_app"  // e.g. notification banner
)

// Input bounds.
const (
	idMaxLen      = 128
	subjectMaxLen = 256
	textMaxLen    = 4096
	noticeTextMax = 1 << 20 // 1 MiB
	// clockSkew is how far ahead of the ledger clock an event time may be
	// (it is then recorded as now) before it is refused with
	// ErrInvalidInput.
	clockSkew = time.Minute
)

var knownMethods = map[Method]bool{
	MethodWebForm: true, MethodMobileApp: true, MethodEGov: true, MethodWritten: true,
	MethodSMS: true, MethodSupport: true, methodSystem: true, MethodEmail: true, MethodInApp: true,
}

// Kind is the type of a ledger event.
type Kind string

// Event kinds. Granted, refused, withdrawn and expired are consent
// decisions for one (subject, purpose, recipient); the others are facts
// recorded beside them.
const (
	KindGranted        Kind = "granted"
	KindRefused        Kind = "refused"
	KindWithdrawn      Kind = "withdrawn"
	KindExpired        Kind = "expired"
	kindNoticeShown    Kind = "notice_shown" // written by earlier versions only
	KindNoticeNotified Kind = "notice_notified"
	KindLegalBasisUsed Kind = "legal_basis_used"
)

var knownKinds = map[Kind]bool{
	KindGranted: true, KindRefused: true, KindWithdrawn: true, KindExpired: true,
	kindNoticeShown: true, KindNoticeNotified: true, KindLegalBasisUsed: true,
}

// decision reports whether k changes the consent state of its pair.
func (k Kind) decision() bool {
	return k == KindGranted || k == KindRefused || k == KindWithdrawn || k == KindExpired
}

// Record is one immutable ledger event. Its ID is the "consent record id"
// a [Decision] cites.
type Record struct {
	ID            string    `json:"id"`
	Seq           int64     `json:"seq"` // order within the subject's history, from 1
	Kind          Kind      `json:"kind"`
	Subject       string    `json:"subject"`
	Purpose       string    `json:"purpose,omitempty"`
	Recipient     string    `json:"recipient,omitempty"`
	NoticeVersion string    `json:"notice_version,omitempty"`
	Language      string    `json:"language,omitempty"`
	Method        Method    `json:"method"`
	Evidence      string    `json:"evidence,omitempty"` // reference to proof, e.g. a form submission or signature id
	At            time.Time `json:"at"`
	ExpiresAt     time.Time `json:"expires_at,omitzero"` // grants with a term
	LegalBasisID  string    `json:"legal_basis_id,omitempty"`
	// StatedAt is the time the caller gave for a withdrawal dated before
	// the subject's latest event: At is then that event's time, when the
	// withdrawal took effect. Zero otherwise.
	StatedAt time.Time `json:"stated_at,omitzero"`
	// KeyID names the [Keyring] key whose MAC Hash is; empty for a record
	// written before keys (an unkeyed SHA-256 chain, which anyone can
	// compute: such a grant never allows). See [Ledger.Verify].
	KeyID string `json:"key_id,omitempty"`
	// Hash chains the record to the subject's previous record and previous
	// consent decision: an HMAC-SHA256 under key KeyID.
	Hash Digest `json:"hash"`
}

// Grant asks to record a consent given (or, through [Ledger.Refuse], refused).
type Grant struct {
	Subject   string
	Purpose   string
	Recipient string // "" for the operator itself
	// NoticeVersion is the notice shown; empty means the newest notice in
	// effect (in Language, if set). With no notice in effect at all, the
	// record carries no version, and the first material notice to take
	// effect afterwards asks for consent again.
	NoticeVersion string
	// Language is the language of the notice shown. Empty means any: the
	// record then carries the language of the chosen version published
	// last, which need not be the one shown, so set it when a version
	// exists in several languages.
	Language string
	Method   Method // optional: empty is recorded as "not stated"
	Evidence string // optional reference to the proof
	// Term limits the consent (Law 94-V Art. 8); zero means until withdrawn.
	Term time.Duration
	// At is when it was given; zero means now. It may be in the past (a
	// paper form) but not before the subject's latest event; a time up to
	// the clock skew ahead is taken as now, a later one is refused.
	At time.Time
}

// Withdrawal asks to record the withdrawal of a consent in force.
type Withdrawal struct {
	Subject   string
	Purpose   string
	Recipient string
	Method    Method // optional
	Evidence  string // optional
	// At is when it was made; zero means now. A time up to the clock skew
	// ahead is taken as now, a later one is refused. Unlike a grant, a
	// withdrawal dated before the subject's latest event is not refused (a
	// legal-basis use on another purpose must not keep a consent in force):
	// it is recorded at that event's time, with At kept as
	// Record.StatedAt, and withdraws what is in force then. It is refused
	// (ErrConflict) only when the subject granted the same consent after
	// At: that later decision stands.
	At time.Time
}

// LegalBasis registers a legal ground that allows a transfer without consent
// (clause 6.1 "except in cases provided by the law").
type LegalBasis struct {
	ID         string    `json:"id"`      // empty: derived from the other fields
	Law        string    `json:"law"`     // e.g. "Law of the RK No. 94-V"
	Article    string    `json:"article"` // e.g. "Art. 9(2)"
	Purpose    string    `json:"purpose"`
	Recipient  string    `json:"recipient"`
	ValidFrom  time.Time `json:"valid_from,omitzero"`  // zero: no lower bound
	ValidUntil time.Time `json:"valid_until,omitzero"` // zero: no upper bound; exclusive

	// keyID and mac seal the basis under the Keyring (see basisMAC), set by
	// AllowByLaw: a basis the application role inserted never allows.
	keyID string
	mac   Digest
}

// cite names the provision, e.g. "Law of the RK No. 94-V, Art. 9(2)".
func (b LegalBasis) cite() string {
	if b.Law == "" || b.Article == "" {
		return b.Law + b.Article
	}
	return b.Law + ", " + b.Article
}

func (b LegalBasis) validAt(t time.Time) bool {
	if !b.ValidFrom.IsZero() && t.Before(b.ValidFrom) {
		return false
	}
	return b.ValidUntil.IsZero() || t.Before(b.ValidUntil)
}

// Query asks whether Subject's data may go to Recipient for Purpose at At.
type Query struct {
	Subject   string
	Purpose   string
	Recipient string
	// At is the time asked about; zero means now. A time before now asks
	// about the past: the answer comes from the record, and no legal basis
	// allows it (see [Ledger.Check]).
	At time.Time
}

// Code is the machine-readable reason of a [Decision].
type Code string

// Decision codes.
const (
	CodeConsent           Code = "consent"             // allowed: consent record RecordID
	CodeLegalBasis        Code = "legal_basis"         // allowed: legal basis LegalBasisID
	CodeNoConsentRequired Code = "no_consent_required" // allowed: operator's own processing on a non-consent purpose
	CodeNoConsent         Code = "no_consent"          // denied: no consent recorded (or only one recorded before keys)
	CodeRefused           Code = "refused"             // denied: subject refused
	CodeWithdrawn         Code = "withdrawn"           // denied: subject withdrew
	CodeExpired           Code = "expired"             // denied: term ran out
	CodeStaleNotice       Code = "stale_notice"        // denied: re-consent needed after a material notice
	CodeError             Code = "error"               // denied: the check itself failed
)

// Decision is the answer of [Ledger.Check]. Allowed is false unless a
// consent record or a legal basis permits the transfer.
type Decision struct {
	Allowed bool   `json:"allowed"`
	Code    Code   `json:"code"`
	Reason  string `json:"reason"` // for a support agent
	// RecordID is the consent record that permits (or last denied) it.
	RecordID string `json:"record_id,omitempty"`
	// LegalBasisID and Law cite the legal basis used; UseID is the record
	// of that use in the subject's history.
	LegalBasisID string `json:"legal_basis_id,omitempty"`
	Law          string `json:"law,omitempty"`
	UseID        string `json:"use_id,omitempty"`
}

// validID checks purpose, recipient, legal basis and notice ids.
func validID(field, s string, allowEmpty bool) error {
	if s == "" {
		if allowEmpty {
			return nil
		}
		return invalid(field, "empty")
	}
	if len(s) > idMaxLen {
		return invalid(field, "too long")
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._:-/", r)) {
			return invalid(field, "only letters, digits and . _ : - / are allowed")
		}
	}
	return nil
}

// validText checks free text: UTF-8, no control characters (PostgreSQL text
// cannot hold NUL), bounded.
func validText(field, s string, max int, allowEmpty bool) error {
	if s == "" {
		if allowEmpty {
			return nil
		}
		return invalid(field, "empty")
	}
	if len(s) > max {
		return invalid(field, "too long")
	}
	if !utf8.ValidString(s) {
		return invalid(field, "not valid utf-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return invalid(field, "control character")
		}
	}
	return nil
}

func validSubject(s string) error {
	if strings.TrimSpace(s) == "" {
		return invalid("Subject", "empty")
	}
	if err := validText("Subject", s, subjectMaxLen, false); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\n\r\t") {
		return invalid("Subject", "control character")
	}
	return nil
}

// validMethod accepts a known method, or none: an empty Method is recorded
// as given ("not stated"), never replaced by a guess.
func validMethod(m Method) error {
	if m != "" && !knownMethods[m] {
		return invalid("Method", "unknown method")
	}
	return nil
}

// validEvent checks what every recorded event carries from its caller.
func validEvent(subject string, m Method, evidence string) error {
	if err := validSubject(subject); err != nil {
		return err
	}
	if err := validMethod(m); err != nil {
		return err
	}
	return validText("Evidence", evidence, textMaxLen, true)
}

// optionalLanguage canonicalises a language tag that may be empty.
func optionalLanguage(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	return canonicalLanguage("Language", s)
}

// canonicalLanguage parses a BCP 47 tag and returns its canonical form.
func canonicalLanguage(field, s string) (string, error) {
	if s == "" {
		return "", invalid(field, "empty")
	}
	if len(s) > 35 {
		return "", invalid(field, "too long")
	}
	t, err := language.Parse(s)
	if err != nil {
		return "", invalid(field, "not a BCP 47 language tag")
	}
	return t.String(), nil
}

func (p Purpose) validate() error {
	if err := validID("Purpose.ID", p.ID, false); err != nil {
		return err
	}
	for name, s := range map[string]string{"Description.KK": p.Description.KK, "Description.RU": p.Description.RU, "Description.EN": p.Description.EN} {
		if err := validText("Purpose."+name, s, textMaxLen, true); err != nil {
			return err
		}
	}
	for _, c := range p.DataCategories {
		if err := validID("Purpose.DataCategories", c, false); err != nil {
			return err
		}
	}
	return nil
}

func (r Recipient) validate() error {
	if err := validID("Recipient.ID", r.ID, false); err != nil {
		return err
	}
	if err := validText("Recipient.Name", r.Name, textMaxLen, true); err != nil {
		return err
	}
	if err := validText("Recipient.BIN", r.BIN, 12, true); err != nil {
		return err
	}
	if r.BIN != "" && (len(r.BIN) != 12 || strings.Trim(r.BIN, "0123456789") != "") {
		return invalid("Recipient.BIN", "must be 12 digits")
	}
	if r.Country != "" {
		if _, err := language.ParseRegion(r.Country); err != nil || len(r.Country) != 2 {
			return invalid("Recipient.Country", "not an ISO 3166-1 alpha-2 code")
		}
	}
	return nil
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (p Purpose) equal(q Purpose) bool {
	return p.ID == q.ID && p.Description == q.Description && p.ConsentRequired == q.ConsentRequired &&
		equalStrings(p.DataCategories, q.DataCategories)
}

func (b LegalBasis) equal(c LegalBasis) bool {
	return b.ID == c.ID && b.Law == c.Law && b.Article == c.Article && b.Purpose == c.Purpose &&
		b.Recipient == c.Recipient && b.ValidFrom.Equal(c.ValidFrom) && b.ValidUntil.Equal(c.ValidUntil)
}
