//go:build !linux

package priority

// Steps is 0 where priorities are not per thread: lowering the process's
// would slow the reads with everything else.
const Steps = 0

func lowerThread() {}
