package registry_test

import (
	"errors"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/registry"
	"github.com/google/go-cmp/cmp"
)

func load(tb testing.TB, province string, seed int64) *siaga.Registry {
	tb.Helper()
	reg, err := registry.Load(province, seed)
	if err != nil {
		tb.Fatalf("Load(%q, %d): %v", province, seed, err)
	}
	return reg
}

func TestLoadBantenMatchesOfficialFigures(t *testing.T) {
	reg := load(t, "36", 1)
	x := registry.NewIndex(reg)
	official, err := registry.BantenOfficial()
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.TPS) != 33_324 {
		t.Errorf("Banten has %d TPS, want 33,324", len(reg.TPS))
	}
	type fig struct{ DPT, TPS int }
	want, got := map[string]fig{}, map[string]fig{}
	for _, o := range official {
		want[o.Code] = fig{o.DPT, o.TPS}
	}
	for _, k := range x.Children("36") {
		got[k.Code] = fig{k.DPT, k.TPSCount}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("kab/kota figures differ from KPU's (-want +got):\n%s", d)
	}
	p, _ := x.Region("36")
	if p.TPSCount != 33_324 || p.DPT != 8_842_646 {
		t.Errorf("province totals = %d TPS, %d DPT; want 33,324 and 8,842,646", p.TPSCount, p.DPT)
	}
}

func TestLoadTPS(t *testing.T) {
	reg := load(t, "36", 1)
	blank := map[string]int{}
	weak := 0
	for i, tp := range reg.TPS {
		if i > 0 && reg.TPS[i-1].Code >= tp.Code {
			t.Fatalf("TPS not sorted at %d: %s after %s", i, tp.Code, reg.TPS[i-1].Code)
		}
		switch {
		case tp.DPT < 1 || tp.DPT > registry.MaxDPT:
			t.Errorf("%s: DPT %d outside 1..300", tp.Code, tp.DPT)
		case tp.Special && tp.DPT > 150:
			t.Errorf("special %s: DPT %d, want a small one", tp.Code, tp.DPT)
		case tp.DPTImported:
			t.Errorf("%s: DPTImported on generated DPT", tp.Code)
		case tp.Special != (tp.Number >= 901):
			t.Errorf("%s: number %d special %v", tp.Code, tp.Number, tp.Special)
		case tp.Code[:10] != tp.Desa:
			t.Errorf("%s: desa %s", tp.Code, tp.Desa)
		case tp.Lat < -7.2 || tp.Lat > -5.7 || tp.Lon < 105.0 || tp.Lon > 106.9:
			t.Errorf("%s: (%v, %v) is outside Banten", tp.Code, tp.Lat, tp.Lon)
		}
		switch tp.Connectivity {
		case siaga.BlankSpot:
			blank[tp.Code[:4]]++
		case siaga.SignalWeak:
			weak++
		case siaga.SignalGood:
		default:
			t.Errorf("%s: connectivity %q", tp.Code, tp.Connectivity)
		}
	}
	if d := cmp.Diff(registry.BlankSpots(), blank); d != "" {
		t.Errorf("blank spots per kab/kota (-want +got):\n%s", d)
	}
	// Blank spots come in whole desa where they fit: at most one desa per
	// kecamatan is partly blank, to make its share exact; and they lie in
	// as many kecamatan as the reports say.
	partial := map[string]int{}
	kecamatan := map[string]map[string]bool{}
	x := registry.NewIndex(reg)
	for _, r := range reg.Regions {
		n := 0
		for _, tp := range x.TPSOf(r.Code) {
			if tp.Connectivity == siaga.BlankSpot {
				n++
			}
		}
		if r.Level == siaga.LevelDesa && n > 0 && n < r.TPSCount {
			partial[r.Code[:6]]++
		}
		if r.Level == siaga.LevelKecamatan && n > 0 {
			if kecamatan[r.Code[:4]] == nil {
				kecamatan[r.Code[:4]] = map[string]bool{}
			}
			kecamatan[r.Code[:4]][r.Name] = true
		}
	}
	for kec, n := range partial {
		if n > 1 {
			t.Errorf("%s: %d desa partly blank, want at most 1", kec, n)
		}
	}
	for kab, want := range map[string]int{"3601": 10, "3602": 28, "3604": 10} {
		if got := len(kecamatan[kab]); got != want {
			t.Errorf("%s: blank spots in %d kecamatan, want %d as reported", kab, got, want)
		}
	}
	for _, name := range []string{"Bojonegara", "Pulo Ampel"} {
		if !kecamatan["3604"][name] {
			t.Errorf("Kab. Serang: no blank spot in Kec. %s, where the 2024 boosters went", name)
		}
	}
	for _, d := range []string{"3602062001", "3604082009"} { // Desa Kanekes, Desa Pulo Panjang
		for _, tp := range x.TPSOf(d) {
			if tp.Connectivity != siaga.BlankSpot {
				t.Errorf("%s: %s, want every TPS of the desa blank as reported", tp.Code, tp.Connectivity)
			}
		}
	}
	if weak == 0 {
		t.Error("no weak TPS")
	}
}

