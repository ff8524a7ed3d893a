package http_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/deskpemilu/siaga"
)

// pageRow cuts the table row of one number (data-key) out of a TPS page.
func pageRow(t *testing.T, body, key string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr class="[^"]*" data-key="` + regexp.QuoteMeta(key) + `">.*?</tr>`).FindString(body)
	if m == "" {
		t.Fatalf("the page has no row %q", key)
	}
	return m
}

// TestTPSPageExplainsFlags: each flag stands next to the number it is
// about, spelt out with the form's own numbers, in the column of the
// source that broke it.
func TestTPSPageExplainsFlags(t *testing.T) {
	n := newNode(t)
	tps := n.Regions.TPSOf("3601")[0]
	f := ppwpForm(tps.DPT, [3]int{100, 50, 20}, 3)
	f.Admin["suara_sah"] = 169 // the tickets add up to 170: R1; and 169 + 3 is not the 173 used: R2
	rc := submit(t, n, tps.Code, siaga.SourceKPPS, f)
	if !cmp.Equal(rc.Rules, []string{"R1", "R2"}) {
		t.Fatalf("the form was flagged %v, want R1 and R2", rc.Rules)
	}
	submit(t, n, tps.Code, siaga.SourceSaksi, ppwpForm(tps.DPT, [3]int{100, 50, 20}, 3))
	_, body := get(t, n.Handler, "/tps/"+tps.Code)

	tests := []struct {
		key, want string
	}{
		{"suara_sah", "Suara sah 169, tetapi jumlah suara paslon 170"},
		{"suara_sah", "valid votes 169, but the tickets&#39; votes add up to 170"},
		{"suara_total", "Suara sah 169 &#43; suara tidak sah 3 = 172, tetapi jumlah suara 173"},
	}
	for _, tt := range tests {
		row := pageRow(t, body, tt.key)
		if !strings.Contains(row, tt.want) {
			t.Errorf("row %s lacks %q:\n%s", tt.key, tt.want, row)
		}
	}
	// The KPPS cell of suara_sah carries R1 and differs from nothing (KPPS
	// counts); the witness's 170 is the one highlighted.
	cells := regexp.MustCompile(`<td class="n[^"]*">[^<]*`).FindAllString(pageRow(t, body, "suara_sah"), -1)
	if len(cells) != 2 || !strings.Contains(cells[1], "cell-differs") || strings.Contains(cells[0], "cell-differs") {
		t.Errorf("suara_sah cells %q: want KPPS's plain and the witness's highlighted", cells)
	}
	if !regexp.MustCompile(`169 <span class="rule"[^>]*>R1</span>`).MatchString(pageRow(t, body, "suara_sah")) {
		t.Errorf("R1 is not beside KPPS's 169: %s", pageRow(t, body, "suara_sah"))
	}
	if strings.Contains(pageRow(t, body, "suara_tidak_sah"), `class="rule"`) {
		t.Error("a flag landed on suara tidak sah, which no rule here is about")
	}
}

// TestTPSExport: the TPS page's table as CSV and as XLSX, the same rows,
// numbers as numbers, the counting source named.
func TestTPSExport(t *testing.T) {
	w := newNight(t)
	res, body := get(t, w.n.Handler, "/tps/"+w.tpsA.Code+"/tabel.csv")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "tps-"+w.tpsA.Code+".csv") {
		t.Fatalf("CSV: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHead := []string{"kontes", "bagian", "isian", "KPPS (dihitung)", "Saksi", "PTPS", "Sirekap", "berbeda", "aturan"}
	if diff := cmp.Diff(wantHead, rows[0]); diff != "" {
		t.Errorf("CSV header (-want +got):\n%s", diff)
	}
	find := func(rows [][]string, label string) []string {
		for _, r := range rows {
			if len(r) > 2 && r[2] == label {
				return r
			}
		}
		t.Fatalf("no row %q", label)
		return nil
	}
	if diff := cmp.Diff([]string{"ppwp", "votes", "01 Anies–Muhaimin", "100", "90", "", "", "ya", ""}, find(rows, "01 Anies–Muhaimin")); diff != "" {
		t.Errorf("row 01 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ppwp", "totals", "Suara sah", "170", "170", "", "", "", ""}, find(rows, "Suara sah")); diff != "" {
		t.Errorf("row suara sah (-want +got):\n%s", diff)
	}

	res, body = get(t, w.n.Handler, "/tps/"+w.tpsA.Code+"/tabel.xlsx")
	if res.StatusCode != 200 {
		t.Fatalf("XLSX: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	// GetRows drops the empty cells at the end of a row; the CSV keeps them.
	for i := range rows {
		rows[i] = trimRight(rows[i])
	}
	if diff := cmp.Diff(rows, sheet); diff != "" {
		t.Errorf("XLSX differs from CSV (-csv +xlsx):\n%s", diff)
	}
	// A number cell has no type attribute (or "n"); text is a string cell.
	if typ, _ := x.GetCellType(x.GetSheetName(0), "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("a vote count is stored as %v, want a number", typ)
	}
	if typ, _ := x.GetCellType(x.GetSheetName(0), "C2"); typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
		t.Errorf("a label is stored as %v, want text", typ)
	}

	if res, _ := get(t, w.n.Handler, "/tps/3601999999999/tabel.csv"); res.StatusCode != 404 {
		t.Errorf("CSV of an unknown TPS: %d, want 404", res.StatusCode)
	}
}

func trimRight(r []string) []string {
	for len(r) > 0 && r[len(r)-1] == "" {
		r = r[:len(r)-1]
	}
	return r
}

// TestTPSPublicAnswersHoldNoStaffData: the TPS page, its export and the
// search say nothing of who sent or corrected a form.
func TestTPSPublicAnswersHoldNoStaffData(t *testing.T) {
	w := newStaffNight(t)
	for _, p := range []string{"/tps/" + w.tps.Code, "/tps/" + w.tps.Code + "/tabel.csv", "/cari?q=s",
		"/api/v1/search?q=" + w.tps.Code} {
		status, body := fetch(t, nil, w.url, p, "")
		if status != 200 {
			t.Errorf("GET %s: %d", p, status)
		}
		for _, secret := range w.secrets {
			if strings.Contains(body, secret) {
				t.Errorf("GET %s shows %q to the public", p, secret)
			}
		}
	}
}
