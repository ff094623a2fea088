package password

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// pwnedEntry is one line of a test file.
type pwnedEntry struct {
	hash  [sha1.Size]byte
	count int64
}

// writePwned renders entries sorted by hash, with the given line ending and
// optionally without the final one.
func writePwned(entries []pwnedEntry, eol string, finalEOL bool) []byte {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b pwnedEntry) int { return bytes.Compare(a.hash[:], b.hash[:]) })
	return writePwnedInOrder(entries, eol, finalEOL)
}

// writePwnedInOrder renders entries in the order given.
func writePwnedInOrder(entries []pwnedEntry, eol string, finalEOL bool) []byte {
	var b bytes.Buffer
	for i, e := range entries {
		fmt.Fprintf(&b, "%s:%d", strings.ToUpper(hex.EncodeToString(e.hash[:])), e.count)
		if i < len(entries)-1 || finalEOL {
			b.WriteString(eol)
		}
	}
	return b.Bytes()
}

func pwnedCorpus(n int) (map[string]int64, []pwnedEntry) {
	known := make(map[string]int64, n)
	entries := make([]pwnedEntry, 0, n)
	for i := range n {
		pw := fmt.Sprintf("leaked-%d", i)
		count := int64(i%50 + 1)
		known[pw] = count
		entries = append(entries, pwnedEntry{sha1.Sum([]byte(pw)), count})
	}
	for pw, c := range map[string]int64{"password": 9545824, "Qwerty123!": 2017, "йцукен123": 42} {
		known[pw] = c
		entries = append(entries, pwnedEntry{sha1.Sum([]byte(pw)), c})
	}
	return known, entries
}

