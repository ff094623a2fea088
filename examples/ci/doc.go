// Package ci is a tiny host service, with the tests a host keeps in its own
// CI so that a change that breaks the platform's Rules fails the build:
//
//   - clause 2.1 and 2.2 on its registration handler (Accounts.Register),
//     through net/http/httptest: weak passwords are refused with the rule they
//     break, in Kazakh, Russian or English after Accept-Language; the response
//     never echoes the password; a compliant password is stored as an argon2id
//     hash only, and the personal data sealed; an unreachable breach corpus
//     refuses the registration (503) rather than pass the password unchecked;
//   - clause 3.1 on its data model (User), in one line each with
//     pii/piitest: RequireMinimal (only name, e-mail and payment details) and
//     RequireDeclared (no untagged Email, Phone, IIN…); a second test shows
//     what they catch;
//   - clause 6.2 on its partner report (PartnerReport), with anonymize.Verify
//     on the released table before it leaves; a second test shows that a
//     report where a small cell was published fails with
//     anonymize.ErrDisclosive;
//   - FuzzRegister: no request body makes the handler panic or answer with
//     a server error.
//
// Run them with
//
//	go test ./examples/ci
//
// The service itself is deliberately small: rows are kept in a map and the
// keyring is made per test. A real host loads its keyring from a secret
// manager (pii.KeyringFromEnv) and sets Policy.Breach to a breach corpus
// (password.OpenPwnedFile or the HIBP client); here the policy's own list
// of common passwords (Policy.RejectCommon) stands in for it.
package ci
