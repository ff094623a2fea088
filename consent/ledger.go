package consent

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"golang.org/x/mod/sumdb/note"
	"sort"
	"strings"
	"sync"
	"time"
)

// Ledger records consent events and answers [Ledger.Check]. It holds no
// state of its own beyond configuration: everything lives in its [Store],
// so several Ledgers (processes) may share one PostgreSQL store. A Ledger is
// safe for concurrent use.
type Ledger struct {
	store      storage
	keys       *Keyring
	verified   *verifiedCache // MACs computed under keys and found to match
	purposes   sync.Map       // purpose id → the Purpose whose seal verified under keys
	deadlines  Deadlines
	signer     note.Signer
	controller Controller
	clock      func() time.Time
}

// Options configures a Ledger. Only Keys is required.
type Options struct {
	// Keys authenticates the record chain: every record is sealed under its
	// signing key, and Check verifies the records it rests on. Required.
	Keys *Keyring
	// ReceiptSigner signs receipts ([Ledger.Receipt]) as C2SP signed notes,
	// e.g. note.NewSigner on a key from note.GenerateKey (Ed25519). Nil:
	// Receipt fails with ErrNotConfigured.
	ReceiptSigner note.Signer
	// Deadlines says when data-subject requests (clause 7.1) are due; the
	// store keeps each request's due time. OpenRequest of a kind it has
	// no deadline for fails with ErrNotConfigured.
	Deadlines Deadlines
	// Controller describes the operator in receipts.
	Controller Controller
	// Clock is the time source; nil means time.Now.
	Clock func() time.Time
}

// Controller describes the operator (Law 94-V Art. 8: "operator and BIN"),
// used in receipts.
type Controller struct {
	Name            string `json:"party_name"`
	BIN             string `json:"bin"`
	Address         string `json:"party_address"`
	Contact         string `json:"party_contact"`    // e.g. "info@1cb.kz"
	Jurisdiction    string `json:"jurisdiction"`     // e.g. "KZ"
	StorageLocation string `json:"storage_location"` // e.g. "KZ"
	// WithdrawalMethod tells the subject how to withdraw (ISO/IEC TS 27560).
	WithdrawalMethod string `json:"withdrawal_method"`
	// RetentionPeriod says how long the personal data are kept, e.g. "3
	// years after the account is closed" (ISO/IEC TS 27560, mandatory).
	RetentionPeriod string `json:"retention_period"`
}

// NewLedger returns a Ledger over store, made by [NewMemoryStore] or
// [NewSQLStore]. A nil store, a missing keyring or invalid
// [Options].Deadlines fail with [ErrInvalidInput]. The Ledger keeps a copy
// of the keyring and of the deadlines: changes to them later do not reach
// this Ledger.
func NewLedger(store *Store, opts Options) (*Ledger, error) {
	if store == nil || store.storage == nil {
		return nil, invalid("store", "nil")
	}
	if opts.Keys == nil || opts.Keys.signer == "" {
		return nil, invalid("Options.Keys", "no keyring")
	}
	if err := opts.Deadlines.validate(); err != nil {
		return nil, err
	}
	l := &Ledger{store: store.storage, keys: opts.Keys.clone(), verified: newVerifiedCache(), deadlines: opts.Deadlines.clone(),
		signer: opts.ReceiptSigner, controller: opts.Controller, clock: opts.Clock}
	if l.clock == nil {
		l.clock = time.Now
	}
	return l, nil
}

// norm drops the monotonic clock and sub-microsecond precision (what
// PostgreSQL keeps), so that every store orders and compares alike.
func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func (l *Ledger) now() time.Time { return norm(l.clock()) }

// eventTime validates a caller-supplied time of field; zero means now. A
// time ahead of now by at most the skew is a client clock running fast: it
// is taken as now, so that no recorded event lies in the future (a
// withdrawal dated a few seconds ahead would otherwise let Check allow until
// then). A later time is refused.
func (l *Ledger) eventTime(field string, at, now time.Time) (time.Time, error) {
	if at.IsZero() {
		return now, nil
	}
	if err := validTime(field, at); err != nil {
		return time.Time{}, err
	}
	at = norm(at)
	if limit := now.Add(clockSkew); at.After(limit) {
		return time.Time{}, futureTime(field, at, limit)
	}
	return earlier(at, now), nil
}

