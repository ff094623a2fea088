// Package consent is a consent ledger: it records who agreed to what, under
// which notice, and answers whether a given transfer of personal data is
// allowed now, citing the record or the law that allows it.
//
// # Clauses served
//
//   - 6.1 Personal data go to a third party only with the user's consent,
//     except where the law provides otherwise: [Ledger.Check] denies by
//     default and allows only on a consent record in force or a registered
//     [LegalBasis]; every use of a legal basis is itself recorded, so only
//     a check of now (not of a past [Query].At) may rely on one.
//   - 7.1 Access, correction and deletion: [Ledger.OpenRequest] with a
//     configurable [DeadlinePolicy], [Ledger.SetRequestStatus],
//     [Ledger.Overdue], and [Ledger.Export] of a subject's whole history.
//   - 8.1 Users are always notified of changes: [Ledger.PublishNotice],
//     [Ledger.PendingNotifications], [Ledger.RecordNotification]. A consent
//     given under a notice older than the newest material notice permits
//     nothing until the user consents again.
//
// Clause 6.2 (partners get anonymised statistics only) is not a consent
// question: aggregate first (package anonymize), and never ask this ledger
// to let identifiable data go to an advertiser without a consent record.
//
// # Threats answered
//
// The toy version is a map[user]bool. It cannot say when or how consent was
// given, under which text, for which recipient; it forgets refusals; it
// keeps allowing after the Rules change; a bug or an insider can flip a
// bit without trace; and two requests racing on one user leave whichever
// write lands last. Here every change is an immutable event (granted,
// refused, withdrawn, expired, notice shown or notified, legal basis used)
// carrying the subject, purpose, recipient, notice version and its SHA-256,
// method, evidence and time; the current state is derived from the events
// only. The PostgreSQL store rejects UPDATE, DELETE and TRUNCATE of events
// with triggers, which stop the application role (not the table owner or a
// superuser, who can disable them), and serialises the writers of one
// subject with an advisory lock, so the derived state never depends on
// timing. Each record carries a SHA-256 chained to the previous record of
// its subject, so [Ledger.Verify] notices a record changed or removed
// around the triggers (by the owner, a superuser, a restored backup) —
// except the newest ones: a history cut short still verifies. Hosts should
// therefore record each subject's [Head] ([Ledger.Head], or the Seq and
// Hash of the last record a write returned) outside the database, e.g. in
// the audit log, periodically and after withdrawals, and check against it
// with [Ledger.VerifyFrom], which fails with [ErrTampered] when the history
// is shorter than, or diverges from, the recorded head. A store error is
// returned with a denial: it never reads as "allowed".
//
// # Example
//
//	l := consent.NewLedger(consent.NewMemoryStore())
//	_ = l.DefinePurpose(ctx, consent.Purpose{ID: "marketing", ConsentRequired: true,
//		Description: consent.Texts{KK: "Жарнама", RU: "Реклама", EN: "Advertising"},
//		DataCategories: []string{"email"}})
//	_ = l.DefineRecipient(ctx, consent.Recipient{ID: "ads", Name: "Ads LLP"})
//	_ = l.PublishNotice(ctx, consent.Notice{Version: "2026-01", Language: "ru",
//		EffectiveAt: start, Material: true, Text: rulesRU})
//	rec, _ := l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing",
//		Recipient: "ads", Method: consent.MethodWebForm, Evidence: "form-7781"})
//	d, _ := l.Check(ctx, consent.Query{Subject: "user-42", Purpose: "marketing", Recipient: "ads"})
//	// d.Allowed == true, d.RecordID == rec.ID, d.Reason says why in words.
//
// # Model
//
// Consent is granular per (subject, purpose, recipient); the recipient ""
// is the operator itself. A [Purpose] with ConsentRequired false is allowed
// for the operator's own processing, never for a third party. Grants may
// carry a term and expire by themselves. Events of a subject are ordered:
// a grant, refusal or notification dated before the subject's latest event
// is refused ([ErrOutOfOrder]); a withdrawal so dated is recorded at that
// event's time, its stated time kept in [Record].StatedAt, because refusing
// it would keep the consent in force (the latest event may be a legal-basis
// use on another purpose), unless the subject granted the same consent after
// its stated time: that later decision stands and the withdrawal is refused
// ([ErrOutOfOrder]). An event dated in the future beyond the clock
// skew is refused ([ErrFutureEvent]), and one dated ahead within the skew
// is recorded as now, so that no event lies in the future; so "state at
// time t" is a prefix of the history and [Query].At may ask about the past.
// A Check of "now" sees every recorded event, even one placed by a process
// whose clock runs ahead: a withdrawal takes effect at once. Every time
// given to the ledger must lie in the years 1 to 9999 ([ErrTimeRange]),
// which both stores can hold. Notice versions are ordered by effective
// time, then by first publication; a material version supersedes every
// version before it in that order. Definitions (purposes, recipients,
// legal bases, notice versions) are immutable: publish a new id or version
// rather than editing one. [Ledger.Receipt] and [Ledger.Export] produce JSON
// shaped after ISO/IEC TS 27560:2023 (field names as in the W3C DPV guide
// "Consent Records and Receipts as per ISO/IEC TS 27560:2023 using DPV",
// in snake case), with a kz_94v_art8 block holding what Law of the RK
// No. 94-V Art. 8 requires a consent to state: operator and BIN, subject,
// term, third-party and cross-border transfer, public dissemination and
// the list of data.
//
// # Stores
//
// [NewMemoryStore] keeps everything in memory behind one RWMutex.
// [NewSQLStore] uses PostgreSQL through database/sql; call [Migrate] first
// (idempotent) as the role that is to own the tables, from a deployment
// step rather than from the application at every start. Its guarantees:
//
//   - append-only in the schema, for the application role: statement
//     triggers raise on UPDATE, DELETE and TRUNCATE of consent_events and of
//     the definition tables, for every role while enabled; but the table
//     owner and any superuser can disable or drop them. So run the
//     application as a role that owns nothing and holds only SELECT and
//     INSERT on consent_*, UPDATE on consent_requests and USAGE on their
//     sequences, keep the owner role for Migrate, and record [Head]s outside
//     the database against a deletion by the owner. (Migrate also revokes
//     UPDATE, DELETE and TRUNCATE from PUBLIC, which PostgreSQL never grants
//     it; that only undoes a stray grant.)
//   - serialised writers: Append runs in a READ COMMITTED transaction
//     (whatever the server's default isolation) that first takes
//     pg_advisory_xact_lock(class, hashtext(subject)), then reads the
//     subject's history (READ COMMITTED takes a fresh snapshot per
//     statement, so it sees every earlier commit), validates and inserts.
//     (subject, seq) is the primary key, so even a writer that bypassed the
//     lock could not fork a history. Hash collisions only serialise two
//     subjects together.
//   - consistent reads: a Check reads purpose, recipient, notices, legal
//     bases and the subject's decisions in one statement, one snapshot, one
//     round trip. Legal-basis uses and notifications are left out of that
//     read (a partial index covers the decisions), so a Check costs the
//     same however often the law was invoked for the subject.
//
// Both are safe for concurrent use; so is [Ledger].
//
// # Choices
//
//   - Event sourcing, not a state table: refusals, withdrawals and the notice
//     shown are evidence, and "state at time t" must be answerable.
//   - Pure decisions: state.go derives and decides from a snapshot with
//     no I/O; both stores share it, and one behaviour table runs on both.
//   - An advisory lock per subject rather than SELECT ... FOR UPDATE: there
//     is no subject row to lock before the first event, and the lock covers
//     the read-validate-insert of a withdrawal ("was it granted?") as one
//     step.
//   - Deny on doubt: unknown purpose or recipient, store or context errors,
//     an unrecordable legal-basis use, an unknown notice — all deny.
//   - Strict where it protects the record, lenient where it would only be
//     pedantic: typed errors for malformed ids, control characters, future,
//     out-of-order or out-of-range times, unknown methods, a notice with neither text nor
//     digest; nothing is recorded on error. Only ids are required of a
//     Purpose or Recipient; an empty Method is recorded as "not stated"; a
//     notice without Language is "und", without EffectiveAt effective when
//     published; a grant made before any notice is in effect carries no
//     notice version (its receipt no digest) and must be renewed once a
//     material notice applies; a grant without Language records the
//     language of its notice version published last, so give Language
//     when a version exists in several.
//   - Notices are keyed by (version, language): the Rules exist in Kazakh
//     and Russian; all languages of a version share effective time and
//     materiality.
//
// # Limits
//
// Subject ids are stored as given: use a pseudonymous user id, not an
// e-mail address. Evidence is a reference (form id, signature id), not the
// proof itself. PendingNotifications knows only subjects with at least one
// event; users who never met a consent form must be notified from the user
// list. Expiry is derived at check time; no background job is needed:
// [Ledger.RecordExpiries] only makes lapses explicit in the history, for
// receipts. A paper consent form dated before the subject's latest event
// cannot be entered (ErrOutOfOrder): enter it with the date it was
// received. Receipts are not signed, and the hash chain anchors itself
// nowhere: the table owner or a superuser can delete a subject's newest
// records (or all of them) or rewrite a chain and recompute it, and only a
// [Head] recorded elsewhere (an audit log) shows it. The ledger keeps its
// records as proof of consent even after a deletion request: that request
// concerns the platform's data, and its fulfilment is recorded here.
// Deadlines for requests are configuration ([Deadlines], [WorkingDays]);
// none is built in, because the law's deadlines change.
package consent
