package ui

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/readiness"
)

// Every layer of the readiness map leaves as GeoJSON (geo.Writer,
// streamed), and every layer that is a table as CSV and XLSX from the one
// table function below that the page uses too. Synthetic points and
// layers say so in a property.

// ReadinessLayers are the exported layers, by the name in their URL.
var ReadinessLayers = []string{"tps", "bahaya", "intervensi", "relokasi", "penundaan"}

// ReadinessTable returns the handler of /kesiapan/{code}/{layer}.csv or
// .xlsx; "ringkasan" is the region's children counted, the page's table.
func (h *Pages) ReadinessTable(layer string, f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.readinessRegion(w, r)
		if !ok {
			return
		}
		t, err := h.readinessTable(r.Context(), layer, reg)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, t, f)
	}
}

// ReadinessGeoJSON returns the handler of /kesiapan/{code}/{layer}.geojson.
func (h *Pages) ReadinessGeoJSON(layer string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.readinessRegion(w, r)
		if !ok {
			return
		}
		release, ok := h.exportSlot(w, r)
		if !ok {
			return
		}
		defer release()
		name := "kesiapan_" + layer + "_" + reg.Code
		w.Header().Set("Content-Type", "application/geo+json")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.geojson"`)
		w.Header().Set("Cache-Control", "no-store")
		gw := geo.NewWriter(w, name)
		if err := h.readinessFeatures(r.Context(), layer, reg, gw.Write); err != nil {
			// The header is out: cut the file short (it does not parse) and log.
			h.dashLog().Error("geojson export", "layer", layer, "region", reg.Code, "err", err)
			return
		}
		if err := gw.Close(); err != nil {
			h.dashLog().Error("geojson export", "layer", layer, "region", reg.Code, "err", err)
		}
	}
}

// yaTidak is a yes/no cell.
func yaTidak(b bool) string {
	if b {
		return "ya"
	}
	return "tidak"
}

// decimal is a number cell rounded to 6 places (a tenth of a metre in
// degrees), as short as it reads back exactly: a spreadsheet shows 15
// digits, so a coordinate moved by arithmetic would read back otherwise.
func decimal(v float64) string { return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64) }

// readinessColumns names columns; a leading # marks a number.
func readinessColumns(names ...string) []column {
	out := make([]column, len(names))
	for i, n := range names {
		num := strings.HasPrefix(n, "#")
		out[i] = column{Name: strings.TrimPrefix(n, "#"), Number: num}
	}
	return out
}

