package password

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync/atomic"
)

// The offline Have I Been Pwned file ("pwned-passwords-sha1-ordered-by-hash",
// written by github.com/HaveIBeenPwned/PwnedPasswordsDownloader) has one line
// per breached password,
//
//	<40 upper-case hex digits of SHA-1>:<times seen>\r\n
//
// sorted by hash. It is tens of gigabytes, so PwnedFile never reads it whole:
// a lookup is a binary search over byte offsets with ReadAt, about
// 2·log2(size/1 KiB) reads of at most 128 bytes (about 50 for a 40 GB file)
// and then one read of about 1 KiB over the remaining lines.

// pwnedFileError locates a format problem in a pwned-passwords file: an
// empty or truncated file, a line that does not parse, lines out of hash
// order. It never quotes file content.
type pwnedFileError struct {
	offset int64  // byte offset of the offending line, -1 if not applicable
	reason string // fixed phrase
}

func (e *pwnedFileError) Error() string {
	msg := ErrBreachCheck.Error() + ": corrupt pwned-passwords file"
	if e.offset >= 0 {
		msg += " at offset " + strconv.FormatInt(e.offset, 10)
	}
	return msg + ": " + e.reason
}

// Is makes errors.Is(err, ErrBreachCheck) true.
func (e *pwnedFileError) Is(target error) bool { return target == ErrBreachCheck }

// errNotOpen is the error of a nil *PwnedFile, such as the one a failed
// OpenPwnedFile leaves: a missing corpus fails every check instead of
// passing every password.
var errNotOpen = fmt.Errorf("%w: pwned-passwords file not open", ErrBreachCheck)

const (
	pwnedHashLen = 2 * sha1.Size
	// pwnedMaxLine bounds a line: 40 hex digits, ':', a count of at most 20
	// digits, "\r\n" is 63 bytes.
	pwnedMaxLine = 128
	// pwnedScan is the window below which the search reads lines in order.
	pwnedScan = 1024
	// pwnedSamples is how many evenly spaced lines opening a file checks for
	// hash order. The first and last lines alone do not tell the file
	// ordered by hash from the one ordered by prevalence, on which every
	// lookup would silently miss; 64 samples catch any ordering but a
	// nearly sorted one, for about 130 reads of 128 bytes.
	pwnedSamples = 64
)

// pwnedMaxHash is the largest possible hash, the upper bracket of a search.
var pwnedMaxHash = [sha1.Size]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// PwnedFileOptions configure OpenPwnedFile. The zero value counts a
// password seen once as breached.
type PwnedFileOptions struct {
	// MinCount is how many times a password must have been seen in breaches
	// to count as breached; zero and one both mean "seen at all". A higher
	// value trades recall for fewer rejections of passwords seen once.
	MinCount int64
}

// PwnedFile is a BreachChecker over an offline Have I Been Pwned SHA-1 file.
// It is safe for concurrent use: lookups only ReadAt.
type PwnedFile struct {
	r        io.ReaderAt
	size     int64
	minCount int64
	closer   io.Closer
	closed   atomic.Bool
}

var _ BreachChecker = (*PwnedFile)(nil)

// OpenPwnedFile opens the offline Have I Been Pwned SHA-1 file (ordered by
// hash) at path. It checks the first and last lines and 64 lines evenly
// spaced between them, which must be in hash order, so an empty, truncated
// or foreign file, or the HIBP file ordered by prevalence, fails here rather
// than at the first lookup or, worse, by finding nothing. Every error
// matches ErrBreachCheck (and, for a missing file, fs.ErrNotExist).
func OpenPwnedFile(path string, opts PwnedFileOptions) (*PwnedFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: opening pwned-passwords file: %w", ErrBreachCheck, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: opening pwned-passwords file: %w", ErrBreachCheck, err)
	}
	pf, err := newPwnedReader(f, st.Size(), opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	pf.closer = f
	return pf, nil
}

// newPwnedReader is a PwnedFile over r, which holds size bytes in the
// format of the offline file. Close does not close r.
func newPwnedReader(r io.ReaderAt, size int64, opts PwnedFileOptions) (*PwnedFile, error) {
	if size <= 0 {
		return nil, &pwnedFileError{offset: -1, reason: "empty file"}
	}
	pf := &PwnedFile{r: r, size: size, minCount: max(opts.MinCount, 1)}
	if err := pf.checkOrder(); err != nil {
		return nil, err
	}
	return pf, nil
}

