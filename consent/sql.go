package consent

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// lockClass is the first key of the two-key advisory locks this package
// takes ("CSNT"); two-key locks never collide with one-key (bigint) locks.
const lockClass = 0x43534e54

// schema is the PostgreSQL schema (version 1). Every statement is
// idempotent, so Migrate may run again, e.g. after an upgrade.
//
// Append-only is enforced by the database while its triggers are enabled:
// they reject UPDATE, DELETE and TRUNCATE on the event ledger and on the
// notice, purpose, recipient and legal-basis definitions, for every role.
// Requests may change status but are never deleted. The triggers stop the
// application role only if it does not own the tables: the owner (and any
// superuser) can disable or drop them, or set session_replication_role, and
// then delete. So run Migrate as a separate owner role and the application
// as a role that owns nothing and holds only SELECT and INSERT on consent_*
// (and UPDATE on consent_requests); and record Heads outside the database,
// since the hash chain alone cannot show that the newest records were
// deleted. See the package doc.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS consent_purposes (
		id text PRIMARY KEY,
		body jsonb NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now())`,
	`CREATE TABLE IF NOT EXISTS consent_recipients (
		id text PRIMARY KEY,
		body jsonb NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now())`,
	`CREATE TABLE IF NOT EXISTS consent_legal_bases (
		seq bigserial UNIQUE,
		id text PRIMARY KEY,
		purpose text NOT NULL,
		recipient text NOT NULL,
		body jsonb NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now())`,
	`CREATE INDEX IF NOT EXISTS consent_legal_bases_pair ON consent_legal_bases (purpose, recipient)`,
	`CREATE TABLE IF NOT EXISTS consent_notices (
		seq bigserial UNIQUE,
		version text NOT NULL,
		language text NOT NULL,
		effective_at timestamptz NOT NULL,
		material boolean NOT NULL,
		sha256 bytea NOT NULL CHECK (length(sha256) = 32),
		body text NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (version, language))`,
	`CREATE TABLE IF NOT EXISTS consent_events (
		subject text NOT NULL,
		seq bigint NOT NULL CHECK (seq > 0),
		id text NOT NULL UNIQUE,
		kind text NOT NULL CHECK (kind IN ('granted','refused','withdrawn','expired','notice_shown','notice_notified','legal_basis_used')),
		purpose text NOT NULL,
		recipient text NOT NULL,
		notice_version text NOT NULL,
		language text NOT NULL,
		method text NOT NULL,
		evidence text NOT NULL,
		at timestamptz NOT NULL,
		expires_at timestamptz,
		legal_basis_id text NOT NULL,
		hash bytea NOT NULL CHECK (length(hash) = 32),
		recorded_at timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (subject, seq))`,
	`ALTER TABLE consent_events ADD COLUMN IF NOT EXISTS stated_at timestamptz`,
	`ALTER TABLE consent_events ADD COLUMN IF NOT EXISTS key_id text NOT NULL DEFAULT ''`,
	`ALTER TABLE consent_legal_bases ADD COLUMN IF NOT EXISTS key_id text NOT NULL DEFAULT ''`,
	`ALTER TABLE consent_legal_bases ADD COLUMN IF NOT EXISTS mac text NOT NULL DEFAULT ''`,
	`ALTER TABLE consent_purposes ADD COLUMN IF NOT EXISTS key_id text NOT NULL DEFAULT ''`,
	`ALTER TABLE consent_purposes ADD COLUMN IF NOT EXISTS mac text NOT NULL DEFAULT ''`,
	`CREATE INDEX IF NOT EXISTS consent_events_decisions ON consent_events (subject, seq)
		WHERE kind IN ('granted','refused','withdrawn','expired')`,
	`CREATE TABLE IF NOT EXISTS consent_requests (
		seq bigserial UNIQUE,
		id text PRIMARY KEY,
		subject text NOT NULL,
		status text NOT NULL,
		due timestamptz NOT NULL,
		body jsonb NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS consent_requests_subject ON consent_requests (subject, seq)`,
	`CREATE OR REPLACE FUNCTION consent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		RAISE EXCEPTION 'consent: % on % is forbidden: the consent ledger is append-only', TG_OP, TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege';
	END $$`,
	`CREATE OR REPLACE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON consent_events
		FOR EACH STATEMENT EXECUTE FUNCTION consent_append_only()`,
	`CREATE OR REPLACE TRIGGER consent_notices_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON consent_notices
		FOR EACH STATEMENT EXECUTE FUNCTION consent_append_only()`,
	`CREATE OR REPLACE TRIGGER consent_purposes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON consent_purposes
		FOR EACH STATEMENT EXECUTE FUNCTION consent_append_only()`,
	`CREATE OR REPLACE TRIGGER consent_recipients_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON consent_recipients
		FOR EACH STATEMENT EXECUTE FUNCTION consent_append_only()`,
	`CREATE OR REPLACE TRIGGER consent_legal_bases_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON consent_legal_bases
		FOR EACH STATEMENT EXECUTE FUNCTION consent_append_only()`,
	`CREATE OR REPLACE TRIGGER consent_requests_no_delete BEFORE DELETE OR TRUNCATE ON consent_requests
		FOR EACH STATEMENT EXECUTE FUNCTION consent_append_only()`,
	// PostgreSQL grants PUBLIC no privilege on a new table: this only undoes
	// a stray GRANT ... TO PUBLIC. It restricts neither the owner nor any
	// role granted privileges by name.
	`REVOKE UPDATE, DELETE, TRUNCATE ON consent_events, consent_notices, consent_purposes, consent_recipients, consent_legal_bases FROM PUBLIC`,
}

// Migrate creates or completes the PostgreSQL schema (PostgreSQL 14 or
// later) of the SQL store. It is idempotent and safe to run concurrently
// from several processes: it runs in one transaction under an advisory
// lock.
//
// Run it as the role that is to own the tables, from a deployment step,
// not as the application role at every start: whoever owns the tables can
// disable the append-only triggers. Then grant the application role SELECT
// and INSERT on the consent_* tables, UPDATE on consent_requests and USAGE
// on their sequences.
func Migrate(ctx context.Context, db *sql.DB) error {
	if db == nil {
		return invalid("db", "nil")
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("consent: migrate: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockClass); err != nil {
		return fmt.Errorf("consent: migrate: %w", err)
	}
	for _, stmt := range schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("consent: migrate: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("consent: migrate: %w", err)
	}
	return nil
}

// lockThenRead is the isolation of the transactions that take a lock (an
// advisory lock, or FOR UPDATE) and then read what the previous holder
// wrote. It must be READ
// COMMITTED whatever the server's default_transaction_isolation: under
// REPEATABLE READ the snapshot would date from the lock statement, before
// the wait, and miss the previous holder's commit.
var lockThenRead = &sql.TxOptions{Isolation: sql.LevelReadCommitted}

// sqlStore is the PostgreSQL storage, through database/sql.
type sqlStore struct {
	db       *sql.DB
	schemaOK atomic.Bool // the event table has every column this version reads
}

// checkSchema refuses, once per store until it passes, a database that
// Migrate has not brought to this version: reads and writes of events
// would otherwise fail on a missing column with a driver error, and every
// Check would deny without saying why.
func (s *sqlStore) checkSchema(ctx context.Context) error {
	if s.schemaOK.Load() {
		return nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'consent_events' AND column_name IN ('stated_at', 'key_id')
		OR table_schema = current_schema() AND table_name IN ('consent_legal_bases', 'consent_purposes') AND column_name = 'mac'`).Scan(&n)
	if err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	if n != 4 {
		return fmt.Errorf("%w: database schema is older than this package: run Migrate", ErrNotConfigured)
	}
	s.schemaOK.Store(true)
	return nil
}

