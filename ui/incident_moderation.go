package ui

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// The moderation queue (/insiden/{code}/moderasi): the public reports of
// a region not yet checked, oldest first (the longest waiting is checked
// first), paged by the last id shown, "N–M dari T". Each has the verify
// and reject-with-reason forms of its page, which come back here. The
// sender (a phone number or the web form's address) is shown here and
// nowhere else: it is what the triage staff need to tell a flood from
// one sender, and staff data everywhere else.

type moderationPage struct {
	basePage
	incidentWords
	Region      siaga.Region
	Rows        []incidentRow
	Total       int
	First, Last int
	Next        string
}

// moderationFilter selects the queue of region code.
func moderationFilter(code string) siaga.IncidentFilter {
	public := true
	return siaga.IncidentFilter{Scope: code, Public: &public, Statuses: []siaga.IncidentStatus{siaga.IncidentNew}}
}

// ModerationPage serves GET /insiden/{code}/moderasi?setelah=&n=.
func (h *Pages) ModerationPage(w http.ResponseWriter, r *http.Request) {
	if h.incidentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	var after int64
	var shown int // rows on the pages before, for "N–M"
	if s := v.Get("setelah"); s != "" {
		var err1, err2 error
		after, err1 = strconv.ParseInt(s, 10, 64)
		shown, err2 = strconv.Atoi(v.Get("n"))
		if err1 != nil || err2 != nil || after < 0 || shown < 0 {
			h.Error(w, r, http.StatusBadRequest, "Kursor tidak sah.", "Invalid cursor.")
			return
		}
	}
	f := moderationFilter(reg.Code)
	total, err := h.Incidents.CountIncidents(r.Context(), f)
	// EachIncident goes oldest first; the page stops it once it has one
	// row more than it shows, which says whether there is a next page.
	var page []siaga.Incident
	if err == nil {
		err = h.Incidents.EachIncident(r.Context(), f, func(in *siaga.Incident) error {
			if in.ID <= after {
				return nil
			}
			page = append(page, *in)
			if len(page) > incidentPageSize {
				return errStop
			}
			return nil
		})
	}
	if err != nil && !errors.Is(err, errStop) {
		h.dashLog().Error("loading the moderation queue", "region", reg.Code, "err", err)
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Antrean tidak dapat dibuka; coba lagi.", "The queue could not be loaded; try again.")
		return
	}
	p := moderationPage{basePage: h.base(r, "Antrean moderasi — "+reg.Name), Region: reg, Total: total}
	p.Nav, p.Path = "insiden", h.Regions.Path(reg.Code)
	if len(page) > incidentPageSize {
		page = page[:incidentPageSize]
		p.Next = "/insiden/" + reg.Code + "/moderasi?setelah=" + strconv.FormatInt(page[len(page)-1].ID, 10) +
			"&n=" + strconv.Itoa(shown+len(page))
	}
	p.Rows = h.incidentRows(reg.Code, page)
	if len(p.Rows) > 0 {
		p.First, p.Last = shown+1, shown+len(p.Rows)
	}
	h.render(w, r, "incident_moderation", p)
}