// checkOrder parses the first line, pwnedSamples lines evenly spaced after
// it and the last line, and requires their hashes in ascending order.
func (p *PwnedFile) checkOrder() error {
	last, err := p.lastLineStart()
	if err != nil {
		return err
	}
	prevStart, prev := int64(-1), [sha1.Size]byte{}
	for i := int64(0); i <= pwnedSamples; i++ {
		start := last
		if i < pwnedSamples {
			if start, err = p.nextLineStart(i * p.size / pwnedSamples); err != nil {
				return err
			}
		}
		if start <= prevStart || start > last {
			continue // a small file: this line was already sampled
		}
		line, _, err := p.lineAt(start)
		if err != nil {
			return err
		}
		if bytes.Compare(prev[:], line.hash[:]) > 0 {
			return errNotSorted(start)
		}
		prevStart, prev = start, line.hash
	}
	return nil
}

func errNotSorted(off int64) error { return &pwnedFileError{offset: off, reason: "not sorted by hash"} }

// Close closes the underlying file. Lookups after Close fail with an error
// matching ErrBreachCheck and os.ErrClosed.
func (p *PwnedFile) Close() error {
	if p == nil {
		return errNotOpen
	}
	if p.closed.Swap(true) {
		return os.ErrClosed
	}
	if p.closer != nil {
		return p.closer.Close()
	}
	return nil
}

// Breached reports whether password appears in the file at least MinCount
// times (see Count). Every error matches ErrBreachCheck, on a nil
// *PwnedFile too.
func (p *PwnedFile) Breached(ctx context.Context, password string) (bool, error) {
	n, err := p.Count(ctx, password) // fails first on a nil p
	if err != nil {
		return false, err
	}
	return n >= p.minCount, nil
}

// Count returns how many times password was seen in breaches, 0 if never. It
// looks up the SHA-1 of the password's NFKC form, the form Hash stores, and,
// when that differs, of the password as given, and returns the larger count:
// a leaked password typed in another Unicode form (full-width letters, a
// decomposed й) is still found. Every error matches ErrBreachCheck, on a
// nil *PwnedFile too.
func (p *PwnedFile) Count(ctx context.Context, password string) (int64, error) {
	if p == nil {
		return 0, errNotOpen
	}
	return mostSeen(password, func(sum [sha1.Size]byte) (int64, error) {
		return p.lookup(ctx, sum)
	})
}

// pwnedLine is a parsed line.
type pwnedLine struct {
	hash  [sha1.Size]byte
	count int64
}

// pwnedRange is the part of the file a search has left: every line that
// could match starts in [lo, hi), lo is a line start, and below and above
// are the hashes met just before lo and at hi. Every line in the range must
// sort between them: one that does not shows the file out of order, where
// the search would otherwise go astray and miss silently.
type pwnedRange struct {
	lo, hi       int64
	below, above [sha1.Size]byte
}

// admits reports whether a line with hash h may lie in the range.
func (r *pwnedRange) admits(h [sha1.Size]byte) bool {
	return bytes.Compare(r.below[:], h[:]) <= 0 && bytes.Compare(h[:], r.above[:]) <= 0
}

// lookup binary-searches for hash down to pwnedScan bytes, then scans.
func (p *PwnedFile) lookup(ctx context.Context, hash [sha1.Size]byte) (int64, error) {
	r := pwnedRange{hi: p.size, above: pwnedMaxHash}
	for r.hi-r.lo > pwnedScan {
		if err := p.check(ctx); err != nil {
			return 0, err
		}
		count, found, err := p.probe(&r, hash)
		if found || err != nil {
			return count, err
		}
	}
	if err := p.check(ctx); err != nil {
		return 0, err
	}
	return p.scan(&r, hash)
}

// probe reads the first line starting in the upper half of r and narrows r
// to the half that may hold hash, unless that line is hash.
func (p *PwnedFile) probe(r *pwnedRange, hash [sha1.Size]byte) (count int64, found bool, err error) {
	mid := r.lo + (r.hi-r.lo)/2
	start, err := p.nextLineStart(mid)
	if err != nil {
		return 0, false, err
	}
	if start >= r.hi {
		r.hi = mid
		return 0, false, nil
	}
	line, next, err := p.lineAt(start)
	if err != nil {
		return 0, false, err
	}
	if !r.admits(line.hash) {
		return 0, false, errNotSorted(start)
	}
	switch c := bytes.Compare(line.hash[:], hash[:]); {
	case c == 0:
		return line.count, true, nil
	case c < 0:
		r.lo, r.below = next, line.hash
	default:
		r.hi, r.above = start, line.hash
	}
	return 0, false, nil
}

