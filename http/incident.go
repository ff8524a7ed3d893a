package http

import (
	"cmp"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
)

// Incident API (docs/security-incidents.md, "## Incidents"): staff report
// and work reports of trouble in their scope; the public sends a report
// and gets only its receipt number.

// Body limits of the incident routes.
const (
	// incidentBody: a report's fields (4,000-rune text, 4 bytes a rune
	// at worst, JSON escapes) or a step.
	incidentBody = 32 << 10
	// evidenceBody: one evidence file and the multipart or JSON around it.
	evidenceBody = incident.MaxEvidence + 8<<10
	// publicIncidentBody: the public form's report, as the staff's.
	publicIncidentBody = incidentBody
	// incidentPage is a list page's default size, maxIncidentPage its largest.
	incidentPage, maxIncidentPage = 50, 500
)

// publicIncidentRate bounds public reports per client address: a person
// reports a few things an hour; behind carrier-grade NAT one address is
// many phones, so the burst is generous. The service limits each sender
// (5 per hour by default) besides.
var publicIncidentRate = rate{Burst: 20, PerSecond: 1.0 / 60}

// incidentsOff answers 404 when the node runs no incident workflow.
func (s *Server) incidentsOff(w http.ResponseWriter, r *http.Request) bool {
	if s.Incidents != nil {
		return false
	}
	s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Laporan insiden tidak tersedia di server ini", "incident reports are not available on this server"))
	return true
}

// incidentIn is a report as the API takes it: what the reporter says.
type incidentIn struct {
	ClientID   string                 `json:"client_id"`
	Category   siaga.IncidentCategory `json:"category"`
	Severity   siaga.Severity         `json:"severity"`
	OccurredAt time.Time              `json:"occurred_at"`
	Region     string                 `json:"region"`
	TPS        string                 `json:"tps"`
	Lat        float64                `json:"lat"`
	Lon        float64                `json:"lon"`
	Title      string                 `json:"title"`
	Text       string                 `json:"text"`
	// The public form's reporter: a name and a number to call back, both
	// optional.
	ReporterName  string `json:"reporter_name"`
	ReporterPhone string `json:"reporter_phone"`
}

func (in incidentIn) incident(ch siaga.IncidentChannel) *siaga.Incident {
	return &siaga.Incident{ClientID: in.ClientID, Channel: ch, Category: in.Category, Severity: in.Severity,
		OccurredAt: in.OccurredAt, Region: in.Region, TPS: in.TPS, Lat: in.Lat, Lon: in.Lon, Title: in.Title, Text: in.Text,
		ReporterName: in.ReporterName, ReporterPhone: in.ReporterPhone}
}

// handleReportIncident stores a staff report: channel web from a page's
// session, api from a token.
func (s *Server) handleReportIncident(w http.ResponseWriter, r *http.Request) {
	if s.incidentsOff(w, r) {
		return
	}
	var in incidentIn
	if !decodeStrict(s, w, r, &in) {
		return
	}
	u, _, viaCookie := s.requestUser(r)
	ch := siaga.ChannelAPI
	if viaCookie {
		ch = siaga.ChannelWeb
	}
	got, err := s.Incidents.Report(r.Context(), in.incident(ch), incident.Actor{User: u})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, got)
}

// handleIncidentsAPI is a page of the reports under the path's region,
// newest first: ?category=a,b&status=…&severity=…&agency=…&channel=…
// &public=1|0&groups=1&from=&to= (RFC 3339)&q=text&before=ID&limit=N.
func (s *Server) handleIncidentsAPI(w http.ResponseWriter, r *http.Request) {
	if s.incidentsOff(w, r) {
		return
	}
	code := r.PathValue("region")
	if _, ok := s.Regions.Region(code); !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	f, limit, err := incidentFilter(r, code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f.Limit = limit + 1 // one more tells whether a next page exists
	items, total, err := s.Incidents.List(r.Context(), s.account(r), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, pageOf(items, total, limit, func(in siaga.Incident) string { return strconv.FormatInt(in.ID, 10) }))
}

// incidentFilter reads a list's query parameters.
func incidentFilter(r *http.Request, region string) (siaga.IncidentFilter, int, error) {
	v := r.URL.Query()
	f := siaga.IncidentFilter{Scope: region, Agency: siaga.Agency(v.Get("agency")), Channel: siaga.IncidentChannel(v.Get("channel")),
		Groups: v.Get("groups") == "1", Text: v.Get("q")}
	f.Categories = codes[siaga.IncidentCategory](v.Get("category"))
	f.Statuses = codes[siaga.IncidentStatus](v.Get("status"))
	f.Severities = codes[siaga.Severity](v.Get("severity"))
	switch v.Get("public") {
	case "1":
		f.Public = new(bool)
		*f.Public = true
	case "0":
		f.Public = new(bool)
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := v.Get(p.name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return f, 0, siaga.Errorf(siaga.EInvalid, p.name, "%s harus waktu RFC 3339 (2024-02-14T07:00:00+07:00)",
					"%s must be an RFC 3339 time (2024-02-14T07:00:00+07:00)", p.name)
			}
			*p.dst = t
		}
	}
	before, err := queryInt(v.Get("before"), "before", 1, 1<<62)
	if err != nil {
		return f, 0, err
	}
	f.Before = before
	limit, err := queryInt(v.Get("limit"), "limit", 1, maxIncidentPage)
	if err != nil {
		return f, 0, err
	}
	if limit == 0 {
		limit = incidentPage
	}
	return f, int(limit), nil
}