// orderedAt places an event in the subject's history: a time the caller
// gave must not precede the latest event (ErrConflict, an *InputError), so that the state
// at any time is a prefix of the history; "now" follows it even if the
// clock stepped back.
func orderedAt(s snapshot, field string, at time.Time, explicit bool) (time.Time, error) {
	if !explicit {
		return later(at, lastAt(s.History)), nil
	}
	if last := lastAt(s.History); at.Before(last) {
		return time.Time{}, outOfOrder(field, "before the subject's latest event", at, last)
	}
	return at, nil
}

// newID returns prefix followed by 128 random bits in hex.
func newID(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand, Go ≥ 1.24)
	return prefix + hex.EncodeToString(b[:])
}

// DefinePurpose registers a purpose, sealed under the [Keyring]. Purposes
// are immutable: defining the same id with other content fails with
// ErrConflict; so does defining again, with ConsentRequired false, a
// purpose stored before keys without a seal (it would never allow without
// consent: define it under a new id).
func (l *Ledger) DefinePurpose(ctx context.Context, p Purpose) error {
	p.DataCategories = append([]string(nil), p.DataCategories...)
	if err := p.validate(); err != nil {
		return err
	}
	p.keyID = l.keys.signer
	p.mac, _ = purposeMAC(l.keys, p.keyID, p) // the signer is in the ring
	if err := l.store.definePurpose(ctx, p); err != nil {
		return err
	}
	s, err := l.store.read(ctx, "", p.ID, "")
	if err != nil {
		return err
	}
	if err := l.verifyPurpose(s.Purpose); err != nil {
		return err
	}
	if s.Purpose != nil && s.Purpose.keyID == "" && !p.ConsentRequired {
		return fmt.Errorf("%w: purpose %q is stored without a seal, so it never allows without consent: define it under a new id", ErrConflict, p.ID)
	}
	return nil
}

// DefineRecipient registers a third party data may go to.
func (l *Ledger) DefineRecipient(ctx context.Context, r Recipient) error {
	r.Country = strings.ToUpper(r.Country)
	if err := r.validate(); err != nil {
		return err
	}
	return l.store.defineRecipient(ctx, r)
}

// PublishNotice publishes a notice version in one language (clause 8.1).
// The digest is computed from Text when Text is set; one of Text and SHA256
// is required, since the digest is the proof of what was shown. An empty
// Language is stored as "und" (BCP 47 "undetermined"), a zero EffectiveAt
// as now. Publishing the same
// version and language again with a different text, effective time or
// materiality fails with ErrConflict and changes nothing; so does
// another language of a version whose effective time or materiality differ.
//
// Publish a version before it takes effect, or at the latest when it does:
// a material notice published with a past EffectiveAt also changes what
// Check answers about that past.
func (l *Ledger) PublishNotice(ctx context.Context, n Notice) error {
	if err := validID("Notice.Version", n.Version, false); err != nil {
		return err
	}
	if n.Language == "" {
		n.Language = "und"
	}
	lang, err := canonicalLanguage("Notice.Language", n.Language)
	if err != nil {
		return err
	}
	n.Language = lang
	if err := validTime("Notice.EffectiveAt", n.EffectiveAt); err != nil {
		return err
	}
	if n.EffectiveAt.IsZero() {
		n.EffectiveAt = l.now()
	}
	n.EffectiveAt = norm(n.EffectiveAt)
	if err := validText("Notice.Text", n.Text, noticeTextMax, true); err != nil {
		return err
	}
	if n.Text != "" {
		sum := sha256.Sum256([]byte(n.Text))
		if n.SHA256 != (Digest{}) && n.SHA256 != sum {
			return invalid("Notice.SHA256", "does not match Text")
		}
		n.SHA256 = sum
	}
	if n.SHA256 == (Digest{}) {
		return invalid("Notice.SHA256", "neither Text nor digest given")
	}
	return l.store.publishNotice(ctx, n)
}

