package http

import (
	"net/http"

	"github.com/deskpemilu/siaga"
)

const anomalyLimit = 1000

type anomaliPage struct {
	basePage
	Region   siaga.Region
	Rule     string
	RuleText string
	AllRules []flagRow
	Rows     []anomalyRow
	More     bool
}

type anomalyRow struct {
	siaga.Anomaly
	Desa  string
	Rules []flagRow
}

// anomaliPage serves GET /anomali?wilayah=&kontes=&aturan=: the latest
// versions that break a rule, the desk's list for verification.
func (s *Server) anomaliPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code := q.Get("wilayah")
	if code == "" {
		code = s.Province
	}
	reg, ok := s.Regions.Region(code)
	if !ok {
		s.pageNotFound(w, r)
		return
	}
	p := anomaliPage{basePage: s.base(r, "Anomali — "+reg.Name), Region: reg, Rule: q.Get("aturan")}
	p.Nav, p.Path = "anomali", s.Regions.Path(code)
	if p.Rule != "" {
		p.RuleText = ruleText(p.Rule)
	}
	for id := range ruleTexts {
		p.AllRules = append(p.AllRules, flagRow{Rule: id, Text: ruleTexts[id]})
	}
	sortRuleRows(p.AllRules)
	for _, a := range s.Results.Anomalies(code, anomalyLimit+1) {
		if a.Contest != p.Contest || (p.Rule != "" && !hasRule(a.Rules, p.Rule)) {
			continue
		}
		row := anomalyRow{Anomaly: a, Rules: ruleRows(a.Rules)}
		if d, ok := s.Regions.Region(siaga.ParentCode(a.TPS)); ok {
			row.Desa = d.Name
		}
		p.Rows = append(p.Rows, row)
	}
	if len(p.Rows) > anomalyLimit {
		p.Rows, p.More = p.Rows[:anomalyLimit], true
	}
	s.render(w, r, "anomali", p)
}

func sortRuleRows(rows []flagRow) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.Rule
	}
	sortRules(ids)
	for i, id := range ids {
		rows[i] = flagRow{Rule: id, Text: ruleText(id)}
	}
}

func hasRule(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
