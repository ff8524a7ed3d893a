package http_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	siagahttp "github.com/deskpemilu/siaga/http"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/google/uuid"
)

// newNode initialises a data folder with the real Banten registry and opens
// a node on it.
func newNode(t *testing.T) *node.Node {
	t.Helper()
	start := time.Now()
	n := nodetest.Open(t, nil)
	t.Logf("node ready in %v", time.Since(start))
	return n
}

// ppwpForm is a consistent presidential count for a TPS of dpt voters.
func ppwpForm(dpt int, votes [3]int, invalid int) siaga.Form {
	sah := votes[0] + votes[1] + votes[2]
	used := sah + invalid
	return siaga.Form{
		Admin: siaga.Admin{
			"pemilih_dpt_j": dpt, "pengguna_dpt_j": used, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0,
			"pengguna_total_j": used, "suara_sah": sah, "suara_tidak_sah": invalid, "suara_total": used,
		},
		Votes: &siaga.Votes{Options: map[string]int{"01": votes[0], "02": votes[1], "03": votes[2]}},
	}
}

func submit(t *testing.T, n *node.Node, tps string, src siaga.Source, f siaga.Form) siaga.Receipt {
	t.Helper()
	sub := &siaga.Submission{Contest: siaga.PPWP, Form: f, ID: uuid.NewString(), Source: src, TPS: tps}
	flags, err := n.Rules.Inspect(sub)
	if err != nil {
		t.Fatalf("validate %s: %v", tps, err)
	}
	canonical, form := sub.Canonical()
	rc, _, err := n.Results.SubmitEncoded(context.Background(), sub, canonical, form, "test", flags)
	if err != nil {
		t.Fatalf("submit %s: %v", tps, err)
	}
	return rc
}

func get(t *testing.T, h http.Handler, url string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// night is a node with four presidential reports: a clean one in
// Pandeglang, one in Lebak, one in Kota Serang far above its voter list
// (R6, R7), and a witness in Pandeglang who saw other numbers (R11).
type night struct {
	n                *node.Node
	tpsA, tpsB, tpsC siaga.TPS
	rcA              siaga.Receipt
}

func newNight(t *testing.T) night {
	n := newNode(t)
	w := night{n: n, tpsA: n.Regions.TPSOf("3601")[0], tpsB: n.Regions.TPSOf("3602")[0], tpsC: n.Regions.TPSOf("3673")[0]}
	w.rcA = submit(t, n, w.tpsA.Code, siaga.SourceKPPS, ppwpForm(w.tpsA.DPT, [3]int{100, 50, 20}, 3))
	submit(t, n, w.tpsB.Code, siaga.SourceKPPS, ppwpForm(w.tpsB.DPT, [3]int{10, 120, 30}, 2))
	submit(t, n, w.tpsC.Code, siaga.SourceKPPS, ppwpForm(w.tpsC.DPT, [3]int{1000, 1000, 1000}, 0))
	submit(t, n, w.tpsA.Code, siaga.SourceSaksi, ppwpForm(w.tpsA.DPT, [3]int{90, 60, 20}, 3))
	return w
}

func mustContain(t *testing.T, page, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", page, w)
		}
	}
}

