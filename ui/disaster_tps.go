package ui

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// tpsDisaster is the TPS page's disaster block (templates/disaster_parts.html,
// "tps_disaster"): the zones it lies in, its relocations with their
// notices, where it stood over time, and its postponements. Public: the
// decisions and places, never who recorded them.
type tpsDisaster struct {
	TPS           string
	On            bool // the disaster module is on
	Point         string
	Synthetic     bool
	Worst         string
	Zones         []string
	Relocations   []siaga.Relocation
	History       []locationRow
	Postponements []postponementRow
	// Links for staff who may act on this TPS.
	CanRelocate, CanReport bool
}

// locationRow is a place the TPS stood at, without who recorded it.
type locationRow struct {
	From, Source, Address string
	Lat, Lon              string
}

// tpsDisasterOf gathers the block of one TPS; failures leave a part out
// and go to the log, since the rest of the TPS page matters more.
func (h *Pages) tpsDisasterOf(r *http.Request, code string, u *siaga.User) *tpsDisaster {
	d := &tpsDisaster{TPS: code, On: h.Disaster != nil}
	if h.Disaster != nil {
		if e, err := h.Disaster.TPS(code); err == nil {
			if e.Point != nil {
				d.Point = strconv.FormatFloat(e.Point.Lat, 'f', 6, 64) + ", " + strconv.FormatFloat(e.Point.Lon, 'f', 6, 64) + " (" + e.Point.Source + ")"
				d.Synthetic = e.Point.Synthetic()
			}
			d.Worst = e.Worst
			layers := h.layerNames()
			for _, z := range e.Zones {
				d.Zones = append(d.Zones, z.Type+" "+z.Class+" — "+layers[z.Layer])
			}
		}
		var err error
		if d.Relocations, err = h.Disaster.Relocations(r.Context(), code); err != nil {
			h.dashLog().Error("tps relocations", "tps", code, "err", err)
		}
		hist, err := h.Disaster.History(r.Context(), code)
		if err != nil {
			h.dashLog().Error("tps location history", "tps", code, "err", err)
		}
		for i := len(hist) - 1; i >= 0; i-- { // newest first
			l := hist[i]
			d.History = append(d.History, locationRow{From: fmtWhen(l.At), Source: l.Source, Address: l.Address,
				Lat: strconv.FormatFloat(l.Lat, 'f', 6, 64), Lon: strconv.FormatFloat(l.Lon, 'f', 6, 64)})
		}
		d.CanRelocate = u != nil && slices.Contains(h.Roles.RelocationView, u.Role) && siaga.InScope(u.Scope, code)
	}
	if h.Postponements != nil {
		if page, err := h.Postponements.List(r.Context(), siaga.PostponementFilter{Region: code}); err == nil {
			for _, p := range page.Items {
				d.Postponements = append(d.Postponements, h.postponementRow(p))
			}
		} else {
			h.dashLog().Error("tps postponements", "tps", code, "err", err)
		}
		d.CanReport = u != nil && slices.Contains(h.Roles.Report, u.Role) && siaga.InScope(u.Scope, code)
	}
	return d
}
