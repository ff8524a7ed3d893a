package node_test

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// pgProxy stands between the node and PostgreSQL and reads enough of the
// wire protocol to tell when the server answers COMMIT: it can hold that
// answer, or cut the connection right after the server committed and
// before the client hears so. It can also play a database that cannot be
// reached. The node must connect with sslmode=disable (pgtest's DSNs do),
// since the proxy reads the server's messages in clear.
type pgProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
	// script decides the COMMITs to come, one step each; when it is empty
	// COMMITs pass.
	script []commitStep
}

// commitStep is what the proxy does with one server answer to COMMIT.
type commitStep struct {
	// held, when set, is closed once the answer is held, and the answer
	// goes on when release is closed.
	held, release chan struct{}
	// cut closes both connections instead of forwarding the answer; down
	// also makes the database unreachable until up.
	cut, down bool
}

// newPGProxy proxies the server of dsn and returns the DSN that goes
// through the proxy.
func newPGProxy(t testing.TB, dsn string) (*pgProxy, string) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Query().Get("sslmode") != "disable" {
		t.Skipf("the proxy needs a postgres:// DSN with sslmode=disable, not %q", dsn)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{ln: ln, target: u.Host, conns: map[net.Conn]struct{}{}}
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.cutAll()
	})
	u.Host = ln.Addr().String()
	return p, u.String()
}

// then adds steps for the COMMITs to come.
func (p *pgProxy) then(steps ...commitStep) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.script = append(p.script, steps...)
}

// pending counts the steps not played yet.
func (p *pgProxy) pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.script)
}

// up makes the database reachable again.
func (p *pgProxy) up() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

func (p *pgProxy) setDown() {
	p.mu.Lock()
	p.down = true
	p.mu.Unlock()
	p.cutAll()
}

func (p *pgProxy) cutAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

func (p *pgProxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.serve(client)
	}
}

// track registers c to be cut with the others; false when the database is
// down.
func (p *pgProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *pgProxy) forget(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
		c.Close()
	}
}

func (p *pgProxy) serve(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(client, server) {
		client.Close()
		if server != nil {
			server.Close()
		}
		return
	}
	defer p.forget(client, server)
	go func() {
		// What the client sends passes untouched.
		_, _ = io.Copy(server, client)
		server.Close()
	}()
	p.relay(server, client)
}

// relay forwards the server's messages one by one (a type byte, then a
// length that counts itself: every message after the client's untyped
// startup packet) and applies the script to CommandComplete "COMMIT".
func (p *pgProxy) relay(server, client net.Conn) {
	r := bufio.NewReader(server)
	head := make([]byte, 5)
	for {
		if _, err := io.ReadFull(r, head); err != nil {
			return
		}
		n := binary.BigEndian.Uint32(head[1:])
		if n < 4 {
			return
		}
		body := make([]byte, n-4)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		if head[0] == 'C' && string(body) == "COMMIT\x00" && !p.commit() {
			return // cut: the server committed, the client never learns
		}
		if _, err := client.Write(append(head, body...)); err != nil {
			return
		}
	}
}

// commit plays the next step of the script on a COMMIT's answer and
// reports whether to forward it.
func (p *pgProxy) commit() bool {
	p.mu.Lock()
	if len(p.script) == 0 {
		p.mu.Unlock()
		return true
	}
	step := p.script[0]
	p.script = p.script[1:]
	p.mu.Unlock()
	if step.held != nil {
		close(step.held)
		<-step.release
	}
	if step.down {
		p.setDown()
	}
	return !step.cut && !step.down
}
