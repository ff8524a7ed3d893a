package node_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga/node"
)

// hostile is a client at another loopback address (all of 127/8 is this
// host), so that the per-client limits see it apart from the test's own
// requests from 127.0.0.1.
var hostile = &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 5 * time.Second}

// slowBody opens a connection that sends a request's headers and one byte
// of its body, then nothing.
func slowBody(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := hostile.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	_, err = io.WriteString(c, "POST /api/v1/submissions HTTP/1.1\r\nHost: siaga\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{")
	if err != nil && !errors.Is(err, net.ErrClosed) {
		t.Logf("write: %v", err) // a connection over the limit may already be closed
	}
	return c
}

// closedBy reports whether the server closed c (or answered and closed it)
// before the deadline.
func closedBy(c net.Conn, deadline time.Time) bool {
	_ = c.SetReadDeadline(deadline)
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// TestSlowClients: connections that send their body slowly, or never, are
// capped per client address and dropped at the route's deadline, while
// /healthz and the live-update stream keep answering everyone else; live
// streams are bounded with a clear 503.
func TestSlowClients(t *testing.T) {
	const perClient = 20
	s := serveConfig(t, func(c *node.Config) {
		c.Limits = node.Limits{MaxConns: 200, MaxConnsPerClient: perClient, RequestTimeout: 2 * time.Second,
			MaxStreams: 2, MaxStreamsPerClient: 2}
	})
	addr := strings.TrimPrefix(s.url, "http://")

	conns := make([]net.Conn, 3*perClient)
	for i := range conns {
		conns[i] = slowBody(t, addr)
	}
	// Over the cap, connections are closed at once.
	closed, soon := 0, time.Now().Add(300*time.Millisecond)
	for _, c := range conns[perClient:] {
		if closedBy(c, soon) {
			closed++
		}
	}
	if closed != 2*perClient {
		t.Errorf("%d of %d connections over the per-client cap were closed at once", closed, 2*perClient)
	}

	// The rest of the world is still served.
	res, err := http.Get(s.url + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("/healthz while slow clients hold connections: %v %v", res, err)
	}
	res.Body.Close()
	stream := openStream(t, s.url)
	if stream.StatusCode != 200 {
		t.Fatalf("live stream while slow clients hold connections: %d", stream.StatusCode)
	}
	if line, _ := bufio.NewReader(stream.Body).ReadString('\n'); !strings.HasPrefix(line, "retry:") {
		t.Errorf("first line of the live stream: %q", line)
	}
	openStream(t, s.url) // the second of two
	if third := openStream(t, s.url); third.StatusCode != http.StatusServiceUnavailable || third.Header.Get("Retry-After") == "" {
		t.Errorf("third stream: %d, Retry-After %q; want 503 with Retry-After", third.StatusCode, third.Header.Get("Retry-After"))
	}

	// The held ones are dropped at the route's deadline (2 s here), not
	// held for ever.
	for i, c := range conns[:perClient] {
		if !closedBy(c, time.Now().Add(10*time.Second)) {
			t.Fatalf("slow connection %d still open 10 s after a 2 s deadline", i)
		}
	}
}

func openStream(t testing.TB, base string) *http.Response {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("GET /events: %v", err)
	}
	t.Cleanup(func() { cancel(); res.Body.Close() })
	return res
}
