package anonymize

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAgeBands(t *testing.T) {
	for age, want := range map[int]string{0: "<18", 17: "<18", 18: "18-24", 24: "18-24", 25: "25-34", 64: "55-64", 65: ">=65", 104: ">=65"} {
		assert.Equal(t, want, AgeBands().Label(float64(age)), "age %d", age)
	}
	birth := time.Date(2000, 3, 15, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, 25, AgeAt(birth, time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, 26, AgeAt(birth, time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)))
}

func TestBands(t *testing.T) {
	b, err := NewBands([]float64{0.5, 2.5}, []string{"low", "mid", "high"})
	require.NoError(t, err)
	assert.Equal(t, "low", b.Label(0.49))
	assert.Equal(t, "mid", b.Label(0.5))
	assert.Equal(t, "high", b.Label(2.5))
	assert.Equal(t, []string{"<0.5", "0.5-2.5", ">=2.5"}, must(NewBands([]float64{0.5, 2.5}, nil)).Labels())
	assert.Equal(t, "high", b.Label(5e9), "top coded")
	for _, bad := range []struct {
		edges  []float64
		labels []string
	}{{nil, nil}, {[]float64{2, 1}, nil}, {[]float64{1, 1}, nil}, {[]float64{1}, []string{"a"}}, {[]float64{1}, []string{"a", "a"}}, {[]float64{1}, []string{"a", Total}}} {
		_, err := NewBands(bad.edges, bad.labels)
		assert.ErrorIs(t, err, ErrGeneralizer)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestTruncateDate(t *testing.T) {
	d := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, "2026-11", TruncateDate(d, Month))
	assert.Equal(t, "2026-Q4", TruncateDate(d, Quarter))
	assert.Equal(t, "2026-Q1", TruncateDate(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), Quarter))
	assert.Equal(t, "2026", TruncateDate(d, Year))
}

func TestHierarchy(t *testing.T) {
	h, err := NewHierarchy([][]string{{"a1", "A", "root"}, {"a2", "A", "root"}, {"B", "root"}})
	require.NoError(t, err)
	assert.Equal(t, "A", must(h.AtDepth("a1", 1)))
	assert.Equal(t, "a1", must(h.AtDepth("a1", 5)))
	assert.Equal(t, "root", must(h.AtDepth("a1", 0)))
	assert.Equal(t, "B", must(h.AtDepth("B", 1)))
	assert.Equal(t, "A", must(h.AtDepth("a2", 1)))
	_, err = h.AtDepth("zz", 1)
	assert.ErrorIs(t, err, ErrGeneralizer)
	for _, bad := range [][][]string{
		nil,
		{{}},
		{{"a", "A", "r"}, {"a", "B", "r"}},
		{{"a", "r"}, {"b", "s"}},
		{{"a", Total, "r"}},
		{{"a", "b", "r"}, {"b", "a", "r"}},
	} {
		_, err := NewHierarchy(bad)
		assert.ErrorIs(t, err, ErrGeneralizer, "%v", bad)
	}
}

func TestKazakhstan(t *testing.T) {
	require.Len(t, kzRegions, 20)
	cities, codes := 0, map[string]bool{}
	for _, r := range kzRegions {
		if r.city {
			cities++
		}
		codes[r.code] = true
		assert.NotEmpty(t, r.en)
		assert.NotEmpty(t, r.ru)
		assert.NotEmpty(t, r.kk)
	}
	assert.Equal(t, 3, cities)
	assert.Len(t, codes, 20)
	for _, s := range kzSettlements {
		assert.True(t, codes[s.region], s.en)
	}
	for _, lang := range []string{"en", "ru", "kk"} {
		h, err := KazakhstanHierarchy(lang)
		require.NoError(t, err, lang)
		for _, r := range kzRegions {
			assert.Equal(t, r.name(lang), must(h.AtDepth(r.name(lang), 1)))
		}
		names := map[string]string{}
		for _, r := range kzRegions {
			names[r.code] = r.name(lang)
		}
		for _, s := range kzSettlements {
			assert.Equal(t, names[s.region], h.parent[s.name(lang)], s.en)
			assert.True(t, h.leaf(s.name(lang)), s.en)
		}
	}
	en := must(KazakhstanHierarchy("en"))
	assert.Equal(t, "Abai Region", must(en.AtDepth("Semey", 1)))
	assert.Equal(t, "Almaty", must(en.AtDepth("Almaty", 1)))
	assert.Equal(t, "Kazakhstan", must(en.AtDepth("Semey", 0)))
	assert.Equal(t, "Jetisu Region", must(en.AtDepth("Taldykorgan", 1)), "after 2022")
	assert.True(t, en.leaf("Almaty"), "a city of republican significance is a leaf")
	assert.False(t, en.leaf("Abai Region"))
	_, err := KazakhstanHierarchy("de")
	assert.ErrorIs(t, err, ErrGeneralizer)
}

// FuzzNewHierarchy feeds CSV records (one path per record, as a host
// keeps a hierarchy in a file) to NewHierarchy.
func FuzzNewHierarchy(f *testing.F) {
	f.Add("Semey,Abai Region,Kazakhstan\nAstana,Kazakhstan\n")
	f.Add("a,b,r\nb,a,r\n")
	f.Add("a,A,r\na,B,r\n")
	f.Add("1,2,3,4,5,6,7,8\n")
	f.Add("root only\n")
	f.Fuzz(func(t *testing.T, s string) {
		cr := csv.NewReader(strings.NewReader(s))
		cr.FieldsPerRecord = -1
		rows, err := cr.ReadAll()
		if err != nil {
			return
		}
		h, err := NewHierarchy(rows)
		if err != nil {
			require.ErrorIs(t, err, ErrGeneralizer)
			return
		}
		// Every value of an accepted hierarchy walks up to the root
		// within the depth bound, and its levels cover every leaf.
		for v := range h.parent {
			p, err := h.path(v)
			require.NoError(t, err)
			require.Equal(t, h.root, p[len(p)-1])
			require.LessOrEqual(t, len(p), maxHierarchyDepth+1)
		}
		lv := h.levels()
		for _, col := range lv {
			require.Len(t, col, len(lv[0]))
		}
		for _, l := range lv[0] {
			require.True(t, h.leaf(l))
		}
	})
}
