// Package audit enforces and proves clauses 5.1 and 5.2 of the platform's
// security Rules:
//
//   - 5.1 Access to users' personal data is given only to authorised
//     employees who have been trained in security and confidentiality.
//   - 5.2 All employees must keep data confidential when working with it.
//
// A [Gate] decides each access to personal data and records the decision in
// a [Log], an append-only RFC 6962 Merkle tree whose signed checkpoints let
// an auditor prove, with nothing but a public key, that no record was
// edited, deleted, inserted or reordered since.
//
//	// Every err is checked as usual (the package Example runs this in full).
//	// Once: generate the key, keep skey in a secret store, give vkey to auditors.
//	skey, vkey, err := note.GenerateKey(rand.Reader, "audit.example.com/access")
//	signer, err := note.NewSigner(skey)
//	accessLog, err := audit.Open(ctx, audit.Dir("/var/lib/app/audit"), audit.Options{Signer: signer})
//	defer accessLog.Close()
//
//	staff := audit.NewMemoryDirectory(audit.Staff{ID: "emp-17", Roles: []string{"support"},
//		Active: true, TrainedAt: trainedAt, TrainingValidFor: 365 * 24 * time.Hour})
//	policy := audit.AccessPolicy{Grants: []audit.Grant{{Role: "support",
//		Actions: []audit.Action{audit.ActionRead}, Purposes: []string{"support.ticket"}}}}
//	gate := audit.NewGate(staff, policy, accessLog, audit.GateOptions{})
//
//	pseudonyms, err := audit.NewPseudonymizer(subjectKey) // 32 secret bytes
//	err = gate.Authorize(ctx, audit.Access{Employee: "emp-17", Action: audit.ActionRead,
//		Subject: pseudonyms.Subject(accountID), Resource: "users/profile", Purpose: "support.ticket"})
//	if err != nil {
//		return err // errors.Is(err, audit.ErrDenied): do not read; the denial is logged
//	}
//	// read the profile
//
// The auditor, holding vkey and the checkpoints kept from earlier visits:
//
//	verifier, err := note.NewVerifier(vkey)
//	err = audit.Verify(ctx, audit.Dir(path), audit.Options{Verifier: verifier, Checkpoints: kept})
//
// [DB] keeps the same log in PostgreSQL through database/sql instead.
//
// # Threat
//
// An insider who read data they should not have, and who can edit the
// audit table or files, deletes the record. Staff without current
// training, who have left, or whose role has no business with the data,
// read it anyway. The log itself becomes a store of personal data, or a
// channel for forged records. The gate refuses the second; the log makes
// every change of a record detectable against a signed checkpoint; events
// name data subjects only by keyed [Pseudonym], and no field can forge a
// second record in any rendering (CWE-117).
//
// # The gate
//
// A [Directory] (the host's HR system through [SQLDirectory], or a
// [MemoryDirectory]) gives each employee's roles, whether they are active,
// and when their training was done and for how long it counts. An
// [AccessPolicy] lists which role may do which [Action] for which purpose.
// [Gate.Authorize] denies by default and denies unknown, inactive,
// untrained and expired-training staff and any access no [Grant] covers;
// break glass ([Access].BreakGlass) needs a break-glass role and a reason,
// and is flagged for review. Every decision is appended to the log before
// Authorize returns, and an access whose decision could not be made
// durable is denied ([DenyLogError]), with the reason given to
// GateOptions.Logger. Errors match [ErrDenied]; a [*DeniedError] carries
// the [DenialCode].
//
// # The log
//
// Each [Event] is encoded canonically ([Event.MarshalBinary]) and becomes
// a leaf of the tree (golang.org/x/mod/sumdb/tlog). [Log.Append] returns
// once the entry is durable; concurrent appends share one commit.
// [Log.Checkpoint] signs the tree head as a C2SP tlog-checkpoint note, only
// after proving it extends the last one (a [*TamperError] otherwise);
// [Log.InclusionProof] and [Log.ConsistencyProof] give proofs that
// tlog.CheckRecord and tlog.CheckTree verify. One Log at a time writes a
// backend ([ErrLocked]).
//
// No durable record, no access: an append is acknowledged only after its
// batch is synced and the log's directory and files are found still in
// place; a failed sync, a full or read-only disk, or the directory
// removed or replaced makes Append fail, and after a failure that leaves
// the files in doubt every Append returns [ErrLogFailed] until the log is
// reopened. Open repairs the torn tail a crash leaves, never an
// acknowledged entry, and returns a [*TamperError] for damage it cannot
// explain. [Verify] recomputes every hash, checks every checkpoint and
// names the first bad entry.
//
// [MarshalOCSF] exports an event to a SIEM as one line of OCSF Datastore
// Activity JSON; an Event is also a [log/slog.LogValuer]. Every text
// rendering escapes control characters (C0, DEL, C1 such as NEL), U+2028,
// U+2029 and bidirectional controls.
//
// # Limits
//
// The gate proves that a decision was made and recorded, not that the host
// asked it before every access, nor that the employee kept the data
// confidential afterwards (clause 5.2 is a duty of people; the log and its
// review deter). Roles and training are only as true as the Directory. If
// the log is unavailable, every access is denied. The log proves history
// unchanged since it was checkpointed, not who appended: entries after the
// newest checkpoint are protected by their stored hashes only, and
// truncation together with the newest checkpoints is caught only by a
// checkpoint kept elsewhere (Options.Checkpoints). Keep the signing key off
// the log's storage. Design and measurements: DESIGN.md in this directory.
package audit
