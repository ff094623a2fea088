package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"strconv"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The handler keeps the slog.Handler contract.
func TestRedactingHandlerConformance(t *testing.T) {
	var buf bytes.Buffer
	newHandler := func(*testing.T) slog.Handler {
		buf.Reset()
		return NewHandler(slog.NewJSONHandler(&buf, nil))
	}
	result := func(t *testing.T) map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
		return m
	}
	slogtest.Run(t, newHandler, result)
}

type user struct{ email string }

func (u user) LogValue() slog.Value {
	return slog.GroupValue(slog.String("contact", u.email), slog.String("email", u.email))
}

type stringer struct{}

func (stringer) String() string { return "id 860110300125" }

func logJSON(t *testing.T, f func(l *slog.Logger)) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	l := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	f(l)
	var m map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m), buf.String())
	assert.NotContains(t, buf.String(), "alice@example.kz")
	assert.NotContains(t, buf.String(), "4111111111111111")
	assert.NotContains(t, buf.String(), "860110300125")
	assert.NotContains(t, buf.String(), "Seitkali")
	assert.NotContains(t, buf.String(), "Abay")
	delete(m, "time")
	return m
}

func TestRedactingHandler(t *testing.T) {
	m := logJSON(t, func(l *slog.Logger) {
		l = l.With("session_email", "alice@example.kz", slog.Group("req", "note", "from alice@example.kz"))
		l = l.WithGroup("g").With("iin", 860110300125)
		l.Info("login by alice@example.kz",
			"attempts", 3,
			"ok", true,
			"comment", "card 4111111111111111 declined",
			"user", user{"alice@example.kz"},
			"err", errors.New("no user alice@example.kz"),
			"ref", stringer{},
			"big", int64(860110300125),
			"counter", int64(123456789012345),
			"payload", map[string]string{"to": "alice@example.kz"},
			"plain", map[string]int{"n": 1},
			slog.Group("customer", "first_name", "Aigerim", "lastName", "Seitkali", "phone", "+7 701 123 45 67", "cardNumber", "4111111111111111"),
			slog.Group("address", "street", "Abay 1", "city", "Almaty"),
			"birth_date", time.Date(1986, 1, 10, 0, 0, 0, 0, time.UTC),
			"iban", "KZ86125KZT5004100100",
			"hostname", "web-1",
		)
	})
	want := map[string]any{
		"level":         "INFO",
		"msg":           "login by a***@example.kz",
		"session_email": "a***@example.kz",
		"req":           map[string]any{"note": "from a***@example.kz"},
		"g": map[string]any{
			"iin":      "**********25",
			"attempts": 3.0,
			"ok":       true,
			"comment":  "card 411111******1111 declined",
			"user":     map[string]any{"contact": "a***@example.kz", "email": "a***@example.kz"},
			"err":      "no user a***@example.kz",
			"ref":      "id **********25",
			"big":      "**********25",
			"counter":  123456789012345.0,
			"payload":  map[string]any{"to": "a***@example.kz"},
			"plain":    map[string]any{"n": 1.0},
			"customer": map[string]any{
				"first_name": "A***", "lastName": "S***", "phone": "+7 701 *** ** 67", "cardNumber": "411111******1111",
			},
			"address":    map[string]any{"street": masked, "city": masked},
			"birth_date": masked,
			"iban":       "KZ86************0100",
			"hostname":   "web-1",
		},
	}
	assert.Equal(t, want, m)
}

func TestRedactingHandlerNil(t *testing.T) {
	h := NewHandler(nil)
	assert.False(t, h.Enabled(context.Background(), slog.LevelError))
	assert.NoError(t, h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelInfo, "x", 0)))
	assert.Same(t, h, h.WithGroup(""))
}

type logAddress struct {
	Street string `pii:"address"`
	Note   string
}

type logUser struct {
	ID       int
	FullName string `pii:"name,encrypt"`
	Email    string `pii:"email"`
	Bio      string
	Home     logAddress
	Next     *logUser
	hidden   string
}

