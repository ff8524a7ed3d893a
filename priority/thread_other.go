//go:build !linux

package priority

import "errors"

// Steps is 0 where priorities are not per thread: lowering the process's
// would slow the reads with everything else.
const Steps = 0

// ThreadNice is not known where priorities are not per thread.
func ThreadNice() (int, error) { return 0, errors.ErrUnsupported }

func lowerThread() {}

// LowerProcess leaves the process at its priority: the benchmarks are
// measured on Linux, and elsewhere the load generator simply competes
// with the server.
func LowerProcess(n int) error { return nil }
