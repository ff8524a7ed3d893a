package election_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/registry"
	"github.com/google/go-cmp/cmp"
)

func bantenRegistry(tb testing.TB) *siaga.Registry {
	tb.Helper()
	reg, err := registry.Load("36", 1)
	if err != nil {
		tb.Fatal(err)
	}
	return reg
}

func TestBanten2024IsValid(t *testing.T) {
	e := election.Banten2024(bantenRegistry(t), 1)
	if err := election.Validate(e); err != nil {
		t.Fatal(err)
	}
	seats := map[siaga.Contest]int{}
	kabSeats := map[string]int{}
	for _, d := range e.Dapil {
		seats[d.Contest] += d.Seats
		if d.Contest == siaga.DPRDKab {
			kabSeats[d.Regions[0][:4]] += d.Seats
		}
		if !d.Synthetic {
			t.Errorf("%s %s: generated candidates but not marked synthetic", d.Contest, d.Name)
		}
		perParty := map[int]int{}
		for _, c := range d.Candidates {
			perParty[c.Party]++
		}
		for p, n := range perParty {
			if d.Contest.Legislative() && n != d.Seats {
				t.Errorf("%s %s: party %d lists %d candidates for %d seats", d.Contest, d.Name, p, n, d.Seats)
			}
		}
	}
	if d := cmp.Diff(map[siaga.Contest]int{siaga.DPR: 22, siaga.DPD: 4, siaga.DPRDProv: 100, siaga.DPRDKab: seats[siaga.DPRDKab]}, seats); d != "" {
		t.Errorf("seats per contest (-want +got):\n%s", d)
	}
	if len(kabSeats) != 8 {
		t.Errorf("DPRD kab/kota for %d kab/kota, want 8", len(kabSeats))
	}
	for kab, n := range kabSeats {
		if n < 45 || n > 55 {
			t.Errorf("DPRD %s has %d seats, want 45–55", kab, n)
		}
	}
	if len(e.Tickets) != 3 || len(e.Parties) != 18 || len(e.Synthetic) == 0 {
		t.Errorf("%d tickets, %d parties, %d synthetic notes; want 3, 18 and some", len(e.Tickets), len(e.Parties), len(e.Synthetic))
	}
}

// TestBanten2024CoversEveryTPSOnce counts, for every TPS, the dapil whose
// regions enclose it, without the Index, then checks the Index agrees.
func TestBanten2024CoversEveryTPSOnce(t *testing.T) {
	reg := bantenRegistry(t)
	e := election.Banten2024(reg, 1)
	x := election.NewIndex(e)
	for _, contest := range []siaga.Contest{siaga.DPR, siaga.DPD, siaga.DPRDProv, siaga.DPRDKab} {
		t.Run(string(contest), func(t *testing.T) {
			owner := map[string]string{}
			for _, d := range e.Dapil {
				if d.Contest == contest {
					for _, r := range d.Regions {
						owner[r] = d.Name
					}
				}
			}
			for _, tp := range reg.TPS {
				var in []string
				for _, c := range append([]string{tp.Code}, siaga.Ancestors(tp.Code)...) {
					if name, ok := owner[c]; ok {
						in = append(in, name)
					}
				}
				if len(in) != 1 {
					t.Fatalf("TPS %s is in %d dapil: %v", tp.Code, len(in), in)
				}
				d, ok := x.Dapil(contest, tp.Code)
				if !ok || d.Name != in[0] {
					t.Fatalf("Index.Dapil(%s, %s) = %v, %v; want %s", contest, tp.Code, d, ok, in[0])
				}
			}
		})
	}
}

func TestBanten2024IsDeterministic(t *testing.T) {
	reg := bantenRegistry(t)
	a, b, c := election.Banten2024(reg, 5), election.Banten2024(reg, 5), election.Banten2024(reg, 6)
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("same seed, different election:\n%s", d)
	}
	if a.Dapil[0].Candidates[0].Name == c.Dapil[0].Candidates[0].Name && a.Dapil[0].Candidates[1].Name == c.Dapil[0].Candidates[1].Name {
		t.Error("seeds 5 and 6 gave the same candidate names")
	}
}

func TestBanten2024WithoutBantenRegions(t *testing.T) {
	e := election.Banten2024(&siaga.Registry{}, 1)
	if err := election.Validate(e); err != nil {
		t.Fatal(err)
	}
	if len(e.Dapil) != 4 {
		t.Errorf("%d dapil, want the 3 DPR and 1 DPD dapil", len(e.Dapil))
	}
}

// TestBanten2024PartyColours: every party has its own colour, and the
// parties the public knows by colour have it (PDIP red, Golkar yellow,
// Demokrat blue, PKB green), as hues on the colour wheel.
func TestBanten2024PartyColours(t *testing.T) {
	e := election.Banten2024(nil, 1)
	hues := map[string]float64{}
	seen := map[string]string{}
	for _, p := range e.Parties {
		if prev, ok := seen[p.Color]; ok || p.Color == "" {
			t.Errorf("%s has colour %q, already %s's", p.Short, p.Color, prev)
		}
		seen[p.Color] = p.Short
		hues[p.Short] = hue(t, p.Color)
	}
	for _, tt := range []struct {
		party  string
		lo, hi float64
	}{
		{"PDIP", -15, 15}, {"Golkar", 40, 60}, {"Demokrat", 200, 240}, {"PKB", 100, 160}, {"PPP", 80, 140}, {"NasDem", 200, 250},
	} {
		t.Run(tt.party, func(t *testing.T) {
			h := hues[tt.party]
			if h > 180 && tt.lo < 0 {
				h -= 360
			}
			if h < tt.lo || h > tt.hi {
				t.Errorf("%s hue %.0f°, want %v–%v°", tt.party, h, tt.lo, tt.hi)
			}
		})
	}
	if e.SeatThresholds[siaga.DPR] != 0.04 || e.SeatThresholds[siaga.DPRDProv] != 0 || e.ColorSource == "" {
		t.Errorf("thresholds %v, colour source %q; want DPR 4 %%, none for DPRD, a source", e.SeatThresholds, e.ColorSource)
	}
}

// hue is the hue in degrees of a #rrggbb colour.
func hue(t testing.TB, hex string) float64 {
	t.Helper()
	var r, g, b int
	if _, err := fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b); err != nil {
		t.Fatalf("colour %q: %v", hex, err)
	}
	R, G, B := float64(r)/255, float64(g)/255, float64(b)/255
	hi, lo := max(R, G, B), min(R, G, B)
	d := hi - lo
	var h float64
	switch {
	case d == 0:
		return 0
	case hi == R:
		h = math.Mod((G-B)/d, 6)
	case hi == G:
		h = (B-R)/d + 2
	default:
		h = (R-G)/d + 4
	}
	h *= 60
	if h < 0 {
		h += 360
	}
	return h
}
