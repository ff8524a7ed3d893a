// Package priority runs work on OS threads that the kernel schedules after
// the rest of the process. Go's scheduler has no priorities, so on a
// saturated machine a reader of the tallies would wait its turn behind
// every submission being checked; the kernel's scheduler has them. Work
// whose latency nobody watches (decoding and verifying the phones'
// submissions) runs here, and reads, the network and the engine's writer
// come first, while that work still gets every cycle nothing else wants.
package priority

import (
	"context"
	"runtime"
	"time"
)

// Pool runs functions on at most n lowered threads.
type Pool struct {
	jobs chan func() // unbuffered: a job is only ever taken by a live worker
	// workers counts the live workers; its capacity bounds them.
	workers chan struct{}
	idle    time.Duration
}

// idleTimeout is how long a worker waits for another job before its thread
// ends, so that a quiet server (or a test's) holds no threads.
const idleTimeout = 2 * time.Second

// NewPool returns a pool of at most n workers, started as they are needed.
func NewPool(n int) *Pool {
	return &Pool{jobs: make(chan func()), workers: make(chan struct{}, n), idle: idleTimeout}
}

// Run runs f on a lowered thread and waits for it. It gives up, without
// running f, only if ctx ends before a worker is free.
func (p *Pool) Run(ctx context.Context, f func()) error {
	done := make(chan struct{})
	job := func() { defer close(done); f() }
	select {
	case p.jobs <- job:
	case p.workers <- struct{}{}:
		go p.work(job)
	case <-ctx.Done():
		return ctx.Err()
	}
	<-done
	return nil
}

// work runs job and the jobs after it until none comes for p.idle. Its
// thread's priority is lowered for good (raising it back needs privilege),
// so the goroutine keeps the thread locked: when it returns, the thread
// ends with it instead of carrying the lower priority to other goroutines.
func (p *Pool) work(job func()) {
	defer func() { <-p.workers }()
	runtime.LockOSThread()
	lowerThread()
	job()
	idle := time.NewTimer(p.idle)
	defer idle.Stop()
	for {
		select {
		case job := <-p.jobs:
			job()
			idle.Reset(p.idle)
		case <-idle.C:
			return
		}
	}
}
