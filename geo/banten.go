package geo

import (
	"compress/gzip"
	"embed"
	"fmt"
	"io/fs"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
)

// data holds Banten's boundaries; data/SOURCE.md says where they come
// from and under which licence.
//
//go:embed data
var data embed.FS

// mapLayers are the files the dashboard map draws, by the level of region
// they show: simplified polygons for kab/kota and kecamatan, only
// centroids for desa (their polygons would weigh 4 MB in the browser).
var mapLayers = map[siaga.Level]string{
	siaga.LevelKabKota:   "banten_kabkota.geojson",
	siaga.LevelKecamatan: "banten_kecamatan.geojson",
	siaga.LevelDesa:      "banten_desa_kelurahan_centroid.geojson",
}

// MapFiles are the map layers and their notice (README.md), for the
// dashboard to serve as they are.
func MapFiles() fs.FS {
	sub, err := fs.Sub(data, "data/map")
	if err != nil {
		panic(err) // the embedded folder exists: a build without it is broken
	}
	return sub
}

// MapLayer names the file of MapFiles that draws the regions of level l:
// polygons for kab/kota and kecamatan, points for desa.
func MapLayer(l siaga.Level) (string, bool) {
	name, ok := mapLayers[l]
	return name, ok
}

// Centroids maps the plain code of each Banten kab/kota, kecamatan and
// desa/kelurahan to its centre, as the map shows it: the centroid the
// upstream gives (lat/lng) or, for desa, the centroid point layer.
func Centroids() (map[string]orb.Point, error) {
	out := make(map[string]orb.Point, 1552+155+8)
	for _, name := range mapLayers {
		f, err := MapFiles().Open(name)
		if err != nil {
			return nil, err
		}
		fc, err := ReadGeoJSON(f, 8<<20)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, f := range fc.Features {
			code, _ := f.Properties["kode_bps"].(string)
			lat, okLat := f.Properties["lat"].(float64)
			lng, okLng := f.Properties["lng"].(float64)
			if okLat && okLng {
				out[code] = orb.Point{lng, lat}
			} else if p, ok := f.Geometry.(orb.Point); ok {
				out[code] = p
			}
		}
	}
	return out, nil
}

// topoObjects are the objects of the embedded topology by level.
var topoObjects = map[siaga.Level]string{
	siaga.LevelKabKota:   "kabkota",
	siaga.LevelKecamatan: "kecamatan",
	siaga.LevelDesa:      "desa_kelurahan",
}

// Regions are region boundaries at full detail, by plain code and level,
// indexed to tell which region a point lies in.
type Regions struct {
	layers map[siaga.Level]*geojson.FeatureCollection
	byCode map[string]*geojson.Feature
	index  map[siaga.Level]levelIndex
}

// levelIndex is the areas of one level and the code of each.
type levelIndex struct {
	codes []string
	areas *Polygons
}

// Banten decodes the embedded topology of Banten's kab/kota, kecamatan
// and desa/kelurahan (about a quarter of a second: call it once).
func Banten() (*Regions, error) {
	f, err := data.Open("data/banten_admin.topojson.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	objects, err := ReadTopoJSON(z, 16<<20)
	if err != nil {
		return nil, err
	}
	layers := make(map[siaga.Level]*geojson.FeatureCollection)
	for level, name := range topoObjects {
		fc, ok := objects[name]
		if !ok {
			return nil, fmt.Errorf("banten topology lacks %q", name)
		}
		layers[level] = fc
	}
	return NewRegions(layers)
}

// NewRegions indexes boundary layers whose features carry their plain
// region code in the property kode_bps.
func NewRegions(layers map[siaga.Level]*geojson.FeatureCollection) (*Regions, error) {
	r := &Regions{layers: layers, byCode: map[string]*geojson.Feature{}, index: map[siaga.Level]levelIndex{}}
	for level, fc := range layers {
		areas := make([]orb.Geometry, len(fc.Features))
		codes := make([]string, len(fc.Features))
		for i, f := range fc.Features {
			code, _ := f.Properties["kode_bps"].(string)
			if siaga.LevelOf(code) != level {
				return nil, fmt.Errorf("%s feature %d: kode_bps %q is not a code of that level", level, i, code)
			}
			r.byCode[code] = f
			areas[i], codes[i] = f.Geometry, code
		}
		x, err := NewPolygons(areas)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", level, err)
		}
		r.index[level] = levelIndex{codes, x}
	}
	return r, nil
}

// Layer is every region of level l, nil for a level without boundaries.
func (r *Regions) Layer(l siaga.Level) *geojson.FeatureCollection { return r.layers[l] }

// Boundary is the region's feature: its polygon(s) and properties.
func (r *Regions) Boundary(code string) (*geojson.Feature, bool) {
	if r == nil { // no boundaries at all
		return nil, false
	}
	f, ok := r.byCode[code]
	return f, ok
}

// Locate returns the code of the region of level l containing p. Where
// boundaries overlap (they are not official, and touch along shared
// borders) it returns the first in the layer.
func (r *Regions) Locate(l siaga.Level, p orb.Point) (string, bool) {
	x, ok := r.index[l]
	if !ok {
		return "", false
	}
	var buf [4]int
	found := x.areas.Containing(buf[:0], p)
	if len(found) == 0 {
		return "", false
	}
	return x.codes[slices.Min(found)], true
}
