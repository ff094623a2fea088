package anonymize

// Regression tests from a review of clause 6.2: each reproduces one of the
// reviewer's experiments and checks the fix.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// releaseCounts releases a region×age table with margins, K=5, one bid of
// 10 per bidder and the given number of bidders per cell.
func releaseCounts(t *testing.T, counts map[[2]string]int) *Table {
	t.Helper()
	a := mustAgg(t, bidSpec(5, true))
	for k, n := range counts {
		for i := range n {
			a.Add(bid{User: fmt.Sprint(k, i), Region: k[0], Age: k[1], Amount: 10})
		}
	}
	tab, err := a.Release()
	require.NoError(t, err)
	require.NoError(t, a.Verify(tab))
	return tab
}

// fullRows fills a 3×3 table: the given cells of row r0, 50 elsewhere.
func fullRows(r0 ...int) map[[2]string]int {
	counts := map[[2]string]int{}
	for r := range 3 {
		for c := range 3 {
			n := 50
			if r == 0 {
				n = r0[c]
			}
			counts[[2]string{fmt.Sprint("r", r), fmt.Sprint("a", c)}] = n
		}
	}
	counts[[2]string{"r1", "a0"}], counts[[2]string{"r1", "a1"}] = 6, 50
	return counts
}

// Experiment A and its twin: with the reason written out, row r0 pinned
// its suppressed cells (margin 56, a2=50: a threshold cell ≥1 and a
// secondary one ≥5 sum to 6, so 1 and 5; two threshold cells summing to 2
// are 1 each). The reason is no longer written, and no suppressed count can
// be pinned or bounded below K from what is.
func TestSuppressedCountsCannotBePinned(t *testing.T) {
	tests := []struct {
		name string
		r0   []int
	}{
		{"a threshold and a secondary cell in one row", []int{1, 5, 50}},
		{"two threshold cells of one bidder each in one row", []int{1, 1, 50}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := releaseCounts(t, fullRows(tt.r0...))
			assertReaderCannotBound(t, tab, tt.name)
			var out bytes.Buffer
			require.NoError(t, WriteCSV(&out, tab))
			require.NoError(t, WriteJSON(&out, tab))
			for _, r := range []Reason{Threshold, Dominance, Secondary} {
				assert.NotContains(t, out.String(), "suppressed:"+r.String())
				assert.NotContains(t, out.String(), "suppressed_"+r.String())
			}
			js, err := json.Marshal(tab)
			require.NoError(t, err)
			assert.NotContains(t, string(js), "Reason", "a Table encoded as such carries no reason")
		})
	}
	// The second case needs more suppression than the two threshold cells
	// and their rectangle: row r0 must give them room.
	tab := releaseCounts(t, fullRows(1, 1, 50))
	r0 := 0
	for _, c := range tab.Cells {
		if c.Key[0] == "r0" && c.Suppressed {
			r0++
		}
	}
	assert.GreaterOrEqual(t, r0, 3, "row r0 hides more than its two threshold cells")
}

// pubCell and supCell build hand-made tables.
func pubCell(rows int, key ...string) Cell {
	return Cell{Key: key, Rows: rows, Subjects: 5, Sums: []float64{float64(10 * rows)}}
}

func supCell(key ...string) Cell { return Cell{Key: key, Suppressed: true} }

// Experiment D and more: hand-made unsafe tables fail Verify.
func TestVerifyRefusesHandMadeTables(t *testing.T) {
	margins := func(cells ...Cell) *Table {
		return &Table{K: 5, Dimensions: []string{"region", "age"}, Measures: []string{"amount"}, Margins: true, Cells: cells}
	}
	tests := []struct {
		name string
		tab  *Table
		want string
	}{
		{"one suppressed cell in a row", margins(
			supCell("r0", "a0"), pubCell(10, "r0", "a1"), pubCell(12, "r0", Total),
			pubCell(10, "r1", "a0"), pubCell(10, "r1", "a1"), pubCell(20, "r1", Total),
			pubCell(12, Total, "a0"), pubCell(20, Total, "a1"), pubCell(32, Total, Total),
		), "is derivable"},
		// The old release of two threshold cells of one bidder each in row
		// r0: their margin leaves 2 rows for two cells, one each.
		{"two cells pinned at one row each", margins(
			supCell("r0", "a0"), supCell("r0", "a1"), pubCell(50, "r0", "a2"), pubCell(52, "r0", Total),
			supCell("r1", "a0"), supCell("r1", "a1"), pubCell(50, "r1", "a2"), pubCell(150, "r1", Total),
			pubCell(50, "r2", "a0"), pubCell(50, "r2", "a1"), pubCell(50, "r2", "a2"), pubCell(150, "r2", Total),
			pubCell(101, Total, "a0"), pubCell(101, Total, "a1"), pubCell(150, Total, "a2"), pubCell(352, Total, Total),
		), "can be pinned or bounded below k"},
		{"a key listed twice without margins", &Table{K: 5, Dimensions: []string{"region"}, Measures: []string{"amount"},
			Cells: []Cell{supCell("r0"), pubCell(7, "r0")}}, "cell [r0] is listed twice"},
		{"two releases concatenated", &Table{K: 5, Dimensions: []string{"region"}, Measures: []string{"amount"},
			Cells: []Cell{pubCell(7, "r0"), pubCell(9, "r1"), pubCell(8, "r0")}}, "listed twice"},
		{"subjects not capped at k", &Table{K: 5, Dimensions: []string{"region"}, Measures: []string{"amount"},
			Cells: []Cell{{Key: []string{"r0"}, Rows: 7, Subjects: 7, Sums: []float64{1}}}}, "capped at k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.tab)
			require.ErrorIs(t, err, ErrDisclosive)
			assert.Contains(t, err.Error(), tt.want)
			assert.ErrorIs(t, WriteCSV(&bytes.Buffer{}, tt.tab), ErrDisclosive)
		})
	}
}

