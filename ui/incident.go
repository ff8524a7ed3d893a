package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// The incident list of a region (/insiden/{code}): filtered in the store
// by category, status, severity, agency, channel, time and text, with
// "grup saja" counting each duplicate group once; paged newest first with
// the store's id cursor, "N–M dari T"; the counts by category and status
// on top count groups, not reports. The same rows feed the CSV and XLSX.

// Incidents is the incident service as the pages use it: the store's
// reads, and the steps, each of which the service checks (transition,
// the actor's right, the version read).
type Incidents interface {
	Incidents(ctx context.Context, f siaga.IncidentFilter) ([]siaga.Incident, error)
	CountIncidents(ctx context.Context, f siaga.IncidentFilter) (int, error)
	EachIncident(ctx context.Context, f siaga.IncidentFilter, fn func(*siaga.Incident) error) error
	IncidentByID(ctx context.Context, id int64) (*siaga.Incident, error)
	IncidentSteps(ctx context.Context, id int64) ([]siaga.IncidentStep, error)
	IncidentEvidence(ctx context.Context, incident int64, sha string) (*siaga.IncidentEvidence, error)

	// Report stores a new report by u (nil: the public, whose Sender the
	// caller sets) with its evidence files, every file checked before the
	// report is stored, and answers it as stored.
	Report(ctx context.Context, in *siaga.Incident, files [][]byte, u *siaga.User) (*siaga.Incident, error)
	// Act applies one workflow step by u.
	Act(ctx context.Context, a IncidentAction, u *siaga.User) (*siaga.Incident, error)
	// AddEvidence stores a file of incident id, sniffed and bounded by
	// the service; it answers the file's SHA-256.
	AddEvidence(ctx context.Context, id int64, data []byte, u *siaga.User) (string, error)
}

// IncidentAction is one workflow step asked for from a page.
type IncidentAction struct {
	ID      int64
	Version int // the version the form was read at
	Kind    siaga.IncidentStepKind
	Agency  siaga.Agency // tugaskan
	Text    string       // reason (tolak), outcome (selesai), note (catatan)
	Head    int64        // gabung: the group's first report
}

const (
	incidentPageSize   = 50
	incidentExportPage = 1000
	// incidentPrintSize is how many rows the print view lists; more is
	// for the XLSX.
	incidentPrintSize = 1000
	maxIncidentSearch = 100
)

// incidentNames are the codes' words, Bahasa Indonesia and English.
var (
	agencyNames = map[siaga.Agency]string{
		siaga.AgencyPolri: "Polri", siaga.AgencyTNI: "TNI", siaga.AgencyBawaslu: "Bawaslu/Gakkumdu",
		siaga.AgencyKejaksaan: "Kejaksaan", siaga.AgencyBPBD: "BPBD", siaga.AgencyDiskominfo: "Diskominfo",
		siaga.AgencyKPU: "KPU", siaga.AgencyPemprov: "Pemprov (Kesbangpol)",
	}
	channelNames = map[siaga.IncidentChannel]string{
		siaga.ChannelWeb: "web petugas", siaga.ChannelAPI: "API", siaga.ChannelField: "aplikasi lapangan",
		siaga.ChannelSMS: "SMS petugas", siaga.ChannelPublicWeb: "formulir publik", siaga.ChannelPublicSMS: "SMS publik",
	}
	incidentChannels = []siaga.IncidentChannel{siaga.ChannelWeb, siaga.ChannelAPI, siaga.ChannelField, siaga.ChannelSMS,
		siaga.ChannelPublicWeb, siaga.ChannelPublicSMS}
	stepNames = map[siaga.IncidentStepKind]string{
		siaga.StepReported: "dilaporkan", siaga.StepVerified: "diverifikasi", siaga.StepRejected: "ditolak",
		siaga.StepAssigned: "ditugaskan", siaga.StepInHand: "mulai ditangani", siaga.StepClosed: "diselesaikan",
		siaga.StepGrouped: "digabung sebagai duplikat", siaga.StepUngrouped: "dipisah dari grup",
		siaga.StepNote: "catatan", siaga.StepEvidence: "bukti ditambah",
	}
)

// incidentWords gives the templates the codes' words (methods, so that
// the pages' shared function map stays as it is).
type incidentWords struct{}