func writePwnedTemp(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pwned.txt")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

func TestPwnedFileLookups(t *testing.T) {
	known, entries := pwnedCorpus(5000) // ~240 KB: the search, not the final scan, does the work
	ctx := context.Background()
	for _, layout := range []struct {
		name     string
		eol      string
		finalEOL bool
	}{{"crlf", "\r\n", true}, {"lf", "\n", true}, {"crlf without final newline", "\r\n", false}} {
		t.Run(layout.name, func(t *testing.T) {
			pf, err := OpenPwnedFile(writePwnedTemp(t, writePwned(entries, layout.eol, layout.finalEOL)), PwnedFileOptions{})
			require.NoError(t, err)
			defer pf.Close()
			checked := 0
			for pw, want := range known {
				if checked++; checked > 300 {
					break
				}
				if got, err := pf.Count(ctx, pw); err != nil || got != want {
					t.Fatalf("Count(%q) = %d, %v; want %d", pw, got, err, want)
				}
			}
			for i := range 300 {
				pw := fmt.Sprintf("never-leaked-%d", i)
				if breached, err := pf.Breached(ctx, pw); err != nil || breached {
					t.Fatalf("Breached(%q) = %v, %v", pw, breached, err)
				}
			}
			// The extremes: below the first and above the last hash.
			for _, h := range [][sha1.Size]byte{{}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} {
				n, err := pf.lookup(ctx, h)
				require.NoError(t, err)
				assert.Zero(t, n)
			}
		})
	}
}

// TestPwnedFileEveryBoundary searches files of 1 to 80 lines (the larger
// ones past the size where the binary search takes over from the final scan)
// in every layout, for every line, the first and last included, and for the
// hashes just below and above each line, below the first and above the last.
func TestPwnedFileEveryBoundary(t *testing.T) {
	ctx := context.Background()
	entryAt := func(i, n int, extremes bool) pwnedEntry {
		var e pwnedEntry
		switch {
		case extremes && i == 0:
		case extremes && i == n-1:
			e.hash = [sha1.Size]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
		default:
			binary.BigEndian.PutUint64(e.hash[:8], uint64(i+1)*(^uint64(0)/uint64(n+2)))
			copy(e.hash[8:], bytes.Repeat([]byte{0x55}, 12))
		}
		e.count = int64(1) << (i % 40) // counts of 1 to 13 digits: lines of uneven length
		return e
	}
	near := func(h [sha1.Size]byte, delta int) ([sha1.Size]byte, bool) {
		last := int(h[sha1.Size-1]) + delta
		if last < 0 || last > 0xff {
			return h, false
		}
		h[sha1.Size-1] = byte(last)
		return h, true
	}
	for _, layout := range []struct {
		eol      string
		finalEOL bool
	}{{"\n", true}, {"\n", false}, {"\r\n", true}, {"\r\n", false}} {
		for _, extremes := range []bool{false, true} {
			for n := 1; n <= 80; n += 1 + n/16 { // every size up to 16, then sparser

				entries := make([]pwnedEntry, n)
				for i := range entries {
					entries[i] = entryAt(i, n, extremes)
				}
				data := writePwned(entries, layout.eol, layout.finalEOL)
				pf, err := newPwnedReader(bytes.NewReader(data), int64(len(data)), PwnedFileOptions{})
				require.NoError(t, err, "n=%d %q", n, layout.eol)
				for i, e := range entries {
					got, err := pf.lookup(ctx, e.hash)
					if err != nil || got != e.count {
						t.Fatalf("n=%d eol=%q final=%v extremes=%v line %d: got %d, %v; want %d", n, layout.eol, layout.finalEOL, extremes, i, got, err, e.count)
					}
					for _, d := range []int{-1, +1} {
						if miss, ok := near(e.hash, d); ok {
							if got, err := pf.lookup(ctx, miss); err != nil || got != 0 {
								t.Fatalf("n=%d eol=%q final=%v line %d%+d: got %d, %v; want a miss", n, layout.eol, layout.finalEOL, i, d, got, err)
							}
						}
					}
				}
			}
		}
	}
}

func TestPwnedFileSmallAndEdges(t *testing.T) {
	ctx := context.Background()
	one := []pwnedEntry{{sha1.Sum([]byte("password")), 3}}
	pf, err := newPwnedReader(bytes.NewReader(writePwned(one, "\r\n", false)), int64(len(writePwned(one, "\r\n", false))), PwnedFileOptions{})
	require.NoError(t, err)
	ok, err := pf.Breached(ctx, "password")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = pf.Breached(ctx, "Password")
	require.NoError(t, err)
	assert.False(t, ok)

	// Lower-case hex is accepted (same order as upper case).
	lower := []byte(strings.ToLower(string(writePwned(one, "\n", true))))
	pf, err = newPwnedReader(bytes.NewReader(lower), int64(len(lower)), PwnedFileOptions{})
	require.NoError(t, err)
	ok, err = pf.Breached(ctx, "password")
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestPwnedFileMinCount(t *testing.T) {
	known, entries := pwnedCorpus(500)
	path := writePwnedTemp(t, writePwned(entries, "\r\n", true))
	pf, err := OpenPwnedFile(path, PwnedFileOptions{MinCount: 10})
	require.NoError(t, err)
	defer pf.Close()
	for pw, count := range known {
		got, err := pf.Breached(context.Background(), pw)
		require.NoError(t, err)
		assert.Equal(t, count >= 10, got, pw)
	}
}

func TestPwnedFileCorrupt(t *testing.T) {
	_, entries := pwnedCorpus(300)
	good := writePwned(entries, "\r\n", true)
	reversed := slices.Clone(entries)
	slices.SortFunc(reversed, func(a, b pwnedEntry) int { return bytes.Compare(b.hash[:], a.hash[:]) })
	var unsorted bytes.Buffer
	for _, e := range reversed {
		fmt.Fprintf(&unsorted, "%X:%d\r\n", e.hash, e.count)
	}
	tests := map[string][]byte{
		"empty":                  {},
		"truncated in hash":      good[:len(good)-30],
		"truncated after colon":  good[:bytes.LastIndexByte(good[:len(good)-2], ':')+1],
		"trailing blank line":    append(slices.Clone(good), '\n'),
		"not sorted":             unsorted.Bytes(),
		"not a pwned file":       []byte("hello world\n"),
		"ntlm-like short hashes": []byte("8846F7EAEE8FB117AD06BDD830B7586C:1\r\n"),
		"binary":                 bytes.Repeat([]byte{0, 1, 2, 0xff}, 2000),
		"one very long line":     bytes.Repeat([]byte("A"), 10000),
		"count with sign":        []byte("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:+3\n"),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			pf, err := OpenPwnedFile(writePwnedTemp(t, data), PwnedFileOptions{})
			assert.Nil(t, pf)
			require.ErrorIs(t, err, ErrBreachCheck)
			assert.NotContains(t, err.Error(), "5BAA61E4")
		})
	}
	_, err := OpenPwnedFile(filepath.Join(t.TempDir(), "missing"), PwnedFileOptions{})
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestPwnedFileCorruptLineIsAnError(t *testing.T) {
	// A bad line met during a lookup is an error, never "not breached".
	entries := []pwnedEntry{{[sha1.Size]byte{0x01}, 1}, {sha1.Sum([]byte("password")), 7}, {[sha1.Size]byte{0xfe}, 1}}
	data := writePwned(entries, "\n", true)
	pf, err := newPwnedReader(bytes.NewReader(data), int64(len(data)), PwnedFileOptions{})
	require.NoError(t, err)
	// Damage a line opening did not sample, as in a large file: here after
	// opening (bytes.Reader reads data in place).
	copy(data[bytes.Index(data, []byte("5BAA61E4")):], "5BAA61G4")
	ok, err := pf.Breached(context.Background(), "password")
	assert.False(t, ok)
	assert.ErrorIs(t, err, ErrBreachCheck)
}

func TestPwnedFileClosedAndContext(t *testing.T) {
	_, entries := pwnedCorpus(100)
	pf, err := OpenPwnedFile(writePwnedTemp(t, writePwned(entries, "\r\n", true)), PwnedFileOptions{})
	require.NoError(t, err)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = pf.Breached(cancelled, "password")
	assert.ErrorIs(t, err, context.Canceled)

	require.NoError(t, pf.Close())
	assert.ErrorIs(t, pf.Close(), os.ErrClosed)
	_, err = pf.Breached(context.Background(), "password")
	assert.ErrorIs(t, err, os.ErrClosed)
}

// fullWidth spells ASCII s in full-width forms (U+FF01 to U+FF5E), which
// NFKC folds back to ASCII.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if '!' <= r && r <= '~' {
			return r - '!' + '\uff01'
		}
		return r
	}, s)
}

