package consent

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
)

// Test keys: fixed, so that failures reproduce. Never use them elsewhere.
var (
	testSecret    = bytes.Repeat([]byte{0x5a}, KeySize)
	oldTestSecret = bytes.Repeat([]byte{0xa5}, KeySize)
	// receipt keys made once with note.GenerateKey(rand.Reader, "receipts.test")
	testReceiptKey, testReceiptVerifierKey = mustGenerate("receipts.test")
)

func mustGenerate(name string) (string, string) {
	skey, vkey, err := note.GenerateKey(nil, name)
	if err != nil {
		panic(err)
	}
	return skey, vkey
}

func testKeys(t testing.TB) *Keyring {
	t.Helper()
	k, err := NewKeyring("k1", testSecret)
	require.NoError(t, err)
	return k
}

func testSigner(t testing.TB) note.Signer {
	t.Helper()
	s, err := note.NewSigner(testReceiptKey)
	require.NoError(t, err)
	return s
}

func testVerifiers(t testing.TB) note.Verifiers {
	t.Helper()
	v, err := note.NewVerifier(testReceiptVerifierKey)
	require.NoError(t, err)
	return note.VerifierList(v)
}

// newTestLedger is NewLedger with the test keys when opts has none.
func newTestLedger(t testing.TB, store *Store, opts Options) *Ledger {
	t.Helper()
	if opts.Keys == nil {
		opts.Keys = testKeys(t)
	}
	if opts.ReceiptSigner == nil {
		opts.ReceiptSigner = testSigner(t)
	}
	l, err := NewLedger(store, opts)
	require.NoError(t, err)
	return l
}

// verify is Verify for the error alone.
func verify(l *Ledger, ctx context.Context, subject string, known Head) error {
	_, err := l.Verify(ctx, subject, known)
	return err
}

// receipt returns the verified, decoded receipt of recordID.
func receipt(t testing.TB, l *Ledger, ctx context.Context, subject, recordID string) (Receipt, error) {
	t.Helper()
	signed, err := l.Receipt(ctx, subject, recordID)
	if err != nil {
		return Receipt{}, err
	}
	rc, err := VerifyReceipt(signed, testVerifiers(t))
	require.NoError(t, err)
	return rc, nil
}
