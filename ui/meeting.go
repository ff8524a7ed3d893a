package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/meeting"
)

// The desk's coordination meetings (/rapat/{code}): the list of a
// region's meetings with the form for a new one, and the action items of
// the region, overdue ones first in red. Staff pages only (the route
// table's situation roles): the minutes name people and positions.

// Meetings records meetings and moves their action items (meeting.Service).
type Meetings interface {
	Meeting(ctx context.Context, id int64) (*siaga.Meeting, error)
	Meetings(ctx context.Context, f siaga.MeetingFilter) (siaga.MeetingPage, error)
	ActionItem(ctx context.Context, id int64) (*siaga.ActionItem, error)
	ActionItems(ctx context.Context, f siaga.ActionItemFilter) (siaga.ActionItemPage, error)
	CreateMeeting(ctx context.Context, u *siaga.User, m siaga.Meeting) (*siaga.Meeting, error)
	UpdateMeeting(ctx context.Context, u *siaga.User, m siaga.Meeting) (*siaga.Meeting, error)
	AddActionItem(ctx context.Context, u *siaga.User, a siaga.ActionItem) (*siaga.ActionItem, error)
	MarkDone(ctx context.Context, u *siaga.User, id int64, version int, note string) (*siaga.ActionItem, error)
	Reopen(ctx context.Context, u *siaga.User, id int64, version int, reason string) (*siaga.ActionItem, error)
	Cancel(ctx context.Context, u *siaga.User, id int64, version int, reason string) (*siaga.ActionItem, error)
}

const (
	meetingPageSize = 20
	actionPageSize  = 100
	// actionPreview is how many open items the meetings page shows; the
	// whole list is on /rapat/{code}/tindak-lanjut.
	actionPreview = 50
)

// agencyName is an agency as the desk calls it (agencyNames, incident.go).
func agencyName(a siaga.Agency) string {
	if n, ok := agencyNames[a]; ok {
		return n
	}
	return string(a)
}

type agencyOption struct {
	Code siaga.Agency
	Name string
}

func agencyOptions() []agencyOption {
	out := make([]agencyOption, len(siaga.Agencies))
	for i, a := range siaga.Agencies {
		out[i] = agencyOption{a, agencyName(a)}
	}
	return out
}

// actionRow is one action item as the lists, the meeting page, the CSV
// and the XLSX show it.
type actionRow struct {
	ID                       int64
	Meeting                  int64
	MeetingTitle, MeetingURL string
	Decision                 int
	Text                     string
	Agency                   siaga.Agency
	AgencyName               string
	Region, RegionName       string
	Due                      string
	Status                   siaga.ActionStatus
	Overdue                  int // days past due; 0 when not overdue
	DoneAt                   string
	DoneBy, DoneNote, Reason string
	Version                  int
	// What the reader may do with it (meeting.CanClose; cancel: desk).
	CanClose, CanCancel bool
}

var actionColumns = []column{{Name: "id", Number: true}, {Name: "rapat"}, {Name: "keputusan", Number: true}, {Name: "uraian"},
	{Name: "instansi"}, {Name: "wilayah"}, {Name: "tenggat"}, {Name: "status"}, {Name: "lewat_hari", Number: true},
	{Name: "selesai_pada"}, {Name: "selesai_oleh"}, {Name: "catatan_selesai"}, {Name: "alasan_batal"}}

func (row actionRow) cells() []string {
	dec := ""
	if row.Decision > 0 {
		dec = strconv.Itoa(row.Decision)
	}
	return []string{strconv.FormatInt(row.ID, 10), row.MeetingTitle, dec, row.Text, row.AgencyName, row.Region + " " + row.RegionName,
		row.Due, string(row.Status), strconv.Itoa(row.Overdue), row.DoneAt, row.DoneBy, row.DoneNote, row.Reason}
}

// actionRows turns items into rows, reading each meeting's title once.
type actionRows struct {
	h      *Pages
	u      *siaga.User
	today  string
	titles map[int64]*siaga.Meeting
}

func (h *Pages) newActionRows(u *siaga.User) *actionRows {
	return &actionRows{h: h, u: u, today: meeting.Today(h.now()), titles: map[int64]*siaga.Meeting{}}
}

