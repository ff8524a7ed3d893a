package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// custodyWorld is a node on the day after voting, 13:00 WIB, past both
// custody deadlines, with the accounts of one kecamatan of Kab. Serang
// and of Kab. Lebak.
type custodyWorld struct {
	n         *node.Node
	kec, desa string
	a, b, c   siaga.TPS // three TPS of the first desa of the kecamatan
	tokens    map[string]string
}

// custodyNow is when the tests run: the day after voting, 13:00 WIB.
var custodyNow = time.Date(2024, 2, 15, 13, 0, 0, 0, siaga.WIB)

const (
	// Names are staff data: on staff pages, never on public ones.
	keeperGiver    = "Siti Aminah (Ketua KPPS)"
	keeperReceiver = "Budi Santoso (Ketua PPS)"
)

func newCustodyWorld(t *testing.T) *custodyWorld {
	t.Helper()
	n := nodetest.Open(t, func(c *node.Config) { c.Now = func() time.Time { return custodyNow } })
	first := n.Regions.TPSOf("3604")[0]
	w := &custodyWorld{n: n, kec: first.Code[:6], desa: first.Desa, tokens: map[string]string{}}
	tps := n.Regions.TPSOf(w.desa)
	if len(tps) < 3 {
		t.Fatalf("desa %s has %d TPS, the test needs 3", w.desa, len(tps))
	}
	w.a, w.b, w.c = tps[0], tps[1], tps[2]
	for _, a := range []struct {
		name  string
		role  siaga.Role
		scope string
	}{
		{"logistik.serang", siaga.RoleLogistik, "3604"},
		{"ppk.kec", siaga.RolePPK, w.kec},
		{"logistik.lebak", siaga.RoleLogistik, "3602"},
		{"bawaslu.serang", siaga.RoleBawaslu, "3604"},
		{"bawaslu.lebak", siaga.RoleBawaslu, "3602"},
		{"desk", siaga.RoleDesk, "36"},
	} {
		w.tokens[a.name] = nodetest.Token(t, n, auth.NewUser{Username: a.name, Role: a.role, Scope: a.scope})
	}
	return w
}

// do sends body (JSON when it starts with "{", else a form) with the
// account's token ("" anonymous).
func (w *custodyWorld) do(t *testing.T, method, path, account, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	switch {
	case strings.HasPrefix(body, "{"):
		req.Header.Set("Content-Type", "application/json")
	case body != "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if account != "" {
		req.Header.Set("Authorization", "Bearer "+w.tokens[account])
	}
	rec := httptest.NewRecorder()
	w.n.Handler.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b)
}

func (w *custodyWorld) handover(id string, tps siaga.TPS, from, to string, hour float64, edit func(*siaga.Handover)) string {
	h := siaga.Handover{ID: id, TPS: tps.Code, From: from, To: to, Boxes: 5, Envelopes: 5,
		Seals: []string{"0101", "0102", "0103", "0104", "0105"}, GivenBy: keeperGiver, ReceivedBy: keeperReceiver,
		At: time.Date(2024, 2, 14, 0, 0, 0, 0, siaga.WIB).Add(time.Duration(hour * float64(time.Hour)))}
	if edit != nil {
		edit(&h)
	}
	b, _ := json.Marshal(h)
	return string(b)
}

type handoverAnswer struct {
	Handover siaga.Handover         `json:"handover"`
	Alerts   []siaga.LogisticsAlert `json:"alerts"`
	Error    struct{ Field string } `json:"error"`
}

