// Command hashonly calls only Hash and Verify: it must not link the
// dictionary index.
package main

import "github.com/1cb-kz/compliance/password"

func main() {
	h, err := password.Hash("correct horse battery staple")
	if err != nil {
		panic(err)
	}
	if ok, err := password.Verify("correct horse battery staple", h); !ok || err != nil {
		panic("verify")
	}
}
