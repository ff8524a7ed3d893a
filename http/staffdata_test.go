package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// staffNight is a node with staff data of every kind in one desa: a
// form signed by a device and corrected by an operator, a relay sighting
// naming the carrying phone, a runner whose note has a contact number,
// and an SMS from an officer's number.
type staffNight struct {
	n        *node.Node
	url      string
	tps      siaga.TPS
	desa     string
	kpu      *client.Client // kpu_prov's token
	device   *client.Device
	receipt  siaga.Receipt
	secrets  []string // what the public must never see
	password string
}

const staffPassword = "rahasia-panjang-123"

func newStaffNight(t *testing.T) *staffNight {
	t.Helper()
	ctx := context.Background()
	site := nodetest.Start(t, nil)
	n := site.Node
	w := &staffNight{n: n, url: site.URL, tps: n.Regions.TPSOf("3601")[0], password: staffPassword}
	w.desa = siaga.ParentCode(w.tps.Code)
	w.kpu = &client.Client{BaseURL: w.url, Token: w.token(t, "kpu.operator", siaga.RoleKPUProv, "36")}
	w.device = site.Phone(t, w.tps.Code, siaga.RoleKPPS)
	sub := &siaga.Submission{Contest: siaga.PPWP, Form: ppwpForm(w.tps.DPT, [3]int{100, 50, 20}, 3), ID: uuid.NewString(),
		Source: siaga.SourceKPPS, TPS: w.tps.Code}
	w.device.Sign(sub)
	var err error
	if w.receipt, _, err = (&client.Client{BaseURL: w.url}).Submit(ctx, sub); err != nil {
		t.Fatal(err)
	}
	fix := &siaga.Submission{Contest: siaga.PPWP, Form: ppwpForm(w.tps.DPT, [3]int{101, 50, 20}, 3), ID: uuid.NewString(),
		Source: siaga.SourceKPPS, TPS: w.tps.Code, Replaces: 1, Reason: "salah baca"}
	if _, _, err := w.kpu.Submit(ctx, fix); err != nil {
		t.Fatal(err)
	}
	// A second TPS of the desa stays missing, with a sighting and a runner.
	missing := n.Regions.TPSOf(w.desa)[1].Code
	carrier := "0190f7a2-2b1c-7000-8000-00000000ca77"
	must(t, n.Store.AddRelaySighting(ctx, &siaga.RelaySighting{Submission: uuid.NewString(), TPS: missing,
		Contest: siaga.PPWP, Source: siaga.SourceKPPS, Device: w.device.ID, Relay: carrier, Via: siaga.ViaQR,
		Outcome: siaga.RelayRefused, Reason: "x", At: time.Now()}))
	must(t, n.Store.AddRunner(ctx, &siaga.RunnerDispatch{TPS: missing, UserID: 1, Username: "desk.rahasia",
		Note: "hubungi 081234567890", At: time.Now()}))
	must(t, n.Store.AppendSMS(ctx, &siaga.SMSMessage{At: time.Now(), Direction: siaga.SMSIn, Number: "+6281298765432",
		Text: "P " + missing, Gateway: "kannel", Outcome: siaga.SMSBadCode, TPS: missing}))
	// A signal survey names its surveyor; an intervention has a note.
	rsrp := -125.0
	must(t, n.Connectivity.AddSurveys(ctx, []siaga.Survey{{TPS: missing, Operator: "telkomsel", Tech: "4g", RSRP: &rsrp,
		Surveyor: "Surveyor Rahasia", Source: siaga.SurveyWeb, At: time.Now().Add(-time.Hour)}}, "user:desk.rahasia"))
	must(t, n.Connectivity.AddIntervention(ctx, &siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: missing, Owner: "BAKTI",
		Note: "kunci di 081234567890"}, "user:desk.rahasia"))
	w.secrets = []string{w.device.ID, carrier, "kpu.operator", "desk.rahasia", "081234567890", "6281298765432", "Surveyor Rahasia"}
	return w
}

