package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/1cb-kz/compliance/password/internal/gen/hunspell"
)

// The downloaded sources, under the -raw directory (fetch.sh fetches them):
//
//	npm/zxcvbn-ts-language-<pack>-<version>/package/src/*.json
//	deb/usr/share/hunspell/{ru_RU,kk_KZ}.{dic,aff}

// zxcvbnTS returns the concatenation, interleaved by rank, of some JSON
// word arrays of one @zxcvbn-ts language pack, keeping at most limit words
// (0: all).
func zxcvbnTS(raw, pack string, limit int, files ...string) func() ([]string, error) {
	return func() ([]string, error) {
		if raw == "" {
			return nil, nil
		}
		dirs, _ := filepath.Glob(filepath.Join(raw, "npm", "zxcvbn-ts-language-"+pack+"-[0-9]*", "package", "src"))
		if len(dirs) != 1 {
			return nil, fmt.Errorf("want one unpacked @zxcvbn-ts/language-%s under %s/npm, found %d", pack, raw, len(dirs))
		}
		var lists [][]string
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dirs[0], f+".json"))
			if err != nil {
				return nil, err
			}
			var ws []string
			if err := json.Unmarshal(b, &ws); err != nil {
				return nil, fmt.Errorf("%s/%s.json: %w", pack, f, err)
			}
			lists = append(lists, ws)
		}
		out := interleave(lists...)
		out = slices.DeleteFunc(out, func(w string) bool { return !wordLike(w) })
		if limit > 0 && len(out) > limit {
			// normalise first so that duplicates do not count against the limit
			out = normalise(out)
			out = out[:min(limit, len(out))]
		}
		return out, nil
	}
}

// interleave merges ranked lists: the first word of each, then the second
// of each, and so on, so that a word's rank in the result is about its rank
// in its own list times the number of lists.
func interleave(lists ...[]string) []string {
	var out []string
	for i := 0; ; i++ {
		more := false
		for _, l := range lists {
			if i < len(l) {
				out = append(out, l[i])
				more = true
			}
		}
		if !more {
			return out
		}
	}
}

// wordLike drops what is not a word in the @zxcvbn-ts lists: tokens such as
// "'s" and "'t", anything that is not letters, digits, apostrophes, dots or
// hyphens, and words mixing Cyrillic and Latin letters.
func wordLike(w string) bool {
	if utf8.RuneCountInString(w) < 2 || strings.HasPrefix(w, "'") {
		return false
	}
	cyrillic, latin := false, false
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-' && r != '.' {
			return false
		}
		cyrillic = cyrillic || unicode.Is(unicode.Cyrillic, r)
		latin = latin || unicode.Is(unicode.Latin, r)
	}
	return !(cyrillic && latin) // homoglyph noise of the sources ("thе" with a Cyrillic е)
}

// ruWords returns the stems of Lebedev's Russian hunspell dictionary, with
// the feminine nominative of every adjective ("любимая"), ranked by the
// heuristic of SOURCES.md: stems before derived forms, each in the order of
// tiered. Abbreviations (all upper case) are dropped.
func ruWords(raw string) func() ([]string, error) {
	return hunspellWords(raw, "ru_RU", func(h *hunspell.Dict, s hunspell.Stem) []string {
		if !strings.HasSuffix(s.Word, "ый") && !strings.HasSuffix(s.Word, "ий") && !strings.HasSuffix(s.Word, "ой") {
			return nil
		}
		var forms []string
		for _, f := range h.Forms(s) {
			if strings.HasSuffix(f, "ая") || strings.HasSuffix(f, "яя") {
				forms = append(forms, f)
			}
		}
		return forms
	})
}