// A struct whose type declares personal data is logged as a group with its
// tagged fields masked, even when they hold nothing Scan would find.
func TestRedactingHandlerTaggedStruct(t *testing.T) {
	u := &logUser{ID: 7, FullName: "Aigerim Seitkali", Email: "alice@example.kz", Bio: "call 87011234567",
		Home: logAddress{Street: "Abay 10", Note: "iin 860110300125"}, hidden: "x"}
	u.Next = u // a cycle must not hang the handler
	m := logJSON(t, func(l *slog.Logger) { l.Info("user", "u", u) })
	got := m["u"].(map[string]any)
	assert.Equal(t, "A*** S***", got["FullName"])
	assert.Equal(t, "a***@example.kz", got["Email"])
	assert.Equal(t, "call 8701*****67", got["Bio"])
	assert.Equal(t, map[string]any{"Street": masked, "Note": "iin **********25"}, got["Home"])
	assert.Equal(t, 7.0, got["ID"])
	assert.NotContains(t, got, "hidden")
	// Deep in the cycle the value is masked whole, never printed with %+v.
	deep, levels := got, 0
	for {
		next, ok := deep["Next"].(map[string]any)
		if !ok {
			break
		}
		deep, levels = next, levels+1
	}
	assert.Equal(t, masked, deep["Next"])
	assert.Less(t, levels, maxLogDepth)

	m = logJSON(t, func(l *slog.Logger) {
		l.Info("users", "list", []logUser{{FullName: "Aigerim Seitkali"}}, "byID", map[string]*logUser{"a": {Email: "alice@example.kz"}})
	})
	assert.Equal(t, "A*** S***", m["list"].(map[string]any)["0"].(map[string]any)["FullName"])
	assert.Equal(t, "a***@example.kz", m["byID"].(map[string]any)["a"].(map[string]any)["Email"])
}

// summary is a Stringer that shows less than its exported fields.
type summary struct {
	ID    int
	Email string
}

func (s summary) String() string { return "user " + strconv.Itoa(s.ID) }

type plainHolder struct {
	Owner *summary // JSON follows the pointer; %+v prints an address
	Raw   json.RawMessage
	Scan  [12]byte
	Count float64
	note  string
}

// What the next handler receives is what was checked, whatever its format:
// values reached through pointers, raw JSON, byte arrays and numbers logged
// as floats are redacted, and Stringers are passed on as their text.
func TestRedactingHandlerNoLeakByFormat(t *testing.T) {
	var scan [12]byte
	copy(scan[:], "860110300125")
	h := plainHolder{
		Owner: &summary{ID: 7, Email: "alice@example.kz"},
		Raw:   json.RawMessage(`{"email":"alice@example.kz"}`),
		Scan:  scan,
		Count: 87011234567,
		note:  "860110300125",
	}
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(NewHandler(newHandler(&buf)))
			l.Info("x", "h", h, "hp", &h, "s", summary{ID: 7, Email: "alice@example.kz"},
				"list", []any{&h, map[string]*summary{"k": h.Owner}}, "phone_as_float", 87011234567.0)
			out := buf.String()
			for _, secret := range []string{"alice@example.kz", "860110300125", "87011234567", "0xc"} {
				assert.NotContains(t, out, secret)
			}
			assert.Contains(t, out, "user 7")
		})
	}
}

// Attributes under a WithGroup whose name is a category are masked for it,
// and keys and group names are redacted like values.
func TestRedactingHandlerGroupCategory(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	l.WithGroup("customer_address").With("line1", "Abay 10").Info("x", "city", "Almaty")
	l.WithGroup("alice@example.kz").Info("y", "860110300125", "v")
	out := buf.String()
	assert.Contains(t, out, `"customer_address":{"line1":"****","city":"****"}`)
	assert.Contains(t, out, `"a***@example.kz":{"**********25":"v"}`)
	assert.NotContains(t, out, "alice@example.kz")
	assert.NotContains(t, out, "860110300125")
}

type node struct {
	Name     string `pii:"name"`
	Parent   *node
	Children []*node
}

// A value with many paths back into itself is cut short, not walked
// exponentially.
func TestRedactingHandlerBounded(t *testing.T) {
	root := &node{Name: "Aigerim Seitkali"}
	for range 20 {
		root.Children = append(root.Children, &node{Name: "Abay Kunanbayev", Parent: root})
	}
	for _, c := range root.Children {
		c.Children = root.Children
	}
	var buf bytes.Buffer
	l := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	l.Info("tree", "root", root)
	assert.Less(t, buf.Len(), 64<<10)
	assert.NotContains(t, buf.String(), "Seitkali")
	assert.NotContains(t, buf.String(), "Abay")
	assert.Contains(t, buf.String(), `"Name":"A*** S***"`)
}

