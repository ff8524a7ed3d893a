package ui

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/readiness"
)

// The readiness map's Logistik layer (docs/readiness-map.md): every TPS
// by the status of its kit and the shipments on their way, for the staff
// who read logistics in the region's scope only. The public map, its
// counts and its downloads carry nothing of it: the layer is fetched from
// a staff route of its own (/api/v1/readiness/map/{region}/logistics) and
// downloads from /kesiapan/{code}/logistik.{geojson,csv,xlsx}; the page
// shows its toggle, legend and links only to those staff. The moment and
// the filters are the board's (?per=, ?barang=, ?kontes=).

// kitShareSteps shade a child region by its share of TPS with a complete
// kit, as the other layers shade theirs: [from, colour, label].
var kitShareSteps = []kitStep{{0, "#b42318", "0%"}, {1e-9, "#f0703a", "> 0%"}, {0.5, "#fbb46b", "≥ 50%"},
	{0.9, "#a6e3b8", "≥ 90%"}, {1, "#12b76a", "100%"}}

type kitStep struct {
	From  float64 `json:"from"`
	Color string  `json:"color"`
	Label string  `json:"label"`
}

// kitLegend is one kit status with its colour and count.
type kitLegend struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	EN    string `json:"en"`
	Color string `json:"color"`
	Count int    `json:"count"`
}

// ReadinessLogisticsData is what the Logistik layer of a region draws.
type ReadinessLogisticsData struct {
	Region string `json:"region"`
	At     string `json:"at"` // RFC 3339: the board's moment
	AtText string `json:"at_text"`
	// Statuses are the kit statuses, worst first (logistics.KitStatuses),
	// with their colours and the region's counts: points carry an index.
	Statuses []kitLegend `json:"statuses"`
	TPS      int         `json:"tps"`
	Complete int         `json:"complete"`
	Share    float64     `json:"share"`
	Steps    []kitStep   `json:"steps"`
	// Children are counted above kecamatan, shaded by Share.
	Children []kitChildView `json:"children,omitempty"`
	// Points are the TPS at kecamatan and desa level.
	Points    []kitPoint `json:"points,omitempty"`
	Unlocated int        `json:"unlocated"` // TPS without a point: in the table only
	// Moving are the shipments on their way, from kab/kota level down,
	// capped at MaxMapItems; Unplaced those whose ends are not on the
	// map (the province's warehouse has no point).
	Moving   *mapItems[movingLeg] `json:"moving,omitempty"`
	Unplaced int                  `json:"unplaced"`
	Board    string               `json:"board"`
}

type kitChildView struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	TPS      int     `json:"tps"`
	Complete int     `json:"complete"`
	Share    float64 `json:"share"`
	Counts   []int   `json:"counts"` // as Statuses
}

// kitPoint is one TPS in short keys, as the readiness points are.
type kitPoint struct {
	Code      string  `json:"c"`
	Number    int     `json:"n"`
	Lat       float64 `json:"y"`
	Lon       float64 `json:"x"`
	Kit       int     `json:"k"` // index in Statuses
	Synthetic bool    `json:"syn,omitempty"`
}

// movingLeg is a shipment on its way drawn as a line from where it left
// to where it goes (a region's centre, a TPS's point).
type movingLeg struct {
	ID      string  `json:"id"`
	Waybill string  `json:"waybill"`
	From    string  `json:"from"`
	To      string  `json:"to"`
	Mode    string  `json:"mode"`
	Vessel  string  `json:"vessel,omitempty"`
	Boat    bool    `json:"boat"`
	Status  string  `json:"status"`
	Reason  string  `json:"reason,omitempty"`
	Late    bool    `json:"late"`
	Stalled bool    `json:"stalled"`
	Escort  string  `json:"escort,omitempty"` // the unit, not its contact
	FromLat float64 `json:"from_lat"`
	FromLon float64 `json:"from_lon"`
	ToLat   float64 `json:"to_lat"`
	ToLon   float64 `json:"to_lon"`
	URL     string  `json:"url"` // the shipment's page
}