// kkWords returns the stems of the Kazakh hunspell dictionary and, after
// them, the forms of stems of up to 8 letters that people make passwords
// of: the first-person possessive ("жаным", "күнім": my soul, my sun; terms
// of endearment), the plural ("достар") and the possessive plural
// ("балаларым": my children); ranked like ruWords.
func kkWords(raw string) func() ([]string, error) {
	return hunspellWords(raw, "kk_KZ", func(h *hunspell.Dict, s hunspell.Stem) []string {
		if utf8.RuneCountInString(s.Word) > 8 {
			return nil // long stems are mostly inflected forms already
		}
		var forms []string
		for _, f := range h.Forms(s) {
			if kkEndearing(s.Word, f) {
				forms = append(forms, f)
			}
		}
		return forms
	})
}

// hunspellWords reads the hunspell dictionary lang (as "ru_RU") unpacked
// under raw and returns its Cyrillic stems that are not abbreviations, then
// the forms that formsOf picks from each of them, each list ranked by
// tiered. An empty raw gives no words.
func hunspellWords(raw, lang string, formsOf func(*hunspell.Dict, hunspell.Stem) []string) func() ([]string, error) {
	return func() ([]string, error) {
		if raw == "" {
			return nil, nil
		}
		dir := filepath.Join(raw, "deb", "usr", "share", "hunspell")
		h, err := hunspell.Read(filepath.Join(dir, lang+".dic"), filepath.Join(dir, lang+".aff"))
		if err != nil {
			return nil, err
		}
		var stems, forms []string
		for _, s := range h.Stems {
			if isAbbreviation(s.Word) || !isCyrillicWord(s.Word) {
				continue
			}
			stems = append(stems, s.Word)
			forms = append(forms, formsOf(h, s)...)
		}
		return append(tiered(stems), tiered(forms)...), nil
	}
}

// tiered orders a list that has no frequencies: by length tier (4–6
// letters, 7–8, 9–10, 11 and more, then 3), and within a tier in
// alphabetical order (it compresses best; any order is as good a guess when
// nothing is known), so that a rank there says "a word of this length" and
// nothing more. Words of one or two letters are dropped (the matcher ignores them
// and brute force covers them). Short words come first because frequent
// words are short (Zipf's law of abbreviation), but three-letter words last,
// because nothing tells the common ones (кот, дом: in common_words) from the
// rare abbreviations that would otherwise get the best ranks and be found
// in random strings.
func tiered(ws []string) []string {
	tier := func(w string) int {
		switch n := utf8.RuneCountInString(w); {
		case n <= 3:
			return 4
		case n <= 6:
			return 0
		case n <= 8:
			return 1
		case n <= 10:
			return 2
		default:
			return 3
		}
	}
	ws = slices.DeleteFunc(ws, func(w string) bool { return utf8.RuneCountInString(w) < 3 })
	for i, w := range ws {
		ws[i] = strings.ToLower(w)
	}
	slices.SortStableFunc(ws, func(a, b string) int {
		return cmp.Or(cmp.Compare(tier(a), tier(b)), strings.Compare(a, b))
	})
	return ws
}

func isAbbreviation(w string) bool {
	return utf8.RuneCountInString(w) > 1 && strings.ToUpper(w) == w
}

func isCyrillicWord(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, r := range w {
		if !unicode.Is(unicode.Cyrillic, r) && r != '-' {
			return false
		}
	}
	return true
}

// kkEndearing reports whether f is the first-person possessive, the plural
// or the possessive plural of the stem (allowing the stem's last consonant
// to change: мектеп → мектебім).
func kkEndearing(stem, f string) bool {
	sr, fr := []rune(stem), []rune(f)
	if len(fr) <= len(sr) || string(fr[:len(sr)-1]) != string(sr[:len(sr)-1]) {
		return false
	}
	added := len(fr) - len(sr)
	for _, e := range []struct {
		endings []string
		added   int
	}{
		{[]string{"ым", "ім", "м"}, 2},
		{[]string{"лар", "лер", "дар", "дер", "тар", "тер"}, 3},
		{[]string{"ларым", "лерім", "дарым", "дерім", "тарым", "терім"}, 5},
	} {
		for _, end := range e.endings {
			if strings.HasSuffix(f, end) && added <= e.added && added >= utf8.RuneCountInString(end)-1 {
				return true
			}
		}
	}
	return false
}