// NewSQLStore returns a Store in the PostgreSQL database db (any driver,
// e.g. pgx's stdlib). Run [Migrate] once before use. It is safe for
// concurrent use by any number of goroutines and processes: appends for one
// subject are serialised by a transaction-scoped advisory lock on the
// subject, and (subject, seq) is the primary key, so two writers can never
// fork a history.
func NewSQLStore(db *sql.DB) (*Store, error) {
	if db == nil {
		return nil, invalid("db", "nil")
	}
	return &Store{&sqlStore{db: db}}, nil
}

// defineJSON inserts v as the body of row id of table, with extra columns
// given as name, value pairs (names are constants of this file, never
// input). A row already there must hold an equal definition, or it fails
// with ErrConflict.
func defineJSON[T any](ctx context.Context, db *sql.DB, table, id string, v T, equal func(old T) bool, extra ...string) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	cols, params, args := "id, body", "$1, $2", []any{id, body}
	for i := 0; i+1 < len(extra); i += 2 {
		args = append(args, extra[i+1])
		cols, params = cols+", "+extra[i], params+fmt.Sprintf(", $%d", len(args))
	}
	res, err := db.ExecContext(ctx, `INSERT INTO `+table+` (`+cols+`) VALUES (`+params+`) ON CONFLICT (id) DO NOTHING`, args...)
	if err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	} else if n == 1 {
		return nil
	}
	var old []byte
	if err := db.QueryRowContext(ctx, `SELECT body FROM `+table+` WHERE id = $1`, id).Scan(&old); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	var ov T
	if err := json.Unmarshal(old, &ov); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	if !equal(ov) {
		return ErrConflict
	}
	return nil
}