// AllowByLaw registers a legal basis that permits transfers of Purpose data
// to Recipient without consent during its validity window. Every use of it
// by Check is recorded in the subject's history. Law or Article must name
// the provision (one may hold both); the zero ValidFrom and ValidUntil mean
// no bound; an empty ID is derived from the other fields.
func (l *Ledger) AllowByLaw(ctx context.Context, b LegalBasis) error {
	if strings.TrimSpace(b.Law+b.Article) == "" {
		return invalid("LegalBasis.Law", "neither Law nor Article given")
	}
	if err := validText("LegalBasis.Law", b.Law, textMaxLen, true); err != nil {
		return err
	}
	if err := validText("LegalBasis.Article", b.Article, textMaxLen, true); err != nil {
		return err
	}
	if err := validID("LegalBasis.Purpose", b.Purpose, false); err != nil {
		return err
	}
	if err := validID("LegalBasis.Recipient", b.Recipient, true); err != nil {
		return err
	}
	if err := validTime("LegalBasis.ValidFrom", b.ValidFrom); err != nil {
		return err
	}
	if err := validTime("LegalBasis.ValidUntil", b.ValidUntil); err != nil {
		return err
	}
	if !b.ValidFrom.IsZero() {
		b.ValidFrom = norm(b.ValidFrom)
	}
	if !b.ValidUntil.IsZero() {
		b.ValidUntil = norm(b.ValidUntil)
		if !b.ValidUntil.After(b.ValidFrom) {
			return invalid("LegalBasis.ValidUntil", "not after ValidFrom")
		}
	}
	if b.ID == "" {
		h := sha256.Sum256(fmt.Appendf(nil, "%q|%q|%q|%q|%s|%s", b.Law, b.Article, b.Purpose, b.Recipient,
			b.ValidFrom.Format(time.RFC3339Nano), b.ValidUntil.Format(time.RFC3339Nano)))
		b.ID = "lb_" + hex.EncodeToString(h[:12])
	}
	if err := validID("LegalBasis.ID", b.ID, false); err != nil {
		return err
	}
	if err := l.checkKnown(ctx, b.Purpose, b.Recipient); err != nil {
		return err
	}
	b.keyID = l.keys.signer
	b.mac, _ = basisMAC(l.keys, b.keyID, b) // the signer is in the ring
	if err := l.store.addLegalBasis(ctx, b); err != nil {
		return err
	}
	// The same content may already be stored without a valid seal (by an
	// earlier version, or inserted behind the ledger): it would never
	// allow, so say so.
	s, err := l.store.read(ctx, "", b.Purpose, b.Recipient)
	if err != nil {
		return err
	}
	for _, stored := range s.LegalBases {
		if stored.ID == b.ID && verifyBasis(l.keys, stored) != nil {
			return fmt.Errorf("%w: legal basis %q is stored without a valid seal: register it under a new id", ErrConflict, b.ID)
		}
	}
	return nil
}

// checkKnown fails unless purpose and recipient are defined.
func (l *Ledger) checkKnown(ctx context.Context, purpose, recipient string) error {
	s, err := l.store.read(ctx, "", purpose, recipient)
	if err != nil {
		return err
	}
	return known(s, purpose, recipient)
}

func known(s snapshot, purpose, recipient string) error {
	if s.Purpose == nil {
		return fmt.Errorf("%w: purpose %q", ErrNotFound, purpose)
	}
	if recipient != "" && s.Recipient == nil {
		return fmt.Errorf("%w: recipient %q", ErrNotFound, recipient)
	}
	return nil
}

func validPair(purpose, recipient string) error {
	if err := validID("Purpose", purpose, false); err != nil {
		return err
	}
	return validID("Recipient", recipient, true)
}

// Grant records that the subject consented to Purpose for Recipient, under
// the notice shown. It returns the consent record, whose ID a later Check
// cites.
func (l *Ledger) Grant(ctx context.Context, g Grant) (Record, error) {
	return l.decideGrant(ctx, g, KindGranted)
}

// Refuse records that the subject refused consent: a refusal is evidence
// too, and it denies until a later grant.
func (l *Ledger) Refuse(ctx context.Context, g Grant) (Record, error) {
	if g.Term != 0 {
		return Record{}, invalid("Term", "a refusal has no term")
	}
	return l.decideGrant(ctx, g, KindRefused)
}