// ReadsLogistics reports whether the asker may see the Logistik layer of
// code: staff who read logistics (Roles.LogRead) with code in scope, on a
// node that runs the board.
func (h *Pages) ReadsLogistics(r *http.Request, code string) bool {
	u := h.account(r)
	return u != nil && h.Readiness != nil && h.Readiness.HasLogistics() && slices.Contains(h.Roles.LogRead, u.Role) &&
		siaga.InScope(u.Scope, code)
}

// logisticsQuery reads the board's moment and filters from r.
func (h *Pages) logisticsQuery(r *http.Request) (readiness.LogisticsQuery, error) {
	q, err := h.boardQuery(r)
	return readiness.LogisticsQuery{At: q.At, Item: q.Item, Contest: q.Contest}, err
}

// ReadinessLogistics is the Logistik layer of reg as r asks for it. The
// caller checks ReadsLogistics (the route's guard does).
func (h *Pages) ReadinessLogistics(r *http.Request, reg siaga.Region) (ReadinessLogisticsData, error) {
	q, err := h.logisticsQuery(r)
	if err != nil {
		return ReadinessLogisticsData{}, err
	}
	ctx := r.Context()
	d := ReadinessLogisticsData{Region: reg.Code, At: q.At.Format("2006-01-02T15:04:05Z07:00"), AtText: fmtWhen(q.At), Steps: kitShareSteps,
		Board: "/logistik/" + reg.Code}
	total, children, err := h.Readiness.KitSummary(ctx, reg, q)
	if err != nil {
		return d, err
	}
	d.Statuses = kitLegends(total.Kits)
	d.TPS, d.Complete, d.Share = total.TPS, total.Kits[string(logistics.KitComplete)], shareOf(int64(d.Complete), int64(d.TPS))
	if reg.Level < siaga.LevelKecamatan {
		for _, c := range children {
			v := kitChildView{Code: c.Code, Name: c.Name, TPS: c.TPS, Complete: c.Kits[string(logistics.KitComplete)]}
			v.Share = shareOf(int64(v.Complete), int64(v.TPS))
			for _, k := range logistics.KitStatuses {
				v.Counts = append(v.Counts, c.Kits[string(k)])
			}
			d.Children = append(d.Children, v)
		}
	} else {
		d.Points = []kitPoint{}
		err := h.Readiness.EachKit(ctx, reg.Code, q, func(t readiness.KitTPS) error {
			if t.Point == "" {
				d.Unlocated++
				return nil
			}
			d.Points = append(d.Points, kitPoint{Code: t.Code, Number: t.Number, Lat: t.Lat, Lon: t.Lon,
				Kit: logistics.KitStatus(t.Kit).Index(), Synthetic: t.Synthetic})
			return nil
		})
		if err != nil {
			return d, err
		}
	}
	if reg.Level > siaga.LevelProvince {
		if d.Moving, d.Unplaced, err = h.movingLegs(ctx, reg.Code, q); err != nil {
			return d, err
		}
	}
	return d, nil
}

// kitLegends are the statuses with their words, colours and counts.
func kitLegends(counts map[string]int) []kitLegend {
	out := make([]kitLegend, len(logistics.KitStatuses))
	for i, k := range logistics.KitStatuses {
		id, en := k.Words()
		out[i] = kitLegend{Key: string(k), Name: id, EN: en, Color: kitColors[i], Count: counts[string(k)]}
	}
	return out
}

