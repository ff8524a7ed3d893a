package ui

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/coverage"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/site"
)

// The planning page (/rencana/{code}, desk and KPU operators in scope):
// where k boosters, VSAT terminals or mobile BTS (or a budget's worth) go
// to reach the most TPS that need signal, with the guarantee and the
// bound, the sites in pick order, before and after, a map, the exports,
// and "catat sebagai rencana", which records the sites as planned
// interventions. The plan is connectivity.Service.Plan, which
// `siaga plan interventions` prints: the page and the command agree.

// planFields are the form's fields, named as the planner's request names
// them (so an error points at its field); owner and due only record.
var planFields = []string{"kind", "k", "budget", "weight", "owner", "due"}

// defaultPlanK is what the page plans before anyone asks: five mobile BTS.
const defaultPlanK = 5

// planRequest reads the form (or the query) into a request; in holds
// what was typed. An absent kind and size ask for the default plan.
func planRequest(region string, v url.Values) (connectivity.PlanRequest, surveyInput, *formError) {
	in := surveyInput{}
	for _, k := range planFields {
		in[k] = strings.TrimSpace(v.Get(k))
	}
	if in["kind"] == "" {
		in["kind"] = siaga.InterventionCOW
	}
	if in["weight"] == "" {
		in["weight"] = connectivity.WeightTPS
	}
	if in["k"] == "" && in["budget"] == "" {
		in["k"] = strconv.Itoa(defaultPlanK)
	}
	q := connectivity.PlanRequest{Kind: in["kind"], Weight: in["weight"], Region: region}
	if in["k"] != "" {
		k, err := strconv.Atoi(in["k"])
		if err != nil {
			return q, in, fieldError("k", "kolom k: jumlah lokasi, bilangan bulat", "field k: the number of sites, a whole number")
		}
		q.K = k
	}
	if in["budget"] != "" {
		b, err := strconv.ParseFloat(strings.NewReplacer(".", "", " ", "").Replace(in["budget"]), 64)
		if err != nil {
			return q, in, fieldError("budget", "kolom budget: anggaran dalam rupiah, bilangan bulat", "field budget: the budget in whole rupiah")
		}
		q.Budget = b
	}
	return q, in, nil
}

type planPage struct {
	basePage
	Region siaga.Region
	In     surveyInput
	Err    *formError
	Plan   *connectivity.Plan
	Kinds  []string
	// Budgeted: the plan is for a budget (its guarantee is ½(1 − 1/e)).
	Budgeted bool
	Rows     []planRow
	// RatioPct, GuaranteePct are whole percentages as the page says them.
	RatioPct, GuaranteePct int
	CSV, XLSX, GeoJSON     string
	Query                  string // the plan's query, for the map and the record form
	// Cand is what was typed in the "draw a candidate" form, kept when
	// it is refused; CandErr says why.
	Cand    map[string]string
	CandErr *formError
	// SiteKinds are the kinds of place a candidate can be.
	SiteKinds []string
}

// planRow is a chosen site with what it adds and the running totals.
type planRow struct {
	N    int
	Site connectivity.PlanSite
	Step coverage.Step
}

// PlanPage serves GET /rencana/{code}?kind=&k=&budget=&weight=.
func (h *Pages) PlanPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	q, in, fe := planRequest(reg.Code, r.URL.Query())
	h.renderPlan(w, r, reg, q, in, fe, fe == nil)
}

// renderPlan shows the form with fe, and the plan of q when compute (the
// request parsed).
func (h *Pages) renderPlan(w http.ResponseWriter, r *http.Request, reg siaga.Region, q connectivity.PlanRequest, in surveyInput, fe *formError, compute bool) {
	h.renderPlanWith(w, r, reg, q, in, fe, compute, map[string]string{}, nil)
}

// renderPlanWith is renderPlan with the "draw a candidate" form's values
// and why they were refused (candErr; nil: none).
func (h *Pages) renderPlanWith(w http.ResponseWriter, r *http.Request, reg siaga.Region, q connectivity.PlanRequest, in surveyInput,
	fe *formError, compute bool, cand map[string]string, candErr *formError) {
	p := planPage{basePage: h.base(r, "Rencana intervensi — "+reg.Name), Region: reg, In: in, Err: fe, Kinds: connectivity.PlanKinds,
		SiteKinds: siaga.SiteKinds, Cand: cand, CandErr: candErr}
	p.Nav, p.Path = "sinyal", h.Regions.Path(reg.Code)
	status := http.StatusOK
	if compute {
		plan, err := h.Connectivity.Plan(r.Context(), q)
		if err != nil {
			var ok bool
			if fe, ok = h.refusal(w, r, err, "Rencana tidak dapat dihitung; coba lagi.", "The plan could not be computed; try again.", "region", reg.Code); !ok {
				return
			}
			p.Err = fe
		} else {
			p.Plan = &plan
			p.Budgeted = q.Budget > 0
			p.RatioPct, p.GuaranteePct = int(100*plan.Ratio), int(100*plan.Guarantee)
			for i, s := range plan.Sites {
				p.Rows = append(p.Rows, planRow{N: i + 1, Site: s, Step: plan.Steps[i]})
			}
		}
	}
	if p.Err != nil || p.CandErr != nil {
		status = http.StatusUnprocessableEntity
	}
	v := url.Values{}
	for _, k := range []string{"kind", "k", "budget", "weight"} {
		if in[k] != "" {
			v.Set(k, in[k])
		}
	}
	p.Query = v.Encode()
	base := "/rencana/" + reg.Code
	p.CSV, p.XLSX, p.GeoJSON = base+"/lokasi.csv?"+p.Query, base+"/lokasi.xlsx?"+p.Query, base+"/rencana.geojson?"+p.Query
	h.renderStatus(w, r, status, "connectivity_plan", p)
}

