package connectivity

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/coverage"
	"github.com/deskpemilu/siaga/geo"
)

// Target is a TPS a plan may bring signal to: where it stands, its class
// after the interventions already tested, and what covering it is worth.
type Target struct {
	TPS   string             `json:"tps"`
	Lat   float64            `json:"lat"`
	Lon   float64            `json:"lon"`
	Class siaga.Connectivity `json:"class"`
	// Residual: a blank TPS where a faint signal was measured, which a
	// booster can amplify (effect.go).
	Residual bool    `json:"residual,omitempty"`
	Weight   float64 `json:"weight"`
}

// Weightings of the planner: every TPS counts 1, or its voters (DPT).
const (
	WeightTPS = "tps"
	WeightDPT = "dpt"
)

// vsatReach is how far from a TPS a VSAT site without a radius may stand
// and still be "at" it: a terminal is cabled to the TPS's tent, but
// candidate sites and TPS points are each a few tens of metres off.
const vsatReach = 150

// BuildInstance turns the TPS to cover and the candidate sites of one
// intervention kind into a maximum-coverage instance (package coverage).
// It is the planner's rule of what a site can do:
//
//   - a booster site covers the weak TPS within its radius, and the blank
//     ones with a faint signal measured (Residual): a booster amplifies a
//     signal and cannot make one;
//   - a mobile BTS (COW) site covers the blank TPS within its radius;
//   - a VSAT site covers only the TPS it stands at: the nearest target
//     within its radius (vsatReach without one), when that TPS is blank.
//
// The instance's elements are the targets the kind can serve, returned in
// element order; set i is sites[i]'s, with its cost in rupiah. Sites of
// another kind cover nothing.
func BuildInstance(targets []Target, sites []siaga.Site, kind string) (coverage.Instance, []Target) {
	// The planner's targets are the TPS that cannot send: a mobile BTS or
	// a VSAT is for the blank ones; a booster for the weak ones and the
	// blank ones it can amplify.
	serves := func(t Target) bool { return t.Class == siaga.BlankSpot }
	if kind == siaga.InterventionBooster {
		serves = func(t Target) bool { return helps(kind, t.Class, t.Residual) }
	}
	var elems []Target
	pts := make([]orb.Point, 0, len(targets))
	for _, t := range targets {
		pts = append(pts, orb.Point{t.Lon, t.Lat})
	}
	// The VSAT's nearest TPS is among every target, not only the blank
	// ones: a site at a weak TPS is not at the blank one next door.
	all := geo.NewPoints(pts)
	element := make([]int32, len(targets)) // target → element, −1 when the kind cannot serve it
	for i, t := range targets {
		element[i] = -1
		if serves(t) {
			element[i] = int32(len(elems))
			elems = append(elems, t)
		}
	}
	in := coverage.Instance{Weights: make([]float64, len(elems)), Sets: make([][]int32, len(sites)), Costs: make([]float64, len(sites))}
	for i, t := range elems {
		in.Weights[i] = t.Weight
	}
	var near []int
	for s, site := range sites {
		in.Costs[s] = float64(site.Cost)
		in.Sets[s] = []int32{}
		if site.Intervention != kind {
			continue
		}
		p := orb.Point{site.Lon, site.Lat}
		set := []int32{}
		switch kind {
		case siaga.InterventionVSAT:
			reach := site.RadiusM
			if reach <= 0 {
				reach = vsatReach
			}
			near = all.Near(near[:0], p, reach)
			best, bestD := -1, 0.0
			for _, i := range near {
				if d := geo.Distance(p, pts[i]); best < 0 || d < bestD {
					best, bestD = i, d
				}
			}
			if best >= 0 && element[best] >= 0 {
				set = append(set, element[best])
			}
		case siaga.InterventionBooster, siaga.InterventionCOW:
			near = all.Near(near[:0], p, site.RadiusM)
			for _, i := range near {
				if element[i] >= 0 {
					set = append(set, element[i])
				}
			}
		}
		in.Sets[s] = set
	}
	return in, elems
}

