package ui

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

// The signal pages (package connectivity): a region's classes, their
// history, its child regions and its TPS for everyone (/sinyal/{code});
// the surveys with their surveyors for the staff in scope; the TPS page's
// "Sinyal" block. Interventions and planning have their own files.

// Connectivity is the signal picture of the TPS as the pages read and
// change it (connectivity.Service).
type Connectivity interface {
	Summary(region string) connectivity.Summary
	Classes(region string) connectivity.Classes
	TPSStatus(code string) (connectivity.TPSStatus, bool)
	TPSList(q connectivity.TPSQuery) connectivity.TPSPage
	Interventions(region string) []connectivity.InterventionView
	InterventionList(q connectivity.InterventionQuery) (connectivity.InterventionPage, error)
	Surveys(ctx context.Context, f siaga.SurveyFilter) (siaga.SurveyPage, error)
	AddSurveys(ctx context.Context, ss []siaga.Survey, by string) error
	AddIntervention(ctx context.Context, iv *siaga.Intervention, by string) error
	SetInterventionStatus(ctx context.Context, id int64, status, note, by string) (siaga.Intervention, error)
	Plan(ctx context.Context, q connectivity.PlanRequest) (connectivity.Plan, error)
	RecordPlan(ctx context.Context, q connectivity.PlanRequest, owner string, due time.Time, by string) (connectivity.Plan, []siaga.Intervention, error)
}

const (
	connPageSize = 100
	// connExportPage is how many rows an export asks for at a time.
	connExportPage = 1000
)

// signalNames are the effective classes in the desk's words; titik is a
// blank TPS with a mapped point to walk to.
var signalNames = map[string]string{
	string(siaga.SignalGood):        "baik",
	string(siaga.SignalWeak):        "lemah",
	string(siaga.BlankSpot):         "blank spot",
	string(connectivity.ClassTitik): "blank, ada titik sinyal",
	connectivity.ClassUnknown:       "belum disurvei",
	"":                              "belum disurvei",
}

// signalName names a class (surveyed or effective).
func signalName(c any) string {
	var s string
	switch v := c.(type) {
	case siaga.Connectivity:
		s = string(v)
	case string:
		s = v
	}
	return named(signalNames, s)
}

// signalFilter lists the classes a TPS list filters on, in order.
var signalFilter = []string{string(siaga.BlankSpot), string(connectivity.ClassTitik), string(siaga.SignalWeak),
	string(siaga.SignalGood), connectivity.ClassUnknown}

var interventionKindNames = map[string]string{
	siaga.InterventionBooster: "booster",
	siaga.InterventionVSAT:    "VSAT",
	siaga.InterventionCOW:     "BTS bergerak (COW)",
	siaga.InterventionWalk:    "titik sinyal",
}

func interventionKindName(k string) string { return named(interventionKindNames, k) }

var interventionStatusNames = map[string]string{
	siaga.InterventionPlanned:   "direncanakan",
	siaga.InterventionInstalled: "terpasang",
	siaga.InterventionTested:    "teruji",
	siaga.InterventionRemoved:   "dilepas",
}

func interventionStatusName(s string) string { return named(interventionStatusNames, s) }

// rupiah writes an amount as "Rp 15.000.000".
func rupiah(v any) string {
	switch x := v.(type) {
	case int64:
		return "Rp " + FormatCount(x)
	case float64:
		return "Rp " + FormatCount(int64(x))
	case int:
		return "Rp " + FormatCount(int64(x))
	}
	return ""
}

// roundCell writes f rounded to 1/scale without trailing zeros, as a
// spreadsheet shows the same number (coordinates to the micro-degree,
// radii to the decimetre: a spreadsheet keeps 15 digits).
func roundCell(f, scale float64) string {
	return strconv.FormatFloat(math.Round(f*scale)/scale, 'f', -1, 64)
}

