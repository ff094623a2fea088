//go:build race

package redact

// raceEnabled: the race detector slows everything down about tenfold, so
// time ceilings are widened.
const raceEnabled = true
