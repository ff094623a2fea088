package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// allLists is every list of the package, in the order of Dictionaries.
func allLists(raw, lists string) []list {
	text := func(name string) func() ([]string, error) {
		return func() ([]string, error) { return readText(filepath.Join(lists, name+".txt")) }
	}
	return []list{
		// zxcvbn-go's lists, unchanged (the reference the tests compare with).
		{"passwords", zxcvbnList("Passwords")},
		{"en_words", zxcvbnList("English")},
		{"us_female_names", zxcvbnList("FemaleNames")},
		{"us_male_names", zxcvbnList("MaleNames")},
		{"us_surnames", zxcvbnList("Surname")},
		// Compiled by the project.
		{"local_passwords", text("local_passwords")},
		{"common_words", text("common_words")},
		{"given_names", text("given_names")},
		{"surnames", surnames(text("surnames"))},
		{"places", text("places")},
		{"platform", text("platform")},
		{"affixes", text("affixes")},
	}
}

// readText reads a hand-compiled list: one entry a line, most common first;
// blank lines and lines starting with '#' are skipped.
func readText(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// surnames adds, after each masculine Russian-style surname, its feminine
// form (-ов → -ова, -ев → -ева, -ин → -ина, -ский → -ская).
func surnames(base func() ([]string, error)) func() ([]string, error) {
	return func() ([]string, error) {
		ws, err := base()
		if err != nil {
			return nil, err
		}
		var out []string
		for _, w := range ws {
			out = append(out, w)
			if f := feminine(strings.ToLower(w)); f != "" {
				out = append(out, f)
			}
		}
		return out, nil
	}
}

func feminine(w string) string {
	switch {
	case strings.HasSuffix(w, "ов"), strings.HasSuffix(w, "ев"), strings.HasSuffix(w, "ёв"), strings.HasSuffix(w, "ин"), strings.HasSuffix(w, "ын"):
		return w + "а"
	case strings.HasSuffix(w, "ский"):
		return strings.TrimSuffix(w, "ий") + "ая"
	case strings.HasSuffix(w, "цкий"):
		return strings.TrimSuffix(w, "ий") + "ая"
	}
	return ""
}
