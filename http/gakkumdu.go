package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/gakkumdu"
)

// The JSON API of Sentra Gakkumdu's cases (docs/security-incidents.md,
// "Gakkumdu cases and their clocks"), under a region in the account's
// scope: the cases of that region, one case with its clock, history and
// documents, opening one from an incident, moving it on, stopping it. The
// route admits gakkumduRoles in scope; who may write is the service's
// (Bawaslu, Polri, Kejaksaan; each stage by its agency). Suspects, notes
// and documents are staff data: no public route carries them.

// gakkumduBody bounds a JSON request: the fields of a case, or an
// advance with one document of up to 5 MiB as base64 (4/3 of it).
const (
	gakkumduBody    = 16 << 10
	gakkumduDocBody = siaga.MaxCaseDocument*4/3 + 64<<10
)

// caseJSON is a case with its clock now and, for one case, its documents.
type caseJSON struct {
	*siaga.Case
	Clock     gakkumdu.Clock       `json:"clock"`
	ClockText string               `json:"clock_text"`
	Documents []siaga.CaseDocument `json:"documents,omitempty"`
}

func (s *Server) caseJSON(c *siaga.Case) caseJSON {
	k := gakkumdu.ClockOf(c, s.Now())
	return caseJSON{Case: c, Clock: k, ClockText: k.Text() + " / " + k.TextEN()}
}

func (s *Server) gakkumduOff(w http.ResponseWriter, r *http.Request) bool {
	if s.Gakkumdu != nil {
		return false
	}
	s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Perkara Gakkumdu tidak dicatat di server ini", "Gakkumdu cases are not recorded on this server"))
	return true
}

// handleCasesAPI serves GET /api/v1/gakkumdu/{region}: the region's cases,
// newest first, ?stage= and ?overdue=1 filtering in the store, ?before=ID
// paging; {"items","total","next"}.
func (s *Server) handleCasesAPI(w http.ResponseWriter, r *http.Request) {
	if s.gakkumduOff(w, r) {
		return
	}
	v := r.URL.Query()
	before, err := queryInt(v.Get("before"), "before", 1, 1<<62)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limit, err := queryInt(v.Get("limit"), "limit", 1, 100)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := siaga.CaseFilter{Scope: r.PathValue("region"), Stage: siaga.CaseStage(v.Get("stage")), Before: before, Limit: int(limit)}
	page, err := s.Gakkumdu.List(r.Context(), s.account(r), f, v.Get("overdue") == "1")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	items := make([]caseJSON, len(page.Items))
	for i := range page.Items {
		items[i] = s.caseJSON(&page.Items[i])
	}
	var next string
	if page.Next != 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		Items []caseJSON `json:"items"`
		Total int        `json:"total"`
		Next  string     `json:"next,omitempty"`
	}{items, page.Total, next})
}

// openCaseRequest is the body of POST /api/v1/gakkumdu/{region}.
type openCaseRequest struct {
	Incident int64            `json:"incident"`
	Origin   siaga.CaseOrigin `json:"origin"`
	Title    string           `json:"title"`
	Suspect  string           `json:"suspect"`
	Article  string           `json:"article"`
	KnownAt  time.Time        `json:"known_at"`
}

// handleOpenCase serves POST /api/v1/gakkumdu/{region}: a case from an
// incident under the region; 201 with the case.
func (s *Server) handleOpenCase(w http.ResponseWriter, r *http.Request) {
	if s.gakkumduOff(w, r) {
		return
	}
	var in openCaseRequest
	if !decodeStrict(s, w, r, &in) {
		return
	}
	c, err := s.Gakkumdu.Open(r.Context(), s.account(r), gakkumdu.OpenInput{Incident: in.Incident, Origin: in.Origin, Title: in.Title,
		Suspect: in.Suspect, Article: in.Article, KnownAt: in.KnownAt})
	if err == nil && !siaga.InScope(r.PathValue("region"), c.Region) {
		err = siaga.Errorf(siaga.EInvalid, "incident", "Insiden %d tidak di wilayah %s", "incident %d is not in region %s", in.Incident, r.PathValue("region"))
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.caseJSON(c))
}

// pathCase is the case {id} under {region}, in the account's scope; a
// case elsewhere is not found under this region.
func (s *Server) pathCase(w http.ResponseWriter, r *http.Request) (*siaga.Case, bool) {
	if s.gakkumduOff(w, r) {
		return nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "Nomor perkara tidak sah", "invalid case number"))
		return nil, false
	}
	c, err := s.Gakkumdu.Case(r.Context(), s.account(r), id)
	if err == nil && !siaga.InScope(r.PathValue("region"), c.Region) {
		err = siaga.Errorf(siaga.ENotFound, "", "Perkara %d tidak ada di wilayah ini", "case %d is not in this region", id)
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	return c, true
}

// handleCaseAPI serves GET /api/v1/gakkumdu/{region}/{id}: the case, its
// clock, history and documents (without their bytes).
func (s *Server) handleCaseAPI(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCase(w, r)
	if !ok {
		return
	}
	docs, err := s.Gakkumdu.Documents(r.Context(), c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := s.caseJSON(c)
	out.Documents = nonNil(docs)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// advanceCaseRequest is the body of POST …/{id}/advance. Documents carry
// their bytes as base64 (encoding/json's []byte).
type advanceCaseRequest struct {
	Version   int             `json:"version"`
	To        siaga.CaseStage `json:"to"`
	At        time.Time       `json:"at"`
	Note      string          `json:"note"`
	Documents []struct {
		Name string `json:"name"`
		Data []byte `json:"data"`
	} `json:"documents"`
}

// handleAdvanceCase serves POST /api/v1/gakkumdu/{region}/{id}/advance.
func (s *Server) handleAdvanceCase(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCase(w, r)
	if !ok {
		return
	}
	var in advanceCaseRequest
	if !decodeStrict(s, w, r, &in) {
		return
	}
	a := gakkumdu.AdvanceInput{Version: in.Version, To: in.To, At: in.At, Note: in.Note}
	for _, d := range in.Documents {
		a.Docs = append(a.Docs, gakkumdu.DocumentInput{Name: d.Name, Data: d.Data})
	}
	c, err := s.Gakkumdu.Advance(r.Context(), s.account(r), c.ID, a)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.caseJSON(c))
}

// handleStopCase serves POST /api/v1/gakkumdu/{region}/{id}/stop:
// {"version","reason"}.
func (s *Server) handleStopCase(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCase(w, r)
	if !ok {
		return
	}
	var in struct {
		Version int    `json:"version"`
		Reason  string `json:"reason"`
	}
	if !decodeStrict(s, w, r, &in) {
		return
	}
	c, err := s.Gakkumdu.Stop(r.Context(), s.account(r), c.ID, in.Version, in.Reason)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.caseJSON(c))
}
