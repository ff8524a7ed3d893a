package disaster

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// Notice is the printable notice that tells a TPS's voters where they now
// vote (the PDF that KPPS post at the old place and hand out).
type Notice struct {
	TPS       string // the 13-digit code, which does not change
	Number    int
	Desa      string // "Pondok Aren"
	Kecamatan string
	KabKota   string
	Old, New  Place
	// The decision.
	Letter  string
	Decided time.Time
	Decider string
	Office  string
	Reason  string
	// VotingDay and Hours: when to come ("07.00–13.00 WIB").
	VotingDay time.Time
	Hours     string
	// Boundary is the desa's polygon, drawn on the map; nil draws none.
	Boundary orb.Geometry
	// Synthetic, when set, is printed as a warning: a demo's made-up
	// places are never to be taken for real ones.
	Synthetic string
}

// Place is an address and its point.
type Place struct {
	Address  string
	Lat, Lon float64
}

func (p Place) orb() orb.Point { return orb.Point{p.Lon, p.Lat} }

// VotingHours are the hours of voting on the day (PKPU 25/2023: 07.00 to
// 13.00 local time).
const VotingHours = "07.00–13.00"

var bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// tanggal writes a date the Indonesian way: "14 Februari 2024".
func tanggal(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), bulan[t.Month()-1], t.Year())
}

// map box on the page, millimetres (A4 portrait).
const (
	mapX, mapY, mapW, mapH = 15.0, 128.0, 180.0, 145.0
)

// WriteNotice writes n as a one-page A4 PDF: what changed, the decision
// behind it, when to come, and a small map drawn as vectors (the desa's
// boundary, the old and the new place, a scale bar) that prints sharp on
// any printer.
func WriteNotice(w io.Writer, n Notice) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(false, 15)
	pdf.SetTitle("Pemberitahuan pemindahan TPS "+n.TPS, true)
	pdf.SetCreator("Siaga", true)
	pdf.SetCreationDate(n.Decided)
	pdf.SetModificationDate(n.Decided)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 17)
	pdf.CellFormat(0, 9, tr(fmt.Sprintf("PEMBERITAHUAN PEMINDAHAN TPS %03d", n.Number)), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 5, tr("Notice to voters: your polling station (TPS) has moved"), "", 1, "C", false, 0, "")
	pdf.Ln(3)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(0, 6, tr(fmt.Sprintf("TPS %03d  ·  kode %s", n.Number, n.TPS)), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 5, tr(fmt.Sprintf("Desa/Kelurahan %s, Kecamatan %s, %s", n.Desa, n.Kecamatan, n.KabKota)), "", 1, "L", false, 0, "")
	pdf.Ln(3)

	row := func(label, value string, bold bool) {
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(52, 6, tr(label), "", 0, "L", false, 0, "")
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 11)
		pdf.MultiCell(0, 6, tr(value), "", "L", false)
	}
	row("Tempat lama (old place)", n.Old.Address, false)
	row("Tempat baru (new place)", n.New.Address, true)
	row("Hari pemungutan suara", tanggal(n.VotingDay)+", pukul "+n.Hours, true)
	row("Alasan (reason)", n.Reason, false)
	row("Keputusan (decision)", fmt.Sprintf("Surat %s nomor %s tanggal %s", n.Office, n.Letter, tanggal(n.Decided)), false)
	row("Ditetapkan oleh (by)", n.Decider, false)
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(0, 4.5, tr("Kode TPS Anda tidak berubah; bawa KTP-el dan surat pemberitahuan (C.Pemberitahuan). "+
		"Your TPS code stays the same; bring your e-KTP and your C.Pemberitahuan."), "", "L", false)
	if n.Synthetic != "" {
		pdf.SetTextColor(180, 0, 0)
		pdf.SetFont("Helvetica", "B", 9)
		pdf.MultiCell(0, 4.5, tr(n.Synthetic), "", "L", false)
		pdf.SetTextColor(0, 0, 0)
	}
	drawMap(pdf, tr, n)
	pdf.SetFont("Helvetica", "", 8)
	pdf.SetXY(15, 280)
	pdf.CellFormat(0, 4, tr("Dicetak dari Siaga. Peta: batas desa github.com/cahyadsn/wilayah_boundaries (bukan batas resmi)."), "", 1, "L", false, 0, "")
	return pdf.Output(w)
}