func (rs *actionRows) row(ctx context.Context, a siaga.ActionItem) actionRow {
	row := actionRow{ID: a.ID, Meeting: a.Meeting, Decision: a.Decision, Text: a.Text, Agency: a.Agency, AgencyName: agencyName(a.Agency),
		Region: a.Region, RegionName: rs.h.regionName(a.Region), Due: a.Due, Status: a.Status, Overdue: a.OverdueDays(rs.today),
		DoneBy: a.DoneBy, DoneNote: a.DoneNote, Reason: a.Reason, Version: a.Version}
	if !a.DoneAt.IsZero() {
		row.DoneAt = a.DoneAt.In(siaga.WIB).Format("2006-01-02 15:04") + " WIB"
	}
	m, ok := rs.titles[a.Meeting]
	if !ok {
		m, _ = rs.h.Meetings.Meeting(ctx, a.Meeting) // a missing meeting leaves the title empty
		rs.titles[a.Meeting] = m
	}
	if m != nil {
		row.MeetingTitle = m.At.In(siaga.WIB).Format("2006-01-02") + " " + m.Title
		row.MeetingURL = "/rapat/" + m.Region + "/agenda/" + strconv.FormatInt(m.ID, 10)
	}
	row.CanClose = meeting.CanClose(rs.u, &a)
	row.CanCancel = row.CanClose && rs.u.Role == siaga.RoleDesk
	return row
}

// actionTable is every item f selects (its cursor ignored): the
// downloads of the three pages.
func (h *Pages) actionTable(ctx context.Context, name string, f siaga.ActionItemFilter, u *siaga.User) table {
	return table{Name: name, Columns: actionColumns, Rows: func(row func([]string) error) error {
		rows := h.newActionRows(u)
		f.After, f.Limit = 0, MaxAnomalyPage
		for {
			page, err := h.Meetings.ActionItems(ctx, f)
			if err != nil {
				return err
			}
			for _, a := range page.Items {
				if err := row(rows.row(ctx, a).cells()); err != nil {
					return err
				}
			}
			if page.Next == 0 {
				return nil
			}
			f.After = page.Next
		}
	}}
}

// actionFilter reads ?instansi=&status=&lewat=1&kursor= for the items of scope.
func actionFilter(scope string, v url.Values, today string) (siaga.ActionItemFilter, error) {
	f := siaga.ActionItemFilter{Scope: scope, Agency: siaga.Agency(v.Get("instansi")), Status: siaga.ActionStatus(v.Get("status")),
		Limit: actionPageSize}
	if f.Agency != "" && !f.Agency.Valid() {
		return f, siaga.Errorf(siaga.EInvalid, "instansi", "Instansi %q tidak dikenal", "unknown agency %q", f.Agency)
	}
	if f.Status != "" && !f.Status.Valid() {
		return f, siaga.Errorf(siaga.EInvalid, "status", "Status %q tidak dikenal", "unknown status %q", f.Status)
	}
	if v.Get("lewat") == "1" {
		f.OverdueOn = today
	}
	if c := v.Get("kursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 1 {
			return f, siaga.Errorf(siaga.EInvalid, "kursor", "Kursor tidak sah", "invalid cursor")
		}
		f.After = n
	}
	return f, nil
}

func actionValues(f siaga.ActionItemFilter) url.Values {
	v := url.Values{}
	if f.Agency != "" {
		v.Set("instansi", string(f.Agency))
	}
	if f.Status != "" {
		v.Set("status", string(f.Status))
	}
	if f.OverdueOn != "" {
		v.Set("lewat", "1")
	}
	return v
}

func (h *Pages) meetingsOff(w http.ResponseWriter, r *http.Request) bool {
	if h.Meetings != nil {
		return false
	}
	h.Error(w, r, http.StatusServiceUnavailable, "Rapat koordinasi tidak dicatat di server ini.", "Meetings are not recorded on this server.")
	return true
}

// meetingRegion is the path's region, a province or kab/kota: the desks.
func (h *Pages) meetingRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, bool) {
	if h.meetingsOff(w, r) {
		return siaga.Region{}, false
	}
	reg, ok := h.Regions.Region(r.PathValue("code"))
	if !ok || (reg.Level != siaga.LevelProvince && reg.Level != siaga.LevelKabKota) {
		h.pageNotFound(w, r)
		return reg, false
	}
	return reg, true
}

