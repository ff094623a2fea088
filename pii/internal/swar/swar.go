// Package swar holds the byte tests on eight bytes at a time (SIMD within
// a register) that the scans of pii/internal/freetext and pii/redact use
// to skip text before reading it byte by byte. The eight bytes are those
// of a uint64; the tests are pre-tests where they say so.
package swar

const ones, high = 0x0101010101010101, 0x8080808080808080

// ZeroBytes sets the high bit of every zero byte of x (and possibly of a
// byte after one): a pre-test that never misses.
func ZeroBytes(x uint64) uint64 {
	return (x - ones) &^ x & high
}

// HasBetween reports whether a byte of x is strictly between m and n
// (m < 128, n ≤ 128; bytes of 128 or more never are).
func HasBetween(x uint64, m, n uint64) bool { return Between(x, m, n) != 0 }

// Between is HasBetween as a word that is not zero if and only if a byte
// of x is strictly between m and n, so that several tests can be joined
// by | and decided by one branch.
func Between(x uint64, m, n uint64) uint64 {
	return Low7Between(x&(ones*127), m, n) &^ x
}

// Low7Between sets the high bit of each byte of lo, a word with the high
// bits clear (x & 0x7F7F…), whose value is strictly between m and n
// (m < 128, n ≤ 128), and clears every other bit. For a word x, the
// ASCII bytes strictly between m and n are Low7Between(x&0x7F7F…, m, n)
// &^ x, and the bytes of 128 or more whose low seven bits are, those of
// Low7Between(…) & x: one lo serves several tests.
func Low7Between(lo uint64, m, n uint64) uint64 {
	return (ones*(127+n) - lo) & (lo + ones*(127-m)) & high
}

// Less returns a word that is not zero if and only if a byte of x is
// below n (n ≤ 128), so that it joins other tests by | (see Between).
func Less(x uint64, n uint64) uint64 { return (x - ones*n) &^ x & high }

// Load returns the eight bytes s[i:i+8] as a uint64, s[i] lowest.
func Load(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}
