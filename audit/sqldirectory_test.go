package audit

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/1cb-kz/compliance/internal/pgtest"
)

const sqlDirectoryQuery = `SELECT r.role, s.active, s.trained_at, s.training_valid_seconds
FROM staff s LEFT JOIN staff_roles r ON r.staff_id = s.id
WHERE s.id = $1`

func sqlDirectoryDB(t *testing.T) *sql.DB {
	t.Helper()
	db := pgtest.Open(t)
	_, err := db.Exec(`
CREATE TABLE staff (
	id text PRIMARY KEY,
	active boolean NOT NULL,
	trained_at timestamptz,
	training_valid_seconds bigint NOT NULL
);
CREATE TABLE staff_roles (staff_id text REFERENCES staff(id), role text);
INSERT INTO staff VALUES
	('emp-1', true, '2026-10-27T12:00:00Z', 31536000),
	('emp-new', true, NULL, 31536000),
	('emp-left', false, '2026-10-27T12:00:00Z', 31536000),
	('emp-forever', true, '2026-10-27T12:00:00Z', 9223372036854775807),
	('emp-negative', true, '2026-10-27T12:00:00Z', -1),
	('emp-zero', true, '2026-10-27T12:00:00Z', 0),
	('emp-wraps', true, '2026-10-27T12:00:00Z', -9223372037),
	('emp-most-negative', true, '2026-10-27T12:00:00Z', -9223372036854775808);
INSERT INTO staff_roles VALUES ('emp-1', 'support'), ('emp-1', 'dpo'), ('emp-left', 'support');`)
	require.NoError(t, err)
	return db
}

func TestSQLDirectory(t *testing.T) {
	db := sqlDirectoryDB(t)
	d := NewSQLDirectory(db, sqlDirectoryQuery)
	ctx := context.Background()

	s, err := d.Lookup(ctx, "emp-1")
	require.NoError(t, err)
	assert.Equal(t, "emp-1", s.ID)
	assert.ElementsMatch(t, []string{"support", "dpo"}, s.Roles)
	assert.True(t, s.Active)
	assert.True(t, s.TrainedAt.Equal(time.Date(2026, 10, 27, 12, 0, 0, 0, time.UTC)))
	assert.Equal(t, trainingYear, s.TrainingValidFor)

	s, err = d.Lookup(ctx, "emp-new")
	require.NoError(t, err)
	assert.Empty(t, s.Roles)
	assert.True(t, s.TrainedAt.IsZero())

	s, err = d.Lookup(ctx, "emp-forever")
	require.NoError(t, err)
	assert.Greater(t, s.TrainingValidFor, 100*trainingYear, "a huge period saturates instead of overflowing")

	// A zero or negative period is expired, however negative: converting
	// it must not wrap around to centuries of validity.
	for _, emp := range []string{"emp-negative", "emp-zero", "emp-wraps", "emp-most-negative"} {
		s, err = d.Lookup(ctx, emp)
		require.NoError(t, err, emp)
		assert.Equal(t, time.Duration(0), s.TrainingValidFor, emp)
	}

	_, err = d.Lookup(ctx, "emp-404")
	require.ErrorIs(t, err, ErrUnknownStaff)

	_, err = NewSQLDirectory(db, `SELECT 'a', true, NULL::timestamptz, 1 UNION ALL SELECT 'b', false, NULL, 1 WHERE $1 <> ''`).Lookup(ctx, "x")
	require.ErrorIs(t, err, errDirectoryRows)

	_, err = NewSQLDirectory(db, `SELECT 1 FROM missing_table WHERE $1 <> ''`).Lookup(ctx, "x")
	require.Error(t, err)
	require.NotErrorIs(t, err, ErrUnknownStaff)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = d.Lookup(cctx, "emp-1")
	require.ErrorIs(t, err, context.Canceled)
}

