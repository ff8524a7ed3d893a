package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/deskpemilu/siaga/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// served is a node answering on a real loopback port.
type served struct {
	n        *node.Node
	url      string
	operator *client.Client // kpu_prov, all of Banten
	site     *nodetest.Site
}

// serve initialises Banten in a fresh store (SQLite, or PostgreSQL when
// dsn is set) and serves it over TCP until t ends.
func serve(t testing.TB, dsn string) *served {
	t.Helper()
	return serveConfig(t, func(c *node.Config) { c.DB = dsn })
}

// serveConfig is serve with the configuration set by set.
func serveConfig(t testing.TB, set func(*node.Config)) *served {
	t.Helper()
	s := nodetest.Start(t, set)
	return &served{n: s.Node, url: s.URL, operator: s.Operator, site: s}
}

func (s *served) token(t testing.TB, username string, role siaga.Role, scope string) string {
	t.Helper()
	return nodetest.Token(t, s.n, auth.NewUser{Username: username, Role: role, Scope: scope})
}

// phone enrols a device for tps over the API.
func (s *served) phone(t testing.TB, tps string, role siaga.Role) *client.Device {
	t.Helper()
	return s.site.Phone(t, tps, role)
}

func ppwp(tps string, votes ...int) siaga.Submission {
	sah := 0
	opts := map[string]int{}
	for i, v := range votes {
		opts[[]string{"01", "02", "03"}[i]] = v
		sah += v
	}
	return siaga.Submission{
		ID: uuid.Must(uuid.NewV7()).String(), TPS: tps, Contest: siaga.PPWP, Source: siaga.SourceKPPS,
		Form: siaga.Form{
			Admin: siaga.Admin{"suara_sah": sah, "suara_tidak_sah": 1, "suara_total": sah + 1,
				"pengguna_total_j": sah + 1, "pengguna_dpt_j": sah + 1, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0},
			Votes: &siaga.Votes{Options: opts},
		},
	}
}

func TestAPI(t *testing.T) {
	for _, db := range []struct {
		name string
		dsn  func(t testing.TB) string
	}{
		{"sqlite", func(testing.TB) string { return "" }},
		{"postgres", pgtest.DSN},
	} {
		t.Run(db.name, func(t *testing.T) {
			s := serve(t, db.dsn(t))
			t.Run("signed submissions", func(t *testing.T) { testSigned(t, s) })
			t.Run("refused input", func(t *testing.T) { testRefused(t, s) })
			t.Run("results and progress", func(t *testing.T) { testReads(t, s) })
		})
	}
}

const tpsA, tpsB = "3601012001001", "3673011001002"

func testSigned(t *testing.T, s *served) {
	ctx := context.Background()
	dev := s.phone(t, tpsA, siaga.RoleKPPS)
	fieldClient := &client.Client{BaseURL: s.url}
	sub := ppwp(tpsA, 60, 120, 30)
	dev.Sign(&sub)
	first, replay, err := fieldClient.Submit(ctx, &sub)
	if err != nil || replay {
		t.Fatalf("first: replay=%v err=%v", replay, err)
	}
	again, replay, err := fieldClient.Submit(ctx, &sub)
	if err != nil || !replay {
		t.Fatalf("replay: replay=%v err=%v", replay, err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("replayed receipt differs:\n%s", diff)
	}
	changed := sub
	changed.Form = ppwp(tpsA, 61, 120, 30).Form
	dev.Sign(&changed)
	wantAPIError(t, submitErr(fieldClient.Submit(ctx, &changed)), http.StatusConflict, "id")

	forged := ppwp(tpsA, 1, 2, 3)
	dev.Sign(&forged)
	forged.Form.Votes.Options["01"] = 100
	wantAPIError(t, submitErr(fieldClient.Submit(ctx, &forged)), http.StatusUnauthorized, "signature")

	elsewhere := ppwp(tpsB, 1, 2, 3)
	dev.Sign(&elsewhere)
	wantAPIError(t, submitErr(fieldClient.Submit(ctx, &elsewhere)), http.StatusForbidden, "tps")

	ppk := &client.Client{BaseURL: s.url, Token: s.token(t, "ppk-cilegon", siaga.RolePPK, "367201")}
	wantAPIError(t, submitErr(ppk.Submit(ctx, ptr(ppwp(tpsA, 1, 2, 3)))), http.StatusForbidden, "tps")
}

func ptr[T any](v T) *T { return &v }

func submitErr(_ siaga.Receipt, _ bool, err error) error { return err }

func wantAPIError(t testing.TB, err error, status int, field string) {
	t.Helper()
	var e *client.APIError
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an API error %d", err, status)
	}
	if e.Status != status || e.Field != field || e.Message == "" || e.MessageEN == "" {
		t.Errorf("error = %+v, want status %d field %q with messages in both languages", e, status, field)
	}
}

