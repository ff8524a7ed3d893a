package http_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// incidentNow is election morning: the node's clock in the incident page
// tests (a report may be at most 60 days old).
var incidentNow = time.Date(2024, 2, 14, 10, 0, 0, 0, siaga.WIB)

// script is typed into every text field: it must come back escaped.
const script = `<script>alert("x")</script>`

// incidentSite is the file's one node and its accounts' tokens, all in
// Kab. Pandeglang (3601) but lebak, in Kab. Lebak.
type incidentSite struct {
	n      *node.Node
	tokens map[string]string
}

func (s incidentSite) do(t testing.TB, method, path, who string, body []byte, contentType string) (int, string, http.Header) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c, ok := strings.CutPrefix(who, "cookie:"); ok { // a browser's session: the layout shows its links
		req.AddCookie(&http.Cookie{Name: "siaga_session", Value: s.tokens[c+":cookie"]})
	} else if who != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[who])
	}
	req.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	s.n.Handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String(), rec.Header()
}

func (s incidentSite) get(t testing.TB, path, who string) (int, string) {
	t.Helper()
	code, body, _ := s.do(t, "GET", path, who, nil, "")
	return code, body
}

func (s incidentSite) postForm(t testing.TB, path, who string, v url.Values) (int, string, string) {
	t.Helper()
	code, body, h := s.do(t, "POST", path, who, []byte(v.Encode()), "application/x-www-form-urlencoded")
	return code, body, h.Get("Location")
}

