// Package compliance turns the information-security and confidentiality
// Rules of First Credit Bureau's electronic auction platform (dmas.kz,
// Rules version 1.0, 2026) into checks that Go programs import.
//
// The module holds five independent packages; each can be imported alone and
// none imports another, so a service takes only what it needs and a security
// team audits only what it uses:
//
//   - [github.com/1cb-kz/compliance/password]: password policy, strength,
//     argon2id storage, history and breached-password checks (clauses 2.1, 2.2).
//   - [github.com/1cb-kz/compliance/pii]: field-level encryption with key
//     rotation, tokens bound to their table, column and row, blind indexes,
//     erasure by key destruction, data-minimisation checks; its package
//     pii/redact finds and masks personal data (identifiers, names, addresses)
//     in text and logs (3.1, 4.2, 5.2, 7.1).
//   - [github.com/1cb-kz/compliance/anonymize]: k-anonymous aggregation with
//     primary and secondary suppression, audited by the reader's linear
//     program, for partner statistics with hierarchical subtotals and their
//     cumulative releases (6.2).
//   - [github.com/1cb-kz/compliance/consent]: consent ledger sealed under a
//     key the database does not hold, signed receipts, legal-basis exceptions,
//     notice versions and data-subject requests (6.1, 7.1, 8.1).
//   - [github.com/1cb-kz/compliance/audit]: access gate for trained,
//     authorised staff and a tamper-evident access log (5.1, 5.2).
//
// # Clause map
//
// Each clause of the Rules (the Kazakh original prevails; clause numbers are
// the original's) and what enforces it. "Host" marks a duty of the host's
// infrastructure that a library cannot discharge; the library's part, where it
// has one, is named beside it.
//
//	Clause  Duty                                          Enforced by
//	1.1     scope of the Rules                            this module as a whole
//	1.2     users protect their own information           host (user education); password.Check helps
//	2.1     complex passwords, >= 8 chars, letters,       password.DefaultPolicy, password.Check,
//	        digits and special characters                 password.Strength
//	2.2     regular change; never stored in the clear;    password.Policy.MaxAge, password.Policy.Expired,
//	        never handed to third parties                 password.Policy.CheckChange (history),
//	                                                      password.Hash, password.Verify, password.NeedsRehash,
//	                                                      password.VerifyAbsent, password.Secret,
//	                                                      password.Policy.Check with Breach (breached passwords)
//	2.3     access only from trusted devices/networks     host infrastructure (device and network controls)
//	3.1     collect only what the service needs           pii.CheckMinimal, pii.Inventory, pii.Undeclared,
//	                                                      piitest.RequireMinimal, piitest.RequireDeclared
//	3.2     storage in Kazakhstan, restricted access      host infrastructure (data residency, network)
//	4.1     traffic encrypted with SSL/TLS                host infrastructure (TLS termination)
//	4.2     restricted-access storage with physical and   host infrastructure for servers and premises;
//	        logical protection                            pii.Encryptor (Seal, Open, EncryptString) for the
//	                                                      logical protection of stored fields, each token
//	                                                      bound to its table, column and row
//	5.1     access only by authorised, trained staff      audit.Gate.Authorize (no durable record, no access),
//	                                                      audit.Open, audit.Log (Append, Checkpoint,
//	                                                      InclusionProof, ConsistencyProof), audit.Verify
//	5.2     staff keep data confidential                  audit.Log (who saw what), redact.Text,
//	                                                      redact.NewHandler, redact.Mask (package pii/redact:
//	                                                      identifiers, names and addresses)
//	6.1     no transfer without consent, except by law    consent.Ledger.Check (records sealed under a key
//	                                                      the database does not hold), consent.Ledger.Grant,
//	                                                      consent.Ledger.Withdraw, consent.Ledger.AllowByLaw,
//	                                                      consent.Ledger.Verify, consent.Ledger.Receipt,
//	                                                      consent.VerifyReceipt (signed receipts)
//	6.2     partners get anonymised statistics only       anonymize.NewAggregator, anonymize.Aggregator.Release
//	                                                      (protection intervals proved against the reader's
//	                                                      LP), anonymize.Aggregator.ReleaseAfter with a
//	                                                      History (cumulative reports), anonymize.Verify,
//	                                                      anonymize.ReleaseSQL
//	7.1     access, correction and deletion on demand     consent.Ledger.OpenRequest, SetRequestStatus, Overdue,
//	                                                      Export; pii.Encryptor.Forget (erasure by key
//	                                                      destruction)
//	7.2     requests through info@1cb.kz                  host (support desk); consent records the requests
//	8.1     users notified of changes to the Rules        consent.Ledger.PublishNotice,
//	                                                      consent.Ledger.PendingNotifications,
//	                                                      consent.Ledger.RecordNotification
//	9.1     contact for questions                         host (support desk)
//
// The runnable program in examples/auction plays a day of the platform with
// every package together and prints the clause behind each step.
package compliance
