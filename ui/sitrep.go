package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sitrep"
)

// The situation report (/laporan-situasi/{code}): the region at a moment
// (?pada=, a datetime-local in WIB; now by default) with every module's
// section, SVG charts drawn on the server, a Leaflet map of the incidents,
// alerts and TPS at risk, and print CSS for the morning meeting; the same
// report as a PDF (laporan.pdf), and the archive of the stored morning
// reports (arsip, arsip/{date}). Staff of the situation room in the
// region's scope only (http/routes.go): it names incidents' places and
// titles. Every table leaves as CSV and XLSX from sitrepTable, which the
// page renders too.

// sitrepTimeLayout is the ?pada= field's (datetime-local), in WIB.
const sitrepTimeLayout = "2006-01-02T15:04"

// SitrepTables are the report's tables by the name in their URL.
var SitrepTables = []string{"kesiapan", "logistik", "kategori", "wilayah", "status"}

// sitrepArchivePage is the archive's page size.
const sitrepArchiveSize = 30

type sitrepPage struct {
	basePage
	Region siaga.Region
	Rep    *siaga.Sitrep
	At     string // the ?pada= field's value
	When   string // the report's moment in words
	From   string
	PDF    string
	Charts map[string]svgBars
	Tables map[string]sitrepTableView
	Links  []sitrepLink
	Night  bool // voting day or later: the results section shows
}

type sitrepLink struct{ Name, URL string }

// sitrepTableView is a table as the page shows it, with its downloads.
type sitrepTableView struct {
	Columns   []column
	Rows      [][]string
	CSV, XLSX string
}

// svgBars is a horizontal bar chart drawn as SVG.
type svgBars struct {
	W, H    int
	Bars    []svgBar
	Caption string
}

type svgBar struct {
	Y, W         int
	Label, Value string
	Color        string
}

const (
	barLabelW, barAreaW, barValueW, barH = 180, 360, 60, 22
)

// bars draws rows as bars scaled to the largest; colors picks a bar's
// colour by key ("" the default).
func bars(caption string, rows []siaga.SitrepCount, colors map[string]string) svgBars {
	ch := svgBars{W: barLabelW + barAreaW + barValueW, H: len(rows)*barH + 4, Caption: caption}
	most := 0
	for _, r := range rows {
		most = max(most, r.Count)
	}
	for i, r := range rows {
		b := svgBar{Y: i*barH + 2, Label: r.Name, Value: strconv.Itoa(r.Count), Color: "#3465a4"}
		if c, ok := colors[r.Key]; ok {
			b.Color = c
		}
		if most > 0 && r.Count > 0 {
			b.W = max(2, barAreaW*r.Count/most)
		}
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}

var sitrepLevelColors = map[string]string{"siap": "#12b76a", "waspada": "#f79009", "rawan": "#d92d20", "ditunda": "#6b21a8"}

// sitrepRegion is the path's region, when the report is on.
func (h *Pages) sitrepRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, bool) {
	if h.Sitrep == nil {
		h.Error(w, r, http.StatusNotFound, "Laporan situasi tidak tersedia di server ini.", "The situation report is not available on this server.")
		return siaga.Region{}, false
	}
	reg, ok := h.pathRegion(w, r)
	if ok && reg.Level > siaga.LevelDesa {
		h.pageNotFound(w, r)
		return reg, false
	}
	return reg, ok
}

// sitrepAt reads ?pada=, now when absent.
func (h *Pages) sitrepAt(r *http.Request) (time.Time, error) {
	s := r.URL.Query().Get("pada")
	if s == "" {
		return h.Sitrep.Now(), nil
	}
	at, err := time.ParseInLocation(sitrepTimeLayout, s, siaga.WIB)
	if err != nil {
		return at, siaga.Errorf(siaga.EInvalid, "pada", "waktu %q tidak terbaca (tttt-bb-hhTjj:mm)", "time %q does not parse (yyyy-mm-ddThh:mm)", s)
	}
	return at, nil
}

// sitrepBuild is the report r asks for, or an answered error.
func (h *Pages) sitrepBuild(w http.ResponseWriter, r *http.Request) (*siaga.Sitrep, bool) {
	reg, ok := h.sitrepRegion(w, r)
	if !ok {
		return nil, false
	}
	at, err := h.sitrepAt(r)
	if err != nil {
		h.Error(w, r, http.StatusBadRequest, "Waktu ?pada= tidak terbaca (tttt-bb-hhTjj:mm).", "The time ?pada= does not parse (yyyy-mm-ddThh:mm).")
		return nil, false
	}
	rep, err := h.Sitrep.Build(r.Context(), reg.Code, at)
	if err != nil {
		h.writeError(w, r, err)
		return nil, false
	}
	return rep, true
}

