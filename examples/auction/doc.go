// Command auction plays one day of the dmas.kz auction platform with every
// package of github.com/1cb-kz/compliance together, and prints what happened
// with the clause of the Rules behind each step:
//
//	go run ./examples/auction
//
// It needs no set-up: the consent ledger and the pii subject-key store are in
// memory and the audit log is a directory in a temporary directory, removed at
// the end. Every step checks its own outcome (a withdrawn consent must deny,
// an erased user's backup row must fail with pii.ErrErased, the audit log must
// verify and an edited copy of it must not), and the program exits 1 at the
// first step that does not behave as the Rules require. It finishes in a few
// seconds; go test runs it on a small day, so it cannot rot.
//
// # The day
//
//   - 3.1: the User table's pii tags declare name, e-mail and payment details
//     only, and pii.CheckMinimal and pii.Undeclared say so before anything is
//     collected.
//   - 2.1: every user first tries a weak password (Qwerty123!, Almaty2024!,
//     йцукен123!, Қазақстан2026!, one built from their own e-mail address…),
//     refused with the reasons in Kazakh, Russian or English, then a compliant
//     one.
//   - 2.2: only argon2id hashes are stored, never passwords; an account
//     imported from the previous platform logs in with its bcrypt hash
//     (made here with golang.org/x/crypto/bcrypt), which password.NeedsRehash
//     flags and the login replaces; its password being 13 months old,
//     Policy.Expired prompts a change (the Rules recommend one, so nobody
//     is locked out), the same password is refused as reused and a new one
//     accepted. A login with an unregistered e-mail costs what a real one
//     does (password.VerifyAbsent), so the answer does not reveal accounts.
//   - 4.2: each user's name, e-mail and IBAN are sealed field by field under
//     the user's own data key (pii.Encryptor.SealFor); the users table dump
//     holds tokens only. A keyring rotation re-wraps every data key, moves the
//     blind index to the new key, re-seals every row, disables the old key,
//     checks every row still opens, then destroys the old key.
//   - 5.2: support finds a user from an e-mail address typed in a ticket,
//     through the blind index and a decryption of the candidates, with the
//     access checked and logged by the audit gate.
//   - 6.1: a transfer to a partner bank is denied with no consent and after a
//     refusal, allowed after a grant (citing the consent record), denied again
//     after withdrawal; a transfer to the tax authority is allowed by a
//     registered legal basis, and that use is recorded.
//   - 8.1: a material change of the Rules lists the users to notify; a consent
//     given under the old notice denies until the user is notified and
//     consents again.
//   - 5.1: a trained analyst is let in, an untrained one and one whose
//     training has expired are not, nor is an access no grant covers; every
//     decision is in the audit log.
//   - 6.2: a partner report of bids by region, lot category and month from
//     100,000 synthetic bids (math/rand/v2, seeded by -seed): cells with fewer
//     than 5 distinct bidders or dominated by one bidder are suppressed
//     (primary), then enough others that none can be recovered from the
//     margins (secondary); anonymize.Verify checks the result.
//   - 7.1: an access request is answered with the user's consent history;
//     a deletion request withdraws the user's consents and destroys their data
//     key, after which their row in the backup taken before fails with
//     pii.ErrErased and a lookup by their e-mail finds nobody.
//   - 5.1, 5.2: the audit log is checkpointed, verified with audit.Verify, and
//     the signed checkpoint printed; a copy with one byte changed fails.
//
// # Flags
//
//	-seed N        seed of the synthetic users and bids (default 1)
//	-users N       users who register (default 30, at least 6)
//	-bids N        synthetic bids behind the partner report (default 100000)
//	-out DIR       keep the day's files in DIR (empty or absent): users.jsonl,
//	               users-backup.jsonl, partner-report.csv, access-*.json, the
//	               audit log, its checkpoint and verifier key; the program then
//	               prints the examples/auditverify command that checks the log
//	-postgres DSN  keep the consent ledger, the subject keys and the audit log
//	               in PostgreSQL (an empty database), through the pgx
//	               database/sql driver
//
// # What is simulated
//
// The users table is a map written out as JSON lines, the keyring and the
// staff directory are in memory (a host loads the keyring with
// pii.KeyringFromEnv and reads staff from its HR system with
// audit.SQLDirectory), and the program keeps the users' passwords in memory
// to play their logins. The consent texts are placeholders; the legal basis
// (Law 94-V Art. 9) and the three-day deadlines of data-subject requests are
// example configuration, to be set from the law in force. The bids are
// synthetic; nothing here is real data.
package main
