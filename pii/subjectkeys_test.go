package pii

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSubjectKeyStore is the behaviour every SubjectKeyStore must have; the
// memory and SQL stores both run it.
func testSubjectKeyStore(t *testing.T, store SubjectKeyStore) {
	ctx := context.Background()
	kr, enc := newTestEncryptor(t, Options{SubjectKeys: store})

	t.Run("round trip and erasure", func(t *testing.T) {
		tok, err := enc.EncryptFor(ctx, "user-1", "Aliya", "users", "name", "1")
		require.NoError(t, err)
		other, err := enc.EncryptFor(ctx, "user-2", "Bolat", "users", "name", "2")
		require.NoError(t, err)

		got, err := enc.DecryptFor(ctx, "user-1", tok, "users", "name", "1")
		require.NoError(t, err)
		assert.Equal(t, "Aliya", got)

		_, err = enc.DecryptFor(ctx, "user-2", tok, "users", "name", "1")
		assert.ErrorIs(t, err, ErrDecrypt, "another subject's key")
		_, err = enc.DecryptString(tok, "users", "name", "1")
		assert.ErrorIs(t, err, ErrDecrypt, "subject tokens need DecryptFor")

		backup := tok // a copy in a backup
		require.NoError(t, enc.Forget(ctx, "user-1"))
		require.NoError(t, enc.Forget(ctx, "user-1"), "Forget is idempotent")
		_, err = enc.DecryptFor(ctx, "user-1", backup, "users", "name", "1")
		assert.ErrorIs(t, err, ErrErased)
		_, err = enc.EncryptFor(ctx, "user-1", "again", "users", "name", "1")
		assert.ErrorIs(t, err, ErrErased, "an erased subject id gets no new key")

		got, err = enc.DecryptFor(ctx, "user-2", other, "users", "name", "2")
		require.NoError(t, err, "other subjects are untouched")
		assert.Equal(t, "Bolat", got)
	})

	t.Run("keyring tokens through DecryptFor", func(t *testing.T) {
		tok, err := enc.EncryptString("v", "t", "c", "1")
		require.NoError(t, err)
		_, err = enc.EncryptFor(ctx, "user-3", "x")
		require.NoError(t, err)
		got, err := enc.DecryptFor(ctx, "user-3", tok, "t", "c", "1")
		require.NoError(t, err)
		assert.Equal(t, "v", got)
		require.NoError(t, enc.Forget(ctx, "user-3"))
		_, err = enc.DecryptFor(ctx, "user-3", tok, "t", "c", "1")
		assert.ErrorIs(t, err, ErrErased)
	})

	t.Run("keyring tokens before the subject has a key", func(t *testing.T) {
		tok, err := enc.EncryptString("v", "t", "c", "1")
		require.NoError(t, err)
		got, err := enc.DecryptFor(ctx, "user-8", tok, "t", "c", "1")
		require.NoError(t, err)
		assert.Equal(t, "v", got)
	})

	t.Run("unknown subject", func(t *testing.T) {
		tok, err := enc.EncryptFor(ctx, "user-4", "x")
		require.NoError(t, err)
		_, err = enc.DecryptFor(ctx, "nobody", tok)
		assert.ErrorIs(t, err, ErrUnknownKey)
		require.NoError(t, enc.Forget(ctx, "never-seen"))
		_, err = enc.EncryptFor(ctx, "never-seen", "x")
		assert.ErrorIs(t, err, ErrErased)
	})

	t.Run("rewrap after rotation", func(t *testing.T) {
		tok, err := enc.EncryptFor(ctx, "user-5", "Dana", "users", "name", "5")
		require.NoError(t, err)
		_, err = kr.Rotate()
		require.NoError(t, err)
		require.NoError(t, enc.RewrapSubjectKey(ctx, "user-5"))
		old := kr.Status().Primary - 1
		require.NoError(t, kr.SetIndexKey(kr.Status().Primary))
		require.NoError(t, kr.SetState(old, KeyDisabled))
		got, err := enc.DecryptFor(ctx, "user-5", tok, "users", "name", "5")
		require.NoError(t, err, "the data key is unwrapped with the new keyring key")
		assert.Equal(t, "Dana", got)
		_, err = enc.DecryptFor(ctx, "user-4", tok)
		assert.ErrorIs(t, err, ErrUnknownKey, "user-4 was not re-wrapped")
		require.NoError(t, kr.SetState(old, KeyDecryptOnly))
		require.NoError(t, enc.Forget(ctx, "user-5"))
		assert.ErrorIs(t, enc.RewrapSubjectKey(ctx, "user-5"), ErrErased)
	})

	t.Run("concurrent first use", func(t *testing.T) {
		var wg sync.WaitGroup
		toks := make([]string, 8)
		for i := range toks {
			wg.Go(func() {
				tok, err := enc.EncryptFor(ctx, "user-6", fmt.Sprint(i))
				assert.NoError(t, err)
				toks[i] = tok
			})
		}
		wg.Wait()
		for i, tok := range toks {
			got, err := enc.DecryptFor(ctx, "user-6", tok)
			require.NoError(t, err, "all writers must end up with one key")
			assert.Equal(t, fmt.Sprint(i), got)
		}
	})

	t.Run("bad subject ids", func(t *testing.T) {
		_, err := enc.EncryptFor(ctx, "", "x")
		assert.ErrorIs(t, err, ErrInvalid)
		assert.ErrorIs(t, enc.Forget(ctx, string(make([]byte, maxSubjectLen+1))), ErrInvalid)
	})

	t.Run("compare and swap", func(t *testing.T) {
		// Each step runs on the state the previous ones left.
		steps := []struct {
			name, subject, old, new string
			want                    string
			wantErr                 error
		}{
			{"first key", "cas-1", "", "w1", "w1", nil},
			{"first key, lost race", "cas-1", "", "w2", "w1", nil},
			{"swap", "cas-1", "w1", "w3", "w3", nil},
			{"stale old", "cas-1", "w1", "w4", "w3", nil},
			{"swap without a key", "cas-2", "w1", "w2", "", ErrUnknownKey},
		}
		for _, st := range steps {
			got, err := store.CompareAndSwap(ctx, st.subject, st.old, st.new)
			if st.wantErr != nil {
				assert.ErrorIs(t, err, st.wantErr, st.name)
				continue
			}
			require.NoError(t, err, st.name)
			assert.Equal(t, st.want, got, st.name)
		}
		require.NoError(t, store.Forget(ctx, "cas-1"))
		for _, old := range []string{"", "w3"} {
			_, err := store.CompareAndSwap(ctx, "cas-1", old, "w5")
			assert.ErrorIs(t, err, ErrErased, "old %q after Forget", old)
		}
	})

	t.Run("concurrent rewrap", func(t *testing.T) {
		tok, err := enc.EncryptFor(ctx, "user-9", "Erlan")
		require.NoError(t, err)
		_, err = kr.Rotate()
		require.NoError(t, err)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() { assert.NoError(t, enc.RewrapSubjectKey(ctx, "user-9")) })
		}
		wg.Wait()
		wrapped, err := store.Get(ctx, "user-9")
		require.NoError(t, err)
		tk, err := parseToken(wrapped, new([]byte))
		require.NoError(t, err)
		assert.Equal(t, kr.Status().Primary, tk.keyID, "wrapped under the new primary")
		got, err := enc.DecryptFor(ctx, "user-9", tok)
		require.NoError(t, err)
		assert.Equal(t, "Erlan", got)
	})

	t.Run("cancelled context", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := enc.EncryptFor(cctx, "user-7", "x")
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestMemorySubjectKeyStore(t *testing.T) {
	testSubjectKeyStore(t, NewMemorySubjectKeyStore())
}

func TestNoSubjectStore(t *testing.T) {
	_, enc := newTestEncryptor(t)
	ctx := context.Background()
	_, err := enc.EncryptFor(ctx, "u", "x")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorIs(t, enc.Forget(ctx, "u"), ErrInvalid)
}

// A field token cannot pose as a wrapped subject key: the token kind is
// authenticated, even with the wrapping context.
func TestWrappedKeyDomainSeparation(t *testing.T) {
	ctx := context.Background()
	store := NewMemorySubjectKeyStore()
	_, enc := newTestEncryptor(t, Options{SubjectKeys: store})
	forged, err := enc.EncryptString(string(make([]byte, keySize)), subjectKeyContext, "victim")
	require.NoError(t, err)
	_, err = store.CompareAndSwap(ctx, "victim", "", forged)
	require.NoError(t, err)
	_, err = enc.EncryptFor(ctx, "victim", "x")
	assert.ErrorIs(t, err, ErrDecrypt)
}

// A wrapped key copied to another subject's row does not unwrap: the
// subject id is authenticated with it.
func TestWrappedKeySwapFails(t *testing.T) {
	ctx := context.Background()
	store := NewMemorySubjectKeyStore()
	_, enc := newTestEncryptor(t, Options{SubjectKeys: store})
	_, err := enc.EncryptFor(ctx, "alice", "x")
	require.NoError(t, err)
	alices, err := store.Get(ctx, "alice")
	require.NoError(t, err)
	_, err = store.CompareAndSwap(ctx, "mallory", "", alices)
	require.NoError(t, err)
	_, err = enc.EncryptFor(ctx, "mallory", "y")
	assert.ErrorIs(t, err, ErrDecrypt)
}
