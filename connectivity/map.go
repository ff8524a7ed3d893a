package connectivity

import "github.com/deskpemilu/siaga"

// What the readiness map reads of the connectivity picture in bulk: the
// class of every TPS of a region at once (TPSStatus, one TPS at a time,
// walks every intervention for each), and a version to recompute by.

// Version changes whenever the picture does (a survey, an intervention, a
// reload). Read it before reading the picture: a picture read after it is
// at least as new.
func (s *Service) Version() uint64 { return s.version.Load() }

// TPSClass is one TPS's signal in a bulk read.
type TPSClass struct {
	TPS     string  `json:"tps"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	Located string  `json:"located,omitempty"` // the stored location's source; "" at the registry's point
	// Class is from the surveys alone ("" unsurveyed), Effective after
	// the tested interventions, Estimate the registry's seeded class.
	Class     siaga.Connectivity `json:"class"`
	Effective siaga.Connectivity `json:"effective"`
	Estimate  siaga.Connectivity `json:"estimate,omitempty"`
	// Residual: blank, with a faint signal measured that a booster can
	// amplify (effect.go).
	Residual bool `json:"residual,omitempty"`
	// Helped is how many tested interventions lift or mark it.
	Helped int `json:"helped,omitempty"`
}

// TPSClasses returns the class of every TPS of region ("" all), by code.
func (s *Service) TPSClasses(region string) []TPSClass {
	s.mu.RLock()
	st := s.st
	s.mu.RUnlock()
	lo, hi := s.span(region)
	out := make([]TPSClass, 0, hi-lo)
	for i := lo; i < hi; i++ {
		p := st.points[i]
		c := TPSClass{TPS: s.codes[i], Lat: p[1], Lon: p[0], Located: st.located[i], Class: st.class[i],
			Effective: st.effective[i], Estimate: s.estimate[i], Helped: len(st.lifted[i]),
			Residual: st.class[i] == siaga.BlankSpot && Residual(st.latest[i])}
		if st.walk[i] != 0 {
			c.Helped++
		}
		out = append(out, c)
	}
	return out
}

// Helps reports whether an intervention of kind, covering a TPS whose
// surveyed class is c, would bring it signal once it works: a booster
// where there is a signal to amplify (weak, or blank with a faint one
// measured: residual), a mobile BTS where there is little or none. A VSAT
// terminal and a walk point serve the TPS they name.
func Helps(kind string, c siaga.Connectivity, residual bool) bool { return helps(kind, c, residual) }