// movingLegs are the region's shipments on their way with both ends
// placed, capped, and how many could not be placed.
func (h *Pages) movingLegs(ctx context.Context, region string, q readiness.LogisticsQuery) (*mapItems[movingLeg], int, error) {
	legs, total, err := h.Readiness.InTransit(ctx, region, q, 0)
	if err != nil {
		return nil, 0, err
	}
	out, unplaced := []movingLeg{}, 0
	for _, l := range legs {
		sh := l.Shipment
		fromLat, fromLon, okFrom, err := h.legEnd(ctx, sh.From)
		if err != nil {
			return nil, 0, err
		}
		toLat, toLon, okTo, err := h.legEnd(ctx, sh.To)
		if err != nil {
			return nil, 0, err
		}
		if !okFrom || !okTo {
			unplaced++
			continue
		}
		m := movingLeg{ID: sh.ID, Waybill: sh.Waybill, From: h.placeName(sh.From), To: h.placeName(sh.To), Mode: string(sh.Mode),
			Boat: sh.Mode == siaga.ModeBoat || sh.Sea != nil, Status: string(l.Status), Reason: l.Reason, Late: l.Late, Stalled: l.Stalled,
			Escort: sh.Escort, FromLat: fromLat, FromLon: fromLon, ToLat: toLat, ToLon: toLon,
			URL: "/logistik/" + url.PathEscape(sh.To) + "/kiriman/" + url.PathEscape(sh.ID)}
		if sh.Sea != nil {
			m.Vessel = sh.Sea.Vessel
		}
		out = append(out, m)
	}
	items := capped(out)
	items.Total = total - unplaced
	return items, unplaced, nil
}

// legEnd is where a place code stands on the map: a TPS's point, or the
// centre of a kab/kota (its warehouse), kecamatan (PPK) or desa (PPS).
func (h *Pages) legEnd(ctx context.Context, code string) (lat, lon float64, ok bool, err error) {
	if siaga.LevelOf(code) == siaga.LevelTPS {
		return h.Readiness.Point(ctx, code)
	}
	p, ok := h.assets.centroids[code]
	return p[0], p[1], ok, nil
}

// placeName names a place code in words: "TPS 3601…" or the region's
// name.
func (h *Pages) placeName(code string) string {
	if siaga.LevelOf(code) == siaga.LevelTPS {
		return "TPS " + code
	}
	if reg, ok := h.Regions.Region(code); ok {
		return reg.Name
	}
	return code
}

// readinessLogisticsView is the page's Logistik card, for the staff who
// read logistics in scope; nil for everyone else.
type readinessLogisticsView struct {
	API                string // the layer's data, fetched when ticked
	On                 bool   // ticked from the start (?lapisan=logistik: a click down the layer)
	Board              string
	AtText             string
	TPS, Complete      int
	Share              float64
	Statuses           []kitLegend
	Steps              []kitStep
	GeoJSON, CSV, XLSX string
	// Table is a desa's TPS by kit status: the downloads' table.
	Table *tableView
}

// readinessLogisticsView builds the card of reg, nil when r may not see
// it.
func (h *Pages) readinessLogisticsView(r *http.Request, reg siaga.Region) (*readinessLogisticsView, error) {
	if !h.ReadsLogistics(r, reg.Code) {
		return nil, nil
	}
	q, err := h.logisticsQuery(r)
	if err != nil {
		return nil, err
	}
	total, _, err := h.Readiness.KitSummary(r.Context(), reg, q)
	if err != nil {
		return nil, err
	}
	query := ""
	if s := r.URL.RawQuery; s != "" {
		query = "?" + s
	}
	base := "/kesiapan/" + reg.Code + "/logistik"
	v := &readinessLogisticsView{API: "/api/v1/readiness/map/" + reg.Code + "/logistics" + query, Board: "/logistik/" + reg.Code + query,
		AtText: fmtWhen(q.At), TPS: total.TPS, Complete: total.Kits[string(logistics.KitComplete)], Statuses: kitLegends(total.Kits),
		Steps: kitShareSteps, GeoJSON: base + ".geojson" + query, CSV: base + ".csv" + query, XLSX: base + ".xlsx" + query}
	v.Share = shareOf(int64(v.Complete), int64(v.TPS))
	v.On = r.URL.Query().Get("lapisan") == "logistik"
	if reg.Level == siaga.LevelDesa {
		t := kitTable(r.Context(), h.Readiness, reg, q)
		tv := tableView{Columns: t.Columns, Link: "/tps/"}
		err := t.Rows(func(cells []string) error {
			tv.Rows = append(tv.Rows, cells)
			return nil
		})
		if err != nil {
			return nil, err
		}
		v.Table = &tv
	}
	return v, nil
}

