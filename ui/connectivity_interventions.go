package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/connectivity"
)

// The interventions of a region (/intervensi/{code}, staff): boosters,
// VSAT terminals, mobile BTS and walk points with their owner, cost,
// status and due date, the late ones marked, the test after installation;
// filtered, paged, exported; a form to record one and a form per row to
// move its status forward, with the test survey that "teruji" needs
// entered in the same step.

// interventionFields are the creation form's fields, named as
// connectivity's checks name them (kind, tps, radius_m, cost, owner…).
var interventionFields = []string{"kind", "tps", "site", "lat", "lon", "radius_m", "cost", "owner", "status", "due", "note"}

type interventionsPage struct {
	basePage
	Region   siaga.Region
	Query    connectivity.InterventionQuery
	Kinds    []string
	Statuses []string
	Rows     []connectivity.InterventionView
	Total    int
	From, To int
	Next     string
	Prev     string
	CSV      string
	XLSX     string
	Here     string // this page's query, where a form returns to
	Access   connAccess
	// The creation form's values and error; a status form's error, with
	// the row it belongs to and what was typed there.
	New        surveyInput
	NewErr     *formError
	StatusID   int64
	StatusIn   surveyInput
	StatusErr  *formError
	Operators  []string
	Techs      []string
	SurveyTime string // the test survey's default time, now
}

// statusesAfter are the statuses an intervention in status can move to.
func statusesAfter(status string) []string {
	return connectivity.Statuses[slices.Index(connectivity.Statuses, status)+1:]
}

// interventionQuery reads the page's filter.
func interventionQuery(region string, v url.Values) (connectivity.InterventionQuery, error) {
	q := connectivity.InterventionQuery{Region: region, Kind: v.Get("jenis"), Status: v.Get("status"), Late: v.Get("terlambat") == "1",
		Limit: connPageSize}
	if c := v.Get("kursor"); c != "" {
		var err error
		if q.After, err = strconv.ParseInt(c, 10, 64); err != nil || q.After < 0 {
			return q, siaga.Errorf(siaga.EInvalid, "kursor", "kursor tidak sah", "invalid cursor")
		}
	}
	return q, nil
}

func interventionValues(q connectivity.InterventionQuery) url.Values {
	v := url.Values{}
	if q.Kind != "" {
		v.Set("jenis", q.Kind)
	}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	if q.Late {
		v.Set("terlambat", "1")
	}
	return v
}

// InterventionsPage serves GET /intervensi/{code}?jenis=&status=&terlambat=1&kursor=&kembali=
// (staff in scope).
func (h *Pages) InterventionsPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	h.renderInterventions(w, r, http.StatusOK, reg, r.URL.Query(), func(p *interventionsPage) {})
}

func (h *Pages) renderInterventions(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, v url.Values, set func(p *interventionsPage)) {
	q, err := interventionQuery(reg.Code, v)
	var page connectivity.InterventionPage
	if err == nil {
		page, err = h.Connectivity.InterventionList(q)
	}
	if err != nil {
		e, _ := asFormError(err)
		if e == nil {
			e = fieldError("", "filter tidak sah", "invalid filter")
		}
		h.Error(w, r, http.StatusBadRequest, "Filter tidak sah: "+e.Message+".", "Invalid filter: "+e.MessageEN+".")
		return
	}
	p := interventionsPage{basePage: h.base(r, "Intervensi sinyal — "+reg.Name), Region: reg, Query: q,
		Kinds: connectivity.InterventionKinds, Statuses: connectivity.Statuses, Rows: page.Items, Total: page.Total,
		New: surveyInput{"status": siaga.InterventionPlanned}, Operators: connectivity.Operators, Techs: connectivity.Techs,
		SurveyTime: h.now().In(siaga.WIB).Format(dataTimeLayout)}
	p.Nav, p.Path = "sinyal", h.Regions.Path(reg.Code)
	p.Access = h.connAccess(h.account(r), reg.Code)
	trail := splitTrail(v.Get("kembali"))
	p.From, p.To = pageSpan(len(trail), connPageSize, len(p.Rows))
	base := interventionValues(q)
	p.Here, p.Next, p.Prev = pageLinks("/intervensi/"+reg.Code, base, v.Get("kursor"), page.Next, trail)
	p.CSV, p.XLSX = "/intervensi/"+reg.Code+"/daftar.csv?"+base.Encode(), "/intervensi/"+reg.Code+"/daftar.xlsx?"+base.Encode()
	set(&p)
	h.renderStatus(w, r, status, "connectivity_interventions", p)
}

