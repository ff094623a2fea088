package anonymize

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// protectedTable releases a 3×3 region×age table with margins in which
// r0/a0 has one bidder, and returns the aggregator with it.
func protectedTable(t *testing.T) (*Aggregator[bid], *Table) {
	a := mustAgg(t, bidSpec(3, true))
	for ci, n := range []int{1, 3, 50, 4, 5, 50, 50, 50, 50} {
		region, age := fmt.Sprint("r", ci/3), fmt.Sprint("a", ci%3)
		for i := range n {
			a.Add(bid{User: fmt.Sprint(region, age, i), Region: region, Age: age, Amount: float64(10 + i)})
		}
	}
	tab, err := a.Release()
	require.NoError(t, err)
	require.NoError(t, a.Verify(tab))
	return a, tab
}

// reveal publishes suppressed cell i with its true values.
func reveal(t *testing.T, a *Aggregator[bid], tab *Table, i int) {
	for _, rc := range a.raw().cells {
		if slices.Equal(rc.key, tab.Cells[i].Key) {
			tab.Cells[i] = Cell{Key: rc.key, Rows: int(rc.rows), Subjects: rc.subjects,
				Sums: []float64{fromFixed(rc.sums[0], 0)}}
			return
		}
	}
	t.Fatalf("no cell %v", tab.Cells[i].Key)
}

func TestVerifyFindsEachProblem(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*testing.T, *Aggregator[bid], *Table)
		want   string
	}{
		{"a secondary cell published with its true values", func(t *testing.T, a *Aggregator[bid], tab *Table) {
			i := slices.IndexFunc(tab.Cells, func(c Cell) bool { return tab.Reason(c.Key) == Secondary })
			reveal(t, a, tab, i)
		}, "is derivable from the published cells"},
		{"a sum that does not add up", func(t *testing.T, _ *Aggregator[bid], tab *Table) {
			i := slices.IndexFunc(tab.Cells, func(c Cell) bool { return slices.Equal(c.Key, []string{"r2", Total}) })
			tab.Cells[i].Sums[0]++
		}, "margin [r2 *]: amount does not add up"},
		{"rows that do not add up", func(t *testing.T, _ *Aggregator[bid], tab *Table) {
			i := slices.IndexFunc(tab.Cells, func(c Cell) bool { return slices.Equal(c.Key, []string{"r2", Total}) })
			tab.Cells[i].Rows++
		}, "margin [r2 *] does not add up"},
		{"a value on a suppressed cell", func(t *testing.T, _ *Aggregator[bid], tab *Table) {
			tab.Cells[0].Sums = []float64{0}
		}, "suppressed cell [r0 a0] carries values"},
		{"a published cell below k", func(t *testing.T, _ *Aggregator[bid], tab *Table) {
			tab.Cells[len(tab.Cells)-1].Subjects = 2
		}, "is published with 2 subjects"},
		{"k below 2", func(t *testing.T, _ *Aggregator[bid], tab *Table) { tab.K = 1 }, "k is 1"},
		{"a missing margin", func(t *testing.T, _ *Aggregator[bid], tab *Table) {
			tab.Cells = tab.Cells[:len(tab.Cells)-1]
		}, "a margin cell is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, tab := protectedTable(t)
			tt.mutate(t, a, tab)
			err := Verify(tab)
			require.ErrorIs(t, err, ErrDisclosive)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.ErrorIs(t, Verify(nil), ErrDisclosive)
}

// TestReleaseAuditsSumsLikeRows checks the claim the audit rests on: the
// rows and every sum of a table obey the same margin equations, so a cell
// whose rows the published system cannot determine has undetermined sums
// too. Subjects (saturated at K) obey none and are not part of the system.
func TestReleaseAuditsSumsLikeRows(t *testing.T) {
	a, tab := protectedTable(t)
	raw := a.raw()
	s, err := newSystem(func() (keys [][]string) {
		for _, c := range raw.cells {
			keys = append(keys, c.key)
		}
		return keys
	}(), true)
	require.NoError(t, err)
	for _, con := range s.cons {
		rows, sum := int64(0), int64(0)
		for _, x := range con[1:] {
			rows += raw.cells[x].rows
			sum += raw.cells[x].sums[0]
		}
		require.Equal(t, raw.cells[con[0]].rows, rows)
		require.Equal(t, raw.cells[con[0]].sums[0], sum)
	}
	n := tab.Suppressed()
	assert.Equal(t, 1, n[Threshold])
	assert.Positive(t, n[Secondary])
}
