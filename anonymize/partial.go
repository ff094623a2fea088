package anonymize

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
)

// Merge adds the rows of b into a, with exactly the result one aggregator
// fed every row would give: distinct subjects are unioned by fingerprint
// (kept up to K, which is all a release needs), sums are exact fixed point.
// a and b must have the same spec and fingerprint key (Fork, or Spec.Key);
// otherwise Merge returns an error wrapping ErrIncompatible and changes
// nothing. A row error recorded by b is returned and recorded in a.
func (a *Aggregator[T]) Merge(b *Aggregator[T]) error {
	if b == nil {
		return fmt.Errorf("%w: nil aggregator", ErrIncompatible)
	}
	if a == b {
		return fmt.Errorf("%w: merging an aggregator into itself", ErrIncompatible)
	}
	if err := a.compatible(b.k, b.spec.Margins, dimNames(b.spec), b.shapes, b.keys.id[:]); err != nil {
		return err
	}
	if !a.hier.equal(b.hier) { // subtotals audited against the wrong equations
		return fmt.Errorf("%w: different hierarchies", ErrIncompatible)
	}
	if a.err != nil {
		return a.err
	}
	if b.err != nil {
		a.err = b.err
		return b.err
	}
	remap := make([][]uint32, len(b.values))
	for i, vals := range b.values {
		remap[i] = make([]uint32, len(vals)+1)
		for j, v := range vals {
			if remap[i][j+1] = a.intern(i, v); remap[i][j+1] == 0 {
				a.err = fmt.Errorf("%w: dimension %q has more than %d distinct values", ErrRow, a.spec.Dimensions[i].Name, a.maxID)
				return a.err
			}
		}
	}
	nm := len(a.shapes)
	cellMap := make([]int32, len(b.cells))
	for c, key := range b.cells {
		for i := range remap {
			key = a.with(key, i, remap[i][b.id(key, i)])
		}
		ac := a.cell(key)
		cellMap[c] = ac
		if !addInt(&a.rows[ac], b.rows[c]) {
			a.err = fmt.Errorf("%w: row count overflows", ErrRow)
			return a.err
		}
		for _, fp := range b.fps[c*b.k : c*b.k+int(b.nsub[c])] {
			a.addFingerprint(ac, fp)
		}
		for j := range nm {
			if !addInt(&a.sums[int(ac)*nm+j], b.sums[c*nm+j]) {
				a.err = fmt.Errorf("%w: sum of measure %q overflows", ErrRow, a.shapes[j].name)
				return a.err
			}
		}
	}
	for ck, i := range b.contrib {
		off := a.contribution(cellMap[ck.cell], ck.fp)
		for j := range nm {
			addInt(&a.contribs[off+j], b.contribs[int(i)*nm+j]) // bounded by the cell sums
		}
	}
	if !addInt(&a.nrows, b.nrows) {
		a.err = fmt.Errorf("%w: row count overflows", ErrRow)
		return a.err
	}
	return nil
}

func dimNames[T any](s Spec[T]) []string {
	names := make([]string, len(s.Dimensions))
	for i, d := range s.Dimensions {
		names[i] = d.Name
	}
	return names
}

func (a *Aggregator[T]) compatible(k int, margins bool, dims []string, shapes []measureShape, keyID []byte) error {
	if subtle.ConstantTimeCompare(a.keys.id[:], keyID) != 1 {
		return fmt.Errorf("%w: different fingerprint keys", ErrIncompatible)
	}
	if k != a.k || margins != a.spec.Margins || !slices.Equal(dims, dimNames(a.spec)) ||
		!slices.EqualFunc(shapes, a.shapes, sameShape) {
		return fmt.Errorf("%w: different specs", ErrIncompatible)
	}
	return nil
}

func sameShape(x, y measureShape) bool {
	return x.name == y.name && x.decimals == y.decimals && x.p == y.p &&
		slices.Equal(x.nk, y.nk) && (x.bounds == nil) == (y.bounds == nil) &&
		(x.bounds == nil || *x.bounds == *y.bounds)
}

