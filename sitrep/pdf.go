package sitrep

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
)

// The printed report, A4 portrait, for the morning coordination meeting.
// The core fonts know cp1252 only: every text goes through fpdf's
// translator (a character outside it prints as "."), and fpdf escapes what
// a PDF string cannot hold, so an incident titled "<script>" is printed as
// the text it is. Charts are fpdf rectangles; the map projects lat/lon into
// a frame, with the region's outlines when the boundaries are known.

// page geometry, millimetres.
const (
	pdfMargin = 15.0
	pdfWidth  = 180.0 // 210 − 2 margins
	pdfBottom = 280.0 // below this a new page starts
	mapHeight = 110.0
)

// pdfDoc is one report being written, with its translator.
type pdfDoc struct {
	*fpdf.Fpdf
	tr func(string) string
}

// colours of the charts and the map, RGB.
var (
	colBar      = [3]int{52, 101, 164}
	colIncident = [3]int{204, 0, 0}
	colSevere   = [3]int{120, 0, 90}
	colAlert    = [3]int{245, 121, 0}
	colTPS      = [3]int{115, 115, 115}
	colOutline  = [3]int{150, 150, 150}
	levelColour = map[string][3]int{"siap": {78, 154, 6}, "waspada": {237, 212, 0}, "rawan": {204, 0, 0}, "ditunda": {92, 53, 102}}
)

// PDF writes rep as the printed report.
func (s *Service) PDF(w io.Writer, rep *siaga.Sitrep) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, 297-pdfBottom)
	title := "LAPORAN SITUASI DESK PEMILU " + RegionTitle(rep.Region)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Siaga", true)
	// The report's own moment, not the clock: the same snapshot prints the
	// same file.
	pdf.SetCreationDate(rep.At)
	pdf.SetModificationDate(rep.At)
	d := &pdfDoc{Fpdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	d.SetFooterFunc(func() {
		d.SetY(-12)
		d.SetFont("Helvetica", "", 7.5)
		d.CellFormat(0, 4, d.tr(fmt.Sprintf("Siaga · %s · per %s · halaman %d", title, When(rep.At), d.PageNo())), "", 0, "C", false, 0, "")
	})
	d.AddPage()
	d.SetFont("Helvetica", "B", 14)
	d.MultiCell(0, 7, d.tr(title), "", "C", false)
	d.SetFont("Helvetica", "", 9)
	d.MultiCell(0, 5, d.tr(fmt.Sprintf("Situation report · per %s · insiden %s s.d. %s", When(rep.At), When(rep.From()), When(rep.At))), "", "C", false)
	d.Ln(2)

	d.readiness(rep)
	d.mapOf(rep, s.outlines(rep))
	d.logistics(rep.Logistics)
	d.incidents(rep.Incidents)
	d.items("Peringatan dini", "Early-warning alerts, open", rep.Alerts)
	d.items("Perkara Gakkumdu", "Gakkumdu cases past a statutory clock", rep.OverdueCases)
	d.items("Tindak lanjut rapat", "Meeting action items past due", rep.OverdueActions)
	if rep.Results != nil {
		d.results(rep.Results)
	}
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}

