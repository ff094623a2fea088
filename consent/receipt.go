package consent

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"golang.org/x/mod/sumdb/note"
	"io"
	"slices"
	"time"
)

// schemaVersion names the receipt layout: the ISO/IEC TS 27560:2023 fields
// (as named by the W3C DPV implementation guide, in snake case) plus the
// Law 94-V Art. 8 block.
const schemaVersion = "iso-iec-ts-27560:2023+kz-94v-art8/1"

// Receipt is a consent receipt for one (subject, purpose, recipient):
// header, processing, parties and events of ISO/IEC TS 27560, and the
// contents Law 94-V Art. 8 requires a consent to state. [Ledger.Receipt]
// signs it as the text of a C2SP signed note:
//
//	{ ...this struct as indented JSON... }
//
//	— receipts.1cb.kz <base64 of key id (4 bytes) and Ed25519 signature>
//
// The signature line names the operator's receipt key and its 32-bit key
// id (the note key hash); [VerifyReceipt] takes the verifiers of every key
// the operator published.
//
// What a third party shown a receipt learns: the subject's pseudonymous
// id (pii_principal_id), the operator and its BIN, the purpose and its
// description, the list of data, the recipient and its country, whether
// the transfer crosses the border, the notice version and the SHA-256 of
// its text, and every decision on this (purpose, recipient) with its time,
// method, evidence reference, term and the record's MAC (event_hash) —
// nothing about other purposes or recipients, and no key material. It
// proves what the operator recorded as of IssuedAt; whether the consent is
// still in force is the ledger's to answer.
type Receipt struct {
	// header
	SchemaVersion  string    `json:"schema_version"`
	ReceiptID      string    `json:"receipt_id"`
	RecordID       string    `json:"record_id"` // the latest consent decision
	PIIPrincipalID string    `json:"pii_principal_id"`
	IssuedAt       time.Time `json:"issued_at"`
	// processing
	PrivacyNotice struct { // the notice shown; zero if none was in effect
		Version     string    `json:"version"`
		Language    string    `json:"language"`
		SHA256      string    `json:"sha256"` // hex digest of the exact text shown
		EffectiveAt time.Time `json:"effective_at"`
		Material    bool      `json:"material"`
	} `json:"privacy_notice"`
	Language string `json:"language"`
	Purposes []struct {
		Purpose     string `json:"purpose"`
		Description Texts  `json:"description"`
		LawfulBasis string `json:"lawful_basis"` // "consent"
	} `json:"purposes"`
	PIIInformation   []string `json:"pii_information"`
	CollectionMethod Method   `json:"collection_method"`
	StorageLocations []string `json:"storage_locations"`
	RetentionPeriod  string   `json:"retention_period"`
	Jurisdiction     string   `json:"jurisdiction"`
	WithdrawalMethod string   `json:"withdrawal_method"`
	// parties: the operator, and the recipient unless it is the operator
	PIIControllers        []ReceiptParty `json:"pii_controllers"`
	RecipientThirdParties []ReceiptParty `json:"recipient_third_parties"`
	// events: every decision on the pair, oldest first
	Events []struct {
		EventID          string    `json:"event_id"`
		EventTime        time.Time `json:"event_time"`
		EventType        string    `json:"event_type"`                  // "explicit consent"
		EventState       Kind      `json:"event_state"`                 // granted, refused, withdrawn, expired
		ValidityDuration string    `json:"validity_duration,omitempty"` // ISO 8601, e.g. "PT3600S"
		ValidUntil       time.Time `json:"valid_until,omitzero"`
		EntityID         string    `json:"entity_id"` // who acted: the subject
		CollectionMethod Method    `json:"collection_method"`
		Evidence         string    `json:"evidence,omitempty"`
		NoticeVersion    string    `json:"notice_version,omitempty"`
		EventHash        Digest    `json:"event_hash"` // the record's Hash: its MAC in the chain
	} `json:"events"`
	// KZ holds what Law 94-V Art. 8 requires a consent to state.
	KZ struct {
		Operator             string    `json:"operator"`
		OperatorBIN          string    `json:"operator_bin"`
		Subject              string    `json:"subject"`
		Term                 string    `json:"term"` // "until withdrawn" or the end, RFC 3339
		ValidUntil           time.Time `json:"valid_until,omitzero"`
		ThirdPartyTransfer   bool      `json:"third_party_transfer"`
		ThirdParties         []string  `json:"third_parties"`
		CrossBorderTransfer  bool      `json:"cross_border_transfer"`
		CrossBorderCountries []string  `json:"cross_border_countries"`
		PublicDissemination  bool      `json:"public_dissemination"`
		DataList             []string  `json:"data_list"`
	} `json:"kz_94v_art8"`
}

