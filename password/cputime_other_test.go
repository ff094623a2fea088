//go:build !linux

package password

import "time"

var start = time.Now()

// threadCPU falls back to wall-clock time where thread CPU time is not
// available.
func threadCPU() time.Duration { return time.Since(start) }

const cpuClock = "wall-clock time"