// unicodeLeaks is a breach corpus for the Unicode-form tests of PwnedFile
// and HIBPClient: passwords as they leaked, raw.
var unicodeLeaks = map[string]int64{
	"password":           100,
	"йцукен123":          42, // precomposed й, as typed on a Russian keyboard
	"ёлка2024":           9,
	fullWidth("qwerty1"): 7, // leaked in full-width form only
}

// unicodeFormCases are inputs whose NFKC form or raw form is in
// unicodeLeaks, and the count a checker must find.
var unicodeFormCases = []struct {
	name  string
	input string
	want  int64
}{
	{"as leaked", "password", 100},
	{"full-width of an ASCII leak", fullWidth("password"), 100},
	{"NFD of a Cyrillic leak (й)", norm.NFD.String("йцукен123"), 42},
	{"NFD of a Cyrillic leak (ё)", norm.NFD.String("ёлка2024"), 9},
	{"full-width leak as leaked", fullWidth("qwerty1"), 7},
	{"NFKC form of a full-width leak, not itself leaked", "qwerty1", 0},
	{"never leaked", fullWidth("Zq7!vR2#pLm9"), 0},
}

func unicodeLeakEntries() []pwnedEntry {
	var entries []pwnedEntry
	for pw, n := range unicodeLeaks {
		entries = append(entries, pwnedEntry{sha1.Sum([]byte(pw)), n})
	}
	return entries
}

// TestPwnedFileUnicodeForms: a leaked password typed in another Unicode
// form is found, since Hash would store it as the NFKC form and the leaked
// spelling would then log in; a leak recorded in a non-NFKC form is found
// as typed too.
func TestPwnedFileUnicodeForms(t *testing.T) {
	data := writePwned(unicodeLeakEntries(), "\r\n", true)
	pf, err := newPwnedReader(bytes.NewReader(data), int64(len(data)), PwnedFileOptions{})
	require.NoError(t, err)
	ctx := context.Background()
	for _, tt := range unicodeFormCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pf.Count(ctx, tt.input)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			breached, err := pf.Breached(ctx, tt.input)
			require.NoError(t, err)
			assert.Equal(t, tt.want > 0, breached)
		})
	}
	// Through a Policy, the path a password change takes.
	err = Policy{Breach: pf}.Check(ctx, fullWidth("password"))
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.True(t, pe.Has(Breached))
}