// actionsView is a page of action items with its count, pager and downloads.
type actionsView struct {
	Filter    siaga.ActionItemFilter
	Agencies  []agencyOption
	Statuses  []siaga.ActionStatus
	Rows      []actionRow
	Total     int
	From, To  int
	Next      string
	Prev      string
	All       string // the whole list, when this is a preview
	CSV, XLSX string
	Back      string // where the done/cancel forms come back to
	// Path is where the filter form goes; OverdueFilter offers "overdue
	// only" there. CSRF is the session's, for the forms.
	Path          string
	OverdueFilter bool
	CSRF          string
}

// actionsView reads the page of items f selects; path is the list page's
// and exports the downloads' path (without .csv).
func (h *Pages) actionsView(r *http.Request, f siaga.ActionItemFilter, path, exports string, trail []string) (actionsView, error) {
	page, err := h.Meetings.ActionItems(r.Context(), f)
	if err != nil {
		return actionsView{}, err
	}
	v := actionsView{Filter: f, Agencies: agencyOptions(), Statuses: siaga.ActionStatuses, Total: page.Total, Back: r.URL.RequestURI(),
		Path: path}
	if _, sess := h.currentUser(r); sess != nil {
		v.CSRF = sess.CSRF
	}
	rows := h.newActionRows(h.account(r))
	for _, a := range page.Items {
		v.Rows = append(v.Rows, rows.row(r.Context(), a))
	}
	base := actionValues(f)
	v.CSV, v.XLSX = exports+".csv?"+base.Encode(), exports+".xlsx?"+base.Encode()
	v.From = len(trail)*actionPageSize + 1
	v.To = v.From + len(v.Rows) - 1
	if len(v.Rows) == 0 {
		v.From = 0
	}
	cursor, next := "", ""
	if f.After > 0 {
		cursor = strconv.FormatInt(f.After, 10)
	}
	if page.Next > 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	_, v.Next, v.Prev = pageLinks(path, base, cursor, next, trail)
	return v, nil
}

type meetingsPage struct {
	basePage
	Region   siaga.Region
	Meetings []meetingRow
	Total    int
	From, To int
	Next     string
	Prev     string
	Actions  actionsView
	CanWrite bool
	Form     meetingForm
}

type meetingRow struct {
	ID                           int64
	URL, When, Title, Place      string
	Participants, Decisions, Due int
}

// MeetingsPage serves GET /rapat/{code}?kursor=&kembali=&instansi=&status=.
func (h *Pages) MeetingsPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.meetingRegion(w, r)
	if !ok {
		return
	}
	h.renderMeetings(w, r, http.StatusOK, reg, meetingForm{At: h.now().In(siaga.WIB).Format(formMinute)})
}

func (h *Pages) renderMeetings(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, form meetingForm) {
	v := r.URL.Query()
	p := meetingsPage{basePage: h.base(r, "Rapat koordinasi — "+reg.Name), Region: reg, Form: form,
		CanWrite: meeting.CanWrite(h.account(r), reg.Code)}
	p.Nav, p.Path = "rapat", h.Regions.Path(reg.Code)
	f := siaga.MeetingFilter{Scope: reg.Code, Limit: meetingPageSize}
	if c := v.Get("kursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 1 {
			h.Error(w, r, http.StatusBadRequest, "Kursor tidak sah.", "Invalid cursor.")
			return
		}
		f.Before = n
	}
	page, err := h.Meetings.Meetings(r.Context(), f)
	if err != nil {
		h.dashLog().Error("meetings", "region", reg.Code, "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Daftar rapat tidak dapat dimuat.", "The meetings could not be loaded.")
		return
	}
	for _, m := range page.Items {
		p.Meetings = append(p.Meetings, meetingRow{ID: m.ID, URL: "/rapat/" + m.Region + "/agenda/" + strconv.FormatInt(m.ID, 10),
			When: m.At.In(siaga.WIB).Format("2006-01-02 15:04") + " WIB", Title: m.Title, Place: m.Place,
			Participants: len(m.Participants), Decisions: len(m.Decisions)})
	}
	trail := splitTrail(v.Get("kembali"))
	p.Total, p.From = page.Total, len(trail)*meetingPageSize+1
	p.To = p.From + len(p.Meetings) - 1
	if len(p.Meetings) == 0 {
		p.From = 0
	}
	cursor, next := "", ""
	if f.Before > 0 {
		cursor = strconv.FormatInt(f.Before, 10)
	}
	if page.Next > 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	path := "/rapat/" + reg.Code
	_, p.Next, p.Prev = pageLinks(path, url.Values{}, cursor, next, trail)

	// The open items of the region (filters apply; open by default).
	av := url.Values{"instansi": {v.Get("instansi")}, "status": {v.Get("status")}}
	if !v.Has("status") {
		av.Set("status", string(siaga.ActionOpen))
	}
	af, err := actionFilter(reg.Code, av, meeting.Today(h.now()))
	if err != nil {
		h.Error(w, r, http.StatusBadRequest, "Filter tidak sah: "+errorText(err, false), "Invalid filter: "+errorText(err, true))
		return
	}
	af.Limit = actionPreview
	if p.Actions, err = h.actionsView(r, af, path+"/tindak-lanjut", path+"/tindak-lanjut", nil); err != nil {
		h.dashLog().Error("action items", "region", reg.Code, "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Tindak lanjut tidak dapat dimuat.", "The action items could not be loaded.")
		return
	}
	p.Actions.All, p.Actions.Next, p.Actions.Path = path+"/tindak-lanjut?"+actionValues(af).Encode(), "", path
	h.renderStatus(w, r, status, "rapat", p)
}

