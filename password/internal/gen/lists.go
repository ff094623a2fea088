package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Limits on the lists of the @zxcvbn-ts language packs, which are longer
// than a password attacker's useful dictionary of a language users here
// rarely write in.
const (
	wordsPerLanguage = 30000
	namesPerLanguage = 10000
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
		{"given_names", givenNames(lists)},
		{"surnames", surnames(lists, text("surnames"))},
		{"patronymics", patronymics(lists)},
		{"places", compact(text("places"))},
		{"organisations", compact(text("organisations"))},
		{"culture", compact(text("culture"))},
		{"phrases", compact(text("phrases"))},
		{"platform", text("platform")},
		{"affixes", text("affixes")},
		// Built from downloads (-raw).
		{"leaked_multilingual", zxcvbnTS(raw, "common", 0, "passwords")},
		{"ru_words", ruWords(raw)},
		{"kk_words", kkWords(raw)},
		{"en_wikipedia", zxcvbnTS(raw, "en", 0, "wikipedia")},
		{"en_common", zxcvbnTS(raw, "en", 0, "commonWords")},
		{"de_words", zxcvbnTS(raw, "de", wordsPerLanguage, "commonWords", "wikipedia")},
		{"de_names", zxcvbnTS(raw, "de", namesPerLanguage, "firstnames", "lastnames")},
		{"fr_words", zxcvbnTS(raw, "fr", wordsPerLanguage, "commonWords", "wikipedia")},
		{"fr_names", zxcvbnTS(raw, "fr", namesPerLanguage, "firstnames", "lastnames")},
		{"es_words", zxcvbnTS(raw, "es-es", wordsPerLanguage, "commonWords", "wikipedia")},
		{"es_names", zxcvbnTS(raw, "es-es", namesPerLanguage, "firstnames", "lastnames")},
		{"it_words", zxcvbnTS(raw, "it", wordsPerLanguage, "commonWords", "wikipedia")},
		{"it_names", zxcvbnTS(raw, "it", namesPerLanguage, "firstnames", "lastnames")},
		{"pt_words", zxcvbnTS(raw, "pt-br", wordsPerLanguage, "commonWords", "wikipedia")},
		{"pt_names", zxcvbnTS(raw, "pt-br", namesPerLanguage, "firstnames", "lastnames")},
		{"nl_words", zxcvbnTS(raw, "nl-be", wordsPerLanguage, "commonWords", "wikipedia")},
		{"nl_names", zxcvbnTS(raw, "nl-be", namesPerLanguage, "boysFirstnames", "girlsFirstnames", "lastnames")},
		{"pl_words", zxcvbnTS(raw, "pl", wordsPerLanguage, "commonWords", "wikipedia")},
		{"pl_names", zxcvbnTS(raw, "pl", namesPerLanguage, "maleFirstnames", "femaleFirstnames", "maleLastnames", "femaleLastnames")},
		{"cs_words", zxcvbnTS(raw, "cs", wordsPerLanguage, "commonWords", "wikipedia")},
		{"cs_names", zxcvbnTS(raw, "cs", namesPerLanguage, "firstnames", "lastnames")},
		{"fi_words", zxcvbnTS(raw, "fi", wordsPerLanguage, "commonWords", "wikipedia")},
		{"fi_names", zxcvbnTS(raw, "fi", namesPerLanguage, "maleFirstnames", "femaleFirstnames", "lastnames")},
		{"id_words", zxcvbnTS(raw, "id", wordsPerLanguage, "commonWords", "wikipedia")},
		{"id_names", zxcvbnTS(raw, "id", namesPerLanguage, "names")},
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

// surnames returns the hand-compiled surnames, then those formed from every
// male given name the way most Kazakh surnames are (Нұрлан → Нұрланов,
// Әли → Әлиев, Никита → Никитин); after each masculine form its feminine
// (-ов → -ова, -ев → -ева, -ин → -ина, -ский → -ская), then the Russian
// spelling of Kazakh-spelled ones.
func surnames(dir string, base func() ([]string, error)) func() ([]string, error) {
	return func() ([]string, error) {
		ws, err := base()
		if err != nil {
			return nil, err
		}
		male, err := readNames(filepath.Join(dir, "given_names_male.txt"))
		if err != nil {
			return nil, err
		}
		for _, e := range male {
			if s := surnameOf(e.name); s != "" {
				ws = append(ws, s)
			}
		}
		var out []string
		for _, w := range ws {
			out = append(out, w)
			if f := feminine(strings.ToLower(w)); f != "" {
				out = append(out, f)
			}
		}
		return withRussianSpelling(out), nil
	}
}

// compact adds the forms without spaces and hyphens.
func compact(base func() ([]string, error)) func() ([]string, error) {
	return func() ([]string, error) {
		ws, err := base()
		if err != nil {
			return nil, err
		}
		return withCompactForms(ws), nil
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

// surnameOf forms a surname from a male name, or returns "".
func surnameOf(n string) string {
	if s, ok := map[string]string{"илья": "ильин", "павел": "павлов", "лев": "львов", "михаил": "михайлов", "пётр": "петров", "дмитрий": "дмитриев", "юрий": "юрьев"}[n]; ok {
		return s
	}
	switch {
	case strings.HasSuffix(n, "ий"), strings.HasSuffix(n, "ь"):
		return "" // Russian names whose surnames the hand-compiled list has (Васильев, Игорев is rare)
	case strings.HasSuffix(n, "й"):
		return n[:len(n)-len("й")] + "ев"
	case strings.HasSuffix(n, "а"), strings.HasSuffix(n, "я"):
		return n[:len(n)-len("а")] + "ин"
	case strings.HasSuffix(n, "и"), strings.HasSuffix(n, "ж"), strings.HasSuffix(n, "ш"), strings.HasSuffix(n, "ч"), strings.HasSuffix(n, "щ"), strings.HasSuffix(n, "ц"):
		return n + "ев"
	}
	last, _ := utf8.DecodeLastRuneInString(n)
	if strings.ContainsRune("еёоуыэюәіөүұ", last) {
		return ""
	}
	return n + "ов"
}
