// Command importonly imports wordlist and calls nothing, for
// TestImportCostsNothing (GODEBUG=inittrace=1).
package main

import _ "github.com/1cb-kz/compliance/password/internal/wordlist"

func main() {}