// TestCustodyChainBrokenSeal is the test: TPS a's boxes go TPS →
// PPS → PPK and the PPK finds a seal broken: an alert to Bawaslu of the
// kecamatan, which a Bawaslu account in scope sees and one out of scope
// does not; TPS b's boxes come with a seal number the PPS did not write
// (mismatched); TPS c's never come (late). Roles and scopes hold on every
// route; the public sees nothing.
func TestCustodyChainBrokenSeal(t *testing.T) {
	w := newCustodyWorld(t)
	ctx := context.Background()
	const path = "/api/v1/logistics/handovers"
	brokenLeg := w.handover("a2", w.a, w.desa, w.kec, 30, func(h *siaga.Handover) { h.BrokenSeals = []string{"0103"} })
	for _, st := range []struct {
		name, account, body string
		want                int
		field               string
		alerts              int
	}{
		{"anonymous", "", w.handover("a1", w.a, w.a.Code, w.desa, 22, nil), http.StatusUnauthorized, "", 0},
		{"bawaslu does not record", "bawaslu.serang", w.handover("a1", w.a, w.a.Code, w.desa, 22, nil), http.StatusForbidden, "role", 0},
		{"out of scope", "logistik.lebak", w.handover("a1", w.a, w.a.Code, w.desa, 22, nil), http.StatusForbidden, "tps", 0},
		{"no seals", "logistik.serang", w.handover("a1", w.a, w.a.Code, w.desa, 22, func(h *siaga.Handover) { h.Seals = nil }), http.StatusBadRequest, "seals", 0},
		{"unknown field", "logistik.serang", `{"id":"a1","phone":"0812"}`, http.StatusBadRequest, "phone", 0},
		{"TPS to PPS", "logistik.serang", w.handover("a1", w.a, w.a.Code, w.desa, 22, nil), http.StatusCreated, "", 0},
		{"retry", "logistik.serang", w.handover("a1", w.a, w.a.Code, w.desa, 22, nil), http.StatusCreated, "", 0},
		{"same id, other content", "logistik.serang", w.handover("a1", w.a, w.a.Code, w.desa, 22, func(h *siaga.Handover) { h.Boxes = 4 }), http.StatusConflict, "id", 0},
		{"from the TPS again", "ppk.kec", w.handover("a9", w.a, w.a.Code, w.kec, 23, nil), http.StatusBadRequest, "from", 0},
		{"PPS to PPK, a seal broken", "ppk.kec", brokenLeg, http.StatusCreated, "", 1},
		{"b TPS to PPS", "logistik.serang", w.handover("b1", w.b, w.b.Code, w.desa, 23, nil), http.StatusCreated, "", 0},
		{"b PPS to PPK, a seal mismatched", "ppk.kec", w.handover("b2", w.b, w.desa, w.kec, 31, func(h *siaga.Handover) {
			h.Seals[1] = "0999"
		}), http.StatusCreated, "", 1},
	} {
		code, body := w.do(t, "POST", path, st.account, st.body)
		var ans handoverAnswer
		_ = json.Unmarshal([]byte(body), &ans)
		if code != st.want || ans.Error.Field != st.field || len(ans.Alerts) != st.alerts {
			t.Errorf("%s: %d field %q, %d alerts; want %d field %q, %d alerts (%s)", st.name, code, ans.Error.Field,
				len(ans.Alerts), st.want, st.field, st.alerts, body)
		}
		if st.alerts == 1 {
			a := ans.Alerts[0]
			if a.Kind != siaga.AlertSeal || a.Role != siaga.RoleBawaslu || a.Region != w.kec || !strings.Contains(a.Text, keeperGiver) {
				t.Errorf("%s: alert %+v, want a seal alert to Bawaslu of %s naming who gave", st.name, a, w.kec)
			}
		}
	}

	// The alerts as the alerts page reads them for each account: Bawaslu
	// of Kab. Serang sees both, Bawaslu of Lebak neither.
	for _, c := range []struct {
		scope string
		want  int
	}{{"3604", 2}, {w.kec, 2}, {"3602", 0}} {
		alerts, total, err := w.n.Store.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: c.scope, Role: siaga.RoleBawaslu, Kind: siaga.AlertSeal})
		if err != nil || total != c.want {
			t.Errorf("seal alerts in scope %s: %d (%v), want %d", c.scope, total, err, c.want)
		}
		for _, a := range alerts {
			if a.Ref == "handover:a2" && !strings.Contains(a.Text, "segel rusak 0103") {
				t.Errorf("alert of a2: %q does not name the broken seal", a.Text)
			}
			if a.Ref == "handover:b2" && !strings.Contains(a.Text, "0999") {
				t.Errorf("alert of b2: %q does not name the mismatched seal", a.Text)
			}
		}
	}

	// The PPK's JSON: a and b at the PPK, a with its broken seal, c late
	// (still at its TPS at 13:00, past the deadline).
	api := "/api/v1/logistics/" + w.kec + "/custody"
	for _, c := range []struct{ account string }{{"bawaslu.lebak"}, {""}, {"logistik.lebak"}} {
		if code, _ := w.do(t, "GET", api, c.account, ""); code != http.StatusForbidden && code != http.StatusUnauthorized {
			t.Errorf("GET %s as %q: %d, want refused", api, c.account, code)
		}
	}
	code, body := w.do(t, "GET", api, "bawaslu.serang", "")
	var page logistics.CustodyPage
	if err := json.Unmarshal([]byte(body), &page); code != http.StatusOK || err != nil {
		t.Fatalf("GET %s: %d %v %s", api, code, err, body)
	}
	rows := map[string]logistics.TPSCustody{}
	for _, r := range page.Items {
		rows[r.TPS] = r
	}
	if a, b, c := rows[w.a.Code], rows[w.b.Code], rows[w.c.Code]; a.Place != logistics.AtPPK || !a.SealProblem || a.Late ||
		b.Place != logistics.AtPPK || !b.SealProblem || c.Place != logistics.AtTPS || !c.Late {
		t.Errorf("custody: a %+v, b %+v, c %+v", a, b, c)
	}
	if page.AtPPK != 2 || page.SealProblems != 2 || page.LateCount != page.TPS-2 || page.Total != page.TPS {
		t.Errorf("counts: %d at the PPK, %d seal, %d late of %d TPS", page.AtPPK, page.SealProblems, page.LateCount, page.TPS)
	}
	if strings.Contains(body, keeperGiver) {
		t.Error("the custody JSON carries names")
	}
	code, body = w.do(t, "GET", api+"?seal=1&place=ppk&limit=1", "desk", "")
	if err := json.Unmarshal([]byte(body), &page); code != http.StatusOK || err != nil || page.Total != 2 || len(page.Items) != 1 ||
		page.Next != page.Items[0].TPS {
		t.Errorf("seal filter, one a page: %d %s", code, body)
	}
	// Before the deadlines, nothing was late.
	code, body = w.do(t, "GET", api+"?late=1&at=2024-02-14T23:30:00%2B07:00", "desk", "")
	if err := json.Unmarshal([]byte(body), &page); code != http.StatusOK || err != nil || page.Total != 0 {
		t.Errorf("late at 23:30 on voting day: %d %s", code, body)
	}
}