// codes splits a comma-separated query value.
func codes[T ~string](v string) []T {
	var out []T
	for c := range strings.SplitSeq(v, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, T(c))
		}
	}
	return out
}

// incidentInRegion reads the path's report, which must lie under the
// path's region and in the account's scope; it answers the error itself.
func (s *Server) incidentInRegion(w http.ResponseWriter, r *http.Request) (*siaga.Incident, bool) {
	if s.incidentsOff(w, r) {
		return nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "Nomor laporan tidak sah", "invalid report number"))
		return nil, false
	}
	in, err := s.Incidents.One(r.Context(), s.account(r), id)
	if err == nil && !siaga.InScope(r.PathValue("region"), in.Region) {
		err = siaga.Errorf(siaga.ENotFound, "id", "Laporan %d tidak ada di wilayah %s", "no report %d in region %s", id, r.PathValue("region"))
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	return in, true
}

// handleIncidentAPI answers one report with its history and the steps
// that may follow.
func (s *Server) handleIncidentAPI(w http.ResponseWriter, r *http.Request) {
	in, ok := s.incidentInRegion(w, r)
	if !ok {
		return
	}
	steps, err := s.Incidents.Steps(r.Context(), s.account(r), in.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if steps == nil {
		steps = []siaga.IncidentStep{}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		Incident *siaga.Incident          `json:"incident"`
		Steps    []siaga.IncidentStep     `json:"steps"`
		Next     []siaga.IncidentStepKind `json:"next"`
	}{in, steps, incident.Next(in.Status)})
}

// handleIncidentStep takes one step of a report's workflow:
// {"kind", "version", "text", "agency", "head"}.
func (s *Server) handleIncidentStep(w http.ResponseWriter, r *http.Request) {
	in, ok := s.incidentInRegion(w, r)
	if !ok {
		return
	}
	var a incident.Action
	if !decodeStrict(s, w, r, &a) {
		return
	}
	got, err := s.Incidents.Act(r.Context(), in.ID, a, incident.Actor{User: s.account(r)})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, got)
}

// handleIncidentEvidence takes one evidence file as the raw body (a JPEG,
// PNG or PDF, recognised by its content whatever Content-Type says).
func (s *Server) handleIncidentEvidence(w http.ResponseWriter, r *http.Request) {
	in, ok := s.incidentInRegion(w, r)
	if !ok {
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, incident.MaxEvidence+1))
	if err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	e, err := s.Incidents.AddEvidence(r.Context(), in.ID, data, incident.Actor{User: s.account(r)})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

// handleIncidentEvidenceFile serves one evidence file to staff who read
// the report. It is sent as an attachment with its sniffed type, never
// sniffed again by the browser.
func (s *Server) handleIncidentEvidenceFile(w http.ResponseWriter, r *http.Request) {
	in, ok := s.incidentInRegion(w, r)
	if !ok {
		return
	}
	e, err := s.Incidents.Evidence(r.Context(), s.account(r), in.ID, r.PathValue("sha"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}[e.Type]
	w.Header().Set("Content-Type", e.Type)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="bukti-`+strconv.FormatInt(in.ID, 10)+"-"+e.SHA256[:12]+ext+`"`)
	w.Write(e.Data)
}

// publicReceipt is all a public reporter is told: the number to quote.
type publicReceipt struct {
	Receipt   string `json:"receipt"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// handlePublicIncident stores a report from anyone, for moderation. The
// sender the rate limit counts is the client's address; the answer is the
// receipt number only, and the same for a replay.
func (s *Server) handlePublicIncident(w http.ResponseWriter, r *http.Request) {
	if s.incidentsOff(w, r) {
		return
	}
	var in incidentIn
	if !decodeStrict(s, w, r, &in) {
		return
	}
	rep := in.incident(siaga.ChannelPublicWeb)
	rep.Sender = s.clientAddr(r)
	got, err := s.Incidents.Report(r.Context(), rep, incident.Actor{Public: cmp.Or(in.ReporterName, "publik")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, publicReceipt{Receipt: incident.Receipt(got),
		Message:   "Laporan diterima dan akan diperiksa petugas sebelum ditindaklanjuti.",
		MessageEN: "Report received; staff will check it before acting on it."})
}
