package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/readiness"
)

// The readiness map (/kesiapan/{code}): every TPS's level composed by
// package readiness, drawn so that it loads on a 2G link. Above kecamatan
// each child region is a polygon shaded by its share of TPS at risk (the
// polygons are the static, immutably cached map layers); at kecamatan and
// desa level the TPS are points. The point layers (interventions,
// relocations, postponements) come from kab/kota level down; the hazard
// zones only when their layer is switched on (a URL of their own,
// simplified and capped). docs/readiness-map.md has the sizes.

// MaxMapItems caps each point layer (interventions, relocations,
// postponements) of one map answer; the answer says how many there were.
const MaxMapItems = 300

// ReadinessMapData is what the readiness map of a region draws: GET
// /api/v1/readiness/map/{region} (package http) serves it as JSON.
type ReadinessMapData struct {
	Region     string            `json:"region"`
	Name       string            `json:"name"`
	Level      string            `json:"level"`
	ChildLevel string            `json:"child_level"`
	Present    readiness.Present `json:"present"`
	Counts     readiness.Counts  `json:"counts"`
	// Geo is the polygon layer of the children (above kecamatan level);
	// Outline and OutlineCode the region drawn around TPS points.
	Geo         string           `json:"geo,omitempty"`
	Outline     string           `json:"outline,omitempty"`
	OutlineCode string           `json:"outline_code,omitempty"`
	Center      *[2]float64      `json:"center,omitempty"`
	Children    []readinessChild `json:"children"`
	// TPS are the region's TPS as points, at kecamatan and desa level only.
	TPS []readinessPoint `json:"tps,omitempty"`
	// Reasons are the words of the points' reasons, each sent once: a
	// point carries their indices.
	Reasons       []string                          `json:"reasons,omitempty"`
	Interventions *mapItems[readiness.Intervention] `json:"interventions,omitempty"`
	Relocations   *mapItems[readiness.Relocation]   `json:"relocations,omitempty"`
	Postponed     *mapItems[readiness.PostponedTPS] `json:"postponed,omitempty"`
	// Hazards is the URL of the hazard layer, fetched when switched on.
	Hazards   string `json:"hazards,omitempty"`
	Synthetic string `json:"synthetic,omitempty"`
}

