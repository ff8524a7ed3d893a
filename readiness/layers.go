package readiness

import (
	"cmp"
	"context"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/disaster"
)

// MaxHazardBytes caps the hazard layer the map fetches for one region: on
// a 2G link (some 50 kbit/s) 128 KiB is some 20 seconds, fetched only when
// the layer is switched on. Zones of the highest class go first; the rest
// are counted as left out.
const MaxHazardBytes = 128 << 10

// Tolerance is how far, in degrees, the map's hazard zones of a region of
// level l may stray from the drawn ones (Douglas–Peucker): about a pixel
// at the zoom the map shows that region at.
func Tolerance(l siaga.Level) float64 {
	switch l {
	case siaga.LevelProvince:
		return 0.005 // ~550 m
	case siaga.LevelKabKota:
		return 0.001 // ~110 m
	case siaga.LevelKecamatan:
		return 0.0002 // ~22 m
	}
	return 0.00005 // ~5 m
}

// HazardMap is the map's hazard layer of a region, as GeoJSON with its
// cap said in foreign members.
type HazardMap struct {
	Type     string            `json:"type"` // FeatureCollection
	Features []json.RawMessage `json:"features"`
	Total    int               `json:"total"`     // zones meeting the region's box
	Sent     int               `json:"sent"`      // zones in Features
	CapBytes int               `json:"cap_bytes"` // MaxHazardBytes
	// Tolerance is the simplification, in degrees.
	Tolerance float64 `json:"tolerance"`
	Synthetic bool    `json:"synthetic"` // a layer of them is made up
}

// HazardMap returns the zones over region's TPS, simplified for the level
// and capped at capBytes (MaxHazardBytes when 0).
func (s *Service) HazardMap(ctx context.Context, region siaga.Region, capBytes int) (HazardMap, error) {
	capBytes = cmp.Or(capBytes, MaxHazardBytes)
	tol := Tolerance(region.Level)
	out := HazardMap{Type: "FeatureCollection", Features: []json.RawMessage{}, CapBytes: capBytes, Tolerance: tol}
	zones, layers, err := s.zonesOver(ctx, region.Code)
	if err != nil || len(zones) == 0 {
		return out, err
	}
	slices.SortStableFunc(zones, func(a, b disaster.Zone) int {
		return siaga.HazardRank(b.Class) - siaga.HazardRank(a.Class)
	})
	out.Total = len(zones)
	size := 200 // the collection's own members
	for _, z := range zones {
		l := layers[z.Layer]
		out.Synthetic = out.Synthetic || l.Synthetic
		f := zoneFeature(z, l, Simplified(z.Area, tol))
		b, err := json.Marshal(f)
		if err != nil {
			return HazardMap{}, err
		}
		if size+len(b)+1 > capBytes {
			continue // a smaller one further on may still fit
		}
		size += len(b) + 1
		out.Features = append(out.Features, b)
	}
	out.Sent = len(out.Features)
	return out, nil
}

// zonesOver returns the zones meeting the box of region's TPS points
// (padded by a kilometre or so), and the layers by ID.
func (s *Service) zonesOver(ctx context.Context, region string) ([]disaster.Zone, map[int64]siaga.HazardLayer, error) {
	if s.cfg.Hazards == nil {
		return nil, nil, nil
	}
	b, err := s.Bound(ctx, region)
	if err != nil || b == nil {
		return nil, nil, err
	}
	box := b.Pad(0.01)
	layers := map[int64]siaga.HazardLayer{}
	for _, l := range s.cfg.Hazards.Layers() {
		layers[l.ID] = l
	}
	return s.cfg.Hazards.Zones(box), layers, nil
}

// EachZone calls fn for every zone over region's TPS, whole (not
// simplified): the export. It stops at fn's first error.
func (s *Service) EachZone(ctx context.Context, region string, fn func(f *geojson.Feature) error) error {
	zones, layers, err := s.zonesOver(ctx, region)
	if err != nil {
		return err
	}
	for _, z := range zones {
		if err := fn(zoneFeature(z, layers[z.Layer], z.Area)); err != nil {
			return err
		}
	}
	return nil
}

func zoneFeature(z disaster.Zone, l siaga.HazardLayer, g orb.Geometry) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.Properties = geojson.Properties{"type": z.Type, "class": z.Class, "layer": z.Layer, "layer_name": l.Name,
		"feature": z.Feature, "source": l.Source, "synthetic": l.Synthetic}
	if !l.Date.IsZero() {
		f.Properties["date"] = l.Date.Format(time.DateOnly)
	}
	return f
}

