package consent

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
)

// ErrTampered reports a subject history whose hash chain does not verify
// (a record was changed, removed or inserted outside the ledger; see
// [TamperError]), or that does not extend a [Head] recorded earlier (the
// newest records were removed or rewritten; see [HeadError]).
var ErrTampered = errors.New("consent: history hash chain broken")

// TamperError locates the first record whose hash does not verify.
type TamperError struct {
	Seq int64
}

func (e *TamperError) Error() string {
	return fmt.Sprintf("consent: history hash chain broken at seq %d", e.Seq)
}

// Is makes errors.Is(err, ErrTampered) true.
func (e *TamperError) Is(target error) bool { return target == ErrTampered }

// Head pins a subject's history: the Seq and Hash of its latest record (the
// zero Head is the empty history). The chain alone cannot show that its
// newest records were deleted, since what remains still verifies; a Head
// kept outside the database can. It is comparable and encodes as JSON
// ({"seq":2,"hash":"<hex>"}) for an audit log.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash Digest `json:"hash"`
}

// HeadError reports a history that does not extend a Head recorded
// earlier: it is shorter than Known, or its record at Known.Seq differs.
type HeadError struct {
	Known Head // the head given to VerifyFrom
	Found Head // the head of the history as read now
}

func (e *HeadError) Error() string {
	return fmt.Sprintf("consent: history does not extend the known head at seq %d (it ends at seq %d)", e.Known.Seq, e.Found.Seq)
}

// Is makes errors.Is(err, ErrTampered) true.
func (e *HeadError) Is(target error) bool { return target == ErrTampered }

// headOf returns the head of a whole history.
func headOf(history []Record) Head {
	if len(history) == 0 {
		return Head{}
	}
	last := history[len(history)-1]
	return Head{Seq: last.Seq, Hash: last.Hash}
}

// extends reports, as a *HeadError, whether a history whose chain verifies
// fails to extend known. A verifying chain that holds known's hash at
// known's seq holds every record known covered, unchanged.
func extends(history []Record, known Head) error {
	if known.Seq == 0 {
		return nil
	}
	if known.Seq > int64(len(history)) || history[known.Seq-1].Hash != known.Hash {
		return &HeadError{Known: known, Found: headOf(history)}
	}
	return nil
}

// recordHash is SHA-256 over a domain tag, the previous record's hash and
// every field of r, each length-prefixed so that no two records encode
// alike.
func recordHash(prev Digest, r Record) Digest {
	h := sha256.New()
	h.Write([]byte("1cb-kz/compliance/consent record v1\x00"))
	h.Write(prev[:])
	for _, s := range []string{r.ID, string(r.Kind), r.Subject, r.Purpose, r.Recipient, r.NoticeVersion,
		r.Language, string(r.Method), r.Evidence, r.LegalBasisID} {
		writeField(h, s)
	}
	var b [8]byte
	for _, v := range []int64{r.Seq, r.At.UnixMicro(), expiresMicro(r)} {
		binary.BigEndian.PutUint64(b[:], uint64(v))
		h.Write(b[:])
	}
	// StatedAt came later: hashing it only when set keeps the hashes of
	// records written before it, and the encoding stays unambiguous (every
	// field before it is length-prefixed or fixed-size).
	if !r.StatedAt.IsZero() {
		binary.BigEndian.PutUint64(b[:], uint64(r.StatedAt.UnixMicro()))
		h.Write(b[:])
	}
	var d Digest
	h.Sum(d[:0])
	return d
}

func writeField(h hash.Hash, s string) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}

func expiresMicro(r Record) int64 {
	if r.ExpiresAt.IsZero() {
		return 0
	}
	return r.ExpiresAt.UnixMicro()
}

// seal numbers recs after a Snapshot history and chains their hashes.
func seal(history, recs []Record) []Record {
	var prev Digest
	if len(history) > 0 {
		prev = history[len(history)-1].Hash
	}
	out := make([]Record, len(recs))
	for i, r := range recs {
		r.Seq = lastSeq(history) + int64(i) + 1
		r.Hash = recordHash(prev, r)
		prev = r.Hash
		out[i] = r
	}
	return out
}

// verifyChain checks the Seq numbering and hash chain of a history.
func verifyChain(history []Record) error {
	var prev Digest
	for i, r := range history {
		if r.Seq != int64(i+1) || recordHash(prev, r) != r.Hash {
			return &TamperError{Seq: int64(i + 1)}
		}
		prev = r.Hash
	}
	return nil
}

// append runs decide under the store's subject lock and seals its records.
func (l *Ledger) append(ctx context.Context, subject, purpose, recipient string, decide func(Snapshot) ([]Record, error)) ([]Record, error) {
	return l.store.Append(ctx, subject, purpose, recipient, func(s Snapshot) ([]Record, error) {
		recs, err := decide(s)
		if err != nil {
			return nil, err
		}
		return seal(s.History, recs), nil
	})
}

// Verify recomputes the subject's hash chain. The schema's triggers stop
// the application role from changing or deleting records; the chain also
// catches a change made around them (by the table owner or a superuser
// disabling the triggers, a restored backup, a bug in another store) to any
// record but the newest. Deleting the newest records (a withdrawal, say),
// or rewriting the chain from a changed record on, leaves a chain that
// still verifies: only [Ledger.VerifyFrom] with a [Head] recorded outside
// the database catches that.
func (l *Ledger) Verify(ctx context.Context, subject string) error {
	return l.VerifyFrom(ctx, subject, Head{})
}

// VerifyFrom is [Ledger.Verify] that also fails, with a *HeadError, when
// the history does not extend known: when records up to known.Seq were
// deleted or rewritten since known was taken. The zero Head checks the
// chain only.
func (l *Ledger) VerifyFrom(ctx context.Context, subject string, known Head) error {
	if known.Seq < 0 || (known.Seq == 0 && known.Hash != Digest{}) {
		return invalid("Head", "not a head of a history")
	}
	h, err := l.History(ctx, subject)
	if err != nil {
		return err
	}
	if err := verifyChain(h); err != nil {
		return err
	}
	return extends(h, known)
}

// Head verifies the subject's hash chain and returns its head, to record
// outside the database (the audit log, say) and check later with
// [Ledger.VerifyFrom]. Record it periodically, and after any withdrawal
// whose deletion would matter. The last [Record] a write returns gives the
// head as of that write without a read: Head{Seq: r.Seq, Hash: r.Hash}.
func (l *Ledger) Head(ctx context.Context, subject string) (Head, error) {
	h, err := l.History(ctx, subject)
	if err != nil {
		return Head{}, err
	}
	if err := verifyChain(h); err != nil {
		return Head{}, err
	}
	return headOf(h), nil
}