func testRefused(t *testing.T, s *served) {
	negative := ppwp(tpsB, 1, 2, 3)
	negative.Form.Admin["suara_sah"] = -4
	unknownTPS := ppwp("3601012001999", 1, 2, 3)
	badTicket := ppwp(tpsB, 1, 2, 3)
	badTicket.Form.Votes.Options["04"] = 9
	dpr := ppwp(tpsB)
	dpr.Contest = siaga.DPR
	dpr.Form.Votes = &siaga.Votes{Parties: map[string]siaga.PartyVotes{"4": {Party: 3, Candidates: map[string]int{"04-99": 1}}}}
	tests := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"malformed JSON", `{"id": "x",`, 400, ""},
		{"text for a number", strings.Replace(mustJSON(t, ppwp(tpsB, 1, 2, 3)), `"suara_sah":6`, `"suara_sah":"6"`, 1), 400, "form.administrasi.suara_sah"},
		{"negative number", mustJSON(t, negative), 400, "form.administrasi.suara_sah"},
		{"unknown TPS", mustJSON(t, unknownTPS), 400, "tps"},
		{"unknown ticket", mustJSON(t, badTicket), 400, "form.suara.pilihan.04"},
		{"candidate not on the dapil list", mustJSON(t, dpr), 400, "form.suara.partai.4.caleg.04-99"},
		{"oversize", `{"reason":"` + strings.Repeat("x", 70<<10) + `"}`, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The operator gives a reason, as it must: what is refused is
			// the form.
			withReason := strings.Replace(tt.body, `{"contest"`, `{"reason":"diantar kurir","contest"`, 1)
			req, _ := http.NewRequest("POST", s.url+"/api/v1/submissions", strings.NewReader(withReason))
			req.Header.Set("Authorization", "Bearer "+s.operator.Token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Error struct{ Code, Message, Field string } `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("status %d, body not an error object: %v", resp.StatusCode, err)
			}
			if resp.StatusCode != tt.status || body.Error.Field != tt.field || body.Error.Message == "" {
				t.Errorf("got %d %+v, want %d field %q", resp.StatusCode, body.Error, tt.status, tt.field)
			}
		})
	}
	if tally, _ := s.n.Results.Tally(siaga.PPWP, tpsB); tally.TPSReported != 0 {
		t.Errorf("a refused form reached the tally: %+v", tally)
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func testReads(t *testing.T, s *served) {
	ctx := context.Background()
	dev := s.phone(t, tpsB, siaga.RoleKPPS)
	sub := ppwp(tpsB, 10, 20, 5)
	dev.Sign(&sub)
	before := time.Now()
	if _, _, err := (&client.Client{BaseURL: s.url}).Submit(ctx, &sub); err != nil {
		t.Fatal(err)
	}
	tally, err := s.operator.Tally(ctx, siaga.PPWP, "3673")
	if err != nil {
		t.Fatal(err)
	}
	if tally.TPSReported != 1 || tally.Votes["02"] != 20 {
		t.Errorf("tally right after the receipt = %+v (%s later), want the form counted", tally, time.Since(before))
	}
	resp, err := http.Get(s.url + "/api/v1/results/ppwp/3673")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	req, _ := http.NewRequest("GET", s.url+"/api/v1/results/ppwp/3673", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if etag == "" || resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET with ETag %q: status %d, want 304", etag, resp.StatusCode)
	}
	// Another form in the same kab/kota: the kept encoding is stale now,
	// the old ETag no longer matches and the new body counts both TPS.
	next := s.phone(t, "3673011002001", siaga.RoleKPPS) // another desa: its progress is read below
	sub2 := ppwp("3673011002001", 1, 2, 3)
	next.Sign(&sub2)
	if _, _, err := (&client.Client{BaseURL: s.url}).Submit(ctx, &sub2); err != nil {
		t.Fatal(err)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var after siaga.Tally
	err = json.NewDecoder(resp.Body).Decode(&after)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil || after.TPSReported != 2 || after.Votes["02"] != 22 || resp.Header.Get("ETag") == etag {
		t.Errorf("after a second form: status %d, ETag %q (was %q), tally %+v, %v; want both TPS counted under a new ETag",
			resp.StatusCode, resp.Header.Get("ETag"), etag, after, err)
	}
	var progress struct {
		TPSTotal int            `json:"tps_total"`
		Reported map[string]int `json:"reported"`
		Missing  []struct {
			TPS      string   `json:"tps"`
			Contests []string `json:"contests"`
		} `json:"missing"`
		MissingTotal int `json:"missing_total"`
	}
	resp, err = http.Get(s.url + "/api/v1/progress/367301100?missing=5")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("progress of an unknown region: %d, want 404", resp.StatusCode)
		}
	}
	resp, err = http.Get(s.url + "/api/v1/progress/3673011001")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&progress); err != nil {
		t.Fatal(err)
	}
	for _, m := range progress.Missing {
		if m.TPS == tpsB && (len(m.Contests) != 4 || m.Contests[0] == "ppwp") {
			t.Errorf("%s reported ppwp but is listed as missing %v", tpsB, m.Contests)
		}
	}
	if progress.Reported["ppwp"] != 1 || len(progress.Missing) != progress.TPSTotal || progress.MissingTotal != progress.TPSTotal {
		t.Errorf("progress = %+v", progress)
	}
}
