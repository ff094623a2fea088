package anonymize

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"slices"
)

// Aggregator accumulates the rows of one table. It is not safe for
// concurrent use: give each goroutine its own (Fork) and Merge them.
type Aggregator[T any] struct {
	spec   Spec[T]
	k      int
	shapes []measureShape
	keys   *keySet

	mac hash.Hash // HMAC-SHA256 under keys.fingerprint; Reset restores its keyed state
	buf []byte
	sum []byte

	// The subject of the row being added and, once computed, its
	// fingerprint. Add computes the fingerprint lazily, at most once per
	// row, and only when a cell needs it (see update).
	subject string
	fp      uint64
	fpDone  bool
	vals    []int64
	nrows   int64
	err     error

	ids    []map[string]uint32 // per dimension: value → id (ids start at 1; 0 is Total)
	values [][]string          // per dimension: id-1 → value

	bits  int       // bits per dimension in a cellKey
	mask  uint64    // (1<<bits)-1
	maxID uint32    // largest id of a dimension value
	keep  []cellKey // per margin mask: the bits of the dimensions kept
	// With a hierarchy: per dimension, the choices of level of a margin
	// (2 for a flat dimension: the value or Total; depth+1 for a
	// hierarchical one), their product, and the dimensions' parents.
	choices []int
	combos  int
	hier    hier
	index   map[cellKey]int32
	up      []int32 // with margins, per interior cell: its 2^dimensions cells (marginCells); -1 unknown
	cells   []cellKey
	rows    []int64
	nsub    []uint8  // distinct fingerprints kept, at most k
	fps     []uint64 // k per cell
	sums    []int64  // len(shapes) per cell, fixed point

	// With a dominance rule: every subject's contribution to every cell.
	dominance bool
	contrib   map[contribKey]int32 // → offset/len(shapes) in contribs
	contribs  []int64
}

// cellKey packs one id per dimension, a.bits bits each, dimension i at bit
// a.bits*i; id 0 stands for Total. A uint64 key keeps the hot map lookup on
// the runtime's fast path.
type cellKey uint64

// id returns the id of dimension i in key.
func (a *Aggregator[T]) id(key cellKey, i int) uint32 {
	return uint32((uint64(key) >> (a.bits * i)) & a.mask)
}

// with returns key with the id of dimension i set to id.
func (a *Aggregator[T]) with(key cellKey, i int, id uint32) cellKey {
	shift := a.bits * i
	return key&^(cellKey(a.mask)<<shift) | cellKey(id)<<shift
}

type contribKey struct {
	cell int32
	fp   uint64
}

// keySet holds the keys derived from Spec.Key (or a random key).
type keySet struct {
	fingerprint []byte // HMAC key of subject fingerprints
	mac         []byte // HMAC key of partial states
	id          [8]byte
}

func deriveKeys(master []byte) (*keySet, error) {
	fk, err := hkdf.Key(sha256.New, master, nil, "1cb compliance anonymize fingerprint v1", 32)
	if err != nil {
		return nil, err
	}
	mk, err := hkdf.Key(sha256.New, master, nil, "1cb compliance anonymize partial state mac v1", 32)
	if err != nil {
		return nil, err
	}
	idk, err := hkdf.Key(sha256.New, master, nil, "1cb compliance anonymize key id v1", 8)
	if err != nil {
		return nil, err
	}
	ks := &keySet{fingerprint: fk, mac: mk}
	copy(ks.id[:], idk)
	return ks, nil
}

