// Package audit enforces and proves clauses 5.1 and 5.2 of the platform's
// security Rules:
//
//   - 5.1 Access to users' personal data is given only to authorised
//     employees who have been trained in security and confidentiality.
//   - 5.2 All employees must keep data confidential when working with it.
//
// It has two halves. The [Gate] decides, for each access to personal data,
// whether the employee may make it, and records the decision. The [Log]
// keeps those records in a form nobody can rewrite unnoticed, so the host
// can show an auditor who accessed whose data, when, why, and that the
// record is complete.
//
// # Threat
//
// The toy version of an access record is an audit_log table that any
// database administrator can edit: an insider who read data they should not
// have deletes the row, and the record says nothing happened. The second
// threat is the one clause 5.1 names: staff without current security
// training, staff who have left, or staff whose role has no business with
// the data, reading personal data anyway. The gate answers the second by
// refusing such access and the log answers the first by making every
// edit, deletion, insertion or reordering of records detectable. A third,
// quieter threat is the audit log itself becoming a store of personal data
// or a channel for forged entries: events name data subjects only by keyed
// pseudonyms, and no field can inject a second record (CWE-117).
//
// # Events
//
// An [Event] is one record, with the content NIST SP 800-53 AU-3 and the
// OWASP Logging Cheat Sheet ask for: when (UTC, nanoseconds), who (actor id
// and the role they acted under), what (an [Action] such as read, update,
// delete, export, transfer, login), on whose data (Subject) and which data
// (Resource), why (Purpose), with what result ([Outcome]: allowed, denied,
// error) and why that result (Reason), a correlation id, and a flag for
// break-glass access.
//
// [Event.MarshalBinary] is the one canonical encoding, the bytes the log
// hashes: a version byte, the time, flags and outcome in fixed width, then
// each text field with a 16-bit length prefix. Every valid event has
// exactly one encoding and [Event.UnmarshalBinary] accepts only that one
// (no trailing bytes, no unknown flags, no invalid UTF-8); so equal events
// hash equal and no byte inside a field can be read as a field or record
// boundary. Text views ([Event.String], the slog value, the OCSF JSON)
// escape CR, LF, U+2028, U+2029 and every other control character, so no
// field can start a new line; [Event.String] and slog's text handler also
// escape invisible and bidirectional-override characters (JSON keeps them
// verbatim, as its standard allows). Fields are kept verbatim, never
// silently cleaned; an event missing a required field (time, actor id,
// action, outcome) or with a field over [MaxFieldLen]
// bytes is refused with [ErrInvalidEvent].
//
// # Pseudonymous subjects
//
// An Event's Subject is a [Pseudonym] made by a [Pseudonymizer]:
// HMAC-SHA256, under a key the host keeps outside the log, of a stable
// internal account id (not an e-mail address or phone number). The encoder
// refuses anything that is not of that form, so a raw name or e-mail
// address cannot end up in the log by mistake. The log is append-only and
// its hashes must never change, so the right to erasure is met by cutting
// the link instead: once the account is erased nothing maps the pseudonym
// to a person (provided account ids are random, not guessable counters
// the key holder could enumerate), and destroying the key makes every
// pseudonym in the log unlinkable at once. The key holder can still find all records about a
// living account by recomputing its pseudonym, which is what an access
// request by the data subject needs.
//
// # The gate
//
// A [Directory] (the host's HR or identity system: [SQLDirectory] runs the
// host's own query through database/sql, [MemoryDirectory] serves tests and
// small deployments) says for each employee id which roles they
// hold, whether they are active, when they last completed security and
// confidentiality training and how long that training counts. The training
// date SQLDirectory reads must be a timestamptz column (a timestamp
// without time zone is read as if it were UTC, so a date written in local
// time moves by the zone's offset), and a validity of zero or fewer
// seconds means expired. An
// [AccessPolicy] lists grants ([Grant]): which role may do which action for
// which purpose, Fides-style purpose-based access control. [Gate.Authorize]
// denies by default and denies unknown, inactive, untrained and
// expired-training staff and any access no grant covers. It appends every
// decision, allowed or denied, to the log before it returns, and denies
// the access if that append fails: there is no access without a record.
//
// Emergencies need a way around the grants. Break glass ([Access]
// BreakGlass) is open only to holders of a role in the policy's
// BreakGlassRoles, still requires the employee to be active and trained,
// requires a Reason that is more than white space and invisible format
// characters, and flags the event so that every use can be
// reviewed. Every error from Authorize matches [ErrDenied]; a
// [*DeniedError] carries a [DenialCode] such as training_expired, which is
// also the Reason logged, and never personal data.
//
// # The log
//
// [Open] keeps the log in a directory, [OpenDB] in PostgreSQL through
// database/sql; both give the same tree, proofs and checkpoints. Each [Event]
// is encoded with MarshalBinary and becomes a leaf of an RFC 6962 Merkle tree
// (golang.org/x/mod/sumdb/tlog). [Log.Checkpoint] signs the tree head as a
// C2SP tlog-checkpoint note with the Ed25519 note.Signer in [Options], after
// proving with a consistency proof that the tree extends the last checkpoint
// it signed; it never signs a fork or rollback ([ErrInconsistent]).
// [Log.InclusionProof] and [Log.ConsistencyProof] return proofs that
// tlog.CheckRecord and tlog.CheckTree verify against checkpoints. A Log is
// safe for concurrent use; one Log at a time writes a directory (flock) or a
// database (advisory lock). OpenDB creates its three tables only if they
// are missing, so once they exist the application's database role needs
// only INSERT and SELECT on them, and should be given nothing that could
// update or delete a row.
//
// [Log.Append] returns only once the event is durable. Concurrent Appends
// commit together: the directory store writes the batch to append-only
// segment files and fsyncs them, then writes and fsyncs the batch's stored
// hashes (two fsyncs per batch, not per event, and two more for each new
// segment file the batch starts) and only then acknowledges; the
// PostgreSQL store commits the batch as one transaction. After a crash,
// Open truncates the unacknowledged tail (entries whose stored hashes are
// not all on disk) and reports it in [Log.Recovery]. It checks the whole
// directory before it repairs anything, never drops an entry covered by a
// stored checkpoint, and returns a [*TamperError], with the files
// untouched, for damage it cannot explain, such as a damaged checkpoint
// with intact ones after it (a crash tears only the last). Files are
// created under a temporary name and renamed into place once their
// header is durable, so a crash while a log is created cannot leave it
// unopenable. Stored hashes let a
// million-entry log open in milliseconds. A failed write makes Append
// fail; after a failed fsync Append returns [ErrLogFailed] until the log is
// reopened. The files stay consistent.
//
// [Verify] ([VerifyDB], and the examples/auditverify command, for a
// directory or a database) recomputes
// every hash and the tree at each stored checkpoint, checks each checkpoint's
// signature and order, and returns a [*TamperError] naming the first bad
// entry for any edit, deletion, insertion, reordering or truncation.
//
// Limits of the log: it proves history was not changed after it was
// checkpointed; it does not authenticate who appended. Entries after the
// newest checkpoint are protected only by their stored hashes: if those
// hashes are destroyed, Open cannot tell the entries from an
// unacknowledged tail and cuts them (Close, and every Checkpoint, shrink
// that window). Truncation together with deletion of the newest
// checkpoints is caught only by a checkpoint kept elsewhere: give
// checkpoints to auditors and use [VerifyWithCheckpoints] or
// [VerifyDBWithCheckpoints]. Keep the signing key off the log's storage, and
// set Options.Verifier.
//
// Measured on a shared 2-core machine whose disk and CPUs other jobs were
// using (so the figures move by a factor of five from run to run; reproduce
// with `go test -run XXX -bench 'Append|FsyncPerAppend' -benchtime 2s ./audit`
// and `COMPLIANCE_LONG=1 go test -run TestLargeLog -v -bench 'Verify|Proof|Open' -benchtime 3x ./audit`):
// group commit gave 2,000 to 11,000 durable appends per second with 16
// writers against 180 to 1,550 with one commit per append in the same run,
// and 7,000 with 64 writers under load; Verify checks a 1-million-entry log
// at about 600,000 entries per second; that log opens in under 15 ms and an
// inclusion proof at that size takes about 50 µs.
//
// # Exports
//
// [MarshalOCSF] maps an Event to an OCSF 1.3.0 Datastore Activity event
// (class_uid 6005) in JSON for a SIEM, and [NewOCSFHandler] wraps it as a
// [log/slog.Handler]. An Event is also a [log/slog.LogValuer], so any slog
// handler renders it as an escaped group of fields. These are views for
// monitoring and alerting; the Log stays the record of proof.
//
// # Example
//
//	staff := audit.NewMemoryDirectory(audit.Staff{ID: "emp-17", Roles: []string{"support"},
//		Active: true, TrainedAt: trainedAt, TrainingValidFor: 365 * 24 * time.Hour})
//	policy := audit.AccessPolicy{Grants: []audit.Grant{{Role: "support",
//		Actions: []audit.Action{audit.ActionRead}, Purposes: []string{"support.ticket"}}}}
//	gate := audit.NewGate(staff, policy, accessLog) // accessLog from audit.Open
//
//	err := gate.Authorize(ctx, audit.Access{Employee: "emp-17", Action: audit.ActionRead,
//		Subject: pseudonyms.Subject(userID), Resource: "users/profile", Purpose: "support.ticket"})
//	if err != nil {
//		return err // errors.Is(err, audit.ErrDenied); the denial is already logged
//	}
//	// read the profile
//
// # Limits
//
// The gate proves that a decision was made and recorded; it cannot prove
// the host called it before every access, nor that the employee kept the
// data confidential afterwards (clause 5.2 is a duty of people; the log
// and its review are the deterrent). Training dates and roles are only as
// true as the Directory. A Staff record with no training validity period
// is treated as expired: the gate has no default period. Purposes match
// exactly and grants have no wildcards, so a policy says everything it
// allows. If the log is unavailable the gate denies everything, by design:
// availability is traded for the guarantee that no access goes
// unrecorded. A context cancelled during the append leaves the event
// possibly recorded and the access denied.
//
// Gate, MemoryDirectory, SQLDirectory, Pseudonymizer and the OCSF handler
// are safe for concurrent use.
package audit
