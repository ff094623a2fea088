package main

import (
	"path/filepath"
	"strings"
)

// kazakhFold maps the nine Kazakh letters to the Russian letters users type
// for them on a Russian keyboard.
var kazakhFold = strings.NewReplacer(
	"ә", "а", "ғ", "г", "қ", "к", "ң", "н", "ө", "о", "ұ", "у", "ү", "у", "һ", "х", "і", "и",
	"Ә", "А", "Ғ", "Г", "Қ", "К", "Ң", "Н", "Ө", "О", "Ұ", "У", "Ү", "У", "Һ", "Х", "І", "И",
)

// withRussianSpelling adds after every word in Kazakh spelling the same
// word with the Kazakh letters folded (Нұрлан, Нурлан).
func withRussianSpelling(ws []string) []string {
	out := make([]string, 0, 2*len(ws))
	for _, w := range ws {
		out = append(out, w)
		if f := kazakhFold.Replace(w); f != w {
			out = append(out, f)
		}
	}
	return out
}

// withCompactForms adds after every entry written with spaces or hyphens
// the same entry without them ("хан шатыр", "ханшатыр").
func withCompactForms(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w)
		if c := strings.NewReplacer(" ", "", "-", "").Replace(w); c != w {
			out = append(out, c)
		}
	}
	return out
}

// nameEntry is a line of given_names_{male,female}.txt: a name and its
// diminutives.
type nameEntry struct {
	name string
	dims []string
}

func readNames(path string) ([]nameEntry, error) {
	lines, err := readText(path)
	if err != nil {
		return nil, err
	}
	out := make([]nameEntry, 0, len(lines))
	for _, l := range lines {
		name, dims, _ := strings.Cut(l, ":")
		out = append(out, nameEntry{strings.TrimSpace(strings.ToLower(name)), strings.Fields(strings.ToLower(dims))})
	}
	return out, nil
}

// givenNames interleaves the male and female names, each name followed by
// its diminutives, and adds the Russian spelling of Kazakh names.
func givenNames(dir string) func() ([]string, error) {
	return func() ([]string, error) {
		male, err := readNames(filepath.Join(dir, "given_names_male.txt"))
		if err != nil {
			return nil, err
		}
		female, err := readNames(filepath.Join(dir, "given_names_female.txt"))
		if err != nil {
			return nil, err
		}
		flat := func(es []nameEntry) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.name)
				out = append(out, e.dims...)
			}
			return out
		}
		return withRussianSpelling(interleave(flat(male), flat(female))), nil
	}
}

// patronymics derives, from each male name in rank order, the Kazakh
// patronymics (-ұлы, -қызы) and the Russian ones (-ович, -овна and their
// variants), then adds the Russian spelling of the Kazakh forms.
func patronymics(dir string) func() ([]string, error) {
	return func() ([]string, error) {
		male, err := readNames(filepath.Join(dir, "given_names_male.txt"))
		if err != nil {
			return nil, err
		}
		var out []string
		for _, e := range male {
			out = append(out, e.name+"ұлы", e.name+"қызы")
			out = append(out, russianPatronymics(kazakhFold.Replace(e.name))...)
		}
		return withRussianSpelling(out), nil
	}
}

// russianPatronymics returns the masculine and feminine Russian patronymic
// of a name in Russian spelling.
func russianPatronymics(n string) []string {
	switch {
	case n == "дмитрий" || n == "георгий":
		s := strings.TrimSuffix(n, "й")
		return []string{s + "евич", s + "евна"}
	case strings.HasSuffix(n, "ий"):
		s := strings.TrimSuffix(n, "ий")
		return []string{s + "ьевич", s + "ьевна"}
	case strings.HasSuffix(n, "й"):
		s := strings.TrimSuffix(n, "й")
		return []string{s + "евич", s + "евна"}
	case strings.HasSuffix(n, "ь"):
		s := strings.TrimSuffix(n, "ь")
		return []string{s + "евич", s + "евна"}
	case n == "илья":
		return []string{"ильич", "ильинична"}
	case strings.HasSuffix(n, "а"), strings.HasSuffix(n, "я"):
		s := n[:len(n)-len("а")]
		return []string{s + "ич", s + "ична"}
	case strings.HasSuffix(n, "и"), strings.HasSuffix(n, "ж"), strings.HasSuffix(n, "ш"), strings.HasSuffix(n, "ч"), strings.HasSuffix(n, "щ"), strings.HasSuffix(n, "ц"):
		return []string{n + "евич", n + "евна"}
	}
	return []string{n + "ович", n + "овна"}
}
