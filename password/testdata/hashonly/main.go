// Command hashonly calls only Hash and Verify: it must not link the
// dictionary index.
package main

import (
	"context"

	"github.com/1cb-kz/compliance/password"
)

func main() {
	ctx := context.Background()
	h, err := password.Hash(ctx, "correct horse battery staple")
	if err != nil {
		panic(err)
	}
	if ok, err := password.Verify(ctx, "correct horse battery staple", h); !ok || err != nil {
		panic("verify")
	}
}
