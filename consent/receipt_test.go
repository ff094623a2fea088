package consent

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
)

func testExport(t *testing.T, f *fixture) {
	g, err := f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodEGov, Evidence: "eds-42", Term: 24 * time.Hour, Language: "kk"})
	require.NoError(t, err)
	f.clock.Advance(time.Minute)
	_, err = f.l.Refuse(f.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "courier", Method: MethodWebForm})
	require.NoError(t, err)
	f.clock.Advance(time.Minute)
	w, err := f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodSupport})
	require.NoError(t, err)
	_, err = f.l.OpenRequest(f.ctx, "u1", RequestAccess)
	require.NoError(t, err)
	f.grant(t, "u2", "marketing", "ads") // another subject: must not appear

	rc, err := receipt(t, f.l, f.ctx, "u1", g.ID)
	require.NoError(t, err)
	assert.Equal(t, w.ID, rc.RecordID, "the receipt states the latest decision")
	require.Len(t, rc.Events, 2)
	assert.Equal(t, KindGranted, rc.Events[0].EventState)
	assert.Equal(t, "PT86400S", rc.Events[0].ValidityDuration)
	assert.Equal(t, KindWithdrawn, rc.Events[1].EventState)
	assert.Equal(t, "v1", rc.PrivacyNotice.Version)
	assert.Equal(t, "kk", rc.PrivacyNotice.Language)
	assert.Len(t, rc.PrivacyNotice.SHA256, 64)
	assert.Equal(t, "1CB LLP", rc.KZ.Operator)
	assert.Equal(t, "123456789012", rc.KZ.OperatorBIN)
	assert.True(t, rc.KZ.ThirdPartyTransfer)
	assert.True(t, rc.KZ.CrossBorderTransfer)
	assert.Equal(t, []string{"DE"}, rc.KZ.CrossBorderCountries)
	assert.Equal(t, []string{"email", "bids"}, rc.KZ.DataList)

	_, err = receipt(t, f.l, f.ctx, "u1", "cr_nope")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = receipt(t, f.l, f.ctx, "u2", g.ID)
	assert.ErrorIs(t, err, ErrNotFound, "a record of another subject is not found")

	e, err := f.l.Export(f.ctx, "u1")
	require.NoError(t, err)
	assert.Len(t, e.History, 3)
	assert.Len(t, e.Receipts, 2)
	assert.Len(t, e.Requests, 1)
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "u2")

	b, err = json.Marshal(rc)
	require.NoError(t, err)
	back, err := parseReceipt(b)
	require.NoError(t, err)
	assert.Equal(t, rc.RecordID, back.RecordID)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"schema_version", "receipt_id", "record_id", "pii_principal_id", "privacy_notice", "language",
		"purposes", "pii_information", "pii_controllers", "recipient_third_parties", "storage_locations", "jurisdiction",
		"withdrawal_method", "events", "kz_94v_art8", "retention_period", "collection_method"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, "data_exporter", rc.PIIControllers[0].PartyType, "ads is abroad: a cross-border transfer")
	assert.Equal(t, "data_importer", rc.RecipientThirdParties[0].PartyType)
	rc2, err := receipt(t, f.l, f.ctx, "u1", e.Receipts[1].RecordID)
	require.NoError(t, err)
	assert.Equal(t, "recipient", rc2.RecipientThirdParties[0].PartyType, "courier is domestic")
	assert.Equal(t, KindRefused, rc2.Events[0].EventState)
}

