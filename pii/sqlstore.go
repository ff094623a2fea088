package pii

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
)

// SQLSubjectKeyStore is a [SubjectKeyStore] in a PostgreSQL table, used
// through database/sql (any PostgreSQL driver: pgx's stdlib, lib/pq). It is
// safe for concurrent use, across processes too: races between writers are
// settled by the table's primary key.
//
// The table (CreateTable writes it) holds one row per subject:
//
//	subject    text PRIMARY KEY
//	wrapped    text         -- keyring token of the subject's data key; NULL once erased
//	created_at timestamptz  NOT NULL DEFAULT now()
//	erased_at  timestamptz  -- set by Forget; the row stays as a tombstone
//
// [SQLSubjectKeyStore.Forget] sets wrapped to NULL. PostgreSQL keeps the old
// row version until VACUUM, and WAL archives and base backups keep it for
// their retention; the wrapped key in them is useless without the keyring key
// that wrapped it: erasure is final once those copies expire, or once that
// keyring key is destroyed after [Encryptor.RewrapSubjectKey] has moved the
// live subjects (see [Keyring.Rotate]).
type SQLSubjectKeyStore struct {
	db    *sql.DB
	table string
}

// defaultSubjectKeyTable is the table name used when none is given.
const defaultSubjectKeyTable = "pii_subject_keys"

var sqlIdentifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$`)

// NewSQLSubjectKeyStore returns a store in table: "schema.table" or
// "table" in lower-case letters, digits and underscores, or
// "pii_subject_keys" when empty. Another name, or a nil db, is an
// [ErrInvalid].
func NewSQLSubjectKeyStore(db *sql.DB, table string) (*SQLSubjectKeyStore, error) {
	if db == nil {
		return nil, invalidError("pii: nil *sql.DB")
	}
	if table == "" {
		table = defaultSubjectKeyTable
	}
	if !sqlIdentifier.MatchString(table) {
		return nil, invalidError("pii: subject key table name must be [schema.]table in lower-case letters, digits and underscores")
	}
	return &SQLSubjectKeyStore{db: db, table: table}, nil
}

// CreateTable creates the table if it does not exist.
func (s *SQLSubjectKeyStore) CreateTable(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+s.table+` (
	subject    text PRIMARY KEY CHECK (length(subject) BETWEEN 1 AND 256),
	wrapped    text,
	created_at timestamptz NOT NULL DEFAULT now(),
	erased_at  timestamptz,
	CHECK ((wrapped IS NULL) = (erased_at IS NOT NULL))
)`)
	if err != nil {
		return fmt.Errorf("pii: creating subject key table: %w", err)
	}
	return nil
}

// Get implements [SubjectKeyStore].
func (s *SQLSubjectKeyStore) Get(ctx context.Context, subject string) (string, error) {
	var wrapped sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT wrapped FROM `+s.table+` WHERE subject = $1`, subject).Scan(&wrapped)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", errNoSubjectKey
	case err != nil:
		return "", fmt.Errorf("pii: reading subject key: %w", err)
	case !wrapped.Valid:
		return "", ErrErased
	}
	return wrapped.String, nil
}

// CompareAndSwap implements [SubjectKeyStore]: an INSERT for the first key,
// an UPDATE conditioned on the old key otherwise; the primary key settles
// races between processes.
func (s *SQLSubjectKeyStore) CompareAndSwap(ctx context.Context, subject, old, new string) (string, error) {
	if err := checkSubject(subject); err != nil {
		return "", err
	}
	var stored string
	var err error
	if old == "" {
		err = s.db.QueryRowContext(ctx, `INSERT INTO `+s.table+` (subject, wrapped) VALUES ($1, $2)
ON CONFLICT (subject) DO NOTHING RETURNING wrapped`, subject, new).Scan(&stored)
	} else {
		err = s.db.QueryRowContext(ctx, `UPDATE `+s.table+` SET wrapped = $3
WHERE subject = $1 AND wrapped = $2 AND erased_at IS NULL RETURNING wrapped`, subject, old, new).Scan(&stored)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows): // another writer won, or the subject is erased
		return s.Get(ctx, subject)
	case err != nil:
		return "", fmt.Errorf("pii: storing subject key: %w", err)
	}
	return stored, nil
}

// Forget implements [SubjectKeyStore].
func (s *SQLSubjectKeyStore) Forget(ctx context.Context, subject string) error {
	if err := checkSubject(subject); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO `+s.table+` AS t (subject, wrapped, erased_at) VALUES ($1, NULL, now())
ON CONFLICT (subject) DO UPDATE SET wrapped = NULL, erased_at = COALESCE(t.erased_at, now())`, subject)
	if err != nil {
		return fmt.Errorf("pii: erasing subject key: %w", err)
	}
	return nil
}
