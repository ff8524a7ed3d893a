package http

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// peerAddr is the address at the other end of the connection.
func peerAddr(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

// Trusted reports whether a is a reverse proxy the operator named
// (Server.TrustedProxies): only such a peer may say who the client is and
// whether it came over TLS.
func (s *Server) Trusted(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the address a request comes from, for rate limits and
// logs. Behind a trusted proxy it is the nearest untrusted address in
// X-Forwarded-For, read from the right: a client can write anything on the
// left of that header, but not what the proxies appended.
func (s *Server) clientAddr(r *http.Request) string {
	peer, ok := peerAddr(r)
	if !ok {
		return r.RemoteAddr
	}
	if !s.Trusted(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled hop: stop at the last address we can vouch for
		}
		if a = a.Unmap(); !s.Trusted(a) {
			return a.String()
		}
		peer = a
	}
	return peer.String()
}

// viaTLS reports whether the client reached us over TLS: directly, or
// through a trusted proxy that says so in X-Forwarded-Proto.
func (s *Server) viaTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	peer, ok := peerAddr(r)
	return ok && s.Trusted(peer) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
