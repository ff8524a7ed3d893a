package http_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// signalSurveyor is a surveyor's name: staff data, never on a public page.
const signalSurveyor = "Asep Surveyor Rahasia"

// signalDesa is a node whose first desa of Kab. Serang has surveys: TPS
// a and c blank, b weak, d good, the rest unsurveyed; and two candidate
// mobile-BTS sites, one at a reaching c, one at c reaching only c.
type signalDesa struct {
	n          *node.Node
	desa       string
	a, b, c, d siaga.TPS
	desk       string // a desk token scoped to Kab. Serang
}

func newSignalDesa(t *testing.T) *signalDesa {
	t.Helper()
	ctx := context.Background()
	n := newNode(t)
	w := &signalDesa{n: n}
	first := n.Regions.TPSOf("3604")[0]
	w.desa = first.Desa
	tps := n.Regions.TPSOf(w.desa)
	if len(tps) < 5 {
		t.Fatalf("desa %s has %d TPS, the test needs 5", w.desa, len(tps))
	}
	w.a, w.b, w.c, w.d = tps[0], tps[1], tps[2], tps[3]
	at := time.Now().Add(-2 * time.Hour)
	var ss []siaga.Survey
	for _, s := range []struct {
		tps  siaga.TPS
		rsrp float64
	}{{w.a, -125}, {w.b, -110}, {w.c, -130}, {w.d, -90}} {
		ss = append(ss, siaga.Survey{TPS: s.tps.Code, Operator: "telkomsel", Tech: "4g", RSRP: &s.rsrp, Surveyor: signalSurveyor,
			Source: siaga.SurveyImport, At: at})
	}
	must(t, n.Connectivity.AddSurveys(ctx, ss, "cli"))
	pa, pc := orb.Point{w.a.Lon, w.a.Lat}, orb.Point{w.c.Lon, w.c.Lat}
	must(t, n.Store.SaveSites(ctx, []siaga.Site{
		{Code: "COW-A", Name: "Menara A", Kind: "menara", Lat: w.a.Lat, Lon: w.a.Lon, Desa: w.desa, Intervention: siaga.InterventionCOW,
			RadiusM: geo.Distance(pa, pc) + 0.5, Cost: 90_000_000},
		{Code: "COW-C", Name: "Menara C", Kind: "menara", Lat: w.c.Lat, Lon: w.c.Lon, Desa: w.desa, Intervention: siaga.InterventionCOW,
			RadiusM: 1, Cost: 40_000_000},
	}))
	w.desk = nodetest.Token(t, n, auth.NewUser{Username: "desk.serang", Role: siaga.RoleDesk, Scope: "3604"})
	return w
}

