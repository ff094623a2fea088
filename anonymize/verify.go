package anonymize

import (
	"fmt"
	"math"
	"strings"
)

// VerifyError lists what a verification found wrong with a table. It wraps
// ErrDisclosive. Problems name cells by their keys (generalised values),
// never by subject.
type VerifyError struct {
	Problems []string
}

func (e *VerifyError) Error() string {
	const max = 5
	p := e.Problems
	more := ""
	if len(p) > max {
		p, more = p[:max], fmt.Sprintf(" (and %d more)", len(e.Problems)-max)
	}
	return "anonymize: table is disclosive: " + strings.Join(p, "; ") + more
}

func (e *VerifyError) Unwrap() error { return ErrDisclosive }

// Verify checks a released table on its own, as a CI gate before anything
// is sent to a partner: K is at least 2; every published cell has at least K
// subjects; suppressed cells carry a reason and no value; with margins,
// every margin is present, published margins add up (rows and every sum),
// and no suppressed cell's value can be derived exactly from the published
// cells (the audit of Release, run again from the keys alone). Dominance
// needs the contributions and is checked by Aggregator.Verify.
func Verify(t *Table) error {
	if t == nil {
		return &VerifyError{Problems: []string{"no table"}}
	}
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if t.K < 2 {
		bad("k is %d", t.K)
	}
	keys := make([][]string, len(t.Cells))
	reasons := make([]Reason, len(t.Cells))
	for i, c := range t.Cells {
		keys[i] = c.Key
		reasons[i] = c.Reason
		switch {
		case len(c.Key) != len(t.Dimensions):
			bad("cell %d has %d key components for %d dimensions", i, len(c.Key), len(t.Dimensions))
		case !t.Margins && containsTotal(c.Key):
			bad("cell %v is a margin in a table without margins", c.Key)
		case c.Suppressed != (c.Reason != NotSuppressed) || c.Reason > Secondary:
			bad("cell %v has suppressed=%v and reason %v", c.Key, c.Suppressed, c.Reason)
		case c.Suppressed && (c.Rows != 0 || c.Subjects != 0 || c.Sums != nil):
			bad("suppressed cell %v carries values", c.Key)
		case !c.Suppressed && c.Subjects < t.K:
			bad("cell %v is published with %d subjects", c.Key, c.Subjects)
		case !c.Suppressed && len(c.Sums) != len(t.Measures):
			bad("cell %v has %d sums for %d measures", c.Key, len(c.Sums), len(t.Measures))
		}
	}
	if len(p) == 0 && t.Margins {
		s, err := newSystem(keys)
		if err != nil {
			return err
		}
		// Rows and every sum are additive along each constraint (Subjects,
		// saturated at K, is not, and takes no part in the system).
		for _, con := range s.cons {
			if !allPublished(t, con) {
				continue
			}
			rows := 0
			sums := make([]float64, len(t.Measures))
			for _, x := range con[1:] {
				rows += t.Cells[x].Rows
				for j, v := range t.Cells[x].Sums {
					sums[j] += v
				}
			}
			parent := &t.Cells[con[0]]
			if rows != parent.Rows {
				bad("margin %v does not add up", parent.Key)
				continue
			}
			for j, v := range parent.Sums {
				if math.Abs(sums[j]-v) > 1e-9*max(1, math.Abs(v)) {
					bad("margin %v: %s does not add up", parent.Key, t.Measures[j])
				}
			}
		}
		det, err := s.audit(reasons)
		if err != nil {
			return err
		}
		for _, d := range det {
			bad("suppressed cell %v is derivable from the published cells", t.Cells[d].Key)
		}
	}
	if len(p) > 0 {
		return &VerifyError{Problems: p}
	}
	return nil
}

// allPublished reports whether every cell of a constraint is published.
func allPublished(t *Table, con []int32) bool {
	for _, x := range con {
		if t.Cells[x].Suppressed {
			return false
		}
	}
	return true
}

func containsTotal(key []string) bool {
	for _, v := range key {
		if v == Total {
			return true
		}
	}
	return false
}

// Verify checks t as the package-level Verify does and, against the data
// in the aggregator, that every published cell exists with exactly its
// counts and sums, has at least K distinct subjects and passes every
// dominance rule, and that no cell of the data is missing from t.
func (a *Aggregator[T]) Verify(t *Table) error {
	if err := Verify(t); err != nil {
		return err
	}
	if a.err != nil {
		return a.err
	}
	rt := a.raw()
	index := make(map[string]*rawCell, len(rt.cells))
	for i := range rt.cells {
		index[joinKey(rt.cells[i].key)] = &rt.cells[i]
	}
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if t.K != rt.k {
		bad("table k %d, spec k %d", t.K, rt.k)
	}
	if len(t.Cells) != len(rt.cells) {
		bad("table has %d cells, data %d", len(t.Cells), len(rt.cells))
	}
	for _, c := range t.Cells {
		rc := index[joinKey(c.Key)]
		if rc == nil {
			bad("cell %v is not in the data", c.Key)
			continue
		}
		if c.Suppressed {
			continue
		}
		if rc.subjects < rt.k {
			bad("cell %v is published with fewer than k subjects", c.Key)
		}
		if int64(c.Rows) != rc.rows {
			bad("cell %v has wrong rows", c.Key)
		}
		for j, sh := range rt.shapes {
			if j < len(c.Sums) && c.Sums[j] != fromFixed(rc.sums[j], sh.decimals) {
				bad("cell %v has a wrong %s", c.Key, sh.name)
			}
			if sh.top() > 0 && dominated(rc.sums[j], rc.top[j], sh) {
				bad("cell %v is published but %s fails its dominance rule", c.Key, sh.name)
			}
		}
	}
	if len(p) > 0 {
		return &VerifyError{Problems: p}
	}
	return nil
}
