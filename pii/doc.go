// Package pii keeps the personal data of the auction platform's users out of
// its database in the clear: it seals tagged struct fields into tokens before
// they are stored, opens them after they are read, looks rows up by e-mail or
// phone through blind indexes, erases a user by destroying their key, and
// checks that a type holds only the personal data it needs. Masking and
// redaction of personal data in text and logs are in package pii/redact.
//
// # The main path
//
//	kr, err := pii.KeyringFromEnv("PII_KEYRING") // pii.NewKeyring() for a new one
//	enc, err := pii.NewEncryptor(kr, pii.Options{})
//
//	type User struct {
//		_          struct{} `pii:"table=users"` // optional: the table tokens are bound to
//		ID         string
//		Name       string `pii:"name,encrypt"`
//		Email      string `pii:"email,encrypt,index=EmailIndex"`
//		EmailIndex string
//	}
//	err = enc.Seal(&u, u.ID) // before INSERT/UPDATE: Name and Email become tokens
//	idx, err := enc.BlindIndex("users.EmailIndex", "Aliya@Example.kz") // WHERE email_index = $1
//	err = enc.Open(&u, u.ID) // after SELECT
//
// [Encryptor.Seal] binds each token to its table, field and row. The table
// is the name a blank field declares, which survives renaming or moving the
// type, or else the Go type's package path and name. For one value outside
// a struct, [Encryptor.EncryptString] and [Encryptor.DecryptString] take the
// associated data (table, column, row) explicitly, and
// [Encryptor.AppendEncrypt] and [Encryptor.AppendDecrypt] do the same in
// binary form for BYTEA columns. [Encryptor.Reencrypt] moves a token to the
// current key; Seal moves every token of a row to the current key and table
// binding.
//
// With [Options].SubjectKeys, [Encryptor.SealFor] and [Encryptor.EncryptFor]
// encrypt under a data key of the subject (the user), and
// [Encryptor.Forget] destroys that key. [Inventory], [Undeclared] and
// [CheckMinimal] read a type's tags and field names.
//
// # Clauses served
//
// Rules for ensuring the information security and confidentiality of the
// electronic auction platform (1cb.kz, 2026):
//
//   - 3.1 "The Platform collects only the information needed": CheckMinimal
//     fails on a type holding personal data outside the allowed categories,
//     by its `pii` tags and by field names in English, Russian or Kazakh.
//   - 4.2 "Users' personal data are stored ... protected by logical security
//     measures": Seal encrypts tagged fields before they reach the database,
//     its replicas, dumps and backups, which hold only tokens.
//   - 5.2 "Employees must keep data confidential": blind indexes let support
//     find a user by e-mail or phone without decrypting a column.
//   - 7.1 "Users may demand ... deletion": Forget destroys a subject's data
//     key, which makes every copy of their tokens unreadable.
//
// # Threats answered
//
//   - A stolen dump, replica, backup or SQL-injection read of the tables
//     yields tokens; without the [Keyring], kept outside the database, they
//     are useless.
//   - A token copied into another row, column or table (by an SQL injection
//     or a support tool that can write rows) fails to open: the table, field
//     and row are authenticated and each column has its own key. Any change
//     to a token fails: with [ErrDecrypt], or [ErrUnknownKey] when it
//     lands on the key id, or, in strict mode, [ErrPlaintext] when it
//     breaks the prefix.
//   - A field tagged for encryption is never stored in clear: what Seal
//     cannot reach (unexported fields, structs in interfaces, slices or
//     maps) is an [ErrInvalid] naming the field.
//   - Key compromise: keys rotate without downtime ([Keyring.Rotate]); an
//     old key becomes decrypt-only, then disabled, then destroyed.
//   - A deletion request reaches backups: the subject's key is destroyed,
//     and their tokens fail with [ErrErased].
//
// Not answered: code running in the service, or anyone holding both the
// database and the keyring, reads what the service reads. Tokens reveal the
// value's length and when it was written; blind indexes reveal which rows
// share a value.
//
// # Construction
//
// XChaCha20-Poly1305 with random 192-bit nonces under per-column subkeys
// derived by HKDF-SHA256 from the keyring key; blind indexes are truncated
// HMAC-SHA256, optionally after argon2id ([IndexConfig].Slow). DESIGN.md
// gives the token format, the rotation and erasure procedures, the leakage
// of blind indexes and their sizing, and the measurements.
//
// # Limits
//
//   - Seal and Open handle exported string fields, through nested and
//     embedded structs and pointers to structs, as one record. Slices,
//     arrays and maps of tagged structs, interface values holding them and
//     recursive types are refused: tag such a field `pii:"-"` and seal each
//     value in its own call. Empty strings stay empty.
//   - Tokens written before the table binding (bound to the type's bare
//     name) still open, and Seal rewrites them; set
//     [Options].RejectOldContext once every row has been sealed again.
//   - Values are at most [MaxPlaintext] (1 MiB).
//   - Neither the AEAD nor the token commits to the key; the key id selects
//     a single key, so tokens must not be used where an attacker chooses
//     keys.
//   - Go cannot guarantee that freed memory is overwritten; buffers this
//     package owns are cleared.
//   - Migration mode ([Options].LegacyPlaintext) accepts any value without
//     the token prefix as plaintext: enable it only while migrating.
//   - A forgotten subject's id stays in the key store as a tombstone: use an
//     opaque user id as subject, not an e-mail.
//   - [SQLSubjectKeyStore] speaks PostgreSQL.
package pii
