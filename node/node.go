// Package node assembles one running Siaga: the store, the registry, the
// election definition, accounts, the e-rekap engine and the HTTP server.
// cmd/siaga, the demo, the benchmarks and the end-to-end tests all start
// Siaga through it, so they run exactly what production runs.
package node

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	nethttp "net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/http"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/intake"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/meeting"
	"github.com/deskpemilu/siaga/postgres"
	"github.com/deskpemilu/siaga/postponement"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/results"
	"github.com/deskpemilu/siaga/rules"
	"github.com/deskpemilu/siaga/search"
	"github.com/deskpemilu/siaga/sitrep"
	"github.com/deskpemilu/siaga/sms"
	"github.com/deskpemilu/siaga/sqlite"
	"github.com/deskpemilu/siaga/vulnerability"
	"github.com/deskpemilu/siaga/warning"
)

// Config says where a node keeps its data and where it listens.
type Config struct {
	DataDir string
	// DB is a postgres:// URL; empty means SQLite in DataDir.
	DB   string
	Addr string
	// Counting is the source of the official tally: kpps (default), or
	// sirekap for a desk that monitors KPU's published data.
	Counting siaga.Source
	// FullReplay restarts by decoding every stored form
	// (results.Engine.Rebuild), as restarts did before they read forms in
	// place: for the restart benchmark's comparison.
	FullReplay bool
	Now        func() time.Time
	Logger     *slog.Logger
	// SMSWebhookSecret authenticates POST /sms/webhook (X-Siaga-Signature,
	// HMAC-SHA256 of X-Siaga-Timestamp, a dot and the body); empty refuses
	// every webhook call.
	SMSWebhookSecret string
	// SMSKannelKey, when set, must be the key= parameter of every call to
	// GET /sms/kannel; unset, only callers on this host are answered.
	SMSKannelKey string
	// SMSNumber is the desk's number that phones text their reports to
	// (the gateway's modem or the operator's short code), given to every
	// phone at enrolment; empty, the field app cannot offer SMS.
	SMSNumber string
	// Limits of the public listener (docs/security.md).
	Limits Limits
	// TrustedProxies are the reverse proxies (addresses or CIDR prefixes)
	// whose X-Forwarded-For and X-Forwarded-Proto are believed.
	TrustedProxies []netip.Prefix
	// PublicURL is the address phones reach the server at, printed in
	// enrolment QR codes; empty: the address the operator's browser used.
	PublicURL string
	// MetricsToken lets /metrics answer on the public address to a caller
	// with this bearer token; ServeMetrics serves it on another address.
	MetricsToken string
	// SecretKey is the server key (SIAGA_SECRET_KEY, at least 32
	// characters). Empty: the data folder's secret.key, created on first
	// use. See secretKey.
	SecretKey string
	// MaxPasswordHashes bounds the password hashes computed at once (each
	// takes 19 MiB); 0 means auth.DefaultMaxHashes.
	MaxPasswordHashes int
	// SignalThresholds classify signal surveys; nil:
	// connectivity.DefaultThresholds.
	SignalThresholds *connectivity.Thresholds
	// BOM is the bill of materials the logistics needs are counted with
	// (`--bom FILE`); nil: logistics.DefaultBOM.
	BOM *logistics.BOM
	// CustodyDeadlines are when a TPS's sealed boxes are late at the PPS
	// and at the PPK; zero: logistics.DefaultDeadlines of the election's
	// voting day.
	CustodyDeadlines logistics.Deadlines
	// Vulnerability is the TPS-vulnerability method (`--vulnerability
	// FILE`); nil: siaga.DefaultVulnConfig.
	Vulnerability *siaga.VulnConfig
	// Warning is the early-warning method (`--warning FILE`); zero:
	// warning.DefaultConfig. WarningEvery is how often it scans (default
	// a minute; a verification also asks for a scan).
	Warning      warning.Config
	WarningEvery time.Duration
	// SMSSend is the gateway the early warning's SMS go out through
	// (`--sms-send-url` and $SIAGA_SMS_SEND_USER/_PASSWORD); empty URL: the
	// notices stay in the app and the SMS wait.
	SMSSend sms.Kannel
}

