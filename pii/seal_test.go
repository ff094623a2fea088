package pii

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type sealUser struct {
	ID         string
	Name       string `pii:"name,encrypt"`
	Email      string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string
	Phone      string `pii:"phone,encrypt,index=PhoneIdx"`
	PhoneIdx   string
	IIN        string `pii:"iin"` // declared, not encrypted
	Age        int
	note       string `pii:"name"` // unexported and only declared: left alone
}

func TestSealOpen(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := sealUser{ID: "42", Name: "Aliya", Email: " Aliya@Example.KZ", Phone: "8 (701) 234-56-78", IIN: "900101300123", Age: 30, note: "n"}
	require.NoError(t, enc.Seal(&u, u.ID))
	assert.True(t, IsToken(u.Name))
	assert.True(t, IsToken(u.Email))
	assert.True(t, IsToken(u.Phone))
	assert.Equal(t, "900101300123", u.IIN)
	assert.Equal(t, "n", u.note)

	idx, err := enc.BlindIndex("sealUser.EmailIndex", "aliya@example.kz")
	require.NoError(t, err)
	assert.Equal(t, idx, u.EmailIndex, "the host can query with BlindIndex")
	pidx, err := enc.BlindIndex("sealUser.PhoneIdx", "+77012345678")
	require.NoError(t, err)
	assert.Equal(t, pidx, u.PhoneIdx)

	sealed := u
	require.NoError(t, enc.Seal(&u, u.ID), "Seal is idempotent")
	assert.Equal(t, sealed, u)

	require.NoError(t, enc.Open(&u, u.ID))
	assert.Equal(t, "Aliya", u.Name)
	assert.Equal(t, " Aliya@Example.KZ", u.Email)
	assert.Equal(t, "8 (701) 234-56-78", u.Phone)
	assert.Equal(t, sealed.EmailIndex, u.EmailIndex)

	// A row pasted under another id, or a column into another column, fails
	// and leaves the struct untouched.
	moved := sealed
	err = enc.Open(&moved, "43")
	assert.ErrorIs(t, err, ErrDecrypt)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Name", fe.Field)
	assert.Equal(t, sealed, moved)

	swapped := sealed
	swapped.Name, swapped.Email = sealed.Email, sealed.Name
	assert.ErrorIs(t, enc.Open(&swapped, "42"), ErrDecrypt)
}

func TestSealEmptyFields(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := sealUser{ID: "1", Name: "A"}
	require.NoError(t, enc.Seal(&u, "1"))
	assert.Empty(t, u.Email)
	assert.Empty(t, u.EmailIndex)
	require.NoError(t, enc.Open(&u, "1"))
	assert.Equal(t, "A", u.Name)
}

func TestSealBadTargets(t *testing.T) {
	_, enc := newTestEncryptor(t)
	var nilUser *sealUser
	n := 3
	for name, target := range map[string]any{
		"nil":             nil,
		"nil pointer":     nilUser,
		"non-pointer":     sealUser{},
		"pointer to int":  &n,
		"pointer pointer": new(*sealUser),
	} {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, enc.Seal(target, "1"), ErrInvalid)
			assert.ErrorIs(t, enc.Open(target, "1"), ErrInvalid)
		})
	}
	assert.ErrorIs(t, enc.Seal(&sealUser{}, ""), ErrInvalid, "empty record id")
}

func TestSealBadPlans(t *testing.T) {
	_, enc := newTestEncryptor(t)
	for name, target := range map[string]any{
		"bad tag": &struct {
			A string `pii:"nonsense,encrypt"`
		}{A: "x"},
		"non-string": &struct {
			A int `pii:"name,encrypt"`
		}{},
		"missing index": &struct {
			A string `pii:"email,index=Nope"`
		}{},
		"int index": &struct {
			A string `pii:"email,index=B"`
			B int
		}{},
		"self index": &struct {
			A string `pii:"email,index=A"`
		}{},
		"encrypted index": &struct {
			A string `pii:"email,encrypt,index=B"`
			B string `pii:"email,encrypt"`
		}{},
		"name not category": &struct {
			A    string `pii:"email,index=Hash"`
			Hash string
		}{},
	} {
		t.Run(name, func(t *testing.T) {
			err := enc.Seal(target, "1")
			var fe *FieldError
			require.ErrorAs(t, err, &fe, "%v", err)
			assert.Equal(t, "A", fe.Field)
		})
	}
}

