package anonymize

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLongHighDimensions times a release: 3,000 bids
// over 3 and 4 dimensions of 8 skewed values, K=5, margins. Four
// dimensions take tens of seconds (the rank audit over ~3,500 cells, most
// of them suppressed); run with COMPLIANCE_LONG=1 -v.
func TestLongHighDimensions(t *testing.T) {
	if os.Getenv("COMPLIANCE_LONG") == "" {
		t.Skip("set COMPLIANCE_LONG=1 to run")
	}
	type r4 struct {
		U string
		D [4]string
	}
	for _, nd := range []int{3, 4} {
		for seed := range uint64(4) {
			rng := rand.New(rand.NewPCG(seed, 9))
			spec := Spec[r4]{K: 5, Subject: func(r r4) string { return r.U }, Margins: true}
			for i := range nd {
				spec.Dimensions = append(spec.Dimensions, Dimension[r4]{Name: fmt.Sprint("d", i), Key: func(r r4) string { return r.D[i] }})
			}
			a := mustAgg(t, spec)
			for i := range 3000 {
				r := r4{U: fmt.Sprint("u", i)}
				for j := range 4 {
					r.D[j] = fmt.Sprint("v", min(rng.IntN(8), rng.IntN(8)))
				}
				a.Add(r)
			}
			start := time.Now()
			tab, err := a.Release()
			require.NoError(t, err)
			took := time.Since(start)
			require.NoError(t, Verify(tab))
			t.Logf("dimensions=%d seed=%d cells=%d release %v suppressed %v", nd, seed, len(tab.Cells), took.Round(time.Millisecond), tab.Suppressed())
		}
	}
}