// scan reads the lines that start in [r.lo, r.hi) in order, each of which
// must sort between its predecessor and r.above. It reads past the place of
// hash to the end of the window, already in memory, so that a pair of lines
// out of order there is an error rather than a silent miss.
func (p *PwnedFile) scan(r *pwnedRange, hash [sha1.Size]byte) (int64, error) {
	lo := r.lo
	buf := make([]byte, min(r.hi-lo+pwnedMaxLine, p.size-lo))
	buf, err := p.readAt(buf, lo)
	if err != nil {
		return 0, err
	}
	atEOF := lo+int64(len(buf)) == p.size
	var count int64
	for off := int64(0); lo+off < r.hi; {
		line, length, err := parsePwnedLine(buf[off:], atEOF)
		if err != nil {
			return 0, &pwnedFileError{offset: lo + off, reason: err.Error()}
		}
		if !r.admits(line.hash) {
			return 0, errNotSorted(lo + off)
		}
		if line.hash == hash {
			count = max(count, line.count)
		}
		r.below = line.hash
		off += length
	}
	return count, nil
}

func (p *PwnedFile) check(ctx context.Context) error {
	if p.closed.Load() {
		return os.ErrClosed
	}
	return ctx.Err()
}

// nextLineStart returns the offset of the first line starting at or after
// off (p.size if none).
func (p *PwnedFile) nextLineStart(off int64) (int64, error) {
	if off == 0 {
		return 0, nil
	}
	var buf [pwnedMaxLine]byte
	b, err := p.readAt(buf[:], off-1)
	if err != nil {
		return 0, err
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		if off-1+int64(len(b)) == p.size {
			return p.size, nil
		}
		return 0, &pwnedFileError{offset: off, reason: "line too long"}
	}
	return off + int64(i), nil
}

// lastLineStart returns the offset of the last line.
func (p *PwnedFile) lastLineStart() (int64, error) {
	from := max(p.size-pwnedMaxLine, 0)
	var buf [pwnedMaxLine]byte
	b, err := p.readAt(buf[:], from)
	if err != nil {
		return 0, err
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	i := bytes.LastIndexByte(b, '\n')
	if i < 0 {
		if from == 0 {
			return 0, nil
		}
		return 0, &pwnedFileError{offset: from, reason: "line too long"}
	}
	return from + int64(i) + 1, nil
}

// lineAt parses the line starting at off and returns it with the offset of
// the next line.
func (p *PwnedFile) lineAt(off int64) (pwnedLine, int64, error) {
	var buf [pwnedMaxLine]byte
	b, err := p.readAt(buf[:], off)
	if err != nil {
		return pwnedLine{}, 0, err
	}
	line, n, err := parsePwnedLine(b, off+int64(len(b)) == p.size)
	if err != nil {
		return pwnedLine{}, 0, &pwnedFileError{offset: off, reason: err.Error()}
	}
	return line, off + n, nil
}

// readAt fills as much of buf as the file holds from off.
func (p *PwnedFile) readAt(buf []byte, off int64) ([]byte, error) {
	if rem := p.size - off; rem < int64(len(buf)) {
		buf = buf[:rem]
	}
	n, err := p.r.ReadAt(buf, off)
	if n == len(buf) {
		return buf, nil
	}
	return nil, p.readError(err)
}

func (p *PwnedFile) readError(err error) error {
	if p.closed.Load() {
		return os.ErrClosed
	}
	if err == nil || errors.Is(err, io.EOF) {
		return &pwnedFileError{offset: -1, reason: "file shorter than its size"}
	}
	return fmt.Errorf("%w: reading pwned-passwords file: %w", ErrBreachCheck, err)
}

// parsePwnedLine parses "HASH:COUNT" ending in "\n" or "\r\n" at the start
// of b, and returns its length including the line ending. atEOF says b ends
// at the end of the file, where the last line may lack its newline; anywhere
// else a missing newline means the line is truncated or too long.
func parsePwnedLine(b []byte, atEOF bool) (pwnedLine, int64, error) {
	var l pwnedLine
	end := bytes.IndexByte(b, '\n')
	length := end + 1
	if end < 0 {
		if !atEOF {
			return l, 0, errors.New("line too long")
		}
		end, length = len(b), len(b)
	}
	text := bytes.TrimSuffix(b[:end], []byte("\r"))
	if len(text) < pwnedHashLen+2 || text[pwnedHashLen] != ':' {
		return l, 0, errors.New("bad line")
	}
	if _, err := hex.Decode(l.hash[:], text[:pwnedHashLen]); err != nil {
		return l, 0, errors.New("bad hash")
	}
	n, ok := parseCount(text[pwnedHashLen+1:])
	if !ok {
		return l, 0, errors.New("bad count")
	}
	l.count = n
	return l, int64(length), nil
}

// parseCount parses the count of a pwned-passwords line, in the file or in
// a range-API answer: 1 to 19 ASCII digits (no sign, no space), within int64.
func parseCount(digits []byte) (int64, bool) {
	if len(digits) == 0 || len(digits) > 19 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(digits), 10, 64)
	return n, err == nil
}