func TestHomeRedirectsToProvince(t *testing.T) {
	n := newNode(t)
	res, _ := get(t, n.Handler, "/?kontes=dpr")
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/wilayah/36?kontes=dpr" {
		t.Fatalf("GET / = %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestHomeOfAScopedOfficial(t *testing.T) {
	n := newNode(t)
	if _, err := n.Auth.CreateUser(context.Background(), "ppk", "Budi PPK", "rahasia-panjang-123", siaga.RolePPK, "360101"); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/masuk", strings.NewReader(url.Values{"username": {"ppk"}, "password": {"rahasia-panjang-123"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	n.Handler.ServeHTTP(rec, req)
	home := httptest.NewRequest("GET", "/", nil)
	for _, c := range rec.Result().Cookies() {
		home.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	n.Handler.ServeHTTP(rec, home)
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != "/wilayah/360101" {
		t.Fatalf("GET / as the PPK of 360101 = %d %q, want its kecamatan", rec.Code, rec.Header().Get("Location"))
	}
}

// TestPages reads the pages of one night; none of them writes.
func TestPages(t *testing.T) {
	w := newNight(t)
	t.Run("region", func(t *testing.T) { testRegionPage(t, w) })
	t.Run("contest", func(t *testing.T) { testContestSwitcher(t, w) })
	t.Run("desa", func(t *testing.T) { testDesaPageListsTPS(t, w) })
	t.Run("tps", func(t *testing.T) { testTPSPageComparesSources(t, w) })
	t.Run("anomali", func(t *testing.T) { testAnomaliFilters(t, w) })
	t.Run("map", func(t *testing.T) { testMapJSON(t, w) })
}

func testRegionPage(t *testing.T, w night) {
	res, body := get(t, w.n.Handler, "/wilayah/36")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	mustContain(t, "province page", body,
		`Siaga — Desk Pemilu`, w.n.Election.Name,
		`<span data-k="tps_reported">3</span>`, `<span data-k="tps_total">33.324</span>`,
		`<dd data-k="suara_sah">3.330</dd>`, `<dd data-k="suara_tidak_sah">5</dd>`,
		`01 Anies–Muhaimin`, `02 Prabowo–Gibran`, `03 Ganjar–Mahfud`,
		`<td class="n" data-v="votes">1.110</td>`, `<td class="n" data-v="share">35,1%</td>`,
		`aturan=R7`, ruleText7, `href="/wilayah/3601"`, `Kabupaten Pandeglang`,
		`<svg xmlns="http://www.w3.org/2000/svg"`, `class="line"`,
		`TPS belum melapor`, "Data sintetis")
	if strings.Contains(body, "{{") || strings.Contains(body, "ZgotmplZ") {
		t.Error("page contains template residue")
	}
}

// ruleText7 is the start of R7's description, before html/template escapes "+".
const ruleText7 = "Jumlah suara melebihi DPT"

func testContestSwitcher(t *testing.T, w night) {
	_, body := get(t, w.n.Handler, "/wilayah/3601?kontes=dpr")
	mustContain(t, "dpr page", body, `Golkar`, `PKB`, `href="/wilayah/3601?kontes=ppwp"`,
		`class="active" aria-current="true">DPR RI`, `<span data-k="tps_reported">0</span>`)
}

func testDesaPageListsTPS(t *testing.T, w night) {
	_, body := get(t, w.n.Handler, "/wilayah/"+w.tpsA.Desa)
	mustContain(t, "desa page", body, `href="/tps/`+w.tpsA.Code+`"`, "TPS 001", "Lokasi TPS sintetis")
	// tpsA reported the president only: it leaves the presidential
	// dispatch list and stays on the others.
	if strings.Contains(body[strings.Index(body, `id="belum"`):], `<a href="/tps/`+w.tpsA.Code+`">`) {
		t.Errorf("TPS A, which reported the president, is on the presidential dispatch list")
	}
	_, body = get(t, w.n.Handler, "/wilayah/"+w.tpsA.Desa+"?kontes=dpr")
	mustContain(t, "dispatch list", body, `<a href="/tps/`+w.tpsA.Code+`">`, "<td>DPR RI</td>", "belum ada kiriman")
}

func testTPSPageComparesSources(t *testing.T, w night) {
	res, body := get(t, w.n.Handler, "/tps/"+w.tpsA.Code)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	mustContain(t, "TPS page", body, `data-source="kpps">KPPS`, `data-source="saksi">Saksi`, "✓ dihitung",
		`class="votes differs"`, "Riwayat versi", w.rcA.Hash[:12], "R11", "sinyal", "sintetis",
		`href="/tps/`+w.tpsA.Code+`/tabel.csv"`, `href="/tps/`+w.tpsA.Code+`/tabel.xlsx"`)
	if strings.Count(body, `class="votes differs"`) != 2 {
		t.Errorf("want tickets 01 and 02 marked as differing, got %d rows", strings.Count(body, `class="votes differs"`))
	}
	// The witness's two numbers differ from KPPS's, which count: only
	// those cells are highlighted.
	if n := strings.Count(body, `cell-differs`); n != 2 {
		t.Errorf("%d cells highlighted, want the witness's 01 and 02", n)
	}
}

func testAnomaliFilters(t *testing.T, w night) {
	_, body := get(t, w.n.Handler, "/anomali?wilayah=36&kontes=ppwp&aturan=R7")
	mustContain(t, "anomali R7", body, w.tpsC.Code, ruleText7)
	if strings.Contains(body, ">"+w.tpsA.Code+"<") {
		t.Error("R7 list shows a TPS that does not break R7")
	}
	_, body = get(t, w.n.Handler, "/anomali?wilayah=3601")
	mustContain(t, "anomali Pandeglang", body, w.tpsA.Code)
	if strings.Contains(body, ">"+w.tpsC.Code+"<") {
		t.Error("Pandeglang list shows a Kota Serang TPS")
	}
}

func TestNotFoundPages(t *testing.T) {
	n := newNode(t)
	for _, u := range []string{"/wilayah/99", "/tps/3601012001999", "/anomali?wilayah=77", "/nope"} {
		res, body := get(t, n.Handler, u)
		if res.StatusCode != 404 {
			t.Errorf("%s = %d, want 404", u, res.StatusCode)
		}
		if u != "/nope" && !strings.Contains(body, "tidak ditemukan") {
			t.Errorf("%s: no Indonesian message", u)
		}
	}
}

func testMapJSON(t *testing.T, w night) {
	res, body := get(t, w.n.Handler, "/api/v1/map/ppwp/36")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var d struct {
		Geo      string `json:"geo"`
		Children []struct {
			Code        string  `json:"code"`
			TPSTotal    int     `json:"tps_total"`
			TPSReported int     `json:"tps_reported"`
			Leader      string  `json:"leader"`
			LeaderShare float64 `json:"leader_share"`
			Lat         float64 `json:"lat"`
		} `json:"children"`
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Children) != 8 {
		t.Fatalf("%d children, want 8 kab/kota", len(d.Children))
	}
	pdg := d.Children[0]
	if pdg.Code != "3601" || pdg.TPSReported != 1 || pdg.Leader != "01" || pdg.TPSTotal < 3000 || pdg.Lat > -6 {
		t.Errorf("Pandeglang = %+v", pdg)
	}
	if math.Abs(pdg.LeaderShare-100.0/170) > 1e-9 {
		t.Errorf("leader share %v, want 100/170", pdg.LeaderShare)
	}
	geo, gbody := get(t, w.n.Handler, d.Geo)
	if geo.StatusCode != 200 || !strings.Contains(gbody, `"kode_bps":"3601"`) {
		t.Errorf("geo layer %s: %d", d.Geo, geo.StatusCode)
	}

	_, body = get(t, w.n.Handler, "/api/v1/map/ppwp/"+w.tpsA.Desa)
	mustContain(t, "desa map", body, `"code":"`+w.tpsA.Code+`"`, `"synthetic":true`, `"lat":-6.`)
	for _, u := range []string{"/api/v1/map/pilkada/36", "/api/v1/map/ppwp/99"} {
		if res, _ := get(t, w.n.Handler, u); res.StatusCode != 404 {
			t.Errorf("%s = %d, want 404", u, res.StatusCode)
		}
	}
}

func TestStaticAssetsAreHashed(t *testing.T) {
	n := newNode(t)
	_, body := get(t, n.Handler, "/masuk")
	css := regexp.MustCompile(`/static/[0-9a-f]{12}/app\.css`).FindString(body)
	if css == "" {
		t.Fatal("login page links no hashed app.css")
	}
	res, cbody := get(t, n.Handler, css)
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(cbody, ".card") {
		t.Errorf("%s: %d %q %q", css, res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
	}
	// Leaflet's stylesheet names its images relatively, under its own hash.
	res, _ = get(t, n.Handler, "/static/000000000000/vendor/leaflet/images/layers.png")
	if res.StatusCode != 200 || strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stale hash: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if res, _ := get(t, n.Handler, "/static/000000000000/nope.js"); res.StatusCode != 404 {
		t.Errorf("unknown asset = %d", res.StatusCode)
	}
}

func TestLoginLogout(t *testing.T) {
	n := newNode(t)
	if _, err := n.Auth.CreateUser(context.Background(), "operator", "Siti Operator", "rahasia-panjang-123", siaga.RoleKPUProv, "36"); err != nil {
		t.Fatal(err)
	}
	post := func(path string, form url.Values, cookie *http.Cookie) *http.Response {
		req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		n.Handler.ServeHTTP(rec, req)
		return rec.Result()
	}
	if res := post("/masuk", url.Values{"username": {"operator"}, "password": {"salah"}}, nil); res.StatusCode != 401 {
		t.Errorf("wrong password = %d, want 401", res.StatusCode)
	}
	res := post("/masuk", url.Values{"username": {"operator"}, "password": {"rahasia-panjang-123"}, "next": {"//evil.example"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("login = %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == "siaga_session" {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
		t.Fatalf("session cookie %+v", c)
	}
	req := httptest.NewRequest("GET", "/wilayah/36", nil)
	req.AddCookie(c)
	rec := httptest.NewRecorder()
	n.Handler.ServeHTTP(rec, req)
	page := rec.Body.String()
	mustContain(t, "page when logged in", page, "Siti Operator", "kpu_prov", `action="/keluar"`)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF field")
	}
	if res := post("/keluar", url.Values{"csrf": {"forged"}}, c); res.StatusCode != 403 {
		t.Errorf("logout with a forged token = %d, want 403", res.StatusCode)
	}
	if res := post("/keluar", url.Values{"csrf": {csrf[1]}}, c); res.StatusCode != http.StatusSeeOther {
		t.Errorf("logout = %d", res.StatusCode)
	}
	if _, _, err := n.Auth.SessionUser(context.Background(), c.Value); err == nil {
		t.Error("session still valid after logout")
	}
}

// feedOnly is a results engine that only has a live feed, so the test
// controls exactly which changes arrive and when.
type feedOnly struct {
	siagahttp.Results
	ch        chan siaga.Change
	cancelled chan struct{}
}

func (f *feedOnly) Subscribe() (<-chan siaga.Change, func()) {
	return f.ch, func() { close(f.cancelled) }
}

func TestEventsCoalesceAndStop(t *testing.T) {
	before := runtime.NumGoroutine()
	f := &feedOnly{ch: make(chan siaga.Change, 1000), cancelled: make(chan struct{})}
	srv := &siagahttp.Server{Results: f, Province: "36"}
	h, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", res.Header.Get("Content-Type"))
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data: ") {
				lines <- strings.TrimPrefix(sc.Text(), "data: ")
			}
		}
	}()

	for i := 1; i <= 100; i++ {
		f.ch <- siaga.Change{Seq: uint64(i)}
	}
	var got []string
	deadline := time.After(1300 * time.Millisecond)
collect:
	for {
		select {
		case l := <-lines:
			got = append(got, l)
		case <-deadline:
			break collect
		}
	}
	if len(got) < 2 || len(got) > 4 {
		t.Errorf("100 changes in a burst gave %d events %v, want 2 to 4", len(got), got)
	}
	if len(got) > 0 && got[len(got)-1] != `{"seq":100}` {
		t.Errorf("last event %s, want seq 100", got[len(got)-1])
	}

	cancel()
	select {
	case <-f.cancelled:
	case <-time.After(2 * time.Second):
		t.Fatal("the stream did not unsubscribe when the client left")
	}
	ts.Close()
	for range 40 {
		if runtime.NumGoroutine() <= before+1 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("goroutines: %d before, %d after", before, runtime.NumGoroutine())
}