func TestBreachForms(t *testing.T) {
	long := strings.Repeat(fullWidth("a"), maxPasswordLength/3+1)
	tests := []struct {
		name, input string
		want        []string
	}{
		{"ascii: one form", "password", []string{"password"}},
		{"precomposed cyrillic: one form", "йцукен123", []string{"йцукен123"}},
		{"full-width: nfkc, then raw", fullWidth("ab1"), []string{"ab1", fullWidth("ab1")}},
		{"nfd: nfkc, then raw", norm.NFD.String("й"), []string{"й", norm.NFD.String("й")}},
		{"longer than hash accepts: raw only", long, []string{long}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, breachForms(tt.input))
		})
	}
}

// TestPwnedFileOrderedByCountRefused: HIBP also ships its file ordered by
// prevalence; one whose first hash happens to sort below its last passed the
// old first-and-last check, and every lookup then missed.
func TestPwnedFileOrderedByCountRefused(t *testing.T) {
	_, entries := pwnedCorpus(1997) // 2,000 lines
	slices.SortStableFunc(entries, func(a, b pwnedEntry) int { return cmp.Compare(b.count, a.count) })
	last := len(entries) - 1
	if bytes.Compare(entries[0].hash[:], entries[last].hash[:]) > 0 {
		entries[0], entries[last] = entries[last], entries[0]
	}
	require.Negative(t, bytes.Compare(entries[0].hash[:], entries[last].hash[:]), "first < last")
	for _, eol := range []string{"\r\n", "\n"} {
		pf, err := OpenPwnedFile(writePwnedTemp(t, writePwnedInOrder(entries, eol, true)), PwnedFileOptions{})
		assert.Nil(t, pf)
		require.ErrorIs(t, err, ErrBreachCheck)
		var fe *pwnedFileError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "not sorted by hash", fe.reason)
		assert.Positive(t, fe.offset)
		assert.Regexp(t, `^password: breach check failed: corrupt pwned-passwords file at offset [1-9][0-9]*: not sorted by hash$`, err.Error())
	}
}

// TestPwnedFileOutOfOrderDuringLookup: lines out of order that opening did
// not sample (here: damaged after opening) are an error when a lookup meets
// them, not a silent miss.
func TestPwnedFileOutOfOrderDuringLookup(t *testing.T) {
	const lineLen = 2*sha1.Size + len(":5\n")
	fixed := func(n int) []pwnedEntry { // lines of equal length, so hashes can be moved in place
		_, entries := pwnedCorpus(n)
		for i := range entries {
			entries[i].count = 5
		}
		return entries
	}
	setHash := func(data []byte, line int, from []byte) {
		copy(data[line*lineLen:line*lineLen+2*sha1.Size], from)
	}
	hashAt := func(data []byte, line int) []byte {
		return slices.Clone(data[line*lineLen : line*lineLen+2*sha1.Size])
	}
	tests := []struct {
		name    string
		entries int
		damage  func(data []byte)
		target  int // line whose original hash is looked up
	}{
		{"adjacent pair in the final window", 20, func(data []byte) {
			a, b := hashAt(data, 10), hashAt(data, 11)
			setHash(data, 10, b)
			setHash(data, 11, a)
		}, 3},
		{"probe below the range already passed", 5000, func(data []byte) {
			early := hashAt(data, 10)
			for line := 3000; line < 4000; line++ {
				setHash(data, line, early)
			}
		}, 4500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := writePwned(fixed(tt.entries-3), "\n", true)
			require.Len(t, data, tt.entries*lineLen)
			pf, err := newPwnedReader(bytes.NewReader(data), int64(len(data)), PwnedFileOptions{})
			require.NoError(t, err)
			var target [sha1.Size]byte
			_, err = hex.Decode(target[:], hashAt(data, tt.target))
			require.NoError(t, err)
			tt.damage(data)
			n, err := pf.lookup(context.Background(), target)
			assert.Zero(t, n)
			require.ErrorIs(t, err, ErrBreachCheck)
			var fe *pwnedFileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "not sorted by hash", fe.reason)
		})
	}
}

