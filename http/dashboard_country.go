package http

import (
	"net/http"
)

// countryPage is the root of a registry that holds several provinces (a
// national deployment): every province with its progress and turnout.
type countryPage struct {
	basePage
	Rows      []resultRow // the same rows as the page's download
	Downloads []download
	Print     printHead
}

func (s *Server) countryPage(w http.ResponseWriter, r *http.Request) {
	p := countryPage{basePage: s.base(r, "Indonesia")}
	p.Nav = "rekap"
	p.Rows = s.countryRows(p.Contest)
	p.Downloads = []download{newDownload("Hasil per provinsi", "/hasil", p.Contest)}
	p.Print = s.printHead(r, "Indonesia", p.Contest)
	s.render(w, r, "country", p)
}
