package consent

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func openMigrated(t testing.TB) *sql.DB {
	db := pgtest.Open(t)
	require.NoError(t, Migrate(context.Background(), db))
	return db
}

// postgresCase is a storeCase on PostgreSQL. Creating a database per case
// is slow, so the cases share one database, each in a schema of its own
// (search_path), migrated afresh.
func postgresCase(t *testing.T) storeCase {
	dsn := pgtest.DSN(t)
	n := 0
	return storeCase{"postgres", func(t *testing.T) *Store {
		n++
		schema := fmt.Sprintf("case_%d", n)
		admin, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		_, err = admin.Exec(`CREATE SCHEMA ` + schema)
		require.NoError(t, err)
		require.NoError(t, admin.Close())
		db, err := sql.Open("pgx", dsn+" search_path="+schema)
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		require.NoError(t, Migrate(context.Background(), db))
		s, err := NewSQLStore(db)
		require.NoError(t, err)
		return s
	}}
}

// TestLedgerPostgres runs the behaviour table on PostgreSQL.
func TestLedgerPostgres(t *testing.T) { runBehaviour(t, postgresCase(t)) }

// TestTamperingPostgres runs the tampering tables on PostgreSQL.
func TestTamperingPostgres(t *testing.T) {
	testTampering(t, postgresCase(t))
	testForgedLegalBasis(t, postgresCase(t))
	testUnkeyed(t, postgresCase(t))
	testForgedUnkeyedHistory(t, postgresCase(t))
	testForgedPurpose(t, postgresCase(t))
}

func TestMigrateIdempotent(t *testing.T) {
	db := openMigrated(t)
	ctx := context.Background()
	s, err := NewSQLStore(db)
	require.NoError(t, err)
	f := newFixture(t, s)
	g := f.grant(t, "u1", "marketing", "ads")
	require.NoError(t, Migrate(ctx, db))
	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- Migrate(ctx, db) }()
	}
	for range 3 {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, []Record{g}, f.history(t, "u1"), "migrating again keeps the data")
	assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed)
	_, err = db.ExecContext(ctx, `DELETE FROM consent_events`)
	assert.ErrorContains(t, err, "append-only", "the triggers survive a re-run")
	assert.ErrorIs(t, Migrate(ctx, nil), ErrInvalidInput)
	_, err = NewSQLStore(nil)
	assert.ErrorIs(t, err, ErrInvalidInput)
}

func TestEventsAreImmutableInTheSchema(t *testing.T) {
	db := openMigrated(t)
	s, err := NewSQLStore(db)
	require.NoError(t, err)
	f := newFixture(t, s)
	f.grant(t, "u1", "marketing", "ads")
	ctx := context.Background()
	for _, stmt := range []string{
		`UPDATE consent_events SET kind = 'withdrawn'`,
		`DELETE FROM consent_events`,
		`TRUNCATE consent_events`,
		`UPDATE consent_notices SET material = false`,
		`DELETE FROM consent_notices`,
		`UPDATE consent_purposes SET body = '{}'`,
		`DELETE FROM consent_legal_bases`,
		`DELETE FROM consent_recipients WHERE false`,
		`TRUNCATE consent_requests`,
	} {
		_, err := db.ExecContext(ctx, stmt)
		assert.ErrorContains(t, err, "append-only", stmt)
	}
	require.NoError(t, verify(f.l, ctx, "u1", Head{}))
	// A superuser can get around the trigger; the hash chain still tells.
	_, err = db.ExecContext(ctx, `ALTER TABLE consent_events DISABLE TRIGGER consent_events_append_only`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `UPDATE consent_events SET evidence = 'forged'`)
	require.NoError(t, err)
	assert.ErrorIs(t, verify(f.l, ctx, "u1", Head{}), ErrTampered)
	_, err = db.ExecContext(ctx, `UPDATE consent_events SET evidence = 'form-1'`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `ALTER TABLE consent_events ENABLE TRIGGER consent_events_append_only`)
	require.NoError(t, err)
	require.NoError(t, verify(f.l, ctx, "u1", Head{}))
	h := f.history(t, "u1")
	require.Len(t, h, 1)
	assert.Equal(t, KindGranted, h[0].Kind)
	assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed)
}

// TestRacePostgres hammers one subject from many connections.
func TestRacePostgres(t *testing.T) {
	s, err := NewSQLStore(openMigrated(t))
	require.NoError(t, err)
	f := newFixture(t, s)
	testRace(t, f, 8, 15)
}

