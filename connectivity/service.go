package connectivity

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
)

// Locations gives the TPS whose location is stored (siaga.LocationStore).
type Locations interface {
	TPSLocations(ctx context.Context) ([]siaga.TPSLocation, error)
}

// Config is what a Service is built from.
type Config struct {
	Store    siaga.ConnectivityStore
	Registry *siaga.Registry
	// Locations, when set, places the TPS that have a stored location
	// there; the others (all of them when nil) stand at their registry
	// coordinates, synthetic for Banten.
	Locations Locations
	// Sites gives the candidate sites the planner chooses from; nil
	// turns Plan off.
	Sites Sites
	// Thresholds classify surveys; nil: DefaultThresholds.
	Thresholds *Thresholds
	Now        func() time.Time
}

// Service classifies the TPS from their surveys, applies the
// interventions, and records both. Its reads come from memory; every
// change goes to the store first and then to memory, so the store stays
// the truth and Load rebuilds the same picture.
type Service struct {
	store siaga.ConnectivityStore
	locs  Locations
	sites Sites
	th    Thresholds
	now   func() time.Time

	// The TPS by code: a region's TPS are the contiguous range of codes
	// it prefixes.
	codes    []string
	index    map[string]int32
	desa     []string
	estimate []siaga.Connectivity // the registry's seeded class: an estimate, never a survey
	regPts   []orb.Point          // registry coordinates
	regions  map[string]bool      // the registry's region codes
	dpt      []int                // voters, a planner's weight

	// writing serialises changes, so that memory follows the store in
	// the store's order.
	writing sync.Mutex
	mu      sync.RWMutex
	st      *state
	// version counts the states put in place: a reader that derives
	// something from the whole picture (the readiness map) recomputes
	// only when it moved.
	version atomic.Uint64
}

// state is everything read from the store, and what follows from it.
type state struct {
	points  []orb.Point // where each TPS stands now
	located []string    // the stored location's source, "" at registry coordinates
	// latest holds, per TPS, the latest survey of each operator that
	// surveyed it.
	latest [][]siaga.Survey
	class  []siaga.Connectivity // from surveys alone
	obs    []observation        // every survey, by (At, ID), for the history
	// tests maps an intervention to its first passing test survey.
	tests map[int64]siaga.Survey
	ivs   []siaga.Intervention // by ID
	// What the tested interventions make of each TPS (effect.go).
	effective []siaga.Connectivity
	lifted    [][]int64 // the interventions lifting each TPS
	walk      []int64   // the walk point of a TPS still blank, 0 for none
}

// observation is a survey as the history needs it.
type observation struct {
	tps      int32
	id       int64
	at       time.Time
	operator string
	source   string
	class    siaga.Connectivity
}

// New returns a Service with nothing loaded; call Load before serving.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, locs: cfg.Locations, sites: cfg.Sites, th: DefaultThresholds, now: cfg.Now, index: map[string]int32{}}
	if cfg.Thresholds != nil {
		s.th = *cfg.Thresholds
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.regions = make(map[string]bool, len(cfg.Registry.Regions))
	for _, r := range cfg.Registry.Regions {
		s.regions[r.Code] = true
	}
	tps := slices.Clone(cfg.Registry.TPS)
	slices.SortFunc(tps, func(a, b siaga.TPS) int { return cmp.Compare(a.Code, b.Code) })
	for i, t := range tps {
		s.codes = append(s.codes, t.Code)
		s.index[t.Code] = int32(i)
		s.desa = append(s.desa, t.Desa)
		s.estimate = append(s.estimate, t.Connectivity)
		s.dpt = append(s.dpt, t.DPT)
		s.regPts = append(s.regPts, orb.Point{t.Lon, t.Lat})
	}
	s.st = s.emptyState()
	return s
}

func (s *Service) emptyState() *state {
	n := len(s.codes)
	return &state{points: slices.Clone(s.regPts), located: make([]string, n), latest: make([][]siaga.Survey, n),
		class: make([]siaga.Connectivity, n), tests: map[int64]siaga.Survey{}}
}

// Thresholds returns the thresholds in use.
func (s *Service) Thresholds() Thresholds { return s.th }

// TPS reports whether a TPS exists: a Service is the TPSIndex its own
// checks use.
func (s *Service) TPS(code string) (siaga.TPS, bool) {
	i, ok := s.index[code]
	if !ok {
		return siaga.TPS{}, false
	}
	return siaga.TPS{Code: code, Desa: s.desa[i], Lat: s.regPts[i][1], Lon: s.regPts[i][0], Connectivity: s.estimate[i]}, true
}

// Load reads every survey, intervention and stored TPS location, and
// replaces what the Service holds: at start, and when another node or
// another module (a relocation moves a TPS) changed them.
func (s *Service) Load(ctx context.Context) error {
	s.writing.Lock()
	defer s.writing.Unlock()
	st := s.emptyState()
	if s.locs != nil {
		ls, err := s.locs.TPSLocations(ctx)
		if err != nil {
			return fmt.Errorf("connectivity: reading TPS locations: %w", err)
		}
		for _, l := range ls {
			if i, ok := s.index[l.TPS]; ok {
				st.points[i], st.located[i] = orb.Point{l.Lon, l.Lat}, l.Source
			}
		}
	}
	page, err := s.store.Surveys(ctx, siaga.SurveyFilter{})
	if err != nil {
		return fmt.Errorf("connectivity: reading surveys: %w", err)
	}
	s.applySurveys(st, page.Items)
	if st.ivs, err = s.store.Interventions(ctx, ""); err != nil {
		return fmt.Errorf("connectivity: reading interventions: %w", err)
	}
	s.applyInterventions(st)
	s.mu.Lock()
	s.st = st
	s.version.Add(1)
	s.mu.Unlock()
	return nil
}

