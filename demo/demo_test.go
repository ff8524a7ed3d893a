package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/demo"
)

// syncBuffer is the demo's output, written by its goroutines while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemo plays a short night for one kecamatan through the real server
// and checks that the forms arrived, as signed devices and an operator
// would send them, and that the dashboard answers.
func TestDemo(t *testing.T) {
	// Four minutes: under -race the logistics of Banten (35,000 legs) take
	// most of two before the night starts.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	urls := make(chan string, 1)
	finished := make(chan [2]int64, 1)
	done := make(chan error, 1)
	var out syncBuffer
	// Seed 8 has slips among the first presidential forms of Sumur, so
	// the guide has an anomaly to show when the dashboard opens.
	go func() {
		done <- demo.Run(ctx, demo.Config{
			DataDir: filepath.Join(t.TempDir(), "demo"), Addr: "127.0.0.1:0",
			Night: 3 * time.Second, Region: "360101", Seed: 8, Open: 0.3, Out: &out,
			Ready:    func(u string) { urls <- u },
			Finished: func(sent, refused int64) { finished <- [2]int64{sent, refused} },
		})
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("demo stopped before serving: %v", err)
	}
	c := &client.Client{BaseURL: base}
	t.Run("opens at the first results", func(t *testing.T) { testOpening(t, ctx, c, out.String()) })
	t.Run("readiness picture", func(t *testing.T) { testReadiness(t, base) })
	t.Run("logistics picture", func(t *testing.T) { testLogistics(t, base, out.String()) })
	t.Run("security picture", func(t *testing.T) { testSecurity(t, base, out.String()) })
	var counts [2]int64
	select {
	case counts = <-finished:
	case err := <-done:
		t.Fatalf("demo stopped before the night ended: %v", err)
	}
	if counts[0] == 0 || counts[1] != 0 {
		t.Fatalf("sent %d forms with %d refused, want some and none refused", counts[0], counts[1])
	}
	tally, err := c.Tally(ctx, siaga.PPWP, "360101")
	if err != nil {
		t.Fatal(err)
	}
	if tally.TPSReported < tally.TPSTotal*9/10 || tally.Votes["02"] <= tally.Votes["03"] {
		t.Errorf("after the night the kecamatan tally is %+v; want nearly every TPS and realistic shares", tally)
	}
	resp, err := http.Get(base + "/wilayah/360101")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Sumur") {
		t.Errorf("dashboard page: status %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("demo.Run: %v", err)
	}
}

