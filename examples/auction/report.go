package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/1cb-kz/compliance/anonymize"
)

// bid is one synthetic bid of the year, already generalised: region,
// lot category and month, never the lot or the time of day.
type bid struct {
	Bidder   string
	Region   string
	Category string
	Month    string
	Amount   float64 // tenge
}

// weighted is a value drawn with probability proportional to its weight.
type weighted struct {
	name   string
	weight float64
}

// regions are Kazakhstan's 17 regions and 3 cities of republican
// significance, weighted by how much the platform sells in each (synthetic).
var regions = []weighted{
	{"Almaty", 18}, {"Astana", 15}, {"Shymkent", 8}, {"Karaganda Region", 7}, {"Almaty Region", 6},
	{"Turkistan Region", 5}, {"East Kazakhstan Region", 5}, {"Aktobe Region", 4}, {"Kostanay Region", 4},
	{"Pavlodar Region", 4}, {"Atyrau Region", 4}, {"Jambyl Region", 3}, {"Akmola Region", 3},
	{"Mangystau Region", 3}, {"West Kazakhstan Region", 2}, {"Kyzylorda Region", 2},
	{"North Kazakhstan Region", 2}, {"Abai Region", 1.5}, {"Jetisu Region", 1}, {"Ulytau Region", 0.5},
}

var categories = []weighted{
	{"vehicles", 35}, {"real estate", 20}, {"equipment", 20}, {"agricultural land", 10},
	{"collateral", 10}, {"art", 5},
}

// pick draws an index of ws with probability proportional to its weight.
func (p *platform) pick(ws []weighted) int {
	total := 0.0
	for _, w := range ws {
		total += w.weight
	}
	x := p.rng.Float64() * total
	for i, w := range ws {
		x -= w.weight
		if x < 0 {
			return i
		}
	}
	return len(ws) - 1
}

// bids draws the year's synthetic bids: each bidder mostly bids in their
// home region, amounts are log-normal around half a million tenge, and a
// few are much larger.
func (p *platform) bids() []bid {
	bidders := max(20, p.cfg.Bids/20)
	home := make([]int, bidders)
	for i := range home {
		home[i] = p.pick(regions)
	}
	out := make([]bid, p.cfg.Bids)
	for i := range out {
		who := p.rng.IntN(bidders)
		r := home[who]
		if p.rng.Float64() < 0.15 {
			r = p.pick(regions)
		}
		amount := math.Exp(13 + 1.2*p.rng.NormFloat64())
		if p.rng.Float64() < 0.002 {
			amount *= 200
		}
		out[i] = bid{
			Bidder:   fmt.Sprintf("bidder-%05d", who),
			Region:   regions[r].name,
			Category: categories[p.pick(categories)].name,
			Month:    anonymize.TruncateDate(yearStart.Add(time.Duration(p.rng.Int64N(int64(365*24*time.Hour)))), anonymize.Month),
			Amount:   math.Round(amount),
		}
	}
	return out
}

var yearStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// reportSpec is the partner report: bids and their sum by region, lot
// category and month, each published cell backed by at least 5 distinct
// bidders, no sum dominated by one bidder, with margins.
var reportSpec = anonymize.Spec[bid]{
	K:       5,
	Subject: func(b bid) string { return b.Bidder },
	Dimensions: []anonymize.Dimension[bid]{
		{Name: "region", Key: func(b bid) string { return b.Region }},
		{Name: "category", Key: func(b bid) string { return b.Category }},
		{Name: "month", Key: func(b bid) string { return b.Month }},
	},
	Measures: []anonymize.Measure[bid]{{
		Name:      "amount_kzt",
		Value:     func(b bid) float64 { return b.Amount },
		Dominance: []anonymize.NK{{N: 1, K: 75}},
	}},
	Margins: true,
}

// partnerReport builds the partner statistics of clause 6.2 from the
// year's bids, verifies them and writes them as CSV.
func (p *platform) partnerReport(ctx context.Context) error {
	agg, err := anonymize.NewAggregator(reportSpec)
	if err != nil {
		return err
	}
	rows := p.bids()
	for _, b := range rows {
		agg.Add(b)
	}
	table, err := agg.Release()
	if err != nil {
		return err
	}
	if err := anonymize.Verify(table); err != nil {
		return err
	}
	if err := agg.Verify(table); err != nil {
		return err
	}
	p.checks++
	published, leaky, small := 0, 0, 0
	for _, c := range table.Cells {
		switch {
		case c.Suppressed:
			if c.Rows != 0 || c.Subjects != 0 || slices.ContainsFunc(c.Sums, func(v float64) bool { return v != 0 }) {
				leaky++
			}
		case c.Subjects < table.K:
			small++
		default:
			published++
		}
	}
	if err := p.expect(leaky == 0 && small == 0, "%d suppressed cells carry values, %d published cells have fewer than %d bidders",
		leaky, small, table.K); err != nil {
		return err
	}
	s := table.Suppressed()
	p.say("6.2", "%d bids → %d cells with margins: %d published (each ≥ %d distinct bidders), suppressed: %d below threshold, %d dominated by one bidder (primary), %d secondary",
		len(rows), len(table.Cells), published, table.K, s[anonymize.Threshold], s[anonymize.Dominance], s[anonymize.Secondary])

	path := filepath.Join(p.dir, "partner-report.csv")
	var buf bytes.Buffer
	if err := anonymize.WriteCSV(&buf, table); err != nil { // verifies once more
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return err
	}
	if err := p.expect(!bytes.Contains(buf.Bytes(), []byte("bidder-")), "a bidder id in the partner report"); err != nil {
		return err
	}
	p.say("6.2", "anonymize.Verify: no published cell below K, no suppressed cell derivable from the margins; %s holds no bidder id", filepath.Base(path))
	return nil
}
