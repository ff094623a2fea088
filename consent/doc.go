// Package consent is a consent ledger: it records who agreed to what,
// under which notice, and answers whether a transfer of personal data is
// allowed now, citing the record or the law that allows it. Records are
// chained under a secret key, so that whoever can write to the database
// but does not hold the key cannot make [Ledger.Check] allow.
//
//	keys, err := consent.NewKeyring("2026-12", secret) // 32 bytes from a secret manager
//	store := consent.NewMemoryStore()                  // or NewSQLStore(db) after Migrate
//	l, err := consent.NewLedger(store, consent.Options{Keys: keys, ReceiptSigner: signer})
//	err = l.DefinePurpose(ctx, consent.Purpose{ID: "marketing", ConsentRequired: true})
//	err = l.DefineRecipient(ctx, consent.Recipient{ID: "ads", Name: "Ads LLP"})
//	err = l.PublishNotice(ctx, consent.Notice{Version: "2026-01", Language: "ru", Material: true, Text: rules})
//	rec, err := l.Grant(ctx, consent.Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads",
//		Method: consent.MethodWebForm, Evidence: "form-7781"})
//	d, err := l.Check(ctx, consent.Query{Subject: "user-42", Purpose: "marketing", Recipient: "ads"})
//	// d.Allowed, d.RecordID == rec.ID, d.Reason says why in words; err != nil always denies.
//	signed, err := l.Receipt(ctx, "user-42", rec.ID) // a signed note the user keeps
//
// # Clauses served
//
//   - 6.1 Personal data go to a third party only with the user's consent,
//     except where the law provides otherwise: [Ledger.Check] denies by
//     default and allows only on a consent record in force or a legal basis
//     registered with [Ledger.AllowByLaw]; each use of a legal basis is
//     recorded, so only a check of now may rely on one.
//   - 7.1 Access, correction and deletion: [Ledger.OpenRequest],
//     [Ledger.SetRequestStatus], [Ledger.Overdue] with the [Deadlines] of
//     [Options] (calendar time or working days), and [Ledger.Export] of a
//     subject's whole history with a [Receipt] per consent.
//   - 8.1 Users are notified of changes: [Ledger.PublishNotice],
//     [Ledger.PendingNotifications], [Ledger.RecordNotification]. A consent
//     given under a notice older than the newest material notice permits
//     nothing until the user consents again.
//
// Clause 6.2 (partners get anonymised statistics only) is not a consent
// question: aggregate first (package anonymize).
//
// # Threat
//
// Every change is an immutable event (granted, refused, withdrawn, expired,
// notified, legal basis used) carrying subject, purpose, recipient, notice
// version, method, evidence and time; state is derived from the events
// only. The PostgreSQL store stops the application role from updating or
// deleting events with triggers, and serialises the writers of one subject
// with an advisory lock. Against whoever can still write rows (the
// application role may INSERT; the table owner or a superuser can disable
// the triggers), each record carries an HMAC-SHA256 under the [Keyring]'s
// signing key, named in [Record].KeyID, over its fields, the previous
// record and the subject's previous consent decision. Check verifies every
// record from the decision its answer rests on to the newest: a forged,
// altered, inserted or reordered row, or a decision deleted from the
// middle, makes it deny with [ErrTampered]. Deleting the newest records
// leaves a valid chain: record each subject's [Head] outside the database
// (the audit log) after withdrawals, and check it with [Ledger.Verify].
// Keep the keys where the database's administrators cannot read them. A
// Ledger remembers, in memory and bounded, the MACs it computed, and
// accepts a record read again without an HMAC only when the record, its
// links and its MAC are exactly those it verified: this never accepts
// what the MAC would refuse, and a restart simply recomputes.
//
// Receipts ([Ledger.Receipt]) are C2SP signed notes (Ed25519, via
// golang.org/x/mod/sumdb/note) whose text is an ISO/IEC TS 27560 receipt
// in JSON with the contents Law 94-V Art. 8 requires; [VerifyReceipt], or
// note.Open and encoding/json alone, check them with the operator's public
// keys, old ones included after a rotation.
//
// # Model
//
// Consent is granular per (subject, purpose, recipient); the recipient ""
// is the operator itself, and a [Purpose] with ConsentRequired false is
// allowed for the operator only. Grants may carry a term and expire by
// themselves. Events of a subject are ordered: a grant, refusal or
// notification dated before the subject's latest event is refused
// ([ErrConflict], an [InputError]); a withdrawal so dated is placed at that
// event's time, its stated time kept in [Record].StatedAt. Times more than
// a minute ahead of the ledger clock are refused ([ErrInvalidInput]).
// Notice versions are ordered by effective time, then first publication; a
// material version supersedes every version before it. A grant without
// Language records the language of its notice version published last,
// whether it names the version or takes the newest. Definitions are
// immutable ([ErrConflict]).
//
// # Stores
//
// A [Store] is chosen once, as a value: [NewMemoryStore] suits tests and
// single-process tools; [NewSQLStore] uses PostgreSQL 14 or later through
// database/sql: run [Migrate] at deployment as the role that owns the
// tables, and the application as a role holding only SELECT and INSERT on
// consent_*, UPDATE on consent_requests and USAGE on their sequences. A
// Check is one statement, one snapshot, one round trip, and costs the same
// however often the law was invoked for the subject. A database [Migrate]
// has not brought to this version fails with [ErrNotConfigured]. Both
// stores, and [Ledger], are safe for concurrent use.
//
// # Limits
//
// Records written before keys (without KeyID) still verify under the old,
// unkeyed SHA-256 chain, and the first keyed record links to them; but
// anyone can compute that chain, so a grant among them never makes Check
// allow ([CodeNoConsent]): the subject must consent again.
// Legal bases and purposes are sealed under the key too: an inserted or
// altered one never allows (a legal basis, or a purpose needing no
// consent, defined before keys must be defined again under a new id).
// Recipients and notices are not: the table owner can alter them, and
// changing or deleting a material notice can make a consent it superseded
// allow again. Subject ids are stored as given: use a pseudonymous id. Evidence is a reference, not the proof itself.
// PendingNotifications knows only subjects with at least one event. The
// ledger keeps its records after a deletion request, as proof of consent.
// Design notes and measurements: DESIGN.md in this directory.
package consent
