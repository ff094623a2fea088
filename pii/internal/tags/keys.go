package tags

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxKeyLen bounds the keys KeyCategory looks at, in characters.
const maxKeyLen = 64

// KeyCategory guesses the category of personal data that a key (a log
// attribute, a map key, a struct field name) names, in English, Russian or
// Kazakh, in Cyrillic or transliterated: "email", "userPhone", "IINNumber",
// "ФИО", "Аты-жөні", "ЖСН", "номер_телефона", "familiya". Keys are split
// into words at separators and camelCase boundaries and lower-cased; a word
// that mixes Latin look-alike letters into Cyrillic ("Tелефон" with a Latin
// T) is read as Cyrillic. When words name several categories, the most
// specific wins (e-mail, then IBAN, IIN, phone, payment, birth date,
// document, address, name): "адрес_почты" is an e-mail.
func KeyCategory(key string) (Category, bool) {
	if key == "" || len(key) > 4*maxKeyLen || utf8.RuneCountInString(key) > maxKeyLen {
		return "", false
	}
	words, joined := keyWords(key)
	if c, ok := englishCategory(words, joined); ok {
		return c, true
	}
	best, found := len(priority), false
	for _, w := range words {
		if c, ok := wordCategory(w); ok {
			if p := rank(c); p < best {
				best, found = p, true
			}
		}
	}
	if c, ok := exactWords[joined]; ok && rank(c) < best { // "Ф.И.О."
		best, found = rank(c), true
	}
	if c, ok := phraseCategory(joined); ok {
		if p := rank(c); p < best {
			best, found = p, true
		}
	}
	if !found || vetoed(priority[best], words) {
		return "", false
	}
	return priority[best], true
}

// priority orders categories from the most specific.
var priority = [...]Category{Email, IBAN, IIN, Phone, Payment, BirthDate, Document, Address, Name}

func rank(c Category) int {
	for i, p := range priority {
		if p == c {
			return i
		}
	}
	return len(priority)
}