// readinessTable is one layer of region as a table (# marks a number).
func (h *Pages) readinessTable(ctx context.Context, layer string, reg siaga.Region) (table, error) {
	rs := h.Readiness
	name := "kesiapan_" + layer + "_" + reg.Code
	switch layer {
	case "ringkasan":
		sum, err := rs.Summary(ctx, reg)
		if err != nil {
			return table{}, err
		}
		return table{Name: name, Columns: readinessColumns("kode", "wilayah", "#tps", "#ditunda", "#rawan", "#waspada", "#siap", "#persen_berisiko",
			"#sinyal_baik", "#sinyal_lemah", "#blank_spot", "#titik_sinyal", "#belum_disurvei", "#bahaya_tinggi", "#bahaya_sedang",
			"#bahaya_rendah", "#tanpa_lokasi", "#intervensi_direncanakan", "#dibantu_intervensi", "#direlokasi", "#titik_sintetis"),
			Rows: func(row func([]string) error) error {
				for _, c := range append([]readiness.Child{{Region: reg, Counts: sum.Counts}}, sum.Children...) {
					n := c.Counts
					err := row([]string{c.Code, c.Name, itoa(n.TPS), itoa(n.Levels.Postponed), itoa(n.Levels.AtRisk), itoa(n.Levels.Watch),
						itoa(n.Levels.Ready), decimal(math.Round(1000*n.AtRiskShare()) / 10), itoa(n.Signal.Good), itoa(n.Signal.Weak),
						itoa(n.Signal.Blank), itoa(n.Signal.Titik), itoa(n.Signal.Unknown), itoa(n.Hazard.High), itoa(n.Hazard.Medium),
						itoa(n.Hazard.Low), itoa(n.Hazard.Unlocated), itoa(n.Planned), itoa(n.Helped), itoa(n.Relocated), itoa(n.Synthetic)})
					if err != nil {
						return err
					}
				}
				return nil
			}}, nil
	case "tps":
		return table{Name: name, Columns: readinessColumns("tps", "desa", "#nomor", "#dpt", "tingkat", "alasan", "sinyal", "sinyal_survei",
			"sinyal_perkiraan", "#intervensi_direncanakan", "#intervensi_bekerja", "bahaya", "bahaya_jenis", "#lat", "#lon",
			"sumber_titik", "titik_sintetis", "direlokasi", "penundaan", "logistik"),
			Rows: func(row func([]string) error) error {
				return rs.Each(ctx, reg.Code, func(t *readiness.TPS) error {
					var why, types []string
					for _, r := range t.Reasons {
						why = append(why, r.Text)
					}
					for _, hz := range t.Hazards {
						types = append(types, hz.Type+":"+hz.Class)
					}
					lat, lon := "", ""
					if t.Point != "" {
						lat, lon = decimal(t.Lat), decimal(t.Lon)
					}
					return row([]string{t.Code, t.Desa, itoa(t.Number), itoa(t.DPT), string(t.Level), strings.Join(why, "; "),
						string(t.Signal), string(t.Surveyed), string(t.Estimate), itoa(t.Planned), itoa(t.Helped), t.Hazard,
						strings.Join(types, " "), lat, lon, t.Point, yaTidak(t.Synthetic), yaTidak(t.Relocated), postponementText(t.Postponement), ""})
				})
			}}, nil
	case "bahaya":
		return table{Name: name, Columns: readinessColumns("#lapisan", "nama_lapisan", "#fitur", "jenis", "kelas", "sumber", "tanggal", "sintetis"),
			Rows: func(row func([]string) error) error {
				return rs.EachZone(ctx, reg.Code, func(f *geojson.Feature) error {
					p := f.Properties
					return row([]string{anyText(p["layer"]), anyText(p["layer_name"]), anyText(p["feature"]), anyText(p["type"]),
						anyText(p["class"]), anyText(p["source"]), anyText(p["date"]), yaTidak(p["synthetic"] == true)})
				})
			}}, nil
	case "intervensi":
		return table{Name: name, Columns: readinessColumns("#id", "jenis", "status", "tps", "wilayah", "#lat", "#lon", "#radius_m", "pemilik",
			"terlambat", "bekerja", "#mencakup_tps"),
			Rows: func(row func([]string) error) error {
				for _, v := range rs.Interventions(reg.Code) {
					iv := readiness.PublicIntervention(v)
					if err := row([]string{strconv.FormatInt(iv.ID, 10), iv.Kind, iv.Status, iv.TPS, iv.Region, decimal(iv.Lat), decimal(iv.Lon),
						decimal(iv.RadiusM), iv.Owner, yaTidak(iv.Late), yaTidak(iv.Working), itoa(iv.Covers)}); err != nil {
						return err
					}
				}
				return nil
			}}, nil
	case "relokasi":
		rels, err := rs.Relocations(ctx, reg.Code)
		if err != nil {
			return table{}, err
		}
		return table{Name: name, Columns: readinessColumns("tps", "#dari_lat", "#dari_lon", "#ke_lat", "#ke_lon", "alamat_baru", "alasan",
			"pemutus", "kantor", "tanggal_keputusan", "nomor_surat"),
			Rows: func(row func([]string) error) error {
				for _, r := range rels {
					p := readiness.PublicRelocation(r)
					if err := row([]string{p.TPS, decimal(p.FromLat), decimal(p.FromLon), decimal(p.ToLat), decimal(p.ToLon), p.ToAddress, p.Reason,
						p.Decider, p.Office, p.Decided, p.Letter}); err != nil {
						return err
					}
				}
				return nil
			}}, nil
	case "penundaan":
		pp, err := rs.PostponedMap(ctx, reg.Code)
		if err != nil {
			return table{}, err
		}
		return table{Name: name, Columns: readinessColumns("tps", "jenis", "status", "alasan", "tanggal_baru", "#lat", "#lon", "titik_sintetis"),
			Rows: func(row func([]string) error) error {
				for _, p := range pp {
					if err := row([]string{p.TPS, p.Kind, p.Status, p.Reason, p.NewDate, decimal(p.Lat), decimal(p.Lon), yaTidak(p.Synthetic)}); err != nil {
						return err
					}
				}
				return nil
			}}, nil
	}
	return table{}, siaga.Errorf(siaga.ENotFound, "layer", "lapisan %q tidak ada", "no layer %q", layer)
}

