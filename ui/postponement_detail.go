package ui

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/postponement"
)

// A postponement's page (/tps/{code}/penundaan/{id}): its chain as a
// timeline, public, and for the officials whose step is next, the form
// of that step. The report form of a TPS is /tps/{code}/penundaan. The
// route table names the roles of each step and keeps the TPS within the
// account's scope; package postponement checks the chain's order, times,
// letter and deadline, and its errors name the field, shown beside the
// form with what was typed.

// stepForm is a step as typed, kept when it is refused.
type stepForm struct {
	Step                           string // which form: lapor, rekomendasi, putusan, tutup
	Name, Office, At, Letter, Note string
	Kind, Stage, Reason            string // report
	NewDate                        string // decision
	Status                         string // closing
	Field                          string // the form field at fault
	Error, ErrorEN                 string
}

// stepFields maps the chain's field names (the last part of
// "decision.letter") to the form's.
var stepFields = map[string]string{"name": "nama", "office": "kantor", "at": "waktu", "letter": "surat", "note": "catatan",
	"kind": "jenis", "stage": "tahap", "reason": "alasan", "new_date": "tanggal_baru", "status": "status", "tps": "tps"}

// stepLayout is how a datetime-local input writes a time.
const stepLayout = "2006-01-02T15:04"

type timelineStep struct {
	Key, Title, TitleEN string
	Step                *siaga.PostponementStep // nil: not taken
	Extra               string
}

type postponementPage struct {
	basePage
	P                                 siaga.Postponement
	Number                            string
	Desa                              siaga.Region
	Steps                             []timelineStep
	CanRecommend, CanDecide, CanClose bool
	Form                              stepForm
	Now                               string
	MaxDays                           int
	KindName                          string
}

type reportPage struct {
	basePage
	TPS    siaga.TPS
	Number string
	Desa   siaga.Region
	Active []postponementRow
	Form   stepForm
	Now    string
}

// readStepForm reads the common fields of a step; an empty time is now.
func (h *Pages) readStepForm(r *http.Request, step string) (stepForm, siaga.PostponementStep, error) {
	f := r.PostForm
	form := stepForm{Step: step, Name: strings.TrimSpace(f.Get("nama")), Office: strings.TrimSpace(f.Get("kantor")),
		At: f.Get("waktu"), Letter: strings.TrimSpace(f.Get("surat")), Note: strings.TrimSpace(f.Get("catatan")),
		Kind: f.Get("jenis"), Stage: f.Get("tahap"), Reason: strings.TrimSpace(f.Get("alasan")), NewDate: f.Get("tanggal_baru"),
		Status: f.Get("status")}
	st := siaga.PostponementStep{Name: form.Name, Office: form.Office, Letter: form.Letter, Note: form.Note,
		By: auth.Actor(h.account(r)), At: h.Now()}
	if form.At != "" {
		at, err := time.ParseInLocation(stepLayout, form.At, siaga.WIB)
		if err != nil {
			return form, st, siaga.Errorf(siaga.EInvalid, "at", "Waktu %q tidak terbaca (YYYY-MM-DDTHH:MM, WIB)", "time %q unreadable (YYYY-MM-DDTHH:MM, WIB)", form.At)
		}
		st.At = at
	}
	return form, st, nil
}

// withError puts err in the form: its message and the field at fault.
func (f stepForm) withError(err error) stepForm {
	f.Error, f.ErrorEN = errorText(err, false), errorText(err, true)
	var e *siaga.Error
	if errors.As(err, &e) {
		name := e.Field
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		f.Field = stepFields[name]
	}
	return f
}

func (h *Pages) nowLocal() string { return h.Now().In(siaga.WIB).Format(stepLayout) }

func (h *Pages) mayStep(u *siaga.User, roles []siaga.Role, tps string) bool {
	return u != nil && slices.Contains(roles, u.Role) && siaga.InScope(u.Scope, tps)
}

// ReportForm serves GET /tps/{code}/penundaan: the report of a TPS whose
// voting stopped, with its postponements so far.
func (h *Pages) ReportForm(w http.ResponseWriter, r *http.Request) {
	h.reportPage(w, r, http.StatusOK, stepForm{Step: "lapor"})
}

func (h *Pages) reportPage(w http.ResponseWriter, r *http.Request, status int, form stepForm) {
	if h.postponementsOff(w, r) {
		return
	}
	t, ok := h.Regions.TPS(r.PathValue("code"))
	if !ok {
		h.pageNotFound(w, r)
		return
	}
	p := reportPage{basePage: h.base(r, "Laporkan penundaan TPS "+tpsNumber(t.Number)), TPS: t, Number: tpsNumber(t.Number),
		Form: form, Now: h.nowLocal()}
	p.Nav, p.Path = "penundaan", h.Regions.Path(t.Desa)
	p.Desa, _ = h.Regions.Region(t.Desa)
	page, err := h.Postponements.List(r.Context(), siaga.PostponementFilter{Region: t.Code})
	if err == nil {
		for _, it := range page.Items {
			p.Active = append(p.Active, h.postponementRow(it))
		}
	}
	h.renderStatus(w, r, status, "penundaan_lapor", p)
}

