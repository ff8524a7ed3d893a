package disaster

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// PointRegistry is the source of a TPS point taken from the registry's
// coordinates: synthetic for Banten (registry/banten.go puts each TPS near
// its desa's centroid), absent elsewhere.
const PointRegistry = "registri"

// Store is what the module keeps.
type Store interface {
	siaga.DisasterStore
	siaga.LocationStore
}

// Config is what a Service is built from.
type Config struct {
	Store Store
	// TPS is the registry's, ordered by code.
	TPS []siaga.TPS
	// Boundaries returns the region boundaries TPS locations are checked
	// against and notices draw; nil where there are none (outside
	// Banten). It is called only when needed: decoding Banten's takes a
	// quarter of a second.
	Boundaries func() (*geo.Regions, error)
	Now        func() time.Time
}

// Service keeps the exposure of every TPS up to date: it is computed once
// when the service loads and again whenever a layer is imported or
// deleted or a TPS moves, so that a question about a region is a walk over
// a sorted list, not 33,000 point-in-polygon queries.
type Service struct {
	cfg Config
	mu  sync.Mutex // one change at a time
	st  atomicState
}

// state is one consistent picture; a change builds a new one.
type state struct {
	layers   []siaga.HazardLayer
	zones    []Zone // decoded once, kept for the next rebuild
	exposure *Exposure
	// points[i] is where cfg.TPS[i] stands; Source "" for nowhere known.
	points []Point
	// hits[i] are the zones containing points[i], ordered as Exposure.At.
	hits [][]Hit
}

// Point is where a TPS stands and where that came from.
type Point struct {
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	Address string  `json:"address,omitempty"`
	// Source is one of siaga's Location* constants, or PointRegistry.
	Source string `json:"source"`
}

// Synthetic reports whether the point is made up: generated for the demo
// or the registry's seeded coordinates.
func (p Point) Synthetic() bool {
	return p.Source == siaga.LocationSynthetic || p.Source == PointRegistry
}

func (p Point) orb() orb.Point { return orb.Point{p.Lon, p.Lat} }

// New returns a service; call Load before asking it anything.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg}
	points := s.registryPoints()
	s.st.store(&state{points: points, hits: make([][]Hit, len(points))})
	return s
}

// Load reads the layers, zones and locations from the store and computes
// every TPS's exposure.
func (s *Service) Load(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	layers, err := s.cfg.Store.HazardLayers(ctx)
	if err != nil {
		return err
	}
	stored, err := s.cfg.Store.HazardZones(ctx)
	if err != nil {
		return err
	}
	zones, err := DecodeZones(stored)
	if err != nil {
		return err
	}
	x, err := IndexZones(zones)
	if err != nil {
		return err
	}
	locs, err := s.cfg.Store.TPSLocations(ctx)
	if err != nil {
		return err
	}
	st := &state{layers: layers, zones: zones, exposure: x, points: s.registryPoints()}
	s.place(st.points, locs)
	st.hits = expose(x, st.points)
	s.st.store(st)
	return nil
}

// boundaries returns the region boundaries, nil when there are none.
// Boundaries are the desa boundaries the service locates points in
// (decoded on first use), nil where the deployment has none: the pages
// that place a point drawn on a map use the same ones.
func (s *Service) Boundaries() (*geo.Regions, error) { return s.boundaries() }

func (s *Service) boundaries() (*geo.Regions, error) {
	if s.cfg.Boundaries == nil {
		return nil, nil
	}
	return s.cfg.Boundaries()
}

// registryPoints are the registry's coordinates, where it has any.
func (s *Service) registryPoints() []Point {
	out := make([]Point, len(s.cfg.TPS))
	for i, t := range s.cfg.TPS {
		if t.Lat != 0 || t.Lon != 0 {
			out[i] = Point{Lat: t.Lat, Lon: t.Lon, Source: PointRegistry}
		}
	}
	return out
}

// place puts each TPS of locs (its newest location) at that location.
func (s *Service) place(points []Point, locs []siaga.TPSLocation) {
	for _, l := range locs {
		if i, ok := s.tpsIndex(l.TPS); ok {
			points[i] = Point{Lat: l.Lat, Lon: l.Lon, Address: l.Address, Source: l.Source}
		}
	}
}