// optNumber writes an optional measurement, "—" when not taken.
func optNumber(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// connAccess is what the viewer may do with a region's signal data.
type connAccess struct {
	Read   bool // surveys (surveyors' names) and interventions
	Change bool // record surveys and interventions, plan
}

func (h *Pages) connAccess(u *siaga.User, code string) connAccess {
	if u == nil || !siaga.InScope(u.Scope, code) {
		return connAccess{}
	}
	return connAccess{Read: slices.Contains(h.Roles.ConnRead, u.Role), Change: slices.Contains(h.Roles.Conn, u.Role)}
}

// connRegion finds the region of the path, or answers 404; a TPS code
// goes to the TPS page's signal block.
func (h *Pages) connRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, bool) {
	if h.Connectivity == nil {
		h.Error(w, r, http.StatusNotFound, "Data sinyal tidak tersedia di server ini.", "Signal data is not available on this server.")
		return siaga.Region{}, false
	}
	return h.pathRegion(w, r)
}

type connectivityPage struct {
	basePage
	Region   siaga.Region
	Summary  connectivity.Summary
	Chart    signalChart
	History  []connectivity.HistoryPoint // newest first
	Children []connChild
	Rows     []connectivity.TPSRow
	Class    string
	Filter   []string
	Total    int
	From, To int
	Next     string
	Prev     string
	CSV      string
	XLSX     string
	Access   connAccess
	Surveys  int // for staff: how many surveys the region has
}

type connChild struct {
	Region  siaga.Region
	Classes connectivity.Classes
}

// ConnectivityPage serves GET /sinyal/{code}?kelas=&kursor=&kembali=: the
// region's signal classes (surveyed, effective, the synthetic estimate),
// their history, its child regions and a page of its TPS. Public; staff
// in scope see links to the surveys, the form and the interventions.
func (h *Pages) ConnectivityPage(w http.ResponseWriter, r *http.Request) {
	if h.Connectivity != nil {
		if t, ok := h.Regions.TPS(r.PathValue("code")); ok {
			http.Redirect(w, r, "/tps/"+t.Code+"#sinyal", http.StatusFound)
			return
		}
	}
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	p := connectivityPage{basePage: h.base(r, "Sinyal — "+reg.Name), Region: reg, Filter: signalFilter}
	p.Nav, p.Path = "sinyal", h.Regions.Path(reg.Code)
	p.Summary = h.Connectivity.Summary(reg.Code)
	p.Chart = drawSignalChart(p.Summary.History, p.Summary.TPS)
	for i := len(p.Summary.History) - 1; i >= 0; i-- {
		p.History = append(p.History, p.Summary.History[i])
	}
	for _, c := range h.Regions.Children(reg.Code) {
		p.Children = append(p.Children, connChild{Region: c, Classes: h.Connectivity.Classes(c.Code)})
	}
	p.Class = v.Get("kelas")
	if p.Class != "" && !slices.Contains(signalFilter, p.Class) {
		h.Error(w, r, http.StatusBadRequest, "Kelas sinyal tidak dikenal: "+p.Class+".", "Unknown signal class: "+p.Class+".")
		return
	}
	page := h.Connectivity.TPSList(connectivity.TPSQuery{Region: reg.Code, Class: p.Class, After: v.Get("kursor"), Limit: connPageSize})
	p.Rows, p.Total = page.Items, page.Total
	filter := url.Values{}
	if p.Class != "" {
		filter.Set("kelas", p.Class)
	}
	trail := splitTrail(v.Get("kembali"))
	p.From, p.To = pageSpan(len(trail), connPageSize, len(p.Rows))
	_, p.Next, p.Prev = pageLinks("/sinyal/"+reg.Code, filter, v.Get("kursor"), page.Next, trail)
	p.CSV, p.XLSX = "/sinyal/"+reg.Code+"/tps.csv?"+filter.Encode(), "/sinyal/"+reg.Code+"/tps.xlsx?"+filter.Encode()
	p.Access = h.connAccess(h.account(r), reg.Code)
	if p.Access.Read {
		if sp, err := h.Connectivity.Surveys(r.Context(), siaga.SurveyFilter{Region: reg.Code, Limit: 1}); err == nil {
			p.Surveys = sp.Total
		}
	}
	h.render(w, r, "connectivity", p)
}

// pageSpan is the 1-based rows a page shows: pages before it of size,
// and n rows on it.
func pageSpan(before, size, n int) (from, to int) {
	if n == 0 {
		return 0, 0
	}
	from = before*size + 1
	return from, from + n - 1
}

var connTPSColumns = []column{{Name: "tps"}, {Name: "desa"}, {Name: "kelas_survei"}, {Name: "kelas_efektif"},
	{Name: "perkiraan_sintetis"}, {Name: "operator_terbaik"}, {Name: "survei_terakhir"}, {Name: "intervensi"}}

