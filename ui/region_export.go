package ui

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// The region pages' tables as downloads: hasil (results per child region,
// or per province on the country page), tps (every TPS of a kab/kota or
// lower with its votes) and dapil (votes and projected seats per dapil of a
// legislative contest). The page shows the same rows.

// resultRow is one child region (or TPS) of a region page with its tally.
type resultRow struct {
	Code, Name string
	Tally      siaga.Tally
	Turnout    turnout
}

// resultRows are the children of reg (its TPS for a desa) with their
// tallies for contest c.
func (h *Pages) resultRows(c siaga.Contest, reg siaga.Region) []resultRow {
	if reg.Level == siaga.LevelDesa {
		tps := h.Regions.TPSOf(reg.Code)
		out := make([]resultRow, len(tps))
		for i, t := range tps {
			out[i] = h.resultRow(c, t.Code, "TPS "+tpsNumber(t.Number), siaga.Region{Code: t.Code, TPSCount: 1, DPT: t.DPT})
		}
		return out
	}
	kids := h.Regions.Children(reg.Code)
	out := make([]resultRow, len(kids))
	for i, k := range kids {
		out[i] = h.resultRow(c, k.Code, k.Name, k)
	}
	return out
}

func (h *Pages) resultRow(c siaga.Contest, code, name string, reg siaga.Region) resultRow {
	t := h.tally(c, reg)
	return resultRow{Code: code, Name: name, Tally: t, Turnout: turnoutOf(t)}
}

// countColumns are the columns every results table shares, after the
// row's own: progress, turnout and the difference it explains.
var countColumns = []column{
	{"TPS", true}, {"TPS melapor", true}, {"TPS diterima belum lengkap", true},
	{"DPT", true}, {"DPT TPS terhitung", true}, {"Pengguna hak pilih", true}, {"Partisipasi (%)", true},
	{"Suara sah", true}, {"Suara tidak sah", true}, {"Selisih pengguna − (sah + tidak sah)", true},
}

func countCells(t siaga.Tally, tu turnout) []string {
	return []string{
		itoa(t.TPSTotal), itoa(t.TPSReported), itoa(t.TPSIncomplete),
		i64(tu.DPT), i64(tu.VotersDPT), i64(tu.Voters), percent(tu.Share, tu.VotersDPT),
		i64(t.SuaraSah), i64(t.SuaraTidakSah), i64(tu.Gap),
	}
}

func itoa(n int) string  { return strconv.Itoa(n) }
func i64(n int64) string { return strconv.FormatInt(n, 10) }

// percent is a share as a percentage with at most one decimal, written as
// a spreadsheet writes the number back ("37", not "37.0").
func percent(share float64, whole int64) string {
	if whole <= 0 {
		return ""
	}
	return strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64)
}

// optionColumns are one column of votes per ballot option.
func (h *Pages) optionColumns(c siaga.Contest) ([]column, []string) {
	opts := h.optionRows(c, nil)
	cols := make([]column, len(opts))
	keys := make([]string, len(opts))
	for i, o := range opts {
		cols[i], keys[i] = column{Name: o.Label, Number: true}, o.Key
	}
	return cols, keys
}

func voteCells(keys []string, votes map[string]int64) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = i64(votes[k])
	}
	return out
}

