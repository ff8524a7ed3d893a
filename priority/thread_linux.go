package priority

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// Steps is how many nice steps below the process a pool's threads run. Ten
// steps make a thread weigh a tenth of a normal one with the kernel, so a
// waking reader preempts it at once, yet the pool keeps a real share when
// reads flood the machine; SCHED_IDLE starves it instead (BENCHMARKS.md,
// read).
const Steps = 10

// ThreadNice is the calling thread's nice value. On Linux priorities are
// per thread, and PRIO_PROCESS with a thread id names one.
func ThreadNice() (int, error) {
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		return 0, fmt.Errorf("reading this thread's priority: %w", err)
	}
	return 20 - p, nil // the raw syscall answers 20 - nice, never negative
}

// lowerThread lowers the calling thread's priority by Steps. Failure (a
// sandbox forbidding it) leaves the thread at the process's priority,
// which is only slower for readers.
func lowerThread() {
	nice, err := ThreadNice()
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), min(nice+Steps, 19))
}

// LowerProcess gives every thread of this process the nice value n;
// threads created later inherit their creator's, so renicing the threads
// there are covers the process. The benchmarks use it to put the load
// generator behind the server it measures.
func LowerProcess(n int) error {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return fmt.Errorf("listing this process's threads: %w", err)
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, n); err != nil && err != syscall.ESRCH {
			return fmt.Errorf("lowering thread %d's priority: %w", tid, err)
		}
	}
	return nil
}