func connTPSCells(row connectivity.TPSRow) []string {
	var ivs []string
	for _, iv := range row.Interventions {
		ivs = append(ivs, iv.Kind+"#"+strconv.FormatInt(iv.ID, 10)+":"+iv.Status)
	}
	last := ""
	if !row.LastSurvey.IsZero() {
		last = row.LastSurvey.In(siaga.WIB).Format("2006-01-02 15:04")
	}
	return []string{row.TPS, row.Desa, string(row.Class), string(row.Effective), string(row.Estimate), row.Operator, last,
		strings.Join(ivs, " ")}
}

// connTPSTable is every TPS of the region of class ("" any), as the
// page's list shows them: public (no surveyor).
func (h *Pages) connTPSTable(region, class string) table {
	return table{Name: "siaga-sinyal-tps-" + region, Columns: connTPSColumns, Rows: func(row func([]string) error) error {
		q := connectivity.TPSQuery{Region: region, Class: class, Limit: connExportPage}
		for {
			page := h.Connectivity.TPSList(q)
			for _, r := range page.Items {
				if err := row(connTPSCells(r)); err != nil {
					return err
				}
			}
			if page.Next == "" {
				return nil
			}
			q.After = page.Next
		}
	}}
}

// ConnectivityTPSExport serves GET /sinyal/{code}/tps.csv|xlsx?kelas=:
// the page's TPS list, whole.
func (h *Pages) ConnectivityTPSExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.connRegion(w, r)
		if !ok {
			return
		}
		class := r.URL.Query().Get("kelas")
		if class != "" && !slices.Contains(signalFilter, class) {
			h.writeError(w, r, siaga.Errorf(siaga.EInvalid, "kelas", "kelas sinyal %q tidak dikenal", "unknown signal class %q", class))
			return
		}
		h.writeTable(w, r, h.connTPSTable(reg.Code, class), f)
	}
}

// ConnectivityHistoryExport serves GET /sinyal/{code}/riwayat.csv|xlsx:
// the page's history table, a row per day on which surveys were measured
// with the classes after it and that day's surveys by source.
func (h *Pages) ConnectivityHistoryExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.connRegion(w, r)
		if !ok {
			return
		}
		h.writeTable(w, r, historyTable(reg.Code, h.Connectivity.Summary(reg.Code).History), f)
	}
}

var historyColumns = []column{{Name: "tanggal"}, {Name: "blank_spot", Number: true}, {Name: "titik_sinyal", Number: true},
	{Name: "lemah", Number: true}, {Name: "baik", Number: true}, {Name: "belum_disurvei", Number: true},
	{Name: "survei_lapangan", Number: true}, {Name: "survei_web", Number: true}, {Name: "survei_impor", Number: true},
	{Name: "survei_demo", Number: true}}

// historyTable is a region's signal history, oldest day first.
func historyTable(region string, hist []connectivity.HistoryPoint) table {
	return table{Name: "siaga-sinyal-riwayat-" + region, Columns: historyColumns, Rows: func(row func([]string) error) error {
		for _, p := range hist {
			c := p.Counts
			cells := []string{p.Date, strconv.Itoa(c.Blank), strconv.Itoa(c.Titik), strconv.Itoa(c.Weak), strconv.Itoa(c.Good), strconv.Itoa(c.Unknown)}
			for _, src := range []string{siaga.SurveyField, siaga.SurveyWeb, siaga.SurveyImport, siaga.SurveyDemo} {
				cells = append(cells, strconv.Itoa(p.Surveys[src]))
			}
			if err := row(cells); err != nil {
				return err
			}
		}
		return nil
	}}
}

// surveysPage is the staff's list of a region's surveys, with surveyors.
type surveysPage struct {
	basePage
	Region   siaga.Region
	Source   string
	Sources  []string
	Rows     []siaga.Survey
	Total    int
	From, To int
	Next     string
	Prev     string
	CSV      string
	XLSX     string
	Access   connAccess
}

var surveySources = []string{siaga.SurveyField, siaga.SurveyWeb, siaga.SurveyImport, siaga.SurveyDemo}

