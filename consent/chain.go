package consent

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"slices"
	"time"
)

// TamperError reports a subject history that does not verify: a record
// was changed, removed, inserted or reordered outside the ledger, or
// carries a key id the [Keyring] lacks (Seq locates the first such
// record); or the history does not extend a [Head] recorded earlier, its
// newest records removed or rewritten (Seq is 0; Known and Found say
// where each ends); or a legal basis not sealed under the keyring, or a
// purpose that does not match its seal (Seq is 0, Known zero). It matches
// [ErrTampered].
type TamperError struct {
	Seq     int64
	Problem string // lower-case, no personal data
	Known   Head   // the head given to Verify, when the history does not extend it
	Found   Head   // the head of the history as read
}

func (e *TamperError) Error() string {
	switch {
	case e.Seq > 0:
		return fmt.Sprintf("consent: history chain broken at seq %d: %s", e.Seq, e.Problem)
	case e.Known.Seq > 0:
		return fmt.Sprintf("consent: history does not extend the known head at seq %d (it ends at seq %d)", e.Known.Seq, e.Found.Seq)
	}
	return "consent: tampered: " + e.Problem
}

// Is makes errors.Is(err, ErrTampered) true.
func (e *TamperError) Is(target error) bool { return target == ErrTampered }

func tampered(seq int64, problem string) error { return &TamperError{Seq: seq, Problem: problem} }

// Head pins a subject's history: the Seq and Hash of its latest record (the
// zero Head is the empty history). The chain alone cannot show that its
// newest records were deleted, since what remains still verifies; a Head
// kept outside the database can. It is comparable and encodes as JSON
// ({"seq":2,"hash":"<hex>"}) for an audit log.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash Digest `json:"hash"`
}

// headOf returns the head of a history (or of a snapshot history, whose
// last element is the latest record).
func headOf(history []Record) Head {
	if len(history) == 0 {
		return Head{}
	}
	last := history[len(history)-1]
	return Head{Seq: last.Seq, Hash: last.Hash}
}

// lastDecisionHead returns the head of the latest decision in history.
func lastDecisionHead(history []Record) Head {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].Kind.decision() {
			return Head{Seq: history[i].Seq, Hash: history[i].Hash}
		}
	}
	return Head{}
}

// extends reports, as a *TamperError, whether a verified history fails to
// extend known. A verified chain that holds known's hash at known's seq
// holds every record known covered, unchanged.
func extends(history []Record, known Head) error {
	if known.Seq == 0 {
		return nil
	}
	if known.Seq > int64(len(history)) || history[known.Seq-1].Hash != known.Hash {
		return &TamperError{Known: known, Found: headOf(history), Problem: "history does not extend the known head"}
	}
	return nil
}

// Two chain versions. A version 1 record (KeyID empty, written before
// keys existed) carries recordHash: SHA-256 over a domain tag, the
// previous record's hash and its fields; anyone can recompute it. A
// version 2 record carries recordMAC: HMAC-SHA256 under the key KeyID
// names, over a domain tag, the key id, the previous record's hash, the
// Seq and hash of the subject's previous consent decision, and its fields.
// The first version 2 record of a history links to the version 1 records
// before it; a version 1 record after a version 2 one is refused. Anyone
// can compute a version 1 hash, so a version 1 grant never allows (decide).