// PlanTargets are the TPS of region ("" all) a plan of kind could help,
// from what the Service holds: for a booster the weak ones, for a VSAT or
// mobile BTS the blank ones (those with a walk point too: walking is a
// workaround, not signal), each weighted by weight (WeightTPS or
// WeightDPT). TPS already lifted by a tested intervention are not
// targets; unsurveyed ones are not either: nobody knows what they need.
// Every TPS of those two classes is returned, whatever the kind:
// BuildInstance picks.
func (s *Service) PlanTargets(region, weight string) []Target {
	s.mu.RLock()
	st := s.st
	s.mu.RUnlock()
	lo, hi := s.span(region)
	var out []Target
	for i := lo; i < hi; i++ {
		c := st.effective[i]
		if c == ClassTitik {
			c = siaga.BlankSpot
		}
		if c != siaga.BlankSpot && c != siaga.SignalWeak {
			continue
		}
		w := 1.0
		if weight == WeightDPT {
			w = float64(s.dpt[i])
		}
		p := st.points[i]
		out = append(out, Target{TPS: s.codes[i], Lat: p[1], Lon: p[0], Class: c,
			Residual: c == siaga.BlankSpot && Residual(st.latest[i]), Weight: w})
	}
	return out
}

// Sites gives the candidate sites (siaga.SiteStore).
type Sites interface {
	Sites(ctx context.Context, f siaga.SiteFilter) ([]siaga.Site, error)
}

// PlanRequest is what a planner asks: k sites or a budget's worth of one
// kind, weighing each TPS by 1 or its voters, within a region ("" all).
type PlanRequest struct {
	Kind   string  // booster, vsat or cow
	K      int     // number of sites; 0 with a budget
	Budget float64 // rupiah; 0 with k
	Weight string  // WeightTPS or WeightDPT
	Region string
}

// MaxPlanSites bounds k: more sites than a province has blank-spot TPS
// is never asked, and the greedy's work grows with k.
const MaxPlanSites = 10_000

// PlanKinds are the intervention kinds the planner places (a walk point
// is mapped, not bought).
var PlanKinds = []string{siaga.InterventionBooster, siaga.InterventionVSAT, siaga.InterventionCOW}

// Plan is where to put the interventions and how good the choice is. Its
// JSON is `siaga plan interventions --json` (SPEC §9: sites, covered,
// upper_bound, guarantee; the rest is added); the fields without JSON are
// what the planning page shows beside it.
type Plan struct {
	Kind   string     `json:"kind"`
	Weight string     `json:"weight"`
	Region string     `json:"region,omitempty"`
	Sites  []PlanSite `json:"sites"`
	// Covered is the weight the chosen sites cover (TPS, or voters with
	// the dpt weight); CoveredTPS the TPS.
	Covered    float64 `json:"covered"`
	CoveredTPS int     `json:"covered_tps"`
	UpperBound float64 `json:"upper_bound"`
	Guarantee  float64 `json:"guarantee"`
	Ratio      float64 `json:"ratio"`
	Cost       float64 `json:"cost"`
	// Targets are the TPS the kind can serve (weak for a booster, blank
	// for VSAT or mobile BTS) and their weight; Candidates the sites.
	Targets      int             `json:"targets"`
	TargetWeight float64         `json:"target_weight"`
	Candidates   int             `json:"candidates"`
	Steps        []coverage.Step `json:"steps"`

	// Elements are the targets the kind can serve, each with whether the
	// plan covers it: the map's points.
	Elements []PlanTarget `json:"-"`
	// Before counts the region's TPS that need signal now (blank, a walk
	// point counted blank, and weak); After, if the plan is carried out.
	Before, After Counts `json:"-"`
	// TargetVoters are the voters (DPT) of the targets.
	TargetVoters int `json:"-"`
	// CoveredVoters are the voters (DPT) of the covered TPS.
	CoveredVoters int `json:"-"`
}

