package password

import "context"

// CommonPasswords returns a BreachChecker over the common-password lists
// embedded in this package: zxcvbn's 7,141 most common passwords, those of
// Russian and Kazakh speakers, and a multilingual list of leaked passwords.
// A password is found when, spelled as the estimator spells every reading
// (lower case, in any script or romanisation), it equals an entry as typed,
// with l33t undone, or as typed on another keyboard layout ("йцукен" is
// "qwerty"). It does no I/O, fails only when ctx is already done, and is
// safe for concurrent use.
//
// DefaultPolicy and NISTPolicy already refuse these passwords (Code Common);
// use CommonPasswords as Policy.Breach where no breach corpus is available,
// or to screen existing passwords.
func CommonPasswords() BreachChecker { return commonChecker{} }

type commonChecker struct{}

func (commonChecker) Breached(ctx context.Context, password string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if len(password) > DefaultMaxLength*4*2 {
		return false, nil // longer than any entry
	}
	return isCommon(prepare(password)), nil
}

// isCommon reports whether rs, prepared, is a common password in any of the
// variants the estimator builds.
func isCommon(rs []rune) bool {
	if len(rs) == 0 {
		return false
	}
	a := newAnalyzer(loadMatcher(), rs)
	a.buildVariants()
	return a.common()
}
