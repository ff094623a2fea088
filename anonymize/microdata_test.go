package anonymize

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type person struct{ Region, Age, Outcome string }

func TestCheckMicrodata(t *testing.T) {
	quasi := []Dimension[person]{
		{Name: "region", Key: func(p person) string { return p.Region }},
		{Name: "age", Key: func(p person) string { return p.Age }},
	}
	outcome := func(p person) string { return p.Outcome }
	data := []person{
		{"KZ-75", "25-34", "won"}, {"KZ-75", "25-34", "lost"}, {"KZ-75", "25-34", "won"},
		{"KZ-71", "25-34", "won"}, {"KZ-71", "25-34", "won"}, {"KZ-71", "25-34", "won"}, // homogeneous
		{"KZ-62", ">=65", "lost"}, // alone
	}
	rep, err := CheckMicrodata(slices.Values(data), quasi, outcome, 3, 2)
	require.ErrorIs(t, err, ErrDisclosive)
	assert.Equal(t, 7, rep.Rows)
	assert.Equal(t, 3, rep.Classes)
	assert.Equal(t, 1, rep.MinClass)
	assert.Equal(t, 1, rep.MinDistinct)
	assert.Equal(t, [][]string{{"KZ-62", ">=65"}}, rep.SmallClasses)
	assert.Equal(t, [][]string{{"KZ-62", ">=65"}, {"KZ-71", "25-34"}}, rep.Homogeneous)

	rep, err = CheckMicrodata(slices.Values(data[:3]), quasi, outcome, 3, 2)
	require.NoError(t, err)
	assert.True(t, rep.OK())
	_, err = CheckMicrodata(slices.Values(data[:6]), quasi, nil, 3, 0)
	require.NoError(t, err, "k-anonymity alone")

	_, err = CheckMicrodata(slices.Values(data), quasi, outcome, 1, 2)
	assert.ErrorIs(t, err, ErrSpec)
	_, err = CheckMicrodata(slices.Values(data), nil, outcome, 3, 2)
	assert.ErrorIs(t, err, ErrSpec)
	_, err = CheckMicrodata(slices.Values(data), []Dimension[person]{{Name: "x"}}, nil, 3, 2)
	assert.ErrorIs(t, err, ErrSpec)
}
