// Package sitrep builds the desk's situation report (laporan situasi):
// one snapshot of a region at a moment from every module the server runs
// (readiness, logistics, incidents, early warning, Gakkumdu cases, the
// meetings' action items and, from voting day, the count), printed as a
// PDF for the morning coordination meeting and stored every morning by
// RunMorning. Each source is a small interface of its own in Config and
// may be nil: its section then says "belum tersedia / not available".
package sitrep

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/readiness"
)

// Regions is the registry's tree as the report reads it.
type Regions interface {
	Region(code string) (siaga.Region, bool)
	Children(code string) []siaga.Region
}

// Readiness is the readiness service (package readiness): the TPS by
// level and layer, the kits and the legs on their way.
type Readiness interface {
	Summary(ctx context.Context, region siaga.Region) (readiness.Summary, error)
	Each(ctx context.Context, region string, fn func(t *readiness.TPS) error) error
	Bound(ctx context.Context, region string) (*orb.Bound, error)
	HasLogistics() bool
	KitSummary(ctx context.Context, region siaga.Region, q readiness.LogisticsQuery) (readiness.KitChild, []readiness.KitChild, error)
	InTransit(ctx context.Context, region string, q readiness.LogisticsQuery, limit int) ([]readiness.Leg, int, error)
}

// Incidents is the incident store as the report reads it: one pass over
// the period's reports (siaga.IncidentStore.EachIncident).
type Incidents interface {
	EachIncident(ctx context.Context, f siaga.IncidentFilter, fn func(*siaga.Incident) error) error
}

// Alerts are the early-warning alerts open at a moment in region, the
// first limit of them and how many.
type Alerts interface {
	OpenAlerts(ctx context.Context, region string, at time.Time, limit int) (siaga.SitrepItems, error)
}

// Cases are the Gakkumdu cases of region past one of their statutory
// clocks at a moment.
type Cases interface {
	OverdueCases(ctx context.Context, region string, at time.Time, limit int) (siaga.SitrepItems, error)
}

// Actions are the coordination meetings' action items of region past
// their due date and not done at a moment.
type Actions interface {
	OverdueActions(ctx context.Context, region string, at time.Time, limit int) (siaga.SitrepItems, error)
}

// Results is the count's engine as the report reads it.
type Results interface {
	Progress(region string) (siaga.Progress, bool)
	MissingPage(q siaga.MissingQuery) (siaga.MissingPage, error)
}

// Config is what a Service is built from. Every source but Regions may be
// nil.
type Config struct {
	Regions   Regions
	Readiness Readiness
	Incidents Incidents
	Alerts    Alerts
	Cases     Cases
	Actions   Actions
	Results   Results
	// Store keeps the morning reports; nil: no schedule, no archive.
	Store siaga.SitrepStore
	// Boundaries are the regions' outlines the PDF's map draws (geo.Banten);
	// nil or failing: the map has no outlines.
	Boundaries func() (*geo.Regions, error)
	// VotingDay is the election's date (YYYY-MM-DD): from its first
	// minute in WIB the report has its Results section.
	VotingDay string
	// Period is how far back the incidents reach; 0 means 24 hours.
	Period time.Duration
	Now    func() time.Time
	Logger *slog.Logger
}

// Service builds, prints and stores the reports.
type Service struct{ cfg Config }

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Period == 0 {
		cfg.Period = 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{cfg: cfg}
}

// Now is the service's clock: what a report without a moment describes.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// HasArchive reports whether the morning reports are stored.
func (s *Service) HasArchive() bool { return s.cfg.Store != nil }

// Limits of the report's lists: a printed page, not a database dump (the
// module's own page has the whole list).
const (
	itemLimit    = 10   // alerts, overdue cases and actions
	legLimit     = 10   // held and stalled legs
	missingLimit = 20   // missing TPS on election night
	tpsPoints    = 3000 // TPS at risk on the map
)

