package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefused: a Sirekap record with a count no TPS can hold is
// refused by the intake, with the code and field the API and the relay
// give the same form (node's TestOneIntake), the import goes on, and the
// exit status says that not everything went in.
func TestImportRefused(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runSiaga(t, "init", "--data", data, "--province", "36")
	dir := filepath.Join(t.TempDir(), "hhcw", "ppwp", "36", "3601", "360101", "3601012002")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bad := `{"chart":{"100025":100001,"100026":120,"100027":30},"administrasi":null}`
	if err := os.WriteFile(filepath.Join(dir, "3601012002001.json"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	quiet := slog.New(slog.DiscardHandler)
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, logger: quiet, quiet: quiet}
	err := run(context.Background(), []string{"import", "sirekap", "--data", data, dir}, e)
	if code := exitCode(err, &errs); code != 1 {
		t.Errorf("exit status %d, want 1: a refused record must show in the status (%v)", code, err)
	}
	if !strings.Contains(out.String(), "0 stored, 0 unchanged, 1 refused") {
		t.Errorf("import printed %q", out.String())
	}
	if !strings.Contains(errs.String(), "3601012002001.json: invalid: form.suara.pilihan.01: ") {
		t.Errorf("import reported %q, want the record refused as invalid on form.suara.pilihan.01", errs.String())
	}
}
