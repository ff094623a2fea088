// Command eval writes the evaluation corpora of password/testdata/eval:
// mangled weak passwords split into a tune half and a held-out half by a
// hash of their base word, weak passwords built from words that are in no
// embedded list (foreign), and random strong passwords. It is deterministic:
// a fixed seed, and the same inputs give the same files.
//
//	go run ./password/internal/gen/eval -raw /tmp/wordlist-raw -out password/testdata/eval
//
// -raw is the directory fetch.sh fills (the foreign corpus reads Debian's
// Ukrainian dictionary, the Russian and Kazakh affix
// expansions and the parts of the @zxcvbn-ts lists that are not embedded).
// See password/testdata/eval/README.md for what each file holds.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

const seed = 20261207

func main() {
	raw := flag.String("raw", "", "directory of the downloaded sources (fetch.sh)")
	out := flag.String("out", "password/testdata/eval", "output directory")
	flag.Parse()
	if *raw == "" {
		log.Fatal("eval: -raw is required (the foreign corpus needs the downloaded sources)")
	}
	if err := run(*raw, *out); err != nil {
		log.Fatal(err)
	}
}

// entry is one line of a corpus: the password, the source of its base word
// (or the generator), the transforms applied, joined by '+', and the base
// word (empty for random passwords).
type entry struct {
	password, source, transform, base string
}

func run(raw, out string) error {
	lists := embedded()
	tune, heldout := weakSplit(lists)
	foreign, err := foreignCorpus(raw, lists)
	if err != nil {
		return err
	}
	strong := strongCorpus(lists)
	for name, es := range map[string][]entry{
		"tune.txt": tune, "heldout.txt": heldout, "foreign.txt": foreign, "strong.txt": strong,
	} {
		if err := write(filepath.Join(out, name), es); err != nil {
			return err
		}
	}
	return nil
}

// rngFor returns the random generator of one part of a corpus: the fixed
// seed, one stream per part, so that each part can be rebuilt alone and a
// change to one list does not reshuffle the others.
func rngFor(corpus string) *rand.Rand {
	var stream uint64
	for _, c := range corpus {
		stream = stream*31 + uint64(c)
	}
	return rand.New(rand.NewPCG(seed, stream))
}

func write(path string, es []entry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, e := range es {
		if strings.ContainsAny(e.password+e.base, "\t\n\r") {
			return fmt.Errorf("eval: %s: a password with a tab or newline (%s)", path, e.transform)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.password, e.source, e.transform, e.base)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