func (l *Ledger) decideGrant(ctx context.Context, g Grant, kind Kind) (Record, error) {
	if err := validEvent(g.Subject, g.Method, g.Evidence); err != nil {
		return Record{}, err
	}
	if err := validPair(g.Purpose, g.Recipient); err != nil {
		return Record{}, err
	}
	if err := validID("NoticeVersion", g.NoticeVersion, true); err != nil {
		return Record{}, err
	}
	var err error
	if g.Language, err = optionalLanguage(g.Language); err != nil {
		return Record{}, err
	}
	if g.Method == methodSystem {
		return Record{}, invalid("Method", "a consent decision comes from the subject, not the system")
	}
	if g.Term < 0 {
		return Record{}, invalid("Term", "negative")
	}
	explicit := !g.At.IsZero()
	at, err := l.eventTime("Grant.At", g.At, l.now())
	if err != nil {
		return Record{}, err
	}
	recs, err := l.append(ctx, g.Subject, g.Purpose, g.Recipient, func(s snapshot) ([]Record, error) {
		if err := known(s, g.Purpose, g.Recipient); err != nil {
			return nil, err
		}
		at, err := orderedAt(s, "Grant.At", at, explicit)
		if err != nil {
			return nil, err
		}
		n, err := grantNotice(s.Notices, g, at)
		if err != nil {
			return nil, err
		}
		r := Record{
			ID: newID("cr_"), Kind: kind, Subject: g.Subject, Purpose: g.Purpose, Recipient: g.Recipient,
			NoticeVersion: n.Version, Language: n.Language, Method: g.Method, Evidence: g.Evidence, At: at,
		}
		if g.Term > 0 {
			r.ExpiresAt = norm(at.Add(g.Term))
		}
		return []Record{r}, validTime("Grant.Term", r.ExpiresAt)
	})
	if err != nil {
		return Record{}, err
	}
	return recs[0], nil
}

// grantNotice returns the notice a grant or refusal at at is given under:
// g.NoticeVersion, or the newest in effect (in g.Language, if set). With no
// notice in effect at all and none asked for, it returns the zero Notice:
// the record then carries no version, and superseded treats it as older
// than any material notice.
func grantNotice(notices []Notice, g Grant, at time.Time) (Notice, error) {
	var n Notice
	var ok bool
	if g.NoticeVersion == "" {
		n, ok = newestNotice(notices, at, false, g.Language)
		if _, any := newestNotice(notices, at, false, ""); !ok && !any {
			return Notice{}, nil
		}
	} else {
		n, ok = noticeVersion(notices, g.NoticeVersion, g.Language)
		ok = ok && !n.EffectiveAt.After(at)
	}
	if !ok {
		return Notice{}, fmt.Errorf("%w: no such notice in effect at the event time", ErrNotFound)
	}
	if m, stale := superseded(notices, n.Version, at); stale {
		return Notice{}, fmt.Errorf("%w: notice %q was superseded by %q", ErrStaleNotice, n.Version, m.Version)
	}
	return n, nil
}

// Withdraw records the withdrawal of a consent in force. It takes effect at
// once: the next Check denies. Withdrawing what is not in force fails with
// ErrNotGranted and records nothing. A withdrawal dated before the
// subject's latest event is recorded at that event's time; it is refused
// with ErrConflict only if the subject granted the same consent after its
// date (see [Withdrawal]).
func (l *Ledger) Withdraw(ctx context.Context, w Withdrawal) (Record, error) {
	if err := validEvent(w.Subject, w.Method, w.Evidence); err != nil {
		return Record{}, err
	}
	if err := validPair(w.Purpose, w.Recipient); err != nil {
		return Record{}, err
	}
	at, err := l.eventTime("Withdrawal.At", w.At, l.now())
	if err != nil {
		return Record{}, err
	}
	recs, err := l.append(ctx, w.Subject, w.Purpose, w.Recipient, func(s snapshot) ([]Record, error) {
		if err := known(s, w.Purpose, w.Recipient); err != nil {
			return nil, err
		}
		if !w.At.IsZero() {
			if d, later := grantedAfter(s.History, w.Purpose, w.Recipient, at); later {
				// The subject granted this consent after the stated time:
				// that later will stands.
				return nil, outOfOrder("Withdrawal.At", "before a later grant of the same consent", at, d.At)
			}
		}
		at, stated := withdrawalAt(s, at, !w.At.IsZero())
		last, ok := lastDecision(s.History, w.Purpose, w.Recipient, at)
		if !ok || last.Kind != KindGranted || (!last.ExpiresAt.IsZero() && !at.Before(last.ExpiresAt)) {
			return nil, ErrNotGranted
		}
		return []Record{{
			ID: newID("cr_"), Kind: KindWithdrawn, Subject: w.Subject, Purpose: w.Purpose, Recipient: w.Recipient,
			NoticeVersion: last.NoticeVersion, Language: last.Language, Method: w.Method, Evidence: w.Evidence, At: at,
			StatedAt: stated,
		}}, nil
	})
	if err != nil {
		return Record{}, err
	}
	return recs[0], nil
}

