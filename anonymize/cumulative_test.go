package anonymize_test

import (
	"testing"

	"github.com/1cb-kz/compliance/anonymize"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReleaseAfterHoldsBothReleases replays the red team's cumulative
// leaks (anon_requests.md, issue 14 item 4) through ReleaseAfter and its
// independent reader of every release (redteam_test.go): a later release
// must neither narrow an earlier one's suppressed cell (old ≤ new per
// cell) nor be released with a level lifted to an old value the reader
// never saw. Each case leaked before the joint audit.
func TestReleaseAfterHoldsBothReleases(t *testing.T) {
	p10 := rtRules{p: 10}
	cases := []rtCase{
		// A: January's (region0, age1), one row, suppressed with
		// (region0, age0) as complement and the margin published; February
		// published the complement and pinned it at 1.
		{name: "pinned by the next release", seed: 2501, k: 5, rules: p10, releases: 2, dims: []rtDim{rtFlat("region", 5), rtFlat("age", 3)}},
		// A: February published January's complement (region2, age1) = 11:
		// January's (region2, age2) became [3, 5], true 3.
		{name: "narrowed by the next release", seed: 2401, k: 5, rules: p10, releases: 2, sparse: true, dims: []rtDim{rtFlat("region", 4), rtFlat("age", 3)}},
		// A, dominated sums: January's sum 749 read as [749, 3271].
		{name: "dominated sum narrowed", seed: 2101, k: 5, rules: rtRules{nk: []anonymize.NK{{N: 1, K: 75}}}, releases: 2, dims: []rtDim{rtFlat("region", 4), rtFlat("age", 3)}},
		// A, three releases: February's added group of 2 rows read as [2, 8].
		{name: "added group narrowed by March", seed: 2000, k: 3, releases: 3, dims: []rtDim{rtFlat("region", 3), rtFlat("age", 2)}},
		// B: (region1, age2), 4 rows unchanged since January, where it was
		// suppressed: a level lifted to 4 let the reader learn [4, 18].
		{name: "level lifted to an unpublished value", seed: 2701, k: 5, releases: 2, dims: []rtDim{rtFlat("region", 4), rtFlat("age", 3)}},
		// Three releases, each audited only against the one before: March
		// narrowed January's (region2, age1), 4 rows, to [4, 16].
		{name: "January narrowed by March", seed: 3901, k: 5, releases: 3, dims: []rtDim{rtFlat("region", 3), rtFlat("age", 3)}},
		// and March's (region0, age1), 7 subjects, to [3, +Inf].
		{name: "March narrowed by January", seed: 4402, k: 10, rules: p10, releases: 3, dims: []rtDim{rtFlat("region", 3), rtFlat("age", 2)}},
		{name: "cumulative over a hierarchy", seed: 2000, k: 3, releases: 3, dims: []rtDim{rtGeo(2, 2, 1), rtFlat("age", 2)}},
		// Half a year: each release against all five before it.
		{name: "six months", seed: 7001, k: 5, rules: p10, releases: 6, dims: []rtDim{rtFlat("region", 4), rtFlat("age", 3)}},
	}
	if rtLong() {
		cases = append(cases,
			rtCase{name: "twelve months", seed: 7002, k: 5, releases: 12, dims: []rtDim{rtFlat("region", 4), rtFlat("age", 3)}},
			rtCase{name: "twelve months, sums with a floor", seed: 7003, k: 3, rules: rtRules{min: 100}, releases: 12, dims: []rtDim{rtFlat("region", 3), rtFlat("age", 3)}},
			rtCase{name: "3-D", seed: 8002, k: 5, rules: p10, releases: 2, dims: []rtDim{rtFlat("region", 8), rtFlat("age", 4), rtFlat("lot", 3)}},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, ok := c.run(t)
			if !ok {
				return // refused: nothing published, which is sound
			}
			require.Positive(t, v.levels, "the reader checked no level")
			assert.Empty(t, v.violations)
			assert.Empty(t, v.known, "%v", v.example)
			assert.Zero(t, v.pinned, v.pinnedWhat)
		})
	}
}