var interventionColumns = []column{{Name: "id", Number: true}, {Name: "jenis"}, {Name: "tps"}, {Name: "radius_m", Number: true},
	{Name: "lat", Number: true}, {Name: "lon", Number: true}, {Name: "wilayah"}, {Name: "lokasi_kandidat"}, {Name: "pemilik"},
	{Name: "biaya", Number: true}, {Name: "status"}, {Name: "tenggat"}, {Name: "terpasang"}, {Name: "terlambat"},
	{Name: "uji_waktu"}, {Name: "uji_unduh_kbps", Number: true}, {Name: "uji_unggah_kbps", Number: true}, {Name: "uji_rtt_ms", Number: true},
	{Name: "menjangkau_tps"}, {Name: "catatan"}}

func interventionCells(v *connectivity.InterventionView) []string {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(siaga.WIB).Format("2006-01-02 15:04")
	}
	opt := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	late := "tidak"
	if v.Late {
		late = "ya"
	}
	testAt, down, up, rtt := "", "", "", ""
	if t := v.Test; t != nil {
		testAt, down, up, rtt = day(t.At), opt(t.DownKbps), opt(t.UpKbps), opt(t.RTTms)
	}
	radius := ""
	if v.RadiusM > 0 {
		radius = roundCell(v.RadiusM, 10) // to the decimetre: a spreadsheet keeps 15 digits
	}
	return []string{strconv.FormatInt(v.ID, 10), v.Kind, v.TPS, radius, roundCell(v.Lat, 1e6),
		roundCell(v.Lon, 1e6), v.Region, v.Site, v.Owner, strconv.FormatInt(v.Cost, 10), v.Status, day(v.Due),
		day(v.InstalledAt), late, testAt, down, up, rtt, strings.Join(v.Covers, " "), v.Note}
}

// interventionTable is every intervention q selects (its cursor and
// limit ignored): staff data (owner, cost, notes).
func (h *Pages) interventionTable(q connectivity.InterventionQuery) table {
	return table{Name: "siaga-intervensi-" + q.Region, Columns: interventionColumns, Rows: func(row func([]string) error) error {
		q.After, q.Limit = 0, connExportPage
		for {
			page, err := h.Connectivity.InterventionList(q)
			if err != nil {
				return err
			}
			for i := range page.Items {
				if err := row(interventionCells(&page.Items[i])); err != nil {
					return err
				}
			}
			if page.Next == "" {
				return nil
			}
			q.After, _ = strconv.ParseInt(page.Next, 10, 64)
		}
	}}
}

// InterventionsExport serves GET /intervensi/{code}/daftar.csv|xlsx with
// the page's filter.
func (h *Pages) InterventionsExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.connRegion(w, r)
		if !ok {
			return
		}
		q, err := interventionQuery(reg.Code, r.URL.Query())
		if err == nil {
			_, err = h.Connectivity.InterventionList(connectivity.InterventionQuery{Region: q.Region, Kind: q.Kind, Status: q.Status, Limit: 1})
		}
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.interventionTable(q), f)
	}
}

// formBack is the list's query a form returns to.
func formBack(f url.Values) url.Values {
	v, err := url.ParseQuery(f.Get("kembali_ke"))
	if err != nil {
		return url.Values{}
	}
	return v
}

