package main

import (
	"syscall"
	"testing"
)

// threadNice is the calling thread's nice value.
func threadNice(tb testing.TB) int {
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return 20 - p // the raw syscall answers 20 - nice
}
