package readiness

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/geo"
)

// Signal is the connectivity module as readiness reads it
// (connectivity.Service).
type Signal interface {
	// Version changes whenever the picture does; read before the picture.
	Version() uint64
	TPSClasses(region string) []connectivity.TPSClass
	TPSStatus(code string) (connectivity.TPSStatus, bool)
	Interventions(region string) []connectivity.InterventionView
}

// Hazards is the disaster module as readiness reads it (disaster.Service).
type Hazards interface {
	// Version changes whenever the picture does; read before the picture.
	Version() uint64
	Layers() []siaga.HazardLayer
	TPS(code string) (disaster.TPSExposure, error)
	Zones(b orb.Bound) []disaster.Zone
	Relocations(ctx context.Context, region string) ([]siaga.Relocation, error)
}

// Postponed is the active postponements (postponement.Set): a few TPS on a
// bad day, read on every question without a query.
type Postponed interface {
	Postponed(tps string) (siaga.Postponement, bool)
	PostponedIn(region string) []siaga.Postponement
}

// Kits is the logistics board as readiness reads it (logistics.Board):
// the status of a TPS's kit at a moment ("belum", …, "lengkap";
// docs/logistics.md). Logistics is staff data: the kit reaches only
// staff who read logistics, never the public map or exports, and it does
// not change the level, which is public.
type Kits interface {
	KitStatus(ctx context.Context, tps string, at time.Time) (string, error)
}

// Regions is the registry's region tree.
type Regions interface {
	Region(code string) (siaga.Region, bool)
	Children(code string) []siaga.Region
}

// Config is what a Service is built from. Signal, Hazards and Postponed
// may each be nil: that layer is absent.
type Config struct {
	TPS       []siaga.TPS // the registry's, ordered by code
	Regions   Regions
	Signal    Signal
	Hazards   Hazards
	Postponed Postponed
	// Kits may be nil: no kit status is known.
	Kits Kits
	// Logistics feeds the map's Logistik layer (logistics.go); nil: no
	// layer.
	Logistics Logistics
	Now       func() time.Time // the kit's moment; nil: time.Now
}

// Service composes the modules. The level of every TPS is computed once
// per change of the modules it reads (their versions), not per question:
// a question about a region is then a walk over a slice, plus the few
// postponed TPS, which are read live.
type Service struct {
	cfg Config
	cur atomic.Pointer[snapshot]
	mu  sync.Mutex // one rebuild at a time
}

// snapshot is every TPS's readiness at the modules' versions, without
// postponements.
type snapshot struct {
	sigV, hazV uint64
	tps        []TPS
	// relocations are every decision, by TPS then oldest first.
	relocations []siaga.Relocation
	layers      []siaga.HazardLayer
}

// TPS is one TPS's readiness: what the map, its table and the exports show.
type TPS struct {
	Code   string `json:"code"`
	Desa   string `json:"desa"`
	Number int    `json:"number"`
	DPT    int    `json:"dpt"`
	// Lat and Lon are where it stands; Point says where that comes from
	// (impor, lapangan, relokasi, sintetis, registri; "" no point known).
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	Point string  `json:"point"`
	// Synthetic marks a made-up point: generated inside its desa, or the
	// registry's seeded coordinates.
	Synthetic bool                    `json:"synthetic"`
	Level     siaga.ReadinessLevel    `json:"level"`
	Reasons   []siaga.ReadinessReason `json:"reasons"`
	// Signal is the effective class (after tested interventions), Surveyed
	// the surveys' alone ("" nobody surveyed it), Estimate the registry's
	// seeded guess, never a survey.
	Signal   siaga.Connectivity `json:"signal"`
	Surveyed siaga.Connectivity `json:"surveyed"`
	Estimate siaga.Connectivity `json:"estimate,omitempty"`
	Planned  int                `json:"planned"` // interventions that would help it, not working yet
	Helped   int                `json:"helped"`  // tested interventions lifting or marking it
	// Hazard is the highest class of the zones it lies in ("" none),
	// Hazards the highest of each type (SPEC §9's list).
	Hazard    string         `json:"hazard,omitempty"`
	Hazards   []disaster.Hit `json:"hazards"`
	Relocated bool           `json:"relocated"`
	// Postponement is its active postponement, nil for none.
	Postponement *siaga.Postponement `json:"postponement,omitempty"`
	// Kit is the logistics status of its kit (ballots, boxes, booths…):
	// filled only by WithKit, for staff who read logistics; nil otherwise.
	Kit *string `json:"kit"`

	in Inputs
}

