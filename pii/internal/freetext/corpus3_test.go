package freetext

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Splits 4 ("new") and 5 ("last") of the evaluation corpus, written on
// 2026-12-07 after the throughput work, before any rule was changed for
// them: new templates, name pools, streets and cities, and English
// address shapes the earlier splits lack ("12 Abay Ave, apt 5, Almaty
// 050010", "Dostyk Avenue 240", "Microdistrict Samal-2, bld 7"). Split 4
// was developed on; split 5 was run once, at the end (DESIGN.md).

func init() {
	ruMale[4] = []string{"Арсений", "Марк", "Лев", "Денис", "Роман", "Тимур", "Кирилл", "Семён", "Анатолий", "Валерий", "Вадим", "Филипп"}
	ruMale[5] = []string{"Ильдар", "Георгий", "Платон", "Демид", "Герман", "Святослав", "Мирослав", "Валентин", "Борис", "Егор"}
	ruFemale[4] = []string{"Алиса", "Вера", "Софья", "Виктория", "Диана", "Маргарита", "Арина", "Яна", "Инна", "Римма", "Элина"}
	ruFemale[5] = []string{"Ева", "Мирослава", "Любовь", "Надежда", "Камила", "Луиза", "Ника", "Снежана", "Ксения", "Алла"}
	kkMale[4] = []string{"Ерқанат", "Дидар", "Асылан", "Мейірлан", "Ерсайын", "Тұрар", "Қуаныш", "Бақытжан", "Жәнібек", "Ақылбек", "Нұржан"}
	kkMale[5] = []string{"Елдос", "Ерлік", "Бағдат", "Аслан", "Төрехан", "Ұлан", "Айбек", "Берік", "Саян", "Ғалым"}
	kkFemale[4] = []string{"Ботагөз", "Гүлжан", "Айнұр", "Салтанат", "Қарлығаш", "Шынар", "Дана", "Зере", "Анар", "Ләззат", "Әлия"}
	kkFemale[5] = []string{"Нәзира", "Ақжайық", "Мадина", "Сабина", "Айым", "Күнсұлу", "Гүлсім", "Баян", "Жібек", "Арайлым"}
	ruRoots[4] = []string{"Добр", "Жук", "Карп", "Лаптев", "Мельник", "Никитин", "Осип", "Русак", "Сухар", "Трофим", "Устин", "Фрол"}
	ruRoots[5] = []string{"Блин", "Глух", "Дроздов", "Журавл", "Кабан", "Лис", "Пестов", "Сом", "Хохл", "Шишк"}
	kkRoots[4] = []string{"Әбілқас", "Бектұрған", "Дәулетбай", "Ермахан", "Жанқұл", "Қыдырбай", "Мамырбек", "Нұрғалиев", "Сыздық", "Тілеубай"}
	kkRoots[5] = []string{"Амангелдиев", "Бөлекбай", "Ғабит", "Иманбай", "Көшербай", "Мыңбай", "Рахымжан", "Сарсен", "Үмбетәлиев", "Шәкен"}
	enGiven[4] = []string{"Spencer", "Morgan", "Russell", "Craig", "Wallace", "Heather", "Gwendolyn", "Nigel", "Beverly", "Clifford", "Marjorie", "Preston"}
	enGiven[5] = []string{"Stanley", "Dwight", "Grant", "Mabel", "Lionel", "Phyllis", "Irving", "Winifred", "Sidney", "Ellis"}
	enSurname[4] = []string{"Abernathy", "Blakemore", "Crowther", "Dunmore", "Eastwood", "Fairweather", "Gillingham", "Hargreaves", "Ingram", "Jessop", "Kirkwood"}
	enSurname[5] = []string{"Lockwood", "Marchbanks", "Nettleton", "Ormsby", "Pilkington", "Quayle", "Rowntree", "Stanhope", "Tolliver", "Underhill"}
	ruStreets[4] = []string{"Панфилова", "Тулебаева", "Мауленова", "Назарбаева", "Муканова", "Байганина", "Валиханова", "Жумалиева", "Есенова", "Шагабутдинова"}
	ruStreets[5] = []string{"Радостовца", "Брусиловского", "Габдуллина", "Наурызбай батыра", "Джамбула", "Богенбай батыра", "Кунаева", "Розы Баглановой"}
	kkStreets[4] = []string{"Панфилов", "Төлебаев", "Мәуленов", "Мұқанов", "Байғанин", "Уәлиханов", "Жұмалиев", "Есенов", "Бейбітшілік", "Тәуелсіздік"}
	kkStreets[5] = []string{"Ғабдуллин", "Жібек жолы", "Бауыржан Момышұлы", "Сүйінбай", "Иманов", "Желтоқсан", "Әл-Фараби", "Қабанбай батыр"}
	latStreets[4] = []string{"Panfilov", "Tulebayev", "Baiganin", "Valikhanov", "Zhumaliev", "Yesenov", "Tauelsizdik", "Mukanov", "Dostyk", "Abay"}
	latStreets[5] = []string{"Gabdullin", "Momyshuly", "Suyunbay", "Imanov", "Zheltoksan", "Al-Farabi", "Syganak", "Kerey Zhanibek"}
	mkrs[4] = []string{"Самал-2", "Коктем-3", "Аксай-2", "Жетысу-1", "Мамыр-7", "Кулагер", "Айнабулак-3"}
	mkrs[5] = []string{"Тастак-2", "Думан", "Асар", "Нуркент-5", "Жулдыз-2", "Акжар"}
	ruCities[4] = []string{"Жанаозен", "Кульсары", "Щучинск", "Зыряновск", "Аягоз", "Байконыр", "Сарань", "Хромтау", "Шу", "Жаркент"}
	ruCities[5] = []string{"Капшагай", "Текели", "Абай", "Житикара", "Ленгер", "Сарыагаш", "Жетысай", "Уштобе"}
	kkCities[4] = []string{"Жаңаөзен", "Құлсары", "Щучинск", "Алтай", "Аягөз", "Байқоңыр", "Саран", "Хромтау", "Шу", "Жаркент"}
	kkCities[5] = []string{"Қапшағай", "Текелі", "Абай", "Жітіқара", "Ленгер", "Сарыағаш", "Жетісай", "Үштөбе"}
	latCities[4] = []string{"Zhanaozen", "Kulsary", "Shchuchinsk", "Ayagoz", "Baikonur", "Saran", "Khromtau", "Zharkent", "Almaty", "Astana"}
	latCities[5] = []string{"Kapshagay", "Tekeli", "Zhitikara", "Lenger", "Saryagash", "Zhetysay", "Ushtobe", "Shymkent"}
	ruRegions[4] = []string{"Алматинская", "Восточно-Казахстанская", "Улытауская", "Кызылординская"}
	ruRegions[5] = []string{"Жамбылская", "Абайская", "Атырауская"}
	ruDistricts[4] = []string{"Алмалинский", "Жетысуский", "Байконурский", "Енбекшинский"}
	ruDistricts[5] = []string{"Сарыаркинский", "Абайский", "Каратауский"}

	setTemplates("ru", 4, []string{
		"Обращение зарегистрировано: заявитель {N}, адрес {A}.",
		"Сегодня {N} повторно запросил выписку по лоту.",
		"Отправьте копию протокола {Nd} на {A}.",
		"Сверка платежа с {Ni} назначена на пятницу.",
		"Не удалось дозвониться до {Na}, оставлено сообщение.",
		"Получатель: {N}. Адрес: {A}",
		"Со слов {N}, гарантийный взнос не вернулся.",
		"Место осмотра лота — {A}.",
		"Ответственный исполнитель {N} взял обращение в работу.",
	})
	setTemplates("ru", 5, []string{
		"Поступил запрос от {N} на перенос осмотра.",
		"Почтовый адрес: {A}; получатель {N}.",
		"Созвонились с {Ni}, вопрос решён.",
		"Прошу выдать {Nd} дубликат договора.",
		"{N} сообщил о смене адреса на {A}.",
		"Арбитражный управляющий {N} утвердил отчёт.",
		"Осмотр объекта по адресу {A} согласован.",
	})
	setTemplates("kk", 4, []string{
		"Өтінім иесі {N}, тіркеу мекенжайы {A}.",
		"{N} бүгін екінші рет хабарласты.",
		"Хаттаманың көшірмесін {Nk} жіберіңіз.",
		"Лотты қарау орны: {A}.",
		"Алушы: {N}. Мекенжайы: {A}",
		"{N} кепілдік жарнасын қайтаруды сұрады.",
		"Жауапты маман {N} өтінішті қабылдады.",
	})
	setTemplates("kk", 5, []string{
		"{N} мекенжайын {A} деп өзгертті.",
		"Пошта мекенжайы: {A}; алушы {N}.",
		"Шартты {Nk} қайта жіберу керек.",
		"Қатысушы {N} сауда нәтижесіне шағымданды.",
		"Нысанды {A} мекенжайында қарау келісілді.",
	})
	setTemplates("en", 4, []string{
		"Support case opened by {N}; mailing address {A}.",
		"{N} asked for the deposit to be returned.",
		"Please forward the protocol to {N}, {A}.",
		"Inspection address: {A}",
		"Spoke with {N} about the invoice this morning.",
		"Recipient: {N}. Address: {A}",
		"The lot was handed over to {N} at {A}.",
		"According to {N}, the payment went through twice.",
	})
	setTemplates("en", 5, []string{
		"A complaint from {N} was logged at 09:40.",
		"Postal address: {A}; recipient {N}.",
		"Agreed with {N} to reschedule the viewing.",
		"{N} moved to {A} last month.",
		"Viewing of the object at {A} is confirmed.",
		"Account holder {N} requested a statement.",
	})
	ordinaryTemplates[4] = []string{
		"Торги по {PRODUCT} в {CITY} пройдут {DAY} {MONTH} {YEAR} г.",
		"{COMPANY} опубликовало годовой отчёт за {YEAR} год.",
		"{HEADING}",
		"Лот {NUM} снят с торгов по заявлению {COMPANY}.",
		"{KCITY} қаласында {PRODUCT} бойынша сауда {DAY} {KMONTH} өтеді.",
		"{KHEADING}",
		"{EHEADING}",
		"Auction of {PRODUCT} in {ECITY} starts on {EDAY}, {EMONTH} {DAY}.",
		"{COMPANY} listed {NUM} lots in {ECITY} this {EMONTH}.",
		"Раздел {NUM}. {HEADING}. Пункт {NUM}.",
	}
	ordinaryTemplates[5] = []string{
		"Итоги торгов в {CITY} за {MONTH} {YEAR} г. подведены.",
		"{COMPANY} сменило банковские реквизиты с {DAY} {MONTH}.",
		"{HEADING}: {PRODUCT}.",
		"{KCITY} облысындағы {PRODUCT} лоттары сатылды.",
		"{EHEADING}. Section {NUM}.",
		"{PRODUCT} from {COMPANY} sold in {ECITY} on {EDAY}.",
		"Всего {NUM} участников из {CITY} и {CITY}.",
	}
	fill := map[string][2][]string{
		"EDAY":     {{"Monday", "Saturday", "Sunday"}, {"Tuesday", "Friday"}},
		"KCITY":    {{"Жаңаөзен", "Саран", "Аягөз", "Шу"}, {"Текелі", "Сарыағаш", "Жетісай"}},
		"CITY":     {{"Жанаозене", "Сарани", "Аягозе", "Хромтау", "Шымкенте", "Новосибирске"}, {"Текели", "Сарыагаше", "Уштобе", "Бишкеке"}},
		"ECITY":    {{"Zhanaozen", "Saran", "Baku", "Tbilisi", "Ulaanbaatar", "Frankfurt"}, {"Tekeli", "Saryagash", "Seoul", "Warsaw"}},
		"MONTH":    {{"января", "апреля", "сентября", "декабря"}, {"марта", "июня", "ноября"}},
		"KMONTH":   {{"сәуірде", "қыркүйекте", "қарашада"}, {"ақпанда", "тамызда"}},
		"EMONTH":   {{"February", "May", "September", "December"}, {"March", "October"}},
		"COMPANY":  {{"ТОО «Шыңғыс Логистик»", "АО «Евразийский банк»", "Freedom Finance", "Jusan Bank", "ТОО «Марат и Партнёры»", "Morrison & Foerster", "Johnson Controls"}, {"ТОО «Айсұлу Текстиль»", "Bereke Bank", "Wallace Freight", "АО «Казпочта»", "Spencer Stuart"}},
		"PRODUCT":  {{"Hyundai Elantra", "Toyota Land Cruiser", "MacBook Air", "экскаватор Caterpillar", "Volvo FH16"}, {"Kia Rio", "Lexus RX", "Xiaomi Redmi Note 13", "трактор Беларус"}},
		"HEADING":  {{"Порядок Возврата Гарантийного Взноса", "Ответственность Участников", "Общие Условия Продажи"}, {"Порядок Подачи Заявок", "Особые Условия"}},
		"KHEADING": {{"Кепілдік Жарнаны Қайтару Тәртібі", "Қатысушылардың Міндеттері"}, {"Өтінім Беру Тәртібі", "Ерекше Шарттар"}},
		"EHEADING": {{"Deposit Refund Procedure", "Buyer Obligations", "Morgan Street Warehouse Sale", "Grant Agreement Terms"}, {"Bid Withdrawal Rules", "Stanley Park Auction", "Preston Road Depot"}},
	}
	for k, v := range fill {
		p := ordinaryFill[k]
		p[4], p[5] = v[0], v[1]
		ordinaryFill[k] = p
	}
	singleTemplates[4] = []string{"Заявитель г-н {S} не явился.", "Клиент {S} ожидает звонка с утра.", "{K} ханым, өтініміңіз тіркелді.", "Dear Ms {E}, your deposit is back.", "Қатысушы {K} құжат жүктеді.", "Уважаемая г-жа {S}, ответ направлен."}
	singleTemplates[5] = []string{"Участник {S} внёс задаток.", "{K} мырза, төлеміңіз түсті.", "Mr. {E} called twice.", "Гражданка {S} подала жалобу."}
}

