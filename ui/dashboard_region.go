package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/deskpemilu/siaga"
)

type regionPage struct {
	basePage
	Region      siaga.Region
	ChildLevel  string
	Tally       siaga.Tally
	Reported    float64
	Options     []optionRow
	Flags       []flagRow
	Children    []childRow
	ShowShares  bool
	ChildTPS    bool
	Belum       missingList
	Chart       chart
	Anomali     string
	RuleTexts   map[string]string // for the live page to redraw the flags
	Turnout     turnout
	Dapil       []dapilView
	Projection  projection
	ColorSource string
	Downloads   []download
	Print       printHead
}

type optionRow struct {
	Key, Label, Color string
	Votes             int64
	Share             float64
	Leader            bool
}

type flagRow struct {
	Rule, Text, URL string
	Count           int
}

func (h *Pages) RegionPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if siaga.LevelOf(code) == siaga.LevelTPS {
		http.Redirect(w, r, withContest("/tps/"+code, contestParam(r)), http.StatusFound)
		return
	}
	reg, ok := h.Regions.Region(code)
	if !ok {
		h.pageNotFound(w, r)
		return
	}
	p := regionPage{basePage: h.base(r, reg.Name), Region: reg}
	p.Nav, p.Path = "rekap", h.Regions.Path(code)
	p.Tally = h.tally(p.Contest, reg)
	p.Reported = shareOf(int64(p.Tally.TPSReported), int64(p.Tally.TPSTotal))
	p.Options = h.optionRows(p.Contest, p.Tally.Votes)
	p.Flags = flagRows(p.Tally.Flagged, code, p.Contest)
	p.Children, p.ChildTPS = h.childRows(p.Contest, reg)
	p.ShowShares = len(p.Options) <= 6
	p.ChildLevel = (reg.Level + 1).String()
	var err error
	if p.Belum, err = h.missingList(r, code, p.Contest); err != nil {
		var e *siaga.Error
		if !errors.As(err, &e) {
			h.dashLog().Error("missing list", "region", code, "err", err)
			e = siaga.Errorf(siaga.EInternal, "", "tidak dapat dibaca", "could not be read")
		}
		h.Error(w, r, http.StatusBadRequest, "Daftar TPS belum melapor: "+e.Message, "List of TPS not yet reported: "+e.MessageEN)
		return
	}
	p.Chart = h.regionChart(p.Contest, reg)
	p.Anomali = "/anomali?wilayah=" + code + "&kontes=" + string(p.Contest)
	p.RuleTexts = ruleTexts
	p.Turnout = turnoutOf(p.Tally)
	p.Dapil, p.Projection = h.dapilViews(p.Contest, reg)
	if p.Contest.Legislative() && h.Election != nil {
		p.ColorSource = h.Election.ColorSource
	}
	p.Downloads = h.regionDownloads(p.Contest, reg, p.ChildTPS)
	p.Print = h.printHead(r, reg.Level.String()+" "+reg.Name, p.Contest)
	h.render(w, r, "region", p)
}

// regionDownloads are the page's tables as files.
func (h *Pages) regionDownloads(c siaga.Contest, reg siaga.Region, childTPS bool) []download {
	base := "/wilayah/" + reg.Code
	label := "Hasil per " + (reg.Level + 1).String()
	if childTPS {
		label = "Hasil per TPS"
	}
	out := []download{newDownload(label, base+"/hasil", c)}
	if reg.Level >= siaga.LevelKabKota && !childTPS {
		out = append(out, newDownload("Semua TPS dengan suaranya", base+"/tps", c))
	}
	if c.Legislative() {
		out = append(out, newDownload("Suara dan proyeksi kursi per dapil", base+"/dapil", c))
	}
	return out
}

// tally is the engine's tally, or an empty one for a region nothing has
// reached yet.
func (h *Pages) tally(c siaga.Contest, reg siaga.Region) siaga.Tally {
	t, ok := h.Results.Tally(c, reg.Code)
	if !ok {
		t = siaga.Tally{Region: reg.Code, Contest: c, TPSTotal: reg.TPSCount, DPT: int64(reg.DPT)}
	}
	return t
}

// optionRows lists every option on the ballot, even those without votes,
// in ballot order, with its share of the votes counted so far.
func (h *Pages) optionRows(c siaga.Contest, votes map[string]int64) []optionRow {
	labels := optionLabels(h.Election, c)
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	for k := range votes {
		if _, ok := labels[k]; !ok {
			keys = append(keys, k)
		}
	}
	optionOrder(keys)
	var total, best int64
	for _, v := range votes {
		total += v
		best = max(best, v)
	}
	rows := make([]optionRow, len(keys))
	for i, k := range keys {
		label := labels[k]
		if label == "" {
			label = k
		}
		v := votes[k]
		rows[i] = optionRow{Key: k, Label: label, Color: h.optionColor(c, k, i), Votes: v,
			Share: shareOf(v, total), Leader: v > 0 && v == best}
	}
	return rows
}

func flagRows(flagged map[string]int, region string, c siaga.Contest) []flagRow {
	ids := make([]string, 0, len(flagged))
	for id, n := range flagged {
		if n > 0 {
			ids = append(ids, id)
		}
	}
	sortRules(ids)
	rows := make([]flagRow, len(ids))
	for i, id := range ids {
		rows[i] = flagRow{Rule: id, Text: ruleText(id), Count: flagged[id],
			URL: "/anomali?wilayah=" + region + "&kontes=" + string(c) + "&aturan=" + id}
	}
	return rows
}

func contestList(cs []siaga.Contest) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = contestNames[c]
	}
	return strings.Join(names, ", ")
}