func (s *sqlStore) definePurpose(ctx context.Context, p Purpose) error {
	if err := s.checkSchema(ctx); err != nil {
		return err
	}
	return defineJSON(ctx, s.db, "consent_purposes", p.ID, p, p.equal, "key_id", p.keyID, "mac", p.mac.String())
}

func (s *sqlStore) defineRecipient(ctx context.Context, r Recipient) error {
	return defineJSON(ctx, s.db, "consent_recipients", r.ID, r, func(old Recipient) bool { return old == r })
}

func (s *sqlStore) addLegalBasis(ctx context.Context, b LegalBasis) error {
	if err := s.checkSchema(ctx); err != nil {
		return err
	}
	return defineJSON(ctx, s.db, "consent_legal_bases", b.ID, b, b.equal, "purpose", b.Purpose, "recipient", b.Recipient,
		"key_id", b.keyID, "mac", b.mac.String())
}

func (s *sqlStore) publishNotice(ctx context.Context, n Notice) error {
	tx, err := s.db.BeginTx(ctx, lockThenRead)
	if err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, 1)`, lockClass); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT language, effective_at, material, sha256 FROM consent_notices WHERE version = $1`, n.Version)
	if err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	exists := false
	for rows.Next() {
		old := Notice{Version: n.Version}
		var sum []byte
		if err := rows.Scan(&old.Language, &old.EffectiveAt, &old.Material, &sum); err != nil {
			rows.Close()
			return fmt.Errorf("consent: store: %w", err)
		}
		old.EffectiveAt = norm(old.EffectiveAt)
		copy(old.SHA256[:], sum)
		if err := noticeConflict(old, n); err != nil {
			rows.Close()
			return err
		}
		exists = exists || old.Language == n.Language
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO consent_notices (version, language, effective_at, material, sha256, body)
		VALUES ($1, $2, $3, $4, $5, $6)`, n.Version, n.Language, n.EffectiveAt, n.Material, n.SHA256[:], n.Text); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	return nil
}

func listJSON[T any](ctx context.Context, db *sql.DB, query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("consent: store: %w", err)
		}
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("consent: store: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	return out, nil
}

// sqlNotice and sqlEvent are the JSON rows the snapshot query builds;
// times travel as integer microseconds since the epoch, independent of the
// session's TimeZone and DateStyle.
type sqlNotice struct {
	Version  string `json:"v"`
	Language string `json:"l"`
	Eff      int64  `json:"e"`
	Material bool   `json:"m"`
	SHA256   string `json:"h"`
}

type sqlEvent struct {
	Seq        int64  `json:"s"`
	ID         string `json:"i"`
	Kind       Kind   `json:"k"`
	Purpose    string `json:"p"`
	Recipient  string `json:"r"`
	Notice     string `json:"n"`
	Language   string `json:"l"`
	Method     Method `json:"m"`
	Evidence   string `json:"ev"`
	At         int64  `json:"a"`
	Expires    *int64 `json:"x"`
	LegalBasis string `json:"b"`
	Hash       Digest `json:"h"`
	Stated     *int64 `json:"st"`
	KeyID      string `json:"kid"`
}

func micros(us int64) time.Time { return time.UnixMicro(us).UTC() }

const eventJSON = `json_build_object('s', seq, 'i', id, 'k', kind, 'p', purpose, 'r', recipient, 'n', notice_version,
	'l', language, 'm', method, 'ev', evidence, 'a', (extract(epoch FROM at) * 1000000)::bigint,
	'x', (extract(epoch FROM expires_at) * 1000000)::bigint, 'b', legal_basis_id, 'h', encode(hash, 'hex'),
	'st', (extract(epoch FROM stated_at) * 1000000)::bigint, 'kid', key_id)`

// snapshotQuery reads a snapshot in one statement, hence one consistent
// database snapshot, in one round trip.
const snapshotQuery = `SELECT
	(SELECT json_build_object('b', body, 'k', key_id, 'm', mac) FROM consent_purposes WHERE id = $2),
	(SELECT body FROM consent_recipients WHERE id = $3 AND $3 <> ''),
	(SELECT coalesce(json_agg(json_build_object('v', version, 'l', language,
		'e', (extract(epoch FROM effective_at) * 1000000)::bigint, 'm', material, 'h', encode(sha256, 'hex')) ORDER BY seq), '[]')
		FROM consent_notices),
	(SELECT coalesce(json_agg(json_build_object('b', body, 'k', key_id, 'm', mac) ORDER BY seq), '[]')
		FROM consent_legal_bases WHERE purpose = $2 AND recipient = $3),
	(SELECT coalesce(json_agg(` + eventJSON + ` ORDER BY seq), '[]') FROM consent_events WHERE subject = $1 AND seq IN (
		SELECT d.seq + o FROM consent_events d, (VALUES (0), (-1)) AS k(o)
			WHERE d.subject = $1 AND d.kind IN ('granted','refused','withdrawn','expired')
		UNION
		SELECT m.seq + o FROM (SELECT max(seq) AS seq FROM consent_events WHERE subject = $1) AS m, (VALUES (0), (-1)) AS k(o)))`

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readSnapshot(ctx context.Context, q queryer, subject, purpose, recipient string) (snapshot, error) {
	var pb, rb, nb, lb, eb []byte
	if err := q.QueryRowContext(ctx, snapshotQuery, subject, purpose, recipient).Scan(&pb, &rb, &nb, &lb, &eb); err != nil {
		return snapshot{}, fmt.Errorf("consent: store: %w", err)
	}
	var s snapshot
	if pb != nil {
		var p struct {
			B Purpose `json:"b"`
			K string  `json:"k"`
			M string  `json:"m"`
		}
		if err := json.Unmarshal(pb, &p); err != nil {
			return snapshot{}, fmt.Errorf("consent: store: %w", err)
		}
		p.B.keyID = p.K
		_, _ = hex.Decode(p.B.mac[:], []byte(p.M)) // a malformed mac fails verification
		s.Purpose = &p.B
	}
	if rb != nil {
		s.Recipient = new(Recipient)
		if err := json.Unmarshal(rb, s.Recipient); err != nil {
			return snapshot{}, fmt.Errorf("consent: store: %w", err)
		}
	}
	var ns []sqlNotice
	if err := json.Unmarshal(nb, &ns); err != nil {
		return snapshot{}, fmt.Errorf("consent: store: %w", err)
	}
	for _, n := range ns {
		x := Notice{Version: n.Version, Language: n.Language, EffectiveAt: micros(n.Eff), Material: n.Material}
		if _, err := hex.Decode(x.SHA256[:], []byte(n.SHA256)); err != nil {
			return snapshot{}, fmt.Errorf("consent: store: %w", err)
		}
		s.Notices = append(s.Notices, x)
	}
	var bases []struct {
		B LegalBasis `json:"b"`
		K string     `json:"k"`
		M string     `json:"m"`
	}
	if err := json.Unmarshal(lb, &bases); err != nil {
		return snapshot{}, fmt.Errorf("consent: store: %w", err)
	}
	for _, b := range bases {
		b.B.keyID = b.K
		_, _ = hex.Decode(b.B.mac[:], []byte(b.M)) // a malformed mac fails verification
		s.LegalBases = append(s.LegalBases, b.B)
	}
	h, err := decodeEvents(subject, eb)
	if err != nil {
		return snapshot{}, err
	}
	s.History = h
	return s, nil
}

func decodeEvents(subject string, b []byte) ([]Record, error) {
	var es []sqlEvent
	if err := json.Unmarshal(b, &es); err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	var out []Record
	for _, e := range es {
		r := Record{
			ID: e.ID, Seq: e.Seq, Kind: e.Kind, Subject: subject, Purpose: e.Purpose, Recipient: e.Recipient,
			NoticeVersion: e.Notice, Language: e.Language, Method: e.Method, Evidence: e.Evidence,
			At: micros(e.At), LegalBasisID: e.LegalBasis, Hash: e.Hash, KeyID: e.KeyID,
		}
		if e.Expires != nil {
			r.ExpiresAt = micros(*e.Expires)
		}
		if e.Stated != nil {
			r.StatedAt = micros(*e.Stated)
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *sqlStore) listNotices(ctx context.Context) ([]Notice, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, language, effective_at, material, sha256, body FROM consent_notices ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var sum []byte
		if err := rows.Scan(&n.Version, &n.Language, &n.EffectiveAt, &n.Material, &sum, &n.Text); err != nil {
			return nil, fmt.Errorf("consent: store: %w", err)
		}
		n.EffectiveAt = norm(n.EffectiveAt)
		copy(n.SHA256[:], sum)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	return out, nil
}

func (s *sqlStore) read(ctx context.Context, subject, purpose, recipient string) (snapshot, error) {
	if err := s.checkSchema(ctx); err != nil {
		return snapshot{}, err
	}
	return readSnapshot(ctx, s.db, subject, purpose, recipient)
}

func (s *sqlStore) appendTo(ctx context.Context, subject, purpose, recipient string, decide func(snapshot) ([]Record, error)) ([]Record, error) {
	if err := s.checkSchema(ctx); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, lockThenRead)
	if err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	// Serialise writers of this subject. READ COMMITTED takes a fresh
	// snapshot per statement, so the read below sees every append committed
	// before the lock was granted.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockClass, subject); err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	snap, err := readSnapshot(ctx, tx, subject, purpose, recipient)
	if err != nil {
		return nil, err
	}
	recs, err := decide(snap)
	if err != nil {
		return nil, err
	}
	out := make([]Record, len(recs))
	for i, r := range recs {
		if err := validRecord(subject, r, lastSeq(snap.History)+int64(i)+1); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO consent_events (subject, seq, id, kind, purpose, recipient, notice_version,
			language, method, evidence, at, expires_at, legal_basis_id, hash, stated_at, key_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			r.Subject, r.Seq, r.ID, string(r.Kind), r.Purpose, r.Recipient, r.NoticeVersion, r.Language, string(r.Method),
			r.Evidence, r.At, nullTime(r.ExpiresAt), r.LegalBasisID, r.Hash[:], nullTime(r.StatedAt), r.KeyID); err != nil {
			return nil, fmt.Errorf("consent: store: %w", err)
		}
		out[i] = r
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	return out, nil
}

// nullTime maps the zero time, which the Record fields use for "none", to
// SQL NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func (s *sqlStore) subjectHistory(ctx context.Context, subject string) ([]Record, error) {
	if err := s.checkSchema(ctx); err != nil {
		return nil, err
	}
	var b []byte
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(json_agg(`+eventJSON+` ORDER BY seq), '[]') FROM consent_events
		WHERE subject = $1`, subject).Scan(&b); err != nil {
		return nil, fmt.Errorf("consent: store: %w", err)
	}
	return decodeEvents(subject, b)
}