// AddSurveys checks every survey (CheckSurvey, and that the intervention
// a test names exists), stores them in one transaction and classifies
// their TPS anew. by is who recorded them ("user:NAME", "device:ID",
// "cli"); a survey's own By is kept when set. Nothing is stored when one
// is refused; the error names it by its position ("surveys[3].rsrp").
func (s *Service) AddSurveys(ctx context.Context, ss []siaga.Survey, by string) error {
	s.writing.Lock()
	defer s.writing.Unlock()
	now := s.now()
	s.mu.RLock()
	ivs := s.st.ivs
	s.mu.RUnlock()
	for i := range ss {
		sv := &ss[i]
		if sv.By == "" {
			sv.By = by
		}
		err := CheckSurvey(sv, s, now)
		if err == nil && sv.Intervention != 0 && !slices.ContainsFunc(ivs, func(iv siaga.Intervention) bool { return iv.ID == sv.Intervention }) {
			err = siaga.Errorf(siaga.EInvalid, "intervention", "intervensi %d tidak ada", "no intervention %d", sv.Intervention)
		}
		if err != nil {
			if len(ss) > 1 {
				err.Field = fmt.Sprintf("surveys[%d].%s", i, err.Field)
			}
			return err
		}
	}
	if err := s.store.AddSurveys(ctx, ss); err != nil {
		return err
	}
	s.update(func(st *state) { s.applySurveys(st, ss) })
	return nil
}

// update changes a copy of the state and puts it in place: readers keep
// the state they started with.
func (s *Service) update(change func(st *state)) {
	s.mu.RLock()
	old := s.st
	s.mu.RUnlock()
	st := &state{
		points: old.points, located: old.located,
		latest: slices.Clone(old.latest), class: slices.Clone(old.class),
		obs: slices.Clone(old.obs), tests: make(map[int64]siaga.Survey, len(old.tests)),
		ivs: slices.Clone(old.ivs),
	}
	for k, v := range old.tests {
		st.tests[k] = v
	}
	change(st)
	s.applyInterventions(st)
	s.mu.Lock()
	s.st = st
	s.version.Add(1)
	s.mu.Unlock()
}

// applySurveys adds ss to st: each becomes its operator's latest at its
// TPS unless a later one is there (an import of old measurements does not
// overwrite newer ones), and the TPS's class is its best operator's.
func (s *Service) applySurveys(st *state, ss []siaga.Survey) {
	touched := map[int32]bool{}
	for _, sv := range ss {
		i, ok := s.index[sv.TPS]
		if !ok {
			continue // a TPS the registry no longer has
		}
		if sv.Intervention != 0 {
			// The test of an intervention measures the signal it brings,
			// not the TPS's own: counted here, it would lift the TPS twice
			// and keep it lifted after the intervention is removed.
			if _, ok := st.tests[sv.Intervention]; !ok && sv.DataOK != nil && *sv.DataOK {
				st.tests[sv.Intervention] = sv
			}
			continue
		}
		c := s.th.Classify(&sv)
		st.obs = append(st.obs, observation{tps: i, id: sv.ID, at: sv.At, operator: sv.Operator, source: sv.Source, class: c})
		latest := slices.Clone(st.latest[i])
		j := slices.IndexFunc(latest, func(o siaga.Survey) bool { return o.Operator == sv.Operator })
		switch {
		case j < 0:
			latest = append(latest, sv)
		case later(&sv, &latest[j]):
			latest[j] = sv
		}
		st.latest[i] = latest
		touched[i] = true
	}
	for i := range touched {
		best := siaga.SignalUnknown
		for k := range st.latest[i] {
			if c := s.th.Classify(&st.latest[i][k]); rank(c) > rank(best) {
				best = c
			}
		}
		st.class[i] = best
	}
	// IDs are unique, so the order is total; appended measurements are
	// mostly the newest, which pattern-defeating quicksort finds sorted.
	slices.SortFunc(st.obs, compareObservations)
}

func later(a, b *siaga.Survey) bool {
	if !a.At.Equal(b.At) {
		return a.At.After(b.At)
	}
	return a.ID > b.ID
}

func compareObservations(a, b observation) int {
	if c := a.at.Compare(b.at); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// span is the range of TPS indices within region ("" all).
func (s *Service) span(region string) (lo, hi int) {
	lo = sort.SearchStrings(s.codes, region)
	hi = sort.SearchStrings(s.codes, region+":") // ':' sorts right after '9'
	return lo, hi
}

// Surveys is the page of stored surveys f selects: the staff's list,
// which holds surveyors' names.
func (s *Service) Surveys(ctx context.Context, f siaga.SurveyFilter) (siaga.SurveyPage, error) {
	return s.store.Surveys(ctx, f)
}