func anyText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return decimal(v)
	case int:
		return itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return ""
}

// readinessFeatures writes one layer of region as GeoJSON features.
func (h *Pages) readinessFeatures(ctx context.Context, layer string, reg siaga.Region, write func(*geojson.Feature) error) error {
	rs := h.Readiness
	switch layer {
	case "tps":
		return rs.Each(ctx, reg.Code, func(t *readiness.TPS) error {
			if t.Point == "" {
				return nil // no point, no feature: the CSV lists it
			}
			f := geojson.NewFeature(orb.Point{t.Lon, t.Lat})
			why, types := []string{}, []string{}
			for _, r := range t.Reasons {
				why = append(why, r.Text+" / "+r.EN)
			}
			for _, hz := range t.Hazards {
				types = append(types, hz.Type+":"+hz.Class)
			}
			f.Properties = geojson.Properties{"tps": t.Code, "desa": t.Desa, "nomor": t.Number, "dpt": t.DPT, "tingkat": string(t.Level),
				"alasan": strings.Join(why, "; "), "sinyal": string(t.Signal), "sinyal_survei": string(t.Surveyed),
				"sinyal_perkiraan": string(t.Estimate), "intervensi_direncanakan": t.Planned, "intervensi_bekerja": t.Helped,
				"bahaya": t.Hazard, "bahaya_jenis": strings.Join(types, " "), "sumber_titik": t.Point, "sintetis": t.Synthetic,
				"direlokasi": t.Relocated, "penundaan": postponementText(t.Postponement)}
			return write(f)
		})
	case "bahaya":
		return rs.EachZone(ctx, reg.Code, write)
	case "intervensi":
		for _, v := range rs.Interventions(reg.Code) {
			iv := readiness.PublicIntervention(v)
			f := geojson.NewFeature(orb.Point{iv.Lon, iv.Lat})
			f.Properties = geojson.Properties{"id": iv.ID, "jenis": iv.Kind, "status": iv.Status, "tps": iv.TPS, "wilayah": iv.Region,
				"radius_m": iv.RadiusM, "pemilik": iv.Owner, "terlambat": iv.Late, "bekerja": iv.Working, "mencakup_tps": iv.Covers}
			if err := write(f); err != nil {
				return err
			}
		}
		return nil
	case "relokasi":
		rels, err := rs.Relocations(ctx, reg.Code)
		if err != nil {
			return err
		}
		for _, r := range rels {
			p := readiness.PublicRelocation(r)
			f := geojson.NewFeature(orb.LineString{{p.FromLon, p.FromLat}, {p.ToLon, p.ToLat}})
			f.Properties = geojson.Properties{"tps": p.TPS, "alamat_baru": p.ToAddress, "alasan": p.Reason, "pemutus": p.Decider,
				"kantor": p.Office, "tanggal_keputusan": p.Decided, "nomor_surat": p.Letter}
			if err := write(f); err != nil {
				return err
			}
		}
		return nil
	case "penundaan":
		pp, err := rs.PostponedMap(ctx, reg.Code)
		if err != nil {
			return err
		}
		for _, p := range pp {
			f := geojson.NewFeature(orb.Point{p.Lon, p.Lat})
			f.Properties = geojson.Properties{"tps": p.TPS, "jenis": p.Kind, "status": p.Status, "alasan": p.Reason,
				"tanggal_baru": p.NewDate, "sintetis": p.Synthetic}
			if err := write(f); err != nil {
				return err
			}
		}
		return nil
	}
	return siaga.Errorf(siaga.ENotFound, "layer", "lapisan %q tidak ada", "no layer %q", layer)
}
