package audit

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

func FuzzParseCheckpoint(f *testing.F) {
	f.Add([]byte("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"))
	f.Add([]byte("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next\n"))
	f.Add([]byte("o\n007\nAAAA\n"))
	f.Add([]byte("\n\n\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		h, err := parseCheckpoint(text)
		if err != nil {
			return
		}
		if h.Size < 0 || checkOrigin(h.Origin) != nil {
			t.Fatalf("accepted invalid head %+v", h)
		}
		out, err := formatCheckpoint(h)
		if err != nil {
			t.Fatalf("cannot format a parsed head: %v", err)
		}
		// The three mandatory lines round-trip exactly.
		if !bytes.HasPrefix(text, out) {
			t.Fatalf("round trip: %q -> %q", text, out)
		}
	})
}

func FuzzOpenCheckpoint(f *testing.F) {
	s, v := testKeys(f)
	signed, err := note.Sign(&note.Note{Text: "audit.example.com/access\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"}, s)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(signed[:len(signed)-3])
	want, err := OpenCheckpoint(signed, v)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		h, err := OpenCheckpoint(msg, v)
		if err == nil && h != want {
			t.Fatalf("forged checkpoint accepted: %q", msg)
		}
		if err != nil && !errors.Is(err, ErrInvalidCheckpoint) {
			t.Fatalf("refusal not matchable with ErrInvalidCheckpoint: %v", err)
		}
	})
}

// FuzzReadFrames feeds arbitrary bytes to the frame decoder of segment and
// checkpoint files: it must never panic, and the frames it accepts must
// re-encode to exactly the bytes it consumed.
func FuzzReadFrames(f *testing.F) {
	f.Add(appendFrame(appendFrame(nil, []byte("one")), []byte("two")))
	f.Add(appendFrame(nil, nil))
	f.Add([]byte{0, 0, 0, 9, 1, 2})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		var again []byte
		end, damaged, err := readFrames(bytes.NewReader(data), 0, 1<<16, func(_ int64, b []byte) error {
			again = appendFrame(again, b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, data[:end]) || damaged != (end != int64(len(data))) {
			t.Fatalf("end %d damaged %v for %d bytes", end, damaged, len(data))
		}
	})
}

// FuzzVerifyDamagedSegment replaces the last segment of a valid log with
// arbitrary bytes: Verify and Open must not panic, and Verify must reject
// anything but the original content (or the original followed by an
// unacknowledged tail).
func FuzzVerifyDamagedSegment(f *testing.F) {
	ctx := context.Background()
	s, v := testKeys(f)
	ref := f.TempDir()
	l, err := Open(context.Background(), Dir(ref), Options{Signer: s, SegmentEntries: 4})
	if err != nil {
		f.Fatal(err)
	}
	for i := range 6 {
		if _, err := l.Append(ctx, logEvent(i)); err != nil {
			f.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		f.Fatal(err)
	}
	last := filepath.Join(ref, segmentName(4))
	orig, err := os.ReadFile(last)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(orig)
	f.Add(orig[:len(orig)-1])
	f.Add(append(bytes.Clone(orig), 0, 0, 0, 1))
	f.Add([]byte(segmentMagic))
	f.Add(appendFrame(bytes.Clone(orig), encoded(f, logEvent(6))))       // a crash's intact tail
	f.Add(appendFrame(bytes.Clone(orig), []byte("not an event at all"))) // a writer's
	f.Fuzz(func(t *testing.T, seg []byte) {
		dir := t.TempDir()
		for _, name := range []string{segmentName(0), hashFileName, checkpointFileName} {
			b, err := os.ReadFile(filepath.Join(ref, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, segmentName(4)), seg, 0o600); err != nil {
			t.Fatal(err)
		}
		verr := Verify(ctx, Dir(dir), Options{Verifier: v})
		if verr == nil && !bytes.HasPrefix(seg, orig) {
			t.Fatalf("damaged segment verifies")
		}
		l, err := Open(context.Background(), Dir(dir), Options{Signer: s, Verifier: v})
		if verr == nil && err != nil {
			t.Fatalf("Verify accepts what Open refuses: %v", err)
		}
		if err == nil {
			if l.Size() < 6 {
				t.Fatalf("Open dropped acknowledged entries: size %d", l.Size())
			}
			l.Close()
			if err := Verify(ctx, Dir(dir), Options{Verifier: v}); err != nil {
				t.Fatalf("the log Open repaired does not verify: %v", err)
			}
		}
	})
}
