package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/ui"
)

// The JSON API of the desk's coordination meetings (meeting package;
// docs/security-incidents.md): the situation roles read the meetings of
// their region with their action items; the desk posts a meeting with its
// action items at once (a secretariat's own system, say). Staff only: the
// minutes name people and positions.

// Meetings records meetings and their action items (meeting.Service).
type Meetings = ui.Meetings

// meetingBody bounds a posted meeting: long minutes, a few dozen items.
const meetingBody = 256 << 10

// meetingRequest is a meeting and the action items to give with it.
type meetingRequest struct {
	Title        string              `json:"title"`
	At           time.Time           `json:"at"`
	Place        string              `json:"place"`
	Chair        string              `json:"chair"`
	Participants []siaga.Participant `json:"participants"`
	Agenda       []string            `json:"agenda"`
	Decisions    []siaga.Decision    `json:"decisions"`
	Notes        string              `json:"notes"`
	ActionItems  []struct {
		Decision int          `json:"decision"`
		Text     string       `json:"text"`
		Agency   siaga.Agency `json:"agency"`
		Region   string       `json:"region"`
		Due      string       `json:"due"`
	} `json:"action_items"`
}

// meetingAnswer is a meeting with its action items.
type meetingAnswer struct {
	*siaga.Meeting
	ActionItems []siaga.ActionItem `json:"action_items"`
}

// handleMeetingsAPI serves GET /api/v1/meetings/{region}?cursor=&limit=:
// the meetings of the region and under it, newest first, a page at a time.
func (s *Server) handleMeetingsAPI(w http.ResponseWriter, r *http.Request) {
	if s.noMeetings(w, r) {
		return
	}
	region := r.PathValue("region")
	if _, ok := s.Regions.Region(region); !ok {
		s.writeError(w, r, errNoRegion(region))
		return
	}
	f := siaga.MeetingFilter{Scope: region, Limit: 100}
	v := r.URL.Query()
	if c := v.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 1 {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "cursor", "Kursor tidak sah", "invalid cursor"))
			return
		}
		f.Before = n
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "limit", "limit harus antara 1 dan 1000", "limit must be between 1 and 1000"))
			return
		}
		f.Limit = n
	}
	page, err := s.Meetings.Meetings(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	next := ""
	if page.Next > 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		Items []siaga.Meeting `json:"items"`
		Total int             `json:"total"`
		Next  string          `json:"next"`
	}{page.Items, page.Total, next})
}

// handleMeetingAPI serves GET /api/v1/meetings/{region}/{id}: one meeting
// of the region (or above it) and all its action items.
func (s *Server) handleMeetingAPI(w http.ResponseWriter, r *http.Request) {
	if s.noMeetings(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "Nomor rapat tidak sah", "invalid meeting id"))
		return
	}
	m, err := s.Meetings.Meeting(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	region := r.PathValue("region")
	if !siaga.InScope(region, m.Region) && !siaga.InScope(m.Region, region) {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "id", "Rapat %d tidak ada di wilayah %s", "no meeting %d in region %s", id, region))
		return
	}
	s.writeMeeting(w, r, http.StatusOK, m)
}

func (s *Server) writeMeeting(w http.ResponseWriter, r *http.Request, status int, m *siaga.Meeting) {
	items, err := s.Meetings.ActionItems(r.Context(), siaga.ActionItemFilter{Meeting: m.ID})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, meetingAnswer{Meeting: m, ActionItems: items.Items})
}

// handleCreateMeeting serves POST /api/v1/meetings/{region}: the desk
// records a meeting of the region and gives its action items. The meeting
// is stored first; an item refused stops there and says which, and the
// meeting and the items before it stay (the answer's error names the
// item's index).
func (s *Server) handleCreateMeeting(w http.ResponseWriter, r *http.Request) {
	if s.noMeetings(w, r) {
		return
	}
	var req meetingRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	u := s.account(r)
	// Check every item's agency and date before anything is stored, so
	// that the common mistakes store nothing.
	for i, it := range req.ActionItems {
		if !it.Agency.Valid() {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "action_items["+strconv.Itoa(i)+"].agency",
				"Instansi %q tidak dikenal", "unknown agency %q", it.Agency))
			return
		}
		if _, err := time.Parse(siaga.DueDate, it.Due); err != nil {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "action_items["+strconv.Itoa(i)+"].due",
				"Tenggat %q bukan tanggal (TTTT-BB-HH)", "due date %q is not a date (YYYY-MM-DD)", it.Due))
			return
		}
	}
	m, err := s.Meetings.CreateMeeting(r.Context(), u, siaga.Meeting{Region: r.PathValue("region"), Title: req.Title, At: req.At,
		Place: req.Place, Chair: req.Chair, Participants: req.Participants, Agenda: req.Agenda, Decisions: req.Decisions, Notes: req.Notes})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for i, it := range req.ActionItems {
		if _, err := s.Meetings.AddActionItem(r.Context(), u, siaga.ActionItem{Meeting: m.ID, Decision: it.Decision, Text: it.Text,
			Agency: it.Agency, Region: it.Region, Due: it.Due}); err != nil {
			if e, ok := err.(*siaga.Error); ok {
				e.Field = "action_items[" + strconv.Itoa(i) + "]." + e.Field
			}
			s.writeError(w, r, err)
			return
		}
	}
	w.Header().Set("Location", "/api/v1/meetings/"+m.Region+"/"+strconv.FormatInt(m.ID, 10))
	s.writeMeeting(w, r, http.StatusCreated, m)
}

func (s *Server) noMeetings(w http.ResponseWriter, r *http.Request) bool {
	if s.Meetings != nil {
		return false
	}
	s.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Rapat tidak dicatat di server ini", "meetings are not recorded on this server"))
	return true
}
