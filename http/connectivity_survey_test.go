package http_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// signedSurvey is the body a phone sends: the survey's text and its
// signature of the domain and that text.
func signedSurvey(d *client.Device, text string) string {
	sig := ed25519.Sign(d.Key, []byte(auth.SurveyDomain+text))
	return `{"survey":` + text + `,"signature":"` + base64.StdEncoding.EncodeToString(sig) + `"}`
}

// postJSON sends body to path on h from addr, with an API token when tok
// is set, and decodes the answer.
func postJSON(t testing.TB, h http.Handler, path, tok, body string) (int, map[string]any, string) {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res := httptest.NewRecorder()
	h.ServeHTTP(res, req)
	var out map[string]any
	_ = json.Unmarshal(res.Body.Bytes(), &out)
	return res.Code, out, res.Body.String()
}

// TestSurveyAPI: a phone's signed survey of its own TPS is stored once,
// its retry answered with it; a changed, unsigned, misdirected or
// impossible survey is refused; staff of the desk record surveys of their
// scope only.
func TestSurveyAPI(t *testing.T) {
	site := nodetest.Start(t, nil)
	serang := site.Regions.TPSOf("3604")
	home, other := serang[0].Code, serang[1].Code
	phone := site.Phone(t, home, siaga.RoleKPPS)
	desk := nodetest.Token(t, site.Node, auth.NewUser{Username: "desk.serang", Role: siaga.RoleDesk, Scope: "3604"})
	deskLebak := nodetest.Token(t, site.Node, auth.NewUser{Username: "desk.lebak", Role: siaga.RoleDesk, Scope: "3602"})
	bawaslu := nodetest.Token(t, site.Node, auth.NewUser{Username: "bawaslu.serang", Role: siaga.RoleBawaslu, Scope: "3604"})
	at := time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	survey := func(dev, tps, extra string) string {
		s := `{"device":"` + dev + `","tps":"` + tps + `","operator":"telkomsel","tech":"4g","rsrp":-104,` +
			`"data_ok":true,"down_kbps":512.5,"up_kbps":256.25,"rtt_ms":180,"link":"4g; 10 Mbps; 50 ms",` +
			`"lat":-6.0123,"lon":106.1234,"surveyor":"Asep","at":"` + at + `"` + extra + `}`
		if dev == "" {
			s = strings.Replace(s, `"device":"","`, `"`, 1)
		}
		return s
	}
	own := survey(phone.ID, home, "")
	tampered := strings.Replace(signedSurvey(phone, own), `"rsrp":-104`, `"rsrp":-80`, 1)
	unprefixed := `{"survey":` + own + `,"signature":"` + base64.StdEncoding.EncodeToString(ed25519.Sign(phone.Key, []byte(own))) + `"}`

	for _, tt := range []struct {
		name, tok, body string
		want            int
		field           string // of the error
		class           siaga.Connectivity
	}{
		{name: "own TPS", body: signedSurvey(phone, own), want: http.StatusCreated, class: siaga.SignalWeak},
		{name: "retry of the same survey", body: signedSurvey(phone, own), want: http.StatusOK, class: siaga.SignalWeak},
		{name: "changed after signing", body: tampered, want: http.StatusUnauthorized, field: "signature"},
		{name: "signed without the survey domain", body: unprefixed, want: http.StatusUnauthorized, field: "signature"},
		{name: "another TPS", body: signedSurvey(phone, survey(phone.ID, other, "")), want: http.StatusForbidden, field: "tps"},
		{name: "unknown device", body: signedSurvey(phone, survey("nobody", home, "")), want: http.StatusUnauthorized, field: "device"},
		{name: "no signature nor account", body: `{"survey":` + own + `}`, want: http.StatusUnauthorized},
		{name: "same time, other numbers", body: signedSurvey(phone, strings.Replace(own, `"rsrp":-104`, `"rsrp":-90`, 1)), want: http.StatusConflict, field: "survey.at"},
		{name: "impossible RSRP", body: signedSurvey(phone, strings.NewReplacer(`"rsrp":-104`, `"rsrp":20`, `"telkomsel"`, `"xl"`).Replace(own)), want: http.StatusBadRequest, field: "rsrp"},
		{name: "unknown field", body: signedSurvey(phone, survey(phone.ID, home, `,"colour":"red"`)), want: http.StatusBadRequest, field: "survey.colour"},
		{name: "no survey", body: `{"signature":"x"}`, want: http.StatusBadRequest, field: "survey"},
		{name: "desk in scope", tok: desk, body: `{"survey":` + survey("", other, "") + `}`, want: http.StatusCreated, class: siaga.SignalWeak},
		{name: "desk out of scope", tok: deskLebak, body: `{"survey":` + survey("", other, "") + `}`, want: http.StatusForbidden, field: "survey.tps"},
		{name: "a role that does not record surveys", tok: bawaslu, body: `{"survey":` + survey("", other, "") + `}`, want: http.StatusForbidden, field: "role"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, raw := postJSON(t, site.Handler, "/api/v1/surveys", tt.tok, tt.body)
			if code != tt.want {
				t.Fatalf("%d %s, want %d", code, raw, tt.want)
			}
			if tt.field != "" {
				if e, _ := out["error"].(map[string]any); e == nil || e["field"] != tt.field {
					t.Errorf("error %s, want field %q", raw, tt.field)
				}
			}
			if tt.class != "" && out["class"] != string(tt.class) {
				t.Errorf("class %v, want %s", out["class"], tt.class)
			}
			if sv, _ := out["survey"].(map[string]any); code < 300 && (sv == nil || sv["id"] == nil || sv["id"] == 0.0) {
				t.Errorf("the answer names no stored survey: %s", raw)
			}
		})
	}

	// A session cookie changes nothing without the session's CSRF token.
	cookie, sess, _, err := site.Auth.Login(context.Background(), "desk.serang", nodetest.Password, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, csrf := range []string{"", sess.CSRF} {
		body := `{"survey":` + strings.Replace(survey("", other, ""), "telkomsel", "indosat", 1) + `}`
		req := httptest.NewRequest("POST", "/api/v1/surveys", strings.NewReader(body))
		req.AddCookie(&http.Cookie{Name: "siaga_session", Value: cookie})
		req.Header.Set("X-CSRF-Token", csrf)
		res := httptest.NewRecorder()
		site.Handler.ServeHTTP(res, req)
		if want := map[bool]int{false: http.StatusForbidden, true: http.StatusCreated}[csrf != ""]; res.Code != want {
			t.Errorf("by session cookie, CSRF token %q: %d %s, want %d", csrf, res.Code, res.Body, want)
		}
	}

	page, err := site.Connectivity.Surveys(context.Background(), siaga.SurveyFilter{Region: "3604"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 3 {
		t.Fatalf("%d surveys stored, want the phone's once and the desk's two: %+v", len(page.Items), page.Items)
	}
	got := page.Items[0]
	if got.TPS != home || got.Source != siaga.SurveyField || got.By != "device:"+phone.ID || *got.DownKbps != 512.5 || *got.UpKbps != 256.25 ||
		*got.RTTms != 180 || *got.RSRP != -104 || got.Link != "4g; 10 Mbps; 50 ms" || got.Lat != -6.0123 {
		t.Errorf("the phone's survey as stored: %+v", got)
	}
	if d := page.Items[1]; d.Source != siaga.SurveyWeb || d.By != "user:desk.serang" || d.TPS != other {
		t.Errorf("the desk's survey as stored: %+v", d)
	}
}

// TestDataTest: the download is the size asked, incompressible and never
// cached; sizes beyond 64 KiB are refused both ways; each address is
// limited, and one address's limit leaves another's alone.
func TestDataTest(t *testing.T) {
	n := nodetest.Open(t, nil)
	call := func(method, path, addr string, body []byte) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		req.RemoteAddr = addr
		res := httptest.NewRecorder()
		n.Handler.ServeHTTP(res, req)
		return res
	}
	t.Run("download", func(t *testing.T) {
		a, b := call("GET", "/api/v1/datatest?kb=64", "192.0.2.1:1", nil), call("GET", "/api/v1/datatest?kb=64", "192.0.2.1:1", nil)
		if a.Code != http.StatusOK || a.Body.Len() != 64<<10 || a.Header().Get("Content-Length") != strconv.Itoa(64<<10) {
			t.Fatalf("kb=64: %d, %d bytes", a.Code, a.Body.Len())
		}
		if cc := a.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(a.Body.Bytes())
		zw.Close()
		if z.Len() < a.Body.Len() {
			t.Errorf("the payload compresses from %d to %d bytes: a proxy could shrink it and flatter the link", a.Body.Len(), z.Len())
		}
		if bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
			t.Error("two downloads are the same bytes")
		}
		if r := call("GET", "/api/v1/datatest?kb=0", "192.0.2.1:1", nil); r.Code != http.StatusOK || r.Body.Len() != 0 {
			t.Errorf("kb=0 (a round trip): %d, %d bytes", r.Code, r.Body.Len())
		}
		for _, kb := range []string{"65", "-1", "1e3", "x"} {
			if r := call("GET", "/api/v1/datatest?kb="+kb, "192.0.2.1:1", nil); r.Code != http.StatusBadRequest {
				t.Errorf("kb=%s: %d, want 400", kb, r.Code)
			}
		}
	})
	t.Run("upload", func(t *testing.T) {
		r := call("POST", "/api/v1/datatest", "192.0.2.2:1", make([]byte, 64<<10))
		var out struct {
			Bytes      int64     `json:"bytes"`
			ServerTime time.Time `json:"server_time"`
		}
		if err := json.Unmarshal(r.Body.Bytes(), &out); r.Code != http.StatusOK || err != nil || out.Bytes != 64<<10 || out.ServerTime.IsZero() {
			t.Errorf("64 KiB up: %d %s", r.Code, r.Body)
		}
		if r := call("POST", "/api/v1/datatest", "192.0.2.2:1", make([]byte, 64<<10+1)); r.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("64 KiB and a byte up: %d, want 413", r.Code)
		}
	})
	t.Run("rate per address", func(t *testing.T) {
		limited := 0
		for range 40 {
			if r := call("GET", "/api/v1/datatest?kb=1", "192.0.2.3:1", nil); r.Code == http.StatusTooManyRequests {
				limited++
				if r.Header().Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
			}
		}
		if limited == 0 {
			t.Error("40 downloads at once from one address were all served")
		}
		if r := call("GET", "/api/v1/datatest?kb=1", "192.0.2.4:1", nil); r.Code != http.StatusOK {
			t.Errorf("another address: %d, want 200", r.Code)
		}
	})
}
