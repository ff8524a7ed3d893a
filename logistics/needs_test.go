package logistics

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/registry"
)

func TestBallotsFor(t *testing.T) {
	// DPT + ⌈2%·DPT⌉, worked by hand: 2% of 251 is 5.02, so 6 more.
	for _, tc := range []struct{ dpt, want int }{{0, 0}, {-3, 0}, {1, 2}, {50, 51}, {99, 101}, {250, 255}, {251, 257}, {300, 306}} {
		if got := DefaultBOM().BallotsFor(tc.dpt); got != tc.want {
			t.Errorf("BallotsFor(%d) = %d, want %d", tc.dpt, got, tc.want)
		}
	}
}

// testRegistry is two kab/kota of Banten with a desa of two TPS each, and
// a TPS in DKI Jakarta; testElection gives them a dapil per contest.
func testRegistry(tb testing.TB) (*siaga.Registry, *election.Index) {
	tb.Helper()
	reg := &siaga.Registry{
		Regions: []siaga.Region{
			{Code: "31", Level: 1, Name: "DKI JAKARTA"}, {Code: "36", Level: 1, Name: "BANTEN"},
			{Code: "3171", Parent: "31", Level: 2, Name: "JAKARTA SELATAN"},
			{Code: "3601", Parent: "36", Level: 2, Name: "PANDEGLANG"}, {Code: "3602", Parent: "36", Level: 2, Name: "LEBAK"},
			{Code: "317101", Parent: "3171", Level: 3, Name: "JAGAKARSA"},
			{Code: "360101", Parent: "3601", Level: 3, Name: "SUMUR"}, {Code: "360201", Parent: "3602", Level: 3, Name: "MALINGPING"},
			{Code: "3171011001", Parent: "317101", Level: 4, Name: "CIGANJUR"},
			{Code: "3601012001", Parent: "360101", Level: 4, Name: "TAMANJAYA"},
			{Code: "3602012001", Parent: "360201", Level: 4, Name: "SUKARAJA"},
		},
		TPS: []siaga.TPS{
			{Code: "3171011001001", Desa: "3171011001", Number: 1, DPT: 100},
			{Code: "3601012001001", Desa: "3601012001", Number: 1, DPT: 250},
			{Code: "3601012001002", Desa: "3601012001", Number: 2, DPT: 251},
			{Code: "3602012001001", Desa: "3602012001", Number: 1, DPT: 50},
			{Code: "3602012001002", Desa: "3602012001", Number: 2, DPT: 1},
		},
	}
	el := &siaga.Election{Dapil: []siaga.Dapil{
		{Contest: siaga.DPR, Name: "BANTEN I", Regions: []string{"3601"}},
		{Contest: siaga.DPR, Name: "BANTEN II", Regions: []string{"3602"}},
		{Contest: siaga.DPD, Name: "BANTEN", Regions: []string{"36"}},
		{Contest: siaga.DPRDProv, Name: "BANTEN 1", Regions: []string{"36"}},
		{Contest: siaga.DPRDKab, Name: "PANDEGLANG 1", Regions: []string{"3601"}},
		{Contest: siaga.DPRDKab, Name: "LEBAK 1", Regions: []string{"3602"}},
	}}
	return reg, election.NewIndex(el)
}

func TestBOMTPS(t *testing.T) {
	reg, idx := testRegistry(t)
	bom := DefaultBOM()
	got := bom.TPS(reg.TPS[3], idx) // Lebak, DPT 50
	want := []siaga.Line{
		{Item: "surat_suara_ppwp", Qty: 51}, {Item: "surat_suara_dpr", Dapil: "BANTEN II", Qty: 51},
		{Item: "surat_suara_dpd", Dapil: "BANTEN", Qty: 51}, {Item: "surat_suara_dprd_prov", Dapil: "BANTEN 1", Qty: 51},
		{Item: "surat_suara_dprd_kab", Dapil: "LEBAK 1", Qty: 51},
		{Item: "kotak_suara", Qty: 5}, {Item: "bilik_suara", Qty: 4}, {Item: "tinta", Qty: 2},
		{Item: "segel", Qty: 114}, {Item: "segel_plastik", Qty: 30}, {Item: "salinan_dpt", Qty: 3}, {Item: "alat_tulis", Qty: 1},
		{Item: "formulir_c_hasil", Qty: 5}, {Item: "formulir_c_salinan", Qty: 100},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Lebak TPS (-want +got):\n%s", d)
	}
	if l := bom.TPS(reg.TPS[0], nil)[5]; l.Item != siaga.ItemBox || l.Qty != 4 {
		t.Errorf("a DKI TPS gets %v, want 4 ballot boxes", l)
	}
}