var planColumns = []column{{Name: "urutan", Number: true}, {Name: "kode"}, {Name: "nama"}, {Name: "jenis"}, {Name: "lat", Number: true},
	{Name: "lon", Number: true}, {Name: "radius_m", Number: true}, {Name: "biaya", Number: true}, {Name: "tambah_tps", Number: true},
	{Name: "tambah_bobot", Number: true}, {Name: "kumulatif_tps", Number: true}, {Name: "kumulatif_biaya", Number: true}, {Name: "menjangkau_tps"}}

func num64(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// planTable is the plan's chosen sites in pick order.
func planTable(region string, p connectivity.Plan) table {
	return table{Name: "siaga-rencana-" + p.Kind + "-" + region, Columns: planColumns, Rows: func(row func([]string) error) error {
		for i, s := range p.Sites {
			st := p.Steps[i]
			if err := row([]string{strconv.Itoa(i + 1), s.Code, s.Name, p.Kind, roundCell(s.Lat, 1e6),
				roundCell(s.Lon, 1e6), roundCell(s.RadiusM, 10), strconv.FormatInt(s.Cost, 10), strconv.Itoa(s.GainTPS),
				num64(s.Gain), strconv.Itoa(st.CoveredCount), num64(st.Cost), strings.Join(s.Covers, " ")}); err != nil {
				return err
			}
		}
		return nil
	}}
}

// planFor computes the plan of the query, answering the error itself.
func (h *Pages) planFor(w http.ResponseWriter, r *http.Request) (siaga.Region, connectivity.Plan, bool) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return reg, connectivity.Plan{}, false
	}
	q, _, fe := planRequest(reg.Code, r.URL.Query())
	if fe != nil {
		h.writeError(w, r, &siaga.Error{Code: siaga.EInvalid, Field: fe.Field, Message: fe.Message, MessageEN: fe.MessageEN})
		return reg, connectivity.Plan{}, false
	}
	p, err := h.Connectivity.Plan(r.Context(), q)
	if err != nil {
		h.writeError(w, r, err)
		return reg, p, false
	}
	return reg, p, true
}

// PlanExport serves GET /rencana/{code}/lokasi.csv|xlsx with the plan's
// query: the chosen sites.
func (h *Pages) PlanExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, p, ok := h.planFor(w, r)
		if !ok {
			return
		}
		h.writeTable(w, r, planTable(reg.Code, p), f)
	}
}

