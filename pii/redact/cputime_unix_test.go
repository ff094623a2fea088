//go:build unix

package redact

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used: on a shared machine it
// moves much less than the wall clock when other work takes the cores.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
