package pii

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hostile shapes: every place a field tagged for encryption could stay in
// clear is an error naming the field, never a silent skip.

type hideUnexported struct {
	Name  string `pii:"name,encrypt"`
	email string `pii:"email,encrypt"`
}

type hideUnexportedIndex struct {
	Phone string `pii:"phone,index=idx"`
	idx   string
}

type hideAny struct {
	Name string `pii:"name,encrypt"`
	Meta any
}

type hideSlice struct {
	Name  string `pii:"name,encrypt"`
	Items []any
}

type hideMap struct {
	Name string `pii:"name,encrypt"`
	Ext  map[string]any
}

type hideArray struct {
	Name string `pii:"name,encrypt"`
	Pair [2]any
}

type hidePtrAny struct {
	Name string `pii:"name,encrypt"`
	P    *any
}

type hideInner struct {
	Name  string `pii:"name,encrypt"`
	Inner struct{ X []map[int]any }
}

type hideUnexportedAny struct {
	Name string `pii:"name,encrypt"`
	meta any
}

type hideOptOut struct {
	Name string `pii:"name,encrypt"`
	Meta any    `pii:"-"`
	note string `pii:"-"`
}

type hideUnexportedNested struct {
	contact *Contact
	Name    string `pii:"name,encrypt"`
}

type hideUnexportedSlice struct {
	contacts []Contact
	Name     string `pii:"name,encrypt"`
}

type hideStringer interface{ String() string }

type hideIface struct {
	Name string `pii:"name,encrypt"`
	S    hideStringer
}

type hideTaggedStringer struct {
	Email string `pii:"email,encrypt"`
}

func (hideTaggedStringer) String() string { return "x" }

func TestSealRefusesHostileShapes(t *testing.T) {
	_, enc := newTestEncryptor(t)
	contact := Contact{Email: "a@b.kz"}
	var inner any = any(contact)
	deep := any(contact)
	for range 100 {
		deep = []any{deep}
	}
	cyclic := make([]any, 1)
	cyclic[0] = cyclic
	hi := hideInner{Name: "n"}
	hi.Inner.X = []map[int]any{{3: &contact}}
	for name, tc := range map[string]struct {
		ptr   any
		field string // FieldError.Field
	}{
		"unexported tagged":             {&hideUnexported{Name: "n", email: "a@b.kz"}, "email"},
		"unexported index field":        {&hideUnexportedIndex{Phone: "+77010000000", idx: "x"}, "Phone"},
		"unexported struct to seal":     {&hideUnexportedNested{contact: &contact}, "contact"},
		"unexported slice of structs":   {&hideUnexportedSlice{contacts: []Contact{contact}}, "contacts"},
		"interface in interface":        {&hideAny{Name: "n", Meta: &inner}, "Meta.(pii.Contact)"},
		"pointer in interface":          {&hideAny{Name: "n", Meta: &contact}, "Meta.(*pii.Contact)"},
		"slice of structs in interface": {&hideAny{Name: "n", Meta: []Contact{}}, "Meta.([]pii.Contact)"},
		"[]any":                         {&hideSlice{Name: "n", Items: []any{1, "x", contact}}, "Items[2].(pii.Contact)"},
		"map of any":                    {&hideMap{Name: "n", Ext: map[string]any{"c": contact}}, "Ext[…].(pii.Contact)"},
		"array of any":                  {&hideArray{Name: "n", Pair: [2]any{nil, contact}}, "Pair[1].(pii.Contact)"},
		"pointer to any":                {&hidePtrAny{Name: "n", P: &inner}, "P.(pii.Contact)"},
		"struct holding a map of any":   {&hi, "Inner.X[0][…].(*pii.Contact)"},
		"unexported any":                {&hideUnexportedAny{Name: "n", meta: contact}, "meta.(pii.Contact)"},
		"named interface":               {&hideIface{Name: "n", S: hideTaggedStringer{Email: "a@b.kz"}}, "S.(pii.hideTaggedStringer)"},
		"too deep":                      {&hideAny{Name: "n", Meta: deep}, "Meta"},
		"cycle":                         {&hideSlice{Name: "n", Items: cyclic}, "Items"},
	} {
		t.Run(name, func(t *testing.T) {
			for op, f := range map[string]func(any, string) error{"Seal": enc.Seal, "Open": enc.Open} {
				var fe *FieldError
				err := f(tc.ptr, "1")
				require.ErrorAs(t, err, &fe, op)
				assert.ErrorIs(t, err, ErrInvalid, op)
				assert.Equal(t, tc.field, fe.Field, op)
				assert.NotContains(t, err.Error(), "a@b.kz", op)
			}
		})
	}
	ok := hideOptOut{Name: "n", Meta: contact, note: "x"}
	require.NoError(t, enc.Seal(&ok, "1"), `pii:"-" opts out`)
	require.NoError(t, enc.Seal(&hideAny{Name: "n", Meta: []any{1, "x", map[string]int{}}}, "1"), "nothing to seal inside")
}

