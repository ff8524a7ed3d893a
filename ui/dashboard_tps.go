package ui

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/rules"
)

// Rules finds the context a stored form was checked in (rules.Checker).
type Rules interface {
	Context(sub *siaga.Submission) (rules.Context, error)
}

type tpsPage struct {
	basePage
	TPS          siaga.TPS
	Number       string
	Desa         siaga.Region
	Ballots      []tpsContest
	Counting     siaga.Source
	CSV, XLSX    string
	History      []historyRow
	HistoryError string
	Disaster     *tpsDisaster // disaster_tps.go
	Signal       *tpsSignal   // connectivity.go; nil when its pages are off
}

// tpsContest lays the latest numbers of every source of one contest side
// by side: one column per source, one row per option, totals line and
// administrative field that any source filled in.
type tpsContest struct {
	Contest siaga.Contest
	Name    string
	Columns []tpsColumn
	Rows    []compareRow
	// Findings are the flags that concern no single row of the table
	// (a missing section, sources that differ), in column order.
	Findings []tpsFinding
	Differs  bool
}

// tpsColumn is one source's latest version.
type tpsColumn struct {
	Source     siaga.Source
	Counts     bool // its forms make the official tally
	Version    int
	ReceivedAt time.Time
	Rules      []flagRow
	Photos     *photoLine // photos.go; nil when photos are off
}

// Sections of the comparison, in the order they are shown.
const (
	sectionVotes  = "votes"  // one row per option
	sectionTotals = "totals" // the lines the votes add up to
	sectionAdmin  = "admin"  // the rest of the administrative section
)

// sumKey is the row of the options' sum, which no form carries: rule R1
// compares it with the valid votes.
const sumKey = "jumlah_suara"

// totalsKeys are the totals lines, after the sum of the options.
var totalsKeys = []string{"suara_sah", "suara_tidak_sah", "suara_total", "pengguna_total_j"}

type compareRow struct {
	Key      string
	Label    string
	Section  string
	Cells    []compareCell
	Differs  bool
	Findings []tpsFinding // the flags about this row's number, spelt out
}

type compareCell struct {
	Value   int
	Present bool
	// Differs marks a number other than the counting source's (or, when
	// that source lacks the row, the first source's).
	Differs bool
	Rules   []string // flags of this source about this number
}

// tpsFinding is one broken rule of one source's form, with its numbers.
type tpsFinding struct {
	Rule      string
	Source    siaga.Source
	Message   string
	MessageEN string
	fields    []string // the form's fields it concerns (rules.Finding)
}

type historyRow struct {
	siaga.Version
	Rules  []flagRow
	Photos *photoLine // photos.go
}

func (h *Pages) TPSPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	t, ok := h.Regions.TPS(code)
	if !ok {
		h.pageNotFound(w, r)
		return
	}
	p := tpsPage{basePage: h.base(r, "TPS "+tpsNumber(t.Number)), TPS: t, Number: tpsNumber(t.Number)}
	p.Nav, p.Path = "rekap", h.Regions.Path(t.Desa)
	p.Desa, _ = h.Regions.Region(t.Desa)
	p.Counting = h.Results.Counting()
	p.CSV, p.XLSX = "/tps/"+code+"/tabel.csv", "/tps/"+code+"/tabel.xlsx"
	p.Ballots = h.tpsBallots(r.Context(), code, p.Contest, true)
	p.Signal = h.tpsSignal(h.account(r), code)
	hist, err := h.Results.History(r.Context(), code)
	if err != nil {
		h.dashLog().Error("tps history", "tps", code, "err", err)
		p.HistoryError = "Riwayat versi tidak dapat dimuat saat ini."
	}
	hist = VersionsFor(p.User, code, hist) // device ids and usernames are for staff in scope
	for i := len(hist) - 1; i >= 0; i-- {  // newest first: what changed last matters most
		p.History = append(p.History, historyRow{Version: hist[i], Rules: ruleRows(hist[i].Rules),
			Photos: h.photoLineOf(r.Context(), hist[i].Submission)})
	}
	p.Disaster = h.tpsDisasterOf(r, code, p.User)
	h.render(w, r, "tps", p)
}

