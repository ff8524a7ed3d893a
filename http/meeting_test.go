package http_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// meetingNow is the clock of the meetings' node: 13 February 2024, 10:00
// WIB, the last quiet day.
var meetingNow = time.Date(2024, 2, 13, 10, 0, 0, 0, siaga.WIB)

// xss is typed into every text field: it must come back as text.
const xss = `<script>alert("rapat")</script>`

// TestMeetingPages runs every page test of the meetings on one node (the
// Banten registry is slow to load): each subtest works in its own
// kab/kota or on its own meetings.
func TestMeetingPages(t *testing.T) {
	n := nodetest.Open(t, func(c *node.Config) { c.Now = func() time.Time { return meetingNow } })
	desk := loginAs(t, n, "desk.banten", siaga.RoleDesk, "36", "")
	polda := loginAs(t, n, "polda", siaga.RoleAparat, "36", "")
	kpuLebak := loginAs(t, n, "kpu.lebak", siaga.RoleKPUKab, "3602", "")
	t.Run("escaped", func(t *testing.T) { testMeetingEscaped(t, n, desk, polda) })
	t.Run("rights", func(t *testing.T) { testMeetingRights(t, n, desk, polda, kpuLebak) })
	t.Run("overdue and done", func(t *testing.T) { testMeetingOverdue(t, n, desk, polda, kpuLebak) })
	t.Run("paged", func(t *testing.T) { testMeetingPaged(t, n, desk) })
	t.Run("api", func(t *testing.T) { testMeetingAPI(t, n) })
}

// createMeeting posts the new-meeting form as s and returns the meeting's page path.
func createMeeting(t testing.TB, n *node.Node, s session, region string, form url.Values) string {
	t.Helper()
	form.Set("csrf", s.csrf)
	res := s.do(t, n, "POST", "/rapat/"+region, form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /rapat/%s: %d %s", region, res.StatusCode, readAll(t, res))
	}
	return res.Header.Get("Location")
}

func meetingForm(title string) url.Values {
	return url.Values{"judul": {title}, "waktu": {"2024-02-12T09:00"}, "tempat": {"Pendopo Gubernur"}, "pimpinan": {"Pj. Gubernur"},
		"peserta": {"polri; Irjen Pol. A; Kapolda Banten\ntni; Brigjen TNI B; Danrem 064/MY"}, "agenda": {"Pengamanan TPS"},
		"keputusan": {"Patroli gabungan\nSiaga banjir"}}
}

func addItem(t testing.TB, n *node.Node, s session, page string, form url.Values) *http.Response {
	t.Helper()
	form.Set("csrf", s.csrf)
	return s.do(t, n, "POST", page+"/tindak-lanjut", form)
}

