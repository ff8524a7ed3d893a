package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga/node"
)

// TestImportDisaster: hazards and TPS locations go in whole; a bad feature
// or row exits 1, names the feature or the row and column, and stores
// nothing.
func TestImportDisaster(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	refuse := func(want string, args ...string) {
		t.Helper()
		var out, errs bytes.Buffer
		err := run(context.Background(), args, testEnv(&out))
		if code := exitCode(err, &errs); code != 1 || !strings.Contains(errs.String(), want) || !strings.Contains(errs.String(), "nothing was imported") {
			t.Errorf("siaga %s: exit %d, %q; want 1 and %q", strings.Join(args, " "), code, errs.String(), want)
		}
	}
	badHazards := write("bad.geojson", `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"type":"banjir","class":"tinggi"},"geometry":{"type":"Polygon","coordinates":[[[106.7,-6.27],[106.72,-6.27],[106.72,-6.25],[106.7,-6.27]]]}},
		{"type":"Feature","properties":{"type":"banjir","class":"parah"},"geometry":{"type":"Polygon","coordinates":[[[106.7,-6.27],[106.72,-6.27],[106.72,-6.25],[106.7,-6.27]]]}}]}`)
	refuse("feature 1 (features[1].properties.class): unknown class \"parah\"", "import", "hazards", "--data", data, badHazards)
	badCSV := write("bad.csv", "tps,lat,lon\n3674031005001,-6.26,106.71\n3674031005001,-6.26,126.71\n")
	refuse("row 3, column lat: point (-6.26, 126.71) is 2202.7 km outside this TPS's kab/kota (3674)", "import", "tps-locations", "--data", data, badCSV)
	stored := func() (layers, locations int) {
		n, err := node.Open(context.Background(), node.Config{DataDir: data})
		if err != nil {
			t.Fatal(err)
		}
		defer n.Close()
		ls, err := n.Store.HazardLayers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		locs, err := n.Store.TPSLocations(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(ls), len(locs)
	}
	if l, n := stored(); l != 0 || n != 0 {
		t.Fatalf("after refused imports: %d layers, %d locations stored", l, n)
	}

	out := runSiaga(t, "import", "tps-locations", "--data", data, write("ok.csv", "tps,lat,lon,address\n3674031005001,-6.26,106.71,Jl. Raya\n"))
	if !strings.Contains(out, "1 TPS locations stored") {
		t.Errorf("tps-locations printed %q", out)
	}
	out = runSiaga(t, "import", "hazards", "--data", data, "--name", "Banjir uji", "--synthetic", "testdata/hazards.geojson")
	// The TPS just placed lies in the zone; the rest of Banten's TPS
	// stand at the registry's synthetic points, a few of them in it too.
	if !strings.Contains(out, "1 zones; TPS in a zone: ") {
		t.Errorf("hazards printed %q", out)
	}
	if l, n := stored(); l != 1 || n != 1 {
		t.Errorf("after the imports: %d layers, %d locations stored, want 1 and 1", l, n)
	}
}
