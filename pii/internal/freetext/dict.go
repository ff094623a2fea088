package freetext

import (
	"bufio"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed data/*.txt data/*.txt.gz
var dataFS embed.FS

// Word classes (token.class).
const (
	clGiven     uint32 = 1 << iota // a given name, maybe in a case form
	clAmb                          // the given name is also a common word or place
	clPatr                         // a patronymic (-ович, -овна, -ұлы, -қызы …)
	clSurList                      // a surname from the list
	clSurMorS                      // a strong surname ending: -ов/-ев/-ова/-ева, -енко, -ұлы …
	clSurMorW                      // a weak surname ending: -ин, -ский, -ук, -ян, -son …
	clStop                         // a capitalised word that is not a name
	clCity                         // a city or town of Kazakhstan
	clRegion                       // a region (oblast) adjective or name
	clCountry                      // Kazakhstan
	clNotName                      // acronym, digits, unknown letters: never part of a name
	clCtxPre                       // an honorific before a name (ФИО, г-н, Mr …)
	clCtxPost                      // a context word after a name (мырза, ханым)
	clUly                          // the separate word ұлы/қызы after a father's name
	clPostcode                     // six digits starting with 0 or 1
	clCtxLink                      // торгов, аукциона: "участник торгов Иванов"
	clCore                         // a given name from the Russian, Kazakh or compiled English list
	clGivenLike                    // ends as Russian given names do: -ий, -ия, -ья, -а (Савелий, Серафима)
	clCtxRole                      // a role before a name (клиент, участник, customer): weaker than an honorific
	clSurEn                        // an English surname ending: -ton, -ley, -well …
	clGivenSur                     // a given name as often a surname: Spencer, Morgan, Preston
	clCommonEn                     // a common English word (common_en.txt.gz) or one with its suffixes: set only where asked
)

// Address marker roles (token.mark).
const (
	mCityPre      uint32 = 1 << iota // г., город, с., пос.
	mCityPost                        // қ., қаласы, city
	mRegionPost                      // обл., облысы, region
	mDistrictPost                    // р-н, ауданы, district
	mStreetPre                       // ул., пр., мкр., пер. …
	mStreetPost                      // к-сі, көшесі, даңғылы, str., ave. …
	mHousePre                        // д., дом, үй
	mHousePost                       // үй
	mAptPre                          // кв., пәтер, apt.
	mAptPost                         // пәтер
	mCorpPre                         // корп., блок
	mIndexPre                        // индекс, index
	mWeak                            // ambiguous abbreviation (пр., с.): needs its dot, and for a street a known name, a number or a preceding part
	mShagyn                          // шағын: with the next word аудан(ы), a microdistrict
	mAudan                           // аудан, ауданы after шағын
	mNamed                           // им., имени: "ул. им. Абая"
	mTitle                           // a lower-case title inside a street's name: "Төле би", "Бұқар жырау"
	mMkr                             // a microdistrict, which may be numbered: "мкр. 5"
)

// Bits of tables.given.
const (
	gGiven   uint8 = 1 << iota // a given name
	gAmb                       // also a common word or place
	gInflect                   // Russian or Kazakh: case forms are looked up too
	gCore                      // from the Russian, Kazakh or compiled English lists
	gStop                      // also a stop word: a brand or a firm (Mercedes, Lada)
	gKazakh                    // from the Kazakh list: a word with Kazakh letters reads only as one of these
)

type tables struct {
	given   map[string]uint8 // skeleton → g* bits
	surname map[string]struct{}
	place   map[string]uint32 // skeleton → clStop|clCity|clRegion|clCountry
	street  map[string]struct{}
	firms   map[string]struct{} // "grant thornton": the first two words of firms named after people
	marker  map[string]uint32   // lower-case word → m* roles
	context map[string]uint32   // lower-case word → clCtxPre|clCtxPost|clUly|clCtxLink
	// lowFilter has a bit for the filterKey of every marker and context
	// word, so that most words skip the maps.
	lowFilter     wordFilter
	commonEn      *wordSet // lower-case English words (common_en.txt.gz)
	end           endings
	givenPrefix   prefixSet
	placePrefix   prefixSet
	surnamePrefix prefixSet
}

// wordFilter is a set of filterKeys: a one-hash Bloom filter of 2¹⁶ bits
// (8 KiB), whose false positives cost a map look-up, never a miss.
type wordFilter [1 << 16 / 64]uint64

func (f *wordFilter) add(w string) { k := filterKey(w); f[k>>6] |= 1 << (k & 63) }

func (f *wordFilter) has(w string) bool { k := filterKey(w); return f[k>>6]&(1<<(k&63)) != 0 }

// filterKey hashes a word's length and its last eight bytes after the
// first two, which are the same in lower and title case (Ул, ул; Street,
// street). A word of four bytes or fewer is hashed whole: the filter holds
// it in lower, title and upper case.
func filterKey(w string) uint32 {
	n := len(w)
	tail := w
	if n > 4 {
		tail = w[max(2, n-8):]
	}
	var x uint64
	switch l := len(tail); {
	case l == 8:
		x = binary.LittleEndian.Uint64([]byte(tail))
	case l >= 4: // two overlapping loads
		x = uint64(binary.LittleEndian.Uint32([]byte(tail))) | uint64(binary.LittleEndian.Uint32([]byte(tail[l-4:])))<<32
	default:
		for i := 0; i < l; i++ {
			x = x<<8 | uint64(tail[i])
		}
	}
	h := (x ^ uint64(n)<<59) * 0x9E3779B97F4A7C15
	return uint32(h >> 48)
}

// maybeMarker reports whether the word w, in lower or title case (or any
// case if it has four bytes or fewer), may be a marker or a context word.
func (t *tables) maybeMarker(w string) bool {
	return len(w) <= maxSkeleton && t.lowFilter.has(w)
}

// addFilter adds the lower-case marker or context word w to lowFilter,
// in every case the filter is asked in.
func (t *tables) addFilter(w string) {
	t.lowFilter.add(w)
	if len(w) <= 4 {
		r, n := utf8.DecodeRuneInString(w)
		t.lowFilter.add(string(unicode.ToUpper(r)) + w[n:])
		t.lowFilter.add(strings.ToUpper(w))
	}
}

// wordSet is an exact set of words: the words sorted and packed in one
// string, found by binary search. For the 24,401 words of common_en.txt.gz
// it takes about 300 KB and a look-up about 15 comparisons; it is asked only
// of the last word of a candidate name. (A Bloom filter of 64 KiB wrongly
// took one unknown word in 120 for a common one, and each such word lost a
// surname: "Preul", "Oakley".)
type wordSet struct {
	text string   // the words, each followed by '\n', in sorted order
	offs []uint32 // the offset of each word in text
	// lo[k] and hi[k] bound the indexes of the words that start with the
	// k-th pair of lower-case ASCII letters ("aa", "ab", … "zz"), so that
	// has searches a few dozen words, not all of them.
	lo, hi [26 * 26]uint32
}

// newWordSet returns the set of words.
func newWordSet(words []string) *wordSet {
	slices.Sort(words)
	words = slices.Compact(words)
	var b strings.Builder
	s := &wordSet{offs: make([]uint32, 0, len(words))}
	for _, w := range words {
		s.offs = append(s.offs, uint32(b.Len()))
		b.WriteString(w)
		b.WriteByte('\n')
	}
	s.text = b.String()
	for k := range s.lo {
		p := [2]byte{'a' + byte(k/26), 'a' + byte(k%26)}
		lo, _ := slices.BinarySearch(words, string(p[:]))
		p[1]++ // the first string after every word that starts with p
		hi, _ := slices.BinarySearch(words, string(p[:]))
		s.lo[k], s.hi[k] = uint32(lo), uint32(hi)
	}
	return s
}

func (s *wordSet) word(i int) string {
	e := len(s.text)
	if i+1 < len(s.offs) {
		e = int(s.offs[i+1])
	}
	return s.text[s.offs[i] : e-1]
}

func (s *wordSet) has(w string) bool {
	lo, hi := 0, len(s.offs)
	if len(w) >= 2 && w[0]-'a' < 26 && w[1]-'a' < 26 {
		k := int(w[0]-'a')*26 + int(w[1]-'a')
		lo, hi = int(s.lo[k]), int(s.hi[k])
	}
	end := hi
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.word(m) < w {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < end && s.word(lo) == w
}

// loadCommonEn fills commonEn from the gzipped list of English words.
func (t *tables) loadCommonEn() {
	const file = "data/common_en.txt.gz"
	f, err := dataFS.Open(file)
	if err != nil {
		panic("freetext: embedded " + file + ": " + err.Error()) // a build defect, not input
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		panic("freetext: embedded " + file + ": " + err.Error())
	}
	var words []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := sc.Text(); w != "" && w[0] != '#' {
			words = append(words, w)
		}
	}
	if sc.Err() != nil {
		panic("freetext: embedded " + file + ": " + sc.Err().Error())
	}
	t.commonEn = newWordSet(words)
}

// dicts builds the tables on first use.
var dicts = sync.OnceValue(load)

func load() *tables {
	t := &tables{
		given:   make(map[string]uint8, 12000),
		surname: make(map[string]struct{}, 400),
		place:   make(map[string]uint32, 600),
		street:  make(map[string]struct{}, 200),
		marker:  make(map[string]uint32, 128),
		context: make(map[string]uint32, 96),
		end:     newEndings(),
	}
	var b [maxSkeleton]byte
	words := func(file string, f func(key string, section string)) {
		data, err := dataFS.ReadFile("data/" + file)
		if err != nil {
			panic("freetext: embedded " + file + ": " + err.Error()) // a build defect, not input
		}
		section := ""
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "# ") && len(strings.Fields(line)) == 2 {
				section = strings.Fields(line)[1]
			}
			if strings.HasPrefix(line, "#") {
				continue
			}
			for _, w := range strings.Fields(line) {
				if k, ok := skeleton(&b, w); ok {
					f(string(k), section)
				}
			}
		}
	}
	words("given_ru.txt", func(k, _ string) { t.given[k] |= gGiven | gInflect | gCore })
	words("given_kk.txt", func(k, _ string) { t.given[k] |= gGiven | gInflect | gCore | gKazakh })
	words("given_en.txt", func(k, _ string) { t.given[k] |= gGiven | gCore })
	words("given_en_moby.txt", func(k, _ string) { t.given[k] |= gGiven })
	words("given_en_amb.txt", func(k, _ string) { t.given[k] |= gGiven | gAmb })
	words("amb.txt", func(k, _ string) {
		if t.given[k] != 0 {
			t.given[k] |= gAmb
		}
	})
	words("surnames.txt", func(k, _ string) { t.surname[k] = struct{}{} })
	t.loadCommonEn()
	words("stop.txt", func(k, _ string) { t.place[k] |= clStop })
	words("places.txt", func(k, section string) {
		if section == "region" {
			t.place[k] |= clRegion
		} else {
			t.place[k] |= clCity
		}
	})
	for _, w := range []string{"Казахстан", "Қазақстан", "Kazakhstan", "РК", "RK"} {
		k, _ := skeleton(&b, w)
		t.place[string(k)] |= clCountry
	}
	words("streets.txt", func(k, _ string) { t.street[k] = struct{}{} })
	t.firms = loadFirms(&b)
	// A given name that is also a place or a stop word is ambiguous.
	for k, v := range t.place {
		if g := t.given[k]; g != 0 {
			t.given[k] = g | gAmb
			if v&clStop != 0 {
				t.given[k] |= gStop
			}
			t.place[k] = v &^ clStop
		}
	}
	for _, m := range markerWords {
		for _, w := range strings.Fields(m.words) {
			t.marker[w] |= m.role
		}
	}
	for _, c := range contextWords {
		for _, w := range strings.Fields(c.words) {
			t.context[w] |= c.role
		}
	}
	for k := range t.given {
		t.givenPrefix.add(k)
	}
	for k := range t.place {
		t.placePrefix.add(k)
	}
	for k := range t.surname {
		t.surnamePrefix.add(k)
	}
	for w := range t.marker {
		t.addFilter(w)
	}
	for w := range t.context {
		t.addFilter(w)
	}
	return t
}

// markerWords are the address markers, lower-case, as written (Russian,
// Kazakh Cyrillic, Kazakh Latin 2021, romanised Russian, English).
var markerWords = []struct {
	role  uint32
	words string
}{
	{mCityPre, "г город гор g gorod с село пос посёлок поселок п пгт ауыл s selo"},
	{mCityPost, "қ қаласы qalasy kalasy city ауылы auyly кенті"},
	{mRegionPost, "обл область облысы облысы oblysy obl oblast region"},
	{mDistrictPost, "р-н район ауданы ауд audany raion rayon district"},
	{mStreetPre, "ул улица пр пр-т пр-кт просп проспект пер переулок б-р бульвар бул наб набережная " +
		"шоссе пл площадь тупик проезд трасса мкр мкрн мкр-н микрорайон квартал жм " +
		"ul ulitsa pr prospekt prosp mkr mkrn microdistrict str"},
	{mStreetPost, "к-сі көшесі көш даңғылы даң даңғ str st street ave av avenue blvd boulevard road rd lane " +
		"köşesı köşesi k-sı dañğyly mkr microdistrict мкр мкрн prospekt prospect"},
	{mHousePre, "д дом үй зд здание h house bldg bld building d dom"},
	{mHousePost, "үй üi дом"},
	{mAptPre, "кв квартира пәтер оф офис пом помещение apt apartment flat office kv pater unit suite"},
	{mAptPost, "пәтер päter кв квартира"},
	{mCorpPre, "корп корпус к блок бл стр строение block korp"},
	{mIndexPre, "индекс index zip postcode"},
	{mWeak, "пр пл п с s st str d h к бл стр ауд g"},
	{mShagyn, "шағын shağyn"},
	{mAudan, "аудан ауданы audan audany"},
	{mNamed, "им имени"},
	{mMkr, "мкр мкрн мкр-н микрорайон квартал mkr mkrn microdistrict"},
	{mTitle, "би батыр батыра хан хана жолы ата баба ана жырау ақын акын қажы сері " +
		"bi batyr khan han joly zholy jyrau zhyrau akyn"},
}

// contextWords introduce or follow a person's name.
var contextWords = []struct {
	role  uint32
	words string
}{
	{clCtxPre, "фио ф.и.о гр гражданин гражданка гражданина гражданки гражданину гражданке " +
		"г-н г-жа г-на г-же господин госпожа господина госпоже мистер миссис аты-жөні есімі азаматша " +
		"mr mrs ms miss mister dr"},
	{clCtxRole, "клиент клиента клиенту клиентом клиентка клиентки клиентке участник участника участнику участником " +
		"заявитель заявителя заявителю покупатель покупателя продавец продавца победитель победителя " +
		"участница участницы участнице участницей заявительница заявительницы заявительнице покупательница покупательницы " +
		"победительница победительницы должница должницы заёмщица заемщица плательщица плательщицы " +
		"должник должника заемщик заемщика заёмщик заёмщика уважаемый уважаемая тұтынушы қатысушы қатысушысы " +
		"dear client customer bidder applicant"},
	{clCtxPost, "мырза мырзаға мырзаның мырзаны ханым ханымға ханымның ханымды myrza hanym khanym"},
	{clUly, "ұлы қызы улы кызы uly ūly qyzy kyzy"},
	{clCtxLink, "торгов аукциона торгах аукционе лота саудаға"},
}

// loadFirms reads firms.txt, one firm a line, into keys of the skeletons
// of its first two words ("Marks & Spencer" has none: a name never
// spans the ampersand).
func loadFirms(b *[maxSkeleton]byte) map[string]struct{} {
	data, err := dataFS.ReadFile("data/firms.txt")
	if err != nil {
		panic("freetext: embedded firms.txt: " + err.Error()) // a build defect, not input
	}
	m := make(map[string]struct{}, 256)
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		k1, ok1 := skeleton(b, f[0])
		s1 := string(k1)
		k2, ok2 := skeleton(b, f[1])
		if ok1 && ok2 {
			m[s1+" "+string(k2)] = struct{}{}
		}
	}
	return m
}
