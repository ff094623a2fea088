package swar

import (
	"math/rand/v2"
	"testing"
)

// words returns x's that stress the tests: random ones, and ones whose
// bytes are drawn from the edges (0, 1, 127, 128, 255 and the bounds).
func words(n int) []uint64 {
	r := rand.New(rand.NewPCG(1, 2))
	edge := []byte{0, 1, 2, 0x2F, 0x30, 0x39, 0x3A, 0x5A, 0x5B, 0x7E, 0x7F, 0x80, 0x81, 0xD0, 0xFE, 0xFF}
	xs := make([]uint64, 0, 2*n)
	for range n {
		xs = append(xs, r.Uint64())
		var x uint64
		for b := range 8 {
			x |= uint64(edge[r.IntN(len(edge))]) << (8 * b)
		}
		xs = append(xs, x)
	}
	return xs
}

func TestZeroBytes(t *testing.T) {
	for _, x := range words(20000) {
		got := ZeroBytes(x)
		if got&^high != 0 {
			t.Fatalf("ZeroBytes(%#x) = %#x: bits other than high ones", x, got)
		}
		zeroBelow := false
		for b := range 8 {
			v, flagged := byte(x>>(8*b)), got>>(8*b+7)&1 == 1
			if v == 0 && !flagged {
				t.Fatalf("ZeroBytes(%#x) = %#x misses byte %d", x, got, b)
			}
			if flagged && v != 0 && !zeroBelow {
				t.Fatalf("ZeroBytes(%#x) = %#x flags byte %d with no zero byte before it", x, got, b)
			}
			zeroBelow = zeroBelow || v == 0
		}
	}
}

func TestHasBetween(t *testing.T) {
	xs := words(2000)
	for m := uint64(0); m < 128; m++ {
		for n := m; n <= 128; n++ {
			for _, x := range xs {
				want := false
				for b := range 8 {
					v := x >> (8 * b) & 0xFF
					want = want || m < v && v < n
				}
				if got := HasBetween(x, m, n); got != want {
					t.Fatalf("HasBetween(%#x, %d, %d) = %v, want %v", x, m, n, got, want)
				}
			}
		}
	}
}

func TestLess(t *testing.T) {
	xs := words(2000)
	for n := uint64(0); n <= 128; n++ {
		for _, x := range xs {
			want := false
			for b := range 8 {
				want = want || x>>(8*b)&0xFF < n
			}
			if got := Less(x, n) != 0; got != want {
				t.Fatalf("Less(%#x, %d) != 0 is %v, want %v", x, n, got, want)
			}
		}
	}
}

func TestLoad(t *testing.T) {
	s := "\x01\x02\x03\x04\x05\x06\x07\x08\xF9"
	if got := Load(s, 0); got != 0x0807060504030201 {
		t.Fatalf("Load(s, 0) = %#x", got)
	}
	if got := Load(s, 1); got != 0xF908070605040302 {
		t.Fatalf("Load(s, 1) = %#x", got)
	}
}

// Low7Between on x's low seven bits, with x's high bits, gives the bytes
// of 128 or more whose low seven bits are between m and n.
func TestLow7Between(t *testing.T) {
	xs := words(500)
	for m := uint64(0); m < 128; m++ {
		for n := m; n <= 128; n++ {
			for _, x := range xs {
				var want uint64
				for b := range 8 {
					if v := x >> (8 * b) & 0xFF; v >= 128 && m < v-128 && v-128 < n {
						want |= 0x80 << (8 * b)
					}
				}
				if got := Low7Between(x&(ones*127), m, n) & x; got != want {
					t.Fatalf("Low7Between(%#x, %d, %d) & x = %#x, want %#x", x, m, n, got, want)
				}
			}
		}
	}
}
