package freetext

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

func house(r *rand.Rand) string {
	n := fmt.Sprint(1 + r.IntN(250))
	switch r.IntN(6) {
	case 0:
		n += "А"
	case 1:
		n += "/" + fmt.Sprint(1+r.IntN(9))
	}
	return n
}

func postcode(r *rand.Rand) string { return fmt.Sprintf("%d%05d", r.IntN(2), r.IntN(100000)) }

// address renders a Kazakhstan address in lang's usual forms.
func address(r *rand.Rand, split int, lang string) string {
	var parts []string
	n := func() string { return fmt.Sprint(1 + r.IntN(300)) }
	switch lang {
	case "ru":
		if r.IntN(5) == 0 {
			parts = append(parts, postcode(r))
		}
		if r.IntN(6) == 0 {
			parts = append(parts, ruRegions.pick(r, split)+[]string{" обл.", " область"}[r.IntN(2)])
		}
		switch r.IntN(4) {
		case 0, 1:
			parts = append(parts, "г. "+ruCities.pick(r, split))
		case 2:
			parts = append(parts, "город "+ruCities.pick(r, split))
		}
		if r.IntN(6) == 0 {
			parts = append(parts, ruDistricts.pick(r, split)+[]string{" р-н", " район"}[r.IntN(2)])
		}
		st := ruStreets.pick(r, split)
		switch r.IntN(8) {
		case 0, 1, 2:
			parts = append(parts, "ул. "+st)
		case 3:
			parts = append(parts, "улица "+st)
		case 4:
			parts = append(parts, "пр. "+st)
		case 5:
			parts = append(parts, "проспект "+st)
		case 6:
			parts = append(parts, []string{"мкр. ", "мкр ", "микрорайон "}[r.IntN(3)]+mkrs.pick(r, split))
		case 7:
			parts = append(parts, "пер. "+st)
		}
		switch r.IntN(4) {
		case 0:
			parts = append(parts, "д. "+house(r))
		case 1:
			parts = append(parts, "дом "+house(r))
		case 2:
			parts[len(parts)-1] += " " + house(r)
		}
		if r.IntN(2) == 0 {
			parts = append(parts, []string{"кв. ", "квартира ", "оф. "}[r.IntN(3)]+n())
		}
	case "kk":
		if r.IntN(5) == 0 {
			parts = append(parts, postcode(r))
		}
		if r.IntN(6) == 0 {
			parts = append(parts, kkCities.pick(r, split)+" облысы")
		}
		if r.IntN(4) != 0 {
			parts = append(parts, kkCities.pick(r, split)+[]string{" қ.", " қаласы"}[r.IntN(2)])
		}
		st := kkStreets.pick(r, split)
		switch r.IntN(6) {
		case 0, 1:
			parts = append(parts, st+" к-сі")
		case 2, 3:
			parts = append(parts, st+" көшесі")
		case 4:
			parts = append(parts, st+" даңғылы")
		case 5:
			parts = append(parts, mkrs.pick(r, split)+" шағын ауданы")
		}
		switch r.IntN(4) {
		case 0:
			parts = append(parts, house(r)+" үй")
		case 1:
			parts = append(parts, house(r)+"-үй")
		case 2:
			parts = append(parts, "үй "+house(r))
		}
		if r.IntN(2) == 0 {
			parts = append(parts, []string{n() + " пәтер", n() + "-пәтер", "пәтер " + n()}[r.IntN(3)])
		}
	case "en":
		if split >= 4 {
			return enAddress(r, split)
		}
		st := latStreets.pick(r, split)
		var street string
		switch r.IntN(6) {
		case 0:
			street = st + " str."
		case 1:
			street = st + " Street"
		case 2:
			street = st + " ave."
		case 3:
			street = st + " Avenue"
		case 4:
			street = "ul. " + st
		case 5:
			street = st + " St."
		}
		if r.IntN(2) == 0 && !strings.HasPrefix(street, "ul.") {
			parts = append(parts, fmt.Sprint(1+r.IntN(200))+" "+street)
		} else {
			parts = append(parts, street+" "+fmt.Sprint(1+r.IntN(200)))
		}
		if r.IntN(2) == 0 {
			parts = append(parts, []string{"apt. ", "apt ", "flat ", "office "}[r.IntN(4)]+n())
		}
		if r.IntN(4) != 0 {
			parts = append(parts, latCities.pick(r, split)+[]string{"", " city"}[r.IntN(2)])
		}
		if r.IntN(4) == 0 {
			parts = append(parts, postcode(r))
		}
		if r.IntN(4) == 0 {
			parts = append(parts, "Kazakhstan")
		}
	}
	return strings.Join(parts, ", ")
}

