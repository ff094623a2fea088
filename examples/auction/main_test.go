package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/1cb-kz/compliance/pii/redact"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// small is a day small enough for the test suite.
func small(t *testing.T) config {
	return config{Seed: 7, Users: 8, Bids: 200, Out: filepath.Join(t.TempDir(), "day"), LegacyCost: bcrypt.MinCost}
}

// keyLines are lines (or parts of lines) every day prints: one per
// behaviour the Rules require.
var keyLines = []string{
	"[3.1] User collects Name=name, Email=email, IBAN=payment only",
	"(kk) weak password refused",
	"(ru) weak password refused",
	"(en) weak password refused",
	"8 registrations: 8 weak passwords refused, 8 compliant passwords accepted",
	"[2.2] 8 argon2id hashes stored ($argon2id$v=19$",
	"legacy bcrypt hash $2a$04$… verified, NeedsRehash = true, replaced by $argon2id$",
	"password is 13 months old: Policy.Expired prompts a change at login (no lock-out); the same password is refused [reused:",
	"login as an unregistered e-mail: no row, password.VerifyAbsent spends a Verify's argon2id work",
	"[4.2] users.jsonl holds 9 rows × 3 sealed fields, no name, e-mail or IBAN in clear",
	"[5.2] app.log (redact.NewHandler): 9 registrations logged with e-mail, name and IBAN, none in clear",
	"blind index → 1 candidate row → decrypted and compared → u0002",
	"key 1 rotated to key 2: 9 subject keys re-wrapped, 9 rows re-encrypted",
	"keyring map[1:destroyed 2:primary]",
	"nothing asked yet: denied (no_consent)",
	"after refusing: denied (refused)",
	"after granting: allowed (consent)",
	"after withdrawing: denied (withdrawn)",
	"tax authority, no consent asked: allowed (legal_basis)",
	"[8.1] Rules 1.1 published (material change)",
	"consent given under 1.0: denied (stale_notice)",
	"notified and consented under 1.1: allowed (consent)",
	"a.analyst (trained a month ago) read u0004 for fraud.review: allowed",
	"b.analyst (never trained) read u0004 for fraud.review: denied, untrained",
	"read u0004 for fraud.review: denied, training_expired",
	"export u0004 for marketing: denied, not_authorized",
	"[6.2] 200 bids →",
	"[6.2] anonymize.Verify",
	"[7.1] access request of u0001",
	"row in users-backup.jsonl no longer opens: pii: subject erased",
	"a lookup by u0006's e-mail finds nobody",
	"[5.1] audit.Verify: 7 entries",
	"checkpoint:\n    dmas.kz/access\n    7\n",
	"a copy with one byte of one entry changed fails: audit: log tampered",
	"checks passed",
}

func TestDay(t *testing.T) {
	cfg := small(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), cfg, &out), out.String())
	for _, line := range keyLines {
		assert.Contains(t, out.String(), line)
	}
	for _, f := range []string{"users.jsonl", "users-backup.jsonl", "partner-report.csv", "access-u0001.json",
		"checkpoint", "audit.vkey"} {
		assert.FileExists(t, filepath.Join(cfg.Out, f))
	}
	assert.DirExists(t, filepath.Join(cfg.Out, "audit"))
}

// TestDeterministic: the seed fixes the synthetic data (users and bids), so
// two days with one seed tell the same story; tokens, hashes, keys and times
// differ.
func TestDeterministic(t *testing.T) {
	draw := func(seed uint64) ([]person, []bid) {
		p := &platform{cfg: config{Users: 8, Bids: 500}, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
		var people []person
		for i := range 8 {
			people = append(people, p.newPerson(i))
		}
		return people, p.bids()
	}
	people1, bids1 := draw(7)
	people2, bids2 := draw(7)
	assert.Equal(t, people1, people2)
	assert.Equal(t, bids1, bids2)
	people3, _ := draw(8)
	assert.NotEqual(t, people1, people3)
	for _, who := range people1 {
		assert.True(t, redact.Valid(redact.KindIBAN, who.IBAN), who.IBAN)
	}
}

// TestCancelled: a day whose context ends stops with an error, as main
// then exits 1.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, small(t), &bytes.Buffer{})
	assert.ErrorIs(t, err, context.Canceled)
}

// TestFullDay runs the default day of main (100,000 bids); it takes seconds
// without the race detector, more with it.
func TestFullDay(t *testing.T) {
	if os.Getenv("COMPLIANCE_LONG") == "" {
		t.Skip("set COMPLIANCE_LONG=1 to run the full-size day")
	}
	cfg := config{Seed: 1, Users: 30, Bids: 100_000, Out: filepath.Join(t.TempDir(), "day")}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), cfg, &out), out.String())
	assert.Contains(t, out.String(), "[6.2] 100000 bids →")
	assert.Regexp(t, `suppressed: [1-9]\d* below threshold, \d+ dominated by one bidder \(primary\), [1-9]\d* secondary`, out.String())
}

func TestBadConfig(t *testing.T) {
	for name, cfg := range map[string]config{
		"too few users": {Users: minUsers - 1, Bids: 10},
		"no bids":       {Users: minUsers, Bids: 0},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, run(context.Background(), cfg, &bytes.Buffer{}))
		})
	}
	// An output directory holding an earlier day is refused: its audit log
	// was signed with another key.
	cfg := small(t)
	require.NoError(t, os.MkdirAll(cfg.Out, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(cfg.Out, "x"), nil, 0o600))
	err := run(context.Background(), cfg, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not empty")
}

// TestPostgres plays the day with the consent ledger, the subject keys and
// the audit log in PostgreSQL.
func TestPostgres(t *testing.T) {
	cfg := small(t)
	cfg.Postgres = pgtest.DSN(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), cfg, &out), out.String())
	for _, line := range keyLines {
		if strings.Contains(line, "copy with one byte") {
			continue // the tampering demonstration edits a log directory
		}
		assert.Contains(t, out.String(), line)
	}
	assert.Contains(t, out.String(), "PostgreSQL (consent ledger, subject keys, audit log)")

	// A second day on the same database is refused.
	cfg.Out = filepath.Join(t.TempDir(), "again")
	err := run(context.Background(), cfg, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not empty")
}
