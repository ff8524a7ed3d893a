package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// The readiness map's "Peringatan dini" layer: the early-warning alerts of
// a region as circles (a centre and radius_km), for staff in scope only
// (the route's rule): an alert names the reports that raised it. The same
// rows leave as GeoJSON, CSV and XLSX from warningTable.

// WarningAlerts is what the pages read of the early warning's store.
type WarningAlerts interface {
	WarningAlerts(ctx context.Context, f siaga.WarningFilter) ([]siaga.WarningAlert, error)
	CountWarningAlerts(ctx context.Context, f siaga.WarningFilter) (int, error)
}

// maxWarningLayer bounds a layer: a province's alerts of an election are
// tens, a thousand is a scan gone wrong, which the list pages show whole.
const maxWarningLayer = 1000

// warningAlertsOf reads the alerts of reg newest first, open ones only
// unless the query asks ?semua=1.
func (h *Pages) warningAlertsOf(ctx context.Context, r *http.Request, reg siaga.Region) ([]siaga.WarningAlert, error) {
	f := siaga.WarningFilter{Scope: reg.Code, Limit: maxWarningLayer}
	if r.URL.Query().Get("semua") != "1" {
		f.Statuses = []siaga.WarningStatus{siaga.WarningNew, siaga.WarningAcknowledged}
	}
	return h.Warnings.WarningAlerts(ctx, f)
}

// warningTable is the alert layer as a table.
func warningTable(reg siaga.Region, alerts []siaga.WarningAlert) table {
	return table{Name: "peringatan_dini_" + reg.Code,
		Columns: readinessColumns("#id", "aturan", "kategori", "kecamatan", "status", "#lintang", "#bujur", "#radius_km", "dari", "sampai",
			"#laporan", "id_laporan", "#biasanya_per_hari", "penjelasan", "explanation"),
		Rows: func(row func([]string) error) error {
			for _, a := range alerts {
				ids := make([]string, len(a.Incidents))
				for i, id := range a.Incidents {
					ids[i] = strconv.FormatInt(id, 10)
				}
				err := row([]string{strconv.FormatInt(a.ID, 10), string(a.Rule), string(a.Category), a.Region, string(a.Status),
					decimal(a.Lat), decimal(a.Lon), decimal(a.RadiusKm), a.From.In(siaga.WIB).Format(time.DateTime),
					a.To.In(siaga.WIB).Format(time.DateTime), itoa(len(a.Incidents)), strings.Join(ids, " "), decimal(a.Usual), a.Text, a.EN})
				if err != nil {
					return err
				}
			}
			return nil
		}}
}

func (h *Pages) warningRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, bool) {
	if h.Warnings == nil {
		h.Error(w, r, http.StatusNotFound, "Peringatan dini tidak tersedia di server ini.", "Early warning is not available on this server.")
		return siaga.Region{}, false
	}
	reg, ok := h.Regions.Region(r.PathValue("code"))
	if !ok {
		h.pageNotFound(w, r)
		return siaga.Region{}, false
	}
	return reg, true
}

// WarningLayerTable serves /kesiapan/{code}/peringatan-dini.csv and .xlsx.
func (h *Pages) WarningLayerTable(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.warningRegion(w, r)
		if !ok {
			return
		}
		alerts, err := h.warningAlertsOf(r.Context(), r, reg)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, warningTable(reg, alerts), f)
	}
}

// WarningLayerGeoJSON serves /kesiapan/{code}/peringatan-dini.geojson:
// one point per alert with its radius, its columns as properties.
func (h *Pages) WarningLayerGeoJSON(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.warningRegion(w, r)
	if !ok {
		return
	}
	alerts, err := h.warningAlertsOf(r.Context(), r, reg)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	t := warningTable(reg, alerts)
	name := "kesiapan_peringatan-dini_" + reg.Code
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.geojson"`)
	w.Header().Set("Cache-Control", "no-store")
	gw := geo.NewWriter(w, name)
	i := 0
	err = t.Rows(func(cells []string) error {
		a := alerts[i]
		i++
		f := geojson.NewFeature(orb.Point{a.Lon, a.Lat})
		for c, col := range t.Columns {
			if col.Number {
				v, _ := strconv.ParseFloat(cells[c], 64)
				f.Properties[col.Name] = v
			} else {
				f.Properties[col.Name] = cells[c]
			}
		}
		return gw.Write(f)
	})
	if err == nil {
		err = gw.Close()
	}
	if err != nil {
		h.dashLog().Error("geojson export", "layer", "peringatan-dini", "region", reg.Code, "err", err)
	}
}