// TestSealRandomShapes nests a struct with fields to seal at a random place
// of a random tree of interfaces, slices and maps: Seal must refuse it, and
// accept the same tree without it.
func TestSealRandomShapes(t *testing.T) {
	_, enc := newTestEncryptor(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var build func(depth int, plant *bool) any
	build = func(depth int, plant *bool) any {
		if depth == 0 || rng.IntN(4) == 0 {
			if *plant {
				*plant = false
				if rng.IntN(2) == 0 {
					return &Contact{Email: "a@b.kz"}
				}
				return Contact{Email: "a@b.kz"}
			}
			return strings.Repeat("x", rng.IntN(3))
		}
		switch rng.IntN(4) {
		case 0:
			s := make([]any, 1+rng.IntN(3))
			for i := range s {
				s[i] = build(depth-1, plant)
			}
			return s
		case 1:
			m := map[int]any{}
			for i := range 1 + rng.IntN(3) {
				m[i] = build(depth-1, plant)
			}
			return m
		case 2:
			v := build(depth-1, plant)
			return &v
		default:
			return [1]any{build(depth-1, plant)}
		}
	}
	for i := range 500 {
		plant := true
		v := build(1+rng.IntN(8), &plant)
		err := enc.Seal(&hideAny{Name: "n", Meta: v}, "1")
		if plant { // not planted: the tree ended before a leaf took it
			require.NoError(t, err, "tree %d", i)
			continue
		}
		var fe *FieldError
		require.ErrorAs(t, err, &fe, "tree %d", i)
		assert.True(t, strings.HasPrefix(fe.Field, "Meta"), fe.Field)
	}
}

// Fields of standard library types are not walked: their interface fields
// (a logger's handler, a database's driver) hold no records to seal.
type withStdFields struct {
	ID      string
	Email   string `pii:"email,encrypt"`
	Created time.Time
	DB      *sql.DB
	Log     *slog.Logger
	Ctx     context.Context
	W       io.Writer
	//lint:ignore U1000 only its type is inspected
	mu sync.Mutex
}

type ctxKey struct{}

func TestSealStandardLibraryFields(t *testing.T) {
	_, enc := newTestEncryptor(t)
	var buf bytes.Buffer
	ctx := context.WithValue(context.Background(), ctxKey{}, Contact{Email: "x@y.kz"})
	u := withStdFields{ID: "1", Email: "a@b.kz", Created: time.Now(), Log: slog.New(slog.NewJSONHandler(&buf, nil)), Ctx: ctx, W: &buf}
	require.NoError(t, enc.Seal(&u, u.ID))
	assert.True(t, IsToken(u.Email))
	require.NoError(t, enc.Open(&u, u.ID))
	assert.Equal(t, "a@b.kz", u.Email)
	// A tagged struct held directly in an interface field is still refused.
	u.W = nil
	u.Ctx = nil
	var fe *FieldError
	bad := struct {
		_ struct{} `pii:"table=std"`
		X io.Writer
		V any
	}{V: Contact{Email: "a@b.kz"}}
	require.ErrorAs(t, enc.Seal(&bad, "1"), &fe)
	assert.Equal(t, "V.(pii.Contact)", fe.Field)
}

// Types that hold themselves through slices, maps or pointers alone, with
// no struct on the way: every walk of a type is bounded, so Seal, Open and
// the minimisation checks return instead of looping or overflowing the
// stack.
type (
	selfSlice []selfSlice
	selfMap   map[string]selfMap
	selfPtr   *selfPtr
	selfAny   []any
)

type selfHolder struct {
	Name  string `pii:"name,encrypt"`
	Email string // undeclared, named for personal data
	L     selfSlice
	M     selfMap
	P     selfPtr
	A     selfAny
}

func TestSelfReferentialTypes(t *testing.T) {
	_, enc := newTestEncryptor(t)
	a := selfAny{nil}
	a[0] = a // a cycle through an interface value
	for name, v := range map[string]*selfHolder{
		"zero":    {Name: "Aliya"},
		"nesting": {Name: "Aliya", L: selfSlice{{{}}, nil}, M: selfMap{"k": {"k": nil}}},
		"cycle":   {Name: "Aliya", A: a},
	} {
		t.Run(name, func(t *testing.T) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				err := enc.Seal(v, "1")
				if name == "cycle" {
					assert.ErrorIs(t, err, ErrInvalid, "too deep to check")
					return
				}
				// assert, not require: FailNow belongs to the test's goroutine.
				if !assert.NoError(t, err) || !assert.NoError(t, enc.Open(v, "1")) {
					return
				}
				assert.Equal(t, "Aliya", v.Name)
				fields, err := Undeclared(v)
				assert.NoError(t, err)
				assert.Equal(t, []string{"Email"}, fieldNames(fields))
				assert.ErrorIs(t, CheckMinimal(v, CategoryName), ErrNotMinimal)
			}()
			select {
			case <-done:
			case <-time.After(time.Minute): // a denial-of-service ceiling, far above the microseconds it takes
				t.Fatal("the walk does not end")
			}
		})
	}
}