// do sends a request with the token ("" anonymous) and a form body when
// form is not nil.
func (w *signalDesa) do(t *testing.T, method, path, token string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	w.n.Handler.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var dataTotal = regexp.MustCompile(`data-total="(\d+)"`)

func total(t *testing.T, body string) int {
	t.Helper()
	m := dataTotal.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no data-total on the page")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestSignalRegionPage: the public page counts the classes beside the
// synthetic estimate, lists the children and the TPS filtered by class and
// paged, exports the same list, and names no surveyor; staff in scope get
// the links to the surveys, which do name them.
func TestSignalRegionPage(t *testing.T) {
	w := newSignalDesa(t)
	res, body := w.do(t, "GET", "/sinyal/"+w.desa, "", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /sinyal/%s: %d", w.desa, res.StatusCode)
	}
	mustContain(t, "public signal page", body, "perkiraan (sintetis)", `data-row="surveyed"`, "signal-line signal-blank",
		`href="/tps/`+w.a.Code+`#sinyal"`)
	if strings.Contains(body, signalSurveyor) || strings.Contains(body, `id="link-surveys"`) {
		t.Error("the public page names the surveyor or links the staff's surveys")
	}
	if got, want := total(t, body), len(w.n.Regions.TPSOf(w.desa)); got != want {
		t.Errorf("TPS listed: %d, want every TPS of the desa (%d)", got, want)
	}
	_, body = w.do(t, "GET", "/sinyal/"+w.desa+"?kelas=blank", "", nil)
	if got := total(t, body); got != 2 || !strings.Contains(body, w.a.Code) || strings.Contains(body, `data-tps="`+w.b.Code+`"`) {
		t.Errorf("blank filter: %d TPS, want a and c only", got)
	}
	_, body = w.do(t, "GET", "/sinyal/"+w.desa[:6], "", nil)
	mustContain(t, "kecamatan signal page", body, `href="/sinyal/`+w.desa+`"`)

	_, csvBody := w.do(t, "GET", "/sinyal/"+w.desa+"/tps.csv?kelas=blank", "", nil)
	recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil || len(recs) != 3 || recs[1][0] != w.a.Code || recs[1][2] != "blank" || recs[1][5] != "telkomsel" {
		t.Errorf("tps.csv?kelas=blank: %v %q", err, recs)
	}
	if strings.Contains(csvBody, signalSurveyor) {
		t.Error("the public export names the surveyor")
	}

	// The history table downloads as the page shows it: the last day's
	// classes are the region's surveyed counts, its surveys by source.
	_, csvBody = w.do(t, "GET", "/sinyal/"+w.desa+"/riwayat.csv", "", nil)
	hist, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	sum := w.n.Connectivity.Summary(w.desa)
	if err != nil || len(hist) != len(sum.History)+1 || len(hist) < 2 {
		t.Fatalf("riwayat.csv: %v %q, want a row per day of %d", err, hist, len(sum.History))
	}
	last := hist[len(hist)-1]
	if last[1] != strconv.Itoa(sum.Surveyed.Blank) || last[3] != strconv.Itoa(sum.Surveyed.Weak) || last[4] != strconv.Itoa(sum.Surveyed.Good) {
		t.Errorf("riwayat.csv last day %q, want the surveyed counts %+v", last, sum.Surveyed)
	}
	if res, _ := w.do(t, "GET", "/sinyal/"+w.a.Code, "", nil); res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/tps/"+w.a.Code+"#sinyal" {
		t.Errorf("a TPS code: %d %s, want the TPS page's signal block", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := w.do(t, "GET", "/sinyal/"+w.desa+"?kelas=ungu", "", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown class: %d, want 400", res.StatusCode)
	}

	_, body = w.do(t, "GET", "/sinyal/"+w.desa, w.desk, nil)
	mustContain(t, "staff signal page", body, `id="link-surveys"`, `id="link-plan"`, `id="link-interventions"`)
	_, body = w.do(t, "GET", "/sinyal/"+w.desa+"/survei", w.desk, nil)
	mustContain(t, "surveys page", body, signalSurveyor)
	if got := total(t, body); got != 4 {
		t.Errorf("surveys: %d, want 4", got)
	}
	_, csvBody = w.do(t, "GET", "/sinyal/"+w.desa+"/survei.csv", w.desk, nil)
	if recs, _ := csv.NewReader(strings.NewReader(csvBody)).ReadAll(); len(recs) != 5 || recs[1][12] != signalSurveyor {
		t.Errorf("survei.csv: %q", recs)
	}

	// The TPS page's block: classes and latest surveys, no surveyor.
	_, body = w.do(t, "GET", "/tps/"+w.a.Code, "", nil)
	mustContain(t, "TPS page", body, `id="sinyal"`, `data-signal="class">blank spot`, `data-operator="telkomsel"`)
	if strings.Contains(body, signalSurveyor) {
		t.Error("the TPS page names the surveyor")
	}
}

var formErrorField = regexp.MustCompile(`id="form-error" data-field="([a-z_]+)"`)

// TestSignalSurveyForm: a bad value re-renders the form naming its field
// with every value kept; a good survey is stored and goes to the TPS.
func TestSignalSurveyForm(t *testing.T) {
	w := newSignalDesa(t)
	good := url.Values{"tps": {w.b.Code}, "operator": {"xl"}, "tech": {"4g"}, "rsrp": {"-95"}, "data_ok": {"ya"}, "down_kbps": {"800"},
		"up_kbps": {"300"}, "rtt_ms": {"120"}, "surveyor": {"Siti"}, "at": {time.Now().In(siaga.WIB).Add(-time.Hour).Format("2006-01-02T15:04")}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range good {
			f[key] = vs
		}
		f.Set(k, v)
		return f
	}
	for _, tt := range []struct {
		name, field string
		form        url.Values
	}{
		{"impossible rsrp", "rsrp", with("rsrp", "20")},
		{"rsrp not a number", "rsrp", with("rsrp", "kuat")},
		{"tps elsewhere", "tps", with("tps", w.n.Regions.TPSOf("3601")[0].Code)},
		{"no surveyor", "surveyor", with("surveyor", "")},
		{"unknown operator", "operator", with("operator", "telkomsat")},
		{"future", "at", with("at", time.Now().In(siaga.WIB).Add(48*time.Hour).Format("2006-01-02T15:04"))},
		{"lat without lon", "lon", with("lat", "-6.1")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := w.do(t, "POST", "/sinyal/"+w.desa+"/survei", w.desk, tt.form)
			m := formErrorField.FindStringSubmatch(body)
			if res.StatusCode != http.StatusUnprocessableEntity || m == nil || m[1] != tt.field {
				t.Fatalf("%d, field %v; want 422 naming %s", res.StatusCode, m, tt.field)
			}
			mustContain(t, "the form again", body, "kolom "+tt.field, "field "+tt.field, `name="`+tt.field+`"`,
				`value="`+tt.form.Get("down_kbps")+`"`)
		})
	}
	if page, _ := w.n.Connectivity.Surveys(context.Background(), siaga.SurveyFilter{Region: w.desa}); page.Total != 4 {
		t.Fatalf("%d surveys after refused forms, want the 4 of the fixture", page.Total)
	}
	res, _ := w.do(t, "POST", "/sinyal/"+w.desa+"/survei", w.desk, good)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tps/"+w.b.Code+"#sinyal" {
		t.Fatalf("good survey: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	st, _ := w.n.Connectivity.TPSStatus(w.b.Code)
	if st.Class != siaga.SignalGood || len(st.Surveys) != 2 {
		t.Errorf("TPS b after a good XL survey: %s with %d operators", st.Class, len(st.Surveys))
	}
}

// TestSignalInterventionsPage: recorded from the form (a missing radius
// named), late ones marked and filtered, the status moved forward only,
// "teruji" with its test survey entered in the same form.
func TestSignalInterventionsPage(t *testing.T) {
	w := newSignalDesa(t)
	page := "/intervensi/" + w.desa
	booster := url.Values{"kind": {"booster"}, "lat": {fmt.Sprint(w.b.Lat)}, "lon": {fmt.Sprint(w.b.Lon)}, "cost": {"15.000.000"},
		"owner": {"Diskominfosatik Kab. Serang"}, "status": {"direncanakan"}, "due": {time.Now().Add(-48 * time.Hour).In(siaga.WIB).Format(time.DateOnly)}}
	res, body := w.do(t, "POST", page, w.desk, booster)
	if m := formErrorField.FindStringSubmatch(body); res.StatusCode != http.StatusUnprocessableEntity || m == nil || m[1] != "radius_m" {
		t.Fatalf("booster without radius: %d %v, want radius_m named", res.StatusCode, m)
	}
	mustContain(t, "the form again", body, `value="Diskominfosatik Kab. Serang"`)
	booster.Set("radius_m", "300")
	if res, body := w.do(t, "POST", page, w.desk, booster); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("booster: %d %.400s", res.StatusCode, body)
	}
	vsat := url.Values{"kind": {"vsat"}, "tps": {w.a.Code}, "owner": {"BAKTI"}, "status": {"terpasang"}}
	if res, body := w.do(t, "POST", page, w.desk, vsat); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("vsat: %d %.400s", res.StatusCode, body)
	}
	ivs := w.n.Connectivity.Interventions(w.desa)
	if len(ivs) != 2 || ivs[0].Cost != 15_000_000 || !ivs[0].Late || ivs[1].Late {
		t.Fatalf("interventions %+v, want the late booster and the VSAT", ivs)
	}
	_, body = w.do(t, "GET", page, w.desk, nil)
	mustContain(t, "interventions page", body, `id="iv-`+strconv.FormatInt(ivs[0].ID, 10)+`" data-id="`+strconv.FormatInt(ivs[0].ID, 10)+`" class="late"`,
		"terlambat", "Rp 15.000.000")
	_, body = w.do(t, "GET", page+"?terlambat=1", w.desk, nil)
	if got := total(t, body); got != 1 {
		t.Errorf("late filter: %d, want 1", got)
	}
	_, body = w.do(t, "GET", page+"?jenis=vsat&status=terpasang", w.desk, nil)
	if got := total(t, body); got != 1 {
		t.Errorf("kind and status filter: %d, want 1", got)
	}

	status := fmt.Sprintf("%s/%d/status", page, ivs[1].ID)
	res, body = w.do(t, "POST", status, w.desk, url.Values{"status": {"teruji"}})
	if m := regexp.MustCompile(`id="status-error" data-field="([a-z_]+)"`).FindStringSubmatch(body); res.StatusCode != http.StatusUnprocessableEntity || m == nil || m[1] != "status" {
		t.Fatalf("teruji without a test: %d %v", res.StatusCode, m)
	}
	test := url.Values{"status": {"teruji"}, "operator": {"telkomsel"}, "tech": {"4g"}, "data_ok": {"ya"}, "down_kbps": {"2000"},
		"up_kbps": {"900"}, "rtt_ms": {"600"}, "surveyor": {"Teknisi BAKTI"}, "at": {time.Now().In(siaga.WIB).Add(-time.Minute).Format("2006-01-02T15:04")}}
	if res, body := w.do(t, "POST", status, w.desk, test); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("teruji with its test: %d %.600s", res.StatusCode, body)
	}
	if st, _ := w.n.Connectivity.TPSStatus(w.a.Code); st.Effective != siaga.SignalGood {
		t.Errorf("TPS a behind a tested VSAT: %s, want good", st.Effective)
	}
	_, body = w.do(t, "GET", page, w.desk, nil)
	mustContain(t, "interventions page after the test", body, "lulus", "↓2000")
	res, _ = w.do(t, "POST", status, w.desk, url.Values{"status": {"terpasang"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("back to terpasang: %d, want the form refusing", res.StatusCode)
	}
	_, csvBody := w.do(t, "GET", page+"/daftar.csv?terlambat=1", w.desk, nil)
	if recs, _ := csv.NewReader(strings.NewReader(csvBody)).ReadAll(); len(recs) != 2 || recs[1][1] != "booster" || recs[1][13] != "ya" {
		t.Errorf("daftar.csv?terlambat=1: %q", recs)
	}
}

// TestSignalPlanPage: the page's plan is the planner's (the numbers the
// CLI prints, cmd/siaga's TestPlanPageMatchesCLI checks the command
// itself), with before and after, its exports, and "catat sebagai
// rencana" recording the chosen sites once.
func TestSignalPlanPage(t *testing.T) {
	w := newSignalDesa(t)
	base := "/rencana/" + w.desa
	res, body := w.do(t, "GET", base+"?kind=cow&k=1", w.desk, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("plan page: %d", res.StatusCode)
	}
	want, err := w.n.Connectivity.Plan(context.Background(), connectivity.PlanRequest{Kind: "cow", K: 1, Region: w.desa})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "plan page", body,
		fmt.Sprintf(`data-covered="%v" data-covered-tps="%d" data-targets="%d"`, want.Covered, want.CoveredTPS, want.Targets),
		fmt.Sprintf(`data-upper-bound="%v" data-guarantee="%v" data-ratio="%v"`, want.UpperBound, want.Guarantee, want.Ratio),
		`<tr data-code="COW-A">`, "Mencakup <b id=\"plan-covered\">2</b> TPS", "Setidaknya", "Jaminan",
		`<tr data-row="after"><th scope="row">Jika rencana dilaksanakan</th><td class="n">0</td><td class="n">1</td><td class="n">2</td>`)

	_, csvBody := w.do(t, "GET", base+"/lokasi.csv?kind=cow&k=1", w.desk, nil)
	recs, _ := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if len(recs) != 2 || recs[1][1] != "COW-A" || recs[1][8] != "2" || recs[1][12] != w.a.Code+" "+w.c.Code {
		t.Errorf("lokasi.csv: %q", recs)
	}
	res, gj := w.do(t, "GET", base+"/rencana.geojson?kind=cow&k=1", w.desk, nil)
	var fc struct {
		Name     string `json:"name"`
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(gj), &fc); err != nil || res.Header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("geojson: %v %s", err, res.Header.Get("Content-Type"))
	}
	layers := map[string]int{}
	for _, f := range fc.Features {
		layers[f.Properties["layer"].(string)]++
	}
	if layers["lokasi"] != 1 || layers["tps"] != 2 {
		t.Errorf("geojson layers %v, want one site and the two blank TPS", layers)
	}

	res, body = w.do(t, "GET", base+"?kind=cow&k=1&budget=5", w.desk, nil)
	if m := formErrorField.FindStringSubmatch(body); res.StatusCode != http.StatusUnprocessableEntity || m == nil || m[1] != "k" {
		t.Errorf("k and budget: %d %v, want k named", res.StatusCode, m)
	}
	record := url.Values{"kind": {"cow"}, "k": {"1"}, "weight": {"tps"}, "due": {"2024-02-12"}}
	res, body = w.do(t, "POST", base, w.desk, record)
	if m := formErrorField.FindStringSubmatch(body); res.StatusCode != http.StatusUnprocessableEntity || m == nil || m[1] != "owner" {
		t.Fatalf("record without owner: %d %v", res.StatusCode, m)
	}
	record.Set("owner", "Diskominfo Banten")
	res, _ = w.do(t, "POST", base, w.desk, record)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/intervensi/"+w.desa+"?") {
		t.Fatalf("record: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	ivs := w.n.Connectivity.Interventions(w.desa)
	if len(ivs) != 1 || ivs[0].Site != "COW-A" || ivs[0].Status != siaga.InterventionPlanned || ivs[0].Owner != "Diskominfo Banten" {
		t.Fatalf("recorded %+v", ivs)
	}
	res, body = w.do(t, "POST", base, w.desk, record)
	if m := formErrorField.FindStringSubmatch(body); res.StatusCode != http.StatusUnprocessableEntity || m == nil || m[1] != "site" {
		t.Errorf("recording twice: %d %v, want the site named", res.StatusCode, m)
	}
}

// A candidate drawn on the planning map is checked as an imported site,
// stored with an audit entry, and counted by the next plan; one outside
// the region, or of a bad kind, comes back named with its values kept.
func TestPlanCandidateDrawn(t *testing.T) {
	w := newSignalDesa(t)
	base := "/rencana/" + w.desa
	form := url.Values{"name": {"Menara masjid"}, "kind": {"menara"}, "intervention": {"vsat"},
		"lat": {strconv.FormatFloat(w.c.Lat, 'f', 6, 64)}, "lon": {strconv.FormatFloat(w.c.Lon, 'f', 6, 64)}, "cost": {"1"}}
	for _, tc := range []struct {
		field, value, want string
	}{
		{"lat", "-2.5", "lat"},     // outside the desa
		{"kind", "gudang", "kind"}, // not a kind of place
		{"intervention", "titik", "intervention"},
	} {
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set(tc.field, tc.value)
		res, body := w.do(t, "POST", base+"/calon", w.desk, bad)
		m := regexp.MustCompile(`id="candidate-error" data-field="([a-z_]+)"`).FindStringSubmatch(body)
		if res.StatusCode != http.StatusUnprocessableEntity || m == nil || m[1] != tc.want || !strings.Contains(body, `value="Menara masjid"`) {
			t.Errorf("%s=%s: %d %v, want 422 naming %s with the name kept", tc.field, tc.value, res.StatusCode, m, tc.want)
		}
	}
	res, _ := w.do(t, "POST", base+"/calon", w.desk, form)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "kind=vsat") {
		t.Fatalf("drawing a candidate: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	plan, err := w.n.Connectivity.Plan(context.Background(), connectivity.PlanRequest{Kind: "vsat", K: 1, Region: w.desa})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Sites) != 1 || !strings.HasPrefix(plan.Sites[0].Code, "PETA-"+w.desa) || len(plan.Sites[0].Covers) != 1 || plan.Sites[0].Covers[0] != w.c.Code {
		t.Errorf("the VSAT plan after drawing: %+v, want the drawn site serving TPS %s", plan.Sites, w.c.Code)
	}
	page, err := w.n.Store.Audit(context.Background(), siaga.AuditFilter{Action: siaga.AuditSiteSave, Limit: 10})
	if err != nil || page.Total != 1 {
		t.Errorf("audit of the drawn site: %+v %v", page, err)
	}
}