// New returns a Service; nothing is read until the first question.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Present says which layers the server has.
type Present struct {
	Signal       bool `json:"signal"`
	Hazard       bool `json:"hazard"`        // the disaster module runs
	HazardLayers int  `json:"hazard_layers"` // how many hazard layers are imported
	// HazardSynthetic is true when one of them is made up.
	HazardSynthetic bool `json:"hazard_synthetic"`
	Postponement    bool `json:"postponement"`
}

// Present says which layers the server has and how many hazard layers.
func (s *Service) Present(ctx context.Context) (Present, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return Present{}, err
	}
	p := Present{Signal: s.cfg.Signal != nil, Hazard: s.cfg.Hazards != nil, HazardLayers: len(snap.layers),
		Postponement: s.cfg.Postponed != nil}
	for _, l := range snap.layers {
		p.HazardSynthetic = p.HazardSynthetic || l.Synthetic
	}
	return p, nil
}

// snapshot returns the readiness of every TPS at the modules' current
// versions, computing it when one of them moved.
func (s *Service) snapshot(ctx context.Context) (*snapshot, error) {
	sigV, hazV := s.versions()
	if cur := s.cur.Load(); cur != nil && cur.sigV == sigV && cur.hazV == hazV {
		return cur, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sigV, hazV = s.versions()
	if cur := s.cur.Load(); cur != nil && cur.sigV == sigV && cur.hazV == hazV {
		return cur, nil
	}
	snap, err := s.build(ctx, sigV, hazV)
	if err != nil {
		return nil, err
	}
	s.cur.Store(snap)
	return snap, nil
}

func (s *Service) versions() (sig, haz uint64) {
	if s.cfg.Signal != nil {
		sig = s.cfg.Signal.Version()
	}
	if s.cfg.Hazards != nil {
		haz = s.cfg.Hazards.Version()
	}
	return sig, haz
}

// build reads the modules (after their versions were read, so what is
// read is at least that new) and assesses every TPS.
func (s *Service) build(ctx context.Context, sigV, hazV uint64) (*snapshot, error) {
	snap := &snapshot{sigV: sigV, hazV: hazV, tps: make([]TPS, len(s.cfg.TPS))}
	var classes []connectivity.TPSClass
	var ivs []connectivity.InterventionView
	if s.cfg.Signal != nil {
		classes = s.cfg.Signal.TPSClasses("")
		ivs = s.cfg.Signal.Interventions("")
	}
	relocated := map[string]bool{}
	if s.cfg.Hazards != nil {
		snap.layers = s.cfg.Hazards.Layers()
		var err error
		if snap.relocations, err = s.cfg.Hazards.Relocations(ctx, ""); err != nil {
			return nil, fmt.Errorf("readiness: reading relocations: %w", err)
		}
		for _, r := range snap.relocations {
			relocated[r.TPS] = true
		}
	}
	for i, t := range s.cfg.TPS {
		r := &snap.tps[i]
		*r = TPS{Code: t.Code, Desa: t.Desa, Number: t.Number, DPT: t.DPT, Hazards: []disaster.Hit{}}
		r.in = Inputs{SignalKnown: s.cfg.Signal != nil, HazardKnown: len(snap.layers) > 0, Relocated: relocated[t.Code]}
		if t.Lat != 0 || t.Lon != 0 {
			r.Lat, r.Lon, r.Point, r.Synthetic = t.Lat, t.Lon, disaster.PointRegistry, true
		}
		if c, ok := classAt(classes, i, t.Code); ok {
			r.Signal, r.Surveyed, r.Estimate = c.Effective, c.Class, c.Estimate
			r.in.Surveyed, r.in.Effective, r.in.Helped, r.in.Residual = c.Class, c.Effective, c.Helped, c.Residual
			if c.Located != "" {
				r.Lat, r.Lon, r.Point, r.Synthetic = c.Lat, c.Lon, c.Located, c.Located == siaga.LocationSynthetic
			}
		}
		if s.cfg.Hazards != nil {
			if e, err := s.cfg.Hazards.TPS(t.Code); err == nil {
				if e.Point != nil {
					r.Lat, r.Lon, r.Point, r.Synthetic = e.Point.Lat, e.Point.Lon, e.Point.Source, e.Point.Synthetic()
				}
				r.Hazard, r.Hazards = e.Worst, e.Hazards
				for _, h := range e.Hazards {
					r.in.HazardTypes = append(r.in.HazardTypes, h.Type)
				}
			}
		}
		r.in.Located, r.in.Hazard = r.Point != "", r.Hazard
		r.Relocated = r.in.Relocated
	}
	s.plan(snap.tps, ivs)
	for i := range snap.tps {
		r := &snap.tps[i]
		r.Planned, r.Helped = r.in.Planned, r.in.Helped
		r.Level, r.Reasons = Assess(r.in)
	}
	return snap, nil
}

// classAt finds the class of TPS code, which is classes[i] when both come
// from the same registry.
func classAt(classes []connectivity.TPSClass, i int, code string) (connectivity.TPSClass, bool) {
	if i < len(classes) && classes[i].TPS == code {
		return classes[i], true
	}
	j, ok := slices.BinarySearchFunc(classes, code, func(c connectivity.TPSClass, code string) int { return strings.Compare(c.TPS, code) })
	if !ok {
		return connectivity.TPSClass{}, false
	}
	return classes[j], true
}

// plan counts, per TPS, the interventions that would help it once they
// work but do not yet (planned or installed, not tested): a VSAT terminal
// or a walk point for the TPS it names, a booster for the weak TPS within
// its radius (and the blank ones with a faint signal), a mobile BTS for the
// weak and blank ones (connectivity.Helps).
func (s *Service) plan(tps []TPS, ivs []connectivity.InterventionView) {
	index := func(code string) (int, bool) {
		return slices.BinarySearchFunc(tps, code, func(t TPS, c string) int { return strings.Compare(t.Code, c) })
	}
	for _, iv := range ivs {
		if iv.Status != siaga.InterventionPlanned && iv.Status != siaga.InterventionInstalled {
			continue
		}
		if iv.TPS != "" && (iv.Kind == siaga.InterventionVSAT || iv.Kind == siaga.InterventionWalk) {
			if i, ok := index(iv.TPS); ok {
				tps[i].in.Planned++
			}
			continue
		}
		if iv.RadiusM <= 0 {
			continue
		}
		centre := orb.Point{iv.Lon, iv.Lat}
		dLat := iv.RadiusM / geo.EarthRadius * 180 / math.Pi
		dLon := dLat / math.Max(math.Cos(iv.Lat*math.Pi/180), 0.01)
		// A radius crosses region borders: every TPS, most skipped by the box.
		for i := range tps {
			t := &tps[i]
			if t.Point == "" || math.Abs(t.Lat-iv.Lat) > dLat || math.Abs(t.Lon-iv.Lon) > dLon {
				continue
			}
			if connectivity.Helps(iv.Kind, t.in.Surveyed, t.in.Residual) && geo.Distance(centre, orb.Point{t.Lon, t.Lat}) <= iv.RadiusM {
				t.in.Planned++
			}
		}
	}
}

// spanOf is the range of tps whose codes start with region.
func spanOf(tps []TPS, region string) (lo, hi int) {
	lo, _ = slices.BinarySearchFunc(tps, region, func(t TPS, r string) int { return strings.Compare(t.Code, r) })
	hi, _ = slices.BinarySearchFunc(tps, region+":", func(t TPS, r string) int { return strings.Compare(t.Code, r) })
	return lo, hi
}

// withPostponement is t as it stands with its active postponement, if any.
func (s *Service) withPostponement(t TPS) TPS {
	if s.cfg.Postponed == nil {
		return t
	}
	p, ok := s.cfg.Postponed.Postponed(t.Code)
	if !ok {
		return t
	}
	t.Postponement = &p
	t.in.Postponed = &p
	t.Level, t.Reasons = Assess(t.in)
	return t
}

// TPS returns the readiness of one TPS; false for a code the registry
// lacks.
func (s *Service) TPS(ctx context.Context, code string) (TPS, bool, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return TPS{}, false, err
	}
	i, ok := slices.BinarySearchFunc(snap.tps, code, func(t TPS, c string) int { return strings.Compare(t.Code, c) })
	if !ok {
		return TPS{}, false, nil
	}
	return s.withPostponement(snap.tps[i]), true, nil
}

