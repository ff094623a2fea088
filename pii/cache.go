package pii

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// cowMap is a string-keyed map for caches read on every call and written
// once per key: readers load it with one atomic load and no lock (a
// sync.RWMutex would bounce its reader count between cores on every call),
// writers copy it under a mutex. It holds at most maxCachedSubkeys keys, so
// that callers passing unbounded names cannot grow it without limit; past
// that, lookups miss and callers build the value per call.
type cowMap[V any] struct {
	mu sync.Mutex
	m  atomic.Pointer[map[string]V]
}

// get returns the value for key; the conversion does not allocate.
func (c *cowMap[V]) get(key []byte) (V, bool) {
	if m := c.m.Load(); m != nil {
		v, ok := (*m)[string(key)]
		return v, ok
	}
	var zero V
	return zero, false
}

// getString is get for a string key.
func (c *cowMap[V]) getString(key string) (V, bool) {
	if m := c.m.Load(); m != nil {
		v, ok := (*m)[key]
		return v, ok
	}
	var zero V
	return zero, false
}

// add returns the value for key, storing build() first when key is missing
// and the map has room. When the map is full it returns build() uncached.
func (c *cowMap[V]) add(key string, build func() V) V {
	if p := c.m.Load(); p != nil && len(*p) >= maxCachedSubkeys {
		if v, ok := (*p)[key]; ok {
			return v
		}
		return build() // full: no lock, no copy
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var old map[string]V
	if p := c.m.Load(); p != nil {
		old = *p
	}
	if v, ok := old[key]; ok {
		return v
	}
	v := build()
	if len(old) >= maxCachedSubkeys {
		return v
	}
	m := make(map[string]V, len(old)+1)
	for k, w := range old {
		m[k] = w
	}
	m[key] = v
	c.m.Store(&m)
	return v
}

// subkeyCache caches, for one purpose, the subkey of the keyring's current
// primary key (or blind-index key), valid while the keyring's generation is
// unchanged: one atomic load and one comparison on the hot path. It holds
// the keyring's subkeyRef, never the key itself, so that destroying the key
// empties the cache too.
type subkeyCache struct {
	purpose []byte // HKDF info
	cached  atomic.Pointer[cachedSubkey]
}

type cachedSubkey struct {
	gen uint64
	id  uint32
	ref *subkeyRef // emptied if the key is destroyed
}

// errNoKeyring reports an [Encryptor] that [NewEncryptor] did not make.
var errNoKeyring = fmt.Errorf("%w: no keyring (use NewEncryptor)", ErrKeyring)

// current returns the id and subkey, made by derive, of the primary key,
// or with index set of the blind-index key, resolving them through the
// keyring only when it changed since the last call.
func (c *subkeyCache) current(kr *Keyring, index bool, derive func([]byte) (*derivedKey, error)) (uint32, *derivedKey, error) {
	if kr == nil { // a zero Encryptor
		return 0, nil, errNoKeyring
	}
	gen := kr.gen.Load() // before resolving: a change during it invalidates
	if x := c.cached.Load(); x != nil && x.gen == gen {
		if d := x.ref.key.Load(); d != nil {
			return x.id, d, nil
		}
	}
	id, d, ref, err := kr.subkey(0, !index, index, c.purpose, derive)
	if err != nil {
		return 0, nil, err
	}
	if ref.pinned {
		c.cached.Store(&cachedSubkey{gen: gen, id: id, ref: ref})
	}
	return id, d, nil
}
