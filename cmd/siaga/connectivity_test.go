package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
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
