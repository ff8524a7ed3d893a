package bench

import (
	"context"
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	start := time.Now()
	t.Run("staggered shares of the rate", func(t *testing.T) {
		// 4 readers sharing 400 reads/s: each every 10 ms, 2.5 ms apart.
		for k := range 4 {
			s := newSchedule(start, 400, 4, k)
			if s.every != 10*time.Millisecond {
				t.Errorf("reader %d reads every %v, want 10ms", k, s.every)
			}
			if got, want := s.next.Sub(start), time.Duration(k)*2500*time.Microsecond; got != want {
				t.Errorf("reader %d first reads at +%v, want +%v", k, got, want)
			}
		}
	})
	t.Run("closed loop", func(t *testing.T) {
		s := newSchedule(start, 0, 4, 1)
		before := time.Now()
		at, ok := s.due(context.Background(), nil)
		if !ok || at.Before(before) {
			t.Errorf("closed loop: due at %v (ok %v), want now", at, ok)
		}
	})
	t.Run("behind counts from when the read was due", func(t *testing.T) {
		s := schedule{next: start.Add(-time.Second), every: time.Millisecond}
		at, ok := s.due(context.Background(), nil)
		if !ok || !at.Equal(start.Add(-time.Second)) {
			t.Errorf("a late read counts from %v, want when it was due (%v)", at, start.Add(-time.Second))
		}
		if !s.next.Equal(start.Add(-time.Second + time.Millisecond)) {
			t.Errorf("the next read is due at %v, want one interval later", s.next)
		}
	})
	t.Run("ahead waits, and counts from waking", func(t *testing.T) {
		due := time.Now().Add(20 * time.Millisecond)
		s := schedule{next: due, every: time.Second}
		at, ok := s.due(context.Background(), nil)
		if !ok || at.Before(due) {
			t.Errorf("woke at %v, before the read was due (%v)", at, due)
		}
	})
	t.Run("stopped while waiting", func(t *testing.T) {
		s := schedule{next: time.Now().Add(time.Hour), every: time.Hour}
		stop := make(chan struct{})
		close(stop)
		if _, ok := s.due(context.Background(), stop); ok {
			t.Error("due returned a time after being stopped")
		}
	})
}
