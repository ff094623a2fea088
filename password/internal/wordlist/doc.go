// Package wordlist holds the password package's embedded, frequency-ranked
// lists and keyboard graphs.
//
// The password package links only the graphs: it matches against an index
// built from these lists by go generate (password/index.bin), so the lists
// reach programs only through that index, and [Dictionaries] is called by
// the index's generator and by tests.
//
// [Dictionaries] and [Graphs] decode the embedded, gzip-compressed data on
// their first call and cache it; importing the package does no work at
// start-up (no init, no package-level variable that decodes). Both are safe
// for concurrent use; the returned slices and maps are shared and must not be
// modified. The first call to Dictionaries inflates 3.6 MB of gzip into 12 MB
// of text and 930,000 words (one string and one slice per list, the words
// pointing into the text); DESIGN.md gives its measured cost.
//
// # Lists
//
// Every list is ranked: Words[0] is the most common, a word's rank is its
// index plus one. Words are lower case (strings.ToLower), NFC, trimmed,
// without empty entries, and unique within their list (the same word may be
// in several lists). Nothing is folded: ё stays ё, Kazakh words keep ә ғ қ ң
// ө ұ ү һ і, and Latin words keep their diacritics; folding, transliteration
// and layout mapping are the matcher's job. The hand-compiled name lists do
// carry both spellings of Kazakh names (Нұрлан, then Нурлан), as users type
// both, and the hand-compiled lists carry entries written with spaces or
// hyphens also without them ("хан шатыр", "ханшатыр"). Names are stable:
//
//	name                 holds (about how many words)
//	passwords            zxcvbn-go's common passwords (7k), unchanged
//	en_words             zxcvbn-go's English list (33k, film and TV subtitles), unchanged
//	us_female_names      zxcvbn-go's female first names (4k, US census), unchanged
//	us_male_names        zxcvbn-go's male first names (1k, US census), unchanged
//	us_surnames          zxcvbn-go's surnames (41k, US census), unchanged
//	local_passwords      passwords common among Russian and Kazakh speakers
//	common_words         everyday Russian and Kazakh words people build passwords from
//	given_names          Kazakh and Russian first names, each followed by its
//	                     diminutives (александр, саша, сашенька), male and female interleaved
//	surnames             surnames of Kazakhstan, masculine then feminine (ахметов, ахметова),
//	                     then those formed from the male given names (нұрланов, нұрланова)
//	patronymics          -ұлы, -қызы, -ович, -овна, ... of the given names
//	places               cities, regions, districts, landmarks, mountains, lakes,
//	                     rivers, old and new names (целиноград, ақмола, нұр-сұлтан,
//	                     астана); countries and foreign cities users know
//	organisations        banks, telecoms, national companies, services, media,
//	                     universities, football and hockey clubs
//	culture              dishes, holidays, dates ("16декабря", "желтоқсан1986"),
//	                     years, symbols, historic and literary figures, music, sport, faith
//	phrases              phrases and endearments (менсенісүйемін, ятебялюблю, жаным)
//	platform             words of the platform, the password form and local services
//	affixes              symbol groups put around a word ("!!", "!@#"); not words
//	leaked_multilingual  leaked passwords of many languages (49k; @zxcvbn-ts/language-common)
//	ru_words             Russian dictionary words (199k), then the feminine of adjectives
//	                     (любимая); no frequencies: ranked by length tier (4–6 letters,
//	                     7–8, 9–10, longer, then 3), alphabetical within a tier
//	kk_words             Kazakh dictionary words (80k), then possessives and plurals
//	                     (жаным, күнім, балаларым); 143k in all; ranked like ru_words
//	en_wikipedia         English words by Wikipedia frequency (30k)
//	en_common            English words by subtitle frequency (55k)
//	xx_words             for xx in de fr es it pt nl pl cs fi id: the language's
//	                     subtitle and Wikipedia frequency lists interleaved (up to 30k)
//	xx_names             for the same languages: first names and surnames interleaved (up to 10k)
//
// "Interleaved" lists take the first word of each source, then the second of
// each, and so on, so a rank there is about the source rank times the number
// of sources. SOURCES.md beside this file gives each list's source, version
// and licence.
//
// The five zxcvbn-go lists are exactly zxcvbn-go's data (a test compares
// them), so zxcvbn's estimate can be reproduced without importing zxcvbn-go,
// whose packages decode their data in init.
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
