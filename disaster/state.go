package disaster

import "sync/atomic"

// atomicState holds the current state: readers take it without a lock,
// a change replaces it whole.
type atomicState struct{ p atomic.Pointer[state] }

func (a *atomicState) load() *state { return a.p.Load() }

func (a *atomicState) store(st *state) { a.p.Store(st) }
