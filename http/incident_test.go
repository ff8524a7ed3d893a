package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// incidentCaller calls the incident API as one account, by API token.
type incidentCaller struct {
	n     *node.Node
	token string
	user  *siaga.User
}

func incidentAccount(t *testing.T, n *node.Node, username string, role siaga.Role, scope string) incidentCaller {
	t.Helper()
	s := loginAs(t, n, username, role, scope, "")
	token, err := n.Auth.NewAPIToken(context.Background(), s.user, "uji")
	if err != nil {
		t.Fatal(err)
	}
	return incidentCaller{n: n, token: token, user: s.user}
}

// call sends body (JSON of a value, or raw bytes) and decodes the answer
// into out when out is not nil.
func (c incidentCaller) call(t testing.TB, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.RemoteAddr = "198.51.100.7:4000"
	res := httptest.NewRecorder()
	c.n.Handler.ServeHTTP(res, req)
	if out != nil && res.Code < 300 {
		if err := json.Unmarshal(res.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, res.Body)
		}
	}
	if out == nil && res.Code < 300 {
		if p, ok := body.(*string); ok {
			*p = res.Body.String()
		}
	}
	return res.Code
}

// TestIncidentAPI runs the incident API on one Banten node: staff report
// and read in scope, page with N of M, take steps with versions, attach
// and read evidence; the public gets a receipt only, and is rate-limited.
// The subtests use their own desa so that they do not disturb each other.
func TestIncidentAPI(t *testing.T) {
	n := nodetest.Open(t, nil)
	desk := incidentAccount(t, n, "desk.banten", siaga.RoleDesk, "36")
	bawaslu := incidentAccount(t, n, "bawaslu.pandeglang", siaga.RoleBawaslu, "3601")
	polres := incidentAccount(t, n, "polres.pandeglang", siaga.RoleAparat, "3601")
	kpu := incidentAccount(t, n, "kpu.pandeglang", siaga.RoleKPUKab, "3601")
	saksi := incidentAccount(t, n, "admin.banten", siaga.RoleAdmin, "")
	when := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	report := func(t *testing.T, c incidentCaller, tps, cat string) siaga.Incident {
		t.Helper()
		var in siaga.Incident
		if code := c.call(t, "POST", "/api/v1/incidents", map[string]any{"category": cat, "severity": "tinggi",
			"occurred_at": when, "tps": tps, "title": "Bentrok <script>alert(1)</script>", "text": "Dua kelompok"}, &in); code != 201 {
			t.Fatalf("report: %d", code)
		}
		return in
	}

	t.Run("report and list in scope", func(t *testing.T) {
		// Three groups at three TPS of one desa, 9 hours apart: no duplicates.
		var ids []int64
		for i, tps := range []string{"3601012001001", "3601012001002", "3601012001003"} {
			in := report(t, bawaslu, tps, []string{"kekerasan", "logistik", "hoaks"}[i])
			if in.Channel != siaga.ChannelAPI || in.Status != siaga.IncidentNew || in.Region != "3601012001" {
				t.Errorf("stored %+v", in)
			}
			ids = append(ids, in.ID)
		}
		var page struct {
			Items []siaga.Incident `json:"items"`
			Total int              `json:"total"`
			Next  string           `json:"next"`
		}
		if code := kpu.call(t, "GET", "/api/v1/incidents/3601012001?limit=2", nil, &page); code != 200 {
			t.Fatalf("list: %d", code)
		}
		if len(page.Items) != 2 || page.Total != 3 || page.Next != fmt.Sprint(ids[1]) || page.Items[0].ID != ids[2] {
			t.Errorf("page 1: %d items of %d, next %q", len(page.Items), page.Total, page.Next)
		}
		next := page.Next
		page.Items, page.Next = nil, ""
		kpu.call(t, "GET", "/api/v1/incidents/3601012001?limit=2&before="+next, nil, &page)
		if len(page.Items) != 1 || page.Items[0].ID != ids[0] || page.Next != "" {
			t.Errorf("page 2: %+v", page)
		}
		kpu.call(t, "GET", "/api/v1/incidents/3601012001?category=hoaks,logistik&status=baru", nil, &page)
		if page.Total != 2 {
			t.Errorf("filtered: %d of %d", len(page.Items), page.Total)
		}
		for _, tc := range []struct {
			c    incidentCaller
			path string
			want int
		}{
			{bawaslu, "/api/v1/incidents/3602", http.StatusForbidden},                   // Lebak: out of scope
			{saksi, "/api/v1/incidents/3601", http.StatusForbidden},                     // a role that reads none
			{kpu, "/api/v1/incidents/3601?from=kemarin", http.StatusBadRequest},         // bad time
			{kpu, "/api/v1/incidents/3601?limit=100000", http.StatusBadRequest},         // page too big
			{kpu, "/api/v1/incidents/3601/" + fmt.Sprint(ids[0]), http.StatusOK},        // one report
			{kpu, "/api/v1/incidents/3673/" + fmt.Sprint(ids[0]), http.StatusForbidden}, // Kota Serang: out of scope
			{desk, "/api/v1/incidents/3673/" + fmt.Sprint(ids[0]), http.StatusNotFound}, // not under that region
			{desk, "/api/v1/incidents/3601/abc", http.StatusBadRequest},
		} {
			if code := tc.c.call(t, "GET", tc.path, nil, nil); code != tc.want {
				t.Errorf("GET %s by %s: %d, want %d", tc.path, tc.c.user.Username, code, tc.want)
			}
		}
		if code := saksi.call(t, "POST", "/api/v1/incidents", map[string]any{"category": "kekerasan", "tps": "3601012001001",
			"text": "x"}, nil); code != http.StatusForbidden {
			t.Errorf("an admin reported: %d", code)
		}
		// A report in Lebak by the Pandeglang Bawaslu is refused by the service.
		lebak := n.Regions.TPSOf("3602")[0].Code
		if code := bawaslu.call(t, "POST", "/api/v1/incidents", map[string]any{"category": "kekerasan", "tps": lebak,
			"text": "x"}, nil); code != http.StatusForbidden {
			t.Errorf("a report out of scope: %d", code)
		}
	})

	t.Run("steps with versions and agencies", func(t *testing.T) {
		in := report(t, bawaslu, "3601012002001", "intimidasi")
		path := fmt.Sprintf("/api/v1/incidents/3601012002/%d", in.ID)
		var got siaga.Incident
		if code := bawaslu.call(t, "POST", path+"/steps", map[string]any{"kind": "verifikasi", "version": 1}, &got); code != 200 ||
			got.Status != siaga.IncidentVerified {
			t.Fatalf("verify: %d %+v", code, got)
		}
		if code := polres.call(t, "POST", path+"/steps", map[string]any{"kind": "tolak", "version": 1, "text": "x"}, nil); code != http.StatusConflict {
			t.Errorf("a stale step: %d, want 409", code)
		}
		if code := kpu.call(t, "POST", path+"/steps", map[string]any{"kind": "tugaskan", "version": 2, "agency": "polri"}, nil); code != http.StatusForbidden {
			t.Errorf("KPU assigned: %d, want 403", code)
		}
		bawaslu.call(t, "POST", path+"/steps", map[string]any{"kind": "tugaskan", "version": 2, "agency": "tni"}, &got)
		if code := polres.call(t, "POST", path+"/steps", map[string]any{"kind": "tangani", "version": 3}, nil); code != http.StatusForbidden {
			t.Errorf("the police took a report assigned to the TNI: %d, want 403", code)
		}
		bawaslu.call(t, "POST", path+"/steps", map[string]any{"kind": "tugaskan", "version": 3, "agency": "polri"}, nil)
		polres.call(t, "POST", path+"/steps", map[string]any{"kind": "tangani", "version": 4}, nil)
		if code := polres.call(t, "POST", path+"/steps", map[string]any{"kind": "selesai", "version": 5, "text": "Dimediasi"}, &got); code != 200 ||
			got.Status != siaga.IncidentClosed || got.Outcome != "Dimediasi" {
			t.Fatalf("close: %d %+v", code, got)
		}
		if code := polres.call(t, "POST", path+"/steps", map[string]any{"kind": "hapus", "version": 6}, nil); code != http.StatusBadRequest {
			t.Errorf("an unknown step: %d", code)
		}
		if code := polres.call(t, "POST", path+"/steps", map[string]any{"kind": "catatan", "version": 6, "sneaky": 1}, nil); code != http.StatusBadRequest {
			t.Errorf("an unknown field: %d", code)
		}
		var one struct {
			Incident siaga.Incident       `json:"incident"`
			Steps    []siaga.IncidentStep `json:"steps"`
			Next     []string             `json:"next"`
		}
		kpu.call(t, "GET", path, nil, &one)
		var who []string
		for _, s := range one.Steps {
			who = append(who, string(s.Kind)+" "+s.ByName)
		}
		want := "lapor bawaslu.pandeglang|verifikasi bawaslu.pandeglang|tugaskan bawaslu.pandeglang|tugaskan bawaslu.pandeglang|" +
			"tangani polres.pandeglang|selesai polres.pandeglang"
		if strings.Join(who, "|") != want {
			t.Errorf("steps %v", who)
		}
	})

	t.Run("evidence", func(t *testing.T) {
		in := report(t, bawaslu, "3601012003001", "politik_uang")
		path := fmt.Sprintf("/api/v1/incidents/3601012003/%d/evidence", in.ID)
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 200)...)
		var e siaga.IncidentEvidence
		if code := kpu.call(t, "POST", path, png, &e); code != 201 || e.Type != "image/png" {
			t.Fatalf("evidence: %d %+v", code, e)
		}
		if code := kpu.call(t, "POST", path, []byte("<html><script>alert(1)</script></html>"), nil); code != http.StatusBadRequest {
			t.Errorf("HTML as evidence: %d", code)
		}
		if code := kpu.call(t, "POST", path, append(png, make([]byte, 1<<20)...), nil); code != http.StatusRequestEntityTooLarge {
			t.Errorf("evidence over 1 MiB: %d", code)
		}
		req := httptest.NewRequest("GET", path+"/"+e.SHA256, nil)
		req.Header.Set("Authorization", "Bearer "+kpu.token)
		res := httptest.NewRecorder()
		n.Handler.ServeHTTP(res, req)
		if res.Code != 200 || !bytes.Equal(res.Body.Bytes(), png) || res.Header().Get("Content-Type") != "image/png" ||
			res.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("evidence read back: %d %q", res.Code, res.Header())
		}
		if code := kpu.call(t, "GET", path+"/"+strings.Repeat("0", 64), nil, nil); code != http.StatusNotFound {
			t.Errorf("unknown evidence: %d", code)
		}
	})

	t.Run("public reports", func(t *testing.T) {
		anon := incidentCaller{n: n}
		var answers []string
		for i := range 6 {
			var raw map[string]any
			code := anon.call(t, "POST", "/api/v1/public/incidents", map[string]any{"category": "politik_uang",
				"region": "3601012004", "text": fmt.Sprintf("Ada bagi-bagi amplop <b>%d</b>", i), "reporter_name": "Warga",
				"reporter_phone": "081234567890"}, &raw)
			answers = append(answers, fmt.Sprint(code))
			if i == 0 {
				if code != http.StatusAccepted || len(raw) != 3 || raw["receipt"] == "" || raw["message"] == nil || raw["message_en"] == nil {
					t.Errorf("public answer %d: %v", code, raw)
				}
			}
		}
		if got := strings.Join(answers, " "); got != "202 202 202 202 202 429" {
			t.Errorf("six public reports from one address: %s", got)
		}
		if code := anon.call(t, "POST", "/api/v1/public/incidents", map[string]any{"category": "perang", "region": "3601012004",
			"text": "x"}, nil); code != http.StatusBadRequest && code != http.StatusTooManyRequests {
			t.Errorf("a bad public report: %d", code)
		}
		if code := anon.call(t, "GET", "/api/v1/incidents/3601012004", nil, nil); code != http.StatusUnauthorized && code != http.StatusForbidden {
			t.Errorf("the public read the list: %d", code)
		}
		// The moderation queue: staff see the public reports, at status
		// baru, with the number they gave but not the address they sent
		// from (Sender, which only the rate limit reads); five of one
		// sender within the hour are one group.
		req := httptest.NewRequest("GET", "/api/v1/incidents/3601012004?public=1&status=baru", nil)
		req.Header.Set("Authorization", "Bearer "+desk.token)
		res := httptest.NewRecorder()
		n.Handler.ServeHTTP(res, req)
		var page struct {
			Items []siaga.Incident `json:"items"`
			Total int              `json:"total"`
		}
		if err := json.Unmarshal(res.Body.Bytes(), &page); err != nil || page.Total != 5 {
			t.Fatalf("queue: %v %d %s", err, page.Total, res.Body)
		}
		if in := page.Items[0]; in.Channel != siaga.ChannelPublicWeb || in.ReporterPhone != "081234567890" || in.Status != siaga.IncidentNew {
			t.Errorf("queued %+v", in)
		}
		if strings.Contains(res.Body.String(), "198.51.100.7") {
			t.Errorf("the queue's JSON holds the sender's address: %s", res.Body)
		}
		if heads := page.Items[4].ID; page.Items[0].DuplicateOf != heads || page.Items[4].DuplicateOf != 0 {
			t.Errorf("public duplicates: first %d, last joins %d", heads, page.Items[0].DuplicateOf)
		}
	})
}