// mapItems is one point layer, capped: Total of them exist.
type mapItems[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func capped[T any](items []T) *mapItems[T] {
	out := &mapItems[T]{Items: items, Total: len(items)}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(out.Items) > MaxMapItems {
		out.Items = out.Items[:MaxMapItems]
	}
	return out
}

type readinessChild struct {
	Code   string           `json:"code"`
	Name   string           `json:"name"`
	URL    string           `json:"url"`
	Counts readiness.Counts `json:"counts"`
	Share  float64          `json:"at_risk_share"`
	Lat    float64          `json:"lat,omitempty"`
	Lon    float64          `json:"lon,omitempty"`
}

// readinessPoint is one TPS on the map, in short keys: a kecamatan of
// Tangerang has several hundred.
type readinessPoint struct {
	Code      string  `json:"c"`
	Number    int     `json:"n"`
	Lat       float64 `json:"y"`
	Lon       float64 `json:"x"`
	Level     string  `json:"l"`
	Signal    string  `json:"s,omitempty"`
	Hazard    string  `json:"h,omitempty"`
	Synthetic bool    `json:"syn,omitempty"`
	Reasons   []int   `json:"r,omitempty"`
}

// ReadinessMap is the readiness map's data for reg.
func (h *Pages) ReadinessMap(ctx context.Context, reg siaga.Region) (ReadinessMapData, error) {
	d := ReadinessMapData{Region: reg.Code, Name: reg.Name, Level: reg.Level.String(), ChildLevel: (reg.Level + 1).String(),
		Children: []readinessChild{}}
	sum, err := h.Readiness.Summary(ctx, reg)
	if err != nil {
		return d, err
	}
	d.Present, d.Counts = sum.Present, sum.Counts
	if p, ok := h.assets.centroids[reg.Code]; ok {
		d.Center = &p
	}
	for _, c := range sum.Children {
		ch := readinessChild{Code: c.Code, Name: c.Name, URL: "/kesiapan/" + c.Code, Counts: c.Counts, Share: c.Counts.AtRiskShare()}
		if p, ok := h.assets.centroids[c.Code]; ok {
			ch.Lat, ch.Lon = p[0], p[1]
		}
		d.Children = append(d.Children, ch)
	}
	if reg.Level < siaga.LevelKecamatan {
		d.Geo = h.mapLayer(reg.Level + 1)
	} else {
		d.Outline, d.OutlineCode = h.mapLayer(siaga.LevelKecamatan), reg.Code[:min(6, len(reg.Code))]
		words := map[string]int{}
		err := h.Readiness.Each(ctx, reg.Code, func(t *readiness.TPS) error {
			if t.Point == "" {
				return nil
			}
			p := readinessPoint{Code: t.Code, Number: t.Number, Lat: t.Lat, Lon: t.Lon, Level: string(t.Level),
				Signal: string(t.Signal), Hazard: t.Hazard, Synthetic: t.Synthetic}
			for _, r := range t.Reasons {
				text := r.Text + " / " + r.EN
				i, ok := words[text]
				if !ok {
					i = len(d.Reasons)
					words[text] = i
					d.Reasons = append(d.Reasons, text)
				}
				p.Reasons = append(p.Reasons, i)
			}
			d.TPS = append(d.TPS, p)
			return nil
		})
		if err != nil {
			return d, err
		}
		d.TPS = append([]readinessPoint{}, d.TPS...)
	}
	if reg.Level > siaga.LevelProvince {
		ivs := []readiness.Intervention{}
		for _, v := range h.Readiness.Interventions(reg.Code) {
			ivs = append(ivs, readiness.PublicIntervention(v))
		}
		d.Interventions = capped(ivs)
		rels, err := h.Readiness.Relocations(ctx, reg.Code)
		if err != nil {
			return d, err
		}
		pub := []readiness.Relocation{}
		for _, r := range rels {
			pub = append(pub, readiness.PublicRelocation(r))
		}
		d.Relocations = capped(pub)
		pp, err := h.Readiness.PostponedMap(ctx, reg.Code)
		if err != nil {
			return d, err
		}
		d.Postponed = capped(pp)
	}
	if d.Present.HazardLayers > 0 {
		d.Hazards = "/api/v1/readiness/map/" + reg.Code + "/hazards"
	}
	if d.Counts.Synthetic > 0 {
		d.Synthetic = "Sebagian lokasi TPS sintetis (dibangkitkan), bukan lokasi resmi. / Some TPS points are synthetic, not official."
	}
	return d, nil
}

// readinessPage is /kesiapan/{code}.
type readinessPage struct {
	basePage
	Region  siaga.Region
	Data    ReadinessMapData
	Levels  []levelInfo
	KabKota []siaga.Region
	Kec     []siaga.Region
	KabCode string
	KecCode string
	// Table is the region and its children counted; TPSTable the TPS of
	// a desa. Both are the downloads' tables, rendered.
	Table     tableView
	TPSTable  *tableView
	Exports   []readinessExport
	APIURL    string
	Synthetic bool
	// Logistics is the Logistik layer's card: staff who read logistics
	// in scope only (readiness_logistics.go), nil for everyone else.
	Logistics *readinessLogisticsView
	// Vulnerability is the Kerawanan layer's card: vulnReadRoles in scope
	// only (readiness_vulnerability.go), nil for everyone else.
	Vulnerability *readinessVulnView
}

type levelInfo struct {
	Key, Name, EN, Color, Meaning string
}

// readinessLevels are the levels as the legend and table show them.
var readinessLevels = []levelInfo{
	{"ditunda", "Ditunda", "postponed", "#6b21a8", "pemungutan suara ditunda (PSL/PSS) / voting postponed"},
	{"rawan", "Rawan", "at risk", "#d92d20", "blank spot tanpa intervensi yang bekerja, atau zona bahaya tinggi / blank spot with nothing working, or a high hazard zone"},
	{"waspada", "Waspada", "watch", "#f79009", "sinyal lemah, belum disurvei, zona bahaya sedang, intervensi belum bekerja / weak or unsurveyed signal, medium hazard, intervention not working yet"},
	{"siap", "Siap", "ready", "#12b76a", "tidak ada yang diketahui menghambat / nothing known stands in the way"},
}

// readinessExport is one layer offered as files.
type readinessExport struct {
	Label              string
	GeoJSON, CSV, XLSX string
}

// ReadinessPage serves GET /kesiapan/{code}: the map, its legend, and a
// table with the same numbers. ?kab= and ?kec= (the pickers) move to
// that region.
func (h *Pages) ReadinessPage(w http.ResponseWriter, r *http.Request) {
	if to := pickedRegion(r.URL.Query()); to != "" {
		if _, ok := h.Regions.Region(to); ok {
			http.Redirect(w, r, "/kesiapan/"+url.PathEscape(to), http.StatusSeeOther)
			return
		}
	}
	reg, ok := h.readinessRegion(w, r)
	if !ok {
		return
	}
	d, err := h.ReadinessMap(r.Context(), reg)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	p := readinessPage{basePage: h.base(r, "Peta kesiapan "+reg.Name), Region: reg, Data: d, Levels: readinessLevels,
		APIURL: "/api/v1/readiness/map/" + reg.Code, Synthetic: d.Synthetic != ""}
	p.Nav, p.Path = "kesiapan", h.Regions.Path(reg.Code)
	province := h.Province
	if path := h.Regions.Path(reg.Code); len(path) > 0 {
		province = path[0].Code
	}
	p.KabKota = h.Regions.Children(province)
	if reg.Level >= siaga.LevelKabKota {
		p.KabCode = reg.Code[:4]
		p.Kec = h.Regions.Children(p.KabCode)
	}
	if reg.Level >= siaga.LevelKecamatan {
		p.KecCode = reg.Code[:6]
	}
	if p.Table, err = h.tableView(r.Context(), "ringkasan", reg, "/kesiapan/"); err != nil {
		h.writeError(w, r, err)
		return
	}
	if reg.Level == siaga.LevelDesa {
		tv, err := h.tableView(r.Context(), "tps", reg, "/tps/")
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		p.TPSTable = &tv
	}
	if p.Logistics, err = h.readinessLogisticsView(r, reg); err != nil {
		h.writeError(w, r, err)
		return
	}
	if p.Vulnerability, err = h.readinessVulnView(r, reg); err != nil {
		h.writeError(w, r, err)
		return
	}
	base := "/kesiapan/" + reg.Code + "/"
	for _, e := range []struct{ label, name string }{
		{"TPS dan kesiapannya / TPS readiness", "tps"}, {"Zona bahaya / hazard zones", "bahaya"},
		{"Intervensi / interventions", "intervensi"}, {"Relokasi / relocations", "relokasi"}, {"Penundaan / postponements", "penundaan"},
	} {
		p.Exports = append(p.Exports, readinessExport{e.label, base + e.name + ".geojson", base + e.name + ".csv", base + e.name + ".xlsx"})
	}
	h.render(w, r, "readiness", p)
}

// tableView is a table as the page shows it: the first cell of each row
// links to Link + that cell.
type tableView struct {
	Columns []column
	Rows    [][]string
	Link    string
}

func (h *Pages) tableView(ctx context.Context, layer string, reg siaga.Region, link string) (tableView, error) {
	t, err := h.readinessTable(ctx, layer, reg)
	if err != nil {
		return tableView{}, err
	}
	tv := tableView{Columns: t.Columns, Link: link}
	err = t.Rows(func(cells []string) error {
		tv.Rows = append(tv.Rows, cells)
		return nil
	})
	return tv, err
}

// pickedRegion is where the pickers point: the kecamatan when it lies in
// the kab/kota picked (a kab/kota changed without JS leaves the old
// kecamatan selected), else the kab/kota; "" when neither was sent.
func pickedRegion(q url.Values) string {
	kab, kec := q.Get("kab"), q.Get("kec")
	if kec != "" && strings.HasPrefix(kec, kab) {
		return kec
	}
	return kab
}

// readinessRegion reads {code}: a known region, the module on.
func (h *Pages) readinessRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, bool) {
	if h.Readiness == nil {
		h.Error(w, r, http.StatusNotFound, "Peta kesiapan tidak tersedia di server ini.", "The readiness map is not available on this server.")
		return siaga.Region{}, false
	}
	reg, ok := h.Regions.Region(r.PathValue("code"))
	if !ok {
		h.pageNotFound(w, r)
		return siaga.Region{}, false
	}
	return reg, true
}
