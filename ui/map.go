package ui

import (
	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// mapLayer is the URL of the embedded layer that draws the regions of
// level l, "" if there is none.
func (h *Pages) mapLayer(l siaga.Level) string {
	name, ok := geo.MapLayer(l)
	if !ok {
		return ""
	}
	url, _ := h.assets.url("geo/" + name)
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

type MapData struct {
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

// Map is what the map of reg shows for contest c: one entry per child with
// its progress and leader, and the layers to draw them on. GET
// /api/v1/map/{contest}/{region} (package http) serves it as JSON.
func (h *Pages) Map(c siaga.Contest, reg siaga.Region) MapData {
	d := MapData{Region: reg.Code, Name: reg.Name, Contest: c, ChildLevel: (reg.Level + 1).String()}
	for _, o := range h.optionRows(c, nil) {
		d.Options = append(d.Options, mapOption{Key: o.Key, Label: o.Label, Color: o.Color})
	}
	if reg.Level+1 != siaga.LevelDesa {
		d.Geo = h.mapLayer(reg.Level + 1)
	}
	switch reg.Level {
	case siaga.LevelKecamatan:
		d.Outline = h.mapLayer(siaga.LevelKecamatan)
		d.OutlineCode = reg.Code
	case siaga.LevelDesa:
		d.Outline = h.mapLayer(siaga.LevelKecamatan)
		d.OutlineCode = siaga.ParentCode(reg.Code)
	}
	if reg.Level == siaga.LevelDesa {
		d.Synthetic = "Lokasi TPS sintetis (dibangkitkan), bukan lokasi resmi."
	}
	if p, ok := h.assets.centroids[reg.Code]; ok {
		d.Center = &p
	}
	labels := optionLabels(h.Election, c)
	d.Children, _ = h.childStats(c, reg)
	for i := range d.Children {
		ch := &d.Children[i]
		ch.LeaderLabel = labels[ch.Leader]
		if p, ok := h.assets.centroids[ch.Code]; ok && ch.Lat == 0 && ch.Lon == 0 {
			ch.Lat, ch.Lon = p[0], p[1]
		}
	}
	return d
}
