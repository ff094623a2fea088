package consent

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
)

// ErrTampered reports a subject history whose hash chain does not verify:
// a record was changed, removed or inserted outside the ledger.
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

// Verify recomputes the subject's hash chain. The schema already refuses
// UPDATE and DELETE; the chain also catches changes made around it (a
// superuser disabling the trigger, a restored backup, a bug in another
// store). A rewrite of the whole chain from the changed record on is not
// caught: anchor the latest hashes elsewhere (an audit log) for that.
func (l *Ledger) Verify(ctx context.Context, subject string) error {
	h, err := l.History(ctx, subject)
	if err != nil {
		return err
	}
	return verifyChain(h)
}
