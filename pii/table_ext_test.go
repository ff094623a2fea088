package pii_test

import (
	"testing"

	"github.com/1cb-kz/compliance/pii"
	"github.com/stretchr/testify/require"
)

// User has the name and fields of package pii's test type User: a token
// copied from one table to the other must not open.
type User struct {
	ID         string
	Name       string `pii:"name,encrypt"`
	Email      string `pii:"email,encrypt,index=EmailIndex"`
	EmailIndex string
}

func TestTokenDoesNotCrossPackages(t *testing.T) {
	kr, err := pii.NewKeyring()
	require.NoError(t, err)
	enc, err := pii.NewEncryptor(kr, pii.Options{})
	require.NoError(t, err)

	staff := pii.User{ID: "7", Name: "Staff Member", Email: "staff@1cb.kz"}
	require.NoError(t, enc.Seal(&staff, staff.ID))
	// An attacker who can write rows copies the staff tokens into the
	// buyer table's row 7.
	buyer := User{ID: staff.ID, Name: staff.Name, Email: staff.Email, EmailIndex: staff.EmailIndex}
	require.ErrorIs(t, enc.Open(&buyer, buyer.ID), pii.ErrDecrypt)
	require.NoError(t, enc.Open(&staff, staff.ID))
	require.Equal(t, "staff@1cb.kz", staff.Email)
}
