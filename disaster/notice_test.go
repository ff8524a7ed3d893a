package disaster_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga/disaster"
)

// needPoppler skips the test without pdftotext and pdftoppm (Debian's
// poppler-utils), or fails it when SIAGA_REQUIRE_E2E=1, as in CI.
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
				t.Fatalf("%s not installed (Debian: poppler-utils) and SIAGA_REQUIRE_E2E=1", tool)
			}
			t.Skipf("%s not installed (Debian: poppler-utils)", tool)
		}
	}
}

// TestNoticePDF renders a relocation notice and reads it back as a
// printer and a voter would: poppler renders the page, and its text holds
// the TPS code, the letter number, both places and the voting day.
func TestNoticePDF(t *testing.T) {
	needPoppler(t)
	desa, ok := banten(t).Boundary(pondokAren)
	if !ok {
		t.Fatal("no boundary for Pondok Aren")
	}
	to := offset(arenCentre, 0, 600)
	n := disaster.Notice{TPS: pondokAren + "001", Number: 1, Desa: "Pondok Aren", Kecamatan: "Pondok Aren",
		KabKota: "Kota Tangerang Selatan",
		Old:     disaster.Place{Address: "Lapangan RW 05", Lat: arenCentre[1], Lon: arenCentre[0]},
		New:     disaster.Place{Address: "SD Negeri Pondok Aren 2, Jl. Raya Pondok Aren", Lat: to[1], Lon: to[0]},
		Letter:  "123/PL.01.2-Kpt/3674/2024", Decided: time.Date(2024, 2, 13, 0, 0, 0, 0, time.UTC),
		Decider: "Ketua KPU Kota Tangerang Selatan", Office: "KPU Kota Tangerang Selatan", Reason: "banjir setinggi 80 cm",
		VotingDay: time.Date(2024, 2, 14, 0, 0, 0, 0, time.UTC), Hours: disaster.VotingHours + " WIB",
		Boundary: desa.Geometry, Synthetic: "CONTOH: tempat-tempat ini sintetis (SYNTHETIC places)"}
	var buf bytes.Buffer
	if err := disaster.WriteNotice(&buf, n); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "notice.pdf")
	if err := os.WriteFile(pdf, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "50", "-png", pdf, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	if pages, _ := filepath.Glob(filepath.Join(dir, "page*.png")); len(pages) != 1 {
		t.Errorf("%d pages rendered, want 1", len(pages))
	}
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"3674031005001", "123/PL.01.2-Kpt/3674/2024", "TPS 001", "Lapangan RW 05",
		"SD Negeri Pondok Aren 2", "14 Februari 2024", "07.00–13.00 WIB", "13 Februari 2024", "Lama", "Baru", "SYNTHETIC"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %q:\n%s", want, text)
		}
	}
	if os.Getenv("SIAGA_NOTICE_OUT") != "" {
		_ = os.WriteFile(os.Getenv("SIAGA_NOTICE_OUT"), buf.Bytes(), 0o600)
	}
}
