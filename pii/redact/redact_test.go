package redact

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/1cb-kz/compliance/pii/internal/freetext"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"no personal data", "no personal data"},
		{"user alice@example.kz paid with 4111 1111 1111 1111",
			"user a***@example.kz paid with 4111 11** **** 1111"},
		{"call +7 (701) 123-45-67, IIN 860110300125, IBAN KZ86125KZT5004100100.",
			"call +7 (701) ***-**-67, IIN **********25, IBAN KZ86************0100."},
		{"bin 050340000019", "bin **********19"},
		{"клиент Серикова Алия Нурлановна, г. Алматы, ул. Абая, д. 10, кв. 5",
			"клиент С*** А*** Н***, г. Алматы, ул. ***, д. ***, кв. ***"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Text(tt.in))
	}
}

// Text without personal data is returned as is: Text allocates nothing of
// its own beyond what the name and address finder does.
func TestRedactNoAllocWithoutMatch(t *testing.T) {
	text := strings.Repeat("a clean log line with 12 numbers and no data, ", 20)
	allocs := testing.AllocsPerRun(10, func() { _ = Text(text) })
	finder := testing.AllocsPerRun(10, func() { _ = freetext.Find(nil, text) })
	assert.LessOrEqual(t, allocs, finder)
}

// mixedText builds text with personal data scattered among prose, numbers,
// hashes and non-ASCII.
func mixedText(rng *rand.Rand, n int) string {
	pieces := []string{
		"order 1234 shipped to ", "alice@example.kz", " card 4111 1111 1111 1111 ", "+7 (701) 123-45-67",
		" Қазақстан ", "IIN 860110300125", ", IBAN KZ86 125K ZT50 0410 0100; ", "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 ",
		"\n", "amount 15000.00 KZT ", "ivan.petrov+shop@mail.example.com", " 87011234567 ", "ts=1732612345123 ",
		"5500-0000-0000-0004", " id_4111111111111111 ", " BIN 050340000019 ",
	}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// The streaming redactor gives exactly Redact's output, however the input
// is split into writes: every split point of a text full of matches is tried.
// No-break spaces between digit groups are part of the number, so the
// writer does not cut inside or after one.
func TestRedactingWriterEverySplit(t *testing.T) {
	for _, text := range []string{
		"to alice@example.kz: card 4111 1111 1111 1111, +7 (701) 123-45-67 IIN 860110300125 KZ86 125K ZT50 0410 0100 end",
		"карта 4111\u00a01111\u00a01111\u00a01111, тел. +7\u202f701\u202f123\u202f45\u202f67 «Р» 8600\u00a01234\u00a05678\u00a09012 Я",
		"GET /b?e=d.omarov%40inbox.kz&t=%2B77011234567 әлия@мысал.қаз, ИИН 860110 300125; tel=8701+123+45+67 id_860110300125.pdf",
	} {
		want := Text(text)
		require.NotContains(t, want, "4111\u00a01111\u00a01111")
		for i := 0; i <= len(text); i++ {
			for j := i; j <= len(text); j += 7 {
				var out bytes.Buffer
				rw := NewWriter(&out)
				for _, part := range []string{text[:i], text[i:j], text[j:]} {
					n, err := rw.Write([]byte(part))
					require.NoError(t, err)
					require.Equal(t, len(part), n)
				}
				require.NoError(t, rw.Close())
				require.Equal(t, want, out.String(), "split at %d, %d", i, j)
			}
		}
	}
}

// Random texts of pieces that nearly match, written in random pieces, come
// out as Redact of the whole.
func TestRedactingWriterRandomSplits(t *testing.T) {
	tests := []struct {
		seed   uint64
		pieces []string
	}{
		{9, []string{"alice@example.kz", " 4111 1111 1111 1111 ", "KZ86125KZT5004100100", "abc", "de", " ", "KZ", "7",
			"87011234567", "@", "x.kz", "860110300125 "}},
		{7, []string{"a", "b", "Z", "k", "z", "K", "@", ".", "-", "+7", "8", "7", "0", "1", "4", " ",
			"KZ86125KZT5004100100", "kz86 125k zt50 0410 0100", "alice.b+x@mail.example.kz", "4111-1111-1111-1111",
			"87011234567", strings.Repeat("q", 70) + "@x.kz", "é"}},
		{5, []string{"4111", "1111", "\u00a0", "\u202f", " - ", "  ", "\xc2", "\xe2\x80", "Р", "Я", "8600", "+7", "701", "123",
			"45", "67", " ", "-", "é"}},
	}
	for _, tt := range tests {
		rng := rand.New(rand.NewPCG(tt.seed, tt.seed))
		for it := range 10 {
			var b strings.Builder
			for b.Len() < 100<<10 {
				b.WriteString(tt.pieces[rng.IntN(len(tt.pieces))])
			}
			text := b.String()
			var out bytes.Buffer
			rw := NewWriter(&out)
			for p := []byte(text); len(p) > 0; {
				n := min(1+rng.IntN(3000), len(p))
				_, err := rw.Write(p[:n])
				require.NoError(t, err)
				p = p[n:]
			}
			require.NoError(t, rw.Close())
			require.True(t, out.String() == Text(text), "seed %d, iteration %d differs", tt.seed, it)
		}
	}
}

func TestRedactStream(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	text := mixedText(rng, 300<<10)
	want := Text(text)
	for _, r := range map[string]io.Reader{
		"whole":    strings.NewReader(text),
		"one byte": iotest.OneByteReader(strings.NewReader(text)),
		"half":     iotest.HalfReader(strings.NewReader(text)),
	} {
		var out bytes.Buffer
		n, err := Copy(context.Background(), &out, r)
		require.NoError(t, err)
		assert.Equal(t, int64(len(text)), n)
		assert.Equal(t, want, out.String())
	}
	// One large Write is taken in chunks, with the same result.
	var out bytes.Buffer
	rw := NewWriter(&out)
	n, err := rw.Write([]byte(text))
	require.NoError(t, err)
	assert.Equal(t, len(text), n)
	require.NoError(t, rw.Close())
	assert.Equal(t, want, out.String())
}

// Without any delimiter the writer cuts between letters far from '@' and
// "KZ", and still matches Redact.
func TestRedactingWriterLongLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	for b.Len() < 3*softPending {
		switch rng.IntN(4) {
		case 0:
			b.WriteString(" alice@example.kz ")
		case 1:
			b.WriteString(" 4111 1111 1111 1111 ")
		case 2:
			b.WriteString(" KZ86125KZT5004100100 ")
		default:
			b.WriteString(" lorem ipsum dolor sit amet")
		}
	}
	text := b.String()
	require.Equal(t, 0, delimCut([]byte(text), 0))
	writeCutLine(t, text)
}

