package connectivity

import (
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// ClassTitik is the effective class of a TPS still blank where it stands
// but with a mapped point with signal to walk to ("titik sinyal").
const ClassTitik siaga.Connectivity = "titik"

// applyInterventions computes what the tested interventions make of each
// TPS. Only a tested one counts: installed but untested it has not shown
// that it works, removed it no longer does.
//
//   - a VSAT terminal makes its own TPS good, whatever its class;
//   - a booster lifts a weak TPS within its radius to good, and a blank
//     one only where a signal was measured there, too faint to use
//     (Residual): its mast antenna amplifies a signal, it cannot make one,
//     so a TPS where the phones showed no service stays blank;
//   - a mobile BTS (COW) brings its own cell: blank and weak TPS within
//     its radius become good;
//   - a walk point leaves its TPS blank but marks it "titik": the count
//     leaves from the mapped point nearby.
//
// Apart from a VSAT's own TPS (its test was taken there), an unsurveyed
// TPS stays unknown: nobody has measured what it needs.
func (s *Service) applyInterventions(st *state) {
	n := len(s.codes)
	st.effective = slices.Clone(st.class)
	st.lifted = make([][]int64, n)
	st.walk = make([]int64, n)
	lift := func(i int, id int64) {
		st.effective[i] = siaga.SignalGood
		st.lifted[i] = append(st.lifted[i], id)
	}
	for _, iv := range st.ivs {
		if iv.Status != siaga.InterventionTested {
			continue
		}
		switch iv.Kind {
		case siaga.InterventionVSAT:
			if i, ok := s.index[iv.TPS]; ok {
				lift(int(i), iv.ID)
			}
		case siaga.InterventionWalk:
			if i, ok := s.index[iv.TPS]; ok && st.class[i] == siaga.BlankSpot && st.walk[i] == 0 {
				st.walk[i] = iv.ID
			}
		case siaga.InterventionBooster, siaga.InterventionCOW:
			for _, i := range within(st.points, orb.Point{iv.Lon, iv.Lat}, iv.RadiusM) {
				if helps(iv.Kind, st.class[i], Residual(st.latest[i])) {
					lift(i, iv.ID)
				}
			}
		}
	}
	for i, id := range st.walk {
		if id != 0 && st.effective[i] == siaga.BlankSpot {
			st.effective[i] = ClassTitik
		}
	}
}

// helps reports whether an intervention of kind, covering a TPS of class
// c, brings it signal: the rule the map and the planner share. residual
// says a blank TPS had a signal measured, too faint to use.
func helps(kind string, c siaga.Connectivity, residual bool) bool {
	switch kind {
	case siaga.InterventionBooster:
		return c == siaga.SignalWeak || (c == siaga.BlankSpot && residual)
	case siaga.InterventionCOW:
		return c == siaga.SignalWeak || c == siaga.BlankSpot
	}
	return false
}

// Residual reports whether any of a TPS's latest surveys measured a
// signal level (RSRP or RSSI) on a technology the phone showed: a signal
// is there, however faint, for a booster to amplify. Kab. Serang's 63
// blank-spot TPS of 2024 got boosters; a TPS where every phone showed "no
// service" needs a VSAT or a mobile BTS instead.
func Residual(latest []siaga.Survey) bool {
	for _, s := range latest {
		if s.Tech != TechNone && (s.RSRP != nil || s.RSSI != nil) {
			return true
		}
	}
	return false
}

// within returns the indices of the points within radius metres of p. A
// box around p skips most points before the great-circle distance.
func within(points []orb.Point, p orb.Point, radius float64) []int {
	dLat := radius / geo.EarthRadius * 180 / math.Pi
	dLon := dLat / math.Max(math.Cos(p[1]*math.Pi/180), 0.01)
	var out []int
	for i, q := range points {
		if math.Abs(q[1]-p[1]) > dLat || math.Abs(q[0]-p[0]) > dLon {
			continue
		}
		if geo.Distance(p, q) <= radius {
			out = append(out, i)
		}
	}
	return out
}

// Late reports whether an intervention missed its due date: not
// installed by Due, or installed after it.
func Late(iv *siaga.Intervention, now time.Time) bool {
	if iv.Due.IsZero() {
		return false
	}
	if iv.InstalledAt.IsZero() {
		return iv.Status == siaga.InterventionPlanned && now.After(iv.Due)
	}
	return iv.InstalledAt.After(iv.Due)
}
