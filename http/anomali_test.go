package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
)

// TestAnomaliesAPI: GET /api/v1/anomalies answers SPEC §9's shape with
// every match counted, pages that chain by cursor, the review status and
// no staff data; a bad parameter is a 400 naming it.
func TestAnomaliesAPI(t *testing.T) {
	w := newNight(t)
	rv := siaga.AnomalyReview{TPS: w.tpsC.Code, Contest: siaga.PPWP, Source: siaga.SourceKPPS, Version: 1,
		Status: siaga.AnomalyChecked, Note: "catatan-rahasia-desk", Actor: "user:desk"}
	if err := w.n.Results.ReviewAnomaly(context.Background(), rv); err != nil {
		t.Fatal(err)
	}
	type page struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
		Next  string           `json:"next"`
	}
	getPage := func(q string) page {
		res, body := get(t, w.n.Handler, "/api/v1/anomalies?"+q)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, res.StatusCode, body)
		}
		if strings.Contains(body, "catatan-rahasia-desk") || strings.Contains(body, "user:desk") {
			t.Errorf("%s: the public API shows the desk's note or name", q)
		}
		var p page
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	all := getPage("region=36")
	if all.Total != 3 || len(all.Items) != 3 || all.Next != "" {
		t.Fatalf("all anomalies: %+v, want 3 (tpsC R6/R7, tpsA's two sources R11)", all)
	}
	var seen []string
	for q := "region=36&limit=1"; ; {
		p := getPage(q)
		if p.Total != 3 || len(p.Items) != 1 {
			t.Fatalf("page %q: %+v", q, p)
		}
		seen = append(seen, p.Items[0]["tps"].(string)+"/"+p.Items[0]["source"].(string))
		if p.Next == "" {
			break
		}
		q = "region=36&limit=1&cursor=" + url.QueryEscape(p.Next)
	}
	if len(seen) != 3 || seen[0] == seen[1] || seen[1] == seen[2] {
		t.Errorf("paged one by one: %v", seen)
	}
	if p := getPage("status=diperiksa"); p.Total != 1 || p.Items[0]["tps"] != w.tpsC.Code || p.Items[0]["status"] != "diperiksa" {
		t.Errorf("status=diperiksa: %+v", p)
	}
	if p := getPage("rule=R11&source=saksi&contest=ppwp"); p.Total != 1 {
		t.Errorf("rule=R11&source=saksi: %+v", p)
	}
	for q, field := range map[string]string{"rule=R0": "rule", "contest=x": "contest", "source=x": "source",
		"status=x": "status", "cursor=%21": "cursor", "limit=0": "limit", "limit=x": "limit", "region=99": "region"} {
		res, body := get(t, w.n.Handler, "/api/v1/anomalies?"+q)
		if res.StatusCode != 400 || !strings.Contains(body, `"field":"`+field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", q, res.StatusCode, body, field)
		}
	}
}

// TestReviewAnomaly: a reviewer in scope sets the status from the page's
// form (with the session's CSRF token); it is audited, shown with who and
// why to reviewers and as a status only to the public; out of scope or
// without CSRF it is refused.
func TestReviewAnomaly(t *testing.T) {
	w := newNight(t)
	ctx := context.Background()
	for _, u := range []struct {
		name  string
		role  siaga.Role
		scope string
	}{{"desk-banten", siaga.RoleDesk, "36"}, {"ppk-lebak", siaga.RolePPK, "3602"}, {"aparat", siaga.RoleAparat, "36"}} {
		if _, err := w.n.Auth.CreateUser(ctx, u.name, u.name, "rahasia-panjang-123", u.role, u.scope); err != nil {
			t.Fatal(err)
		}
	}
	login := func(name string) (*http.Cookie, string) {
		token, sess, _, err := w.n.Auth.Login(ctx, name, "rahasia-panjang-123", "192.0.2.9")
		if err != nil {
			t.Fatal(err)
		}
		return &http.Cookie{Name: "siaga_session", Value: token}, sess.CSRF
	}
	post := func(name string, withCSRF bool, status string) int {
		c, csrf := login(name)
		f := url.Values{"tps": {w.tpsC.Code}, "kontes": {"ppwp"}, "sumber": {"kpps"}, "versi": {"1"}, "status": {status},
			"catatan": {"angka sesuai foto halaman 2"}, "kembali_ke": {"wilayah=36"}}
		if withCSRF {
			f.Set("csrf", csrf)
		}
		req := httptest.NewRequest("POST", "/anomali/status", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		rec := httptest.NewRecorder()
		w.n.Handler.ServeHTTP(rec, req)
		return rec.Code
	}
	for _, tt := range []struct {
		name, user string
		csrf       bool
		want       int
	}{
		{"no CSRF token", "desk-banten", false, http.StatusForbidden},
		{"out of scope", "ppk-lebak", true, http.StatusForbidden},
		{"not a reviewer", "aparat", true, http.StatusForbidden},
		{"reviewer in scope", "desk-banten", true, http.StatusSeeOther},
	} {
		if got := post(tt.user, tt.csrf, "diperiksa"); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	if got := post("desk-banten", true, "selesai"); got != http.StatusBadRequest {
		t.Errorf("unknown status: %d, want 400", got)
	}
	page, err := w.n.Store.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditAnomalyReview, Limit: 10})
	if err != nil || page.Total != 1 || page.Items[0].Actor != "user:desk-banten" || page.Items[0].Subject != w.tpsC.Code {
		t.Errorf("audit of the review: %+v, %v", page, err)
	}
	_, public := get(t, w.n.Handler, "/anomali?wilayah=36&status=diperiksa")
	mustContain(t, "public list", public, w.tpsC.Code, "dari <b data-total=\"1\">1</b>")
	if strings.Contains(public, "angka sesuai foto halaman 2") || strings.Contains(public, "desk-banten") {
		t.Error("the public list shows the reviewer's note or name")
	}
	c, _ := login("desk-banten")
	req := httptest.NewRequest("GET", "/anomali?wilayah=36&status=diperiksa", nil)
	req.AddCookie(c)
	rec := httptest.NewRecorder()
	w.n.Handler.ServeHTTP(rec, req)
	mustContain(t, "reviewer's list", rec.Body.String(), "angka sesuai foto halaman 2", "user:desk-banten", `action="/anomali/status"`)
}

// TestAnomaliContestPills: the list of every contest marks no ballot's
// pill as chosen; a chosen contest marks its own.
func TestAnomaliContestPills(t *testing.T) {
	w := newNight(t)
	_, all := get(t, w.n.Handler, "/anomali?wilayah=36")
	if strings.Contains(all, `class="active" aria-current="true">`) {
		t.Error("/anomali over every contest marks a contest's pill as chosen")
	}
	_, dpr := get(t, w.n.Handler, "/anomali?wilayah=36&kontes=dpr")
	if !strings.Contains(dpr, `class="active" aria-current="true">DPR RI`) {
		t.Error("/anomali?kontes=dpr does not mark DPR RI's pill")
	}
}
