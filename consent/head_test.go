package consent

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setHistory replaces a subject's history in a memory store behind the
// ledger's back, as the table owner could in PostgreSQL.
func setHistory(t *testing.T, s Store, subject string, h []Record) {
	t.Helper()
	m, ok := s.(*memoryStore)
	require.True(t, ok)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.history[subject] = h
	m.decisions[subject] = nil
	for _, r := range h {
		if r.Kind.decision() {
			m.decisions[subject] = append(m.decisions[subject], r)
		}
	}
}

// TestVerifyFromCatchesDeletedTail: removing or rewriting the newest
// records leaves a chain that verifies; only a Head recorded earlier tells.
func TestVerifyFromCatchesDeletedTail(t *testing.T) {
	cases := map[string]struct {
		tamper  func(h []Record) []Record
		inForce bool // whether the tampering put the consent back in force
	}{
		"withdrawal deleted": {func(h []Record) []Record { return h[:1] }, true},
		"every record gone":  {func(h []Record) []Record { return nil }, false},
		"withdrawal replaced": {func(h []Record) []Record {
			forged := h[1]
			forged.Kind, forged.Purpose, forged.Recipient, forged.NoticeVersion = KindNoticeShown, "", "", "v1"
			return append(h[:1:1], seal(h[:1], []Record{forged})...)
		}, true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, NewMemoryStore())
			f.grant(t, "u1", "marketing", "ads")
			w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
			require.NoError(t, err)
			known, err := f.l.Head(f.ctx, "u1")
			require.NoError(t, err)
			require.Equal(t, Head{Seq: w.Seq, Hash: w.Hash}, known)
			b, err := json.Marshal(known)
			require.NoError(t, err)
			var back Head
			require.NoError(t, json.Unmarshal(b, &back))
			require.Equal(t, known, back, "a head survives JSON, e.g. in an audit log")

			tampered := c.tamper(f.history(t, "u1"))
			setHistory(t, f.store, "u1", tampered)
			require.NoError(t, f.l.Verify(f.ctx, "u1"), "what remains still verifies")
			require.NoError(t, verifyChain(tampered))
			assert.Equal(t, c.inForce, f.check(t, "u1", "marketing", "ads").Allowed)

			err = f.l.VerifyFrom(f.ctx, "u1", known)
			require.ErrorIs(t, err, ErrTampered)
			var he *HeadError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, known, he.Known)
			assert.Equal(t, headOf(tampered), he.Found)
			assert.NotContains(t, err.Error(), "u1", "no subject id in errors")
		})
	}
}

func TestVerifyFromAcceptsExtensions(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	empty, err := f.l.Head(f.ctx, "u1")
	require.NoError(t, err)
	assert.Equal(t, Head{}, empty)
	g := f.grant(t, "u1", "marketing", "ads")
	known := Head{Seq: g.Seq, Hash: g.Hash}
	_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	f.check(t, "u1", "marketing", "ads")
	for name, c := range map[string]struct {
		head Head
		want error
	}{
		"empty head":       {Head{}, nil},
		"an earlier head":  {known, nil},
		"the current head": {func() Head { h, _ := f.l.Head(f.ctx, "u1"); return h }(), nil},
		"another hash":     {Head{Seq: 1, Hash: Digest{1}}, ErrTampered},
		"a longer history": {Head{Seq: 3, Hash: known.Hash}, ErrTampered},
		"negative seq":     {Head{Seq: -1}, ErrInvalidInput},
		"hash without seq": {Head{Hash: Digest{1}}, ErrInvalidInput},
	} {
		err := f.l.VerifyFrom(f.ctx, "u1", c.head)
		if c.want == nil {
			assert.NoError(t, err, name)
		} else {
			assert.ErrorIs(t, err, c.want, name)
		}
	}
	// a broken chain is reported as such, by Head too
	h := f.history(t, "u1")
	h[0].Evidence = "forged"
	setHistory(t, f.store, "u1", h)
	var te *TamperError
	assert.ErrorAs(t, f.l.VerifyFrom(f.ctx, "u1", known), &te)
	_, err = f.l.Head(f.ctx, "u1")
	assert.ErrorAs(t, err, &te)
}
