package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The logistics alerts of a region (/logistik/{code}/peringatan): a short
// or damaged delivery and a held shipment raised to the sender's region,
// a broken seal to Bawaslu (custody stores those in the same table), the
// open ones by default, filtered by kind in the store, newest first,
// paged, downloaded whole as CSV or XLSX; whoever reads them marks one as
// handled ("tandai sudah ditangani").

const (
	alertPageSize   = 50
	alertExportPage = 1000
)

// alertKinds are the kinds in the order the filter offers them.
var alertKinds = []siaga.LogisticsAlertKind{siaga.AlertDiscrepancy, siaga.AlertHold, siaga.AlertStalled, siaga.AlertSeal,
	siaga.AlertCustodyLate, siaga.AlertBallots}

var alertKindNames = map[siaga.LogisticsAlertKind]string{
	siaga.AlertDiscrepancy: "selisih barang",
	siaga.AlertHold:        "kiriman tertahan",
	siaga.AlertStalled:     "kiriman macet",
	siaga.AlertSeal:        "segel rusak/berbeda",
	siaga.AlertCustodyLate: "kotak suara terlambat",
	siaga.AlertBallots:     "surat suara rusak/kurang",
}

// parseAlertQuery reads the page's filter of region: ?status=semua shows
// the handled ones too, ?jenis= one kind, ?kursor= the page after an ID.
func parseAlertQuery(v url.Values, region string) (siaga.LogisticsAlertFilter, error) {
	f := siaga.LogisticsAlertFilter{Region: region, Kind: siaga.LogisticsAlertKind(v.Get("jenis")), Open: v.Get("status") != "semua",
		Limit: alertPageSize}
	if f.Kind != "" {
		if _, ok := alertKindNames[f.Kind]; !ok {
			return f, siaga.Errorf(siaga.EInvalid, "jenis", "jenis peringatan %q tidak dikenal", "unknown alert kind %q", f.Kind)
		}
	}
	var err error
	if f.Before, err = beforeCursor(v); err != nil {
		return f, err
	}
	return f, nil
}

func alertValues(f siaga.LogisticsAlertFilter) url.Values {
	v := url.Values{}
	if !f.Open {
		v.Set("status", "semua")
	}
	if f.Kind != "" {
		v.Set("jenis", string(f.Kind))
	}
	return v
}

// alertRow is one alert as the page, the CSV and the XLSX show it.
type alertRow struct {
	siaga.LogisticsAlert
	KindName   string
	RegionName string
	Link       string // the page of what it is about, when there is one
}

var alertColumns = []column{{Name: "id", Number: true}, {Name: "waktu"}, {Name: "jenis"}, {Name: "wilayah"}, {Name: "wilayah_kode"},
	{Name: "tps"}, {Name: "peran"}, {Name: "rujukan"}, {Name: "pesan"}, {Name: "message"}, {Name: "ditangani_oleh"}, {Name: "ditangani_pada"}}

func (h *Pages) alertRow(a siaga.LogisticsAlert) alertRow {
	row := alertRow{LogisticsAlert: a, KindName: named(alertKindNames, a.Kind), RegionName: h.regionName(a.Region)}
	// A shipment's alert is raised to its sender's region, above its
	// destination: the shipment's page under that region finds it.
	if id, ok := strings.CutPrefix(a.Ref, "shipment:"); ok && id != "" {
		row.Link = "/logistik/" + a.Region + "/kiriman/" + url.PathEscape(id)
	}
	return row
}

func (row alertRow) cells() []string {
	return []string{strconv.FormatInt(row.ID, 10), tableTime(row.At), row.KindName, row.RegionName, row.Region, row.TPS,
		string(row.Role), row.Ref, row.Text, row.EN, row.AcknowledgedBy, tableTimePtr(row.AcknowledgedAt)}
}

// alertTable is every alert f selects, as an exported table.
func (h *Pages) alertTable(r *http.Request, reg siaga.Region, f siaga.LogisticsAlertFilter) table {
	return table{Name: "siaga-peringatan-logistik-" + reg.Code, Columns: alertColumns, Rows: func(row func([]string) error) error {
		f.Before, f.Limit = 0, alertExportPage
		for {
			page, _, err := h.Shipments.Alerts(r.Context(), f)
			if err != nil {
				return err
			}
			for _, a := range page {
				if err := row(h.alertRow(a).cells()); err != nil {
					return err
				}
			}
			if len(page) < f.Limit {
				return nil
			}
			f.Before = page[len(page)-1].ID
		}
	}}
}

