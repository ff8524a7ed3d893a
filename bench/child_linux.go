package bench

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel stop the child if the benchmark dies
// without stopping it (killed, or crashed), so no server is left holding
// its port and data folder.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
