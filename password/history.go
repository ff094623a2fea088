package password

import (
	"context"
	"errors"
)

// inHistory reports whether password matches any of the stored hashes in
// history (argon2id or legacy bcrypt, as Verify accepts), for clause 2.2's
// "do not reuse a recent password", with this Hasher's peppers, computation
// bound and ctx (checked while waiting for each verification). Each entry
// costs one full verification.
//
// It stops at the first match and returns (true, nil). When nothing matches
// and some entries could not be verified (malformed, unsupported, made with
// an unknown pepper), it returns false with those errors joined: a history
// that cannot be checked is reported, never silently passed.
func (h *Hasher) inHistory(ctx context.Context, password string, history []string) (bool, error) {
	if err := h.usable(); err != nil {
		return false, err // once, not once per entry
	}
	var errs []error
	for _, encoded := range history {
		ok, err := h.Verify(ctx, password, encoded)
		if ok {
			return true, nil
		}
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return false, ctxErr
			}
			errs = append(errs, err)
		}
	}
	return false, errors.Join(errs...)
}
