package disaster

import "sync/atomic"

// atomicState holds the current state: readers take it without a lock,
// a change replaces it whole.
// v counts the states stored, so that a reader deriving something from
// the whole picture (the readiness map) recomputes only when it moved.
type atomicState struct {
	p atomic.Pointer[state]
	v atomic.Uint64
}

func (a *atomicState) load() *state { return a.p.Load() }

func (a *atomicState) store(st *state) {
	a.p.Store(st)
	a.v.Add(1)
}
