package ui

import (
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
)

// The logistics readiness board (/logistik/{code}): the share of TPS with
// a complete kit, their kit statuses, a row per child region, and the
// shipments late, short, held and stalled, at a moment ("per tanggal"),
// for one item or the ballots of one contest. Staff only (logReadRoles in
// the region's scope): the public sees nothing of logistics. Every table
// leaves as CSV and XLSX from the one function the page renders.

// boardPageSize is each list's page on the board.
const boardPageSize = 50

// boardTimeLayout is the "per tanggal" field's (datetime-local), in WIB.
const boardTimeLayout = "2006-01-02T15:04"

// BoardTables are the board's tables by the name in their URL.
var BoardTables = []string{"wilayah", string(logistics.ListLate), string(logistics.ListShort), string(logistics.ListHeld), string(logistics.ListStalled)}

// boardQuery reads the board's filters: ?barang=, ?kontes=, ?per= (a
// datetime-local in WIB), and each list's cursor (?setelah_terlambat=…).
// The default moment is now, or the end of voting day once it is past,
// so that the board of an election still shows its H-day.
func (h *Pages) boardQuery(r *http.Request) (logistics.BoardQuery, error) {
	v := r.URL.Query()
	q := logistics.BoardQuery{BoardFilter: logistics.BoardFilter{Item: siaga.Item(v.Get("barang")), Contest: siaga.Contest(v.Get("kontes"))},
		Limit: boardPageSize, After: map[logistics.BoardList]string{}}
	for _, l := range logistics.BoardLists {
		q.After[l] = v.Get("setelah_" + string(l))
	}
	if s := v.Get("per"); s != "" {
		at, err := time.ParseInLocation(boardTimeLayout, s, siaga.WIB)
		if err != nil {
			return q, siaga.Errorf(siaga.EInvalid, "per", "tanggal %q tidak terbaca (tttt-bb-hhTjj:mm)", "date %q does not parse (yyyy-mm-ddThh:mm)", s)
		}
		q.At = at
	} else {
		q.At = h.boardDefaultAt()
	}
	return q, nil
}

// boardDefaultAt is now, or the last moment of voting day when now is
// later.
func (h *Pages) boardDefaultAt() time.Time {
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	at := now()
	if h.Election != nil {
		if vd, err := time.ParseInLocation(time.DateOnly, h.Election.Date, siaga.WIB); err == nil {
			if end := vd.AddDate(0, 0, 1).Add(-time.Minute); at.After(end) {
				at = end
			}
		}
	}
	return at
}

// boardView is the board of {code} as asked, or an answered error.
func (h *Pages) boardView(w http.ResponseWriter, r *http.Request, limit int) (*logistics.BoardView, bool) {
	if h.LogisticsBoard == nil {
		h.Error(w, r, http.StatusNotFound, "Logistik tidak tersedia di server ini.", "Logistics is not available on this server.")
		return nil, false
	}
	q, err := h.boardQuery(r)
	if err == nil {
		q.Limit = limit
		var v *logistics.BoardView
		if v, err = h.LogisticsBoard.Of(r.Context(), r.PathValue("code"), q); err == nil {
			return v, true
		}
	}
	h.writeError(w, r, err)
	return nil, false
}

// boardTable is one of the board's tables: "wilayah" the region and its
// children by kit status, or one of the lists of shipments.
func boardTable(v *logistics.BoardView, name string) table {
	t := table{Name: "logistik_" + name + "_" + v.Region.Code}
	if name == "wilayah" {
		cols := []string{"kode", "wilayah", "#tps", "#tps_lengkap", "#persen_lengkap"}
		for _, k := range logistics.KitStatuses {
			cols = append(cols, "#"+string(k))
		}
		t.Columns = readinessColumns(append(cols, "status")...)
		t.Rows = func(row func([]string) error) error {
			for _, c := range append([]logistics.BoardRow{v.Total}, v.Children...) {
				cells := []string{c.Code, c.Name, itoa(c.TPS), itoa(c.Complete), decimal(math.Round(1000*c.Share()) / 10)}
				for _, n := range c.Counts {
					cells = append(cells, itoa(n))
				}
				if err := row(append(cells, string(c.Status))); err != nil {
					return err
				}
			}
			return nil
		}
		return t
	}
	t.Columns = readinessColumns("surat_jalan", "id", "dari", "ke", "moda", "status", "rencana_tiba", "kejadian_terakhir",
		"#jam_sejak_kejadian", "#jam_perjalanan_wajar", "#kurang", "alasan", "pengawal")
	p := v.Lists[logistics.BoardList(name)]
	t.Rows = func(row func([]string) error) error {
		if p == nil {
			return nil
		}
		for _, s := range p.Items {
			sh := s.Shipment
			since := ""
			if !s.LastEvent.IsZero() {
				since = decimal(math.Round(10*s.At.Sub(s.LastEvent).Hours()) / 10)
			}
			err := row([]string{sh.Waybill, sh.ID, sh.From, sh.To, string(sh.Mode), string(s.Status), boardTime(s.PlannedArrival),
				boardTime(s.LastEvent), since, decimal(math.Round(10*logistics.Expected(sh).Hours()) / 10), itoa(s.Short()), s.Reason, sh.Escort})
			if err != nil {
				return err
			}
		}
		return nil
	}
	return t
}

// boardTime is a moment in WIB as the tables write it.
func boardTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(siaga.WIB).Format("2006-01-02 15:04")
}

// LogisticsBoardExport returns the handler of /logistik/{code}/{table}.csv
// or .xlsx: the whole table, not the page's page of it.
func (h *Pages) LogisticsBoardExport(name string, f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := h.boardView(w, r, 0)
		if !ok {
			return
		}
		h.writeTable(w, r, boardTable(v, name), f)
	}
}

