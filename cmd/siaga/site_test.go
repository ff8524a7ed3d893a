package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// TestImportSites: a good list is stored with each site's desa; a list
// with a bad row exits 1, names the rows and columns, and stores nothing,
// not even its good rows.
func TestImportSites(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out := runSiaga(t, "import", "sites", "--data", data, filepath.Join("..", "..", "site", "testdata", "sites.csv"))
	if !strings.Contains(out, "9 stored, 8 inside a desa") {
		t.Errorf("import printed %q", out)
	}

	var stdout, stderr bytes.Buffer
	e := testEnv(&stdout)
	e.stderr = &stderr
	err := run(context.Background(), []string{"import", "sites", "--data", data, filepath.Join("testdata", "sites-bad.csv")}, e)
	if code := exitCode(err, &stderr); code != 1 {
		t.Errorf("exit status %d, want 1 (%v)", code, err)
	}
	for _, want := range []string{"baris 3, kolom lat: -12.4634 di luar batas", "baris 4, kolom kind", "row 3, column lat", "row 4, column kind: unknown \"gudang\""} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}

	store, err := node.OpenStore(context.Background(), node.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ss, err := store.Sites(context.Background(), siaga.SiteFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 9 {
		t.Errorf("%d sites stored, want the first file's 9 and none of the refused file's", len(ss))
	}
	lebak, err := store.Sites(context.Background(), siaga.SiteFilter{Region: "3602", Intervention: siaga.InterventionCOW})
	if err != nil {
		t.Fatal(err)
	}
	if len(lebak) != 1 || lebak[0].Code != "LBK-MENARA-LEUWIDAMAR" || lebak[0].Desa != "3602062001" || lebak[0].UpdatedAt.IsZero() {
		t.Errorf("Lebak's mobile BTS sites: %+v", lebak)
	}
}