// Limits bound what clients can hold open. The defaults suit one
// province's night on one node: the phones' connections are short, a
// dashboard holds one stream.
type Limits struct {
	MaxConns            int // connections open at once, in all (default 4,096)
	MaxConnsPerClient   int // from one address (default 256); proxies are exempt
	MaxStreams          int // live-update streams (default 1,000)
	MaxStreamsPerClient int // from one address (default 32)
	// RequestTimeout and SlowTimeout bound the time to read a body and
	// write the answer: of most routes (default 10 s), and of photo and
	// relay uploads and exports (default 2 min).
	RequestTimeout, SlowTimeout time.Duration
}

func (l *Limits) defaults() {
	l.MaxConns = cmp.Or(l.MaxConns, 4096)
	l.MaxConnsPerClient = cmp.Or(l.MaxConnsPerClient, 256)
	l.MaxStreams = cmp.Or(l.MaxStreams, 1000)
	l.MaxStreamsPerClient = cmp.Or(l.MaxStreamsPerClient, 32)
}

func (c *Config) defaults() {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	c.Limits.defaults()
}

// Node is one running Siaga.
type Node struct {
	Config   Config
	Store    siaga.Store
	Registry *siaga.Registry
	Regions  *registry.Index
	Election *siaga.Election
	Ballot   *election.Index
	Auth     *auth.Service
	// Rules checks forms against the registry and the election.
	Rules   *rules.Checker
	Results *results.Engine
	// Search finds regions and TPS by code or name for the search box.
	Search *search.Index
	// Intake is the one way a count form enters: every channel hands its
	// submissions to it.
	Intake *intake.Intake
	// Postponements records the TPS whose voting is postponed on the
	// day, and holds the set of them the e-rekap asks.
	Postponements *postponement.Service
	// Meetings keeps the desk's coordination meetings and follows their
	// action items to done.
	Meetings *meeting.Service
	// Needs counts what every TPS and region needs (logistics/needs*.go).
	Needs *logistics.NeedsService
	// Ballots keeps the ballot lots and their damage (logistics/ballot.go).
	Ballots *logistics.Ballots
	// Connectivity classifies the TPS from signal surveys and applies
	// the interventions.
	Connectivity *connectivity.Service
	// Disaster keeps hazard zones, TPS locations and every TPS's exposure.
	Disaster *disaster.Service
	// Vulnerability classifies every TPS's kerawanan and the staffing it implies.
	Vulnerability *vulnerability.Service
	// LogisticsBoard is the kit readiness of every TPS from the shipments
	// (logistics board); the shipments service writes through its Watch.
	LogisticsBoard *logistics.Board
	// Shipments moves the election logistics down the chain to the TPS.
	Shipments *logistics.Shipments
	Custody   *logistics.Custody // the sealed boxes back after voting, TPS → PPS → PPK
	Sitrep    *sitrep.Service    // the situation report, on demand and every morning
	// Incidents is the workflow of reports of trouble (issue 14).
	Incidents *incident.Service
	// Gakkumdu follows the suspected election crimes and their clocks.
	Gakkumdu *gakkumdu.Service
	// Warning raises the early-warning alerts and tells subscribers.
	Warning *warning.Service
	Handler nethttp.Handler
	Metrics *prometheus.Registry

	web    *http.Server
	stop   context.CancelFunc
	server *nethttp.Server
	// metricsServer answers /metrics on its own address (ServeMetrics).
	metricsServer *nethttp.Server
	// followed closes when the node stops following revocations.
	followed chan struct{}
	// authDone is closed when the session purger has stopped.
	authDone chan struct{}
	// reviewsDone is closed when the anomaly reviews' refresh has stopped.
	reviewsDone chan struct{}
	// postponedDone is closed when the postponements' refresh has stopped.
	postponedDone chan struct{}
	// boardWarmed is closed when the logistics board's first read ended.
	boardWarmed chan struct{}
	// custodyDone is closed when the custody's late alerts have stopped.
	custodyDone chan struct{}
	// sitrepDone is closed when the morning reports' schedule has stopped;
	// nil when the handler was never built.
	sitrepDone chan struct{}
	// gakkumduDone is closed when the cases' overdue alerts have stopped.
	gakkumduDone chan struct{}
	// warningDone is closed when the early-warning scans have stopped.
	warningDone chan struct{}
}

