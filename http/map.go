package http

import (
	"encoding/json"
	"net/http"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// mapLayer is the URL of the embedded layer that draws the regions of
// level l, "" if there is none.
func (s *Server) mapLayer(l siaga.Level) string {
	name, ok := geo.MapLayer(l)
	if !ok {
		return ""
	}
	url, _ := s.assets.url("geo/" + name)
	return url
}

// loadCentroids maps a plain region code to [lat, lon], read once, so a
// region without a polygon can still be a point.
func loadCentroids() (map[string][2]float64, error) {
	cs, err := geo.Centroids()
	if err != nil {
		return nil, err
	}
	out := make(map[string][2]float64, len(cs))
	for code, p := range cs {
		out[code] = [2]float64{p.Lat(), p.Lon()}
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
	if reg.Level+1 != siaga.LevelDesa {
		d.Geo = s.mapLayer(reg.Level + 1)
	}
	switch reg.Level {
	case siaga.LevelKecamatan:
		d.Outline = s.mapLayer(siaga.LevelKecamatan)
		d.OutlineCode = reg.Code
	case siaga.LevelDesa:
		d.Outline = s.mapLayer(siaga.LevelKecamatan)
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
