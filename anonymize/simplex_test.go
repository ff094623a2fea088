package anonymize

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	glp "gonum.org/v1/gonum/optimize/convex/lp"
)

// TestSimplexMatchesGonum checks the package's simplex against gonum's on
// random feasible programs in general position (gonum's cycles on the
// degenerate programs of tables, which is why the package has its own).
func TestSimplexMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 200 {
		m, n := 2+rng.IntN(6), 8+rng.IntN(10)
		a := make([][]float64, m)
		dense := mat.NewDense(m, n, nil)
		x0 := make([]float64, n)
		for j := range x0 {
			x0[j] = rng.Float64() * 3
		}
		b := make([]float64, m)
		for i := range a {
			a[i] = make([]float64, n)
			for j := range a[i] {
				a[i][j] = math.Round((rng.Float64()*4-2)*100) / 100
				dense.Set(i, j, a[i][j])
				b[i] += a[i][j] * x0[j]
			}
		}
		c := make([]float64, n)
		for j := range c {
			c[j] = rng.Float64() - 0.3
		}
		tb, err := newTableau(a, b, n)
		require.NoError(t, err, "trial %d: feasible by construction", trial)
		got, y, err := tb.minimize(c)
		want, _, gerr := glp.Simplex(c, dense, b, 0, nil)
		if errors.Is(gerr, glp.ErrUnbounded) {
			assert.ErrorIs(t, err, errUnbounded, "trial %d", trial)
			continue
		}
		if gerr != nil {
			continue // a numerical failure of gonum's: nothing to compare
		}
		require.NoError(t, err, "trial %d", trial)
		assert.InDelta(t, want, got, 1e-6*(1+math.Abs(want)), "trial %d", trial)
		for i := range a { // the solution is feasible
			s := 0.0
			for j := range a[i] {
				s += a[i][j] * y[j]
			}
			assert.InDelta(t, b[i], s, 1e-6*(1+math.Abs(b[i])), "trial %d row %d", trial, i)
		}
	}
}

func TestSimplexRefusesInfeasible(t *testing.T) {
	// y0 + y1 = -1 has no solution with y >= 0.
	_, err := newTableau([][]float64{{1, 1}}, []float64{-1}, 2)
	assert.ErrorIs(t, err, errInfeasible)
	// y0 − y1 = 0: minimising −y0 is unbounded.
	tb, err := newTableau([][]float64{{1, -1}}, []float64{0}, 2)
	require.NoError(t, err)
	_, _, err = tb.minimize([]float64{-1, 0})
	assert.ErrorIs(t, err, errUnbounded)
}
