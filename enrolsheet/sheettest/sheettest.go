// Package sheettest reads printed enrolment sheets back as a person's
// printer and phone would: each PDF page rendered to PNG with Debian's
// poppler-utils (pdftoppm), and the QR codes on it decoded with zbar-tools
// (zbarimg). A test that needs them is skipped when they are missing —
// unless SIAGA_REQUIRE_E2E=1, as in CI, where it fails.
package sheettest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga/enrolsheet"
)

// Need skips (or, with SIAGA_REQUIRE_E2E=1, fails) tb unless pdftoppm and
// zbarimg are installed.
func Need(tb testing.TB) {
	tb.Helper()
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
				tb.Fatalf("%s not installed (Debian: poppler-utils, zbar-tools) and SIAGA_REQUIRE_E2E=1", tool)
			}
			tb.Skipf("%s not installed (Debian: poppler-utils, zbar-tools)", tool)
		}
	}
}

// Pages renders pdf at dpi and returns the PNG file of each page, in
// order. pdftoppm failing (not a valid PDF) fails tb.
func Pages(tb testing.TB, pdf []byte, dpi int) []string {
	tb.Helper()
	dir := tb.TempDir()
	in := filepath.Join(dir, "sheet.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-png", in, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, err := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if err != nil {
		tb.Fatal(err)
	}
	slices.Sort(pages) // page-1 … page-9 share a width; pdftoppm pads numbers
	return pages
}

// Scan decodes the QR code of every place of a sheet as a phone held over
// one card sees it: the page rendered at dpi, cropped to the code and a
// little around it. It returns what each decodes to, "" when nothing.
// (zbarimg, given a whole page of codes in a grid, misses some that it
// reads one at a time.)
func Scan(tb testing.TB, pdf []byte, places []enrolsheet.Place, dpi int) []string {
	tb.Helper()
	dir := tb.TempDir()
	in := filepath.Join(dir, "sheet.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	px := func(mm float64) string { return strconv.Itoa(int(mm * float64(dpi) / 25.4)) }
	out := make([]string, len(places))
	for i, p := range places {
		const around = 3 // mm
		page := strconv.Itoa(p.Page + 1)
		png := filepath.Join(dir, "card-"+strconv.Itoa(i))
		msg, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-png", "-singlefile", "-f", page, "-l", page,
			"-x", px(p.X-around), "-y", px(p.Y-around), "-W", px(p.Size+2*around), "-H", px(p.Size+2*around), in, png).CombinedOutput()
		if err != nil {
			tb.Fatalf("pdftoppm: %v\n%s", err, msg)
		}
		if got := QR(tb, png+".png"); len(got) == 1 {
			out[i] = got[0]
		}
	}
	return out
}

// QR returns the text of every QR code zbarimg finds on the PNG, sorted.
func QR(tb testing.TB, png string) []string {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 4 { // no symbol found
			return nil
		}
		tb.Fatalf("zbarimg %s: %v\n%s", png, err, stderr.String())
	}
	var out []string
	for line := range strings.Lines(stdout.String()) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	slices.Sort(out)
	return out
}