// A long line of Cyrillic text without a delimiter is cut between letters
// too, rather than failing closed.
func TestRedactingWriterLongCyrillicLine(t *testing.T) {
	para := strings.Repeat("заявка на участие в торгах принята банком ", 30) + "aliya@мысал.қаз "
	text := strings.Repeat(para, 3*softPending/len(para))
	out := writeCutLine(t, text)
	assert.NotContains(t, out, "aliya@")
}

// With no safe place at all the writer fails closed.
func TestRedactingWriterFailsClosed(t *testing.T) {
	var out bytes.Buffer
	rw := NewWriter(&out)
	chunk := []byte(strings.Repeat("1 ", 1<<10))
	var err error
	for i := 0; i < MaxPending/len(chunk)+2 && err == nil; i++ {
		_, err = rw.Write(chunk)
	}
	require.ErrorIs(t, err, ErrNoSafeCut)
	assert.Zero(t, out.Len(), "nothing written unredacted")
	_, err = rw.Write([]byte("x\n"))
	assert.ErrorIs(t, err, ErrNoSafeCut)
	assert.ErrorIs(t, rw.Close(), ErrNoSafeCut)
}

func TestRedactingWriterErrors(t *testing.T) {
	boom := errors.New("boom")
	rw := NewWriter(errWriter{boom})
	_, err := rw.Write([]byte("line\n"))
	require.ErrorIs(t, err, boom)
	_, err = rw.Write([]byte("more\n"))
	require.ErrorIs(t, err, boom)

	var out bytes.Buffer
	rw = NewWriter(&out)
	require.NoError(t, rw.Close())
	_, err = rw.Write([]byte("x"))
	require.Error(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Copy(ctx, &out, strings.NewReader("x"))
	require.ErrorIs(t, err, context.Canceled)

	_, err = Copy(context.Background(), &out, iotest.ErrReader(boom))
	require.ErrorIs(t, err, boom)
}

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

// writeCutLine writes text through a Writer in 1,000-byte pieces, checks
// that the Writer cut the line (it never held twice softPending) and that
// the output is Text's, and returns the output.
func writeCutLine(t *testing.T, text string) string {
	t.Helper()
	var out bytes.Buffer
	rw := NewWriter(&out)
	for i := 0; i < len(text); i += 1000 {
		_, err := rw.Write([]byte(text[i:min(i+1000, len(text))]))
		require.NoError(t, err)
	}
	assert.Less(t, len(rw.buf), 2*softPending, "the writer cut the line")
	require.NoError(t, rw.Close())
	assert.Equal(t, Text(text), out.String())
	return out.String()
}
