package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/relay"
)

type relayAnswer struct {
	Results []struct {
		Submission string         `json:"submission"`
		Status     int            `json:"status"`
		Receipt    *siaga.Receipt `json:"receipt"`
		Error      *struct {
			Code  string `json:"code"`
			Field string `json:"field"`
		} `json:"error"`
	} `json:"results"`
}

// postRelay sends body to POST /api/v1/relay as the relay phone carrier.
func (s *served) postRelay(t testing.TB, carrier string, body any) (int, relayAnswer) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", s.url+"/api/v1/relay", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if carrier != "" {
		req.Header.Set("X-Siaga-Relay", carrier)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a relayAnswer
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, a
}

func TestRelay(t *testing.T) {
	ctx := context.Background()
	s := serve(t, "")
	const desa = "3601012001"
	officer := s.phone(t, desa+"001", siaga.RoleKPPS)
	neighbour := s.phone(t, desa+"002", siaga.RoleKPPS)
	carrier := s.phone(t, desa+"003", siaga.RoleKPPS) // the phone with signal

	sub := ppwp(desa+"001", 60, 120, 30)
	officer.Sign(&sub)
	signedJSON, _ := json.Marshal(&sub)
	chunks, err := relay.Encode(signedJSON)
	if err != nil {
		t.Fatal(err)
	}

	status, first := s.postRelay(t, carrier.ID, map[string]any{"chunks": chunks})
	if status != 200 || len(first.Results) != 1 || first.Results[0].Status != 201 || first.Results[0].Receipt == nil {
		t.Fatalf("first relay: %d %+v", status, first)
	}
	// The officer's own phone later finds signal and sends it too, and the
	// chunks are relayed again by someone else: harmless replays.
	if _, replay, err := (&client.Client{BaseURL: s.url}).Submit(ctx, &sub); err != nil || !replay {
		t.Fatalf("direct send after relay: replay=%v err=%v", replay, err)
	}
	status, again := s.postRelay(t, neighbour.ID, map[string]any{"chunks": append(chunks, chunks...)})
	if status != 200 || again.Results[0].Status != 200 || again.Results[0].Receipt.Hash != first.Results[0].Receipt.Hash {
		t.Fatalf("second relay: %d %+v", status, again)
	}
	versions, err := s.n.Store.VersionsOfTPS(ctx, desa+"001")
	if err != nil || len(versions) != 1 || versions[0].Author != "device:"+officer.ID {
		t.Fatalf("stored versions = %+v, %v; want one, authored by the signing device", versions, err)
	}

	// A file: one valid form, one refused by the rules, one forged, and
	// one valid form after the forgery, which is left for another try.
	forged := ppwp(desa+"002", 1, 2, 3)
	neighbour.Sign(&forged)
	forged.Form.Votes.Options["01"] = 100
	refused := ppwp(desa+"002", 1, 2, 3)
	refused.Form.Votes.Options["04"] = 9
	neighbour.Sign(&refused)
	carried := ppwp(desa+"003", 5, 5, 5)
	carrier.Sign(&carried)
	after := ppwp(desa+"002", 4, 4, 4)
	neighbour.Sign(&after)
	file, _ := relay.WriteFile([][]byte{mustJSONBytes(t, carried), mustJSONBytes(t, refused), mustJSONBytes(t, forged), mustJSONBytes(t, after)})
	status, fromFile := s.postRelay(t, "", json.RawMessage(file))
	if status != 200 || len(fromFile.Results) != 4 {
		t.Fatalf("file: %d %+v", status, fromFile)
	}
	for i, want := range []struct {
		status int
		field  string
	}{{201, ""}, {400, "form.suara.pilihan.04"}, {401, "signature"}, {503, ""}} {
		got := fromFile.Results[i]
		if got.Status != want.status || (want.field != "" && (got.Error == nil || got.Error.Field != want.field)) {
			t.Errorf("file result %d = %+v, want status %d field %q", i, got, want.status, want.field)
		}
	}
	if v, err := s.n.Store.VersionsOfTPS(ctx, desa+"002"); err != nil || len(v) != 0 {
		t.Errorf("TPS 002 has %d versions (%v); the form after the forgery must not be read", len(v), err)
	}

	t.Run("refused bodies", func(t *testing.T) {
		for _, tt := range []struct {
			name   string
			body   any
			header string
			status int
		}{
			{"missing chunk", map[string]any{"chunks": []string{}}, "", 400},
			{"foreign text", map[string]any{"chunks": []string{"hello"}}, "", 400},
			{"bad relay header", map[string]any{"chunks": chunks}, "not a device id!", 400},
			{"file version", map[string]any{"siaga_relay": 9, "submissions": []any{sub}}, "", 400},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if status, _ := s.postRelay(t, tt.header, tt.body); status != tt.status {
					t.Errorf("status %d, want %d", status, tt.status)
				}
			})
		}
	})

	t.Run("sightings", func(t *testing.T) {
		got, err := s.n.Store.RelaySightings(ctx, desa, 100)
		if err != nil {
			t.Fatal(err)
		}
		type seen struct{ tps, relay, via, outcome string }
		var brief []seen
		for _, g := range got {
			brief = append(brief, seen{g.TPS, g.Relay, g.Via, g.Outcome})
		}
		// Newest first; the forged form left no trace.
		want := []seen{
			{desa + "002", "", "file", "refused"},
			{desa + "003", "", "file", "stored"},
			{desa + "001", neighbour.ID, "qr", "replay"},
			{desa + "001", carrier.ID, "qr", "stored"},
		}
		if len(brief) != len(want) {
			t.Fatalf("sightings = %+v, want %+v", brief, want)
		}
		for i := range want {
			if brief[i] != want[i] {
				t.Errorf("sighting %d = %+v, want %+v", i, brief[i], want[i])
			}
		}
	})

	t.Run("direct with X-Siaga-Relay", func(t *testing.T) {
		late := ppwp(desa+"001", 60, 120, 30)
		late.Source = siaga.SourcePTPS
		// Bawaslu's supervisor of the same TPS, whose copy the carrier sends.
		ptps := s.phone(t, desa+"001", siaga.RolePTPS)
		ptps.Sign(&late)
		req, _ := http.NewRequest("POST", s.url+"/api/v1/submissions", bytes.NewReader(mustJSONBytes(t, late)))
		req.Header.Set("X-Siaga-Relay", carrier.ID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		got, _ := s.n.Store.RelaySightings(ctx, desa+"001", 1)
		if len(got) != 1 || got[0].Submission != late.ID || got[0].Via != siaga.ViaDirect || got[0].Relay != carrier.ID || got[0].Device != ptps.ID {
			t.Errorf("newest sighting = %+v", got)
		}
	})

	t.Run("board", func(t *testing.T) { testBoard(t, s, desa) })
}