// The partial state is:
//
//	magic "anzpart1" | key id (8) | shape digest (32) | uvarint rows added
//	per dimension: uvarint n, n × (uvarint len, value)
//	uvarint cells, per cell: one uvarint id per dimension (0 = Total),
//	    uvarint rows, byte n, n × fingerprint (8, little endian),
//	    one varint sum per measure
//	uvarint contributions, per contribution: uvarint cell,
//	    fingerprint (8), one varint value per measure
//	HMAC-SHA256 of all the above under a key derived from the fingerprint key
//
// It holds fingerprints, not subjects, and no key. The MAC stops a state
// from being altered on its way between workers; the shape digest stops
// states of different specs from being mixed.
const partialMagic = "anzpart2"

// shapeDigest commits to everything of the spec that the state depends on.
func (a *Aggregator[T]) shapeDigest() [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "k=%d margins=%v dims=%q\n", a.k, a.spec.Margins, dimNames(a.spec))
	for _, s := range a.shapes {
		fmt.Fprintf(h, "measure %q decimals=%d nk=%v p=%v", s.name, s.decimals, s.nk, s.p)
		if s.bounds != nil {
			fmt.Fprintf(h, " bounds=%v,%v", math.Float64bits(s.bounds.Min), math.Float64bits(s.bounds.Max))
		}
		fmt.Fprintln(h)
	}
	for d, parents := range a.hier { // sorted, so that equal hierarchies digest equally
		for _, v := range slices.Sorted(maps.Keys(parents)) {
			fmt.Fprintf(h, "hierarchy %d %q %q\n", d, v, parents[v])
		}
	}
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// MarshalBinary encodes the partial state of a, to be sent to the process
// that merges (implements encoding.BinaryMarshaler). It returns the error
// recorded by Add, if any.
func (a *Aggregator[T]) MarshalBinary() ([]byte, error) {
	if a.err != nil {
		return nil, a.err
	}
	b := []byte(partialMagic)
	b = append(b, a.keys.id[:]...)
	d := a.shapeDigest()
	b = append(b, d[:]...)
	b = binary.AppendUvarint(b, uint64(a.nrows))
	for _, vals := range a.values {
		b = binary.AppendUvarint(b, uint64(len(vals)))
		for _, v := range vals {
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		}
	}
	nm := len(a.shapes)
	b = binary.AppendUvarint(b, uint64(len(a.cells)))
	for c, key := range a.cells {
		for i := range a.values {
			b = binary.AppendUvarint(b, uint64(a.id(key, i)))
		}
		b = binary.AppendUvarint(b, uint64(a.rows[c]))
		b = append(b, a.nsub[c])
		for _, fp := range a.fps[c*a.k : c*a.k+int(a.nsub[c])] {
			b = binary.LittleEndian.AppendUint64(b, fp)
		}
		for _, s := range a.sums[c*nm : (c+1)*nm] {
			b = binary.AppendVarint(b, s)
		}
	}
	cks := make([]contribKey, 0, len(a.contrib))
	for ck := range a.contrib {
		cks = append(cks, ck)
	}
	slices.SortFunc(cks, func(x, y contribKey) int {
		return cmp.Or(cmp.Compare(x.cell, y.cell), cmp.Compare(x.fp, y.fp))
	})
	b = binary.AppendUvarint(b, uint64(len(cks)))
	for _, ck := range cks {
		b = binary.AppendUvarint(b, uint64(ck.cell))
		b = binary.LittleEndian.AppendUint64(b, ck.fp)
		i := int(a.contrib[ck])
		for _, v := range a.contribs[i*nm : (i+1)*nm] {
			b = binary.AppendVarint(b, v) // a measure without rules may be negative
		}
	}
	m := hmac.New(sha256.New, a.keys.mac)
	m.Write(b)
	return m.Sum(b), nil
}