// Russian and Kazakh words, and their transliterations, by category: exact
// word forms, and stems that any ending may follow (case forms: "телефона",
// "фамилии", "паспортные").
var (
	exactWords = map[string]Category{
		// e-mail
		"почта": Email, "почты": Email, "почте": Email, "почту": Email, "пошта": Email, "поштасы": Email,
		"имейл": Email, "емейл": Email, "мейл": Email, "емэйл": Email, "имэйл": Email,
		"pochta": Email, "pochty": Email, "elpochta": Email, "meil": Email, "imeil": Email,
		// IBAN (Kazakh account number: ИИК, ЖСК)
		"иик": IBAN, "жск": IBAN, "iik": IBAN, "zhsk": IBAN,
		// IIN, BIN, Russian INN
		"иин": IIN, "жсн": IIN, "бин": IIN, "бсн": IIN, "инн": IIN,
		"zhsn": IIN, "jsn": IIN, "bsn": IIN,
		// phone
		"тел": Phone, "моб": Phone, "сотовый": Phone, "сотового": Phone, "ватсап": Phone, "вотсап": Phone,
		"ұялы": Phone, "telefon": Phone, "telefona": Phone, "mobilnyi": Phone, "mobilnyy": Phone, "sotovyi": Phone,
		// payment
		"карта": Payment, "карты": Payment, "карте": Payment, "карту": Payment, "картой": Payment,
		"картасы": Payment, "картаның": Payment, "cvv": Payment,
		"karta": Payment, "karty": Payment, "kartasy": Payment,
		// birth date
		"др": BirthDate,
		// identity document
		"куәлік": Document, "куәлігі": Document, "куалик": Document, "pasport": Document, "pasporta": Document,
		"udostoverenie": Document, "kualik": Document,
		// address
		"адрес": Address, "адреса": Address, "адресу": Address, "адресом": Address, "адресе": Address,
		"улица": Address, "улицы": Address, "көше": Address, "көшесі": Address, "кв": Address, "квартира": Address,
		"adres": Address, "adresa": Address, "ulitsa": Address, "mekenzhai": Address, "mekenjai": Address,
		"mekenzhay": Address, "koshe": Address,
		// name
		"фио": Name, "имя": Name, "имени": Name, "именем": Name, "аты": Name, "атыжөні": Name, "жөні": Name,
		"тегі": Name, "есімі": Name, "есім": Name, "аты-жөні": Name, "атыжони": Name,
		"fio": Name, "familiya": Name, "familia": Name, "familiia": Name, "imya": Name, "imia": Name,
		"otchestvo": Name, "tegi": Name, "esimi": Name, "aty": Name, "zhoni": Name, "atyzhoni": Name,
	}
	stems = []struct {
		stem string
		c    Category
	}{
		{"электрондықпошта", Email}, {"электронпошта", Email},
		{"телефон", Phone}, {"мобильн", Phone}, {"whatsapp", Phone},
		{"рождени", BirthDate}, {"туғанкүн", BirthDate}, {"туған", BirthDate}, {"rozhdeni", BirthDate},
		{"паспорт", Document}, {"удостоверени", Document},
		{"мекенжай", Address}, {"мекен-жай", Address}, {"прописк", Address}, {"проживани", Address},
		{"фамили", Name}, {"отчеств", Name}, {"familii", Name},
	}
	// phrases matched on the words joined: "дата рождения", "аты-жөні",
	// "мекен-жай", "номер телефона", "әкесінің аты".
	phrases = []struct {
		phrase string
		c      Category
	}{
		{"электроннаяпочта", Email}, {"элпочта", Email}, {"электрондықпошта", Email},
		{"номерсчета", IBAN}, {"расчетныйсчет", IBAN}, {"шотнөмірі", IBAN},
		{"номеркарты", Payment}, {"картанөмірі", Payment},
		{"датарождения", BirthDate}, {"туғанкүні", BirthDate}, {"datarozhdeniya", BirthDate},
		{"жекекуәлік", Document}, {"удличности", Document}, {"udlichnosti", Document}, {"номердокумента", Document},
		{"мекенжай", Address}, {"mekenzhai", Address}, {"почтовыйиндекс", Address}, {"поштаиндексі", Address},
		{"атыжөні", Name}, {"әкесініңаты", Name}, {"atyzhoni", Name}, {"akesininaty", Name},
	}
	// vetoes: words beside a category word that make the key name something
	// else: "имя файла" (file name), "IP-адрес", "адрес сервера".
	vetoes = map[Category][]string{
		Name: {"файл", "file", "хост", "host", "сервер", "server", "домен", "таблиц", "поля", "поле", "ключ",
			"метод", "класс", "функци", "переменн", "товар", "лот", "компани", "организаци", "продукт",
			"магазин", "банк", "сайт", "пакет", "модул", "сервис", "fayl", "faila"},
		Address: {"ip", "mac", "сервер", "server", "хост", "host", "url", "сайт", "кошел", "сети", "сеть",
			"wallet", "remote", "local", "bind", "listen", "web"},
	}
)

// wordCategory looks one lower-cased word up.
func wordCategory(w string) (Category, bool) {
	if c, ok := exactWords[w]; ok {
		return c, true
	}
	for _, s := range stems {
		if strings.HasPrefix(w, s.stem) {
			return s.c, true
		}
	}
	return "", false
}

func phraseCategory(joined string) (Category, bool) {
	for _, p := range phrases {
		if strings.Contains(joined, p.phrase) {
			return p.c, true
		}
	}
	return "", false
}

// vetoed reports whether a word of the key makes category c unlikely.
func vetoed(c Category, words []string) bool {
	for _, w := range words {
		for _, v := range vetoes[c] {
			if strings.HasPrefix(w, v) {
				return true
			}
		}
	}
	return false
}

var (
	nameKeys = []string{
		"name", "fullname", "firstname", "lastname", "middlename", "surname", "givenname", "familyname",
		"patronymic", "fio", "username", "displayname", "cardholder", "cardholdername", "holdername",
		"customername", "personname", "buyername", "sellername", "ownername", "contactname",
		"recipientname", "payername", "payeename", "bidername", "biddername",
	}
	nameSuffixes = []string{
		"fullname", "firstname", "lastname", "middlename", "surname", "givenname", "familyname",
		"patronymic", "fio", "holdername",
	}
	// keys containing "address" that are not postal addresses
	notPostal = []string{"ip", "mac", "remote", "local", "listen", "server", "host", "bind", "wallet", "web", "url", "email", "mail"}
)

