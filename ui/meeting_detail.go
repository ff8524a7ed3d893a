package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/meeting"
)

// One meeting (/rapat/{code}/agenda/{id}): its minutes (notulen) —
// participants by agency, agenda, decisions, notes — printable as they
// are, and its action items with the forms that move them.

type meetingPage struct {
	basePage
	Region   siaga.Region
	Meeting  *siaga.Meeting
	When     string
	Groups   []participantGroup
	Actions  actionsView
	CanWrite bool
	Agencies []agencyOption
	Item     itemForm
	Edit     meetingForm
	Base     string // this page's path
}

type participantGroup struct {
	Agency string
	People []siaga.Participant
}

// itemForm is the new-action-item form as typed, and why it was refused.
type itemForm struct {
	Decision, Text, Agency, Region, Due string
	Error, ErrorEN                      string
}

// meetingOf reads the path's meeting, visible from the path's region.
func (h *Pages) meetingOf(w http.ResponseWriter, r *http.Request) (siaga.Region, *siaga.Meeting, bool) {
	reg, ok := h.meetingRegion(w, r)
	if !ok {
		return reg, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		h.pageNotFound(w, r)
		return reg, nil, false
	}
	m, err := h.Meetings.Meeting(r.Context(), id)
	if err != nil || !canSeeMeeting(reg.Code, m) {
		if err != nil && siaga.ErrorCode(err) != siaga.ENotFound {
			h.dashLog().Error("meeting", "id", id, "err", err)
		}
		h.pageNotFound(w, r)
		return reg, nil, false
	}
	return reg, m, true
}

// MeetingPage serves GET /rapat/{code}/agenda/{id}.
func (h *Pages) MeetingPage(w http.ResponseWriter, r *http.Request) {
	reg, m, ok := h.meetingOf(w, r)
	if !ok {
		return
	}
	h.renderMeeting(w, r, http.StatusOK, reg, m, itemForm{Due: meeting.Today(h.now())}, formOf(m))
}

// formOf is m as the edit form shows it.
func formOf(m *siaga.Meeting) meetingForm {
	f := meetingForm{Title: m.Title, At: m.At.In(siaga.WIB).Format(formMinute), Place: m.Place, Chair: m.Chair, Notes: m.Notes}
	var ps, ds []string
	for _, p := range m.Participants {
		ps = append(ps, string(p.Agency)+"; "+p.Name+"; "+p.Position)
	}
	for _, d := range m.Decisions {
		ds = append(ds, d.Text)
	}
	f.Participants, f.Agenda, f.Decisions = strings.Join(ps, "\n"), strings.Join(m.Agenda, "\n"), strings.Join(ds, "\n")
	return f
}

