package pii

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCowMap(t *testing.T) {
	var c cowMap[int]
	_, ok := c.get([]byte("a"))
	assert.False(t, ok, "empty")
	assert.Equal(t, 1, c.add("a", func() int { return 1 }))
	assert.Equal(t, 1, c.add("a", func() int { return 2 }), "the first value stays")
	v, ok := c.get([]byte("a"))
	assert.True(t, ok)
	assert.Equal(t, 1, v)
	v, ok = c.getString("a")
	assert.True(t, ok)
	assert.Equal(t, 1, v)

	// Bounded: past maxCachedSubkeys keys, values are built but not kept.
	for i := range maxCachedSubkeys {
		c.add(strconv.Itoa(i+1000000), func() int { return i })
	}
	assert.Equal(t, -1, c.add("over", func() int { return -1 }))
	_, ok = c.getString("over")
	assert.False(t, ok)
	assert.Len(t, *c.m.Load(), maxCachedSubkeys)
}

func TestCowMapConcurrent(t *testing.T) {
	var c cowMap[string]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := strconv.Itoa(i % 50)
				got := c.add(k, func() string { return k })
				assert.Equal(t, k, got, "goroutine %d", g)
				v, ok := c.get([]byte(k))
				assert.True(t, ok)
				assert.Equal(t, k, v)
			}
		})
	}
	wg.Wait()
	assert.Len(t, *c.m.Load(), 50)
}

// tokenKeyID returns the key id of a text token.
func tokenKeyID(t *testing.T, tok string) uint32 {
	t.Helper()
	var buf []byte
	raw, err := parseToken(tok, &buf)
	require.NoError(t, err)
	return raw.keyID
}

func TestSubkeyCachesFollowRotation(t *testing.T) {
	kr, enc := newTestEncryptor(t)
	ctx := []string{"users", "email", "1"}
	old, err := enc.EncryptString("a", ctx...) // warms the cache
	require.NoError(t, err)
	assert.Equal(t, uint32(1), tokenKeyID(t, old))

	id, err := kr.Rotate()
	require.NoError(t, err)
	tok, err := enc.EncryptString("a", ctx...)
	require.NoError(t, err)
	assert.Equal(t, id, tokenKeyID(t, tok), "the warm cache must not keep encrypting under the old key")

	// A process that only decrypts refreshes the cache too, so that the
	// primary key's tokens stop taking the keyring's lock.
	_, dec := newTestEncryptor(t)
	dec.kr = kr
	_, err = dec.DecryptString(tok, ctx...)
	require.NoError(t, err)
	var s scratch
	c := dec.keyFor(&s, kindKeyring, ctx).cached.Load()
	require.NotNil(t, c)
	assert.Equal(t, id, c.id)
	assert.Equal(t, kr.gen.Load(), c.gen)
	pt, err := dec.DecryptString(old, ctx...)
	require.NoError(t, err, "older keys still go through the keyring")
	assert.Equal(t, "a", pt)
}

// Destroying a key empties the subkey refs that the Encryptor's caches
// hold, so that none keeps the destroyed key's material reachable.
func TestDestroyedKeyLeavesNoCachedSubkey(t *testing.T) {
	kr, enc := newTestEncryptor(t)
	ctx := []string{"users", "email", "1"}
	_, err := enc.EncryptString("a", ctx...)
	require.NoError(t, err)
	_, err = enc.BlindIndex("users.email", "a@b.kz")
	require.NoError(t, err)
	var s scratch
	fk := enc.keyFor(&s, kindKeyring, ctx)
	ref := fk.cached.Load().ref
	require.NotNil(t, ref.key.Load())

	_, err = kr.Rotate()
	require.NoError(t, err)
	require.NoError(t, kr.SetIndexKey(2))
	st := enc.indexState("users.email")
	indexRef := st.cached.Load().ref
	require.NotNil(t, indexRef.key.Load())
	require.NoError(t, kr.SetState(1, KeyDestroyed))
	assert.Nil(t, ref.key.Load(), "the column subkey of key 1")
	assert.Nil(t, indexRef.key.Load(), "the index subkey of key 1")

	_, err = enc.EncryptString("b", ctx...)
	require.NoError(t, err, "encryption goes on under the new primary key")
	_, err = enc.BlindIndex("users.email", "a@b.kz")
	require.NoError(t, err)
}
