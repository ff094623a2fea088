package pii

import (
	"errors"
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTag(t *testing.T) {
	tests := []struct {
		tag     string
		want    fieldTag
		wantErr bool
	}{
		{tag: "name", want: fieldTag{Category: CategoryName}},
		{tag: "email,encrypt", want: fieldTag{Category: CategoryEmail, Encrypt: true}},
		{tag: "email,encrypt,index=EmailIndex", want: fieldTag{Category: CategoryEmail, Encrypt: true, Index: "EmailIndex"}},
		{tag: "iin,index=IINIdx,encrypt", want: fieldTag{Category: CategoryIIN, Encrypt: true, Index: "IINIdx"}},
		{tag: "phone", want: fieldTag{Category: CategoryPhone}},
		{tag: "payment", want: fieldTag{Category: CategoryPayment}},
		{tag: "address", want: fieldTag{Category: CategoryAddress}},
		{tag: "iban", want: fieldTag{Category: CategoryIBAN}},
		{tag: "birthdate", want: fieldTag{Category: CategoryBirthDate}},
		{tag: "document", want: fieldTag{Category: CategoryDocument}},
		{tag: "ip", want: fieldTag{Category: CategoryIP}},
		{tag: "", wantErr: true},
		{tag: ",encrypt", wantErr: true},
		{tag: "Email", wantErr: true},
		{tag: "email ", wantErr: true},
		{tag: "passport", wantErr: true},
		{tag: "email,", wantErr: true},
		{tag: "email,encrypt,encrypt", wantErr: true},
		{tag: "email,encrypt=true", wantErr: true},
		{tag: "email,index", wantErr: true},
		{tag: "email,index=", wantErr: true},
		{tag: "email,index=A,index=B", wantErr: true},
		{tag: "email,index=1A", wantErr: true},
		{tag: "email,index=A.B", wantErr: true},
		{tag: "email,omitempty", wantErr: true},
		{tag: "-", want: fieldTag{}},
		{tag: "-,encrypt", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			got, err := parseTag(tt.tag)
			if tt.wantErr {
				var te *tagError
				require.ErrorAs(t, err, &te)
				assert.Equal(t, tt.tag, te.Tag)
				assert.Equal(t, fieldTag{}, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestTagErrorIsBounded(t *testing.T) {
	long := "email,index=" + string(make([]byte, 1000))
	_, err := parseTag(long)
	var te *tagError
	require.True(t, errors.As(err, &te))
	assert.Less(t, len(err.Error()), 200)
}

func FuzzParseTag(f *testing.F) {
	for _, s := range []string{"name", "email,encrypt,index=EmailIdx", "iin,index=X", "", ",", "x,y=z", "phone,encrypt,encrypt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		ft, err := parseTag(tag)
		if err != nil {
			if ft != (fieldTag{}) {
				t.Fatalf("non-zero result with error: %+v", ft)
			}
			return
		}
		if tag == "-" {
			return
		}
		if !ft.Category.valid() {
			t.Fatalf("invalid category accepted: %q", ft.Category)
		}
		if ft.Index != "" && !token.IsIdentifier(ft.Index) && !token.IsKeyword(ft.Index) {
			t.Fatalf("bad index accepted: %q", ft.Index)
		}
		// Re-encoding the parsed tag must parse to the same value.
		s := string(ft.Category)
		if ft.Encrypt {
			s += ",encrypt"
		}
		if ft.Index != "" {
			s += ",index=" + ft.Index
		}
		again, err := parseTag(s)
		if err != nil || again != ft {
			t.Fatalf("round trip of %q: %+v, %v", tag, again, err)
		}
	})
}