func TestParseReceiptRejects(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	g := f.grant(t, "u1", "marketing", "ads")
	rc, err := receipt(t, f.l, f.ctx, "u1", g.ID)
	require.NoError(t, err)
	good, err := json.Marshal(rc)
	require.NoError(t, err)
	mutate := func(fn func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(good, &m))
		fn(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return b
	}
	for name, in := range map[string][]byte{
		"empty":         nil,
		"not json":      []byte("{"),
		"trailing":      append(append([]byte{}, good...), []byte(" {}")...),
		"unknown field": mutate(func(m map[string]any) { m["extra"] = 1 }),
		"schema":        mutate(func(m map[string]any) { m["schema_version"] = "kantara-1.1" }),
		"no events":     mutate(func(m map[string]any) { m["events"] = []any{} }),
		"bad digest":    mutate(func(m map[string]any) { m["privacy_notice"].(map[string]any)["sha256"] = "abcd" }),
		"no digest":     mutate(func(m map[string]any) { m["privacy_notice"].(map[string]any)["sha256"] = "" }),
		"digest without version": mutate(func(m map[string]any) {
			m["privacy_notice"].(map[string]any)["version"] = ""
		}),
		"empty subject": mutate(func(m map[string]any) { m["pii_principal_id"] = "" }),
		"wrong record":  mutate(func(m map[string]any) { m["record_id"] = "cr_other" }),
	} {
		_, err := parseReceipt(in)
		assert.ErrorIs(t, err, ErrInvalidInput, name)
	}
}

