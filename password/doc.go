// Package password implements clauses 2.1 and 2.2 of the platform's security
// Rules: a password policy whose "complex" means hard to guess for the way
// Kazakh and Russian speakers choose passwords, argon2id storage, reuse
// history, expiry, and breached-password checks.
//
//	if err := password.Check(pw, user.Login, user.Email, user.Name); err != nil {
//		var pe *password.PolicyError
//		if errors.As(err, &pe) {
//			return pe.Messages(user.Lang) // "kk", "ru" or "en"; one per violation
//		}
//	}
//	encoded, err := password.Hash(pw) // store encoded, never pw
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
// йцукен123! (qwerty on the Russian layout), З"ыыц0кв1 (P@ssw0rd1 on it),
// Нұрлан2024!, Vfhecz2024! (Маруся on the Latin layout) and an IIN all
// satisfy the composition rule and all fall early to such an attack.
// [Check] refuses them.
//
// [Strength] follows zxcvbn (Wheeler, USENIX Security 2016): it finds the
// patterns in a password and the decomposition with the fewest guesses.
// Its lists (internal/wordlist, with their sources and licences) hold about
// 900,000 words: Russian and Kazakh word forms, names with diminutives,
// surnames, patronymics, places, organisations, phrases, ten European
// languages and a multilingual leaked-password list. Every list and every
// reading of the password is spelled in one alphabet, so a word is found in
// Cyrillic, with Kazakh letters as their Russian look-alikes, in the usual
// romanisations (passport, GOST, chat, the 2021 Kazakh Latin alphabet),
// typed on the other keyboard layout (symbols and the Kazakh digit row
// included), with l33t undone in either script, reversed, and run
// together with another word. Keyboard walks and blocks (qweasdzxc,
// 1qaz2wsx), the phone keypad (adgjmptw), sequences, repeats, years, dates,
// IINs and the user's own inputs are patterns too. An [Estimate] never holds
// the password or a part of it.
//
// # Breaches and storage
//
// [OpenPwnedFile] binary-searches the offline Have I Been Pwned file;
// [HIBPClient] sends a 5-character SHA-1 prefix with padding;
// [CommonPasswords] needs nothing. Each looks up the NFKC form that Hash
// stores. [Policy.Check] consults [Policy.Breach] when it is set, so a
// failed look-up is an error wrapping [ErrBreachCheck], never a silent pass.
//
// [Verify] refuses planted hashes before computing (memory, passes, lanes,
// lengths), verifies legacy bcrypt, and compares in constant time;
// [NeedsRehash] tells when to upgrade at login. For an unknown login,
// [VerifyAbsent] spends a Verify's work so timing does not reveal accounts.
// A [Hasher] adds a pepper (HMAC-SHA256 before argon2id, key id stored,
// rotation at login) and bounds concurrent hashes; a [Secret] prints as
// "[REDACTED]".
//
// Everything that may block takes a context first: [Policy.Check] (only
// [Policy.Breach] blocks), [Policy.CheckChange], [Hasher.Hash],
// [Hasher.Verify], [Hasher.VerifyAbsent], and the breach checkers.
// [Check], [Hash] and [Verify] are the same over the defaults, without
// cancellation. Errors match the sentinels of errors.go with [errors.Is].
//
// # Limits
//
//   - A strength estimate is a model of an attacker, not a proof. A word in
//     no list counts as random letters; on words absent from every list,
//     four in five mangled ones are still refused, through their structure.
//     DESIGN.md gives the measured rates and how they were tuned.
//   - Costs are bounded: input over 128 characters is refused before any
//     analysis, user inputs count up to 16 of 64 characters, and no Check
//     takes more than 2 ms of CPU. The first estimate loads the index of
//     the word lists, prebuilt and embedded (2.9 MB of the binary): about
//     60 ms of CPU, 22 MB allocated and 14 MiB held for the life of the
//     process. Call [Strength] once at start-up to pay it there. Importing
//     the package costs nothing until then, and a program that calls only
//     [Hash] and [Verify] does not link the index.
//   - Characters are runes after NFKC (№ is kept as typed), not grapheme
//     clusters.
//   - History compares exact passwords: Almaty2024! → Almaty2025! is not
//     reuse, and is refused only if weak on its own.
//   - A breach corpus is searched for the NFKC form and the form typed.
//   - Secret keeps a password out of fmt, JSON, text, gob and slog output,
//     not out of reflection-based dumpers or unexported struct fields.
package password
