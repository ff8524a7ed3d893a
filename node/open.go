package node

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	nethttp "net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/http"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/intake"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/meeting"
	"github.com/deskpemilu/siaga/postponement"
	"github.com/deskpemilu/siaga/readiness"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/results"
	"github.com/deskpemilu/siaga/rules"
	"github.com/deskpemilu/siaga/search"
	"github.com/deskpemilu/siaga/sitrep"
	"github.com/deskpemilu/siaga/sms"
	"github.com/deskpemilu/siaga/vulnerability"
	"github.com/deskpemilu/siaga/warning"
)

// Open starts a node on an initialised data folder: it loads the registry
// and the election, rebuilds the tallies from the stored versions and
// starts the writer. Call Serve to answer HTTP and Close to stop.
func Open(ctx context.Context, cfg Config) (*Node, error) {
	cfg.defaults()
	if err := initialised(cfg); err != nil {
		return nil, err
	}
	store, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	n, err := open(ctx, cfg, store)
	if err != nil {
		store.Close()
		return nil, err
	}
	return n, nil
}

func open(ctx context.Context, cfg Config, store siaga.Store) (*Node, error) {
	reg, err := store.LoadRegistry(ctx)
	if err != nil {
		return nil, fmt.Errorf("node: loading the registry: %w", err)
	}
	if len(reg.TPS) == 0 {
		return nil, notInitialised(cfg.DataDir)
	}
	el, err := store.LoadElection(ctx)
	if err != nil {
		return nil, fmt.Errorf("node: loading the election definition: %w", err)
	}
	key, err := secretKey(ctx, cfg, store)
	if err != nil {
		return nil, err
	}
	a := auth.New(store, cfg.Now)
	a.Key, a.MaxHashes, a.Logger = key, cfg.MaxPasswordHashes, cfg.Logger
	n := &Node{
		Config: cfg, Store: store, Registry: reg, Regions: registry.NewIndex(reg),
		Election: el, Ballot: election.NewIndex(el), Auth: a,
		Metrics: prometheus.NewRegistry(),
	}
	n.Rules = rules.NewChecker(n.Regions, el)
	n.Needs = logistics.NewNeeds(reg, n.Ballot, cfg.BOM)
	n.Ballots = logistics.NewBallots(logistics.BallotsConfig{Store: store, Needs: n.Needs, Now: cfg.Now})
	postponed := postponement.NewSet(store)
	if err := postponed.Refresh(ctx); err != nil {
		return nil, err
	}
	n.Postponements = postponement.New(postponement.Config{Store: store, Set: postponed, TPS: n.Regions.TPS, Logger: cfg.Logger,
		Rules: postponement.Rules{VotingDay: el.Date, Zone: siaga.WIB, Now: cfg.Now}})
	n.Meetings = meeting.New(meeting.Config{Store: store, Region: n.Regions.Region, Now: cfg.Now})
	n.Results, err = results.New(results.Config{
		Store: store, Reviews: store, Registry: reg, Election: el, Counting: cfg.Counting,
		Postponed: postponed, Now: cfg.Now, Logger: cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	n.Intake = intake.New(intake.Config{Auth: n.Auth, Results: n.Results, Rules: n.Rules})
	load := n.Results.Load
	if cfg.FullReplay {
		load = n.Results.Rebuild
	}
	if err := load(ctx); err != nil {
		return nil, err
	}
	islands, err := registry.Islands()
	if err != nil {
		return nil, err
	}
	// The board rereads the shipments when the shipments service writes
	// through its Watch, at once rather than on its one-minute refresh.
	n.LogisticsBoard = logistics.NewBoard(logistics.BoardConfig{Store: store, TPS: reg.TPS, Regions: n.Regions,
		Ballot: n.Ballot, BOM: n.Needs.BOM(), VotingDay: el.Date, Now: cfg.Now})
	n.Shipments = logistics.NewShipments(logistics.ShipmentsConfig{Store: n.LogisticsBoard.Watch(store), Registry: reg, Regions: n.Regions,
		Election: el, Ballot: n.Ballot, Islands: islands, BOM: n.Needs.BOM(), Now: cfg.Now})
	// A TPS stands at its newest stored location (imported, or moved by
	// a relocation), else at its registry point.
	n.Connectivity = connectivity.New(connectivity.Config{Store: store, Registry: reg, Locations: store, Sites: store,
		Thresholds: cfg.SignalThresholds, Now: cfg.Now})
	if err := n.Connectivity.Load(ctx); err != nil {
		return nil, err
	}
	if n.Disaster, err = openDisaster(ctx, cfg, store, reg); err != nil {
		return nil, err
	}
	n.Gakkumdu = gakkumdu.New(gakkumdu.Config{Store: store, Incidents: store, Now: cfg.Now})
	if n.Custody, err = openCustody(cfg, store, reg, el); err != nil {
		return nil, err
	}
	n.Incidents = openIncidents(cfg, store, n)
	n.Vulnerability = openVulnerability(cfg, store, reg, islands, n)
	n.Warning = openWarning(cfg, store)
	warmed := cfg.Now()
	if _, err := n.Auth.WarmDevices(ctx); err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(context.Background())
	n.stop = stop
	go n.Results.Run(runCtx)
	n.followed = make(chan struct{})
	go func() {
		defer close(n.followed)
		feed, every := revocationFeed(store)
		n.Auth.Follow(runCtx, feed, every, warmed, cfg.Logger)
	}()
	n.reviewsDone = make(chan struct{})
	go func() {
		defer close(n.reviewsDone)
		// Other nodes set reviews only on a shared (PostgreSQL) database;
		// a review is a person's act, so 15 s behind is in step.
		if feed, _ := revocationFeed(store); feed != nil {
			n.Results.FollowReviews(runCtx, reviewRefresh, cfg.Logger)
		}
	}()
	n.postponedDone = make(chan struct{})
	go func() {
		defer close(n.postponedDone)
		// As the reviews: postponements made through another node reach
		// this one's missing list within a refresh.
		if feed, _ := revocationFeed(store); feed != nil {
			n.Postponements.Set().Follow(runCtx, reviewRefresh, cfg.Logger)
		}
	}()
	n.boardWarmed = make(chan struct{})
	go func() {
		defer close(n.boardWarmed)
		// The first official to open a board should not wait for the
		// province's shipments to be read (seconds at 35,000 legs).
		if err := n.LogisticsBoard.Warm(runCtx); err != nil && runCtx.Err() == nil {
			cfg.Logger.Warn("logistics board: warming", "err", err)
		}
	}()
	n.custodyDone = make(chan struct{})
	go func() {
		defer close(n.custodyDone)
		n.Custody.RunLateAlerts(runCtx, rootRegion(reg), custodyCheckInterval, cfg.Logger)
	}()
	n.gakkumduDone = make(chan struct{})
	go func() {
		defer close(n.gakkumduDone)
		n.Gakkumdu.RunOverdueAlerts(runCtx, gakkumduCheckInterval, cfg.Logger)
	}()
	n.warningDone = make(chan struct{})
	go func() {
		defer close(n.warningDone)
		n.Warning.Run(runCtx, cmp.Or(cfg.WarningEvery, warningScanInterval))
	}()
	n.authDone = make(chan struct{})
	go func() {
		defer close(n.authDone)
		n.Auth.Run(runCtx, sessionPurgeInterval)
	}()
	if err := n.buildHandler(); err != nil {
		n.Close()
		return nil, err
	}
	n.sitrepDone = make(chan struct{})
	go func() {
		defer close(n.sitrepDone)
		n.Sitrep.RunMorning(runCtx, rootRegion(reg), sitrepCheckInterval)
	}()
	return n, nil
}

func (n *Node) buildHandler() error {
	n.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	srv := &http.Server{
		Regions: n.Regions, Results: n.Results, Intake: n.Intake, Auth: n.Auth, Election: n.Election,
		Province: rootRegion(n.Registry), Logger: n.Config.Logger, Now: n.Config.Now,
		Dispatch:      n.Store,
		Postponements: n.Postponements,
		Meetings:      n.Meetings,
		Needs:         n.Needs,
		Ballots:       n.Ballots,
		Connectivity:  n.Connectivity,
		Surveys:       n.Connectivity,
		Disaster:      n.Disaster,
		Custody:       n.Custody,
		Gakkumdu:      n.Gakkumdu,
		Shipments:     n.Shipments,
		Incidents:     n.Incidents,
		IncidentStore: n.Store,
		Warning:       n.Warning,
		Warnings:      n.Store,
		Notices:       n.Store,
		Sites:         n.Store,
		Audit:         n.Store,
		Devices:       n.Store,
		PublicURL:     n.Config.PublicURL,
		Ping:          n.Store.Ping,
		Metrics:       promhttp.HandlerFor(n.Metrics, promhttp.HandlerOpts{}),
		Instruments:   http.NewInstruments(n.Metrics),

		MetricsToken:        n.Config.MetricsToken,
		TrustedProxies:      n.Config.TrustedProxies,
		MaxStreams:          n.Config.Limits.MaxStreams,
		MaxStreamsPerClient: n.Config.Limits.MaxStreamsPerClient,
		Timeouts:            http.Timeouts{Quick: n.Config.Limits.RequestTimeout, Slow: n.Config.Limits.SlowTimeout},
	}
	srv.LogisticsBoard = n.LogisticsBoard
	srv.Vulnerability = n.Vulnerability
	n.buildSearch()
	srv.Search, srv.Rules = n.Search, n.Rules
	srv.HandoverPhotos = n.Store
	// The shipment pages read the BTTBs' photos from the store.
	srv.LogisticsPhotos = n.Store
	srv.Readiness = readiness.New(readiness.Config{TPS: n.Registry.TPS, Regions: n.Regions, Signal: n.Connectivity,
		Hazards: n.Disaster, Postponed: n.Postponements.Set(), Kits: n.LogisticsBoard, Now: n.Config.Now,
		Logistics: boardLayer{n.LogisticsBoard}})
	n.Sitrep = n.openSitrep(srv.Readiness)
	srv.Sitrep = n.Sitrep
	var err error
	if srv.Photos, err = n.photoService(); err != nil {
		return fmt.Errorf("node: photo storage: %w", err)
	}
	srv.IncidentStore = n.Store
	srv.SMS = &http.SMSGateway{Service: sms.New(sms.Config{Store: n.Store, Intake: n.Intake, Election: n.Election, Dapil: n.Ballot.Dapil, Now: n.Config.Now, Logger: n.Config.Logger, DeviceSecret: n.Auth.DeviceSecret,
		ReportIncident: n.reportIncidentSMS}), WebhookSecret: []byte(n.Config.SMSWebhookSecret), KannelKey: []byte(n.Config.SMSKannelKey), Number: n.Config.SMSNumber}
	h, err := srv.Handler()
	if err != nil {
		return fmt.Errorf("node: building the HTTP handler: %w", err)
	}
	n.Handler, n.web = h, srv
	// Each route sets its own deadlines for the body and the answer
	// (http/routes.go); the server bounds what comes before: the headers,
	// and a kept-alive connection waiting for its next request.
	n.server = &nethttp.Server{
		Handler:           n.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	n.server.RegisterOnShutdown(n.web.Close)
	mux := nethttp.NewServeMux()
	mux.Handle("GET /metrics", srv.Metrics)
	n.metricsServer = &nethttp.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	return nil
}

// openDisaster loads the hazard zones and TPS locations and computes every
// TPS's exposure. Banten's boundaries, which check imported locations and
// draw the notices' maps, are decoded the first time they are needed.
func openDisaster(ctx context.Context, cfg Config, store siaga.Store, reg *siaga.Registry) (*disaster.Service, error) {
	var bounds func() (*geo.Regions, error)
	if i, _ := slices.BinarySearchFunc(reg.TPS, registry.Banten, func(t siaga.TPS, p string) int {
		return strings.Compare(t.Code[:min(2, len(t.Code))], p)
	}); i < len(reg.TPS) && strings.HasPrefix(reg.TPS[i].Code, registry.Banten) {
		bounds = sync.OnceValues(geo.Banten)
	}
	d := disaster.New(disaster.Config{Store: store, TPS: reg.TPS, Boundaries: bounds, Now: cfg.Now})
	if err := d.Load(ctx); err != nil {
		return nil, fmt.Errorf("node: loading hazard zones and TPS locations: %w", err)
	}
	return d, nil
}

// openIncidents returns the incident workflow. A report is placed at its
// TPS's newest location, its region's centre (geo.Centroids, decoded the
// first time a report needs one) or, given only a point, in the desa whose
// boundary holds it, where the deployment has boundaries.
func openIncidents(cfg Config, store siaga.Store, n *Node) *incident.Service {
	locate := func(p orb.Point) (string, bool) {
		regions, err := n.Disaster.Boundaries()
		if err != nil || regions == nil {
			return "", false
		}
		return regions.Locate(siaga.LevelDesa, p)
	}
	// A verification reaches the early warning and the vulnerability at
	// once; both are opened after this service, and read here only when a
	// step is taken.
	changed := func() {
		if n.Warning != nil {
			n.Warning.Trigger()
		}
		if n.Vulnerability != nil {
			n.Vulnerability.Invalidate()
		}
	}
	return incident.New(incident.Config{Store: store, Places: n.Regions, Locations: store,
		Centroids: sync.OnceValues(geo.Centroids), Locate: locate, Now: cfg.Now, Logger: cfg.Logger, Changed: changed})
}

// buildSearch indexes the registry's names and codes for the search box
// (package search): once, at start, since the registry does not change
// while the node runs.
func (n *Node) buildSearch() {
	start := time.Now()
	n.Search = search.New(n.Registry)
	sz := n.Search.Sizes()
	n.Config.Logger.Info("search index ready", "build", time.Since(start).Round(time.Millisecond),
		"mb", float64(n.Search.Bytes()>>10)/1024, "regions", sz.Regions, "names", sz.Names, "tps", sz.TPS)
}

// revocationFeed is how this node hears of devices revoked elsewhere: a
// shared PostgreSQL tells at once, and is asked every 30 s in case a
// notice was lost; a SQLite file has no notices, and another process on
// it (siaga device revoke) is caught by asking every few seconds, a query
// on an index that is nearly always empty.
func revocationFeed(store siaga.Store) (siaga.RevocationFeed, time.Duration) {
	if feed, ok := store.(siaga.RevocationFeed); ok {
		return feed, 30 * time.Second
	}
	return nil, 3 * time.Second
}

// reviewRefresh is how often a node on a shared database reads the desk's
// anomaly reviews set through the other nodes.
const reviewRefresh = 15 * time.Second

// sessionPurgeInterval is how often expired sessions are deleted; logins
// delete them too.
const sessionPurgeInterval = 10 * time.Minute

// custodyCheckInterval is how often the server raises the alerts of the
// TPS whose sealed boxes are late (logistics.Custody.RunLateAlerts).
const custodyCheckInterval = 5 * time.Minute

// sitrepCheckInterval is how often the server checks whether the
// morning situation reports are due (sitrep.Service.RunMorning): a
// report is then at most this late after 06:00 WIB.
const sitrepCheckInterval = 5 * time.Minute

// openSitrep builds the situation report over the node's modules. The
// sources built by other packages (incidents, alerts, cases, action items)
// are wired here as they arrive; until then their sections say "not
// available".
func (n *Node) openSitrep(r *readiness.Service) *sitrep.Service {
	return sitrep.New(sitrep.Config{Regions: n.Regions, Readiness: r, Incidents: n.Store, Results: n.Results, Store: n.Store,
		Boundaries: n.Disaster.Boundaries, VotingDay: n.Election.Date,
		Actions: overdueActions{n.Store}, Cases: overdueCases{n.Store}, Alerts: openAlerts{n.Store}, Now: n.Config.Now, Logger: n.Config.Logger})
}

// gakkumduCheckInterval is how often the server raises the alerts of the
// Gakkumdu cases past a deadline (gakkumdu.Service.RunOverdueAlerts):
// deadlines fall at midnight WIB, and a few minutes late is soon enough.
const gakkumduCheckInterval = 5 * time.Minute

// warningScanInterval is how often the early warning scans the verified
// incidents when no verification asked for a scan sooner.
const warningScanInterval = time.Minute

// openWarning returns the early warning over the store's incidents; its
// SMS go out through cfg.SMSSend when a URL is set.
func openWarning(cfg Config, store siaga.Store) *warning.Service {
	wc := warning.ServiceConfig{Store: store, Incidents: store, Method: cfg.Warning, SMSLog: store, Now: cfg.Now, Logger: cfg.Logger}
	if cfg.SMSSend.URL != "" {
		wc.Sender = cfg.SMSSend
	}
	return warning.NewService(wc)
}

// rootRegion is the dashboard's starting point: the province when the
// registry holds one, else the country ("").
func rootRegion(reg *siaga.Registry) string {
	root := ""
	for _, r := range reg.Regions {
		if r.Level != siaga.LevelProvince {
			continue
		}
		if root != "" {
			return ""
		}
		root = r.Code
	}
	return root
}

// Serve answers HTTP on ln until Close, within the connection limits of
// the node's configuration.
func (n *Node) Serve(ln net.Listener) error {
	l := n.Config.Limits
	err := n.server.Serve(http.LimitListener(ln, l.MaxConns, l.MaxConnsPerClient, n.web.Trusted))
	if err == nethttp.ErrServerClosed {
		return nil
	}
	return err
}

// ServeMetrics answers GET /metrics (and nothing else) on ln until Close:
// an address that only the monitoring system reaches.
func (n *Node) ServeMetrics(ln net.Listener) error {
	err := n.metricsServer.Serve(ln)
	if err == nethttp.ErrServerClosed {
		return nil
	}
	return err
}

// Close stops the server, lets the writer answer what it holds, and closes
// the store.
func (n *Node) Close() error {
	if n.server != nil { // nil only when open failed half-way
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = n.server.Shutdown(ctx)
		cancel()
	}
	if n.metricsServer != nil {
		_ = n.metricsServer.Close()
	}
	if n.stop != nil {
		n.stop()
		<-n.Results.Done()
		<-n.followed
		<-n.authDone
		<-n.reviewsDone
		<-n.postponedDone
		<-n.custodyDone
		if n.sitrepDone != nil {
			<-n.sitrepDone
		}
		<-n.gakkumduDone
		<-n.warningDone
		<-n.boardWarmed
	}
	return n.Store.Close()
}

// initialised refuses a SQLite data folder that does not exist, rather than
// creating an empty one that the next command would find.
func initialised(cfg Config) error {
	if cfg.DB != "" || cfg.DataDir == "" {
		return nil // PostgreSQL: the database says; no folder: OpenStore says
	}
	if _, err := os.Stat(cfg.DataDir); errors.Is(err, fs.ErrNotExist) {
		return notInitialised(cfg.DataDir)
	}
	return nil
}

func notInitialised(dir string) error {
	return siaga.Errorf(siaga.ENotFound, "--data", "folder data %q belum berisi registri; jalankan dulu `siaga init --data %s --province 36`",
		"the data folder %q holds no registry; run `siaga init --data %s --province 36` first", dir, dir)
}

// openCustody builds the custody service with the configured deadlines,
// else the default ones of the election's voting day.
func openCustody(cfg Config, store siaga.Store, reg *siaga.Registry, el *siaga.Election) (*logistics.Custody, error) {
	d := cfg.CustodyDeadlines
	// An election definition without a voting day (a country's test
	// definition) keeps the service's own default, Pemilu 2024's.
	if d == (logistics.Deadlines{}) && el.Date != "" {
		var err error
		if d, err = logistics.DefaultDeadlines(el.Date); err != nil {
			return nil, fmt.Errorf("node: %w", err)
		}
	}
	return logistics.NewCustody(logistics.CustodyConfig{Store: store, Registry: reg, Now: cfg.Now, Deadlines: d, Alerts: store}), nil
}

// boardLayer is the logistics board as the readiness map's Logistik layer
// reads it (readiness.Logistics): readiness does not import logistics.
type boardLayer struct{ *logistics.Board }

func (b boardLayer) EachKit(ctx context.Context, region string, q readiness.LogisticsQuery, fn func(tps, status string)) error {
	return b.Board.EachKit(ctx, region, q.At, logistics.BoardFilter{Item: q.Item, Contest: q.Contest},
		func(t *siaga.TPS, k logistics.KitStatus) { fn(t.Code, string(k)) })
}

func (b boardLayer) InTransit(ctx context.Context, region string, q readiness.LogisticsQuery, limit int) ([]readiness.Leg, int, error) {
	states, n, err := b.Moving(ctx, region, q.At, logistics.BoardFilter{Item: q.Item, Contest: q.Contest}, limit)
	legs := make([]readiness.Leg, len(states))
	for i, s := range states {
		legs[i] = readiness.Leg{Shipment: *s.Shipment, Status: s.Status, Reason: s.Reason, Late: s.Late, Stalled: s.Stalled, LastEvent: s.LastEvent}
	}
	return legs, n, err
}

// reportIncidentSMS reports a LAPOR message's incident as the device whose
// code it carries, or as the public (sms/incident_report.go).
func (n *Node) reportIncidentSMS(ctx context.Context, in *siaga.Incident) (*siaga.Incident, error) {
	return n.Incidents.Report(ctx, in, incident.Actor{Device: in.ReporterDevice})
}

// openVulnerability wires the classification to the modules it reads.
// The verified incidents come from the store (the incident module).
func openVulnerability(cfg Config, store siaga.Store, reg *siaga.Registry, islands []registry.Island, n *Node) *vulnerability.Service {
	onIsland := map[string]string{}
	for _, isl := range islands {
		if isl.Populated && isl.Desa != "" {
			onIsland[isl.Desa] = isl.Name
		}
	}
	vc := vulnerability.Config{Store: store, TPS: reg.TPS, Method: cfg.Vulnerability, IslandDesa: onIsland,
		Signal: n.Connectivity, Hazards: n.Disaster, Incidents: store, Now: cfg.Now}
	return vulnerability.New(vc)
}
