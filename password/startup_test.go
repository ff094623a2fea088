package password

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Importing the package costs nothing until the first strength estimate:
// no word list is decoded at start-up, and zxcvbn-go, whose packages decode
// their JSON in init (37 ms, 12 MiB), is not linked into users' programs.
// The test builds a program that only imports the package and reads the
// runtime's GODEBUG=inittrace=1 report of it.
func TestImportCostsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	gobin := filepath.Join(runtimeGOROOT(t), "bin", "go")
	deps, err := exec.Command(gobin, "list", "-deps", ".").Output()
	require.NoError(t, err)
	assert.NotContains(t, string(deps), "zxcvbn", "zxcvbn-go is for tests and the generator only")

	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	require.NoError(t, os.WriteFile(src, []byte("package main\n\nimport _ \"github.com/1cb-kz/compliance/password\"\n\nfunc main() {}\n"), 0o600))
	bin := filepath.Join(dir, "prog")
	out, err := exec.Command(gobin, "build", "-o", bin, src).CombinedOutput()
	require.NoError(t, err, "%s", out)

	line := regexp.MustCompile(`^init (\S+) @\S+ ms, ([0-9.]+) ms clock, ([0-9]+) bytes`)
	bestClock := 1e9
	var bytes, allBytes int
	for range 3 {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		trace, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", trace)
		found := false
		allBytes = 0
		for l := range strings.SplitSeq(string(trace), "\n") {
			m := line.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			b, _ := strconv.Atoi(m[3])
			allBytes += b
			if m[1] == "github.com/1cb-kz/compliance/password" {
				found = true
				c, _ := strconv.ParseFloat(m[2], 64)
				bestClock = min(bestClock, c)
				bytes = b
			}
		}
		require.True(t, found, "no inittrace line for the package:\n%s", trace)
	}
	t.Logf("init of password: %.3f ms clock (best of 3), %d bytes; all %d bytes of every package's init", bestClock, bytes, allBytes)
	assert.Less(t, bestClock, 1.0, "ms of init")
	assert.Less(t, allBytes, 1<<20, "bytes allocated by every init of the program")
}

func runtimeGOROOT(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

// A program that only hashes links no dictionary data, and one that
// estimates strength links the prebuilt index but not the raw lists it was
// built from. The test builds both programs of testdata and reads their
// symbol tables.
func TestLinkedData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs")
	}
	gobin := filepath.Join(runtimeGOROOT(t), "bin", "go")
	const (
		index = "github.com/1cb-kz/compliance/password.indexFile"
		lists = "github.com/1cb-kz/compliance/password/internal/wordlist.files"
	)
	for _, tc := range []struct {
		prog        string
		index, list bool
	}{
		{"hashonly", false, false},
		{"firstcall", true, false},
	} {
		bin := filepath.Join(t.TempDir(), tc.prog)
		out, err := exec.Command(gobin, "build", "-o", bin, "./testdata/"+tc.prog).CombinedOutput()
		require.NoError(t, err, "%s", out)
		syms, err := exec.Command(gobin, "tool", "nm", bin).Output()
		require.NoError(t, err)
		has := func(sym string) bool { return regexp.MustCompile(`\s` + regexp.QuoteMeta(sym) + `\n`).Match(syms) }
		assert.Equal(t, tc.index, has(index), "%s links the index", tc.prog)
		assert.Equal(t, tc.list, has(lists), "%s links the raw lists", tc.prog)
		if fi, err := os.Stat(bin); err == nil {
			t.Logf("%s: %d bytes", tc.prog, fi.Size())
		}
	}
}
