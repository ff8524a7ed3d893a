package election_test

import (
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/google/go-cmp/cmp"
)

func TestIndex(t *testing.T) {
	e := election.Banten2024(bantenRegistry(t), 1)
	x := election.NewIndex(e)
	dapilName := func(d *siaga.Dapil, ok bool) string {
		if !ok {
			return ""
		}
		return d.Name
	}
	dpr1, _ := x.Dapil(siaga.DPR, "3601")
	dprCopy := *dpr1
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"DPR of a TPS", dapilName(x.Dapil(siaga.DPR, "3601012001001")), "BANTEN I"},
		{"DPR of a kab/kota", dapilName(x.Dapil(siaga.DPR, "3674")), "BANTEN III"},
		{"DPR of a province spans dapil", dapilName(x.Dapil(siaga.DPR, "36")), ""},
		{"DPR outside Banten", dapilName(x.Dapil(siaga.DPR, "3201012001001")), ""},
		{"DPD", dapilName(x.Dapil(siaga.DPD, "3673011001001")), "BANTEN"},
		{"PPWP has no dapil", dapilName(x.Dapil(siaga.PPWP, "3601012001001")), ""},
		{"DPRD kab of a split kecamatan", dapilName(x.Dapil(siaga.DPRDKab, "3673011001001")), "KOTA SERANG 1"},
		{"DPRD prov", dapilName(x.Dapil(siaga.DPRDProv, "3602012001001")), "BANTEN 2"},
		{"candidate", found(x.Candidate(dpr1, "04-3")), true},
		{"candidate beyond the list", found(x.Candidate(dpr1, "04-7")), false},
		{"candidate of a copied dapil", found(x.Candidate(&dprCopy, "24-6")), true},
		{"candidate of nil dapil", found(x.Candidate(nil, "04-3")), false},
		{"ticket", ticketName(x.Ticket("02")), "Prabowo Subianto"},
		{"ticket unknown", ticketName(x.Ticket("04")), ""},
		{"ticket by Sirekap id", ticketName(x.TicketBySirekapID("100027")), "Ganjar Pranowo"},
		{"party", partyShort(x.Party(24)), "Ummat"},
		{"party unknown", partyShort(x.Party(18)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, tt.got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func found(_ siaga.Candidate, ok bool) bool { return ok }

func ticketName(t siaga.Ticket, ok bool) string { return t.President }

func partyShort(p siaga.Party, ok bool) string { return p.Short }

func BenchmarkIndex(b *testing.B) {
	reg := bantenRegistry(b)
	x := election.NewIndex(election.Banten2024(reg, 1))
	b.Run("Dapil", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, ok := x.Dapil(siaga.DPRDKab, reg.TPS[i%len(reg.TPS)].Code); !ok {
				b.Fatal("no dapil")
			}
		}
	})
	d, _ := x.Dapil(siaga.DPR, "3603")
	b.Run("Candidate", func(b *testing.B) {
		for b.Loop() {
			if _, ok := x.Candidate(d, "08-9"); !ok {
				b.Fatal("no candidate")
			}
		}
	})
}
