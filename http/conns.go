package http

import (
	"net"
	"net/netip"
	"sync"
)

// LimitListener bounds the connections held open at once: total in all and
// perClient from one address, so that one client holding connections
// (slowly sending, or never) cannot use up the server's file descriptors
// and lock out everyone else, /healthz included. exempt addresses (the
// trusted reverse proxies, which carry many clients) count only towards
// the total. A connection over a limit is closed at once, so it costs the
// server an accept and a close.
func LimitListener(ln net.Listener, total, perClient int, exempt func(netip.Addr) bool) net.Listener {
	return &limitListener{Listener: ln, total: total, per: perClient, exempt: exempt, open: map[netip.Addr]int{}}
}

type limitListener struct {
	net.Listener
	total, per int
	exempt     func(netip.Addr) bool

	mu    sync.Mutex
	count int
	open  map[netip.Addr]int
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := remoteAddr(c)
		if l.admit(addr) {
			return &limitedConn{Conn: c, l: l, addr: addr}, nil
		}
		c.Close()
	}
}

func remoteAddr(c net.Conn) netip.Addr {
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

func (l *limitListener) admit(a netip.Addr) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.count >= l.total {
		return false
	}
	counted := l.exempt == nil || !l.exempt(a)
	if counted && l.open[a] >= l.per {
		return false
	}
	l.count++
	if counted {
		l.open[a]++
	}
	return true
}

func (l *limitListener) release(a netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count--
	if n, ok := l.open[a]; ok {
		if n <= 1 {
			delete(l.open, a)
		} else {
			l.open[a] = n - 1
		}
	}
}

type limitedConn struct {
	net.Conn
	l    *limitListener
	addr netip.Addr
	once sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.addr) })
	return err
}
