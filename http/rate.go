package http

import (
	"container/list"
	"sync"
	"time"
)

// rate is a token bucket: Burst requests at once, refilled at PerSecond.
type rate struct {
	Burst     float64
	PerSecond float64
}

// rateClients bounds how many client addresses the limiter remembers. An
// attacker who varies addresses evicts the oldest buckets, which forgets
// their debt but never grows memory.
const rateClients = 100_000

// rateLimiter keeps one token bucket per key (a route and a client
// address), the least recently used evicted first.
type rateLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	max     int
	buckets map[string]*list.Element
	order   *list.List // of *bucket, most recently used first
}

type bucket struct {
	key    string
	tokens float64
	at     time.Time
}

func newRateLimiter(now func() time.Time, maxKeys int) *rateLimiter {
	return &rateLimiter{now: now, max: maxKeys, buckets: make(map[string]*list.Element), order: list.New()}
}

// allow takes a token from key's bucket. When there is none it says how
// long until there will be.
func (l *rateLimiter) allow(key string, r rate) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket(key, r, now)
	b.tokens = min(r.Burst, b.tokens+now.Sub(b.at).Seconds()*r.PerSecond)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / r.PerSecond * float64(time.Second))
}

// refund gives back a token that allow took, for a request that turned
// out not to count (a limit on failures charges every attempt up front, so
// that parallel attempts cannot all pass, and refunds the successes).
func (l *rateLimiter) refund(key string, r rate) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.buckets[key]; ok {
		b := e.Value.(*bucket)
		b.tokens = min(r.Burst, b.tokens+1)
	}
}

func (l *rateLimiter) bucket(key string, r rate, now time.Time) *bucket {
	if e, ok := l.buckets[key]; ok {
		l.order.MoveToFront(e)
		return e.Value.(*bucket)
	}
	if l.order.Len() >= l.max {
		oldest := l.order.Back()
		l.order.Remove(oldest)
		delete(l.buckets, oldest.Value.(*bucket).key)
	}
	b := &bucket{key: key, tokens: r.Burst, at: now}
	l.buckets[key] = l.order.PushFront(b)
	return b
}
