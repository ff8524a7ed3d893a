package ui

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/incident"
)

// One incident (/insiden/{code}/laporan/{id}): its fields and place, the
// evidence, every step with who and when, its duplicate group, and the
// workflow forms the viewer may use. Each form posts the version it was
// read at, so two officers acting at once cannot undo each other: the
// second is told and sees the page again with what they typed. The
// service decides who may do what; the page only leaves out the forms
// that would be refused.

// MaxIncidentEvidence bounds one evidence file from the pages (the
// service refuses more too); MaxIncidentUpload the whole form around it.
const (
	MaxIncidentEvidence = incident.MaxEvidence
	MaxIncidentUpload   = MaxIncidentEvidence + 64<<10
	// maxIncidentText bounds a reason, outcome or note typed on the page.
	maxIncidentText = 4000
	// groupWindow is how far around the group's first report the page
	// looks for the reports grouped with it: wider than the service's
	// duplicate window, which is hours.
	groupWindow = 3 * 24 * time.Hour
	// maxEvidenceShown bounds the thumbnails of one incident.
	maxEvidenceShown = 12
)

// incidentForms are the workflow forms a page may show, by step kind.
var incidentForms = []siaga.IncidentStepKind{siaga.StepVerified, siaga.StepRejected, siaga.StepAssigned,
	siaga.StepInHand, siaga.StepClosed, siaga.StepNote, siaga.StepGrouped, siaga.StepUngrouped}

// stepInput is a workflow form as typed: kept when the step is refused.
type stepInput struct {
	Kind   siaga.IncidentStepKind
	Agency siaga.Agency
	Text   string
	Head   string
}

type evidenceView struct {
	SHA   string
	Type  string
	Image bool
	URL   string
}

type incidentPage struct {
	basePage
	incidentWords
	Region   siaga.Region // the list the viewer came from
	Incident siaga.Incident
	Place    string
	Kab      string // the TPS's or desa's kab/kota, for the TPS's own link
	Steps    []siaga.IncidentStep
	Evidence []evidenceView
	Head     *siaga.Incident // the group's first report (nil: not grouped)
	Members  []incidentRow   // the reports grouped with Head
	Agencies []siaga.Agency
	// Forms are the steps the viewer may take now.
	Forms       map[string]bool // keyed by step kind, as the template indexes it
	CanEvidence bool
	ShowContact bool // the reporter's phone: triage roles only
	// CaseURL opens a Gakkumdu case from this report, for the accounts
	// that write cases ("" for the rest); Suggested when its category is
	// one Gakkumdu usually takes (money politics, neutrality, …).
	CaseURL   string
	Suggested bool
	Input     stepInput
	Err       *formError
	Back      string
}