type actionsPage struct {
	basePage
	Region  siaga.Region
	Actions actionsView
}

// ActionItemsPage serves GET /rapat/{code}/tindak-lanjut?instansi=&status=&lewat=&kursor=&kembali=:
// every action item of the region, paged, overdue ones in red.
func (h *Pages) ActionItemsPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.meetingRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	f, err := actionFilter(reg.Code, v, meeting.Today(h.now()))
	if err != nil {
		h.Error(w, r, http.StatusBadRequest, "Filter tidak sah: "+errorText(err, false), "Invalid filter: "+errorText(err, true))
		return
	}
	path := "/rapat/" + reg.Code + "/tindak-lanjut"
	p := actionsPage{basePage: h.base(r, "Tindak lanjut rapat — "+reg.Name), Region: reg}
	p.Nav, p.Path = "rapat", h.Regions.Path(reg.Code)
	if p.Actions, err = h.actionsView(r, f, path, path, splitTrail(v.Get("kembali"))); err != nil {
		h.dashLog().Error("action items", "region", reg.Code, "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Tindak lanjut tidak dapat dimuat.", "The action items could not be loaded.")
		return
	}
	p.Actions.OverdueFilter = true
	h.render(w, r, "rapat_tindak_lanjut", p)
}

// ActionItemsExport serves GET /rapat/{code}/tindak-lanjut.csv and .xlsx
// with the list page's filters.
func (h *Pages) ActionItemsExport(format ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Meetings == nil {
			h.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Rapat tidak dicatat di server ini", "meetings are not recorded on this server"))
			return
		}
		code := r.PathValue("code")
		if _, ok := h.Regions.Region(code); !ok {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "code", "Wilayah %s tidak dikenal", "unknown region %s", code))
			return
		}
		f, err := actionFilter(code, r.URL.Query(), meeting.Today(h.now()))
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.actionTable(r.Context(), "siaga-tindak-lanjut-"+code, f, h.account(r)), format)
	}
}

