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
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// gakkumduNow is when these tests run: the second quiet day, 10:00 WIB.
var gakkumduNow = time.Date(2024, 2, 12, 10, 0, 0, 0, siaga.WIB)

// gakkumduWorld is one node for the whole file, with the Sentra Gakkumdu
// accounts of Kab. Pandeglang (3601) and a Bawaslu account of Lebak.
type gakkumduWorld struct {
	n      *node.Node
	tokens map[string]string
}

func newGakkumduWorld(t *testing.T) *gakkumduWorld {
	t.Helper()
	n := nodetest.Open(t, func(c *node.Config) { c.Now = func() time.Time { return gakkumduNow } })
	w := &gakkumduWorld{n: n, tokens: map[string]string{}}
	ctx := context.Background()
	for _, a := range []struct {
		name   string
		role   siaga.Role
		scope  string
		agency siaga.Agency
	}{
		{"bawaslu.pdg", siaga.RoleBawaslu, "3601", ""},
		{"polres.pdg", siaga.RoleAparat, "3601", ""},
		{"kejari.pdg", siaga.RoleAparat, "3601", siaga.AgencyKejaksaan},
		{"kodim.pdg", siaga.RoleAparat, "3601", siaga.AgencyTNI},
		{"desk", siaga.RoleDesk, "36", ""},
		{"bawaslu.lebak", siaga.RoleBawaslu, "3602", ""},
	} {
		w.tokens[a.name] = nodetest.Token(t, n, auth.NewUser{Username: a.name, Role: a.role, Scope: a.scope})
		if a.agency != "" {
			u, err := n.Store.UserByUsername(ctx, a.name)
			if err != nil {
				t.Fatal(err)
			}
			if err := n.Store.SetUserAgency(ctx, u.ID, a.agency); err != nil {
				t.Fatal(err)
			}
		}
	}
	return w
}

// incident stores a verified report in region, reported at reported.
func (w *gakkumduWorld) incident(t *testing.T, region, title string, reported time.Time) int64 {
	t.Helper()
	in := &siaga.Incident{Channel: siaga.ChannelWeb, Category: siaga.IncidentMoneyPolitic, Severity: siaga.SeverityHigh,
		OccurredAt: reported.Add(-time.Hour), ReportedAt: reported, Region: region, Title: title, Text: "Amplop dibagikan",
		Status: siaga.IncidentVerified, UpdatedAt: reported, Version: 1}
	if err := w.n.Store.CreateIncident(context.Background(), in, &siaga.IncidentStep{At: reported, Kind: siaga.StepReported,
		Status: in.Status, ByName: "ptps"}); err != nil {
		t.Fatal(err)
	}
	return in.ID
}

// do sends body (JSON when it starts with "{", else a form; multipart
// when contentType says so) with the account's token ("" anonymous).
func (w *gakkumduWorld) do(t *testing.T, method, path, account, contentType string, body []byte) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	switch {
	case contentType != "":
		req.Header.Set("Content-Type", contentType)
	case bytes.HasPrefix(body, []byte("{")):
		req.Header.Set("Content-Type", "application/json")
	case len(body) > 0:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if account != "" {
		req.Header.Set("Authorization", "Bearer "+w.tokens[account])
	}
	rec := httptest.NewRecorder()
	w.n.Handler.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, rec.Header(), string(b)
}

type caseAnswer struct {
	ID        int64           `json:"id"`
	Stage     siaga.CaseStage `json:"stage"`
	Version   int             `json:"version"`
	ClockText string          `json:"clock_text"`
	Documents []struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	} `json:"documents"`
	Error struct{ Code, Message string } `json:"error"`
}

var gakkumduPDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// TestGakkumdu: over one node, the API and the pages of the cases —
// rights by agency and scope, the clock, the overdue highlight and filter,
// the list's count and exports, documents up and down, and markup in
// every text field escaped.
func TestGakkumdu(t *testing.T) {
	w := newGakkumduWorld(t)
	const desa = "3601012001"
	fresh := w.incident(t, desa, `Amplop <script>alert("x")</script>`, gakkumduNow.Add(-time.Hour))
	late := w.incident(t, desa, "Kepala desa berkampanye", time.Date(2024, 2, 1, 9, 0, 0, 0, siaga.WIB))
	t.Run("incident page offers a case", func(t *testing.T) {
		path := fmt.Sprintf("/insiden/3601/laporan/%d", fresh)
		for account, want := range map[string]bool{"bawaslu.pdg": true, "polres.pdg": true, "kodim.pdg": false, "desk": false} {
			code, _, body := w.do(t, http.MethodGet, path, account, "", nil)
			if code != http.StatusOK {
				t.Fatalf("%s: GET %s: %d", account, path, code)
			}
			link := fmt.Sprintf(`href="/gakkumdu/3601/baru?insiden=%d"`, fresh)
			if got := strings.Contains(body, link); got != want {
				t.Errorf("%s: the incident page offers a Gakkumdu case: %v, want %v", account, got, want)
			}
		}
	})
	var freshCase, lateCase caseAnswer

	t.Run("api", func(t *testing.T) {
		body := fmt.Appendf(nil, `{"incident":%d,"article":"Pasal 523 ayat (2)","suspect":"<b>Tim</b>"}`, fresh)
		for _, tc := range []struct {
			account string
			status  int
			want    string
		}{
			{"kodim.pdg", http.StatusForbidden, "akun TNI dapat membaca perkara"},
			{"bawaslu.lebak", http.StatusForbidden, ""},
			{"desk", http.StatusForbidden, ""},
			{"", http.StatusUnauthorized, ""},
		} {
			code, _, got := w.do(t, "POST", "/api/v1/gakkumdu/3601", tc.account, "", body)
			if code != tc.status || !strings.Contains(got, tc.want) {
				t.Errorf("open by %q: %d %s, want %d with %q", tc.account, code, got, tc.status, tc.want)
			}
		}
		code, _, got := w.do(t, "POST", "/api/v1/gakkumdu/3601", "polres.pdg", "", body)
		if code != http.StatusCreated || json.Unmarshal([]byte(got), &freshCase) != nil || freshCase.Stage != siaga.StageReview ||
			!strings.HasPrefix(freshCase.ClockText, "sisa 7 hari") {
			t.Fatalf("open by Polres: %d %s", code, got)
		}
		code, _, got = w.do(t, "POST", "/api/v1/gakkumdu/3601", "bawaslu.pdg", "",
			fmt.Appendf(nil, `{"incident":%d,"origin":"temuan","known_at":"2024-02-01T09:00:00+07:00"}`, late))
		if code != http.StatusCreated || json.Unmarshal([]byte(got), &lateCase) != nil {
			t.Fatalf("open late: %d %s", code, got)
		}
		// Polri cannot move Bawaslu's review on; Bawaslu can, with a document.
		adv := fmt.Appendf(nil, `{"version":1,"to":"penyidikan","documents":[{"name":"penerusan.pdf","data":%q}]}`,
			jsonBytes(gakkumduPDF))
		if code, _, got := w.do(t, "POST", fmt.Sprintf("/api/v1/gakkumdu/3601/%d/advance", freshCase.ID), "polres.pdg", "", adv); code != http.StatusForbidden {
			t.Errorf("Polri advances the review: %d %s", code, got)
		}
		code, _, got = w.do(t, "POST", fmt.Sprintf("/api/v1/gakkumdu/3601/%d/advance", freshCase.ID), "bawaslu.pdg", "", adv)
		if code != http.StatusOK {
			t.Fatalf("advance: %d %s", code, got)
		}
		var c caseAnswer
		code, _, got = w.do(t, "GET", fmt.Sprintf("/api/v1/gakkumdu/3601/%d", freshCase.ID), "desk", "", nil)
		if code != http.StatusOK || json.Unmarshal([]byte(got), &c) != nil || c.Stage != siaga.StageInvestigation || len(c.Documents) != 1 ||
			!strings.HasPrefix(c.ClockText, "sisa 14 hari") {
			t.Errorf("case after advance: %d %s", code, got)
		}
		// Lebak's Bawaslu does not read Pandeglang's cases.
		if code, _, _ := w.do(t, "GET", "/api/v1/gakkumdu/3601", "bawaslu.lebak", "", nil); code != http.StatusForbidden {
			t.Errorf("Lebak lists Pandeglang: %d", code)
		}
		code, _, got = w.do(t, "GET", "/api/v1/gakkumdu/3601?overdue=1", "kodim.pdg", "", nil)
		if code != http.StatusOK || !strings.Contains(got, `"total":1`) || !strings.Contains(got, "lewat 4 hari") {
			t.Errorf("overdue list read by TNI: %d %s", code, got)
		}
	})

	t.Run("pages", func(t *testing.T) {
		code, _, got := w.do(t, "GET", "/gakkumdu/3601", "desk", "", nil)
		if code != http.StatusOK {
			t.Fatalf("list: %d %s", code, got)
		}
		for _, want := range []string{"2</b> perkara", `data-case="` + fmt.Sprint(lateCase.ID) + `" data-stage="kajian" class="late"`,
			"lewat 4 hari", "sisa 14 hari", "&lt;script&gt;"} {
			if !strings.Contains(got, want) {
				t.Errorf("list lacks %q", want)
			}
		}
		if strings.Contains(got, "<script>alert") {
			t.Error("list: markup of a title not escaped")
		}
		_, _, got = w.do(t, "GET", "/gakkumdu/3601?lewat=1", "desk", "", nil)
		if !strings.Contains(got, "1</b> perkara") || strings.Contains(got, fmt.Sprintf(`data-case="%d"`, freshCase.ID)) {
			t.Errorf("overdue filter: %s", got)
		}
		code, _, got = w.do(t, "GET", "/gakkumdu/3601/perkara.csv?lewat=1", "desk", "", nil)
		if code != http.StatusOK || strings.Count(got, "\n") != 2 || !strings.Contains(got, "lewat 4 hari") {
			t.Errorf("CSV: %d %q", code, got)
		}
		if code, h, _ := w.do(t, "GET", "/gakkumdu/3601/perkara.xlsx", "desk", "", nil); code != http.StatusOK ||
			!strings.Contains(h.Get("Content-Type"), "spreadsheet") {
			t.Errorf("XLSX: %d %v", code, h)
		}
		casePath := fmt.Sprintf("/gakkumdu/3601/perkara/%d", freshCase.ID)
		code, _, got = w.do(t, "GET", casePath, "polres.pdg", "", nil)
		for _, want := range []string{"Penyidikan Polri", "penerusan.pdf", `id="perkara-lanjut"`, "&lt;b&gt;Tim&lt;/b&gt;", "Penuntutan Kejaksaan / prosecution — 5 hari"} {
			if code != http.StatusOK || !strings.Contains(got, want) {
				t.Errorf("case page for Polri lacks %q (%d)", want, code)
			}
		}
		if _, _, got := w.do(t, "GET", casePath, "desk", "", nil); strings.Contains(got, `id="perkara-lanjut"`) {
			t.Error("the desk is offered the advance form")
		}
		// Polri uploads a document to the investigation; a script is refused.
		for _, tc := range []struct {
			name   string
			data   []byte
			status int
		}{{"bap.pdf", gakkumduPDF, http.StatusSeeOther}, {"x.pdf", []byte("<script>alert(1)</script>"), http.StatusBadRequest}} {
			ct, body := multipartDoc(t, tc.name, tc.data)
			if code, _, got := w.do(t, "POST", casePath+"/dokumen", "polres.pdg", ct, body); code != tc.status {
				t.Errorf("upload %s: %d %s", tc.name, code, got)
			}
		}
		var c caseAnswer
		_, _, got = w.do(t, "GET", fmt.Sprintf("/api/v1/gakkumdu/3601/%d", freshCase.ID), "desk", "", nil)
		if json.Unmarshal([]byte(got), &c) != nil || len(c.Documents) != 2 {
			t.Fatalf("documents after upload: %s", got)
		}
		code, h, got := w.do(t, "GET", fmt.Sprintf("%s/dokumen/%d", casePath, c.Documents[1].ID), "kejari.pdg", "", nil)
		if code != http.StatusOK || got != string(gakkumduPDF) || h.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %d %v", code, h)
		}
		// The form of a new case, from the incident page's link.
		other := w.incident(t, "3601012002", "Intimidasi pemilih", gakkumduNow.Add(-2*time.Hour))
		code, _, got = w.do(t, "GET", fmt.Sprintf("/gakkumdu/3601/baru?insiden=%d", other), "bawaslu.pdg", "", nil)
		if code != http.StatusOK || !strings.Contains(got, `id="gakkumdu-open"`) {
			t.Fatalf("new case form: %d", code)
		}
		code, h, _ = w.do(t, "POST", "/gakkumdu/3601/baru", "bawaslu.pdg", "",
			fmt.Appendf(nil, "insiden=%d&asal=laporan&judul=Intimidasi&diketahui=2024-02-12T08:00", other))
		if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/gakkumdu/3601/perkara/") {
			t.Errorf("open from the form: %d %v", code, h)
		}
		// Anonymous: no page.
		if code, _, _ := w.do(t, "GET", "/gakkumdu/3601", "", "", nil); code == http.StatusOK {
			t.Error("anonymous reads the case list")
		}
	})
}

func jsonBytes(b []byte) string {
	s, _ := json.Marshal(b)
	return strings.Trim(string(s), `"`)
}

func multipartDoc(t *testing.T, name string, data []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("dokumen", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// seedGakkumdu opens a case in Kab. Pandeglang whose title starts like a
// formula, for the download walk (spreadsheet_test.go).
func seedGakkumdu(t *testing.T, n *node.Node) {
	t.Helper()
	w := &gakkumduWorld{n: n}
	inc := w.incident(t, "3601012001", "=HYPERLINK(\"x\") amplop", time.Now().Add(-time.Hour))
	u := &siaga.User{ID: 1, Username: "bawaslu.ekspor", Role: siaga.RoleBawaslu, Scope: "3601"}
	if _, err := n.Gakkumdu.Open(context.Background(), u, gakkumdu.OpenInput{Incident: inc, Suspect: "@terlapor"}); err != nil {
		t.Fatal(err)
	}
}
