package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestImportSurveys: a survey CSV with one impossible row exits 1 naming
// the row and column and stores nothing; the file without it stores every
// row in one go.
func TestImportSurveys(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	ctx := context.Background()
	surveys := func() (page siaga.SurveyPage, tps []siaga.TPS) {
		store, err := node.OpenStore(ctx, node.Config{DataDir: data})
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		reg, err := store.LoadRegistry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		page, err = store.Surveys(ctx, siaga.SurveyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return page, reg.TPS
	}
	_, tps := surveys()
	row := func(code, rsrp string) string {
		return fmt.Sprintf("%s,telkomsel,4g,%s,,ya,300,120,450,-6.4,106.1,Asep,2024-02-08 10:15\n", code, rsrp)
	}
	good := "tps,operator,tech,rsrp,rssi,data_ok,down_kbps,up_kbps,rtt_ms,lat,lon,surveyor,at\n" + row(tps[0].Code, "-101") + row(tps[1].Code, "-125")
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.csv", good+row(tps[2].Code, "20"))

	var out, errs bytes.Buffer
	err := run(ctx, []string{"import", "surveys", "--data", data, bad}, testEnv(&out))
	if code := exitCode(err, &errs); code != 1 {
		t.Errorf("exit status %d for an RSRP of +20 dBm, want 1 (%v)", code, err)
	}
	if msg := errs.String(); !strings.Contains(msg, "baris 4, kolom rsrp") || !strings.Contains(msg, "row 4, column rsrp: 20 dBm is impossible") {
		t.Errorf("error printed: %q, want row 4 and column rsrp named in both languages", msg)
	}
	if page, _ := surveys(); page.Total != 0 {
		t.Errorf("%d surveys stored from a refused file, want 0", page.Total)
	}

	out.Reset()
	if err := run(ctx, []string{"import", "surveys", "--data", data, write("good.csv", good)}, testEnv(&out)); err != nil {
		t.Fatalf("import surveys: %v", err)
	}
	if !strings.Contains(out.String(), "2 stored") {
		t.Errorf("import printed %q", out.String())
	}
	page, _ := surveys()
	if page.Total != 2 || page.Items[0].Source != siaga.SurveyImport || page.Items[0].By != "cli" {
		t.Errorf("stored %+v, want the 2 surveys from the import, by cli", page)
	}
}

// TestPlanInterventions: with three blank TPS and two mobile-BTS sites,
// one reaching two of them, --k 1 picks that one, and the JSON has SPEC
// §9's fields.
func TestPlanInterventions(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	ctx := context.Background()
	store, err := node.OpenStore(ctx, node.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := store.LoadRegistry(ctx)
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := reg.TPS[0], reg.TPS[1], reg.TPS[2]
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	surveys := "tps,operator,tech,rsrp,rssi,data_ok,down_kbps,up_kbps,rtt_ms,lat,lon,surveyor,at\n"
	for _, tp := range []siaga.TPS{a, b, c} {
		surveys += tp.Code + ",telkomsel,none,,,,,,,,,Asep,2024-02-08 10:00\n"
	}
	runSiaga(t, "import", "surveys", "--data", data, write("surveys.csv", surveys))
	pa, pb, pc := orb.Point{a.Lon, a.Lat}, orb.Point{b.Lon, b.Lat}, orb.Point{c.Lon, c.Lat}
	reach := max(geo.Distance(pb, pc), 1) + 0.5 // at b, reaching c
	sites := "code,name,kind,lat,lon,intervention,radius_m,cost\n" +
		fmt.Sprintf("COW-A,Menara A,menara,%.7f,%.7f,cow,1,50000000\n", pa[1], pa[0]) +
		fmt.Sprintf("COW-BC,Menara BC,menara,%.7f,%.7f,cow,%.1f,90000000\n", pb[1], pb[0], reach)
	runSiaga(t, "import", "sites", "--data", data, write("sites.csv", sites))

	out := runSiaga(t, "plan", "interventions", "--data", data, "--kind", "cow", "--k", "1", "--json")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("plan printed %q: %v", out, err)
	}
	for _, field := range []string{"sites", "covered", "upper_bound", "guarantee"} {
		if _, ok := got[field]; !ok {
			t.Errorf("no %q in %s", field, out)
		}
	}
	sitesOut, _ := got["sites"].([]any)
	if len(sitesOut) != 1 {
		t.Fatalf("sites = %v, want one", got["sites"])
	}
	first := sitesOut[0].(map[string]any)
	if first["code"] != "COW-BC" || !cmp.Equal(first["covers"], []any{b.Code, c.Code}) {
		t.Errorf("chosen %v, want COW-BC covering %s and %s", first, b.Code, c.Code)
	}
	if got["covered"] != 2.0 || got["upper_bound"].(float64) < 2 || got["guarantee"].(float64) < 0.63 {
		t.Errorf("covered %v, upper bound %v, guarantee %v; want 2, ≥ 2, 1 − 1/e", got["covered"], got["upper_bound"], got["guarantee"])
	}

	err = runSiagaErr("plan", "interventions", "--data", data, "--kind", "cow", "--k", "1", "--budget", "5")
	if siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("--k and --budget together: %v, want invalid", err)
	}
	if e, ok := err.(*siaga.Error); !ok || e.Field != "--k" {
		t.Errorf("--k and --budget together names %v, want the flag --k", err)
	}

	// The planning page over the same data says what the command printed.
	for _, weight := range []string{"tps", "dpt"} {
		out := runSiaga(t, "plan", "interventions", "--data", data, "--kind", "cow", "--k", "1", "--weight", weight, "--json")
		page := planPage(t, data, "/rencana/36?kind=cow&k=1&weight="+weight)
		var cli map[string]any
		if err := json.Unmarshal([]byte(out), &cli); err != nil {
			t.Fatal(err)
		}
		sites := cli["sites"].([]any)
		if len(sites) == 0 {
			t.Fatalf("weight %s: no site chosen", weight)
		}
		for _, want := range []string{
			fmt.Sprintf(`data-covered="%v" data-covered-tps="%v" data-targets="%v"`, cli["covered"], cli["covered_tps"], cli["targets"]),
			fmt.Sprintf(`data-upper-bound="%v" data-guarantee="%v" data-ratio="%v" data-cost="%.0f" data-sites="%d"`,
				cli["upper_bound"], cli["guarantee"], cli["ratio"], cli["cost"], len(sites)),
			`<tr data-code="` + sites[0].(map[string]any)["code"].(string) + `">`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("weight %s: the plan page lacks %s (the command printed %s)", weight, want, out)
			}
		}
	}
}

// planPage opens the node of data and returns the page at path as a
// desk account of the province sees it.
func planPage(t *testing.T, data, path string) string {
	t.Helper()
	n, err := node.Open(context.Background(), node.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	token := nodetest.Token(t, n, auth.NewUser{Username: "desk.rencana." + strings.ReplaceAll(path[len(path)-3:], "=", ""), Role: siaga.RoleDesk, Scope: "36"})
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	n.Handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return rec.Body.String()
}
