package http_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/geo"
	siagahttp "github.com/deskpemilu/siaga/http"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// soffice is LibreOffice's command (Debian: libreoffice-calc-nogui). A
// test that reads a spreadsheet back with it skips when it is missing,
// unless SIAGA_REQUIRE_E2E=1 (as in CI), where it fails.
func soffice(tb testing.TB) string {
	tb.Helper()
	path, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			tb.Fatalf("soffice not installed (Debian: libreoffice-calc-nogui) and SIAGA_REQUIRE_E2E=1: %v", err)
		}
		tb.Skip("skipped: soffice not installed (Debian: libreoffice-calc-nogui)")
	}
	return path
}

// xlsxToCSV reads XLSX files as LibreOffice Calc sees them: converted to
// CSV (UTF-8, comma, double quotes) by ONE `soffice --headless
// --convert-to csv` over all of them (a start of LibreOffice costs about
// two seconds; the walk has dozens of tables), with a profile of its own
// so that it neither shares nor waits on another's lock. The result is in
// the order of the files.
func xlsxToCSV(tb testing.TB, files [][]byte) [][][]string {
	tb.Helper()
	bin := soffice(tb)
	dir, profile := tb.TempDir(), tb.TempDir()
	args := []string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir}
	for i, xlsx := range files {
		in := filepath.Join(dir, fmt.Sprintf("table%03d.xlsx", i))
		if err := os.WriteFile(in, xlsx, 0o600); err != nil {
			tb.Fatal(err)
		}
		args = append(args, in)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile, "LC_ALL=C.UTF-8")
	// soffice starts soffice.bin, which keeps the output pipe: on a
	// timeout kill the whole group, and stop waiting for the pipe soon
	// after, so that a hung conversion fails the test instead of the run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("soffice: %v\n%s", err, out)
	}
	all := make([][][]string, len(files))
	for i := range files {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("table%03d.csv", i)))
		if err != nil {
			tb.Fatalf("soffice wrote no CSV for table %d: %v\n%s", i, err, out)
		}
		if all[i], err = csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil {
			tb.Fatalf("soffice's CSV of table %d: %v\n%s", i, err, b)
		}
	}
	return all
}

// exportFill gives each wildcard of an export route a value with data
// behind it: Kab. Pandeglang and its first TPS. A new wildcard needs a line
// here; the test says so rather than skip the route.
var exportFill = strings.NewReplacer("{code}", "3601", "{region}", "3601", "{wilayah}", "3601",
	"{contest}", "ppwp", "{tps}", "", "{$}", "", "{id}", "1")

// TestXLSXReadBack walks every ".xlsx" route of the route table, fetches it
// as a caller the route lets in, reads it back through LibreOffice and
// compares it with the same route's ".csv": a download an official opens
// in a spreadsheet must say what the CSV says, whoever added the route.
func TestXLSXReadBack(t *testing.T) {
	soffice(t)
	w := newNight(t)
	seedReadiness(t, w.n) // a row in every readiness layer (readiness_test.go)
	tps := w.n.Regions.TPSOf("3601")[0]
	submitContest(t, w.n, tps.Code, siaga.DPR, partyForm(tps.DPT, map[string]int{"3": 60, "2": 30, "1": 10}))
	// Something in every list: a DPR form whose valid votes are not the
	// sum of its parties' (an anomaly of that contest), and an SMS.
	slip := partyForm(w.n.Regions.TPSOf("3601")[1].DPT, map[string]int{"3": 40, "2": 30})
	slip.Admin["suara_sah"] += 5
	submitContest(t, w.n, w.n.Regions.TPSOf("3601")[1].Code, siaga.DPR, slip)
	sms := &siaga.SMSMessage{At: time.Now(), Direction: siaga.SMSIn, Number: "+6281100000001", Text: "=HYPERLINK(1)",
		Outcome: siaga.SMSUnreadable, Gateway: "webhook"}
	if err := w.n.Store.AppendSMS(context.Background(), sms); err != nil {
		t.Fatal(err)
	}
	// A flooded TPS and a postponed one in Kab. Pandeglang: the hazards
	// and postponement downloads (ui/disaster.go, ui/postponement.go).
	floodAround(t, w.n, tps.Code, 0.0005)
	if _, err := w.n.Postponements.Report(context.Background(), tps.Code, siaga.PostponementPSS, "", "=banjir", siaga.PostponementStep{
		Name: "Ketua KPPS", Office: "KPPS TPS 001", At: time.Date(2024, 2, 14, 7, 0, 0, 0, siaga.WIB), Letter: "BA/001"}); err != nil {
		t.Fatal(err)
	}
	signalSetup(t, w.n, "3601")
	seedBoard(t, w.n)              // a row in every list of the logistics board (logistics_board_test.go)
	seedBallots(t, w.n)            // a ballot lot at Pandeglang's warehouse (logistics_ballot_test.go)
	logisticsSetup(t, w.n, "3601") // shipments and an alert (logistics_pages_test.go)
	seedMeeting(t, w.n, "3601")    // meeting 1 and its action items (meeting_test.go)
	seedIncidents(t, w.n)          // two reports, one titled with a formula (incident_pages_test.go)
	seedGakkumdu(t, w.n)           // a Gakkumdu case (gakkumdu_test.go)
	seedWarning(t, w.n)            // an open early-warning alert in Pandeglang (warning_test.go)
	// Verified reports for the Insiden layer (warning_pages_test.go).
	seedCluster(t, w.n, "360101", time.Date(2024, 2, 14, 12, 0, 0, 0, siaga.WIB))
	rules, err := siagahttp.RouteRules()
	if err != nil {
		t.Fatal(err)
	}
	patterns := map[string]siagahttp.RouteRule{}
	for _, r := range rules {
		patterns[r.Pattern] = r
	}
	tokens := map[siaga.Role]string{}
	walked := 0
	// Every table is fetched first, then LibreOffice reads them all at once.
	type download struct {
		name string
		xlsx []byte
		want [][]string
	}
	var downloads []download
	for _, rule := range rules {
		if !strings.HasPrefix(rule.Pattern, "GET ") || !strings.HasSuffix(rule.Pattern, ".xlsx") {
			continue
		}
		walked++
		t.Run(rule.Pattern, func(t *testing.T) {
			csvPattern := strings.TrimSuffix(rule.Pattern, ".xlsx") + ".csv"
			if _, ok := patterns[csvPattern]; !ok {
				t.Fatalf("no %s beside it: every table downloads as both", csvPattern)
			}
			path := exportFill.Replace(strings.TrimPrefix(rule.Pattern, "GET "))
			if strings.Contains(path, "{") {
				t.Fatalf("path %s: add its wildcard to exportFill", path)
			}
			token := ""
			if rule.Kind == "staff" {
				token = exportToken(t, w, tokens, rule.Roles)
			}
			// One kecamatan where a list has a region filter: the walk reads
			// every table, not every row of the province.
			for _, query := range []string{"?kontes=ppwp&wilayah=360101", "?kontes=dpr&wilayah=360101"} {
				xlsx := fetchExport(t, w.n.Handler, path+query, token)
				want := fetchExport(t, w.n.Handler, strings.TrimSuffix(path, ".xlsx")+".csv"+query, token)
				if xlsx == nil || want == nil {
					continue // not a table for this contest (404 for both)
				}
				wantRecs, err := csv.NewReader(bytes.NewReader(want)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if len(wantRecs) < 2 {
					t.Errorf("%s%s: the CSV has no rows; the walk checks nothing", path, query)
				}
				downloads = append(downloads, download{path + query, xlsx, wantRecs})
			}
		})
	}
	files := make([][]byte, len(downloads))
	for i, d := range downloads {
		files[i] = d.xlsx
	}
	for i, got := range xlsxToCSV(t, files) {
		d := downloads[i]
		if diff := cmp.Diff(readBackForm(d.want), trimRows(got)); diff != "" {
			t.Errorf("%s: LibreOffice's reading differs from the CSV (-csv +xlsx):\n%s", d.name, diff)
		}
	}
	if walked == 0 {
		t.Fatal("the route table has no .xlsx route")
	}
}

// readBackForm is a CSV as a spreadsheet shows the same table: the quote
// that keeps a typed "=…" from running as a formula in the CSV is not part
// of the XLSX's text cell, and trailing empty cells are not read.
func readBackForm(recs [][]string) [][]string {
	out := make([][]string, len(recs))
	for i, r := range recs {
		out[i] = slices.Clone(r)
		for j, c := range out[i] {
			if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(c[1])) {
				out[i][j] = c[1:]
			}
		}
	}
	return trimRows(out)
}

