package connectivity

import (
	"slices"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// The lists the desk pages through: a region's TPS with their signal, and
// its interventions. Both are filtered here, from memory, every match
// counted, and paged with a stable cursor (the TPS code, the
// intervention's ID), so a page says "N–M of T".

// ClassUnknown names, in a filter, the TPS nobody surveyed
// (siaga.SignalUnknown is the empty string, which means "any").
const ClassUnknown = "unknown"

// TPSQuery selects TPS of a region by effective class.
type TPSQuery struct {
	Region string
	// Class is an effective class (good, weak, blank, titik, or
	// ClassUnknown); "" any.
	Class string
	After string // paging: TPS codes after this one
	Limit int    // 0: no limit
}

// TPSRow is one TPS of the list: public data (no surveyor).
type TPSRow struct {
	TPS       string             `json:"tps"`
	Desa      string             `json:"desa"`
	Class     siaga.Connectivity `json:"class"`
	Effective siaga.Connectivity `json:"effective"`
	Estimate  siaga.Connectivity `json:"estimate,omitempty"`
	// Operator is the operator of its best latest survey (the one that
	// gives its class); LastSurvey when it was last surveyed.
	Operator   string    `json:"operator,omitempty"`
	LastSurvey time.Time `json:"last_survey,omitempty"`
	// Interventions are those serving it or whose radius reaches it,
	// tested or not.
	Interventions []InterventionRef `json:"interventions"`
}

// InterventionRef names an intervention in a TPS's row.
type InterventionRef struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
}

// TPSPage is one page of the TPS a query selects and how many it selects.
type TPSPage struct {
	Items []TPSRow `json:"items"`
	Total int      `json:"total"`
	Next  string   `json:"next,omitempty"`
}

// TPSList is the page of the region's TPS q selects, by code.
func (s *Service) TPSList(q TPSQuery) TPSPage {
	s.mu.RLock()
	st := s.st
	s.mu.RUnlock()
	lo, hi := s.span(q.Region)
	page := TPSPage{Items: []TPSRow{}}
	var ivs []siaga.Intervention
	for _, iv := range st.ivs {
		if iv.Status != siaga.InterventionRemoved {
			ivs = append(ivs, iv)
		}
	}
	for i := lo; i < hi; i++ {
		c := string(st.effective[i])
		if c == "" {
			c = ClassUnknown
		}
		if q.Class != "" && q.Class != c {
			continue
		}
		page.Total++
		if s.codes[i] <= q.After || page.Next != "" {
			continue
		}
		if q.Limit > 0 && len(page.Items) == q.Limit {
			page.Next = page.Items[len(page.Items)-1].TPS
			continue
		}
		page.Items = append(page.Items, s.tpsRow(st, i, ivs))
	}
	return page
}

func (s *Service) tpsRow(st *state, i int, ivs []siaga.Intervention) TPSRow {
	row := TPSRow{TPS: s.codes[i], Desa: s.desa[i], Class: st.class[i], Effective: st.effective[i], Estimate: s.estimate[i],
		Interventions: []InterventionRef{}}
	var best *siaga.Survey
	for k := range st.latest[i] {
		sv := &st.latest[i][k]
		if sv.At.After(row.LastSurvey) {
			row.LastSurvey = sv.At
		}
		if best == nil || rank(s.th.Classify(sv)) > rank(s.th.Classify(best)) {
			best = sv
		}
	}
	if best != nil {
		row.Operator = best.Operator
	}
	p := st.points[i]
	for _, iv := range ivs {
		if iv.TPS == s.codes[i] || iv.RadiusM > 0 && geo.Distance(p, orb.Point{iv.Lon, iv.Lat}) <= iv.RadiusM {
			row.Interventions = append(row.Interventions, InterventionRef{ID: iv.ID, Kind: iv.Kind, Status: iv.Status})
		}
	}
	return row
}

// InterventionQuery selects a region's interventions.
type InterventionQuery struct {
	Region string
	Kind   string // "" any
	Status string // "" any
	Late   bool   // only the late ones
	After  int64  // paging: IDs after this one
	Limit  int    // 0: no limit
}

// InterventionPage is one page of the interventions a query selects and
// how many it selects.
type InterventionPage struct {
	Items []InterventionView `json:"items"`
	Total int                `json:"total"`
	Next  string             `json:"next,omitempty"`
}

// InterventionList is the page of the region's interventions q selects,
// by ID.
func (s *Service) InterventionList(q InterventionQuery) (InterventionPage, error) {
	if q.Kind != "" && !slices.Contains(InterventionKinds, q.Kind) {
		return InterventionPage{}, siaga.Errorf(siaga.EInvalid, "kind", "jenis intervensi %q tidak dikenal; pilih: %v", "unknown intervention kind %q; one of: %v", q.Kind, InterventionKinds)
	}
	if q.Status != "" && !slices.Contains(Statuses, q.Status) {
		return InterventionPage{}, siaga.Errorf(siaga.EInvalid, "status", "status %q tidak dikenal; pilih: %v", "unknown status %q; one of: %v", q.Status, Statuses)
	}
	page := InterventionPage{Items: []InterventionView{}}
	for _, v := range s.Interventions(q.Region) {
		if q.Kind != "" && v.Kind != q.Kind || q.Status != "" && v.Status != q.Status || q.Late && !v.Late {
			continue
		}
		page.Total++
		if v.ID <= q.After || page.Next != "" {
			continue
		}
		if q.Limit > 0 && len(page.Items) == q.Limit {
			page.Next = strconv.FormatInt(page.Items[len(page.Items)-1].ID, 10)
			continue
		}
		page.Items = append(page.Items, v)
	}
	return page, nil
}
