package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestDisasterAPI: a synthetic flood over Pondok Aren shows in the public
// counts and the at-risk list (without who imported it), KPU Kota
// Tangerang Selatan records a relocation of one of its TPS (not another
// kab/kota's), and the voters' notice is a PDF with the letter number.
func TestDisasterAPI(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Open(t, nil)
	const tps = "3674031005001"
	at, ok := n.Regions.TPS(tps)
	if !ok {
		t.Fatal("no TPS " + tps)
	}
	square := func(d float64) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][]float64{{
			{at.Lon - d, at.Lat - d}, {at.Lon + d, at.Lat - d}, {at.Lon + d, at.Lat + d}, {at.Lon - d, at.Lat + d}, {at.Lon - d, at.Lat - d}}}})
		return b
	}
	layer := siaga.HazardLayer{Name: "Banjir Pondok Aren (sintetis)", Synthetic: true}
	zones := []siaga.HazardZone{{Feature: 0, Type: "banjir", Class: siaga.HazardHigh, Geometry: square(0.0005)}}
	if err := n.Disaster.ImportHazards(ctx, &layer, zones, "user:desk.rahasia"); err != nil {
		t.Fatal(err)
	}
	get := func(path, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res := httptest.NewRecorder()
		n.Handler.ServeHTTP(res, req)
		return res
	}
	res := get("/api/v1/hazards/3674", "")
	var sum struct {
		TPS     int            `json:"tps"`
		ByClass map[string]int `json:"by_class"`
		Layers  []struct {
			Name      string `json:"name"`
			Synthetic bool   `json:"synthetic"`
		} `json:"hazard_layers"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &sum); err != nil || res.Code != 200 {
		t.Fatalf("hazards: %d %s", res.Code, res.Body)
	}
	if sum.ByClass["tinggi"] < 1 || len(sum.Layers) != 1 || !sum.Layers[0].Synthetic || strings.Contains(res.Body.String(), "desk.rahasia") {
		t.Errorf("hazards of 3674: %s", res.Body)
	}
	res = get("/api/v1/hazards/3674/tps?class=tinggi&limit=1", "")
	var page struct {
		Items []struct {
			TPS   string `json:"tps"`
			Worst string `json:"worst"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &page); err != nil || page.Total != sum.ByClass["tinggi"] || len(page.Items) != 1 || page.Items[0].Worst != "tinggi" {
		t.Errorf("at-risk list: %d %s", res.Code, res.Body)
	}
	if res := get("/api/v1/hazards/3674/tps?limit=0", ""); res.Code != http.StatusBadRequest {
		t.Errorf("limit=0: %d", res.Code)
	}

	kpu := nodetest.Token(t, n, auth.NewUser{Username: "kpu.tangsel", Role: siaga.RoleKPUKab, Scope: "3674"})
	desk := nodetest.Token(t, n, auth.NewUser{Username: "desk", Role: siaga.RoleDesk, Scope: "36"})
	if res := get("/api/v1/relocation/"+tps+"/candidates", desk); res.Code != 200 || !strings.Contains(res.Body.String(), `"walk_m":1000`) {
		t.Errorf("candidates: %d %s", res.Code, res.Body)
	}
	post := func(code, token, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/relocation/"+code, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		res := httptest.NewRecorder()
		n.Handler.ServeHTTP(res, req)
		return res
	}
	decision := `{"to_lat":` + jsonNum(at.Lat+0.005) + `,"to_lon":` + jsonNum(at.Lon) + `,"to_address":"SD Negeri Pondok Aren 2",
		"reason":"banjir 80 cm","decider":"Ketua KPU Kota Tangerang Selatan","decider_office":"KPU Kota Tangerang Selatan",
		"decided":"2024-02-13","letter":"123/PL.01.2-Kpt/3674/2024"}`
	if res := post("3601012001001", kpu, decision); res.Code != http.StatusForbidden {
		t.Errorf("relocating another kab/kota's TPS: %d", res.Code)
	}
	if res := post(tps, kpu, strings.Replace(decision, `"letter":"123/PL.01.2-Kpt/3674/2024"`, `"letter":""`, 1)); res.Code != http.StatusBadRequest {
		t.Errorf("without a letter number: %d %s", res.Code, res.Body)
	}
	if res := get("/api/v1/relocation/"+tps+"/notice.pdf", ""); res.Code != http.StatusNotFound {
		t.Errorf("notice before any relocation: %d", res.Code)
	}
	if res := post(tps, kpu, decision); res.Code != http.StatusCreated {
		t.Fatalf("relocation: %d %s", res.Code, res.Body)
	}
	if res := get("/api/v1/hazards/3674/tps?class=tinggi", ""); strings.Contains(res.Body.String(), tps) {
		t.Errorf("the relocated TPS is still at risk: %s", res.Body)
	}
	res = get("/api/v1/relocation/"+tps+"/notice.pdf", "")
	if res.Code != 200 || res.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body.String(), "%PDF") {
		t.Fatalf("notice: %d %s", res.Code, res.Header())
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			t.Fatal("pdftotext not installed (Debian: poppler-utils) and SIAGA_REQUIRE_E2E=1")
		}
		t.Skip("pdftotext not installed (Debian: poppler-utils)")
	}
	pdf := filepath.Join(t.TempDir(), "notice.pdf")
	if err := os.WriteFile(pdf, res.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", pdf, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, want := range []string{tps, "123/PL.01.2-Kpt/3674/2024", "Pondok Aren", "SYNTHETIC", "14 Februari 2024"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("notice lacks %q:\n%s", want, out)
		}
	}
}

func jsonNum(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}