// SitrepPage serves GET /laporan-situasi/{code}.
func (h *Pages) SitrepPage(w http.ResponseWriter, r *http.Request) {
	rep, ok := h.sitrepBuild(w, r)
	if !ok {
		return
	}
	code := rep.Region.Code
	p := sitrepPage{basePage: h.base(r, "Laporan situasi "+rep.Region.Name), Region: rep.Region, Rep: rep,
		At: rep.At.In(siaga.WIB).Format(sitrepTimeLayout), When: sitrep.When(rep.At), From: sitrep.When(rep.From()),
		Charts: map[string]svgBars{}, Tables: map[string]sitrepTableView{}, Night: rep.Results != nil}
	p.Nav = "laporan-situasi"
	p.Path = h.Regions.Path(code)
	q := url.Values{}
	if r.URL.Query().Get("pada") != "" {
		q.Set("pada", p.At)
	}
	suffix := ""
	if len(q) > 0 {
		suffix = "?" + q.Encode()
	}
	p.PDF = "/laporan-situasi/" + code + "/laporan.pdf" + suffix
	for _, name := range SitrepTables {
		t, ok := sitrepTable(rep, name)
		if !ok {
			continue
		}
		v := sitrepTableView{Columns: t.Columns, CSV: "/laporan-situasi/" + code + "/" + name + ".csv" + suffix,
			XLSX: "/laporan-situasi/" + code + "/" + name + ".xlsx" + suffix}
		if err := t.Rows(func(cells []string) error { v.Rows = append(v.Rows, cells); return nil }); err != nil {
			h.writeError(w, r, err)
			return
		}
		p.Tables[name] = v
	}
	if x := rep.Readiness; x != nil {
		p.Charts["kesiapan"] = bars("TPS menurut tingkat kesiapan / TPS by readiness level", []siaga.SitrepCount{
			{Key: "siap", Name: "Siap", Count: x.Ready}, {Key: "waspada", Name: "Waspada", Count: x.Watch},
			{Key: "rawan", Name: "Rawan", Count: x.AtRisk}, {Key: "ditunda", Name: "Ditunda", Count: x.Postponed}}, sitrepLevelColors)
		p.Links = append(p.Links, sitrepLink{"Peta kesiapan", "/kesiapan/" + code})
	}
	if x := rep.Logistics; x != nil {
		p.Charts["logistik"] = bars("TPS menurut kelengkapan logistik / TPS kits by status", x.Kits, nil)
		p.Links = append(p.Links, sitrepLink{"Papan logistik", "/logistik/" + code})
	}
	if x := rep.Incidents; x != nil {
		p.Charts["kategori"] = bars("Insiden menurut kategori / incidents by category", x.ByCategory, nil)
		p.Charts["wilayah"] = bars("Insiden menurut wilayah / incidents by region", x.ByRegion, nil)
		p.Charts["status"] = bars("Insiden menurut status / incidents by status", x.ByStatus, nil)
		p.Links = append(p.Links, sitrepLink{"Insiden", "/insiden/" + code})
	}
	if rep.Alerts != nil {
		p.Links = append(p.Links, sitrepLink{"Peringatan dini", "/peringatan-dini/" + code})
	}
	if rep.OverdueCases != nil {
		p.Links = append(p.Links, sitrepLink{"Perkara Gakkumdu", "/gakkumdu/" + code})
	}
	if rep.OverdueActions != nil {
		p.Links = append(p.Links, sitrepLink{"Rapat koordinasi", "/rapat/" + code})
	}
	if x := rep.Results; x != nil {
		p.Charts["hasil"] = bars(fmt.Sprintf("TPS melapor per pemilihan (dari %d TPS) / TPS reported per contest", x.TPS), x.Progress, nil)
		p.Links = append(p.Links, sitrepLink{"Rekapitulasi", "/wilayah/" + code})
	}
	if h.Sitrep.HasArchive() {
		p.Links = append(p.Links, sitrepLink{"Arsip laporan pagi", "/laporan-situasi/" + code + "/arsip"})
	}
	h.render(w, r, "sitrep", p)
}