type panicky struct{ Name string }

func (p *panicky) String() string { return p.Name }

type failing struct{}

func (failing) Error() string { panic("boom") }

// Methods called on logged values never make the handler panic.
func TestRedactingHandlerNoPanic(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	require.NotPanics(t, func() {
		l.Info("x", "nilptr", (*panicky)(nil), "err", failing{}, "phone", (*panicky)(nil))
	})
	var m map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
	assert.Nil(t, m["nilptr"])
	assert.Contains(t, m, "nilptr")
	assert.Equal(t, masked, m["err"])
}

// Attributes, map keys and struct fields named in Russian or Kazakh are
// masked as their English names are.
func TestRedactingHandlerRussianKazakhKeys(t *testing.T) {
	type клиент struct {
		Имя       string
		Фамилия   string
		Телефон   string
		Сообщение string
	}
	m := logJSON(t, func(l *slog.Logger) {
		l.Info("заявка",
			"ФИО", "Seitkali Aigerim",
			"Аты-жөні", "Сейтқали Әйгерім",
			"ЖСН", "860110300125",
			"Телефон", "+7 701 123 4567",
			"Мекенжай", "Abay 10",
			"эл_почта", "alice@example.kz",
			"номер_карты", "4111111111111111",
			"familiya", "Seitkali",
			"Статус", "ok",
			slog.Any("поля", map[string]string{"отчество": "Нурлановна", "город": "Алматы"}),
			slog.Any("клиент", клиент{Имя: "Әйгерім", Фамилия: "Сейтқали", Телефон: "87011234567", Сообщение: "привет"}),
		)
	})
	assert.Equal(t, "S*** A***", m["ФИО"])
	assert.Equal(t, "С*** Ә***", m["Аты-жөні"])
	assert.Equal(t, "**********25", m["ЖСН"])
	assert.Equal(t, "+7 701 *** **67", m["Телефон"])
	assert.Equal(t, "****", m["Мекенжай"])
	assert.Equal(t, "a***@example.kz", m["эл_почта"])
	assert.Equal(t, "ok", m["Статус"])
	assert.Equal(t, map[string]any{"отчество": "Н***", "город": "Алматы"}, m["поля"])
	assert.Equal(t, map[string]any{"Имя": "Ә***", "Фамилия": "С***", "Телефон": "8701*****67", "Сообщение": "привет"}, m["клиент"])
}

// URLs and query values are logged redacted, encoded forms included, and
// without the password of their userinfo.
func TestRedactingHandlerURLs(t *testing.T) {
	u, err := url.Parse("https://svc:hunter2@1cb.kz/lots/7?contact=alice%40example.kz&tel=%2B77011234567&lot=7")
	require.NoError(t, err)
	var buf bytes.Buffer
	l := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	l.Info("request", "url", u, "u2", *u, "user", u.User, "query", u.Query(),
		"form", url.Values{"ФИО": {"Серикова Алия"}, "q": {"860110300125"}, "page": {"2"}})
	out := buf.String()
	for _, secret := range []string{"hunter2", "alice", "1234567", "860110300125", "Серикова", "Алия"} {
		assert.NotContains(t, out, secret)
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
	assert.Equal(t, "https://svc:x***@1cb.kz/lots/7?contact=a***%40example.kz&tel=%2B7701*****67&lot=7", m["url"])
	assert.Equal(t, "svc:xxxxx", m["user"])
	assert.Equal(t, map[string]any{"page": map[string]any{"0": "2"}, "q": map[string]any{"0": "**********25"}, "ФИО": map[string]any{"0": "С*** А***"}}, m["form"])
}

// A blank field that declares a table is not logged.
func TestRedactingHandlerDeclaredTable(t *testing.T) {
	type row struct {
		_     struct{} `pii:"table=users"`
		Email string   `pii:"email,encrypt"`
		Lot   int
	}
	var buf bytes.Buffer
	slog.New(NewHandler(slog.NewJSONHandler(&buf, nil))).Info("x", "row", row{Email: "alice@example.kz", Lot: 7})
	var m map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
	assert.Equal(t, map[string]any{"Email": "a***@example.kz", "Lot": float64(7)}, m["row"])
}
