package anonymize

import "fmt"

// region is a first-level administrative unit of Kazakhstan: a region
// (oblys) or a city of republican significance (Astana, Almaty,
// Shymkent), with its ISO 3166-2 code.
type region struct {
	code       string
	city       bool
	en, ru, kk string
}

// name returns the region's name in "en", "ru" or "kk".
func (r region) name(lang string) string {
	return map[string]string{"en": r.en, "ru": r.ru, "kk": r.kk}[lang]
}

// settlement is a city of the built-in geography.
type settlement struct {
	region     string // ISO 3166-2 code of its region
	en, ru, kk string
}

// name returns the settlement's name in "en", "ru" or "kk".
func (s settlement) name(lang string) string {
	return map[string]string{"en": s.en, "ru": s.ru, "kk": s.kk}[lang]
}

// The first-level units after the reform of 2022 (Presidential Decree
// No. 887 of 3 May 2022, in force 8 June 2022, which formed the Abai,
// Jetisu and Ulytau regions and moved the centre of Almaty Region to
// Konaev): 17 regions and 3 cities of republican significance. Codes are
// those of ISO 3166-2:KZ as revised in November 2022 (numeric codes).
var kzRegions = []region{
	{"KZ-71", true, "Astana", "Астана", "Астана"},
	{"KZ-75", true, "Almaty", "Алматы", "Алматы"},
	{"KZ-79", true, "Shymkent", "Шымкент", "Шымкент"},
	{"KZ-10", false, "Abai Region", "Абайская область", "Абай облысы"},
	{"KZ-11", false, "Akmola Region", "Акмолинская область", "Ақмола облысы"},
	{"KZ-15", false, "Aktobe Region", "Актюбинская область", "Ақтөбе облысы"},
	{"KZ-19", false, "Almaty Region", "Алматинская область", "Алматы облысы"},
	{"KZ-23", false, "Atyrau Region", "Атырауская область", "Атырау облысы"},
	{"KZ-27", false, "West Kazakhstan Region", "Западно-Казахстанская область", "Батыс Қазақстан облысы"},
	{"KZ-31", false, "Jambyl Region", "Жамбылская область", "Жамбыл облысы"},
	{"KZ-33", false, "Jetisu Region", "Жетысуская область", "Жетісу облысы"},
	{"KZ-35", false, "Karaganda Region", "Карагандинская область", "Қарағанды облысы"},
	{"KZ-39", false, "Kostanay Region", "Костанайская область", "Қостанай облысы"},
	{"KZ-43", false, "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы"},
	{"KZ-47", false, "Mangystau Region", "Мангистауская область", "Маңғыстау облысы"},
	{"KZ-55", false, "Pavlodar Region", "Павлодарская область", "Павлодар облысы"},
	{"KZ-59", false, "North Kazakhstan Region", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы"},
	{"KZ-61", false, "Turkistan Region", "Туркестанская область", "Түркістан облысы"},
	{"KZ-62", false, "Ulytau Region", "Улытауская область", "Ұлытау облысы"},
	{"KZ-63", false, "East Kazakhstan Region", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы"},
}

// Regional centres first, then other cities of regional significance.
var kzSettlements = []settlement{
	{"KZ-10", "Semey", "Семей", "Семей"},
	{"KZ-11", "Kokshetau", "Кокшетау", "Көкшетау"},
	{"KZ-15", "Aktobe", "Актобе", "Ақтөбе"},
	{"KZ-19", "Konaev", "Конаев", "Қонаев"},
	{"KZ-23", "Atyrau", "Атырау", "Атырау"},
	{"KZ-27", "Oral", "Уральск", "Орал"},
	{"KZ-31", "Taraz", "Тараз", "Тараз"},
	{"KZ-33", "Taldykorgan", "Талдыкорган", "Талдықорған"},
	{"KZ-35", "Karaganda", "Караганда", "Қарағанды"},
	{"KZ-39", "Kostanay", "Костанай", "Қостанай"},
	{"KZ-43", "Kyzylorda", "Кызылорда", "Қызылорда"},
	{"KZ-47", "Aktau", "Актау", "Ақтау"},
	{"KZ-55", "Pavlodar", "Павлодар", "Павлодар"},
	{"KZ-59", "Petropavl", "Петропавловск", "Петропавл"},
	{"KZ-61", "Turkistan", "Туркестан", "Түркістан"},
	{"KZ-62", "Zhezkazgan", "Жезказган", "Жезқазған"},
	{"KZ-63", "Oskemen", "Усть-Каменогорск", "Өскемен"},
	{"KZ-10", "Kurchatov", "Курчатов", "Курчатов"},
	{"KZ-10", "Ayagoz", "Аягоз", "Аягөз"},
	{"KZ-11", "Stepnogorsk", "Степногорск", "Степногорск"},
	{"KZ-11", "Shchuchinsk", "Щучинск", "Щучинск"},
	{"KZ-15", "Khromtau", "Хромтау", "Хромтау"},
	{"KZ-19", "Kaskelen", "Каскелен", "Қаскелең"},
	{"KZ-23", "Kulsary", "Кульсары", "Құлсары"},
	{"KZ-31", "Shu", "Шу", "Шу"},
	{"KZ-33", "Tekeli", "Текели", "Текелі"},
	{"KZ-33", "Zharkent", "Жаркент", "Жаркент"},
	{"KZ-35", "Temirtau", "Темиртау", "Теміртау"},
	{"KZ-35", "Balkhash", "Балхаш", "Балқаш"},
	{"KZ-35", "Saran", "Сарань", "Саран"},
	{"KZ-39", "Rudny", "Рудный", "Рудный"},
	{"KZ-39", "Arkalyk", "Аркалык", "Арқалық"},
	{"KZ-43", "Aral", "Аральск", "Арал"},
	{"KZ-47", "Zhanaozen", "Жанаозен", "Жаңаөзен"},
	{"KZ-55", "Ekibastuz", "Экибастуз", "Екібастұз"},
	{"KZ-55", "Aksu", "Аксу", "Ақсу"},
	{"KZ-61", "Kentau", "Кентау", "Кентау"},
	{"KZ-62", "Satpayev", "Сатпаев", "Сәтбаев"},
	{"KZ-63", "Ridder", "Риддер", "Риддер"},
}

// KazakhstanHierarchy returns the geography city → region → country in the
// language "en", "ru" or "kk": the 17 regions and 3 cities of republican
// significance since the reform of 2022, and the regional centres and
// larger cities of regional significance below their regions (not every
// settlement; build a fuller one with NewHierarchy). A city of republican
// significance sits directly below the country. Use it as a Dimension's
// Hierarchy, or AtDepth(v, 1) to generalise a value to its first-level
// unit.
func KazakhstanHierarchy(lang string) (*Hierarchy, error) {
	country := map[string]string{"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"}[lang]
	if country == "" {
		return nil, fmt.Errorf("%w: language must be en, ru or kk", ErrGeneralizer)
	}
	var rows [][]string
	byCode := map[string]string{}
	for _, r := range kzRegions {
		byCode[r.code] = r.name(lang)
		rows = append(rows, []string{r.name(lang), country})
	}
	for _, s := range kzSettlements {
		rows = append(rows, []string{s.name(lang), byCode[s.region], country})
	}
	return NewHierarchy(rows)
}
