package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestConnectivityAPI: the public summary counts the surveyed classes
// without the surveyors; staff page through the surveys and record an
// intervention and its status, forward only, in their region.
func TestConnectivityAPI(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Open(t, nil)
	token := nodetest.Token(t, n, auth.NewUser{Username: "desk.serang", Role: siaga.RoleDesk, Scope: "3604"})
	serang := n.Regions.TPSOf("3604")
	rsrp := func(v float64) *float64 { return &v }
	at := time.Now().Add(-time.Hour)
	var ss []siaga.Survey
	for i, v := range []float64{-125, -110, -95} {
		ss = append(ss, siaga.Survey{TPS: serang[i].Code, Operator: "telkomsel", Tech: "4g", RSRP: rsrp(v),
			Surveyor: "Asep Rahasia", Source: siaga.SurveyWeb, At: at})
	}
	if err := n.Connectivity.AddSurveys(ctx, ss, "user:desk.serang"); err != nil {
		t.Fatal(err)
	}
	call := func(method, path, tok, body string) (int, map[string]any, string) {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res := httptest.NewRecorder()
		n.Handler.ServeHTTP(res, req)
		var out map[string]any
		_ = json.Unmarshal(res.Body.Bytes(), &out)
		return res.Code, out, res.Body.String()
	}

	code, sum, raw := call("GET", "/api/v1/connectivity/3604", "", "")
	if code != http.StatusOK {
		t.Fatalf("summary: %d %s", code, raw)
	}
	surveyed := sum["surveyed"].(map[string]any)
	if surveyed["blank"] != 1.0 || surveyed["weak"] != 1.0 || surveyed["good"] != 1.0 || surveyed["unknown"] != float64(len(serang)-3) {
		t.Errorf("surveyed counts %v", surveyed)
	}
	if strings.Contains(raw, "Asep") {
		t.Errorf("the public summary names a surveyor: %s", raw)
	}

	code, page, raw := call("GET", "/api/v1/connectivity/3604/surveys?limit=2", token, "")
	if code != http.StatusOK || page["total"] != 3.0 || len(page["items"].([]any)) != 2 || page["next"] == nil {
		t.Fatalf("first page of surveys: %d %s", code, raw)
	}
	code, page, raw = call("GET", "/api/v1/connectivity/3604/surveys?limit=2&after="+page["next"].(string), token, "")
	if code != http.StatusOK || len(page["items"].([]any)) != 1 || page["next"] != nil {
		t.Errorf("last page of surveys: %d %s", code, raw)
	}
	if code, _, _ := call("GET", "/api/v1/connectivity/3604/surveys?limit=0", token, ""); code != http.StatusBadRequest {
		t.Errorf("limit=0: %d, want 400", code)
	}

	booster := `{"kind":"booster","lat":-5.95,"lon":106.05,"radius_m":500,"cost":15000000,"owner":"Diskominfosatik Kab. Serang","due":"2024-02-12T00:00:00+07:00"}`
	code, iv, raw := call("POST", "/api/v1/connectivity/3604/interventions", token, booster)
	if code != http.StatusCreated || iv["status"] != siaga.InterventionPlanned || iv["region"] != "3604" {
		t.Fatalf("create booster: %d %s", code, raw)
	}
	id := strconv.FormatInt(int64(iv["id"].(float64)), 10)
	lebak := n.Regions.TPSOf("3602")[0].Code
	if code, _, raw := call("POST", "/api/v1/connectivity/3604/interventions", token, `{"kind":"vsat","tps":"`+lebak+`","owner":"BAKTI"}`); code != http.StatusBadRequest {
		t.Errorf("a VSAT for a TPS outside the path's region: %d %s", code, raw)
	}
	if code, _, raw := call("POST", "/api/v1/connectivity/3604/interventions", token, `{"kind":"booster","owner":"x","radius_m":5,"lat":-5.9,"lon":106,"colour":"red"}`); code != http.StatusBadRequest {
		t.Errorf("an unknown field: %d %s", code, raw)
	}
	status := "/api/v1/connectivity/3604/interventions/" + id + "/status"
	if code, out, raw := call("POST", status, token, `{"status":"terpasang","note":"di menara masjid"}`); code != http.StatusOK || out["status"] != siaga.InterventionInstalled {
		t.Errorf("installed: %d %s", code, raw)
	}
	if code, _, raw := call("POST", status, token, `{"status":"direncanakan"}`); code != http.StatusConflict {
		t.Errorf("back to planned: %d %s, want 409", code, raw)
	}
	if code, _, raw := call("POST", "/api/v1/connectivity/3602/interventions/"+id+"/status", nodetest.Token(t, n,
		auth.NewUser{Username: "desk.banten", Role: siaga.RoleDesk, Scope: "36"}), `{"status":"dilepas"}`); code != http.StatusNotFound {
		t.Errorf("the intervention through another region's path: %d %s, want 404", code, raw)
	}
	code, list, raw := call("GET", "/api/v1/connectivity/3604/interventions", token, "")
	if code != http.StatusOK || list["total"] != 1.0 {
		t.Errorf("interventions of 3604: %d %s", code, raw)
	}
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["late"] != true {
		t.Errorf("the booster installed after its due date is late: %s", raw)
	}
}
