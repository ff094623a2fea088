package anonymize

import (
	"context"
	"testing"

	"github.com/1cb-kz/compliance/internal/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// geoBids maps randomBids' regions r0..r3 to leaves of a geography of
// unequal depth: r1 is a leaf at the top level (a city of republican
// significance), the others are regions with districts.
func geoBids(t *testing.T) ([]bid, *Hierarchy, *Hierarchy) {
	geo, err := NewHierarchy([][]string{
		{"r0a", "r0", "KZ"}, {"r0b", "r0", "KZ"}, {"r1", "KZ"},
		{"r2a", "r2", "KZ"}, {"r2b", "r2", "KZ"}, {"r2c", "r2", "KZ"}, {"r3a", "r3", "KZ"},
	})
	require.NoError(t, err)
	months, err := NewHierarchy([][]string{{"m0", "H1", "Y"}, {"m1", "H1", "Y"}, {"m2", "H2", "Y"}})
	require.NoError(t, err)
	rows := randomBids(3000, 8)
	leaves := map[string][]string{"r0": {"r0a", "r0b"}, "r1": {"r1"}, "r2": {"r2a", "r2b", "r2c"}, "r3": {"r3a"}}
	for i := range rows {
		l := leaves[rows[i].Region]
		rows[i].Region = l[i%len(l)]
	}
	for range 3 {
		rows = append(rows, bid{User: "whale", Region: "r2c", Age: "a1", Month: "m2", Amount: 9000.13})
	}
	return rows, geo, months
}

// TestReleaseSQLHierarchies: the push-down computes every level in
// PostgreSQL (the leaf joined to its ancestors, one grouping set per
// combination of levels) and returns the table the aggregator releases.
func TestReleaseSQLHierarchies(t *testing.T) {
	db := pgtest.Open(t)
	rows, geo, months := geoBids(t)
	loadBids(t, db, rows)
	ctx := context.Background()
	for name, spec := range mergeSpecs() {
		if !spec.Margins {
			continue
		}
		t.Run(name, func(t *testing.T) {
			spec := sqlSpecOf(spec)
			spec.Dimensions = append([]Dimension[bid](nil), spec.Dimensions...)
			for i := range spec.Dimensions {
				switch spec.Dimensions[i].Name {
				case "region":
					spec.Dimensions[i].Hierarchy = geo
				case "month":
					spec.Dimensions[i].Hierarchy = months
				}
			}
			a := mustAgg(t, spec)
			for _, r := range rows {
				a.Add(r)
			}
			want, err := a.Release()
			require.NoError(t, err)
			got, err := ReleaseSQL(ctx, db, spec, "bids")
			require.NoError(t, err)
			assert.Equal(t, stripTime(want), stripTime(got))
			require.NoError(t, a.Verify(got))
			assert.Equal(t, "r2", got.Parents["region"]["r2c"])
			t.Logf("%d cells, suppressed %v", len(got.Cells), got.Suppressed())
		})
	}
	t.Run("a value that is not a leaf", func(t *testing.T) {
		_, err := db.ExecContext(ctx, `INSERT INTO bids (user_id, region, age, month, amount) VALUES ('x', 'r0', 'a0', 'm0', 1)`)
		require.NoError(t, err)
		spec := sqlSpecOf(mergeSpecs()["margins"])
		spec.Dimensions = append([]Dimension[bid](nil), spec.Dimensions...)
		spec.Dimensions[0].Hierarchy = geo
		_, err = ReleaseSQL(ctx, db, spec, "bids")
		assert.ErrorIs(t, err, ErrRow)
	})
}
