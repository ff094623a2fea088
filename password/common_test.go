package password

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCommonPasswords(t *testing.T) {
	c := CommonPasswords()
	ctx := context.Background()
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
		got, err := c.Breached(ctx, pw)
		require.NoError(t, err)
		assert.Equal(t, want, got, pw)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := c.Breached(cctx, "password")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestCommonPasswordsAsBreachChecker(t *testing.T) {
	p := Policy{Breach: CommonPasswords()}
	ctx := context.Background()
	assert.ElementsMatch(t, []Code{Breached}, codes(t, p.Check(ctx, "Pa$$word")))
	assert.NoError(t, p.Check(ctx, "xK9#mQ2$pL7!"))
}
