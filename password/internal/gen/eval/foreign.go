package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/password/internal/gen/hunspell"
)

// foreignCorpus builds weak passwords, mangled like the others, from base
// words that are in no embedded list (compared after lower-casing and
// folding the Kazakh letters and ё): Ukrainian dictionary words, Russian and Kazakh inflected forms the lists leave out, the tails
// of the @zxcvbn-ts word lists beyond what is embedded, and English
// surnames beyond zxcvbn-go's.
func foreignCorpus(raw string, l map[string][]string) ([]entry, error) {
	known := map[string]bool{}
	for _, ws := range l {
		for _, w := range ws {
			known[key(w)] = true
		}
	}
	absent := func(ws []string, lo, hi int) []string {
		var out []string
		seen := map[string]bool{}
		for _, w := range ws {
			w = strings.ToLower(w)
			k := key(w)
			n := utf8.RuneCountInString(w)
			if n < lo || n > hi || known[k] || seen[k] || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
				continue
			}
			seen[k] = true
			out = append(out, w)
		}
		return out
	}
	hs := filepath.Join(raw, "deb", "usr", "share", "hunspell")
	stems := func(lang string) ([]string, error) {
		d, err := hunspell.Read(filepath.Join(hs, lang+".dic"), filepath.Join(hs, lang+".aff"))
		if err != nil {
			return nil, err
		}
		var out []string
		for _, s := range d.Stems {
			if s.Word != strings.ToUpper(s.Word) {
				out = append(out, s.Word)
			}
		}
		return out, nil
	}
	forms := func(lang string, maxStem int) ([]string, error) {
		d, err := hunspell.Read(filepath.Join(hs, lang+".dic"), filepath.Join(hs, lang+".aff"))
		if err != nil {
			return nil, err
		}
		var out []string
		for _, s := range d.Stems {
			if utf8.RuneCountInString(s.Word) <= maxStem && s.Word != strings.ToUpper(s.Word) {
				out = append(out, d.Forms(s)...)
			}
		}
		return out, nil
	}
	uk, err := stems("uk_UA")
	if err != nil {
		return nil, err
	}
	ru, err := forms("ru_RU", 8)
	if err != nil {
		return nil, err
	}
	kk, err := forms("kk_KZ", 6)
	if err != nil {
		return nil, err
	}
	var tails []string
	for _, p := range []struct{ pack, lang string }{{"de", "de"}, {"fr", "fr"}, {"es-es", "es"}, {"it", "it"}, {"pt-br", "pt"}, {"nl-be", "nl"}, {"pl", "pl"}} {
		ws, err := npmList(raw, p.pack, "wikipedia")
		if err != nil {
			return nil, err
		}
		tails = append(tails, ws...)
	}
	enLast, err := npmList(raw, "en", "lastnames")
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, s := range []source{
		{"uk_words", absent(uk, 4, 10), 1000},
		{"ru_forms", absent(ru, 4, 10), 600},
		{"kk_forms", absent(kk, 4, 10), 600},
		{"xx_wikipedia_tail", absent(tails, 4, 12), 500},
		{"en_surnames_tail", absent(enLast, 4, 12), 300},
	} {
		if len(s.words) < 2*s.n {
			return nil, fmt.Errorf("eval: foreign source %s has %d words, want %d", s.name, len(s.words), 2*s.n)
		}
		// Both halves are foreign; take the held-out one for symmetry.
		rng := rngFor("foreign/" + s.name)
		_, bases := sample(rng, s)
		out = append(out, mangleAll(rng, s.name, bases, pool(s, bases))...)
	}
	return out, nil
}

func npmList(raw, pack, file string) ([]string, error) {
	dirs, _ := filepath.Glob(filepath.Join(raw, "npm", "zxcvbn-ts-language-"+pack+"-[0-9]*", "package", "src"))
	if len(dirs) != 1 {
		return nil, fmt.Errorf("eval: want one unpacked @zxcvbn-ts/language-%s, found %d", pack, len(dirs))
	}
	b, err := os.ReadFile(filepath.Join(dirs[0], file+".json"))
	if err != nil {
		return nil, err
	}
	var ws []string
	return ws, json.Unmarshal(b, &ws)
}
