package fieldapp_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/chromium/chromiumtest"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// template is a data folder initialised once with Banten; each test works
// on a copy, as initialising takes seconds.
var template string

func TestMain(m *testing.M) {
	code := func() int {
		dir, err := os.MkdirTemp("", "fieldapp-template-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		if err := node.Init(context.Background(), node.Config{DataDir: dir}, "36", 1); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		template = dir
		return m.Run()
	}()
	os.Exit(code)
}

// initData copies the template data folder for one test.
func initData(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	ents, err := os.ReadDir(template)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(template, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// exchange is one HTTP exchange as the server saw it, with its size on the
// wire: request line, headers and body each way (HTTP/1.1, so close to
// what a phone's radio carries).
type exchange struct {
	Method, Path        string
	Contest             string // of a submission
	Status              int
	ReqBytes, RespBytes int
	// A photo upload token went with the request, came with the answer.
	TokenSent, TokenIssued bool
}

// server is a real node over TCP that a test can stop and start again on
// the same port and data folder: the phone's view of losing the signal.
type server struct {
	t    testing.TB
	cfg  node.Config // DataDir is dir
	dir  string
	addr string
	url  string
	n    *node.Node
	srv  *http.Server
	// up is false while stopped; n stays readable (registry, ballot).
	up bool

	mu  sync.Mutex
	log []exchange
}

func startServer(t testing.TB, dir, addr string) *server {
	t.Helper()
	return startServerWith(t, dir, addr, node.Config{})
}

// startServerWith is startServer with more of the node's configuration.
func startServerWith(t testing.TB, dir, addr string, cfg node.Config) *server {
	t.Helper()
	cfg.DataDir = dir
	s := &server{t: t, cfg: cfg, dir: dir, addr: addr}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *server) start() {
	s.t.Helper()
	n, err := node.Open(context.Background(), s.cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	var ln net.Listener
	deadline := time.Now().Add(10 * time.Second)
	for {
		ln, err = net.Listen("tcp", s.addr)
		if err == nil || !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		n.Close()
		s.t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	s.url = "http://" + s.addr
	s.n, s.up = n, true
	s.srv = &http.Server{Handler: s.count(n.Handler), ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
}

// stop closes the listener and every connection, then the node; the data
// folder stays.
func (s *server) stop() {
	if !s.up {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.srv.Shutdown(ctx)
	s.n.Close()
	s.up = false
}

func (s *server) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := &countingReader{r: r.Body}
		r.Body = body
		cw := &countingWriter{w: w, status: 200}
		h.ServeHTTP(cw, r)
		if cw.headers == 0 {
			cw.headers = headerBytes(w.Header(), 200)
		}
		req := len(r.Method) + len(r.URL.RequestURI()) + len(" HTTP/1.1\r\n") + len("Host: \r\n") + len(r.Host) + 2
		for k, vs := range r.Header {
			for _, v := range vs {
				req += len(k) + len(v) + 4
			}
		}
		s.mu.Lock()
		s.log = append(s.log, exchange{r.Method, r.URL.Path, body.contest(), cw.status, req + body.n, cw.headers + cw.n,
			r.Header.Get("Upload-Token") != "", w.Header().Get("Upload-Token") != ""})
		s.mu.Unlock()
	})
}

func (s *server) exchanges() []exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]exchange(nil), s.log...)
}

type countingReader struct {
	r    io.ReadCloser
	n    int
	head []byte
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	if len(c.head) < 64 {
		c.head = append(c.head, p[:min(n, 64)]...)
	}
	return n, err
}

// contest reads the contest of a canonical submission body, which starts
// with it.
func (c *countingReader) contest() string {
	rest, ok := strings.CutPrefix(string(c.head), `{"contest":"`)
	if !ok {
		return ""
	}
	contest, _, _ := strings.Cut(rest, `"`)
	return contest
}

func (c *countingReader) Close() error { return c.r.Close() }

type countingWriter struct {
	w       http.ResponseWriter
	status  int
	headers int
	n       int
}

func (c *countingWriter) Header() http.Header { return c.w.Header() }

func (c *countingWriter) WriteHeader(status int) {
	if c.headers == 0 {
		c.status = status
		c.headers = headerBytes(c.w.Header(), status)
	}
	c.w.WriteHeader(status)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.headers == 0 {
		c.WriteHeader(200)
	}
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

func (c *countingWriter) Flush() {
	if f, ok := c.w.(http.Flusher); ok {
		f.Flush()
	}
}

// headerBytes is the size of a response's status line and headers, with
// the Date header net/http adds.
func headerBytes(h http.Header, status int) int {
	var b strings.Builder
	w := bufio.NewWriter(&b)
	fmt.Fprintf(w, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	h.Write(w)
	fmt.Fprintf(w, "Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n\r\n")
	w.Flush()
	return b.Len()
}

// enrolmentCode issues a one-time code for a KPPS phone of tps.
func (s *server) enrolmentCode(tps string) string {
	s.t.Helper()
	return nodetest.Codes(s.t, s.n, siaga.RoleKPPS, tps)[0]
}

// browser starts a headless Chromium with a fresh profile and a phone's
// screen, or skips.
func browser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	ctx := chromiumtest.Start(t, 360, 740, 80*time.Second, extra...)
	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	return ctx
}

func do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// evalAwait evaluates js, awaiting a promise, into out.
func evalAwait[T any](t testing.TB, ctx context.Context, js string, out *T) {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate: %v\n%s", err, js)
	}
	*out = v
}

// waitFor polls a JavaScript condition until it holds or the deadline.
func waitFor(t testing.TB, ctx context.Context, what, cond string, timeout time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		var page string
		page, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText : ""`))
		t.Fatalf("waiting for %s: %v\npage:\n%s", what, err, page)
	}
}