// Templates: {N} a name (nominative), {Nd} dative, {Na} accusative, {Ni}
// instrumental (Russian), {Nk} Kazakh dative; {A} an address.
var templates = map[string][8][]string{
	"ru": {
		{
			"Клиент {N} просит перезвонить.",
			"{N} подал заявку на лот 15.",
			"Прошу связаться с {Ni} по поводу возврата.",
			"Передайте {Nd}, что торги перенесены.",
			"Адрес доставки: {A}.",
			"Участник торгов {N} проживает по адресу {A}.",
			"Договор подписан {Ni} 12.03.2026, адрес: {A}",
			"Заявитель: {N}; адрес регистрации {A}.",
			"Проверьте документы на {Na} ещё раз.",
			"Победитель аукциона — {N}.",
		},
		{
			"Оператор уточнил данные: {N}, {A}.",
			"Вчера {N} звонил дважды, ждёт ответа.",
			"Направить уведомление {Nd} по адресу {A}.",
			"По заявке от {N} нужен повторный осмотр.",
			"Ставку сделал {N} в 14:05.",
			"Жалоба поступила от гражданина {N} ({A}).",
			"Курьер не застал {Na} дома, {A}.",
			"Документы забрал {N}. Фактический адрес: {A}",
			"С {Ni} согласовали время осмотра лота.",
			"Контакт: {N}, тел. скрыт, {A}",
			"Доверенность выдана на имя {N}.",
			"{N}: ставка отклонена, повторите.",
		},
		{
			"Сообщение от {N}: не приходит код подтверждения.",
			"Просим {Na} предоставить копию удостоверения.",
			"Выигрыш по лоту перечислен {Nd}.",
			"Адрес объекта: {A}, собственник {N}.",
			"Повторный звонок от {N}, просит связаться по адресу {A}.",
			"Заявка отклонена: {N} не внёс гарантийный взнос.",
			"Согласовано с {Ni}, доставка на {A}.",
			"Фактический адрес проживания {A}",
			"Менеджер {N} закрыл обращение.",
		},
		{
			"Звонил {N}, интересовался статусом возврата.",
			"Нужно выслать акт {Nd} на {A}.",
			"Пропуск оформлен на {Na}.",
			"Прописка: {A}; владелец — {N}.",
			"Подтверждение от {N} получено.",
			"{N} (ИИН скрыт) проживает: {A}.",
		},
	},
	"kk": {
		{
			"Клиент {N} қоңырау шалды.",
			"{N} лотқа өтінім берді.",
			"Мекенжайы: {A}.",
			"{Nk} хабарласыңыз.",
			"Сауда қатысушысы {N}, мекенжайы {A}.",
			"Құжаттарды {N} әкелді.",
			"Жеткізу мекенжайы {A}, алушы {N}.",
		},
		{
			"Өтінішті {N} жіберді, мекенжайы: {A}.",
			"Бүгін {N} аукционға қатысты.",
			"Хатты {A} мекенжайына жіберу керек.",
			"Ертең {Nk} жауап беріңіз.",
			"Жеңімпаз {N} деп танылды.",
			"Тұрғылықты жері: {A}, {N}.",
			"Курьер {A} мекенжайына барды, {N} үйде болмады.",
			"Сенімхат {N} атына берілген.",
			"Шағымды {N} қалдырды.",
		},
		{
			"{N} кепілдік жарнасын төлемеді.",
			"Өтініш иесі: {N}, мекенжайы {A}.",
			"Лот {A} мекенжайында орналасқан.",
			"Хабарламаны {Nk} жіберіңіз.",
			"Менеджер {N} өтінішті жапты.",
			"Жеткізу {A} мекенжайына, алушы {N}.",
		},
		{
			"Қоңырау шалған {N}, қайтарым мәртебесін сұрады.",
			"Актіні {Nk} {A} мекенжайына жіберу керек.",
			"Тіркелген мекенжайы: {A}; иесі {N}.",
			"{N} растау жіберді.",
		},
	},
	"en": {
		{
			"Customer {N} asked for a refund.",
			"{N} placed a bid on lot 12.",
			"Shipping address: {A}.",
			"Please call {N} back today.",
			"The winner is {N}, delivery to {A}.",
			"Bidder {N} lives at {A}.",
		},
		{
			"Ticket opened by {N} about a failed payment.",
			"Yesterday {N} changed the delivery address to {A}.",
			"We sent the contract to {N} at {A}.",
			"Refund approved for {N}.",
			"Courier could not reach {N}; address on file: {A}",
			"Escalated: {N} disputes the auction result.",
			"{N} confirmed the pickup at {A} on Monday.",
			"Please verify the documents of {N}.",
		},
		{
			"Message from {N}: the confirmation code never arrives.",
			"Deposit refunded to {N} on Friday.",
			"Object address: {A}; owner {N}.",
			"{N} called again and asked us to write to {A}.",
			"Manager {N} closed the ticket.",
			"Contact person: {N}.",
		},
		{
			"Call from {N} about the refund status.",
			"Please send the act to {N} at {A}.",
			"Registered address: {A}; holder {N}.",
			"Confirmation received from {N}.",
		},
	},
}

