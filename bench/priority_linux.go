package bench

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// lowerProcessPriority gives every thread of this process the nice value
// n. On Linux priorities are per thread; threads created later inherit
// their creator's, so renicing the threads there are covers the process.
func lowerProcessPriority(n int) error {
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
