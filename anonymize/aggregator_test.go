package anonymize

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type bid struct {
	User, Region, Age, Month string
	Amount                   float64
}

func bidSpec(k int, margins bool) Spec[bid] {
	return Spec[bid]{
		K:       k,
		Subject: func(b bid) string { return b.User },
		Dimensions: []Dimension[bid]{
			{Name: "region", Key: func(b bid) string { return b.Region }, Column: "region"},
			{Name: "age", Key: func(b bid) string { return b.Age }, Column: "age"},
		},
		Measures: []Measure[bid]{{Name: "amount", Value: func(b bid) float64 { return b.Amount }, Column: "amount"}},
		Margins:  margins,
	}
}

func mustAgg[T any](t testing.TB, s Spec[T]) *Aggregator[T] {
	t.Helper()
	a, err := NewAggregator(s)
	require.NoError(t, err)
	return a
}

func cellByKey(t *testing.T, tab *Table, key ...string) Cell {
	t.Helper()
	for _, c := range tab.Cells {
		if fmt.Sprint(c.Key) == fmt.Sprint(key) {
			return c
		}
	}
	t.Fatalf("no cell %v", key)
	return Cell{}
}

func TestNewAggregatorRefusesBadSpecs(t *testing.T) {
	ok := bidSpec(5, true)
	tests := []struct {
		name   string
		mutate func(*Spec[bid])
	}{
		{"k=1", func(s *Spec[bid]) { s.K = 1 }},
		{"negative k", func(s *Spec[bid]) { s.K = -3 }},
		{"no dimensions", func(s *Spec[bid]) { s.Dimensions = nil }},
		{"nil key function", func(s *Spec[bid]) { s.Dimensions[0].Key = nil }},
		{"nil subject", func(s *Spec[bid]) { s.Subject = nil }},
		{"nil value", func(s *Spec[bid]) { s.Measures[0].Value = nil }},
		{"unnamed dimension", func(s *Spec[bid]) { s.Dimensions[1].Name = "" }},
		{"duplicate names", func(s *Spec[bid]) { s.Measures[0].Name = "region" }},
		{"inverted bounds", func(s *Spec[bid]) { s.Measures[0].Bounds = &Bounds{Min: 10, Max: 1} }},
		{"NaN bound", func(s *Spec[bid]) { s.Measures[0].Bounds = &Bounds{Min: math.NaN(), Max: 1} }},
		{"decimals", func(s *Spec[bid]) { s.Measures[0].Decimals = 7 }},
		{"bad nk", func(s *Spec[bid]) { s.Measures[0].Dominance = []NK{{N: 0, K: 50}} }},
		{"nk k=100", func(s *Spec[bid]) { s.Measures[0].Dominance = []NK{{N: 1, K: 100}} }},
		{"NaN p", func(s *Spec[bid]) { s.Measures[0].P = math.NaN() }},
		{"dominance with negative bounds", func(s *Spec[bid]) {
			s.Measures[0].P = 10
			s.Measures[0].Bounds = &Bounds{Min: -1, Max: 1}
		}},
		{"short key", func(s *Spec[bid]) { s.Key = make([]byte, 16) }},
		{"too many dimensions", func(s *Spec[bid]) {
			for i := range MaxDimensions {
				s.Dimensions = append(s.Dimensions, Dimension[bid]{Name: fmt.Sprint("d", i), Key: func(bid) string { return "" }})
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bidSpec(5, true)
			s.Dimensions = append([]Dimension[bid](nil), ok.Dimensions...)
			s.Measures = append([]Measure[bid](nil), ok.Measures...)
			tt.mutate(&s)
			_, err := NewAggregator(s)
			assert.ErrorIs(t, err, ErrSpec)
		})
	}
	a, err := NewAggregator(Spec[bid]{Subject: ok.Subject, Dimensions: ok.Dimensions})
	require.NoError(t, err)
	assert.Equal(t, defaultK, a.k, "zero K means the default")
}

func TestAddRecordsBadRows(t *testing.T) {
	tests := []struct {
		name string
		row  bid
		dom  bool
	}{
		{"empty subject", bid{Region: "r", Age: "a", Amount: 1}, false},
		{"NaN", bid{User: "u", Region: "r", Age: "a", Amount: math.NaN()}, false},
		{"+Inf", bid{User: "u", Region: "r", Age: "a", Amount: math.Inf(1)}, false},
		{"-Inf", bid{User: "u", Region: "r", Age: "a", Amount: math.Inf(-1)}, false},
		{"Total as value", bid{User: "u", Region: Total, Age: "a", Amount: 1}, false},
		{"too large", bid{User: "u", Region: "r", Age: "a", Amount: 1e300}, false},
		{"negative under dominance", bid{User: "u", Region: "r", Age: "a", Amount: -1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bidSpec(2, true)
			if tt.dom {
				s.Measures[0].P = 10
			}
			a := mustAgg(t, s)
			a.Add(bid{User: "x", Region: "r", Age: "a", Amount: 1})
			a.Add(tt.row)
			a.Add(bid{User: "y", Region: "r", Age: "a", Amount: 1})
			_, err := a.Release()
			require.ErrorIs(t, err, ErrRow)
			assert.Contains(t, err.Error(), "row 2")
			assert.NotContains(t, err.Error(), "1e+300")
		})
	}
}

func TestCountsDistinctSubjectsNotRows(t *testing.T) {
	a := mustAgg(t, bidSpec(5, false))
	for range 40 { // one bidder, 40 bids: the toy HAVING COUNT(*) >= 5 passes this
		a.Add(bid{User: "whale", Region: "KZ-ALA", Age: "25-34", Amount: 1000})
	}
	for i := range 5 {
		a.Add(bid{User: fmt.Sprint("u", i), Region: "KZ-AST", Age: "25-34", Amount: 10})
		a.Add(bid{User: fmt.Sprint("u", i), Region: "KZ-AST", Age: "25-34", Amount: 5})
	}
	tab, err := a.Release()
	require.NoError(t, err)
	whale := cellByKey(t, tab, "KZ-ALA", "25-34")
	assert.True(t, whale.Suppressed)
	assert.Equal(t, Threshold, tab.Reason(whale.Key))
	assert.Zero(t, whale.Rows)
	assert.Nil(t, whale.Sums)
	ast := cellByKey(t, tab, "KZ-AST", "25-34")
	assert.False(t, ast.Suppressed)
	assert.Equal(t, 10, ast.Rows)
	assert.Equal(t, 5, ast.Subjects)
	assert.Equal(t, []float64{75}, ast.Sums)
}

func TestSubjectsSaturateAtK(t *testing.T) {
	a := mustAgg(t, bidSpec(3, false))
	for i := range 50 {
		a.Add(bid{User: fmt.Sprint("u", i), Region: "r", Age: "a", Amount: 1})
	}
	tab, err := a.Release()
	require.NoError(t, err)
	assert.Equal(t, 3, tab.Cells[0].Subjects)
	assert.Equal(t, 50, tab.Cells[0].Rows)
	assert.Len(t, a.fps, 3, "memory is K fingerprints per cell")
}

func TestClampingAndDecimals(t *testing.T) {
	s := bidSpec(2, false)
	s.Measures[0].Bounds = &Bounds{Min: 0, Max: 100}
	s.Measures[0].Decimals = 2
	a := mustAgg(t, s)
	a.Add(bid{User: "a", Region: "r", Age: "x", Amount: 1e9}) // clamped to 100
	a.Add(bid{User: "b", Region: "r", Age: "x", Amount: -50}) // clamped to 0
	a.Add(bid{User: "c", Region: "r", Age: "x", Amount: 1.01})
	a.Add(bid{User: "c", Region: "r", Age: "x", Amount: 0.1 + 0.2}) // 0.3 at 15 digits, as PostgreSQL reads a float8
	tab, err := a.Release()
	require.NoError(t, err)
	assert.Equal(t, []float64{101.31}, tab.Cells[0].Sums)
}

// A value with more decimals than the measure keeps is refused, never
// rounded: tenge with tiyn under the default Decimals of 0 used to lose
// the tiyn silently.
func TestDecimalsRefuseWhatTheyWouldRound(t *testing.T) {
	tests := []struct {
		decimals int
		amount   float64
		ok       bool
	}{
		{0, 1500, true},
		{0, 1500.5, false},
		{2, 1500.55, true},
		{2, 1.005, false},
		{2, 0.1 + 0.2, true},
		{1, 0.05, false},
		{6, 0.000001, true},
		{6, 1e-7, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.decimals, "/", tt.amount), func(t *testing.T) {
			s := bidSpec(2, false)
			s.Measures[0].Decimals = tt.decimals
			a := mustAgg(t, s)
			a.Add(bid{User: "a", Region: "r", Age: "x", Amount: tt.amount})
			_, err := a.Release()
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrRow)
			assert.NotContains(t, err.Error(), fmt.Sprint(tt.amount), "no value in errors")
		})
	}
}

