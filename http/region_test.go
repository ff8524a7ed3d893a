package http_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// submitContest stores f as the count of contest c at tps.
func submitContest(t *testing.T, n *node.Node, tps string, c siaga.Contest, f siaga.Form) {
	t.Helper()
	sub := &siaga.Submission{Contest: c, Form: f, ID: uuid.NewString(), Source: siaga.SourceKPPS, TPS: tps}
	flags, err := n.Rules.Inspect(sub)
	if err != nil {
		t.Fatalf("validate %s: %v", tps, err)
	}
	canonical, form := sub.Canonical()
	if _, _, err := n.Results.SubmitEncoded(context.Background(), sub, canonical, form, "test", flags); err != nil {
		t.Fatalf("submit %s %s: %v", tps, c, err)
	}
}

// partyForm is a legislative count of party-only votes.
func partyForm(dpt int, votes map[string]int) siaga.Form {
	sah := 0
	parties := map[string]siaga.PartyVotes{}
	for k, v := range votes {
		sah += v
		parties[k] = siaga.PartyVotes{Party: v}
	}
	return siaga.Form{
		Admin: siaga.Admin{"pemilih_dpt_j": dpt, "pengguna_dpt_j": sah, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0,
			"pengguna_total_j": sah, "suara_sah": sah, "suara_tidak_sah": 0, "suara_total": sah},
		Votes: &siaga.Votes{Parties: parties},
	}
}

// table fetches a CSV download and parses it.
func csvTable(t *testing.T, h http.Handler, url string) [][]string {
	t.Helper()
	res, body := get(t, h, url)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET %s: %d %s\n%.300s", url, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return recs
}

func column(t *testing.T, recs [][]string, name string) int {
	t.Helper()
	for i, h := range recs[0] {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %q", name, recs[0])
	return -1
}

func rowOf(recs [][]string, key string) []string {
	for _, r := range recs[1:] {
		if r[0] == key {
			return r
		}
	}
	return nil
}

// TestRegionExports: every table of the region pages downloads complete,
// with the numbers the page shows, as CSV and as XLSX with numbers as
// numbers.
func TestRegionExports(t *testing.T) {
	w := newNight(t)
	h := w.n.Handler
	kec := siaga.ParentCode(w.tpsA.Desa)

	t.Run("results per child region", func(t *testing.T) {
		recs := csvTable(t, h, "/wilayah/3601/hasil.csv?kontes=ppwp")
		if got, want := len(recs)-1, len(w.n.Regions.Children("3601")); got != want {
			t.Errorf("%d rows, want every kecamatan (%d)", got, want)
		}
		row := rowOf(recs, kec)
		want := map[string]string{"TPS melapor": "1", "Suara sah": "170", "Suara tidak sah": "3", "Pengguna hak pilih": "173",
			"DPT TPS terhitung": strconv.Itoa(w.tpsA.DPT), "01 Anies–Muhaimin": "100", "02 Prabowo–Gibran": "50",
			"Selisih pengguna − (sah + tidak sah)": "0",
			"Partisipasi (%)":                      strconv.FormatFloat(math.Round(173*1000/float64(w.tpsA.DPT))/10, 'f', -1, 64)}
		for col, v := range want {
			if got := row[column(t, recs, col)]; got != v {
				t.Errorf("%s %s = %q, want %q", kec, col, got, v)
			}
		}
	})
	t.Run("every TPS of a kab/kota", func(t *testing.T) {
		recs := csvTable(t, h, "/wilayah/3601/tps.csv")
		if got, want := len(recs)-1, len(w.n.Regions.TPSOf("3601")); got != want {
			t.Errorf("%d rows, want every TPS of Pandeglang (%d)", got, want)
		}
		row := rowOf(recs, w.tpsA.Code)
		if row == nil || row[column(t, recs, "01 Anies–Muhaimin")] != "100" || row[column(t, recs, "Status")] != "terhitung / counted" ||
			row[column(t, recs, "Tanda aturan")] != "R11" {
			t.Errorf("TPS A row = %q", row)
		}
		other := rowOf(recs, w.n.Regions.TPSOf("3601")[5].Code)
		if other[column(t, recs, "Status")] != "belum ada yang masuk / nothing received" {
			t.Errorf("a silent TPS: %q", other)
		}
	})
	t.Run("xlsx has the csv's cells and numbers as numbers", func(t *testing.T) {
		recs := csvTable(t, h, "/wilayah/"+kec+"/tps.csv")
		res, body := get(t, h, "/wilayah/"+kec+"/tps.xlsx")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("xlsx: %d", res.StatusCode)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheet := f.GetSheetName(0)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(trimRows(recs), trimRows(rows)); diff != "" {
			t.Errorf("xlsx vs csv (-csv +xlsx):\n%s", diff)
		}
		for col, name := range map[int]string{column(t, recs, "DPT"): "DPT", column(t, recs, "01 Anies–Muhaimin"): "votes"} {
			cell, _ := excelize.CoordinatesToCellName(col+1, 2)
			if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s cell %s has type %v, want a number", name, cell, typ)
			}
		}
	})
	for _, tt := range []struct{ url, why string }{
		{"/wilayah/36/tps.csv", "a province's TPS: one download per kab/kota"},
		{"/wilayah/3601/dapil.csv?kontes=ppwp", "no dapil for the president"},
		{"/wilayah/99/hasil.csv", "no such region"},
	} {
		t.Run(tt.why, func(t *testing.T) {
			if res, _ := get(t, h, tt.url); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", tt.url, res.StatusCode)
			}
		})
	}
	t.Run("page links its downloads", func(t *testing.T) {
		_, body := get(t, h, "/wilayah/3601?kontes=ppwp")
		mustContain(t, "kab/kota page", body, `href="/wilayah/3601/hasil.csv?kontes=ppwp"`, `href="/wilayah/3601/hasil.xlsx?kontes=ppwp"`,
			`href="/wilayah/3601/tps.xlsx?kontes=ppwp"`, "Unduh")
	})
}