// testBoard: the board is staff's: the public is sent to log in, staff
// outside the region are refused. The missing TPS with a refused relayed
// form shows on it; a logged-in official sends a runner, with and without
// the form token.
func testBoard(t *testing.T, s *served, desa string) {
	ctx := context.Background()
	public := noRedirect(nil)
	staff := login(t, s, "desk.serang", siaga.RoleDesk, "3601")
	elsewhere := login(t, s, "desk.lebak", siaga.RoleDesk, "3602")
	for _, tt := range []struct {
		name   string
		client *http.Client
		url    string
		status int
	}{
		{"public page", public, "/dispatch?wilayah=" + desa, http.StatusSeeOther},
		{"public JSON", public, "/api/v1/dispatch/" + desa, http.StatusUnauthorized},
		{"other region's page", elsewhere, "/dispatch?wilayah=" + desa, http.StatusForbidden},
		{"other region's JSON", elsewhere, "/api/v1/dispatch/" + desa, http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.client.Get(s.url + tt.url)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || strings.Contains(string(body), desa+"002") {
				t.Errorf("GET %s: %d, want %d, and no TPS of the board:\n%s", tt.url, resp.StatusCode, tt.status, body)
			}
		})
	}

	page := getPage(t, staff, s.url+"/dispatch?wilayah="+desa)
	row := rowOf(t, page, desa+"002")
	if !strings.Contains(row, "ditolak") || !strings.Contains(row, "1×") {
		t.Errorf("row of the refused TPS:\n%s", row)
	}
	// TPS 001 sent its presidential form only: it is off the Presiden
	// board, on the DPR one.
	if strings.Contains(page, `id="tps-`+desa+`001"`) {
		t.Errorf("a TPS that reported ppwp is on the ppwp board")
	}
	if row := rowOf(t, getPage(t, staff, s.url+"/dispatch?kontes=dpr&wilayah="+desa), desa+"001"); !strings.Contains(row, `data-c="contests">belum masuk: DPR RI<`) {
		t.Errorf("row of a TPS that reported ppwp, on the DPR board:\n%s", row)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the staff board")
	}
	form := url.Values{"tps": {desa + "002"}, "wilayah": {desa}, "note": {"ojek dari kantor desa, 0812-3456-7890"}}

	for _, tt := range []struct {
		name   string
		client *http.Client
		csrf   string
		status int
	}{
		{"anonymous", public, m[1], http.StatusUnauthorized},
		{"no token", staff, "", http.StatusForbidden},
		{"wrong token", staff, "x" + m[1], http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{"csrf": {tt.csrf}}
			for k, v := range form {
				f[k] = v
			}
			resp, err := tt.client.PostForm(s.url+"/dispatch/runner", f)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
	if sent, _ := s.n.Store.Runners(ctx, desa, 10); len(sent) != 0 {
		t.Fatalf("runners stored without a valid token: %+v", sent)
	}

	form.Set("csrf", m[1])
	resp, err := staff.PostForm(s.url+"/dispatch/runner", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/dispatch?wilayah="+desa) {
		t.Fatalf("send runner: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	row = rowOf(t, getPage(t, staff, s.url+"/dispatch?wilayah="+desa), desa+"002")
	if !strings.Contains(row, "desk.serang · ojek dari kantor desa, 0812-3456-7890") {
		t.Errorf("staff row after sending a runner:\n%s", row)
	}

	var board struct {
		Missing []struct {
			TPS    string `json:"tps"`
			Relays int    `json:"relays"`
			Runner string `json:"runner"`
		} `json:"items"`
		Runners int `json:"runners"`
	}
	if err := json.Unmarshal([]byte(getPage(t, staff, s.url+"/api/v1/dispatch/"+desa)), &board); err != nil {
		t.Fatal(err)
	}
	for _, m := range board.Missing {
		if m.TPS == desa+"002" && (m.Relays != 1 || !strings.Contains(m.Runner, "desk.serang")) {
			t.Errorf("staff JSON row = %+v: want one sighting and the runner with who sent it", m)
		}
	}
	if board.Runners != 1 {
		t.Errorf("runners = %d, want 1", board.Runners)
	}
}

// login creates a staff account and returns a client logged in as it.
func login(t testing.TB, s *served, username string, role siaga.Role, scope string) *http.Client {
	t.Helper()
	if _, err := s.n.Auth.CreateUser(context.Background(), username, username, "kata-sandi-yang-panjang", role, scope); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := noRedirect(jar)
	resp, err := c.PostForm(s.url+"/masuk", url.Values{"username": {username}, "password": {"kata-sandi-yang-panjang"}, "next": {"/"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	return c
}

func noRedirect(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func getPage(t testing.TB, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, b)
	}
	return string(b)
}

// rowOf returns the board's table row of a TPS.
func rowOf(t testing.TB, page, tps string) string {
	t.Helper()
	at := strings.Index(page, `<tr id="tps-`+tps+`"`)
	if at < 0 {
		t.Fatalf("TPS %s is not on the board", tps)
	}
	end := strings.Index(page[at:], "</tr>")
	return page[at : at+end]
}

func mustJSONBytes(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
