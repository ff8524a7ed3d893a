package connectivity

import (
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
