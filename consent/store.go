package consent

import "context"

// Store keeps definitions and the append-only event ledger. [MemoryStore]
// and [SQLStore] implement it; the [Ledger] holds all the rules, so a
// Store only stores, orders and serialises.
//
// Implementations must be safe for concurrent use, must never change or
// delete a recorded [Record], and must run each Append for one subject
// strictly one after another, so that the state derived from a subject's
// history never depends on timing.
type Store interface {
	// DefinePurpose, DefineRecipient and AddLegalBasis store a definition.
	// Storing the same content again is a no-op; other content under an id
	// already used fails with ErrDefinitionConflict.
	DefinePurpose(ctx context.Context, p Purpose) error
	DefineRecipient(ctx context.Context, r Recipient) error
	AddLegalBasis(ctx context.Context, b LegalBasis) error
	// PublishNotice stores a notice. The same (version, language) with the
	// same digest, effective time and materiality is a no-op; anything else
	// under a used version fails with ErrNoticeConflict.
	PublishNotice(ctx context.Context, n Notice) error
	// Notices returns every notice in publication order, with its text.
	Notices(ctx context.Context) ([]Notice, error)

	// Snapshot returns, in one consistent read, what a decision about
	// (subject, purpose, recipient) needs.
	Snapshot(ctx context.Context, subject, purpose, recipient string) (Snapshot, error)
	// Append takes the subject's write lock, reads a Snapshot, calls decide
	// and appends the records it returns, all atomically: either every
	// record is stored or none. decide numbers and chains the records after
	// the snapshot's history; the store refuses a record whose Seq does not
	// follow, whose Subject differs or whose Kind is unknown, with
	// ErrInvalidInput. An error from decide is returned unchanged and
	// nothing is stored.
	Append(ctx context.Context, subject, purpose, recipient string, decide func(Snapshot) ([]Record, error)) ([]Record, error)
	// History returns the subject's whole history in Seq order.
	History(ctx context.Context, subject string) ([]Record, error)
	// Scan calls fn once per subject with its whole history, in no
	// particular subject order. An error from fn stops the scan.
	Scan(ctx context.Context, fn func(subject string, history []Record) error) error
}

// RequestStore keeps data-subject requests (clause 7.1). [MemoryStore]
// and [SQLStore] implement it; give it to the Ledger as
// [Options].Requests.
type RequestStore interface {
	// CreateRequest stores a new request; an id already used fails with
	// ErrDefinitionConflict.
	CreateRequest(ctx context.Context, r Request) error
	// UpdateRequest atomically replaces request id by change(current), or
	// fails with ErrNotFound.
	UpdateRequest(ctx context.Context, id string, change func(Request) (Request, error)) (Request, error)
	// Requests returns the requests of one subject, or of all subjects when
	// subject is "", oldest first.
	Requests(ctx context.Context, subject string) ([]Request, error)
}

// Snapshot is a consistent view of the data behind one decision.
type Snapshot struct {
	Purpose    *Purpose     // nil if the purpose is not defined
	Recipient  *Recipient   // nil if not defined, or if the recipient is the operator ("")
	Notices    []Notice     // all notices, in publication order (the text may be left out)
	LegalBases []LegalBasis // legal bases registered for the (purpose, recipient)
	// History holds, in Seq order, the subject's consent decisions
	// (granted, refused, withdrawn, expired), the subject's latest record,
	// and the record just before each of these: the chain is verified from
	// those alone. Other notice and legal-basis-use records are left out,
	// so that a Check costs the same however often the law was invoked.
	// The last element always carries the latest Seq, time and hash.
	History []Record
}

// lastSeq returns the Seq of the latest record of a Snapshot history.
func lastSeq(history []Record) int64 {
	if len(history) == 0 {
		return 0
	}
	return history[len(history)-1].Seq
}
