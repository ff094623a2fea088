// Package hunspell reads the suffix rules and stems of a hunspell dictionary, enough to
// expand the word forms the generators need.
package hunspell

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// affix is one suffix rule of a hunspell .aff file (PFX rules are not used
// by the dictionaries read here).
type affix struct {
	strip, add string
	cond       *regexp.Regexp
}

// Dict is a dictionary: its stems in file order, each with its flags,
// and the suffix rules by flag.
type Dict struct {
	Stems []Stem
	sfx   map[byte][]affix
}

// Stem is a line of the .dic file: the word and its flags.
type Stem struct {
	Word  string
	Flags string
}

// Read reads a .dic/.aff pair in UTF-8 with one-character flags
// (ru_RU and kk_KZ are both so).
func Read(dic, aff string) (*Dict, error) {
	h := &Dict{sfx: map[byte][]affix{}}
	af, err := os.ReadFile(aff)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(strings.ReplaceAll(string(af), "\r", ""), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || f[0] != "SFX" || len(f[1]) != 1 {
			continue
		}
		strip, add, cond := f[2], f[3], f[4]
		if strip == "0" {
			strip = ""
		}
		if i := strings.IndexByte(add, '/'); i >= 0 {
			add = add[:i]
		}
		if add == "0" {
			add = ""
		}
		re, err := regexp.Compile("(?:" + cond + ")$")
		if err != nil {
			return nil, fmt.Errorf("%s: condition %q: %w", aff, cond, err)
		}
		h.sfx[f[1][0]] = append(h.sfx[f[1][0]], affix{strip, add, re})
	}
	d, err := os.Open(dic)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	sc := bufio.NewScanner(d)
	first := true
	for sc.Scan() {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if first { // the entry count
			first = false
			continue
		}
		if line == "" {
			continue
		}
		w, flags, _ := strings.Cut(line, "/")
		if i := strings.IndexAny(flags, " \t"); i >= 0 {
			flags = flags[:i]
		}
		h.Stems = append(h.Stems, Stem{w, flags})
	}
	return h, sc.Err()
}

// Forms returns the stem's word forms made by its suffix flags (without the
// stem itself).
func (h *Dict) Forms(s Stem) []string {
	var out []string
	for i := 0; i < len(s.Flags); i++ {
		for _, a := range h.sfx[s.Flags[i]] {
			if !a.cond.MatchString(s.Word) || !strings.HasSuffix(s.Word, a.strip) {
				continue
			}
			out = append(out, strings.TrimSuffix(s.Word, a.strip)+a.add)
		}
	}
	return out
}
