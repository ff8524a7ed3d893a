package connectivity

import (
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// Counts are TPS by class. Titik counts the TPS still blank where they
// stand that have a mapped walk point (effective classes only).
type Counts struct {
	Good    int `json:"good"`
	Weak    int `json:"weak"`
	Blank   int `json:"blank"`
	Titik   int `json:"titik,omitempty"`
	Unknown int `json:"unknown"`
}

func (c *Counts) add(class siaga.Connectivity) {
	switch class {
	case siaga.SignalGood:
		c.Good++
	case siaga.SignalWeak:
		c.Weak++
	case siaga.BlankSpot:
		c.Blank++
	case ClassTitik:
		c.Titik++
	default:
		c.Unknown++
	}
}

// HistoryPoint is the region's classes at the end of one day (WIB), from
// the surveys measured up to then, and the surveys measured that day by
// source.
type HistoryPoint struct {
	Date    string         `json:"date"` // 2006-01-02, WIB
	Counts  Counts         `json:"counts"`
	Surveys map[string]int `json:"surveys"` // by source (siaga.Survey* constants)
}

// Summary is a region's connectivity as the public sees it: no surveyor,
// no note, no cost.
type Summary struct {
	Region string `json:"region"`
	TPS    int    `json:"tps"`
	// Surveyed is the class from the surveys alone; unsurveyed TPS are
	// unknown.
	Surveyed Counts `json:"surveyed"`
	// Effective is the class once tested interventions are applied.
	Effective Counts `json:"effective"`
	// Estimate is the registry's seeded class ("perkiraan"), synthetic
	// for Banten, shown beside the surveys and never as one.
	Estimate      Counts             `json:"estimate"`
	Interventions InterventionCounts `json:"interventions"`
	History       []HistoryPoint     `json:"history"`
}

// InterventionCounts are a region's interventions by kind and status, and
// how many are late.
type InterventionCounts struct {
	Total    int                       `json:"total"`
	ByKind   map[string]map[string]int `json:"by_kind"` // kind → status → count
	Late     int                       `json:"late"`
	Covering int                       `json:"covering_tps"` // TPS the tested ones lift or mark
}

// Classes are a region's TPS counted by class: from surveys, after the
// tested interventions, and the registry's estimate.
type Classes struct {
	TPS       int    `json:"tps"`
	Surveyed  Counts `json:"surveyed"`
	Effective Counts `json:"effective"`
	Estimate  Counts `json:"estimate"`
	// Covering are the TPS the tested interventions lift or mark.
	Covering int `json:"covering_tps"`
}

// Classes counts the region's TPS ("" all) by class, without the history:
// what a list of child regions shows for each.
func (s *Service) Classes(region string) Classes {
	s.mu.RLock()
	st := s.st
	s.mu.RUnlock()
	return s.classes(st, region)
}

func (s *Service) classes(st *state, region string) Classes {
	lo, hi := s.span(region)
	c := Classes{TPS: hi - lo}
	for i := lo; i < hi; i++ {
		c.Surveyed.add(st.class[i])
		c.Effective.add(st.effective[i])
		c.Estimate.add(s.estimate[i])
		if len(st.lifted[i]) > 0 || st.walk[i] != 0 {
			c.Covering++
		}
	}
	return c
}

// Summary is the region's counts and history ("" all).
func (s *Service) Summary(region string) Summary {
	s.mu.RLock()
	st := s.st
	s.mu.RUnlock()
	lo, hi := s.span(region)
	c := s.classes(st, region)
	sum := Summary{Region: region, TPS: c.TPS, Surveyed: c.Surveyed, Effective: c.Effective, Estimate: c.Estimate,
		History: s.history(st, lo, hi)}
	sum.Interventions.Covering = c.Covering
	now := s.now()
	sum.Interventions.ByKind = map[string]map[string]int{}
	for _, iv := range st.ivs {
		if !siaga.InScope(region, iv.Region) {
			continue
		}
		sum.Interventions.Total++
		if sum.Interventions.ByKind[iv.Kind] == nil {
			sum.Interventions.ByKind[iv.Kind] = map[string]int{}
		}
		sum.Interventions.ByKind[iv.Kind][iv.Status]++
		if Late(&iv, now) {
			sum.Interventions.Late++
		}
	}
	return sum
}

// History replays the surveys of the TPS in [lo, hi) in the order they
// were measured: after each day, the class of every TPS from the latest
// survey of each operator up to then. It is the count that changed as
// surveys came in (Banten's 452 blank spots).
func (s *Service) history(st *state, lo, hi int) []HistoryPoint {
	latest := map[int32]map[string]siaga.Connectivity{} // TPS → operator → class
	class := map[int32]siaga.Connectivity{}
	var counts Counts
	counts.Unknown = hi - lo
	var out []HistoryPoint
	var day string
	var sources map[string]int
	flush := func() {
		if day != "" {
			out = append(out, HistoryPoint{Date: day, Counts: counts, Surveys: sources})
		}
	}
	for _, o := range st.obs {
		if int(o.tps) < lo || int(o.tps) >= hi {
			continue
		}
		if d := o.at.In(siaga.WIB).Format(time.DateOnly); d != day {
			flush()
			day, sources = d, map[string]int{}
		}
		sources[o.source]++
		ops := latest[o.tps]
		if ops == nil {
			ops = map[string]siaga.Connectivity{}
			latest[o.tps] = ops
		}
		ops[o.operator] = o.class // obs are in measured order: the last is the latest
		best := siaga.SignalUnknown
		for _, c := range ops {
			if rank(c) > rank(best) {
				best = c
			}
		}
		if prev := class[o.tps]; prev != best {
			counts.remove(prev)
			counts.add(best)
			class[o.tps] = best
		}
	}
	flush()
	return out
}

func (c *Counts) remove(class siaga.Connectivity) {
	switch class {
	case siaga.SignalGood:
		c.Good--
	case siaga.SignalWeak:
		c.Weak--
	case siaga.BlankSpot:
		c.Blank--
	case ClassTitik:
		c.Titik--
	default:
		c.Unknown--
	}
}

// TPSStatus is one TPS's connectivity for the desk: staff data (the
// surveyors' names are in its surveys).
type TPSStatus struct {
	TPS       string             `json:"tps"`
	Lat       float64            `json:"lat"`
	Lon       float64            `json:"lon"`
	Located   string             `json:"located,omitempty"` // the stored location's source; "" at the registry's (synthetic) point
	Class     siaga.Connectivity `json:"class"`             // from surveys; "" unknown
	Effective siaga.Connectivity `json:"effective"`
	Estimate  siaga.Connectivity `json:"estimate,omitempty"` // the registry's "perkiraan"
	// Surveys are the latest of each operator, by operator.
	Surveys []siaga.Survey `json:"surveys"`
	// Interventions are those serving it or covering it, tested or not.
	Interventions []InterventionView `json:"interventions"`
}

// InterventionView is an intervention with what the desk reads off it.
type InterventionView struct {
	siaga.Intervention
	Late bool `json:"late"`
	// Covers are the TPS it lifts or marks (tested ones only).
	Covers []string `json:"covers"`
	// Test is its first passing data test after installation, without
	// the surveyor; nil before one.
	Test *TestResult `json:"test,omitempty"`
}

// TestResult is the data test of an intervention after installation.
type TestResult struct {
	Survey   int64     `json:"survey"`
	TPS      string    `json:"tps"`
	Operator string    `json:"operator"`
	DownKbps *float64  `json:"down_kbps,omitempty"`
	UpKbps   *float64  `json:"up_kbps,omitempty"`
	RTTms    *float64  `json:"rtt_ms,omitempty"`
	At       time.Time `json:"at"`
}

// TPSStatus is one TPS's connectivity; false for an unknown TPS.
func (s *Service) TPSStatus(code string) (TPSStatus, bool) {
	i, ok := s.index[code]
	if !ok {
		return TPSStatus{}, false
	}
	s.mu.RLock()
	st := s.st
	s.mu.RUnlock()
	p := st.points[i]
	ts := TPSStatus{TPS: code, Lat: p[1], Lon: p[0], Located: st.located[i], Class: st.class[i], Effective: st.effective[i],
		Estimate: s.estimate[i], Surveys: slices.Clone(st.latest[i]), Interventions: []InterventionView{}}
	if ts.Surveys == nil {
		ts.Surveys = []siaga.Survey{}
	}
	slices.SortFunc(ts.Surveys, func(a, b siaga.Survey) int {
		return slices.Index(Operators, a.Operator) - slices.Index(Operators, b.Operator)
	})
	for _, v := range s.views(st, "") {
		reaches := v.RadiusM > 0 && geo.Distance(p, orb.Point{v.Lon, v.Lat}) <= v.RadiusM
		if v.TPS == code || reaches {
			ts.Interventions = append(ts.Interventions, v)
		}
	}
	return ts, true
}

// Interventions are the interventions standing in region ("" all), by
// ID, with whether each is late and the TPS it covers.
func (s *Service) Interventions(region string) []InterventionView {
	s.mu.RLock()
	st := s.st
	s.mu.RUnlock()
	return s.views(st, region)
}

func (s *Service) views(st *state, region string) []InterventionView {
	covers := map[int64][]string{}
	for i := range s.codes {
		for _, id := range st.lifted[i] {
			covers[id] = append(covers[id], s.codes[i])
		}
		if id := st.walk[i]; id != 0 {
			covers[id] = append(covers[id], s.codes[i])
		}
	}
	now := s.now()
	out := []InterventionView{}
	for _, iv := range st.ivs {
		if siaga.InScope(region, iv.Region) {
			v := InterventionView{Intervention: iv, Late: Late(&iv, now), Covers: append([]string{}, covers[iv.ID]...)}
			if t, ok := st.tests[iv.ID]; ok {
				v.Test = &TestResult{Survey: t.ID, TPS: t.TPS, Operator: t.Operator, DownKbps: t.DownKbps, UpKbps: t.UpKbps, RTTms: t.RTTms, At: t.At}
			}
			out = append(out, v)
		}
	}
	return out
}