// kkDative adds the Kazakh dative ending to the last word of a name.
func kkDative(s string) string {
	rs := []rune(s)
	last := rs[len(rs)-1]
	back := true
	for i := len(rs) - 1; i >= 0; i-- {
		if strings.ContainsRune("аоұыяу", rs[i]) {
			break
		}
		if strings.ContainsRune("әеөүіиэ", rs[i]) {
			back = false
			break
		}
	}
	voiceless := strings.ContainsRune("кқпстшфхцч", last)
	switch {
	case voiceless && back:
		return s + "қа"
	case voiceless:
		return s + "ке"
	case back:
		return s + "ға"
	}
	return s + "ге"
}

// genSamples makes n sentences of lang from the templates and pools of split.
func genSamples(seed uint64, split int, lang string, n int) []sample {
	r := rand.New(rand.NewPCG(seed, uint64(split)))
	ts := templates[lang][split]
	out := make([]sample, 0, n)
	for range n {
		t := ts[r.IntN(len(ts))]
		var b strings.Builder
		var gs []gold
		for t != "" {
			i := strings.IndexByte(t, '{')
			if i < 0 {
				b.WriteString(t)
				break
			}
			b.WriteString(t[:i])
			j := strings.IndexByte(t, '}')
			slot := t[i+1 : j]
			t = t[j+1:]
			start := b.Len()
			kind := Name
			full := true
			switch slot {
			case "A":
				kind = Address
				b.WriteString(address(r, split, lang))
			default:
				p := newPerson(r, split, lang)
				c, script := 0, 0
				switch slot {
				case "Nd":
					c = 1
				case "Na":
					c = 2
				case "Ni":
					c = 3
				}
				if c == 0 && lang != "en" && r.IntN(4) == 0 {
					script = 1 + r.IntN(2)
				}
				name, _ := p.render(r, c, script, slot == "Nk")
				full = strings.ContainsRune(name, ' ')
				b.WriteString(name)
				if i := strings.Index(name, ".-"); i >= 0 {
					// С.Е.-ға: the case ending after the hyphen is not part of the name
					gs = append(gs, gold{start: start, end: start + i + 1, kind: kind, full: full})
					continue
				}
			}
			gs = append(gs, gold{start: start, end: b.Len(), kind: kind, full: full})
		}
		out = append(out, sample{text: b.String(), lang: lang, gold: gs})
	}
	return out
}

