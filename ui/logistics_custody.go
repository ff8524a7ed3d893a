package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
)

// The PPK's view of the sealed boxes after voting (/logistik/{code}/kotak):
// per TPS of the region, where its boxes are (TPS, PPS, PPK), since when,
// late ones highlighted, seal problems in red, "N dari M TPS sudah di
// PPK"; filtered by place, late and seal problem, paged, and taken away
// as CSV and XLSX from the same table. Staff only (the route's rule):
// the public sees nothing of logistics. No names on this page: who gave
// and received is on each TPS's chain (/tps/{code}/kotak).

const custodyPageSize = 100

type custodyPage struct {
	basePage
	Region    siaga.Region
	Filter    logistics.CustodyFilter
	Places    []logistics.CustodyPlace
	Rows      []custodyRow
	Counts    logistics.CustodyPage
	Total     int
	From, To  int
	Next      string
	Prev      string
	CSV, XLSX string
	// At is the moment shown: now, or ?pada= (datetime-local, WIB).
	At, AtInput string
	PPS, PPK    string // the deadlines
}

// custodyRow is one TPS as the page, the CSV and the XLSX show it.
type custodyRow struct {
	TPS, Number, Desa       string
	Place, PlaceName, Since string
	Late                    bool
	Due                     string
	Seal                    bool
	Boxes, Envelopes        int
	Handovers               int
}

var custodyColumns = []column{{Name: "tps"}, {Name: "nomor"}, {Name: "desa"}, {Name: "tempat"}, {Name: "di"}, {Name: "sejak"},
	{Name: "terlambat"}, {Name: "batas"}, {Name: "segel_bermasalah"}, {Name: "kotak", Number: true},
	{Name: "sampul", Number: true}, {Name: "serah_terima", Number: true}}

func (row custodyRow) cells() []string {
	return []string{row.TPS, row.Number, row.Desa, row.Place, row.PlaceName, row.Since, yaTidak(row.Late), row.Due,
		yaTidak(row.Seal), strconv.Itoa(row.Boxes), strconv.Itoa(row.Envelopes), strconv.Itoa(row.Handovers)}
}

const custodyTimeLayout = "2006-01-02 15:04"

func (h *Pages) custodyRow(c logistics.TPSCustody) custodyRow {
	row := custodyRow{TPS: c.TPS, Number: tpsNumber(c.Number), Place: string(c.Place), Late: c.Late,
		Due: c.Due.In(siaga.WIB).Format(custodyTimeLayout), Seal: c.SealProblem, Boxes: c.Boxes, Envelopes: c.Envelopes,
		Handovers: c.Handovers}
	if d, ok := h.Regions.Region(siaga.ParentCode(c.TPS)); ok {
		row.Desa = d.Name
	}
	switch c.Place {
	case logistics.AtTPS:
		row.PlaceName = "TPS " + row.Number
	case logistics.AtPPS:
		row.PlaceName = "PPS " + row.Desa
	case logistics.AtPPK:
		row.PlaceName = "PPK " + c.Code
		if k, ok := h.Regions.Region(c.Code); ok {
			row.PlaceName = "PPK " + k.Name
		}
	}
	if c.Since != nil {
		row.Since = c.Since.In(siaga.WIB).Format(custodyTimeLayout)
	}
	return row
}

// custodyFilter reads ?tempat=&terlambat=1&segel=1&kursor=&pada=.
func (h *Pages) custodyFilter(v url.Values) (logistics.CustodyFilter, time.Time, error) {
	f := logistics.CustodyFilter{Place: logistics.CustodyPlace(v.Get("tempat")), Late: v.Get("terlambat") == "1",
		Seal: v.Get("segel") == "1", After: v.Get("kursor"), Limit: custodyPageSize}
	if f.Place != "" && !f.Place.Valid() {
		return f, time.Time{}, siaga.Errorf(siaga.EInvalid, "tempat", "Tempat %q tidak dikenal (tps, pps, ppk)", "unknown place %q (tps, pps, ppk)", f.Place)
	}
	if f.After != "" && !siaga.IsTPSCode(f.After) {
		return f, time.Time{}, siaga.Errorf(siaga.EInvalid, "kursor", "Kursor tidak sah", "invalid cursor")
	}
	at := h.Now()
	if p := v.Get("pada"); p != "" {
		t, err := time.ParseInLocation(stepLayout, p, siaga.WIB)
		if err != nil {
			return f, at, siaga.Errorf(siaga.EInvalid, "pada", "Waktu %q tidak terbaca (YYYY-MM-DDTHH:MM, WIB)", "time %q unreadable (YYYY-MM-DDTHH:MM, WIB)", p)
		}
		at = t
	}
	return f, at, nil
}

