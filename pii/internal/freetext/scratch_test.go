package freetext

import (
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_THREAD, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestScratchSpeed(t *testing.T) {
	for _, s := range []string{benchText(), strings.Repeat(strings.Join(chat, " ")+" ", 2000), strings.Join(genOrdinary(3, 0, 50000), " ")} {
		speed(t, s)
	}
}

func speed(t *testing.T, s string) {
	dicts()
	var dst []Span
	measure := func(f func()) float64 {
		best := time.Hour
		for range 5 {
			c0 := cpuTime()
			for range 20 {
				f()
			}
			if d := cpuTime() - c0; d < best {
				best = d
			}
		}
		return float64(len(s)*20) / best.Seconds() / 1e6
	}
	find := measure(func() { dst = Find(dst[:0], s) })
	runes := measure(func() {
		n := 0
		for i := 0; i < len(s); {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			n++
		}
		_ = n
	})
	t.Logf("find %.0f MB/s, runes %.0f MB/s (cpu time)", find, runes)
}

func BenchmarkScratchOrdinary(b *testing.B) {
	s := strings.Join(genOrdinary(3, 0, 50000), " ")
	dicts()
	var dst []Span
	for b.Loop() {
		dst = Find(dst[:0], s)
	}
}