// multipartForm is fields and, when file is not nil, the file "bukti".
func multipartForm(t testing.TB, fields map[string]string, file []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if file != nil {
		fw, err := mw.CreateFormFile("bukti", "bukti.jpg")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// pngFile is a small PNG: the service sniffs it as image/png.
var pngFile = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)

var incidentIDPath = regexp.MustCompile(`/insiden/\d+/laporan/(\d+)`)

// reportAs posts the staff form under region and returns the new
// report's id.
func (s incidentSite) reportAs(t testing.TB, who, region string, fields map[string]string, file []byte) int64 {
	t.Helper()
	body, ct := multipartForm(t, fields, file)
	code, page, h := s.do(t, "POST", "/insiden/"+region+"/baru", who, body, ct)
	m := incidentIDPath.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("report: %d %s\n%s", code, h.Get("Location"), errorOf(page))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// errorOf is the form error a page shows, for failure messages.
func errorOf(page string) string {
	if i := strings.Index(page, `id="form-error"`); i >= 0 {
		return page[i:min(len(page), i+300)]
	}
	return page[:min(len(page), 300)]
}

func openIncidentSite(t *testing.T) incidentSite {
	n := nodetest.Open(t, func(c *node.Config) { c.Now = func() time.Time { return incidentNow } })
	s := incidentSite{n: n, tokens: map[string]string{}}
	for _, u := range []auth.NewUser{
		{Username: "desk", Role: siaga.RoleDesk, Scope: "3601"},
		{Username: "polisi", Role: siaga.RoleAparat, Scope: "3601"},
		{Username: "tentara", Role: siaga.RoleAparat, Scope: "3601"}, // TNI: its agency set below
		{Username: "ppk", Role: siaga.RolePPK, Scope: "360101"},
		{Username: "lebak", Role: siaga.RoleDesk, Scope: "3602"},
		{Username: "saksi", Role: siaga.RoleSaksiKoord, Scope: "3601", Party: siaga.PartyOf(1)},
	} {
		s.tokens[u.Username] = nodetest.Token(t, n, u)
	}
	ctx := context.Background()
	cookie, _, _, err := n.Auth.Login(ctx, "desk", nodetest.Password, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	s.tokens["desk:cookie"] = cookie
	u, err := n.Store.UserByUsername(ctx, "tentara")
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Store.SetUserAgency(ctx, u.ID, siaga.AgencyTNI); err != nil {
		t.Fatal(err)
	}
	return s
}

// staffReport is a report at tps with script in every text field.
func staffReport(tps string) map[string]string {
	return map[string]string{"id": "f-" + tps, "kategori": "intimidasi", "tingkat": "tinggi", "waktu": "2024-02-14T08:15",
		"tempat": tps, "judul": "Ancaman " + script, "teks": "Pemilih diancam " + script}
}

// TestIncidentPages runs the incident pages on one node: the staff form,
// the workflow, the list with its filters, counts and downloads, the
// public form and the moderation queue, and who may see what.
func TestIncidentPages(t *testing.T) {
	s := openIncidentSite(t)
	kec := s.n.Regions.Children("3601")[0]
	desas := s.n.Regions.Children(kec.Code)
	tpsA := s.n.Regions.TPSOf(desas[0].Code)[0]

	t.Run("report", func(t *testing.T) {
		id := s.reportAs(t, "desk", "3601", staffReport(tpsA.Code), pngFile)
		code, page := s.get(t, fmt.Sprintf("/insiden/3601/laporan/%d", id), "desk")
		if code != 200 {
			t.Fatalf("page: %d", code)
		}
		if strings.Contains(page, script) || !strings.Contains(page, "&lt;script&gt;") {
			t.Error("the page does not escape the script typed in the title and text")
		}
		for _, want := range []string{`href="/tps/` + tpsA.Code + `"`, `data-status="baru"`, `id="form-verifikasi"`, "/bukti/", `data-kind="lapor"`, `data-kind="bukti"`} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		// The same form sent twice is one report.
		if again := s.reportAs(t, "desk", "3601", staffReport(tpsA.Code), nil); again != id {
			t.Errorf("the form sent twice made report %d beside %d", again, id)
		}
		// Its evidence is served to staff in scope, with the sniffed type.
		in, err := s.n.Store.IncidentByID(context.Background(), id)
		if err != nil || len(in.Evidence) != 1 {
			t.Fatalf("stored %+v, %v: want one evidence file", in, err)
		}
		code, _, h := s.do(t, "GET", fmt.Sprintf("/insiden/3601/laporan/%d/bukti/%s", id, in.Evidence[0]), "desk", nil, "")
		if code != 200 || h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("evidence: %d %s", code, h.Get("Content-Type"))
		}
		if code, _ := s.get(t, fmt.Sprintf("/insiden/3602/laporan/%d", id), "lebak"); code != 404 {
			t.Errorf("a report of Pandeglang under Lebak: %d, want 404", code)
		}
	})

	t.Run("refusals keep what was typed", func(t *testing.T) {
		for _, tt := range []struct {
			name  string
			set   map[string]string
			file  []byte
			field string
		}{
			{"place outside", map[string]string{"tempat": "3602012001"}, nil, "tempat"},
			{"future", map[string]string{"waktu": "2024-02-20T08:00"}, nil, "waktu"},
			{"text file", nil, []byte("bukan foto, hanya teks biasa"), "bukti"},
			{"oversize", nil, append(pngFile, make([]byte, 1<<20)...), "bukti"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				fields := staffReport(tpsA.Code)
				fields["id"] = "refused-" + tt.name
				for k, v := range tt.set {
					fields[k] = v
				}
				body, ct := multipartForm(t, fields, tt.file)
				code, page, _ := s.do(t, "POST", "/insiden/3601/baru", "desk", body, ct)
				if code != http.StatusUnprocessableEntity {
					t.Fatalf("%d, want 422: %s", code, errorOf(page))
				}
				if _, err := s.n.Store.IncidentByClientID(context.Background(), "web:"+fields["id"]); siaga.ErrorCode(err) != siaga.ENotFound {
					t.Errorf("a refused report was stored (%v)", err)
				}
				if !strings.Contains(page, `data-field="`+tt.field) && !strings.Contains(page, "kolom "+tt.field) {
					t.Errorf("the error does not name %s: %s", tt.field, errorOf(page))
				}
				if !strings.Contains(page, "Ancaman &lt;script&gt;") {
					t.Error("the title typed is lost or unescaped")
				}
			})
		}
	})

	t.Run("workflow", func(t *testing.T) {
		tps := s.n.Regions.TPSOf(desas[1].Code)[0]
		id := s.reportAs(t, "desk", "3601", staffReport(tps.Code), nil)
		path := fmt.Sprintf("/insiden/3601/laporan/%d", id)
		step := func(who string, version int, kind string, extra ...string) (int, string) {
			v := url.Values{"langkah": {kind}, "versi": {strconv.Itoa(version)}}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			code, page, _ := s.postForm(t, path, who, v)
			return code, page
		}
		for _, tt := range []struct {
			who     string
			version int
			kind    string
			extra   []string
			want    int
			field   string
		}{
			{"ppk", 1, "verifikasi", nil, 403, ""}, // not a triage role
			{"desk", 1, "verifikasi", nil, 303, ""},
			{"desk", 1, "tugaskan", []string{"instansi", "polri"}, 409, ""}, // stale version
			{"desk", 2, "tugaskan", nil, 422, "instansi"},
			{"desk", 2, "tugaskan", []string{"instansi", "polri", "teks", "amankan TPS"}, 303, ""},
			{"tentara", 3, "tangani", nil, 403, ""}, // TNI, not the police
			{"polisi", 3, "tangani", nil, 303, ""},
			{"polisi", 4, "selesai", nil, 422, "teks"},
			{"polisi", 4, "catatan", []string{"teks", "patroli " + script}, 303, ""},
			{"polisi", 5, "selesai", []string{"teks", "pelaku diamankan " + script}, 303, ""},
		} {
			code, page := step(tt.who, tt.version, tt.kind, tt.extra...)
			if code != tt.want {
				t.Fatalf("%s %s v%d: %d, want %d: %s", tt.who, tt.kind, tt.version, code, tt.want, errorOf(page))
			}
			if tt.field != "" && !strings.Contains(page, `data-field="`+tt.field+`"`) {
				t.Errorf("%s %s: the error does not name %s: %s", tt.who, tt.kind, tt.field, errorOf(page))
			}
		}
		code, page := s.get(t, path, "desk")
		if code != 200 || !strings.Contains(page, `data-status="selesai"`) {
			t.Fatalf("after closing: %d, status not selesai", code)
		}
		steps := regexp.MustCompile(`data-kind="(\w+)"[^>]*>\s*<b>[^<]*</b> · [^·]*(?:· )?[^·]*· oleh <span class="who">(\w+)</span>`).FindAllStringSubmatch(page, -1)
		var got []string
		for _, m := range steps {
			got = append(got, m[1]+":"+m[2])
		}
		want := "lapor:desk verifikasi:desk tugaskan:desk tangani:polisi catatan:polisi selesai:polisi"
		if strings.Join(got, " ") != want {
			t.Errorf("history %v, want %s", got, want)
		}
		if strings.Contains(page, script) {
			t.Error("the history does not escape the script in a note")
		}
	})

	t.Run("list", func(t *testing.T) {
		// Two reports of the same violence at one TPS: one group.
		tps := s.n.Regions.TPSOf(desas[2].Code)[0]
		for i := range 2 {
			f := staffReport(tps.Code)
			f["id"], f["kategori"], f["waktu"] = fmt.Sprintf("dup-%d", i), "kekerasan", fmt.Sprintf("2024-02-14T07:%02d", 10*i)
			s.reportAs(t, "desk", "3601", f, nil)
		}
		code, page := s.get(t, "/insiden/3601?kategori=kekerasan", "desk")
		if code != 200 || !strings.Contains(page, `data-total="2"`) {
			t.Fatalf("list of violence: %d, want 2 reports", code)
		}
		if !strings.Contains(page, `data-category="kekerasan"><a href="/insiden/3601?grup=1&amp;kategori=kekerasan">1</a>`) {
			t.Error("the counts do not count the duplicate group once")
		}
		if _, page := s.get(t, "/insiden/3601?kategori=kekerasan&grup=1", "desk"); !strings.Contains(page, `data-total="1"`) {
			t.Error("grup=1 does not list the group once")
		}
		if _, page := s.get(t, "/insiden/3601?kategori=perang", "desk"); !strings.Contains(page, "kategori") {
			t.Error("an unknown category is not named")
		}
		code, body := s.get(t, "/insiden/3601/daftar.csv?kategori=kekerasan", "desk")
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if code != 200 || err != nil || len(recs) != 3 || recs[0][0] != "id" || recs[1][9] == recs[2][9] {
			t.Errorf("CSV: %d %v %q: want a header and both reports, one grouped", code, err, recs)
		}
		if code, _, h := s.do(t, "GET", "/insiden/3601/daftar.xlsx", "desk", nil, ""); code != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheet") {
			t.Errorf("XLSX: %d %s", code, h.Get("Content-Type"))
		}
		if _, page := s.get(t, "/insiden/3601?cetak=1", "desk"); strings.Contains(page, `id="insiden-next"`) {
			t.Error("the print view pages")
		}
		for _, tt := range []struct {
			path, who string
			want      int
		}{
			{"/insiden/3601", "lebak", 403},
			{"/insiden/3601", "saksi", 403},
			{"/insiden/3601/daftar.csv", "", 401},
			{"/insiden/360101", "ppk", 200},
			{"/insiden/3601/moderasi", "ppk", 403},
		} {
			code, _ := s.get(t, tt.path, tt.who)
			if code != tt.want && !(tt.want == 401 && code == http.StatusSeeOther) {
				t.Errorf("%s by %q: %d, want %d", tt.path, tt.who, code, tt.want)
			}
		}
		// The TPS page offers staff the form for the TPS, the public not.
		_, page = s.get(t, "/tps/"+tps.Code, "cookie:desk")
		if !strings.Contains(page, "/insiden/3601/baru?tps="+tps.Code) || !strings.Contains(page, `id="nav-insiden"`) {
			t.Error("the TPS page has no 'Laporkan insiden' link, or the layout no Insiden link, for the desk")
		}
		if !strings.Contains(page, "/tps/"+tps.Code+"/kerawanan") {
			t.Error("the TPS page has no link to its vulnerability for the desk")
		}
		if _, page := s.get(t, "/tps/"+tps.Code, ""); strings.Contains(page, "/insiden/") || strings.Contains(page, "/kerawanan") {
			t.Error("the TPS page links the incident or vulnerability pages for the public")
		}
	})

	t.Run("public", func(t *testing.T) {
		post := func(addr string, v url.Values) (int, string) {
			req := httptest.NewRequest("POST", "/lapor", strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.RemoteAddr = addr
			rec := httptest.NewRecorder()
			s.n.Handler.ServeHTTP(rec, req)
			return rec.Code, rec.Body.String()
		}
		form := func(id string) url.Values {
			return url.Values{"id": {id}, "kategori": {"politik_uang"}, "kabkota": {"3601"}, "tempat": {desas[3].Code},
				"waktu": {"2024-02-13T21:00"}, "teks": {"Amplop dibagikan " + script}, "nama": {"Warga " + script}, "telepon": {"<i>0812</i>"}}
		}
		code, page := post("198.51.100.7:1234", form("pub-1"))
		receipt := regexp.MustCompile(`id="nomor-terima">(INS-\d+)<`).FindStringSubmatch(page)
		if code != 200 || receipt == nil {
			t.Fatalf("public report: %d %s", code, errorOf(page))
		}
		if strings.Contains(page, "Amplop") || strings.Contains(page, "Warga") {
			t.Error("the answer shows the report back")
		}
		id := strings.TrimLeft(strings.TrimPrefix(receipt[1], "INS-"), "0")
		// Script in a field that is refused comes back escaped too.
		bad := form("pub-bad")
		bad.Set("kabkota", script)
		if code, page := post("198.51.100.8:1", bad); code != 422 || strings.Contains(page, script) {
			t.Errorf("a refused public form: %d, script escaped: %v", code, !strings.Contains(page, script))
		}
		// The queue shows it, with its sender, to the triage roles.
		code, page = s.get(t, "/insiden/3601/moderasi", "desk")
		if code != 200 || !strings.Contains(page, `id="m-`+id+`"`) || !strings.Contains(page, "198.51.100.7") {
			t.Fatalf("queue: %d, report %s or its sender missing", code, id)
		}
		if strings.Contains(page, script) {
			t.Error("the queue does not escape the script")
		}
		// Unverified, it is in no public answer; the list is staff only.
		for _, path := range []string{"/lapor", "/", "/wilayah/3601", "/insiden/3601"} {
			if _, page := s.get(t, path, ""); strings.Contains(page, "Amplop") {
				t.Errorf("%s shows the unverified public report", path)
			}
		}
		// Rejected from the queue as a hoax, it leaves it.
		code, _, loc := s.postForm(t, "/insiden/3601/laporan/"+id, "desk",
			url.Values{"langkah": {"tolak"}, "versi": {"1"}, "teks": {"hoaks: foto lama"}, "ke": {"moderasi"}})
		if code != 303 || loc != "/insiden/3601/moderasi" {
			t.Fatalf("reject from the queue: %d → %s", code, loc)
		}
		if _, page := s.get(t, "/insiden/3601/moderasi", "desk"); strings.Contains(page, `id="m-`+id+`"`) {
			t.Error("the rejected report is still queued")
		}
		// A flood from one sender is stopped.
		var last int
		for i := range 12 {
			last, _ = post("203.0.113.9:5555", form(fmt.Sprintf("flood-%d", i)))
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("the 12th report from one address: %d, want 429", last)
		}
	})
}

// seedIncidents stores reports in Kab. Pandeglang for the downloads'
// walk (TestXLSXReadBack), a formula in one title.
func seedIncidents(t testing.TB, n *node.Node) {
	t.Helper()
	tps := n.Regions.TPSOf("3601")[0]
	at := time.Date(2024, 2, 14, 8, 0, 0, 0, siaga.WIB)
	for i, title := range []string{"=HYPERLINK(1)", "Kotak suara rusak"} {
		in := &siaga.Incident{ClientID: fmt.Sprintf("seed-%d", i), Channel: siaga.ChannelWeb, Category: siaga.IncidentLogistics,
			Severity: siaga.SeverityMedium, OccurredAt: at, ReportedAt: at, Region: tps.Desa, TPS: tps.Code, Title: title,
			Text: "uji", Status: siaga.IncidentNew, UpdatedAt: at, Version: 1}
		step := &siaga.IncidentStep{At: at, Kind: siaga.StepReported, Status: siaga.IncidentNew, ByName: "uji"}
		if err := n.Store.CreateIncident(context.Background(), in, step); err != nil {
			t.Fatal(err)
		}
	}
}