// TestTurnout: the page's partisipasi is voters over the voter list of the
// counted TPS, and a gap between voters and ballots is shown and explained.
func TestTurnout(t *testing.T) {
	w := newNight(t)
	_, body := get(t, w.n.Handler, "/wilayah/"+w.tpsA.Desa)
	turnout := strings.Replace(strconv.FormatFloat(173*100/float64(w.tpsA.DPT), 'f', 1, 64), ".", ",", 1) + "%"
	mustContain(t, "desa page", body, `<dd data-k="turnout">`+turnout+`</dd>`, "Partisipasi")
	if !strings.Contains(body, `id="gap" data-gap="0" hidden`) {
		t.Error("a desa whose voters equal its ballots shows a gap")
	}

	// Five more voters than ballots at another TPS of the desa.
	tps := w.n.Regions.TPSOf(w.tpsA.Desa)[1]
	f := ppwpForm(tps.DPT, [3]int{10, 10, 10}, 0)
	f.Admin["pengguna_total_j"] += 5
	f.Admin["pengguna_dpt_j"] += 5
	submit(t, w.n, tps.Code, siaga.SourceKPPS, f)
	_, body = get(t, w.n.Handler, "/wilayah/"+w.tpsA.Desa)
	mustContain(t, "desa page with a gap", body, `id="gap" data-gap="5"`, `<span data-k="gap">5</span>`,
		"mengambil surat suara tetapi tidak memasukkannya", "took a ballot but did not cast it", "R2 dan R5", "Δ 5")
}

// TestDapilProjection: a legislative tab shows its dapil with votes per
// party in the party's colour and a Sainte-Laguë projection labelled as
// one; a party below the DPR threshold gets no seat.
func TestDapilProjection(t *testing.T) {
	w := newNight(t)
	pdip, gerindra, pkb, buruh := "3", "2", "1", "6"
	tps := w.n.Regions.TPSOf("3601")[0]
	submitContest(t, w.n, tps.Code, siaga.DPR, partyForm(tps.DPT, map[string]int{pdip: 600, gerindra: 300, pkb: 100, buruh: 10}))

	_, body := get(t, w.n.Handler, "/wilayah/3601?kontes=dpr")
	mustContain(t, "DPR tab", body, "Proyeksi kursi, bukan hasil resmi", "BANTEN I", "6 kursi", "Sainte-Laguë",
		`<span class="swatch" style="background: #E2231A"></span>PDIP`, "Ambang batas 4,0%", "Warna partai")
	if strings.Contains(body, "BANTEN II") {
		t.Error("Pandeglang's DPR tab shows BANTEN II, which does not cover it")
	}
	recs := csvTable(t, w.n.Handler, "/wilayah/3601/dapil.csv?kontes=dpr")
	seats := map[string]string{}
	for _, r := range recs[1:] {
		if r[0] == "BANTEN I" {
			seats[r[column(t, recs, "Partai")]] = r[column(t, recs, "Proyeksi kursi (bukan hasil resmi)")] + " " + r[column(t, recs, "Lolos ambang batas")]
		}
	}
	want := map[string]string{"PDIP": "3 ya / yes", "Gerindra": "2 ya / yes", "PKB": "1 ya / yes", "Buruh": "0 tidak / no"}
	for p, v := range want {
		if seats[p] != v {
			t.Errorf("%s: %q, want %q", p, seats[p], v)
		}
	}

	// DPRD has no threshold: Buruh's 10 votes take part there.
	submitContest(t, w.n, tps.Code, siaga.DPRDProv, partyForm(tps.DPT, map[string]int{pdip: 600, buruh: 10}))
	_, body = get(t, w.n.Handler, "/wilayah/3601?kontes=dprd_prov")
	mustContain(t, "DPRD Provinsi tab", body, "Tanpa ambang batas (DPRD)")
	recs = csvTable(t, w.n.Handler, "/wilayah/3601/dapil.csv?kontes=dprd_prov")
	for _, r := range recs[1:] {
		if r[column(t, recs, "Partai")] == "Buruh" && r[column(t, recs, "Lolos ambang batas")] != "ya / yes" {
			t.Errorf("DPRD: Buruh %q, want it in the allocation", r)
		}
	}
}

// trimRows drops the empty cells at the end of each row, which spreadsheet
// readers leave out.
func trimRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		n := len(r)
		for n > 0 && r[n-1] == "" {
			n--
		}
		out[i] = r[:n]
	}
	return out
}
