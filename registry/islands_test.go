package registry

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestIslands(t *testing.T) {
	islands, err := Islands()
	if err != nil {
		t.Fatal(err)
	}
	if len(islands) != 17373 {
		t.Errorf("%d islands, want the list's 17,373", len(islands))
	}
	byName := map[string]Island{}
	var onDesa []string
	for _, isl := range islands {
		if strings.HasPrefix(isl.Regency, "36") {
			byName[isl.Name] = isl
		}
		if isl.Desa != "" {
			onDesa = append(onDesa, isl.Name+" "+isl.Desa)
		}
	}
	approx := cmpopts.EquateApprox(0, 1e-4)
	for _, want := range []Island{
		// 05°48'44.97" S 106°16'47.58" E; Desa Wargasara, Kec. Tirtayasa
		// (36.04.13.2009 in the wilayah codes).
		{Code: "360440009", Regency: "3604", Name: "Pulau Tunda", Lat: -5.812492, Lon: 106.279883, Populated: true, Desa: "3604132009"},
		// Desa Pulo Panjang, Kec. Pulo Ampel.
		{Code: "360440016", Regency: "3604", Name: "Pulau Panjang", Lat: -5.931103, Lon: 106.153217, Populated: true, Desa: "3604082009"},
		// Uninhabited and 1.5 km off Kec. Pulo Ampel's coast: no desa.
		{Code: "360440017", Regency: "3604", Name: "Pulau Salira", Lat: -5.879475, Lon: 106.060817},
		{Code: "360140013", Regency: "3601", Name: "Pulau Deli", Lat: -7.006378, Lon: 105.545161, Outermost: true},
	} {
		if diff := cmp.Diff(want, byName[want.Name], approx); diff != "" {
			t.Errorf("%s (-want +got):\n%s", want.Name, diff)
		}
	}
	// Only the two inhabited islands of Banten with their own desa.
	if diff := cmp.Diff([]string{"Pulau Tunda 3604132009", "Pulau Panjang 3604082009"}, onDesa); diff != "" {
		t.Errorf("islands with a desa (-want +got):\n%s", diff)
	}
}

func TestParseDMS(t *testing.T) {
	for _, tt := range []struct {
		in       string
		lat, lon float64
		ok       bool
	}{
		{`05°48'44.97" S 106°16'47.58" E`, -5.812492, 106.279883, true},
		{`03°19'03.44" N 097°07'41.73" E`, 3.317622, 97.128258, true},
		{`03°19' N 097°07' E`, 0, 0, false},
		{``, 0, 0, false},
	} {
		lat, lon, err := parseDMS(tt.in)
		if (err == nil) != tt.ok || !cmp.Equal([]float64{tt.lat, tt.lon}, []float64{lat, lon}, cmpopts.EquateApprox(0, 1e-5)) {
			t.Errorf("parseDMS(%q) = %v, %v, %v", tt.in, lat, lon, err)
		}
	}
}
