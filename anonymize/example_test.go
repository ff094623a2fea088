package anonymize_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/1cb-kz/compliance/anonymize"
)

type Bid struct {
	UserID, Region, Month string
	Amount                float64
}

func bidsSpec() anonymize.Spec[Bid] {
	return anonymize.Spec[Bid]{
		K:       3,
		Subject: func(b Bid) string { return b.UserID },
		Dimensions: []anonymize.Dimension[Bid]{
			{Name: "region", Key: func(b Bid) string { return b.Region }, Column: "region"},
			{Name: "month", Key: func(b Bid) string { return b.Month }, Column: "month"},
		},
		Measures: []anonymize.Measure[Bid]{{
			Name: "amount", Value: func(b Bid) float64 { return b.Amount }, Column: "amount",
			Bounds: &anonymize.Bounds{Min: 0, Max: 1_000_000}, Dominance: []anonymize.NK{{N: 1, K: 75}},
		}},
		Margins:       true,
		SubjectColumn: "user_id",
	}
}

func exampleBids() []Bid {
	var bids []Bid
	add := func(region, month string, users int, amount float64) {
		for i := range users {
			for range 3 { // every bidder bids three times
				bids = append(bids, Bid{fmt.Sprintf("%s-%s-%d", region, month, i), region, month, amount})
			}
		}
	}
	add("Astana", "2026-01", 6, 100)
	add("Astana", "2026-02", 5, 100)
	add("Almaty", "2026-01", 7, 100)
	add("Almaty", "2026-02", 2, 100) // two bidders: below K=3
	add("Shymkent", "2026-01", 4, 100)
	add("Shymkent", "2026-02", 4, 100)
	bids = append(bids, Bid{"whale", "Shymkent", "2026-02", 50_000}) // dominates its cell
	return bids
}

func ExampleAggregator_Release() {
	agg, err := anonymize.NewAggregator(bidsSpec())
	if err != nil {
		panic(err)
	}
	for _, b := range exampleBids() {
		agg.Add(b)
	}
	table, err := agg.Release()
	if err != nil {
		panic(err)
	}
	for _, c := range table.Cells {
		if c.Suppressed {
			fmt.Println(c.Key, "suppressed")
		} else {
			fmt.Println(c.Key, c.Rows, c.Sums)
		}
	}
	// Output:
	// [Almaty 2026-01] 21 [2100]
	// [Almaty 2026-02] suppressed
	// [Almaty *] suppressed
	// [Astana 2026-01] 18 [1800]
	// [Astana 2026-02] 15 [1500]
	// [Astana *] 33 [3300]
	// [Shymkent 2026-01] 12 [1200]
	// [Shymkent 2026-02] suppressed
	// [Shymkent *] suppressed
	// [* 2026-01] 51 [5100]
	// [* 2026-02] suppressed
	// [* *] suppressed
}

// ExampleTable_Reason keeps why each cell is suppressed in the host's own
// audit log; the writers publish only that a cell is suppressed.
func ExampleTable_Reason() {
	agg, _ := anonymize.NewAggregator(bidsSpec())
	for _, b := range exampleBids() {
		agg.Add(b)
	}
	table, _ := agg.Release()
	for _, c := range table.Cells {
		if c.Suppressed && c.Key[1] != anonymize.Total {
			fmt.Println(c.Key, table.Reason(c.Key))
		}
	}
	// Output:
	// [Almaty 2026-02] threshold
	// [Shymkent 2026-02] dominance
	// [* 2026-02] dominance
}

func ExampleAggregator_Merge() {
	spec := bidsSpec()
	all, _ := anonymize.NewAggregator(spec)
	shards := []*anonymize.Aggregator[Bid]{all.Fork(), all.Fork()} // same fingerprint key
	for i, b := range exampleBids() {
		shards[i%2].Add(b) // in real life, one goroutine per shard
	}
	for _, s := range shards {
		if err := all.Merge(s); err != nil {
			panic(err)
		}
	}
	table, _ := all.Release()
	fmt.Println(len(table.Cells), table.Suppressed()[anonymize.Threshold])
	// Output: 12 1
}