// withdrawalAt places a withdrawal in the subject's history. Unlike
// orderedAt it does not refuse a time before other events of the subject:
// refusing would leave the consent in force, and any event of the subject
// (a legal-basis use by a Check on another purpose) may have been recorded
// since the subject clicked. A stated time before the latest event becomes
// that event's time and is returned as stated, for the record. Withdraw has
// already refused a withdrawal older than a decision on the same consent.
func withdrawalAt(s snapshot, at time.Time, explicit bool) (placed, stated time.Time) {
	last := lastAt(s.History)
	if explicit && at.Before(last) {
		return last, at
	}
	return later(at, last), time.Time{}
}

// Check answers whether Subject's data may go to Recipient for Purpose at
// q.At (clause 6.1). It denies by default. It allows when a consent record
// in force permits it (Decision.RecordID; a record written before keys
// never does), when the purpose, sealed by [Ledger.DefinePurpose], needs
// no consent and the recipient is the operator itself, or when a
// registered legal basis covers it (Decision.LegalBasisID), in which case
// the use is recorded in the subject's history first (Decision.UseID) and
// a failure to record it denies. On any error the Decision is a denial.
//
// Before deciding, Check verifies under the [Keyring] every record from
// the decision its answer rests on to the newest: a record forged,
// altered, inserted or reordered in the database, or a consent decision
// deleted from the middle of the history, makes it deny with
// [ErrTampered]. Only the deletion of the newest records escapes it; see
// [Ledger.Verify].
//
// A legal basis allows only a check of now (q.At zero, or not before the
// ledger clock minus the clock skew, as a caller's own time.Now() is),
// since only such a check can be a use, and every use is recorded at the
// time it happens, citing a basis valid then. A check of the past answers
// from consent records alone and records nothing; its Reason names a legal
// basis that covered that time.
func (l *Ledger) Check(ctx context.Context, q Query) (Decision, error) {
	if err := validSubject(q.Subject); err != nil {
		return deny(err)
	}
	if err := validPair(q.Purpose, q.Recipient); err != nil {
		return deny(err)
	}
	now := l.now()
	at, err := l.eventTime("Query.At", q.At, now)
	if err != nil {
		return deny(err)
	}
	s, err := l.store.read(ctx, q.Subject, q.Purpose, q.Recipient)
	if err != nil {
		return deny(err)
	}
	if err := known(s, q.Purpose, q.Recipient); err != nil {
		return deny(err)
	}
	if err := l.verifyPurpose(s.Purpose); err != nil {
		return deny(err)
	}
	// A caller passing its own clock's "now" is a little behind the ledger
	// clock; within the skew it still counts as now.
	present := !at.Before(now.Add(-clockSkew))
	if q.At.IsZero() {
		// "now" is after everything recorded, even if this clock lags
		// the one that recorded the latest withdrawal.
		at = later(at, lastAt(s.History))
	}
	if err := l.verifySnapshot(ctx, q.Subject, s.History, q.Purpose, q.Recipient, at); err != nil {
		return deny(err)
	}
	d := decide(s, q, at)
	if d.Allowed {
		return d, nil
	}
	b, ok := legalBasisAt(s.LegalBases, q.Purpose, q.Recipient, at)
	switch {
	case !ok:
		return d, nil
	case !present:
		d.Reason += fmt.Sprintf("; legal basis %s (%s) covered that time, but only a check of now may rely on a legal basis", b.ID, b.cite())
		return d, nil
	}
	return l.useLegalBasis(ctx, q, d)
}

func deny(err error) (Decision, error) {
	return Decision{Code: CodeError, Reason: "denied: the check could not be completed"}, err
}

// errNoBasisNow stops useLegalBasis from recording when no legal basis is
// valid at the time the use would be recorded.
var errNoBasisNow = errors.New("consent: no legal basis valid now")

