package node

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// StartCPUProfile writes a CPU profile of this process to path until stop
// is called. It lives beside Open because what it profiles is a running
// node: `siaga serve --cpuprofile` and the benchmarks' in-process server
// both use it, and neither should depend on the other to do so.
func StartCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting the profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// WriteHeapProfile writes the heap profile of this process to path: what
// is in use now and, in the same file, everything allocated since start
// (`go tool pprof -sample_index=alloc_space`), so a run's memory can be
// traced to the code that asked for it.
func WriteHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating the heap profile: %w", err)
	}
	// A heap profile shows the state as of the last completed collection;
	// with GOGC at 1000 that may be minutes old, so collect first.
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("writing the heap profile: %w", err)
	}
	return f.Close()
}
