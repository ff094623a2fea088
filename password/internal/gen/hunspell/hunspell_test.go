package hunspell

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadAndForms(t *testing.T) {
	d, err := Read("testdata/t.dic", "testdata/t.aff")
	require.NoError(t, err)
	require.Equal(t, []Stem{{"любимый", "A"}, {"кот", "A"}, {"мама", ""}, {"соль", "AB"}}, d.Stems)
	for _, tc := range []struct {
		stem Stem
		want []string
	}{
		{d.Stems[0], []string{"любимая"}},                // ый → ая; the vowel-final condition fails
		{d.Stems[1], []string{"коты"}},                   // 0 → ы after a consonant
		{d.Stems[2], nil},                                // no flags
		{d.Stems[3], []string{"сольы", "соли", "сольм"}}, // ь is no vowel; ь → и (continuation flags ignored); B adds м
	} {
		assert.Equal(t, tc.want, d.Forms(tc.stem), tc.stem.Word)
	}
}

func TestReadErrors(t *testing.T) {
	_, err := Read("testdata/missing.dic", "testdata/t.aff")
	assert.Error(t, err)
	_, err = Read("testdata/t.dic", "testdata/missing.aff")
	assert.Error(t, err)
}
