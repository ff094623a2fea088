//go:build !unix

package freetext

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