// resultsTable is the page's table of child regions (or TPS of a desa).
func (h *Pages) resultsTable(c siaga.Contest, reg siaga.Region) table {
	optCols, keys := h.optionColumns(c)
	cols := append([]column{{"Kode", false}, {"Wilayah", false}}, countColumns...)
	return table{
		Name:    "hasil-" + string(c) + "-" + reg.Code,
		Columns: append(cols, optCols...),
		Rows: func(row func([]string) error) error {
			for _, r := range h.resultRows(c, reg) {
				cells := append([]string{r.Code, r.Name}, countCells(r.Tally, r.Turnout)...)
				if err := row(append(cells, voteCells(keys, r.Tally.Votes)...)); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// countryRows are the provinces with their tallies.
func (h *Pages) countryRows(c siaga.Contest) []resultRow {
	provs := h.Regions.Provinces()
	out := make([]resultRow, len(provs))
	for i, p := range provs {
		out[i] = h.resultRow(c, p.Code, p.Name, p)
	}
	return out
}

// countryTable is the country page's table: every province.
func (h *Pages) countryTable(c siaga.Contest) table {
	optCols, keys := h.optionColumns(c)
	cols := append([]column{{"Kode", false}, {"Provinsi", false}}, countColumns...)
	return table{
		Name:    "hasil-" + string(c) + "-indonesia",
		Columns: append(cols, optCols...),
		Rows: func(row func([]string) error) error {
			for _, r := range h.countryRows(c) {
				cells := append([]string{r.Code, r.Name}, countCells(r.Tally, r.Turnout)...)
				if err := row(append(cells, voteCells(keys, r.Tally.Votes)...)); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// tpsStatus says what arrived from a TPS, in both languages.
func tpsStatus(t siaga.Tally) string {
	switch {
	case t.TPSReported > 0:
		return "terhitung / counted"
	case t.TPSIncomplete > 0:
		return "diterima, belum lengkap / received, incomplete"
	}
	return "belum ada yang masuk / nothing received"
}

// tpsTable is every TPS below reg with the counting source's numbers, from
// the results engine (no store query per TPS).
func (h *Pages) tpsTable(c siaga.Contest, reg siaga.Region) table {
	optCols, keys := h.optionColumns(c)
	cols := []column{{"Kode TPS", false}, {"Kecamatan", false}, {"Desa/Kelurahan", false}, {"Nomor TPS", true}, {"Status", false}}
	cols = append(cols, countColumns[3:]...) // one TPS: no TPS counts
	cols = append(cols, optCols...)
	cols = append(cols, column{"Tanda aturan", false})
	return table{
		Name:    "tps-" + string(c) + "-" + reg.Code,
		Columns: cols,
		Rows: func(row func([]string) error) error {
			names := map[string]string{}
			nameOf := func(code string) string {
				n, ok := names[code]
				if !ok {
					r, _ := h.Regions.Region(code)
					n, names[code] = r.Name, r.Name
				}
				return n
			}
			for _, tp := range h.Regions.TPSOf(reg.Code) {
				desa := siaga.ParentCode(tp.Code)
				t := h.tally(c, siaga.Region{Code: tp.Code, TPSCount: 1, DPT: tp.DPT})
				cells := []string{tp.Code, nameOf(siaga.ParentCode(desa)), nameOf(desa), itoa(tp.Number), tpsStatus(t)}
				cells = append(cells, countCells(t, turnoutOf(t))[3:]...)
				cells = append(cells, voteCells(keys, t.Votes)...)
				cells = append(cells, flagList(t.Flagged))
				if err := row(cells); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func flagList(f map[string]int) string {
	ids := make([]string, 0, len(f))
	for id, n := range f {
		if n > 0 {
			ids = append(ids, id)
		}
	}
	sortRules(ids)
	return strings.Join(ids, " ")
}

// dapilTable is one row per party per dapil of a legislative contest that
// overlaps reg, with the projected seats.
func (h *Pages) dapilTable(c siaga.Contest, reg siaga.Region) table {
	return table{
		Name: "dapil-" + string(c) + "-" + reg.Code,
		Columns: []column{{"Dapil", false}, {"Kursi", true}, {"TPS melapor", true}, {"TPS", true},
			{"Partai", false}, {"Suara", true}, {"Lolos ambang batas", false}, {"Proyeksi kursi (bukan hasil resmi)", true}},
		Rows: func(row func([]string) error) error {
			views, _ := h.dapilViews(c, reg)
			for _, d := range views {
				for _, p := range d.Parties {
					passed := "tidak / no"
					if p.Passed {
						passed = "ya / yes"
					}
					if err := row([]string{d.Name, itoa(d.Seats), itoa(d.TPSReported), itoa(d.TPSTotal),
						p.Label, i64(p.Votes), passed, itoa(p.Seats)}); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
}

// ExportRegion serves the downloads below /wilayah/{code}/: which table
// and format come from the route.
func (h *Pages) ExportRegion(build func(*Pages, siaga.Contest, siaga.Region) (table, bool), f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.Regions.Region(r.PathValue("code"))
		if !ok {
			h.pageNotFound(w, r)
			return
		}
		t, ok := build(h, contestParam(r), reg)
		if !ok {
			h.Error(w, r, http.StatusNotFound, "Tabel ini tidak ada untuk wilayah atau kontes ini.", "This table does not exist for this region or contest.")
			return
		}
		h.writeTable(w, r, t, f)
	}
}

func (h *Pages) ExportCountry(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.writeTable(w, r, h.countryTable(contestParam(r)), f)
	}
}

func HasilTable(h *Pages, c siaga.Contest, reg siaga.Region) (table, bool) {
	return h.resultsTable(c, reg), true
}

// TPSExport is offered from kab/kota down: a province's TPS are a
// kab/kota's many times over, one download per kab/kota.
func TPSExport(h *Pages, c siaga.Contest, reg siaga.Region) (table, bool) {
	return h.tpsTable(c, reg), reg.Level >= siaga.LevelKabKota
}

func DapilExport(h *Pages, c siaga.Contest, reg siaga.Region) (table, bool) {
	return h.dapilTable(c, reg), c.Legislative()
}
