package anonymize

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Total is the key component of a margin cell: the cell ("KZ-ALA", "*",
// "2026-03") sums every value of the second dimension.
const Total = "*"

// defaultK is the threshold used when Spec.K is zero.
const defaultK = 5

// MaxDimensions bounds the number of dimensions of a Spec. A table with more
// dimensions than this has almost every cell below any sensible threshold.
const MaxDimensions = 6

// maxDecimals bounds Measure.Decimals.
const maxDecimals = 6

// KeySize is the size of a fingerprint key (Spec.Key).
const KeySize = 32

// Spec describes a statistical table over rows of type T.
//
// A Spec holds functions and is therefore not comparable; two aggregators
// are compatible (Merge, UnmarshalBinary) when their specs have the same K,
// Margins, dimension names, measure names, decimals, bounds, dominance rules
// and fingerprint key.
type Spec[T any] struct {
	// K is the threshold: a cell is published only when at least K distinct
	// subjects contribute to it. Zero means 5; 1 and negative
	// values are refused.
	K int
	// Subject returns the person a row belongs to (a user id). Counting is
	// by distinct subject, never by row.
	Subject func(T) string
	// Dimensions are the generalised classifying variables, in key order.
	Dimensions []Dimension[T]
	// Measures are the published sums.
	Measures []Measure[T]
	// Margins publishes, beside every cell, the totals over every subset of
	// dimensions and the grand total (key components equal to Total).
	Margins bool
	// Key is the secret key of the subject fingerprints, KeySize bytes. Nil
	// draws a random key for each NewAggregator: aggregators that are to be
	// merged must then come from Fork of a common aggregator, or share an
	// explicit Key (workers in different processes). Discard the key after
	// the release: partial states then no longer link to subjects.
	Key []byte

	// Now, if set, is the clock that stamps Table.ReleasedAt; nil means
	// time.Now.
	Now func() time.Time

	// SubjectColumn names the subject column for the PostgreSQL push-down
	// (Query, ReleaseSQL); unused in process.
	SubjectColumn string
}

// Dimension is one classifying variable of a table.
type Dimension[T any] struct {
	// Name is the column name of the dimension in the released table.
	Name string
	// Key returns the (already generalised) value of the row. It must not
	// return Total.
	Key func(T) string
	// Hierarchy, if set, makes the dimension hierarchical (district →
	// region → country, month → quarter → year): Key returns a leaf of
	// the hierarchy, and the table publishes, beside the leaves, the
	// subtotal of every inner value (a region, a quarter), its root being
	// Total. A reader knows that every subtotal is the sum of its
	// children, and Release and Verify protect and audit the cells
	// against all those equations together. It needs Spec.Margins.
	Hierarchy *Hierarchy
	// Column names the text column holding the generalised value, for the
	// PostgreSQL push-down; unused in process.
	Column string
}

// Measure is one published sum.
type Measure[T any] struct {
	// Name is the column name of the sum in the released table.
	Name string
	// Value returns the row's contribution. NaN and infinities are refused.
	Value func(T) float64
	// Bounds, if set, clamps every row's value into [Min, Max] before it is
	// summed (contribution bounding): one outlier bid cannot dominate a sum.
	Bounds *Bounds
	// Decimals is the number of decimal places of the values (0 to 6): 2 for amounts in tenge with tiyn. Values are summed
	// exactly in fixed point at this precision, so that sums do not depend
	// on the order of rows or shards, and the PostgreSQL push-down gives
	// the same digits. A value with more decimals (after Bounds, at 15
	// significant digits) is refused with ErrRow, never rounded: the zero
	// value, 0, accepts whole numbers only.
	Decimals int
	// Dominance lists (n,k) rules: the sum of a cell is sensitive when its
	// N largest contributors hold more than K percent of it.
	Dominance []NK
	// P, when positive, sets the p% rule: the sum of a cell is sensitive when
	// the second-largest contributor can estimate the largest contribution
	// to within P percent, that is when total - x1 - x2 < P/100 * x1.
	P float64
	// Column names the numeric column for the PostgreSQL push-down.
	Column string
}

// Bounds is a clamping interval for a measure.
type Bounds struct{ Min, Max float64 }

// NK is an (n,k) dominance rule: a sum is sensitive when its N largest
// contributors (subjects, after summing each subject's rows) account for
// more than K percent of it.
type NK struct {
	N int
	K float64
}

// topN is the number of largest contributions a measure's rules need.
func topN(rules []NK, p float64) int {
	n := 0
	if p > 0 {
		n = 2
	}
	for _, r := range rules {
		n = max(n, r.N)
	}
	return n
}

// specError is the error of an invalid Spec.
func specError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSpec, fmt.Sprintf(format, args...))
}