// OpenStore opens the database of a data folder: PostgreSQL when cfg.DB is
// set, else SQLite in the folder.
func OpenStore(ctx context.Context, cfg Config) (siaga.Store, error) {
	if strings.HasPrefix(cfg.DB, "postgres://") || strings.HasPrefix(cfg.DB, "postgresql://") {
		return postgres.Open(ctx, cfg.DB)
	}
	if cfg.DB != "" {
		return nil, fmt.Errorf("node: --db must be a postgres:// URL, got %q", cfg.DB)
	}
	if cfg.DataDir == "" {
		return nil, errors.New("node: a data folder is required (--data DIR)")
	}
	cfg.defaults()
	if err := privateDataDir(cfg.DataDir, cfg.Logger); err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, filepath.Join(cfg.DataDir, dbFile))
}

// Init fills a new data folder (or database) with the real registry of a
// province ("36", or "all" for Indonesia) and the election definition. A
// failed Init leaves the folder as it found it: a wrong province code is
// refused before anything is written, and whatever was created before a
// later failure is removed.
func Init(ctx context.Context, cfg Config, province string, seed int64) (err error) {
	cfg.defaults()
	reg, err := registry.Load(province, seed)
	if err != nil {
		return fmt.Errorf("node: loading the registry of %s: %w", province, err)
	}
	if cfg.DataDir != "" {
		undo, uerr := undoCreated(cfg.DataDir)
		if uerr != nil {
			return uerr
		}
		defer func() {
			if err != nil { // Init's own result
				undo()
			}
		}()
	}
	store, err := OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := secretKey(ctx, cfg, store); err != nil {
		return err
	}
	if err := store.SaveRegistry(ctx, reg); err != nil {
		return fmt.Errorf("node: saving the registry: %w", err)
	}
	if err := store.SaveElection(ctx, definitionFor(reg, province, seed)); err != nil {
		return fmt.Errorf("node: saving the election definition: %w", err)
	}
	cfg.Logger.Info("data folder ready", "province", province, "regions", len(reg.Regions), "tps", len(reg.TPS))
	return nil
}

// undoCreated returns a function that removes what appears in dir from now
// on: all of dir if it does not exist yet, else the entries it lacks now.
func undoCreated(dir string) (undo func(), err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return func() { os.RemoveAll(dir) }, nil
	}
	if err != nil {
		return nil, fmt.Errorf("node: reading the data folder: %w", err)
	}
	before := map[string]bool{}
	for _, e := range entries {
		before[e.Name()] = true
	}
	return func() {
		now, _ := os.ReadDir(dir)
		for _, e := range now {
			if !before[e.Name()] {
				os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		}
	}, nil
}

// definitionFor is the built-in Pemilu 2024 definition. Only Banten's has
// dapil and candidate lists; elsewhere the presidential contest alone can be
// counted until a definition file is loaded.
func definitionFor(reg *siaga.Registry, province string, seed int64) *siaga.Election {
	e := election.Banten2024(reg, seed)
	if province == "36" {
		return e
	}
	e.Province = province
	e.Dapil = nil
	e.Synthetic = append(e.Synthetic, "Daftar dapil dan caleg hanya tersedia untuk Banten; di wilayah ini hanya Pilpres yang dapat direkap.")
	return e
}
