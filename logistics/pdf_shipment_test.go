package logistics_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
)

// needPoppler skips the test without pdftotext and pdfinfo (Debian's
// poppler-utils), or fails it when SIAGA_REQUIRE_E2E=1, as in CI.
func needPoppler(tb testing.TB) {
	tb.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
				tb.Fatalf("%s not installed (Debian: poppler-utils) and SIAGA_REQUIRE_E2E=1", tool)
			}
			tb.Skipf("%s not installed (Debian: poppler-utils)", tool)
		}
	}
}

// readPDF writes b to a file and returns its text (pdftotext -layout
// keeps a table's row on one line) and pdfinfo's report.
func readPDF(tb testing.TB, b []byte) (text, info string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftotext: %v\n%s", err, out)
	}
	inf, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		tb.Fatalf("pdfinfo: %v\n%s", err, inf)
	}
	return string(out), string(inf)
}

var (
	pagesRE = regexp.MustCompile(`Pages:\s+(\d+)`)
	a4RE    = regexp.MustCompile(`Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)`)
)

func febAt(day, hour int) time.Time { return time.Date(2024, 2, day, hour, 0, 0, 0, siaga.WIB) }

// tunda is Pulau Tunda's sea leg of 2024: PPK Tirtayasa to the PPS of
// Desa Wargasara, by KM Tunda Ekspress from Karangantu.
func tunda() logistics.ShipmentDoc {
	return logistics.ShipmentDoc{
		Shipment: siaga.Shipment{ID: "sh-tunda", Waybill: "SJ/3604/TIRTAYASA/0007", From: "360413", To: "3604132009",
			Lines: []siaga.Line{
				{Item: siaga.ItemBallotPPWP, Qty: 1053},
				{Item: siaga.ItemBallotDPR, Dapil: "BANTEN II", Qty: 1053},
				{Item: siaga.ItemBallotDPD, Qty: 1053},
				{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Qty: 1053},
				{Item: siaga.ItemBallotDPRDKab, Dapil: "SERANG 5", Qty: 1053},
				{Item: siaga.ItemBox, Qty: 20},
				{Item: siaga.ItemBooth, Qty: 16},
			},
			Mode: siaga.ModeBoat, Sea: &siaga.SeaRoute{Port: "Pelabuhan Karangantu", Vessel: "KM Tunda Ekspress", CrossingM: 120,
				EscortBoat: "Kapal Ditpolairud Polda Banten"},
			Escort: "Polres Serang", EscortContact: "0812-0000-0000",
			PlannedDeparture: febAt(11, 7), PlannedArrival: febAt(11, 12), Status: siaga.ShipmentPlanned, CreatedAt: febAt(4, 9)},
		From:     logistics.WaybillPlace{Code: "360413", Name: "TIRTAYASA", Within: "Kab. Serang"},
		To:       logistics.WaybillPlace{Code: "3604132009", Name: "WARGASARA", Within: "Kec. Tirtayasa, Kab. Serang"},
		Election: "Pemilu 2024",
	}
}

// TestWaybillPDF reads the waybill back as its readers would: the number,
// the leg with its sea route and escort, every line with its dapil and
// ballot colour, the signature boxes, on one A4 page; a long waybill
// runs over pages with its boxes still printed.
func TestWaybillPDF(t *testing.T) {
	needPoppler(t)
	long := tunda()
	for i := range 40 {
		long.Shipment.Lines = append(long.Shipment.Lines, siaga.Line{Item: siaga.ItemSeal, Qty: i + 1})
	}
	for _, tc := range []struct {
		name  string
		doc   logistics.ShipmentDoc
		pages string
		want  []string
	}{
		{"pulau tunda", tunda(), "1", []string{"SURAT JALAN LOGISTIK PEMILU", "SJ/3604/TIRTAYASA/0007",
			"PPK Kecamatan TIRTAYASA (360413), Kab. Serang", "PPS Desa/Kelurahan WARGASARA (3604132009)",
			"Pelabuhan Karangantu", "KM Tunda Ekspress", "± 2 jam 00 menit", "Kapal Ditpolairud Polda Banten",
			"Polres Serang · 0812-0000-0000", "11 Februari 2024 07.00 WIB",
			"Surat suara DPRD Provinsi", "BANTEN 3", "biru", "abu-abu", "kuning", "merah", "hijau", "Kotak suara", "Bilik suara",
			"Pengirim (sender)", "Pengemudi / pengawal", "Penerima (receiver)"}},
		{"long", long, "2", []string{"Segel", "Penerima (receiver)", "Jumlah seluruhnya"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := logistics.WriteWaybill(&buf, tc.doc); err != nil {
				t.Fatal(err)
			}
			text, info := readPDF(t, buf.Bytes())
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("waybill has no %q:\n%s", w, text)
				}
			}
			if m := pagesRE.FindStringSubmatch(info); m == nil || m[1] != tc.pages {
				t.Errorf("pdfinfo: want %s page(s):\n%s", tc.pages, info)
			}
			if !a4RE.MatchString(info) {
				t.Errorf("pdfinfo: not A4:\n%s", info)
			}
		})
	}
}

