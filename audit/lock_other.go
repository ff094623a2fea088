//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package audit

import "os"

// lockFile is a no-op where flock(2) is unavailable: there the host must
// make sure that only one Log writes a directory.
func lockFile(*os.File) error { return nil }
