package tags

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKeyCategory(t *testing.T) {
	tests := map[string]Category{
		"email": Email, "userEmail": Email, "e_mail": Email, "EMAIL_ADDRESS": Email,
		"mail":  Email,
		"phone": Phone, "mobile_number": Phone, "tel": Phone, "contactPhone": Phone,
		"iin": IIN, "IIN": IIN, "user.iin": IIN, "bin": IIN,
		"pan": Payment, "card": Payment, "cardNumber": Payment, "credit_card": Payment,
		"iban": IBAN, "payout_iban": IBAN,
		"name": Name, "first_name": Name, "fullName": Name, "fio": Name,
		"customer_name": Name, "surname": Name,
		"address": Address, "shipping_address": Address, "street": Address,
		"birthdate": BirthDate, "date_of_birth": BirthDate, "dob": BirthDate,
		"passport": Document, "passport_no": Document,
		// initialisms followed by a word
		"IINNumber": IIN, "userIIN": IIN, "PANNumber": Payment, "BINCode": IIN,
		"IBANValue": IBAN, "DOBDate": BirthDate,
		"cvv": Payment, "CVC": Payment, "card_cvv2": Payment,
	}
	for key, want := range tests {
		got, ok := KeyCategory(key)
		assert.True(t, ok, key)
		assert.Equal(t, want, got, key)
	}
	for _, key := range []string{"", "msg", "hostname", "filename", "ip_address", "remote_addr", "addr", "span", "cardinality", "binary", "company", "time", "level", strings.Repeat("email", 20),
		"HTTPServer", "URLPath", "IDs"} {
		_, ok := KeyCategory(key)
		assert.False(t, ok, key)
	}
}
