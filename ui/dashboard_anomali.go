package ui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The anomaly list: every latest version that breaks a rule, filtered by
// region, contest, rule, source and the desk's review status in the
// results engine (one pass, every match counted), paged with a stable
// cursor, and exported whole as CSV or XLSX. The desk marks each one
// checked against the C1 photo or needing a correction.

// formBody bounds a dashboard form, as the route table does.
const formBody = 16 << 10

const (
	anomalyPageSize = 100
	MaxAnomalyPage  = 1000
	// maxAnomalyNote bounds the desk's note on a review, in characters.
	maxAnomalyNote = 500
)

// anomalyParams names the query parameters of a filter: the API's are
// English (SPEC §9), the page's Indonesian like the rest of the
// dashboard's.
type anomalyParams struct{ region, contest, rule, source, status, cursor, limit string }

var (
	apiAnomalyParams  = anomalyParams{"region", "contest", "rule", "source", "status", "cursor", "limit"}
	pageAnomalyParams = anomalyParams{"wilayah", "kontes", "aturan", "sumber", "status", "kursor", ""}
)

// parseAnomalyQuery reads a filter. The engine checks what the values
// name; a limit that is no number in range is refused here.
func parseAnomalyQuery(v url.Values, p anomalyParams) (siaga.AnomalyQuery, error) {
	q := siaga.AnomalyQuery{Region: v.Get(p.region), Contest: siaga.Contest(v.Get(p.contest)), Rule: v.Get(p.rule),
		Source: siaga.Source(v.Get(p.source)), Status: siaga.AnomalyStatus(v.Get(p.status)), After: v.Get(p.cursor),
		Limit: anomalyPageSize}
	if p.limit != "" && v.Get(p.limit) != "" {
		n, err := strconv.Atoi(v.Get(p.limit))
		if err != nil || n < 1 || n > MaxAnomalyPage {
			return q, siaga.Errorf(siaga.EInvalid, p.limit, "%s harus antara 1 dan %d", "%s must be between 1 and %d",
				p.limit, MaxAnomalyPage)
		}
		q.Limit = n
	}
	return q, nil
}

// APIAnomalyQuery reads the filter of GET /api/v1/anomalies, whose
// parameters are the English ones of SPEC §9.
func APIAnomalyQuery(v url.Values) (siaga.AnomalyQuery, error) {
	return parseAnomalyQuery(v, apiAnomalyParams)
}

// anomalyValues is the page's query string for q (without cursor).
func anomalyValues(q siaga.AnomalyQuery) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"wilayah": q.Region, "kontes": string(q.Contest), "aturan": q.Rule,
		"sumber": string(q.Source), "status": string(q.Status)} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// anomalyRow is one line of the list, as the page, the CSV and the XLSX
// show it.
type anomalyRow struct {
	siaga.Anomaly
	Desa      string
	RuleRows  []flagRow
	CanReview bool // the viewer may set the status, and see who set it and why
}

var anomalyColumns = []column{{Name: "tps"}, {Name: "desa"}, {Name: "kontes"}, {Name: "sumber"},
	{Name: "versi", Number: true}, {Name: "aturan"}, {Name: "status"}}

func (h *Pages) anomalyRow(a siaga.Anomaly) anomalyRow {
	row := anomalyRow{Anomaly: a, RuleRows: ruleRows(a.Rules)}
	if d, ok := h.Regions.Region(siaga.ParentCode(a.TPS)); ok {
		row.Desa = d.Name
	}
	return row
}

func (row anomalyRow) cells() []string {
	return []string{row.TPS, row.Desa, string(row.Contest), string(row.Source), strconv.Itoa(row.Version),
		strings.Join(row.Rules, " "), string(row.Status)}
}

