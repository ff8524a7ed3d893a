package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// The region page's "TPS belum melapor": every TPS of the region still
// without a complete count of the page's contest, public, paged in the engine, counting apart
// those from which nothing came and those whose form came incomplete
// (their phones work: the desk asks for the missing page, it sends no
// runner). The dispatch board (dispatch.go) is the staff's version with
// sightings and runners.

// missingPageSize is the rows the region page shows at once.
const missingPageSize = 100

// missingList is one page of the list with its counts and links.
type missingList struct {
	Rows       []missingRow
	Kind       siaga.MissingKind
	Total      int // TPS the kind filter selects
	Missing    int // nothing received for some contest
	Incomplete int // received, some contest without its vote page
	Postponed  int // ditunda: the TPS's voting is postponed
	From, To   int // 1-based numbers of the first and last rows shown
	Next       string
	First      string // the list from its start, when not on it
	CSV, XLSX  string
}

type missingRow struct {
	TPS, Desa, Contests, Incomplete string
	Kind                            siaga.MissingKind
	KindName                        string
	Connectivity                    siaga.Connectivity
	Number                          int
	LastContact                     string
	Postponed                       string // postponementText, when Kind is postponed
	PostponedURL                    string // its page (postponementURL)
}

// missingQuery reads ?jenis= (missing or incomplete) and ?belum= (the
// cursor) of a region page.
func missingQuery(code string, c siaga.Contest, q url.Values, limit int) siaga.MissingQuery {
	return siaga.MissingQuery{Region: code, Contest: c, Kind: siaga.MissingKind(q.Get("jenis")), After: q.Get("belum"), Limit: limit}
}

// missingList is the page of the list r asks for, below code, for
// contest c.
func (h *Pages) missingList(r *http.Request, code string, c siaga.Contest) (missingList, error) {
	q := r.URL.Query()
	mq := missingQuery(code, c, q, missingPageSize)
	page, err := h.Results.MissingPage(mq)
	if err != nil {
		return missingList{}, err
	}
	l := missingList{Kind: mq.Kind, Total: page.Total, Missing: page.Missing, Incomplete: page.Incomplete, Postponed: page.Postponed}
	l.From, _ = strconv.Atoi(q.Get("dari"))
	l.From = max(l.From, 1)
	for _, m := range page.Items {
		l.Rows = append(l.Rows, h.missingRow(m))
	}
	l.To = l.From + len(l.Rows) - 1
	link := url.Values{"kontes": {string(c)}}
	if mq.Kind != "" {
		link.Set("jenis", string(mq.Kind))
	}
	base := "/wilayah/" + code + "/belum"
	l.CSV, l.XLSX = base+".csv?"+link.Encode(), base+".xlsx?"+link.Encode()
	if mq.After != "" {
		l.First = "/wilayah/" + code + "?" + link.Encode() + "#belum"
	}
	if page.Next != "" {
		link.Set("belum", page.Next)
		link.Set("dari", strconv.Itoa(l.From+len(page.Items)))
		l.Next = "/wilayah/" + code + "?" + link.Encode() + "#belum"
	}
	return l, nil
}

func (h *Pages) missingRow(m siaga.MissingTPS) missingRow {
	row := missingRow{TPS: m.TPS, Kind: m.Kind, KindName: kindNames[m.Kind], Contests: contestList(m.Contests),
		Incomplete: contestList(m.Incomplete), Connectivity: m.Connectivity, LastContact: fmtWhen(m.LastContact),
		Postponed: postponementText(m.Postponement), PostponedURL: postponementURL(m.Postponement)}
	if t, ok := h.Regions.TPS(m.TPS); ok {
		row.Number = t.Number
		if row.Connectivity == "" {
			row.Connectivity = t.Connectivity
		}
	}
	if d, ok := h.Regions.Region(siaga.ParentCode(m.TPS)); ok {
		row.Desa = d.Name
	}
	return row
}

var missingColumns = []column{{Name: "tps"}, {Name: "desa"}, {Name: "nomor", Number: true}, {Name: "keadaan"},
	{Name: "kontes_belum_masuk"}, {Name: "kontes_tidak_lengkap"}, {Name: "sinyal"}, {Name: "kontak_terakhir"}, {Name: "penundaan"}}

// missingTable is the whole list of contest c (of one kind, if asked)
// below reg, page by page from the engine.
func (h *Pages) missingTable(r *http.Request, c siaga.Contest, reg siaga.Region) table {
	kind := siaga.MissingKind(r.URL.Query().Get("jenis"))
	return table{Name: "siaga-belum-melapor-" + reg.Code + "-" + string(c), Columns: missingColumns, Rows: func(row func([]string) error) error {
		q := siaga.MissingQuery{Region: reg.Code, Contest: c, Kind: kind, Limit: 1000}
		for {
			page, err := h.Results.MissingPage(q)
			if err != nil {
				return err
			}
			for _, m := range page.Items {
				x := h.missingRow(m)
				err := row([]string{x.TPS, x.Desa, strconv.Itoa(x.Number), x.KindName, x.Contests, x.Incomplete,
					connectivityName(x.Connectivity), x.LastContact, x.Postponed})
				if err != nil {
					return err
				}
			}
			if page.Next == "" {
				return nil
			}
			q.After = page.Next
		}
	}}
}

// ExportMissing serves GET /wilayah/{code}/belum.csv and .xlsx.
func (h *Pages) ExportMissing(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.Regions.Region(r.PathValue("code"))
		if !ok {
			h.pageNotFound(w, r)
			return
		}
		// The engine checks the query; asked before the download starts,
		// a bad one is a clear 400, not a file cut short.
		probe := siaga.MissingQuery{Region: reg.Code, Contest: contestParam(r), Kind: siaga.MissingKind(r.URL.Query().Get("jenis")), Limit: 1}
		if _, err := h.Results.MissingPage(probe); err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.missingTable(r, contestParam(r), reg), f)
	}
}