// useLegalBasis records the use of a legal basis and allows; d is the
// consent denial it overrides. The basis is chosen again under the
// subject's lock, valid at the record's own time, so that no record cites a
// basis that had ended when it was written.
func (l *Ledger) useLegalBasis(ctx context.Context, q Query, d Decision) (Decision, error) {
	var b LegalBasis
	recs, err := l.append(ctx, q.Subject, q.Purpose, q.Recipient, func(s snapshot) ([]Record, error) {
		at := later(l.now(), lastAt(s.History))
		var ok bool
		if b, ok = legalBasisAt(s.LegalBases, q.Purpose, q.Recipient, at); !ok {
			return nil, errNoBasisNow
		}
		if err := verifyBasis(l.keys, b); err != nil {
			return nil, err
		}
		return []Record{{
			ID: newID("cr_"), Kind: KindLegalBasisUsed, Subject: q.Subject, Purpose: q.Purpose, Recipient: q.Recipient,
			Method: methodSystem, LegalBasisID: b.ID, At: at,
		}}, nil
	})
	if errors.Is(err, errNoBasisNow) {
		return d, nil
	}
	if err != nil {
		return deny(err)
	}
	return Decision{
		Allowed: true, Code: CodeLegalBasis, LegalBasisID: b.ID, Law: b.cite(), UseID: recs[0].ID,
		Reason: fmt.Sprintf("allowed without consent by law: %s (legal basis %s); this use is recorded as %s; consent state: %s",
			b.cite(), b.ID, recs[0].ID, d.Reason),
	}, nil
}

// history returns the subject's whole history, oldest first.
func (l *Ledger) history(ctx context.Context, subject string) ([]Record, error) {
	if err := validSubject(subject); err != nil {
		return nil, err
	}
	return l.store.subjectHistory(ctx, subject)
}

func sortRequestsByDue(rs []Request) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Due.Before(rs[j].Due) })
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// validRecord is the last line of defence of both stores: whatever a decide
// function returns, only well-formed records reach the ledger.
func validRecord(subject string, r Record, seq int64) error {
	switch {
	case r.Seq != seq:
		return invalid("Record.Seq", "does not follow the subject's history")
	case r.Subject != subject:
		return invalid("Record.Subject", "does not match the appended subject")
	case !knownKinds[r.Kind]:
		return invalid("Record.Kind", "unknown kind")
	case r.ID == "" || r.At.IsZero():
		return invalid("Record", "missing id or time")
	}
	return nil
}

// WithdrawAll withdraws, in one atomic step, every consent of the subject
// in force: the "withdraw everything" button. It returns the withdrawal
// records, none if nothing was in force.
func (l *Ledger) WithdrawAll(ctx context.Context, subject string, method Method, evidence string) ([]Record, error) {
	if err := validEvent(subject, method, evidence); err != nil {
		return nil, err
	}
	now := l.now()
	return l.append(ctx, subject, "", "", func(s snapshot) ([]Record, error) {
		at := later(now, lastAt(s.History))
		var out []Record
		for _, last := range inForce(s.History, at) {
			out = append(out, Record{
				ID: newID("cr_"), Kind: KindWithdrawn, Subject: subject, Purpose: last.Purpose, Recipient: last.Recipient,
				NoticeVersion: last.NoticeVersion, Language: last.Language, Method: method, Evidence: evidence, At: at,
			})
		}
		return out, nil
	})
}

// RecordExpiries appends an expired event for every grant of the subject
// whose term has run out, so that the history (and receipts) show the lapse
// explicitly. Check does not need it: expiry is derived from the term.
func (l *Ledger) RecordExpiries(ctx context.Context, subject string) ([]Record, error) {
	if err := validSubject(subject); err != nil {
		return nil, err
	}
	now := l.now()
	return l.append(ctx, subject, "", "", func(s snapshot) ([]Record, error) {
		at := later(now, lastAt(s.History))
		var out []Record
		for _, last := range lastDecisions(s.History) {
			if last.Kind == KindGranted && !last.ExpiresAt.IsZero() && !at.Before(last.ExpiresAt) {
				out = append(out, Record{
					ID: newID("cr_"), Kind: KindExpired, Subject: subject, Purpose: last.Purpose, Recipient: last.Recipient,
					NoticeVersion: last.NoticeVersion, Language: last.Language, Method: methodSystem,
					Evidence: "term ended " + last.ExpiresAt.Format(time.RFC3339), At: at,
				})
			}
		}
		return out, nil
	})
}