func (incidentWords) CategoryText(c siaga.IncidentCategory) string { id, _ := c.Words(); return id }
func (incidentWords) CategoryEN(c siaga.IncidentCategory) string   { _, en := c.Words(); return en }
func (incidentWords) SeverityText(s siaga.Severity) string         { id, _ := s.Words(); return id }
func (incidentWords) IncStatusText(s siaga.IncidentStatus) string  { id, _ := s.Words(); return id }
func (incidentWords) IncStatusEN(s siaga.IncidentStatus) string    { _, en := s.Words(); return en }
func (incidentWords) AgencyText(a siaga.Agency) string             { return nameOr(agencyNames[a], string(a)) }
func (incidentWords) ChannelText(c siaga.IncidentChannel) string {
	return nameOr(channelNames[c], string(c))
}
func (incidentWords) StepText(k siaga.IncidentStepKind) string {
	return nameOr(stepNames[k], string(k))
}

// When is a time in WIB, as the tables show it.
func (incidentWords) When(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(siaga.WIB).Format("2006-01-02 15:04") + " WIB"
}

func nameOr(name, code string) string {
	if name == "" {
		return code
	}
	return name
}

// parseIncidentQuery reads the list's filter of region from the page's
// query; every value is checked, so that a mistyped link says so rather
// than showing everything.
func parseIncidentQuery(v url.Values, region string) (siaga.IncidentFilter, error) {
	f := siaga.IncidentFilter{Scope: region, Agency: siaga.Agency(v.Get("instansi")), Channel: siaga.IncidentChannel(v.Get("kanal")),
		Groups: v.Get("grup") == "1", Text: strings.TrimSpace(v.Get("teks")), Limit: incidentPageSize}
	if c := siaga.IncidentCategory(v.Get("kategori")); c != "" {
		if !c.Valid() {
			return f, siaga.Errorf(siaga.EInvalid, "kategori", "kategori %q tidak dikenal", "unknown category %q", c)
		}
		f.Categories = []siaga.IncidentCategory{c}
	}
	if s := siaga.IncidentStatus(v.Get("status")); s != "" {
		if !slices.Contains(siaga.IncidentStatuses, s) {
			return f, siaga.Errorf(siaga.EInvalid, "status", "status %q tidak dikenal", "unknown status %q", s)
		}
		f.Statuses = []siaga.IncidentStatus{s}
	}
	if s := siaga.Severity(v.Get("tingkat")); s != "" {
		if !s.Valid() {
			return f, siaga.Errorf(siaga.EInvalid, "tingkat", "tingkat %q tidak dikenal", "unknown severity %q", s)
		}
		f.Severities = []siaga.Severity{s}
	}
	if f.Agency != "" && !f.Agency.Valid() {
		return f, siaga.Errorf(siaga.EInvalid, "instansi", "instansi %q tidak dikenal", "unknown agency %q", f.Agency)
	}
	if f.Channel != "" && !slices.Contains(incidentChannels, f.Channel) {
		return f, siaga.Errorf(siaga.EInvalid, "kanal", "kanal %q tidak dikenal", "unknown channel %q", f.Channel)
	}
	if len(f.Text) > maxIncidentSearch {
		return f, siaga.Errorf(siaga.EInvalid, "teks", "pencarian terlalu panjang (maksimal %d huruf)", "search too long (at most %d characters)", maxIncidentSearch)
	}
	for _, d := range []struct {
		field string
		dst   *time.Time
		add   int // "sampai" is a whole day: up to the next midnight
	}{{"dari", &f.From, 0}, {"sampai", &f.To, 1}} {
		s := v.Get(d.field)
		if s == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, s, siaga.WIB)
		if err != nil {
			return f, siaga.Errorf(siaga.EInvalid, d.field, "tanggal %q tidak terbaca (YYYY-MM-DD)", "unreadable date %q (YYYY-MM-DD)", s)
		}
		*d.dst = t.AddDate(0, 0, d.add)
	}
	var err error
	if f.Before, err = beforeCursor(v); err != nil {
		return f, err
	}
	return f, nil
}

