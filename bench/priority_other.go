//go:build !linux

package bench

// lowerProcessPriority leaves the phones at normal priority: the benchmarks
// are measured on Linux, and elsewhere the read benchmark simply measures
// with the phones competing with the server.
func lowerProcessPriority(n int) error { return nil }
