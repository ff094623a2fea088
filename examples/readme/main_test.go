package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	t.Setenv("PII_KEYRING", "")
	require.NoError(t, run())
}

// TestREADMESnippetsAreThisProgram keeps the README honest: every Go block
// in it, without its import line, must appear verbatim (one tab deeper) in
// main.go, which TestRun runs.
func TestREADMESnippetsAreThisProgram(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("main.go")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, blocks)
	for _, b := range blocks {
		body := regexp.MustCompile(`(?ms)^import (?:"[^"]+"|\(\n.*?\n\))\n\n`).ReplaceAllString(b[1], "")
		var indented strings.Builder
		for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
			if line != "" {
				indented.WriteString("\t")
			}
			indented.WriteString(line + "\n")
		}
		require.Contains(t, string(src), indented.String(), "README snippet not in examples/readme/main.go")
	}
}