func TestSealConfiguredIndex(t *testing.T) {
	type account struct {
		Mail string `pii:"email,encrypt,index=Hash"`
		Hash string
	}
	_, enc := newTestEncryptor(t, Options{Indexes: map[string]IndexConfig{"account.Hash": {Category: CategoryEmail, Bits: 16}}})
	a := account{Mail: "A@B.KZ"}
	require.NoError(t, enc.Seal(&a, "7"))
	assert.Len(t, a.Hash, 4)
	want, err := enc.BlindIndex("account.Hash", "a@b.kz")
	require.NoError(t, err)
	assert.Equal(t, want, a.Hash)

	_, wrong := newTestEncryptor(t, Options{Indexes: map[string]IndexConfig{"account.Hash": {Category: CategoryPhone}}})
	assert.ErrorIs(t, wrong.Seal(&account{Mail: "x"}, "7"), ErrInvalid, "category mismatch")
}

func TestSealForForget(t *testing.T) {
	ctx := context.Background()
	_, enc := newTestEncryptor(t, Options{SubjectKeys: NewMemorySubjectKeyStore()})
	u := sealUser{ID: "9", Name: "Dana", Email: "d@x.kz"}
	require.NoError(t, enc.SealFor(ctx, &u, "user-9", u.ID))
	backup := u
	assert.ErrorIs(t, enc.Open(&backup, "9"), ErrDecrypt, "subject tokens need OpenFor")
	require.NoError(t, enc.OpenFor(ctx, &u, "user-9", u.ID))
	assert.Equal(t, "Dana", u.Name)

	require.NoError(t, enc.Forget(ctx, "user-9"))
	err := enc.OpenFor(ctx, &backup, "user-9", "9")
	assert.True(t, errors.Is(err, ErrErased), "%v", err)
}

func TestSealConcurrentPlans(t *testing.T) {
	_, enc := newTestEncryptor(t)
	done := make(chan error, 8)
	for range 8 {
		go func() {
			u := sealUser{Name: "x", Email: "y@z.kz"}
			if err := enc.Seal(&u, "1"); err != nil {
				done <- err
				return
			}
			done <- enc.Open(&u, "1")
		}()
	}
	for range 8 {
		require.NoError(t, <-done)
	}
}

func TestSealErrorLeavesStructUnchanged(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := sealUser{Name: "Aliya", Email: string(make([]byte, MaxPlaintext+1))}
	before := u
	err := enc.Seal(&u, "1")
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.ErrorIs(t, err, ErrInvalid, "longer than MaxPlaintext")
	assert.Equal(t, "Email", fe.Field)
	assert.Equal(t, before.Name, u.Name)
	assert.Empty(t, u.EmailIndex)
}

func TestSealRejectsForgedTokens(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := sealUser{Name: "pii1.not-really-a-token", Email: "a@b.kz"}
	err := enc.Seal(&u, "1")
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Name", fe.Field)
	assert.ErrorIs(t, err, ErrDecrypt)
	assert.Equal(t, "a@b.kz", u.Email, "unchanged on error")

	// A token of another record is not "already sealed" either.
	other := sealUser{Name: "Aliya"}
	require.NoError(t, enc.Seal(&other, "2"))
	pasted := sealUser{Name: other.Name}
	assert.ErrorIs(t, enc.Seal(&pasted, "1"), ErrDecrypt)

	// Index-only fields are plaintext whatever they look like.
	type tagged struct {
		Email      string `pii:"email,index=EmailIndex"`
		EmailIndex string
	}
	v := tagged{Email: "pii1.x"}
	require.NoError(t, enc.Seal(&v, "1"))
	assert.NotEmpty(t, v.EmailIndex)
}

