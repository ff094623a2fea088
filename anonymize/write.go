package anonymize

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// metadata is the header of a written table.
type metadata struct {
	K          int      `json:"k"`
	Margins    bool     `json:"margins"`
	Dimensions []string `json:"dimensions"`
	Measures   []string `json:"measures"`
	Rules      []string `json:"rules,omitempty"`
	// Parents says which value is a subtotal of which (Table.Parents).
	Parents    map[string]map[string]string `json:"parents,omitempty"`
	ReleasedAt time.Time                    `json:"released_at"`
	Cells      int                          `json:"cells"`
	Suppressed int                          `json:"suppressed"`
	Method     string                       `json:"method"`
}

const methodNote = "threshold on distinct subjects; dominance rules per measure; " +
	"secondary suppression until no suppressed cell can be derived, pinned or bounded below k " +
	"from the margins and one row per listed cell (hypercube witnesses, exact rational audit)"

// metadata returns the header written with t. It counts the suppressed
// cells without saying why: even the count of threshold cells tells a
// reader, when it is zero, that every hidden cell holds K subjects or more.
func (t *Table) metadata() metadata {
	m := metadata{
		K: t.K, Margins: t.Margins, Dimensions: t.Dimensions, Measures: t.Measures, Rules: t.Rules, Parents: t.Parents,
		ReleasedAt: t.ReleasedAt, Cells: len(t.Cells), Method: methodNote,
	}
	for i := range t.Cells {
		if t.Cells[i].Suppressed {
			m.Suppressed++
		}
	}
	return m
}

// suppressedStatus is the status of every suppressed cell, whatever the
// reason (see Reason).
const suppressedStatus = "suppressed"

// WriteCSV writes t as CSV (RFC 4180): metadata lines starting with "#"
// (read them back with csv.Reader.Comment = '#'; a hierarchical table has
// one "# parent=dimension,value,parent" line per value below the top
// level), a header row, then one row
// per cell with the dimension values, rows, subjects, one column per sum and
// a status column ("published" or "suppressed"); a suppressed cell's value
// columns are empty. Names and dimension values that a spreadsheet would
// take for a formula (leading = + - @ tab or CR), or that a reader with
// Comment = '#' would take for a comment (leading #; csv.Writer does not
// quote them), are prefixed with a quote; so are values that already start
// with one, so that "=A" and "'=A" stay distinct (each gains one quote):
// a reader strips one leading quote.
// WriteCSV runs Verify first and writes nothing if t fails it.
func WriteCSV(w io.Writer, t *Table) error {
	if err := Verify(t); err != nil {
		return err
	}
	m := t.metadata()
	var b strings.Builder
	fmt.Fprintf(&b, "# k=%d\n# margins=%v\n# released_at=%s\n# cells=%d\n# suppressed=%d\n",
		m.K, m.Margins, m.ReleasedAt.Format(time.RFC3339), m.Cells, m.Suppressed)
	for _, r := range m.Rules {
		fmt.Fprintf(&b, "# rule=%s\n", oneLine(r))
	}
	for _, p := range parentLines(m.Parents) {
		fmt.Fprintf(&b, "# parent=%s", p)
	}
	fmt.Fprintf(&b, "# method=%s\n", m.Method)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := append(append(neutralize(t.Dimensions), "rows", "subjects"), neutralize(t.Measures)...)
	if err := cw.Write(append(header, "status")); err != nil {
		return err
	}
	for _, c := range t.Cells {
		rec := neutralize(c.Key)
		if c.Suppressed {
			for range 2 + len(t.Measures) {
				rec = append(rec, "")
			}
			rec = append(rec, suppressedStatus)
		} else {
			rec = append(rec, strconv.Itoa(c.Rows), strconv.Itoa(c.Subjects))
			for _, s := range c.Sums {
				rec = append(rec, strconv.FormatFloat(s, 'f', -1, 64))
			}
			rec = append(rec, "published")
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// parentLines renders a table's hierarchies for the CSV header, one
// "dimension,value,parent" record per value below the top level, sorted,
// each field neutralised and CSV-quoted.
func parentLines(parents map[string]map[string]string) []string {
	var out []string
	for dim, m := range parents {
		for v, p := range m {
			var b strings.Builder
			cw := csv.NewWriter(&b)
			cw.Write(neutralize([]string{oneLine(dim), oneLine(v), oneLine(p)}))
			cw.Flush()
			out = append(out, b.String())
		}
	}
	slices.Sort(out)
	return out
}

func oneLine(s string) string { return strings.NewReplacer("\n", " ", "\r", " ").Replace(s) }

// neutralize defuses spreadsheet formulas (CSV injection) and comment
// markers: a record whose first field starts with '#' would be skipped.
// A leading quote is quoted too, which keeps distinct values distinct.
func neutralize(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		if v != "" && strings.ContainsRune("=+-@\t\r#'", rune(v[0])) {
			v = "'" + v
		}
		out[i] = v
	}
	return out
}

type jsonCell struct {
	Key      []string  `json:"key"`
	Rows     *int      `json:"rows,omitempty"`
	Subjects *int      `json:"subjects,omitempty"`
	Sums     []float64 `json:"sums,omitempty"`
	Status   string    `json:"status"`
}

// WriteJSON writes t as one JSON object {"metadata": ..., "cells": [...]};
// a suppressed cell has only its key and status ("suppressed").
// WriteJSON runs Verify first and writes nothing if t fails it.
func WriteJSON(w io.Writer, t *Table) error {
	if err := Verify(t); err != nil {
		return err
	}
	out := struct {
		Metadata metadata   `json:"metadata"`
		Cells    []jsonCell `json:"cells"`
	}{Metadata: t.metadata(), Cells: make([]jsonCell, len(t.Cells))}
	for i, c := range t.Cells {
		jc := jsonCell{Key: c.Key, Status: "published"}
		if c.Suppressed {
			jc.Status = suppressedStatus
		} else {
			rows, subjects := c.Rows, c.Subjects
			jc.Rows, jc.Subjects, jc.Sums = &rows, &subjects, c.Sums
		}
		out.Cells[i] = jc
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