func TestNeedsOf(t *testing.T) {
	reg, idx := testRegistry(t)
	bom := DefaultBOM()
	fixed := func(tps int) map[siaga.Item]int {
		return map[siaga.Item]int{"kotak_suara": 5 * tps, "bilik_suara": 4 * tps, "tinta": 2 * tps, "segel": 114 * tps,
			"segel_plastik": 30 * tps, "salinan_dpt": 3 * tps, "alat_tulis": tps, "formulir_c_hasil": 5 * tps, "formulir_c_salinan": 100 * tps}
	}
	ballots := func(m map[siaga.Item]int, n int) map[siaga.Item]int {
		for _, c := range siaga.Contests {
			m[siaga.BallotItem(c)] = n
		}
		return m
	}
	for _, tc := range []struct {
		code           string
		tps, dpt       int
		items          map[siaga.Item]int
		dpr, dprdKab   map[string]int
		withoutDapilOf string
	}{
		// One TPS: DPT 251 + ⌈5.02⌉ = 257 of each contest.
		{code: "3601012001002", tps: 1, dpt: 251, items: ballots(fixed(1), 257),
			dpr: map[string]int{"BANTEN I": 257}, dprdKab: map[string]int{"PANDEGLANG 1": 257}},
		// A desa: 255 + 257 = 512 (the reserve is per TPS).
		{code: "3601012001", tps: 2, dpt: 501, items: ballots(fixed(2), 512),
			dpr: map[string]int{"BANTEN I": 512}, dprdKab: map[string]int{"PANDEGLANG 1": 512}},
		// Lebak: 51 + 2 = 53.
		{code: "3602", tps: 2, dpt: 51, items: ballots(fixed(2), 53),
			dpr: map[string]int{"BANTEN II": 53}, dprdKab: map[string]int{"LEBAK 1": 53}},
		// The province: 512 + 53 = 565, not 552 + ⌈11.04⌉ = 564.
		{code: "36", tps: 4, dpt: 552, items: ballots(fixed(4), 565),
			dpr: map[string]int{"BANTEN I": 512, "BANTEN II": 53}, dprdKab: map[string]int{"PANDEGLANG 1": 512, "LEBAK 1": 53}},
	} {
		t.Run(tc.code, func(t *testing.T) {
			n, err := NeedsOf(reg, idx, bom, tc.code)
			if err != nil {
				t.Fatal(err)
			}
			if n.TPS != tc.tps || n.DPT != tc.dpt {
				t.Errorf("TPS %d DPT %d, want %d and %d", n.TPS, n.DPT, tc.tps, tc.dpt)
			}
			if d := cmp.Diff(tc.items, n.Items); d != "" {
				t.Errorf("items (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.dpr, n.BallotsByDapil[siaga.ItemBallotDPR]); d != "" {
				t.Errorf("DPR ballots per dapil (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.dprdKab, n.BallotsByDapil[siaga.ItemBallotDPRDKab]); d != "" {
				t.Errorf("DPRD kab/kota ballots per dapil (-want +got):\n%s", d)
			}
		})
	}
	t.Run("DKI", func(t *testing.T) {
		n, err := NeedsOf(reg, idx, bom, "31")
		if err != nil {
			t.Fatal(err)
		}
		if n.Items[siaga.ItemBox] != 4 || n.Items[siaga.ItemBallotPPWP] != 102 {
			t.Errorf("DKI: %d boxes and %d PPWP ballots, want 4 and 102", n.Items[siaga.ItemBox], n.Items[siaga.ItemBallotPPWP])
		}
	})
	t.Run("errors", func(t *testing.T) {
		for code, want := range map[string]string{"3603": siaga.ENotFound, "36x": siaga.EInvalid, "3601012001009": siaga.ENotFound} {
			if _, err := NeedsOf(reg, idx, bom, code); siaga.ErrorCode(err) != want {
				t.Errorf("NeedsOf(%q): %v, want %s", code, err, want)
			}
		}
	})
}

func TestNeedsByChild(t *testing.T) {
	reg, idx := testRegistry(t)
	b, err := NeedsByChild(reg, idx, DefaultBOM(), "36")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Code, Name string
		TPS, DPR   int
	}
	rows := func(ns []Needs) []row {
		var out []row
		for _, n := range ns {
			out = append(out, row{n.Code, n.Name, n.TPS, n.Items[siaga.ItemBallotDPR]})
		}
		return out
	}
	want := []row{{"3601", "PANDEGLANG", 2, 512}, {"3602", "LEBAK", 2, 53}}
	if d := cmp.Diff(want, rows(b.Children)); d != "" {
		t.Errorf("children (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, rows(b.Warehouses)); d != "" {
		t.Errorf("warehouses (-want +got):\n%s", d)
	}
	if b.Region.TPS != 4 || b.Region.Name != "BANTEN" {
		t.Errorf("region %+v", b.Region)
	}
	desa, err := NeedsByChild(reg, idx, DefaultBOM(), "3601012001")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]row{{"3601012001001", "", 1, 255}, {"3601012001002", "", 1, 257}}, rows(desa.Children)); d != "" {
		t.Errorf("a desa's TPS (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]row{{"3601", "PANDEGLANG", 2, 512}}, rows(desa.Warehouses)); d != "" {
		t.Errorf("a desa's warehouse (-want +got):\n%s", d)
	}
}

func TestParseBOM(t *testing.T) {
	def, err := json.Marshal(DefaultBOM())
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseBOM(bytes.NewReader(def))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(DefaultBOM(), b); d != "" {
		t.Errorf("the default BOM does not read back (-want +got):\n%s", d)
	}
	f, err := os.Open("testdata/bom.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, err = ParseBOM(f); err != nil {
		t.Fatal(err)
	}
	if b.BallotsFor(100) != 103 || len(b.PerTPS) != 3 {
		t.Errorf("testdata/bom.json: %+v", b)
	}
	for _, tc := range []struct{ name, json, field string }{
		{"contest", `{"ballots":["ppwp","dprd"]}`, "ballots[1]"},
		{"contest twice", `{"ballots":["ppwp","ppwp"]}`, "ballots[1]"},
		{"reserve", `{"reserve_percent":101}`, "reserve_percent"},
		{"negative qty", `{"per_tps":[{"item":"tinta","qty":-1}]}`, "per_tps[0].qty"},
		{"huge qty", `{"per_tps":[{"item":"tinta","qty":100000000}]}`, "per_tps[0].qty"},
		{"item twice", `{"per_tps":[{"item":"tinta","qty":1}],"per_contest":[{"item":"tinta","qty":1}]}`, "per_contest[0].item"},
		{"ballot as fixed item", `{"per_tps":[{"item":"surat_suara_dpr","qty":1}]}`, "per_tps[0].item"},
		{"item code", `{"per_tps":[{"item":"Tinta!","qty":1}]}`, "per_tps[0].item"},
		{"dapil", `{"per_tps":[{"item":"tinta","dapil":"X","qty":1}]}`, "per_tps[0].dapil"},
		{"override region", `{"per_tps":[{"item":"tinta","qty":1}],"overrides":[{"region":"DKI","item":"tinta","qty":1}]}`, "overrides[0].region"},
		{"override item", `{"per_tps":[{"item":"tinta","qty":1}],"overrides":[{"region":"31","item":"kotak_suara","qty":1}]}`, "overrides[0].item"},
		{"unknown field", `{"reserve":2}`, "reserve"},
		{"type", `{"reserve_percent":"2"}`, "reserve_percent"},
		{"syntax", `{"ballots":`, ""},
		{"two objects", `{} {}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBOM(strings.NewReader(tc.json))
			var e *siaga.Error
			if !errors.As(err, &e) || e.Code != siaga.EInvalid || e.Field != tc.field {
				t.Fatalf("ParseBOM(%s) = %v, want EInvalid naming %q", tc.json, err, tc.field)
			}
			if e.Message == "" || e.MessageEN == "" || e.Message == e.MessageEN {
				t.Errorf("want a message in Bahasa Indonesia and in English: %q / %q", e.Message, e.MessageEN)
			}
		})
	}
}

func FuzzBOM(f *testing.F) {
	def, _ := json.Marshal(DefaultBOM())
	f.Add(def)
	f.Add([]byte(`{"ballots":["ppwp"],"reserve_percent":2,"per_tps":[{"item":"tinta","qty":2}],"overrides":[{"region":"31","item":"tinta","qty":1}]}`))
	f.Add([]byte(`{"per_tps":[{"item":"surat_suara_dpr","qty":1}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBOM(bytes.NewReader(data))
		if err != nil {
			if siaga.ErrorCode(err) != siaga.EInvalid {
				t.Fatalf("a bad BOM is EInvalid, got %v", err)
			}
			return
		}
		// What is accepted reads back the same and never gives a negative
		// need.
		again, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := ParseBOM(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("an accepted BOM does not read back: %v", err)
		}
		if d := cmp.Diff(b, b2, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("read back differs:\n%s", d)
		}
		for _, l := range b.TPS(siaga.TPS{Code: "3171011001001", DPT: 300}, nil) {
			if l.Qty < 0 {
				t.Fatalf("negative need %+v", l)
			}
		}
	})
}

// BenchmarkNeedsOf is what `siaga bench logistics` times: the needs of
// every Banten TPS, per kab/kota and warehouse.
func BenchmarkNeedsOf(b *testing.B) {
	reg, err := registry.Load("36", 2024)
	if err != nil {
		b.Fatal(err)
	}
	idx := election.NewIndex(election.Banten2024(reg, 2024))
	bom := DefaultBOM()
	b.ResetTimer()
	for b.Loop() {
		n, err := NeedsByChild(reg, idx, bom, "36")
		if err != nil {
			b.Fatal(err)
		}
		if n.Region.TPS != 33324 {
			b.Fatalf("%d TPS", n.Region.TPS)
		}
	}
}
