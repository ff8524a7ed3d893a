//go:build !linux

package main

import "testing"

// threadNice is not read where priorities are not per thread.
func threadNice(tb testing.TB) int { return 0 }