func TestToFixed(t *testing.T) {
	tests := []struct {
		v    float64
		d    int
		want int64
	}{
		{1.005, 2, 101}, {-1.005, 2, -101}, {2.5, 0, 3}, {-2.5, 0, -3}, {0.125, 2, 13},
		{1234.5678, 2, 123457}, {0.1, 1, 1}, {1e-7, 6, 0}, {5e-7, 6, 1}, {123456789, 0, 123456789},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, toFixed(tt.v, tt.d), "%v with %d decimals", tt.v, tt.d)
	}
}

func TestMarginsAreTotals(t *testing.T) {
	a := mustAgg(t, bidSpec(2, true))
	rng := rand.New(rand.NewPCG(1, 2))
	var total float64
	for range 500 {
		b := bid{User: fmt.Sprint("u", rng.IntN(60)), Region: fmt.Sprint("r", rng.IntN(3)), Age: fmt.Sprint("a", rng.IntN(2)), Amount: float64(rng.IntN(100))}
		total += b.Amount
		a.Add(b)
	}
	tab, err := a.Release()
	require.NoError(t, err)
	assert.Len(t, tab.Cells, 3*2+3+2+1)
	grand := cellByKey(t, tab, Total, Total)
	assert.Equal(t, 500, grand.Rows)
	assert.Equal(t, []float64{total}, grand.Sums)
	for _, c := range tab.Cells {
		require.False(t, c.Suppressed, "every cell has many subjects")
	}
	r0 := cellByKey(t, tab, "r0", Total)
	assert.Equal(t, cellByKey(t, tab, "r0", "a0").Rows+cellByKey(t, tab, "r0", "a1").Rows, r0.Rows)
	assert.Equal(t, "*", tab.Cells[len(tab.Cells)-1].Key[0], "margins sort last")
}

