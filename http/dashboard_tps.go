package http

import (
	"net/http"

	"github.com/deskpemilu/siaga"
)

type tpsPage struct {
	basePage
	TPS          siaga.TPS
	Number       string
	Desa         siaga.Region
	Ballots      []tpsContest
	History      []historyRow
	HistoryError string
}

// tpsContest compares the latest numbers of every source of one contest.
type tpsContest struct {
	Contest siaga.Contest
	Name    string
	Sources []siaga.Source
	Rows    []compareRow
	Flags   []versionFlags
	Differs bool
}

type compareRow struct {
	Label   string
	Section string
	Cells   []compareCell
	Differs bool
}

type compareCell struct {
	Value   int
	Present bool
}

type versionFlags struct {
	Source  siaga.Source
	Version int
	Rules   []flagRow
}

type historyRow struct {
	siaga.Version
	Rules  []flagRow
	Photos *photoLine // photos.go
}

func (s *Server) tpsPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	t, ok := s.Regions.TPS(code)
	if !ok {
		s.pageNotFound(w, r)
		return
	}
	p := tpsPage{basePage: s.base(r, "TPS "+tpsNumber(t.Number)), TPS: t, Number: tpsNumber(t.Number)}
	p.Nav, p.Path = "rekap", s.Regions.Path(t.Desa)
	p.Desa, _ = s.Regions.Region(t.Desa)
	latest := s.Results.Latest(code)
	for _, c := range siaga.Contests {
		if tc, ok := s.compare(c, latest); ok {
			p.Ballots = append(p.Ballots, tc)
		}
	}
	hist, err := s.Results.History(r.Context(), code)
	if err != nil {
		s.dashLog().Error("tps history", "tps", code, "err", err)
		p.HistoryError = "Riwayat versi tidak dapat dimuat saat ini."
	}
	hist = versionsFor(p.User, code, hist) // device ids and usernames are for staff in scope
	for i := len(hist) - 1; i >= 0; i-- {  // newest first: what changed last matters most
		p.History = append(p.History, historyRow{Version: hist[i], Rules: ruleRows(hist[i].Rules),
			Photos: s.photoLineOf(r.Context(), hist[i].Submission)})
	}
	s.render(w, r, "tps", p)
}

func ruleRows(ids []string) []flagRow {
	ids = append([]string(nil), ids...)
	sortRules(ids)
	rows := make([]flagRow, len(ids))
	for i, id := range ids {
		rows[i] = flagRow{Rule: id, Text: ruleText(id)}
	}
	return rows
}

// compare lays the latest version of each source side by side, one row per
// field present in any of them, and marks rows where sources disagree (R11).
func (s *Server) compare(c siaga.Contest, latest []siaga.Version) (tpsContest, bool) {
	tc := tpsContest{Contest: c, Name: contestNames[c]}
	var vs []siaga.Version
	for _, src := range siaga.Sources {
		for _, v := range latest {
			if v.Contest == c && v.Source == src {
				tc.Sources = append(tc.Sources, src)
				vs = append(vs, v)
				tc.Flags = append(tc.Flags, versionFlags{Source: src, Version: v.Number, Rules: ruleRows(v.Rules)})
			}
		}
	}
	if len(vs) == 0 {
		return tc, false
	}
	for _, f := range siaga.AdminFields {
		row := compareRow{Label: adminNames[f], Section: "admin"}
		for _, v := range vs {
			n, ok := v.Form.Admin.Get(f)
			row.Cells = append(row.Cells, compareCell{Value: n, Present: ok})
		}
		tc.add(row)
	}
	for _, o := range s.optionRows(c, optionKeys(vs)) {
		row := compareRow{Label: o.Label, Section: "votes"}
		for _, v := range vs {
			n, ok := v.Form.Votes.OptionTotals()[o.Key]
			row.Cells = append(row.Cells, compareCell{Value: n, Present: ok})
		}
		tc.add(row)
	}
	return tc, true
}

// add keeps rows some source filled in.
func (tc *tpsContest) add(row compareRow) {
	seen, first := false, 0
	for _, c := range row.Cells {
		if !c.Present {
			continue
		}
		if seen && c.Value != first {
			row.Differs = true
		}
		seen, first = true, c.Value
	}
	if !seen {
		return
	}
	tc.Differs = tc.Differs || row.Differs
	tc.Rows = append(tc.Rows, row)
}

// optionKeys makes sure options outside the election definition still
// show up in the comparison.
func optionKeys(vs []siaga.Version) map[string]int64 {
	keys := map[string]int64{}
	for _, v := range vs {
		for k := range v.Form.Votes.OptionTotals() {
			keys[k] = 0
		}
	}
	return keys
}
