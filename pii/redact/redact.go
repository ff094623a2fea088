package redact

import (
	"bytes"
	"context"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text returns text with every match of Scan replaced by its mask (see
// Mask): "card 4111 1111 1111 1111" → "card 4111 11** **** 1111". A match
// found in percent- or form-encoded text is masked decoded and written back
// encoded: "contact=alice%40example.kz" → "contact=a***%40example.kz". Text
// without personal data is returned as is.
func Text(text string) string {
	sc := scratches.Get().(*scratch)
	defer sc.release()
	ms := sc.scan(text)
	if len(ms) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	var buf [256]byte
	prev := 0
	for _, m := range ms {
		b.WriteString(text[prev:m.Start])
		b.Write(appendMaskSpan(buf[:0], m.Kind, text[m.Start:m.End]))
		prev = m.End
	}
	b.WriteString(text[prev:])
	return b.String()
}

func appendRedacted(dst []byte, text string, ms []Match) []byte {
	prev := 0
	for _, m := range ms {
		dst = append(dst, text[prev:m.Start]...)
		dst = appendMaskSpan(dst, m.Kind, text[m.Start:m.End])
		prev = m.End
	}
	return append(dst, text[prev:]...)
}

// appendMaskSpan appends the mask of the match s of kind k. A match found
// in the decoded form of the text (see decodeForms) is masked decoded, and
// the mask written back encoded as s was, so that a URL stays a URL.
func appendMaskSpan(dst []byte, k Kind, s string) []byte {
	free := k == KindName || k == KindAddress
	if !encodedForm(s, free) {
		return appendMaskKind(dst, k, s)
	}
	var buf [128]byte
	dec := decodeForm(buf[:0], s)
	text := string(dec)
	if free {
		text = strings.ReplaceAll(text, "+", " ") // as Scan read it
	}
	var mbuf [128]byte
	mask := appendMaskKind(mbuf[:0], k, text)
	plusSpaces := strings.Contains(s, "+") && !strings.Contains(s, "%20")
	for _, c := range mask {
		switch {
		case c == ' ' && plusSpaces:
			dst = append(dst, '+')
		case c <= ' ' || c >= 0x7f || strings.IndexByte("%+@&=?#/\"<>", c) >= 0:
			dst = append(dst, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// Buffer limits of Writer.
const (
	// MaxPending is the most a Writer holds back while waiting for
	// a safe place to cut the stream.
	MaxPending = 1 << 20
	// softPending is the size from which it looks for a cut between two
	// letters when no delimiter has come.
	softPending = 64 << 10
	// emailReach bounds how far an e-mail address extends from its '@'.
	emailReach = maxEmailLen + 2
	// ibanReach bounds the length of an IBAN in print form.
	ibanReach = kzIBANLen + kzIBANLen/4
)

// Writer redacts what is written to it, as Text does, and writes
// the result to an underlying writer. Personal data split across calls to
// Write is found: the writer holds back the bytes after the last place where
// no match can span (a control character such as a newline, or one of
// `"<>[\]`), or, in a long stretch without one, the last place between two
// letters far from any '@', '%' or "KZ" (where a name may be split); Close
// writes the rest.
// The output equals Text of the whole input whenever no more than
// MaxPending bytes come without such a place; past that, Write fails with
// ErrNoSafeCut rather than pass anything through unredacted. It takes large
// writes 64 KiB at a time, so its memory stays within a small multiple of
// MaxPending + 64 KiB whatever the size of a write.
//
// A Writer is not safe for concurrent use.
type Writer struct {
	w   io.Writer
	buf []byte // pending input
	out []byte // scratch for redacted output
	// letterCut found no cut in buf at or below this index
	searched int
	err      error   // sticky
	sc       scratch // buffers of the scans
}

// NewWriter returns a writer that redacts into w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w}
}

// writeChunk bounds the input taken at once, so that a single large Write
// does not make the writer hold several copies of it.
const writeChunk = 64 << 10

// Write buffers p, then redacts and writes out everything up to the last
// safe cut. It returns len(p) unless an earlier or current write to the
// underlying writer failed or the buffer limit was reached.
func (rw *Writer) Write(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k, err := rw.write(p[n:min(len(p), n+writeChunk)])
		n += k
		if err != nil {
			return n, err
		}
	}
	if rw.err != nil {
		return 0, rw.err
	}
	return n, nil
}

func (rw *Writer) write(p []byte) (int, error) {
	if rw.err != nil {
		return 0, rw.err
	}
	rw.buf = append(rw.buf, p...)
	cut := delimCut(rw.buf, len(rw.buf)-len(p))
	if cut == 0 && len(rw.buf) > softPending {
		cut = letterCut(rw.buf, rw.searched)
		rw.searched = max(rw.searched, len(rw.buf)-emailReach)
	}
	if cut == 0 {
		if len(rw.buf) > MaxPending {
			rw.buf = nil
			rw.err = ErrNoSafeCut
			return 0, rw.err
		}
		return len(p), nil
	}
	if err := rw.flush(cut); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close redacts and writes out what is still held back. It does not close
// the underlying writer. Later writes fail.
func (rw *Writer) Close() error {
	if rw.err != nil {
		return rw.err
	}
	err := rw.flush(len(rw.buf))
	if err == nil {
		rw.err = errClosed
	}
	return err
}

func (rw *Writer) flush(cut int) error {
	if cut == 0 {
		return nil
	}
	text := string(rw.buf[:cut])
	rw.out = appendRedacted(rw.out[:0], text, rw.sc.scan(text))
	rest := copy(rw.buf, rw.buf[cut:])
	rw.buf = rw.buf[:rest]
	rw.searched = 0
	if _, err := rw.w.Write(rw.out); err != nil {
		rw.err = err
		return err
	}
	return nil
}

// delimCut returns the index just after the last delimiter byte in
// b[from:] (a control character or one of `"<>[\]`, which no match
// holds), or 0 if there is none. Earlier bytes were searched before.
func delimCut(b []byte, from int) int {
	for i := len(b) - 1; i >= from && i >= 0; i-- {
		if class[b[i]]&clDelim != 0 {
			return i + 1
		}
	}
	return 0
}

// letterCut returns the last index p > lo in b such that b[p-1] and b[p] are
// letters (see letterPair), no '@' or '%' lies within emailReach bytes of p
// and no "KZ" starts within ibanReach bytes before p or at p; Scan gives
// the same identifiers for b as for b[:p] and b[p:] put together (a name
// or address may be split). It returns 0 if there is none.
func letterCut(b []byte, lo int) int {
	for p := len(b) - emailReach; p > max(lo, emailReach); p-- {
		if !letterPair(b, p) {
			continue
		}
		if at := bytes.LastIndexAny(b[p-emailReach:p+emailReach], "@%"); at >= 0 { // '%': "%40"
			p = p - emailReach + at - emailReach + 1 // continue left of that '@'
			continue
		}
		if !kzNear(b[max(0, p-ibanReach) : p+2]) {
			return p
		}
	}
	return 0
}

// letterPair reports whether p falls between two letters: two ASCII
// letters, or two letters of another script with p at the start of the
// second, so that a long line of Cyrillic text can be cut too.
func letterPair(b []byte, p int) bool {
	if class[b[p-1]]&clAlpha != 0 && class[b[p]]&clAlpha != 0 {
		return true
	}
	if b[p] < utf8.RuneSelf || !utf8.RuneStart(b[p]) || b[p-1] < utf8.RuneSelf {
		return false
	}
	r1, _ := utf8.DecodeLastRune(b[:p])
	r2, _ := utf8.DecodeRune(b[p:])
	return r1 != utf8.RuneError && r2 != utf8.RuneError && unicode.IsLetter(r1) && unicode.IsLetter(r2)
}

func kzNear(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if upper(b[i]) == 'K' && upper(b[i+1]) == 'Z' {
			return true
		}
	}
	return false
}

// Copy copies src to dst through a Writer until src is
// exhausted or ctx is done, and returns the number of bytes read from src.
func Copy(ctx context.Context, dst io.Writer, src io.Reader) (int64, error) {
	rw := NewWriter(dst)
	buf := make([]byte, 32<<10)
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := src.Read(buf)
		total += int64(n)
		if n > 0 {
			if _, werr := rw.Write(buf[:n]); werr != nil {
				return total, werr
			}
		}
		if err == io.EOF {
			return total, rw.Close()
		}
		if err != nil {
			return total, err
		}
	}
}