func TestGateWithSQLDirectory(t *testing.T) {
	db := sqlDirectoryDB(t)
	rec := &decisionRecorder{}
	g := newGate(NewSQLDirectory(db, sqlDirectoryQuery), testPolicy, rec.record, GateOptions{Now: func() time.Time { return gateNow }})
	ctx := context.Background()
	read := func(emp string) Access { return Access{Employee: emp, Action: ActionRead, Purpose: "support.ticket"} }

	require.NoError(t, g.Authorize(ctx, read("emp-1")))
	for emp, code := range map[string]DenialCode{
		"emp-new": DenyUntrained, "emp-left": DenyInactive, "emp-404": DenyUnknownStaff,
		"emp-negative": DenyTrainingExpired, "emp-wraps": DenyTrainingExpired, "emp-most-negative": DenyTrainingExpired,
	} {
		var de *DeniedError
		require.ErrorAs(t, g.Authorize(ctx, read(emp)), &de, emp)
		assert.Equal(t, code, de.Code, emp)
	}
	assert.Len(t, rec.events, 7)

	require.NoError(t, db.Close())
	var de *DeniedError
	require.ErrorAs(t, g.Authorize(ctx, read("emp-1")), &de)
	assert.Equal(t, DenyDirectoryError, de.Code, "a dead database fails closed")
}

func TestTrainingValidity(t *testing.T) {
	tests := []struct {
		seconds int64
		want    time.Duration
	}{
		{math.MinInt64, 0},
		{-9223372037, 0}, // times time.Second wraps to about +292 years
		{-1, 0},
		{0, 0},
		{1, time.Second},
		{31536000, trainingYear},
		{math.MaxInt64/int64(time.Second) - 1, (math.MaxInt64/time.Second - 1) * time.Second},
		{math.MaxInt64 / int64(time.Second), math.MaxInt64},
		{math.MaxInt64, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatInt(tt.seconds, 10), func(t *testing.T) {
			assert.Equal(t, tt.want, trainingValidity(tt.seconds))
		})
	}
}

// TestSQLDirectoryErrorsQuoteNoID: a driver quotes the arguments and values
// it was given (pgx: invalid input syntax for type integer: "<id>"), and the
// gate hands a directory error to GateOptions.Logger. Neither the error nor
// the log may carry the employee id or a value read; the SQLSTATE, and
// context cancellation, survive.
func TestSQLDirectoryErrorsQuoteNoID(t *testing.T) {
	db := sqlDirectoryDB(t)
	ctx := context.Background()
	const id = "emp-secret-4711"
	tests := []struct {
		name, query, state string
	}{
		{"argument quoted by the server", `SELECT NULL::text, true, NULL::timestamptz, $1::bigint`, "22P02"},
		{"value quoted by Scan", `SELECT NULL::text, $1::text, NULL::timestamptz, 1`, ""},
		{"unknown relation", `SELECT role, true, NULL::timestamptz, 1 FROM "` + id + `" WHERE $1 <> ''`, "42P01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSQLDirectory(db, tt.query).Lookup(ctx, id)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), id)
			assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), id)
			if tt.state != "" {
				assert.Contains(t, err.Error(), "SQLSTATE "+tt.state)
			}
			var logs bytes.Buffer
			g := newGate(NewSQLDirectory(db, tt.query), testPolicy, (&decisionRecorder{}).record,
				GateOptions{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
			var de *DeniedError
			require.ErrorAs(t, g.Authorize(ctx, Access{Employee: id, Action: ActionRead, Purpose: "support.ticket"}), &de)
			assert.Equal(t, DenyDirectoryError, de.Code)
			assert.Contains(t, logs.String(), "directory_error")
			assert.NotContains(t, logs.String(), id)
		})
	}

	cctx, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	<-cctx.Done()
	_, err := NewSQLDirectory(db, sqlDirectoryQuery).Lookup(cctx, id)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotContains(t, err.Error(), id)
}