func ExampleAggregator_MarshalBinary() {
	spec := bidsSpec()
	spec.Key = bytes.Repeat([]byte{0x42}, anonymize.KeySize) // from a secret store, shared by the workers
	worker, _ := anonymize.NewAggregator(spec)
	for _, b := range exampleBids() {
		worker.Add(b)
	}
	state, _ := worker.MarshalBinary() // fingerprints and sums, authenticated; no subject, no key

	received, _ := anonymize.NewAggregator(spec)
	if err := received.UnmarshalBinary(state); err != nil {
		panic(err)
	}
	collector, _ := anonymize.NewAggregator(spec)
	fmt.Println(collector.Merge(received))
	// Output: <nil>
}

func ExampleVerify() {
	agg, _ := anonymize.NewAggregator(bidsSpec())
	for _, b := range exampleBids() {
		agg.Add(b)
	}
	table, _ := agg.Release()
	fmt.Println(anonymize.Verify(table))

	// A careless edit publishes a secondary suppression again: the hidden
	// Almaty February cell becomes the Almaty total minus January.
	for i, c := range table.Cells {
		if slices.Equal(c.Key, []string{"Almaty", anonymize.Total}) {
			table.Cells[i] = anonymize.Cell{Key: c.Key, Rows: 27, Subjects: 3, Sums: []float64{2700}}
		}
	}
	fmt.Println(anonymize.Verify(table))
	// Output:
	// <nil>
	// anonymize: table is disclosive: suppressed cell [Almaty 2026-02] is derivable from the published cells
}

// ExampleVerify_together audits two tables of the same bids before both go
// out: region×month with amounts, and bids by region alone, counts only.
// Each passes Verify, but the second publishes the grand total that the
// first hides (its amount fails the dominance rule, its count does not),
// and then February's hidden count is the total minus January's. Publish
// both only once Verify passes on both together.
func ExampleVerify_together() {
	byMonth, _ := anonymize.NewAggregator(bidsSpec())
	spec := bidsSpec()
	spec.Dimensions, spec.Measures = spec.Dimensions[:1], nil
	byRegion, _ := anonymize.NewAggregator(spec)
	for _, b := range exampleBids() {
		byMonth.Add(b)
		byRegion.Add(b)
	}
	t1, _ := byMonth.Release()
	t2, _ := byRegion.Release()
	fmt.Println(anonymize.Verify(t1), anonymize.Verify(t2))
	fmt.Println(anonymize.Verify(t1, t2))
	// Output:
	// <nil> <nil>
	// anonymize: table is disclosive: suppressed cell [Almaty 2026-02] is derivable from the published cells; suppressed cell [Shymkent 2026-02] is derivable from the published cells; suppressed cell [* 2026-02] is derivable from the published cells
}

