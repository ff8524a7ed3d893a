package http

import (
	"net"
	"net/http"
)

// clientAddr is the address of the client that made r, for throttles and
// logs. For now the connection's peer: behind a reverse proxy that is the
// proxy, until a trusted proxy's forwarding header is honoured here, in
// this one place.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
