package tags

import "strings"

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

// KeyCategory guesses the category of personal data an attribute key names.
// Keys are compared lower-cased, with separators removed and split into
// words at separators and camelCase boundaries.
func KeyCategory(key string) (Category, bool) {
	if key == "" || len(key) > 64 {
		return "", false
	}
	words, joined := keyWords(key)
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
// concatenation. Words end at separators, before an upper-case letter that
// follows a lower-case one ("userEmail") and before the last capital of an
// initialism followed by a word ("IINNumber" → "iin", "number"), but not
// before a plural's "s" ("IINs").
func keyWords(key string) ([]string, string) {
	var words []string
	var joined strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := strings.ToLower(key[start:end])
			words = append(words, w)
			joined.WriteString(w)
			start = -1
		}
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case !isAlnum(c):
			flush(i)
		case isUpper(c) && start >= 0 && start < i && (!isUpper(key[i-1]) || initialismEnd(key, i)):
			flush(i) // camelCase boundary: "userEmail", "IINNumber"
			start = i
		case start < 0:
			start = i
		}
	}
	flush(len(key))
	return words, joined.String()
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// initialismEnd reports whether the capital key[i], after another, starts
// a word: a lower-case letter follows it, other than a plural's lone "s".
func initialismEnd(key string, i int) bool {
	if i+1 >= len(key) || !isLower(key[i+1]) {
		return false
	}
	plural := key[i+1] == 's' && (i+2 == len(key) || !isLower(key[i+2]))
	return !plural
}

func isAlnum(c byte) bool { return isUpper(c) || isLower(c) || c >= '0' && c <= '9' }