func ExampleWriteCSV() {
	agg, _ := anonymize.NewAggregator(bidsSpec())
	for _, b := range exampleBids() {
		agg.Add(b)
	}
	table, _ := agg.Release()
	var out strings.Builder
	if err := anonymize.WriteCSV(&out, table); err != nil {
		panic(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if !strings.HasPrefix(line, "# released_at") && !strings.HasPrefix(line, "# method") {
			fmt.Println(line)
		}
	}
	// Output:
	// # k=3
	// # margins=true
	// # cells=12
	// # suppressed=6
	// # rule=amount: (1,75)
	// region,month,rows,subjects,amount,status
	// Almaty,2026-01,21,3,2100,published
	// Almaty,2026-02,,,,suppressed
	// Almaty,*,,,,suppressed
	// Astana,2026-01,18,3,1800,published
	// Astana,2026-02,15,3,1500,published
	// Astana,*,33,3,3300,published
	// Shymkent,2026-01,12,3,1200,published
	// Shymkent,2026-02,,,,suppressed
	// Shymkent,*,,,,suppressed
	// *,2026-01,51,3,5100,published
	// *,2026-02,,,,suppressed
	// *,*,,,,suppressed
}

func ExamplePseudonymizer() {
	master := bytes.Repeat([]byte{1}, 32) // from a secret store
	p, _ := anonymize.NewPseudonymizer(master)
	acme, _ := p.Partner("acme")
	globex, _ := p.Partner("globex")
	fmt.Println(len(acme.Pseudonym("user-42")))
	fmt.Println(acme.Pseudonym("user-42") == globex.Pseudonym("user-42"))
	// Output:
	// 26
	// false
}

func ExampleKazakhstanHierarchy() {
	geo, _ := anonymize.KazakhstanHierarchy("en")
	for _, city := range []string{"Semey", "Taldykorgan", "Shymkent"} {
		region, _ := geo.AtDepth(city, 1)
		fmt.Println(city, "→", region)
	}
	ru, _ := anonymize.KazakhstanHierarchy("ru")
	fmt.Println(ru.AtDepth("Усть-Каменогорск", 1))
	// Output:
	// Semey → Abai Region
	// Taldykorgan → Jetisu Region
	// Shymkent → Shymkent
	// Восточно-Казахстанская область <nil>
}

func ExampleNewBands() {
	fmt.Println(anonymize.AgeBands().Label(29), anonymize.AgeBands().Label(70))
	b, _ := anonymize.NewBands([]float64{10, 100}, []string{"small", "medium", "large"})
	fmt.Println(b.Label(99.5))
	// Output:
	// 25-34 >=65
	// medium
}

func ExampleCheckMicrodata() {
	type row struct{ Region, Age, Won string }
	rows := []row{{"KZ-75", "25-34", "yes"}, {"KZ-75", "25-34", "no"}, {"KZ-75", "25-34", "no"}, {"KZ-62", ">=65", "yes"}}
	quasi := []anonymize.Dimension[row]{
		{Name: "region", Key: func(r row) string { return r.Region }},
		{Name: "age", Key: func(r row) string { return r.Age }},
	}
	rep, err := anonymize.CheckMicrodata(slices.Values(rows), quasi, func(r row) string { return r.Won }, 3, 2)
	fmt.Println(err)
	fmt.Println(rep.SmallClasses)
	// Output:
	// anonymize: table is disclosive: 1 classes below k=3, 1 classes below l=2
	// [[KZ-62 >=65]]
}

// ExampleReleaseSQL pushes the aggregation down to PostgreSQL: the table
// bids(user_id, region, month, amount) holds generalised values already.
func ExampleReleaseSQL() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		return
	}
	defer db.Close()
	table, err := anonymize.ReleaseSQL(context.Background(), db, bidsSpec(), "bids")
	if err != nil {
		return
	}
	_ = anonymize.WriteJSON(os.Stdout, table)
}

// Example is the whole flow: bids by region and month, counted by bidder,
// amounts under a dominance rule, margins protected, written as CSV.
func Example() {
	type Bid struct {
		UserID, Region string
		At             time.Time
		Amount         float64
	}
	agg, err := anonymize.NewAggregator(anonymize.Spec[Bid]{
		Subject: func(b Bid) string { return b.UserID },
		Dimensions: []anonymize.Dimension[Bid]{
			{Name: "region", Key: func(b Bid) string { return b.Region }},
			{Name: "month", Key: func(b Bid) string { return anonymize.TruncateDate(b.At, anonymize.Month) }},
		},
		Measures: []anonymize.Measure[Bid]{{Name: "amount", Value: func(b Bid) float64 { return b.Amount },
			Dominance: []anonymize.NK{{N: 1, K: 75}}}},
		Margins: true,
	})
	if err != nil {
		panic(err)
	}
	for i := range 80 {
		agg.Add(Bid{fmt.Sprint("user-", i%20), []string{"Astana", "Almaty"}[i%2], time.Date(2026, time.Month(1+i%3), 5, 0, 0, 0, 0, time.UTC), 1000})
	}
	table, err := agg.Release()
	if err != nil {
		panic(err)
	}
	fmt.Println(len(table.Cells), table.Suppressed(), anonymize.WriteCSV(io.Discard, table))
	// Output: 12 map[] <nil>
}

