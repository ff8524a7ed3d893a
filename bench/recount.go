package bench

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/simulate"
)

// count is an independent recount of one contest over the whole night.
type count struct {
	votes    map[string]int64
	sah      int64
	tidakSah int64
	reported int
}

// recount sums, per contest, the latest acknowledged KPPS form of every
// TPS, rebuilt from the simulation: tickets and DPD candidates as they
// are, parties with their candidates. A form without a vote section adds
// nothing and does not count as reported; one without its admin section
// counts its votes and adds no suara_sah (SPEC §6).
func (nr *nightRun) recount() map[siaga.Contest]*count {
	out := map[siaga.Contest]*count{}
	for _, c := range siaga.Contests {
		out[c] = &count{votes: map[string]int64{}}
	}
	for i := range nr.codes {
		for _, c := range siaga.Contests {
			v := int(nr.accepted[slot(i, c)].Load())
			if v == 0 {
				continue
			}
			kind := simulate.Report
			if v > 1 {
				kind = simulate.Correction
			}
			f := nr.sim.Submission(simulate.Item{TPS: i, Contest: c, Source: siaga.SourceKPPS, Kind: kind, Version: v}).Form
			if f.Votes == nil || len(f.Votes.Options)+len(f.Votes.Parties) == 0 {
				continue
			}
			n := out[c]
			n.reported++
			n.sah += int64(f.Admin["suara_sah"])
			n.tidakSah += int64(f.Admin["suara_tidak_sah"])
			for k, x := range f.Votes.Options {
				n.votes[k] += int64(x)
			}
			for k, p := range f.Votes.Parties {
				n.votes[k] += int64(p.Party)
				for _, x := range p.Candidates {
					n.votes[k] += int64(x)
				}
			}
		}
	}
	return out
}

// universe lists the ballot options of each contest, the keys on which
// the server's tally and the recount must agree.
func universe(el *siaga.Election) map[siaga.Contest][]string {
	out := map[siaga.Contest][]string{}
	for _, t := range el.Tickets {
		out[siaga.PPWP] = append(out[siaga.PPWP], t.Number)
	}
	for _, c := range []siaga.Contest{siaga.DPR, siaga.DPRDProv, siaga.DPRDKab} {
		for _, p := range el.Parties {
			out[c] = append(out[c], strconv.Itoa(p.Number))
		}
	}
	seen := map[string]bool{}
	for _, d := range el.Dapil {
		if d.Contest != siaga.DPD {
			continue
		}
		for _, cand := range d.Candidates {
			if !seen[cand.ID] {
				seen[cand.ID] = true
				out[siaga.DPD] = append(out[siaga.DPD], cand.ID)
			}
		}
	}
	return out
}

// compareTallies fetches the province tally of every contest and lists
// where it differs from the recount; nil when they agree.
func compareTallies(ctx context.Context, c *http.Client, url, province string, want map[siaga.Contest]*count, keys map[siaga.Contest][]string) ([]string, error) {
	var diff []string
	for _, contest := range siaga.Contests {
		w := want[contest]
		t, err := waitFor(ctx, c, url+"/api/v1/results/"+string(contest)+"/"+province, w.reported)
		if err != nil {
			return nil, fmt.Errorf("fetching the %s tally: %w", contest, err)
		}
		d := func(what string, got, want int64) {
			if got != want {
				diff = append(diff, fmt.Sprintf("%s %s: server %d, recount %d", contest, what, got, want))
			}
		}
		d("tps_reported", int64(t.TPSReported), int64(w.reported))
		d("suara_sah", t.SuaraSah, w.sah)
		d("suara_tidak_sah", t.SuaraTidakSah, w.tidakSah)
		for _, k := range keys[contest] {
			d("votes "+k, t.Votes[k], w.votes[k])
		}
		for k, v := range w.votes {
			if !slices.Contains(keys[contest], k) && v != 0 {
				diff = append(diff, fmt.Sprintf("%s votes %s: option not in the election", contest, k))
			}
		}
	}
	return diff[:min(len(diff), 20)], nil
}
