package password

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

// isCommon reports whether rs, prepared, is a common password in any of the
// variants the estimator builds: what Policy.RejectCommon refuses.
func isCommon(rs []rune) bool {
	if len(rs) == 0 {
		return false
	}
	a := newAnalyzer(loadMatcher(), rs)
	a.buildVariants()
	return a.common()
}

// TestRejectCommon checks the embedded list of common passwords as
// Policy.RejectCommon consults it: as typed, in capitals, with l33t undone,
// on the other keyboard layout, romanised, with Kazakh letters.
func TestRejectCommon(t *testing.T) {
	p := Policy{RejectCommon: true}
	for pw, want := range map[string]bool{
		"password":      true,
		"PASSWORD":      true,
		"p@ssw0rd":      true,
		"qwerty":        true,
		"йцукен":        true,
		"пароль":        true,
		"gfhjkm":        true, // пароль on the Latin layout
		"parol":         true,
		"Қазақстан":     true,
		"xK9#mQ2$pL7!":  false,
		"":              false,
		"password-kX9!": false,
	} {
		var wantCodes []Code
		if want {
			wantCodes = []Code{Common}
		}
		assert.ElementsMatch(t, wantCodes, codes(t, p.Check(context.Background(), pw)), pw)
		assert.Equal(t, want, isCommon(prepare(pw)), pw)
	}
}
