package ui

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/gakkumdu"
)

// One Gakkumdu case (/gakkumdu/{code}/perkara/{id}): its clock, the
// timeline of its stages with their deadlines, its documents, and the
// forms of who may act: move it on or stop it (the agency of its stage),
// add a document (any Gakkumdu writer). Opening a case from an incident
// is /gakkumdu/{code}/baru?insiden=ID, linked from the incident's page.

// MaxCaseUpload bounds the multipart form of an advance or an upload: one
// document of 5 MiB and the fields around it.
const MaxCaseUpload = siaga.MaxCaseDocument + 64<<10

type casePage struct {
	basePage
	Region    siaga.Region
	Case      *siaga.Case
	Row       caseRow
	Timeline  []caseStepRow
	Upcoming  []caseStepRow
	Documents []siaga.CaseDocument
	Next      []siaga.CaseStage
	CanAct    bool
	CanWrite  bool
	Now       string
}

type caseStepRow struct {
	Stage       siaga.CaseStage
	At, Due     string
	Recorded    string
	By, Note    string
	Agency      siaga.Agency
	Days        int
	Current     bool
	Overdue     bool
	ClockText   string
	ClockTextEN string
}

// caseStageNames name the stages on the pages, Bahasa Indonesia and English.
var caseStageNames = map[siaga.CaseStage][2]string{
	siaga.StageReview:        {"Kajian Bawaslu", "Bawaslu review"},
	siaga.StageInvestigation: {"Penyidikan Polri", "police investigation"},
	siaga.StageProsecution:   {"Penuntutan Kejaksaan", "prosecution"},
	siaga.StageTrial:         {"Sidang Pengadilan Negeri", "district court trial"},
	siaga.StageVerdict:       {"Putusan PN (masa banding)", "verdict (appeal window)"},
	siaga.StageAppeal:        {"Banding Pengadilan Tinggi", "high court appeal"},
	siaga.StageFinal:         {"Inkracht (berkekuatan hukum tetap)", "final judgement"},
	siaga.StageStopped:       {"Dihentikan", "stopped"},
}

func caseStageName(s siaga.CaseStage) string {
	if n, ok := caseStageNames[s]; ok {
		return n[0] + " / " + n[1]
	}
	return string(s)
}

// pathCase is the case {id} under {code}, in the account's scope.
func (h *Pages) pathCase(w http.ResponseWriter, r *http.Request) (siaga.Region, *siaga.Case, bool) {
	if h.gakkumduOff(w, r) {
		return siaga.Region{}, nil, false
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return reg, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.pageNotFound(w, r)
		return reg, nil, false
	}
	c, err := h.Gakkumdu.Case(r.Context(), h.account(r), id)
	if err == nil && !siaga.InScope(reg.Code, c.Region) {
		err = siaga.Errorf(siaga.ENotFound, "", "Perkara %d tidak ada di wilayah ini", "case %d is not in this region", id)
	}
	if err != nil {
		h.caseRefusal(w, r, err, "Perkara tidak dapat dibaca; coba lagi.", "The case could not be read; try again.")
		return reg, nil, false
	}
	return reg, c, true
}

// CasePage serves GET /gakkumdu/{code}/perkara/{id}.
func (h *Pages) CasePage(w http.ResponseWriter, r *http.Request) {
	reg, c, ok := h.pathCase(w, r)
	if !ok {
		return
	}
	docs, err := h.Gakkumdu.Documents(r.Context(), c)
	if err != nil {
		h.caseRefusal(w, r, err, "Dokumen perkara tidak dapat dibaca; coba lagi.", "The case's documents could not be read; try again.")
		return
	}
	u := h.account(r)
	now := h.now()
	p := casePage{basePage: h.base(r, fmt.Sprintf("Perkara Gakkumdu %d", c.ID)), Region: reg, Case: c, Row: h.caseRow(c, now, reg.Code),
		Documents: docs, CanAct: gakkumdu.CanAct(u, c.Stage), CanWrite: gakkumdu.CanWrite(u) && !c.Stage.Done(),
		Next: c.Stage.Next(), Now: now.In(siaga.WIB).Format(stepLayout)}
	p.Nav = "gakkumdu"
	for i, s := range c.Stages {
		row := caseStepRow{Stage: s.Stage, At: wibText(s.At), Due: wibText(s.Due), Recorded: wibText(s.RecordedAt), By: s.By,
			Note: s.Note, Agency: s.Agency, Days: s.Stage.Days()}
		if i == len(c.Stages)-1 {
			k := gakkumdu.ClockOf(c, now)
			row.Current, row.Overdue, row.ClockText, row.ClockTextEN = true, k.Overdue, k.Text(), k.TextEN()
		}
		p.Timeline = append(p.Timeline, row)
	}
	// The stages still ahead on the ordinary path, with their limits.
	for s := c.Stage; !s.Done(); {
		next := s.Next()
		if len(next) == 0 {
			break
		}
		s = next[0]
		p.Upcoming = append(p.Upcoming, caseStepRow{Stage: s, Days: s.Days(), Agency: s.Agency()})
	}
	h.render(w, r, "gakkumdu_perkara", p)
}

