// Command auditverify checks an audit log written by
// github.com/1cb-kz/compliance/audit, as an auditor would: it recomputes
// every hash and the Merkle tree, checks the signature of every stored
// checkpoint with the log's public key, and checks the log against any
// checkpoints the auditor kept from earlier visits.
//
// Usage:
//
//	auditverify -key 'audit.example.com/access+1234abcd+AbC...' [-checkpoint FILE]... DIR
//	auditverify -key KEY -db 'host=db.example.com dbname=app user=auditor' [-checkpoint FILE]...
//
// DIR is a log directory (audit.Dir); -db instead takes the connection
// string of a PostgreSQL database holding a log (audit.DB), for the pgx
// driver. -key takes the verifier key (note.NewVerifier format); -key and
// -db also take @FILE to read the value from a file, which keeps a
// password out of the process list. It exits 0 if the log verifies, 1 if
// it was tampered with or damaged (printing the first bad entry and
// checkpoint), and 2 on any other error. It never modifies the log, and it
// never prints the connection string.
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
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(s string) error { *f = append(*f, s); return nil }

const usage = "usage: auditverify -key KEY|@FILE [-checkpoint FILE]... DIR|-db DSN|@FILE"

// run is the command; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("auditverify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", "", "verifier key of the log, or @FILE")
	dsn := fs.String("db", "", "PostgreSQL connection string of a log kept in a database, or @FILE, instead of DIR")
	var known fileList
	fs.Var(&known, "checkpoint", "signed checkpoint kept from an earlier audit (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *key == "" || (*dsn == "") != (fs.NArg() == 1) || fs.NArg() > 1 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	name, verify := "database", func(v note.Verifier, cps [][]byte) error { return verifyDB(ctx, *dsn, v, cps) }
	if *dsn == "" {
		name = fs.Arg(0)
		verify = func(v note.Verifier, cps [][]byte) error {
			return audit.Verify(ctx, audit.Dir(name), audit.Options{Verifier: v, Checkpoints: cps})
		}
	}
	v, cps, err := load(*key, known)
	if err != nil {
		fmt.Fprintln(stderr, "auditverify:", err)
		return 2
	}
	err = verify(v, cps)
	var te *audit.TamperError
	switch {
	case errors.As(err, &te):
		fmt.Fprintf(stderr, "auditverify: %s: TAMPERED: %v\n", name, err)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "auditverify: %s: %v\n", name, err)
		return 2
	}
	fmt.Fprintf(stdout, "%s: log verifies\n", name)
	return 0
}

// load reads the verifier key and the kept checkpoints.
func load(key string, known []string) (note.Verifier, [][]byte, error) {
	vkey, err := readArg(key)
	if err != nil {
		return nil, nil, err
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, nil, fmt.Errorf("bad verifier key: %w", err)
	}
	var cps [][]byte
	for _, name := range known {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, err
		}
		cps = append(cps, b)
	}
	return v, cps, nil
}

// readArg returns s, or the trimmed content of the file s names as @FILE.
func readArg(s string) (string, error) {
	name, ok := strings.CutPrefix(s, "@")
	if !ok {
		return s, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// verifyDB verifies the log in the database dsn names. The connection
// string is parsed here, so that a malformed one gets a fixed message: the
// parser's error, or the driver's on first connect, may quote it, password
// included. Errors of a connection from a parsed config name the host, user
// and database, never the password.
func verifyDB(ctx context.Context, dsn string, v note.Verifier, cps [][]byte) error {
	dsn, err := readArg(dsn)
	if err != nil {
		return err
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return errors.New("bad connection string")
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	return audit.Verify(ctx, audit.DB(db), audit.Options{Verifier: v, Checkpoints: cps})
}
