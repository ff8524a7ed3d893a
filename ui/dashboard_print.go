package ui

import (
	"net/http"
	"net/url"

	"github.com/deskpemilu/siaga"
)

// printHead is what a printed page says at its top, since paper has no
// address bar: what it shows, which contest, when the data was read and
// where to find it again (template "printhead" in parts.html).
type printHead struct {
	What    string
	Contest string
	At      string
	URL     string
}

func (h *Pages) printHead(r *http.Request, what string, c siaga.Contest) printHead {
	scheme := "http"
	if h.viaTLS(r) {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	return printHead{What: what, Contest: contestNames[c], At: fmtWhen(h.now()), URL: u.String()}
}

// download is one table of a page offered as CSV and XLSX.
type download struct {
	Label     string
	CSV, XLSX string
}

func newDownload(label, path string, c siaga.Contest) download {
	q := "?kontes=" + url.QueryEscape(string(c))
	return download{Label: label, CSV: path + ".csv" + q, XLSX: path + ".xlsx" + q}
}
