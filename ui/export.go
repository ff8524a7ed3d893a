package ui

import (
	"cmp"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/deskpemilu/siaga"
)

// Every table an official sees can be taken away as CSV or XLSX: a page
// builds a table once and the same rows feed the CSV, the XLSX and, through
// its template, the printed page.

// column is one column of an exported table.
type column struct {
	Name string
	// Number makes the XLSX cell a number (votes, counts) so that a
	// spreadsheet can add it up; a cell that does not parse stays text.
	Number bool
}

// table is an exported table: its file name (without extension), its
// columns and its rows, produced one at a time so that a kab/kota's TPS
// need not all be held at once.
type table struct {
	Name    string
	Columns []column
	// Rows calls row for every row, in order, and stops at its first error.
	Rows func(row func(cells []string) error) error
}

// ExportFormat is the file format asked for by a route's pattern suffix.
type ExportFormat string

const (
	FormatCSV  ExportFormat = "csv"
	FormatXLSX ExportFormat = "xlsx"
)

// maxExports bounds the exports built at once, whoever asks: on two cores
// a kab/kota's TPS as XLSX takes a core for a second or more, and the
// night's forms must keep the other.
const maxExports = 1

// exportWait is how long a download waits for a slot before the server
// answers 503 with Retry-After.
const exportWait = 5 * time.Second

// writeTable sends t as a download in format f, once a slot is free.
func (h *Pages) writeTable(w http.ResponseWriter, r *http.Request, t table, f ExportFormat) {
	release, ok := h.exportSlot(w, r)
	if !ok {
		return
	}
	defer release()
	switch f {
	case FormatCSV:
		h.writeCSV(w, t)
	case FormatXLSX:
		h.writeXLSX(w, r, t)
	default:
		h.pageNotFound(w, r)
	}
}

// exportSlot waits for one of the export slots; false when none came free
// in time (answered 503 with Retry-After) or the client left. Every
// download takes one, whatever its format.
func (h *Pages) exportSlot(w http.ResponseWriter, r *http.Request) (release func(), ok bool) {
	if h.exports == nil {
		return func() {}, true
	}
	timer := time.NewTimer(cmp.Or(h.exportWait, exportWait))
	defer timer.Stop()
	select {
	case h.exports <- struct{}{}:
		return func() { <-h.exports }, true
	case <-timer.C:
		h.writeError(w, r, &siaga.Error{Code: siaga.EUnavailable, Message: "terlalu banyak unduhan sekarang; coba lagi sebentar",
			MessageEN: "too many downloads at once; try again shortly", RetryAfter: 10 * time.Second})
		return nil, false
	case <-r.Context().Done():
		return nil, false
	}
}

func downloadHeaders(w http.ResponseWriter, name, ext, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+ext+`"`)
	w.Header().Set("Cache-Control", "no-store")
}

// writeCSV streams t as CSV (UTF-8, a header row first).
func (h *Pages) writeCSV(w http.ResponseWriter, t table) {
	downloadHeaders(w, t.Name, "csv", "text/csv; charset=utf-8")
	cw := csv.NewWriter(w)
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	_ = cw.Write(names)
	err := t.Rows(func(cells []string) error {
		row := make([]string, len(cells))
		for i, c := range cells {
			if i < len(t.Columns) && t.Columns[i].Number {
				row[i] = c // ours, not typed by anyone: a negative difference stays a number
				continue
			}
			row[i] = inertCell(c)
		}
		return cw.Write(row)
	})
	cw.Flush()
	if err != nil {
		// The header is out: all that can be done is to cut the file short
		// and say so in the log.
		h.dashLog().Error("csv export", "table", t.Name, "err", err)
	}
}

// inertCell keeps a spreadsheet from reading a cell as a formula: names,
// notes and reasons are partly typed by users.
func inertCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// writeXLSX builds t as one XLSX sheet (streamed into the file, then sent
// whole, since the format is a zip written at the end). Text cells are
// never formulas.
func (h *Pages) writeXLSX(w http.ResponseWriter, r *http.Request, t table) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter(f.GetSheetName(0))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	row := 1
	add := func(vals []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = excelize.Cell{Value: c.Name}
	}
	err = add(head)
	if err == nil {
		err = t.Rows(func(cells []string) error { return add(xlsxCells(t.Columns, cells)) })
	}
	if err == nil {
		err = sw.Flush()
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	downloadHeaders(w, t.Name, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	if err := f.Write(w); err != nil {
		h.dashLog().Error("xlsx export", "table", t.Name, "err", err)
	}
}

func xlsxCells(cols []column, cells []string) []any {
	vals := make([]any, len(cells))
	for i, c := range cells {
		if i < len(cols) && cols[i].Number {
			if n, err := strconv.ParseInt(c, 10, 64); err == nil {
				vals[i] = excelize.Cell{Value: n}
				continue
			}
			if f, err := strconv.ParseFloat(c, 64); err == nil { // a percentage
				vals[i] = excelize.Cell{Value: f}
				continue
			}
		}
		vals[i] = excelize.Cell{Value: c}
	}
	return vals
}

// eachNewestFirst walks a log newest first for an export: fetch returns at
// most size entries older than before (0: from the newest); it stops at a
// short page or after max entries, so one export stays bounded.
func eachNewestFirst[T any](from int64, size, max int, fetch func(before int64, size int) ([]T, error),
	id func(*T) int64, fn func(*T) error) error {
	before := from
	for done := 0; done < max; {
		page, err := fetch(before, size)
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		done += len(page)
		if len(page) < size {
			return nil
		}
		before = id(&page[len(page)-1])
	}
	return nil
}