func custodyValues(f logistics.CustodyFilter, v url.Values) url.Values {
	out := url.Values{}
	if f.Place != "" {
		out.Set("tempat", string(f.Place))
	}
	if f.Late {
		out.Set("terlambat", "1")
	}
	if f.Seal {
		out.Set("segel", "1")
	}
	if p := v.Get("pada"); p != "" {
		out.Set("pada", p)
	}
	return out
}

// custodyTable is every row f selects (its cursor ignored) at time at.
func (h *Pages) custodyTable(ctx context.Context, code string, f logistics.CustodyFilter, at time.Time) table {
	return table{Name: "siaga-kotak-suara-" + code, Columns: custodyColumns, Rows: func(row func([]string) error) error {
		rows, err := h.Custody.Status(ctx, code, at)
		if err != nil {
			return err
		}
		f.After, f.Limit = "", 0
		for _, c := range h.Custody.Page(rows, f, at).Items {
			if err := row(h.custodyRow(c).cells()); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (h *Pages) custodyOff(w http.ResponseWriter, r *http.Request) bool {
	if h.Custody != nil {
		return false
	}
	h.Error(w, r, http.StatusServiceUnavailable, "Serah terima kotak suara tidak dicatat di server ini.", "Box custody is not recorded on this server.")
	return true
}

// CustodyPage serves GET /logistik/{code}/kotak.
func (h *Pages) CustodyPage(w http.ResponseWriter, r *http.Request) {
	if h.custodyOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	f, at, err := h.custodyFilter(v)
	if err != nil {
		h.Error(w, r, http.StatusBadRequest, "Filter tidak sah: "+errorText(err, false), "Invalid filter: "+errorText(err, true))
		return
	}
	rows, err := h.Custody.Status(r.Context(), reg.Code, at)
	if err != nil {
		h.dashLog().Error("custody", "region", reg.Code, "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Posisi kotak suara tidak dapat dimuat.", "The boxes' custody could not be loaded.")
		return
	}
	page := h.Custody.Page(rows, f, at)
	d := h.Custody.Deadlines()
	p := custodyPage{basePage: h.base(r, "Kotak suara kembali ke PPK — "+reg.Name), Region: reg, Filter: f,
		Places: logistics.CustodyPlaces, Counts: page, Total: page.Total,
		At: at.In(siaga.WIB).Format(custodyTimeLayout), AtInput: v.Get("pada"),
		PPS: d.PPS.In(siaga.WIB).Format(custodyTimeLayout), PPK: d.PPK.In(siaga.WIB).Format(custodyTimeLayout)}
	p.Nav, p.Path = "logistik", h.Regions.Path(reg.Code)
	for _, c := range page.Items {
		p.Rows = append(p.Rows, h.custodyRow(c))
	}
	base := custodyValues(f, v)
	path := "/logistik/" + reg.Code + "/kotak"
	p.CSV, p.XLSX = path+".csv?"+base.Encode(), path+".xlsx?"+base.Encode()
	trail := splitTrail(v.Get("kembali"))
	p.From = len(trail)*custodyPageSize + 1
	p.To = p.From + len(p.Rows) - 1
	if len(p.Rows) == 0 {
		p.From = 0
	}
	_, p.Next, p.Prev = pageLinks(path, base, f.After, page.Next, trail)
	h.render(w, r, "logistics_custody", p)
}

// CustodyExport serves GET /logistik/{code}/kotak.csv and .xlsx with the
// page's filter: every row, not one page.
func (h *Pages) CustodyExport(format ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Custody == nil {
			h.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Serah terima kotak suara tidak dicatat di server ini", "box custody is not recorded on this server"))
			return
		}
		code := r.PathValue("code")
		if _, ok := h.Regions.Region(code); !ok {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "code", "Wilayah %s tidak dikenal", "unknown region %s", code))
			return
		}
		f, at, err := h.custodyFilter(r.URL.Query())
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.custodyTable(r.Context(), code, f, at), format)
	}
}
