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
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// server is the system under test as the benchmarks see it: a real node
// serving over loopback TCP, and a way to enrol devices in-process.
type server struct {
	url      string
	dataDir  string
	registry *siaga.Registry
	election *siaga.Election
	enrol    func(ctx context.Context, tps string, role siaga.Role) (device, error)
	close    func() error
}

// startNode initialises a Banten data folder, opens it and serves it on a
// free loopback port.
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
	admin, err := n.Auth.CreateUser(ctx, "bench", "Benchmark", "bench-password-not-secret", siaga.RoleAdmin, "")
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("creating the bench operator: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("listening: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- n.Serve(ln) }()
	enrol := func(ctx context.Context, tps string, role siaga.Role) (device, error) {
		pub, priv, err := ed25519.GenerateKey(nil)
		if err != nil {
			return device{}, fmt.Errorf("generating a key: %w", err)
		}
		code, err := n.Auth.IssueEnrolment(ctx, admin, tps, role, time.Hour)
		if err != nil {
			return device{}, fmt.Errorf("issuing enrolment for %s: %w", tps, err)
		}
		d, _, err := n.Auth.Enrol(ctx, code, pub)
		if err != nil {
			return device{}, fmt.Errorf("enrolling %s: %w", tps, err)
		}
		return device{id: d.ID, priv: priv}, nil
	}
	return &server{
		url:      "http://" + ln.Addr().String(),
		dataDir:  o.data,
		registry: n.Registry,
		election: n.Election,
		enrol:    enrol,
		close: func() error {
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
		},
	}, nil
}