type alertsPage struct {
	basePage
	logisticsWords
	Region   siaga.Region
	Filter   siaga.LogisticsAlertFilter
	Kinds    []siaga.LogisticsAlertKind
	Rows     []alertRow
	Total    int
	From, To int
	Next     string
	Prev     string
	Here     string
	CSV      string
	XLSX     string
}

// KindText is an alert kind in words, for the filter.
func (alertsPage) KindText(k siaga.LogisticsAlertKind) string { return named(alertKindNames, k) }

// AlertsPage serves GET /logistik/{code}/peringatan?status=&jenis=&kursor=&kembali=.
func (h *Pages) AlertsPage(w http.ResponseWriter, r *http.Request) {
	if h.shipmentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	f, err := parseAlertQuery(v, reg.Code)
	var page []siaga.LogisticsAlert
	var total int
	if err == nil {
		page, total, err = h.Shipments.Alerts(r.Context(), f)
	}
	if err != nil {
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Filter tidak sah: "+errorText(err, false), "Invalid filter: "+errorText(err, true))
		return
	}
	p := alertsPage{basePage: h.base(r, "Peringatan logistik — "+reg.Name), Region: reg, Filter: f, Kinds: alertKinds, Total: total}
	p.Nav, p.Path = "logistik", h.Regions.Path(reg.Code)
	for _, a := range page {
		p.Rows = append(p.Rows, h.alertRow(a))
	}
	base := alertValues(f)
	path := "/logistik/" + reg.Code + "/peringatan"
	p.CSV, p.XLSX = path+".csv?"+base.Encode(), path+".xlsx?"+base.Encode()
	trail := splitTrail(v.Get("kembali"))
	p.From = len(trail)*alertPageSize + 1
	p.To = p.From + len(p.Rows) - 1
	if len(p.Rows) == 0 {
		p.From = 0
	}
	cursor, next := "", ""
	if f.Before > 0 {
		cursor = strconv.FormatInt(f.Before, 10)
	}
	if len(page) == f.Limit && p.To < total {
		next = strconv.FormatInt(page[len(page)-1].ID, 10)
	}
	p.Here, p.Next, p.Prev = pageLinks(path, base, cursor, next, trail)
	h.render(w, r, "logistics_alerts", p)
}

// AlertsExport serves GET /logistik/{code}/peringatan.csv and .xlsx with
// the page's filter: every match.
func (h *Pages) AlertsExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Shipments == nil {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Modul logistik tidak aktif", "the logistics module is off"))
			return
		}
		reg, ok := h.Regions.Region(r.PathValue("code"))
		if !ok {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "code", "Wilayah tidak ditemukan", "region not found"))
			return
		}
		q, err := parseAlertQuery(r.URL.Query(), reg.Code)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.alertTable(r, reg, q), f)
	}
}

// AcknowledgeAlert serves POST /logistik/{code}/peringatan/{id}/tandai:
// the alert is marked handled by the account, if it is one of the path's
// region (which the guard checked against the account's scope).
func (h *Pages) AcknowledgeAlert(w http.ResponseWriter, r *http.Request) {
	if h.shipmentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
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
	// The newest alert of the region with an ID up to id is the alert
	// itself exactly when it belongs to the region.
	page, _, err := h.Shipments.Alerts(r.Context(), siaga.LogisticsAlertFilter{Region: reg.Code, Before: id + 1, Limit: 1})
	if err == nil && (len(page) == 0 || page[0].ID != id) {
		err = siaga.Errorf(siaga.ENotFound, "id", "Peringatan tidak ditemukan di wilayah ini", "alert not found in this region")
	}
	if err == nil {
		err = h.Shipments.Acknowledge(r.Context(), id, auth.Actor(h.account(r)))
	}
	if err != nil {
		status := siaga.HTTPStatus(siaga.ErrorCode(err))
		if status >= 500 {
			h.dashLog().Error("acknowledging a logistics alert", "id", id, "err", err)
		}
		h.Error(w, r, status, errorText(err, false)+".", errorText(err, true)+".")
		return
	}
	back := "/logistik/" + reg.Code + "/peringatan"
	if v, err := url.ParseQuery(r.PostForm.Get("kembali_ke")); err == nil && len(v) > 0 {
		back += "?" + v.Encode()
	}
	http.Redirect(w, r, back+"#p-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
