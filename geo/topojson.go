package geo

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
)

// TopoJSON (github.com/topojson/topojson-specification) stores each shared
// border once, as an arc, and geometries as lists of arc indexes; a
// quantized topology stores arc positions as integer deltas scaled by its
// transform. orb reads GeoJSON only, and no TopoJSON decoder for Go is both
// maintained and reachable here, so this is a small one: enough for
// boundary files (Point to MultiPolygon, nested collections, quantized or
// not); it ignores bbox and foreign members.

type topology struct {
	Type      string                     `json:"type"`
	Transform *transform                 `json:"transform"`
	Arcs      [][][]float64              `json:"arcs"`
	Objects   map[string]json.RawMessage `json:"objects"`
}

type transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

type topoGeometry struct {
	Type        string          `json:"type"`
	ID          any             `json:"id"`
	Properties  map[string]any  `json:"properties"`
	Coordinates json.RawMessage `json:"coordinates"`
	Arcs        json.RawMessage `json:"arcs"`
	Geometries  []topoGeometry  `json:"geometries"`
}

// ReadTopoJSON reads a Topology of at most limit bytes and returns each of
// its objects as a FeatureCollection: the members of a GeometryCollection
// object become its features (as topojson-client's feature() does), any
// other object a single feature. Features are checked as ReadGeoJSON's.
func ReadTopoJSON(r io.Reader, limit int64) (map[string]*geojson.FeatureCollection, error) {
	b, err := readAll(r, limit)
	if err != nil {
		return nil, err
	}
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, siaga.Errorf(siaga.EInvalid, "", "TopoJSON tidak dapat dibaca: %v", "unreadable TopoJSON: %v", err)
	}
	if t.Type != "Topology" {
		return nil, invalid("type", "Bukan Topology: %q", "not a Topology: %q", t.Type)
	}
	arcs, n, e := t.decodeArcs()
	if e != nil {
		return nil, e
	}
	d := &decoder{arcs: arcs, tr: t.Transform, budget: reuse*n + len(b)}
	out := make(map[string]*geojson.FeatureCollection, len(t.Objects))
	for name, raw := range t.Objects {
		fc, e := d.object(raw)
		if e != nil {
			e.Field = join("objects."+name, e.Field)
			return nil, e
		}
		out[name] = fc
	}
	return out, nil
}

// reuse is how many times, on average, a topology may use each arc
// position. A border is shared by two faces in each of a few layers
// (kab/kota, kecamatan, desa), so a real file uses it at most a handful of
// times; a hostile file of a few bytes that names one long arc millions of
// times must not turn into gigabytes of points.
const reuse = 16

// decoder turns topology geometries into orb geometries.
type decoder struct {
	arcs   []orb.LineString
	tr     *transform
	budget int // positions it may still produce
}

// decodeArcs returns every arc in absolute coordinates, undoing the
// delta encoding and quantization of a transformed topology, and the
// number of positions.
func (t *topology) decodeArcs() ([]orb.LineString, int, *siaga.Error) {
	arcs := make([]orb.LineString, len(t.Arcs))
	n := 0
	for i, a := range t.Arcs {
		if len(a) < 2 {
			return nil, 0, invalid(fmt.Sprintf("arcs[%d]", i), "Busur kurang dari 2 titik", "arc of fewer than 2 positions")
		}
		ls := make(orb.LineString, len(a))
		var x, y float64
		for j, pos := range a {
			if len(pos) < 2 {
				return nil, 0, invalid(fmt.Sprintf("arcs[%d][%d]", i, j), "Posisi kurang dari 2 angka", "position of fewer than 2 numbers")
			}
			if t.Transform == nil {
				ls[j] = orb.Point{pos[0], pos[1]}
				continue
			}
			x, y = x+pos[0], y+pos[1]
			ls[j] = t.Transform.apply(x, y)
		}
		arcs[i] = ls
		n += len(ls)
	}
	return arcs, n, nil
}

func (tr *transform) apply(x, y float64) orb.Point {
	if tr == nil {
		return orb.Point{x, y}
	}
	return orb.Point{x*tr.Scale[0] + tr.Translate[0], y*tr.Scale[1] + tr.Translate[1]}
}

func (d *decoder) object(raw json.RawMessage) (*geojson.FeatureCollection, *siaga.Error) {
	var g topoGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, invalid("", "Objek tidak dapat dibaca: %v", "unreadable object: %v", err)
	}
	fc := geojson.NewFeatureCollection()
	members := []topoGeometry{g}
	if g.Type == "GeometryCollection" {
		members = g.Geometries
	}
	for i, m := range members {
		geom, e := d.geometry(&m)
		if e == nil {
			e = check(geom)
		}
		if e != nil {
			e.Field = join(fmt.Sprintf("geometries[%d]", i), e.Field)
			return nil, e
		}
		f := geojson.NewFeature(geom)
		f.ID = m.ID
		if m.Properties != nil {
			f.Properties = m.Properties
		}
		fc.Append(f)
	}
	return fc, nil
}

