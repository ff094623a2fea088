package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// The PostgreSQL store keeps a log in three tables, created by Open if
// they do not exist. Only database/sql is used; tested with the pgx driver.
//
// Each append is one transaction, committed with the server's default
// synchronous_commit, so a batch is either wholly present or absent: there
// is no torn tail to repair. Rows are never updated or deleted by this
// package; grant the application role INSERT and SELECT only. Open runs
// CREATE TABLE only when a table is missing, so such a role, without CREATE
// on the schema, opens tables an administrator created (by a first Open
// under a role that may create them, or with this DDL).
const pgSchema = `
CREATE TABLE IF NOT EXISTS audit_log_entries (
	idx  bigint PRIMARY KEY CHECK (idx >= 0),
	data bytea  NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log_hashes (
	idx  bigint PRIMARY KEY CHECK (idx >= 0),
	hash bytea  NOT NULL CHECK (length(hash) = 32)
);
CREATE TABLE IF NOT EXISTS audit_log_checkpoints (
	seq  bigint PRIMARY KEY CHECK (seq >= 0),
	size bigint NOT NULL,
	note bytea  NOT NULL
);`

// pgLockKey is the pg_advisory_lock key that keeps a second writer away.
const pgLockKey = 0x61756469746c6f67 // "auditlog"

// pgMaxRows bounds the rows of one INSERT (PostgreSQL allows 65535
// parameters per statement).
const pgMaxRows = 1000

type pgStore struct {
	pgSource
	conn   *sql.Conn // holds the advisory lock; all writes go through it
	n      int64
	ncp    int64 // stored checkpoints
	broken error
}

func openPGStore(ctx context.Context, db *sql.DB) (_ *pgStore, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	s := &pgStore{pgSource: pgSource{db: db}, conn: conn}
	var locked bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, int64(pgLockKey)).Scan(&locked); err != nil {
		conn.Close()
		return nil, fmt.Errorf("audit: %w", err)
	}
	if !locked {
		conn.Close()
		return nil, ErrLocked
	}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if err := createPGTables(ctx, conn); err != nil {
		return nil, err
	}
	var entries, maxIdx, hashes, cps int64
	err = conn.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM audit_log_entries),
		(SELECT COALESCE(max(idx)+1, 0) FROM audit_log_entries),
		(SELECT count(*) FROM audit_log_hashes),
		(SELECT count(*) FROM audit_log_checkpoints)`).Scan(&entries, &maxIdx, &hashes, &cps)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	// Appends are transactions: the counts can only disagree if rows were
	// deleted or inserted behind the log's back.
	if entries != maxIdx || tlog.StoredHashCount(entries) != hashes {
		return nil, entryTampered(min(entries, maxIdx, recordsCovered(hashes)), "entry or hash rows missing")
	}
	s.n, s.ncp = entries, cps
	return s, nil
}

// createPGTables creates the log's tables unless all of them exist. The
// check comes first because CREATE TABLE IF NOT EXISTS needs CREATE on the
// schema even when the table exists, and the application role should not
// have it.
func createPGTables(ctx context.Context, conn *sql.Conn) error {
	var exist bool
	err := conn.QueryRowContext(ctx, `SELECT to_regclass('audit_log_entries') IS NOT NULL
		AND to_regclass('audit_log_hashes') IS NOT NULL
		AND to_regclass('audit_log_checkpoints') IS NOT NULL`).Scan(&exist)
	if err != nil {
		return fmt.Errorf("audit: look up tables: %w", err)
	}
	if exist {
		return nil
	}
	if _, err := conn.ExecContext(ctx, pgSchema); err != nil {
		return fmt.Errorf("audit: create tables: %w", err)
	}
	return nil
}

func (s *pgStore) size() int64        { return s.n }
func (s *pgStore) recovery() recovery { return recovery{} }

func (s *pgStore) readHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	var q strings.Builder
	q.WriteString(`SELECT idx, hash FROM audit_log_hashes WHERE idx IN (`)
	args := make([]any, len(indexes))
	for i, x := range indexes {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("$" + strconv.Itoa(i+1))
		args[i] = x
	}
	q.WriteByte(')')
	rows, err := s.db.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("audit: read hashes: %w", err)
	}
	defer rows.Close()
	found := make(map[int64]tlog.Hash, len(indexes))
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, fmt.Errorf("audit: read hashes: %w", err)
		}
		if len(h) != tlog.HashSize {
			// The table's CHECK forbids this, but whoever can edit the
			// rows can drop the constraint: report it, never panic.
			return nil, entryTampered(recordOfStoredHash(idx), "stored hash damaged")
		}
		found[idx] = tlog.Hash(h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: read hashes: %w", err)
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := found[x]
		if !ok {
			return nil, fmt.Errorf("audit: stored hash %d not present", x)
		}
		out[i] = h
	}
	return out, nil
}

// append inserts the batch in one transaction.
func (s *pgStore) append(ctx context.Context, first int64, entries [][]byte, hashes []tlog.Hash) error {
	if s.broken != nil {
		return s.broken
	}
	if first != s.n {
		return fmt.Errorf("audit: append at %d to a store of %d entries", first, s.n)
	}
	tx, err := s.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit: begin: %w", err)
	}
	defer tx.Rollback()
	if err := insertRows(ctx, tx, "audit_log_entries", "data", first, entries); err != nil {
		return err
	}
	hashRows := make([][]byte, len(hashes))
	for i := range hashes {
		hashRows[i] = hashes[i][:]
	}
	if err := insertRows(ctx, tx, "audit_log_hashes", "hash", tlog.StoredHashCount(first), hashRows); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		// The commit may or may not have happened: only a reopen, which
		// rereads the tables, knows.
		s.broken = fmt.Errorf("%w: audit: commit: %w", ErrLogFailed, err)
		return s.broken
	}
	s.n += int64(len(entries))
	return nil
}

// insertRows inserts (first+i, values[i]) into table, pgMaxRows at a time.
func insertRows(ctx context.Context, tx *sql.Tx, table, column string, first int64, values [][]byte) error {
	for len(values) > 0 {
		chunk := values[:min(len(values), pgMaxRows)]
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " (idx, " + column + ") VALUES ")
		args := make([]any, 0, 2*len(chunk))
		for i, v := range chunk {
			if i > 0 {
				q.WriteByte(',')
			}
			fmt.Fprintf(&q, "($%d,$%d)", 2*i+1, 2*i+2)
			args = append(args, first+int64(i), v)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("audit: insert into %s: %w", table, err)
		}
		first += int64(len(chunk))
		values = values[len(chunk):]
	}
	return nil
}

func (s *pgStore) addCheckpoint(ctx context.Context, size int64, signed []byte) error {
	_, err := s.conn.ExecContext(ctx, `INSERT INTO audit_log_checkpoints (seq, size, note) VALUES ($1, $2, $3)`, s.ncp, size, signed)
	if err != nil {
		return fmt.Errorf("audit: store checkpoint: %w", err)
	}
	s.ncp++
	return nil
}

func (s *pgStore) close() error {
	_, err := s.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(pgLockKey))
	return errors.Join(err, s.conn.Close())
}

// pgSource reads the tables for Verify (and the store).
type pgSource struct {
	db *sql.DB
}

func (s *pgSource) storedHashCount(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(max(idx)+1, 0) FROM audit_log_hashes`).Scan(&n); err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	return n, nil
}