// checkShape validates the parts of a spec that do not depend on functions;
// the push-down and the aggregator share it.
func checkShape(k int, dimNames []string, ms []measureShape) (int, error) {
	switch {
	case k == 0:
		k = defaultK
	case k < 2:
		return 0, specError("k must be at least 2, got %d", k)
	case k > 255:
		return 0, specError("k must be at most 255, got %d", k)
	}
	if len(dimNames) == 0 {
		return 0, specError("no dimensions")
	}
	if len(dimNames) > MaxDimensions {
		return 0, specError("%d dimensions, at most %d", len(dimNames), MaxDimensions)
	}
	seen := map[string]bool{}
	for i, n := range dimNames {
		if n == "" {
			return 0, specError("dimension %d has no name", i)
		}
		if seen[n] {
			return 0, specError("duplicate column name %q", n)
		}
		seen[n] = true
	}
	for i, m := range ms {
		if m.name == "" {
			return 0, specError("measure %d has no name", i)
		}
		if seen[m.name] {
			return 0, specError("duplicate column name %q", m.name)
		}
		seen[m.name] = true
		if m.decimals < 0 || m.decimals > maxDecimals {
			return 0, specError("measure %q: decimals %d out of [0,%d]", m.name, m.decimals, maxDecimals)
		}
		if b := m.bounds; b != nil {
			if !finite(b.Min) || !finite(b.Max) || b.Min > b.Max {
				return 0, specError("measure %q: invalid bounds", m.name)
			}
			if !fitsFixed(b.Min, m.decimals) || !fitsFixed(b.Max, m.decimals) {
				return 0, specError("measure %q: bounds too large", m.name)
			}
		}
		for _, r := range m.nk {
			if r.N < 1 || r.N > 16 || !(r.K > 0 && r.K < 100) {
				return 0, specError("measure %q: (n,k) rule needs 1 <= n <= 16 and 0 < k < 100", m.name)
			}
		}
		if !(m.p >= 0 && m.p < 1000) { // also refuses NaN
			return 0, specError("measure %q: p must be in [0,1000)", m.name)
		}
		if (len(m.nk) > 0 || m.p > 0) && m.bounds != nil && m.bounds.Min < 0 {
			return 0, specError("measure %q: dominance rules need non-negative bounds", m.name)
		}
	}
	return k, nil
}

// measureShape is the function-free part of a Measure.
type measureShape struct {
	name     string
	decimals int
	bounds   *Bounds
	nk       []NK
	p        float64
	column   string
}

func (m *Measure[T]) shape() measureShape {
	return measureShape{name: m.Name, decimals: m.Decimals, bounds: m.Bounds, nk: m.Dominance, p: m.P, column: m.Column}
}

func (ms measureShape) top() int { return topN(ms.nk, ms.p) }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

var pow10 = [...]float64{1, 10, 100, 1e3, 1e4, 1e5, 1e6}

// fitsFixed reports whether v scaled to the given decimals fits an int64 with
// room to spare (2^62), so that rounding never overflows.
func fitsFixed(v float64, decimals int) bool {
	return math.Abs(v*pow10[decimals]) < 1<<62
}

// toFixed converts a finite value to fixed point, rounding half away from
// zero the shortest decimal form of v (the digits strconv prints), as
// PostgreSQL rounds a numeric: 1.005 with two decimals is 101, although the
// float64 product 1.005*100 is 100.49999999999999. The caller checks
// fitsFixed.
func toFixed(v float64, decimals int) int64 {
	s := v * pow10[decimals]
	if frac := math.Abs(s - math.Trunc(s)); math.Abs(frac-0.5) > 1e-6 {
		return int64(math.Round(s)) // far from a tie: the float product decides
	}
	return decimalRound(strconv.FormatFloat(v, 'f', -1, 64), decimals)
}

// decimalRound rounds a decimal string ("-1.005") half away from zero to the
// given number of decimals and returns it scaled to an integer.
func decimalRound(s string, decimals int) int64 {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, fracPart, _ := strings.Cut(s, ".")
	for len(fracPart) <= decimals {
		fracPart += "0"
	}
	n, _ := strconv.ParseInt(intPart+fracPart[:decimals], 10, 64)
	if fracPart[decimals] >= '5' {
		n++
	}
	if neg {
		n = -n
	}
	return n
}

// exactFixed converts v to fixed point when it has at most the given
// decimals, and reports false when rounding would change it. v is first
// taken to 15 significant digits, as PostgreSQL converts a float8 to
// numeric, so that 0.1+0.2 counts as 0.3 on both paths.
func exactFixed(v float64, decimals int) (int64, bool) {
	if r := math.Round(v * pow10[decimals]); fromFixed(int64(r), decimals) == v {
		return int64(r), true // the common case: v prints with at most decimals digits
	}
	v15, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return 0, false
	}
	fx := toFixed(v15, decimals)
	return fx, fromFixed(fx, decimals) == v15
}

func fromFixed(v int64, decimals int) float64 {
	return float64(v) / pow10[decimals]
}

// now returns the spec's clock reading.
func (s *Spec[T]) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