// Simplified is g simplified by Douglas–Peucker within tol degrees and its
// coordinates rounded to 1e-5° (about a metre), a copy. A part that would
// vanish at that tolerance becomes its bounding box, so that a small zone
// stays on the map rather than disappear.
func Simplified(g orb.Geometry, tol float64) orb.Geometry {
	switch g := g.(type) {
	case orb.Polygon:
		return simplifyPolygon(g, tol)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, 0, len(g))
		for _, p := range g {
			out = append(out, simplifyPolygon(p, tol))
		}
		return out
	}
	return orb.Clone(g)
}

func simplifyPolygon(p orb.Polygon, tol float64) orb.Polygon {
	if len(p) == 0 {
		return p
	}
	s := simplify.DouglasPeucker(tol)
	out := orb.Polygon{}
	for i, r := range p {
		sr := s.Ring(r.Clone())
		if len(sr) < 4 {
			if i > 0 {
				continue // a hole smaller than the tolerance
			}
			b := r.Bound()
			sr = orb.Ring{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}, b.Min}
		}
		for j := range sr {
			sr[j] = orb.Point{round5(sr[j][0]), round5(sr[j][1])}
		}
		out = append(out, sr)
	}
	return out
}

func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

// Intervention is an intervention as the public sees it: no cost, note or
// who recorded it.
type Intervention struct {
	ID      int64   `json:"id"`
	Kind    string  `json:"kind"`
	Status  string  `json:"status"`
	TPS     string  `json:"tps,omitempty"`
	Region  string  `json:"region"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	RadiusM float64 `json:"radius_m,omitempty"`
	Owner   string  `json:"owner"`
	Late    bool    `json:"late"`
	Working bool    `json:"working"` // tested: it counts
	Covers  int     `json:"covers"`  // TPS it lifts or marks
}

// PublicIntervention is v without its staff data.
func PublicIntervention(v connectivity.InterventionView) Intervention {
	return Intervention{ID: v.ID, Kind: v.Kind, Status: v.Status, TPS: v.TPS, Region: v.Region, Lat: v.Lat, Lon: v.Lon,
		RadiusM: v.RadiusM, Owner: v.Owner, Late: v.Late, Working: v.Status == siaga.InterventionTested, Covers: len(v.Covers)}
}

// Relocation is a relocation decision as the public sees it: the letter,
// the office and the official who signed it (a public document), not the
// account that recorded it.
type Relocation struct {
	TPS       string  `json:"tps"`
	FromLat   float64 `json:"from_lat"`
	FromLon   float64 `json:"from_lon"`
	ToLat     float64 `json:"to_lat"`
	ToLon     float64 `json:"to_lon"`
	ToAddress string  `json:"to_address"`
	Reason    string  `json:"reason"`
	Decider   string  `json:"decider"`
	Office    string  `json:"office"`
	Decided   string  `json:"decided"` // YYYY-MM-DD
	Letter    string  `json:"letter"`
}

// PublicRelocation is r without its staff data.
func PublicRelocation(r siaga.Relocation) Relocation {
	return Relocation{TPS: r.TPS, FromLat: r.FromLat, FromLon: r.FromLon, ToLat: r.ToLat, ToLon: r.ToLon, ToAddress: r.ToAddress,
		Reason: r.Reason, Decider: r.Decider, Office: r.DeciderOffice, Decided: r.Decided.In(siaga.WIB).Format(time.DateOnly), Letter: r.Letter}
}

// PostponedTPS is a postponed TPS on the map: where it stands and how far
// its chain went (docs/postponement.md has what is public).
type PostponedTPS struct {
	TPS       string  `json:"tps"`
	Kind      string  `json:"kind"`
	Status    string  `json:"status"`
	Reason    string  `json:"reason"`
	NewDate   string  `json:"new_date,omitempty"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Synthetic bool    `json:"synthetic"`
}

// PostponedMap returns the active postponements of region with their TPS's
// points.
func (s *Service) PostponedMap(ctx context.Context, region string) ([]PostponedTPS, error) {
	out := []PostponedTPS{}
	for _, p := range s.Postponements(region) {
		t, ok, err := s.TPS(ctx, p.TPS)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		out = append(out, PostponedTPS{TPS: p.TPS, Kind: string(p.Kind), Status: string(p.Status), Reason: p.Reason, NewDate: p.NewDate,
			Lat: t.Lat, Lon: t.Lon, Synthetic: t.Synthetic})
	}
	return out, nil
}
