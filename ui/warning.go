package ui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The early-warning alerts of a region (/peringatan-dini/{code}): open
// ones by default, filtered by status and category in the store, newest
// first, paged with N dari M, downloaded whole as CSV or XLSX from
// warningTable (the map layer's table too); the triage roles acknowledge
// or close an alert from its row.

const (
	warningPageSize   = 50
	warningExportPage = 1000
)

// WarningSteps moves an alert along (warning.Service).
type WarningSteps interface {
	Acknowledge(ctx context.Context, id int64, version int, by string) (*siaga.WarningAlert, error)
	Close(ctx context.Context, id int64, version int, by, note string) (*siaga.WarningAlert, error)
}

// parseWarningQuery reads ?status=semua|baru|diakui|selesai, ?kategori=
// and ?kursor= of region.
func parseWarningQuery(v url.Values, region string) (siaga.WarningFilter, error) {
	f := siaga.WarningFilter{Scope: region, Limit: warningPageSize}
	switch st := v.Get("status"); st {
	case "":
		f.Statuses = []siaga.WarningStatus{siaga.WarningNew, siaga.WarningAcknowledged}
	case "semua":
	default:
		if !siaga.WarningStatus(st).Valid() {
			return f, siaga.Errorf(siaga.EInvalid, "status", "status %q tidak dikenal", "unknown status %q", st)
		}
		f.Statuses = []siaga.WarningStatus{siaga.WarningStatus(st)}
	}
	if c := v.Get("kategori"); c != "" {
		if !siaga.IncidentCategory(c).Valid() {
			return f, siaga.Errorf(siaga.EInvalid, "kategori", "kategori %q tidak dikenal", "unknown category %q", c)
		}
		f.Categories = []siaga.IncidentCategory{siaga.IncidentCategory(c)}
	}
	var err error
	if f.Before, err = beforeCursor(v); err != nil {
		return f, err
	}
	return f, nil
}

func warningValues(v url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"status", "kategori"} {
		if s := v.Get(k); s != "" {
			out.Set(k, s)
		}
	}
	return out
}

type warningsPage struct {
	basePage
	Region     siaga.Region
	Status     string
	Category   string
	Categories []siaga.IncidentCategory
	Rows       []siaga.WarningAlert
	CanAct     bool
	Total      int
	From, To   int
	Next, Prev string
	Here       string
	CSV, XLSX  string
	// Notices are the account's own notices, newest first (read once
	// this page shows them).
	Notices []siaga.WarningNotice
}

// WarningsPage serves GET /peringatan-dini/{code}?status=&kategori=&kursor=&kembali=.
func (h *Pages) WarningsPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.warningRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	f, err := parseWarningQuery(v, reg.Code)
	var rows []siaga.WarningAlert
	var total int
	if err == nil {
		rows, err = h.Warnings.WarningAlerts(r.Context(), f)
	}
	if err == nil {
		total, err = h.Warnings.CountWarningAlerts(r.Context(), f)
	}
	if err != nil {
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Filter tidak sah: "+errorText(err, false), "Invalid filter: "+errorText(err, true))
		return
	}
	u := h.account(r)
	p := warningsPage{basePage: h.base(r, "Peringatan dini — "+reg.Name), Region: reg, Status: v.Get("status"), Category: v.Get("kategori"),
		Categories: siaga.IncidentCategories, Rows: rows, Total: total,
		CanAct: u != nil && slices.Contains(h.Roles.WarnTriage, u.Role) && h.WarningSteps != nil}
	p.Nav, p.Path = "peringatan-dini", h.Regions.Path(reg.Code)
	base := warningValues(v)
	path := "/peringatan-dini/" + reg.Code
	p.CSV, p.XLSX = path+"/sinyal.csv?"+base.Encode(), path+"/sinyal.xlsx?"+base.Encode()
	trail := splitTrail(v.Get("kembali"))
	p.From = len(trail)*warningPageSize + 1
	p.To = p.From + len(rows) - 1
	if len(rows) == 0 {
		p.From = 0
	}
	cursor, next := "", ""
	if f.Before > 0 {
		cursor = strconv.FormatInt(f.Before, 10)
	}
	if len(rows) == f.Limit && p.To < total {
		next = strconv.FormatInt(rows[len(rows)-1].ID, 10)
	}
	p.Here, p.Next, p.Prev = pageLinks(path, base, cursor, next, trail)
	p.Notices = h.myNotices(r, p.User)
	h.render(w, r, "peringatan_dini", p)
}

// WarningsExport serves GET /peringatan-dini/{code}/sinyal.csv and .xlsx
// with the page's filter: every match.
func (h *Pages) WarningsExport(format ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.warningRegion(w, r)
		if !ok {
			return
		}
		f, err := parseWarningQuery(r.URL.Query(), reg.Code)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		var all []siaga.WarningAlert
		f.Limit = warningExportPage
		for {
			page, err := h.Warnings.WarningAlerts(r.Context(), f)
			if err != nil {
				h.writeError(w, r, err)
				return
			}
			all = append(all, page...)
			if len(page) < f.Limit {
				break
			}
			f.Before = page[len(page)-1].ID
		}
		h.writeTable(w, r, warningTable(reg, all), format)
	}
}

// WarningStep serves POST /peringatan-dini/{code}/sinyal/{id}: aksi=akui
// or selesai (with catatan), versi the version the official read.
func (h *Pages) WarningStep(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.warningRegion(w, r)
	if !ok {
		return
	}
	if h.WarningSteps == nil {
		h.pageNotFound(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.pageNotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("versi"))
	_, err = h.warningAlert(r.Context(), reg, id)
	by := auth.Actor(h.account(r))
	if err == nil {
		switch r.PostForm.Get("aksi") {
		case "akui":
			_, err = h.WarningSteps.Acknowledge(r.Context(), id, version, by)
		case "selesai":
			_, err = h.WarningSteps.Close(r.Context(), id, version, by, r.PostForm.Get("catatan"))
		default:
			err = siaga.Errorf(siaga.EInvalid, "aksi", "aksi harus akui atau selesai", "action must be akui or selesai")
		}
	}
	if err != nil {
		status := siaga.HTTPStatus(siaga.ErrorCode(err))
		if status >= 500 {
			h.dashLog().Error("early-warning step", "id", id, "err", err)
		}
		h.Error(w, r, status, errorText(err, false)+".", errorText(err, true)+".")
		return
	}
	back := "/peringatan-dini/" + reg.Code
	if r.PostForm.Get("ke") == "rinci" { // the form of the alert's own page
		http.Redirect(w, r, back+"/sinyal/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	if v, err := url.ParseQuery(r.PostForm.Get("kembali_ke")); err == nil && len(v) > 0 {
		back += "?" + v.Encode()
	}
	http.Redirect(w, r, back+"#s-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
