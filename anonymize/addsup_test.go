package anonymize

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reviewer's float experiment: children of ±5e14 cancel to a parent of
// 0.2; re-added in float64 they miss it by more than 1e-9 of the parent,
// and Verify refused a correct table. Sums now add up in fixed point, or,
// beyond float64's exact digits, within its rounding of the magnitudes.
func TestVerifyAcceptsCancellingSums(t *testing.T) {
	s := bidSpec(2, true)
	s.Measures[0].Decimals = 1
	a := mustAgg(t, s)
	for i := range 2 {
		a.Add(bid{User: fmt.Sprint("p", i), Region: "r0", Age: "a0", Amount: 5e14})
		a.Add(bid{User: fmt.Sprint("n", i), Region: "r0", Age: "a1", Amount: -5e14 + 0.1})
		a.Add(bid{User: fmt.Sprint("q", i), Region: "r1", Age: "a0", Amount: 1})
		a.Add(bid{User: fmt.Sprint("m", i), Region: "r1", Age: "a1", Amount: 1})
	}
	tab, err := a.Release()
	require.NoError(t, err)
	require.NoError(t, Verify(tab))
	require.NoError(t, a.Verify(tab))
	require.NoError(t, WriteCSV(&bytes.Buffer{}, tab))
	i := 0
	for ; !equalKey(tab.Cells[i].Key, "r0", Total); i++ {
	}
	tab.Cells[i].Sums[0] += 1 // a real error still shows
	assert.ErrorIs(t, Verify(tab), ErrDisclosive)
}

func equalKey(k []string, want ...string) bool { return fmt.Sprint(k) == fmt.Sprint(want) }

func TestAddsUp(t *testing.T) {
	tests := []struct {
		name     string
		vals     []float64
		decimals int
		want     bool
	}{
		{"exact decimals", []float64{0.3, 0.1, 0.2}, 1, true},
		{"off by one unit", []float64{0.4, 0.1, 0.2}, 1, false},
		{"cancelling beyond 2^52 units", []float64{0.2, 1e15, -999999999999999.8}, -1, true},
		{"a real error beyond 2^52 units", []float64{0.2, 1e15, -999999999999990}, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, addsUp(tt.vals, tt.decimals))
		})
	}
}
