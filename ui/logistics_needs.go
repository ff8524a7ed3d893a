package ui

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
)

// The needs of a region (/logistik/{code}/kebutuhan, logistics staff in
// scope): what its TPS need under the bill of materials, then a row per
// child region, the ballots per contest and dapil of each child, and at
// province level a block per KPU kab/kota warehouse. Each table is one
// table function that the page and its CSV/XLSX downloads share.

// grid is a table as a page shows it: the rows of the same table
// function its downloads write.
type grid struct {
	ID      string
	Caption string
	Columns []column
	Rows    []gridRow
	CSV     string
	XLSX    string
}

// gridRow is a row's cells; Alert marks it (red) when the alert column
// holds a number above zero: a shortfall.
type gridRow struct {
	Cells []string
	Alert bool
}

// gridOf runs t's rows into a grid; alert is the column whose positive
// number marks a row, -1 for none.
func gridOf(id, caption, base string, t table, alert int) (grid, error) {
	g := grid{ID: id, Caption: caption, Columns: t.Columns, CSV: base + ".csv", XLSX: base + ".xlsx"}
	err := t.Rows(func(cells []string) error {
		row := gridRow{Cells: slices.Clone(cells)}
		if alert >= 0 && alert < len(cells) {
			n, err := strconv.Atoi(cells[alert])
			row.Alert = err == nil && n > 0
		}
		g.Rows = append(g.Rows, row)
		return nil
	})
	return g, err
}

type needsPage struct {
	basePage
	Region siaga.Region
	Needs  logistics.Needs
	Tables []grid
	// Ballots links to the ballot lots of the region.
	Ballots string
}

// needsTables are the page's tables by name, as the routes name them.
var needsTables = []string{"rincian", "dapil", "gudang"}

// NeedsPage serves GET /logistik/{code}/kebutuhan.
func (h *Pages) NeedsPage(w http.ResponseWriter, r *http.Request) {
	reg, b, ok := h.needsOf(w, r)
	if !ok {
		return
	}
	p := needsPage{basePage: h.base(r, "Kebutuhan logistik — "+reg.Name), Region: reg, Needs: b.Region,
		Ballots: "/logistik/" + reg.Code + "/surat-suara"}
	p.Nav, p.Path = "logistik", h.Regions.Path(reg.Code)
	captions := map[string]string{
		"rincian": "Per wilayah di bawahnya (per child region)",
		"dapil":   "Surat suara per kontes dan dapil (ballots per contest and dapil)",
		"gudang":  "Per gudang KPU kabupaten/kota (per warehouse)",
	}
	for _, name := range needsTables {
		if name == "gudang" && reg.Level != siaga.LevelProvince {
			continue
		}
		g, err := gridOf("kebutuhan-"+name, captions[name], "/logistik/"+reg.Code+"/kebutuhan-"+name, h.needsTable(reg, b, name), -1)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		p.Tables = append(p.Tables, g)
	}
	h.render(w, r, "logistics_needs", p)
}

// NeedsExport serves GET /logistik/{code}/kebutuhan-{name}.csv|xlsx.
func (h *Pages) NeedsExport(name string, f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, b, ok := h.needsOf(w, r)
		if !ok {
			return
		}
		h.writeTable(w, r, h.needsTable(reg, b, name), f)
	}
}

// needsOf is the path's region and its needs, or an error page.
func (h *Pages) needsOf(w http.ResponseWriter, r *http.Request) (siaga.Region, logistics.NeedsBreakdown, bool) {
	if h.Needs == nil {
		h.Error(w, r, http.StatusNotFound, "Data logistik tidak tersedia di server ini.", "Logistics data is not available on this server.")
		return siaga.Region{}, logistics.NeedsBreakdown{}, false
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return reg, logistics.NeedsBreakdown{}, false
	}
	b, err := h.Needs.Breakdown(reg.Code)
	if err != nil {
		h.writeError(w, r, err)
		return reg, b, false
	}
	return reg, b, true
}

// needsItems lists the items of n: the ballots in contest order, the rest
// in the bill of materials' order.
func (h *Pages) needsItems() []siaga.Item {
	bom := h.Needs.BOM()
	var out []siaga.Item
	for _, c := range bom.Ballots {
		out = append(out, siaga.BallotItem(c))
	}
	for _, l := range bom.PerTPS {
		out = append(out, l.Item)
	}
	for _, l := range bom.PerContest {
		out = append(out, l.Item)
	}
	return out
}

// needsTable is one of the page's tables: "rincian" (the region and each
// child, an item per column), "dapil" (ballots per contest, dapil and
// child) or "gudang" (each warehouse, an item per column).
func (h *Pages) needsTable(reg siaga.Region, b logistics.NeedsBreakdown, name string) table {
	items := h.needsItems()
	t := table{Name: "siaga-kebutuhan-" + name + "-" + reg.Code}
	switch name {
	case "dapil":
		t.Columns = []column{{Name: "kontes"}, {Name: "dapil"}, {Name: "kode"}, {Name: "wilayah"}, {Name: "tps", Number: true},
			{Name: "surat_suara", Number: true}}
		t.Rows = func(row func([]string) error) error {
			for _, c := range h.Needs.BOM().Ballots {
				for _, d := range b.Region.Dapils(c) {
					rows := append([]logistics.Needs{b.Region}, b.Children...)
					for i := range rows {
						n := &rows[i]
						q := n.Ballots(c, d)
						if q == 0 && i > 0 {
							continue
						}
						if err := row([]string{contestNames[c], d, n.Code, needsName(n, i == 0), strconv.Itoa(n.TPS), strconv.Itoa(q)}); err != nil {
							return err
						}
					}
				}
			}
			return nil
		}
		return t
	}
	t.Columns = []column{{Name: "kode"}, {Name: "wilayah"}, {Name: "tps", Number: true}, {Name: "dpt", Number: true}}
	for _, it := range items {
		t.Columns = append(t.Columns, column{Name: string(it), Number: true})
	}
	list := b.Warehouses
	if name == "rincian" {
		list = append([]logistics.Needs{b.Region}, b.Children...)
	}
	t.Rows = func(row func([]string) error) error {
		for i := range list {
			n := &list[i]
			cells := []string{n.Code, needsName(n, name == "rincian" && i == 0), strconv.Itoa(n.TPS), strconv.Itoa(n.DPT)}
			for _, it := range items {
				cells = append(cells, strconv.Itoa(n.Items[it]))
			}
			if err := row(cells); err != nil {
				return err
			}
		}
		return nil
	}
	return t
}

// needsName names a row: the region's total, a region, a warehouse or a
// TPS by its number.
func needsName(n *logistics.Needs, total bool) string {
	name := n.Name
	if name == "" && len(n.Code) == 13 {
		name = "TPS " + n.Code[10:]
	}
	if total {
		return "Jumlah " + name
	}
	return name
}