// PlanSite is a chosen site, in pick order.
type PlanSite struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Lat    float64  `json:"lat"`
	Lon    float64  `json:"lon"`
	Covers []string `json:"covers"`
	Cost   int64    `json:"cost"`

	Desa    string  `json:"-"`
	RadiusM float64 `json:"-"`
	// Gain is the weight it adds to the sites picked before it; GainTPS
	// the TPS (Plan.Steps has the running totals).
	Gain    float64 `json:"-"`
	GainTPS int     `json:"-"`
}

// PlanTarget is a target of the plan and whether a chosen site covers it.
type PlanTarget struct {
	Target
	DPT     int
	Covered bool
}

// checkPlan refuses a request the planner cannot answer, naming its field.
func (s *Service) checkPlan(q *PlanRequest) error {
	switch {
	case !slices.Contains(PlanKinds, q.Kind):
		return siaga.Errorf(siaga.EInvalid, "kind", "pilih booster, vsat atau cow", "one of booster, vsat or cow")
	case (q.K > 0) == (q.Budget > 0):
		return siaga.Errorf(siaga.EInvalid, "k", "sebutkan salah satu: jumlah lokasi (k) atau anggaran (rupiah)",
			"give one of a number of sites (k) or a budget (rupiah)")
	case q.K < 0 || q.K > MaxPlanSites:
		return siaga.Errorf(siaga.EInvalid, "k", "jumlah lokasi antara 1 dan %d", "the number of sites is 1 to %d", MaxPlanSites)
	case q.Budget < 0 || q.Budget > 1e15 || math.IsNaN(q.Budget):
		return siaga.Errorf(siaga.EInvalid, "budget", "anggaran harus rupiah positif", "the budget must be positive rupiah")
	case q.Weight == "":
		q.Weight = WeightTPS
	case q.Weight != WeightTPS && q.Weight != WeightDPT:
		return siaga.Errorf(siaga.EInvalid, "weight", "pilih tps atau dpt", "one of tps or dpt")
	}
	if q.Region != "" && !s.regions[q.Region] {
		return siaga.Errorf(siaga.EInvalid, "region", "%q bukan kode wilayah", "%q is not a region code", q.Region)
	}
	if s.sites == nil {
		return siaga.Errorf(siaga.EUnavailable, "", "lokasi kandidat tidak tersedia di server ini", "candidate sites are not available on this server")
	}
	return nil
}

// Plan chooses where q's interventions go, from the candidate sites
// (Config.Sites) and the TPS that need signal (PlanTargets): the lazy
// greedy for k sites, the budgeted greedy for a budget (package
// coverage), with the guarantee and the bound. The command line and the
// planning page both call it, so they give the same plan.
func (s *Service) Plan(ctx context.Context, q PlanRequest) (Plan, error) {
	if err := s.checkPlan(&q); err != nil {
		return Plan{}, err
	}
	sites, err := s.sites.Sites(ctx, siaga.SiteFilter{Region: q.Region, Intervention: q.Kind})
	if err != nil {
		return Plan{}, err
	}
	targets := s.PlanTargets(q.Region, q.Weight)
	in, elems := BuildInstance(targets, sites, q.Kind)
	var p coverage.Plan
	if q.K > 0 {
		p = coverage.Greedy(in, q.K)
	} else {
		p = coverage.Budgeted(in, q.Budget)
	}
	out := Plan{Kind: q.Kind, Weight: q.Weight, Region: q.Region, Sites: []PlanSite{}, Covered: p.Covered, CoveredTPS: p.CoveredCount,
		UpperBound: p.UpperBound, Guarantee: p.Guarantee, Ratio: p.Ratio, Cost: p.Cost, Targets: len(elems),
		Candidates: len(sites), Steps: p.Steps}
	covered := make([]bool, len(elems))
	for _, c := range p.Chosen {
		site := sites[c]
		ps := PlanSite{Code: site.Code, Name: site.Name, Lat: site.Lat, Lon: site.Lon, Cost: site.Cost, Covers: []string{},
			Desa: site.Desa, RadiusM: site.RadiusM}
		for _, el := range in.Sets[c] {
			ps.Covers = append(ps.Covers, elems[el].TPS)
			if !covered[el] {
				covered[el] = true
				ps.Gain += elems[el].Weight
				ps.GainTPS++
			}
		}
		out.Sites = append(out.Sites, ps)
	}
	for _, t := range targets {
		out.Before.add(t.Class)
	}
	out.After = out.Before
	for i, t := range elems {
		out.TargetWeight += t.Weight
		dpt := s.dpt[s.index[t.TPS]]
		out.TargetVoters += dpt
		out.Elements = append(out.Elements, PlanTarget{Target: t, DPT: dpt, Covered: covered[i]})
		if covered[i] {
			out.CoveredVoters += dpt
			out.After.remove(t.Class)
			out.After.add(siaga.SignalGood)
		}
	}
	return out, nil
}