func TestDominanceRules(t *testing.T) {
	tests := []struct {
		name       string
		nk         []NK
		p          float64
		amounts    []float64 // one subject each
		suppressed bool
	}{
		{"(1,75) passes", []NK{{1, 75}}, 0, []float64{70, 10, 10, 10}, false},
		{"(1,75) fails", []NK{{1, 75}}, 0, []float64{80, 10, 5, 5}, true},
		{"(2,85) fails", []NK{{2, 85}}, 0, []float64{50, 40, 5, 5}, true},
		{"(2,85) passes", []NK{{2, 85}}, 0, []float64{40, 40, 10, 10}, false},
		{"p=10 fails", nil, 10, []float64{100, 50, 5, 4}, true},   // 9 < 10
		{"p=10 passes", nil, 10, []float64{100, 50, 6, 5}, false}, // 11 >= 10
		{"all zero", []NK{{1, 75}}, 10, []float64{0, 0, 0}, false},
		// The rules are strict inequalities: exactly k% or exactly p% is safe.
		{"(1,75) at 75% passes", []NK{{1, 75}}, 0, []float64{75, 10, 10, 5}, false},
		{"(1,75) just above fails", []NK{{1, 75}}, 0, []float64{75.1, 10, 10, 5}, true},
		{"p=10 at 10% passes", nil, 10, []float64{100, 50, 5, 5}, false},
		{"p=10 just below fails", nil, 10, []float64{100, 50, 5, 4.8}, true},
		{"p=7 at 7% passes", nil, 7, []float64{100, 50, 3.5, 3.5}, false},
		{"two contributors fail any p", nil, 1, []float64{100, 1}, true},
		{"two contributors fail (2,99)", []NK{{2, 99}}, 0, []float64{60, 40}, true},
		{"several rules, second fails", []NK{{1, 90}, {2, 80}}, 0, []float64{45, 40, 10, 5}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bidSpec(2, false)
			s.Measures[0].Dominance = tt.nk
			s.Measures[0].P = tt.p
			s.Measures[0].Decimals = 2
			a := mustAgg(t, s)
			for i, v := range tt.amounts {
				// Split every contribution over two rows: the rules apply to
				// subjects' totals, not to rows.
				a.Add(bid{User: fmt.Sprint("u", i), Region: "r", Age: "a", Amount: v / 2})
				a.Add(bid{User: fmt.Sprint("u", i), Region: "r", Age: "a", Amount: v / 2})
			}
			tab, err := a.Release()
			require.NoError(t, err)
			assert.Equal(t, tt.suppressed, tab.Cells[0].Suppressed)
			if tt.suppressed {
				assert.Equal(t, Dominance, tab.Reason(tab.Cells[0].Key))
			}
		})
	}
}

