package anonymize

import (
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
	assert.Equal(t, "10000-49999", AmountBands().Label(12_345))
	assert.Equal(t, ">=1000000", AmountBands().Label(5e9), "top coded")
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
	assert.Equal(t, "A", must(h.Generalize("a1", 1)))
	assert.Equal(t, "root", must(h.Generalize("a1", 5)))
	assert.Equal(t, "B", must(h.AtDepth("B", 1)))
	assert.Equal(t, "A", must(h.AtDepth("a2", 1)))
	_, err = h.Generalize("zz", 1)
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
	regions := KazakhstanRegions()
	require.Len(t, regions, 20)
	cities, codes := 0, map[string]bool{}
	for _, r := range regions {
		if r.City {
			cities++
		}
		codes[r.Code] = true
		assert.NotEmpty(t, r.EN)
		assert.NotEmpty(t, r.RU)
		assert.NotEmpty(t, r.KK)
	}
	assert.Equal(t, 3, cities)
	assert.Len(t, codes, 20)
	for _, s := range KazakhstanSettlements() {
		assert.True(t, codes[s.Region], s.EN)
	}
	for _, lang := range []string{"en", "ru", "kk"} {
		h, err := KazakhstanHierarchy(lang)
		require.NoError(t, err, lang)
		for _, r := range regions {
			assert.Equal(t, r.Name(lang), must(h.AtDepth(r.Name(lang), 1)))
		}
	}
	en := must(KazakhstanHierarchy("en"))
	assert.Equal(t, "Abai Region", must(en.AtDepth("Semey", 1)))
	assert.Equal(t, "Almaty", must(en.AtDepth("Almaty", 1)))
	assert.Equal(t, "Kazakhstan", must(en.Generalize("Semey", 2)))
	assert.Equal(t, "Jetisu Region", must(en.AtDepth("Taldykorgan", 1)), "after 2022")
	r, ok := KazakhstanRegionOf("Өскемен")
	assert.True(t, ok)
	assert.Equal(t, "KZ-63", r.Code)
	r, ok = KazakhstanRegionOf("шымкент")
	assert.True(t, ok)
	assert.True(t, r.City)
	_, err := KazakhstanHierarchy("de")
	assert.ErrorIs(t, err, ErrGeneralizer)
}

func TestReadHierarchy(t *testing.T) {
	h, err := ReadHierarchy(strings.NewReader("# city,region,country\nSemey,Abai Region,Kazakhstan\nAstana,Kazakhstan\n"))
	require.NoError(t, err)
	assert.Equal(t, "Abai Region", must(h.AtDepth("Semey", 1)))
	_, err = ReadHierarchy(strings.NewReader("a,\"b\n"))
	assert.ErrorIs(t, err, ErrGeneralizer)
}

func FuzzReadHierarchy(f *testing.F) {
	f.Add("Semey,Abai Region,Kazakhstan\nAstana,Kazakhstan\n")
	f.Add("a,b,r\nb,a,r\n")
	f.Add("a,A,r\na,B,r\n")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ReadHierarchy(strings.NewReader(s))
		if err != nil {
			return
		}
		// Every value of an accepted hierarchy walks up to the root.
		for v := range h.parent {
			p, err := h.Path(v)
			require.NoError(t, err)
			require.Equal(t, h.root, p[len(p)-1])
			require.LessOrEqual(t, len(p), len(h.parent))
		}
	})
}
