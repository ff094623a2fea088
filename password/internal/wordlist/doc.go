// Package wordlist holds the password package's embedded, frequency-ranked
// lists and keyboard graphs.
//
// [Dictionaries] and [Graphs] decode the embedded, gzip-compressed data on
// their first call and cache it; importing the package does no work at
// start-up (no init, no package-level variable that decodes). Both are safe
// for concurrent use; the returned slices and maps are shared and must not be
// modified.
//
// # Lists
//
// Every list is ranked: Words[0] is the most common, a word's rank is its
// index plus one. Words are lower case (strings.ToLower), NFC, trimmed,
// without empty entries, and unique within their list (the same word may be
// in several lists). Nothing is folded: ё stays ё, Kazakh words keep ә ғ қ ң
// ө ұ ү һ і, and Latin words keep their diacritics; folding, transliteration
// and layout mapping are the matcher's job. Names are stable:
//
//	name             holds
//	passwords        zxcvbn-go's common passwords (7,141), unchanged
//	en_words         zxcvbn-go's English list (32,545; film and TV subtitles), unchanged
//	us_female_names  zxcvbn-go's female first names (US census), unchanged
//	us_male_names    zxcvbn-go's male first names (US census), unchanged
//	us_surnames      zxcvbn-go's surnames (US census, 40,583), unchanged
//	local_passwords  passwords common among Russian and Kazakh speakers (Cyrillic)
//	common_words     everyday Russian and Kazakh words people build passwords from
//	given_names      Kazakh and Russian first names
//	surnames         Kazakh, Russian and Korean-Kazakh surnames, each masculine
//	                 Russian-style form followed by its feminine (-ов, -ова)
//	places           Kazakhstan's cities, regions, rivers; countries
//	platform         words of the platform, the password form and local services
//	affixes          symbol groups put around a word ("!!", "!@#"); not words
//
// The five zxcvbn-go lists are exactly zxcvbn-go's data (a test compares
// them), so zxcvbn's estimate can be reproduced without importing zxcvbn-go,
// whose packages decode their data in init. Their sources and licences, and
// those of every other list, are in SOURCES.md beside this file.
//
// # Graphs
//
// [Graphs] returns zxcvbn's keyboard graphs, exactly as zxcvbn-go has them:
// "qwerty", "dvorak", "keypad" and "mac_keypad" (see [Graph] for the form).
//
// # Regenerating
//
// The embedded files under data/ and names_gen.go are written by
// password/internal/gen (go generate in this directory); SOURCES.md says how
// to fetch the downloaded sources it reads.
package wordlist