// UnmarshalBinary replaces the state of a with a partial state encoded by
// MarshalBinary (implements encoding.BinaryUnmarshaler). a must have the
// same spec and fingerprint key as the encoder; the state is authenticated
// before it is parsed. Merge the result into the aggregator that collects.
func (a *Aggregator[T]) UnmarshalBinary(data []byte) error {
	if len(data) < len(partialMagic)+8+32+sha256.Size {
		return fmt.Errorf("%w: too short", ErrPartial)
	}
	body, tag := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if string(body[:len(partialMagic)]) != partialMagic {
		return fmt.Errorf("%w: not a partial state", ErrPartial)
	}
	if err := a.compatibleHeader(body); err != nil {
		return err
	}
	m := hmac.New(sha256.New, a.keys.mac)
	m.Write(body)
	if !hmac.Equal(m.Sum(nil), tag) {
		return fmt.Errorf("%w: authentication failed", ErrPartial)
	}
	p := a.Fork()
	if err := p.decode(body); err != nil {
		return err
	}
	*a = *p
	return nil
}

func (a *Aggregator[T]) compatibleHeader(body []byte) error {
	id := body[len(partialMagic) : len(partialMagic)+8]
	if subtle.ConstantTimeCompare(id, a.keys.id[:]) != 1 {
		return fmt.Errorf("%w: different fingerprint keys", ErrIncompatible)
	}
	d := a.shapeDigest()
	if string(body[len(partialMagic)+8:len(partialMagic)+40]) != string(d[:]) {
		return fmt.Errorf("%w: different specs", ErrIncompatible)
	}
	return nil
}

// reader consumes a partial state; the first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrPartial, what)
	}
}

func (r *reader) uvarint(what string) uint64 { return readVarint(r, binary.Uvarint, what) }

func (r *reader) varint(what string) int64 { return readVarint(r, binary.Varint, what) }