// englishCategory applies the English rules to the ASCII words of a key.
func englishCategory(words []string, joined string) (Category, bool) {
	has := func(w ...string) bool {
		for _, x := range words {
			for _, y := range w {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	contains := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(joined, s) {
				return true
			}
		}
		return false
	}
	switch {
	case contains("email") || has("mail") || strings.HasSuffix(joined, "mail"):
		return Email, true
	case contains("iban"):
		return IBAN, true
	case has("iin", "bin", "inn"):
		return IIN, true
	case contains("phone", "mobile", "msisdn", "whatsapp") || has("tel"):
		return Phone, true
	case has("pan", "card", "cvv", "cvc", "cvv2", "cvc2") || contains("cardnumber", "creditcard", "cardno", "debitcard"):
		return Payment, true
	case contains("birth") || has("dob"):
		return BirthDate, true
	case contains("passport", "idcard", "documentnumber", "docnumber"):
		return Document, true
	case contains("address", "street", "postcode", "zipcode") && !has(notPostal...):
		return Address, true
	}
	for _, k := range nameKeys {
		if joined == k {
			return Name, true
		}
	}
	for _, s := range nameSuffixes {
		if strings.HasSuffix(joined, s) {
			return Name, true
		}
	}
	return "", false
}

// keyWords splits a key into lower-case words and returns them with their
// concatenation. Words end at anything but a
// letter or digit, before an upper-case letter that follows a lower-case
// one ("userEmail", "номерТелефона") and before the last capital of an
// initialism followed by a word ("IINNumber" → "iin", "number"), but not
// before a plural's "s" ("IINs"). Latin letters that look like Cyrillic
// ones, in a word with Cyrillic letters, are read as Cyrillic; "ё" is read
// as "е".
func keyWords(key string) ([]string, string) {
	var words []string
	var joined strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := foldWord(key[start:end])
			words = append(words, w)
			joined.WriteString(w)
			start = -1
		}
	}
	prev := rune(0)
	for i, r := range key {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush(i)
		case unicode.IsUpper(r) && start >= 0 && start < i && (!unicode.IsUpper(prev) || initialismEnd(key, i, r)):
			flush(i) // camelCase boundary: "userEmail", "IINNumber"
			start = i
		case start < 0:
			start = i
		}
		prev = r
	}
	flush(len(key))
	return words, joined.String()
}

// initialismEnd reports whether the capital r at key[i], after another,
// starts a word: a lower-case letter follows it, other than a plural's
// lone "s".
func initialismEnd(key string, i int, r rune) bool {
	rest := key[i+utf8.RuneLen(r):]
	next, n := utf8.DecodeRuneInString(rest)
	if n == 0 || !unicode.IsLower(next) {
		return false
	}
	after, m := utf8.DecodeRuneInString(rest[n:])
	plural := next == 's' && (m == 0 || !unicode.IsLower(after))
	return !plural
}

// homoglyphs maps Latin letters to the Cyrillic letters they look like.
var homoglyphs = map[rune]rune{
	'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'i': 'і', 'k': 'к', 'm': 'м',
	'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у',
}

// foldWord lower-cases w, reads "ё" as "е", and reads Latin look-alikes as
// Cyrillic in a word that has Cyrillic letters.
func foldWord(w string) string {
	cyrillic := false
	for _, r := range w {
		if unicode.Is(unicode.Cyrillic, r) {
			cyrillic = true
			break
		}
	}
	if !cyrillic {
		return strings.ToLower(w)
	}
	return strings.Map(func(r rune) rune {
		r = unicode.ToLower(r)
		if c, ok := homoglyphs[r]; ok {
			r = c
		}
		if r == 'ё' {
			r = 'е'
		}
		return r
	}, w)
}