// ReceiptParty is a controller or a recipient in a [Receipt].
type ReceiptParty struct {
	PartyID      string `json:"party_id"`
	PartyName    string `json:"party_name"`
	PartyBIN     string `json:"party_bin,omitempty"`
	PartyAddress string `json:"party_address,omitempty"`
	PartyContact string `json:"party_contact,omitempty"`
	PartyRole    string `json:"party_role"` // "controller" or "third_party"
	// PartyType is "data_exporter" and "data_importer" for the two ends of a
	// cross-border transfer, "recipient" otherwise.
	PartyType string `json:"party_type"`
	Country   string `json:"country,omitempty"`
}

// grow appends a zero element to *s and returns it, so that the receipt's
// unnamed element types are filled in place.
func grow[S ~[]E, E any](s *S) *E {
	*s = append(*s, *new(E))
	return &(*s)[len(*s)-1]
}

// Receipt returns the signed receipt of the consent decision recordID of
// subject, for the subject to keep and show to anyone: a C2SP signed note
// (golang.org/x/mod/sumdb/note, Ed25519) whose text is the [Receipt] as
// indented JSON, signed by [Options].ReceiptSigner. The record must be a
// grant, refusal, withdrawal or expiry; the receipt covers every decision
// of its (purpose, recipient) pair up to the latest. Anyone holding the
// operator's public receipt key checks it with [VerifyReceipt], or with
// note.Open and encoding/json alone.
func (l *Ledger) Receipt(ctx context.Context, subject, recordID string) ([]byte, error) {
	if l.signer == nil {
		return nil, fmt.Errorf("%w: Options.ReceiptSigner", ErrNotConfigured)
	}
	if err := validSubject(subject); err != nil {
		return nil, err
	}
	h, err := l.history(ctx, subject)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(h, func(r Record) bool { return r.ID == recordID })
	if i < 0 || !h[i].Kind.decision() {
		return nil, fmt.Errorf("%w: consent record", ErrNotFound)
	}
	s, err := l.store.read(ctx, subject, h[i].Purpose, h[i].Recipient)
	if err != nil {
		return nil, err
	}
	if err := l.verifySnapshot(ctx, subject, s.History, "", "", maxTime); err != nil {
		return nil, err
	}
	if err := l.verifyPurpose(s.Purpose); err != nil { // what the subject agreed to
		return nil, err
	}
	rc, err := l.buildReceipt(s, h[i].Purpose, h[i].Recipient)
	if err != nil {
		return nil, err
	}
	text, err := json.MarshalIndent(rc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("consent: receipt: %w", err)
	}
	signed, err := note.Sign(&note.Note{Text: string(text) + "\n"}, l.signer)
	if err != nil {
		return nil, fmt.Errorf("consent: receipt: %w", err)
	}
	return signed, nil
}

// maxReceipt bounds what VerifyReceipt reads.
const maxReceipt = 1 << 20

// VerifyReceipt checks a signed receipt against the operator's receipt
// keys and decodes it. known holds the verifiers of every key the operator
// has signed receipts with (note.NewVerifier on each published public
// key, in note.VerifierList): a receipt signed before a rotation verifies
// with the old key. A receipt no known key signed, or altered after
// signing, fails with [ErrBadSignature]; one that verifies but is not a
// receipt of this schema fails with [ErrInvalidInput].
//
// It proves that the operator issued the receipt; whether the consent is
// still in force is the ledger's to say (a later withdrawal is another
// receipt).
func VerifyReceipt(signed []byte, known note.Verifiers) (Receipt, error) {
	if len(signed) > maxReceipt {
		return Receipt{}, invalid("receipt", "too large")
	}
	if known == nil {
		return Receipt{}, invalid("known", "no verifiers")
	}
	n, err := note.Open(signed, known)
	if err != nil {
		return Receipt{}, fmt.Errorf("%w: %s", ErrBadSignature, signatureProblem(err))
	}
	return parseReceipt([]byte(n.Text))
}

