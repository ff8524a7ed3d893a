package ui

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

func (h *Pages) countryPage(w http.ResponseWriter, r *http.Request) {
	p := countryPage{basePage: h.base(r, "Indonesia")}
	p.Nav = "rekap"
	p.Rows = h.countryRows(p.Contest)
	p.Downloads = []download{newDownload("Hasil per provinsi", "/hasil", p.Contest)}
	p.Print = h.printHead(r, "Indonesia", p.Contest)
	h.render(w, r, "country", p)
}