func TestAddAfterErrorIgnoresRows(t *testing.T) {
	a := mustAgg(t, bidSpec(2, false))
	a.Add(bid{Region: "r", Age: "a"})
	a.Add(bid{User: "u", Region: "r", Age: "a"})
	require.ErrorIs(t, a.Err(), ErrRow)
	assert.Empty(t, a.cells)
}

func TestTooManyDistinctValues(t *testing.T) {
	s := bidSpec(2, false)
	for i := range MaxDimensions - 2 {
		s.Dimensions = append(s.Dimensions, Dimension[bid]{Name: fmt.Sprint("d", i), Key: func(bid) string { return "x" }})
	}
	a := mustAgg(t, s) // six dimensions: 10 bits, 1023 values each
	for i := range 1023 {
		a.Add(bid{User: "u", Region: fmt.Sprint(i), Age: "a"})
	}
	require.NoError(t, a.Err())
	a.Add(bid{User: "u", Region: "one too many", Age: "a"})
	assert.ErrorIs(t, a.Err(), ErrRow)
}

func TestReleaseOfNothing(t *testing.T) {
	tab, err := mustAgg(t, bidSpec(5, true)).Release()
	require.NoError(t, err)
	assert.Empty(t, tab.Cells)
	require.NoError(t, Verify(tab))
}

// TestFingerprintsAreExact checks the lazy fingerprinting of Add against
// the definition: every cell, margins included, holds exactly the distinct
// fingerprints of its subjects while they are fewer than K, and K of them
// otherwise.
func TestFingerprintsAreExact(t *testing.T) {
	for _, k := range []int{2, 5, 40} {
		a := mustAgg(t, bidSpec(k, true))
		want := map[cellKey]map[uint64]bool{}
		rng := rand.New(rand.NewPCG(uint64(k), 3))
		for range 3000 {
			b := bid{User: fmt.Sprint("u", rng.IntN(200)), Region: fmt.Sprint("r", rng.IntN(5)), Age: fmt.Sprint("a", rng.IntN(300)), Amount: 1}
			a.Add(b)
			key := a.with(a.with(0, 0, a.ids[0][b.Region]), 1, a.ids[1][b.Age])
			for _, keep := range a.keep {
				if want[key&keep] == nil {
					want[key&keep] = map[uint64]bool{}
				}
				want[key&keep][a.fingerprint(b.User)] = true
			}
		}
		require.NoError(t, a.Err())
		require.Len(t, a.cells, len(want))
		small := 0
		for c, key := range a.cells {
			got := a.fps[c*k : c*k+int(a.nsub[c])]
			if len(want[key]) < k {
				small++
				assert.Len(t, got, len(want[key]))
			} else {
				assert.Len(t, got, k)
			}
			for _, fp := range got {
				assert.True(t, want[key][fp], "kept fingerprints belong to the cell's subjects")
			}
		}
		if k == 5 {
			assert.Positive(t, small, "the data exercise unsaturated cells")
		}
	}
}
