package pii_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/1cb-kz/compliance/pii"
)

// A keyring file that others may read is refused; chmod 0600 fixes it.
func ExampleLoadKeyringFile() {
	kr, err := pii.NewKeyring()
	if err != nil {
		panic(err)
	}
	data, err := kr.Export()
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "keyring")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "keyring.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		panic(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // as a careless copy leaves it
		panic(err)
	}

	_, err = pii.LoadKeyringFile(path)
	fmt.Println("refused:", errors.Is(err, pii.ErrKeyring))

	if err := os.Chmod(path, 0o600); err != nil {
		panic(err)
	}
	loaded, err := pii.LoadKeyringFile(path)
	fmt.Println(loaded.Status().Primary, err)
	// Output:
	// refused: true
	// 1 <nil>
}

// The deployment injects the keyring's Export form into the environment
// from a secret manager; the service reads it at start.
func ExampleKeyringFromEnv() {
	kr, _ := pii.NewKeyring()
	js, _ := kr.Export()
	os.Setenv("PII_KEYRING_EXAMPLE", string(js)) // done by the deployment, not the service
	defer os.Unsetenv("PII_KEYRING_EXAMPLE")

	loaded, err := pii.KeyringFromEnv("PII_KEYRING_EXAMPLE")
	fmt.Println(loaded.Status().Primary, err)

	_, err = pii.KeyringFromEnv("PII_KEYRING_UNSET")
	fmt.Println(errors.Is(err, pii.ErrKeyring))
	// Output:
	// 1 <nil>
	// true
}