// NewAggregator validates spec and returns an empty aggregator.
func NewAggregator[T any](spec Spec[T]) (*Aggregator[T], error) {
	if spec.Subject == nil {
		return nil, specError("nil subject function")
	}
	names := make([]string, len(spec.Dimensions))
	for i, d := range spec.Dimensions {
		if d.Key == nil {
			return nil, specError("dimension %d has a nil key function", i)
		}
		if d.Hierarchy != nil && !spec.Margins {
			return nil, specError("dimension %q: a hierarchy needs Margins", d.Name)
		}
		names[i] = d.Name
	}
	shapes := make([]measureShape, len(spec.Measures))
	for i := range spec.Measures {
		if spec.Measures[i].Value == nil {
			return nil, specError("measure %d has a nil value function", i)
		}
		shapes[i] = spec.Measures[i].shape()
	}
	k, err := checkShape(spec.K, names, shapes)
	if err != nil {
		return nil, err
	}
	master := spec.Key
	if master == nil {
		master = make([]byte, KeySize)
		rand.Read(master)
	} else if len(master) != KeySize {
		return nil, specError("key must be %d bytes", KeySize)
	}
	keys, err := deriveKeys(master)
	if err != nil {
		return nil, err
	}
	spec.Key = nil // the master key is not kept
	return newAggregator(spec, k, shapes, keys)
}

// maxCellsPerRow bounds the cells one row adds to: 2^dimensions with
// margins, times more with hierarchies (one per combination of levels).
const maxCellsPerRow = 4096

func newAggregator[T any](spec Spec[T], k int, shapes []measureShape, keys *keySet) (*Aggregator[T], error) {
	a := &Aggregator[T]{
		spec:   spec,
		k:      k,
		shapes: shapes,
		keys:   keys,
		mac:    hmac.New(sha256.New, keys.fingerprint),
		vals:   make([]int64, len(shapes)),
		ids:    make([]map[string]uint32, len(spec.Dimensions)),
		values: make([][]string, len(spec.Dimensions)),
		index:  map[cellKey]int32{},
	}
	for i := range a.ids {
		a.ids[i] = map[string]uint32{}
	}
	nd := len(spec.Dimensions)
	a.bits = 64 / nd
	a.mask = uint64(1)<<a.bits - 1 // all ones for one dimension (shift by 64 is 0)
	a.maxID = uint32(min(a.mask, 1<<31-1))
	for mask := range 1 << nd {
		keep := ^cellKey(0)
		for i := range nd {
			if mask&(1<<i) != 0 {
				keep = a.with(keep, i, 0)
			}
		}
		a.keep = append(a.keep, keep)
	}
	for i := range shapes {
		if shapes[i].top() > 0 {
			a.dominance = true
		}
	}
	a.combos = len(a.keep)
	for i, d := range spec.Dimensions {
		if d.Hierarchy == nil {
			continue
		}
		if a.hier == nil {
			a.hier = make(hier, nd)
			a.choices = slices.Repeat([]int{2}, nd)
		}
		a.hier[i] = d.Hierarchy.parents()
		a.choices[i] = d.Hierarchy.depth() + 1
	}
	if a.hier != nil {
		a.combos = 1
		for _, c := range a.choices {
			a.combos *= c
		}
	}
	if a.combos > maxCellsPerRow {
		return nil, specError("a row would add to %d cells (levels of every dimension), at most %d", a.combos, maxCellsPerRow)
	}
	if a.dominance {
		a.contrib = map[contribKey]int32{}
	}
	return a, nil
}

// Fork returns an empty aggregator with the same spec and fingerprint key,
// to be filled by another goroutine and merged back.
func (a *Aggregator[T]) Fork() *Aggregator[T] {
	f, _ := newAggregator(a.spec, a.k, a.shapes, a.keys) // a's spec passed already
	return f
}

// Err returns the first error recorded by Add, if any.
func (a *Aggregator[T]) Err() error { return a.err }

