package password

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"

	"golang.org/x/text/unicode/norm"
)

// BreachChecker reports whether a password is known to attackers: present in a
// breach corpus. Implementations must be safe for concurrent use and must
// never log or return the password.
//
// This package provides [PwnedFile] (the offline Have I Been Pwned file),
// [HIBPClient] (the Have I Been Pwned range API) and [MultiBreachChecker] to
// consult several. The embedded list of common passwords needs no checker:
// it is [Policy.RejectCommon].
type BreachChecker interface {
	Breached(ctx context.Context, password string) (bool, error)
}

// MultiBreachChecker returns a BreachChecker that consults checkers in order
// and reports true as soon as one does, for instance the offline file, then
// the API. A checker that fails does not stop the others: the result is
// (true, nil) if any later one finds the password, and otherwise (false, err)
// with every failure joined and matching ErrBreachCheck, so the caller can
// still fail closed. Nil
// checkers are skipped. A typed nil is not a nil checker: a nil *PwnedFile
// (left by a failed OpenPwnedFile) fails with ErrBreachCheck rather than
// passing every password, and a nil *HIBPClient works as the zero value.
func MultiBreachChecker(checkers ...BreachChecker) BreachChecker {
	return multiChecker(append([]BreachChecker(nil), checkers...))
}

type multiChecker []BreachChecker

func (m multiChecker) Breached(ctx context.Context, password string) (bool, error) {
	var errs []error
	for _, c := range m {
		if c == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return false, breachFailure(err)
		}
		breached, err := c.Breached(ctx, password)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if breached {
			return true, nil
		}
	}
	return false, breachFailure(errors.Join(errs...))
}

// breachFailure wraps err, the failure of a breach look-up, so that it
// matches ErrBreachCheck (once, however often it is wrapped).
func breachFailure(err error) error {
	if err == nil || errors.Is(err, ErrBreachCheck) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrBreachCheck, err)
}

// mostSeen returns the largest count lookup gives for the forms of password
// (breachForms): how often a breach corpus has seen it.
func mostSeen(password string, lookup func(sum [sha1.Size]byte) (int64, error)) (int64, error) {
	var most int64
	for _, form := range breachForms(password) {
		n, err := lookup(sha1.Sum([]byte(form)))
		if err != nil {
			return 0, breachFailure(err)
		}
		most = max(most, n)
	}
	return most, nil
}

// breachForms returns the strings a breach corpus is searched for: the NFKC
// form, which is what Hash stores and Verify compares, so that "ｐａｓｓｗｏｒｄ"
// (full-width) or a decomposed "й" cannot pass the check and then log in as
// the leaked password; and, when it differs, the password as given, because
// the corpora hash leaked passwords as they were typed. Input longer than
// Hash accepts is not normalised (NFKC may expand it 18-fold): such a
// password can never be stored.
func breachForms(password string) []string {
	if len(password) > maxPasswordLength {
		return []string{password}
	}
	nfkc := norm.NFKC.String(password)
	if nfkc == password {
		return []string{password}
	}
	return []string{nfkc, password}
}