// A measure with a floor: sums of zero in two suppressed cells whose
// margin's sum leaves zero are pinned at zero, although their rows are not.
func TestVerifyRefusesSumsPinnedAtTheFloor(t *testing.T) {
	cell := func(rows int, sum float64, key ...string) Cell {
		return Cell{Key: key, Rows: rows, Subjects: 5, Sums: []float64{sum}}
	}
	tab := &Table{K: 5, Dimensions: []string{"region"}, Measures: []string{"amount"}, Margins: true,
		Floors: map[string]float64{"amount": 0},
		Cells:  []Cell{supCell("r0"), supCell("r1"), cell(20, 100, "r2"), cell(40, 100, Total)}}
	err := Verify(tab)
	require.ErrorIs(t, err, ErrDisclosive)
	assert.Contains(t, err.Error(), "suppressed cell [r0] can be pinned")
	tab.Floors = nil // a measure that may be negative: only rows are checked
	assert.NoError(t, Verify(tab))
}

// Experiment B: a first field starting with '#' was written unquoted, and a
// reader set up as WriteCSV says (Comment = '#') skipped the row.
func TestWriteCSVSurvivesCommentReaders(t *testing.T) {
	a := mustAgg(t, bidSpec(2, false))
	for i := range 3 {
		a.Add(bid{User: fmt.Sprint("u", i), Region: "#1 region", Age: "a0", Amount: 10})
		a.Add(bid{User: fmt.Sprint("u", i), Region: "r2", Age: "#a", Amount: 10})
	}
	tab, err := a.Release()
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, tab))
	r := csv.NewReader(&buf)
	r.Comment = '#'
	recs, err := r.ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 1+len(tab.Cells), "every cell survives the reader")
	var first []string
	for _, rec := range recs[1:] {
		first = append(first, rec[0]+"|"+rec[1])
	}
	assert.ElementsMatch(t, []string{"'#1 region|a0", "r2|'#a"}, first)
}

// Experiment C: two tables of the same data, each safe alone, can be
// derivable together; VerifyRelease audits them jointly.
func TestVerifyReleaseFindsJointDisclosure(t *testing.T) {
	found, derivable := 0, 0
	for seed := range uint64(300) {
		ta, tb := twoTables(t, seed)
		require.NoError(t, Verify(ta))
		require.NoError(t, Verify(tb))
		require.NoError(t, Verify(ta), "one table alone is what Verify checks")
		require.NoError(t, Verify(ta, ta), "a table with itself adds nothing")
		if err := Verify(ta, tb); err != nil {
			require.ErrorIs(t, err, ErrDisclosive)
			assert.Contains(t, err.Error(), "suppressed cell [")
			found++
			if strings.Contains(err.Error(), "is derivable") {
				derivable++
			}
		}
	}
	t.Logf("%d/300 seeds jointly disclosive, %d with a cell derivable exactly", found, derivable)
	assert.Positive(t, derivable, "the construction finds a joint derivation")
}

