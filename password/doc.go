// Package password implements clauses 2.1 and 2.2 of the platform's security
// Rules: a password policy whose "complex" means hard to guess for the way
// Kazakh and Russian speakers choose passwords, argon2id storage, reuse
// history, expiry, and breached-password checks.
//
//	// Sign-up or change: refuse weak, reused and breached passwords.
//	p := password.DefaultPolicy() // clause 2.1 as written
//	p.Breach = pwned              // optional: a *PwnedFile or an *HIBPClient
//	err := p.CheckChange(ctx, pw, user.History, user.Login, user.Email, user.Name)
//	if pe, ok := errors.AsType[*password.PolicyError](err); ok {
//		return pe.Messages(user.Lang), nil // "kk", "ru" or "en"; one per violation
//	} else if err != nil {
//		return nil, err // a breach or history check that failed: never a pass
//	}
//	stored, err := password.Hash(ctx, pw) // argon2id PHC string: store it, never pw
//
//	// Login. For an unknown account call password.VerifyAbsent(ctx, pw) instead:
//	// it costs what Verify costs, so timing does not reveal accounts.
//	ok, err := password.Verify(ctx, pw, stored) // argon2id or legacy bcrypt
//	if ok && password.NeedsRehash(stored) {
//		stored, err = password.Hash(ctx, pw) // upgrade legacy or weaker hashes
//	}
//
// [Check] is [DefaultPolicy] without history or breach corpus, for the
// common case: password.Check(pw, user.Login, user.Email).
//
// # Clauses
//
//   - 2.1 "Users must use complex passwords at least 8 characters long, made of
//     letters, digits and special characters." [DefaultPolicy] is this clause
//     with "complex" made to mean a [Strength] score of 3 (10⁸ guesses).
//   - 2.2 "Changing the password regularly is recommended; a password must not
//     be kept in the clear, nor handed to third parties." [Hash] stores
//     argon2id (RFC 9106, OWASP's m=19 MiB, t=2, p=1) as a PHC string;
//     [Policy.CheckChange] refuses the last [Policy.History] passwords and,
//     with [Policy.Breach], passwords known from breaches; [Policy.Expired]
//     prompts a change after [Policy.MaxAge].
//
// [NISTPolicy] follows NIST SP 800-63B-4 and OWASP ASVS 5.0 instead (15
// characters, no composition rule, no expiry): choosing it departs from the
// letter of clause 2.1, choosing [DefaultPolicy] earns ASVS findings for the
// composition rule and the expiry. Policies are plain structs.
//
// # Threat
//
// Attackers guess: online, the most common passwords against many accounts,
// or a victim's name, birthday and city against one; offline, after a leak,
// dictionaries through mangling rules. Qwerty123!, P@ssw0rd1, Almaty2024!,
// йцукен123! (qwerty on the Russian layout), Нұрлан2024!, Vfhecz2024!
// (Маруся on the Latin layout) and an IIN all satisfy the composition rule
// and all fall early to such an attack. [Check] refuses them.
//
// [Strength] follows zxcvbn (Wheeler, USENIX Security 2016): it finds the
// patterns in a password and the decomposition with the fewest guesses, over
// about 900,000 words (internal/wordlist, with sources and licences): Russian
// and Kazakh word forms, names, surnames, places, phrases, ten European
// languages and leaked passwords. A word is found in Cyrillic, in the usual
// romanisations, typed on the other keyboard layout, with l33t undone,
// reversed, and run together with another; keyboard walks, sequences,
// repeats, years, dates, IINs and the user's own inputs are patterns too.
// An [Estimate] never holds the password or a part of it.
//
// # Breaches and storage
//
// [OpenPwnedFile] binary-searches the offline Have I Been Pwned file;
// [HIBPClient] sends a 5-character SHA-1 prefix with padding;
// [MultiBreachChecker] consults several; [Policy.RejectCommon] refuses the
// embedded common passwords without a corpus. Each looks up the NFKC form
// that Hash stores.
//
// [Verify] refuses planted hashes before computing (memory, passes, lanes,
// lengths), verifies legacy bcrypt, and compares in constant time. A
// [Hasher] from [NewHasher] adds a pepper (HMAC-SHA256 before argon2id, key
// id stored, rotation at login), other [Params] and its own bound on
// concurrent hashes; the package-level functions are a Hasher over the
// defaults. A [Secret] prints as "[REDACTED]".
//
// Everything that may block takes a context first: [Hash], [Verify] and
// [VerifyAbsent] (they wait for a computation slot), [Policy.Check] (only
// [Policy.Breach] blocks), [Policy.CheckChange], the methods of [Hasher] and
// the breach checkers.
//
// # Errors
//
// A refused password is a [*PolicyError] matching [ErrPolicy]; a breach
// corpus that could not be consulted matches [ErrBreachCheck], whoever
// reports it; a stored hash that cannot be verified matches
// [ErrMalformedHash] or [ErrUnsupportedHash]; a configuration that cannot
// work matches [ErrInvalidConfig]. No error carries a password, a hash, a
// key or personal data.
//
// # Limits
//
//   - A strength estimate is a model of an attacker, not a proof. A word in
//     no list counts as random letters; on words absent from every list,
//     four in five mangled ones are still refused, through their structure.
//     DESIGN.md gives the measured rates and how they were tuned.
//   - Input over 128 characters is refused before any analysis, user inputs
//     count up to 16 of 64 characters, and no Check takes more than 2 ms of
//     CPU. The first estimate loads the embedded index of the word lists,
//     a one-time cost held for the life of the process (DESIGN.md); call
//     [Strength] once at start-up to pay it there. A program that calls only
//     [Hash] and [Verify] does not link the index.
//   - Characters are runes after NFKC (№ is kept as typed), not grapheme
//     clusters.
//   - History compares exact passwords: Almaty2024! → Almaty2025! is not
//     reuse, and is refused only if weak on its own.
//   - Secret keeps a password out of fmt, JSON, text, gob and slog output,
//     not out of reflection-based dumpers or unexported struct fields.
package password
