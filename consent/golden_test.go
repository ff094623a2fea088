package consent

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// TestReceiptGolden pins the receipt layout (ISO/IEC TS 27560 field names
// and the Law 94-V Art. 8 block) against testdata/receipt.golden.json.
// Random ids and the hashes that depend on them are masked.
func TestReceiptGolden(t *testing.T) {
	f := newFixture(t, NewMemoryStore())
	g, err := f.l.Grant(f.ctx, Grant{Subject: "user-42", Purpose: "marketing", Recipient: "ads", Method: MethodEGov,
		Evidence: "eds-sig-1", Term: 365 * 24 * time.Hour, Language: "ru"})
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "user-42", Purpose: "marketing", Recipient: "ads", Method: MethodMobileApp})
	require.NoError(t, err)
	rc, err := receipt(t, f.l, f.ctx, "user-42", g.ID)
	require.NoError(t, err)
	got, err := json.MarshalIndent(rc, "", "  ")
	require.NoError(t, err)
	got = regexp.MustCompile(`"(cr|rc)_[0-9a-f]{32}"`).ReplaceAll(got, []byte(`"$1_<random>"`))
	got = regexp.MustCompile(`"event_hash": "[0-9a-f]{64}"`).ReplaceAll(got, []byte(`"event_hash": "<chained>"`))
	got = append(got, '\n')
	path := filepath.Join("testdata", "receipt.golden.json")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}