// RecordPlan records the sites of the plan q chooses as planned
// interventions of owner, due by due (zero: none), in one transaction
// with an audit entry each: the planning page's "catat sebagai rencana".
// The plan is computed again here rather than taken from the form, so
// what is recorded is what the planner chooses now. A site that already
// has an intervention not removed is refused: a plan recorded twice would
// count its boosters twice.
func (s *Service) RecordPlan(ctx context.Context, q PlanRequest, owner string, due time.Time, by string) (Plan, []siaga.Intervention, error) {
	if q.Region == "" {
		return Plan{}, nil, siaga.Errorf(siaga.EInvalid, "region", "sebutkan wilayah rencana", "name the plan's region")
	}
	p, err := s.Plan(ctx, q)
	if err != nil {
		return p, nil, err
	}
	if len(p.Sites) == 0 {
		return p, nil, siaga.Errorf(siaga.EInvalid, "k", "rencana ini tidak memilih lokasi; tidak ada yang dicatat", "this plan chooses no site; nothing was recorded")
	}
	s.writing.Lock()
	defer s.writing.Unlock()
	s.mu.RLock()
	existing := s.st.ivs
	s.mu.RUnlock()
	now := s.now()
	note := fmt.Sprintf("rencana %s: %d lokasi, %d dari %d TPS, sedikitnya %.0f%% dari yang terbaik", p.Kind, len(p.Sites), p.CoveredTPS, p.Targets, 100*p.Ratio)
	ivs := make([]*siaga.Intervention, 0, len(p.Sites))
	var audit []siaga.AuditEvent
	for _, site := range p.Sites {
		if slices.ContainsFunc(existing, func(iv siaga.Intervention) bool {
			return iv.Site == site.Code && iv.Status != siaga.InterventionRemoved
		}) {
			return p, nil, siaga.Errorf(siaga.EConflict, "site", "lokasi %s sudah punya intervensi tercatat", "site %s already has an intervention on record", site.Code)
		}
		iv := &siaga.Intervention{Kind: p.Kind, Site: site.Code, Region: q.Region, Lat: site.Lat, Lon: site.Lon, Cost: site.Cost,
			Owner: owner, Status: siaga.InterventionPlanned, Due: due, Note: note, UpdatedAt: now, By: by}
		switch p.Kind {
		case siaga.InterventionVSAT:
			iv.TPS = site.Covers[0] // a VSAT site covers the one TPS it stands at
		default:
			iv.RadiusM = site.RadiusM
			if site.Desa != "" && siaga.InScope(q.Region, site.Desa) && s.regions[site.Desa] {
				iv.Region = site.Desa
			}
		}
		if err := s.checkIntervention(iv); err != nil {
			err.Message, err.MessageEN = "lokasi "+site.Code+": "+err.Message, "site "+site.Code+": "+err.MessageEN
			return p, nil, err
		}
		ivs = append(ivs, iv)
		audit = append(audit, auditEntry(iv, siaga.AuditInterventionCreate, map[string]any{"intervention": iv, "plan": note}))
	}
	if err := s.store.AddInterventions(ctx, ivs, audit...); err != nil {
		return p, nil, err
	}
	out := make([]siaga.Intervention, len(ivs))
	for i, iv := range ivs {
		out[i] = *iv
	}
	s.update(func(st *state) { st.ivs = append(st.ivs, out...) })
	return p, out, nil
}