// ExampleAggregator_ReleaseAfter releases January, then January and
// February cumulatively. Two bidders join Almaty in February: published in
// both tables, their group would be the difference of the two Almaty
// cells, and of the two grand totals, so the cumulative release hides
// both; each still has a reader's interval from January's value to K
// more bidders.
func ExampleAggregator_ReleaseAfter() {
	ctx := context.Background()
	spec := bidsSpec()
	spec.Dimensions = spec.Dimensions[:1] // by region; the months are cumulative
	byRegion := func(bids []Bid) *anonymize.Aggregator[Bid] {
		agg, _ := anonymize.NewAggregator(spec)
		for _, b := range bids {
			agg.Add(b)
		}
		return agg
	}
	var jan, feb []Bid
	for _, b := range exampleBids() {
		if b.Month == "2026-01" {
			jan = append(jan, b)
		} else if b.UserID != "whale" && b.Region != "Shymkent" && b.Region != "Astana" {
			feb = append(feb, b)
		}
	}
	history := anonymize.NewMemoryHistory()
	t1, _ := byRegion(jan).ReleaseAfter(ctx, history, byRegion(jan))
	t2, err := byRegion(append(jan, feb...)).ReleaseAfter(ctx, history, byRegion(feb))
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range t2.Cells {
		fmt.Println(t2.Cells[i].Key, "January:", t1.Cells[i].Rows, "cumulative:", t2.Cells[i].Rows, t2.Cells[i].Suppressed)
	}
	// Output:
	// [Almaty] January: 21 cumulative: 0 true
	// [Astana] January: 18 cumulative: 18 false
	// [Shymkent] January: 12 cumulative: 12 false
	// [*] January: 51 cumulative: 0 true
}

// A hierarchical dimension: months roll up to quarters and the year, and
// the table publishes every level, audited as one linked table.
func ExampleDimension_hierarchy() {
	var paths [][]string
	for m := time.January; m <= time.June; m++ {
		at := time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)
		paths = append(paths, []string{anonymize.TruncateDate(at, anonymize.Month), anonymize.TruncateDate(at, anonymize.Quarter), "2026-H1"})
	}
	months, err := anonymize.NewHierarchy(paths) // month → quarter → half-year (Total)
	if err != nil {
		panic(err)
	}
	agg, err := anonymize.NewAggregator(anonymize.Spec[Bid]{
		K:       3,
		Subject: func(b Bid) string { return b.UserID },
		Dimensions: []anonymize.Dimension[Bid]{
			{Name: "region", Key: func(b Bid) string { return b.Region }},
			{Name: "month", Key: func(b Bid) string { return b.Month }, Hierarchy: months},
		},
		Margins: true,
	})
	if err != nil {
		panic(err)
	}
	bidders := map[string][6]int{"Almaty": {5, 6, 4, 7, 5, 6}, "Astana": {4, 2, 5, 6, 4, 5}}
	for region, perMonth := range bidders {
		for m, n := range perMonth {
			for i := range n {
				agg.Add(Bid{UserID: fmt.Sprint(region, m, i), Region: region, Month: fmt.Sprintf("2026-%02d", m+1)})
			}
		}
	}
	table, err := agg.Release()
	if err != nil {
		panic(err)
	}
	for _, c := range table.Cells {
		if c.Key[0] == "Astana" {
			fmt.Println(c.Key[1], map[bool]string{true: "suppressed", false: fmt.Sprint(c.Rows)}[c.Suppressed])
		}
	}
	fmt.Println(table.Parents["month"]["2026-05"], anonymize.Verify(table))
	// Output:
	// 2026-01 suppressed
	// 2026-02 suppressed
	// 2026-03 5
	// 2026-Q1 11
	// 2026-04 6
	// 2026-05 4
	// 2026-06 5
	// 2026-Q2 15
	// * 26
	// 2026-Q2 <nil>
}