// pathIncident loads the path's incident when it lies under the path's
// region {code} (which the guard checked against the account's scope);
// otherwise 404, as for one that does not exist: the page does not tell
// who may look what exists elsewhere.
func (h *Pages) pathIncident(w http.ResponseWriter, r *http.Request) (siaga.Region, *siaga.Incident, bool) {
	if h.incidentsOff(w, r) {
		return siaga.Region{}, nil, false
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return reg, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in *siaga.Incident
	if err == nil {
		in, err = h.Incidents.IncidentByID(r.Context(), id)
	} else {
		err = siaga.Errorf(siaga.ENotFound, "id", "Laporan tidak ditemukan", "report not found")
	}
	if err == nil && !siaga.InScope(reg.Code, in.Region) {
		err = siaga.Errorf(siaga.ENotFound, "id", "Laporan tidak ditemukan", "report not found")
	}
	if err != nil {
		status := siaga.HTTPStatus(siaga.ErrorCode(err))
		if status == http.StatusNotFound {
			h.Error(w, r, status, "Laporan tidak ditemukan di wilayah ini.", "Report not found in this region.")
		} else {
			h.dashLog().Error("loading an incident", "id", r.PathValue("id"), "err", err)
			h.Error(w, r, status, "Laporan tidak dapat dibuka; coba lagi.", "The report could not be loaded; try again.")
		}
		return reg, nil, false
	}
	return reg, in, true
}

// IncidentPage serves GET /insiden/{code}/laporan/{id}.
func (h *Pages) IncidentPage(w http.ResponseWriter, r *http.Request) {
	reg, in, ok := h.pathIncident(w, r)
	if !ok {
		return
	}
	h.renderIncident(w, r, http.StatusOK, reg, in, stepInput{}, nil)
}

func (h *Pages) renderIncident(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, in *siaga.Incident, input stepInput, fe *formError) {
	ctx := r.Context()
	steps, err := h.Incidents.IncidentSteps(ctx, in.ID)
	if err != nil {
		h.dashLog().Error("loading an incident's steps", "id", in.ID, "err", err)
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Riwayat laporan tidak dapat dibuka; coba lagi.", "The report's history could not be loaded; try again.")
		return
	}
	p := incidentPage{basePage: h.base(r, "Laporan insiden #"+strconv.FormatInt(in.ID, 10)), Region: reg, Incident: *in,
		Place: h.incidentPlace(*in), Steps: steps, Agencies: siaga.Agencies, Input: input, Err: fe, Back: "/insiden/" + reg.Code}
	p.Nav, p.Path = "insiden", h.Regions.Path(reg.Code)
	if place := cmpOr(in.TPS, in.Region); siaga.LevelOf(place) >= siaga.LevelKabKota {
		p.Kab = kabOf(h.Regions.Path(place))
	}
	p.Evidence = h.evidenceViews(ctx, reg.Code, in)
	p.Head, p.Members = h.incidentGroup(ctx, reg.Code, in)
	u := h.account(r)
	p.Forms = h.incidentFormsFor(u, in)
	p.CanEvidence = p.Forms[string(siaga.StepNote)]
	p.ShowContact = u != nil && slices.Contains(h.Roles.IncidentTriage, u.Role)
	if h.Gakkumdu != nil && gakkumdu.CanWrite(u) && in.Status != siaga.IncidentNew && in.Status != siaga.IncidentRejected {
		p.CaseURL = "/gakkumdu/" + reg.Code + "/baru?insiden=" + strconv.FormatInt(in.ID, 10)
		p.Suggested = gakkumdu.Suggested(in.Category)
	}
	h.renderStatus(w, r, status, "incident", p)
}

// kabOf is the kab/kota of a region's path, "" when the path has none.
func kabOf(path []siaga.Region) string {
	for _, reg := range path {
		if reg.Level == siaga.LevelKabKota {
			return reg.Code
		}
	}
	return ""
}

// incidentFormsFor is which forms u may use on in now: what the
// workflow allows from its status and what u's role and agency may do
// (the service checks both again).
func (h *Pages) incidentFormsFor(u *siaga.User, in *siaga.Incident) map[string]bool {
	forms := map[siaga.IncidentStepKind]bool{}
	if u == nil || !slices.Contains(h.Roles.Incident, u.Role) && !slices.Contains(h.Roles.IncidentTriage, u.Role) {
		return nil
	}
	triage := slices.Contains(h.Roles.IncidentTriage, u.Role)
	// The assigned agency's accounts handle it; the desk, which
	// coordinates, may record what an agency told it (incident.may).
	handles := u.Role == siaga.RoleDesk || (in.Agency != "" && u.AgencyOf() == in.Agency)
	switch in.Status {
	case siaga.IncidentNew:
		forms[siaga.StepVerified], forms[siaga.StepRejected] = triage, triage
	case siaga.IncidentVerified:
		forms[siaga.StepAssigned], forms[siaga.StepRejected] = triage, triage
	case siaga.IncidentAssigned:
		forms[siaga.StepAssigned], forms[siaga.StepInHand], forms[siaga.StepClosed] = triage, handles, handles
	case siaga.IncidentInHand:
		forms[siaga.StepAssigned], forms[siaga.StepClosed] = triage, handles
	}
	forms[siaga.StepNote] = true
	forms[siaga.StepGrouped] = triage && in.DuplicateOf == 0
	forms[siaga.StepUngrouped] = triage && in.DuplicateOf != 0
	out := map[string]bool{}
	for k, ok := range forms {
		if ok {
			out[string(k)] = true
		}
	}
	return out
}

// evidenceViews are in's evidence files as the page links them: images
// as thumbnails, PDFs as links.
func (h *Pages) evidenceViews(ctx context.Context, code string, in *siaga.Incident) []evidenceView {
	var out []evidenceView
	for _, sha := range in.Evidence[:min(len(in.Evidence), maxEvidenceShown)] {
		ev := evidenceView{SHA: sha, URL: incidentURL(code, in.ID) + "/bukti/" + sha}
		if e, err := h.Incidents.IncidentEvidence(ctx, in.ID, sha); err == nil {
			ev.Type, ev.Image = e.Type, strings.HasPrefix(e.Type, "image/")
		}
		out = append(out, ev)
	}
	return out
}

// errStop ends an EachIncident early once a page has what it needs.
var errStop = errors.New("stop")

// incidentGroup is in's duplicate group: its first report and the others
// grouped with it, found among the reports of the same category in the
// head's kecamatan within groupWindow of it (where the service's rule,
// same place within hours, puts them). nil when in is in no group.
func (h *Pages) incidentGroup(ctx context.Context, code string, in *siaga.Incident) (*siaga.Incident, []incidentRow) {
	head := in
	if in.DuplicateOf != 0 {
		var err error
		if head, err = h.Incidents.IncidentByID(ctx, in.DuplicateOf); err != nil {
			return nil, nil
		}
	}
	scope := head.Region
	for siaga.LevelOf(scope) > siaga.LevelKecamatan {
		scope = siaga.ParentCode(scope)
	}
	f := siaga.IncidentFilter{Scope: scope, Categories: []siaga.IncidentCategory{head.Category},
		From: head.OccurredAt.Add(-groupWindow), To: head.OccurredAt.Add(groupWindow)}
	var members []siaga.Incident
	err := h.Incidents.EachIncident(ctx, f, func(o *siaga.Incident) error {
		if o.DuplicateOf == head.ID {
			members = append(members, *o)
		}
		if len(members) >= incidentPageSize {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		h.dashLog().Error("loading an incident's group", "id", head.ID, "err", err)
	}
	if len(members) == 0 {
		return nil, nil
	}
	return head, h.incidentRows(code, members)
}

// IncidentStep serves POST /insiden/{code}/laporan/{id}: one workflow
// step (field "langkah": verifikasi, tolak, tugaskan, tangani, selesai,
// catatan, gabung, pisah) at the version the page was read at.
func (h *Pages) IncidentStep(w http.ResponseWriter, r *http.Request) {
	reg, in, ok := h.pathIncident(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	input := stepInput{Kind: siaga.IncidentStepKind(get("langkah")), Agency: siaga.Agency(get("instansi")), Text: get("teks"),
		Head: strings.TrimPrefix(get("induk"), "#")}
	a, fe := input.action(in.ID, get("versi"))
	status := http.StatusUnprocessableEntity
	if fe == nil {
		if _, err := h.Incidents.Act(r.Context(), a, h.account(r)); err != nil {
			status = siaga.HTTPStatus(siaga.ErrorCode(err)) // 403 not yours, 409 changed meanwhile, 422
			if fe, ok = h.incidentRefusal(w, r, err, "Langkah tidak dapat disimpan; coba lagi.", "The step could not be saved; try again.",
				"incident", in.ID); !ok {
				return
			}
			if siaga.ErrorCode(err) == siaga.EConflict { // show what changed meanwhile
				if fresh, err := h.Incidents.IncidentByID(r.Context(), in.ID); err == nil {
					in = fresh
				}
			}
		}
	}
	if fe != nil {
		h.renderIncident(w, r, status, reg, in, input, fe)
		return
	}
	if r.PostForm.Get("ke") == "moderasi" { // from the queue: back to it
		http.Redirect(w, r, "/insiden/"+reg.Code+"/moderasi", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, incidentURL(reg.Code, in.ID)+"#riwayat", http.StatusSeeOther)
}

// action is the input as a step of incident id read at version, or the
// field that does not parse or is missing.
func (in stepInput) action(id int64, version string) (IncidentAction, *formError) {
	a := IncidentAction{ID: id, Kind: in.Kind, Agency: in.Agency, Text: in.Text}
	if !slices.Contains(incidentForms, in.Kind) {
		return a, fieldError("langkah", "kolom langkah: langkah tidak dikenal", "field langkah: unknown step")
	}
	v, err := strconv.Atoi(version)
	if err != nil || v <= 0 {
		return a, fieldError("versi", "kolom versi: muat ulang halaman lalu coba lagi", "field versi: reload the page and try again")
	}
	a.Version = v
	if len([]rune(in.Text)) > maxIncidentText {
		return a, fieldError("teks", "kolom teks: terlalu panjang (maksimal 4000 huruf)", "field teks: too long (at most 4000 characters)")
	}
	switch in.Kind {
	case siaga.StepRejected, siaga.StepClosed, siaga.StepNote:
		if in.Text == "" {
			what := map[siaga.IncidentStepKind][2]string{siaga.StepRejected: {"alasan penolakan", "the reason"},
				siaga.StepClosed: {"hasil penanganan", "the outcome"}, siaga.StepNote: {"catatan", "the note"}}[in.Kind]
			return a, fieldError("teks", "kolom teks: isi "+what[0], "field teks: give "+what[1])
		}
	case siaga.StepAssigned:
		if !in.Agency.Valid() {
			return a, fieldError("instansi", "kolom instansi: pilih instansi", "field instansi: choose an agency")
		}
	case siaga.StepGrouped:
		head, err := strconv.ParseInt(in.Head, 10, 64)
		if err != nil || head <= 0 || head == id {
			return a, fieldError("induk", "kolom induk: nomor laporan lain (#id)", "field induk: another report's number (#id)")
		}
		a.Head = head
	}
	return a, nil
}

// IncidentEvidenceFile serves GET /insiden/{code}/laporan/{id}/bukti/{sha}:
// an evidence file of an incident in the path's region, to staff only.
func (h *Pages) IncidentEvidenceFile(w http.ResponseWriter, r *http.Request) {
	_, in, ok := h.pathIncident(w, r)
	if !ok {
		return
	}
	sha := r.PathValue("sha")
	if !slices.Contains(in.Evidence, sha) {
		h.pageNotFound(w, r)
		return
	}
	e, err := h.Incidents.IncidentEvidence(r.Context(), in.ID, sha)
	if err != nil {
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Bukti tidak dapat dibuka.", "The evidence could not be loaded.")
		return
	}
	hd := w.Header()
	// The type is the one the service sniffed from the content, never
	// the uploader's claim; nosniff and a sandbox keep a crafted file
	// from running as a page of this site.
	hd.Set("Content-Type", e.Type)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
	hd.Set("Cache-Control", "private, max-age=86400, immutable")
	hd.Set("Content-Disposition", `inline; filename="bukti-`+sha[:min(12, len(sha))]+`"`)
	_, _ = w.Write(e.Data)
}

// AddIncidentEvidence serves POST /insiden/{code}/laporan/{id}/bukti, a
// multipart form (its csrf field read by the guard): one file.
func (h *Pages) AddIncidentEvidence(w http.ResponseWriter, r *http.Request) {
	reg, in, ok := h.pathIncident(w, r)
	if !ok {
		return
	}
	data, fe := readUpload(r, "bukti", MaxIncidentEvidence)
	if fe == nil && data == nil {
		fe = fieldError("bukti", "kolom bukti: pilih berkas foto (JPEG/PNG) atau PDF", "field bukti: choose a photo (JPEG/PNG) or PDF file")
	}
	if fe == nil {
		if _, err := h.Incidents.AddEvidence(r.Context(), in.ID, data, h.account(r)); err != nil {
			if fe, ok = h.incidentRefusal(w, r, err, "Bukti tidak dapat disimpan; coba lagi.", "The evidence could not be saved; try again.",
				"incident", in.ID); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderIncident(w, r, http.StatusUnprocessableEntity, reg, in, stepInput{Kind: siaga.StepEvidence}, fe)
		return
	}
	http.Redirect(w, r, incidentURL(reg.Code, in.ID)+"#bukti", http.StatusSeeOther)
}

// readUpload reads the multipart file field of r, at most max bytes; nil
// when none was chosen.
func readUpload(r *http.Request, field string, max int64) ([]byte, *formError) {
	if r.MultipartForm == nil {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, nil
		}
	}
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	if hdr.Size > max {
		return nil, fieldError(field, "kolom "+field+": berkas terlalu besar (maksimal 1 MiB)", "field "+field+": file too large (at most 1 MiB)")
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil || int64(len(data)) > max {
		return nil, fieldError(field, "kolom "+field+": berkas terlalu besar atau tidak terbaca (maksimal 1 MiB)",
			"field "+field+": file too large or unreadable (at most 1 MiB)")
	}
	if len(data) == 0 {
		return nil, nil
	}
	return data, nil
}

// incidentFormFields are the pages' names of the fields the service names.
var incidentFormFields = map[string]string{"category": "kategori", "severity": "tingkat", "occurred_at": "waktu",
	"title": "judul", "text": "teks", "tps": "tempat", "region": "tempat", "place": "tempat", "kind": "langkah",
	"status": "langkah", "agency": "instansi", "head": "induk", "version": "versi", "evidence": "bukti"}

// incidentRefusal is refusal naming the field as the incident forms
// name it: the service says "occurred_at" where the form says "waktu".
func (h *Pages) incidentRefusal(w http.ResponseWriter, r *http.Request, err error, id, en string, attrs ...any) (*formError, bool) {
	fe, ok := h.refusal(w, r, err, id, en, attrs...)
	if !ok || fe.Field == "" {
		return fe, ok
	}
	if name, known := incidentFormFields[fe.Field]; known {
		fe.Message = strings.Replace(fe.Message, "kolom "+fe.Field+":", "kolom "+name+":", 1)
		fe.MessageEN = strings.Replace(fe.MessageEN, "field "+fe.Field+":", "field "+name+":", 1)
		fe.Field = name
	}
	return fe, true
}
