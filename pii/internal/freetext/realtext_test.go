package freetext

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRealEnglishText runs Find on real English prose that was never
// looked at while tuning: the Go specification and memory model shipped
// with the toolchain (BSD-3-Clause; read in place, not copied here). They
// are full of capitalised words that are not names (identifiers, type
// names, sentence starts, headings). Skipped where GOROOT has no doc/.
func TestRealEnglishText(t *testing.T) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skip("no go command to find GOROOT:", err)
	}
	goroot := strings.TrimSpace(string(out))
	tag := regexp.MustCompile(`<[^>]*>`)
	words, found := 0, []string{}
	for _, f := range []string{"go_spec.html", "go_mem.html"} {
		b, err := os.ReadFile(filepath.Join(goroot, "doc", f))
		if err != nil {
			t.Skip("no Go documentation to read:", err)
		}
		text := tag.ReplaceAllString(string(b), " ")
		words += len(strings.Fields(text))
		for _, sp := range Find(nil, text) {
			found = append(found, text[sp.Start:sp.End])
		}
	}
	rate := float64(len(found)) / float64(words) * 10000
	t.Logf("%d words, %d spans, %.2f per 10,000 words: %q", words, len(found), rate, found)
	if rate > 1 {
		t.Errorf("%.2f spans per 10,000 words of the Go specification > 1", rate)
	}
}

// TestRealRussianKazakhText runs Find on real Russian and Kazakh prose
// that was never looked at while tuning: the Universal Declaration of
// Human Rights in OHCHR's translations (testdata/SOURCES.md). It names no
// person and gives no address, so every span is a false positive; its
// capitalised words are sentence starts, headings in capitals and the
// names of the United Nations and its organs.
func TestRealRussianKazakhText(t *testing.T) {
	for _, f := range []string{"udhr_rus.txt", "udhr_kaz.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		words := len(strings.Fields(text))
		var found []string
		for _, sp := range Find(nil, text) {
			found = append(found, text[sp.Start:sp.End])
		}
		rate := float64(len(found)) / float64(words) * 10000
		t.Logf("%s: %d words, %d spans, %.2f per 10,000 words: %q", f, words, len(found), rate, found)
		if len(found) > 0 {
			t.Errorf("%s: %d false positives in %d words (%.2f per 10,000; the goal is at most 1)", f, len(found), words, rate)
		}
	}
}