// tpsBallots compares the sources of every contest that has a form at the
// TPS, the contest the visitor chose first. Photos are looked up for the
// page only.
func (h *Pages) tpsBallots(ctx context.Context, code string, first siaga.Contest, photos bool) []tpsContest {
	latest := h.Results.Latest(code)
	counting := h.Results.Counting()
	order := append([]siaga.Contest{first}, slices.DeleteFunc(slices.Clone(siaga.Contests), func(c siaga.Contest) bool { return c == first })...)
	var out []tpsContest
	for _, c := range order {
		tc, vs, ok := h.compare(c, latest, counting)
		if !ok {
			continue
		}
		if photos {
			for i := range tc.Columns {
				tc.Columns[i].Photos = h.photoLineOf(ctx, vs[i].Submission)
			}
		}
		out = append(out, tc)
	}
	return out
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

// compare lays the latest version of each source of contest c side by
// side, one row per number present in any of them, marks the numbers that
// differ (R11) and places each flag next to the number it concerns.
func (h *Pages) compare(c siaga.Contest, latest []siaga.Version, counting siaga.Source) (tpsContest, []siaga.Version, bool) {
	tc := tpsContest{Contest: c, Name: contestNames[c]}
	var vs []siaga.Version
	for _, src := range siaga.Sources {
		for _, v := range latest {
			if v.Contest == c && v.Source == src {
				tc.Columns = append(tc.Columns, tpsColumn{Source: src, Counts: src == counting, Version: v.Number,
					ReceivedAt: v.ReceivedAt, Rules: ruleRows(v.Rules)})
				vs = append(vs, v)
			}
		}
	}
	if len(vs) == 0 {
		return tc, nil, false
	}
	ref := slices.IndexFunc(tc.Columns, func(col tpsColumn) bool { return col.Counts })
	totals := make([]map[string]int, len(vs))
	for i, v := range vs {
		totals[i] = v.Form.Votes.OptionTotals()
	}
	for _, o := range h.optionRows(c, optionKeys(vs)) {
		row := compareRow{Key: o.Key, Label: o.Label, Section: sectionVotes}
		for i := range vs {
			n, ok := totals[i][o.Key]
			row.Cells = append(row.Cells, compareCell{Value: n, Present: ok})
		}
		tc.add(row, ref)
	}
	sum := compareRow{Key: sumKey, Label: "Jumlah suara pilihan", Section: sectionTotals}
	for _, v := range vs {
		sum.Cells = append(sum.Cells, compareCell{Value: v.Form.Votes.Total(), Present: v.Form.Votes != nil})
	}
	tc.add(sum, ref)
	for _, f := range totalsKeys {
		tc.add(adminRow(f, sectionTotals, vs), ref)
	}
	for _, f := range siaga.AdminFields {
		if !slices.Contains(totalsKeys, f) {
			tc.add(adminRow(f, sectionAdmin, vs), ref)
		}
	}
	for i, v := range vs {
		tc.place(i, h.findings(v))
	}
	return tc, vs, true
}

func adminRow(field, section string, vs []siaga.Version) compareRow {
	row := compareRow{Key: field, Label: adminNames[field], Section: section}
	for _, v := range vs {
		n, ok := v.Form.Admin.Get(field)
		row.Cells = append(row.Cells, compareCell{Value: n, Present: ok})
	}
	return row
}

// add keeps rows some source filled in, and marks the cells that differ
// from the reference column ref (the counting source; -1: the first
// source that has the row).
func (tc *tpsContest) add(row compareRow, ref int) {
	base := -1
	if ref >= 0 && row.Cells[ref].Present {
		base = ref
	} else {
		base = slices.IndexFunc(row.Cells, func(c compareCell) bool { return c.Present })
	}
	if base < 0 {
		return
	}
	for i := range row.Cells {
		c := &row.Cells[i]
		if c.Present && c.Value != row.Cells[base].Value {
			c.Differs, row.Differs = true, true
		}
	}
	tc.Differs = tc.Differs || row.Differs
	tc.Rows = append(tc.Rows, row)
}

// findings spells out the flags of a stored version with its numbers
// (rules.Explain, in the context it was checked in). A flag the rules do
// not spell out (R11, which compares sources) keeps its general text.
func (h *Pages) findings(v siaga.Version) []tpsFinding {
	var out []tpsFinding
	explained := map[string]bool{}
	if h.Rules != nil && len(v.Rules) > 0 {
		sub := &siaga.Submission{TPS: v.TPS, Contest: v.Contest, Source: v.Source, Form: v.Form}
		if ctx, err := h.Rules.Context(sub); err == nil {
			for _, f := range rules.Explain(&v.Form, ctx) {
				if slices.Contains(v.Rules, f.Rule) {
					out = append(out, tpsFinding{Rule: f.Rule, Source: v.Source, Message: f.Message, MessageEN: f.MessageEN, fields: f.Fields})
					explained[f.Rule] = true
				}
			}
		}
	}
	for _, id := range v.Rules {
		if !explained[id] {
			_, en := rules.Describe(id)
			out = append(out, tpsFinding{Rule: id, Source: v.Source, Message: ruleText(id), MessageEN: en})
		}
	}
	return out
}

// ruleRow is the row a rule is about when it names several fields: the
// total that the others should add up to, or stay under.
var ruleRow = map[string]string{"R2": "suara_total", "R7": sumKey}

// place puts each finding of column col on the row of the number it is
// about (ruleRow, else the first of its fields the table has), marking
// that cell; the rest go under the table.
func (tc *tpsContest) place(col int, fs []tpsFinding) {
	for _, f := range fs {
		at := tc.rowOf(ruleRow[f.Rule])
		for _, field := range f.fields {
			if at >= 0 {
				break
			}
			at = tc.rowOf(fieldKey(field))
		}
		if at < 0 {
			tc.Findings = append(tc.Findings, f)
			continue
		}
		row := &tc.Rows[at]
		row.Findings = append(row.Findings, f)
		if !slices.Contains(row.Cells[col].Rules, f.Rule) {
			row.Cells[col].Rules = append(row.Cells[col].Rules, f.Rule)
		}
	}
}

func (tc *tpsContest) rowOf(key string) int {
	if key == "" {
		return -1
	}
	return slices.IndexFunc(tc.Rows, func(r compareRow) bool { return r.Key == key })
}

// fieldKey is the row of a finding's field path: an administrative field,
// or the sum of the votes for the vote section.
func fieldKey(path string) string {
	switch {
	case strings.HasPrefix(path, "form.administrasi."):
		return strings.TrimPrefix(path, "form.administrasi.")
	case path == "form.suara" || strings.HasPrefix(path, "form.suara."):
		return sumKey
	}
	return ""
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

// comparisonTable is the comparison of every contest of a TPS as one table, for
// the page's CSV and XLSX: the same rows the page shows, one column per
// source.
func (h *Pages) comparisonTable(t siaga.TPS, ballots []tpsContest) table {
	counting := h.Results.Counting()
	cols := []column{{Name: "kontes"}, {Name: "bagian"}, {Name: "isian"}}
	for _, src := range siaga.Sources {
		name := sourceName(src)
		if src == counting {
			name += " (dihitung)"
		}
		cols = append(cols, column{Name: name, Number: true})
	}
	cols = append(cols, column{Name: "berbeda"}, column{Name: "aturan"})
	return table{
		Name:    "tps-" + t.Code,
		Columns: cols,
		Rows: func(row func([]string) error) error {
			for _, tc := range ballots {
				for _, r := range tc.Rows {
					cells := []string{string(tc.Contest), r.Section, r.Label}
					for _, src := range siaga.Sources {
						cells = append(cells, tc.cell(r, src))
					}
					differs := ""
					if r.Differs {
						differs = "ya"
					}
					var flags []string
					for _, f := range r.Findings {
						flags = append(flags, f.Rule+" "+sourceName(f.Source)+": "+f.Message)
					}
					cells = append(cells, differs, strings.Join(flags, "; "))
					if err := row(cells); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
}

// cell is the number source src gave on row r, "" when it gave none.
func (tc *tpsContest) cell(r compareRow, src siaga.Source) string {
	for i, col := range tc.Columns {
		if col.Source == src && r.Cells[i].Present {
			return strconv.Itoa(r.Cells[i].Value)
		}
	}
	return ""
}

func (h *Pages) TPSCSV(w http.ResponseWriter, r *http.Request)  { h.tpsExport(w, r, FormatCSV) }
func (h *Pages) TPSXLSX(w http.ResponseWriter, r *http.Request) { h.tpsExport(w, r, FormatXLSX) }

func (h *Pages) tpsExport(w http.ResponseWriter, r *http.Request, f ExportFormat) {
	t, ok := h.Regions.TPS(r.PathValue("code"))
	if !ok {
		h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "code", "TPS tidak ditemukan", "TPS not found"))
		return
	}
	h.writeTable(w, r, h.comparisonTable(t, h.tpsBallots(r.Context(), t.Code, siaga.PPWP, false)), f)
}
