package audit

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"time"
)

// SQLDirectory is a [Directory] read from the host's own database through
// database/sql, with a query the host writes for its own HR schema. It is
// safe for concurrent use (as *sql.DB is).
type SQLDirectory struct {
	db    *sql.DB
	query string
}

// NewSQLDirectory returns a Directory that runs query with the employee id
// as its only argument (written $1 or ? as the driver wants). The query
// returns one row per role the employee holds, or one row with a NULL role
// if they hold none, and no row for an unknown employee; its columns are,
// in order:
//
//	role                text, NULL for none
//	active              boolean
//	trained_at          timestamptz, NULL if never trained
//	training_valid_for  integer, seconds; zero or less means expired
//
// trained_at must be a timestamp with time zone: a timestamp without one
// names no instant, and the driver reads it as if it were UTC, so dates
// written in local time would move by the zone's offset.
//
// For example, in PostgreSQL:
//
//	SELECT r.role, s.active, s.trained_at, s.training_valid_seconds
//	FROM staff s LEFT JOIN staff_roles r ON r.staff_id = s.id
//	WHERE s.id = $1
//
// Rows that disagree on active, trained_at or training_valid_for make
// Lookup fail, and so the gate deny; so does a nil db or an empty query
// (an error wrapping [ErrInvalidOptions]). A database error is reported
// without the driver's message, which may quote the employee id or a value
// read: only the step that failed, the SQLSTATE when the driver gives one,
// and context cancellation (errors.Is) remain; run the query by hand to see
// the rest.
func NewSQLDirectory(db *sql.DB, query string) *SQLDirectory {
	return &SQLDirectory{db: db, query: query}
}

// errDirectoryRows reports rows of one employee that disagree.
var errDirectoryRows = errors.New("audit: directory rows disagree")

// trainingValidity converts training_valid_for seconds to a Duration
// without overflow: a period too long for a Duration saturates, and zero
// or a negative period is no validity at all (the gate treats it as
// expired), never a wrap-around to centuries of validity.
func trainingValidity(seconds int64) time.Duration {
	switch {
	case seconds <= 0:
		return 0
	case seconds >= math.MaxInt64/int64(time.Second):
		return time.Duration(math.MaxInt64) // beyond any real period
	}
	return time.Duration(seconds) * time.Second
}

// Lookup implements [Directory].
func (d *SQLDirectory) Lookup(ctx context.Context, id string) (Staff, error) {
	if d == nil || d.db == nil || d.query == "" {
		return Staff{}, fmt.Errorf("%w: SQLDirectory needs a database and a query", ErrInvalidOptions)
	}
	rows, err := d.db.QueryContext(ctx, d.query, id)
	if err != nil {
		return Staff{}, redactDB("query", err)
	}
	defer rows.Close()
	var (
		s     Staff
		found bool
	)
	for rows.Next() {
		var (
			role    sql.NullString
			active  bool
			trained sql.NullTime
			seconds int64
		)
		if err := rows.Scan(&role, &active, &trained, &seconds); err != nil {
			return Staff{}, redactDB("scan", err)
		}
		validFor := trainingValidity(seconds)
		var trainedAt time.Time
		if trained.Valid {
			trainedAt = trained.Time
		}
		if !found {
			s = Staff{ID: id, Active: active, TrainedAt: trainedAt, TrainingValidFor: validFor}
			found = true
		} else if s.Active != active || !s.TrainedAt.Equal(trainedAt) || s.TrainingValidFor != validFor {
			return Staff{}, errDirectoryRows
		}
		if role.Valid && role.String != "" {
			s.Roles = append(s.Roles, role.String)
		}
	}
	if err := rows.Err(); err != nil {
		return Staff{}, redactDB("rows", err)
	}
	if !found {
		return Staff{}, ErrUnknownStaff
	}
	return s, nil
}

// dbError is a database failure of a SQLDirectory with the driver's message
// left out: drivers quote the arguments and values they were given (pgx:
// invalid input syntax for type bigint: "emp-17"; database/sql: couldn't
// convert "emp-17" into type bool), and the gate hands this error to
// GateOptions.Logger. It keeps the step, the SQLSTATE and, for errors.Is,
// the standard condition behind it (cancellation, a dead connection).
type dbError struct {
	op, state string
	kept      error // a standard sentinel, never the driver's error
}

func (e *dbError) Error() string {
	msg := "audit: directory " + e.op + " failed"
	if e.state != "" {
		msg += " (SQLSTATE " + e.state + ")"
	}
	if e.kept != nil {
		msg += ": " + e.kept.Error()
	}
	return msg
}

func (e *dbError) Unwrap() error { return e.kept }

// redactDB returns err as a *dbError.
func redactDB(op string, err error) error {
	e := &dbError{op: op}
	for _, s := range []error{context.Canceled, context.DeadlineExceeded, sql.ErrConnDone, sql.ErrTxDone, driver.ErrBadConn} {
		if errors.Is(err, s) {
			e.kept = s
			break
		}
	}
	var st interface{ SQLState() string } // pgx's *pgconn.PgError, lib/pq's *pq.Error
	if errors.As(err, &st) && sqlState(st.SQLState()) {
		e.state = st.SQLState()
	}
	return e
}

// sqlState reports whether s is a SQLSTATE: five digits or upper-case
// letters, nothing a driver could smuggle data through.
func sqlState(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