// TestRaceTwoProcesses runs the race through two independent connection
// pools and ledgers, as two application instances would.
func TestRaceTwoProcesses(t *testing.T) {
	dsn := pgtest.DSN(t)
	open := func() *Ledger {
		db, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		require.NoError(t, Migrate(context.Background(), db))
		s, err := NewSQLStore(db)
		require.NoError(t, err)
		return newFixture(t, s).l
	}
	a, b := open(), open()
	ctx := context.Background()
	done := make(chan error, 2)
	for i, l := range []*Ledger{a, b} {
		go func() {
			for j := range 20 {
				var err error
				if (i+j)%2 == 0 {
					_, err = l.Grant(ctx, Grant{Subject: "racer", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm})
				} else if _, err = l.Withdraw(ctx, Withdrawal{Subject: "racer", Purpose: "marketing", Recipient: "ads", Method: MethodWebForm}); errors.Is(err, ErrNotGranted) {
					err = nil
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	require.NoError(t, <-done)
	require.NoError(t, <-done)
	h, err := a.history(ctx, "racer")
	require.NoError(t, err)
	granted := false
	for i, r := range h {
		require.Equal(t, int64(i+1), r.Seq)
		if r.Kind == KindWithdrawn {
			require.True(t, granted, "withdrawal without a grant in force at seq %d", r.Seq)
		}
		granted = r.Kind == KindGranted
	}
	for _, l := range []*Ledger{a, b} {
		d, err := l.Check(ctx, Query{Subject: "racer", Purpose: "marketing", Recipient: "ads"})
		require.NoError(t, err)
		assert.Equal(t, granted, d.Allowed)
		assert.Equal(t, h[len(h)-1].ID, d.RecordID)
	}
}

// TestRaceRepeatableReadDefault runs the race on a server whose default
// isolation is REPEATABLE READ: the store must still read after the lock
// what the previous holder committed, not fail or fork.
func TestRaceRepeatableReadDefault(t *testing.T) {
	db, err := sql.Open("pgx", pgtest.DSN(t)+" default_transaction_isolation='repeatable read'")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	var iso string
	require.NoError(t, db.QueryRow(`SHOW default_transaction_isolation`).Scan(&iso))
	require.Equal(t, "repeatable read", iso)
	require.NoError(t, Migrate(context.Background(), db))
	s, err := NewSQLStore(db)
	require.NoError(t, err)
	testRace(t, newFixture(t, s), 4, 10)
}

func TestMinimalCallsPostgres(t *testing.T) {
	s, err := NewSQLStore(openMigrated(t))
	require.NoError(t, err)
	testMinimalCalls(t, s)
}

// TestOwnerDeletesTailHeadCatchesIt sets the roles up as the package doc
// says: an owner role (no superuser) runs Migrate, the application role
// only reads and inserts. The triggers stop the application role; the
// owner can still switch them off and delete a withdrawal, which the chain
// alone does not show and a recorded Head does. The application role can
// insert a forged row, which Check refuses; the owner can delete a
// withdrawal from the middle, which Check refuses too.
func TestOwnerDeletesTailHeadCatchesIt(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	suffix := newID("")[:12]
	owner, app := "consent_owner_"+suffix, "consent_app_"+suffix
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP OWNED BY ` + owner + `, ` + app)
		_, _ = admin.Exec(`DROP ROLE ` + owner + `, ` + app)
		_ = admin.Close()
	})
	for _, stmt := range []string{
		`CREATE ROLE ` + owner + ` LOGIN NOSUPERUSER`,
		`CREATE ROLE ` + app + ` LOGIN NOSUPERUSER`,
		`CREATE SCHEMA ledger AUTHORIZATION ` + owner,
		`GRANT USAGE ON SCHEMA ledger TO ` + app,
	} {
		_, err := admin.Exec(stmt)
		require.NoError(t, err, stmt)
	}
	connect := func(role string) *sql.DB {
		db, err := sql.Open("pgx", dsn+" user="+role+" search_path=ledger")
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	ownerDB, appDB := connect(owner), connect(app)
	require.NoError(t, Migrate(ctx, ownerDB))
	for _, stmt := range []string{
		`GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA ledger TO ` + app,
		`GRANT UPDATE ON consent_requests TO ` + app,
		`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ledger TO ` + app,
	} {
		_, err := ownerDB.Exec(stmt)
		require.NoError(t, err, stmt)
	}
	s, err := NewSQLStore(appDB)
	require.NoError(t, err)
	f := newFixture(t, s)
	f.grant(t, "u1", "marketing", "ads")
	_, err = f.l.Withdraw(ctx, Withdrawal{Subject: "u1", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	known, err := f.l.Verify(ctx, "u1", Head{})
	require.NoError(t, err)

	for _, stmt := range []string{
		`DELETE FROM consent_events WHERE seq = 2`,
		`ALTER TABLE consent_events DISABLE TRIGGER consent_events_append_only`,
	} {
		_, err := appDB.Exec(stmt)
		assert.Error(t, err, "the application role: %s", stmt)
	}
	assert.Error(t, Migrate(ctx, appDB), "the application role cannot migrate")
	require.NoError(t, verify(f.l, ctx, "u1", known))

	// The application role may INSERT: a forged grant after u2's
	// withdrawal, a copy of u2's genuine grant row, is refused by Check.
	f.grant(t, "u2", "marketing", "ads")
	_, err = f.l.Withdraw(ctx, Withdrawal{Subject: "u2", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	_, err = appDB.Exec(`INSERT INTO consent_events (subject, seq, id, kind, purpose, recipient, notice_version,
		language, method, evidence, at, expires_at, legal_basis_id, hash, stated_at, key_id)
		SELECT subject, 3, 'cr_forged', kind, purpose, recipient, notice_version, language, method, evidence,
			at + interval '1 second', expires_at, legal_basis_id, hash, stated_at, key_id
		FROM consent_events WHERE subject = 'u2' AND seq = 1`)
	require.NoError(t, err, "the application role can insert")
	d, err := f.l.Check(ctx, Query{Subject: "u2", Purpose: "marketing", Recipient: "ads"})
	assert.ErrorIs(t, err, ErrTampered)
	assert.False(t, d.Allowed, "a forged grant never allows")

	// ... and a forged legal basis, which never allows.
	_, err = appDB.Exec(`INSERT INTO consent_legal_bases (id, purpose, recipient, body)
		VALUES ('forged', 'marketing', 'courier', '{"id":"forged","law":"Law","article":"1","purpose":"marketing","recipient":"courier"}')`)
	require.NoError(t, err, "the application role can insert")
	d, err = f.l.Check(ctx, Query{Subject: "u4", Purpose: "marketing", Recipient: "courier"})
	var te *TamperError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, te.Problem, "legal basis")
	assert.False(t, d.Allowed, "a forged legal basis never allows")

	// The owner deletes a withdrawal from the middle of u3's history.
	f.grant(t, "u3", "marketing", "ads")
	_, err = f.l.Withdraw(ctx, Withdrawal{Subject: "u3", Purpose: "marketing", Recipient: "ads"})
	require.NoError(t, err)
	f.grant(t, "u3", "marketing", "courier")
	for _, stmt := range []string{
		`ALTER TABLE consent_events DISABLE TRIGGER consent_events_append_only`,
		`DELETE FROM consent_events WHERE subject = 'u3' AND seq = 2`,
		`ALTER TABLE consent_events ENABLE TRIGGER consent_events_append_only`,
	} {
		_, err := ownerDB.Exec(stmt)
		require.NoError(t, err, "the owner: %s", stmt)
	}
	d, err = f.l.Check(ctx, Query{Subject: "u3", Purpose: "marketing", Recipient: "ads"})
	assert.ErrorIs(t, err, ErrTampered)
	assert.False(t, d.Allowed, "a deleted withdrawal does not bring the consent back")

	for _, stmt := range []string{
		`ALTER TABLE consent_events DISABLE TRIGGER consent_events_append_only`,
		`DELETE FROM consent_events WHERE seq = 2`,
		`ALTER TABLE consent_events ENABLE TRIGGER consent_events_append_only`,
	} {
		_, err := ownerDB.Exec(stmt)
		require.NoError(t, err, "the owner: %s", stmt)
	}
	require.NoError(t, verify(f.l, ctx, "u1", Head{}), "the chain alone does not show it")
	assert.True(t, f.check(t, "u1", "marketing", "ads").Allowed, "the withdrawal is gone")
	assert.ErrorIs(t, verify(f.l, ctx, "u1", known), ErrTampered)
}