// SurveysPage serves GET /sinyal/{code}/survei?sumber=&kursor=&kembali=
// (staff in scope): the surveys of the region, by ID, with who took each.
func (h *Pages) SurveysPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	f := siaga.SurveyFilter{Region: reg.Code, Source: v.Get("sumber"), Limit: connPageSize}
	if f.Source != "" && !slices.Contains(surveySources, f.Source) {
		h.Error(w, r, http.StatusBadRequest, "Sumber survei tidak dikenal.", "Unknown survey source.")
		return
	}
	cursor := v.Get("kursor")
	if cursor != "" {
		var err error
		if f.After, err = strconv.ParseInt(cursor, 10, 64); err != nil || f.After < 0 {
			h.Error(w, r, http.StatusBadRequest, "Kursor tidak sah.", "Invalid cursor.")
			return
		}
	}
	page, err := h.Connectivity.Surveys(r.Context(), f)
	if err != nil {
		h.dashLog().Error("surveys", "region", reg.Code, "err", err)
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Survei tidak dapat dimuat.", "The surveys could not be loaded.")
		return
	}
	p := surveysPage{basePage: h.base(r, "Survei sinyal — "+reg.Name), Region: reg, Source: f.Source, Sources: surveySources,
		Rows: page.Items, Total: page.Total}
	p.Nav, p.Path = "sinyal", h.Regions.Path(reg.Code)
	p.Access = h.connAccess(h.account(r), reg.Code)
	filter := url.Values{}
	if f.Source != "" {
		filter.Set("sumber", f.Source)
	}
	next := ""
	if n := len(page.Items); n == f.Limit {
		next = strconv.FormatInt(page.Items[n-1].ID, 10)
	}
	trail := splitTrail(v.Get("kembali"))
	p.From, p.To = pageSpan(len(trail), connPageSize, len(p.Rows))
	_, p.Next, p.Prev = pageLinks("/sinyal/"+reg.Code+"/survei", filter, cursor, next, trail)
	p.CSV, p.XLSX = "/sinyal/"+reg.Code+"/survei.csv?"+filter.Encode(), "/sinyal/"+reg.Code+"/survei.xlsx?"+filter.Encode()
	h.render(w, r, "connectivity_surveys", p)
}

var surveyColumns = []column{{Name: "id", Number: true}, {Name: "tps"}, {Name: "operator"}, {Name: "teknologi"},
	{Name: "rsrp", Number: true}, {Name: "rssi", Number: true}, {Name: "uji_data"}, {Name: "unduh_kbps", Number: true},
	{Name: "unggah_kbps", Number: true}, {Name: "rtt_ms", Number: true}, {Name: "lat", Number: true}, {Name: "lon", Number: true},
	{Name: "surveyor"}, {Name: "sumber"}, {Name: "waktu"}, {Name: "intervensi"}}

func surveyCells(s *siaga.Survey) []string {
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	data := ""
	if s.DataOK != nil {
		data = "tidak"
		if *s.DataOK {
			data = "ya"
		}
	}
	coord := func(f float64) string {
		if s.Lat == 0 && s.Lon == 0 {
			return ""
		}
		return roundCell(f, 1e6)
	}
	iv := ""
	if s.Intervention != 0 {
		iv = strconv.FormatInt(s.Intervention, 10)
	}
	return []string{strconv.FormatInt(s.ID, 10), s.TPS, s.Operator, s.Tech, opt(s.RSRP), opt(s.RSSI), data, opt(s.DownKbps),
		opt(s.UpKbps), opt(s.RTTms), coord(s.Lat), coord(s.Lon), s.Surveyor, s.Source, s.At.In(siaga.WIB).Format("2006-01-02 15:04"), iv}
}

// surveyTable is every survey of the region from source ("" any): staff
// data.
func (h *Pages) surveyTable(ctx context.Context, region, source string) table {
	return table{Name: "siaga-survei-" + region, Columns: surveyColumns, Rows: func(row func([]string) error) error {
		f := siaga.SurveyFilter{Region: region, Source: source, Limit: connExportPage}
		for {
			page, err := h.Connectivity.Surveys(ctx, f)
			if err != nil {
				return err
			}
			for i := range page.Items {
				if err := row(surveyCells(&page.Items[i])); err != nil {
					return err
				}
			}
			if len(page.Items) < f.Limit {
				return nil
			}
			f.After = page.Items[len(page.Items)-1].ID
		}
	}}
}