// readVarint consumes one varint decoded by decode (binary.Uvarint or
// binary.Varint).
func readVarint[V uint64 | int64](r *reader, decode func([]byte) (V, int), what string) V {
	if r.err != nil {
		return 0
	}
	v, n := decode(r.b)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n uint64, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.fail(what)
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// count reads a count of items each taking at least minSize bytes, refusing
// counts the remaining input cannot hold (no allocation from a forged count).
func (r *reader) count(minSize int, what string) int {
	n := r.uvarint(what)
	if r.err == nil && n > uint64(len(r.b)/minSize) {
		r.fail(what)
		return 0
	}
	return int(n)
}

// decode parses body (header included) into the empty aggregator a,
// checking every invariant that Add maintains: the dictionaries, then the
// cells, then the contributions of a dominance rule, then the totals.
func (a *Aggregator[T]) decode(body []byte) error {
	r := &reader{b: body[len(partialMagic)+40:]}
	nrows := r.uvarint("row count")
	if nrows > math.MaxInt64 {
		r.fail("row count")
	}
	a.nrows = int64(nrows)
	if err := a.decodeValues(r); err != nil {
		return err
	}
	sumRows, err := a.decodeCells(r, nrows)
	if err != nil {
		return err
	}
	if err := a.decodeContributions(r); err != nil {
		return err
	}
	if r.err != nil {
		return r.err
	}
	if len(r.b) != 0 {
		return fmt.Errorf("%w: trailing data", ErrPartial)
	}
	if sumRows != nrows {
		return fmt.Errorf("%w: cells do not add up to the row count", ErrPartial)
	}
	return nil
}

// decodeValues reads the interned values of every dimension.
func (a *Aggregator[T]) decodeValues(r *reader) error {
	for i := range a.values {
		n := r.count(1, "dimension size")
		if n > int(a.maxID) {
			r.fail("dimension size")
		}
		for range n {
			v := string(r.bytes(r.uvarint("value length"), "value"))
			if r.err != nil {
				return r.err
			}
			if v == Total {
				r.fail("reserved value")
			}
			if _, dup := a.ids[i][v]; dup {
				r.fail("duplicate value")
			}
			a.intern(i, v)
		}
	}
	return nil
}

// decodeCells reads the cells and returns the rows they account for (the
// grand total's, or every cell's without margins).
func (a *Aggregator[T]) decodeCells(r *reader, nrows uint64) (uint64, error) {
	ncells := r.count(len(a.values)+2, "cell count")
	var sumRows uint64
	for range ncells {
		key, rows, err := a.decodeCell(r, nrows)
		if err != nil {
			return 0, err
		}
		if !a.spec.Margins || key == 0 {
			sumRows += rows
		}
	}
	return sumRows, nil
}

// decodeCell reads one cell: key, rows, fingerprints and sums.
func (a *Aggregator[T]) decodeCell(r *reader, nrows uint64) (cellKey, uint64, error) {
	var key cellKey
	for i := range a.values {
		id := r.uvarint("cell key")
		if id > uint64(len(a.values[i])) || (id == 0 && !a.spec.Margins) {
			r.fail("cell key")
		}
		key = a.with(key, i, uint32(id))
	}
	rows := r.uvarint("cell rows")
	nsub := r.bytes(1, "subject count")
	if r.err != nil {
		return 0, 0, r.err
	}
	if _, dup := a.index[key]; dup {
		return 0, 0, fmt.Errorf("%w: duplicate cell", ErrPartial)
	}
	if nsub[0] == 0 || int(nsub[0]) > a.k || rows < uint64(nsub[0]) || rows > nrows {
		return 0, 0, fmt.Errorf("%w: cell counts", ErrPartial)
	}
	c := a.cell(key)
	a.rows[c] = int64(rows)
	for range nsub[0] {
		fp := r.bytes(8, "fingerprint")
		if r.err != nil {
			return 0, 0, r.err
		}
		before := a.nsub[c]
		a.addFingerprint(c, binary.LittleEndian.Uint64(fp))
		if a.nsub[c] == before {
			return 0, 0, fmt.Errorf("%w: duplicate fingerprint", ErrPartial)
		}
	}
	nm := len(a.shapes)
	for j := range nm {
		a.sums[int(c)*nm+j] = r.varint("sum")
	}
	return key, rows, nil
}

// decodeContributions reads the per-subject contributions of a dominance
// rule and checks them against the cells' fingerprints and sums.
func (a *Aggregator[T]) decodeContributions(r *reader) error {
	nm := len(a.shapes)
	ncontrib := r.count(9+nm, "contribution count")
	if ncontrib > 0 && !a.dominance {
		r.fail("contributions without a dominance rule")
	}
	// Per cell: how many contributions and their totals, which must match
	// the cell's fingerprints and sums.
	ncon := make([]int, len(a.cells))
	totals := make([]int64, len(a.sums))
	for range ncontrib {
		cell := r.uvarint("contribution cell")
		fp := r.bytes(8, "contribution fingerprint")
		if r.err != nil {
			return r.err
		}
		if cell >= uint64(len(a.cells)) {
			return fmt.Errorf("%w: contribution cell", ErrPartial)
		}
		ck := contribKey{int32(cell), binary.LittleEndian.Uint64(fp)}
		if _, dup := a.contrib[ck]; dup {
			return fmt.Errorf("%w: duplicate contribution", ErrPartial)
		}
		ncon[cell]++
		off := a.contribution(ck.cell, ck.fp)
		for j := range nm {
			v := r.varint("contribution")
			if v < 0 && a.shapes[j].top() > 0 {
				r.fail("negative contribution under a dominance rule")
			}
			if !addInt(&totals[int(cell)*nm+j], v) {
				r.fail("contribution overflows")
			}
			a.contribs[off+j] = v
		}
	}
	if r.err != nil || !a.dominance {
		return nil
	}
	for c := range a.cells {
		n := int(a.nsub[c])
		if ncon[c] < n || (n < a.k && ncon[c] != n) {
			return fmt.Errorf("%w: contributions do not match the subjects", ErrPartial)
		}
	}
	if !slices.Equal(totals, a.sums) {
		return fmt.Errorf("%w: contributions do not add up to the sums", ErrPartial)
	}
	return nil
}
