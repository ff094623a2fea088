package wordlist

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportCostsNothing runs a program that only imports this package with
// GODEBUG=inittrace=1: the runtime reports every package whose init does
// work, and this package must not be among them (no init function, no
// package-level variable computed at start-up).
func TestImportCostsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	bin := filepath.Join(t.TempDir(), "importonly")
	build := exec.Command("go", "build", "-o", bin, "./testdata/importonly")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := exec.Command(bin)
	run.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	t.Logf("inittrace:\n%s", out)
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "password/internal/wordlist") {
			t.Errorf("importing the package runs init work: %s", line)
		}
	}
}
