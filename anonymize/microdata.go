package anonymize

import (
	"fmt"
	"iter"
	"slices"
)

// MicrodataReport is the result of CheckMicrodata.
type MicrodataReport struct {
	// Rows is the number of records checked, Classes the number of
	// equivalence classes (records sharing all quasi-identifier values).
	Rows, Classes int
	// MinClass is the size of the smallest class, MinDistinct the smallest
	// number of distinct sensitive values in a class, saturated at l (0
	// without a sensitive attribute).
	MinClass, MinDistinct int
	// SmallClasses lists the quasi-identifier values of the classes with
	// fewer than k records; Homogeneous those with fewer than l distinct
	// sensitive values. Both are sorted.
	SmallClasses, Homogeneous [][]string
}

// OK reports whether the data is k-anonymous and distinct l-diverse.
func (r *MicrodataReport) OK() bool { return len(r.SmallClasses) == 0 && len(r.Homogeneous) == 0 }

// CheckMicrodata checks record-level data before it leaves (a file of
// generalised bids for a partner, say) for k-anonymity over the given
// quasi-identifiers (every combination of their values is shared by at
// least k records) and, if sensitive is not nil, distinct l-diversity
// (every such class holds at least l distinct sensitive values, so that
// membership in a class does not reveal the sensitive value). Each record
// counts once: if a person has several records, pass one per person or
// aggregate first. It returns an error wrapping ErrDisclosive when the data
// fails, along with the report, whose class keys are generalised values.
func CheckMicrodata[T any](records iter.Seq[T], quasi []Dimension[T], sensitive func(T) string, k, l int) (*MicrodataReport, error) {
	if k < 2 || (sensitive != nil && l < 2) {
		return nil, specError("k-anonymity needs k >= 2 and l-diversity l >= 2")
	}
	if len(quasi) == 0 {
		return nil, specError("no quasi-identifiers")
	}
	for i, q := range quasi {
		if q.Key == nil {
			return nil, specError("quasi-identifier %d has a nil key function", i)
		}
	}
	type class struct {
		key    []string
		n      int
		values map[string]struct{}
	}
	classes := map[string]*class{}
	rep := &MicrodataReport{}
	key := make([]string, len(quasi))
	for rec := range records {
		rep.Rows++
		for i, q := range quasi {
			key[i] = q.Key(rec)
		}
		jk := joinKey(key)
		c := classes[jk]
		if c == nil {
			c = &class{key: slices.Clone(key), values: map[string]struct{}{}}
			classes[jk] = c
		}
		c.n++
		if sensitive != nil && len(c.values) < l {
			c.values[sensitive(rec)] = struct{}{}
		}
	}
	rep.Classes = len(classes)
	first := true
	for _, c := range classes {
		d := len(c.values)
		if first {
			rep.MinClass, rep.MinDistinct, first = c.n, d, false
		}
		rep.MinClass, rep.MinDistinct = min(rep.MinClass, c.n), min(rep.MinDistinct, d)
		if c.n < k {
			rep.SmallClasses = append(rep.SmallClasses, c.key)
		}
		if sensitive != nil && d < l {
			rep.Homogeneous = append(rep.Homogeneous, c.key)
		}
	}
	byKey := func(a, b []string) int { return compareKeys(a, b) }
	slices.SortFunc(rep.SmallClasses, byKey)
	slices.SortFunc(rep.Homogeneous, byKey)
	if !rep.OK() {
		return rep, fmt.Errorf("%w: %d classes below k=%d, %d classes below l=%d",
			ErrDisclosive, len(rep.SmallClasses), k, len(rep.Homogeneous), l)
	}
	return rep, nil
}