// ActionItemStep serves POST /rapat/{code}/tindak-lanjut/{id}: aksi
// selesai (with catatan), buka or batal (with alasan), at the version the
// form was read at; back to the page the form was on.
func (h *Pages) ActionItemStep(w http.ResponseWriter, r *http.Request) {
	if h.meetingsOff(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		h.pageNotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	a, err := h.Meetings.ActionItem(r.Context(), id)
	if err != nil || !siaga.InScope(r.PathValue("code"), a.Region) {
		h.pageNotFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("versi"))
	u, text := h.account(r), r.PostFormValue("catatan")
	switch r.PostFormValue("aksi") {
	case "selesai":
		_, err = h.Meetings.MarkDone(r.Context(), u, id, version, text)
	case "buka":
		_, err = h.Meetings.Reopen(r.Context(), u, id, version, text)
	case "batal":
		_, err = h.Meetings.Cancel(r.Context(), u, id, version, text)
	default:
		err = siaga.Errorf(siaga.EInvalid, "aksi", "Aksi tidak dikenal: selesai, buka atau batal", "unknown action: selesai, buka or batal")
	}
	if err != nil {
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Tindak lanjut tidak diubah: "+errorText(err, false)+".",
			"Action item not changed: "+errorText(err, true)+".")
		return
	}
	back := r.PostFormValue("kembali")
	if !strings.HasPrefix(back, "/rapat/") || strings.HasPrefix(back, "//") {
		back = "/rapat/" + r.PathValue("code") + "/tindak-lanjut"
	}
	http.Redirect(w, r, back+"#tl-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// formMinute is the layout of a datetime-local field.
const formMinute = "2006-01-02T15:04"

// meetingForm is the new-meeting form as typed, and why it was refused.
type meetingForm struct {
	Title, At, Place, Chair, Participants, Agenda, Decisions, Notes string
	Error, ErrorEN, Field                                           string
}

// parse reads the form into a meeting of region. Participants are lines
// "instansi; nama; jabatan"; agenda and decisions one per line, the
// decisions numbered in order.
func (f meetingForm) parse(region string) (siaga.Meeting, error) {
	m := siaga.Meeting{Region: region, Title: strings.TrimSpace(f.Title), Place: strings.TrimSpace(f.Place),
		Chair: strings.TrimSpace(f.Chair), Notes: strings.TrimSpace(f.Notes)}
	at, err := time.ParseInLocation(formMinute, f.At, siaga.WIB)
	if err != nil {
		return m, siaga.Errorf(siaga.EInvalid, "at", "Waktu rapat %q tidak terbaca (tanggal dan jam)", "the meeting's time %q is unreadable (date and time)", f.At)
	}
	m.At = at
	for i, line := range lines(f.Participants) {
		parts := strings.Split(line, ";")
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		if len(parts) > 3 {
			return m, siaga.Errorf(siaga.EInvalid, "participants", "Peserta baris %d: tulis \"instansi; nama; jabatan\"",
				"participant line %d: write \"agency; name; position\"", i+1)
		}
		m.Participants = append(m.Participants, siaga.Participant{Agency: agencyCode(parts[0]),
			Name: strings.TrimSpace(parts[1]), Position: strings.TrimSpace(parts[2])})
	}
	m.Agenda = lines(f.Agenda)
	for i, d := range lines(f.Decisions) {
		m.Decisions = append(m.Decisions, siaga.Decision{No: i + 1, Text: d})
	}
	return m, nil
}

// agencyCode reads an agency by its code or its name, any case.
func agencyCode(s string) siaga.Agency {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, a := range siaga.Agencies {
		if s == string(a) || s == strings.ToLower(agencyName(a)) {
			return a
		}
	}
	return siaga.Agency(s)
}

// lines are the non-empty lines of s, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (f meetingForm) withError(err error) meetingForm {
	f.Error, f.ErrorEN = errorText(err, false), errorText(err, true)
	var e *siaga.Error
	if errors.As(err, &e) {
		f.Field = e.Field
	}
	return f
}

// CreateMeetingForm serves POST /rapat/{code}: the desk records a meeting
// and goes on to its page to add the action items.
func (h *Pages) CreateMeetingForm(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.meetingRegion(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	v := r.PostForm
	form := meetingForm{Title: v.Get("judul"), At: v.Get("waktu"), Place: v.Get("tempat"), Chair: v.Get("pimpinan"),
		Participants: v.Get("peserta"), Agenda: v.Get("agenda"), Decisions: v.Get("keputusan"), Notes: v.Get("catatan")}
	m, err := form.parse(reg.Code)
	var saved *siaga.Meeting
	if err == nil {
		saved, err = h.Meetings.CreateMeeting(r.Context(), h.account(r), m)
	}
	if err != nil {
		h.renderMeetings(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), reg, form.withError(err))
		return
	}
	http.Redirect(w, r, "/rapat/"+reg.Code+"/agenda/"+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
}

// canSeeMeeting: the meetings of the path's region and under it, and the
// meetings above it whose decisions the region's desk carries out (a kab/kota
// desk reads its province's minutes).
func canSeeMeeting(code string, m *siaga.Meeting) bool {
	return siaga.InScope(code, m.Region) || siaga.InScope(m.Region, code)
}
