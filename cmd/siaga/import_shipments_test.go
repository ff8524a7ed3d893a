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

// TestImportShipments: a file with a bad row exits 1, names the row and
// column and stores nothing; a good one stores its waybills.
func TestImportShipments(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	stored := func() int {
		t.Helper()
		n, err := node.Open(context.Background(), node.Config{DataDir: data})
		if err != nil {
			t.Fatal(err)
		}
		defer n.Close()
		_, total, err := n.Shipments.List(context.Background(), siaga.ShipmentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"import", "shipments", "--data", data, "testdata/shipments_bad.csv"}, testEnv(&out))
	want := "row 3, column dapil"
	if code := exitCode(err, &errs); code != 1 || !strings.Contains(errs.String(), want) || !strings.Contains(errs.String(), "nothing was imported") ||
		!strings.Contains(errs.String(), "baris 3, kolom dapil") {
		t.Errorf("bad file: exit %d, %q; want 1 and %q", code, errs.String(), want)
	}
	if n := stored(); n != 0 {
		t.Fatalf("a bad file stored %d shipments", n)
	}
	out.Reset()
	if err := run(context.Background(), []string{"import", "shipments", "--data", data, "testdata/shipments_good.csv"}, testEnv(&out)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "3 shipments stored") {
		t.Errorf("output %q", out.String())
	}
	if n := stored(); n != 3 {
		t.Errorf("stored %d shipments, want 3", n)
	}
}
