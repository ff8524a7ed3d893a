package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
)

// The shipments bound for a region (/logistik/{code}/kiriman): filtered
// by status, mode, item, sea routes and lateness and searched by waybill
// number in the store, paged with the store's cursor, "N–M dari T", and
// downloaded whole as CSV or XLSX from the same rows.

const (
	shipmentPageSize = 50
	// shipmentExportPage is how many shipments an export reads at a time.
	shipmentExportPage = 1000
	// maxWaybillSearch bounds the search box's text.
	maxWaybillSearch = 60
)

// parseShipmentQuery reads the list's filter of region from the page's
// query; now is when "late" is judged, items what may be filtered on.
func parseShipmentQuery(v url.Values, region string, now time.Time, items []siaga.Item) (siaga.ShipmentFilter, error) {
	f := siaga.ShipmentFilter{Region: region, Item: siaga.Item(v.Get("barang")), Mode: siaga.TransportMode(v.Get("moda")),
		Sea: v.Get("laut") == "1", Waybill: strings.TrimSpace(v.Get("cari")), After: v.Get("kursor"), Limit: shipmentPageSize}
	if s := siaga.ShipmentStatus(v.Get("status")); s != "" {
		if !slices.Contains(shipmentStatuses, s) {
			return f, siaga.Errorf(siaga.EInvalid, "status", "status %q tidak dikenal", "unknown status %q", s)
		}
		f.Status = []siaga.ShipmentStatus{s}
	}
	if f.Mode != "" && !slices.Contains(siaga.TransportModes, f.Mode) {
		return f, siaga.Errorf(siaga.EInvalid, "moda", "moda %q tidak dikenal", "unknown mode %q", f.Mode)
	}
	if f.Item != "" && !slices.Contains(items, f.Item) {
		return f, siaga.Errorf(siaga.EInvalid, "barang", "barang %q tidak dikenal", "unknown item %q", f.Item)
	}
	if len(f.Waybill) > maxWaybillSearch {
		return f, siaga.Errorf(siaga.EInvalid, "cari", "pencarian terlalu panjang (maksimal %d huruf)", "search too long (at most %d characters)", maxWaybillSearch)
	}
	if v.Get("terlambat") == "1" {
		f.LateAt = now
	}
	return f, nil
}

// shipmentStatuses are the statuses in the order of a shipment's life.
var shipmentStatuses = []siaga.ShipmentStatus{siaga.ShipmentPlanned, siaga.ShipmentDeparted, siaga.ShipmentHeld,
	siaga.ShipmentArrived, siaga.ShipmentDelivered, siaga.ShipmentCancelled}

// shipmentValues is the page's query string for f (without cursor).
func shipmentValues(f siaga.ShipmentFilter) url.Values {
	v := url.Values{}
	if len(f.Status) == 1 {
		v.Set("status", string(f.Status[0]))
	}
	for k, s := range map[string]string{"moda": string(f.Mode), "barang": string(f.Item), "cari": f.Waybill} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Sea {
		v.Set("laut", "1")
	}
	if !f.LateAt.IsZero() {
		v.Set("terlambat", "1")
	}
	return v
}

// late reports whether sh should have arrived by now and has not.
func late(sh siaga.Shipment, now time.Time) bool {
	switch sh.Status {
	case siaga.ShipmentArrived, siaga.ShipmentDelivered, siaga.ShipmentCancelled:
		return false
	}
	return sh.Arrived == nil && !sh.PlannedArrival.IsZero() && sh.PlannedArrival.Before(now)
}

// shipmentRow is one shipment as the list, the CSV and the XLSX show it.
type shipmentRow struct {
	siaga.Shipment
	FromName, ToName string
	ModeName         string
	StatusName       string
	Late             bool
	Origin           string // the waybill this one follows up
	URL, OriginURL   string
}

var shipmentColumns = []column{{Name: "surat_jalan"}, {Name: "dari"}, {Name: "dari_kode"}, {Name: "ke"}, {Name: "ke_kode"},
	{Name: "moda"}, {Name: "kapal"}, {Name: "pengawal"}, {Name: "rencana_berangkat"}, {Name: "berangkat"},
	{Name: "rencana_tiba"}, {Name: "tiba"}, {Name: "status"}, {Name: "terlambat"}, {Name: "susulan_dari"}, {Name: "isi"}}

// tableTime is a time in a table cell, WIB.
func tableTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(siaga.WIB).Format("2006-01-02 15:04")
}

func tableTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return tableTime(*t)
}

func (row shipmentRow) Vessel() string {
	if row.Sea == nil {
		return ""
	}
	return row.Sea.Vessel
}

// Contents is the waybill's lines in one cell: "surat_suara_dpr BANTEN II 1053; kotak_suara 20".
func (row shipmentRow) Contents() string {
	parts := make([]string, len(row.Lines))
	for i, l := range row.Lines {
		parts[i] = strings.TrimSpace(fmt.Sprintf("%s %s %d", l.Item, l.Dapil, l.Qty))
		parts[i] = strings.ReplaceAll(parts[i], "  ", " ")
	}
	return strings.Join(parts, "; ")
}