// Build is the report of region at the moment at.
func (s *Service) Build(ctx context.Context, code string, at time.Time) (*siaga.Sitrep, error) {
	region, ok := s.cfg.Regions.Region(code)
	if !ok || region.Level > siaga.LevelDesa {
		return nil, siaga.Errorf(siaga.ENotFound, "code", "wilayah %q tidak dikenal", "unknown region %q", code)
	}
	rep := &siaga.Sitrep{Region: region, At: at.UTC(), Period: s.cfg.Period, Points: []siaga.SitrepPoint{}}
	steps := []func(context.Context, *siaga.Sitrep) error{
		s.readiness, s.logistics, s.incidents, s.lists, s.results,
	}
	for _, step := range steps {
		if err := step(ctx, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// readiness fills the TPS by level and layer, the map's TPS at risk and
// its box.
func (s *Service) readiness(ctx context.Context, rep *siaga.Sitrep) error {
	if s.cfg.Readiness == nil {
		return nil
	}
	sum, err := s.cfg.Readiness.Summary(ctx, rep.Region)
	if err != nil {
		return err
	}
	c := sum.Counts
	r := &siaga.SitrepReadiness{TPS: c.TPS, Ready: c.Levels.Ready, Watch: c.Levels.Watch, AtRisk: c.Levels.AtRisk,
		Postponed: c.Levels.Postponed, BlankSpots: c.Signal.Blank, Weak: c.Signal.Weak,
		HazardProne: c.Hazard.High + c.Hazard.Medium, Relocated: c.Relocated, Children: []siaga.SitrepCount{}}
	for _, ch := range sum.Children {
		r.Children = append(r.Children, siaga.SitrepCount{Key: ch.Code, Name: ch.Name, Count: ch.Counts.AtRisk()})
	}
	rep.Readiness = r
	n := 0
	err = s.cfg.Readiness.Each(ctx, rep.Region.Code, func(t *readiness.TPS) error {
		if t.Point == "" || (t.Level != siaga.ReadinessAtRisk && t.Level != siaga.ReadinessPostponed) || n >= tpsPoints {
			return nil
		}
		n++
		rep.Points = append(rep.Points, siaga.SitrepPoint{Kind: PointTPS, Label: "TPS " + t.Code, Category: string(t.Level),
			Lat: t.Lat, Lon: t.Lon, URL: "/tps/" + t.Code})
		return nil
	})
	if err != nil {
		return err
	}
	b, err := s.cfg.Readiness.Bound(ctx, rep.Region.Code)
	if err != nil || b == nil {
		return err
	}
	rep.Box = &siaga.SitrepBox{MinLon: b.Min.Lon(), MinLat: b.Min.Lat(), MaxLon: b.Max.Lon(), MaxLat: b.Max.Lat()}
	return nil
}

// logistics fills the kits by status and the held and stalled legs.
func (s *Service) logistics(ctx context.Context, rep *siaga.Sitrep) error {
	if s.cfg.Readiness == nil || !s.cfg.Readiness.HasLogistics() {
		return nil
	}
	q := readiness.LogisticsQuery{At: rep.At}
	total, _, err := s.cfg.Readiness.KitSummary(ctx, rep.Region, q)
	if err != nil {
		return err
	}
	l := &siaga.SitrepLogistics{TPS: total.TPS, Kits: []siaga.SitrepCount{}, Legs: []siaga.SitrepLeg{}}
	for _, k := range kitOrder {
		if n := total.Kits[k]; n > 0 {
			l.Kits = append(l.Kits, siaga.SitrepCount{Key: k, Name: kitNames[k], Count: n})
		}
	}
	legs, _, err := s.cfg.Readiness.InTransit(ctx, rep.Region.Code, q, 0)
	if err != nil {
		return err
	}
	for _, g := range legs {
		held := g.Status == siaga.ShipmentHeld
		if held {
			l.Held++
		}
		if g.Stalled {
			l.Stalled++
		}
		if (held || g.Stalled) && len(l.Legs) < legLimit {
			status := "tertahan"
			if !held {
				status = "macet"
			}
			l.Legs = append(l.Legs, siaga.SitrepLeg{Shipment: g.Shipment.ID, Waybill: g.Shipment.Waybill, From: g.Shipment.From,
				To: g.Shipment.To, Status: status, Reason: g.Reason, LastSeen: g.LastEvent})
		}
	}
	rep.Logistics = l
	return nil
}

// incidents counts the period's incidents in one pass: a duplicate group
// once, by its first report.
func (s *Service) incidents(ctx context.Context, rep *siaga.Sitrep) error {
	if s.cfg.Incidents == nil {
		return nil
	}
	byCat := map[siaga.IncidentCategory]int{}
	byStatus := map[siaga.IncidentStatus]int{}
	byRegion := map[string]int{}
	children := s.cfg.Regions.Children(rep.Region.Code)
	in := &siaga.SitrepIncidents{Severe: []siaga.Incident{}}
	f := siaga.IncidentFilter{Scope: rep.Region.Code, From: rep.From(), To: rep.At, Groups: true}
	err := s.cfg.Incidents.EachIncident(ctx, f, func(x *siaga.Incident) error {
		if x.DuplicateOf != 0 {
			return nil // a store that ignores Groups still counts a group once
		}
		byStatus[x.Status]++
		if x.Status == siaga.IncidentRejected {
			return nil
		}
		in.Total++
		byCat[x.Category]++
		for _, c := range children {
			if strings.HasPrefix(x.Region, c.Code) {
				byRegion[c.Code]++
				break
			}
		}
		if x.Severity == siaga.SeverityHigh || x.Severity == siaga.SeverityCritical {
			in.Severe = keepNewest(in.Severe, withoutReporter(*x), siaga.SitrepSevereLimit)
		}
		if x.Lat != 0 || x.Lon != 0 {
			rep.Points = append(rep.Points, siaga.SitrepPoint{Kind: PointIncident, Label: x.Title, Category: string(x.Category),
				Severity: string(x.Severity), Lat: x.Lat, Lon: x.Lon, URL: incidentURL(x)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range siaga.IncidentCategories {
		in.ByCategory = append(in.ByCategory, siaga.SitrepCount{Key: string(c), Name: CategoryName(c), Count: byCat[c]})
	}
	for _, st := range siaga.IncidentStatuses {
		in.ByStatus = append(in.ByStatus, siaga.SitrepCount{Key: string(st), Name: StatusName(st), Count: byStatus[st]})
	}
	in.ByRegion = []siaga.SitrepCount{}
	for _, c := range children {
		in.ByRegion = append(in.ByRegion, siaga.SitrepCount{Key: c.Code, Name: c.Name, Count: byRegion[c.Code]})
	}
	rep.Incidents = in
	return nil
}

// keepNewest inserts x into l, newest first (by when it occurred, then
// by ID), and keeps at most limit: the pass reads reports in the store's
// order, which need not be the order they occurred in.
func keepNewest(l []siaga.Incident, x siaga.Incident, limit int) []siaga.Incident {
	i, _ := slices.BinarySearchFunc(l, x, func(a, b siaga.Incident) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	if i >= limit {
		return l
	}
	l = slices.Insert(l, i, x)
	return l[:min(len(l), limit)]
}

// withoutReporter is x without who reported it: the report, printed and
// stored for months, names places and titles, not people or phones.
func withoutReporter(x siaga.Incident) siaga.Incident {
	x.ReporterUser, x.ReporterDevice, x.ReporterName, x.ReporterPhone, x.Sender = 0, "", "", "", ""
	x.Evidence = nil
	return x
}

// incidentURL is an incident's page (the incident pages' path shape),
// under its own region: in the scope of everyone the report shows it to.
func incidentURL(x *siaga.Incident) string {
	return "/insiden/" + x.Region + "/laporan/" + itoa(x.ID)
}

// lists asks the other modules for their lists.
func (s *Service) lists(ctx context.Context, rep *siaga.Sitrep) error {
	var err error
	if s.cfg.Alerts != nil {
		rep.Alerts, err = s.items(s.cfg.Alerts.OpenAlerts(ctx, rep.Region.Code, rep.At, itemLimit))
		if err != nil {
			return err
		}
		for _, a := range rep.Alerts.Items {
			if a.Lat != 0 || a.Lon != 0 {
				rep.Points = append(rep.Points, siaga.SitrepPoint{Kind: PointAlert, Label: a.Title, Category: a.Detail,
					Lat: a.Lat, Lon: a.Lon, URL: a.URL})
			}
		}
	}
	if s.cfg.Cases != nil {
		if rep.OverdueCases, err = s.items(s.cfg.Cases.OverdueCases(ctx, rep.Region.Code, rep.At, itemLimit)); err != nil {
			return err
		}
	}
	if s.cfg.Actions != nil {
		if rep.OverdueActions, err = s.items(s.cfg.Actions.OverdueActions(ctx, rep.Region.Code, rep.At, itemLimit)); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) items(l siaga.SitrepItems, err error) (*siaga.SitrepItems, error) {
	if err != nil {
		return nil, err
	}
	if l.Items == nil {
		l.Items = []siaga.SitrepItem{}
	}
	return &l, nil
}

// ElectionNight reports whether at is on or after voting day (WIB): the
// report then has the count's progress.
func (s *Service) ElectionNight(at time.Time) bool {
	day, err := time.ParseInLocation(time.DateOnly, s.cfg.VotingDay, siaga.WIB)
	return err == nil && !at.Before(day)
}

// results fills the count's progress and the missing TPS, from voting
// day on.
func (s *Service) results(ctx context.Context, rep *siaga.Sitrep) error {
	if s.cfg.Results == nil || !s.ElectionNight(rep.At) {
		return nil
	}
	p, ok := s.cfg.Results.Progress(rep.Region.Code)
	if !ok {
		return nil
	}
	res := &siaga.SitrepResults{TPS: p.TPSTotal, Progress: []siaga.SitrepCount{}, MissingTPS: []string{}}
	for _, c := range siaga.Contests {
		if _, ok := p.Reported[c]; ok {
			res.Progress = append(res.Progress, siaga.SitrepCount{Key: string(c), Name: ContestName(c), Count: p.Reported[c]})
		}
	}
	page, err := s.cfg.Results.MissingPage(siaga.MissingQuery{Region: rep.Region.Code, Kind: siaga.MissingNothing, Limit: missingLimit})
	if err != nil {
		return err
	}
	res.Missing = page.Missing
	for _, m := range page.Items {
		res.MissingTPS = append(res.MissingTPS, m.TPS)
	}
	rep.Results = res
	return nil
}