// setTemplates sets the templates of lang for split.
func setTemplates(lang string, split int, ts []string) {
	t := templates[lang]
	t[split] = ts
	templates[lang] = t
}

var latMkrs = map[int][]string{
	4: {"Samal-2", "Koktem-3", "Aksay-2", "Zhetysu-1", "Mamyr-7", "Kulager"},
	5: {"Tastak-2", "Duman", "Asar", "Nurkent-5", "Zhuldyz-2"},
}

// enAddress writes an address the way English-speaking users and forms
// do, in the shapes of splits 4 and 5: "12 Abay Ave, apt 5, Almaty
// 050010", "Dostyk Avenue 240", "Microdistrict Samal-2, bld 7".
func enAddress(r *rand.Rand, split int) string {
	n := func(k int) string { return fmt.Sprint(1 + r.IntN(k)) }
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	var parts []string
	st := latStreets.pick(r, split)
	switch r.IntN(7) {
	case 0, 1:
		parts = append(parts, n(300)+" "+st+" "+pick("Ave", "Ave.", "Avenue", "St", "St.", "Street", "Blvd", "Boulevard", "Prospekt"))
	case 2, 3:
		parts = append(parts, st+" "+pick("Avenue", "Street", "Ave", "St", "Blvd", "Prospekt", "avenue", "street")+" "+n(300))
	case 4:
		m := latMkrs[split][r.IntN(len(latMkrs[split]))]
		parts = append(parts, pick("Microdistrict ", "microdistrict ", "mkr. ", "Mkr ")+m, pick("bld ", "bld. ", "building ", "house ")+n(40))
	case 5:
		parts = append(parts, pick("ul. ", "str. ")+st+" "+n(300))
	case 6:
		parts = append(parts, st+" "+pick("St", "Ave")+". "+n(300))
	}
	if r.IntN(2) == 0 {
		parts = append(parts, pick("apt ", "apt. ", "Apt ", "flat ", "office ", "unit ", "block ")+n(200))
	}
	city := latCities.pick(r, split)
	switch r.IntN(6) {
	case 0:
		parts = append(parts, city+" "+postcode(r))
	case 1:
		parts = append(parts, city, postcode(r))
	case 2:
		parts = append(parts, city+" city")
	case 3:
		parts = append(parts, city)
	case 4:
		parts = append(parts, city, "Kazakhstan")
	}
	return strings.Join(parts, ", ")
}
