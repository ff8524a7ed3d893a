package enrolsheet_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga/enrolsheet"
	"github.com/deskpemilu/siaga/enrolsheet/sheettest"
)

var screenshot = flag.Bool("screenshot", false, "write docs/img/enrolment-sheet.png from the sample sheet")

// sample is a sheet of two PPS as an operator of Kec. Sumur prints it.
func sample(tps ...int) enrolsheet.Document {
	at := time.Date(2024, 2, 13, 9, 30, 0, 0, time.UTC)
	d := enrolsheet.Document{Role: "kpps", RoleText: "ponsel KPPS mengirim C.Hasil TPS-nya / a KPPS phone sends its TPS's C.Hasil",
		IssuedBy: "Operator PPK Sumur (ppk.sumur)", IssuedAt: at, ExpiresAt: at.Add(7 * 24 * time.Hour),
		FieldApp: "https://siaga.example/lapangan/"}
	for i, n := range tps {
		desa := fmt.Sprintf("360101200%d", i+1)
		s := enrolsheet.Sheet{Desa: []string{"KERTAJAYA", "TAMANJAYA"}[i%2] + " (" + desa + ")", Kecamatan: "Kec. SUMUR, KAB. PANDEGLANG, BANTEN"}
		for j := range n {
			code := sampleCode(i*100 + j)
			s.Cards = append(s.Cards, enrolsheet.Card{TPS: fmt.Sprintf("%s%03d", desa, j+1), Number: j + 1,
				Code: code[:4] + "-" + code[4:8] + "-" + code[8:], URL: "https://siaga.example/lapangan/#daftar=" + code})
		}
		d.Sheets = append(d.Sheets, s)
	}
	return d
}

// sampleCode is a made-up code in the alphabet of auth's codes.
func sampleCode(n int) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 10)
	x := uint64(n)*0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D
	for i := range b {
		b[i] = alphabet[x%32]
		x = x/32 ^ x<<7
	}
	return string(b)
}

// TestSheet: every PPS gets its own page(s), and every QR code on them
// decodes, at a printer's 150 dpi, to its TPS's enrolment address.
func TestSheet(t *testing.T) {
	sheettest.Need(t)
	tests := []struct {
		name  string
		tps   []int
		pages int
	}{
		{"two desa", []int{5, 3}, 2},
		{"a big desa fits one page", []int{21}, 1},
		{"a huge desa goes on", []int{30}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sample(tt.tps...)
			var buf bytes.Buffer
			if err := enrolsheet.Write(&buf, d); err != nil {
				t.Fatal(err)
			}
			pages := sheettest.Pages(t, buf.Bytes(), 150)
			if len(pages) != tt.pages {
				t.Fatalf("%d pages, want %d", len(pages), tt.pages)
			}
			places := enrolsheet.Places(d)
			got := sheettest.Scan(t, buf.Bytes(), places, 150)
			var want []string
			for _, p := range places {
				want = append(want, p.Card.URL)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decoded QR codes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestScreenshot writes the README's picture of a sheet when asked:
// go test ./enrolsheet -run TestScreenshot -screenshot
func TestScreenshot(t *testing.T) {
	if !*screenshot {
		t.Skip("run with -screenshot to write docs/img/enrolment-sheet.png")
	}
	sheettest.Need(t)
	var buf bytes.Buffer
	if err := enrolsheet.Write(&buf, sample(6)); err != nil {
		t.Fatal(err)
	}
	pages := sheettest.Pages(t, buf.Bytes(), 60)
	out, err := exec.Command("cp", pages[0], "../docs/img/enrolment-sheet.png").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if _, err := os.Stat("../docs/img/enrolment-sheet.png"); err != nil {
		t.Fatal(err)
	}
}