// hashRange returns the stored hashes [start, end); a missing row, or one
// of the wrong length (possible once the table's CHECK is dropped), reads
// as the zero hash, which cannot match, so Verify reports the entry it
// belongs to, in order.
func (s *pgSource) hashRange(ctx context.Context, start, end int64) ([]tlog.Hash, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT idx, hash FROM audit_log_hashes WHERE idx >= $1 AND idx < $2 ORDER BY idx`, start, end)
	if err != nil {
		return nil, fmt.Errorf("audit: read hashes: %w", err)
	}
	defer rows.Close()
	out := make([]tlog.Hash, end-start)
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, fmt.Errorf("audit: read hashes: %w", err)
		}
		if len(h) == tlog.HashSize { // else it stays zero and cannot match
			copy(out[idx-start][:], h)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: read hashes: %w", err)
	}
	return out, nil
}

// lastSegment is MaxInt64: a transaction stores entries and their hashes
// together, so every stored hash is trusted.
func (s *pgSource) lastSegment(context.Context) (int64, error) { return math.MaxInt64, nil }

// pgScanPage is how many entries scan reads per query.
const pgScanPage = 10000

func (s *pgSource) scan(ctx context.Context, limit int64, fn func(int64, []byte) error) error {
	var next int64
	for next < limit {
		got, err := s.scanPage(ctx, &next, limit, fn)
		if errors.Is(err, errStopScan) {
			return nil
		}
		if err != nil || got == 0 {
			return err
		}
	}
	return nil
}

func (s *pgSource) scanPage(ctx context.Context, next *int64, limit int64, fn func(int64, []byte) error) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT idx, data FROM audit_log_entries WHERE idx >= $1 ORDER BY idx LIMIT $2`, *next, min(pgScanPage, limit-*next))
	if err != nil {
		return 0, fmt.Errorf("audit: read entries: %w", err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var idx int64
		var data []byte
		if err := rows.Scan(&idx, &data); err != nil {
			return got, fmt.Errorf("audit: read entries: %w", err)
		}
		if idx != *next {
			return got, entryTampered(*next, "entry missing")
		}
		if err := fn(idx, data); err != nil {
			return got, err
		}
		*next++
		got++
	}
	return got, rows.Err()
}

func (s *pgSource) checkpoints(ctx context.Context) ([][]byte, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, note FROM audit_log_checkpoints ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("audit: read checkpoints: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var seq int64
		var cp []byte
		if err := rows.Scan(&seq, &cp); err != nil {
			return nil, fmt.Errorf("audit: read checkpoints: %w", err)
		}
		if seq != int64(len(out)) {
			return nil, checkpointTampered(len(out), "checkpoint missing")
		}
		out = append(out, cp)
	}
	return out, rows.Err()
}
