package password

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecretNeverPrints(t *testing.T) {
	const value = "hunter2-Пароль"
	s := Secret(value)
	type form struct {
		Login    string
		Password Secret
	}
	f := form{Login: "aigerim", Password: s}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%T"} {
		assert.NotContains(t, fmt.Sprintf(verb, s), "hunter2", verb)
		assert.NotContains(t, fmt.Sprintf(verb, f), "hunter2", verb)
		assert.NotContains(t, fmt.Sprintf(verb, &f), "hunter2", verb)
	}
	assert.Equal(t, redacted, fmt.Sprint(s))
	assert.Equal(t, redacted, s.String())
	assert.Equal(t, value, s.Reveal())

	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Login":"aigerim","Password":"[REDACTED]"}`, string(b))

	type Form struct{ Password Secret }
	b, err = xml.Marshal(Form{s})
	require.NoError(t, err)
	assert.Equal(t, "<Form><Password>[REDACTED]</Password></Form>", string(b))
	b, err = Secret(value).MarshalText()
	require.NoError(t, err)
	assert.Equal(t, redacted, string(b))

	var gobBuf bytes.Buffer
	require.NoError(t, gob.NewEncoder(&gobBuf).Encode(Form{s}))
	assert.NotContains(t, gobBuf.String(), "hunter2", "gob")
	assert.Contains(t, gobBuf.String(), redacted)

	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(h).Info("login", "password", s, "form", f)
	}
	assert.NotContains(t, buf.String(), "hunter2")
	assert.Contains(t, buf.String(), redacted)
}

func TestSecretUnmarshal(t *testing.T) {
	var f struct{ Password Secret }
	require.NoError(t, json.Unmarshal([]byte(`{"Password":"hunter2-Пароль"}`), &f))
	assert.Equal(t, "hunter2-Пароль", f.Password.Reveal())
	// A password sent as another JSON value fails without quoting it.
	for _, body := range []string{`{"Password":12345678}`, `{"Password":["hunter2"]}`, `{"Password":{"hunter2":1}}`, `{"Password":true}`} {
		err := json.Unmarshal([]byte(body), &f)
		require.Error(t, err, body)
		assert.NotContains(t, err.Error(), "12345678", body)
		assert.NotContains(t, err.Error(), "hunter2", body)
	}
}
