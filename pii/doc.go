// Package pii protects the personal data of the auction platform's users:
// field-level encryption with key rotation, blind indexes for equality
// search, erasure by key destruction, and masking, detection and redaction
// of personal data in text and logs, with minimisation checks.
//
// # Clauses served
//
// Rules for ensuring the information security and confidentiality of the
// electronic auction platform (1cb.kz, 2026):
//
//   - 3.1 "The Platform collects only the information needed": Inventory and
//     CheckMinimal list and limit the categories a struct holds (`pii` tags).
//   - 4.2 "Users' personal data are stored ... protected by logical security
//     measures": Encryptor seals tagged fields before they reach the
//     database, its replicas, dumps and backups, which hold only tokens.
//   - 5.2 "Employees must keep data confidential when working with it":
//     blind indexes let support look a user up by e-mail or phone without
//     decrypting a column; masking and redaction keep personal data out of
//     screens and logs.
//   - 7.1 "Users may demand ... deletion": Forget destroys a subject's data
//     key, which makes every copy of that subject's tokens unreadable.
//
// # Threats answered
//
//   - A stolen dump, replica, backup or SQL-injection read of the tables
//     yields tokens, not personal data; without the keyring (kept outside
//     the database) they are useless.
//   - A token copied into another user's row, another column or another
//     table fails to decrypt: the context (type or table, column, record id)
//     is authenticated, and each column has its own key.
//   - Any modification of a token (every single-bit flip is tested, for
//     every bit of a token) fails with ErrDecrypt.
//   - Key compromise or policy: keys rotate without downtime; old keys
//     become decrypt-only, then disabled, then destroyed.
//   - A deletion request reaches backups: the subject's data key is
//     destroyed, so the subject's tokens in old backups cannot be decrypted
//     (see "Erasure" for the exact conditions).
//
// Not answered: an attacker who runs code in the service process, or holds
// both the database and the keyring, reads everything the service can read.
// Tokens do not hide the length of the value (to 1 byte) nor when it was
// written; blind indexes reveal which rows share a value (see below).
//
// # Example
//
//	kr, err := pii.KeyringFromEnv("PII_KEYRING") // pii.NewKeyring() for a new one
//	enc, err := pii.NewEncryptor(kr)
//
//	type User struct {
//		ID         string
//		Name       string `pii:"name,encrypt"`
//		Email      string `pii:"email,encrypt,index=EmailIndex"`
//		EmailIndex string
//	}
//	err = enc.Seal(&u, u.ID)  // before INSERT/UPDATE: Name and Email become tokens
//	idx, err := enc.BlindIndex("User.EmailIndex", "Aliya@Example.kz") // WHERE email_index = $1
//	err = enc.Open(&u, u.ID)  // after SELECT
//
// EncryptString and DecryptString do the same for one value, with an
// explicit context (table, column, record id).
//
// # Construction, and why
//
// Tokens are XChaCha20-Poly1305 (golang.org/x/crypto/chacha20poly1305.NewX,
// draft-irtf-cfrg-xchacha) with a random 192-bit nonce, under a per-column
// 256-bit subkey derived with HKDF-SHA256 (crypto/hkdf, RFC 5869) from a
// keyring key. A 192-bit random nonce never runs out: after 2^64 messages
// under one subkey the collision probability is still about 2^-65, so a
// long-lived key needs no counter and no message limit. AES-256-GCM with
// random 96-bit nonces would have to be retired after 2^32 messages per key.
//
// The candidates were XAES-256-GCM (c2sp.org/XAES-256-GCM) and
// XChaCha20-Poly1305, both with 192-bit nonces, to be chosen by benchmark.
// Go 1.26 ships XAES-256-GCM only in an internal package
// (crypto/internal/fips140/aes/gcm), so it was built from crypto/aes and
// crypto/cipher in internal/xaes and checked against the C2SP vectors,
// including the 10 000-iteration accumulated test. On this machine (Intel
// Xeon with AES-NI, VAES, AVX-512; 2 cores shared with other builds, so
// single figures vary by up to 2x between runs; go test -bench RawSeal,
// random nonce included):
//
//	                      32 B                          1 KiB
//	XChaCha20-Poly1305     928 ns,    0 B, 0 allocs   1635 ns,    0 B, 0 allocs
//	XAES-256-GCM          2206 ns, 1312 B, 3 allocs   2831 ns, 1312 B, 3 allocs
//	AES-256-GCM (96-bit)   536 ns,    0 B, 0 allocs    992 ns,    0 B, 0 allocs
//
// XAES derives a fresh AES-256 key per message, and the standard library
// can only take it through aes.NewCipher and cipher.NewGCM, which expand
// the key schedule and allocate 1.3 KB per message: across runs XAES was
// 1.4 to 2.4 times slower than XChaCha20-Poly1305 at 32 B and 1.3 to 1.7
// times at 1 KiB, and a 3-field Seal would allocate about 4 KiB against the
// 1 KiB budget. XChaCha20-Poly1305 costs one HChaCha20 per message (pure
// Go in x/crypto: about half of a 32-byte seal, per pprof) and allocates
// nothing. It is therefore the construction; AES-256-GCM stays
// faster but has the nonce limit above.
//
// # Performance
//
// BenchmarkRatio alternates each path with its raw baseline in chunks of the
// same run (the baseline: the same AEAD, a fresh crypto/rand nonce, the same
// associated data, into a reused buffer), after warming both up, so that
// both see the same load on a shared machine:
//
//	go test -run '^$' -bench 'Ratio|BenchmarkSeal$|BenchmarkOpen$' -benchmem -count 6 ./pii/
//
// Medians of two such runs on 2 shared cores (the second with the machine
// about 20% slower throughout), as multiples of raw XChaCha20-Poly1305:
//
//	                              32 B                 1 KiB
//	EncryptString (text)          1.58x / 1.69x        2.57x / 2.67x
//	DecryptString (text)          1.80x / 1.76x        2.66x / 2.87x
//	  vs raw + base64 + string    1.23x, 1.25-1.31x    1.07-1.08x
//	Encrypt (binary)              1.35x / 1.35x        1.36x / 1.39x
//	Decrypt (binary)              1.45x / 1.55x        1.39x / 1.46x
//	AppendEncrypt                 1.30x / 1.22x        1.10x / 1.14x
//	AppendDecrypt                 1.31x / 1.32x        1.16x / 1.20x
//
// Against raw AES-256-GCM with a 96-bit nonce (faster, but limited to 2^32
// messages per key) the same paths take 4.3-4.5x / 6.5-7.2x (text) and
// 3.4-3.6x / 5.6-5.7x (binary) at 32 B, 6.4-6.7x / 8.5-8.6x and
// 3.4x / 4.3x at 1 KiB.
//
// The text form cannot come within 1.5x of the bare AEAD at 1 KiB: base64
// encoding of the token alone takes 1.02-1.07x the raw seal, decoding
// 1.12-1.29x the raw open (0.20-0.23x and 0.26-0.28x at 32 B), and the
// result is a fresh string. The "vs raw + base64 + string" row compares
// with what any VARCHAR-safe token costs written by hand, base64(nonce ||
// ciphertext) as a string: the library's own work (key id and context
// binding, subkey lookup, pooled buffers) adds 7 to 31 percent to it. Where
// the encoding matters, store tokens in a BYTEA column with Encrypt and
// Decrypt, or AppendEncrypt and AppendDecrypt into reused buffers.
//
// Nothing on these paths takes a lock. Each Encryptor caches, per subkey
// purpose (kind, table, column), the primary key's subkey, revalidated
// against the keyring's generation (changed by every Rotate, SetState,
// SetMinDecryptVersion and SetIndexKey) with one atomic load, in a
// copy-on-write map read with one atomic load; tokens under older keys go
// through the keyring's read lock. The caches hold subkeys only through the
// keyring: destroying a key empties them.
//
// Seal of a 5-field struct (three encrypted fields, one blind index) takes
// 2.2 to 3.0 µs and allocates 288 B in one allocation: all new values are
// substrings of one string, and the fields' nonces come from one crypto/rand
// read. That is 1.48-1.62x the raw work it does (three seals and an HMAC);
// per pprof, three HChaCha20 subkey derivations (pure Go in x/crypto) take
// a fifth of it and base64 an eighth. Open takes 1.5 to 2.3 µs, 64 B in 3
// allocations, 1.60-1.90x three raw opens: one string per plaintext, never
// shared, so that a field the caller keeps does not keep the row's other
// personal data alive.
//
// BlindIndex of a 27-byte e-mail takes 1.52-1.72x one HMAC-SHA256 with a
// pre-keyed, reused hmac.Hash (about 200 ns with SHA-NI), and 1.51-1.62x a
// sync.Pool of keyed HMACs, the raw form that is as safe for concurrent use
// as BlindIndex. AppendBlindIndex into a reused buffer takes 1.26-1.55x and
// allocates nothing; the result string of BlindIndex costs 14% of it,
// measured directly. The rest is normalisation, the pooled HMAC's get and
// put and the index-name lookup; the ratio varies most between runs, as
// the path touches more memory than the HMAC alone. The keyed HMACs are
// pooled per index and restored by Reset from their saved keyed state,
// where hmac.New per call would take 720-800 ns and 6 allocations.
//
// # Token format
//
//	pii1.<base64url, no padding, canonical>(kind || key-id || nonce || ciphertext || tag)
//
//	kind    1 byte: 0x01 value under a keyring key, 0x02 value under a subject
//	        data key (EncryptFor), 0x03 subject data key wrapped by a keyring key
//	key-id  4 bytes big-endian: the keyring key; 0 in subject tokens
//	nonce   24 random bytes
//	tag     16 bytes (Poly1305)
//	AAD     "pii1." || kind || key-id || [len || subject] || for each context element: uvarint(len) || element
//	subkey  HKDF-SHA256(salt "github.com/1cb-kz/compliance/pii keyring v1", key;
//	        info "pii1 aead\x00" || kind || encoded context minus its last element)
//
// Encrypt and Decrypt give the same token in binary form for BYTEA columns:
// "pii1" || kind || key-id || nonce || ciphertext || tag (the same AAD, so
// the two forms are interchangeable encodings), BinaryTokenLen(n) = n + 49
// bytes, without the cost of base64 (see "Performance"). AppendEncrypt and
// AppendDecrypt write into a caller's buffer; ReencryptBinary rotates.
//
// The text is ASCII, safe for VARCHAR, JSON and URLs; TokenLen(n) gives its
// length for n bytes of plaintext (65 + about 4n/3: a 254-byte e-mail needs
// VARCHAR(404)). The prefix carries the version, a value without it is
// legacy plaintext (WithLegacyPlaintext) or an error (strict, the default),
// and the decoder rejects non-canonical base64, so each token has one text
// form. The whole context is authenticated; all elements but the last
// select the subkey, so pass them from the general to the specific: table,
// column, record id.
//
// # Keys: states and rotation
//
// A Keyring holds 256-bit keys with uint32 ids, each in one state: primary
// (encrypts; exactly one), decrypt-only, disabled (refuses everything, keeps
// its material, reversible), destroyed (material erased, and every subkey
// derived from it dropped from the Encryptors' caches; irreversible).
// SetMinDecryptVersion refuses every token (and wrapped subject key) under a
// key below an id at once; it does not stop blind indexes, whose key
// Rotate leaves in place. Its JSON form
// (Export, ParseKeyring, LoadKeyringFile, KeyringFromEnv) holds the key
// material in base64 and is secret: keep it in a secret manager or a 0600
// file, never in the database it protects nor in that database's backups.
// LoadKeyringFile refuses (ErrKeyringFileMode) a file that group or others
// may read or write, except on Windows; on Kubernetes, mount the secret with
// defaultMode 0400. ParseKeyring reads exactly one JSON value with the
// format's field names, each once and in their case: whatever two JSON
// readers could read differently (trailing data, "Keys" for "keys", a
// repeated "keys") is refused. String, LogValue and MarshalJSON never
// reveal key material. A Keyring is safe for concurrent use; rotation may
// happen while others encrypt.
//
// Rotation procedure:
//
//  1. kr.Rotate() and publish the new keyring (Export) to every instance;
//     new tokens use the new key, old ones still decrypt.
//  2. Run Reencrypt (or ReencryptBatch, which reports per-item errors;
//     ReencryptBinary for binary tokens) over every encrypted column, and
//     RewrapSubjectKey over every subject; a token already under the primary
//     key comes back unchanged.
//  3. SetState(old, KeyDisabled) and watch for ErrUnknownKey: a token that
//     was missed fails loudly, and the step can be undone.
//  4. SetState(old, KeyDestroyed) once backups taken before step 2 have
//     expired (or are to become unreadable on purpose).
//
// Blind indexes derive from the keyring's index key (Keyring.IndexKey),
// which Rotate does not change, so lookups keep working; to retire it,
// SetIndexKey(new) and recompute every stored index value (Open then Seal
// each row: Seal alone leaves fields that already hold tokens, and their
// indexes, as they are) before destroying it.
//
// # Blind indexes: leakage and sizing
//
// BlindIndex is HMAC-SHA256, under the index's own subkey, of the value
// normalised by category (e-mail trimmed, NFC, lower-cased; Kazakh phone
// numbers to E.164 +7XXXXXXXXXX; IIN and card numbers to digits; IBAN
// upper-cased without spaces), truncated to the index's bits. It leaks
// equality: whoever reads the table sees which rows share a value, and
// whoever can also make the service compute indexes can confirm guesses. For
// low-entropy values (an IIN has about 2^30 plausible values, a birth date
// about 2^15), set IndexConfig.Slow to put argon2id before the HMAC.
// AppendBlindIndex writes into a caller's buffer, for batches of lookups or
// a re-index, without allocating.
//
// Truncation is the defence: with fewer bits, unrelated rows share index
// values, so a value no longer singles a row out. RecommendIndexBits(rows)
// gives CipherSweet's range: at most floor(log2(rows)) bits, so that values
// coincide at table scale, and at least ceil(log2(rows)/2), so that a lookup
// returns no more than about √rows candidates (decrypt and compare them; a
// truncated match is not proof). For a million users, 10 to 19 bits. When
// several indexes cover one column, their bits add up against the maximum.
// DefaultIndexBits (32) favours exact lookups over this protection; set Bits
// with the planner when the table's size is known.
//
// # Erasure (7.1)
//
// With WithSubjectKeys, EncryptFor and SealFor encrypt under a per-subject
// 256-bit data key, created on first use and stored wrapped (encrypted under
// the keyring, bound to the subject id) in a SubjectKeyStore: in memory, or
// in PostgreSQL through database/sql (SQLSubjectKeyStore). Forget(ctx,
// subject) replaces the wrapped key with a tombstone; from then on every
// token of the subject, wherever a copy survives (replicas, exports,
// backups of the data), fails with ErrErased, and the subject id is never
// given a new key. Each EncryptFor or DecryptFor reads the store once, and
// SealFor or OpenFor once per struct: nothing is cached, so an erasure takes
// effect on every instance at once.
//
// What the host must do too:
//
//   - Delete the subject's blind-index values (and any other derived data):
//     an index value is a keyed hash of the plaintext, still comparable
//     after erasure, so it is not erased by Forget.
//   - The key store's own history keeps the wrapped key: PostgreSQL keeps
//     the old row version until VACUUM, and WAL archives and base backups
//     of the key store keep it for their retention. A wrapped key is useless
//     without the keyring key that wrapped it, so erasure is final once
//     those copies expire or that keyring key is destroyed after
//     RewrapSubjectKey has moved the live subjects (see rotation). Keep the
//     key store's backup retention short, or rotate and destroy keyring
//     keys on the same schedule.
//   - Backups never held the subject's plaintext: it existed only in the
//     service's memory, so nothing else needs to be scrubbed from them.
//
// # Masking, detection and redaction
//
// Clause 5.2 (confidentiality in staff tools and logs) and 3.1 (collect only
// what is needed). Masks: MaskEmail, MaskPAN (at most the BIN and last four,
// per PCI DSS 3.4.1; the BIN only for 16+ digits, so six or more digits stay
// hidden), MaskPhone, MaskIIN (date of birth and sex always hidden), MaskIBAN,
// MaskName. Input that is too short or malformed becomes a fixed "****";
// nothing panics.
//
// Validators: ValidIIN/ValidBIN (Decree No. 565: weights 1–11, then 3–11,1,2,
// mod 11, plus date/type plausibility), ValidPAN (13–19 digits, first digit
// 2–6, or 8–9 for 16 digits in one run or four groups of four as UzCard and
// Humo print them; Luhn; groups separated by one to three spaces or hyphens,
// at most one of them a hyphen), ValidKZIBAN (ISO 13616 mod-97, electronic or
// print form), ValidKZPhone (+7/8/7, number starting 6 or 7). Card and phone
// numbers may use the no-break spaces U+00A0 and U+202F between groups.
//
// Scan makes one ASCII pass and returns non-overlapping matches in byte
// offsets, leftmost-longest. A number counts only if it passes its checksum
// and stands apart from letters, digits and decimal points, so hashes, UUIDs
// and timestamps rarely match. On random digit strings: 0.44% of 12-digit
// strings and about 5% of 13–19-digit strings are reported (the Luhn limit),
// 7.1% at 16 digits, where first digits 8 and 9 count too (5.1% before
// UzCard and Humo were recognised), against 100% for a regexp without
// checksums. Phone numbers have no checksum: 3.8% of random 11-digit strings
// match. (go test -run TestFalsePositiveRate -v ./pii/)
//
// Redact masks each match. RedactingWriter and RedactStream cut a stream only
// where no match can span (control characters, non-ASCII bytes other than
// those of a no-break space, `",:;<>[\]`, or between letters far from '@'
// and "KZ"), so their output equals Redact of the whole text. With no such
// place within MaxPending (1 MiB) they fail closed with ErrNoSafeCut. Redact
// runs at roughly 70–120 MB/s on mixed text, 30–45 times a regexp-only scan
// (go test -run XXX -bench 'BenchmarkRedact$|BenchmarkScan$|Baseline|RedactStream' ./pii/).
//
// NewRedactingHandler wraps any slog.Handler. It redacts the message and
// string, number, error, Stringer and %+v-formatted values, and IINs logged
// as integers that lost their leading zero (born 2001–2009 or October to
// December 2000). It masks whole attributes, map entries and struct fields
// whose key or name names a category (email, phone, iin, IINNumber, card,
// cvv, iban, first_name, FirstName, address, birth_date, passport…), numbers
// included. Values whose type has pii tags, at any depth, are logged as
// groups with their tagged fields masked, unexported ones included; their
// String, Error, MarshalJSON, MarshalText and LogValue methods are not
// called, as they may show those fields.
//
// Inventory lists tagged fields, nested ones included. CheckMinimal fails with
// *MinimisationError (errors.Is ErrNotMinimal) outside the allowed set
// (default: name, email, payment). Undeclared flags untagged fields named like
// personal data ("Email", "IINNumber", "cvv"...), exported or not, that can
// hold text or numbers (strings, numbers of any size, bytes, times, interface
// values, and pointers, slices and maps of them); tag a field `pii:"-"` to
// declare it holds none.
// piitest.RequireMinimal and RequireDeclared make either check a one-line CI
// test.
//
// Limits: no detection of names or addresses in free text, internationalised
// e-mail addresses, non-ASCII digits, card numbers with dots, or phone numbers
// without a +7/8 prefix. The handler does not recognise an integer of 9
// digits as an IIN (born January to September 2000): about 3% of 9-digit
// numbers would pass. An error that wraps a value of a tagged type is shown
// by its own Error text, as only the logged value's own type is checked.
// E-mail local parts never include '=' or '/' (logfmt and URL paths).
// Everything is safe for concurrent use except a RedactingWriter.
//
// # Limits
//
//   - Seal and Open handle exported string fields, through nested and
//     embedded structs and pointers to structs, as one record. They refuse
//     slices, arrays and maps of tagged structs, recursive types and
//     interface values that hold them, shadowed or ambiguous promoted
//     fields and fields sharing memory through pointers, unless the field
//     is tagged `pii:"-"` (then seal each value in its own call, with its
//     own record id). Before this, Seal handled only the top-level fields
//     and nested structs were sealed in their own calls under their own
//     type name: tag such fields `pii:"-"` to keep those rows readable.
//     Empty strings stay empty, and fields already holding a valid token of
//     their field and record are left alone, so Seal is idempotent.
//   - The Go type and field names are part of the context: renaming either
//     requires Open under the old and Seal under the new definition.
//   - Values are at most MaxPlaintext (1 MiB); field-level encryption is for
//     short values, not documents.
//   - Neither XChaCha20-Poly1305 nor the token format commits to the key;
//     the key id in the header selects a single key, so this does not matter
//     here, but tokens must not be used where an attacker chooses keys.
//   - Go cannot guarantee that freed memory holding keys or plaintext is
//     overwritten; buffers are cleared where this package owns them.
//   - Migration mode (WithLegacyPlaintext) accepts any value without the
//     token prefix as plaintext, so whoever can write the column can
//     substitute a value; enable it only while migrating, and watch
//     LegacyReads fall to zero before returning to strict mode.
//   - A forgotten subject's id stays in the key store as a tombstone (so it
//     is never re-keyed): use an opaque user id as subject, not an e-mail.
//   - SQLSubjectKeyStore speaks PostgreSQL's SQL ($n placeholders, ON
//     CONFLICT); another database needs its own SubjectKeyStore.
package pii
