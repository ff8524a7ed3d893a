package ui

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// One early-warning alert (/peringatan-dini/{code}/sinyal/{id}): its rule,
// explanation, window and status with the forms that move it (posted to
// the same path, WarningStep), and the reports that raised it as a table
// and on a small map (warning_alert.js draws the circle and the points
// from the table's data attributes, so the table alone says it all).

// warningAlert reads alert id of reg, or ENotFound when it lies elsewhere.
// The store answers by filter only (WarningAlerts): the newest alert of
// the region with an ID up to id is the alert itself exactly when it
// belongs to the region.
func (h *Pages) warningAlert(ctx context.Context, reg siaga.Region, id int64) (*siaga.WarningAlert, error) {
	page, err := h.Warnings.WarningAlerts(ctx, siaga.WarningFilter{Scope: reg.Code, Before: id + 1, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page) == 0 || page[0].ID != id {
		return nil, siaga.Errorf(siaga.ENotFound, "id", "Peringatan tidak ditemukan di wilayah ini", "alert not found in this region")
	}
	return &page[0], nil
}

// warningReport is one report of an alert as its page shows it; Known is
// false when the report lies outside the page's region (a cluster across
// a border) or the incident pages are off: then only its id is shown.
type warningReport struct {
	ID    int64
	Known bool
	siaga.Incident
}

type warningAlertPage struct {
	basePage
	Region  siaga.Region
	Alert   siaga.WarningAlert
	Kec     string // the alert's kecamatan by name
	Reports []warningReport
	CanAct  bool
	Back    string
}

// WarningPage serves GET /peringatan-dini/{code}/sinyal/{id}.
func (h *Pages) WarningPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.warningRegion(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.pageNotFound(w, r)
		return
	}
	a, err := h.warningAlert(r.Context(), reg, id)
	if err != nil {
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), errorText(err, false)+".", errorText(err, true)+".")
		return
	}
	reports := make([]warningReport, 0, len(a.Incidents))
	for _, iid := range a.Incidents {
		rep := warningReport{ID: iid}
		if h.Incidents != nil {
			in, err := h.Incidents.IncidentByID(r.Context(), iid)
			switch {
			case err == nil && siaga.InScope(reg.Code, in.Region):
				rep.Known, rep.Incident = true, *in
			case err != nil && siaga.ErrorCode(err) != siaga.ENotFound:
				h.writeError(w, r, err)
				return
			}
		}
		reports = append(reports, rep)
	}
	u := h.account(r)
	p := warningAlertPage{basePage: h.base(r, "Peringatan dini #"+strconv.FormatInt(a.ID, 10)+" — "+reg.Name),
		Region: reg, Alert: *a, Reports: reports, Back: "/peringatan-dini/" + reg.Code,
		CanAct: u != nil && slices.Contains(h.Roles.WarnTriage, u.Role) && h.WarningSteps != nil}
	p.Kec = a.Region
	if k, ok := h.Regions.Region(a.Region); ok {
		p.Kec = k.Name + " (" + a.Region + ")"
	}
	p.Nav, p.Path = "peringatan-dini", h.Regions.Path(reg.Code)
	h.render(w, r, "peringatan_dini_sinyal", p)
}