// signatureProblem describes a note.Open error without echoing the input.
func signatureProblem(err error) string {
	var unknown *note.UnknownVerifierError
	var unverified *note.UnverifiedNoteError
	var invalidSig *note.InvalidSignatureError
	switch {
	case errors.As(err, &unknown):
		return "signed by an unknown key"
	case errors.As(err, &invalidSig):
		return "signature does not match"
	case errors.As(err, &unverified):
		return "no signature by a known key"
	}
	return "not a signed note"
}

// buildReceipt assembles the receipt of the pair's latest decision in s.
func (l *Ledger) buildReceipt(s snapshot, purpose, recipient string) (Receipt, error) {
	if s.Purpose == nil || (recipient != "" && s.Recipient == nil) {
		return Receipt{}, fmt.Errorf("%w: definition of a recorded pair is missing", ErrNotFound)
	}
	c := l.controller
	rc := Receipt{
		SchemaVersion: schemaVersion, ReceiptID: newID("rc_"), IssuedAt: l.now(),
		PIIInformation:   slices.Clone(s.Purpose.DataCategories),
		StorageLocations: nonEmpty(c.StorageLocation), Jurisdiction: c.Jurisdiction,
		RetentionPeriod:  c.RetentionPeriod,
		WithdrawalMethod: c.WithdrawalMethod,
		PIIControllers: []ReceiptParty{{
			PartyID: c.BIN, PartyName: c.Name, PartyBIN: c.BIN, PartyAddress: c.Address, PartyContact: c.Contact,
			PartyRole: "controller", PartyType: "recipient", Country: c.Jurisdiction,
		}},
		RecipientThirdParties: []ReceiptParty{},
	}
	var last, given Record // the latest decision; the latest grant or refusal
	for _, r := range s.History {
		if !r.Kind.decision() || r.Purpose != purpose || r.Recipient != recipient {
			continue
		}
		last = r
		if r.Kind == KindGranted || r.Kind == KindRefused {
			given = r
		}
		e := grow(&rc.Events)
		e.EventID, e.EventTime, e.EventType, e.EventState = r.ID, r.At, "explicit consent", r.Kind
		e.ValidUntil, e.EntityID, e.CollectionMethod, e.Evidence = r.ExpiresAt, r.Subject, r.Method, r.Evidence
		e.NoticeVersion, e.EventHash = r.NoticeVersion, r.Hash
		if !r.ExpiresAt.IsZero() {
			e.ValidityDuration = fmt.Sprintf("PT%dS", int64(r.ExpiresAt.Sub(r.At)/time.Second))
		}
	}
	if last.ID == "" {
		return Receipt{}, fmt.Errorf("%w: consent record", ErrNotFound)
	}
	if given.ID == "" {
		given = last // only withdrawals or expiries fed in by another system
	}
	rc.RecordID, rc.PIIPrincipalID, rc.Language, rc.CollectionMethod = last.ID, last.Subject, given.Language, given.Method
	p := grow(&rc.Purposes)
	p.Purpose, p.Description, p.LawfulBasis = s.Purpose.ID, s.Purpose.Description, "consent"
	rc.KZ.Operator, rc.KZ.OperatorBIN, rc.KZ.Subject, rc.KZ.Term = c.Name, c.BIN, last.Subject, "until withdrawn"
	rc.KZ.ThirdParties, rc.KZ.CrossBorderCountries = []string{}, []string{}
	rc.KZ.DataList = slices.Clone(s.Purpose.DataCategories)
	if n, ok := noticeVersion(s.Notices, given.NoticeVersion, given.Language); ok {
		pn := &rc.PrivacyNotice
		pn.Version, pn.Language, pn.SHA256 = n.Version, n.Language, n.SHA256.String()
		pn.EffectiveAt, pn.Material = n.EffectiveAt, n.Material
	}
	if given.Kind == KindGranted && !given.ExpiresAt.IsZero() {
		rc.KZ.Term = given.ExpiresAt.Format(time.RFC3339)
		rc.KZ.ValidUntil = given.ExpiresAt
	}
	if r := s.Recipient; r != nil {
		if r.Name == "" {
			r.Name = r.ID
		}
		rc.RecipientThirdParties = append(rc.RecipientThirdParties, ReceiptParty{
			PartyID: r.ID, PartyName: r.Name, PartyBIN: r.BIN, PartyRole: "third_party", PartyType: "recipient", Country: r.Country,
		})
		rc.KZ.ThirdPartyTransfer = true
		rc.KZ.ThirdParties = append(rc.KZ.ThirdParties, r.Name)
		if r.CrossBorder {
			rc.PIIControllers[0].PartyType = "data_exporter"
			rc.RecipientThirdParties[0].PartyType = "data_importer"
			rc.KZ.CrossBorderTransfer = true
			rc.KZ.CrossBorderCountries = append(rc.KZ.CrossBorderCountries, r.Country)
		}
		rc.KZ.PublicDissemination = r.Public
	}
	return rc, nil
}

