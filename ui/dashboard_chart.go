package ui

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// chart is the progress-over-time chart, drawn on the server as SVG so it
// shows without JavaScript; live pages fetch it again as grafik.svg.
type chart struct {
	W, H         int
	Left, Bottom int
	Line, Area   string
	YTicks       []tick
	XTicks       []tick
	Empty        bool
	Caption      string
}

type tick struct {
	Pos   float64
	Label string
}

const (
	chartW, chartH           = 640, 200
	chartLeft, chartRight    = 44, 12
	chartTop, chartBottomPad = 10, 26
)

// regionChart draws the progress of the page's contest and extends it to
// now, so a quiet hour shows as a flat line rather than a chart that stops
// when the last TPS reported. The engine keeps the presidential count down
// to kecamatan, the other contests down to kab/kota.
func (h *Pages) regionChart(c siaga.Contest, reg siaga.Region) chart {
	t := h.tally(c, reg)
	deepest := siaga.LevelKabKota
	if c == siaga.PPWP {
		deepest = siaga.LevelKecamatan
	}
	if reg.Level > deepest {
		ch := drawChart(nil, 0)
		ch.Caption = "Grafik waktu " + contestNames[c] + " tersedia sampai tingkat " + deepest.String() + "; lihat tabel di bawah. / Chart kept down to " + deepest.String() + " level."
		return ch
	}
	pts := h.Results.Series(c, reg.Code)
	if len(pts) > 0 {
		pts = append(pts, siaga.ProgressPoint{At: h.now(), Reported: t.TPSReported})
	}
	return drawChart(pts, t.TPSTotal)
}

func (h *Pages) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func drawChart(pts []siaga.ProgressPoint, total int) chart {
	c := chart{W: chartW, H: chartH, Left: chartLeft, Bottom: chartH - chartBottomPad}
	plotW := float64(chartW - chartLeft - chartRight)
	plotH := float64(c.Bottom - chartTop)
	for _, f := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.YTicks = append(c.YTicks, tick{Pos: float64(c.Bottom) - f*plotH, Label: strconv.Itoa(int(f*100)) + "%"})
	}
	if len(pts) == 0 || total <= 0 {
		c.Empty, c.Caption = true, "Belum ada TPS yang melapor."
		return c
	}
	t0, t1 := pts[0].At, pts[len(pts)-1].At
	span := t1.Sub(t0).Seconds()
	x := func(i int) float64 {
		if span <= 0 {
			return float64(chartLeft) + plotW*float64(i)/float64(max(len(pts)-1, 1))
		}
		return float64(chartLeft) + plotW*pts[i].At.Sub(t0).Seconds()/span
	}
	y := func(i int) float64 {
		return float64(c.Bottom) - plotH*min(float64(pts[i].Reported)/float64(total), 1)
	}
	var line bytes.Buffer
	for i := range pts {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		line.WriteString(cmd + coord(x(i)) + "," + coord(y(i)) + " ")
	}
	c.Line = strings.TrimSpace(line.String())
	c.Area = c.Line + " L" + coord(x(len(pts)-1)) + "," + strconv.Itoa(c.Bottom) + " L" + coord(x(0)) + "," + strconv.Itoa(c.Bottom) + " Z"
	c.XTicks = []tick{{Pos: float64(chartLeft), Label: fmtClock(t0)}}
	if span > 0 {
		c.XTicks = append(c.XTicks, tick{Pos: float64(chartW - chartRight), Label: fmtClock(t1)})
	}
	last := pts[len(pts)-1].Reported
	c.Caption = numID(last) + " dari " + numID(total) + " TPS (" + pctID(shareOf(int64(last), int64(total))) + ") pukul " + fmtClock(t1)
	return c
}

func coord(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// ChartSVG serves GET /wilayah/{code}/grafik.svg for live pages.
func (h *Pages) ChartSVG(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.Regions.Region(r.PathValue("code"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	var buf bytes.Buffer
	if err := h.pages.byName["region"].ExecuteTemplate(&buf, "chart", h.regionChart(contestParam(r), reg)); err != nil {
		h.dashLog().Error("rendering chart", "region", reg.Code, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
