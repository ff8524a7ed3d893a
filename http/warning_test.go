package http_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestWarningAPI: verified violence reports in one kecamatan, reported and
// verified through the incident API, raise an alert on the next scan; staff
// read it in scope (N of M), the triage roles acknowledge it, others may
// not; the map's alert layer reads back in GDAL and is staff only.
func TestWarningAPI(t *testing.T) {
	n := nodetest.Open(t, nil)
	desk := incidentAccount(t, n, "desk.banten", siaga.RoleDesk, "36")
	polres := incidentAccount(t, n, "polres.pandeglang", siaga.RoleAparat, "3601")
	lebak := incidentAccount(t, n, "polres.lebak", siaga.RoleAparat, "3602")
	kpu := incidentAccount(t, n, "kpu.pandeglang", siaga.RoleKPUKab, "3601")
	ctx := context.Background()
	// A Bawaslu officer subscribed to Pandeglang is told in the app.
	watcher := loginAs(t, n, "bawaslu.watch", siaga.RoleBawaslu, "3601", "")
	if err := n.Warning.Subscribe(ctx, &siaga.WarningSubscription{User: watcher.user.ID, Region: "3601"}); err != nil {
		t.Fatal(err)
	}

	// Three reports at one TPS 2.5 hours apart: distinct events by the
	// duplicate rule (2 hours), one cluster by the violence rule (6 hours).
	tps := n.Regions.TPSOf("360101")[0]
	var ids []int64
	for i, ago := range []time.Duration{5 * time.Hour, 150 * time.Minute, 5 * time.Minute} {
		var in siaga.Incident
		if code := desk.call(t, "POST", "/api/v1/incidents", map[string]any{"category": "kekerasan", "severity": "tinggi",
			"occurred_at": time.Now().Add(-ago).UTC().Format(time.RFC3339), "tps": tps.Code,
			"title": fmt.Sprintf("Bentrok %d <script>", i), "text": "Pendukung saling lempar batu"}, &in); code != 201 {
			t.Fatalf("report %d: %d", i, code)
		}
		path := fmt.Sprintf("/api/v1/incidents/36/%d/steps", in.ID)
		if code := desk.call(t, "POST", path, map[string]any{"kind": "verifikasi", "version": in.Version}, &in); code != 200 {
			t.Fatalf("verify %d: %d", i, code)
		}
		ids = append(ids, in.ID)
	}
	if _, err := n.Warning.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	testNotices(t, n, watcher)

	var page struct {
		Items []siaga.WarningAlert `json:"items"`
		Total int                  `json:"total"`
	}
	if code := desk.call(t, "GET", "/api/v1/warnings/36", nil, &page); code != 200 || page.Total != 1 || len(page.Items) != 1 {
		t.Fatalf("desk's list: %d %+v", code, page)
	}
	a := page.Items[0]
	if a.Rule != siaga.WarningSpaceTime || a.Category != siaga.IncidentViolence || a.Region != "360101" || !slices.Equal(a.Incidents, ids) {
		t.Errorf("alert %+v, want violence in 360101 of %v", a, ids)
	}
	for _, c := range []struct {
		name   string
		caller incidentCaller
		path   string
		want   int
	}{
		{"Lebak's police outside Pandeglang", lebak, "/api/v1/warnings/3601", http.StatusForbidden},
		{"Lebak's police in Lebak: none", lebak, "/api/v1/warnings/3602", http.StatusOK},
		{"the public", incidentCaller{n: n}, "/api/v1/warnings/36", http.StatusUnauthorized},
		{"one alert", polres, fmt.Sprintf("/api/v1/warnings/3601/%d", a.ID), http.StatusOK},
		{"one alert under another region", lebak, fmt.Sprintf("/api/v1/warnings/3602/%d", a.ID), http.StatusNotFound},
		{"bad status", desk, "/api/v1/warnings/36?status=rusak", http.StatusBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			if code := c.caller.call(t, "GET", c.path, nil, nil); code != c.want {
				t.Errorf("GET %s: %d, want %d", c.path, code, c.want)
			}
		})
	}

	steps := fmt.Sprintf("/api/v1/warnings/3601/%d/steps", a.ID)
	if code := kpu.call(t, "POST", steps, map[string]any{"action": "akui", "version": a.Version}, nil); code != http.StatusForbidden {
		t.Errorf("KPU acknowledged: %d", code)
	}
	var acked siaga.WarningAlert
	if code := polres.call(t, "POST", steps, map[string]any{"action": "akui", "version": a.Version}, &acked); code != 200 ||
		acked.Status != siaga.WarningAcknowledged {
		t.Errorf("police acknowledge: %d %+v", code, acked)
	}
	if code := desk.call(t, "POST", steps, map[string]any{"action": "selesai", "version": a.Version}, nil); code != http.StatusConflict {
		t.Errorf("close with a stale version: %d", code)
	}

	// The page: N of M, the explanation, a close form for the triage
	// roles only, the nav link; closing from the page.
	deskPage := loginAs(t, n, "desk.peringatan", siaga.RoleDesk, "36", "")
	code, body := deskPage.page(t, n, "/peringatan-dini/36")
	mustContain(t, "/peringatan-dini/36", body, `dari <b data-total="1">`, "3 laporan kekerasan dalam", `href="/peringatan-dini/36"`,
		fmt.Sprintf(`action="/peringatan-dini/36/sinyal/%d"`, a.ID), `name="aksi" value="selesai"`)
	if code != 200 || strings.Contains(body, "<script>") {
		t.Errorf("page %d", code)
	}
	if _, body := deskPage.page(t, n, "/kesiapan/3601"); !strings.Contains(body, `name="lapisan-peringatan"`) {
		t.Errorf("the readiness map offers staff no alert layer")
	}
	if _, body := (session{}).page(t, n, "/kesiapan/3601"); strings.Contains(body, `lapisan-peringatan`) {
		t.Errorf("the readiness map offers the public the alert layer")
	}
	kpuPage := loginAs(t, n, "kpu.peringatan", siaga.RoleKPUKab, "3601", "")
	if _, body := kpuPage.page(t, n, "/peringatan-dini/3601"); strings.Contains(body, `name="aksi"`) || !strings.Contains(body, "3 laporan kekerasan") {
		t.Errorf("KPU's page offers steps or lacks the alert")
	}
	form := url.Values{"csrf": {deskPage.csrf}, "versi": {fmt.Sprint(acked.Version)}, "aksi": {"selesai"}, "catatan": {"Massa dibubarkan polsek"}}
	if code, _, _ := deskPage.postForm(t, n, fmt.Sprintf("/peringatan-dini/36/sinyal/%d", a.ID), form); code != http.StatusSeeOther {
		t.Errorf("close from the page: %d", code)
	}
	if _, body := deskPage.page(t, n, "/peringatan-dini/36?status=selesai"); !strings.Contains(body, `data-status="selesai"`) {
		t.Errorf("closed alert not listed as selesai")
	}
	if x := fetchExport(t, n.Handler, "/peringatan-dini/36/sinyal.xlsx?status=semua", desk.token); len(x) < 100 {
		t.Errorf("XLSX export %d bytes", len(x))
	}

	// Subscriptions are the account's own, in its scope.
	if code := polres.call(t, "POST", "/api/v1/warning-subscriptions", map[string]any{"region": "3602"}, nil); code != http.StatusForbidden {
		t.Errorf("subscribe outside scope: %d", code)
	}
	var sub siaga.WarningSubscription
	if code := polres.call(t, "POST", "/api/v1/warning-subscriptions", map[string]any{"region": "3601", "categories": []string{"kekerasan"},
		"phone": "+6281200000009"}, &sub); code != 201 || sub.User != polres.user.ID {
		t.Errorf("subscribe: %d %+v", code, sub)
	}
	if code := desk.call(t, "DELETE", fmt.Sprintf("/api/v1/warning-subscriptions/%d", sub.ID), nil, nil); code != http.StatusNotFound {
		t.Errorf("deleting another's subscription: %d", code)
	}

	// The map layer: staff only; GDAL reads it back with the alert.
	if code := (incidentCaller{n: n}).call(t, "GET", "/kesiapan/3601/peringatan-dini.geojson", nil, nil); code == 200 {
		t.Errorf("the public read the alert layer")
	}
	csvBody := fetchExport(t, n.Handler, "/kesiapan/3601/peringatan-dini.csv?semua=1", desk.token)
	if !strings.Contains(string(csvBody), "kekerasan") || strings.Contains(string(csvBody), "<script>") {
		t.Errorf("CSV layer:\n%s", csvBody)
	}
	ogr2ogr := gdalTool(t, "ogr2ogr")
	file := filepath.Join(t.TempDir(), "peringatan.geojson")
	if err := os.WriteFile(file, fetchExport(t, n.Handler, "/kesiapan/3601/peringatan-dini.geojson?semua=1", desk.token), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ogr2ogr, "-f", "CSV", "/vsistdout/", file, "-lco", "GEOMETRY=AS_WKT").Output()
	if err != nil {
		t.Fatalf("ogr2ogr: %v", err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil || len(rows) != 2 || !slices.Contains(rows[0], "radius_km") || !slices.Contains(rows[1], "kekerasan") {
		t.Errorf("GDAL read %v (%v)", rows, err)
	}
}

// seedWarning stores an open early-warning alert in Kecamatan 360101
// whose texts start like spreadsheet formulas: the exports must keep them
// text.
func seedWarning(t testing.TB, n *node.Node) {
	t.Helper()
	at := time.Date(2024, 2, 14, 1, 0, 0, 0, siaga.WIB)
	a := siaga.WarningAlert{Rule: siaga.WarningSpaceTime, Category: siaga.IncidentViolence, Region: "360101", Lat: -6.7, Lon: 105.6,
		RadiusKm: 1.2, From: at.Add(-4 * time.Hour), To: at, Incidents: []int64{1, 2, 3}, Usual: 0.2, Threshold: 3,
		Text: "=3 laporan kekerasan", EN: "+3 violence reports", Status: siaga.WarningNew, RaisedAt: at, UpdatedAt: at, Version: 1}
	if err := n.Store.CreateWarningAlert(context.Background(), &a, nil); err != nil {
		t.Fatal(err)
	}
}

// testNotices: the subscriber's nav counts the new notice until the alerts
// page, which lists it, has been seen.
func testNotices(t *testing.T, n *node.Node, watcher session) {
	t.Helper()
	badge := regexp.MustCompile(`id="nav-pemberitahuan"[^>]*>(\d+)<`)
	home := readAll(t, watcher.do(t, n, "GET", "/insiden/3601", nil))
	if m := badge.FindStringSubmatch(home); m == nil || m[1] != "1" {
		t.Errorf("the subscriber's nav does not count 1 new notice: %v", m)
	}
	page := readAll(t, watcher.do(t, n, "GET", "/peringatan-dini/3601", nil))
	if !strings.Contains(page, `id="pemberitahuan"`) || !strings.Contains(page, "kekerasan") {
		t.Errorf("the alerts page does not list the subscriber's notice")
	}
	if again := readAll(t, watcher.do(t, n, "GET", "/insiden/3601", nil)); badge.MatchString(again) {
		t.Errorf("the notice is still counted after the alerts page showed it")
	}
}
