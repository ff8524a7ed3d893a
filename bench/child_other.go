//go:build !linux

package bench

import "os/exec"

// dieWithParent does nothing where the kernel cannot tie a child's life
// to its parent's; stop the children by hand after a killed benchmark.
func dieWithParent(*exec.Cmd) {}