// recordHash is the version 1 hash: every field length-prefixed, so that
// no two records encode alike.
func recordHash(prev Digest, r Record) Digest {
	h := sha256.New()
	h.Write([]byte("1cb-kz/compliance/consent record v1\x00"))
	h.Write(prev[:])
	for _, s := range []string{r.ID, string(r.Kind), r.Subject, r.Purpose, r.Recipient, r.NoticeVersion,
		r.Language, string(r.Method), r.Evidence, r.LegalBasisID} {
		writeField(h, s)
	}
	var b [8]byte
	for _, v := range []int64{r.Seq, r.At.UnixMicro(), optionalMicro(r.ExpiresAt)} {
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

func optionalMicro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// recordMAC is the version 2 tag of r, or false when the keyring lacks
// r.KeyID. Every variable-length field is length-prefixed and every
// optional time carries a presence byte, so no two inputs encode alike.
func recordMAC(keys *Keyring, prev Digest, dec Head, r Record) (Digest, bool) {
	return keys.sum(r.KeyID, func(b []byte) []byte {
		b = append(b, "1cb-kz/compliance/consent record v2\x00"...)
		b = appendField(b, r.KeyID)
		b = append(b, prev[:]...)
		b = binary.BigEndian.AppendUint64(b, uint64(dec.Seq))
		b = append(b, dec.Hash[:]...)
		for _, s := range [...]string{r.ID, string(r.Kind), r.Subject, r.Purpose, r.Recipient, r.NoticeVersion,
			r.Language, string(r.Method), r.Evidence, r.LegalBasisID} {
			b = appendField(b, s)
		}
		b = binary.BigEndian.AppendUint64(b, uint64(r.Seq))
		b = binary.BigEndian.AppendUint64(b, uint64(r.At.UnixMicro()))
		for _, t := range [...]time.Time{r.ExpiresAt, r.StatedAt} {
			if t.IsZero() {
				b = append(b, 0)
			} else {
				b = binary.BigEndian.AppendUint64(append(b, 1), uint64(t.UnixMicro()))
			}
		}
		return b
	})
}

// basisMAC is the tag of a legal basis under key keyID: it allows
// transfers, so the application role, which may INSERT, must not be able
// to add one.
func basisMAC(keys *Keyring, keyID string, lb LegalBasis) (Digest, bool) {
	return keys.sum(keyID, func(b []byte) []byte {
		b = append(b, "1cb-kz/compliance/consent legal basis v2\x00"...)
		for _, s := range [...]string{keyID, lb.ID, lb.Law, lb.Article, lb.Purpose, lb.Recipient} {
			b = appendField(b, s)
		}
		for _, t := range [...]time.Time{lb.ValidFrom, lb.ValidUntil} {
			if t.IsZero() {
				b = append(b, 0)
			} else {
				b = binary.BigEndian.AppendUint64(append(b, 1), uint64(t.UnixMicro()))
			}
		}
		return b
	})
}

// purposeMAC is the tag of a purpose under key keyID: ConsentRequired
// false lets the operator process without consent, and the description
// and data categories are what a consent was given to.
func purposeMAC(keys *Keyring, keyID string, p Purpose) (Digest, bool) {
	return keys.sum(keyID, func(b []byte) []byte {
		b = append(b, "1cb-kz/compliance/consent purpose v2\x00"...)
		for _, s := range [...]string{keyID, p.ID, p.Description.KK, p.Description.RU, p.Description.EN} {
			b = appendField(b, s)
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(p.DataCategories)))
		for _, c := range p.DataCategories {
			b = appendField(b, c)
		}
		if p.ConsentRequired {
			return append(b, 1)
		}
		return append(b, 0)
	})
}

// verifyPurpose refuses a purpose whose seal does not match it. A purpose
// defined before keys has no seal: it still names a purpose for consent,
// but decide never lets it allow without consent.
func verifyPurpose(keys *Keyring, p *Purpose) error {
	if p == nil || p.keyID == "" {
		return nil
	}
	mac, ok := purposeMAC(keys, p.keyID, *p)
	if !ok {
		return &TamperError{Problem: fmt.Sprintf("purpose sealed under unknown key id %q", p.keyID)}
	}
	if !hmac.Equal(mac[:], p.mac[:]) {
		return &TamperError{Problem: "purpose does not match its seal under the keyring"}
	}
	return nil
}

// verifyPurpose is verifyPurpose remembering, per id, the purpose whose
// seal verified: one read again equal in every input of the MAC (its
// content and key id) and in the tag is accepted without recomputing it,
// which accepts a subset of what the MAC accepts (see verifiedCache).
// Purposes are few and immutable, and only a genuine seal is remembered,
// so the map stays as small as the set of purposes defined.
func (l *Ledger) verifyPurpose(p *Purpose) error {
	if p == nil || p.keyID == "" {
		return nil
	}
	if v, ok := l.purposes.Load(p.ID); ok {
		if q := v.(Purpose); q.keyID == p.keyID && q.mac == p.mac && q.equal(*p) {
			return nil
		}
	}
	if err := verifyPurpose(l.keys, p); err != nil {
		return err
	}
	q := *p
	q.DataCategories = slices.Clone(p.DataCategories)
	l.purposes.Store(p.ID, q)
	return nil
}

// verifyBasis refuses a legal basis not sealed under the keyring.
func verifyBasis(keys *Keyring, lb LegalBasis) error {
	mac, ok := basisMAC(keys, lb.keyID, lb)
	if lb.keyID == "" || !ok || !hmac.Equal(mac[:], lb.mac[:]) {
		return &TamperError{Problem: "legal basis not sealed under the keyring"}
	}
	return nil
}

func appendField(b []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint32(b, uint32(len(s))), s...)
}

