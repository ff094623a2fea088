package anonymize

// Regression tests from the second review of VerifyRelease and of what a
// Table shows when printed.

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// row3 is a row over three dimensions d0, d1, d2.
type row3 struct {
	user string
	v    [3]string
}

// rows3 builds rows: n distinct subjects in each cell (d0, d1, d2).
func rows3(cells map[[3]string]int) []row3 {
	var rows []row3
	for key, n := range cells {
		for range n {
			rows = append(rows, row3{user: fmt.Sprint("u", len(rows)), v: key})
		}
	}
	return rows
}

// release3 releases rows over the given dimensions (names from names).
func release3(t *testing.T, rows []row3, names [3]string, dims []int, k int, margins bool) *Table {
	t.Helper()
	spec := Spec[row3]{K: k, Subject: func(r row3) string { return r.user }, Margins: margins}
	for _, d := range dims {
		spec.Dimensions = append(spec.Dimensions, Dimension[row3]{Name: names[d], Key: func(r row3) string { return r.v[d] }})
	}
	a := mustAgg(t, spec)
	for _, r := range rows {
		a.Add(r)
	}
	tab, err := a.Release()
	require.NoError(t, err)
	require.NoError(t, a.Verify(tab))
	return tab
}

var threeDims = [3]string{"d0", "d1", "d2"}

// Finding 1: region×month and region×age released without margins share
// the region totals that neither lists. 20 bidders of r0, 10 per month, 19
// in age a1: (r0,a0) = 10 + 10 − 19 = 1, a threshold cell given away.
func TestVerifyReleaseKeepsMarginsNobodyLists(t *testing.T) {
	tests := []struct {
		name    string
		inA0    int
		problem string
	}{
		{name: "shared region total derives the hidden cell", inA0: 1, problem: "suppressed cell [r0 * a0] is derivable"},
		{name: "nothing hidden", inA0: 6},
	}
	names := [3]string{"region", "month", "age"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cells := map[[3]string]int{}
			for i := range 20 {
				age := "a1"
				if i < tc.inA0 {
					age = "a0"
				}
				cells[[3]string{"r0", fmt.Sprint("m", i%2), age}]++
			}
			rows := rows3(cells)
			byMonth := release3(t, rows, names, []int{0, 1}, 5, false)
			byAge := release3(t, rows, names, []int{0, 2}, 5, false)
			err := Verify(byMonth, byAge)
			if tc.problem == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrDisclosive)
			assert.Contains(t, err.Error(), tc.problem)
			assert.NotContains(t, err.Error(), "[r0 * *]", "a margin nobody lists is not reported")
		})
	}
}

// Finding 2: three tables over the pairs of three dimensions. Each passes
// Verify and their union has no equation that gives a cell away, yet the
// hidden three-way cells, each at least zero, pin threshold cells (the
// reviewer's K=2 example). Such a set is refused.
func TestVerifyReleaseRefusesCyclicDimensionSets(t *testing.T) {
	rows := rows3(map[[3]string]int{
		{"a0", "b0", "c1"}: 2, {"a1", "b1", "c1"}: 2, {"a0", "b1", "c0"}: 1, {"a0", "b1", "c2"}: 1,
	})
	ab := release3(t, rows, threeDims, []int{0, 1}, 2, true)
	ac := release3(t, rows, threeDims, []int{0, 2}, 2, true)
	bc := release3(t, rows, threeDims, []int{1, 2}, 2, true)
	err := Verify(ab, ac, bc)
	require.ErrorIs(t, err, ErrNotDecomposable)
	assert.NoError(t, Verify(ab, ac), "two of them share one dimension")
	full := release3(t, rows, threeDims, []int{0, 1, 2}, 2, true)
	// With the full table among them the set is decomposable and audited;
	// the pairs, each suppressed for itself, then give cells of it away.
	err = Verify(full, ab, ac, bc)
	assert.NotErrorIs(t, err, ErrNotDecomposable, "the full table covers the cycle")
	assert.ErrorIs(t, err, ErrDisclosive)
}

