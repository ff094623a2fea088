// Package freetext finds people's names and Kazakhstan addresses in free
// text (Kazakh, Russian, English), without a model, and masks them so that
// the text stays readable. It is internal to package pii, whose Scan,
// Redact and slog handler use it beside their checksum detectors.
//
// # Clause served
//
// Rules 5.2 "All employees must keep data confidential when working with it":
// support tickets, chat transcripts, bid comments and log messages carry
// people's names and home addresses far more often than card numbers;
// this package finds them so that they can be masked before text reaches
// a screen or a log.
//
// # Example
//
//	for _, sp := range freetext.Find(nil, s) {
//		fmt.Println(sp.Kind, freetext.Mask(sp.Kind, s[sp.Start:sp.End]))
//	}
//	// "Клиент Серикова Алия Нурлановна, г. Алматы, ул. Абая, д. 10, кв. 5"
//	// → Name "С*** А*** Н***", Address "г. Алматы, ул. ***, д. ***, кв. ***"
//
// [FindSplit] is Find on each stretch between delimiter bytes (a log
// line), with one pooled window for all of them.
//
// # What is found
//
// Names ([Name]): surname, given name and patronymic in any order that
// people write them, in Cyrillic, in the 2021 Kazakh Latin alphabet and
// romanised ("Серикова Алия Нурлановна", "Aliya Nurlanova", "Nūrlan
// Serıkūly"); Russian and Kazakh case forms ("Серикову Алию", "Нұрланға",
// "Сериковой"); initials ("Серикова А. Н.", "А.Н. Серикова", "A. Serikova",
// "John F. Kennedy"); Kazakh patronymics, fused or not ("Нұрланұлы",
// "Серік ұлы"); a single surname or name after an honorific or a role
// ("г-н Иванов", "Mr Smith", "клиент Кемелбек", "Айгүл ханым"); and a
// well-known Russian or Kazakh given name alone ("Нұрланға хабарласыңыз").
// Evidence comes from embedded, frequency-ranked lists of given names
// (with diminutives) and surnames, and from the regular endings of
// surnames and patronymics (-ов/-ова, -ев/-ева, -ин/-ина, -ский/-ская,
// -енко, -ович/-овна, -ұлы/-қызы, English -son, -ton, -ley …), so that an
// unseen surname next to a known name, or an unseen name next to a
// patronymic, is found. Every word is compared through a script-neutral
// skeleton, so a word that mixes Latin and Cyrillic letters is read as the
// word it imitates.
//
// Addresses ([Address]): the parts of a Kazakhstan address in Russian,
// Kazakh and Latin script, joined by commas or spaces: city (г., город,
// қ., қаласы, city; с., пос., ауылы), region (обл., облысы, region),
// district (р-н, ауданы), street, avenue and microdistrict (ул., пр.,
// пер., б-р, мкр., к-сі, көшесі, даңғылы, шағын ауданы, str., ave.),
// house (д., дом, үй, 10-үй), flat or office (кв., пәтер, apt., оф.),
// block, a 050000-style postcode and the country. A street with its
// marker is an address on its own; a city, a postcode or a house number
// alone is not. A known city followed by a street name and a number
// ("Алматы, Розыбакиева 247") is an address too.
//
// # Masks
//
// [Mask] (and [AppendMask], which allocates nothing) keeps the initial of
// each word of a name ("С*** А*** Н***", "A. S***") and, of an address,
// the markers and the locality (city, region, district, country), hiding
// the street's name, the numbers and the postcode ("Алматы қ., *** к-сі,
// *** үй"). Text that does not read as an address is hidden whole.
//
// # Guarantees
//
// [Find] reads its input once: a fast skip over text without capitals or
// digits, then a look at a few words around each; time is linear in the
// input, and memory is a fixed window of tokens. Invalid UTF-8, words
// mixing scripts, endless runs of capitalised words or markers are read
// without panic in bounded time; the tests hold 1 MiB of each under a
// second. Spans are in order and never overlap. Nothing is built at
// init: the word lists are parsed on first use.
//
// # Limits
//
// This is a rule-based detector, not a language model. It misses a lone
// name it does not know (an unlisted given name without a surname, a
// patronymic or a context word), a lone given name that is also a common
// word (Толқын "wave", Арман "dream"), a surname that is a common word or
// its -er form after a given name that is also one ("Dawn Archer"), an
// initial before a surname of three letters or fewer at a sentence start,
// and the words after the first two of a longer Latin name ("Daniel Kahn
// Gillmor" is found as "Daniel Kahn"). It finds a firm, a product or a
// place named after people when its words read as a name and the
// embedded list of such firms does not hold it; firms whose names people
// bear too ("Raymond James", "Paul Smith") are left out of that list on
// purpose. A Latin given name alone is never a name ("Regina" is a city).
// Addresses outside Kazakhstan's forms, and street names without a marker
// (except after a known city), are not found. Measured recall, precision
// and throughput, with how they were measured, are in DESIGN.md.
package freetext
