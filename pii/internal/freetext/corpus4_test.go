package freetext

// Splits 6 ("dev") and 7 ("sealed") of the evaluation corpus, written on
// 2026-12-07 before any rule was changed for them. They aim at the classes
// split 5 left open: English given names that are common words (Dawn,
// Holly, Miles, Pearl, Frank) before a surname, also at a sentence start;
// a lone initial before a surname at a sentence start ("S. Ormsby moved
// …"); given names no list holds, before a surname at a sentence start;
// surnames that are common words (Baker, Fisher, Cook, Walker); and, in
// the ordinary text, firms, products, streets and places named after
// people ("Marks & Spencer", "Ralph Lauren", "Lincoln Navigator", "Dean
// Street Storage", "Charlotte"), feminine role words that no list holds
// ("Участница"), months and headings. Split 6 was developed on; split 7
// was run once, at the end (DESIGN.md).

func init() {
	ruMale[6] = []string{"Руслан", "Эльдар", "Артём", "Альберт", "Оскар", "Савва", "Тихон", "Никита", "Даниил", "Ефрем"}
	ruMale[7] = []string{"Рустам", "Эмиль", "Станислав", "Вениамин", "Игнатий", "Евсей", "Радик", "Ринат", "Айдар", "Тагир"}
	ruFemale[6] = []string{"Нина", "Лилия", "Эльвира", "Альбина", "Эльмира", "Лилиана", "Аглая", "Клавдия", "Фаина", "Жанна"}
	ruFemale[7] = []string{"Антонина", "Инга", "Владислава", "Майя", "Рената", "Нонна", "Тамила", "Кристина", "Зоя", "Виолетта"}
	kkMale[6] = []string{"Данияр", "Азат", "Айбол", "Мейрам", "Самат", "Нұрбек", "Әлихан", "Бекнұр", "Ақжігіт", "Ермұхамбет"}
	kkMale[7] = []string{"Дамир", "Қуат", "Ернар", "Алмас", "Ғани", "Еркебұлан", "Нұрторе", "Әділет", "Жомарт", "Ислам"}
	kkFemale[6] = []string{"Толқын", "Гаухар", "Алтынай", "Гүлнұр", "Анеля", "Жұлдыз", "Ақсұлу", "Ләйлә", "Мейірім", "Бибігүл"}
	kkFemale[7] = []string{"Индира", "Айкөркем", "Назгүл", "Шолпан", "Сәбира", "Нұргүл", "Көркем", "Дариға", "Ұлбосын", "Жадыра"}
	ruRoots[6] = []string{"Воронц", "Дьяк", "Калашник", "Лобан", "Пахом", "Рожк", "Шар", "Кудряш", "Третьяк", "Горшк"}
	ruRoots[7] = []string{"Беляк", "Гусак", "Зубар", "Кривош", "Лапт", "Мартын", "Носк", "Пятак", "Рыбак", "Чуприн"}
	kkRoots[6] = []string{"Әлжан", "Бердібек", "Ділдәбек", "Есенбай", "Жолдас", "Қалдыбай", "Мұсабек", "Нұрмұхан", "Ораз", "Тұрлыбек"}
	kkRoots[7] = []string{"Абдрахман", "Бекбол", "Досмағамбет", "Жексен", "Кәрім", "Мамырбай", "Нысанбай", "Оспанқұл", "Сүлеймен", "Төлеуов"}
	enGiven[6] = []string{"Dawn", "Holly", "Wade", "Lance", "Miles", "Hazel", "Graham", "Rupert", "Cecil", "Warren", "Bernadette", "Troy"}
	enGiven[7] = []string{"Pearl", "Dean", "Frank", "Joy", "Ivy", "Percy", "Marshall", "Gordon", "Herbert", "Clay", "Lorraine", "Otis"}
	enSurname[6] = []string{"Thackeray", "Fenwick", "Braithwaite", "Etheridge", "Gaskell", "Harcourt", "Ibbotson", "Jowett", "Kershaw", "Liddell", "Fisher", "Baker"}
	enSurname[7] = []string{"Ackroyd", "Beaumont", "Coggins", "Dimmock", "Entwistle", "Frobisher", "Grimshaw", "Haslam", "Illingworth", "Knowles", "Cook", "Walker"}
	ruStreets[6] = []string{"Манаса", "Толстого", "Ломоносова", "Бекмаханова", "Шемякина", "Ахметова", "Жамбыла", "Тургут Озала"}
	ruStreets[7] = []string{"Абылай хана", "Момышулы", "Рыскулова", "Майлина", "Бальзака", "Маметовой", "Левитана", "Сейфуллина"}
	kkStreets[6] = []string{"Манас", "Ломоносов", "Бекмаханов", "Ахметов", "Сәкен Сейфуллин", "Рысқұлов", "Мәметова", "Майлин"}
	kkStreets[7] = []string{"Қарасай батыр", "Шевченко", "Абылайхан", "Ілияс Есенберлин", "Ақан сері", "Мұқағали Мақатаев"}
	latStreets[6] = []string{"Manas", "Rozybakiev", "Bekmakhanov", "Akhmetov", "Ryskulov", "Mametova", "Mailin", "Tolstoy"}
	latStreets[7] = []string{"Karasay Batyr", "Shevchenko", "Yesenberlin", "Akan Seri", "Zhandosov", "Baizakov", "Sauran"}
	mkrs[6] = []string{"Аксай-5", "Орбита-4", "Жетысу-4", "Мамыр-3", "Казахфильм", "Кокжиек", "Шанырак-2"}
	mkrs[7] = []string{"Калкаман-3", "Айгерим-1", "Зердели", "Думан-2", "Улжан-1", "Достык"}
	latMkrs[6] = []string{"Aksay-5", "Orbita-4", "Zhetysu-4", "Kokzhiek", "Shanyrak-2"}
	latMkrs[7] = []string{"Kalkaman-3", "Aigerim-1", "Zerdeli", "Duman-2"}
	ruCities[6] = []string{"Кандыагаш", "Аркалык", "Шардара", "Ушарал", "Сарканд", "Атбасар", "Есиль", "Макинск"}
	ruCities[7] = []string{"Эмба", "Темир", "Алга", "Шалкар", "Казалинск", "Булаево", "Мамлютка", "Форт-Шевченко"}
	kkCities[6] = []string{"Қандыағаш", "Арқалық", "Шардара", "Үшарал", "Сарқан", "Атбасар", "Есіл", "Макинск"}
	kkCities[7] = []string{"Ембі", "Темір", "Алға", "Шалқар", "Қазалы", "Булаев", "Мамлют", "Форт-Шевченко"}
	latCities[6] = []string{"Kandyagash", "Arkalyk", "Shardara", "Usharal", "Sarkand", "Atbasar", "Esil", "Makinsk"}
	latCities[7] = []string{"Emba", "Temir", "Alga", "Shalkar", "Kazaly", "Bulayevo", "Mamlyutka", "Fort-Shevchenko"}
	ruRegions[6] = []string{"Павлодарская", "Северо-Казахстанская", "Жетысуская"}
	ruRegions[7] = []string{"Костанайская", "Мангистауская", "Актюбинская"}
	ruDistricts[6] = []string{"Медеуский", "Турксибский", "Райымбекский"}
	ruDistricts[7] = []string{"Наурызбайский", "Есильский", "Алатауский"}

	setTemplates("ru", 6, []string{
		"{N} просит вернуть гарантийный взнос.",
		"Заявку на участие подал {N}, адрес: {A}.",
		"Звонок от {N}: не может войти в личный кабинет.",
		"Передать {Nd} оригинал договора до пятницы.",
		"Встреча с {Ni} перенесена на понедельник.",
		"По поручению {N} документы отправлены на {A}.",
		"Курьер доставит пакет {Nd} по адресу {A}.",
		"Итоги торгов оспаривает {N}.",
	})
	setTemplates("ru", 7, []string{
		"{N} уточнил реквизиты для возврата.",
		"Согласно заявлению {N}, лот получен с повреждениями.",
		"Доставка: {A}, получатель {N}.",
		"Свяжитесь с {Ni} до конца дня.",
		"Вопрос передан {Nd} на рассмотрение.",
		"Новый адрес регистрации — {A}.",
		"Комментарий от {N}: прошу продлить срок оплаты.",
	})
	setTemplates("kk", 6, []string{
		"{N} өтінімін кері қайтарып алды.",
		"Кепілдік жарнаны {N} төледі, мекенжайы {A}.",
		"Құжаттарды {Nk} тапсырыңыз.",
		"Лот {A} мекенжайына жеткізілді.",
		"Сатып алушы {N} шартқа қол қойды.",
		"Хабарласқан {N}: жеке кабинетке кіре алмайды.",
	})
	setTemplates("kk", 7, []string{
		"{N} төлем мерзімін ұзартуды сұрады.",
		"Жеткізу мекенжайы: {A}, алушы {N}.",
		"Жауапты {Nk} жолдаңыз.",
		"Аукцион жеңімпазы {N} құжаттарды әкелді.",
		"Жаңа тіркеу мекенжайы — {A}.",
	})
	setTemplates("en", 6, []string{
		"{N} reported that the bid button does not respond.",
		"Refund request from {N}, registered at {A}.",
		"Please ask {N} to upload the signed contract.",
		"New address for {N}: {A}.",
		"The winning bidder, {N}, paid on Tuesday.",
		"Notes: {N} prefers e-mail over phone calls.",
		"Delivery to {A} was confirmed by {N}.",
		"{N} disputes the commission charged on lot 14.",
	})
	setTemplates("en", 7, []string{
		"{N} requested an invoice in tenge.",
		"Contract signed by {N} and returned to {A}.",
		"Our agent met {N} at the warehouse.",
		"Forwarding address: {A}",
		"Reminder: {N} has not paid the deposit.",
		"{N} will collect the lot on Thursday.",
	})
	ordinaryTemplates[6] = []string{
		"{COMPANY} объявило о продаже {PRODUCT} в {CITY}.",
		"В {MONTH} {YEAR} г. {COMPANY} провело {NUM} аукционов.",
		"{HEADING}",
		"{EHEADING}",
		"{COMPANY} won the tender for {PRODUCT} in {ECITY}.",
		"Shares of {COMPANY} rose {NUM}% in {EMONTH}.",
		"{KCITY} қаласында {COMPANY} жаңа кеңсе ашты.",
		"Audit by {COMPANY} completed on {EDAY}.",
		"Организатор торгов: {COMPANY}. Лот {NUM}: {PRODUCT}.",
	}
	ordinaryTemplates[7] = []string{
		"{COMPANY} сообщило о переносе торгов на {DAY} {MONTH}.",
		"{PRODUCT} от {COMPANY} выставлен на аукцион в {CITY}.",
		"{EHEADING}: {EMONTH} {YEAR}.",
		"Consultants from {COMPANY} reviewed the {ECITY} lots.",
		"{KHEADING}",
		"{COMPANY} компаниясы {KCITY} қаласында {PRODUCT} сатты.",
		"{EDAY} update: {COMPANY} listed {NUM} lots.",
	}
	fill := map[string][2][]string{
		"EDAY":     {{"Monday", "Wednesday", "Friday"}, {"Tuesday", "Thursday", "Saturday"}},
		"KCITY":    {{"Арқалық", "Атбасар", "Шардара"}, {"Шалқар", "Ембі"}},
		"CITY":     {{"Кандыагаше", "Аркалыке", "Атбасаре", "Казани", "Екатеринбурге"}, {"Шалкаре", "Эмбе", "Уфе", "Тбилиси"}},
		"ECITY":    {{"Arkalyk", "Atbasar", "Dallas", "Hamburg", "Chester", "Charlotte"}, {"Emba", "Shalkar", "Austin", "Madison", "Jackson", "Orlando"}},
		"MONTH":    {{"февраля", "мае", "августе", "октябре"}, {"января", "июля"}},
		"KMONTH":   {{"маусымда", "желтоқсанда"}, {"қаңтарда", "шілдеде"}},
		"EMONTH":   {{"April", "June", "August"}, {"May", "November"}},
		"COMPANY":  {{"Ernst & Young", "Baker McKenzie", "Marks & Spencer", "Goldman Sachs", "Procter & Gamble", "Harley-Davidson", "Dean Foods", "Ralph Lauren", "ТОО «Нурлан Строй»", "АО «Байтерек»", "Philip Morris Kazakhstan", "Deloitte", "Wells Fargo", "Raymond James"}, {"Deloitte & Touche", "Johnson & Johnson", "Calvin Klein", "Charles Schwab", "Tommy Hilfiger", "Hugo Boss", "Estée Lauder", "Ford Motor", "Dell Technologies", "Russell Reynolds", "Korn Ferry", "ТОО «Айгерім Фарм»", "Boston Consulting Group", "Bain & Company"}},
		"PRODUCT":  {{"Ford Ranger", "Toyota Hilux", "Dodge Charger", "Lincoln Navigator", "Chevrolet Tahoe", "Samsung Galaxy Tab"}, {"Ford Transit", "Mercedes Sprinter", "Chrysler Pacifica", "Volvo S60", "Dacia Duster", "Opel Astra"}},
		"HEADING":  {{"Порядок Расчётов", "Сведения Об Участнике"}, {"Условия Возврата", "Общие Сведения"}},
		"KHEADING": {{"Тараптардың Құқықтары", "Қорытынды Шарттар"}, {"Жалпы Мәліметтер", "Сауда Нәтижелері"}},
		"EHEADING": {{"Dean Street Storage", "Hazel Grove Depot", "Graham Road Lots", "Violet Hill Auction", "Holly Lane Yard", "Lot Viewing Schedule"}, {"Pearl Street Warehouse", "Gordon Square Sale", "Frank Talk Webinar", "Marshall Plan Archive", "Ivy League Surplus"}},
	}
	for k, v := range fill {
		p := ordinaryFill[k]
		p[6], p[7] = v[0], v[1]
		ordinaryFill[k] = p
	}
	singleTemplates[6] = []string{"Клиентка {S} повторно обратилась.", "Г-н {S} просит счёт.", "{K} мырза, шартыңыз дайын.", "Dear Mrs. {E}, thank you.", "Bidder {E} raised the stake.", "Передайте {G} копию акта."}
	singleTemplates[7] = []string{"Покупатель {S} оплатил лот.", "{K} ханым, жауап жіберілді.", "Ms {E} signed the form.", "Передайте {G}, что лот доставлен.", "Участница {S} отозвала ставку."}
}