// twoTables releases region×month and region×age over the same random
// bids (K=3, margins), as the reviewer did.
func twoTables(t *testing.T, seed uint64) (*Table, *Table) {
	type b3 struct{ U, R, M, A string }
	spec := func(second string, key func(b3) string) Spec[b3] {
		return Spec[b3]{K: 3, Subject: func(b b3) string { return b.U },
			Dimensions: []Dimension[b3]{{Name: "region", Key: func(b b3) string { return b.R }}, {Name: second, Key: key}},
			Margins:    true}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	A := mustAgg(t, spec("month", func(b b3) string { return b.M }))
	B := mustAgg(t, spec("age", func(b b3) string { return b.A }))
	for i := range 20 + rng.IntN(60) {
		r := b3{fmt.Sprint("u", i), fmt.Sprint("r", rng.IntN(4)), fmt.Sprint("m", rng.IntN(3)), fmt.Sprint("a", rng.IntN(3))}
		A.Add(r)
		B.Add(r)
	}
	ta, err := A.Release()
	require.NoError(t, err)
	tb, err := B.Release()
	require.NoError(t, err)
	return ta, tb
}

func TestVerifyReleaseRefusesMismatches(t *testing.T) {
	ta, tb := twoTables(t, 1)
	other := *tb
	other.K, other.Cells = 2, slices.Clone(tb.Cells)
	for i := range other.Cells {
		if !other.Cells[i].Suppressed {
			other.Cells[i].Subjects = 2 // a sound table with k=2 on its own
		}
	}
	require.NoError(t, Verify(&other))
	err := Verify(ta, &other)
	require.ErrorIs(t, err, ErrDisclosive)
	assert.Contains(t, err.Error(), "different k")

	other = *tb
	other.Cells = slices.Clone(tb.Cells)
	i := slices.IndexFunc(other.Cells, func(c Cell) bool { return slices.Equal(c.Key, []string{Total, Total}) })
	require.False(t, other.Cells[i].Suppressed)
	other.Cells[i].Rows++ // the grand totals of the two tables disagree
	err = Verify(ta, &other)
	require.ErrorIs(t, err, ErrDisclosive)
	assert.Contains(t, err.Error(), "tables disagree on cell")

	err = Verify()
	assert.ErrorIs(t, err, ErrDisclosive)
	err = Verify(ta, nil)
	require.ErrorIs(t, err, ErrDisclosive)
	assert.Contains(t, err.Error(), "table 1: no table")
}

// Experiment E: a subject in two partials counts once.
func TestMergeCountsASubjectOnce(t *testing.T) {
	a := mustAgg(t, bidSpec(3, false))
	b := a.Fork()
	for _, x := range []*Aggregator[bid]{a, b} {
		for _, u := range []string{"u1", "u2"} {
			x.Add(bid{User: u, Region: "r", Age: "a", Amount: 1})
		}
	}
	require.NoError(t, a.Merge(b))
	tab, err := a.Release()
	require.NoError(t, err)
	require.Len(t, tab.Cells, 1)
	assert.True(t, tab.Cells[0].Suppressed, "two subjects, not four")
	assert.Equal(t, Threshold, tab.Reason(tab.Cells[0].Key))
}

// Experiment H: CheckMicrodata counts records, not people (doc.go says so).
func TestCheckMicrodataCountsRecords(t *testing.T) {
	recs := slices.Values([]bid{{User: "x", Region: "r"}, {User: "x", Region: "r"}})
	rep, err := CheckMicrodata(recs, []Dimension[bid]{{Name: "r", Key: func(b bid) string { return b.Region }}}, nil, 2, 0)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.MinClass, "one person's two records make a class of two")
}

func TestEmptyTables(t *testing.T) {
	for _, m := range []bool{false, true} {
		a := mustAgg(t, bidSpec(0, m))
		tab, err := a.Release()
		require.NoError(t, err)
		assert.Empty(t, tab.Cells)
		require.NoError(t, Verify(tab))
		var buf bytes.Buffer
		require.NoError(t, WriteCSV(&buf, tab))
		require.NoError(t, WriteJSON(&buf, tab))
		require.NoError(t, a.Verify(tab))
		assert.True(t, strings.Contains(buf.String(), "# suppressed=0\n"))
	}
	for _, k := range []int{1, -1} {
		_, err := NewAggregator(bidSpec(k, true))
		assert.ErrorIs(t, err, ErrSpec)
	}
}

// The reason of a suppression stays with the host: Table.Reason and
// Table.Suppressed read it; a hand-made table has none recorded.
func TestReasonIsForTheHostOnly(t *testing.T) {
	tab := releaseCounts(t, fullRows(1, 1, 50))
	assert.Equal(t, Threshold, tab.Reason([]string{"r0", "a0"}))
	assert.Equal(t, NotSuppressed, tab.Reason([]string{"r2", "a2"}))
	assert.Equal(t, NotSuppressed, tab.Reason([]string{"no", "such"}))
	assert.Equal(t, 2, tab.Suppressed()[Threshold])
	assert.Positive(t, tab.Suppressed()[Secondary])

	hand := &Table{K: 5, Dimensions: []string{"region"}, Cells: []Cell{supCell("r0")}}
	assert.Equal(t, Unrecorded, hand.Reason([]string{"r0"}))
	assert.Equal(t, map[Reason]int{Unrecorded: 1}, hand.Suppressed())
	assert.Equal(t, "unrecorded", Unrecorded.String())
}