// SurveysExport serves GET /sinyal/{code}/survei.csv|xlsx?sumber= (staff
// in scope).
func (h *Pages) SurveysExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.connRegion(w, r)
		if !ok {
			return
		}
		source := r.URL.Query().Get("sumber")
		if source != "" && !slices.Contains(surveySources, source) {
			h.writeError(w, r, siaga.Errorf(siaga.EInvalid, "sumber", "sumber survei %q tidak dikenal", "unknown survey source %q", source))
			return
		}
		h.writeTable(w, r, h.surveyTable(r.Context(), reg.Code, source), f)
	}
}

// tpsSignal is the TPS page's "Sinyal" block: public (no surveyor, note
// or cost).
type tpsSignal struct {
	Status connectivity.TPSStatus
	// Change offers the survey form (staff in scope).
	Change bool
	Region string // the desa, for the form's link
}

// tpsSignal is the block of TPS code for viewer u; nil when the signal
// pages are off.
func (h *Pages) tpsSignal(u *siaga.User, code string) *tpsSignal {
	if h.Connectivity == nil {
		return nil
	}
	st, ok := h.Connectivity.TPSStatus(code)
	if !ok {
		return nil
	}
	return &tpsSignal{Status: st, Change: h.connAccess(u, code).Change, Region: siaga.ParentCode(code)}
}

// signalChart is the history of a region's classes, drawn on the server
// as SVG (as the progress chart, dashboard_chart.go): one line per class,
// a point per day on which surveys were measured.
type signalChart struct {
	W, H, Left, Bottom int
	Series             []signalSeries
	YTicks, XTicks     []tick
	Empty              bool
	Caption            string
}

type signalSeries struct {
	Class string // good, weak, blank, unknown: the line's CSS class
	Name  string
	Path  string
	Last  int
}

func drawSignalChart(hist []connectivity.HistoryPoint, total int) signalChart {
	c := signalChart{W: chartW, H: chartH, Left: chartLeft, Bottom: chartH - chartBottomPad}
	plotW := float64(chartW - chartLeft - chartRight)
	plotH := float64(c.Bottom - chartTop)
	for _, f := range []float64{0, 0.5, 1} {
		c.YTicks = append(c.YTicks, tick{Pos: float64(c.Bottom) - f*plotH, Label: numID(int(f * float64(total)))})
	}
	if len(hist) == 0 || total <= 0 {
		c.Empty, c.Caption = true, "Belum ada survei sinyal. / No signal survey yet."
		return c
	}
	x := func(i int) float64 {
		if len(hist) == 1 {
			return float64(chartLeft) + plotW/2
		}
		return float64(chartLeft) + plotW*float64(i)/float64(len(hist)-1)
	}
	y := func(n int) float64 { return float64(c.Bottom) - plotH*min(float64(n)/float64(total), 1) }
	for _, s := range []struct {
		class string
		of    func(connectivity.Counts) int
	}{
		{string(siaga.BlankSpot), func(k connectivity.Counts) int { return k.Blank }},
		{string(siaga.SignalWeak), func(k connectivity.Counts) int { return k.Weak }},
		{string(siaga.SignalGood), func(k connectivity.Counts) int { return k.Good }},
		{connectivity.ClassUnknown, func(k connectivity.Counts) int { return k.Unknown }},
	} {
		var b strings.Builder
		for i, hp := range hist {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			b.WriteString(cmd + coord(x(i)) + "," + coord(y(s.of(hp.Counts))) + " ")
		}
		c.Series = append(c.Series, signalSeries{Class: s.class, Name: signalName(s.class), Path: strings.TrimSpace(b.String()),
			Last: s.of(hist[len(hist)-1].Counts)})
	}
	c.XTicks = []tick{{Pos: float64(chartLeft), Label: hist[0].Date}}
	if len(hist) > 1 {
		c.XTicks = append(c.XTicks, tick{Pos: float64(chartW - chartRight), Label: hist[len(hist)-1].Date})
	}
	last := hist[len(hist)-1]
	c.Caption = "Per " + last.Date + ": " + numID(last.Counts.Blank) + " blank spot, " + numID(last.Counts.Weak) + " lemah, " +
		numID(last.Counts.Good) + " baik, " + numID(last.Counts.Unknown) + " belum disurvei dari " + numID(total) + " TPS"
	return c
}