func nonEmpty(s ...string) []string {
	out := []string{}
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Export is everything the ledger holds about one subject, for an access
// request (clause 7.1): the full event history, a receipt per (purpose,
// recipient) ever decided, and the subject's requests.
type Export struct {
	SchemaVersion string    `json:"schema_version"`
	Subject       string    `json:"pii_principal_id"`
	GeneratedAt   time.Time `json:"generated_at"`
	History       []Record  `json:"history"`
	Receipts      []Receipt `json:"receipts"`
	Requests      []Request `json:"requests"`
}

// Export gathers the subject's whole consent history, as stored: it does
// not verify the chain (call [Ledger.Verify] for that), so that an access
// request is answered even from a damaged ledger. Encode it with
// encoding/json for the subject.
func (l *Ledger) Export(ctx context.Context, subject string) (Export, error) {
	if err := validSubject(subject); err != nil {
		return Export{}, err
	}
	h, err := l.history(ctx, subject)
	if err != nil {
		return Export{}, err
	}
	e := Export{SchemaVersion: schemaVersion, Subject: subject, GeneratedAt: l.now(), History: h,
		Receipts: []Receipt{}, Requests: []Request{}}
	type pair struct{ p, r string }
	seen := map[pair]bool{}
	for _, r := range h {
		k := pair{r.Purpose, r.Recipient}
		if !r.Kind.decision() || seen[k] {
			continue
		}
		seen[k] = true
		s, err := l.store.read(ctx, subject, r.Purpose, r.Recipient)
		if err != nil {
			return Export{}, err
		}
		rc, err := l.buildReceipt(s, r.Purpose, r.Recipient)
		if err != nil {
			return Export{}, err
		}
		e.Receipts = append(e.Receipts, rc)
	}
	reqs, err := l.store.listRequests(ctx, subject)
	if err != nil {
		return Export{}, err
	}
	e.Requests = append(e.Requests, reqs...)
	return e, nil
}

// parseReceipt decodes a JSON receipt strictly: unknown fields, trailing
// data and a wrong schema version are errors.
func parseReceipt(data []byte) (Receipt, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Receipt
	if err := dec.Decode(&r); err != nil {
		return Receipt{}, invalid("receipt", "malformed json")
	}
	if _, err := dec.Token(); err != io.EOF {
		return Receipt{}, invalid("receipt", "trailing data")
	}
	if r.SchemaVersion != schemaVersion {
		return Receipt{}, invalid("receipt.schema_version", "unsupported")
	}
	if err := validID("receipt.record_id", r.RecordID, false); err != nil {
		return Receipt{}, err
	}
	if err := validSubject(r.PIIPrincipalID); err != nil {
		return Receipt{}, invalid("receipt.pii_principal_id", "invalid")
	}
	if len(r.Events) == 0 || r.Events[len(r.Events)-1].EventID != r.RecordID {
		return Receipt{}, invalid("receipt.events", "must end with the record")
	}
	for _, e := range r.Events {
		if !e.EventState.decision() {
			return Receipt{}, invalid("receipt.events.event_state", "unknown state")
		}
	}
	if err := validReceiptNotice(r.PrivacyNotice.Version, r.PrivacyNotice.SHA256); err != nil {
		return Receipt{}, err
	}
	return r, nil
}

// validReceiptNotice requires a digest exactly when a notice version is
// named: a consent given while no notice was in effect has neither.
func validReceiptNotice(version, sha string) error {
	if version == "" {
		if sha != "" {
			return invalid("receipt.privacy_notice.sha256", "digest without a notice version")
		}
		return nil
	}
	if b, err := hex.DecodeString(sha); err != nil || len(b) != 32 {
		return invalid("receipt.privacy_notice.sha256", "not a sha-256 hex digest")
	}
	return nil
}
