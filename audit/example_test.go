package audit_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/1cb-kz/compliance/audit"
	"golang.org/x/mod/sumdb/note"
)

// The main path, as in the package documentation: set up the signer, open
// the log, decide accesses through the gate, and let an auditor verify the
// log with the public key and a checkpoint kept from the last visit.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "audit-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Once: generate the key, keep skey in a secret store, give vkey to
	// the auditors.
	skey, vkey, err := note.GenerateKey(rand.Reader, "audit.example.com/access")
	if err != nil {
		log.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		log.Fatal(err)
	}
	accessLog, err := audit.Open(ctx, audit.Dir(dir), audit.Options{Signer: signer})
	if err != nil {
		log.Fatal(err)
	}

	staff := audit.NewMemoryDirectory(audit.Staff{ID: "emp-17", Roles: []string{"support"},
		Active: true, TrainedAt: time.Now().AddDate(0, -1, 0), TrainingValidFor: 365 * 24 * time.Hour})
	policy := audit.AccessPolicy{Grants: []audit.Grant{{Role: "support",
		Actions: []audit.Action{audit.ActionRead}, Purposes: []string{"support.ticket"}}}}
	gate := audit.NewGate(staff, policy, accessLog, audit.GateOptions{})

	subjectKey := make([]byte, 32) // in production: a secret key from the host's key store
	pseudonyms, err := audit.NewPseudonymizer(subjectKey)
	if err != nil {
		log.Fatal(err)
	}
	for _, purpose := range []string{"support.ticket", "marketing"} {
		err := gate.Authorize(ctx, audit.Access{Employee: "emp-17", Action: audit.ActionRead,
			Subject: pseudonyms.Subject("account-1001"), Resource: "users/profile", Purpose: purpose})
		fmt.Println(purpose, "denied:", errors.Is(err, audit.ErrDenied))
	}
	kept, err := accessLog.Checkpoint(ctx) // the auditor keeps this
	if err != nil {
		log.Fatal(err)
	}
	if err := accessLog.Close(); err != nil {
		log.Fatal(err)
	}

	// The auditor's side.
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		log.Fatal(err)
	}
	err = audit.Verify(ctx, audit.Dir(dir), audit.Options{Verifier: verifier, Checkpoints: [][]byte{kept}})
	fmt.Println("verified:", err)
	// Output:
	// support.ticket denied: false
	// marketing denied: true
	// verified: <nil>
}