// boardPage is /logistik/{code}.
type boardPage struct {
	basePage
	Region         siaga.Region
	View           *logistics.BoardView
	At             string // the "per tanggal" field
	AtText         string
	Item           string
	Contest        string
	Items          []siaga.Item
	ContestChoices []siaga.Contest
	Statuses       []boardStatus
	Children       linkedTable
	Lists          []boardListView
	Links          []boardLink
	// Query is the filters' query string, for the export links.
	Query string
}

type boardStatus struct {
	Key, Name, EN, Color string
	Count                int
	Share                float64
}

type boardListView struct {
	Name, Title, EN string
	Table           linkedTable
	Total, From, To int
	Next            string // the next page's URL, "" at the end
	CSV, XLSX       string
}

type boardLink struct{ Label, URL string }

// linkedTable is a table as a page shows it, each row's first cell
// linking to Links[i] ("" no link).
type linkedTable struct {
	Columns []column
	Rows    [][]string
	Links   []string
}

// kitColors are the kit statuses' colours, as KitStatuses: the board's
// bars and the map's points.
var kitColors = []string{"#d92d20", "#6b21a8", "#f04438", "#f79009", "#2e90fa", "#98a2b3", "#12b76a"}

// LogisticsBoardPage serves GET /logistik/{code}.
func (h *Pages) LogisticsBoardPage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.boardView(w, r, boardPageSize)
	if !ok {
		return
	}
	reg := v.Region
	p := boardPage{basePage: h.base(r, "Logistik "+reg.Name), Region: reg, View: v, At: v.At.In(siaga.WIB).Format(boardTimeLayout),
		AtText: fmtWhen(v.At), Item: string(v.Filter.Item), Contest: string(v.Filter.Contest), ContestChoices: siaga.Contests}
	p.Nav, p.Path = "logistik", h.Regions.Path(reg.Code)
	p.Items = h.boardItems()
	for i, k := range logistics.KitStatuses {
		id, en := k.Words()
		p.Statuses = append(p.Statuses, boardStatus{Key: string(k), Name: id, EN: en, Color: kitColors[i], Count: v.Total.Counts[i],
			Share: shareOf(int64(v.Total.Counts[i]), int64(v.Total.TPS))})
	}
	filters := url.Values{}
	for k, s := range map[string]string{"barang": p.Item, "kontes": p.Contest, "per": r.URL.Query().Get("per")} {
		if s != "" {
			filters.Set(k, s)
		}
	}
	if len(filters) > 0 {
		p.Query = "?" + filters.Encode()
	}
	p.Children = linked(boardTable(v, "wilayah"), func(code string) string {
		if code == reg.Code {
			return ""
		}
		if siaga.LevelOf(code) == siaga.LevelTPS {
			return "/tps/" + code
		}
		return "/logistik/" + code + p.Query
	})
	for _, l := range logistics.BoardLists {
		pg := v.Lists[l]
		id, en := boardListWords(l)
		lv := boardListView{Name: string(l), Title: id, EN: en, Total: pg.Total,
			CSV: "/logistik/" + reg.Code + "/" + string(l) + ".csv" + p.Query, XLSX: "/logistik/" + reg.Code + "/" + string(l) + ".xlsx" + p.Query}
		ids := map[string]string{}
		for _, s := range pg.Items {
			ids[s.Shipment.Waybill] = s.Shipment.ID
		}
		lv.Table = linked(boardTable(v, string(l)), func(waybill string) string {
			return "/logistik/" + reg.Code + "/kiriman/" + url.PathEscape(ids[waybill])
		})
		if n := len(pg.Items); n > 0 {
			lv.From = pg.Offset + 1
			lv.To = lv.From + n - 1
		}
		if pg.Next != "" {
			next := r.URL.Query()
			next.Set("setelah_"+string(l), pg.Next)
			lv.Next = "/logistik/" + reg.Code + "?" + next.Encode() + "#" + string(l)
		}
		p.Lists = append(p.Lists, lv)
	}
	base := "/logistik/" + reg.Code
	p.Links = []boardLink{{"Kebutuhan / needs", base + "/kebutuhan"}, {"Surat suara / ballots", base + "/surat-suara"},
		{"Pengiriman / shipments", base + "/kiriman"}, {"Peringatan / alerts", base + "/peringatan"},
		{"Kotak suara setelah pemungutan / custody", base + "/kotak"}, {"Peta kesiapan / readiness map", "/kesiapan/" + reg.Code}}
	h.render(w, r, "logistics_board", p)
}

// linked turns a table into rows for a page, linking each row's first
// cell.
func linked(t table, link func(first string) string) linkedTable {
	lt := linkedTable{Columns: t.Columns}
	_ = t.Rows(func(cells []string) error {
		lt.Rows = append(lt.Rows, cells)
		lt.Links = append(lt.Links, link(cells[0]))
		return nil
	})
	return lt
}

func boardListWords(l logistics.BoardList) (id, en string) {
	switch l {
	case logistics.ListLate:
		return "Terlambat", "late: past the planned arrival, not arrived"
	case logistics.ListShort:
		return "Kurang", "short: delivered with a shortfall"
	case logistics.ListHeld:
		return "Tertahan", "held"
	case logistics.ListStalled:
		return "Macet", "stalled: no news for longer than the leg should take"
	}
	return string(l), string(l)
}

// boardItems are the items the filter offers: those of the bill of
// materials the needs are counted with.
func (h *Pages) boardItems() []siaga.Item {
	if h.Needs != nil {
		return h.Needs.BOM().Items()
	}
	return logistics.DefaultBOM().Items()
}