// The per-field subkey cache follows the keyring: rotation, disabling and
// the minimum decryption version apply to Seal and Open at once.
func TestSealFollowsKeyringChanges(t *testing.T) {
	kr, enc := newTestEncryptor(t)
	keyOf := func(tok string) uint32 {
		raw, err := tokenEncoding.DecodeString(tok[len(tokenPrefix):])
		require.NoError(t, err)
		return binary.BigEndian.Uint32(raw[1:5])
	}
	u1 := sealUser{Name: "Aliya"}
	require.NoError(t, enc.Seal(&u1, "1"))
	assert.Equal(t, uint32(1), keyOf(u1.Name))

	_, err := kr.Rotate()
	require.NoError(t, err)
	u2 := sealUser{Name: "Bolat"}
	require.NoError(t, enc.Seal(&u2, "2"))
	assert.Equal(t, uint32(2), keyOf(u2.Name), "Seal uses the new primary at once")

	o1, o2 := u1, u2
	require.NoError(t, enc.Open(&o1, "1"))
	require.NoError(t, enc.Open(&o2, "2"))
	assert.Equal(t, "Aliya", o1.Name)
	assert.Equal(t, "Bolat", o2.Name)

	require.NoError(t, kr.SetState(1, KeyDisabled))
	o1 = u1
	assert.ErrorIs(t, enc.Open(&o1, "1"), ErrUnknownKey)
	assert.ErrorIs(t, enc.Seal(&o1, "1"), ErrUnknownKey, "a sealed field must still authenticate")

	_, err = kr.Rotate()
	require.NoError(t, err)
	require.NoError(t, kr.SetIndexKey(3))
	require.NoError(t, kr.SetMinDecryptVersion(3))
	o2 = u2
	assert.ErrorIs(t, enc.Open(&o2, "2"), ErrUnknownKey, "below the minimum decryption version, though cached")
	require.NoError(t, kr.SetMinDecryptVersion(2))
	o2 = u2
	require.NoError(t, enc.Open(&o2, "2"))
	assert.Equal(t, "Bolat", o2.Name)
}

// sealMix has a field for every path of Seal: encrypted and indexed,
// encrypted only, indexed only, empty, and already sealed.
type sealMix struct {
	Email      string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string
	Name       string `pii:"name,encrypt"`
	Phone      string `pii:"phone,index=PhoneIdx"`
	PhoneIdx   string
	Address    string `pii:"address,encrypt"`
	Note       string `pii:"name,encrypt"`
}

func TestSealEveryPathInOneCall(t *testing.T) {
	_, enc := newTestEncryptor(t)
	pre, err := enc.EncryptString("earlier", "sealMix", "Note", "7")
	require.NoError(t, err)
	m := sealMix{Email: "a@b.kz", Name: "Aliya", Phone: "87012345678", Note: pre}
	require.NoError(t, enc.Seal(&m, "7"))

	assert.True(t, IsToken(m.Email))
	assert.True(t, IsToken(m.Name))
	assert.Equal(t, "87012345678", m.Phone, "indexed only: kept in clear")
	assert.Empty(t, m.Address, "empty stays empty")
	assert.NotEqual(t, pre, m.Note, "sealed in the version-1 context: moved to version 2")
	assert.Equal(t, kindKeyring2, mustRaw(t, m.Note)[0])
	again := m
	require.NoError(t, enc.Seal(&again, "7"))
	assert.Equal(t, m, again, "already sealed in the current form: unchanged")
	emailIdx, err := enc.BlindIndex("sealMix.EmailIndex", "a@b.kz")
	require.NoError(t, err)
	assert.Equal(t, emailIdx, m.EmailIndex)
	phoneIdx, err := enc.BlindIndex("sealMix.PhoneIdx", "+77012345678")
	require.NoError(t, err)
	assert.Equal(t, phoneIdx, m.PhoneIdx)

	// Each field's nonce comes from one draw for the struct, and differs.
	nonces := map[string]bool{}
	for _, tok := range []string{m.Email, m.Name} {
		raw, err := tokenEncoding.DecodeString(tok[len(tokenPrefix):])
		require.NoError(t, err)
		nonces[string(raw[headerSize:headerSize+nonceSize])] = true
	}
	assert.Len(t, nonces, 2)

	require.NoError(t, enc.Open(&m, "7"))
	assert.Equal(t, sealMix{Email: "a@b.kz", EmailIndex: emailIdx, Name: "Aliya", Phone: "87012345678", PhoneIdx: phoneIdx, Note: "earlier"}, m)
}

func TestSealOpenAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	_, enc := newTestEncryptor(t)
	u := sealUser{ID: "42", Name: "Aliya", Email: "a@b.kz", Phone: "+77012345678"}
	sealed := u
	require.NoError(t, enc.Seal(&sealed, u.ID))
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() {
		v := u
		if err := enc.Seal(&v, v.ID); err != nil {
			t.Fatal(err)
		}
	}), "Seal: one string holds every new value")
	assert.Equal(t, 3.0, testing.AllocsPerRun(100, func() {
		v := sealed
		if err := enc.Open(&v, v.ID); err != nil {
			t.Fatal(err)
		}
	}), "Open: one string per plaintext, none shared")
}

// wide has more sealed fields than Seal keeps on the stack.
type wide struct {
	F0, F1, F2, F3, F4, F5, F6, F7, F8, F9 string `pii:"name,encrypt"`
	Email                                  string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex                             string
}

func TestSealWideStruct(t *testing.T) {
	_, enc := newTestEncryptor(t)
	w := wide{F0: "0", F1: "1", F2: "2", F3: "3", F5: "5", F6: "6", F7: "7", F8: "8", F9: "9", Email: "m@b.kz"}
	want := w
	require.NoError(t, enc.Seal(&w, "1"))
	for _, f := range []string{w.F0, w.F1, w.F9, w.Email} {
		assert.True(t, IsToken(f))
	}
	assert.Empty(t, w.F4)
	require.NoError(t, enc.Open(&w, "1"))
	want.EmailIndex = w.EmailIndex
	assert.Equal(t, want, w)
	assert.NotEmpty(t, w.EmailIndex)
}

// tokenNonce returns the nonce of a text token.
func tokenNonce(t *testing.T, tok string) string {
	t.Helper()
	raw, err := tokenEncoding.DecodeString(tok[len(tokenPrefix):])
	require.NoError(t, err)
	return string(raw[headerSize : headerSize+nonceSize])
}

func TestSealNoncesFreshPerCall(t *testing.T) {
	ctx := context.Background()
	_, enc := newTestEncryptor(t, Options{SubjectKeys: NewMemorySubjectKeyStore()})
	seen := map[string]bool{}
	for i := range 4 {
		u := sealUser{ID: "5", Name: "Dana", Email: "d@x.kz", Phone: "+77010000000"}
		if i%2 == 0 {
			require.NoError(t, enc.Seal(&u, u.ID))
		} else {
			require.NoError(t, enc.SealFor(ctx, &u, "user-5", u.ID))
		}
		for _, tok := range []string{u.Name, u.Email, u.Phone} {
			n := tokenNonce(t, tok)
			require.False(t, seen[n], "nonce reused")
			seen[n] = true
		}
	}
}

func TestSealForOpenForWholeStruct(t *testing.T) {
	ctx := context.Background()
	_, enc := newTestEncryptor(t, Options{SubjectKeys: NewMemorySubjectKeyStore()})
	u := sealUser{ID: "9", Name: "Dana", Email: "D@x.kz", Phone: "8 701 000 00 00", IIN: "900101300123", Age: 3}
	want := u
	require.NoError(t, enc.SealFor(ctx, &u, "user-9", u.ID))
	require.NoError(t, enc.OpenFor(ctx, &u, "user-9", u.ID))
	want.EmailIndex, want.PhoneIdx = u.EmailIndex, u.PhoneIdx
	assert.Equal(t, want, u)
	idx, err := enc.BlindIndex("sealUser.EmailIndex", "d@x.kz")
	require.NoError(t, err)
	assert.Equal(t, idx, u.EmailIndex)
}