// expose computes the zones of every point.
func expose(x *Exposure, points []Point) [][]Hit {
	hits := make([][]Hit, len(points))
	for i, p := range points {
		if p.Source != "" {
			hits[i] = x.At(p.orb())
		}
	}
	return hits
}

func (s *Service) tpsIndex(code string) (int, bool) {
	return slices.BinarySearchFunc(s.cfg.TPS, code, func(t siaga.TPS, c string) int { return strings.Compare(t.Code, c) })
}

// span is the range of cfg.TPS whose codes start with region.
func (s *Service) span(region string) (lo, hi int) {
	lo = sort.Search(len(s.cfg.TPS), func(i int) bool { return s.cfg.TPS[i].Code >= region })
	hi = lo + sort.Search(len(s.cfg.TPS)-lo, func(i int) bool { return !strings.HasPrefix(s.cfg.TPS[lo+i].Code, region) })
	return lo, hi
}

// ImportHazards stores a layer read by ReadHazards and recomputes every
// TPS's exposure. by is the actor ("user:NAME", "cli").
func (s *Service) ImportHazards(ctx context.Context, l *siaga.HazardLayer, zones []siaga.HazardZone, by string) error {
	if strings.TrimSpace(l.Name) == "" {
		return siaga.Errorf(siaga.EInvalid, "name", "Lapisan bahaya perlu nama", "a hazard layer needs a name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l.ImportedAt, l.ImportedBy = s.cfg.Now(), by
	audit := siaga.AuditEvent{At: l.ImportedAt, Actor: by, Action: siaga.AuditHazardImport,
		Detail: siaga.AuditDetail(map[string]any{"name": l.Name, "source": l.Source, "features": len(zones), "synthetic": l.Synthetic})}
	decoded, err := DecodeZones(zones)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.ImportHazardLayer(ctx, l, zones, audit); err != nil {
		return err
	}
	for i := range decoded {
		decoded[i].Layer = l.ID
	}
	old := s.st.load()
	return s.reexpose(ctx, slices.Concat(old.zones, decoded))
}

// DeleteHazardLayer removes a layer and recomputes every TPS's exposure.
func (s *Service) DeleteHazardLayer(ctx context.Context, id int64, by string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	audit := siaga.AuditEvent{At: s.cfg.Now(), Actor: by, Action: siaga.AuditHazardDelete, Subject: fmt.Sprint(id)}
	if err := s.cfg.Store.DeleteHazardLayer(ctx, id, audit); err != nil {
		return err
	}
	kept := slices.DeleteFunc(slices.Clone(s.st.load().zones), func(z Zone) bool { return z.Layer == id })
	return s.reexpose(ctx, kept)
}

// reexpose indexes zones (every zone of every layer, decoded) and
// recomputes the exposure of every TPS, keeping the points; the layers
// are read again. The caller holds mu.
func (s *Service) reexpose(ctx context.Context, zones []Zone) error {
	layers, err := s.cfg.Store.HazardLayers(ctx)
	if err != nil {
		return err
	}
	x, err := IndexZones(zones)
	if err != nil {
		return err
	}
	old := s.st.load()
	s.st.store(&state{layers: layers, zones: zones, exposure: x, points: old.points, hits: expose(x, old.points)})
	return nil
}

// AddLocations stores ls (checked by ReadLocations or made by
// SyntheticLocations) and moves their TPS.
func (s *Service) AddLocations(ctx context.Context, ls []siaga.TPSLocation, by string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	audit := siaga.AuditEvent{At: s.cfg.Now(), Actor: by, Action: siaga.AuditLocations, Subject: fmt.Sprint(len(ls)),
		Detail: siaga.AuditDetail(map[string]any{"rows": len(ls)})}
	if err := s.cfg.Store.AddTPSLocations(ctx, ls, audit); err != nil {
		return err
	}
	s.moved(ls)
	return nil
}

// moved puts the TPS of ls at their new places and recomputes their
// exposure only. The caller holds mu.
func (s *Service) moved(ls []siaga.TPSLocation) {
	old := s.st.load()
	st := &state{layers: old.layers, zones: old.zones, exposure: old.exposure, points: slices.Clone(old.points), hits: slices.Clone(old.hits)}
	s.place(st.points, ls)
	for _, l := range ls {
		if i, ok := s.tpsIndex(l.TPS); ok {
			st.hits[i] = st.exposure.At(st.points[i].orb())
		}
	}
	s.st.store(st)
}

// Layers returns the imported layers, oldest first.
func (s *Service) Layers() []siaga.HazardLayer { return s.st.load().layers }

// TPSExposure is what the module knows of one TPS.
type TPSExposure struct {
	TPS    string `json:"tps"`
	Desa   string `json:"desa"`
	Number int    `json:"number"`
	DPT    int    `json:"dpt"`
	// Point is where it stands; nil when no location is known.
	Point *Point `json:"point"`
	// Hazards are the zones it lies in, the highest class of each type
	// (SPEC §9's hazards list).
	Hazards []Hit `json:"hazards"`
	// Zones are all the zones it lies in, overlapping ones included.
	Zones []Hit  `json:"zones"`
	Worst string `json:"worst,omitempty"` // the highest class of them all
}

// TPS returns the exposure of one TPS; ENotFound for a code the registry
// lacks.
func (s *Service) TPS(code string) (TPSExposure, error) {
	i, ok := s.tpsIndex(code)
	if !ok {
		return TPSExposure{}, siaga.Errorf(siaga.ENotFound, "tps", "TPS %s tidak terdaftar", "TPS %s is not registered", code)
	}
	return s.exposureOf(s.st.load(), i), nil
}

func (s *Service) exposureOf(st *state, i int) TPSExposure {
	t := s.cfg.TPS[i]
	e := TPSExposure{TPS: t.Code, Desa: t.Desa, Number: t.Number, DPT: t.DPT, Zones: st.hits[i],
		Hazards: Highest(st.hits[i]), Worst: Worst(st.hits[i])}
	if e.Zones == nil {
		e.Zones, e.Hazards = []Hit{}, []Hit{}
	}
	if p := st.points[i]; p.Source != "" {
		e.Point = &p
	}
	return e
}

// Summary is the exposure of the TPS of a region in counts.
type Summary struct {
	Region string `json:"region"`
	TPS    int    `json:"tps"`
	// Located is how many have a known point; the others cannot be
	// checked (Unlocated), which is not the same as safe.
	Located   int `json:"located"`
	Unlocated int `json:"unlocated"`
	// SyntheticPoints is how many of the located stand at a made-up point.
	SyntheticPoints int `json:"synthetic_points"`
	// ByClass counts the TPS by the highest class of any zone they lie in;
	// "aman" (safe) those in none.
	ByClass map[string]int `json:"by_class"`
	// ByType counts, per hazard type, the TPS by their highest class of
	// that type.
	ByType map[string]map[string]int `json:"by_type"`
	// Layers is how many layers are imported; Synthetic that one of them
	// is made up.
	Layers    int  `json:"layers"`
	Synthetic bool `json:"synthetic"`
}

// NoHazard is the class of a located TPS in no zone.
const NoHazard = "aman"

// Summary counts the TPS of region (a code prefix; "" for all).
func (s *Service) Summary(region string) Summary {
	st := s.st.load()
	lo, hi := s.span(region)
	sum := Summary{Region: region, TPS: hi - lo, ByClass: map[string]int{}, ByType: map[string]map[string]int{}, Layers: len(st.layers)}
	for _, l := range st.layers {
		sum.Synthetic = sum.Synthetic || l.Synthetic
	}
	for i := lo; i < hi; i++ {
		p := st.points[i]
		if p.Source == "" {
			sum.Unlocated++
			continue
		}
		sum.Located++
		if p.Synthetic() {
			sum.SyntheticPoints++
		}
		sum.ByClass[cmpOr(Worst(st.hits[i]), NoHazard)]++
		for _, h := range Highest(st.hits[i]) {
			if sum.ByType[h.Type] == nil {
				sum.ByType[h.Type] = map[string]int{}
			}
			sum.ByType[h.Type][h.Class]++
		}
	}
	return sum
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// AtRiskQuery selects at-risk TPS.
type AtRiskQuery struct {
	Region string // a code prefix; "" for all
	Type   string // only TPS in a zone of this hazard type; "" any
	// MinClass keeps TPS whose highest class (of Type, when set) is at
	// least this; "" is rendah: every TPS in any zone.
	MinClass string
	After    string // the cursor: the last TPS code of the page before
	Limit    int    // at most this many (1 to 500; 0 is 100)
}

// AtRiskPage is one page of at-risk TPS: Total of them match the query,
// Next is the cursor of the next page ("" on the last).
type AtRiskPage struct {
	Items []TPSExposure `json:"items"`
	Total int           `json:"total"`
	Next  string        `json:"next,omitempty"`
}

// MaxPage bounds a page of the at-risk list.
const MaxPage = 500

// AtRisk returns the page of at-risk TPS q selects, ordered by code.
func (s *Service) AtRisk(q AtRiskQuery) (AtRiskPage, error) {
	if q.Type != "" && !siaga.ValidHazardType(q.Type) {
		return AtRiskPage{}, siaga.Errorf(siaga.EInvalid, "type", "Jenis bahaya %q tidak dikenal", "unknown hazard type %q", q.Type)
	}
	minRank := max(1, siaga.HazardRank(q.MinClass))
	if q.MinClass != "" && siaga.HazardRank(q.MinClass) == 0 {
		return AtRiskPage{}, siaga.Errorf(siaga.EInvalid, "class", "Kelas %q tidak dikenal", "unknown class %q", q.MinClass)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, MaxPage)
	st := s.st.load()
	lo, hi := s.span(q.Region)
	page := AtRiskPage{Items: []TPSExposure{}}
	for i := lo; i < hi; i++ {
		if !matches(st.hits[i], q.Type, minRank) {
			continue
		}
		page.Total++
		if s.cfg.TPS[i].Code <= q.After {
			continue
		}
		if len(page.Items) < limit {
			page.Items = append(page.Items, s.exposureOf(st, i))
		} else if page.Next == "" {
			page.Next = page.Items[len(page.Items)-1].TPS
		}
	}
	return page, nil
}

// matches: a zone of type t (any, for "") of at least rank minRank.
func matches(hits []Hit, t string, minRank int) bool {
	for _, h := range hits {
		if (t == "" || h.Type == t) && siaga.HazardRank(h.Class) >= minRank {
			return true
		}
	}
	return false
}

// point is where TPS i stands now.
func (s *Service) point(code string) (Point, siaga.TPS, error) {
	i, ok := s.tpsIndex(code)
	if !ok {
		return Point{}, siaga.TPS{}, siaga.Errorf(siaga.ENotFound, "tps", "TPS %s tidak terdaftar", "TPS %s is not registered", code)
	}
	return s.st.load().points[i], s.cfg.TPS[i], nil
}

// ZoneShape is a zone with its geometry, for a map.
type ZoneShape struct {
	Hit
	Area orb.Geometry
}

// ZonesNear returns the zones within metres of (lat, lon), at most limit
// of them, ordered as Exposure.At orders hits: what a map around one TPS
// draws. The index answers it, so it costs a few zones, not all of them.
func (s *Service) ZonesNear(lat, lon, metres float64, limit int) []ZoneShape {
	st := s.st.load()
	if st.exposure == nil {
		return nil
	}
	found := st.exposure.index.Near(nil, orb.Point{lon, lat}, metres)
	out := make([]ZoneShape, 0, len(found))
	for _, i := range found {
		out = append(out, ZoneShape{Hit: st.zones[i].Hit, Area: st.zones[i].Area})
	}
	slices.SortFunc(out, func(a, b ZoneShape) int { return compareHits(a.Hit, b.Hit) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// History returns every stored location of one TPS, oldest first.
func (s *Service) History(ctx context.Context, tps string) ([]siaga.TPSLocation, error) {
	return s.cfg.Store.TPSLocationHistory(ctx, tps)
}