var handoverErrorField = regexp.MustCompile(`id="handover-error" data-field="([a-z_]+)"`)

// TestCustodyPages: the PPK's page counts and filters, its downloads, the
// chain of a TPS with its names for staff in scope, the form for those who
// record (an error names the field and keeps what was typed); refused out
// of scope and to the public.
func TestCustodyPages(t *testing.T) {
	w := newCustodyWorld(t)
	ctx := context.Background()
	for _, h := range []string{
		w.handover("a1", w.a, w.a.Code, w.kec, 22, nil),
		w.handover("b1", w.b, w.b.Code, w.desa, 23, func(h *siaga.Handover) { h.BrokenSeals = []string{"0101"} }),
	} {
		if code, body := w.do(t, "POST", "/api/v1/logistics/handovers", "logistik.serang", h); code != http.StatusCreated {
			t.Fatalf("handover: %d %s", code, body)
		}
	}
	list := "/logistik/" + w.kec + "/kotak"
	for _, c := range []struct {
		path, account string
		want          int
	}{
		{list, "", http.StatusUnauthorized},
		{list, "bawaslu.lebak", http.StatusForbidden},
		{list + ".csv", "bawaslu.lebak", http.StatusForbidden},
		{"/tps/" + w.a.Code + "/kotak", "", http.StatusUnauthorized},
		{"/tps/" + w.a.Code + "/kotak", "logistik.lebak", http.StatusForbidden},
	} {
		code, body := w.do(t, "GET", c.path, c.account, "")
		if code != c.want && !(c.want == http.StatusUnauthorized && code == http.StatusSeeOther) {
			t.Errorf("GET %s as %q: %d, want %d", c.path, c.account, code, c.want)
		}
		if strings.Contains(body, keeperGiver) {
			t.Errorf("GET %s as %q shows a name", c.path, c.account)
		}
	}
	code, body := w.do(t, "GET", list, "bawaslu.serang", "")
	tpsCount := len(w.n.Regions.TPSOf(w.kec))
	if code != http.StatusOK {
		t.Fatalf("%s: %d", list, code)
	}
	mustContain(t, list, body, `data-at-ppk="1"`, `1 dari `, "TPS sudah di PPK", `data-tps="`+w.a.Code+`" data-place="ppk"`,
		`data-tps="`+w.b.Code+`" data-place="pps" class="late"`, `class="badge seal"`, list+".xlsx?")
	if got := total(t, body); got != tpsCount {
		t.Errorf("%s: %d rows in all, want the kecamatan's %d TPS", list, got, tpsCount)
	}
	_, body = w.do(t, "GET", list+"?segel=1", "bawaslu.serang", "")
	if got := total(t, body); got != 1 || !strings.Contains(body, w.b.Code) {
		t.Errorf("seal filter: %d rows", got)
	}
	code, body = w.do(t, "GET", list+".csv?tempat=ppk", "ppk.kec", "")
	if code != http.StatusOK || !strings.HasPrefix(body, "tps,nomor,desa,tempat") || strings.Count(body, "\n") != 2 || !strings.Contains(body, w.a.Code) {
		t.Errorf("CSV of the TPS at the PPK: %d\n%s", code, body)
	}

	// The chain, with names, for staff in scope; the form for recorders.
	chain := "/tps/" + w.b.Code + "/kotak"
	_, body = w.do(t, "GET", chain, "bawaslu.serang", "")
	mustContain(t, chain, body, keeperGiver, keeperReceiver, "Segel rusak / broken seals: 0101", `data-code="`+w.desa+`"`)
	if strings.Contains(body, `id="handover-form"`) {
		t.Error("Bawaslu, who reads, is offered the form")
	}
	_, body = w.do(t, "GET", chain, "ppk.kec", "")
	mustContain(t, chain, body, `id="handover-form"`, `value="`+w.kec+`"`, "0101\n0102")

	form := url.Values{"id": {"web-b2"}, "dari": {w.desa}, "ke": {w.kec}, "kotak": {"5"}, "sampul": {"5"},
		"segel": {"0101\n0102\n0103\n0104\n0105"}, "segel_rusak": {""}, "diserahkan": {"Budi Santoso (Ketua PPS)"},
		"diterima": {"Rina (Sekretariat PPK)"}, "waktu": {"2024-02-15T08:30"}}
	with := func(k, v string) string {
		f := url.Values{}
		for key, vs := range form {
			f[key] = vs
		}
		f.Set(k, v)
		return f.Encode()
	}
	for _, c := range []struct{ field, key, value string }{
		{"diterima", "diterima", ""},
		{"kotak", "kotak", "lima"},
		{"segel_rusak", "segel_rusak", "0777"},
		{"waktu", "waktu", "2024-02-14T20:00"}, // before the handover from the TPS
		{"dari", "dari", w.b.Code},
	} {
		code, body := w.do(t, "POST", chain, "ppk.kec", with(c.key, c.value))
		m := handoverErrorField.FindStringSubmatch(body)
		if code != http.StatusBadRequest || m == nil || m[1] != c.field {
			t.Errorf("form with %s=%q: %d, field %v; want 400 naming %s", c.key, c.value, code, m, c.field)
			continue
		}
		mustContain(t, "the form again", body, `name="`+c.field+`"`, `value="Budi Santoso (Ketua PPS)"`)
		if c.field != "dari" && !regexp.MustCompile(`name="`+c.field+`"[^>]*aria-invalid="true"`).MatchString(body) {
			t.Errorf("form with %s=%q: the field is not marked invalid", c.key, c.value)
		}
	}
	if code, body := w.do(t, "POST", chain, "bawaslu.serang", form.Encode()); code != http.StatusForbidden {
		t.Errorf("Bawaslu posts the form: %d %s", code, body)
	}
	code, _ = w.do(t, "POST", chain, "ppk.kec", form.Encode())
	if code != http.StatusSeeOther {
		t.Fatalf("good form: %d", code)
	}
	got, err := w.n.Custody.Chain(ctx, w.b.Code)
	if err != nil || len(got) != 2 || got[1].ReceivedBy != "Rina (Sekretariat PPK)" || got[1].Source != "web" {
		t.Errorf("chain after the form: %+v %v", got, err)
	}
}