// drawMap draws the desa and both places in the map box on a local flat
// projection (equirectangular around the places: exact enough across a
// desa), north up, with a scale bar.
func drawMap(pdf *fpdf.Fpdf, tr func(string) string, n Notice) {
	b := orb.Bound{Min: n.Old.orb(), Max: n.Old.orb()}.Extend(n.New.orb())
	if n.Boundary != nil {
		b = b.Union(n.Boundary.Bound())
	}
	centre := b.Center()
	kx := math.Cos(centre[1] * math.Pi / 180) // a degree of longitude is shorter
	w, h := math.Max((b.Max[0]-b.Min[0])*kx, 1e-4), math.Max(b.Max[1]-b.Min[1], 1e-4)
	scale := math.Min((mapW-16)/w, (mapH-16)/h) // mm per degree of latitude
	at := func(p orb.Point) (float64, float64) {
		return mapX + mapW/2 + (p[0]-centre[0])*kx*scale, mapY + mapH/2 - (p[1]-centre[1])*scale
	}

	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.3)
	pdf.Rect(mapX, mapY, mapW, mapH, "D")
	if n.Boundary != nil {
		pdf.SetDrawColor(90, 90, 90)
		pdf.SetFillColor(238, 238, 230)
		pdf.SetLineWidth(0.4)
		for _, ring := range rings(n.Boundary) {
			pts := make([]fpdf.PointType, len(ring))
			for i, p := range ring {
				pts[i].X, pts[i].Y = at(p)
			}
			pdf.Polygon(pts, "FD")
		}
	}
	ox, oy := at(n.Old.orb())
	nx, ny := at(n.New.orb())
	pdf.SetDrawColor(60, 60, 60)
	pdf.SetLineWidth(0.5)
	pdf.SetDashPattern([]float64{2, 1.5}, 0)
	pdf.Line(ox, oy, nx, ny)
	pdf.SetDashPattern(nil, 0)
	// The old place: a red cross; the new: a green disc.
	pdf.SetDrawColor(200, 0, 0)
	pdf.SetLineWidth(0.8)
	pdf.Line(ox-2.5, oy-2.5, ox+2.5, oy+2.5)
	pdf.Line(ox-2.5, oy+2.5, ox+2.5, oy-2.5)
	pdf.SetFillColor(0, 140, 60)
	pdf.SetDrawColor(0, 90, 40)
	pdf.Circle(nx, ny, 2.5, "FD")
	pdf.SetFont("Helvetica", "B", 9)
	pdf.SetTextColor(200, 0, 0)
	pdf.Text(ox+3.5, oy-1, tr("Lama"))
	pdf.SetTextColor(0, 110, 50)
	pdf.Text(nx+3.5, ny-1, tr("Baru"))
	pdf.SetTextColor(0, 0, 0)

	// A scale bar of a round length near a quarter of the map's width.
	metresPerMM := geo.EarthRadius * math.Pi / 180 / scale
	length := roundLength(metresPerMM * mapW / 4)
	bar := length / metresPerMM
	x0, y0 := mapX+6, mapY+mapH-6
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.6)
	pdf.Line(x0, y0, x0+bar, y0)
	pdf.Line(x0, y0-1.5, x0, y0)
	pdf.Line(x0+bar, y0-1.5, x0+bar, y0)
	pdf.SetFont("Helvetica", "", 8)
	pdf.Text(x0, y0-2.5, tr(lengthText(length)))
	// North.
	pdf.SetFont("Helvetica", "B", 10)
	pdf.Text(mapX+mapW-8, mapY+8, "U")
	pdf.Line(mapX+mapW-6.7, mapY+9.5, mapX+mapW-6.7, mapY+16)
}

// rings are the outer rings and holes of a polygon or multipolygon; holes
// are drawn over in the same colour, which reads well enough on a notice.
func rings(g orb.Geometry) []orb.Ring {
	var out []orb.Ring
	switch g := g.(type) {
	case orb.Polygon:
		out = append(out, g...)
	case orb.MultiPolygon:
		for _, p := range g {
			out = append(out, p...)
		}
	case orb.Collection:
		for _, m := range g {
			out = append(out, rings(m)...)
		}
	}
	return out
}

// roundLength is the largest of 1, 2, 5 × 10^k metres not above m.
func roundLength(m float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(math.Max(m, 1))))
	for _, k := range []float64{5, 2, 1} {
		if k*p <= m {
			return k * p
		}
	}
	return p
}

func lengthText(m float64) string {
	if m >= 1000 {
		return fmt.Sprintf("%g km", m/1000)
	}
	return fmt.Sprintf("%g m", m)
}

// Notice builds the notice of the latest relocation of a TPS: names come
// from name (a region's name by code), the voting day from the election.
// ENotFound when the TPS was never relocated.
func (s *Service) Notice(ctx context.Context, code string, name func(string) string, el *siaga.Election) (Notice, error) {
	_, t, err := s.point(code)
	if err != nil {
		return Notice{}, err
	}
	rs, err := s.cfg.Store.Relocations(ctx, code)
	if err != nil {
		return Notice{}, err
	}
	if len(rs) == 0 {
		return Notice{}, siaga.Errorf(siaga.ENotFound, "tps", "TPS %s tidak pernah dipindahkan", "TPS %s was never relocated", code)
	}
	r := rs[len(rs)-1]
	n := Notice{TPS: t.Code, Number: t.Number, Desa: name(t.Desa), Kecamatan: name(t.Desa[:6]), KabKota: name(t.Desa[:4]),
		Old:    Place{Address: cmp.Or(r.FromAddress, "(alamat lama tidak tercatat)"), Lat: r.FromLat, Lon: r.FromLon},
		New:    Place{Address: r.ToAddress, Lat: r.ToLat, Lon: r.ToLon},
		Letter: r.Letter, Decided: r.Decided, Decider: r.Decider, Office: r.DeciderOffice, Reason: r.Reason,
		Hours: VotingHours + " waktu setempat"}
	if el != nil {
		n.VotingDay, _ = time.Parse(time.DateOnly, el.Date)
	}
	if regions, err := s.boundaries(); err == nil && regions != nil {
		if f, ok := regions.Boundary(t.Desa); ok {
			n.Boundary = f.Geometry
		}
	}
	if s.synthetic(ctx, t, r) {
		n.Synthetic = "CONTOH — tempat dalam pemberitahuan ini sintetis, bukan tempat sebenarnya (SYNTHETIC: not real places)"
	}
	return n, nil
}

// synthetic reports whether the relocation starts from a made-up point:
// the registry's seeded one or a generated location.
func (s *Service) synthetic(ctx context.Context, t siaga.TPS, r siaga.Relocation) bool {
	if r.FromLat == t.Lat && r.FromLon == t.Lon {
		return true
	}
	hist, err := s.cfg.Store.TPSLocationHistory(ctx, t.Code)
	if err != nil {
		return false
	}
	for _, l := range hist {
		if l.Synthetic() && l.Lat == r.FromLat && l.Lon == r.FromLon {
			return true
		}
	}
	return false
}
