package site

import (
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

func banten(tb testing.TB) *geo.Regions {
	tb.Helper()
	r, err := geo.Banten()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestReadCSVSample(t *testing.T) {
	f, err := os.Open("testdata/sites.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadCSV(f, banten(t))
	if err != nil {
		t.Fatal(err)
	}
	const src = "contoh sintetis (synthetic sample)"
	want := []siaga.Site{
		{Code: "LBK-SDN-KANEKES-1", Name: "SD Negeri 1 Kanekes", Kind: "sekolah", Lat: -6.644, Lon: 106.24, Desa: "3602062001",
			Capacity: 400, Source: src + " di sekitar titik pusat desa BPS"},
		{Code: "LBK-MENARA-LEUWIDAMAR", Name: "Menara Leuwidamar", Kind: "menara", Lat: -6.63, Lon: 106.25, Desa: "3602062001",
			Intervention: "cow", RadiusM: 4000, Cost: 85_000_000, Source: src},
		{Code: "LBK-ATAP-MALINGPING", Name: "Kantor Desa Sukaraja (atap)", Kind: "atap", Lat: -6.791, Lon: 106.026, Desa: "3602012004",
			Intervention: "booster", RadiusM: 800, Cost: 12_500_000, Source: src},
		{Code: "LBK-BALAI-MUNCANG", Name: "Balai Desa Muncang", Kind: "balai", Lat: -6.541, Lon: 106.282, Desa: "3602052005",
			Intervention: "vsat", Cost: 45_000_000, Capacity: 300, Source: src},
		{Code: "SRG-MASJID-BOJONEGARA", Name: "Masjid Jami Bojonegara", Kind: "masjid", Lat: -5.977, Lon: 106.097, Desa: "3604072001",
			Capacity: 500, Source: src},
		{Code: "SRG-ATAP-MANGKUNEGARA", Name: "Kantor Desa Mangkunegara (atap)", Kind: "atap", Lat: -5.9886, Lon: 106.0797, Desa: "3604072002",
			Intervention: "booster", RadiusM: 1000, Cost: 12_500_000, Source: src},
		{Code: "PDG-KANTOR-CIGEULIS", Name: "Kantor Desa Cigeulis", Kind: "kantor_desa", Lat: -6.5858, Lon: 105.6813, Desa: "3601052009",
			Intervention: "titik", RadiusM: 300, Capacity: 250, Source: src},
		{Code: "SRG-DERMAGA-PULO-PANJANG", Name: "Dermaga Pulo Panjang", Kind: "lainnya", Lat: -5.933, Lon: 106.143, Desa: "3604082009",
			Intervention: "vsat", Cost: 45_000_000, Source: src},
		// At sea: in no desa.
		{Code: "LAUT-POSKO-PERAHU", Name: "Posko perahu di Teluk Banten", Kind: "lainnya", Lat: -5.8, Lon: 106, Source: src},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadCSV (-want +got):\n%s", diff)
	}
}

func TestReadCSVSemicolons(t *testing.T) {
	in := "\ufeffcode;name;kind;lat;lon;radius_m;intervention\nA;Menara A;menara;-6,5;106,25;1500,5;cow\n"
	got, err := ReadCSV(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []siaga.Site{{Code: "A", Name: "Menara A", Kind: "menara", Lat: -6.5, Lon: 106.25, RadiusM: 1500.5, Intervention: "cow"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadCSV (-want +got):\n%s", diff)
	}
}

func TestReadCSVErrors(t *testing.T) {
	const header = "code,name,kind,lat,lon,intervention,radius_m,cost,capacity,source\n"
	const good = "A,Sekolah A,sekolah,-6.5,106.2,,,,,\n"
	tests := []struct {
		name string
		in   string
		want []string // in the Indonesian and English messages, in order
	}{
		{"empty", "", []string{"baris 1 harus judul", "row 1 must be the header"}},
		{"no header", "A,Sekolah A,sekolah,-6.5,106.2\n", []string{"baris 1, kolom 1: kolom \"A\" tidak dikenal", "row 1, column 1: unknown column \"A\""}},
		{"missing column", "code,name,kind,lat\n", []string{"baris 1: kolom lon wajib ada", "row 1: column lon is required"}},
		{"column twice", "code,name,kind,lat,lon,lat\n", []string{"baris 1: kolom lat muncul dua kali", "row 1: column lat appears twice"}},
		{"latitude outside Indonesia", header + good + "B,Sekolah B,sekolah,12.5,106.2,,,,,\n",
			[]string{"baris 3, kolom lat: 12.5 di luar batas -11 sampai 6.5", "row 3, column lat: 12.5 is outside -11 to 6.5"}},
		{"longitude outside Indonesia", header + "B,Sekolah B,sekolah,-6.5,16.2,,,,,\n",
			[]string{"baris 2, kolom lon: 16.2 di luar batas", "row 2, column lon: 16.2 is outside"}},
		{"not a number", header + "B,Sekolah B,sekolah,-6.5,NaN,,,,,\n", []string{"baris 2, kolom lon: \"NaN\" bukan angka", "row 2, column lon: \"NaN\" is not a number"}},
		{"unknown kind", header + "B,Gudang,gudang,-6.5,106.2,,,,,\n", []string{"baris 2, kolom kind: \"gudang\" tidak dikenal", "row 2, column kind: unknown \"gudang\""}},
		{"unknown intervention", header + "B,Menara,menara,-6.5,106.2,wifi,100,,,\n", []string{"baris 2, kolom intervention", "row 2, column intervention: unknown \"wifi\""}},
		{"booster without radius", header + "B,Atap,atap,-6.5,106.2,booster,,100,,\n", []string{"baris 2, kolom radius_m: booster perlu jangkauan", "row 2, column radius_m: a booster needs a radius"}},
		{"radius without intervention", header + "B,Atap,atap,-6.5,106.2,,500,,,\n", []string{"baris 2, kolom radius_m", "row 2, column radius_m: a radius is only"}},
		{"cost with dots", header + "B,Atap,atap,-6.5,106.2,booster,500,12.500.000,,\n", []string{"baris 2, kolom cost: \"12.500.000\" bukan bilangan bulat", "row 2, column cost: \"12.500.000\" is not a whole number"}},
		{"negative capacity", header + "B,Sekolah,sekolah,-6.5,106.2,,,,-3,\n", []string{"baris 2, kolom capacity", "row 2, column capacity"}},
		{"missing name", header + "B,,sekolah,-6.5,106.2,,,,,\n", []string{"baris 2, kolom name: wajib diisi", "row 2, column name: is required"}},
		{"code twice", header + good + good, []string{"baris 3, kolom code: kode \"A\" sudah ada di baris 2", "row 3, column code: code \"A\" is already on row 2"}},
		{"short row", header + "B,Sekolah,sekolah\n", []string{"baris 2: CSV tidak sah", "row 2: invalid CSV"}},
		{"several bad rows", header + "B,,sekolah,-6.5,106.2,,,,,\n" + good + "C,Sekolah,sekolah,-6.5,200,,,,,\n",
			[]string{"baris 2, kolom name", "baris 4, kolom lon", "row 2, column name", "row 4, column lon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in), nil)
			if err == nil {
				t.Fatalf("no error; read %+v", got)
			}
			if got != nil {
				t.Errorf("read %d sites along with the error", len(got))
			}
			if siaga.ErrorCode(err) != siaga.EInvalid {
				t.Errorf("code %q, want %q", siaga.ErrorCode(err), siaga.EInvalid)
			}
			var e *siaga.Error
			if !errors.As(err, &e) {
				t.Fatalf("%v is not a *siaga.Error", err)
			}
			id, en := e.Message, e.MessageEN
			for _, w := range tt.want {
				if !strings.Contains(id, w) && !strings.Contains(en, w) {
					t.Errorf("%q not in\n%s\n%s", w, id, en)
				}
			}
		})
	}
}

// FuzzReadCSV checks that no file makes the reader panic, and that what
// it accepts holds only sites that pass its own checks.
func FuzzReadCSV(f *testing.F) {
	sample, err := os.ReadFile("testdata/sites.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(sample))
	f.Add("code;name;kind;lat;lon\nA;B;masjid;-6,5;106\n")
	f.Add("code,name,kind,lat,lon,cost\n\"A\nB\",x,balai,0,100,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		ss, err := ReadCSV(strings.NewReader(in), nil)
		if err != nil {
			return
		}
		codes := map[string]bool{}
		for _, s := range ss {
			if s.Code == "" || s.Name == "" || codes[s.Code] || !slices.Contains(siaga.SiteKinds, s.Kind) ||
				s.Lat < minLat || s.Lat > maxLat || s.Lon < minLon || s.Lon > maxLon || s.RadiusM < 0 || s.Cost < 0 ||
				(s.Intervention != "" && !slices.Contains(Interventions, s.Intervention)) {
				t.Fatalf("accepted a bad site %+v", s)
			}
			codes[s.Code] = true
		}
	})
}

// A site drawn on the planning page is read by the file's rules, its
// errors naming the field rather than a row.
func TestFromFields(t *testing.T) {
	good := map[string]string{"code": "PETA-1", "name": "Menara dekat TPS 3", "kind": "menara", "lat": "-6.61",
		"lon": "106.2", "intervention": "cow", "radius_m": "3000", "cost": "90000000"}
	s, err := FromFields(good, banten(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Intervention != "cow" || s.RadiusM != 3000 || s.Cost != 90_000_000 || s.Desa == "" {
		t.Errorf("site %+v: want a COW of 3 km at Rp 90 million inside a desa", s)
	}
	for field, bad := range map[string]string{"lat": "-20", "kind": "gudang", "radius_m": ""} {
		t.Run(field, func(t *testing.T) {
			v := maps.Clone(good)
			v[field] = bad
			_, err := FromFields(v, banten(t))
			var e *siaga.Error
			if !errors.As(err, &e) || e.Field != field || !strings.HasPrefix(e.Message, "kolom "+field) || !strings.HasPrefix(e.MessageEN, "field "+field) {
				t.Errorf("%s=%q: %v, want an error naming the field", field, bad, err)
			}
		})
	}
}
