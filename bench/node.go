package bench

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
)

// server is the system under test as the benchmarks see it: a real node
// serving over loopback TCP, and a way to enrol devices before it goes live.
type server struct {
	url      string // set by live
	dataDir  string
	registry *siaga.Registry
	election *siaga.Election
	enrol    func(ctx context.Context, tps string, role siaga.Role) (device, error)
	// live starts serving once the workload is prepared: in a `siaga serve`
	// process of its own unless the benchmark runs in-process.
	live func(ctx context.Context) error
	// peakRSSMB is the server's peak resident set; in-process it includes
	// the load generator.
	peakRSSMB func() float64
	close     func() error
}

// startNode initialises a Banten data folder and opens it for enrolment.
func startNode(ctx context.Context, o options) (*server, error) {
	cfg := node.Config{
		DataDir: o.data,
		DB:      o.db,
		Addr:    "127.0.0.1:0",
		Now:     time.Now,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if err := node.Init(ctx, cfg, o.province, o.seed); err != nil {
		return nil, fmt.Errorf("initialising %s: %w", o.data, err)
	}
	n, err := node.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", o.data, err)
	}
	issuers, err := benchIssuers(ctx, n)
	if err != nil {
		n.Close()
		return nil, err
	}
	srv := &server{
		dataDir:  o.data,
		registry: n.Registry,
		election: n.Election,
		enrol: func(ctx context.Context, tps string, role siaga.Role) (device, error) {
			return enrolDevice(ctx, n, issuers[role], tps, role)
		},
	}
	if o.inprocess {
		srv.live = func(context.Context) error { return serveInProcess(n, srv) }
		srv.peakRSSMB = peakRSSMB
	} else {
		srv.live = func(ctx context.Context) error { return serveInChild(ctx, n, o, srv) }
	}
	srv.close = n.Close
	return srv, nil
}

// benchIssuers creates the accounts that enrol each field role's phones:
// KPU's operator, Bawaslu, and a ticket's witness coordinator.
func benchIssuers(ctx context.Context, n *node.Node) (map[siaga.Role]*siaga.User, error) {
	issuers := map[siaga.Role]*siaga.User{}
	for role, nu := range map[siaga.Role]auth.NewUser{
		siaga.RoleKPPS:  {Username: "bench", Role: siaga.RoleKPUProv},
		siaga.RolePTPS:  {Username: "bench-bawaslu", Role: siaga.RoleBawaslu},
		siaga.RoleSaksi: {Username: "bench-saksi", Role: siaga.RoleSaksiKoord, Party: siaga.TicketOf("01")},
	} {
		nu.Name, nu.Password = "Benchmark", "bench-password-not-secret"
		u, err := n.Auth.AddUser(ctx, auth.Console(), nu)
		if err != nil {
			return nil, fmt.Errorf("creating the bench operator %s: %w", nu.Username, err)
		}
		issuers[role] = u
	}
	return issuers, nil
}

func enrolDevice(ctx context.Context, n *node.Node, issuer *siaga.User, tps string, role siaga.Role) (device, error) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return device{}, fmt.Errorf("generating a key: %w", err)
	}
	code, err := n.Auth.IssueEnrolment(ctx, issuer, tps, role, time.Hour)
	if err != nil {
		return device{}, fmt.Errorf("issuing enrolment for %s: %w", tps, err)
	}
	d, _, err := n.Auth.Enrol(ctx, code, pub)
	if err != nil {
		return device{}, fmt.Errorf("enrolling %s: %w", tps, err)
	}
	return device{id: d.ID, priv: priv}, nil
}

// serveInProcess serves the open node on a free loopback port of this
// process, for the package's tests and for comparing with a child.
func serveInProcess(n *node.Node, srv *server) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- n.Serve(ln) }()
	srv.url = "http://" + ln.Addr().String()
	srv.close = func() error {
		err := n.Close()
		// Closing the listener too ends Serve even if it had not yet
		// registered its server with the node when Close ran.
		ln.Close()
		select {
		case serr := <-served:
			if serr != nil && !errors.Is(serr, http.ErrServerClosed) && !errors.Is(serr, net.ErrClosed) && err == nil {
				err = serr
			}
		case <-time.After(5 * time.Second):
		}
		return err
	}
	return nil
}

// serveInChild closes the node in this process and serves the same data
// folder from `siaga serve`, as an operator runs it.
func serveInChild(ctx context.Context, n *node.Node, o options, srv *server) error {
	if err := n.Close(); err != nil {
		return fmt.Errorf("closing the setup node: %w", err)
	}
	srv.close = func() error { return nil }
	exe, err := executable()
	if err != nil {
		return err
	}
	args := []string{"serve", "--data", o.data, "--addr", "127.0.0.1:0"}
	if o.db != "" {
		args = append(args, "--db", o.db)
	}
	if o.cpuprofile != "" {
		args = append(args, "--cpuprofile", o.cpuprofile)
	}
	if o.memprofile != "" {
		args = append(args, "--memprofile", o.memprofile)
	}
	c, err := startChild(ctx, exe, args...)
	if err != nil {
		return err
	}
	srv.url = strings.TrimSuffix(c.url, "/")
	srv.peakRSSMB = c.peakRSSMB
	srv.close = c.stop
	return nil
}
