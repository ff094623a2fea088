package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedUpToDate: the committed data is what the generator makes
// from zxcvbn-go and lists/ (the lists built from downloads are kept as
// committed), so an edit of lists/*.txt without go generate fails here.
func TestGeneratedUpToDate(t *testing.T) {
	committed := filepath.Join("..", "wordlist", "data")
	tmp := t.TempDir()
	out := filepath.Join(tmp, "data")
	require.NoError(t, os.Mkdir(out, 0o755))
	files, err := filepath.Glob(filepath.Join(committed, "*.gz"))
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(out, filepath.Base(f)), b, 0o644))
	}
	require.NoError(t, run(out, "", "lists"))
	for _, f := range append(files, filepath.Join(committed, "..", "names_gen.go")) {
		want, err := os.ReadFile(f)
		require.NoError(t, err)
		rel := filepath.Base(f)
		if rel == "names_gen.go" {
			rel = filepath.Join("..", rel)
		}
		got, err := os.ReadFile(filepath.Join(out, rel))
		require.NoError(t, err)
		// Compare the content, not the gzip bytes, which a new Go release may
		// compress differently.
		assert.True(t, content(t, want) == content(t, got), "%s differs from what the generator makes: run go generate in password/internal/wordlist", filepath.Base(f))
	}
}

// content returns the decompressed b, or b itself if it is not gzip.
func content(t *testing.T, b []byte) string {
	t.Helper()
	z, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return string(b)
	}
	out, err := io.ReadAll(z)
	require.NoError(t, err)
	return string(out)
}

func TestSurnameAndPatronymicRules(t *testing.T) {
	for _, tc := range []struct{ name, surname, patronymic string }{
		{"нұрлан", "нұрланов", "нұрланович"},
		{"әли", "әлиев", "әлиевич"},
		{"никита", "никитин", "никитич"},
		{"сергей", "сергеев", "сергеевич"},
		{"юрий", "юрьев", "юрьевич"},
		{"игорь", "", "игоревич"},
		{"илья", "ильин", "ильич"},
		{"ерке", "", "еркеович"},
	} {
		assert.Equal(t, tc.surname, surnameOf(tc.name), tc.name)
		assert.Equal(t, tc.patronymic, russianPatronymics(tc.name)[0], tc.name)
	}
	assert.Equal(t, "ахметова", feminine("ахметов"))
	assert.Equal(t, "достоевская", feminine("достоевский"))
}
