package ui

import (
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/seats"
)

// dapilView is one electoral district of a legislative contest as a region
// page shows it: its votes per party, summed over the dapil's regions, and
// a seat projection from them, which is not a result.
type dapilView struct {
	Name        string
	Seats       int
	TPSReported int
	TPSTotal    int
	Reported    float64
	Parties     []dapilParty
	Synthetic   bool
	// Tied names the parties that tied for the last projected seat.
	Tied string
}

type dapilParty struct {
	Key, Label, Color string
	Votes             int64
	Share             float64
	// Passed: the party clears the contest's threshold (always, without one).
	Passed bool
	Seats  int
}

// projection is what the page says about the seat projection as a whole.
type projection struct {
	Threshold float64
	// Base names where the threshold is measured: the votes counted in
	// the deployment's province, standing in for the national count.
	Base string
}

// dapilViews are the dapil of contest c that overlap reg: the one reg lies
// in, or those lying in reg. Each is summed over all its regions, so a
// kecamatan's page shows its whole dapil.
func (h *Pages) dapilViews(c siaga.Contest, reg siaga.Region) ([]dapilView, projection) {
	if !c.Legislative() || h.Election == nil {
		return nil, projection{}
	}
	proj := h.projection(c)
	passed := h.passing(c, proj.Threshold)
	var out []dapilView
	for _, d := range h.Election.Dapil {
		if d.Contest != c || !overlaps(d.Regions, reg.Code) {
			continue
		}
		out = append(out, h.dapilView(c, d, passed))
	}
	return out, proj
}

func overlaps(regions []string, code string) bool {
	for _, r := range regions {
		if strings.HasPrefix(code, r) || strings.HasPrefix(r, code) {
			return true
		}
	}
	return false
}

func (h *Pages) projection(c siaga.Contest) projection {
	p := projection{Threshold: h.Election.SeatThresholds[c]}
	if root, ok := h.Regions.Region(h.Province); ok {
		p.Base = root.Name
	}
	return p
}

// passing reports which parties clear threshold. The law measures the DPR
// threshold on the whole country's valid votes; a deployment counts its own
// region only, so its votes stand in for the country's, and the page says
// so.
func (h *Pages) passing(c siaga.Contest, threshold float64) map[string]bool {
	root, ok := h.Regions.Region(h.Province)
	if !ok {
		return nil
	}
	t := h.tally(c, root)
	var counts []seats.Count
	var total int64
	for k, v := range t.Votes {
		counts = append(counts, seats.Count{Party: k, Votes: v})
		total += v
	}
	out := map[string]bool{}
	for _, p := range seats.Pass(counts, total, threshold) {
		out[p.Party] = true
	}
	return out
}

func (h *Pages) dapilView(c siaga.Contest, d siaga.Dapil, passed map[string]bool) dapilView {
	v := dapilView{Name: d.Name, Seats: d.Seats, Synthetic: d.Synthetic}
	votes := map[string]int64{}
	for _, code := range d.Regions {
		reg, ok := h.Regions.Region(code)
		if !ok {
			continue
		}
		t := h.tally(c, reg)
		v.TPSReported += t.TPSReported
		v.TPSTotal += t.TPSTotal
		for k, n := range t.Votes {
			votes[k] += n
		}
	}
	v.Reported = shareOf(int64(v.TPSReported), int64(v.TPSTotal))
	var counts []seats.Count
	var at []int // index in v.Parties of each count
	for _, o := range h.optionRows(c, votes) {
		p := dapilParty{Key: o.Key, Label: o.Label, Color: o.Color, Votes: o.Votes, Share: o.Share, Passed: passed[o.Key]}
		if p.Passed {
			counts = append(counts, seats.Count{Party: o.Key, Votes: o.Votes})
			at = append(at, len(v.Parties))
		}
		v.Parties = append(v.Parties, p)
	}
	if d.Seats > 0 {
		a := seats.SainteLague(d.Seats, counts)
		for i, n := range a.Seats {
			v.Parties[at[i]].Seats = n
		}
		labels := make([]string, len(a.Tied))
		for i, k := range a.Tied {
			labels[i] = optionLabels(h.Election, c)[k]
		}
		v.Tied = strings.Join(labels, ", ")
	}
	return v
}
