package priority

import (
	"os/exec"
	"runtime"
	"sync"
)

// Start starts cmd from an OS thread that lives as long as the process.
//
// A child's parent-death signal (Linux's PR_SET_PDEATHSIG, SysProcAttr's
// Pdeathsig) is sent when the thread that started the child exits, not the
// process. Go ends a thread whose goroutine exits while locked to it, as
// this package's workers do when idle, and a worker may lock whichever
// thread it runs on: a PostgreSQL test cluster started from an ordinary
// goroutine was shut down mid-test that way (its log: "received fast
// shutdown request"). So every child that should die with the process,
// and only then, is started here.
func Start(cmd *exec.Cmd) error {
	starterOnce.Do(func() {
		starter = make(chan func())
		go func() {
			runtime.LockOSThread() // never unlocked: the thread stays
			for f := range starter {
				f()
			}
		}()
	})
	errc := make(chan error, 1)
	starter <- func() { errc <- cmd.Start() }
	return <-errc
}

var (
	starterOnce sync.Once
	starter     chan func()
)