// missing is the desa's second TPS, the one with the staff data.
func missing(w *staffNight) string { return w.n.Regions.TPSOf(w.desa)[1].Code }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (w *staffNight) token(t testing.TB, username string, role siaga.Role, scope string) string {
	t.Helper()
	return nodetest.Token(t, w.n, auth.NewUser{Username: username, Password: w.password, Role: role, Scope: scope})
}

// login returns a client with the session of username.
func (w *staffNight) login(t testing.TB, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(w.url+"/masuk", url.Values{"username": {username}, "password": {w.password}, "next": {"/"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %v %v", username, resp, err)
	}
	resp.Body.Close()
	return c
}

// fetch GETs path with c, a token when not empty, and returns the status
// and body.
func fetch(t testing.TB, c *http.Client, base, path, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c == nil {
		c = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestPublicAnswersHoldNoStaffData fetches every page and API answer the
// public can get, with staff data present, and finds no device id,
// username or phone number in any of them.
func TestPublicAnswersHoldNoStaffData(t *testing.T) {
	w := newStaffNight(t)
	paths := []string{
		"/", "/wilayah/36", "/wilayah/" + w.desa, "/tps/" + w.tps.Code, "/anomali", "/dispatch?wilayah=" + w.desa,
		"/sms", "/audit", "/audit.csv", "/audit.xlsx", "/masuk",
		"/api/v1/tps/" + w.tps.Code, "/api/v1/dispatch/" + w.desa, "/api/v1/progress/36?missing=100000",
		"/api/v1/progress/" + w.desa, "/api/v1/anomalies", "/api/v1/results/ppwp/36", "/api/v1/results/ppwp/" + w.tps.Code,
		"/api/v1/regions/" + w.desa, "/api/v1/election", "/api/v1/ballot/" + w.tps.Code, "/api/v1/map/ppwp/" + w.desa,
		"/api/v1/submissions/" + w.receipt.Submission + "/photos", "/api/v1/audit",
		"/sinyal/" + w.desa, "/sinyal/" + w.desa + "/tps.csv", "/sinyal/" + w.desa + "/tps.xlsx", "/sinyal/" + w.desa + "/survei",
		"/sinyal/" + w.desa + "/survei.csv", "/intervensi/" + w.desa, "/rencana/" + w.desa, "/tps/" + missing(w),
		"/api/v1/connectivity/" + w.desa,
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			status, body := fetch(t, nil, w.url, p, "")
			for _, secret := range w.secrets {
				if strings.Contains(body, secret) {
					t.Errorf("GET %s (%d) shows %q to the public", p, status, secret)
				}
			}
		})
	}

	// The same answers do carry them for staff in scope: the data is
	// there, and the public answers above left it out.
	staff := w.token(t, "bawaslu.banten", siaga.RoleBawaslu, "36")
	_, body := fetch(t, nil, w.url, "/api/v1/tps/"+w.tps.Code, staff)
	for _, want := range []string{"device:" + w.device.ID, "user:kpu.operator"} {
		if !strings.Contains(body, want) {
			t.Errorf("staff TPS answer lacks %q:\n%s", want, body)
		}
	}
	_, body = fetch(t, nil, w.url, "/api/v1/dispatch/"+w.desa, staff)
	for _, want := range []string{"desk.rahasia", "081234567890"} {
		if !strings.Contains(body, want) {
			t.Errorf("staff board lacks %q:\n%s", want, body)
		}
	}
	_, body = fetch(t, nil, w.url, "/api/v1/tps/"+w.tps.Code, "")
	var public struct {
		Versions []siaga.Version `json:"versions"`
	}
	if err := json.Unmarshal([]byte(body), &public); err != nil {
		t.Fatal(err)
	}
	var authors []string
	for _, v := range public.Versions {
		authors = append(authors, v.Author)
	}
	if strings.Join(authors, ",") != "perangkat,operator" {
		t.Errorf("public authors %v, want perangkat then operator", authors)
	}
}

// TestSMSLogRoles: the SMS log, with the officers' numbers, is for the
// roles that handle SMS.
func TestSMSLogRoles(t *testing.T) {
	w := newStaffNight(t)
	for _, tt := range []struct {
		role   siaga.Role
		status int
	}{
		{siaga.RoleKPUKab, http.StatusOK},
		{siaga.RoleBawaslu, http.StatusOK},
		{siaga.RoleAdmin, http.StatusOK},
		{siaga.RoleDesk, http.StatusForbidden},
		{siaga.RoleAparat, http.StatusForbidden},
		{siaga.RoleLogistik, http.StatusForbidden},
		{siaga.RoleSaksiKoord, http.StatusForbidden},
	} {
		t.Run(string(tt.role), func(t *testing.T) {
			username := "sms." + strings.ReplaceAll(string(tt.role), "_", "-")
			scope := "3601"
			if tt.role == siaga.RoleAdmin {
				scope = ""
			}
			var err error
			if tt.role == siaga.RoleSaksiKoord {
				_, err = w.n.Auth.AddUser(context.Background(), auth.Console(), auth.NewUser{Username: username, Name: username,
					Password: w.password, Role: tt.role, Scope: scope, Party: siaga.PartyOf(1)})
			} else {
				_, err = w.n.Auth.CreateUser(context.Background(), username, username, w.password, tt.role, scope)
			}
			must(t, err)
			status, body := fetch(t, w.login(t, username), w.url, "/sms", "")
			if status != tt.status {
				t.Fatalf("GET /sms as %s: %d, want %d", tt.role, status, tt.status)
			}
			if shows := strings.Contains(body, "6281298765432"); shows != (tt.status == http.StatusOK) {
				t.Errorf("GET /sms as %s shows the number: %v", tt.role, shows)
			}
		})
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestRevokeDeviceOverHTTP: staff revoke a device by token or by session
// with its CSRF token; the device's next form is refused.
func TestRevokeDeviceOverHTTP(t *testing.T) {
	w := newStaffNight(t)
	revoke := func(c *http.Client, token, csrf string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", w.url+"/api/v1/devices/"+w.device.ID+"/revoke", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		if c == nil {
			c = http.DefaultClient
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	bawaslu := w.token(t, "bawaslu.banten", siaga.RoleBawaslu, "36")
	ppkElsewhere := w.token(t, "ppk.lain", siaga.RolePPK, "360201")
	if _, err := w.n.Auth.CreateUser(context.Background(), "ppk.sini", "PPK", w.password, siaga.RolePPK, w.tps.Code[:6]); err != nil {
		t.Fatal(err)
	}
	session := w.login(t, "ppk.sini")
	_, page := fetch(t, session, w.url, "/tps/"+w.tps.Code, "")
	csrf := csrfField.FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token on the staff page")
	}
	for _, tt := range []struct {
		name   string
		c      *http.Client
		token  string
		csrf   string
		status int
	}{
		{"anonymous", nil, "", "", http.StatusUnauthorized},
		{"bad token", nil, "sgt_nope", "", http.StatusUnauthorized},
		{"bawaslu, not its source", nil, bawaslu, "", http.StatusForbidden},
		{"ppk out of scope", nil, ppkElsewhere, "", http.StatusForbidden},
		{"session without CSRF", session, "", "", http.StatusForbidden},
		{"session with a wrong CSRF", session, "", "x" + csrf[1], http.StatusForbidden},
		{"session with CSRF", session, "", csrf[1], http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := revoke(tt.c, tt.token, tt.csrf); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
		})
	}
	sub := &siaga.Submission{Contest: siaga.DPD, ID: uuid.NewString(), Source: siaga.SourceKPPS, TPS: w.tps.Code}
	w.device.Sign(sub)
	_, _, err := (&client.Client{BaseURL: w.url}).Submit(context.Background(), sub)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized || apiErr.Field != "device" {
		t.Errorf("a revoked device's form: %v, want 401 on device", err)
	}
}