func (h *Pages) renderMeeting(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, m *siaga.Meeting, item itemForm, edit meetingForm) {
	base := "/rapat/" + reg.Code + "/agenda/" + strconv.FormatInt(m.ID, 10)
	p := meetingPage{basePage: h.base(r, "Notulen rapat — "+m.Title), Region: reg, Meeting: m,
		When: m.At.In(siaga.WIB).Format("Monday 2006-01-02 15:04") + " WIB", CanWrite: meeting.CanWrite(h.account(r), m.Region),
		Agencies: agencyOptions(), Item: item, Edit: edit, Base: base}
	p.When = dayNames.Replace(p.When)
	p.Nav, p.Path = "rapat", h.Regions.Path(reg.Code)
	for _, a := range siaga.Agencies {
		g := participantGroup{Agency: agencyName(a)}
		for _, pp := range m.Participants {
			if pp.Agency == a {
				g.People = append(g.People, pp)
			}
		}
		if len(g.People) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	// A meeting's items are few (one or two per decision): one page of
	// the largest size, counted, shows them all or says how many are not.
	f := siaga.ActionItemFilter{Meeting: m.ID, Limit: MaxAnomalyPage}
	var err error
	if p.Actions, err = h.actionsView(r, f, base, base+"/tindak-lanjut", nil); err != nil {
		h.dashLog().Error("meeting items", "id", m.ID, "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Tindak lanjut tidak dapat dimuat.", "The action items could not be loaded.")
		return
	}
	h.renderStatus(w, r, status, "rapat_notulen", p)
}

// dayNames puts Go's English weekday names in Indonesian.
var dayNames = strings.NewReplacer("Monday", "Senin", "Tuesday", "Selasa", "Wednesday", "Rabu", "Thursday", "Kamis",
	"Friday", "Jumat", "Saturday", "Sabtu", "Sunday", "Minggu")

// EditMeetingForm serves POST /rapat/{code}/agenda/{id}: the desk edits
// the minutes, at the version it read (versi).
func (h *Pages) EditMeetingForm(w http.ResponseWriter, r *http.Request) {
	reg, m, ok := h.meetingOf(w, r)
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
	edit, err := form.parse(m.Region)
	if err == nil {
		edit.ID = m.ID
		edit.Version, _ = strconv.Atoi(v.Get("versi"))
		_, err = h.Meetings.UpdateMeeting(r.Context(), h.account(r), edit)
	}
	if err != nil {
		h.renderMeeting(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), reg, m, itemForm{Due: meeting.Today(h.now())}, form.withError(err))
		return
	}
	http.Redirect(w, r, "/rapat/"+reg.Code+"/agenda/"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
}

// AddActionItemForm serves POST /rapat/{code}/agenda/{id}/tindak-lanjut:
// the desk gives a task of the meeting to an agency.
func (h *Pages) AddActionItemForm(w http.ResponseWriter, r *http.Request) {
	reg, m, ok := h.meetingOf(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	v := r.PostForm
	form := itemForm{Decision: v.Get("keputusan"), Text: strings.TrimSpace(v.Get("uraian")), Agency: v.Get("instansi"),
		Region: strings.TrimSpace(v.Get("wilayah")), Due: v.Get("tenggat")}
	dec := 0
	var err error
	if form.Decision != "" {
		if dec, err = strconv.Atoi(form.Decision); err != nil {
			err = siaga.Errorf(siaga.EInvalid, "decision", "Nomor keputusan %q tidak sah", "invalid decision number %q", form.Decision)
		}
	}
	if err == nil {
		_, err = h.Meetings.AddActionItem(r.Context(), h.account(r), siaga.ActionItem{Meeting: m.ID, Decision: dec, Text: form.Text,
			Agency: siaga.Agency(form.Agency), Region: form.Region, Due: form.Due})
	}
	if err != nil {
		form.Error, form.ErrorEN = errorText(err, false), errorText(err, true)
		h.renderMeeting(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), reg, m, form, formOf(m))
		return
	}
	http.Redirect(w, r, "/rapat/"+reg.Code+"/agenda/"+strconv.FormatInt(m.ID, 10)+"#tindak-lanjut", http.StatusSeeOther)
}

// MeetingItemsExport serves GET /rapat/{code}/agenda/{id}/tindak-lanjut.csv
// and .xlsx: the meeting's action items.
func (h *Pages) MeetingItemsExport(format ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Meetings == nil {
			h.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Rapat tidak dicatat di server ini", "meetings are not recorded on this server"))
			return
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		var m *siaga.Meeting
		if err == nil {
			m, err = h.Meetings.Meeting(r.Context(), id)
		}
		if err != nil || !canSeeMeeting(r.PathValue("code"), m) {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "id", "Rapat tidak ada", "no such meeting"))
			return
		}
		name := "siaga-rapat-" + strconv.FormatInt(m.ID, 10) + "-" + m.At.In(siaga.WIB).Format(time.DateOnly)
		h.writeTable(w, r, h.actionTable(r.Context(), name, siaga.ActionItemFilter{Meeting: m.ID}, h.account(r)), format)
	}
}