// Each calls fn for every TPS of region ("" all) in code order, with its
// postponement, and stops at fn's first error.
func (s *Service) Each(ctx context.Context, region string, fn func(t *TPS) error) error {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return err
	}
	lo, hi := spanOf(snap.tps, region)
	for i := lo; i < hi; i++ {
		t := s.withPostponement(snap.tps[i])
		if err := fn(&t); err != nil {
			return err
		}
	}
	return nil
}

// Relocations returns the relocation decisions of the TPS of region (""
// all), by TPS then oldest first; none without the disaster module.
func (s *Service) Relocations(ctx context.Context, region string) ([]siaga.Relocation, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	var out []siaga.Relocation
	for _, r := range snap.relocations {
		if siaga.InScope(region, r.TPS) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Postponements returns the active postponements of the TPS of region,
// in TPS order; none without the module.
func (s *Service) Postponements(region string) []siaga.Postponement {
	if s.cfg.Postponed == nil {
		return nil
	}
	return s.cfg.Postponed.PostponedIn(region)
}

// Interventions returns the interventions standing in region, by ID;
// none without the connectivity module.
func (s *Service) Interventions(region string) []connectivity.InterventionView {
	if s.cfg.Signal == nil {
		return nil
	}
	return s.cfg.Signal.Interventions(region)
}

// SignalStatus is the connectivity module's view of one TPS (its latest
// surveys, with surveyors: staff data); false without the module.
func (s *Service) SignalStatus(code string) (connectivity.TPSStatus, bool) {
	if s.cfg.Signal == nil {
		return connectivity.TPSStatus{}, false
	}
	return s.cfg.Signal.TPSStatus(code)
}

// Bound is the box around the points of the TPS of region, nil when none
// has a point.
func (s *Service) Bound(ctx context.Context, region string) (*orb.Bound, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := spanOf(snap.tps, region)
	var b *orb.Bound
	for i := lo; i < hi; i++ {
		t := &snap.tps[i]
		if t.Point == "" {
			continue
		}
		p := orb.Point{t.Lon, t.Lat}
		if b == nil {
			b = &orb.Bound{Min: p, Max: p}
		} else {
			*b = b.Extend(p)
		}
	}
	return b, nil
}

// WithKit fills t.Kit with its kit status now, when the logistics board is
// there: the caller decides who may see it (staff who read logistics).
func (s *Service) WithKit(ctx context.Context, t *TPS) error {
	if s.cfg.Kits == nil {
		return nil
	}
	now := time.Now
	if s.cfg.Now != nil {
		now = s.cfg.Now
	}
	k, err := s.cfg.Kits.KitStatus(ctx, t.Code, now())
	if err != nil {
		return err
	}
	t.Kit = &k
	return nil
}