// testMeetingEscaped: script typed into every text field of a meeting and
// of an action item is shown as text on every page.
func testMeetingEscaped(t *testing.T, n *node.Node, desk, polda session) {
	form := url.Values{"judul": {xss}, "waktu": {"2024-02-12T09:00"}, "tempat": {xss}, "pimpinan": {xss},
		"peserta": {"polri; " + strings.ReplaceAll(xss, ";", "") + "; " + strings.ReplaceAll(xss, ";", "")}, "agenda": {xss},
		"keputusan": {xss}, "catatan": {xss}}
	page := createMeeting(t, n, desk, "36", form)
	if res := addItem(t, n, desk, page, url.Values{"keputusan": {"1"}, "uraian": {xss}, "instansi": {"polri"}, "tenggat": {"2024-02-20"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add item: %d %s", res.StatusCode, readAll(t, res))
	}
	for _, path := range []string{page, "/rapat/36", "/rapat/36/tindak-lanjut"} {
		body := readAll(t, polda.do(t, n, "GET", path, nil))
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s shows the script unescaped", path)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(&#34;rapat&#34;)&lt;/script&gt;") {
			t.Errorf("%s does not show the typed script as text", path)
		}
	}
	body := readAll(t, polda.do(t, n, "GET", page, nil))
	if c := strings.Count(body, "&lt;script&gt;alert"); c < 7 { // title ×2, place, chair, name, agenda, decision, notes, item
		t.Errorf("the minutes show the script as text %d times, want every field", c)
	}
}

// testMeetingRights: the situation roles read in scope, the desk writes,
// the others are refused.
func testMeetingRights(t *testing.T, n *node.Node, desk, polda, kpuLebak session) {
	page := createMeeting(t, n, desk, "36", meetingForm("Rapat hak akses"))
	cases := []struct {
		name   string
		s      session
		method string
		path   string
		form   url.Values
		want   int
	}{
		{"polda reads the province", polda, "GET", "/rapat/36", nil, 200},
		{"polda reads the minutes", polda, "GET", page, nil, 200},
		{"polda may not write", polda, "POST", "/rapat/36", meetingForm("x"), 403},
		{"polda may not add items", polda, "POST", page + "/tindak-lanjut", url.Values{"uraian": {"x"}}, 403},
		{"kpu lebak reads lebak", kpuLebak, "GET", "/rapat/3602", nil, 200},
		{"kpu lebak reads the province's minutes from lebak", kpuLebak, "GET", strings.Replace(page, "/rapat/36/", "/rapat/3602/", 1), nil, 200},
		{"kpu lebak not the province's page", kpuLebak, "GET", "/rapat/36", nil, 403},
		{"a kecamatan has no meetings", desk, "GET", "/rapat/360201", nil, 404},
		{"the desk's bad form", desk, "POST", "/rapat/36", url.Values{"judul": {""}, "waktu": {"2024-02-12T09:00"}, "tempat": {"x"}}, 400},
		{"unknown agency", desk, "POST", "/rapat/36", url.Values{"judul": {"x"}, "waktu": {"2024-02-12T09:00"}, "tempat": {"x"}, "peserta": {"fbi; Mulder; agen"}}, 400},
		{"due before the meeting", desk, "POST", page + "/tindak-lanjut", url.Values{"uraian": {"x"}, "instansi": {"polri"}, "tenggat": {"2024-02-11"}}, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.form != nil {
				tc.form.Set("csrf", tc.s.csrf)
			}
			res := tc.s.do(t, n, tc.method, tc.path, tc.form)
			body := readAll(t, res)
			if res.StatusCode != tc.want {
				t.Fatalf("%s %s: %d, want %d: %.300s", tc.method, tc.path, res.StatusCode, tc.want, body)
			}
			if tc.want == 400 && !(strings.Contains(body, `role="alert"`) && strings.Contains(body, `lang="en"`)) {
				t.Errorf("refusal without a bilingual message: %.500s", body)
			}
		})
	}
	res, body := get(t, n.Handler, "/rapat/36")
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the public GET /rapat/36: %d %.200s", res.StatusCode, body)
	}
	// The nav shows "Rapat" to the situation roles only.
	if body := readAll(t, polda.do(t, n, "GET", "/rapat/36", nil)); !strings.Contains(body, `href="/rapat/36" aria-current="page">Rapat</a>`) {
		t.Error("no Rapat link in the nav of aparat")
	}
}

var overdueRow = regexp.MustCompile(`<tr id="tl-(\d+)"[^>]*class="late" data-overdue="(\d+)"`)

