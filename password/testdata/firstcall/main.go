// Command firstcall measures what the first strength estimate in a process
// costs: CPU time (getrusage), bytes allocated, and heap held after it.
package main

import (
	"fmt"
	"runtime"
	"syscall"
	"time"

	"github.com/1cb-kz/compliance/password"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c0 := cpu()
	password.Strength("x")
	c1 := cpu()
	runtime.GC()
	runtime.ReadMemStats(&after)
	c2 := cpu()
	for range 1000 {
		password.Check("Qwerty123!")
	}
	c3 := cpu()
	fmt.Printf("first estimate: %.1f ms CPU, %.1f MB allocated, %.1f MiB held; then %.1f µs CPU per Check\n",
		float64(c1-c0)/1e6, float64(after.TotalAlloc-before.TotalAlloc)/1e6,
		float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), float64(c3-c2)/1e3/1000)
}