// Ordinary text: capitalised words that are not names or addresses.
var (
	ordinaryTemplates = [8][]string{
		{
			"Аукцион в {CITY} начнётся {DAY} {MONTH} в 10:00.",
			"{COMPANY} выставило на торги {PRODUCT} {YEAR} года выпуска.",
			"{HEADING}",
			"Лот № {NUM}: {PRODUCT}, пробег {NUM} км, состояние хорошее.",
			"В {YEAR} г. объём торгов вырос на {NUM}%.",
			"Согласно п. {NUM} Правил, ставка не может быть отозвана.",
			"{CITY} қаласында сауда {DAY} {KMONTH} басталады.",
			"{COMPANY} компаниясы {PRODUCT} сатады.",
			"Lot {NUM}: {PRODUCT}, {YEAR}, located in {ECITY}.",
			"{EHEADING}",
			"The auction in {ECITY} opens on {EMONTH} {DAY}.",
			"Площадь помещения {NUM} кв. м, см. стр. {NUM}.",
			"Платёж через {COMPANY} прошёл успешно.",
		},
		{
			"Торги по лоту {NUM} в {CITY} завершены {DAY} {MONTH}.",
			"{HEADING}. Раздел {NUM}.",
			"Продаётся {PRODUCT}, цена {NUM} тенге, торг в {CITY}.",
			"{COMPANY} и {COMPANY} подписали меморандум в {CITY}.",
			"Отчёт за {MONTH} {YEAR} г. опубликован.",
			"См. ст. {NUM} Закона РК и п. {NUM} Регламента.",
			"{KHEADING}",
			"{CITY} мен {CITY} арасында {PRODUCT} жеткізу.",
			"{EHEADING}: {PRODUCT} from {COMPANY}.",
			"Bids for {PRODUCT} close on {EMONTH} {DAY}, {YEAR}.",
			"{COMPANY} reported strong demand in {ECITY} and {ECITY}.",
			"Delivery to {ECITY} takes {NUM} days.",
			"Итого: {NUM} лотов, из них {NUM} в {CITY}.",
		},
		{
			"Сессия торгов в {CITY} перенесена на {DAY} {MONTH}.",
			"{COMPANY} уведомило участников о смене реквизитов.",
			"{HEADING}: редакция от {DAY} {MONTH} {YEAR} г.",
			"Модель {PRODUCT} снята с продажи в {CITY}.",
			"{KCITY} облысында {PRODUCT} сатылымы өсті.",
			"{KHEADING}. {NUM}-бөлім.",
			"{EHEADING} updated for {PRODUCT} buyers in {ECITY}.",
			"New lots from {COMPANY} are listed every {EDAY}.",
			"Статья {NUM}. {HEADING}",
			"Счёт № {NUM} от {DAY}.{DAY}.{YEAR} оплачен через {COMPANY}.",
		},
		{
			"Вебинар для участников из {CITY} пройдёт {DAY} {MONTH}.",
			"{COMPANY} подтвердило оплату лота {NUM}.",
			"{HEADING}",
			"Лот {NUM}: {PRODUCT}, стартовая цена {NUM} тенге.",
			"{KCITY} қаласындағы аукцион {DAY} {KMONTH} өтеді.",
			"{EHEADING}: {PRODUCT} auction in {ECITY} on {EDAY}.",
			"Отчёт {COMPANY} за {YEAR} год, раздел {NUM}.",
		},
	}
	ordinaryFill = map[string]pool{
		"EDAY":     {{"x"}, {"x"}, {"Monday", "Tuesday", "Friday"}, {"Wednesday", "Thursday"}},
		"KCITY":    {{"x"}, {"x"}, {"Қарағанды", "Павлодар", "Түркістан"}, {"Талғар", "Қаскелең", "Кентау"}},
		"CITY":     {{"Алматы", "Шымкенте", "Павлодаре", "Москве"}, {"Астане", "Караганде", "Актобе", "Таразе", "Семее", "Костанае", "Кызылорде", "Уральске", "Бишкеке", "Ташкенте", "Нур-Султане", "Туркестане"}, {"Петропавловске", "Темиртау", "Экибастузе", "Жезказгане", "Риге", "Казани", "Омске", "Балхаше"}, {"Талгаре", "Каскелене", "Кентау", "Новосибирске", "Самарканде", "Алматы"}},
		"ECITY":    {{"Almaty", "Shymkent", "London"}, {"Astana", "Karaganda", "Aktobe", "Dubai", "Istanbul", "Tashkent", "Aktau", "Atyrau", "Pavlodar"}, {"Petropavl", "Temirtau", "Rudny", "Minsk", "Riga", "Baku", "Hamilton", "Victoria"}, {"Talgar", "Kentau", "Samarkand", "Lincoln", "Florence", "Regina"}},
		"MONTH":    {{"января", "марта", "мая", "июля"}, {"февраля", "апреля", "июня", "августа", "сентября", "октября", "ноября", "декабря"}, {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}, {"января", "мая", "октября"}},
		"KMONTH":   {{"қаңтарда", "наурызда"}, {"мамырда", "маусымда", "шілдеде", "тамызда", "қыркүйекте", "қазанда", "желтоқсанда"}, {"қаңтарда", "ақпанда", "сәуірде"}, {"қаңтарда", "мамырда"}},
		"EMONTH":   {{"January", "March", "May"}, {"April", "June", "July", "August", "September", "October", "November", "December"}, {"January", "February", "March", "April", "May", "June"}, {"March", "July"}},
		"COMPANY":  {{"ТОО «Алтын Дала»", "АО «Казахтелеком»", "Kaspi Bank", "Halyk Bank"}, {"ТОО «Береке Строй»", "АО «Самрук-Казына»", "Air Astana", "Freedom Finance", "ТОО «Мерей Логистик»", "Jusan Bank", "Bank CenterCredit", "ТОО «Қазақ Тағамы»", "KEGOC", "Shell Kazakhstan", "Glotur Group", "Tengri Partners"}, {"ТОО «Нур Маркет»", "АО «КазТрансОйл»", "ТОО «Асем Групп»", "Eurasian Bank", "ForteBank", "Home Credit Bank", "Bereke Bank", "Kolesa Group", "Arbuz.kz", "Technodom", "Sulpak", "Mechta", "ИП «Айгерим»", "Grant Thornton"}, {"ТОО «Ерлан и К»", "АО «Шубарколь Комир»", "Magnum Cash&Carry", "Marriott Almaty", "Wilson Group", "Morgan Stanley", "Johnson Controls", "ТОО «Айсулу Трейд»"}},
		"PRODUCT":  {{"Toyota Camry", "Lada Granta", "iPhone 15", "Samsung Galaxy S24"}, {"Hyundai Tucson", "Kia Sportage", "Chevrolet Cobalt", "Volkswagen Polo", "Haval Jolion", "Chery Tiggo 7", "Geely Coolray", "MacBook Pro", "JAC S3", "Skoda Octavia", "Ravon Nexia", "Xiaomi Redmi Note"}, {"Toyota Land Cruiser", "Lexus RX", "Nissan Qashqai", "Mitsubishi Outlander", "Renault Duster", "Subaru Forester", "Mazda CX-5", "Ford Focus", "Honda Civic", "Audi Q7", "Apple Watch", "Sony PlayStation 5", "Lada Niva", "UAZ Patriot", "Changan CS55"}, {"Toyota Prado", "Hyundai Elantra", "Kia K5", "Lada Vesta Cross", "Tesla Model 3", "Volvo XC90", "Jetour X70"}},
		"HEADING":  {{"Общие Положения", "Порядок Проведения Торгов", "Права И Обязанности Сторон"}, {"Заключительные Положения", "Ответственность Сторон", "Форс-Мажор", "Порядок Оплаты", "Политика Конфиденциальности", "Условия Участия", "Приложение А", "Раздел Б"}, {"Порядок Возврата Гарантийного Взноса", "Термины И Определения", "Права Участника", "Обязанности Оператора", "Приложение Б"}, {"Правила Проведения Электронных Торгов", "Регламент Работы Платформы", "Приложение В", "Часто Задаваемые Вопросы"}},
		"KHEADING": {{"Жалпы Ережелер", "Сауда Тәртібі"}, {"Қорытынды Ережелер", "Тараптардың Жауапкершілігі", "Төлем Тәртібі", "Құпиялылық Саясаты"}, {"Терминдер Мен Анықтамалар", "Қатысушының Құқықтары"}, {"Жиі Қойылатын Сұрақтар"}},
		"EHEADING": {{"Terms And Conditions", "Privacy Policy", "Bid Submission Rules"}, {"Frequently Asked Questions", "Payment Methods", "Refund Policy", "Getting Started", "Account Security", "Release Notes", "Grant Application", "Main Street Market"}, {"Terms Of Use", "Shipping And Delivery", "Contact Us", "Customer Support Center", "Jackson Hole Trip", "Victoria Falls Tour", "Hamilton Street Market"}, {"Auction Calendar", "Lincoln Park Lots", "Regina Office Furniture"}},
	}
)

