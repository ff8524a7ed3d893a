// Package incident is the workflow of reports of trouble (issue 14): it
// checks and places a report, groups likely duplicates, rate-limits the
// public, moves a report through baru → terverifikasi (or ditolak) →
// ditugaskan → ditangani → selesai with who and when of every step, and
// keeps the staff data of a report away from the public view.
// docs/security-incidents.md, "## Incidents", is its description.
package incident

import (
	"context"
	"log/slog"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
)

// Places says which regions and TPS exist (registry.Index is one).
type Places interface {
	Region(code string) (siaga.Region, bool)
	TPS(code string) (siaga.TPS, bool)
}

// Locations gives the stored locations of a TPS (siaga.LocationStore is
// one): a TPS stands at its newest, else at its registry point.
type Locations interface {
	TPSLocationHistory(ctx context.Context, tps string) ([]siaga.TPSLocation, error)
}

// Dedup is the rule that groups likely duplicates (Service.Report).
type Dedup struct {
	Window time.Duration // how far apart in OccurredAt two reports of one event may be
	Radius float64       // metres between their points
}

// Config is what a Service needs.
type Config struct {
	Store     siaga.IncidentStore
	Places    Places
	Locations Locations // optional
	// Centroids, when set, gives the centre of each region code (lon,
	// lat): where a report placed only by its region is drawn. It is
	// called the first time it is needed (geo.Centroids decodes the map).
	Centroids func() (map[string]orb.Point, error)
	// Locate, when set, names the desa a point lies in, for a report that
	// gave only a point.
	Locate func(p orb.Point) (string, bool)
	Now    func() time.Time
	Logger *slog.Logger
	// PublicLimit public reports per PublicWindow from one sender; 0
	// means 5 per hour.
	PublicLimit  int
	PublicWindow time.Duration
	// Dedup's zero fields mean a window of 2 hours and a radius of 1 km.
	Dedup Dedup
	// Changed, when set, is called after a step that changes what the
	// verified reports are (verify, reject, group, ungroup), so that the
	// modules that read them (the early warning's scan, the TPS
	// vulnerability) redo their work now rather than at their next round.
	Changed func()
}

// Limits of one report (docs/security-incidents.md).
const (
	MaxTitle    = 120  // runes
	MaxText     = 4000 // runes
	MaxEvidence = 1 << 20
	// MaxAhead is how far in the future a report's time may be: phones'
	// clocks drift.
	MaxAhead = 10 * time.Minute
	// MaxAge is how old a report's time may be: trouble is reported within
	// days (an election offence within 7 days of its discovery, UU 7/2017
	// and Perbawaslu 31/2018, per the readiness data's "Security" notes),
	// so 60 days leaves room for late finds and refuses mistyped years.
	MaxAge = 60 * 24 * time.Hour
)

// Service is the incident workflow.
type Service struct {
	cfg       Config
	centroids func() (map[string]orb.Point, error)
}

// New returns a Service with cfg's defaults filled.
func New(cfg Config) *Service {
	if cfg.PublicLimit <= 0 {
		cfg.PublicLimit = 5
	}
	if cfg.PublicWindow <= 0 {
		cfg.PublicWindow = time.Hour
	}
	if cfg.Dedup.Window <= 0 {
		cfg.Dedup.Window = 2 * time.Hour
	}
	if cfg.Dedup.Radius <= 0 {
		cfg.Dedup.Radius = 1000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		panic("incident: Config.Now is required")
	}
	s := &Service{cfg: cfg}
	s.centroids = func() (map[string]orb.Point, error) { return nil, nil }
	if cfg.Centroids != nil {
		s.centroids = cfg.Centroids
	}
	return s
}

// Dedup is the duplicate rule in force.
func (s *Service) Dedup() Dedup { return s.cfg.Dedup }

// Actor is who acts on a report: a staff account, an enrolled device, or a
// member of the public known only by the name given.
type Actor struct {
	User   *siaga.User
	Device string
	Public string // the name given, "publik" when none
}

// name is how a step shows the actor.
func (a Actor) name() string {
	switch {
	case a.User != nil:
		return a.User.Username
	case a.Device != "":
		return "perangkat:" + a.Device
	case a.Public != "":
		return "publik: " + a.Public
	}
	return "publik"
}

// audit is the actor as the audit log names it.
func (a Actor) audit() string {
	switch {
	case a.User != nil:
		return "user:" + a.User.Username
	case a.Device != "":
		return "device:" + a.Device
	}
	return "public"
}

// step is a step of in by a, at now.
func (a Actor) step(kind siaga.IncidentStepKind, in *siaga.Incident, text string, now time.Time) *siaga.IncidentStep {
	st := &siaga.IncidentStep{At: now, Kind: kind, Status: in.Status, Agency: in.Agency, Text: text, ByDevice: a.Device, ByName: a.name()}
	if a.User != nil {
		st.ByUser = a.User.ID
	}
	return st
}
