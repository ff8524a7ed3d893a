package ui

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
)

// The notice to a relocated TPS's voters, as a page that prints on one A4
// sheet (/tps/{code}/pemberitahuan) and as the PDF KPPS post and hand out
// (/tps/{code}/pemberitahuan.pdf, disaster.WriteNotice). Both are public:
// they are for the voters, and say what the decision says. The page's
// map is an SVG drawn here, from the desa's boundary and the two places,
// because a tiled map prints unreliably and not at all offline.

type noticePage struct {
	basePage
	Notice    disaster.Notice
	Number    string
	VotingDay string
	Decided   string
	Map       noticeMap
	PDF       string
}

// noticeMap is the SVG's content in its own coordinates.
type noticeMap struct {
	W, H       int
	Boundary   string // path data of the desa's rings
	OldX, OldY float64
	NewX, NewY float64
	// The scale bar: its length on the map and in words.
	BarX, BarY, BarW float64
	BarText          string
	Drawn            bool // false when the two places coincide and no boundary is known
}

// Notice is the voters' notice of the latest relocation of the path's TPS.
func (h *Pages) notice(r *http.Request) (disaster.Notice, error) {
	return h.Disaster.Notice(r.Context(), r.PathValue("code"), h.regionName, h.Election)
}

// NoticePage serves GET /tps/{code}/pemberitahuan.
func (h *Pages) NoticePage(w http.ResponseWriter, r *http.Request) {
	if h.disasterOff(w, r) {
		return
	}
	n, err := h.notice(r)
	if err != nil {
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), errorText(err, false), errorText(err, true))
		return
	}
	p := noticePage{basePage: h.base(r, "Pemberitahuan pemindahan TPS "+tpsNumber(n.Number)), Notice: n, Number: tpsNumber(n.Number),
		Decided: tanggal(n.Decided), Map: drawNoticeMap(n, 640, 380), PDF: "/tps/" + n.TPS + "/pemberitahuan.pdf"}
	if !n.VotingDay.IsZero() {
		p.VotingDay = hariTanggal(n)
	}
	p.Nav = "bencana"
	h.render(w, r, "pemberitahuan", p)
}

// NoticePDF serves GET /tps/{code}/pemberitahuan.pdf and, for callers of
// the API, GET /api/v1/relocation/{code}/notice.pdf.
func (h *Pages) NoticePDF(w http.ResponseWriter, r *http.Request) {
	if h.Disaster == nil {
		h.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Modul bencana tidak aktif", "the disaster module is off"))
		return
	}
	n, err := h.notice(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := disaster.WriteNotice(&buf, n); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="pemindahan-tps-`+n.TPS+`.pdf"`)
	_, _ = w.Write(buf.Bytes())
}

var bulanNames = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

var hariNames = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

// tanggal writes a date the Indonesian way: "14 Februari 2024".
func tanggal(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), bulanNames[t.Month()-1], t.Year())
}

// hariTanggal is the voting day with its weekday: "Rabu, 14 Februari 2024".
func hariTanggal(n disaster.Notice) string {
	d := n.VotingDay
	return fmt.Sprintf("%s, %d %s %d", hariNames[d.Weekday()], d.Day(), bulanNames[d.Month()-1], d.Year())
}

// drawNoticeMap projects the desa's boundary and the two places into a
// w×h box (equirectangular about the middle latitude: a desa is a few
// kilometres across, where that is exact enough to walk by), with a
// scale bar of a round length.
func drawNoticeMap(n disaster.Notice, w, h int) noticeMap {
	m := noticeMap{W: w, H: h}
	b := orb.Bound{Min: lonLat(n.Old), Max: lonLat(n.Old)}.Extend(lonLat(n.New))
	if n.Boundary != nil {
		b = b.Union(n.Boundary.Bound())
	}
	if b.Min == b.Max {
		return m
	}
	m.Drawn = true
	midLat := (b.Min[1] + b.Max[1]) / 2
	k := math.Cos(midLat * math.Pi / 180)
	spanX, spanY := (b.Max[0]-b.Min[0])*k, b.Max[1]-b.Min[1]
	const pad = 24.0
	scale := math.Min((float64(w)-2*pad)/math.Max(spanX, 1e-9), (float64(h)-2*pad-24)/math.Max(spanY, 1e-9))
	xy := func(p orb.Point) (float64, float64) {
		x := pad + (p[0]-b.Min[0])*k*scale + ((float64(w)-2*pad)-spanX*scale)/2
		y := pad + (b.Max[1]-p[1])*scale
		return math.Round(x*10) / 10, math.Round(y*10) / 10
	}
	if n.Boundary != nil {
		var sb strings.Builder
		for _, ring := range noticeRings(n.Boundary) {
			for i, p := range ring {
				x, y := xy(p)
				if i == 0 {
					fmt.Fprintf(&sb, "M%g %g", x, y)
				} else {
					fmt.Fprintf(&sb, "L%g %g", x, y)
				}
			}
			sb.WriteString("Z")
		}
		m.Boundary = sb.String()
	}
	m.OldX, m.OldY = xy(lonLat(n.Old))
	m.NewX, m.NewY = xy(lonLat(n.New))
	// Metres per SVG unit: a degree of latitude is 111,320 m.
	perUnit := 111_320 / scale
	length := niceLength(perUnit * float64(w) / 4)
	m.BarW = math.Round(length/perUnit*10) / 10
	m.BarX, m.BarY = pad, float64(h)-pad/2
	if length >= 1000 {
		m.BarText = fmt.Sprintf("%g km", length/1000)
	} else {
		m.BarText = fmt.Sprintf("%g m", length)
	}
	return m
}

func lonLat(p disaster.Place) orb.Point { return orb.Point{p.Lon, p.Lat} }

// niceLength is the largest 1, 2 or 5 × 10ⁿ metres not above m.
func niceLength(m float64) float64 {
	if m <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(m)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= m {
			return f * p
		}
	}
	return p
}

// noticeRings are the rings of a polygon or multipolygon.
func noticeRings(g orb.Geometry) []orb.Ring {
	switch g := g.(type) {
	case orb.Polygon:
		return g
	case orb.MultiPolygon:
		var out []orb.Ring
		for _, p := range g {
			out = append(out, p...)
		}
		return out
	}
	return nil
}
