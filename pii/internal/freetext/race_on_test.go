//go:build race

package freetext

// slowdown: the race detector makes Find about ten times slower; the
// hostile-input ceiling is scaled by it.
const slowdown = 20