func FuzzParseReceipt(f *testing.F) {
	fx := newFixture(f, NewMemoryStore())
	g, _ := fx.l.Grant(fx.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
	rc, _ := fx.l.Receipt(fx.ctx, "u1", g.ID)
	b, _ := json.Marshal(rc)
	f.Add(b)
	f.Add([]byte(`{"schema_version":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := parseReceipt(data)
		if err != nil {
			return
		}
		// anything accepted re-encodes and parses to the same record
		b, err := json.Marshal(r)
		require.NoError(t, err)
		r2, err := parseReceipt(b)
		require.NoError(t, err)
		require.Equal(t, r.RecordID, r2.RecordID)
	})
}

// TestReceiptWithoutNoticeRoundTrip: a grant made while no notice is in
// effect has a receipt with neither notice version nor digest, and that
// receipt must parse.
func TestReceiptWithoutNoticeRoundTrip(t *testing.T) {
	clock := &fakeClock{t: t0}
	l := newTestLedger(t, NewMemoryStore(), Options{Clock: clock.Now})
	ctx := t.Context()
	require.NoError(t, l.DefinePurpose(ctx, purposeMarketing))
	g, err := l.Grant(ctx, Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm})
	require.NoError(t, err)
	rc, err := receipt(t, l, ctx, "u1", g.ID)
	require.NoError(t, err)
	assert.Zero(t, rc.PrivacyNotice)
	b, err := json.Marshal(rc)
	require.NoError(t, err)
	back, err := parseReceipt(b)
	require.NoError(t, err)
	assert.Equal(t, g.ID, back.RecordID)
	assert.Empty(t, back.PrivacyNotice.SHA256)
}

// TestSignedReceipts: a receipt verifies with the operator's public key
// alone, old receipts keep verifying after the key rotates, and any change
// or a foreign key fails.
func TestSignedReceipts(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	g := f.grant(t, "u1", "marketing", "ads")
	oldSigned, err := f.l.Receipt(f.ctx, "u1", g.ID)
	require.NoError(t, err)

	// rotation: a new receipt key signs from now on
	newKey, newVKey, err := note.GenerateKey(rand.Reader, "receipts.test")
	require.NoError(t, err)
	newSigner, err := note.NewSigner(newKey)
	require.NoError(t, err)
	l2 := newTestLedger(t, f.store, Options{Keys: f.l.keys, ReceiptSigner: newSigner, Clock: f.clock.Now})
	newSigned, err := l2.Receipt(f.ctx, "u1", g.ID)
	require.NoError(t, err)

	oldV, err := note.NewVerifier(testReceiptVerifierKey)
	require.NoError(t, err)
	newV, err := note.NewVerifier(newVKey)
	require.NoError(t, err)
	both := note.VerifierList(oldV, newV)
	for name, signed := range map[string][]byte{"old key": oldSigned, "new key": newSigned} {
		rc, err := VerifyReceipt(signed, both)
		require.NoError(t, err, name)
		assert.Equal(t, g.ID, rc.RecordID, name)
		assert.Equal(t, "u1", rc.PIIPrincipalID, name)
	}
	_, err = VerifyReceipt(oldSigned, note.VerifierList(newV))
	assert.ErrorIs(t, err, ErrBadSignature, "an old receipt needs the old public key")

	// a third party needs no part of this package: note.Open and JSON
	n, err := note.Open(oldSigned, note.VerifierList(oldV))
	require.NoError(t, err)
	var plain map[string]any
	require.NoError(t, json.Unmarshal([]byte(n.Text), &plain))
	assert.Equal(t, g.ID, plain["record_id"])
	require.Len(t, n.Sigs, 1)
	assert.Equal(t, "receipts.test", n.Sigs[0].Name)
	assert.Equal(t, oldV.KeyHash(), n.Sigs[0].Hash, "the key id is in the signature line")

	text := string(oldSigned)
	forged := map[string][]byte{
		"state changed":     []byte(strings.Replace(text, `"event_state": "granted"`, `"event_state": "refused"`, 1)),
		"subject changed":   []byte(strings.Replace(text, `"u1"`, `"u2"`, 1)),
		"signature cut":     []byte(text[:strings.LastIndex(text, "\n\n")+2]),
		"text only":         []byte(text[:strings.LastIndex(text, "\n\n")+1]),
		"empty":             nil,
		"signature flipped": flipLastSigByte(oldSigned),
	}
	for name, in := range forged {
		require.NotEqual(t, oldSigned, in, name)
		_, err := VerifyReceipt(in, both)
		assert.ErrorIs(t, err, ErrBadSignature, name)
	}
	// signed by a key nobody published
	rogueKey, _, err := note.GenerateKey(rand.Reader, "receipts.test")
	require.NoError(t, err)
	rogue, err := note.NewSigner(rogueKey)
	require.NoError(t, err)
	l3 := newTestLedger(t, f.store, Options{Keys: f.l.keys, ReceiptSigner: rogue, Clock: f.clock.Now})
	rogueSigned, err := l3.Receipt(f.ctx, "u1", g.ID)
	require.NoError(t, err)
	_, err = VerifyReceipt(rogueSigned, both)
	assert.ErrorIs(t, err, ErrBadSignature)
	_, err = VerifyReceipt(oldSigned, nil)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = VerifyReceipt(make([]byte, maxReceipt+1), both)
	assert.ErrorIs(t, err, ErrInvalidInput)

	// a verified note that is not a receipt is refused as input
	s, err := note.NewSigner(testReceiptKey)
	require.NoError(t, err)
	other, err := note.Sign(&note.Note{Text: "hello\n"}, s)
	require.NoError(t, err)
	_, err = VerifyReceipt(other, both)
	assert.ErrorIs(t, err, ErrInvalidInput)
}

func flipLastSigByte(signed []byte) []byte {
	out := bytes.Clone(signed)
	// inside the base64 of the signature, clear of its last character,
	// whose low bits are padding that base64 decoding ignores
	i := bytes.LastIndexByte(out, '\n') - 10
	out[i] = map[bool]byte{true: 'B', false: 'A'}[out[i] == 'A']
	return out
}

func FuzzVerifyReceipt(f *testing.F) {
	fx := newFixture(f, NewMemoryStore())
	g, _ := fx.l.Grant(fx.ctx, Grant{Subject: "u1", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
	signed, _ := fx.l.Receipt(fx.ctx, "u1", g.ID)
	f.Add(signed)
	f.Add([]byte("x\n\n— receipts.test AAAA\n"))
	v := testVerifiers(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		rc, err := VerifyReceipt(data, v)
		if err != nil {
			require.True(t, errors.Is(err, ErrBadSignature) || errors.Is(err, ErrInvalidInput), "%v", err)
			return
		}
		require.NotEmpty(t, rc.RecordID)
	})
}
