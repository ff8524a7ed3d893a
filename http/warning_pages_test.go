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
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestWarningPages: verified reports that cluster raise an alert whose
// page lists them (escaped) and offers the triage forms to who may use
// them; an account keeps its own subscriptions through the page, with
// errors naming the field; the map's Insiden layer holds the verified
// reports only, is staff only and reads back in GDAL.
func TestWarningPages(t *testing.T) {
	n := nodetest.Open(t, nil)
	ids := seedCluster(t, n, "360101", time.Now())
	n.Warning.Trigger() // as the incident service does; Scan makes it certain now
	if _, err := n.Warning.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	alerts, err := n.Store.WarningAlerts(context.Background(), siaga.WarningFilter{Scope: "3601"})
	if err != nil || len(alerts) != 1 {
		t.Fatalf("alerts %+v (%v)", alerts, err)
	}
	a := alerts[0]
	desk := loginAs(t, n, "desk.peringatan", siaga.RoleDesk, "36", "")
	kpu := loginAs(t, n, "kpu.peringatan", siaga.RoleKPUKab, "3601", "")
	lebak := loginAs(t, n, "polres.lebak.peringatan", siaga.RoleAparat, "3602", "")
	detail := fmt.Sprintf("/peringatan-dini/3601/sinyal/%d", a.ID)

	t.Run("list links the alert", func(t *testing.T) {
		code, body := desk.page(t, n, "/peringatan-dini/36")
		if code != 200 || !strings.Contains(body, fmt.Sprintf(`href="/peringatan-dini/36/sinyal/%d"`, a.ID)) {
			t.Errorf("%d: no link to the alert's page", code)
		}
	})
	t.Run("detail", func(t *testing.T) {
		code, body := desk.page(t, n, detail)
		if code != 200 {
			t.Fatalf("%d\n%s", code, body)
		}
		for _, id := range ids {
			if !strings.Contains(body, fmt.Sprintf(`href="/insiden/3601/laporan/%d"`, id)) {
				t.Errorf("report %d not listed", id)
			}
		}
		for _, want := range []string{`id="sinyal-map"`, `name="aksi" value="akui"`, "ruang_waktu", "warning_alert"} {
			if !strings.Contains(body, want) {
				t.Errorf("no %q", want)
			}
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("a report's title reached the page unescaped")
		}
		if _, body := kpu.page(t, n, detail); strings.Contains(body, `value="akui"`) {
			t.Errorf("KPU, who may not act, got the forms")
		}
	})
	t.Run("access", func(t *testing.T) {
		for _, c := range []struct {
			name string
			s    session
			path string
			want int
		}{
			{"the public", session{}, detail, http.StatusUnauthorized},
			{"Lebak's police outside Pandeglang", lebak, detail, http.StatusForbidden},
			{"Lebak's police in Lebak: not there", lebak, fmt.Sprintf("/peringatan-dini/3602/sinyal/%d", a.ID), http.StatusNotFound},
			{"no such alert", desk, "/peringatan-dini/3601/sinyal/99999", http.StatusNotFound},
			{"public Insiden layer", session{}, "/kesiapan/3601/insiden.geojson", http.StatusUnauthorized},
			{"public subscriptions", session{}, "/peringatan-dini/3601/langganan", http.StatusUnauthorized},
		} {
			if code, _ := c.s.page(t, n, c.path); code != c.want && !(c.want == http.StatusUnauthorized && code == http.StatusSeeOther) {
				t.Errorf("%s: %s answered %d, want %d", c.name, c.path, code, c.want)
			}
		}
	})
	t.Run("readiness boxes", func(t *testing.T) {
		if code, body := (session{}).page(t, n, "/kesiapan/3601"); code != 200 || strings.Contains(body, "lapisan-insiden") || strings.Contains(body, "lapisan-peringatan") {
			t.Error("the public readiness map offers the staff layers")
		}
		if _, body := kpu.page(t, n, "/kesiapan/3601"); !strings.Contains(body, `name="lapisan-insiden" data-geojson="/kesiapan/3601/insiden.geojson"`) {
			t.Error("no Insiden box for the staff")
		}
	})
	t.Run("acknowledge from the page", func(t *testing.T) {
		code, _, loc := desk.postForm(t, n, detail, url.Values{"aksi": {"akui"}, "versi": {fmt.Sprint(a.Version)}, "ke": {"rinci"}})
		if code != http.StatusSeeOther || loc != detail {
			t.Fatalf("%d → %q", code, loc)
		}
		if _, body := desk.page(t, n, detail); !strings.Contains(body, `data-status="diakui"`) {
			t.Errorf("not acknowledged")
		}
	})
	t.Run("subscriptions", func(t *testing.T) {
		page := "/peringatan-dini/3601/langganan"
		for _, c := range []struct {
			name  string
			form  url.Values
			field string
		}{
			{"region outside the account", url.Values{"aksi": {"tambah"}, "wilayah": {"3602"}}, "wilayah"},
			{"unknown region", url.Values{"aksi": {"tambah"}, "wilayah": {"9999"}}, "wilayah"},
			{"bad category", url.Values{"aksi": {"tambah"}, "wilayah": {"3601"}, "kategori": {"<b>x"}}, "kategori"},
			{"bad phone", url.Values{"aksi": {"tambah"}, "wilayah": {"3601"}, "telepon": {"0812-abc"}}, "telepon"},
		} {
			code, body, _ := kpu.postForm(t, n, page, c.form)
			if code < 400 || code >= 500 || !strings.Contains(body, `data-field="`+c.field+`"`) || strings.Contains(body, "<b>x") {
				t.Errorf("%s: %d, want an error naming %s", c.name, code, c.field)
			}
		}
		if res := kpu.do(t, n, "POST", page, url.Values{"aksi": {"tambah"}, "wilayah": {"3601"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("without CSRF: %d", res.StatusCode)
		}
		code, _, _ := kpu.postForm(t, n, page, url.Values{"aksi": {"tambah"}, "wilayah": {"360101"}, "kategori": {"kekerasan", "hoaks"}, "telepon": {"+6281234567890"}})
		if code != http.StatusSeeOther {
			t.Fatalf("subscribe: %d", code)
		}
		subs, err := n.Warning.Subscriptions(context.Background(), kpu.user.ID)
		if err != nil || len(subs) != 1 || subs[0].Region != "360101" || len(subs[0].Categories) != 2 || subs[0].Phone != "+6281234567890" {
			t.Fatalf("stored %+v (%v)", subs, err)
		}
		if _, body := kpu.page(t, n, page); !strings.Contains(body, `data-region="360101"`) || !strings.Contains(body, "kekerasan, hoaks") {
			t.Errorf("the page does not list the subscription")
		}
		// Another account cannot delete it.
		if code, _, _ := desk.postForm(t, n, page, url.Values{"aksi": {"hapus"}, "id": {fmt.Sprint(subs[0].ID)}}); code != http.StatusNotFound {
			t.Errorf("someone else's delete: %d", code)
		}
		if code, _, _ := kpu.postForm(t, n, page, url.Values{"aksi": {"hapus"}, "id": {fmt.Sprint(subs[0].ID)}}); code != http.StatusSeeOther {
			t.Errorf("delete: %d", code)
		}
		if subs, _ := n.Warning.Subscriptions(context.Background(), kpu.user.ID); len(subs) != 0 {
			t.Errorf("still subscribed: %+v", subs)
		}
	})
	t.Run("Insiden layer", func(t *testing.T) {
		deskToken := nodetest.Token(t, n, auth.NewUser{Username: "ekspor.insiden", Role: siaga.RoleDesk, Scope: "36"})
		csvBody := string(fetchExport(t, n.Handler, "/kesiapan/3601/insiden.csv", deskToken))
		rows, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
		// The cluster's three verified reports, and not the unchecked nor
		// the rejected one.
		if err != nil || len(rows) != 4 {
			t.Fatalf("CSV layer (%v):\n%s", err, csvBody)
		}
		for _, id := range ids {
			if !slices.ContainsFunc(rows, func(r []string) bool { return r[0] == fmt.Sprint(id) }) {
				t.Errorf("report %d not in the layer", id)
			}
		}
		ogr2ogr := gdalTool(t, "ogr2ogr")
		file := filepath.Join(t.TempDir(), "insiden.geojson")
		if err := os.WriteFile(file, fetchExport(t, n.Handler, "/kesiapan/3601/insiden.geojson", deskToken), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(ogr2ogr, "-f", "CSV", "/vsistdout/", file, "-lco", "GEOMETRY=AS_WKT").Output()
		if err != nil {
			t.Fatalf("ogr2ogr: %v", err)
		}
		got, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
		if err != nil || len(got) != 4 || !slices.Contains(got[0], "kategori") || !strings.HasPrefix(got[1][0], "POINT") {
			t.Errorf("GDAL read %v (%v)", got, err)
		}
	})
}

// seedCluster stores, in kecamatan kec, three verified violence reports
// 2.5 hours apart at points a few hundred metres apart (one cluster by the
// violence rule, three events by the duplicate rule), one unchecked and
// one rejected report beside them; it answers the verified ones' ids.
func seedCluster(t testing.TB, n *node.Node, kec string, now time.Time) []int64 {
	t.Helper()
	tps := n.Regions.TPSOf(kec)[0]
	lat, lon := tps.Lat, tps.Lon
	if lat == 0 && lon == 0 {
		lat, lon = -6.7, 105.6
	}
	var ids []int64
	for i, c := range []struct {
		ago    time.Duration
		status siaga.IncidentStatus
	}{{5 * time.Hour, siaga.IncidentVerified}, {150 * time.Minute, siaga.IncidentAssigned}, {5 * time.Minute, siaga.IncidentVerified},
		{10 * time.Minute, siaga.IncidentNew}, {20 * time.Minute, siaga.IncidentRejected}} {
		at := now.Add(-c.ago)
		in := &siaga.Incident{ClientID: fmt.Sprintf("cluster-%s-%d", kec, i), Channel: siaga.ChannelWeb, Category: siaga.IncidentViolence,
			Severity: siaga.SeverityHigh, OccurredAt: at, ReportedAt: at, Region: tps.Desa, TPS: tps.Code,
			Lat: lat + float64(i)*0.001, Lon: lon, Placed: "point", Title: fmt.Sprintf("<script>alert(%d)</script>Bentrok", i),
			Text: "Pendukung saling lempar batu", Status: c.status, UpdatedAt: at, Version: 1}
		step := &siaga.IncidentStep{At: at, Kind: siaga.StepReported, Status: c.status, ByName: "uji"}
		if err := n.Store.CreateIncident(context.Background(), in, step); err != nil {
			t.Fatal(err)
		}
		if c.status != siaga.IncidentNew && c.status != siaga.IncidentRejected {
			ids = append(ids, in.ID)
		}
	}
	return ids
}
