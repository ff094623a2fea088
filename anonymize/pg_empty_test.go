package anonymize

import (
	"context"
	"testing"

	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reviewer's push-down experiment: over an empty table with margins,
// GROUPING SETS returns a grand-total row whose SUM is NULL, and the scan
// failed. The push-down now matches the aggregator: an empty table.
func TestReleaseSQLEmptyTable(t *testing.T) {
	db := pgtest.Open(t)
	loadBids(t, db, nil)
	for _, margins := range []bool{false, true} {
		for _, dominance := range []bool{false, true} {
			spec := bidSpec(5, margins)
			if dominance {
				spec.Measures[0].Dominance = []NK{{N: 1, K: 75}}
			}
			tab, err := ReleaseSQL(context.Background(), db, sqlSpecOf(spec), "bids")
			require.NoError(t, err, "margins=%v dominance=%v", margins, dominance)
			assert.Empty(t, tab.Cells)
			want, err := mustAgg(t, spec).Release()
			require.NoError(t, err)
			assert.Equal(t, len(want.Cells), len(tab.Cells))
			require.NoError(t, Verify(tab))
		}
	}
}
