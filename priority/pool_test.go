package priority

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolBoundConcurrency(t *testing.T) {
	const n = 3
	c := NewPool(n)
	var running, most atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			err := c.Run(context.Background(), func() {
				now := running.Add(1)
				for {
					m := most.Load()
					if now <= m || most.CompareAndSwap(m, now) {
						break
					}
				}
				<-release
				running.Add(-1)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	waitFor(t, func() bool { return running.Load() == n })
	close(release)
	wg.Wait()
	if got := most.Load(); got != n {
		t.Errorf("at most %d jobs ran at once, want %d", got, n)
	}
}

func TestPoolGiveUpWhenTheCallerDoes(t *testing.T) {
	c := NewPool(1)
	release := make(chan struct{})
	started := make(chan struct{})
	go c.Run(context.Background(), func() { close(started); <-release })
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := c.Run(ctx, func() { ran = true }); err != context.Canceled {
		t.Errorf("run with every worker busy and the caller gone = %v, want context.Canceled", err)
	}
	close(release)
	if ran {
		t.Error("the abandoned job ran")
	}
}

func TestPoolEndWhenIdle(t *testing.T) {
	c := NewPool(2)
	c.idle = 10 * time.Millisecond
	for range 5 {
		if err := c.Run(context.Background(), func() {}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return len(c.workers) == 0 })
	// A job after the workers ended starts a new one.
	done := false
	if err := c.Run(context.Background(), func() { done = true }); err != nil || !done {
		t.Fatalf("run after idle: err %v, ran %v", err, done)
	}
}

// waitFor polls cond for up to 10 s: the workers end on their own clock.
func waitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatal("condition not reached in 10 s")
		}
	}
}