// ReportPostponement serves POST /tps/{code}/penundaan.
func (h *Pages) ReportPostponement(w http.ResponseWriter, r *http.Request) {
	if h.postponementsOff(w, r) {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	code := r.PathValue("code")
	form, step, err := h.readStepForm(r, "lapor")
	if err == nil {
		var p *siaga.Postponement
		if p, err = h.Postponements.Report(r.Context(), code, siaga.PostponementKind(form.Kind), form.Stage, form.Reason, step); err == nil {
			http.Redirect(w, r, "/tps/"+code+"/penundaan/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
			return
		}
	}
	h.reportPage(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), form.withError(err))
}

// PostponementPage serves GET /tps/{code}/penundaan/{id}.
func (h *Pages) PostponementPage(w http.ResponseWriter, r *http.Request) {
	h.postponementPage(w, r, http.StatusOK, stepForm{})
}

// postponementOf reads the path's postponement, which must be of the
// path's TPS (the route's scope rule checked that TPS).
func (h *Pages) postponementOf(w http.ResponseWriter, r *http.Request) (*siaga.Postponement, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		h.pageNotFound(w, r)
		return nil, false
	}
	p, err := h.Postponements.Get(r.Context(), id)
	if err != nil || p.TPS != r.PathValue("code") {
		if err != nil && siaga.ErrorCode(err) != siaga.ENotFound {
			h.dashLog().Error("postponement", "id", id, "err", err)
		}
		h.pageNotFound(w, r)
		return nil, false
	}
	return p, true
}

func (h *Pages) postponementPage(w http.ResponseWriter, r *http.Request, status int, form stepForm) {
	if h.postponementsOff(w, r) {
		return
	}
	pp, ok := h.postponementOf(w, r)
	if !ok {
		return
	}
	t, _ := h.Regions.TPS(pp.TPS)
	p := postponementPage{basePage: h.base(r, "Penundaan TPS "+tpsNumber(t.Number)), P: *pp, Number: tpsNumber(t.Number),
		Form: form, Now: h.nowLocal(), KindName: pp.Kind.Name()}
	p.Nav, p.Path = "penundaan", h.Regions.Path(t.Desa)
	p.Desa, _ = h.Regions.Region(t.Desa)
	p.Steps = []timelineStep{
		{Key: "laporan", Title: "Laporan KPPS/PPK", TitleEN: "report", Step: &pp.Report,
			Extra: strings.ToUpper(string(pp.Kind)) + " " + pp.Stage + " · " + pp.Reason},
		{Key: "rekomendasi", Title: "Rekomendasi Panwascam/Bawaslu", TitleEN: "recommendation", Step: pp.Recommendation},
		{Key: "keputusan", Title: "Keputusan KPU kabupaten/kota", TitleEN: "decision", Step: pp.Decision},
		{Key: "penutupan", Title: "Penutupan", TitleEN: "closing", Step: pp.Closing},
	}
	if pp.NewDate != "" {
		p.Steps[2].Extra = "tanggal baru / new date " + pp.NewDate
	}
	if pp.Closing.Taken() {
		p.Steps[3].Extra = string(pp.Status)
	}
	u := p.User
	p.CanRecommend = pp.Status == siaga.PostponementReported && h.mayStep(u, h.Roles.Recommend, pp.TPS)
	p.CanDecide = pp.Status == siaga.PostponementRecommended && h.mayStep(u, h.Roles.Decide, pp.TPS)
	p.CanClose = pp.Status.Active() && h.mayStep(u, h.Roles.Close, pp.TPS)
	p.MaxDays = postponement.MaxDays
	h.renderStatus(w, r, status, "penundaan_rinci", p)
}

// PostponementStep serves POST /tps/{code}/penundaan/{id}/{step} for one
// step: rekomendasi, putusan or tutup. The route names its roles.
func (h *Pages) PostponementStep(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.postponementsOff(w, r) {
			return
		}
		if err := r.ParseForm(); err != nil {
			h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
			return
		}
		pp, ok := h.postponementOf(w, r)
		if !ok {
			return
		}
		form, st, err := h.readStepForm(r, step)
		if err == nil {
			switch step {
			case "rekomendasi":
				_, err = h.Postponements.Recommend(r.Context(), *pp, st)
			case "putusan":
				_, err = h.Postponements.Decide(r.Context(), *pp, st, form.NewDate)
			default:
				_, err = h.Postponements.Close(r.Context(), *pp, siaga.PostponementStatus(form.Status), st)
			}
		}
		if err != nil {
			if siaga.HTTPStatus(siaga.ErrorCode(err)) >= 500 {
				h.dashLog().Error("postponement step", "id", pp.ID, "step", step, "err", err)
			}
			h.postponementPage(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), form.withError(err))
			return
		}
		http.Redirect(w, r, r.URL.Path[:strings.LastIndexByte(r.URL.Path, '/')]+"#rantai", http.StatusSeeOther)
	}
}