// TestCustodyFormPhotos: the form's photos are stored through the
// logistics store and named by the handover; more than three, or one that
// is no image, is refused naming the field, and nothing is stored.
func TestCustodyFormPhotos(t *testing.T) {
	w := newCustodyWorld(t)
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	post := func(id string, photos ...[]byte) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"id": id, "dari": w.a.Code, "ke": w.desa, "kotak": "5", "sampul": "5",
			"segel": "0101\n0102", "diserahkan": keeperGiver, "diterima": keeperReceiver, "waktu": "2024-02-14T22:00"} {
			_ = mw.WriteField(k, v)
		}
		for i, p := range photos {
			fw, _ := mw.CreateFormFile("foto", fmt.Sprintf("foto%d.png", i))
			fw.Write(p)
		}
		mw.Close()
		req := httptest.NewRequest("POST", "/tps/"+w.a.Code+"/kotak", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+w.tokens["ppk.kec"])
		rec := httptest.NewRecorder()
		w.n.Handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	for _, c := range []struct {
		name   string
		photos [][]byte
	}{
		{"four photos", [][]byte{png, png, png, png}},
		{"not an image", [][]byte{[]byte("%PDF-1.4 bukan foto")}},
	} {
		code, body := post("web-x", c.photos...)
		if m := handoverErrorField.FindStringSubmatch(body); code != http.StatusBadRequest || m == nil || m[1] != "foto" {
			t.Errorf("%s: %d %v, want 400 naming foto", c.name, code, m)
		}
	}
	if chain, _ := w.n.Custody.Chain(ctx, w.a.Code); len(chain) != 0 {
		t.Fatalf("a refused form stored %d handovers", len(chain))
	}
	if code, body := post("web-1", png); code != http.StatusSeeOther {
		t.Fatalf("form with a photo: %d %s", code, body)
	}
	chain, err := w.n.Custody.Chain(ctx, w.a.Code)
	if err != nil || len(chain) != 1 || len(chain[0].Photos) != 1 {
		t.Fatalf("chain %+v %v, want one handover with its photo", chain, err)
	}
	if p, err := w.n.Store.LogisticsPhoto(ctx, chain[0].Photos[0]); err != nil || p.Type != "image/png" || !bytes.Equal(p.Data, png) {
		t.Errorf("stored photo %s: %v %q", chain[0].Photos[0], err, p.Type)
	}
}