// Tables sharing one dimension, and a chain, are decomposable and verify
// when nothing is hidden.
func TestVerifyReleaseAcceptsAcyclicDimensionSets(t *testing.T) {
	cells := map[[3]string]int{}
	for _, a := range []string{"a0", "a1"} {
		for _, b := range []string{"b0", "b1", "b2"} {
			for _, c := range []string{"c0", "c1"} {
				cells[[3]string{a, b, c}] = 5
			}
		}
	}
	rows := rows3(cells)
	tests := []struct {
		name    string
		dims    [][]int
		margins bool
	}{
		{name: "share one dimension", dims: [][]int{{0, 1}, {0, 2}}, margins: true},
		{name: "share one dimension, no margins", dims: [][]int{{0, 1}, {0, 2}}},
		{name: "chain", dims: [][]int{{0, 1}, {1, 2}}, margins: true},
		{name: "chain, no margins", dims: [][]int{{0, 1}, {1, 2}}},
		{name: "chain and a margin", dims: [][]int{{0, 1}, {1, 2}, {1}}, margins: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tabs []*Table
			for _, d := range tc.dims {
				tabs = append(tabs, release3(t, rows, threeDims, d, 3, tc.margins))
			}
			assert.NoError(t, Verify(tabs...))
		})
	}
}

func TestDecomposable(t *testing.T) {
	tests := []struct {
		name string
		sets [][]string
		want bool
	}{
		{name: "one table", sets: [][]string{{"a", "b"}}, want: true},
		{name: "same table twice", sets: [][]string{{"a", "b"}, {"b", "a"}}, want: true},
		{name: "disjoint", sets: [][]string{{"a"}, {"b"}}, want: true},
		{name: "star", sets: [][]string{{"r", "m"}, {"r", "a"}, {"r", "s"}}, want: true},
		{name: "chain", sets: [][]string{{"a", "b"}, {"b", "c"}, {"c", "d"}}, want: true},
		{name: "nested", sets: [][]string{{"a", "b", "c"}, {"a", "b"}, {"c"}}, want: true},
		{name: "triangle", sets: [][]string{{"a", "b"}, {"a", "c"}, {"b", "c"}}, want: false},
		{name: "four-cycle", sets: [][]string{{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "a"}}, want: false},
		{name: "triangle covered", sets: [][]string{{"a", "b"}, {"a", "c"}, {"b", "c"}, {"a", "b", "c"}}, want: true},
		{name: "triangle beside a tail", sets: [][]string{{"a", "b"}, {"a", "c"}, {"b", "c"}, {"c", "d"}}, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tabs []*Table
			for _, s := range tc.sets {
				tabs = append(tabs, &Table{Dimensions: s})
			}
			assert.Equal(t, tc.want, decomposable(tabs))
			assert.Len(t, tabs[0].Dimensions, len(tc.sets[0]), "the tables are not changed")
		})
	}
}

// Finding 3: fmt prints unexported fields, so the reasons of suppression
// must not be reachable by printing a table.
func TestPrintingATableShowsNoReasons(t *testing.T) {
	tab := releaseCounts(t, fullRows(1, 5, 50))
	require.Positive(t, tab.Suppressed()[Threshold], "the table has reasons to hide")
	for _, format := range []string{"%v", "%+v", "%#v"} {
		for _, v := range []any{tab, *tab} {
			s := fmt.Sprintf(format, v)
			for _, r := range []Reason{Threshold, Dominance, Secondary} {
				assert.NotContains(t, s, r.String(), format)
			}
			assert.NotContains(t, s, "Reason", format)
			assert.NotContains(t, s, "byKey", format)
		}
	}
}

// checkSums adds rows with overflow checks: children of 2^62 that wrap
// around to the parent's 5 do not add up.
func TestVerifyRefusesRowsThatOverflow(t *testing.T) {
	if math.MaxInt == math.MaxInt32 {
		t.Skip("int is 32 bits")
	}
	big := 1 << 62
	tab := &Table{K: 5, Dimensions: []string{"region"}, Margins: true, Cells: []Cell{
		{Key: []string{"r0"}, Rows: big, Subjects: 5},
		{Key: []string{"r1"}, Rows: big, Subjects: 5},
		{Key: []string{"r2"}, Rows: big, Subjects: 5},
		{Key: []string{"r3"}, Rows: big + 5, Subjects: 5},
		{Key: []string{Total}, Rows: 5, Subjects: 5},
	}}
	err := Verify(tab)
	require.ErrorIs(t, err, ErrDisclosive)
	assert.Contains(t, err.Error(), "does not add up")
}

func TestNeutralizeKeepsValuesDistinct(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=A", "'=A"},
		{"'=A", "''=A"},
		{"'", "''"},
		{"#x", "'#x"},
		{"plain", "plain"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := neutralize([]string{tc.in})[0]
			assert.Equal(t, tc.want, got)
			if got != tc.in {
				assert.Equal(t, tc.in, strings.TrimPrefix(got, "'"), "a reader strips one quote")
			}
		})
	}
}
