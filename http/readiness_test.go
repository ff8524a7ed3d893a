package http_test

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// readinessSeed is one TPS of each kind in Kecamatan 360101 (Pandeglang):
// a blank spot, a weak one with a booster planned, one in a tinggi flood
// zone, one postponed and one relocated.
type readinessSeed struct {
	blank, weak, flooded, postponed, relocated siaga.TPS
	surveyor                                   string // staff data: never public
}

func seedReadiness(t testing.TB, n *node.Node) readinessSeed {
	t.Helper()
	ctx := context.Background()
	tps := n.Regions.TPSOf("360101")
	s := readinessSeed{blank: tps[0], weak: tps[1], flooded: tps[2], postponed: tps[3], relocated: tps[4], surveyor: "Surveyor Rahasia Sekali"}
	rsrp := func(v float64) *float64 { return &v }
	at := time.Now().Add(-time.Hour)
	ss := []siaga.Survey{
		{TPS: s.blank.Code, Operator: "telkomsel", Tech: "4g", RSRP: rsrp(-125), Surveyor: s.surveyor, Source: siaga.SurveyImport, At: at},
		{TPS: s.weak.Code, Operator: "telkomsel", Tech: "4g", RSRP: rsrp(-110), Surveyor: s.surveyor, Source: siaga.SurveyImport, At: at},
	}
	must(t, n.Connectivity.AddSurveys(ctx, ss, "user:desk"))
	must(t, n.Connectivity.AddIntervention(ctx, &siaga.Intervention{Kind: siaga.InterventionBooster, Region: s.weak.Desa,
		Lat: s.weak.Lat, Lon: s.weak.Lon, RadiusM: 300, Owner: "Diskominfo Pandeglang", Cost: 12_000_000, Note: "kontak 081299990000"}, "user:desk"))
	d := 0.0005
	p := s.flooded
	square, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][]float64{{
		{p.Lon - d, p.Lat - d}, {p.Lon + d, p.Lat - d}, {p.Lon + d, p.Lat + d}, {p.Lon - d, p.Lat + d}, {p.Lon - d, p.Lat - d}}}})
	layer := siaga.HazardLayer{Name: "Banjir Pandeglang (sintetis)", Source: "sintetis", Synthetic: true}
	must(t, n.Disaster.ImportHazards(ctx, &layer, []siaga.HazardZone{{Type: "banjir", Class: siaga.HazardHigh, Geometry: square}}, "user:desk"))
	_, err := n.Postponements.Report(ctx, s.postponed.Code, siaga.PostponementPSS, "", "banjir",
		siaga.PostponementStep{Name: "Ketua KPPS", Office: "KPPS", At: time.Now().Add(-time.Minute), By: "user:ppk.rahasia"})
	must(t, err)
	must(t, n.Disaster.Relocate(ctx, &siaga.Relocation{TPS: s.relocated.Code, ToLat: s.relocated.Lat + 0.002, ToLon: s.relocated.Lon,
		ToAddress: "SDN 1", Reason: "banjir", Decider: "Ketua KPU Pandeglang", DeciderOffice: "KPU Kabupaten Pandeglang",
		Decided: time.Now(), Letter: "7/PL.02-Kpt/3601/2024", By: "user:kpu.rahasia"}))
	return s
}

func getJSONBody(t testing.TB, h http.Handler, path, token string, out any) []byte {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatal(err)
		}
	}
	return rec.Body.Bytes()
}