// testMeetingOverdue: on 13 February an item due the 12th is overdue by
// a day and red, one due the 13th is not; polda marks its item done and
// it leaves the open list; KPU Lebak may not mark polri's item done.
func testMeetingOverdue(t *testing.T, n *node.Node, desk, polda, kpuLebak session) {
	page := createMeeting(t, n, desk, "3603", meetingForm("Rakor Kab. Tangerang"))
	for _, it := range []url.Values{
		{"keputusan": {"1"}, "uraian": {"Patroli malam"}, "instansi": {"polri"}, "tenggat": {"2024-02-12"}},
		{"keputusan": {"2"}, "uraian": {"Perahu karet siaga"}, "instansi": {"bpbd"}, "tenggat": {"2024-02-13"}},
	} {
		if res := addItem(t, n, desk, page, it); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add item: %d %s", res.StatusCode, readAll(t, res))
		}
	}
	body := readAll(t, desk.do(t, n, "GET", "/rapat/3603/tindak-lanjut", nil))
	late := overdueRow.FindAllStringSubmatch(body, -1)
	if len(late) != 1 || late[0][2] != "1" || !strings.Contains(body, "lewat 1 hari") {
		t.Fatalf("overdue rows %v, want the patrol only, 1 day", late)
	}
	body = readAll(t, desk.do(t, n, "GET", "/rapat/3603/tindak-lanjut?lewat=1", nil))
	if !strings.Contains(body, `data-total="1"`) {
		t.Error("the overdue filter does not count 1")
	}
	id := late[0][1]
	step := url.Values{"aksi": {"selesai"}, "versi": {"1"}, "catatan": {"Patroli digelar 3 malam"}, "kembali": {"/rapat/3603"}}
	step.Set("csrf", kpuLebak.csrf)
	if res := kpuLebak.do(t, n, "POST", "/rapat/3603/tindak-lanjut/"+id, step); res.StatusCode != http.StatusForbidden {
		t.Errorf("KPU Lebak marking polri's item of Kab. Tangerang: %d, want 403", res.StatusCode)
	}
	step.Set("csrf", polda.csrf)
	res := polda.do(t, n, "POST", "/rapat/3603/tindak-lanjut/"+id, step)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/rapat/3603#tl-"+id) {
		t.Fatalf("polda marks done: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := polda.do(t, n, "POST", "/rapat/3603/tindak-lanjut/"+id, step); res.StatusCode != http.StatusConflict {
		t.Errorf("done again from the same version: %d, want 409", res.StatusCode)
	}
	body = readAll(t, desk.do(t, n, "GET", "/rapat/3603", nil))
	if overdueRow.MatchString(body) || !strings.Contains(body, `data-total="1"`) {
		t.Error("the meetings page still shows an overdue item, or not 1 open item")
	}
	// The downloads: one table, the page's filters.
	res = desk.do(t, n, "GET", "/rapat/3603/tindak-lanjut.csv?instansi=polri", nil)
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][0] != "id" || rows[1][4] != "Polri" || rows[1][7] != "selesai" || rows[1][11] != "Patroli digelar 3 malam" {
		t.Errorf("CSV of polri's items: %v %v", rows, err)
	}
	for _, path := range []string{"/rapat/3603/tindak-lanjut.xlsx", page + "/tindak-lanjut.xlsx"} {
		if res := desk.do(t, n, "GET", path, nil); res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheet") {
			t.Errorf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	res = desk.do(t, n, "GET", page+"/tindak-lanjut.csv", nil)
	if rows, err := csv.NewReader(res.Body).ReadAll(); err != nil || len(rows) != 3 {
		t.Errorf("CSV of the meeting's items: %d rows %v", len(rows), err)
	}
}

// testMeetingPaged: 21 meetings of Pandeglang show 20 per page, "N dari
// M", and the next page the last one.
func testMeetingPaged(t *testing.T, n *node.Node, desk session) {
	ctx := context.Background()
	for i := range 21 {
		if _, err := n.Meetings.CreateMeeting(ctx, desk.user, siaga.Meeting{Region: "3601", Title: fmt.Sprintf("Rakor %02d", i+1),
			At: meetingNow.Add(time.Duration(i) * time.Hour), Place: "Pendopo Pandeglang"}); err != nil {
			t.Fatal(err)
		}
	}
	body := readAll(t, desk.do(t, n, "GET", "/rapat/3601", nil))
	if !strings.Contains(body, "1–20</span>") && !strings.Contains(body, "1–20 dari") {
		t.Errorf("first page does not say 1–20 dari 21: %s", regexp.MustCompile(`(?s)id="rapat-count".{0,200}`).FindString(body))
	}
	if !strings.Contains(body, "Rakor 21") || strings.Contains(body, "Rakor 01<") {
		t.Error("the first page is not the newest 20")
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next" id="rapat-next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no next page link")
	}
	body = readAll(t, desk.do(t, n, "GET", strings.ReplaceAll(next[1], "&amp;", "&"), nil))
	if !strings.Contains(body, "21–21 dari") || !strings.Contains(body, "Rakor 01<") || !strings.Contains(body, `data-total="21"`) {
		t.Error("the second page is not the 21st meeting of 21")
	}
}

