package ui

import (
	"strconv"

	"github.com/deskpemilu/siaga"
)

// childStat is one child region (or TPS) of a page: the row of the children
// table and a feature of the map, so both show the same numbers.
type childStat struct {
	Code        string             `json:"code"`
	Name        string             `json:"name"`
	URL         string             `json:"url"`
	TPSTotal    int                `json:"tps_total"`
	TPSReported int                `json:"tps_reported"`
	Leader      string             `json:"leader"`
	LeaderLabel string             `json:"leader_label,omitempty"`
	LeaderShare float64            `json:"leader_share"`
	Shares      map[string]float64 `json:"shares,omitempty"`
	Lat         float64            `json:"lat,omitempty"`
	Lon         float64            `json:"lon,omitempty"`
	Synthetic   bool               `json:"synthetic,omitempty"`
	Flagged     int                `json:"flagged,omitempty"`
}

type childRow struct {
	childStat
	Reported    float64
	LeaderColor string
	Cells       []float64 // shares in the order of the page's options
	Turnout     turnout
}

// childStats are the children of reg for contest c: its sub-regions, or for
// a desa its TPS.
func (h *Pages) childStats(c siaga.Contest, reg siaga.Region) ([]childStat, bool) {
	if reg.Level == siaga.LevelDesa {
		tps := h.Regions.TPSOf(reg.Code)
		out := make([]childStat, len(tps))
		for i, t := range tps {
			out[i] = h.tpsStat(c, t)
		}
		return out, true
	}
	kids := h.Regions.Children(reg.Code)
	out := make([]childStat, len(kids))
	for i, k := range kids {
		t := h.tally(c, k)
		st := childStat{Code: k.Code, Name: k.Name, URL: withContest("/wilayah/"+k.Code, c),
			TPSTotal: t.TPSTotal, TPSReported: t.TPSReported, Flagged: flaggedTPS(t.Flagged)}
		st.lead(t.Votes)
		out[i] = st
	}
	return out, false
}

// flaggedTPS is a rough count for a badge: the most TPS any one rule flags
// (a TPS may break several rules, so the sum would overcount).
func flaggedTPS(f map[string]int) int {
	n := 0
	for _, v := range f {
		n = max(n, v)
	}
	return n
}

func (h *Pages) tpsStat(c siaga.Contest, t siaga.TPS) childStat {
	st := childStat{Code: t.Code, Name: "TPS " + tpsNumber(t.Number), URL: withContest("/tps/"+t.Code, c),
		TPSTotal: 1, Lat: t.Lat, Lon: t.Lon, Synthetic: true}
	if tl, ok := h.Results.Tally(c, t.Code); ok {
		st.TPSReported = tl.TPSReported
		st.Flagged = flaggedTPS(tl.Flagged)
		st.lead(tl.Votes)
		return st
	}
	for _, v := range h.Results.Latest(t.Code) {
		if v.Contest != c || v.Source != siaga.SourceKPPS {
			continue
		}
		if len(v.Rules) > 0 {
			st.Flagged = 1
		}
		if v.Form.Votes == nil {
			continue
		}
		st.TPSReported = 1
		votes := map[string]int64{}
		for k, n := range v.Form.Votes.OptionTotals() {
			votes[k] = int64(n)
		}
		st.lead(votes)
	}
	return st
}

func tpsNumber(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// lead fills the leader and the shares; a tie goes to the lower ballot
// number so the colour does not flicker between equal options.
func (st *childStat) lead(votes map[string]int64) {
	var total int64
	keys := make([]string, 0, len(votes))
	for k, v := range votes {
		total += v
		keys = append(keys, k)
	}
	if total == 0 {
		return
	}
	optionOrder(keys)
	st.Shares = make(map[string]float64, len(keys))
	var best int64 = -1
	for _, k := range keys {
		v := votes[k]
		st.Shares[k] = shareOf(v, total)
		if v > best {
			best, st.Leader = v, k
		}
	}
	st.LeaderShare = shareOf(best, total)
}

func (h *Pages) childRows(c siaga.Contest, reg siaga.Region) ([]childRow, bool) {
	stats, tps := h.childStats(c, reg)
	opts := h.optionRows(c, nil)
	color := map[string]string{}
	labels := map[string]string{}
	for _, o := range opts {
		color[o.Key], labels[o.Key] = o.Color, o.Label
	}
	rows := make([]childRow, len(stats))
	for i, st := range stats {
		st.LeaderLabel = labels[st.Leader]
		row := childRow{childStat: st, Reported: shareOf(int64(st.TPSReported), int64(st.TPSTotal)),
			LeaderColor: color[st.Leader], Cells: make([]float64, len(opts)),
			Turnout: turnoutOf(h.tally(c, siaga.Region{Code: st.Code}))}
		for j, o := range opts {
			row.Cells[j] = st.Shares[o.Key]
		}
		rows[i] = row
	}
	return rows, tps
}