// TestReadinessTPSAPI: SPEC §9's answer for each kind of TPS, public
// without the surveyor's name, the staff who read surveys in scope with it.
func TestReadinessTPSAPI(t *testing.T) {
	n := nodetest.Open(t, nil)
	s := seedReadiness(t, n)
	type answer struct {
		Level   string `json:"level"`
		Reasons []struct {
			Code, Text, EN string
		} `json:"reasons"`
		Signal struct {
			Class   string            `json:"class"`
			Surveys []json.RawMessage `json:"surveys"`
			Staff   bool              `json:"staff"`
		} `json:"signal"`
		Interventions []map[string]any  `json:"interventions"`
		Hazards       []map[string]any  `json:"hazards"`
		Relocation    map[string]any    `json:"relocation"`
		Postponement  map[string]any    `json:"postponement"`
		Point         map[string]any    `json:"point"`
		Kit           *string           `json:"kit"`
		Extra         map[string]string `json:"-"`
	}
	for _, tc := range []struct {
		name  string
		tps   siaga.TPS
		level string
		check func(t *testing.T, a answer)
	}{
		{"blank", s.blank, "rawan", func(t *testing.T, a answer) {
			if a.Signal.Class != "blank" || len(a.Signal.Surveys) != 1 {
				t.Errorf("signal %+v", a.Signal)
			}
		}},
		{"weak with a booster planned", s.weak, "waspada", func(t *testing.T, a answer) {
			if len(a.Interventions) != 1 || a.Interventions[0]["owner"] != "Diskominfo Pandeglang" || a.Interventions[0]["cost"] != nil {
				t.Errorf("interventions %+v", a.Interventions)
			}
		}},
		{"flooded", s.flooded, "rawan", func(t *testing.T, a answer) {
			if len(a.Hazards) != 1 || a.Hazards[0]["type"] != "banjir" || a.Hazards[0]["class"] != "tinggi" {
				t.Errorf("hazards %+v", a.Hazards)
			}
		}},
		{"postponed", s.postponed, "ditunda", func(t *testing.T, a answer) {
			if a.Postponement == nil || a.Postponement["kind"] != "pss" {
				t.Errorf("postponement %+v", a.Postponement)
			}
		}},
		{"relocated", s.relocated, "waspada", func(t *testing.T, a answer) {
			if a.Relocation == nil || a.Relocation["letter"] != "7/PL.02-Kpt/3601/2024" || a.Point["source"] != "relokasi" {
				t.Errorf("relocation %+v, point %+v", a.Relocation, a.Point)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a answer
			body := getJSONBody(t, n.Handler, "/api/v1/readiness/tps/"+tc.tps.Code, "", &a)
			if a.Level != tc.level || len(a.Reasons) == 0 || a.Reasons[0].Text == "" || a.Reasons[0].EN == "" || a.Kit != nil {
				t.Errorf("level %q (want %q), reasons %+v, kit %v", a.Level, tc.level, a.Reasons, a.Kit)
			}
			for _, secret := range []string{s.surveyor, "user:", "rahasia", "081299990000", "12000000"} {
				if strings.Contains(string(body), secret) {
					t.Errorf("the public answer holds staff data %q", secret)
				}
			}
			tc.check(t, a)
		})
	}
	t.Run("staff in scope see the surveyor", func(t *testing.T) {
		in := nodetest.Token(t, n, auth.NewUser{Username: "desk.pandeglang", Password: "kata-sandi-panjang-123", Role: siaga.RoleDesk, Scope: "3601"})
		out := nodetest.Token(t, n, auth.NewUser{Username: "desk.lebak", Password: "kata-sandi-panjang-123", Role: siaga.RoleDesk, Scope: "3602"})
		var a answer
		if body := getJSONBody(t, n.Handler, "/api/v1/readiness/tps/"+s.blank.Code, in, &a); !a.Signal.Staff || !strings.Contains(string(body), s.surveyor) {
			t.Errorf("in scope: staff %v, body lacks the surveyor", a.Signal.Staff)
		}
		if body := getJSONBody(t, n.Handler, "/api/v1/readiness/tps/"+s.blank.Code, out, &a); a.Signal.Staff || strings.Contains(string(body), s.surveyor) {
			t.Errorf("out of scope: staff %v or the surveyor's name shown", a.Signal.Staff)
		}
	})

	t.Run("the kit: only for staff who read logistics, in scope", func(t *testing.T) {
		in := nodetest.Token(t, n, auth.NewUser{Username: "logistik.pandeglang", Password: "kata-sandi-panjang-123", Role: siaga.RoleLogistik, Scope: "3601"})
		out := nodetest.Token(t, n, auth.NewUser{Username: "logistik.lebak", Password: "kata-sandi-panjang-123", Role: siaga.RoleLogistik, Scope: "3602"})
		path := "/api/v1/readiness/tps/" + s.blank.Code
		var a answer
		if getJSONBody(t, n.Handler, path, in, &a); a.Kit == nil || *a.Kit != "belum" {
			t.Errorf("in scope, nothing shipped: kit %v, want belum", a.Kit)
		}
		arrive := time.Date(2100, 1, 1, 0, 0, 0, 0, siaga.WIB)
		err := n.Store.SaveShipments(context.Background(), []siaga.Shipment{{Waybill: "SJ/KIT/1", From: s.blank.Desa, To: s.blank.Code,
			Lines: []siaga.Line{{Item: siaga.ItemBox, Qty: 5}}, Mode: siaga.ModeMotorbike, PlannedDeparture: arrive, PlannedArrival: arrive,
			Status: siaga.ShipmentPlanned, Source: "test"}})
		if err != nil {
			t.Fatal(err)
		}
		n.LogisticsBoard.Changed()
		if getJSONBody(t, n.Handler, path, in, &a); a.Kit == nil || *a.Kit != "direncanakan" {
			t.Errorf("in scope, a leg planned: kit %v, want direncanakan", a.Kit)
		}
		for who, token := range map[string]string{"public": "", "out of scope": out} {
			a.Kit = nil
			if body := getJSONBody(t, n.Handler, path, token, &a); a.Kit != nil || strings.Contains(string(body), "direncanakan") {
				t.Errorf("%s: kit %v", who, *a.Kit)
			}
		}
	})
}

// maxProvinceMap is the cap on the province view's map answer: counts of
// the 8 kab/kota, no points (the polygons are a static, cached file).
const maxProvinceMap = 12 << 10

// TestReadinessMapAPI: the province view is 8 kab/kota with counts and
// under its cap; a kecamatan's has its TPS as points and its layers; the
// hazard layer is simplified and capped.
func TestReadinessMapAPI(t *testing.T) {
	n := nodetest.Open(t, nil)
	s := seedReadiness(t, n)
	type mapData struct {
		Geo      string `json:"geo"`
		Children []struct {
			Code   string  `json:"code"`
			Share  float64 `json:"at_risk_share"`
			Counts struct {
				TPS    int            `json:"tps"`
				Levels map[string]int `json:"levels"`
			} `json:"counts"`
		} `json:"children"`
		TPS []struct {
			C string `json:"c"`
			L string `json:"l"`
			R []int  `json:"r"`
		} `json:"tps"`
		Reasons       []string             `json:"reasons"`
		Interventions *struct{ Total int } `json:"interventions"`
		Relocations   *struct{ Total int } `json:"relocations"`
		Postponed     *struct{ Total int } `json:"postponed"`
		Hazards       string               `json:"hazards"`
	}
	var prov mapData
	body := getJSONBody(t, n.Handler, "/api/v1/readiness/map/36", "", &prov)
	if len(body) > maxProvinceMap {
		t.Errorf("the province view is %d bytes, over its cap of %d", len(body), maxProvinceMap)
	}
	if len(prov.Children) != 8 || prov.Geo == "" || len(prov.TPS) != 0 || prov.Interventions != nil {
		t.Errorf("province: %d children, geo %q, %d points, interventions %v", len(prov.Children), prov.Geo, len(prov.TPS), prov.Interventions)
	}
	for _, c := range prov.Children {
		if c.Code == "3601" && (c.Counts.Levels["rawan"] != 2 || c.Counts.Levels["ditunda"] != 1 || c.Share <= 0) {
			t.Errorf("Pandeglang: %+v", c)
		}
	}
	var kec mapData
	getJSONBody(t, n.Handler, "/api/v1/readiness/map/360101", "", &kec)
	levels := map[string]string{}
	for _, p := range kec.TPS {
		levels[p.C] = p.L
		for _, i := range p.R {
			if i < 0 || i >= len(kec.Reasons) {
				t.Fatalf("point %s names reason %d of %d", p.C, i, len(kec.Reasons))
			}
		}
	}
	if len(kec.TPS) != len(n.Regions.TPSOf("360101")) || levels[s.blank.Code] != "rawan" || levels[s.postponed.Code] != "ditunda" {
		t.Errorf("kecamatan: %d points, levels %v", len(kec.TPS), levels)
	}
	if kec.Interventions == nil || kec.Interventions.Total != 1 || kec.Relocations.Total != 1 || kec.Postponed.Total != 1 || kec.Hazards == "" {
		t.Errorf("kecamatan layers: %+v %+v %+v %q", kec.Interventions, kec.Relocations, kec.Postponed, kec.Hazards)
	}
	// Asked with gzip (as every browser asks), the kecamatan's answer is
	// compressed and reads back the same.
	req := httptest.NewRequest("GET", "/api/v1/readiness/map/360101", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	rec := httptest.NewRecorder()
	n.Handler.ServeHTTP(rec, req)
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("readiness map with Accept-Encoding gzip: Content-Encoding %q", rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	var zipped mapData
	if err := json.NewDecoder(zr).Decode(&zipped); err != nil || len(zipped.TPS) != len(kec.TPS) {
		t.Errorf("the gzipped kecamatan map: %v, %d points, want %d", err, len(zipped.TPS), len(kec.TPS))
	}
	var hz struct {
		Features []json.RawMessage `json:"features"`
		Total    int               `json:"total"`
		Sent     int               `json:"sent"`
		CapBytes int               `json:"cap_bytes"`
	}
	getJSONBody(t, n.Handler, kec.Hazards, "", &hz)
	if hz.Total != 1 || hz.Sent != 1 || len(hz.Features) != 1 || hz.CapBytes == 0 {
		t.Errorf("hazards: %+v", hz)
	}
}

// TestReadinessPage: the page's table has the numbers of the map, with
// links to drill down; the pickers move to the region picked.
func TestReadinessPage(t *testing.T) {
	n := nodetest.Open(t, nil)
	seedReadiness(t, n)
	res, body := get(t, n.Handler, "/kesiapan/3601")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /kesiapan/3601: %d", res.StatusCode)
	}
	mustContain(t, "/kesiapan/3601", body, `href="/kesiapan/360101"`, "Rawan", "persen_berisiko", "/kesiapan/3601/tps.geojson",
		"/kesiapan/3601/bahaya.xlsx", "sintetis")
	req := httptest.NewRequest("GET", "/kesiapan/36?kab=3601&kec=360202", nil)
	rec := httptest.NewRecorder()
	n.Handler.ServeHTTP(rec, req)
	if loc := rec.Header().Get("Location"); loc != "/kesiapan/3601" {
		t.Errorf("a kecamatan of another kab/kota: redirected to %q, want the kab/kota", loc)
	}
	_, home := get(t, n.Handler, "/wilayah/3601")
	mustContain(t, "/wilayah/3601", home, `href="/kesiapan/3601"`, `href="/kesiapan/36"`)
}

// TestReadinessGeoJSONReadByGDAL: every GeoJSON export of the readiness
// map reads back in GDAL with its features and a property.
func TestReadinessGeoJSONReadByGDAL(t *testing.T) {
	ogr2ogr := gdalTool(t, "ogr2ogr")
	n := nodetest.Open(t, nil)
	s := seedReadiness(t, n)
	seedBoard(t, n) // its third TPS's leg held: the Logistik layer (staff only)
	logistik := nodetest.Token(t, n, auth.NewUser{Username: "logistik.pandeglang", Password: "kata-sandi-panjang-123", Role: siaga.RoleLogistik, Scope: "3601"})
	kec := len(n.Regions.TPSOf("360101"))
	for _, tc := range []struct {
		layer    string
		features int
		column   string
		value    string
		token    string
	}{
		{"tps", kec, "tps", s.blank.Code, ""},
		{"bahaya", 1, "class", "tinggi", ""},
		{"intervensi", 1, "pemilik", "Diskominfo Pandeglang", ""},
		{"relokasi", 1, "nomor_surat", "7/PL.02-Kpt/3601/2024", ""},
		{"penundaan", 1, "tps", s.postponed.Code, ""},
		{"logistik", kec, "status_logistik", "tertahan", logistik},
	} {
		t.Run(tc.layer, func(t *testing.T) {
			body := fetchExport(t, n.Handler, "/kesiapan/360101/"+tc.layer+".geojson", tc.token)
			file := filepath.Join(t.TempDir(), tc.layer+".geojson")
			if err := os.WriteFile(file, body, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(ogr2ogr, "-f", "CSV", "/vsistdout/", file, "-lco", "GEOMETRY=AS_WKT").Output()
			if err != nil {
				t.Fatalf("ogr2ogr: %v", err)
			}
			rows, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows)-1 != tc.features {
				t.Fatalf("GDAL read %d features, want %d", len(rows)-1, tc.features)
			}
			col := -1
			for i, h := range rows[0] {
				if h == tc.column {
					col = i
				}
			}
			found := false
			for _, r := range rows[1:] {
				found = found || (col >= 0 && r[col] == tc.value)
			}
			if !found {
				t.Errorf("no feature with %s = %q; header %v", tc.column, tc.value, rows[0])
			}
			if (tc.layer == "tps" || tc.layer == "logistik") && !strings.Contains(strings.Join(rows[0], ","), "sintetis") {
				t.Errorf("the TPS layer does not flag synthetic points: %v", rows[0])
			}
		})
	}
}

// gdalTool is a GDAL command, skipped without gdal-bin unless
// SIAGA_REQUIRE_E2E=1 (as in CI), where it fails.
func gdalTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			t.Fatalf("%s not installed (Debian: gdal-bin) and SIAGA_REQUIRE_E2E=1", name)
		}
		t.Skipf("skipped: %s not installed (Debian: gdal-bin)", name)
	}
	return path
}
