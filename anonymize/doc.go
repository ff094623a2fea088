// Package anonymize publishes statistics about people without publishing
// the people: tables of counts and sums for partners and advertisers in
// which no cell, and no combination of cells a reader can compute, narrows
// a small group or a dominant contributor below its protection level.
//
// Clause 6.2 of the Rules: partners and advertisers receive only
// statistical information based on anonymised data (bids and winners by
// region, age band and month, with counts and sums of amounts). The
// threat is a partner who holds the published tables, knows some bidders,
// and solves a linear program: subtracting published cells from margins,
// combining tables released at different times.
//
//	agg, err := anonymize.NewAggregator(anonymize.Spec[Bid]{
//		Subject: func(b Bid) string { return b.UserID },
//		Dimensions: []anonymize.Dimension[Bid]{
//			{Name: "region", Key: func(b Bid) string { return b.Region }},
//			{Name: "month", Key: func(b Bid) string { return anonymize.TruncateDate(b.At, anonymize.Month) }},
//		},
//		Measures: []anonymize.Measure[Bid]{{Name: "amount", Decimals: 2,
//			Value:     func(b Bid) float64 { return b.Amount },
//			Dominance: []anonymize.NK{{N: 1, K: 75}}, P: 10}},
//		Margins: true,
//	})
//	for _, b := range bids {
//		agg.Add(b)
//	}
//	table, err := agg.Release()        // audited before it returns
//	err = anonymize.WriteCSV(w, table) // verifies again before writing
//
// # What Release protects
//
// A cell is sensitive when fewer than K distinct subjects (default 5)
// contribute to it, counted by keyed fingerprint, not by row; or when a
// sum fails its measure's (n,k) or p% dominance rule. Sensitive cells are
// suppressed, and each gets protection levels (Hundepool et al.,
// Statistical Disclosure Control, 2012, ch. 4–5; the tau-ARGUS manual;
// Fischetti and Salazar 2001): the interval a reader can compute for it by
// linear programming over everything published (the margin equations, the
// published cells, one row in every listed cell, every sum at least its
// floor per row) must contain
//
//   - for a count of r rows below the threshold, [1, K]: the reader cannot
//     tell the cell from a single row nor from K rows (in general
//     r − min(r−1, K−1) to r + max(K−r, 1), and no lower than the rows the
//     cell's listed interior cells hold anyway);
//   - for a sum failing the p% rule with largest contribution x1, the sum
//     ± p·x1/100, so that the second largest contributor cannot estimate x1
//     within p%; for an (n,k) rule whose n largest contributions are Sn,
//     the sum ± (100·Sn/k − sum).
//
// Secondary suppression hides further cells, cheapest first (fewest
// published rows), until every level is proved, by integer hypercube moves
// or by the reader's program near the cell, checked exactly where a
// verdict depends on it (DESIGN.md). Why a cell is suppressed is for the
// host's log only (Table.Reason); writers publish none.
//
// # Hierarchies
//
// A [Dimension] may carry a [Hierarchy] (district → region → country,
// month → quarter → year): Key returns a leaf, and the table publishes
// every subtotal beside the leaves ([Table].Parents: which sums which).
//
//	months, err := anonymize.NewHierarchy([][]string{ // leaf → … → root (Total)
//		{"2026-01", "2026-Q1", "2026"}, {"2026-02", "2026-Q1", "2026"}, /* … */ })
//	{Name: "month", Key: monthOf, Hierarchy: months}
//
// The levels are linked tables: every subtotal is one more equation the
// reader holds, and suppression, its proofs and every audit run over all
// levels as one system, not sub-table by sub-table as tau-ARGUS's HiTaS
// does (ReleaseSQL computes every level in PostgreSQL), so that no cell
// leaks through a region or quarter total.
// [KazakhstanHierarchy] is the country's geography.
//
// # Verifying and releasing again
//
// Verify checks tables on their own, as a CI gate: margins add up, and the
// reader's linear program, solved over every connected group of suppressed
// cells of all the tables together, pins no suppressed cell and bounds none
// below K rows. Aggregator.Verify adds the data: every sensitive cell is
// suppressed and its levels hold. ReleaseSQL pushes the aggregation down
// to PostgreSQL and protects the result exactly as Release does.
//
// Cumulative reports (January, then January and February) let a reader
// subtract one table from another, and bound what an earlier table
// suppressed by what a later one shows (earlier ≤ later, cell by cell).
// ReleaseAfter releases the next table against a History (MemoryHistory,
// SQLHistory): groups added since the previous table that are below K or
// dominated are protected like sensitive cells, and the reader's program
// over every kept table and the new one must keep every level of all of
// them, suppressing more or refusing with ErrDisclosive. The host keeps
// every table it released of the population for as long as it releases
// cumulative tables of it (a year-to-date report starts a new population
// each January), and aggregates the rows added since the last release.
//
// Values are summed exactly in 64-bit fixed point at Measure.Decimals; a
// value with more decimals is refused, never rounded. Merge and
// MarshalBinary combine shards; NewBands, AgeBands, TruncateDate and
// Hierarchy.AtDepth coarsen values; Pseudonymizer gives each partner its
// own pseudonyms; CheckMicrodata checks k-anonymity and l-diversity.
//
// # Limits
//
//   - Not differential privacy: no noise is added, and a reader with
//     outside knowledge of most of a cell learns the rest.
//   - Verify's program couples at most 4,000 suppressed cells; a larger
//     group fails with ErrUnaudited. Release's proofs are local.
//   - The reader is granted presence (one row per listed cell) and floors,
//     not Bounds.Max: a reader who knows that no bid exceeds it may narrow
//     a sum further. Measures that may be negative get the equations only.
//   - ReleaseAfter's program couples at most 1,500 hidden values of all
//     the kept tables (a year of monthly 17 × 6 tables needs about 700;
//     DESIGN.md); beyond, it fails with ErrUnaudited.
//   - Verify(t1, t2) of the same rows cut two ways (region × age and
//     region × lot) sees the margins both publish, not the latent
//     region × age × lot table, which can narrow a level further: release
//     such cuts as one table with margins instead.
//   - A hierarchy has at most 6 levels below its root; a row adds to one
//     cell per combination of its dimensions' levels, at most 4,096.
//   - Secondary suppression is a heuristic: on tables small enough to
//     check, within 1.5× the minimum suppressed total (DESIGN.md).
//   - Table is a plain value; Aggregator is not safe for concurrent use
//     (Fork, then Merge); Bands, Hierarchy, Pseudonymizer and the
//     histories are.
package anonymize
