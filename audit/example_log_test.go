package audit_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/1cb-kz/compliance/audit"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// exampleKeys returns a fresh signer and verifier. A real deployment
// generates the key once with note.GenerateKey, keeps the signer key in a
// secret store and gives the verifier key to its auditors.
func exampleKeys() (note.Signer, note.Verifier) {
	skey, vkey, err := note.GenerateKey(rand.Reader, "audit.example.com/access")
	if err != nil {
		log.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		log.Fatal(err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		log.Fatal(err)
	}
	return signer, verifier
}

func exampleEvent(i int) audit.Event {
	return audit.Event{
		Time:     time.Date(2026, 11, 26, 9, i, 0, 0, time.UTC),
		Actor:    audit.Actor{ID: "emp-17", Role: "support"},
		Action:   audit.ActionRead,
		Resource: "users/profile",
		Purpose:  "support.ticket",
		Outcome:  audit.OutcomeAllowed,
	}
}

// Open a log, append events, sign a checkpoint and prove that an event is
// in the signed tree, as an auditor holding only the verifier key would
// check it.
func ExampleOpen() {
	ctx := context.Background()
	signer, verifier := exampleKeys()
	dir, _ := os.MkdirTemp("", "audit-example-")
	defer os.RemoveAll(dir)

	l, err := audit.Open(ctx, audit.Dir(dir), audit.Options{Signer: signer})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	var receipt audit.Receipt
	for i := range 5 {
		if receipt, err = l.Append(ctx, exampleEvent(i)); err != nil {
			log.Fatal(err) // not durable: deny the access it records
		}
	}
	checkpoint, err := l.Checkpoint(ctx)
	if err != nil {
		log.Fatal(err)
	}
	proof, err := l.InclusionProof(ctx, receipt.Index, 5)
	if err != nil {
		log.Fatal(err)
	}

	// The auditor's side.
	head, err := audit.OpenCheckpoint(checkpoint, verifier)
	if err != nil {
		log.Fatal(err)
	}
	err = tlog.CheckRecord(proof, head.Size, head.Hash, receipt.Index, receipt.Hash)
	fmt.Println(head.Origin, head.Size, err)
	// Output: audit.example.com/access 5 <nil>
}

// Verify a log directory, then catch an edit of one stored event.
func ExampleVerify() {
	ctx := context.Background()
	signer, verifier := exampleKeys()
	dir, _ := os.MkdirTemp("", "audit-example-")
	defer os.RemoveAll(dir)
	l, err := audit.Open(ctx, audit.Dir(dir), audit.Options{Signer: signer})
	if err != nil {
		log.Fatal(err)
	}
	for i := range 3 {
		if _, err := l.Append(ctx, exampleEvent(i)); err != nil {
			log.Fatal(err)
		}
	}
	if err := l.Close(); err != nil { // signs a final checkpoint
		log.Fatal(err)
	}
	fmt.Println(audit.Verify(ctx, audit.Dir(dir), audit.Options{Verifier: verifier}))

	// An administrator edits the log file.
	segment := filepath.Join(dir, "00000000000000000000.seg")
	b, _ := os.ReadFile(segment)
	b[len(b)-20] ^= 1
	os.WriteFile(segment, b, 0o600)

	err = audit.Verify(ctx, audit.Dir(dir), audit.Options{Verifier: verifier})
	var te *audit.TamperError
	if errors.As(err, &te) {
		fmt.Println("tampered entry:", te.Index)
	}
	// Output:
	// <nil>
	// tampered entry: 2
}

// A log grows; the auditor who kept an earlier checkpoint checks that the
// new one extends it, so history was not rewritten in between.
func ExampleLog_ConsistencyProof() {
	ctx := context.Background()
	signer, verifier := exampleKeys()
	dir, _ := os.MkdirTemp("", "audit-example-")
	defer os.RemoveAll(dir)
	l, err := audit.Open(ctx, audit.Dir(dir), audit.Options{Signer: signer})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	for i := range 3 {
		l.Append(ctx, exampleEvent(i))
	}
	old, _ := l.Checkpoint(ctx)
	for i := 3; i < 10; i++ {
		l.Append(ctx, exampleEvent(i))
	}
	cur, _ := l.Checkpoint(ctx)

	oldHead, _ := audit.OpenCheckpoint(old, verifier)
	curHead, _ := audit.OpenCheckpoint(cur, verifier)
	proof, err := l.ConsistencyProof(ctx, oldHead.Size, curHead.Size)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tlog.CheckTree(proof, curHead.Size, curHead.Hash, oldHead.Size, oldHead.Hash))
	// Output: <nil>
}

// The same log in PostgreSQL, through database/sql with any driver.
func ExampleDB() {
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	signer, verifier := exampleKeys()
	l, err := audit.Open(ctx, audit.DB(db), audit.Options{Signer: signer})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := l.Append(ctx, exampleEvent(0)); err != nil {
		log.Fatal(err)
	}
	if err := l.Close(); err != nil {
		log.Fatal(err)
	}
	if err := audit.Verify(ctx, audit.DB(db), audit.Options{Verifier: verifier}); err != nil {
		log.Fatal(err)
	}
}

// An auditor keeps the checkpoint of each visit outside the database and
// checks the log against it on the next: whoever can delete rows can
// delete the newest entries, their hashes and their checkpoints together,
// which Verify alone cannot tell from a log that never had them.
func ExampleVerify_keptCheckpoints() {
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	verifier, err := note.NewVerifier(os.Getenv("AUDIT_VERIFIER_KEY"))
	if err != nil {
		log.Fatal(err)
	}
	kept, err := os.ReadFile("audit-2026-10.checkpoint") // from the last visit
	if err != nil {
		log.Fatal(err)
	}
	err = audit.Verify(ctx, audit.DB(db), audit.Options{Verifier: verifier, Checkpoints: [][]byte{kept}})
	var te *audit.TamperError
	switch {
	case errors.As(err, &te):
		fmt.Println("log tampered from entry", te.Index)
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("log verifies and extends the kept checkpoint")
	}
}
