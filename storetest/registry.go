package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// Registry is a small registry with every kind of TPS field set.
func Registry() *siaga.Registry {
	return &siaga.Registry{
		Regions: []siaga.Region{
			{Code: "36", Level: siaga.LevelProvince, Name: "BANTEN", TPSCount: 4, DPT: 1010},
			{Code: "3601", Parent: "36", Level: siaga.LevelKabKota, Name: "KAB. PANDEGLANG", TPSCount: 4, DPT: 1010},
			{Code: "360101", Parent: "3601", Level: siaga.LevelKecamatan, Name: "SUMUR", TPSCount: 4, DPT: 1010},
			{Code: "3601012001", Parent: "360101", Level: siaga.LevelDesa, Name: "KERTAJAYA", TPSCount: 3, DPT: 710},
			{Code: "3601012002", Parent: "360101", Level: siaga.LevelDesa, Name: "TAMANJAYA", TPSCount: 1, DPT: 300},
		},
		TPS: []siaga.TPS{
			{Code: "3601012001001", Desa: "3601012001", Number: 1, DPT: 280, Lat: -6.6512345678, Lon: 105.5123456789, Connectivity: "good"},
			{Code: "3601012001002", Desa: "3601012001", Number: 2, DPT: 290, DPTImported: true, Connectivity: "weak"},
			{Code: "3601012001901", Desa: "3601012001", Number: 901, Special: true, DPT: 140, Connectivity: "blank"},
			{Code: "3601012002001", Desa: "3601012002", Number: 1, DPT: 300},
		},
	}
}

// bigRegistry has n TPS under one desa: enough rows to take several
// statements of a batched insert.
func bigRegistry(n int) *siaga.Registry {
	reg := &siaga.Registry{Regions: []siaga.Region{
		{Code: "36", Level: siaga.LevelProvince, Name: "BANTEN"},
		{Code: "3602", Parent: "36", Level: siaga.LevelKabKota, Name: "KAB. LEBAK"},
	}}
	for i := range n {
		code := "3602" + pad(i, 6)
		reg.TPS = append(reg.TPS, siaga.TPS{Code: code + "001", Desa: code, Number: 1, DPT: i})
	}
	return reg
}

func pad(n, width int) string {
	s := []byte{}
	for range width {
		s = append([]byte{byte('0' + n%10)}, s...)
		n /= 10
	}
	return string(s)
}

func testRegistry(t *testing.T, open Open) {
	ctx := context.Background()
	t.Run("EmptyBeforeSave", func(t *testing.T) {
		s := open(t)
		reg, err := s.LoadRegistry(ctx)
		must(t, err)
		if len(reg.Regions) != 0 || len(reg.TPS) != 0 {
			t.Fatalf("empty store: %d regions, %d TPS", len(reg.Regions), len(reg.TPS))
		}
	})
	t.Run("RoundTripAndReplace", func(t *testing.T) {
		s := open(t)
		tests := []struct {
			name string
			reg  *siaga.Registry
		}{
			{"small", Registry()},
			{"replaced by big", bigRegistry(1500)},
			{"replaced by small", Registry()},
		}
		for _, tt := range tests {
			must(t, s.SaveRegistry(ctx, tt.reg))
			got, err := s.LoadRegistry(ctx)
			must(t, err)
			if diff := cmp.Diff(tt.reg, got); diff != "" {
				t.Fatalf("%s: registry (-saved +loaded):\n%s", tt.name, diff)
			}
		}
	})
	t.Run("RejectsChildBeforeParent", func(t *testing.T) {
		s := open(t)
		reg := Registry()
		reg.Regions[0], reg.Regions[1] = reg.Regions[1], reg.Regions[0]
		wantCode(t, s.SaveRegistry(ctx, reg), siaga.EInvalid)
	})
	t.Run("DuplicateTPSKeepsOld", func(t *testing.T) {
		s := open(t)
		must(t, s.SaveRegistry(ctx, Registry()))
		bad := bigRegistry(3)
		bad.TPS = append(bad.TPS, bad.TPS[0])
		wantCode(t, s.SaveRegistry(ctx, bad), siaga.EConflict)
		got, err := s.LoadRegistry(ctx)
		must(t, err)
		if diff := cmp.Diff(Registry(), got); diff != "" {
			t.Fatalf("registry after failed save (-want +got):\n%s", diff)
		}
	})
}

// Election is a small election definition.
func Election() *siaga.Election {
	return &siaga.Election{
		ID: "pemilu-2024-36", Name: "Pemilu 2024 Banten", Date: "2024-02-14", Province: "36",
		Tickets: []siaga.Ticket{
			{Number: "01", SirekapID: "100025", President: "H. ANIES RASYID BASWEDAN, Ph.D.", Vice: "Dr. (H.C.) H. A. MUHAIMIN ISKANDAR"},
			{Number: "02", President: "H. PRABOWO SUBIANTO", Vice: "GIBRAN RAKABUMING RAKA"},
		},
		Parties: []siaga.Party{{Number: 1, Short: "PKB", Name: "Partai Kebangkitan Bangsa"}},
		Dapil: []siaga.Dapil{
			{Contest: siaga.DPR, Name: "BANTEN I", Seats: 6, Regions: []string{"3601", "3602"},
				Candidates: []siaga.Candidate{{ID: "01-1", Party: 1, Number: 1, Name: "A"}}, Synthetic: true},
			{Contest: siaga.DPD, Name: "BANTEN", Seats: 4, Regions: []string{"36"},
				Candidates: []siaga.Candidate{{ID: "D01", Number: 1, Name: "B"}}},
		},
		Synthetic: []string{"candidate names"},
	}
}

func testElection(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	_, err := s.LoadElection(ctx)
	wantCode(t, err, siaga.ENotFound)

	first, second := Election(), Election()
	second.Name = "Pemilu 2024 Banten (revisi)"
	second.Dapil = nil
	for _, e := range []*siaga.Election{first, second} {
		must(t, s.SaveElection(ctx, e))
		got, err := s.LoadElection(ctx)
		must(t, err)
		if diff := cmp.Diff(e, got); diff != "" {
			t.Fatalf("election (-saved +loaded):\n%s", diff)
		}
	}
}