// SitrepPDF serves GET /laporan-situasi/{code}/laporan.pdf: the report
// as printed, built on demand.
func (h *Pages) SitrepPDF(w http.ResponseWriter, r *http.Request) {
	rep, ok := h.sitrepBuild(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := h.Sitrep.PDF(&buf, rep); err != nil {
		h.writeError(w, r, err)
		return
	}
	name := "laporan_situasi_" + rep.Region.Code + "_" + rep.At.In(siaga.WIB).Format("20060102_1504")
	writePDF(w, name, buf.Bytes())
}

func writePDF(w http.ResponseWriter, name string, b []byte) {
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", `inline; filename="`+name+`.pdf"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

// SitrepTable returns the handler of /laporan-situasi/{code}/{name}.csv
// or .xlsx.
func (h *Pages) SitrepTable(name string, f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rep, ok := h.sitrepBuild(w, r)
		if !ok {
			return
		}
		t, ok := sitrepTable(rep, name)
		if !ok {
			h.Error(w, r, http.StatusNotFound, "Bagian ini tidak tersedia di server ini.", "This section is not available on this server.")
			return
		}
		h.writeTable(w, r, t, f)
	}
}

// sitrepTable is one of the report's tables, false when its section is
// not available: the page and the downloads both read it.
func sitrepTable(rep *siaga.Sitrep, name string) (table, bool) {
	counts := func(key, what string, rows []siaga.SitrepCount) table {
		return table{Name: "laporan_situasi_" + name + "_" + rep.Region.Code,
			Columns: []column{{Name: key}, {Name: what}, {Name: "jumlah", Number: true}},
			Rows: func(row func([]string) error) error {
				for _, c := range rows {
					if err := row([]string{c.Key, c.Name, strconv.Itoa(c.Count)}); err != nil {
						return err
					}
				}
				return nil
			}}
	}
	switch name {
	case "kesiapan":
		if rep.Readiness == nil {
			return table{}, false
		}
		x := rep.Readiness
		return counts("kode", "tps_rawan_atau_ditunda", append([]siaga.SitrepCount{{Key: rep.Region.Code, Name: rep.Region.Name,
			Count: x.AtRisk + x.Postponed}}, x.Children...)), true
	case "logistik":
		if rep.Logistics == nil {
			return table{}, false
		}
		return counts("status", "nama", rep.Logistics.Kits), true
	case "kategori", "wilayah", "status":
		if rep.Incidents == nil {
			return table{}, false
		}
		rows := map[string][]siaga.SitrepCount{"kategori": rep.Incidents.ByCategory, "wilayah": rep.Incidents.ByRegion,
			"status": rep.Incidents.ByStatus}[name]
		key := map[string]string{"kategori": "kategori", "wilayah": "kode", "status": "status"}[name]
		return counts(key, "nama", rows), true
	}
	return table{}, false
}

type sitrepArchivePage struct {
	basePage
	Region   siaga.Region
	Page     siaga.SitrepPage
	From, To int
	Next     string
	First    string
}

// SitrepArchive serves GET /laporan-situasi/{code}/arsip: the stored
// morning reports, newest first, paged by date (?sebelum=).
func (h *Pages) SitrepArchive(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.sitrepRegion(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	page, err := h.Sitrep.Reports(r.Context(), siaga.SitrepFilter{Region: reg.Code, Before: q.Get("sebelum"), Limit: sitrepArchiveSize})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	p := sitrepArchivePage{basePage: h.base(r, "Arsip laporan situasi "+reg.Name), Region: reg, Page: page}
	p.Nav = "laporan-situasi"
	p.Path = h.Regions.Path(reg.Code)
	p.From, _ = strconv.Atoi(q.Get("dari"))
	p.From = max(p.From, 1)
	p.To = p.From + len(page.Items) - 1
	base := "/laporan-situasi/" + reg.Code + "/arsip"
	if page.Next != "" {
		p.Next = base + "?" + url.Values{"sebelum": {page.Next}, "dari": {strconv.Itoa(p.To + 1)}}.Encode()
	}
	if q.Get("sebelum") != "" {
		p.First = base
	}
	h.render(w, r, "sitrep_archive", p)
}

// SitrepArchivePDF serves GET /laporan-situasi/{code}/arsip/{date}: that
// morning's PDF as it was stored.
func (h *Pages) SitrepArchivePDF(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.sitrepRegion(w, r)
	if !ok {
		return
	}
	date := r.PathValue("date")
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Tanggal harus berbentuk tttt-bb-hh.", "The date must be yyyy-mm-dd.")
		return
	}
	rep, err := h.Sitrep.Report(r.Context(), reg.Code, date)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writePDF(w, "laporan_situasi_"+reg.Code+"_"+date, rep.PDF)
}