// anomalyTable is the whole list q selects (its cursor and limit
// ignored), as an exported table.
func (h *Pages) anomalyTable(q siaga.AnomalyQuery) table {
	return table{Name: "siaga-anomali", Columns: anomalyColumns, Rows: func(row func([]string) error) error {
		q.After, q.Limit = "", MaxAnomalyPage
		for {
			page, err := h.Results.AnomalyPage(q)
			if err != nil {
				return err
			}
			for _, a := range page.Items {
				if err := row(h.anomalyRow(a).cells()); err != nil {
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

// mayReview reports whether u may review the anomalies of tps.
func (h *Pages) mayReview(u *siaga.User, tps string) bool {
	return u != nil && slices.Contains(h.Roles.Review, u.Role) && siaga.InScope(u.Scope, tps)
}

type anomaliPage struct {
	basePage
	Query    siaga.AnomalyQuery
	Region   siaga.Region
	AllRules []flagRow
	// ContestList and SourceList fill the filter (basePage has Contests:
	// the tabs).
	ContestList []siaga.Contest
	SourceList  []siaga.Source
	Statuses    []siaga.AnomalyStatus
	Rows        []anomalyRow
	Total       int
	From, To    int // the rows shown, 1-based
	Next        string
	Prev        string
	CSV         string
	XLSX        string
	Here        string // this page's query, where a review returns to
	Reviewer    bool
}

// AnomaliPage serves GET /anomali?wilayah=&kontes=&aturan=&sumber=&status=&kursor=&kembali=:
// a page of the anomaly list, "N dari M", with links to the pages around
// it and to the whole list as CSV and XLSX. kembali holds the cursors of
// the pages before, so that "previous" needs no backward cursor.
func (h *Pages) AnomaliPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q, _ := parseAnomalyQuery(v, pageAnomalyParams)
	if q.Region == "" {
		q.Region = h.Province
	}
	reg, ok := h.Regions.Region(q.Region)
	if !ok {
		if t, isTPS := h.Regions.TPS(q.Region); isTPS {
			reg = siaga.Region{Code: t.Code, Name: "TPS " + t.Code, Level: siaga.LevelTPS}
		} else {
			h.pageNotFound(w, r)
			return
		}
	}
	page, err := h.Results.AnomalyPage(q)
	if err != nil {
		msg, msgEN := "Filter tidak sah.", "Invalid filter."
		var e *siaga.Error
		if errors.As(err, &e) {
			msg, msgEN = "Filter tidak sah: "+e.Message, "Invalid filter: "+e.MessageEN
		}
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), msg, msgEN)
		return
	}
	p := anomaliPage{basePage: h.base(r, "Anomali — "+reg.Name), Query: q, Region: reg, ContestList: siaga.Contests,
		SourceList: siaga.Sources, Statuses: siaga.AnomalyStatuses, Total: page.Total}
	p.Nav, p.Path = "anomali", h.Regions.Path(reg.Code)
	if q.Contest == "" {
		// The list spans every contest: no ballot's pill is the chosen one.
		for i := range p.Contests {
			p.Contests[i].Active = false
		}
	}
	p.Reviewer = p.User != nil && slices.Contains(h.Roles.Review, p.User.Role)
	for id := range ruleTexts {
		p.AllRules = append(p.AllRules, flagRow{Rule: id, Text: ruleTexts[id]})
	}
	sortRuleRows(p.AllRules)
	for _, a := range page.Items {
		row := h.anomalyRow(a)
		row.CanReview = h.mayReview(p.User, a.TPS)
		p.Rows = append(p.Rows, row)
	}
	base := anomalyValues(q)
	p.CSV, p.XLSX = "/anomali.csv?"+base.Encode(), "/anomali.xlsx?"+base.Encode()
	trail := splitTrail(v.Get("kembali"))
	p.From = len(trail)*anomalyPageSize + 1
	p.To = p.From + len(p.Rows) - 1
	if len(p.Rows) == 0 {
		p.From = 0
	}
	p.Here, p.Next, p.Prev = pageLinks("/anomali", anomalyValues(q), q.After, page.Next, trail)
	h.render(w, r, "anomali", p)
}

// splitTrail reads the cursors of the pages before ("-" is the first).
// beforeCursor reads a list's "kursor": the ID the next page starts
// below (lists newest first); 0 when absent.
func beforeCursor(v url.Values) (int64, error) {
	c := v.Get("kursor")
	if c == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(c, 10, 64)
	if err != nil || id <= 0 {
		return 0, siaga.Errorf(siaga.EInvalid, "kursor", "kursor tidak sah", "invalid cursor")
	}
	return id, nil
}

func splitTrail(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ".")
}

// pageLinks makes the links of a paged list at path filtered by v: this
// page's query (here, without the path), the next page's and the
// previous page's ("" when there is none). Cursors only go forward, so
// the link to the next page carries the cursors of the pages before it
// (kembali), and "previous" takes the last of them.
func pageLinks(path string, v url.Values, cursor, next string, trail []string) (here, nextURL, prevURL string) {
	link := func(cursor string, trail []string) string {
		u := url.Values{}
		for k, vs := range v {
			u[k] = vs
		}
		if cursor != "" {
			u.Set("kursor", cursor)
		}
		if len(trail) > 0 {
			u.Set("kembali", strings.Join(trail, "."))
		}
		return path + "?" + u.Encode()
	}
	here = strings.TrimPrefix(link(cursor, trail), path+"?")
	if next != "" {
		first := cursor
		if first == "" {
			first = "-"
		}
		nextURL = link(next, append(slices.Clone(trail), first))
	}
	if n := len(trail); n > 0 {
		prev := trail[n-1]
		if prev == "-" {
			prev = ""
		}
		prevURL = link(prev, trail[:n-1])
	}
	return here, nextURL, prevURL
}

// AnomaliCSV serves GET /anomali.csv with the page's filter: every
// match, not one page.
func (h *Pages) AnomaliCSV(w http.ResponseWriter, r *http.Request) {
	h.anomalyExport(w, r, FormatCSV)
}

// AnomaliXLSX serves GET /anomali.xlsx, as handleAnomaliCSV.
func (h *Pages) AnomaliXLSX(w http.ResponseWriter, r *http.Request) {
	h.anomalyExport(w, r, FormatXLSX)
}

func (h *Pages) anomalyExport(w http.ResponseWriter, r *http.Request, f ExportFormat) {
	q, _ := parseAnomalyQuery(r.URL.Query(), pageAnomalyParams)
	if q.Region == "" {
		q.Region = h.Province
	}
	// Check the filter before the download starts: a bad one is a 400,
	// not a file cut short.
	q.Limit = 1
	if _, err := h.Results.AnomalyPage(q); err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeTable(w, r, h.anomalyTable(q), f)
}

// ReviewAnomaly serves POST /anomali/status: a reviewer sets the status of
// the latest version of one history, with a note. The guard admitted the
// role and checked the CSRF token; the TPS must lie in the account's
// scope, and the version must still be the latest (the reviewer judged
// those numbers).
func (h *Pages) ReviewAnomaly(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, formBody)
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	u := h.account(r)
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("versi"))
	rv := siaga.AnomalyReview{TPS: f.Get("tps"), Contest: siaga.Contest(f.Get("kontes")), Source: siaga.Source(f.Get("sumber")),
		Version: version, Status: siaga.AnomalyStatus(f.Get("status")), Note: strings.TrimSpace(f.Get("catatan")),
		Actor: auth.Actor(u), At: h.Now().UTC()}
	if _, ok := h.Regions.TPS(rv.TPS); !ok {
		h.Error(w, r, http.StatusBadRequest, "TPS tidak terdaftar.", "Unknown TPS.")
		return
	}
	if !h.mayReview(u, rv.TPS) {
		h.Error(w, r, http.StatusForbidden, "TPS ini di luar wilayah akun Anda.", "This TPS is outside your account's region.")
		return
	}
	if utf8.RuneCountInString(rv.Note) > maxAnomalyNote || !utf8.ValidString(rv.Note) {
		h.Error(w, r, http.StatusBadRequest, "Catatan terlalu panjang (maksimal 500 huruf).", "Note too long (at most 500 characters).")
		return
	}
	entry := siaga.AuditEvent{At: rv.At, Actor: rv.Actor, Action: siaga.AuditAnomalyReview, Subject: rv.TPS, Scope: rv.TPS,
		Detail: siaga.AuditDetail(map[string]any{"contest": rv.Contest, "source": rv.Source, "version": rv.Version,
			"status": rv.Status, "note": rv.Note})}
	if err := h.Results.ReviewAnomaly(r.Context(), rv, entry); err != nil {
		msg, msgEN := "Status tidak dapat disimpan; coba lagi.", "The status could not be saved; try again."
		status := siaga.HTTPStatus(siaga.ErrorCode(err))
		var e *siaga.Error
		if errors.As(err, &e) && status < 500 {
			msg, msgEN = e.Message+".", e.MessageEN+"."
		} else {
			h.dashLog().Error("anomaly review", "tps", rv.TPS, "err", err)
		}
		h.Error(w, r, status, msg, msgEN)
		return
	}
	back := "/anomali"
	if v, err := url.ParseQuery(f.Get("kembali_ke")); err == nil && len(v) > 0 {
		back += "?" + v.Encode()
	}
	http.Redirect(w, r, back+"#a-"+rv.TPS+"-"+string(rv.Contest)+"-"+string(rv.Source), http.StatusSeeOther)
}

// anomalyStatusNames are the statuses in the desk's words.
var anomalyStatusNames = map[siaga.AnomalyStatus]string{
	siaga.AnomalyNew:             "baru",
	siaga.AnomalyChecked:         "diperiksa",
	siaga.AnomalyNeedsCorrection: "perlu koreksi",
}

func anomalyStatusName(s siaga.AnomalyStatus) string { return named(anomalyStatusNames, s) }

func sortRuleRows(rows []flagRow) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.Rule
	}
	sortRules(ids)
	for i, id := range ids {
		rows[i] = flagRow{Rule: id, Text: ruleText(id)}
	}
}