// AddIntervention serves POST /intervensi/{code}: records a planned or
// installed intervention in the region of the path.
func (h *Pages) AddIntervention(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, formBody)
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	in := surveyInput{}
	for _, k := range interventionFields {
		in[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	iv := siaga.Intervention{Kind: in["kind"], TPS: in["tps"], Site: in["site"], Region: reg.Code, Owner: in["owner"], Status: in["status"], Note: in["note"]}
	fe := parseInterventionNumbers(in, &iv)
	if fe == nil && iv.TPS != "" && !siaga.InScope(reg.Code, iv.TPS) {
		fe = fieldError("tps", "kolom tps: TPS "+iv.TPS+" tidak ada di "+reg.Name, "field tps: TPS "+iv.TPS+" is not in "+reg.Name)
	}
	if fe == nil {
		if err := h.Connectivity.AddIntervention(r.Context(), &iv, auth.Actor(h.account(r))); err != nil {
			var ok bool
			if fe, ok = h.refusal(w, r, err, "Intervensi tidak dapat disimpan; coba lagi.", "The intervention could not be saved; try again.", "region", reg.Code); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderInterventions(w, r, http.StatusUnprocessableEntity, reg, formBack(r.PostForm), func(p *interventionsPage) {
			p.New, p.NewErr = in, fe
		})
		return
	}
	http.Redirect(w, r, "/intervensi/"+reg.Code+"#iv-"+strconv.FormatInt(iv.ID, 10), http.StatusSeeOther)
}

// parseInterventionNumbers reads the creation form's numbers and date
// into iv, or names the field that does not parse.
func parseInterventionNumbers(in surveyInput, iv *siaga.Intervention) *formError {
	for _, m := range []struct {
		field string
		dst   *float64
	}{{"lat", &iv.Lat}, {"lon", &iv.Lon}, {"radius_m", &iv.RadiusM}} {
		if in[m.field] == "" {
			continue
		}
		f, err := strconv.ParseFloat(strings.Replace(in[m.field], ",", ".", 1), 64)
		if err != nil {
			return fieldError(m.field, "kolom "+m.field+": bukan angka", "field "+m.field+": not a number")
		}
		*m.dst = f
	}
	if in["cost"] != "" {
		c, err := strconv.ParseInt(strings.NewReplacer(".", "", " ", "").Replace(in["cost"]), 10, 64)
		if err != nil {
			return fieldError("cost", "kolom cost: biaya dalam rupiah, bilangan bulat", "field cost: the cost in whole rupiah")
		}
		iv.Cost = c
	}
	if in["due"] != "" {
		d, err := time.ParseInLocation(time.DateOnly, in["due"], siaga.WIB)
		if err != nil {
			return fieldError("due", "kolom due: tanggal tidak terbaca (YYYY-MM-DD)", "field due: unreadable date (YYYY-MM-DD)")
		}
		iv.Due = d
	}
	return nil
}

// SetInterventionStatus serves POST /intervensi/{code}/{id}/status:
// moves an intervention of the region forward. For "teruji", the test
// survey typed into the same form (operator given) is stored first, as
// the test of this intervention; the status then needs it to have passed.
func (h *Pages) SetInterventionStatus(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.Error(w, r, http.StatusBadRequest, "Nomor intervensi tidak sah.", "Not an intervention number.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, formBody)
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	var iv *connectivity.InterventionView
	all := h.Connectivity.Interventions(reg.Code)
	if k := slices.IndexFunc(all, func(v connectivity.InterventionView) bool { return v.ID == id }); k >= 0 {
		iv = &all[k]
	}
	if iv == nil {
		h.Error(w, r, http.StatusNotFound, "Intervensi ini tidak ada di wilayah "+reg.Name+".", "No such intervention in "+reg.Name+".")
		return
	}
	f := r.PostForm
	status, note := f.Get("status"), strings.TrimSpace(f.Get("note"))
	in := readSurveyInput(f)
	by := auth.Actor(h.account(r))
	fe := func() *formError {
		if status == siaga.InterventionTested && in["operator"] != "" {
			if in["tps"] == "" {
				in["tps"] = iv.TPS
			}
			s, fe := in.survey(siaga.SurveyWeb)
			if fe != nil {
				return fe
			}
			s.Intervention = id
			if err := h.Connectivity.AddSurveys(r.Context(), []siaga.Survey{s}, by); err != nil {
				return h.statusFormError(err)
			}
		}
		if _, err := h.Connectivity.SetInterventionStatus(r.Context(), id, status, note, by); err != nil {
			return h.statusFormError(err)
		}
		return nil
	}()
	if fe != nil {
		if fe.Field == "" {
			h.Error(w, r, http.StatusInternalServerError, "Status tidak dapat disimpan; coba lagi.", "The status could not be saved; try again.")
			return
		}
		h.renderInterventions(w, r, http.StatusUnprocessableEntity, reg, formBack(f), func(p *interventionsPage) {
			in["status"], in["note"] = status, note
			p.StatusID, p.StatusIn, p.StatusErr = id, in, fe
		})
		return
	}
	back := formBack(f)
	http.Redirect(w, r, "/intervensi/"+reg.Code+"?"+back.Encode()+"#iv-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// statusFormError is a service error as the status form shows it; a
// failure that is not the form's has no field (and is logged).
func (h *Pages) statusFormError(err error) *formError {
	fe, ok := asFormError(err)
	if !ok {
		h.dashLog().Error("intervention status", "err", err)
		return &formError{}
	}
	if fe.Field == "" || fe.Field == "id" {
		fe.Field = "status"
	}
	fe.Message, fe.MessageEN = "kolom "+fe.Field+": "+fe.Message, "field "+fe.Field+": "+fe.MessageEN
	return fe
}