func (s *sqlStore) scan(ctx context.Context, fn func(subject string, history []Record) error) error {
	if err := s.checkSchema(ctx); err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT subject, json_agg(`+eventJSON+` ORDER BY seq) FROM consent_events GROUP BY subject ORDER BY subject`)
	if err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var subject string
		var b []byte
		if err := rows.Scan(&subject, &b); err != nil {
			return fmt.Errorf("consent: store: %w", err)
		}
		h, err := decodeEvents(subject, b)
		if err != nil {
			return err
		}
		if err := fn(subject, h); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	return nil
}

func (s *sqlStore) createRequest(ctx context.Context, r Request) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO consent_requests (id, subject, status, due, body) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO NOTHING`, r.ID, r.Subject, string(r.Status), r.Due, body)
	if err != nil {
		return fmt.Errorf("consent: store: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("consent: store: %w", err)
	} else if n == 0 {
		return ErrConflict
	}
	return nil
}

func (s *sqlStore) updateRequest(ctx context.Context, id string, change func(Request) (Request, error)) (Request, error) {
	tx, err := s.db.BeginTx(ctx, lockThenRead)
	if err != nil {
		return Request{}, fmt.Errorf("consent: store: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var b []byte
	err = tx.QueryRowContext(ctx, `SELECT body FROM consent_requests WHERE id = $1 FOR UPDATE`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("consent: store: %w", err)
	}
	var r Request
	if err := json.Unmarshal(b, &r); err != nil {
		return Request{}, fmt.Errorf("consent: store: %w", err)
	}
	n, err := change(r)
	if err != nil {
		return Request{}, err
	}
	n.ID = id
	if b, err = json.Marshal(n); err != nil {
		return Request{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE consent_requests SET status = $2, due = $3, body = $4 WHERE id = $1`,
		id, string(n.Status), n.Due, b); err != nil {
		return Request{}, fmt.Errorf("consent: store: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Request{}, fmt.Errorf("consent: store: %w", err)
	}
	return n, nil
}

func (s *sqlStore) listRequests(ctx context.Context, subject string) ([]Request, error) {
	return listJSON[Request](ctx, s.db, `SELECT body FROM consent_requests WHERE $1 = '' OR subject = $1 ORDER BY seq`, subject)
}
