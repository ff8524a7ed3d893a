package registry_test

import (
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/registry"
	"github.com/google/go-cmp/cmp"
)

func codes[T any](xs []T, code func(T) string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, code(x))
	}
	return out
}

func regionCode(r siaga.Region) string { return r.Code }

func TestIndex(t *testing.T) {
	reg := load(t, "36", 1)
	x := registry.NewIndex(reg)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"Region name", name(x.Region("3601")), "Kabupaten Pandeglang"},
		{"Region unknown", name(x.Region("3699")), ""},
		{"Region of a placeholder", name(x.Region("3602162018")), "Desa/kelurahan 3602162018 (tanpa nama di data wilayah)"},
		{"Provinces", codes(x.Provinces(), regionCode), []string{"36"}},
		{"Children of province", codes(x.Children("36"), regionCode),
			[]string{"3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674"}},
		{"Children of kecamatan", len(x.Children("360101")), 7},
		{"Children of desa", len(x.Children("3601012001")), 0},
		{"Children unknown", len(x.Children("37")), 0},
		{"TPS", x.TPSOf("3601012001")[0].Code, "3601012001001"},
		{"TPS found", found(x.TPS("3601012001001")), true},
		{"TPS beyond the desa", found(x.TPS("3601012001099")), false},
		{"TPS of unknown desa", found(x.TPS("3699012001001")), false},
		{"TPS bad length", found(x.TPS("36010120010")), false},
		{"TPSOf kab/kota", len(x.TPSOf("3672")), 1253},
		{"TPSOf unknown", len(x.TPSOf("3699")), 0},
		{"Path of TPS", codes(x.Path("3601012001001"), regionCode), []string{"36", "3601", "360101", "3601012001"}},
		{"Path of kab/kota", codes(x.Path("3674"), regionCode), []string{"36", "3674"}},
		{"Path unknown", len(x.Path("3601012001999")), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, tt.got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func name(r siaga.Region, ok bool) string { return r.Name }

func found(_ siaga.TPS, ok bool) bool { return ok }

func TestIndexSharesTheRegistry(t *testing.T) {
	reg := load(t, "36", 1)
	x := registry.NewIndex(reg)
	in := x.TPSOf("3601")
	if &in[0] != &reg.TPS[0] {
		t.Error("TPSOf copied the TPS instead of slicing the registry")
	}
	for _, r := range reg.Regions {
		if n := len(x.TPSOf(r.Code)); n != r.TPSCount {
			t.Fatalf("%s: TPSOf has %d TPS, TPSCount %d", r.Code, n, r.TPSCount)
		}
	}
}

func TestIndexSortsUnsortedTPS(t *testing.T) {
	reg := &siaga.Registry{
		Regions: []siaga.Region{{Code: "36", Level: siaga.LevelProvince}, {Code: "3601", Parent: "36", Level: siaga.LevelKabKota}},
		TPS:     []siaga.TPS{{Code: "3601012001002"}, {Code: "3601012001001"}},
	}
	x := registry.NewIndex(reg)
	if d := cmp.Diff([]string{"3601012001001", "3601012001002"}, codes(x.TPSOf("36"), func(t siaga.TPS) string { return t.Code })); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func BenchmarkIndex(b *testing.B) {
	reg := load(b, registry.All, 1)
	b.Run("NewIndex", func(b *testing.B) {
		for b.Loop() {
			registry.NewIndex(reg)
		}
	})
	x := registry.NewIndex(reg)
	b.Run("TPS", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, ok := x.TPS(reg.TPS[i%len(reg.TPS)].Code); !ok {
				b.Fatal("missing TPS")
			}
		}
	})
}