// geometry builds the orb geometry of g. Arc-based types take their
// positions from arcs; Point and MultiPoint carry (quantized) positions.
func (d *decoder) geometry(g *topoGeometry) (orb.Geometry, *siaga.Error) {
	switch g.Type {
	case "Point":
		var pos []float64
		if err := json.Unmarshal(g.Coordinates, &pos); err != nil || len(pos) < 2 {
			return nil, invalid("coordinates", "Titik tidak sah", "invalid point")
		}
		return d.tr.apply(pos[0], pos[1]), nil
	case "MultiPoint":
		var ps [][]float64
		if err := json.Unmarshal(g.Coordinates, &ps); err != nil {
			return nil, invalid("coordinates", "Titik-titik tidak sah", "invalid points")
		}
		mp := make(orb.MultiPoint, len(ps))
		for i, pos := range ps {
			if len(pos) < 2 {
				return nil, invalid(fmt.Sprintf("coordinates[%d]", i), "Titik tidak sah", "invalid point")
			}
			mp[i] = d.tr.apply(pos[0], pos[1])
		}
		return mp, nil
	case "LineString":
		var refs []int
		if err := unmarshalArcs(g.Arcs, &refs); err != nil {
			return nil, err
		}
		return d.stitch(refs)
	case "MultiLineString":
		var refs [][]int
		if err := unmarshalArcs(g.Arcs, &refs); err != nil {
			return nil, err
		}
		mls := make(orb.MultiLineString, len(refs))
		for i, r := range refs {
			ls, err := d.stitch(r)
			if err != nil {
				return nil, err
			}
			mls[i] = ls
		}
		return mls, nil
	case "Polygon":
		var refs [][]int
		if err := unmarshalArcs(g.Arcs, &refs); err != nil {
			return nil, err
		}
		return d.polygon(refs)
	case "MultiPolygon":
		var refs [][][]int
		if err := unmarshalArcs(g.Arcs, &refs); err != nil {
			return nil, err
		}
		mp := make(orb.MultiPolygon, len(refs))
		for i, r := range refs {
			p, err := d.polygon(r)
			if err != nil {
				return nil, err
			}
			mp[i] = p
		}
		return mp, nil
	case "GeometryCollection":
		c := make(orb.Collection, len(g.Geometries))
		for i := range g.Geometries {
			m, err := d.geometry(&g.Geometries[i])
			if err != nil {
				err.Field = join(fmt.Sprintf("geometries[%d]", i), err.Field)
				return nil, err
			}
			c[i] = m
		}
		return c, nil
	case "":
		// A null geometry: the spec allows it; check refuses it later
		// with the same message as a GeoJSON feature without one.
		return nil, nil
	}
	return nil, invalid("type", "Jenis geometri %q tidak didukung", "geometry type %q not supported", g.Type)
}

func unmarshalArcs(raw json.RawMessage, v any) *siaga.Error {
	if err := json.Unmarshal(raw, v); err != nil {
		return invalid("arcs", "Daftar busur tidak sah", "invalid arc list")
	}
	return nil
}

func (d *decoder) polygon(refs [][]int) (orb.Polygon, *siaga.Error) {
	p := make(orb.Polygon, len(refs))
	for i, r := range refs {
		ls, err := d.stitch(r)
		if err != nil {
			return nil, err
		}
		p[i] = orb.Ring(ls)
	}
	return p, nil
}

// stitch joins the arcs refs names into one line. A negative reference ~i
// is arc i reversed; each arc after the first starts where the previous
// one ended, so its first position is dropped.
func (d *decoder) stitch(refs []int) (orb.LineString, *siaga.Error) {
	var ls orb.LineString
	for _, ref := range refs {
		i, reversed := ref, false
		if ref < 0 {
			i, reversed = ^ref, true
		}
		if i >= len(d.arcs) {
			return nil, invalid("arcs", "Busur %d tidak ada (ada %d)", "arc %d does not exist (there are %d)", i, len(d.arcs))
		}
		a := d.arcs[i]
		if d.budget -= len(a); d.budget < 0 {
			return nil, invalid("arcs", "Topologi memakai busurnya terlalu sering", "the topology reuses its arcs too often")
		}
		start := 0
		if len(ls) > 0 {
			start = 1
		}
		for k := start; k < len(a); k++ {
			if reversed {
				ls = append(ls, a[len(a)-1-k])
			} else {
				ls = append(ls, a[k])
			}
		}
	}
	return ls, nil
}
