package anonymize

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func smallTable(t *testing.T) *Table {
	a := mustAgg(t, bidSpec(3, true))
	add := func(region, age string, n int) {
		for i := range n {
			a.Add(bid{User: fmt.Sprint(region, age, i), Region: region, Age: age, Amount: 100})
		}
	}
	add("=HYPERLINK(1)", "a0", 1) // a formula and a primary suppression
	add("=HYPERLINK(1)", "a1", 4)
	add("r1", "a0", 5)
	add("r1", "a1", 6)
	tab, err := a.Release()
	require.NoError(t, err)
	return tab
}

func suppressedCount(tab *Table) int {
	n := 0
	for _, c := range tab.Cells {
		if c.Suppressed {
			n++
		}
	}
	return n
}

func TestWriteCSV(t *testing.T) {
	tab := smallTable(t)
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, tab))
	assert.Contains(t, buf.String(), "# k=3\n")
	assert.Contains(t, buf.String(), fmt.Sprintf("# suppressed=%d\n", suppressedCount(tab)))
	assert.NotContains(t, buf.String(), "suppressed_", "no count by reason")
	r := csv.NewReader(&buf)
	r.Comment = '#'
	recs, err := r.ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"region", "age", "rows", "subjects", "amount", "status"}, recs[0])
	require.Len(t, recs, 1+len(tab.Cells))
	for i, c := range tab.Cells {
		rec := recs[i+1]
		assert.False(t, strings.HasPrefix(rec[0], "="), "formula neutralised")
		if c.Suppressed {
			assert.Equal(t, []string{"", "", ""}, rec[2:5])
			assert.Equal(t, "suppressed", rec[5])
		} else {
			assert.Equal(t, "published", rec[5])
		}
	}
}

func TestWriteJSON(t *testing.T) {
	tab := smallTable(t)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, tab))
	var out struct {
		Metadata metadata
		Cells    []map[string]any
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &out))
	assert.Equal(t, 3, out.Metadata.K)
	assert.Equal(t, suppressedCount(tab), out.Metadata.Suppressed)
	assert.NotContains(t, buf.String(), "suppressed:", "no reason")
	for i, c := range out.Cells {
		_, hasRows := c["rows"]
		assert.Equal(t, !tab.Cells[i].Suppressed, hasRows)
	}
}

func TestWritersRefuseDisclosiveTables(t *testing.T) {
	for name, mutate := range map[string]func(*Table){
		"values on a suppressed cell": func(tab *Table) {
			for i := range tab.Cells {
				if tab.Cells[i].Suppressed {
					tab.Cells[i].Rows = 1
				}
			}
		},
		"derivable": func(tab *Table) {
			for i := range tab.Cells {
				if tab.Reason(tab.Cells[i].Key) == Secondary {
					tab.Cells[i] = Cell{Key: tab.Cells[i].Key, Rows: 1, Subjects: 3, Sums: []float64{1}}
				}
			}
		},
		"below k": func(tab *Table) { tab.Cells[len(tab.Cells)-1].Subjects = 2 },
	} {
		t.Run(name, func(t *testing.T) {
			tab := smallTable(t)
			mutate(tab)
			var buf bytes.Buffer
			assert.ErrorIs(t, WriteCSV(&buf, tab), ErrDisclosive)
			assert.ErrorIs(t, WriteJSON(&buf, tab), ErrDisclosive)
			assert.Zero(t, buf.Len())
			var ve *VerifyError
			assert.ErrorAs(t, Verify(tab), &ve)
		})
	}
}

// TestWriteHierarchies: both writers say which value is a subtotal of
// which, the CSV in neutralised, quoted comment lines.
func TestWriteHierarchies(t *testing.T) {
	tab := monthTable(true)
	tab.Parents["month"]["=1+1,x"] = "Q2"
	tab.Cells = append(tab.Cells, Cell{Key: []string{"=1+1,x", Total}, Suppressed: true})
	var buf bytes.Buffer
	require.Error(t, WriteCSV(&buf, tab), "the new month lacks its region cells: refused")
	tab = monthTable(true)
	require.NoError(t, WriteCSV(&buf, tab))
	assert.Contains(t, buf.String(), "# parent=month,01,Q1\n")
	assert.Equal(t, 6, strings.Count(buf.String(), "# parent="))
	r := csv.NewReader(&buf)
	r.Comment = '#'
	recs, err := r.ReadAll()
	require.NoError(t, err)
	assert.Len(t, recs, 1+len(tab.Cells))
	buf.Reset()
	require.NoError(t, WriteJSON(&buf, tab))
	var out struct {
		Metadata metadata
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &out))
	assert.Equal(t, tab.Parents, out.Metadata.Parents)
	assert.Equal(t, []string{`"'=1+1,x",Q2,Q2` + "\n"}, parentLines(map[string]map[string]string{`=1+1,x`: {"Q2": "Q2"}}))
}
