package anonymize

import "errors"

// Sentinel errors. Errors returned by this package wrap one of them, so that
// callers can branch with errors.Is; none of them ever carries a subject, a
// dimension value or an amount.
var (
	// ErrSpec reports an invalid Spec.
	ErrSpec = errors.New("anonymize: invalid spec")
	// ErrRow reports a row that Add refused (empty subject, NaN or infinite
	// value, negative value under a dominance rule, a dimension value equal
	// to Total, overflow). The aggregator remembers the first such error and
	// Release returns it: a release never silently drops rows.
	ErrRow = errors.New("anonymize: invalid row")
	// ErrIncompatible reports a Merge or UnmarshalBinary between aggregators
	// built from different specs or different fingerprint keys.
	ErrIncompatible = errors.New("anonymize: incompatible aggregators")
	// ErrPartial reports a malformed or tampered partial state.
	ErrPartial = errors.New("anonymize: malformed partial state")
	// ErrDisclosive reports a released table that fails verification.
	ErrDisclosive = errors.New("anonymize: table is disclosive")
	// ErrNotDecomposable reports tables that Verify cannot audit
	// together: their dimension sets form a cycle (region×month,
	// month×age and age×region, say), so the full-dimensional table they
	// are margins of bounds their cells in ways their union does not
	// show. Verify the table over all their dimensions instead.
	ErrNotDecomposable = errors.New("anonymize: tables' dimension sets are not decomposable")
	// ErrUnaudited reports a table that could not be audited: the reader's
	// linear program couples more than 4,000 suppressed cells, the
	// solver failed, or exact arithmetic would overflow. Nothing is
	// released unaudited.
	ErrUnaudited = errors.New("anonymize: table could not be audited")
	// ErrHistory reports a release that does not match the history it
	// follows: the earlier table is not the rows before those added.
	ErrHistory = errors.New("anonymize: inconsistent release history")
	// ErrGeneralizer reports an invalid generaliser definition or a value a
	// hierarchy does not know.
	ErrGeneralizer = errors.New("anonymize: invalid generaliser")
)
