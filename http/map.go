package http

import (
	"encoding/json"
	"io/fs"
	"net/http"

	"github.com/deskpemilu/siaga"
)

// geoFiles are the embedded boundary layers by the level of region they
// draw; desa have only centroids.
var geoFiles = map[siaga.Level]string{
	siaga.LevelKabKota:   "geo/banten_kabkota.geojson",
	siaga.LevelKecamatan: "geo/banten_kecamatan.geojson",
	siaga.LevelDesa:      "geo/banten_desa_kelurahan_centroid.geojson",
}

// centroids maps a plain region code to [lat, lon], read once from the
// embedded GeoJSON, so a region without a polygon can still be a point.
func loadCentroids(files fs.FS) (map[string][2]float64, error) {
	out := map[string][2]float64{}
	for _, name := range geoFiles {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		var fc struct {
			Features []struct {
				Properties struct {
					Code string   `json:"kode_bps"`
					Lat  *float64 `json:"lat"`
					Lng  *float64 `json:"lng"`
				} `json:"properties"`
				Geometry struct {
					Type        string          `json:"type"`
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			return nil, err
		}
		for _, f := range fc.Features {
			p := f.Properties
			if p.Lat != nil && p.Lng != nil {
				out[p.Code] = [2]float64{*p.Lat, *p.Lng}
				continue
			}
			var pt [2]float64
			if f.Geometry.Type == "Point" && json.Unmarshal(f.Geometry.Coordinates, &pt) == nil {
				out[p.Code] = [2]float64{pt[1], pt[0]}
			}
		}
	}
	return out, nil
}

type mapData struct {
	Region     string        `json:"region"`
	Name       string        `json:"name"`
	Contest    siaga.Contest `json:"contest"`
	ChildLevel string        `json:"child_level"`
	Geo        string        `json:"geo,omitempty"` // polygon layer URL, when the children have one
	// Outline is a polygon layer and the code in it to draw as context
	// around point children: the kecamatan around its desa or TPS.
	Outline     string      `json:"outline,omitempty"`
	OutlineCode string      `json:"outline_code,omitempty"`
	Options     []mapOption `json:"options"`
	Children    []childStat `json:"children"`
	Synthetic   string      `json:"synthetic,omitempty"`
	Center      *[2]float64 `json:"center,omitempty"`
}

type mapOption struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Color string `json:"color"`
}

// mapJSON serves GET /api/v1/map/{contest}/{region}: one entry per child
// with its progress and leader; the page joins it with the boundary layer.
func (s *Server) mapJSON(w http.ResponseWriter, r *http.Request) {
	c := siaga.Contest(r.PathValue("contest"))
	reg, ok := s.Regions.Region(r.PathValue("region"))
	if !c.Valid() || !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":"not_found","message":"Kontes atau wilayah tidak ditemukan","field":""}}`))
		return
	}
	d := mapData{Region: reg.Code, Name: reg.Name, Contest: c, ChildLevel: (reg.Level + 1).String()}
	for _, o := range s.optionRows(c, nil) {
		d.Options = append(d.Options, mapOption{Key: o.Key, Label: o.Label, Color: o.Color})
	}
	if name, ok := geoFiles[reg.Level+1]; ok && reg.Level+1 != siaga.LevelDesa {
		d.Geo, _ = s.assets.url(name)
	}
	switch reg.Level {
	case siaga.LevelKecamatan:
		d.Outline, _ = s.assets.url(geoFiles[siaga.LevelKecamatan])
		d.OutlineCode = reg.Code
	case siaga.LevelDesa:
		d.Outline, _ = s.assets.url(geoFiles[siaga.LevelKecamatan])
		d.OutlineCode = siaga.ParentCode(reg.Code)
	}
	if reg.Level == siaga.LevelDesa {
		d.Synthetic = "Lokasi TPS sintetis (dibangkitkan), bukan lokasi resmi."
	}
	if p, ok := s.assets.centroids[reg.Code]; ok {
		d.Center = &p
	}
	labels := optionLabels(s.Election, c)
	d.Children, _ = s.childStats(c, reg)
	for i := range d.Children {
		ch := &d.Children[i]
		ch.LeaderLabel = labels[ch.Leader]
		if p, ok := s.assets.centroids[ch.Code]; ok && ch.Lat == 0 && ch.Lon == 0 {
			ch.Lat, ch.Lon = p[0], p[1]
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(d)
}
