package ui

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// The readiness map's "Insiden" layer: the incidents of a region that
// happened (verified or later, never rejected nor unchecked, one per
// duplicate group: five witnesses of one fight are one point) as points
// coloured by category, for staff who read incidents in scope only (the
// route's rule; the public sees nothing, not even the box). The same rows
// leave as GeoJSON, CSV and XLSX from incidentLayerTable.

// incidentLayerStatuses are the statuses that count as happened, as the
// early warning counts them (docs/security-incidents.md "## Early warning").
var incidentLayerStatuses = []siaga.IncidentStatus{siaga.IncidentVerified, siaga.IncidentAssigned, siaga.IncidentInHand, siaga.IncidentClosed}

// incidentLayerOf reads the layer's incidents of reg, oldest first: every
// one, since a map that drops points would hide trouble (a province's
// verified reports of an election are thousands, not millions).
func (h *Pages) incidentLayerOf(ctx context.Context, reg siaga.Region) ([]siaga.Incident, error) {
	var out []siaga.Incident
	f := siaga.IncidentFilter{Scope: reg.Code, Statuses: incidentLayerStatuses, Groups: true}
	err := h.Incidents.EachIncident(ctx, f, func(in *siaga.Incident) error {
		out = append(out, *in)
		return nil
	})
	return out, err
}

// incidentLayerTable is the layer as a table; an incident without a point
// keeps empty coordinates here and is left off the GeoJSON.
func incidentLayerTable(reg siaga.Region, incidents []siaga.Incident) table {
	return table{Name: "kesiapan_insiden_" + reg.Code,
		Columns: readinessColumns("#id", "kategori", "tingkat", "status", "instansi", "wilayah", "tps", "#lintang", "#bujur", "waktu", "judul"),
		Rows: func(row func([]string) error) error {
			for _, in := range incidents {
				lat, lon := "", ""
				if hasPoint(in) {
					lat, lon = decimal(in.Lat), decimal(in.Lon)
				}
				err := row([]string{strconv.FormatInt(in.ID, 10), string(in.Category), string(in.Severity), string(in.Status),
					string(in.Agency), in.Region, in.TPS, lat, lon, in.OccurredAt.In(siaga.WIB).Format(time.DateTime), in.Title})
				if err != nil {
					return err
				}
			}
			return nil
		}}
}

func hasPoint(in siaga.Incident) bool { return in.Lat != 0 || in.Lon != 0 }

func (h *Pages) incidentLayerRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, bool) {
	if h.Incidents == nil {
		h.Error(w, r, http.StatusNotFound, "Insiden tidak tersedia di server ini.", "Incidents are not available on this server.")
		return siaga.Region{}, false
	}
	return h.pathRegion(w, r)
}

// IncidentLayerTable serves /kesiapan/{code}/insiden.csv and .xlsx.
func (h *Pages) IncidentLayerTable(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.incidentLayerRegion(w, r)
		if !ok {
			return
		}
		incidents, err := h.incidentLayerOf(r.Context(), reg)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, incidentLayerTable(reg, incidents), f)
	}
}

// IncidentLayerGeoJSON serves /kesiapan/{code}/insiden.geojson: one point
// per incident that has one, its columns as properties.
func (h *Pages) IncidentLayerGeoJSON(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.incidentLayerRegion(w, r)
	if !ok {
		return
	}
	incidents, err := h.incidentLayerOf(r.Context(), reg)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	t := incidentLayerTable(reg, incidents)
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+t.Name+`.geojson"`)
	w.Header().Set("Cache-Control", "no-store")
	gw := geo.NewWriter(w, t.Name)
	i := 0
	err = t.Rows(func(cells []string) error {
		in := incidents[i]
		i++
		if !hasPoint(in) {
			return nil
		}
		f := geojson.NewFeature(orb.Point{in.Lon, in.Lat})
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
		h.dashLog().Error("geojson export", "layer", "insiden", "region", reg.Code, "err", err)
	}
}
