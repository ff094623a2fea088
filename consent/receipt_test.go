package consent

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

	rc, err := f.l.Receipt(f.ctx, "u1", g.ID)
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

	_, err = f.l.Receipt(f.ctx, "u1", "cr_nope")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = f.l.Receipt(f.ctx, "u2", g.ID)
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
	back, err := ParseReceipt(b)
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
	rc2, err := f.l.Receipt(f.ctx, "u1", e.Receipts[1].RecordID)
	require.NoError(t, err)
	assert.Equal(t, "recipient", rc2.RecipientThirdParties[0].PartyType, "courier is domestic")
	assert.Equal(t, KindRefused, rc2.Events[0].EventState)
}

func TestParseReceiptRejects(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	g := f.grant(t, "u1", "marketing", "ads")
	rc, err := f.l.Receipt(f.ctx, "u1", g.ID)
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
		_, err := ParseReceipt(in)
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
		r, err := ParseReceipt(data)
		if err != nil {
			return
		}
		// anything accepted re-encodes and parses to the same record
		b, err := json.Marshal(r)
		require.NoError(t, err)
		r2, err := ParseReceipt(b)
		require.NoError(t, err)
		require.Equal(t, r.RecordID, r2.RecordID)
	})
}

// TestReceiptWithoutNoticeRoundTrip: a grant made while no notice is in
// effect has a receipt with neither notice version nor digest, and that
// receipt must parse.
func TestReceiptWithoutNoticeRoundTrip(t *testing.T) {
	clock := &fakeClock{t: t0}
	l := NewLedger(NewMemoryStore(), WithClock(clock.Now))
	ctx := t.Context()
	require.NoError(t, l.DefinePurpose(ctx, purposeMarketing))
	g, err := l.Grant(ctx, Grant{Subject: "u1", Purpose: "marketing", Method: MethodWebForm})
	require.NoError(t, err)
	rc, err := l.Receipt(ctx, "u1", g.ID)
	require.NoError(t, err)
	assert.Equal(t, ReceiptNotice{}, rc.PrivacyNotice)
	b, err := json.Marshal(rc)
	require.NoError(t, err)
	back, err := ParseReceipt(b)
	require.NoError(t, err)
	assert.Equal(t, g.ID, back.RecordID)
	assert.Empty(t, back.PrivacyNotice.SHA256)
}
