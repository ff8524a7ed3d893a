package disaster

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// Hit is one hazard zone a TPS lies in.
type Hit struct {
	Type    string `json:"type"`
	Class   string `json:"class"`
	Layer   int64  `json:"layer"`
	Feature int    `json:"feature"`
}

// Exposure answers which hazard zones contain a point: every zone of every
// layer in one geo.Polygons index. It is built whole from the zones and
// never changed, so any number of readers can use it while a new one is
// built after a layer is imported or deleted.
type Exposure struct {
	zones []Hit
	index *geo.Polygons
}

// Zone is a hazard zone with its geometry decoded.
type Zone struct {
	Hit
	Area orb.Geometry
}

// DecodeZones decodes the stored GeoJSON of zones. A zone whose geometry
// does not read back fails it (the importer checked it, so the store is
// damaged). Decoding is most of the cost of indexing, so the service
// decodes each zone once and keeps it.
func DecodeZones(zones []siaga.HazardZone) ([]Zone, error) {
	out := make([]Zone, len(zones))
	for i, z := range zones {
		g, err := geojson.UnmarshalGeometry(z.Geometry)
		if err != nil {
			return nil, fmt.Errorf("hazard layer %d feature %d: %w", z.Layer, z.Feature, err)
		}
		out[i] = Zone{Hit{Type: z.Type, Class: z.Class, Layer: z.Layer, Feature: z.Feature}, g.Geometry()}
	}
	return out, nil
}

// NewExposure decodes and indexes zones.
func NewExposure(zones []siaga.HazardZone) (*Exposure, error) {
	decoded, err := DecodeZones(zones)
	if err != nil {
		return nil, err
	}
	return IndexZones(decoded)
}

// IndexZones indexes decoded zones.
func IndexZones(zones []Zone) (*Exposure, error) {
	x := &Exposure{zones: make([]Hit, len(zones))}
	areas := make([]orb.Geometry, len(zones))
	for i, z := range zones {
		areas[i], x.zones[i] = z.Area, z.Hit
	}
	index, err := geo.NewPolygons(areas)
	if err != nil {
		return nil, err
	}
	x.index = index
	return x, nil
}

// Len is the number of zones indexed.
func (x *Exposure) Len() int { return len(x.zones) }

// At returns every zone containing p, ordered by type, then highest class
// first, then layer and feature. A point on a zone's edge (a hole's edge
// too) is in the zone: geo.Contains counts boundaries in, so that a TPS
// drawn on the edge of a flood zone — where a surveyor's GPS error of a
// few metres could put it either side — is warned about rather than
// missed. Missing a TPS in danger costs more than checking one that is
// not.
func (x *Exposure) At(p orb.Point) []Hit {
	if x == nil {
		return nil
	}
	var buf [8]int
	found := x.index.Containing(buf[:0], p)
	if len(found) == 0 {
		return nil
	}
	out := make([]Hit, len(found))
	for i, z := range found {
		out[i] = x.zones[z]
	}
	slices.SortFunc(out, compareHits)
	return out
}

func compareHits(a, b Hit) int {
	return cmp.Or(cmp.Compare(a.Type, b.Type), -cmp.Compare(siaga.HazardRank(a.Class), siaga.HazardRank(b.Class)),
		cmp.Compare(a.Layer, b.Layer), cmp.Compare(a.Feature, b.Feature))
}

// Highest keeps, of hits ordered as At orders them, the first (highest
// class) of each type: where zones overlap, a TPS in a sedang and a tinggi
// flood zone is a tinggi flood risk.
func Highest(hits []Hit) []Hit {
	var out []Hit
	for _, h := range hits {
		if len(out) == 0 || out[len(out)-1].Type != h.Type {
			out = append(out, h)
		}
	}
	return out
}

// Worst is the highest class among hits, "" for none.
func Worst(hits []Hit) string {
	best := ""
	for _, h := range hits {
		if siaga.HazardRank(h.Class) > siaga.HazardRank(best) {
			best = h.Class
		}
	}
	return best
}

// Safe reports whether p lies outside every zone of class sedang or above:
// where a TPS may move (a rendah zone is most of some regencies).
func (x *Exposure) Safe(p orb.Point) bool {
	return siaga.HazardRank(Worst(x.At(p))) < siaga.HazardRank(siaga.HazardMedium)
}
