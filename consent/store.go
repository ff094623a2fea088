package consent

import "context"

// Store is where a [Ledger] keeps its records: in memory
// ([NewMemoryStore]) or in PostgreSQL ([NewSQLStore]). Both are safe for
// concurrent use. The ledger's guarantees rest on what a store does
// (records never changed, the appends of one subject serialised and
// atomic, a consistent snapshot for each decision), so no other
// implementation can be plugged in: this package ships and tests the two
// that do.
type Store struct{ storage }

// storage is what a Store does, implemented by memStore and sqlStore.
type storage interface {
	ledgerStore
	requestStore
}

// ledgerStore keeps definitions and the append-only event ledger; the
// Ledger holds all the rules, so a store only stores, orders and
// serialises. It must be safe for concurrent use, must never change or
// delete a recorded Record, and must run each appendTo for one subject
// strictly one after another, so that the state derived from a subject's
// history never depends on timing.
type ledgerStore interface {
	// definePurpose, defineRecipient and addLegalBasis store a definition.
	// Storing the same content again is a no-op; other content under an id
	// already used fails with ErrConflict.
	definePurpose(ctx context.Context, p Purpose) error
	defineRecipient(ctx context.Context, r Recipient) error
	addLegalBasis(ctx context.Context, b LegalBasis) error
	// publishNotice stores a notice. The same (version, language) with the
	// same digest, effective time and materiality is a no-op; anything else
	// under a used version fails with ErrConflict.
	publishNotice(ctx context.Context, n Notice) error
	// listNotices returns every notice in publication order, with its text.
	listNotices(ctx context.Context) ([]Notice, error)

	// read returns, in one consistent read, what a decision about
	// (subject, purpose, recipient) needs.
	read(ctx context.Context, subject, purpose, recipient string) (snapshot, error)
	// appendTo takes the subject's write lock, reads a snapshot, calls
	// decide and appends the records it returns, all atomically: either
	// every record is stored or none. decide numbers and chains the records
	// after the snapshot's history; the store refuses a record whose Seq
	// does not follow, whose Subject differs or whose Kind is unknown, with
	// ErrInvalidInput. An error from decide is returned unchanged and
	// nothing is stored.
	appendTo(ctx context.Context, subject, purpose, recipient string, decide func(snapshot) ([]Record, error)) ([]Record, error)
	// subjectHistory returns the subject's whole history in Seq order.
	subjectHistory(ctx context.Context, subject string) ([]Record, error)
	// scan calls fn once per subject with its whole history, in no
	// particular subject order. An error from fn stops the scan.
	scan(ctx context.Context, fn func(subject string, history []Record) error) error
}

// requestStore keeps data-subject requests (clause 7.1).
type requestStore interface {
	// createRequest stores a new request; an id already used fails with
	// ErrConflict.
	createRequest(ctx context.Context, r Request) error
	// updateRequest atomically replaces request id by change(current), or
	// fails with ErrNotFound.
	updateRequest(ctx context.Context, id string, change func(Request) (Request, error)) (Request, error)
	// listRequests returns the requests of one subject, or of all subjects
	// when subject is "", oldest first.
	listRequests(ctx context.Context, subject string) ([]Request, error)
}

// snapshot is a consistent view of the data behind one decision.
type snapshot struct {
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

// lastSeq returns the Seq of the latest record of a snapshot history.
func lastSeq(history []Record) int64 {
	if len(history) == 0 {
		return 0
	}
	return history[len(history)-1].Seq
}