// kitTable is the Logistik layer of reg as a table: one row per TPS.
func kitTable(ctx context.Context, rs *readiness.Service, reg siaga.Region, q readiness.LogisticsQuery) table {
	return table{Name: "kesiapan_logistik_" + reg.Code,
		Columns: readinessColumns("tps", "desa", "#nomor", "#dpt", "status_logistik", "keterangan", "#lat", "#lon", "sumber_titik", "titik_sintetis"),
		Rows: func(row func([]string) error) error {
			return rs.EachKit(ctx, reg.Code, q, func(t readiness.KitTPS) error {
				id, en := logistics.KitStatus(t.Kit).Words()
				lat, lon := "", ""
				if t.Point != "" {
					lat, lon = decimal(t.Lat), decimal(t.Lon)
				}
				return row([]string{t.Code, t.Desa, itoa(t.Number), itoa(t.DPT), t.Kit, id + " / " + en, lat, lon, t.Point, yaTidak(t.Synthetic)})
			})
		}}
}

// ReadinessLogisticsTable serves /kesiapan/{code}/logistik.csv or .xlsx.
func (h *Pages) ReadinessLogisticsTable(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, q, ok := h.logisticsRegion(w, r)
		if !ok {
			return
		}
		h.writeTable(w, r, kitTable(r.Context(), h.Readiness, reg, q), f)
	}
}

// ReadinessLogisticsGeoJSON serves /kesiapan/{code}/logistik.geojson: the
// TPS with a point, each with its kit status.
func (h *Pages) ReadinessLogisticsGeoJSON(w http.ResponseWriter, r *http.Request) {
	reg, q, ok := h.logisticsRegion(w, r)
	if !ok {
		return
	}
	release, ok := h.exportSlot(w, r)
	if !ok {
		return
	}
	defer release()
	name := "kesiapan_logistik_" + reg.Code
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.geojson"`)
	w.Header().Set("Cache-Control", "no-store")
	gw := geo.NewWriter(w, name)
	err := h.Readiness.EachKit(r.Context(), reg.Code, q, func(t readiness.KitTPS) error {
		if t.Point == "" {
			return nil // no point, no feature: the CSV lists it
		}
		id, en := logistics.KitStatus(t.Kit).Words()
		f := geojson.NewFeature(orb.Point{math.Round(t.Lon*1e6) / 1e6, math.Round(t.Lat*1e6) / 1e6})
		f.Properties = geojson.Properties{"tps": t.Code, "desa": t.Desa, "nomor": t.Number, "dpt": t.DPT, "status_logistik": t.Kit,
			"keterangan": id + " / " + en, "sumber_titik": t.Point, "sintetis": t.Synthetic, "per": q.At.Format("2006-01-02T15:04:05Z07:00")}
		return gw.Write(f)
	})
	if err == nil {
		err = gw.Close()
	}
	if err != nil {
		// The header is out: cut the file short (it does not parse) and log.
		h.dashLog().Error("geojson export", "layer", "logistik", "region", reg.Code, "err", err)
	}
}

// logisticsRegion reads {code} and the query of a Logistik download, or
// answers: the module off, an unknown region, a bad query, or an asker
// who may not read it (the route's guard checks first).
func (h *Pages) logisticsRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, readiness.LogisticsQuery, bool) {
	reg, ok := h.readinessRegion(w, r)
	if !ok {
		return reg, readiness.LogisticsQuery{}, false
	}
	if !h.ReadsLogistics(r, reg.Code) {
		h.writeError(w, r, siaga.Errorf(siaga.EForbidden, "", "lapisan logistik hanya untuk petugas logistik wilayah ini",
			"the logistics layer is for the logistics staff of this region only"))
		return reg, readiness.LogisticsQuery{}, false
	}
	q, err := h.logisticsQuery(r)
	if err != nil {
		h.writeError(w, r, err)
		return reg, q, false
	}
	return reg, q, true
}