// seal numbers recs after a snapshot history and chains them under the
// keyring's signing key.
func seal(keys *Keyring, history, recs []Record) []Record {
	out, _ := sealInputs(keys, history, recs)
	return out
}

// sealInputs is seal that also returns each sealed record's MAC inputs,
// for the Ledger to remember once the store has the records.
func sealInputs(keys *Keyring, history, recs []Record) ([]Record, []macInput) {
	prev, dec := headOf(history), lastDecisionHead(history)
	out := make([]Record, len(recs))
	ins := make([]macInput, len(recs))
	for i, r := range recs {
		r.Seq = prev.Seq + 1
		r.KeyID = keys.signer
		r.Hash, _ = recordMAC(keys, prev.Hash, dec, r) // the signer is in the ring
		out[i], ins[i] = r, macInput{r: r, prev: prev.Hash, dec: dec}
		prev = Head{Seq: r.Seq, Hash: r.Hash}
		if r.Kind.decision() {
			dec = prev
		}
	}
	return out, ins
}

// verifyRecords checks records in Seq order: a whole history (whole
// true), or a snapshot history, where every decision and the latest record
// come with the record before them (see snapshot). It checks the records
// from index from on; those before only supply links. A record is checked
// when the record before it is present (or it is the first); one whose
// predecessor is absent is only a link for the next, whose MAC covers its
// Hash.
//
// seen, when not nil, holds MACs this Ledger computed before for the
// subject: a record whose inputs and tag equal an entry is accepted
// without recomputing, and the MACs computed here are added to it.
func verifyRecords(keys *Keyring, seen *verifiedCache, subject string, recs []Record, whole bool, from int) error {
	var fresh []macInput
	err := checkRecords(keys, seen.get(subject), seen != nil, &fresh, recs, whole, from)
	seen.add(subject, fresh)
	return err
}

// checkRecords is verifyRecords with the subject's remembered inputs,
// known; with remember, it appends the inputs of the MACs it computes to
// fresh.
func checkRecords(keys *Keyring, known verifiedMACs, remember bool, fresh *[]macInput, recs []Record, whole bool, from int) error {
	if !remember {
		fresh = nil
	}
	var dec Head
	keyed := false
	for j := range recs {
		r := &recs[j] // by pointer: a Record is about 300 bytes
		switch {
		case r.Seq < 1 || (j > 0 && r.Seq <= recs[j-1].Seq):
			return tampered(r.Seq, "records out of order")
		case whole && r.Seq != int64(j+1):
			return tampered(int64(j+1), "record missing")
		case r.KeyID == "" && keyed:
			return tampered(r.Seq, "unkeyed record after a keyed one")
		}
		if j >= from {
			if err := verifyRecord(keys, known, fresh, recs, j, dec); err != nil {
				return err
			}
		}
		keyed = keyed || r.KeyID != ""
		if r.Kind.decision() {
			dec = Head{Seq: r.Seq, Hash: r.Hash}
		}
	}
	return nil
}

// verifyRecord checks recs[j] against the record before it and dec, the
// previous decision: by comparison with known, or by its MAC, which it
// then appends to fresh (unless fresh is nil).
func verifyRecord(keys *Keyring, known verifiedMACs, fresh *[]macInput, recs []Record, j int, dec Head) error {
	r := &recs[j]
	var prev Digest
	hasPrev := r.Seq == 1
	if j > 0 && recs[j-1].Seq == r.Seq-1 {
		prev, hasPrev = recs[j-1].Hash, true
	}
	switch {
	case !hasPrev && (r.Kind.decision() || j == len(recs)-1):
		return tampered(r.Seq, "the record before it is missing")
	case !hasPrev:
		return nil
	case r.KeyID == "":
		if recordHash(prev, *r) != r.Hash {
			return tampered(r.Seq, "hash does not match")
		}
		return nil
	}
	if known.has(r, prev, dec) {
		return nil
	}
	mac, ok := recordMAC(keys, prev, dec, *r)
	if !ok {
		return tampered(r.Seq, fmt.Sprintf("unknown key id %q", r.KeyID))
	}
	if !hmac.Equal(mac[:], r.Hash[:]) {
		return tampered(r.Seq, "mac does not match")
	}
	if fresh != nil {
		*fresh = append(*fresh, macInput{r: *r, prev: prev, dec: dec})
	}
	return nil
}