// exportToken is an API token of the first of roles, scoped to the
// province, made once per role.
func exportToken(t *testing.T, w night, tokens map[siaga.Role]string, roles []siaga.Role) string {
	t.Helper()
	for _, role := range roles {
		if role.SubmitSource() != "" {
			continue // field accounts see their own TPS only
		}
		if tok, ok := tokens[role]; ok {
			return tok
		}
		scope := "36"
		if role == siaga.RoleAdmin {
			scope = ""
		}
		tok := nodetest.Token(t, w.n, auth.NewUser{Username: "ekspor-" + string(role), Password: "kata-sandi-ekspor-123", Role: role, Scope: scope})
		tokens[role] = tok
		return tok
	}
	t.Fatalf("no staff role among %v", roles)
	return ""
}

// fetchExport GETs a download; nil for a 404.
func fetchExport(t *testing.T, h http.Handler, path, token string) []byte {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil
	case res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment"):
		t.Fatalf("GET %s: %d %s\n%.300s", path, res.StatusCode, res.Header.Get("Content-Disposition"), body)
	}
	return body
}

// signalSetup gives the signal tables of region rows: two blank TPS
// surveyed, a mobile-BTS site reaching both (the planner's default
// choice), and an intervention.
func signalSetup(t *testing.T, n *node.Node, region string) {
	t.Helper()
	ctx := context.Background()
	tps := n.Regions.TPSOf(region)
	a, b := tps[0], tps[1]
	rsrp := -125.0
	var ss []siaga.Survey
	for _, p := range []siaga.TPS{a, b} {
		ss = append(ss, siaga.Survey{TPS: p.Code, Operator: "indosat", Tech: "4g", RSRP: &rsrp, Surveyor: "=Surveyor",
			Source: siaga.SurveyImport, At: time.Now().Add(-time.Hour)})
	}
	if err := n.Connectivity.AddSurveys(ctx, ss, "cli"); err != nil {
		t.Fatal(err)
	}
	reach := geo.Distance(orb.Point{a.Lon, a.Lat}, orb.Point{b.Lon, b.Lat}) + 1
	if err := n.Store.SaveSites(ctx, []siaga.Site{{Code: "COW-1", Name: "Menara", Kind: "menara", Lat: a.Lat, Lon: a.Lon, Desa: a.Desa,
		Intervention: siaga.InterventionCOW, RadiusM: reach, Cost: 50_000_000}}); err != nil {
		t.Fatal(err)
	}
	if err := n.Connectivity.AddIntervention(ctx, &siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: b.Code, Owner: "BAKTI",
		Cost: 30_000_000, Due: time.Now().Add(-time.Hour)}, "cli"); err != nil {
		t.Fatal(err)
	}
}
