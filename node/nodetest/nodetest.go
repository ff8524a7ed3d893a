// Package nodetest starts real nodes for tests: the Banten registry in a
// fresh data folder, served over loopback TCP, with the staff who enrol
// its phones and the phones they enrol. Tests of the HTTP API, the field
// app, SMS, the client and the node itself all need this set-up; each
// wrote its own before.
package nodetest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node"
)

const (
	// Province is the registry every node here is initialised with.
	Province = "36"
	// Password is every staff account's password.
	Password = "kata-sandi-yang-panjang"
)

// Open initialises Banten in a fresh data folder (in the database cfg.DB
// names, when set does) and opens a node on it, closed when tb ends. set
// may be nil.
func Open(tb testing.TB, set func(*node.Config)) *node.Node {
	tb.Helper()
	ctx := context.Background()
	cfg := node.Config{DataDir: tb.TempDir(), Addr: "127.0.0.1:0"}
	if set != nil {
		set(&cfg)
	}
	if err := initData(ctx, cfg); err != nil {
		tb.Fatalf("init: %v", err)
	}
	n, err := node.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { n.Close() })
	return n
}

// banten is a Banten data folder initialised once per test binary and
// kept in memory: writing its files into a fresh folder costs milliseconds
// where Init costs seconds (15 s under the race detector, which instruments
// the pure-Go SQLite), and most tests of the HTTP API open a node each.
var banten struct {
	once  sync.Once
	files map[string][]byte
	err   error
}

// initData initialises cfg's data folder: from the in-memory copy for
// SQLite, by Init itself for PostgreSQL, whose database is not a file, and
// for a server key of the test's own, which the copy was not made with.
func initData(ctx context.Context, cfg node.Config) error {
	if cfg.DB != "" || cfg.SecretKey != "" {
		return node.Init(ctx, cfg, Province, 1)
	}
	banten.once.Do(func() { banten.files, banten.err = initOnce(ctx) })
	if banten.err != nil {
		return banten.err
	}
	for name, data := range banten.files {
		if err := os.WriteFile(filepath.Join(cfg.DataDir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// initOnce runs Init in a scratch folder and reads back what it wrote.
func initOnce(ctx context.Context) (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "siaga-nodetest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := node.Init(ctx, node.Config{DataDir: dir}, Province, 1); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			return nil, fmt.Errorf("nodetest: Init made a folder %s, which the copy does not carry", e.Name())
		}
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// Serve answers HTTP for n on a loopback port until n closes, and returns
// its base URL.
func Serve(tb testing.TB, n *node.Node) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go n.Serve(ln)
	return "http://" + ln.Addr().String()
}

// Site is a node served over loopback TCP with the staff who enrol its
// phones.
type Site struct {
	*node.Node
	URL string
	// Operator is KPU's provincial operator (kpu_prov, all of Banten),
	// who enrols KPPS phones.
	Operator *client.Client
	issuers  map[siaga.Role]*client.Client
}

// Start opens a node as Open does, serves it and adds its operator.
func Start(tb testing.TB, set func(*node.Config)) *Site {
	tb.Helper()
	n := Open(tb, set)
	s := &Site{Node: n, URL: Serve(tb, n)}
	s.Operator = s.Staff(tb, issuers[siaga.RoleKPPS])
	s.issuers = map[siaga.Role]*client.Client{siaga.RoleKPPS: s.Operator}
	return s
}

// Staff creates the account nu (its name and password default to its
// username and Password) and returns a client of the site
// carrying an API token of it.
func (s *Site) Staff(tb testing.TB, nu auth.NewUser) *client.Client {
	tb.Helper()
	return &client.Client{BaseURL: s.URL, Token: Token(tb, s.Node, nu)}
}

// Token creates the account nu, with Staff's defaults, and returns an API
// token of it.
func Token(tb testing.TB, n *node.Node, nu auth.NewUser) string {
	tb.Helper()
	ctx := context.Background()
	u, err := n.Auth.AddUser(ctx, auth.Console(), withDefaults(nu))
	if err != nil {
		tb.Fatalf("account %s: %v", nu.Username, err)
	}
	tok, err := n.Auth.NewAPIToken(ctx, u, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

func withDefaults(nu auth.NewUser) auth.NewUser {
	if nu.Name == "" {
		nu.Name = nu.Username
	}
	if nu.Password == "" {
		nu.Password = Password
	}
	return nu
}

// issuers are who enrols the phones of each field role (SPEC §2): KPU's
// operator, Bawaslu, and party 1's witness coordinator.
var issuers = map[siaga.Role]auth.NewUser{
	siaga.RoleKPPS:  {Username: "operator", Name: "Operator", Role: siaga.RoleKPUProv, Scope: Province},
	siaga.RolePTPS:  {Username: "bawaslu", Role: siaga.RoleBawaslu, Scope: Province},
	siaga.RoleSaksi: {Username: "koord", Role: siaga.RoleSaksiKoord, Scope: Province, Party: siaga.PartyOf(1)},
}

// Phone enrols a phone of role at tps over the API, with a code its
// issuer asked for.
func (s *Site) Phone(tb testing.TB, tps string, role siaga.Role) *client.Device {
	tb.Helper()
	return s.Phones(tb, role, tps)[0]
}

// Phones enrols a phone of role at each of tps, the codes asked for in one
// request.
func (s *Site) Phones(tb testing.TB, role siaga.Role, tps ...string) []*client.Device {
	tb.Helper()
	ctx := context.Background()
	issuer, ok := s.issuers[role]
	if !ok {
		issuer = s.Staff(tb, issuers[role])
		s.issuers[role] = issuer
	}
	codes, err := issuer.IssueEnrolments(ctx, tps, role)
	if err != nil {
		tb.Fatalf("codes for %s phones: %v", role, err)
	}
	devs := make([]*client.Device, len(tps))
	for i, code := range tps {
		if devs[i], err = (&client.Client{BaseURL: s.URL}).Enrol(ctx, codes[code]); err != nil {
			tb.Fatalf("enrolling a %s phone at %s: %v", role, code, err)
		}
	}
	return devs
}

// Codes issues, in-process, a code for a phone of role at each of tps, as
// its issuer (the account Phones uses, created when missing): for tests
// whose phone enrols through a browser.
func Codes(tb testing.TB, n *node.Node, role siaga.Role, tps ...string) []string {
	tb.Helper()
	ctx := context.Background()
	nu := withDefaults(issuers[role])
	u, err := n.Store.UserByUsername(ctx, nu.Username)
	if siaga.ErrorCode(err) == siaga.ENotFound {
		u, err = n.Auth.AddUser(ctx, auth.Console(), nu)
	}
	if err != nil {
		tb.Fatal(err)
	}
	codes, err := n.Auth.IssueEnrolments(ctx, u, tps, role, time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	return codes
}