// genOrdinary makes ordinary sentences of split with about words words.
func genOrdinary(seed uint64, split int, words int) []string {
	r := rand.New(rand.NewPCG(seed, uint64(split)+100))
	ts := ordinaryTemplates[split]
	var out []string
	count := 0
	for count < words {
		t := ts[r.IntN(len(ts))]
		var b strings.Builder
		for t != "" {
			i := strings.IndexByte(t, '{')
			if i < 0 {
				b.WriteString(t)
				break
			}
			b.WriteString(t[:i])
			j := strings.IndexByte(t, '}')
			slot := t[i+1 : j]
			t = t[j+1:]
			switch slot {
			case "NUM":
				b.WriteString(fmt.Sprint(1 + r.IntN(500)))
			case "DAY":
				b.WriteString(fmt.Sprint(1 + r.IntN(28)))
			case "YEAR":
				b.WriteString(fmt.Sprint(2015 + r.IntN(12)))
			default:
				b.WriteString(ordinaryFill[slot].pick(r, split))
			}
		}
		s := b.String()
		count += len(strings.Fields(s))
		out = append(out, s)
	}
	return out
}

// Single-word names: a surname or given name made a name by a context word
// ("Mr Smith", "г-н Иванов", "Нұрлан мырза") or a well-known given name
// alone ("Нұрланға хабарласыңыз").
var singleTemplates = [8][]string{
	{"Клиент {S} ждёт звонка.", "Уважаемый г-н {S}, ваша ставка принята.", "Dear Mr {E}, your bid was accepted.", "{K} мырза, өтініміңіз қабылданды.", "{G} хабарласыңыз.", "Ms {E} asked for a refund."},
	{"Гражданин {S} не явился на осмотр.", "Участник торгов {S} отозвал заявку.", "{K} ханым, құжаттарыңызды жүктеңіз.", "Mrs {E} called twice.", "Передайте {G}, что всё готово.", "Customer {E} disputes the charge."},
	{"Заявитель {S} приложил скан паспорта.", "Г-жа {S} просит перезвонить.", "Қатысушы {K} төлем жасады.", "Hello Mr. {E}, thanks for waiting.", "{G} өтінішін қайта жіберді.", "Bidder {E} won lot 7."},
	{"Плательщик — г-н {S}.", "Клиентка {S} ждёт ответа.", "{K} мырзаға хабарласыңыз.", "Ms. {E} confirmed.", "Позвоните {G} завтра.", "Applicant {E} withdrew."},
}

func genSingles(seed uint64, split int, n int) []sample {
	r := rand.New(rand.NewPCG(seed, uint64(split)+200))
	ts := singleTemplates[split]
	out := make([]sample, 0, n)
	for range n {
		t := ts[r.IntN(len(ts))]
		i := strings.IndexByte(t, '{')
		slot := t[i+1 : i+2]
		var name, lang string
		switch slot {
		case "S":
			name, lang = newPerson(r, split, "ru").sur, "ru"
		case "E":
			name, lang = enSurname.pick(r, split), "en"
		case "K":
			name, lang = newPerson(r, split, "kk").given, "kk"
		case "G":
			p := newPerson(r, split, "kk")
			name, lang = p.given, "kk"
			if strings.Contains(t, "Передайте") {
				name = inflectGiven(p.given, p.fem, 1)
			} else if strings.HasPrefix(t, "{G} хабар") {
				name = kkDative(p.given)
			}
		}
		text := t[:i] + name + t[i+3:]
		out = append(out, sample{text: text, lang: lang, gold: []gold{{start: i, end: i + len(name), kind: Name, full: false}}})
	}
	return out
}