func TestLoadNumbersTPSInOrder(t *testing.T) {
	x := registry.NewIndex(load(t, "36", 1))
	tests := []struct {
		desa string
		want []int
	}{
		{"3602162018", []int{1, 2, 3, 4, 5, 6, 7}},
		{"3602282009", nil},
	}
	for _, tt := range tests {
		t.Run(tt.desa, func(t *testing.T) {
			var got []int
			for _, tp := range x.TPSOf(tt.desa) {
				got = append(got, tp.Number)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("TPS numbers (-want +got):\n%s", d)
			}
		})
	}
}

func TestLoadIsReproducible(t *testing.T) {
	a, b, c := load(t, "36", 7), load(t, "36", 7), load(t, "36", 8)
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("same seed, different registry:\n%s", d)
	}
	same := 0
	for i := range a.TPS {
		if a.TPS[i] == c.TPS[i] {
			same++
		}
	}
	if same > len(a.TPS)/2 {
		t.Errorf("seeds 7 and 8 agree on %d of %d TPS", same, len(a.TPS))
	}
}

func TestLoadAll(t *testing.T) {
	if testing.Short() {
		t.Skip("loads all of Indonesia")
	}
	all := load(t, registry.All, 3)
	if len(all.TPS) != registry.NationalTPS {
		t.Errorf("%d TPS, want %d", len(all.TPS), registry.NationalTPS)
	}
	dpt := 0
	for _, tp := range all.TPS {
		dpt += tp.DPT
		if tp.DPT < 1 || tp.DPT > registry.MaxDPT {
			t.Fatalf("%s: DPT %d", tp.Code, tp.DPT)
		}
	}
	if dpt != registry.NationalDPT {
		t.Errorf("national DPT %d, want %d", dpt, registry.NationalDPT)
	}
	x := registry.NewIndex(all)
	if n := len(x.Provinces()); n != 38 {
		t.Errorf("%d provinces, want 38", n)
	}
	// A province must not depend on what else was loaded.
	banten := load(t, "36", 3)
	if d := cmp.Diff(banten.TPS, x.TPSOf("36")); d != "" {
		t.Errorf("Banten differs when loaded with all Indonesia:\n%s", d)
	}
	for _, p := range x.Provinces() {
		sum := 0
		for _, k := range x.Children(p.Code) {
			sum += k.TPSCount
		}
		if sum != p.TPSCount || len(x.TPSOf(p.Code)) != p.TPSCount {
			t.Errorf("%s: TPSCount %d, children sum %d, TPSOf %d", p.Code, p.TPSCount, sum, len(x.TPSOf(p.Code)))
		}
	}
}

func TestMismatches(t *testing.T) {
	got, err := registry.Mismatches("36")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"3602162018 " + registry.TPSWithoutRegion, "3602282009 " + registry.RegionWithoutTPS}
	var gotKinds []string
	for _, m := range got {
		gotKinds = append(gotKinds, m.Code+" "+m.Kind)
	}
	if d := cmp.Diff(want, gotKinds); d != "" {
		t.Errorf("Banten mismatches (-want +got):\n%s", d)
	}
	all, err := registry.Mismatches(registry.All)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, m := range all {
		count[m.Kind]++
	}
	// 513 desa and 24 of their kecamatan are only in the TPS list; 544 desa
	// only in the wilayah data.
	wantCount := map[string]int{registry.TPSWithoutRegion: 537, registry.RegionWithoutTPS: 544}
	if d := cmp.Diff(wantCount, count); d != "" {
		t.Errorf("national mismatches (-want +got):\n%s", d)
	}
}

func TestLoadRejectsBadProvince(t *testing.T) {
	tests := []struct {
		province, code string
	}{
		{"", siaga.EInvalid},
		{"3", siaga.EInvalid},
		{"3601", siaga.EInvalid},
		{"ab", siaga.EInvalid},
		{"99", siaga.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.province, func(t *testing.T) {
			_, err := registry.Load(tt.province, 1)
			var e *siaga.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Field != "province" {
				t.Errorf("Load(%q) = %v, want a %s error on field province", tt.province, err, tt.code)
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, p := range []string{"36", registry.All} {
		b.Run(p, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := registry.Load(p, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
