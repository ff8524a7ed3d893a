// Package demo runs `siaga demo`: a fresh data folder with the real Banten
// registry, a node serving the dashboard, and a simulated election night
// whose forms arrive over HTTP from enrolled, signing devices, exactly as
// phones would send them.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
)

// Config is what `siaga demo` accepts.
type Config struct {
	DataDir string
	Addr    string
	Night   time.Duration // the whole night, compressed
	// Region limits the simulated night to the TPS below one region code
	// (default: the whole province).
	Region string
	Seed   int64
	// Open is the share of TPS whose presidential count is already in
	// when the dashboard opens (default 0.1): the night starts with the
	// polls closed and the counting under way, not with an empty map.
	// Negative opens at the first report.
	Open    float64
	Keep    bool // keep an existing demo folder instead of starting afresh
	Workers int
	Out     io.Writer
	Logger  *slog.Logger
	Now     func() time.Time
	// Ready, when set, receives the dashboard URL once the server listens.
	Ready func(url string)
	// Finished, when set, is called when the simulated night has been sent.
	Finished func(sent, refused int64)
}

// Run sets up the demo and drives the night; it serves until ctx ends.
func Run(ctx context.Context, cfg Config) error {
	defaults(&cfg)
	ncfg := node.Config{DataDir: cfg.DataDir, Addr: cfg.Addr, Logger: cfg.Logger, Now: cfg.Now}
	if err := prepare(ctx, cfg, ncfg); err != nil {
		return err
	}
	n, err := node.Open(ctx, ncfg)
	if err != nil {
		return err
	}
	defer n.Close()
	logins, tokens, err := operators(ctx, n)
	if err != nil {
		return err
	}
	if err := readiness(ctx, n, cfg.Out); err != nil {
		return err
	}
	if err := playLogistics(ctx, n, cfg.Out); err != nil {
		return err
	}
	if err := playSecurity(ctx, n, cfg.Out); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("demo: listening on %s: %w", cfg.Addr, err)
	}
	go n.Serve(ln)
	url := "http://" + ln.Addr().String()
	d := newDriver(n, url, tokens, cfg)
	fmt.Fprintf(cfg.Out, "Siaga demo — Pemilu 2024, Banten (%d TPS)\n", len(n.Registry.TPS))
	fmt.Fprintln(cfg.Out, "Membuka malam pemilu: TPS sudah tutup, penghitungan berjalan …")
	if err := d.open(ctx); err != nil {
		return err
	}
	printGuide(ctx, cfg.Out, d, url, logins)
	if cfg.Ready != nil {
		cfg.Ready(url)
	}
	if err := d.run(ctx); err != nil && ctx.Err() == nil {
		return err
	}
	if ctx.Err() == nil {
		fmt.Fprintln(cfg.Out, "Simulasi selesai; dasbor tetap berjalan (Ctrl-C untuk berhenti).")
		if cfg.Finished != nil {
			cfg.Finished(d.sent.Load(), d.refused.Load())
		}
	}
	<-ctx.Done()
	return nil
}

func defaults(cfg *Config) {
	if cfg.DataDir == "" {
		cfg.DataDir = "siaga-demo"
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.Night <= 0 {
		cfg.Night = 10 * time.Minute
	}
	if cfg.Open == 0 {
		cfg.Open = 0.1
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
}

// prepare makes a fresh demo folder with the Banten registry, unless Keep
// asks to reuse one that exists.
func prepare(ctx context.Context, cfg Config, ncfg node.Config) error {
	db := filepath.Join(cfg.DataDir, "siaga.db")
	if _, err := os.Stat(db); err == nil && cfg.Keep {
		return nil
	}
	if err := os.RemoveAll(cfg.DataDir); err != nil {
		return fmt.Errorf("demo: clearing %s: %w", cfg.DataDir, err)
	}
	fmt.Fprintf(cfg.Out, "Menyiapkan data Banten di %s …\n", cfg.DataDir)
	return node.Init(ctx, ncfg, "36", cfg.Seed)
}

// issuerTokens are the API tokens the demo's officials work with: KPU's
// recap operator enrols the KPPS phones and enters the corrections, a
// ticket's witness coordinator enrols the witnesses' phones.
type issuerTokens struct{ kpu, witness string }

// logins are the accounts a visitor may sign in with.
type logins struct {
	admin string // the administrator's password
	desk  string // the desk duty officer's, who works the dispatch board
	enrol string // a kab/kota KPU operator's, who prints enrolment sheets
	// logistik is the KPU logistics officer's, who moves the kit; aparat
	// the escorts' (Polda Banten), who update the legs they escort.
	logistik, aparat string
	// enrolScope is the kab/kota of the enrolment operator.
	enrolScope string
}

const (
	deskUser     = "piket"
	enrolUser    = "kpukab"
	logistikUser = "logistik"
	aparatUser   = "aparat"
)

// operators creates the admin login, the desk duty officer's, and the
// officials whose tokens enrol the devices and send the corrections.
func operators(ctx context.Context, n *node.Node) (logins, issuerTokens, error) {
	var l logins
	var tokens issuerTokens
	var err error
	root := n.Registry.Regions[0].Code
	l.enrolScope = root
	if kab := n.Regions.Children(root); len(kab) > 0 {
		l.enrolScope = kab[0].Code
	}
	for _, acc := range []struct {
		password       *string
		username, name string
		role           siaga.Role
		scope          string
	}{
		{&l.admin, "admin", "Administrator Desk", siaga.RoleAdmin, ""},
		{&l.desk, deskUser, "Petugas Piket Desk Pemilu", siaga.RoleDesk, root},
		{&l.enrol, enrolUser, "Operator KPU Kabupaten", siaga.RoleKPUKab, l.enrolScope},
		{&l.logistik, logistikUser, "Petugas Logistik KPU Provinsi", siaga.RoleLogistik, root},
		{&l.aparat, aparatUser, "Pengawal Logistik Polda Banten", siaga.RoleAparat, root},
	} {
		*acc.password = randomPassword()
		if _, err = n.Auth.CreateUser(ctx, acc.username, acc.name, *acc.password, acc.role, acc.scope); err != nil {
			if siaga.ErrorCode(err) != siaga.EConflict {
				return l, tokens, err
			}
			*acc.password = "(tidak berubah dari demo sebelumnya)"
		}
	}
	suffix := n.Config.Now().Unix()
	op, err := n.Auth.CreateUser(ctx, fmt.Sprintf("rekap%d", suffix), "Operator Rekap KPU Provinsi", randomPassword(), siaga.RoleKPUProv, root)
	if err != nil {
		return l, tokens, err
	}
	if tokens.kpu, err = n.Auth.NewAPIToken(ctx, op, "demo"); err != nil {
		return l, tokens, err
	}
	koord, err := n.Auth.AddUser(ctx, auth.Console(), auth.NewUser{Username: fmt.Sprintf("saksi%d", suffix),
		Name: "Koordinator Saksi Paslon 01", Password: randomPassword(), Role: siaga.RoleSaksiKoord, Scope: root,
		Party: siaga.TicketOf("01")})
	if err != nil {
		return l, tokens, err
	}
	tokens.witness, err = n.Auth.NewAPIToken(ctx, koord, "demo")
	return l, tokens, err
}

// randomPassword has 96 bits, 16 characters: above the password policy's
// minimum of 12.
func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
