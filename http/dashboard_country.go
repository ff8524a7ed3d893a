package http

import (
	"net/http"

	"github.com/deskpemilu/siaga"
)

// countryPage is the root of a registry that holds several provinces (a
// national deployment): every province with its progress.
type countryPage struct {
	basePage
	Rows []countryRow
}

type countryRow struct {
	Region   siaga.Region
	Reported int
	Share    float64
}

func (s *Server) countryPage(w http.ResponseWriter, r *http.Request) {
	p := countryPage{basePage: s.base(r, "Indonesia")}
	p.Nav = "rekap"
	for _, prov := range s.Regions.Provinces() {
		t := s.tally(p.Contest, prov)
		p.Rows = append(p.Rows, countryRow{Region: prov, Reported: t.TPSReported,
			Share: shareOf(int64(t.TPSReported), int64(prov.TPSCount))})
	}
	s.render(w, r, "country", p)
}
