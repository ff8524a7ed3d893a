package auth

import (
	"container/list"
	"net"
	"sync"
	"time"
)

// ThrottleConfig is the login throttle's policy.
type ThrottleConfig struct {
	// PerAccount attempts at one username and PerAddr from one client
	// address may fail within Window; then that username or address is
	// refused until the window that began with its first failure ends.
	// An address gets more: one office's NAT carries many operators.
	PerAccount int
	PerAddr    int
	Window     time.Duration
	// MaxEntries bounds each table (usernames, addresses): an attacker who
	// varies either can only evict the oldest entries, never grow memory.
	MaxEntries int
}

// DefaultThrottle allows 5 failed logins per account and 20 per address in
// 15 minutes, remembering up to 10,000 of each (about 2 MB at most).
func DefaultThrottle() ThrottleConfig {
	return ThrottleConfig{PerAccount: 5, PerAddr: 20, Window: 15 * time.Minute, MaxEntries: 10000}
}

// Throttle counts login attempts per account and per client address in
// fixed windows. An attempt is counted before its password is checked, so
// that parallel attempts cannot overshoot the limit, and given back when
// it succeeds or never reached the check. Safe for concurrent use.
type Throttle struct {
	cfg      ThrottleConfig
	mu       sync.Mutex
	accounts attemptTable
	addrs    attemptTable
}

// NewThrottle returns a throttle with cfg's policy.
func NewThrottle(cfg ThrottleConfig) *Throttle {
	return &Throttle{cfg: cfg, accounts: newAttemptTable(cfg.MaxEntries), addrs: newAttemptTable(cfg.MaxEntries)}
}

// Try counts one attempt at account from addr at now. When either has
// used up its attempts it counts nothing and returns how long to wait.
func (t *Throttle) Try(account, addr string, now time.Time) (time.Duration, bool) {
	if t == nil {
		return 0, true
	}
	addr = addrKey(addr)
	t.mu.Lock()
	defer t.mu.Unlock()
	acc := t.accounts.current(account, now, t.cfg.Window)
	ad := t.addrs.current(addr, now, t.cfg.Window)
	var wait time.Duration
	if acc != nil && acc.n >= t.cfg.PerAccount {
		wait = max(wait, acc.start.Add(t.cfg.Window).Sub(now))
	}
	if ad != nil && ad.n >= t.cfg.PerAddr {
		wait = max(wait, ad.start.Add(t.cfg.Window).Sub(now))
	}
	if wait > 0 {
		return wait, false
	}
	if account != "" {
		t.accounts.add(account, now, t.cfg.Window)
	}
	t.addrs.add(addr, now, t.cfg.Window)
	return 0, true
}

// Refund gives back an attempt that Try counted: it succeeded, or it was
// never checked (the server was busy). A success also clears the account,
// so a user who mistyped a few times starts afresh; the address keeps its
// other attempts, or one good account would open the way for guesses at
// the others.
func (t *Throttle) Refund(account, addr string, succeeded bool) {
	if t == nil {
		return
	}
	addr = addrKey(addr)
	t.mu.Lock()
	defer t.mu.Unlock()
	if succeeded {
		t.accounts.remove(account)
	} else {
		t.accounts.refund(account)
	}
	t.addrs.refund(addr)
}

// addrKey groups IPv6 clients by /64, the block one subscriber gets: a
// host can switch addresses inside it at will.
func addrKey(addr string) string {
	ip := net.ParseIP(addr)
	switch {
	case ip == nil:
		if len(addr) > 64 {
			return addr[:64]
		}
		return addr
	case ip.To4() != nil:
		return ip.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// attemptTable is a bounded map of keys to their current window, oldest
// window first in order.
type attemptTable struct {
	max   int
	m     map[string]*list.Element // → *attempts
	order *list.List
}

type attempts struct {
	key   string
	start time.Time
	n     int
}

func newAttemptTable(max int) attemptTable {
	if max <= 0 {
		max = DefaultThrottle().MaxEntries
	}
	return attemptTable{max: max, m: map[string]*list.Element{}, order: list.New()}
}

// current is key's window if it is still open at now.
func (t *attemptTable) current(key string, now time.Time, window time.Duration) *attempts {
	e, ok := t.m[key]
	if !ok {
		return nil
	}
	a := e.Value.(*attempts)
	if now.Sub(a.start) >= window {
		t.remove(key)
		return nil
	}
	return a
}

// add counts an attempt, opening a window at now when none is open.
func (t *attemptTable) add(key string, now time.Time, window time.Duration) {
	if a := t.current(key, now, window); a != nil {
		a.n++
		return
	}
	for len(t.m) >= t.max {
		oldest := t.order.Front()
		t.remove(oldest.Value.(*attempts).key)
	}
	t.m[key] = t.order.PushBack(&attempts{key: key, start: now, n: 1})
}

func (t *attemptTable) refund(key string) {
	if e, ok := t.m[key]; ok {
		if a := e.Value.(*attempts); a.n > 0 {
			a.n--
		}
	}
}

func (t *attemptTable) remove(key string) {
	if e, ok := t.m[key]; ok {
		t.order.Remove(e)
		delete(t.m, key)
	}
}
