// Package redact finds personal data in text and logs and masks it: e-mail
// addresses, payment card numbers, Kazakh phone numbers, IINs and BINs,
// Kazakh IBANs, and people's names and Kazakhstan addresses in Kazakh,
// Russian and English.
//
//	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
//	logger.Info("bid by alice@example.kz", "ФИО", "Серикова Алия", "card", "4111 1111 1111 1111")
//	// msg="bid by a***@example.kz" ФИО="С*** А***" card="4111 11** **** 1111"
//
//	clean := redact.Text("IIN 860110300125, tel=%2B77011234567") // "IIN **********25, tel=%2B7701*****67"
//
// # Clauses served
//
// Rules for ensuring the information security and confidentiality of the
// electronic auction platform (1cb.kz, 2026), 5.2 "Employees must keep data
// confidential when working with it": masks keep personal data off staff
// screens; the handler and Writer keep it out of logs. 3.1 (collect only what
// is needed): what is not logged is not collected.
//
// # Threat
//
// Logs, traces and support tools are copied far more widely than the
// database: to log stores, to vendors, into tickets. A value logged in clear
// is collected there without a purpose. The handler masks what a developer
// logs by mistake: a whole struct, a request URL, a form body, an error
// message, a field named "Телефон".
//
// # What is found
//
// Scan finds numbers by their checksum or numbering plan (Luhn, the IIN
// mod-11 with date and type, the IBAN mod-97, the +7 plan), standing apart
// from letters and digits, so that hashes, UUIDs and timestamps rarely
// match; numbers glued by '_' '.' '/' '-' to file names count
// ("scan_860110300125.pdf"). It reads percent- and form-encoded text as
// decoded ("alice%40example.kz", "+7+701+123+45+67"), IINs grouped 6+6,
// 4+4+4 or 3+3+3+3, phones with dots and slashes, e-mail addresses in any
// script or punycode ("әлия@мысал.қаз"). Names and addresses are found by
// their structure (surname, given name and patronymic endings, initials,
// context words; street types, localities, postcodes) and embedded lists.
//
// NewHandler wraps any slog.Handler. It redacts messages and values, masks
// whole attributes, map entries and struct fields whose key names personal
// data in English, Russian or Kazakh ("email", "IINNumber", "ФИО", "Аты-жөні",
// "ЖСН", "номер_телефона", "familiya"), logs values of types with `pii` tags
// field by field without calling their String or MarshalJSON methods, and
// logs URLs without their password.
//
// Mask masks one value of a known kind; Valid checks one.
//
// # Limits
//
//   - A random 11-digit string starting 87, 86, 77 or 76 is a phone to Scan
//     (phones have no checksum): 3.8% of random 11-digit strings; 0.4% of
//     random 12-digit strings pass as IINs, about 5% of 13-19-digit ones as
//     cards (the Luhn limit). A regexp reports all of them. DESIGN.md has the
//     measured rates and recall.
//   - Names without a known given name, surname ending or context word, and
//     addresses without a street type or locality, are missed; DESIGN.md of
//     package pii/internal/freetext has the measured precision and recall.
//   - Digits in other scripts, card numbers with dots, phone numbers without
//     a +7/8 prefix and doubly encoded text ("%2540") are not found.
//   - Writer cuts the stream only after a control character (a newline) or
//     one of `"<>[\]`, or, in lines over 64 KiB, between two ASCII letters
//     far from '@', '%' and "KZ", where a name may be split; after MaxPending
//     bytes without a place to cut it fails closed with ErrNoSafeCut.
//   - Everything is safe for concurrent use except a Writer.
package redact