// readCaseForm reads the multipart form unless the guard already did.
func readCaseForm(r *http.Request) error {
	if r.MultipartForm != nil {
		return nil
	}
	err := r.ParseMultipartForm(MaxCaseUpload)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil, errors.Is(err, http.ErrNotMultipart) && r.ParseForm() == nil:
		return nil
	case errors.As(err, &tooBig):
		return siaga.Errorf(siaga.ETooLarge, "dokumen", "Dokumen terlalu besar (maksimal 5 MiB)", "document too large (at most 5 MiB)")
	}
	return siaga.Errorf(siaga.EInvalid, "", "Formulir tidak terbaca", "the form could not be read")
}

// caseDocs reads the uploaded files of field "dokumen".
func caseDocs(r *http.Request) ([]gakkumdu.DocumentInput, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []gakkumdu.DocumentInput
	for _, fh := range r.MultipartForm.File["dokumen"] {
		if fh.Size > siaga.MaxCaseDocument {
			return nil, siaga.Errorf(siaga.ETooLarge, "dokumen", "Dokumen %s lebih dari 5 MiB", "document %s is over 5 MiB", fh.Filename)
		}
		data, err := readCaseDocument(fh)
		if err != nil {
			return nil, err
		}
		out = append(out, gakkumdu.DocumentInput{Name: fh.Filename, Data: data})
	}
	return out, nil
}

func readCaseDocument(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, siaga.MaxCaseDocument+1))
}

// caseFormTime reads a datetime-local field in WIB; zero when empty.
func caseFormTime(v, field string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(stepLayout, v, siaga.WIB)
	if err != nil {
		return t, siaga.Errorf(siaga.EInvalid, field, "Waktu %q tidak terbaca (YYYY-MM-DDTHH:MM, WIB)", "time %q unreadable (YYYY-MM-DDTHH:MM, WIB)", v)
	}
	return t, nil
}

// AdvanceCase serves POST /gakkumdu/{code}/perkara/{id}/lanjut: the next
// stage, when the file reached it, a note and the stage's documents.
func (h *Pages) AdvanceCase(w http.ResponseWriter, r *http.Request) {
	reg, c, ok := h.pathCase(w, r)
	if !ok {
		return
	}
	err := readCaseForm(r)
	var in gakkumdu.AdvanceInput
	if err == nil {
		in.Version, _ = strconv.Atoi(r.FormValue("versi"))
		in.To, in.Note = siaga.CaseStage(r.FormValue("tahap")), strings.TrimSpace(r.FormValue("catatan"))
		in.At, err = caseFormTime(r.FormValue("tanggal"), "tanggal")
	}
	if err == nil {
		in.Docs, err = caseDocs(r)
	}
	if err == nil {
		_, err = h.Gakkumdu.Advance(r.Context(), h.account(r), c.ID, in)
	}
	if err != nil {
		h.caseRefusal(w, r, err, "Perkara tidak dapat dilanjutkan; coba lagi.", "The case could not be moved on; try again.")
		return
	}
	http.Redirect(w, r, caseURL(reg.Code, c.ID), http.StatusSeeOther)
}

// StopCase serves POST /gakkumdu/{code}/perkara/{id}/hentikan.
func (h *Pages) StopCase(w http.ResponseWriter, r *http.Request) {
	reg, c, ok := h.pathCase(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.FormValue("versi"))
	if _, err := h.Gakkumdu.Stop(r.Context(), h.account(r), c.ID, version, strings.TrimSpace(r.FormValue("alasan"))); err != nil {
		h.caseRefusal(w, r, err, "Perkara tidak dapat dihentikan; coba lagi.", "The case could not be stopped; try again.")
		return
	}
	http.Redirect(w, r, caseURL(reg.Code, c.ID), http.StatusSeeOther)
}

