package pii

import (
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