// testOpening: when the dashboard URL is given, the share of TPS asked
// for (Open) is already in, and the guide's links, logins and field app
// code work.
func testOpening(t *testing.T, ctx context.Context, c *client.Client, printed string) {
	tally, err := c.Tally(ctx, siaga.PPWP, "360101")
	if err != nil {
		t.Fatal(err)
	}
	// Received: counted, or in without its vote section.
	if in := tally.TPSReported + tally.TPSIncomplete; in*10 < tally.TPSTotal*3 || in == tally.TPSTotal {
		t.Errorf("when the dashboard opens %d of %d TPS are in, want 30%% or so, not all", in, tally.TPSTotal)
	}
	for _, link := range []string{"/wilayah/360101", "/tps/", "/anomali?wilayah=360101", "/dispatch", "/lapangan/", "/pendaftaran", "/perangkat",
		"/kesiapan/36", "/sinyal/36", "/intervensi/3604", "/rencana/3602", "/bencana/36", "/penundaan/3674"} {
		if !strings.Contains(printed, c.BaseURL+link) {
			t.Errorf("the guide does not point at %s:\n%s", link, printed)
		}
	}
	if !regexp.MustCompile(`/tps/\d{13}/pemberitahuan`).MatchString(printed) {
		t.Errorf("the guide does not point at the relocation notice:\n%s", printed)
	}
	for _, tt := range []struct {
		name, pattern string
		check         func(t *testing.T, found string)
	}{
		{"anomaly", `/tps/(\d{13})`, func(t *testing.T, tps string) { getOK(t, c.BaseURL+"/tps/"+tps, nil) }},
		{"desk login", `sebagai piket / (\S+)`, func(t *testing.T, password string) {
			getOK(t, c.BaseURL+"/dispatch", login(t, c.BaseURL, "piket", password))
		}},
		{"admin login", `admin / (\S+)`, func(t *testing.T, password string) { login(t, c.BaseURL, "admin", password) }},
		{"enrolment login", `sebagai kpukab / (\S+)`, func(t *testing.T, password string) {
			getOK(t, c.BaseURL+"/pendaftaran", login(t, c.BaseURL, "kpukab", password))
			getOK(t, c.BaseURL+"/perangkat", login(t, c.BaseURL, "kpukab", password))
		}},
		{"field app code", `belum melapor\):\s+(\S+)`, func(t *testing.T, code string) {
			if _, err := c.Enrol(ctx, code); err != nil {
				t.Errorf("enrolling a phone with the printed code: %v", err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := regexp.MustCompile(tt.pattern).FindStringSubmatch(printed)
			if m == nil {
				t.Fatalf("the guide has no %s (%s):\n%s", tt.name, tt.pattern, printed)
			}
			tt.check(t, m[1])
		})
	}
}

// login signs in through the login form and returns the session cookie.
func login(t *testing.T, base, username, password string) *http.Cookie {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.PostForm(base+"/masuk", url.Values{"username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Value != "" {
			return ck
		}
	}
	t.Fatalf("login as %s: status %d, no session", username, resp.StatusCode)
	return nil
}

func getOK(t *testing.T, u string, session *http.Cookie) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if session != nil {
		req.AddCookie(session)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
}

// testReadiness: the demo's readiness picture is the one the reports tell
// (demo/readiness.go): 452 blank-spot TPS by kab/kota as KPU Banten
// counted them, Kab. Serang's 63 boosters with Bojonegara's six late, a
// VSAT plan for Lebak, a synthetic flood layer, 16 Pondok Aren TPS
// postponed.
func testReadiness(t *testing.T, base string) {
	for _, page := range []string{"/kesiapan/36", "/sinyal/36", "/bencana/36", "/penundaan/3674"} {
		getOK(t, base+page, nil)
	}
	type counts struct {
		Blank int `json:"blank"`
	}
	type summary struct {
		Surveyed      counts `json:"surveyed"`
		Effective     counts `json:"effective"`
		Interventions struct {
			ByKind map[string]map[string]int `json:"by_kind"`
			Late   int                       `json:"late"`
		} `json:"interventions"`
	}
	for _, tc := range []struct {
		region           string
		blank, effective int
	}{{"36", 452, 389}, {"3601", 29, 29}, {"3602", 360, 360}, {"3604", 63, 0}} {
		var sum summary
		getJSON(t, base+"/api/v1/connectivity/"+tc.region, &sum)
		if sum.Surveyed.Blank != tc.blank || sum.Effective.Blank != tc.effective {
			t.Errorf("%s: %d blank-spot TPS surveyed, %d after the boosters; want %d and %d", tc.region,
				sum.Surveyed.Blank, sum.Effective.Blank, tc.blank, tc.effective)
		}
		if tc.region == "3604" && (sum.Interventions.ByKind["booster"]["teruji"] != 63 || sum.Interventions.Late != 6) {
			t.Errorf("Kab. Serang's interventions %+v: want 63 tested boosters, 6 late", sum.Interventions)
		}
		if tc.region == "3602" && sum.Interventions.ByKind["vsat"]["direncanakan"] == 0 {
			t.Errorf("Lebak's interventions %+v: want planned VSAT terminals", sum.Interventions)
		}
	}
	var hazards struct {
		Layers []struct {
			Synthetic bool `json:"synthetic"`
		} `json:"hazard_layers"`
	}
	getJSON(t, base+"/api/v1/hazards/36", &hazards)
	if len(hazards.Layers) != 1 || !hazards.Layers[0].Synthetic {
		t.Errorf("hazard layers %+v: want the one synthetic flood layer", hazards.Layers)
	}
	var postponed struct {
		Total int `json:"total"`
	}
	getJSON(t, base+"/api/v1/postponements?region=3674", &postponed)
	if postponed.Total != 16 {
		t.Errorf("%d TPS postponed in Kota Tangerang Selatan, want Pondok Aren's 16", postponed.Total)
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// testLogistics: the guide's logistics links answer for the logistics
// officer it prints, and show what the demo played: the islands' boats,
// the weather hold, the short delivery's alert and follow-up, the damaged
// ballots, the broken seal.
func testLogistics(t *testing.T, base, printed string) {
	m := regexp.MustCompile(`sebagai logistik / (\S+);`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("the guide has no logistics login:\n%s", printed)
	}
	session := login(t, base, "logistik", m[1])
	links := regexp.MustCompile(`(/logistik/\S+)`).FindAllStringSubmatch(printed, -1)
	if len(links) < 5 {
		t.Fatalf("the guide has %d logistics links, want 5:\n%s", len(links), printed)
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/logistik/36?per=2024-02-13T12:00", []string{"H-1", "TPS"}},
		{"/logistik/36/kiriman?laut=1", []string{"KM Tunda Ekspress", "KM Banowati 4"}},
		{"/logistik/36/surat-suara?pada=2024-01-16", []string{"pudar"}},
		{"/logistik/3672/peringatan", []string{"selisih"}},
		{"/logistik/360409/kotak", []string{"segel"}},
	} {
		if !strings.Contains(printed, tc.path) {
			t.Errorf("the guide does not link %s", tc.path)
		}
		page := getBody(t, base+tc.path, session)
		for _, w := range tc.want {
			if !strings.Contains(strings.ToLower(page), strings.ToLower(w)) {
				t.Errorf("GET %s: no %q", tc.path, w)
			}
		}
	}
}

// testSecurity follows the guide's security links as the desk's duty
// officer and finds in each page what the demo played there.
func testSecurity(t *testing.T, base, printed string) {
	m := regexp.MustCompile(`8\. Keamanan dan ruang situasi \(masuk sebagai piket / (\S+)\)`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("the guide has no security section with the desk's login:\n%s", printed)
	}
	session := login(t, base, "piket", m[1])
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/insiden/36?grup=1", []string{"dari"}},
		{"/insiden/36?kategori=hoaks&status=ditolak", []string{"hoaks", "ditolak"}},
		{"/peringatan-dini/36", []string{"kekerasan"}},
		{"/gakkumdu/3601", []string{"lewat"}},
		{"/kerawanan/36/personel", []string{"Polres Pandeglang", "linmas"}},
		{"/rapat/36", []string{"Pendopo"}},
		{"/laporan-situasi/36/arsip/2024-02-14", []string{"%PDF"}},
	} {
		if !strings.Contains(printed, tc.path) {
			t.Errorf("the guide does not link %s", tc.path)
		}
		page := getBody(t, base+tc.path, session)
		for _, w := range tc.want {
			if !strings.Contains(strings.ToLower(page), strings.ToLower(w)) {
				t.Errorf("GET %s: no %q", tc.path, w)
			}
		}
	}
}

// getBody is getOK that returns the page.
func getBody(t *testing.T, u string, session *http.Cookie) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.AddCookie(session)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return string(b)
}