// AddCaseDocument serves POST /gakkumdu/{code}/perkara/{id}/dokumen.
func (h *Pages) AddCaseDocument(w http.ResponseWriter, r *http.Request) {
	reg, c, ok := h.pathCase(w, r)
	if !ok {
		return
	}
	err := readCaseForm(r)
	var docs []gakkumdu.DocumentInput
	if err == nil {
		docs, err = caseDocs(r)
	}
	if err == nil && len(docs) != 1 {
		err = siaga.Errorf(siaga.EInvalid, "dokumen", "Pilih satu dokumen", "choose one document")
	}
	if err == nil {
		_, err = h.Gakkumdu.AddDocument(r.Context(), h.account(r), c.ID, docs[0])
	}
	if err != nil {
		h.caseRefusal(w, r, err, "Dokumen tidak dapat disimpan; coba lagi.", "The document could not be saved; try again.")
		return
	}
	http.Redirect(w, r, caseURL(reg.Code, c.ID)+"#dokumen", http.StatusSeeOther)
}

// CaseDocument serves GET /gakkumdu/{code}/perkara/{id}/dokumen/{doc}:
// the file as stored, as a download (never rendered inline: its type was
// sniffed but its content is someone's upload).
func (h *Pages) CaseDocument(w http.ResponseWriter, r *http.Request) {
	_, c, ok := h.pathCase(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	if err != nil {
		h.pageNotFound(w, r)
		return
	}
	d, err := h.Gakkumdu.Document(r.Context(), h.account(r), c.ID, id)
	if err != nil {
		h.caseRefusal(w, r, err, "Dokumen tidak dapat dibaca; coba lagi.", "The document could not be read; try again.")
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", d.Type)
	hd.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(d.Name))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("Content-Security-Policy", "sandbox")
	w.Write(d.Data)
}

// newCasePage is the form that opens a case from an incident.
type newCasePage struct {
	basePage
	Region    siaga.Region
	Incident  *siaga.Incident
	Suggested bool
	KnownAt   string
	Now       string
}

// NewCaseForm serves GET /gakkumdu/{code}/baru?insiden=ID.
func (h *Pages) NewCaseForm(w http.ResponseWriter, r *http.Request) {
	if h.gakkumduOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	u := h.account(r)
	if !gakkumdu.CanWrite(u) {
		h.Error(w, r, http.StatusForbidden, "Hanya Bawaslu, Polri dan Kejaksaan (Sentra Gakkumdu) yang membuka perkara.",
			"Only Bawaslu, Polri and the Kejaksaan (Sentra Gakkumdu) open cases.")
		return
	}
	id, err := strconv.ParseInt(r.URL.Query().Get("insiden"), 10, 64)
	if err != nil || id <= 0 {
		h.Error(w, r, http.StatusBadRequest, "Sebutkan nomor insiden (?insiden=ID).", "Name the incident (?insiden=ID).")
		return
	}
	inc, err := h.Gakkumdu.Incident(r.Context(), u, id)
	if err != nil {
		h.caseRefusal(w, r, err, "Insiden tidak dapat dibaca; coba lagi.", "The incident could not be read; try again.")
		return
	}
	p := newCasePage{basePage: h.base(r, "Buka perkara Gakkumdu"), Region: reg, Incident: inc, Suggested: gakkumdu.Suggested(inc.Category),
		KnownAt: inc.ReportedAt.In(siaga.WIB).Format(stepLayout), Now: h.now().In(siaga.WIB).Format(stepLayout)}
	p.Nav = "gakkumdu"
	h.render(w, r, "gakkumdu_baru", p)
}

// OpenCase serves POST /gakkumdu/{code}/baru.
func (h *Pages) OpenCase(w http.ResponseWriter, r *http.Request) {
	if h.gakkumduOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	in := gakkumdu.OpenInput{Origin: siaga.CaseOrigin(r.FormValue("asal")), Title: strings.TrimSpace(r.FormValue("judul")),
		Suspect: strings.TrimSpace(r.FormValue("terlapor")), Article: strings.TrimSpace(r.FormValue("pasal"))}
	var err error
	if in.Incident, err = strconv.ParseInt(r.FormValue("insiden"), 10, 64); err != nil {
		err = siaga.Errorf(siaga.EInvalid, "insiden", "Nomor insiden tidak sah", "invalid incident number")
	}
	if err == nil {
		in.KnownAt, err = caseFormTime(r.FormValue("diketahui"), "diketahui")
	}
	var c *siaga.Case
	if err == nil {
		c, err = h.Gakkumdu.Open(r.Context(), h.account(r), in)
	}
	if err != nil {
		h.caseRefusal(w, r, err, "Perkara tidak dapat dibuka; coba lagi.", "The case could not be opened; try again.")
		return
	}
	if !siaga.InScope(reg.Code, c.Region) {
		// Opened from another region's form: its page is under the
		// incident's region, which lies in the account's scope.
		reg.Code = c.Region
	}
	http.Redirect(w, r, caseURL(reg.Code, c.ID), http.StatusSeeOther)
}