// PlanGeoJSON serves GET /rencana/{code}/rencana.geojson with the plan's
// query: the chosen sites as points (with their order, radius, cost and
// what each adds) and every target TPS with whether the plan covers it.
// The page's map draws it.
func (h *Pages) PlanGeoJSON(w http.ResponseWriter, r *http.Request) {
	reg, p, ok := h.planFor(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Content-Disposition", `attachment; filename="siaga-rencana-`+p.Kind+"-"+reg.Code+`.geojson"`)
	w.Header().Set("Cache-Control", "no-store")
	gw := geo.NewWriter(w, "rencana_"+p.Kind+"_"+reg.Code)
	for i, s := range p.Sites {
		f := geojson.NewFeature(orb.Point{s.Lon, s.Lat})
		f.Properties = geojson.Properties{"layer": "lokasi", "urutan": i + 1, "kode": s.Code, "nama": s.Name, "jenis": p.Kind,
			"radius_m": s.RadiusM, "biaya": s.Cost, "tambah_tps": s.GainTPS, "tambah_bobot": s.Gain, "menjangkau": strings.Join(s.Covers, " ")}
		if err := gw.Write(f); err != nil {
			h.dashLog().Error("plan geojson", "err", err)
			return
		}
	}
	for _, t := range p.Elements {
		f := geojson.NewFeature(orb.Point{t.Lon, t.Lat})
		f.Properties = geojson.Properties{"layer": "tps", "tps": t.TPS, "kelas": string(t.Class), "dpt": t.DPT, "tercakup": t.Covered}
		if err := gw.Write(f); err != nil {
			h.dashLog().Error("plan geojson", "err", err)
			return
		}
	}
	if err := gw.Close(); err != nil {
		h.dashLog().Error("plan geojson", "err", err)
	}
}

// RecordPlan serves POST /rencana/{code}: "catat sebagai rencana". The
// plan is computed again from the form's request and its sites recorded
// as planned interventions of the owner agency, in one transaction, each
// in the audit log; then the interventions page lists them.
func (h *Pages) RecordPlan(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, formBody)
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	q, in, fe := planRequest(reg.Code, r.PostForm)
	parsed := fe == nil
	var due time.Time
	if fe == nil && in["due"] != "" {
		var err error
		if due, err = time.ParseInLocation(time.DateOnly, in["due"], siaga.WIB); err != nil {
			fe = fieldError("due", "kolom due: tanggal tidak terbaca (YYYY-MM-DD)", "field due: unreadable date (YYYY-MM-DD)")
		}
	}
	if fe == nil {
		if _, _, err := h.Connectivity.RecordPlan(r.Context(), q, in["owner"], due, auth.Actor(h.account(r))); err != nil {
			var ok bool
			if fe, ok = h.refusal(w, r, err, "Rencana tidak dapat dicatat; coba lagi.", "The plan could not be recorded; try again.", "region", reg.Code); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderPlan(w, r, reg, q, in, fe, parsed)
		return
	}
	http.Redirect(w, r, "/intervensi/"+reg.Code+"?"+url.Values{"status": {siaga.InterventionPlanned}, "jenis": {q.Kind}}.Encode(), http.StatusSeeOther)
}

// candidateFields are the "draw a candidate" form's fields, named as the
// sites CSV's columns so that package site checks them as it checks a
// file.
var candidateFields = []string{"name", "kind", "lat", "lon", "intervention", "radius_m", "cost"}

// AddCandidate serves POST /rencana/{code}/calon: a candidate site drawn
// on the planning map (its point clicked, its kind, reach and cost typed),
// checked by the sites CSV's rules (site.FromFields), stored with an audit
// entry, and the plan shown again with it among the candidates. A point
// outside the region is refused; where no boundaries are known (outside
// Banten) the site counts in the region it was drawn under.
func (h *Pages) AddCandidate(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	if h.Sites == nil {
		h.Error(w, r, http.StatusNotFound, "Lokasi kandidat tidak tersedia di server ini.", "Candidate sites are not available on this server.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, formBody)
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	q, in, fe := planRequest(reg.Code, r.PostForm)
	cand := map[string]string{}
	for _, k := range candidateFields {
		cand[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	s, cfe := h.candidate(reg, cand, h.account(r))
	if cfe == nil {
		u := h.account(r)
		audit := siaga.AuditEvent{At: h.Now(), Actor: auth.Actor(u), Action: siaga.AuditSiteSave, Subject: s.Code, Scope: s.Desa,
			Detail: siaga.AuditDetail(s)}
		if err := h.Sites.SaveSites(r.Context(), []siaga.Site{s}, audit); err != nil {
			h.dashLog().Error("save candidate", "region", reg.Code, "err", err)
			h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Lokasi tidak dapat disimpan; coba lagi.", "The site could not be saved; try again.")
			return
		}
		v := url.Values{}
		for _, k := range []string{"k", "budget", "weight"} {
			if in[k] != "" {
				v.Set(k, in[k])
			}
		}
		v.Set("kind", s.Intervention)
		http.Redirect(w, r, "/rencana/"+reg.Code+"?"+v.Encode()+"#plan-result", http.StatusSeeOther)
		return
	}
	h.renderPlanWith(w, r, reg, q, in, nil, fe == nil, cand, cfe)
}

// candidate reads and checks a drawn site.
func (h *Pages) candidate(reg siaga.Region, v map[string]string, u *siaga.User) (siaga.Site, *formError) {
	if !slices.Contains(connectivity.PlanKinds, v["intervention"]) {
		return siaga.Site{}, fieldError("intervention", "kolom intervention: pilih booster, vsat atau cow", "field intervention: one of booster, vsat or cow")
	}
	fields := maps.Clone(v)
	fields["code"] = "PETA-" + reg.Code + "-" + strconv.FormatInt(h.Now().UnixMilli(), 36)
	fields["source"] = "digambar di peta oleh " + auth.Actor(u)
	var regions *geo.Regions
	if h.Disaster != nil {
		var err error
		if regions, err = h.Disaster.Boundaries(); err != nil {
			h.dashLog().Warn("boundaries for a drawn candidate", "err", err) // the site then counts in the region drawn under
		}
	}
	s, err := site.FromFields(fields, regions)
	if err != nil {
		fe, _ := asFormError(err)
		if fe == nil {
			fe = fieldError("", err.Error(), err.Error())
		}
		return siaga.Site{}, fe
	}
	_, bounded := regions.Boundary(reg.Code) // nil regions: none
	switch {
	case s.Desa == "" && !bounded:
		s.Desa = reg.Code // no boundary to place it by: the region it was drawn under
	case !strings.HasPrefix(s.Desa, reg.Code):
		return siaga.Site{}, fieldError("lat", "kolom lat/lon: titik di luar "+reg.Name, "field lat/lon: the point lies outside "+reg.Name)
	}
	s.UpdatedAt = h.Now()
	return s, nil
}