// Add accumulates one row. A row that cannot be counted (empty subject,
// NaN or infinite value, a value with more decimals than its measure's
// Decimals, dimension value equal to Total, negative value under a
// dominance rule, overflow) is recorded as an error wrapping ErrRow:
// Add then ignores every later row, and Release returns that error.
func (a *Aggregator[T]) Add(row T) {
	if a.err != nil {
		return
	}
	subject := a.spec.Subject(row)
	if subject == "" {
		a.fail("empty subject")
		return
	}
	var key cellKey
	for i := range a.spec.Dimensions {
		v := a.spec.Dimensions[i].Key(row)
		if v == Total {
			a.fail("dimension %q has the reserved value %q", a.spec.Dimensions[i].Name, Total)
			return
		}
		if h := a.spec.Dimensions[i].Hierarchy; h != nil && !h.leaf(v) {
			a.err = fmt.Errorf("%w: row %d: dimension %q: %w: the value is not a leaf of the hierarchy", ErrRow, a.nrows+1, a.spec.Dimensions[i].Name, ErrGeneralizer)
			return
		}
		id := a.intern(i, v)
		if id == 0 {
			a.fail("dimension %q has more than %d distinct values", a.spec.Dimensions[i].Name, a.maxID)
			return
		}
		key = a.with(key, i, id)
	}
	for j := range a.spec.Measures {
		m := &a.spec.Measures[j]
		v := m.Value(row)
		if !finite(v) {
			a.fail("measure %q is not a finite number", m.Name)
			return
		}
		if b := m.Bounds; b != nil {
			v = min(max(v, b.Min), b.Max)
		}
		if a.shapes[j].top() > 0 && v < 0 {
			a.fail("measure %q is negative under a dominance rule", m.Name)
			return
		}
		if !fitsFixed(v, m.Decimals) {
			a.fail("measure %q is too large", m.Name)
			return
		}
		fx, ok := exactFixed(v, m.Decimals)
		if !ok {
			a.fail("measure %q has more than %d decimals (set Measure.Decimals)", m.Name, m.Decimals)
			return
		}
		a.vals[j] = fx
	}
	a.subject, a.fpDone = subject, false
	defer func() { a.subject = "" }() // do not retain the subject
	a.nrows++
	c := a.cell(key)
	if !a.spec.Margins {
		a.update(c)
		return
	}
	for _, mc := range a.marginCells(c, key) {
		if mc < 0 {
			continue // a level the row's leaf does not have (hierarchies)
		}
		a.update(mc)
		if a.err != nil {
			return
		}
	}
}

// marginCells returns the cells that interior cell c (key) adds to: itself
// and its 2^dimensions-1 margins, looked up once per interior cell and then
// kept in a.up, so that a row costs one map lookup with or without margins.
func (a *Aggregator[T]) marginCells(c int32, key cellKey) []int32 {
	n := a.combos
	for len(a.up) < (int(c)+1)*n {
		a.up = append(a.up, -1)
	}
	ups := a.up[int(c)*n : (int(c)+1)*n]
	if ups[0] >= 0 {
		return ups
	}
	if a.hier == nil {
		for i, keep := range a.keep {
			ups[i] = a.cell(key & keep) // does not touch a.up
		}
		return ups
	}
	a.linkedCells(ups, key)
	return ups
}

// linkedCells fills ups with the cells that an interior cell (key) adds to
// when some dimensions are hierarchical: every combination of, per
// dimension, its leaf, an ancestor or Total; -1 where a leaf has fewer
// levels than the deepest one. It may fail (a.err) when a dimension runs
// out of ids.
func (a *Aggregator[T]) linkedCells(ups []int32, key cellKey) {
	nd := len(a.choices)
	chains := make([][]uint32, nd) // per dimension: leaf, ancestors..., Total
	for d := range nd {
		id := a.id(key, d)
		chains[d] = []uint32{id}
		if a.hier[d] != nil {
			for _, v := range a.hier.path(d, a.values[d][id-1])[1:] {
				aid := a.intern(d, v)
				if aid == 0 {
					a.fail("dimension %q has more than %d distinct values", a.spec.Dimensions[d].Name, a.maxID)
					aid = id // the row fails anyway; keep the cells well formed
				}
				chains[d] = append(chains[d], aid)
			}
		}
		chains[d] = append(chains[d], 0)
	}
	for i := range ups {
		k, x := key, i
		ups[i] = -1
		ok := true
		for d := range nd {
			j := x % a.choices[d]
			x /= a.choices[d]
			if j >= len(chains[d]) {
				ok = false
				break
			}
			k = a.with(k, d, chains[d][j])
		}
		if ok {
			ups[i] = a.cell(k)
		}
	}
}

