package pii

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestSQLSubjectKeyStore(t *testing.T) {
	db := pgtest.Open(t)
	store, err := NewSQLSubjectKeyStore(db, "")
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, store.CreateTable(ctx))
	require.NoError(t, store.CreateTable(ctx), "CreateTable is idempotent")
	testSubjectKeyStore(t, store)

	// Erasure leaves a tombstone and no key material in the live table.
	var n int
	require.NoError(t, db.QueryRowContext(ctx,
		`SELECT count(*) FROM pii_subject_keys WHERE erased_at IS NOT NULL AND wrapped IS NULL`).Scan(&n))
	assert.GreaterOrEqual(t, n, 3)

	// Forget really removes the wrapped key from the live row: the
	// tombstone keeps the subject id and timestamps only.
	kr, err := NewKeyring()
	require.NoError(t, err)
	enc, err := NewEncryptor(kr, Options{SubjectKeys: store})
	require.NoError(t, err)
	_, err = enc.EncryptFor(ctx, "tomb-1", "Aliya")
	require.NoError(t, err)
	wrapped, err := store.Get(ctx, "tomb-1")
	require.NoError(t, err)
	require.True(t, IsToken(wrapped))
	require.NoError(t, enc.Forget(ctx, "tomb-1"))
	var w sql.NullString
	var erased sql.NullTime
	require.NoError(t, db.QueryRowContext(ctx,
		`SELECT wrapped, erased_at FROM pii_subject_keys WHERE subject = $1`, "tomb-1").Scan(&w, &erased))
	assert.False(t, w.Valid, "wrapped key destroyed")
	assert.True(t, erased.Valid, "tombstone dated")
	require.NoError(t, db.QueryRowContext(ctx,
		`SELECT count(*) FROM pii_subject_keys WHERE wrapped = $1`, wrapped).Scan(&n))
	assert.Zero(t, n)
	_, err = store.Get(ctx, "tomb-1")
	assert.ErrorIs(t, err, ErrErased)
}

func TestSQLSubjectKeyStoreTableName(t *testing.T) {
	for _, bad := range []string{"Keys", "keys; DROP TABLE x", "a.b.c", `"q"`, "1abc"} {
		_, err := NewSQLSubjectKeyStore(nil, bad)
		assert.ErrorIs(t, err, ErrInvalid, bad)
	}
	db := pgtest.Open(t)
	for _, bad := range []string{"Keys", "keys; DROP TABLE x", "a.b.c", `"q"`, "1abc"} {
		_, err := NewSQLSubjectKeyStore(db, bad)
		assert.ErrorIs(t, err, ErrInvalid, bad)
	}
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `CREATE SCHEMA pii`)
	require.NoError(t, err)
	store, err := NewSQLSubjectKeyStore(db, "pii.subject_keys")
	require.NoError(t, err)
	require.NoError(t, store.CreateTable(ctx))
	got, err := store.CompareAndSwap(ctx, "s", "", "w")
	require.NoError(t, err)
	assert.Equal(t, "w", got)
	got, err = store.CompareAndSwap(ctx, "s", "", "other")
	require.NoError(t, err)
	assert.Equal(t, "w", got, "the first key wins")
}
