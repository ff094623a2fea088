package consent

import (
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setHistory replaces a subject's history behind the ledger's back, as a
// DBA could: in memory directly, in PostgreSQL as the superuser with the
// append-only trigger switched off.
func setHistory(t *testing.T, s *Store, subject string, h []Record) {
	t.Helper()
	switch s := s.storage.(type) {
	case *memStore:
		s.mu.Lock()
		defer s.mu.Unlock()
		s.history[subject] = h
		s.decisions[subject] = nil
		for i, r := range h {
			if r.Kind.decision() {
				s.decisions[subject] = append(s.decisions[subject], i)
			}
		}
	case *sqlStore:
		tx, err := s.db.Begin()
		require.NoError(t, err)
		defer func() { _ = tx.Rollback() }()
		for _, stmt := range []string{`ALTER TABLE consent_events DISABLE TRIGGER consent_events_append_only`,
			`DELETE FROM consent_events WHERE subject = '` + subject + `'`} {
			_, err := tx.Exec(stmt)
			require.NoError(t, err)
		}
		for _, r := range h {
			_, err := tx.Exec(`INSERT INTO consent_events (subject, seq, id, kind, purpose, recipient, notice_version,
				language, method, evidence, at, expires_at, legal_basis_id, hash, stated_at, key_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
				r.Subject, r.Seq, r.ID, string(r.Kind), r.Purpose, r.Recipient, r.NoticeVersion, r.Language, string(r.Method),
				r.Evidence, r.At, nullTime(r.ExpiresAt), r.LegalBasisID, r.Hash[:], nullTime(r.StatedAt), r.KeyID)
			require.NoError(t, err)
		}
		_, err = tx.Exec(`ALTER TABLE consent_events ENABLE TRIGGER consent_events_append_only`)
		require.NoError(t, err)
		require.NoError(t, tx.Commit())
	default:
		t.Fatalf("setHistory: unknown store %T", s)
	}
}

func randomDigest() Digest {
	var d Digest
	_, _ = rand.Read(d[:])
	return d
}

// tamperCases are what a DBA can do to the rows of one subject whose
// history is: 1 grant (marketing, ads), 2 legal-basis use (marketing,
// courier), 3 legal-basis use, 4 withdrawal (marketing, ads), 5 grant
// (delivery, ads), 6 withdrawal (delivery, ads). Each names what Check
// on (marketing, ads) must answer afterwards.
var tamperCases = []struct {
	name   string
	tamper func(f *fixture, h []Record) []Record
	check  error // what Check of (marketing, ads) returns
	allow  bool  // when check is nil
	verify error // what Verify with no known head returns
}{
	{"untouched", func(_ *fixture, h []Record) []Record { return h }, nil, false, nil},
	{"forged grant appended, unkeyed v1 hash", func(_ *fixture, h []Record) []Record {
		g := h[0]
		g.ID, g.Seq, g.At, g.KeyID = "cr_forged", 7, h[5].At, ""
		g.Hash = recordHash(h[5].Hash, g)
		return append(h, g)
	}, ErrTampered, false, ErrTampered},
	{"forged grant appended, known key id, made-up mac", func(_ *fixture, h []Record) []Record {
		g := h[0]
		g.ID, g.Seq, g.At, g.Hash = "cr_forged", 7, h[5].At, randomDigest()
		return append(h, g)
	}, ErrTampered, false, ErrTampered},
	{"forged grant appended under an unknown key", func(_ *fixture, h []Record) []Record {
		g := h[0]
		other, _ := NewKeyring("k9", oldTestSecret)
		return append(h, seal(other, h, []Record{{ID: "cr_forged", Kind: KindGranted, Subject: g.Subject,
			Purpose: "marketing", Recipient: "ads", At: h[5].At}})...)
	}, ErrTampered, false, ErrTampered},
	{"genuine grant replayed after the withdrawal", func(_ *fixture, h []Record) []Record {
		g := h[0]
		g.Seq, g.ID = 7, "cr_replayed" // ids are unique in the schema
		return append(h, g)
	}, ErrTampered, false, ErrTampered},
	{"withdrawal in the middle deleted", func(_ *fixture, h []Record) []Record {
		return append(h[:3:3], h[4:]...)
	}, ErrTampered, false, ErrTampered},
	{"withdrawal deleted and the rest renumbered", func(_ *fixture, h []Record) []Record {
		out := append(h[:3:3], h[4:]...)
		for i := range out {
			out[i].Seq = int64(i + 1)
		}
		return out
	}, ErrTampered, false, ErrTampered},
	{"withdrawal turned into a grant", func(_ *fixture, h []Record) []Record {
		h[3].Kind = KindGranted
		return h
	}, ErrTampered, false, ErrTampered},
	{"withdrawal and grant swapped", func(_ *fixture, h []Record) []Record {
		h[3], h[4] = h[4], h[3]
		h[3].Seq, h[4].Seq = 4, 5
		return h
	}, ErrTampered, false, ErrTampered},
	{"record of another pair altered", func(_ *fixture, h []Record) []Record {
		h[4].Evidence = "forged"
		return h
	}, ErrTampered, false, ErrTampered},
	{"legal-basis use removed from the middle", func(_ *fixture, h []Record) []Record {
		return append(h[:1:1], h[2:]...)
	}, nil, false, ErrTampered}, // no decision moved; Verify sees the gap
	{"newest withdrawal deleted", func(_ *fixture, h []Record) []Record {
		return h[:5]
	}, nil, false, nil}, // only a kept Head shows it
	{"every record deleted", func(_ *fixture, h []Record) []Record { return nil }, nil, false, nil},
}

func testTampering(t *testing.T, sc storeCase) {
	for _, c := range tamperCases {
		t.Run(sc.name+"/"+c.name, func(t *testing.T) {
			f := newFixture(t, sc.new(t))
			require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{Law: "L", Article: "A", Purpose: "marketing", Recipient: "courier"}))
			f.grant(t, "u1", "marketing", "ads")
			f.check(t, "u1", "marketing", "courier")
			f.check(t, "u1", "marketing", "courier")
			_, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
			require.NoError(t, err)
			f.grant(t, "u1", "delivery", "ads")
			w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "delivery", Recipient: "ads"})
			require.NoError(t, err)
			known, err := f.l.Verify(f.ctx, "u1", Head{})
			require.NoError(t, err)
			require.Equal(t, Head{Seq: w.Seq, Hash: w.Hash}, known)
			h := f.history(t, "u1")
			require.Len(t, h, 6)
			// Every record verified once, so that the ledger remembers
			// their MACs (verifiedCache): a changed row must still fail.
			for _, p := range [][2]string{{"marketing", "ads"}, {"delivery", "ads"}} {
				assert.False(t, f.check(t, "u1", p[0], p[1]).Allowed)
			}
			require.Len(t, f.l.verified.get("u1"), 6, "every record's MAC is remembered")

			setHistory(t, f.store, "u1", c.tamper(f, h))
			// The warm ledger, and a fresh one (a restarted process) that
			// recomputes every MAC, answer alike.
			cold := newTestLedger(t, f.store, Options{Clock: f.clock.Now})
			for _, l := range []*Ledger{f.l, cold} {
				d, err := l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
				if c.check != nil {
					require.ErrorIs(t, err, c.check)
					assert.False(t, d.Allowed)
				} else {
					require.NoError(t, err)
					assert.Equal(t, c.allow, d.Allowed)
				}
			}
			d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
			if c.check != nil {
				require.ErrorIs(t, err, c.check)
				assert.False(t, d.Allowed)
				assert.Equal(t, CodeError, d.Code)
				assert.NotContains(t, err.Error(), "u1", "no subject id in errors")
				_, err = f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
				assert.ErrorIs(t, err, ErrTampered, "no record is sealed on top of a forged one")
			} else {
				require.NoError(t, err)
				assert.Equal(t, c.allow, d.Allowed)
			}
			assert.ErrorIs(t, verify(f.l, f.ctx, "u1", Head{}), c.verify)
			if c.name != "untouched" {
				assert.ErrorIs(t, verify(f.l, f.ctx, "u1", known), ErrTampered, "a kept head catches every change")
			}
		})
	}
}

func TestTamperingMemory(t *testing.T) { testTampering(t, memoryCase()) }

func TestVerifyAgainstKnownHeads(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	empty, err := f.l.Verify(f.ctx, "u1", Head{})
	require.NoError(t, err)
	assert.Equal(t, Head{}, empty)
	g := f.grant(t, "u1", "marketing", "ads")
	known := Head{Seq: g.Seq, Hash: g.Hash}
	w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	b, err := json.Marshal(known)
	require.NoError(t, err)
	var back Head
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, known, back, "a head survives JSON, e.g. in an audit log")
	for name, c := range map[string]struct {
		head Head
		want error
	}{
		"empty head":       {Head{}, nil},
		"an earlier head":  {known, nil},
		"the current head": {Head{Seq: w.Seq, Hash: w.Hash}, nil},
		"another hash":     {Head{Seq: 1, Hash: Digest{1}}, ErrTampered},
		"a longer history": {Head{Seq: 3, Hash: known.Hash}, ErrTampered},
		"negative seq":     {Head{Seq: -1}, ErrInvalidInput},
		"hash without seq": {Head{Hash: Digest{1}}, ErrInvalidInput},
	} {
		head, err := f.l.Verify(f.ctx, "u1", c.head)
		if c.want == nil {
			assert.NoError(t, err, name)
			assert.Equal(t, Head{Seq: w.Seq, Hash: w.Hash}, head, name)
		} else {
			assert.ErrorIs(t, err, c.want, name)
		}
	}
	// a deleted tail: the rest verifies, the kept head does not
	setHistory(t, f.store, "u1", f.history(t, "u1")[:1])
	require.NoError(t, verify(f.l, f.ctx, "u1", Head{}))
	err = verify(f.l, f.ctx, "u1", Head{Seq: w.Seq, Hash: w.Hash})
	var te *TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, int64(0), te.Seq)
	assert.Equal(t, Head{Seq: w.Seq, Hash: w.Hash}, te.Known)
	assert.Equal(t, known, te.Found)
}

// Records written before keys (version 1) still verify, the first keyed
// record links to them, and an unkeyed record after a keyed one is refused.
func TestUnkeyedRecordsStillVerifyMemory(t *testing.T) { testUnkeyed(t, memoryCase()) }

func testUnkeyed(t *testing.T, sc storeCase) {
	t.Run(sc.name, func(t *testing.T) {
		f := newFixture(t, sc.new(t))
		// a history as an earlier version wrote it: unkeyed SHA-256 chain
		old := []Record{
			{ID: "cr_1", Kind: KindGranted, Subject: "u1", Purpose: "marketing", Recipient: "ads", NoticeVersion: "v1",
				Language: "ru", Method: MethodWebForm, At: t0.Add(-30 * time.Minute)},
			{ID: "cr_2", Kind: KindNoticeNotified, Subject: "u1", NoticeVersion: "v1", Language: "ru", Method: MethodEmail,
				At: t0.Add(-20 * time.Minute)},
		}
		var prev Digest
		for i := range old {
			old[i].Seq = int64(i + 1)
			old[i].Hash = recordHash(prev, old[i])
			prev = old[i].Hash
		}
		setHistory(t, f.store, "u1", old)
		d := f.check(t, "u1", "marketing", "ads")
		assert.False(t, d.Allowed, "old records verify under the old rule, but anyone can compute it: an unkeyed grant never allows")
		assert.Equal(t, CodeNoConsent, d.Code)
		assert.Equal(t, "cr_1", d.RecordID)
		require.NoError(t, verify(f.l, f.ctx, "u1", Head{}), "the old chain still verifies")
		w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
		require.NoError(t, err)
		assert.Equal(t, "k1", w.KeyID)
		assert.False(t, f.check(t, "u1", "marketing", "ads").Allowed)
		require.NoError(t, verify(f.l, f.ctx, "u1", Head{}))

		h := f.history(t, "u1")
		// an unkeyed grant after the keyed withdrawal
		g := old[0]
		g.ID, g.Seq, g.At = "cr_forged", 4, w.At
		g.Hash = recordHash(w.Hash, g)
		setHistory(t, f.store, "u1", append(h, g))
		_, err = f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
		assert.ErrorIs(t, err, ErrTampered)

		// an old record rewritten with a recomputed v1 chain: the keyed
		// record after it no longer links
		h[0].Evidence = "forged"
		h[0].Hash = recordHash(Digest{}, h[0])
		h[1].Hash = recordHash(h[0].Hash, h[1])
		setHistory(t, f.store, "u1", h)
		_, err = f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
		assert.ErrorIs(t, err, ErrTampered)
	})
}

// The application role may INSERT, and anyone can compute the unkeyed
// (version 1) chain: a history it writes for a subject with no record, or
// a grant it appends to an unkeyed history, must never make Check allow.
func testForgedUnkeyedHistory(t *testing.T, sc storeCase) {
	forge := func(h []Record, r Record) []Record {
		var prev Digest
		if len(h) > 0 {
			prev = h[len(h)-1].Hash
		}
		r.Seq, r.KeyID = int64(len(h)+1), ""
		r.Hash = recordHash(prev, r)
		return append(h, r)
	}
	grant := Record{ID: "cr_forged", Kind: KindGranted, Subject: "u1", Purpose: "marketing", Recipient: "ads",
		NoticeVersion: "v1", Language: "ru", Method: MethodWebForm, At: t0.Add(-10 * time.Minute)}
	refusal := grant
	refusal.ID, refusal.Kind, refusal.At = "cr_old", KindRefused, t0.Add(-20*time.Minute)
	for name, h := range map[string][]Record{
		"subject with no record":         forge(nil, grant),
		"appended to an unkeyed refusal": forge(forge(nil, refusal), grant),
	} {
		t.Run(sc.name+"/"+name, func(t *testing.T) {
			f := newFixture(t, sc.new(t))
			setHistory(t, f.store, "u1", h)
			d := f.check(t, "u1", "marketing", "ads")
			assert.False(t, d.Allowed)
			assert.NotEqual(t, CodeConsent, d.Code)

			// The subject's own grant, through the ledger, is keyed and allows.
			f.grant(t, "u1", "marketing", "ads")
			assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed)
		})
	}
}

func TestForgedUnkeyedHistoryMemory(t *testing.T) { testForgedUnkeyedHistory(t, memoryCase()) }

// A rotated key: records sealed under the old key verify with a keyring
// that keeps it; without it they are refused.
func TestKeyRotation(t *testing.T) {
	store := NewMemoryStore()
	f := newFixture(t, store)
	g := f.grant(t, "u1", "marketing", "ads")
	require.Equal(t, "k1", g.KeyID)
	f.grant(t, "u1", "marketing", "courier")

	rotated, err := NewKeyring("k2", oldTestSecret)
	require.NoError(t, err)
	require.NoError(t, rotated.Add("k1", testSecret))
	l2 := newTestLedger(t, store, Options{Keys: rotated, Clock: f.clock.Now})
	assert.True(t, mustCheck(t, l2, "u1", "marketing", "ads").Allowed, "old records verify with the old key")
	w, err := l2.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	assert.Equal(t, "k2", w.KeyID)
	require.NoError(t, verify(l2, f.ctx, "u1", Head{}))

	forgot, err := NewKeyring("k2", oldTestSecret)
	require.NoError(t, err)
	l3 := newTestLedger(t, store, Options{Keys: forgot, Clock: f.clock.Now})
	_, err = l3.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "courier"})
	var te *TamperError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, te.Problem, `unknown key id "k1"`)
	_, err = f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	assert.ErrorIs(t, err, ErrTampered, "a process not yet given the new key denies")
	_, err = l3.Verify(f.ctx, "u1", Head{})
	assert.ErrorIs(t, err, ErrTampered)
}

func mustCheck(t *testing.T, l *Ledger, subject, purpose, recipient string) Decision {
	t.Helper()
	d, err := l.Check(t.Context(), Query{Subject: subject, Purpose: purpose, Recipient: recipient})
	require.NoError(t, err)
	return d
}

// addBasisBehindTheLedger inserts a legal basis as the application role
// could (it holds INSERT): without a seal, or with a made-up one.
func addBasisBehindTheLedger(t *testing.T, s *Store, b LegalBasis) {
	t.Helper()
	switch s := s.storage.(type) {
	case *memStore:
		s.mu.Lock()
		defer s.mu.Unlock()
		s.bases[b.ID] = b
		s.baseOrder = append(s.baseOrder, b.ID)
	case *sqlStore:
		body, err := json.Marshal(b)
		require.NoError(t, err)
		_, err = s.db.Exec(`INSERT INTO consent_legal_bases (id, purpose, recipient, body, key_id, mac)
			VALUES ($1, $2, $3, $4, $5, $6)`, b.ID, b.Purpose, b.Recipient, body, b.keyID, b.mac.String())
		require.NoError(t, err)
	}
}

func testForgedLegalBasis(t *testing.T, sc storeCase) {
	for name, seal := range map[string]func(b *LegalBasis){
		"unsealed":    func(*LegalBasis) {},
		"made-up mac": func(b *LegalBasis) { b.keyID, b.mac = "k1", randomDigest() },
		"unknown key": func(b *LegalBasis) { b.keyID, b.mac = "k9", randomDigest() },
		"zero mac":    func(b *LegalBasis) { b.keyID = "k1" },
	} {
		t.Run(sc.name+"/"+name, func(t *testing.T) {
			f := newFixture(t, sc.new(t))
			b := LegalBasis{ID: "forged", Law: "Law", Article: "Art. 1", Purpose: "marketing", Recipient: "ads"}
			seal(&b)
			addBasisBehindTheLedger(t, f.store, b)
			d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
			var te *TamperError
			require.ErrorAs(t, err, &te)
			assert.Contains(t, te.Problem, "legal basis")
			assert.False(t, d.Allowed)
			assert.Empty(t, f.history(t, "u1"), "no use recorded")
			err = f.l.AllowByLaw(f.ctx, LegalBasis{ID: "forged", Law: "Law", Article: "Art. 1", Purpose: "marketing", Recipient: "ads"})
			assert.ErrorIs(t, err, ErrConflict, "registering the same basis says it is not sealed")
		})
	}
	t.Run(sc.name+"/sealed by AllowByLaw", func(t *testing.T) {
		f := newFixture(t, sc.new(t))
		require.NoError(t, f.l.AllowByLaw(f.ctx, LegalBasis{ID: "real", Law: "Law", Article: "Art. 1", Purpose: "marketing", Recipient: "ads"}))
		assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed)
	})
}

func TestForgedLegalBasisMemory(t *testing.T) { testForgedLegalBasis(t, memoryCase()) }

func TestTamperErrorMessages(t *testing.T) {
	for want, e := range map[string]*TamperError{
		"consent: history chain broken at seq 3: mac does not match":                  {Seq: 3, Problem: "mac does not match"},
		"consent: history does not extend the known head at seq 5 (it ends at seq 4)": {Known: Head{Seq: 5}, Found: Head{Seq: 4}},
		"consent: tampered: legal basis not sealed under the keyring":                 {Problem: "legal basis not sealed under the keyring"},
	} {
		assert.Equal(t, want, e.Error())
		assert.ErrorIs(t, e, ErrTampered)
	}
}

// setPurpose stores p as the table owner could (triggers disabled),
// replacing any purpose of its id, seal fields as given.
func setPurpose(t *testing.T, s *Store, p Purpose) {
	t.Helper()
	switch s := s.storage.(type) {
	case *memStore:
		s.mu.Lock()
		defer s.mu.Unlock()
		s.purposes[p.ID] = p
	case *sqlStore:
		body, err := json.Marshal(p)
		require.NoError(t, err)
		tx, err := s.db.Begin()
		require.NoError(t, err)
		defer func() { _ = tx.Rollback() }()
		for _, stmt := range []string{`ALTER TABLE consent_purposes DISABLE TRIGGER consent_purposes_append_only`,
			`DELETE FROM consent_purposes WHERE id = '` + p.ID + `'`} {
			_, err := tx.Exec(stmt)
			require.NoError(t, err)
		}
		_, err = tx.Exec(`INSERT INTO consent_purposes (id, body, key_id, mac) VALUES ($1, $2, $3, $4)`, p.ID, body, p.keyID, p.mac.String())
		require.NoError(t, err)
		_, err = tx.Exec(`ALTER TABLE consent_purposes ENABLE TRIGGER consent_purposes_append_only`)
		require.NoError(t, err)
		require.NoError(t, tx.Commit())
	}
}

// A purpose allows without consent only while its seal matches: the table
// owner turning ConsentRequired off, with the seal kept or stripped, or
// the application role inserting such a purpose, never makes Check allow.
func testForgedPurpose(t *testing.T, sc storeCase) {
	sealed := func(f *fixture, p Purpose) Purpose {
		p.keyID = f.l.keys.signer
		p.mac, _ = purposeMAC(f.l.keys, p.keyID, p)
		return p
	}
	tests := []struct {
		name    string
		behind  func(f *fixture) Purpose // the purpose as stored behind the ledger
		tamper  bool                     // Check fails with ErrTampered
		allowed bool
	}{
		{"genuine", func(f *fixture) Purpose { return sealed(f, purposeDelivery) }, false, true},
		{"turned off, seal kept", func(f *fixture) Purpose {
			p := sealed(f, purposeMarketing)
			p.ConsentRequired = false
			return p
		}, true, false},
		{"turned off, seal stripped", func(*fixture) Purpose {
			p := purposeMarketing
			p.ConsentRequired = false
			return p
		}, false, false},
		{"data categories changed", func(f *fixture) Purpose {
			p := sealed(f, purposeDelivery)
			p.DataCategories = []string{"name"}
			return p
		}, true, false},
		{"seal from another purpose", func(f *fixture) Purpose {
			p := sealed(f, purposeDelivery)
			p.ID = "marketing"
			return p
		}, true, false},
		{"unknown key", func(f *fixture) Purpose {
			p := sealed(f, purposeDelivery)
			p.keyID = "k9"
			return p
		}, true, false},
	}
	for _, tt := range tests {
		t.Run(sc.name+"/"+tt.name, func(t *testing.T) {
			f := newFixture(t, sc.new(t))
			p := tt.behind(f)
			setPurpose(t, f.store, p)
			d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: p.ID})
			if tt.tamper {
				var te *TamperError
				require.ErrorAs(t, err, &te)
				assert.Contains(t, te.Problem, "purpose")
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.allowed, d.Allowed, d.Reason)
		})
	}
	t.Run(sc.name+"/inserted by the application role", func(t *testing.T) {
		f := newFixture(t, sc.new(t))
		free := Purpose{ID: "free", ConsentRequired: false}
		setPurpose(t, f.store, free)
		d := f.check(t, "u1", "free", "")
		assert.False(t, d.Allowed)
		assert.Contains(t, d.Reason, "define it under a new id")
		err := f.l.DefinePurpose(f.ctx, free)
		assert.ErrorIs(t, err, ErrConflict, "defining it again says it is not sealed")
		require.NoError(t, f.l.DefinePurpose(f.ctx, Purpose{ID: "free2"}), "a purpose that needs consent may be defined")
		require.NoError(t, f.l.DefinePurpose(f.ctx, purposeDelivery), "defining a sealed purpose again is a no-op")
	})
	t.Run(sc.name+"/receipt of an altered purpose", func(t *testing.T) {
		f := newFixture(t, sc.new(t))
		g := f.grant(t, "u1", "marketing", "ads")
		p := sealed(f, purposeMarketing)
		p.Description.EN = "Something else"
		setPurpose(t, f.store, p)
		_, err := f.l.Receipt(f.ctx, "u1", g.ID)
		assert.ErrorIs(t, err, ErrTampered)
		_, err = f.l.Export(f.ctx, "u1")
		assert.NoError(t, err, "an export answers from the ledger as stored")
	})
}

func TestForgedPurposeMemory(t *testing.T) { testForgedPurpose(t, memoryCase()) }
