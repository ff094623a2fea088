package freetext

// Kind is the kind of a span found by [Find].
type Kind uint8

const (
	// Name is a person's name: surname, given name, patronymic, initials.
	Name Kind = iota + 1
	// Address is a Kazakhstan address, or the street, house and flat part of one.
	Address
)

// Span is a found piece of text: s[Start:End] is of kind Kind.
type Span struct {
	Start, End int // byte offsets into s
	Kind       Kind
}

const (
	window   = 256 // tokens held at once
	lookMax  = 64  // the most tokens a span (with its context) may reach ahead
	lookBack = 4   // tokens kept before the next one to read, for context words
)

// win is the window of tokens Find works on.
type win struct {
	s   string
	t   []token
	d   *tables
	buf [maxSkeleton]byte
}

// Find appends to dst the name and address spans of s, in order, non-overlapping;
// time linear in len(s); safe on invalid UTF-8 and hostile input.
func Find(dst []Span, s string) []Span {
	var (
		buf [window]token
		w   = win{s: s, d: dicts()}
		z   = tokenizer{s: s}
		n   int  // tokens in buf
		i   int  // next token to consider
		eof bool // all of s is tokenised
	)
	for {
		for n < len(buf) && !eof {
			t, ok := z.next()
			if !ok {
				eof = true
				break
			}
			buf[n] = t
			n++
		}
		w.t = buf[:n]
		limit := n
		if !eof {
			limit = n - lookMax
		}
		for i < limit {
			if !w.candidate(i) {
				i++
				continue
			}
			if e, ok := w.address(i); ok {
				dst = append(dst, w.span(i, e, Address))
				i = e
				continue
			}
			if b, e, ok := w.name(i); ok {
				dst = append(dst, w.span(b, e, Name))
				i = e
				continue
			}
			i++
		}
		if eof {
			return dst
		}
		keep := max(i-lookBack, 0)
		n = copy(buf[:], buf[keep:n])
		i -= keep
	}
}

// span returns the span of tokens [b, e).
func (w *win) span(b, e int, k Kind) Span {
	return Span{Start: int(w.t[b].start), End: int(w.t[e-1].end), Kind: k}
}

// candidate reports whether a name or an address may start at token i:
// a capitalised word, a number, or a short lower-case word (a marker or
// a context word) before a capitalised word, a number or a quote.
func (w *win) candidate(i int) bool {
	t := &w.t[i]
	switch t.kind {
	case tNum:
		return true
	case tWord:
	default:
		return false
	}
	if t.flags&fCap != 0 {
		return true
	}
	if t.end-t.start > 24 {
		return false
	}
	j := i + 1
	if j < len(w.t) && w.t[j].kind == tDot {
		j++
	}
	if j >= len(w.t) {
		return false
	}
	nt := &w.t[j]
	return nt.kind == tNum || nt.kind == tQuote || nt.kind == tWord && nt.flags&fCap != 0
}
