package password

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/eval/golden.txt.gz from the current estimator")

// goldenLine is what Strength and the common-password check said of one
// password of the evaluation corpora, in a form that compares bit for bit.
func goldenLine(pw string) string {
	e := Strength(pw)
	return fmt.Sprintf("%d\t%s\t%s\t%t", e.Score, strconv.FormatFloat(e.Guesses, 'x', -1, 64),
		strings.Join(e.Patterns, ","), isCommon(prepare(pw)))
}

// TestStrengthGolden pins every estimate on the evaluation corpora to the
// outputs recorded in testdata/eval/golden.txt.gz, which were written by the
// estimator that built its index from the raw word lists at run time
// (before the index was prebuilt and embedded): the embedded index must
// give bit-for-bit the same Guesses, Score and Patterns.
func TestStrengthGolden(t *testing.T) {
	const path = "testdata/eval/golden.txt.gz"
	var pws []string
	for _, name := range []string{"tune.txt", "heldout.txt", "strong.txt", "foreign.txt"} {
		for _, l := range readEval(t, name) {
			pws = append(pws, l.pw)
		}
	}
	if *updateGolden {
		f, err := os.Create(path)
		require.NoError(t, err)
		z, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
		for _, pw := range pws {
			fmt.Fprintln(z, goldenLine(pw))
		}
		require.NoError(t, z.Close())
		require.NoError(t, f.Close())
	}
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	z, err := gzip.NewReader(f)
	require.NoError(t, err)
	sc := bufio.NewScanner(z)
	i, diffs := 0, 0
	for sc.Scan() {
		require.Less(t, i, len(pws), "golden file longer than the corpora")
		if got := goldenLine(pws[i]); got != sc.Text() {
			diffs++
			if diffs <= 10 {
				t.Errorf("line %d: got %q, golden %q", i+1, got, sc.Text())
			}
		}
		i++
	}
	require.NoError(t, sc.Err())
	require.Equal(t, len(pws), i, "golden file shorter than the corpora")
	require.Zero(t, diffs, "estimates differing from the golden file")
}
