//go:build !unix

package redact

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
