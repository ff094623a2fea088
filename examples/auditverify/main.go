// Command auditverify checks an audit log directory written by
// github.com/1cb-kz/compliance/audit, as an auditor would: it recomputes
// every hash and the Merkle tree, checks the signature of every stored
// checkpoint with the log's public key, and checks the log against any
// checkpoints the auditor kept from earlier visits.
//
// Usage:
//
//	auditverify -key 'audit.example.com/access+1234abcd+AbC...' [-checkpoint FILE]... DIR
//
// -key takes the verifier key (note.NewVerifier format) or @FILE to read it
// from a file. It exits 0 if the log verifies, 1 if it was tampered with
// or damaged (printing the first bad entry and checkpoint), and 2 on any
// other error. It never modifies the directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/1cb-kz/compliance/audit"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(s string) error { *f = append(*f, s); return nil }

// run is the command; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("auditverify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", "", "verifier key of the log, or @FILE")
	var known fileList
	fs.Var(&known, "checkpoint", "signed checkpoint kept from an earlier audit (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *key == "" {
		fmt.Fprintln(stderr, "usage: auditverify -key KEY|@FILE [-checkpoint FILE]... DIR")
		return 2
	}
	vkey := *key
	if name, ok := strings.CutPrefix(vkey, "@"); ok {
		b, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(stderr, "auditverify:", err)
			return 2
		}
		vkey = strings.TrimSpace(string(b))
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		fmt.Fprintln(stderr, "auditverify: bad verifier key:", err)
		return 2
	}
	var cps [][]byte
	for _, name := range known {
		b, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(stderr, "auditverify:", err)
			return 2
		}
		cps = append(cps, b)
	}
	dir := fs.Arg(0)
	err = audit.VerifyWithCheckpoints(ctx, dir, v, cps)
	var te *audit.TamperError
	switch {
	case errors.As(err, &te):
		fmt.Fprintf(stderr, "auditverify: %s: TAMPERED: %v\n", dir, err)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "auditverify: %s: %v\n", dir, err)
		return 2
	}
	fmt.Fprintf(stdout, "%s: log verifies\n", dir)
	return 0
}
