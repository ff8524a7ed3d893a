package priority

import "syscall"

// Steps is how many nice steps below the process a pool's threads run. Ten
// steps make a thread weigh a tenth of a normal one with the kernel, so a
// waking reader preempts it at once, yet the pool keeps a real share when
// reads flood the machine; SCHED_IDLE starves it instead (BENCHMARKS.md,
// read).
const Steps = 10

// lowerThread lowers the calling thread's priority: on Linux priorities
// are per thread, and PRIO_PROCESS with a thread id names one. Failure (a
// sandbox forbidding it) leaves the thread at the process's priority,
// which is only slower for readers.
func lowerThread() {
	tid := syscall.Gettid()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return
	}
	nice := 20 - p // the raw syscall answers 20 - nice, never negative
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(nice+Steps, 19))
}
