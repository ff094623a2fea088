package audit_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/1cb-kz/compliance/audit"
)

// gateExampleLog opens a Log in a temporary directory with a fresh key.
func gateExampleLog() (*audit.Log, func()) {
	dir, err := os.MkdirTemp("", "audit-example")
	if err != nil {
		log.Fatal(err)
	}
	skey, _, err := note.GenerateKey(rand.Reader, "audit.example.com/access")
	if err != nil {
		log.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		log.Fatal(err)
	}
	l, err := audit.Open(context.Background(), audit.Dir(dir), audit.Options{Signer: signer})
	if err != nil {
		log.Fatal(err)
	}
	return l, func() { l.Close(); os.RemoveAll(dir) }
}

// The gate checks an employee against the staff directory and the access
// policy, and records the decision in the log before it returns.
func ExampleGate_Authorize() {
	accessLog, cleanup := gateExampleLog()
	defer cleanup()

	staff := audit.NewMemoryDirectory(
		audit.Staff{ID: "emp-17", Roles: []string{"support"}, Active: true,
			TrainedAt: time.Now().AddDate(0, -1, 0), TrainingValidFor: 365 * 24 * time.Hour},
		audit.Staff{ID: "emp-18", Roles: []string{"support"}, Active: true}, // no training on record
	)
	policy := audit.AccessPolicy{Grants: []audit.Grant{
		{Role: "support", Actions: []audit.Action{audit.ActionRead}, Purposes: []string{"support.ticket"}},
	}}
	gate := audit.NewGate(staff, policy, accessLog, audit.GateOptions{})

	key := make([]byte, 32) // in production: a secret key from the host's key store
	pseudonyms, err := audit.NewPseudonymizer(key)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, emp := range []string{"emp-17", "emp-18"} {
		err := gate.Authorize(ctx, audit.Access{
			Employee: emp,
			Action:   audit.ActionRead,
			Subject:  pseudonyms.Subject("user-1001"),
			Resource: "users/profile",
			Purpose:  "support.ticket",
		})
		var denied *audit.DeniedError
		switch {
		case err == nil:
			fmt.Println(emp, "allowed")
		case errors.As(err, &denied):
			fmt.Println(emp, "denied:", denied.Code)
		default:
			log.Fatal(err)
		}
	}
	fmt.Println("decisions logged:", accessLog.Size())
	// Output:
	// emp-17 allowed
	// emp-18 denied: untrained
	// decisions logged: 2
}

// Break glass lets an on-call engineer act outside the grants in an
// emergency; it needs a reason and the event is flagged for review.
func ExampleAccess_breakGlass() {
	staff := audit.NewMemoryDirectory(audit.Staff{ID: "emp-3", Roles: []string{"oncall"}, Active: true,
		TrainedAt: time.Now().AddDate(0, -1, 0), TrainingValidFor: 365 * 24 * time.Hour})
	policy := audit.AccessPolicy{BreakGlassRoles: []string{"oncall"}}
	accessLog, cleanup := gateExampleLog()
	defer cleanup()
	gate := audit.NewGate(staff, policy, accessLog, audit.GateOptions{})

	a := audit.Access{Employee: "emp-3", Action: audit.ActionUpdate, Resource: "lots", BreakGlass: true}
	fmt.Println(gate.Authorize(context.Background(), a))
	a.Reason = "INC-42: fraudulent lots, stop the auction"
	fmt.Println(gate.Authorize(context.Background(), a))
	// Output:
	// audit: access denied: break_glass_no_reason
	// <nil>
}

func ExampleEvent_MarshalBinary() {
	e := audit.Event{
		Time:    time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC),
		Actor:   audit.Actor{ID: "emp-17", Role: "support"},
		Action:  audit.ActionRead,
		Outcome: audit.OutcomeDenied,
		Reason:  "forged?\ntime=2026-11-26T12:00:01Z actor=\"admin\"",
	}
	data, err := e.MarshalBinary()
	if err != nil {
		log.Fatal(err)
	}
	var back audit.Event
	if err := back.UnmarshalBinary(data); err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.String())
	// Output:
	// time=2026-11-26T12:00:00Z actor="emp-17" role="support" action="read" subject="" resource="" purpose="" outcome=denied reason="forged?\ntime=2026-11-26T12:00:01Z actor=\"admin\"" correlation_id=""
}

func ExamplePseudonymizer_Subject() {
	key := []byte("an example key of 32 bytes, only") // use 32 random bytes
	p, err := audit.NewPseudonymizer(key)
	if err != nil {
		log.Fatal(err)
	}
	s := p.Subject("user-1001")
	fmt.Println(strings.HasPrefix(string(s), "ps1:"), len(s), s == p.Subject("user-1001"))
	// Output: true 68 true
}

func ExampleMarshalOCSF() {
	e := audit.Event{
		Time:    time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC),
		Actor:   audit.Actor{ID: "emp-17", Role: "support"},
		Action:  audit.ActionDelete,
		Outcome: audit.OutcomeDenied,
		Reason:  "not_authorized",
	}
	line, err := audit.MarshalOCSF(e, audit.OCSFProduct{Name: "backoffice", VendorName: "example"})
	if err != nil {
		log.Fatal(err) // an invalid Event: never dropped silently
	}
	fmt.Println(string(line)) // one line per event, e.g. to the SIEM collector's stream
	// Output:
	// {"activity_id":7,"activity_name":"Delete","category_uid":6,"category_name":"Application Activity","class_uid":6005,"class_name":"Datastore Activity","type_uid":600507,"type_name":"Datastore Activity: Delete","time":1795694400000,"severity_id":2,"severity":"Low","status_id":2,"status":"Failure","status_detail":"not_authorized","action_id":2,"action":"Denied","disposition_id":2,"disposition":"Blocked","message":"delete denied","metadata":{"version":"1.3.0","product":{"name":"backoffice","vendor_name":"example"}},"actor":{"user":{"uid":"emp-17","groups":[{"name":"support"}]}},"type_id":0,"type":"Unknown","unmapped":{"action":"delete"}}
}

// In production the gate reads staff from the host's own HR tables, with a
// query written for their schema (see NewSQLDirectory for its columns).
func ExampleNewSQLDirectory() {
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	staff := audit.NewSQLDirectory(db, `
		SELECT r.role, s.active, s.trained_at, s.training_valid_seconds
		FROM staff s LEFT JOIN staff_roles r ON r.staff_id = s.id
		WHERE s.id = $1`)
	accessLog, cleanup := gateExampleLog()
	defer cleanup()
	policy := audit.AccessPolicy{Grants: []audit.Grant{{Role: "support",
		Actions: []audit.Action{audit.ActionRead}, Purposes: []string{"support.ticket"}}}}
	gate := audit.NewGate(staff, policy, accessLog, audit.GateOptions{})
	err = gate.Authorize(ctx, audit.Access{Employee: "emp-17", Action: audit.ActionRead, Purpose: "support.ticket"})
	var denied *audit.DeniedError
	if errors.As(err, &denied) && denied.Code == audit.DenyDirectoryError {
		log.Print("HR database unavailable: access denied, decision logged")
	}
}