func TestOpenErrorLeavesStructUnchanged(t *testing.T) {
	_, enc := newTestEncryptor(t)
	u := sealUser{ID: "1", Name: "Aliya", Email: "a@b.kz", Phone: "+77010000000"}
	require.NoError(t, enc.Seal(&u, u.ID))
	u.Phone = u.Phone[:len(u.Phone)-2] + "AA" // the last field no longer authenticates
	sealed := u
	assert.ErrorIs(t, enc.Open(&u, u.ID), ErrDecrypt)
	assert.Equal(t, sealed, u, "Name and Email, which did decrypt, are not assigned")
}

func TestOpenMigrationMixed(t *testing.T) {
	_, enc := newTestEncryptor(t, Options{LegacyPlaintext: true})
	tok, err := enc.EncryptString("Aliya", "sealUser", "Name", "1")
	require.NoError(t, err)
	u := sealUser{ID: "1", Name: tok, Email: "legacy@b.kz", Phone: "+77010000000"}
	require.NoError(t, enc.Open(&u, u.ID))
	assert.Equal(t, "Aliya", u.Name)
	assert.Equal(t, "legacy@b.kz", u.Email)
	assert.Equal(t, "+77010000000", u.Phone)
	assert.Equal(t, uint64(2), enc.LegacyReads())

	require.NoError(t, enc.Seal(&u, u.ID), "Seal encrypts the legacy values")
	assert.True(t, IsToken(u.Email))
	assert.True(t, IsToken(u.Phone))
}

// Open must not leave plaintext in the pooled scratch buffers: a long
// field followed by a short one is the case where a length-bounded clear
// would miss the tail.
func TestOpenLeavesNoPlaintextInPool(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	_, enc := newTestEncryptor(t)
	secret := "Aliya-Nurlanovna-Serikova-long-secret-name"
	tail := secret[len(secret)-12:]
	checkPool := func(after string) {
		t.Helper()
		var held []*scratch
		for range 4 { // whichever scratch the pool returns
			s := getScratch()
			for _, b := range [][]byte{s.raw, s.text, s.aad, s.purpose} {
				assert.NotContains(t, string(b[:cap(b)]), tail, after)
			}
			held = append(held, s)
		}
		for _, s := range held {
			putScratch(s)
		}
	}
	u := sealUser{ID: "1", Name: secret, Email: "a@b.kz"}
	require.NoError(t, enc.Seal(&u, u.ID))
	sealed := u
	require.NoError(t, enc.Open(&u, u.ID))
	checkPool("Open")

	// Seal of a row whose long field is already sealed and whose short one
	// is not: the check of the sealed field decrypts it.
	mixed := sealed
	mixed.Email = "b@b.kz"
	require.NoError(t, enc.Seal(&mixed, mixed.ID))
	checkPool("Seal")
}

// mustRaw decodes a text token.
func mustRaw(t *testing.T, tok string) []byte {
	t.Helper()
	raw, err := tokenEncoding.DecodeString(tok[len(tokenPrefix):])
	require.NoError(t, err)
	return raw
}

// openSealed opens a token that Seal wrote for a field of the named type of
// this package (context version 2), as Open would.
func openSealed(enc *Encryptor, tok, typeName, field, recordID string) (string, error) {
	s := getScratch()
	defer putScratch(s)
	t, err := parseToken(tok, &s.raw)
	if err != nil {
		return "", err
	}
	ctx := []string{"go:github.com/1cb-kz/compliance/pii." + typeName, field, recordID}
	pt, err := enc.openKeyring(s, nil, kindKeyring2, t, ctx, t.ciphertext[:0])
	return string(pt), err
}