// TestPwnedFileNil: a nil *PwnedFile, as a failed OpenPwnedFile leaves it,
// fails closed instead of panicking, also inside MultiBreachChecker and a
// Policy.
func TestPwnedFileNil(t *testing.T) {
	pf, openErr := OpenPwnedFile(filepath.Join(t.TempDir(), "missing"), PwnedFileOptions{})
	require.Error(t, openErr)
	require.Nil(t, pf)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"Breached", func() error { _, err := pf.Breached(ctx, "password"); return err }},
		{"Count", func() error { _, err := pf.Count(ctx, "password"); return err }},
		{"Close", pf.Close},
		{"MultiBreachChecker", func() error {
			_, err := MultiBreachChecker(stubBreach{}, pf).Breached(ctx, "Zq7!vR2#pLm9")
			return err
		}},
		{"Policy", func() error { return Policy{Breach: pf}.Check(ctx, "Zq7!vR2#pLm9") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.call(), ErrBreachCheck)
		})
	}
	// A checker that finds the password still decides.
	breached, err := MultiBreachChecker(pf, stubBreach{breached: true}).Breached(ctx, "password")
	assert.NoError(t, err)
	assert.True(t, breached)
}

// virtualPwned is a read-only pwned file of n fixed-width lines generated on
// demand, so the search can be tested on a multi-gigabyte file without one.
type virtualPwned struct {
	n     int64
	reads atomic.Int64
}

const virtualLine = 40 + 1 + 5 + 2 // hash ':' 5-digit count CRLF

func (v *virtualPwned) hash(i int64) [sha1.Size]byte {
	var h [sha1.Size]byte
	binary.BigEndian.PutUint64(h[:8], uint64(i)*7919+1)
	copy(h[8:], "\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef\x01")
	return h
}

func (v *virtualPwned) count(i int64) int64 { return 10000 + i%90000 }

func (v *virtualPwned) size() int64 { return v.n * virtualLine }

func (v *virtualPwned) ReadAt(p []byte, off int64) (int, error) {
	v.reads.Add(1)
	n := 0
	for n < len(p) && off+int64(n) < v.size() {
		pos := off + int64(n)
		i, col := pos/virtualLine, pos%virtualLine
		line := fmt.Sprintf("%X:%05d\r\n", v.hash(i), v.count(i))
		n += copy(p[n:], line[col:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func TestPwnedFileMultiGigabyte(t *testing.T) {
	v := &virtualPwned{n: 100_000_000} // 4.8 GB, the shape of the real 1e9-line file
	pf, err := newPwnedReader(v, v.size(), PwnedFileOptions{})
	require.NoError(t, err)
	ctx := context.Background()
	for _, i := range []int64{0, 1, 12345, 50_000_000, 99_999_998, 99_999_999} {
		v.reads.Store(0)
		got, err := pf.lookup(ctx, v.hash(i))
		require.NoError(t, err)
		assert.Equal(t, v.count(i), got, i)
		assert.LessOrEqual(t, v.reads.Load(), int64(2*27+2), "O(log n) reads")

		miss := v.hash(i)
		miss[19]++ // between line i and line i+1
		got, err = pf.lookup(ctx, miss)
		require.NoError(t, err)
		assert.Zero(t, got)
	}
}

// FuzzPwnedReader: any bytes as a pwned file: open and look up without
// panicking; a found count is always one written in the file.
func FuzzPwnedReader(f *testing.F) {
	_, entries := pwnedCorpus(3)
	f.Add(writePwned(entries, "\r\n", true), "password")
	f.Add(writePwned(entries, "\n", false), "leaked-1")
	f.Add([]byte("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:1\r"), "password")
	f.Add([]byte("\n\n\n"), "x")
	f.Fuzz(func(t *testing.T, data []byte, pw string) {
		pf, err := newPwnedReader(bytes.NewReader(data), int64(len(data)), PwnedFileOptions{})
		if err != nil {
			return
		}
		n, err := pf.Count(context.Background(), pw)
		if err != nil || n == 0 {
			return
		}
		for _, form := range breachForms(pw) {
			if bytes.Contains(bytes.ToUpper(data), []byte(fmt.Sprintf("%X:", sha1.Sum([]byte(form))))) {
				return
			}
		}
		t.Fatalf("count %d for a hash not in the file", n)
	})
}