// rowFingerprint returns the fingerprint of the current row's subject,
// computing it on first use.
func (a *Aggregator[T]) rowFingerprint() uint64 {
	if !a.fpDone {
		a.fp, a.fpDone = a.fingerprint(a.subject), true
	}
	return a.fp
}

func (a *Aggregator[T]) fail(format string, args ...any) {
	a.err = fmt.Errorf("%w: row %d: %s", ErrRow, a.nrows+1, fmt.Sprintf(format, args...))
}

// intern returns the id of value v of dimension dim, or 0 when the
// dimension has no id left.
func (a *Aggregator[T]) intern(dim int, v string) uint32 {
	if id, ok := a.ids[dim][v]; ok {
		return id
	}
	if len(a.values[dim]) >= int(a.maxID) {
		return 0
	}
	a.values[dim] = append(a.values[dim], v)
	id := uint32(len(a.values[dim]))
	a.ids[dim][v] = id
	return id
}

// fingerprint is the first 8 bytes of HMAC-SHA256(key, subject). A collision
// merges two subjects, which can only lower a count (more suppression).
func (a *Aggregator[T]) fingerprint(subject string) uint64 {
	a.buf = append(a.buf[:0], subject...)
	a.mac.Reset()
	a.mac.Write(a.buf)
	a.sum = a.mac.Sum(a.sum[:0])
	return binary.LittleEndian.Uint64(a.sum)
}

// cell returns the index of the cell with the given key, creating it.
func (a *Aggregator[T]) cell(key cellKey) int32 {
	if c, ok := a.index[key]; ok {
		return c
	}
	c := int32(len(a.cells))
	a.index[key] = c
	a.cells = append(a.cells, key)
	a.rows = append(a.rows, 0)
	a.nsub = append(a.nsub, 0)
	for range a.k {
		a.fps = append(a.fps, 0)
	}
	for range a.shapes {
		a.sums = append(a.sums, 0)
	}
	return c
}

// update adds the current row (subject a.subject, values a.vals) to cell
// c. A cell that already holds K fingerprints ignores further ones, so
// without a dominance rule the fingerprint is needed only while some cell
// of the row has fewer than K: on a large table almost every row finds its
// cells saturated and costs no HMAC at all. The result is the same as
// fingerprinting every row.
func (a *Aggregator[T]) update(c int32) {
	a.rows[c]++
	if int(a.nsub[c]) < a.k {
		a.addFingerprint(c, a.rowFingerprint())
	}
	nm := len(a.shapes)
	for j, v := range a.vals {
		if !addInt(&a.sums[int(c)*nm+j], v) {
			a.fail("sum of measure %q overflows", a.shapes[j].name)
			return
		}
	}
	if a.dominance {
		off := a.contribution(c, a.rowFingerprint())
		for j, v := range a.vals {
			addInt(&a.contribs[off+j], v) // bounded by the cell sum, which did not overflow
		}
	}
}

func (a *Aggregator[T]) addFingerprint(c int32, fp uint64) {
	n := int(a.nsub[c])
	if n == a.k {
		return
	}
	kept := a.fps[int(c)*a.k : int(c)*a.k+n]
	for _, f := range kept {
		if f == fp {
			return
		}
	}
	a.fps[int(c)*a.k+n] = fp
	a.nsub[c]++
}

// contribution returns the offset of the contributions of subject fp to
// cell c, creating them.
func (a *Aggregator[T]) contribution(c int32, fp uint64) int {
	nm := len(a.shapes)
	ck := contribKey{c, fp}
	if i, ok := a.contrib[ck]; ok {
		return int(i) * nm
	}
	i := int32(len(a.contribs) / nm)
	a.contrib[ck] = i
	for range nm {
		a.contribs = append(a.contribs, 0)
	}
	return int(i) * nm
}

// addInt adds v to *s and reports false, leaving *s unchanged, on overflow.
func addInt(s *int64, v int64) bool {
	r := *s + v
	if (v > 0 && r < *s) || (v < 0 && r > *s) {
		return false
	}
	*s = r
	return true
}