func (row shipmentRow) cells() []string {
	lateText := ""
	if row.Late {
		lateText = "ya"
	}
	return []string{row.Waybill, row.FromName, row.From, row.ToName, row.To, row.ModeName, row.Vessel(), row.Escort,
		tableTime(row.PlannedDeparture), tableTimePtr(row.Departed), tableTime(row.PlannedArrival), tableTimePtr(row.Arrived),
		string(row.Status), lateText, row.Origin, row.Contents()}
}

// shipmentRows makes the rows of a page of shipments; origins caches the
// waybill numbers of the shipments followed up, across pages of an export.
func (h *Pages) shipmentRows(r *http.Request, page []siaga.Shipment, origins map[string]string) []shipmentRow {
	now := h.now()
	out := make([]shipmentRow, len(page))
	for i, sh := range page {
		row := shipmentRow{Shipment: sh, FromName: h.placeShort(sh.From), ToName: h.placeShort(sh.To),
			ModeName: logistics.ModeName(sh.Mode), Late: late(sh, now), URL: shipmentURL(sh)}
		row.StatusName, _ = logistics.StatusName(sh.Status)
		if sh.FollowUpOf != "" {
			if _, ok := origins[sh.FollowUpOf]; !ok {
				origins[sh.FollowUpOf] = ""
				if o, _, _, err := h.Shipments.Get(r.Context(), sh.FollowUpOf); err == nil {
					origins[sh.FollowUpOf] = o.Waybill
					origins["url:"+sh.FollowUpOf] = shipmentURL(o)
				}
			}
			row.Origin, row.OriginURL = origins[sh.FollowUpOf], origins["url:"+sh.FollowUpOf]
		}
		out[i] = row
	}
	return out
}

// shipmentTable is every shipment f selects (its cursor and limit
// ignored), as an exported table.
func (h *Pages) shipmentTable(r *http.Request, reg siaga.Region, f siaga.ShipmentFilter) table {
	return table{Name: "siaga-kiriman-" + reg.Code, Columns: shipmentColumns, Rows: func(row func([]string) error) error {
		f.After, f.Limit = "", shipmentExportPage
		origins := map[string]string{}
		for {
			page, _, err := h.Shipments.List(r.Context(), f)
			if err != nil {
				return err
			}
			for _, sr := range h.shipmentRows(r, page, origins) {
				if err := row(sr.cells()); err != nil {
					return err
				}
			}
			if len(page) < f.Limit {
				return nil
			}
			f.After = page[len(page)-1].ID
		}
	}}
}

type shipmentsPage struct {
	basePage
	logisticsWords
	Region   siaga.Region
	Filter   siaga.ShipmentFilter
	Query    url.Values
	Statuses []siaga.ShipmentStatus
	Modes    []siaga.TransportMode
	Items    []siaga.Item
	Columns  []column
	Rows     []shipmentRow
	Total    int
	From, To int
	Next     string
	Prev     string
	CSV      string
	XLSX     string
	CanNew   bool
}

// ShipmentsPage serves GET /logistik/{code}/kiriman?status=&moda=&barang=&laut=1&terlambat=1&cari=&kursor=&kembali=.
func (h *Pages) ShipmentsPage(w http.ResponseWriter, r *http.Request) {
	if h.shipmentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	f, err := parseShipmentQuery(v, reg.Code, h.now(), h.Shipments.Items())
	var page []siaga.Shipment
	var total int
	if err == nil {
		page, total, err = h.Shipments.List(r.Context(), f)
	}
	if err != nil {
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Filter tidak sah: "+errorText(err, false), "Invalid filter: "+errorText(err, true))
		return
	}
	p := shipmentsPage{basePage: h.base(r, "Kiriman logistik — "+reg.Name), Region: reg, Filter: f, Query: v,
		Statuses: shipmentStatuses, Modes: siaga.TransportModes, Items: h.Shipments.Items(), Columns: shipmentColumns,
		Rows: h.shipmentRows(r, page, map[string]string{}), Total: total}
	p.Nav, p.Path = "logistik", h.Regions.Path(reg.Code)
	u := h.account(r)
	p.CanNew = u != nil && slices.Contains(h.Roles.Log, u.Role)
	base := shipmentValues(f)
	path := "/logistik/" + reg.Code + "/kiriman"
	p.CSV, p.XLSX = path+".csv?"+base.Encode(), path+".xlsx?"+base.Encode()
	trail := splitTrail(v.Get("kembali"))
	p.From = len(trail)*shipmentPageSize + 1
	p.To = p.From + len(p.Rows) - 1
	if len(p.Rows) == 0 {
		p.From = 0
	}
	next := ""
	if len(page) == f.Limit && p.To < total {
		next = page[len(page)-1].ID
	}
	_, p.Next, p.Prev = pageLinks(path, base, f.After, next, trail)
	h.render(w, r, "logistics_shipments", p)
}

// ShipmentsExport serves GET /logistik/{code}/kiriman.csv and .xlsx with
// the page's filter: every match, not one page.
func (h *Pages) ShipmentsExport(f ExportFormat) http.HandlerFunc {
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
		q, err := parseShipmentQuery(r.URL.Query(), reg.Code, h.now(), h.Shipments.Items())
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.shipmentTable(r, reg, q), f)
	}
}
