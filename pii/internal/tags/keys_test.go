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
	for key, want := range map[string]Category{
		// Russian and Kazakh, any case, separators and case forms
		"ФИО": Name, "фио": Name, "Ф.И.О.": Name, "Фамилия": Name, "фамилия_клиента": Name, "Имя": Name,
		"Отчество": Name, "Аты-жөні": Name, "аты_жөні": Name, "Тегі": Name, "Есімі": Name, "ӘкесініңАты": Name,
		"имяПокупателя": Name, "ЖСН": IIN, "ИИН": IIN, "иин_клиента": IIN, "БИН": IIN, "БСН": IIN,
		"Телефон": Phone, "номер_телефона": Phone, "НомерТелефона": Phone, "моб": Phone, "ұялы_телефон": Phone,
		"Мекенжай": Address, "мекен-жай": Address, "адрес": Address, "АдресПроживания": Address, "улица": Address, "почтовый_индекс": Address, "адресат": "",
		"Почта": Email, "эл.почта": Email, "электронная_почта": Email, "адрес_почты": Email, "Электрондық пошта": Email,
		"Карта": Payment, "номер_карты": Payment, "Картасы": Payment,
		"Паспорт": Document, "паспортные_данные": Document, "удостоверение_личности": Document, "жеке_куәлік": Document,
		"дата_рождения": BirthDate, "ДатаРождения": BirthDate, "туған_күні": BirthDate,
		"ИИК": IBAN, "жск": IBAN,
		// a Latin look-alike inside a Cyrillic word
		"Tелефон": Phone, "ФИO": Name, "аdрес": "",
		// transliterated
		"fio": Name, "familiya": Name, "imya": Name, "otchestvo": Name, "telefon": Phone, "nomer_telefona": Phone,
		"adres": Address, "pochta": Email, "karta": Payment, "pasport": Document, "zhsn": IIN,
		"data_rozhdeniya": BirthDate, "aty_zhoni": Name, "mekenzhai": Address,
	} {
		got, ok := KeyCategory(key)
		assert.Equal(t, want != "", ok, key)
		assert.Equal(t, want, got, key)
	}
	for key, want := range tests {
		got, ok := KeyCategory(key)
		assert.True(t, ok, key)
		assert.Equal(t, want, got, key)
	}
	for _, key := range []string{"", "msg", "hostname", "filename", "ip_address", "remote_addr", "addr", "span", "cardinality", "binary", "company", "time", "level", strings.Repeat("email", 20),
		"HTTPServer", "URLPath", "IDs",
		"имя_файла", "ИмяХоста", "IP-адрес", "адрес_сервера", "сообщение", "статус", "количество", "сумма", "лот", "дата",
		"imya_faila", "komментарий", "описание", "город"} {
		_, ok := KeyCategory(key)
		assert.False(t, ok, key)
	}
}

// FuzzKeyCategory: any key, valid UTF-8 or not, gives a known category or
// none, the same every time, without panicking.
func FuzzKeyCategory(f *testing.F) {
	for _, s := range []string{"", "email", "ФИО", "Аты-жөні", "Tелефон", "\xff\xfe", "ИИНNumber", "a_b-c.d e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		c, ok := KeyCategory(key)
		if ok != (c != "") || ok && !c.Valid() {
			t.Fatalf("%q: %q, %v", key, c, ok)
		}
		if c2, _ := KeyCategory(key); c2 != c {
			t.Fatalf("%q: not deterministic", key)
		}
	})
}