// verifySnapshot checks the records a decision about (purpose, recipient)
// at time at rests on: from the pair's latest decision at or before at
// (or, with none, from the start) to the newest record. Each MAC binds
// the record before it and the previous decision, so no decision after
// the one the answer cites can be added, removed, changed or moved
// without a MAC failing; the records before it cannot change the answer.
// Version 1 records lack the decision link, so when any is among those
// checked the whole history is read and verified, and the snapshot must
// agree with it.
func (l *Ledger) verifySnapshot(ctx context.Context, subject string, snap []Record, purpose, recipient string, at time.Time) error {
	from := 0
	for i := range snap {
		r := &snap[i]
		if r.At.After(at) {
			break
		}
		if r.Kind.decision() && r.Purpose == purpose && r.Recipient == recipient {
			from = i
		}
	}
	if err := verifyRecords(l.keys, l.verified, subject, snap, false, from); err != nil {
		return err
	}
	legacy := false
	for i := from; i < len(snap); i++ {
		legacy = legacy || snap[i].KeyID == ""
	}
	if !legacy {
		return nil
	}
	whole, err := l.store.subjectHistory(ctx, subject)
	if err != nil {
		return err
	}
	if err := verifyRecords(l.keys, l.verified, subject, whole, true, 0); err != nil {
		return err
	}
	for _, r := range snap {
		if r.Seq > int64(len(whole)) || whole[r.Seq-1].Hash != r.Hash {
			return tampered(r.Seq, "record differs between reads")
		}
	}
	return nil
}

// append runs decide under the store's subject lock and seals its
// records. It refuses to extend a snapshot that does not verify, so that
// no new record vouches for a forged one. The Ledger remembers the MACs
// of the records it stored (it computed them), so that reading them back
// costs no HMAC.
func (l *Ledger) append(ctx context.Context, subject, purpose, recipient string, decide func(snapshot) ([]Record, error)) ([]Record, error) {
	var sealed []macInput
	out, err := l.store.appendTo(ctx, subject, purpose, recipient, func(s snapshot) ([]Record, error) {
		if err := verifyRecords(l.keys, l.verified, subject, s.History, false, 0); err != nil {
			return nil, err
		}
		recs, err := decide(s)
		if err != nil {
			return nil, err
		}
		var out []Record
		out, sealed = sealInputs(l.keys, s.History, recs)
		return out, nil
	})
	if err == nil {
		l.verified.add(subject, sealed)
	}
	return out, err
}

// Verify reads the subject's whole history, verifies its chain (MACs
// under the [Keyring], and version 1 hashes for records written before
// keys) and that it extends known, and returns its head. [Ledger.Check]
// verifies what each decision rests on by itself; Verify is for audits,
// and for the one thing no chain can show: that the newest records were
// deleted (a withdrawal, say). Record the head it returns (or that of the
// last [Record] a write returned, Head{Seq: r.Seq, Hash: r.Hash}) outside
// the database, e.g. in the audit log, periodically and after withdrawals,
// and pass it as known later: a history shorter than it, or diverging
// from it, fails with a *[TamperError]. The zero Head checks the chain
// only.
func (l *Ledger) Verify(ctx context.Context, subject string, known Head) (Head, error) {
	if known.Seq < 0 || (known.Seq == 0 && known.Hash != Digest{}) {
		return Head{}, invalid("Head", "not a head of a history")
	}
	h, err := l.history(ctx, subject)
	if err != nil {
		return Head{}, err
	}
	if err := verifyRecords(l.keys, nil, subject, h, true, 0); err != nil { // an audit recomputes every MAC
		return Head{}, err
	}
	if err := extends(h, known); err != nil {
		return Head{}, err
	}
	return headOf(h), nil
}