// incidentValues is the page's query string for f (without cursor).
func incidentValues(f siaga.IncidentFilter) url.Values {
	v := url.Values{}
	if len(f.Categories) == 1 {
		v.Set("kategori", string(f.Categories[0]))
	}
	if len(f.Statuses) == 1 {
		v.Set("status", string(f.Statuses[0]))
	}
	if len(f.Severities) == 1 {
		v.Set("tingkat", string(f.Severities[0]))
	}
	for k, s := range map[string]string{"instansi": string(f.Agency), "kanal": string(f.Channel), "teks": f.Text} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if !f.From.IsZero() {
		v.Set("dari", f.From.In(siaga.WIB).Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		v.Set("sampai", f.To.In(siaga.WIB).AddDate(0, 0, -1).Format(time.DateOnly))
	}
	if f.Groups {
		v.Set("grup", "1")
	}
	return v
}

// incidentRow is one incident as the list, the CSV and the XLSX show it.
type incidentRow struct {
	siaga.Incident
	Place string
	URL   string
}

var incidentColumns = []column{{Name: "id", Number: true}, {Name: "waktu"}, {Name: "tempat"}, {Name: "kode_tempat"},
	{Name: "kategori"}, {Name: "tingkat"}, {Name: "status"}, {Name: "instansi"}, {Name: "judul"}, {Name: "grup"}}

func (row incidentRow) cells() []string {
	group := ""
	if row.DuplicateOf != 0 {
		group = strconv.FormatInt(row.DuplicateOf, 10)
	}
	code := row.Region
	if row.TPS != "" {
		code = row.TPS
	}
	return []string{strconv.FormatInt(row.ID, 10), tableTime(row.OccurredAt), row.Place, code, string(row.Category),
		string(row.Severity), string(row.Status), string(row.Agency), row.Title, group}
}

// incidentPlace is where an incident happened in a table cell: "TPS 003
// WARGASARA" or the desa's name.
func (h *Pages) incidentPlace(in siaga.Incident) string {
	if in.TPS != "" {
		return h.placeShort(in.TPS)
	}
	if in.Region == "" {
		return fmt.Sprintf("%.4f, %.4f", in.Lat, in.Lon)
	}
	if reg, ok := h.Regions.Region(in.Region); ok {
		return reg.Name
	}
	return in.Region
}

// incidentURL is an incident's page under region code (the viewer's
// list's region, which the guard checked against the account's scope).
func incidentURL(code string, id int64) string {
	return "/insiden/" + code + "/laporan/" + strconv.FormatInt(id, 10)
}

func (h *Pages) incidentRows(code string, page []siaga.Incident) []incidentRow {
	out := make([]incidentRow, len(page))
	for i, in := range page {
		out[i] = incidentRow{Incident: in, Place: h.incidentPlace(in), URL: incidentURL(code, in.ID)}
	}
	return out
}

// incidentTable is every incident f selects (its cursor and limit
// ignored), as an exported table.
func (h *Pages) incidentTable(r *http.Request, reg siaga.Region, f siaga.IncidentFilter) table {
	return table{Name: "siaga-insiden-" + reg.Code, Columns: incidentColumns, Rows: func(row func([]string) error) error {
		f.Before, f.Limit = 0, incidentExportPage
		for {
			page, err := h.Incidents.Incidents(r.Context(), f)
			if err != nil {
				return err
			}
			for _, ir := range h.incidentRows(reg.Code, page) {
				if err := row(ir.cells()); err != nil {
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

// incidentCount is one cell of the counts on top of the list: a link
// that filters the list to it.
type incidentCount struct {
	Label string
	Code  string
	N     int
	URL   string
}

// incidentCounts counts the groups (not reports) of region by category
// and by status, under the page's other filters.
func (h *Pages) incidentCounts(ctx context.Context, f siaga.IncidentFilter, path string) (byCat, byStatus []incidentCount, err error) {
	f.Groups, f.Before = true, 0
	for _, c := range siaga.IncidentCategories {
		g := f
		g.Categories = []siaga.IncidentCategory{c}
		n, err := h.Incidents.CountIncidents(ctx, g)
		if err != nil {
			return nil, nil, err
		}
		byCat = append(byCat, incidentCount{Label: incidentWords{}.CategoryText(c), Code: string(c), N: n, URL: path + "?" + incidentValues(g).Encode()})
	}
	for _, s := range siaga.IncidentStatuses {
		g := f
		g.Statuses = []siaga.IncidentStatus{s}
		n, err := h.Incidents.CountIncidents(ctx, g)
		if err != nil {
			return nil, nil, err
		}
		byStatus = append(byStatus, incidentCount{Label: incidentWords{}.IncStatusText(s), Code: string(s), N: n, URL: path + "?" + incidentValues(g).Encode()})
	}
	return byCat, byStatus, nil
}

type incidentsPage struct {
	basePage
	incidentWords
	Region              siaga.Region
	Children            []siaga.Region
	Filter              siaga.IncidentFilter
	From, To            string // the dates typed
	Categories          []siaga.IncidentCategory
	Statuses            []siaga.IncidentStatus
	Severities          []siaga.Severity
	Agencies            []siaga.Agency
	Channels            []siaga.IncidentChannel
	ByCategory          []incidentCount
	ByStatus            []incidentCount
	Rows                []incidentRow
	Total               int
	First, Last         int
	Next, Prev          string
	CSV, XLSX, PrintURL string
	Printing            bool
	CanNew, CanTriage   bool
}

// IncidentsPage serves GET /insiden/{code}?kategori=&status=&tingkat=&instansi=&kanal=&dari=&sampai=&teks=&grup=1&kursor=&kembali=.
func (h *Pages) IncidentsPage(w http.ResponseWriter, r *http.Request) {
	if h.incidentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	path := "/insiden/" + reg.Code
	f, err := parseIncidentQuery(v, reg.Code)
	if v.Get("cetak") == "1" {
		f.Limit = incidentPrintSize // paper has no "next page" link
	}
	var page []siaga.Incident
	var total int
	var byCat, byStatus []incidentCount
	if err == nil {
		page, err = h.Incidents.Incidents(r.Context(), f)
	}
	if err == nil {
		total, err = h.Incidents.CountIncidents(r.Context(), f)
	}
	if err == nil {
		byCat, byStatus, err = h.incidentCounts(r.Context(), f, path)
	}
	if err != nil {
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Filter tidak sah: "+errorText(err, false), "Invalid filter: "+errorText(err, true))
		return
	}
	p := incidentsPage{basePage: h.base(r, "Insiden — "+reg.Name), Region: reg, Children: h.Regions.Children(reg.Code), Filter: f,
		From: v.Get("dari"), To: v.Get("sampai"), Categories: siaga.IncidentCategories, Statuses: siaga.IncidentStatuses,
		Severities: siaga.Severities, Agencies: siaga.Agencies, Channels: incidentChannels, ByCategory: byCat, ByStatus: byStatus,
		Rows: h.incidentRows(reg.Code, page), Total: total}
	p.Nav, p.Path = "insiden", h.Regions.Path(reg.Code)
	if siaga.LevelOf(reg.Code) == siaga.LevelDesa {
		p.Children = nil // a desa's TPS are places, not lists of their own
	}
	u := h.account(r)
	p.CanNew = u != nil && slices.Contains(h.Roles.Incident, u.Role)
	p.CanTriage = u != nil && slices.Contains(h.Roles.IncidentTriage, u.Role)
	base := incidentValues(f)
	p.CSV, p.XLSX = path+"/daftar.csv?"+base.Encode(), path+"/daftar.xlsx?"+base.Encode()
	trail := splitTrail(v.Get("kembali"))
	p.First = len(trail)*incidentPageSize + 1
	p.Last = p.First + len(p.Rows) - 1
	if len(p.Rows) == 0 {
		p.First = 0
	}
	next, cursor := "", ""
	if len(page) == f.Limit && p.Last < total {
		next = strconv.FormatInt(page[len(page)-1].ID, 10)
	}
	if f.Before != 0 {
		cursor = strconv.FormatInt(f.Before, 10)
	}
	var here string
	here, p.Next, p.Prev = pageLinks(path, base, cursor, next, trail)
	p.PrintURL, p.Printing = path+"?"+here+"&cetak=1", f.Limit == incidentPrintSize
	h.render(w, r, "incident_list", p)
}

// IncidentsExport serves GET /insiden/{code}/daftar.csv and .xlsx with
// the page's filter: every match, not one page.
func (h *Pages) IncidentsExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Incidents == nil {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Modul insiden tidak aktif", "the incident module is off"))
			return
		}
		reg, ok := h.Regions.Region(r.PathValue("code"))
		if !ok {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "code", "Wilayah tidak ditemukan", "region not found"))
			return
		}
		q, err := parseIncidentQuery(r.URL.Query(), reg.Code)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.incidentTable(r, reg, q), f)
	}
}

// incidentsOff answers 404 when the incident module is off.
func (h *Pages) incidentsOff(w http.ResponseWriter, r *http.Request) bool {
	if h.Incidents != nil {
		return false
	}
	h.Error(w, r, http.StatusNotFound, "Modul insiden tidak aktif.", "The incident module is off.")
	return true
}
