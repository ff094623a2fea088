//go:build !race

package freetext

const slowdown = 1
