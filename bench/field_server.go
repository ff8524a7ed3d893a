package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/deskpemilu/siaga/node"
)

// fieldServer is a real node that the field benchmark can stop and start
// again on the same port and data folder, as a phone sees a server when it
// loses and regains the signal. It counts the bytes of every TCP
// connection, so what it reports is what crossed the wire (HTTP/1.1 over
// loopback: no TLS, which a real deployment adds).
type fieldServer struct {
	cfg  node.Config
	addr string
	n    *node.Node
	srv  *http.Server

	read, written atomic.Int64 // every connection, since the first start

	mu        sync.Mutex
	exchanges []exchange
}

// exchange is one request as the wire saw it: bytes up are exact (read by
// the server while serving it); bytes down are everything written to the
// connection until its next request or its close.
type exchange struct {
	method, path string
	status       int
	up, down     int64
}

func newFieldServer(ctx context.Context, o options) (*fieldServer, error) {
	cfg := node.Config{
		DataDir: o.data,
		DB:      o.db,
		Now:     time.Now,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if err := node.Init(ctx, cfg, o.province, o.seed); err != nil {
		return nil, fmt.Errorf("initialising %s: %w", o.data, err)
	}
	s := &fieldServer{cfg: cfg, addr: "127.0.0.1:0"}
	return s, s.start(ctx)
}

func (s *fieldServer) url() string { return "http://" + s.addr }

func (s *fieldServer) start(ctx context.Context) error {
	n, err := node.Open(ctx, s.cfg)
	if err != nil {
		return fmt.Errorf("opening the node: %w", err)
	}
	ln, err := listenAgain(ctx, s.addr)
	if err != nil {
		n.Close()
		return err
	}
	s.addr = ln.Addr().String()
	s.n = n
	s.srv = &http.Server{
		Handler:           s.count(n.Handler),
		ReadHeaderTimeout: 30 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, c)
		},
	}
	go s.srv.Serve(&countingListener{Listener: ln, s: s})
	return nil
}

// listenAgain listens on addr, waiting while the port is still held by
// the previous run's closing sockets.
func listenAgain(ctx context.Context, addr string) (net.Listener, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			return ln, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			return nil, fmt.Errorf("listening on %s: %w", addr, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop closes the listener and every connection, then the node; the data
// folder stays.
func (s *fieldServer) stop() error {
	if s.n == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
	}
	err := s.n.Close()
	s.n = nil
	return err
}

func (s *fieldServer) log() []exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]exchange(nil), s.exchanges...)
}

type connKey struct{}

// count attributes the connection's bytes to the request being served.
// HTTP/1.1 serves one request at a time per connection, so the bytes read
// between the end of one handler and the end of the next are that
// request's, and the bytes written from its start to the next start (or
// the close) are its answer.
func (s *fieldServer) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := r.Context().Value(connKey{}).(*countingConn)
		if c == nil {
			h.ServeHTTP(w, r)
			return
		}
		c.finish()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		up := c.read.Load()
		c.mu.Lock()
		c.current = &exchange{method: r.Method, path: r.URL.Path, status: sw.status, up: up - c.readMark}
		c.readMark = up
		c.mu.Unlock()
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type countingListener struct {
	net.Listener
	s *fieldServer
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, s: l.s}, nil
}

type countingConn struct {
	net.Conn
	s             *fieldServer
	read, written atomic.Int64

	mu                  sync.Mutex
	readMark, writeMark int64
	current             *exchange // served, its answer still being counted
	closeOnce           sync.Once
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	c.s.read.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	c.s.written.Add(int64(n))
	return n, err
}

func (c *countingConn) Close() error {
	c.closeOnce.Do(c.finish)
	return c.Conn.Close()
}

// finish records the exchange whose answer has now been written in full
// and starts counting the next one's.
func (c *countingConn) finish() {
	c.mu.Lock()
	e := c.current
	c.current = nil
	w := c.written.Load()
	if e != nil {
		e.down = w - c.writeMark
	}
	c.writeMark = w
	c.mu.Unlock()
	if e != nil {
		c.s.mu.Lock()
		c.s.exchanges = append(c.s.exchanges, *e)
		c.s.mu.Unlock()
	}
}