// TestBTTBPDF: a counted BTTB names its receiver and shows the short
// line's numbers, the follow-up and the alert; markup in a name is text
// and a script outside cp1252 is printed as dots, never breaking the
// file; without a delivery the form prints the sent quantities to fill
// in by hand.
func TestBTTBPDF(t *testing.T) {
	needPoppler(t)
	counted := tunda()
	counted.Delivery = &siaga.Delivery{ID: "d1", Shipment: "sh-tunda", Receiver: "Siti Rahmawati", ReceivedAt: febAt(11, 13),
		Lines: []siaga.DeliveryLine{
			{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Sent: 1053, Counted: 1000, Damaged: 13, WrongDapil: 0},
			{Item: siaga.ItemBox, Sent: 20, Counted: 20},
		},
		Note: "dua dus basah", Photos: []string{"ab12"}}
	counted.FollowUps = []string{"SJ/3604/TIRTAYASA/0007-S1"}
	hostile := tunda()
	hostile.Delivery = &siaga.Delivery{Receiver: "<script>alert(1)</script> Ahmad مُحَمَّد 林", ReceivedAt: febAt(11, 13),
		Lines: []siaga.DeliveryLine{{Item: siaga.ItemBox, Sent: 20, Counted: 20}}, Note: "(tanda kurung) \\ garis miring"}
	for _, tc := range []struct {
		name string
		doc  logistics.ShipmentDoc
		want []string
		not  []string
	}{
		{"short", counted, []string{"BUKTI TANDA TERIMA BARANG (BTTB)", "SJ/3604/TIRTAYASA/0007", "Siti Rahmawati",
			"11 Februari 2024 13.00 WIB", "1 foto", "dua dus basah", "SJ/3604/TIRTAYASA/0007-S1", "Ada selisih"},
			[]string{"pukul ........"}},
		{"hostile names", hostile, []string{"<script>alert(1)</script> Ahmad", "(tanda kurung) \\ garis miring"}, nil},
		{"blank form", tunda(), []string{"Dikirim", "Salah dapil", "Kurang", "Surat suara DPR RI", "1053", "Februari 2024, pukul ........"}, []string{"Ada selisih"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := logistics.WriteBTTB(&buf, tc.doc); err != nil {
				t.Fatal(err)
			}
			text, info := readPDF(t, buf.Bytes())
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("BTTB has no %q:\n%s", w, text)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(text, w) {
					t.Errorf("BTTB has %q:\n%s", w, text)
				}
			}
			if m := pagesRE.FindStringSubmatch(info); m == nil || m[1] != "1" {
				t.Errorf("pdfinfo: want 1 page:\n%s", info)
			}
		})
	}
	// The short line: sent 1053, 1000 good, 13 damaged, 0 wrong, 40 short,
	// on one row.
	var buf bytes.Buffer
	if err := logistics.WriteBTTB(&buf, counted); err != nil {
		t.Fatal(err)
	}
	text, _ := readPDF(t, buf.Bytes())
	if !regexp.MustCompile(`Surat suara DPRD Provinsi\s+BANTEN 3\s+1053\s+1000\s+13\s+0\s+40`).MatchString(text) {
		t.Errorf("no short line 1053/1000/13/0/40:\n%s", text)
	}
}

// TestBallotColours: every contest's ballots have their colour, and
// nothing else has one.
func TestBallotColours(t *testing.T) {
	want := map[siaga.Contest]string{siaga.PPWP: "abu-abu", siaga.DPR: "kuning", siaga.DPD: "merah",
		siaga.DPRDProv: "biru", siaga.DPRDKab: "hijau"}
	for _, c := range siaga.Contests {
		got, ok := logistics.BallotColour(siaga.BallotItem(c))
		if !ok || got.Name != want[c] {
			t.Errorf("%s: got %+v %v, want %s", c, got, ok, want[c])
		}
	}
	if c, ok := logistics.BallotColour(siaga.ItemBox); ok {
		t.Errorf("ballot box has colour %+v", c)
	}
}