// When prints a time in WIB: "14 Februari 2024 06.00 WIB".
func When(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(siaga.WIB)
	return fmt.Sprintf("%d %s %d %02d.%02d WIB", t.Day(), months[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

// whenShort prints a time in WIB for a table's cell: "14/02 06.00".
func whenShort(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(siaga.WIB).Format("02/01 15.04")
}

var months = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// heading starts a section, on a new page when little room is left.
func (d *pdfDoc) heading(id, en string) {
	if d.GetY() > pdfBottom-30 {
		d.AddPage()
	}
	d.Ln(2)
	d.SetFont("Helvetica", "B", 12)
	d.SetFillColor(230, 236, 245)
	d.CellFormat(0, 7, d.tr(id+"  ·  "+en), "", 1, "L", true, 0, "")
	d.Ln(1)
}

func (d *pdfDoc) text(s string) {
	d.SetFont("Helvetica", "", 9)
	d.MultiCell(0, 4.6, d.tr(s), "", "L", false)
}

// absent is what a section says when its module does not run here.
func (d *pdfDoc) absent() {
	d.SetFont("Helvetica", "I", 9)
	d.MultiCell(0, 5, d.tr("Belum tersedia / not available di server ini."), "", "L", false)
}

// bars draws a horizontal bar chart of rows, one bar each, scaled to the
// largest; colour picks each bar's colour by key (nil: the default).
func (d *pdfDoc) bars(caption string, rows []siaga.SitrepCount, colour func(key string) [3]int) {
	const label, value, h = 52.0, 14.0, 5.0
	area := pdfWidth - label - value
	most := 0
	for _, r := range rows {
		most = max(most, r.Count)
	}
	if d.GetY()+float64(len(rows))*h+6 > pdfBottom {
		d.AddPage()
	}
	d.SetFont("Helvetica", "B", 8.5)
	d.CellFormat(0, 5, d.tr(caption), "", 1, "L", false, 0, "")
	d.SetFont("Helvetica", "", 8.5)
	for _, r := range rows {
		x, y := d.GetXY()
		d.CellFormat(label, h, d.tr(d.fit(r.Name, label-2)), "", 0, "L", false, 0, "")
		if r.Count > 0 && most > 0 {
			c := colBar
			if colour != nil {
				c = colour(r.Key)
			}
			d.SetFillColor(c[0], c[1], c[2])
			d.Rect(x+label, y+0.8, math.Max(0.6, area*float64(r.Count)/float64(most)), h-1.6, "F")
		}
		d.SetXY(x+label+area, y)
		d.CellFormat(value, h, strconv.Itoa(r.Count), "", 1, "R", false, 0, "")
	}
	d.Ln(1)
}

// table prints a header and rows in columns of the given widths.
func (d *pdfDoc) table(widths []float64, header []string, rows [][]string) {
	const h = 5.5
	row := func(cells []string, bold bool) {
		if d.GetY()+h > pdfBottom {
			d.AddPage()
		}
		style := ""
		if bold {
			style = "B"
			d.SetFillColor(235, 235, 235)
		}
		d.SetFont("Helvetica", style, 8)
		for i, c := range cells {
			d.CellFormat(widths[i], h, d.tr(d.fit(c, widths[i]-2)), "1", 0, "L", bold, 0, "")
		}
		d.Ln(-1)
	}
	row(header, true)
	for _, r := range rows {
		row(r, false)
	}
	d.Ln(1)
}

// fit cuts s to what the width holds, with "..." at the end: a cell keeps
// its row height whatever a title's length.
func (d *pdfDoc) fit(s string, w float64) string {
	if d.GetStringWidth(d.tr(s)) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.GetStringWidth(d.tr(string(r)+"...")) > w {
		r = r[:len(r)-1]
	}
	return string(r) + "..."
}

func (d *pdfDoc) readiness(rep *siaga.Sitrep) {
	d.heading("Kesiapan", "Readiness")
	r := rep.Readiness
	if r == nil {
		d.absent()
		return
	}
	d.bars(fmt.Sprintf("TPS menurut tingkat kesiapan (TPS by readiness level), %d TPS", r.TPS), []siaga.SitrepCount{
		{Key: "siap", Name: "Siap (ready)", Count: r.Ready},
		{Key: "waspada", Name: "Waspada (watch)", Count: r.Watch},
		{Key: "rawan", Name: "Rawan (at risk)", Count: r.AtRisk},
		{Key: "ditunda", Name: "Ditunda (postponed)", Count: r.Postponed},
	}, func(k string) [3]int { return levelColour[k] })
	d.text(fmt.Sprintf("Blank spot (no signal): %d TPS · sinyal lemah (weak): %d · rawan bencana (hazard-prone): %d · "+
		"direlokasi (relocated): %d · ditunda (postponed): %d", r.BlankSpots, r.Weak, r.HazardProne, r.Relocated, r.Postponed))
	if len(r.Children) > 0 {
		d.bars("TPS rawan atau ditunda per wilayah (TPS at risk per region)", r.Children, nil)
	}
}

func (d *pdfDoc) logistics(l *siaga.SitrepLogistics) {
	d.heading("Logistik", "Logistics")
	if l == nil {
		d.absent()
		return
	}
	d.bars(fmt.Sprintf("Kelengkapan logistik TPS (TPS kits by status), %d TPS", l.TPS), l.Kits, nil)
	d.text(fmt.Sprintf("Pengiriman tertahan (held): %d · macet tanpa kabar (stalled): %d", l.Held, l.Stalled))
	if len(l.Legs) > 0 {
		rows := make([][]string, len(l.Legs))
		for i, g := range l.Legs {
			rows[i] = []string{g.Waybill, g.From + " > " + g.To, g.Status, g.Reason, whenShort(g.LastSeen)}
		}
		d.table([]float64{34, 40, 20, 48, 38}, []string{"Surat jalan", "Rute (leg)", "Status", "Alasan (reason)", "Kabar terakhir"}, rows)
	}
}

func (d *pdfDoc) incidents(in *siaga.SitrepIncidents) {
	d.heading("Insiden", "Incidents")
	if in == nil {
		d.absent()
		return
	}
	d.text(fmt.Sprintf("%d insiden dalam periode (incidents in the period; duplikat dihitung sekali, yang ditolak tidak dihitung)", in.Total))
	d.bars("Menurut kategori (by category)", in.ByCategory, nil)
	if len(in.ByRegion) > 0 {
		d.bars("Menurut wilayah (by region)", in.ByRegion, nil)
	}
	d.bars("Menurut status (by status)", in.ByStatus, nil)
	if len(in.Severe) == 0 {
		return
	}
	rows := make([][]string, len(in.Severe))
	for i, x := range in.Severe {
		rows[i] = []string{whenShort(x.OccurredAt), CategoryName(x.Category), string(x.Severity), x.Region, x.Title, StatusName(x.Status)}
	}
	d.SetFont("Helvetica", "B", 8.5)
	d.CellFormat(0, 5, d.tr("Insiden berat terbaru (newest high and critical incidents)"), "", 1, "L", false, 0, "")
	d.table([]float64{32, 24, 14, 26, 64, 20}, []string{"Waktu (WIB)", "Kategori", "Tingkat", "Wilayah", "Judul (title)", "Status"}, rows)
}

func (d *pdfDoc) items(id, en string, l *siaga.SitrepItems) {
	d.heading(id, en)
	if l == nil {
		d.absent()
		return
	}
	if l.Total == 0 {
		d.text("Tidak ada (none).")
		return
	}
	rows := make([][]string, len(l.Items))
	for i, it := range l.Items {
		rows[i] = []string{whenShort(it.At), it.Region, it.Title, it.Detail}
	}
	d.text(fmt.Sprintf("%d dari %d (%d of %d)", len(l.Items), l.Total, len(l.Items), l.Total))
	d.table([]float64{34, 26, 80, 40}, []string{"Waktu (at)", "Wilayah", "Judul (title)", "Keterangan"}, rows)
}

func (d *pdfDoc) results(r *siaga.SitrepResults) {
	d.heading("Hasil", "Results: the count's progress")
	d.bars(fmt.Sprintf("TPS yang sudah melapor per pemilihan (TPS reported per contest), dari %d TPS", r.TPS), r.Progress, nil)
	d.text(fmt.Sprintf("TPS belum melapor (missing): %d", r.Missing))
	if len(r.MissingTPS) > 0 {
		d.text(fmt.Sprintf("%d pertama (first %d): ", len(r.MissingTPS), len(r.MissingTPS)) + joinComma(r.MissingTPS))
	}
}

func joinComma(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

// mapOf draws the map: a frame around the region (its outlines when known,
// else the box of its TPS), the outlines, then the TPS at risk, the
// incidents and the alerts as dots, with a legend.
func (d *pdfDoc) mapOf(rep *siaga.Sitrep, outlines []orb.Ring) {
	d.heading("Peta", "Map: incidents, alerts and TPS at risk")
	box, ok := mapBox(rep, outlines)
	if !ok {
		d.text("Tidak ada titik untuk dipetakan (no point to map).")
		return
	}
	if d.GetY()+mapHeight+8 > pdfBottom {
		d.AddPage()
	}
	x0, y0 := pdfMargin, d.GetY()
	// Equirectangular with the latitude's cosine, so that a kilometre
	// east is as long as a kilometre north; the box is fitted into the
	// frame and centred.
	k := math.Cos((box.Min.Lat() + box.Max.Lat()) / 2 * math.Pi / 180)
	wDeg, hDeg := (box.Max.Lon()-box.Min.Lon())*k, box.Max.Lat()-box.Min.Lat()
	scale := math.Min(pdfWidth/math.Max(wDeg, 1e-6), mapHeight/math.Max(hDeg, 1e-6))
	offX, offY := (pdfWidth-wDeg*scale)/2, (mapHeight-hDeg*scale)/2
	xy := func(lon, lat float64) (float64, float64) {
		return x0 + offX + (lon-box.Min.Lon())*k*scale, y0 + offY + (box.Max.Lat()-lat)*scale
	}
	d.SetDrawColor(0, 0, 0)
	d.Rect(x0, y0, pdfWidth, mapHeight, "D")
	d.ClipRect(x0, y0, pdfWidth, mapHeight, false)
	d.SetDrawColor(colOutline[0], colOutline[1], colOutline[2])
	d.SetLineWidth(0.2)
	for _, ring := range outlines {
		pts := make([]fpdf.PointType, len(ring))
		for i, p := range ring {
			pts[i].X, pts[i].Y = xy(p.Lon(), p.Lat())
		}
		d.Polygon(pts, "D")
	}
	for _, kind := range []string{PointTPS, PointIncident, PointAlert} {
		for _, p := range rep.Points {
			if p.Kind != kind {
				continue
			}
			x, y := xy(p.Lon, p.Lat)
			c, r := pointStyle(p)
			d.SetFillColor(c[0], c[1], c[2])
			d.Circle(x, y, r, "F")
		}
	}
	d.ClipEnd()
	d.SetDrawColor(0, 0, 0)
	d.SetXY(x0, y0+mapHeight+1)
	d.legend()
}

func pointStyle(p siaga.SitrepPoint) ([3]int, float64) {
	switch {
	case p.Kind == PointAlert:
		return colAlert, 2.2
	case p.Kind == PointTPS:
		return colTPS, 0.5
	case p.Severity == string(siaga.SeverityHigh) || p.Severity == string(siaga.SeverityCritical):
		return colSevere, 1.3
	}
	return colIncident, 1.0
}

func (d *pdfDoc) legend() {
	d.SetFont("Helvetica", "", 8)
	for _, l := range []struct {
		c    [3]int
		text string
	}{{colIncident, "insiden (incident)"}, {colSevere, "insiden berat (high, critical)"}, {colAlert, "peringatan dini (alert)"}, {colTPS, "TPS rawan/ditunda (at risk)"}} {
		x, y := d.GetXY()
		d.SetFillColor(l.c[0], l.c[1], l.c[2])
		d.Circle(x+1.5, y+2.5, 1.2, "F")
		d.SetX(x + 4)
		d.CellFormat(40, 5, d.tr(l.text), "", 0, "L", false, 0, "")
	}
	d.Ln(6)
}

// mapBox is the box the map frames: the outlines', else the TPS', else
// the points'.
func mapBox(rep *siaga.Sitrep, outlines []orb.Ring) (orb.Bound, bool) {
	var b orb.Bound
	ok := false
	extend := func(p orb.Point) {
		if !ok {
			b, ok = orb.Bound{Min: p, Max: p}, true
			return
		}
		b = b.Extend(p)
	}
	for _, r := range outlines {
		for _, p := range r {
			extend(p)
		}
	}
	if !ok && rep.Box != nil {
		extend(orb.Point{rep.Box.MinLon, rep.Box.MinLat})
		extend(orb.Point{rep.Box.MaxLon, rep.Box.MaxLat})
	}
	if !ok {
		for _, p := range rep.Points {
			extend(orb.Point{p.Lon, p.Lat})
		}
	}
	if ok {
		// A margin, and room around a single point.
		pad := math.Max(0.01, math.Max(b.Max.Lon()-b.Min.Lon(), b.Max.Lat()-b.Min.Lat())*0.03)
		b = b.Pad(pad)
	}
	return b, ok
}

// outlines are the rings the map draws: the region's child regions (a
// province's kab/kota, a kab/kota's kecamatan), or the region itself.
func (s *Service) outlines(rep *siaga.Sitrep) []orb.Ring {
	if s.cfg.Boundaries == nil {
		return nil
	}
	b, err := s.cfg.Boundaries()
	if err != nil || b == nil {
		return nil
	}
	var rings []orb.Ring
	add := func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Polygon:
			rings = append(rings, g...)
		case orb.MultiPolygon:
			for _, p := range g {
				rings = append(rings, p...)
			}
		}
	}
	for _, c := range s.cfg.Regions.Children(rep.Region.Code) {
		if f, ok := b.Boundary(c.Code); ok {
			add(f.Geometry)
		}
	}
	if rings == nil {
		if f, ok := b.Boundary(rep.Region.Code); ok {
			add(f.Geometry)
		}
	}
	return rings
}