// seedMeeting records a meeting of region (the node's first: ID 1) with
// two action items, one typed as a formula, for the downloads' walk.
func seedMeeting(t testing.TB, n *node.Node, region string) {
	t.Helper()
	ctx := context.Background()
	desk := &siaga.User{ID: 1, Username: "seed.desk", Role: siaga.RoleDesk, Scope: region}
	m, err := n.Meetings.CreateMeeting(ctx, desk, siaga.Meeting{Region: region, Title: "Rakor", At: time.Date(2024, 2, 12, 9, 0, 0, 0, siaga.WIB),
		Place: "Pendopo", Decisions: []siaga.Decision{{No: 1, Text: "Patroli"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range []siaga.ActionItem{
		{Decision: 1, Text: "=HYPERLINK(\"x\")", Agency: siaga.AgencyPolri, Due: "2024-02-13"},
		{Text: "Perahu karet", Agency: siaga.AgencyBPBD, Due: "2024-02-14"},
	} {
		it.Meeting = m.ID
		if _, err := n.Meetings.AddActionItem(ctx, desk, it); err != nil {
			t.Fatal(err)
		}
	}
}

// testMeetingAPI: the desk posts a meeting with its items; the situation
// roles read it in scope; the others and bad input are refused.
func testMeetingAPI(t *testing.T, n *node.Node) {
	desk := nodetest.Token(t, n, auth.NewUser{Username: "desk.lebak.api", Role: siaga.RoleDesk, Scope: "3602"})
	bawaslu := nodetest.Token(t, n, auth.NewUser{Username: "bawaslu.lebak.api", Role: siaga.RoleBawaslu, Scope: "3602"})
	serang := nodetest.Token(t, n, auth.NewUser{Username: "aparat.serang.api", Role: siaga.RoleAparat, Scope: "3604"})
	call := func(token, method, path, body string) (int, string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		n.Handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	body := `{"title":"Rakor Desk Pemilu Lebak","at":"2024-02-12T13:00:00+07:00","place":"Aula Setda Lebak","chair":"Sekda",
		"participants":[{"agency":"polri","name":"AKBP C","position":"Kapolres Lebak"}],"agenda":["Banjir"],
		"decisions":[{"no":1,"text":"Relokasi TPS rawan banjir"}],
		"action_items":[{"decision":1,"text":"Data TPS rawan banjir","agency":"bpbd","due":"2024-02-13"}]}`
	code, out := call(desk, "POST", "/api/v1/meetings/3602", body)
	if code != http.StatusCreated {
		t.Fatalf("POST: %d %s", code, out)
	}
	var m struct {
		ID          int64              `json:"id"`
		ActionItems []siaga.ActionItem `json:"action_items"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || len(m.ActionItems) != 1 || m.ActionItems[0].Region != "3602" {
		t.Fatalf("answer %s (%v)", out, err)
	}
	cases := []struct {
		name, token, method, path, body string
		want                            int
		field                           string
	}{
		{"bawaslu lists", bawaslu, "GET", "/api/v1/meetings/3602", "", 200, ""},
		{"bawaslu reads", bawaslu, "GET", fmt.Sprintf("/api/v1/meetings/3602/%d", m.ID), "", 200, ""},
		{"bawaslu may not post", bawaslu, "POST", "/api/v1/meetings/3602", body, 403, ""},
		{"serang not lebak", serang, "GET", "/api/v1/meetings/3602", "", 403, ""},
		{"serang not lebak's meeting from serang", serang, "GET", fmt.Sprintf("/api/v1/meetings/3604/%d", m.ID), "", 404, ""},
		{"unknown agency", desk, "POST", "/api/v1/meetings/3602", strings.Replace(body, `"bpbd"`, `"fbi"`, 1), 400, "action_items[0].agency"},
		{"due before the meeting", desk, "POST", "/api/v1/meetings/3602", strings.Replace(body, `"2024-02-13"`, `"2024-02-01"`, 1), 400, "action_items[0].due"},
		{"unknown field", desk, "POST", "/api/v1/meetings/3602", `{"titel":"x"}`, 400, ""},
		{"wrong type", desk, "POST", "/api/v1/meetings/3602", `{"title":1}`, 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := call(tc.token, tc.method, tc.path, tc.body)
			if code != tc.want {
				t.Fatalf("%s %s: %d, want %d: %s", tc.method, tc.path, code, tc.want, out)
			}
			if tc.field != "" && !strings.Contains(out, `"field":"`+tc.field+`"`) {
				t.Errorf("error %s does not name %s", out, tc.field)
			}
		})
	}
	code, out = call(bawaslu, "GET", "/api/v1/meetings/3602", "")
	if code != 200 || !strings.Contains(out, `"total":`) || strings.Contains(out, "created_by") {
		t.Errorf("list: %d %s", code, out)
	}
}
