package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/gakkumdu"
)

// The Gakkumdu cases of a region (/gakkumdu/{code}): newest first, each
// with its stage and clock ("sisa 3 hari", "lewat 2 hari"; overdue rows
// highlighted), filtered by stage and overdue in the store, paged "N dari
// M", and taken away as CSV and XLSX from the same table. Staff of
// gakkumduRoles in scope only (the route's rule): suspects are staff data.

const gakkumduPageSize = 50

type gakkumduPage struct {
	basePage
	Region    siaga.Region
	Stage     siaga.CaseStage
	Overdue   bool
	Stages    []siaga.CaseStage
	Rows      []caseRow
	Total     int
	From, To  int
	Next      string
	CSV, XLSX string
	At        string
}

// caseRow is one case as the list, the CSV and the XLSX show it.
type caseRow struct {
	ID                  int64
	Title, Suspect      string
	Region, RegionName  string
	Stage               siaga.CaseStage
	Article             string
	KnownAt, Due, Clock string
	ClockEN             string
	Overdue, Running    bool
	URL                 string
}

var caseColumns = []column{{Name: "perkara", Number: true}, {Name: "judul"}, {Name: "wilayah"}, {Name: "nama_wilayah"},
	{Name: "tahap"}, {Name: "pasal"}, {Name: "terlapor"}, {Name: "diketahui"}, {Name: "batas"}, {Name: "waktu"}, {Name: "lewat_batas"}}

func (row caseRow) cells() []string {
	return []string{strconv.FormatInt(row.ID, 10), row.Title, row.Region, row.RegionName, string(row.Stage), row.Article, row.Suspect,
		row.KnownAt, row.Due, row.Clock, yaTidak(row.Overdue)}
}

const caseTimeLayout = "2006-01-02 15:04"

func wibText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(siaga.WIB).Format(caseTimeLayout)
}

// caseRow links the case under code, the region of the page listing it
// (in the reader's scope, as the route checked).
func (h *Pages) caseRow(c *siaga.Case, now time.Time, code string) caseRow {
	k := gakkumdu.ClockOf(c, now)
	row := caseRow{ID: c.ID, Title: c.Title, Suspect: c.Suspect, Region: c.Region, Stage: c.Stage, Article: c.Article,
		KnownAt: wibText(c.KnownAt), Due: wibText(c.Due), Clock: k.Text(), ClockEN: k.TextEN(), Overdue: k.Overdue, Running: k.Running,
		URL: caseURL(code, c.ID)}
	if reg, ok := h.Regions.Region(c.Region); ok {
		row.RegionName = reg.Name
	}
	return row
}

func caseURL(code string, id int64) string {
	return "/gakkumdu/" + code + "/perkara/" + strconv.FormatInt(id, 10)
}

// gakkumduFilter reads ?tahap=&lewat=1&kursor=&mulai=.
func gakkumduFilter(code string, v url.Values) (siaga.CaseFilter, bool, int, error) {
	f := siaga.CaseFilter{Scope: code, Stage: siaga.CaseStage(v.Get("tahap")), Limit: gakkumduPageSize}
	if f.Stage != "" && !f.Stage.Valid() {
		return f, false, 0, siaga.Errorf(siaga.EInvalid, "tahap", "Tahap %q tidak dikenal", "unknown stage %q", f.Stage)
	}
	var err error
	if k := v.Get("kursor"); k != "" {
		if f.Before, err = strconv.ParseInt(k, 10, 64); err != nil || f.Before <= 0 {
			return f, false, 0, siaga.Errorf(siaga.EInvalid, "kursor", "Kursor tidak sah", "invalid cursor")
		}
	}
	from := 1
	if m := v.Get("mulai"); m != "" {
		if from, err = strconv.Atoi(m); err != nil || from < 1 {
			return f, false, 0, siaga.Errorf(siaga.EInvalid, "mulai", "Nomor baris tidak sah", "invalid row number")
		}
	}
	return f, v.Get("lewat") == "1", from, nil
}

func gakkumduValues(f siaga.CaseFilter, overdue bool) url.Values {
	out := url.Values{}
	if f.Stage != "" {
		out.Set("tahap", string(f.Stage))
	}
	if overdue {
		out.Set("lewat", "1")
	}
	return out
}

func (h *Pages) gakkumduOff(w http.ResponseWriter, r *http.Request) bool {
	if h.Gakkumdu != nil {
		return false
	}
	h.Error(w, r, http.StatusServiceUnavailable, "Perkara Gakkumdu tidak dicatat di server ini.", "Gakkumdu cases are not recorded on this server.")
	return true
}

// caseRefusal shows a service's error as a page with its status.
func (h *Pages) caseRefusal(w http.ResponseWriter, r *http.Request, err error, what, whatEN string) {
	var e *siaga.Error
	if siaga.ErrorCode(err) != siaga.EInternal && errors.As(err, &e) {
		h.Error(w, r, siaga.HTTPStatus(e.Code), e.Message, e.MessageEN)
		return
	}
	h.dashLog().Error("gakkumdu", "path", r.URL.Path, "err", err)
	h.Error(w, r, http.StatusInternalServerError, what, whatEN)
}

// GakkumduPage serves GET /gakkumdu/{code}.
func (h *Pages) GakkumduPage(w http.ResponseWriter, r *http.Request) {
	if h.gakkumduOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	f, overdue, from, err := gakkumduFilter(reg.Code, r.URL.Query())
	if err != nil {
		h.caseRefusal(w, r, err, "", "")
		return
	}
	u := h.account(r)
	page, err := h.Gakkumdu.List(r.Context(), u, f, overdue)
	if err != nil {
		h.caseRefusal(w, r, err, "Daftar perkara tidak dapat dibaca; coba lagi.", "The case list could not be read; try again.")
		return
	}
	now := h.now()
	p := gakkumduPage{basePage: h.base(r, "Perkara Gakkumdu "+reg.Name), Region: reg, Stage: f.Stage, Overdue: overdue,
		Stages: siaga.CaseStages, Total: page.Total, From: from, At: wibText(now)}
	p.Nav = "gakkumdu"
	for i := range page.Items {
		p.Rows = append(p.Rows, h.caseRow(&page.Items[i], now, reg.Code))
	}
	p.To = from + len(p.Rows) - 1
	v := gakkumduValues(f, overdue)
	base := "/gakkumdu/" + reg.Code + "/perkara"
	p.CSV, p.XLSX = base+".csv?"+v.Encode(), base+".xlsx?"+v.Encode()
	if page.Next != 0 {
		v.Set("kursor", strconv.FormatInt(page.Next, 10))
		v.Set("mulai", strconv.Itoa(p.To+1))
		p.Next = "/gakkumdu/" + reg.Code + "?" + v.Encode()
	}
	h.render(w, r, "gakkumdu", p)
}

// gakkumduTable is every case f selects, its cursor ignored.
func (h *Pages) gakkumduTable(ctx context.Context, u *siaga.User, f siaga.CaseFilter, overdue bool) table {
	return table{Name: "siaga-gakkumdu-" + f.Scope, Columns: caseColumns, Rows: func(row func([]string) error) error {
		now := h.now()
		f.Before, f.Limit = 0, 100
		for {
			page, err := h.Gakkumdu.List(ctx, u, f, overdue)
			if err != nil {
				return err
			}
			for i := range page.Items {
				if err := row(h.caseRow(&page.Items[i], now, f.Scope).cells()); err != nil {
					return err
				}
			}
			if page.Next == 0 {
				return nil
			}
			f.Before = page.Next
		}
	}}
}

// GakkumduExport serves GET /gakkumdu/{code}/perkara.csv and .xlsx: the
// list's rows, every page, under the same filter.
func (h *Pages) GakkumduExport(format ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Gakkumdu == nil {
			h.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Perkara Gakkumdu tidak dicatat di server ini", "Gakkumdu cases are not recorded on this server"))
			return
		}
		code := r.PathValue("code")
		if _, ok := h.Regions.Region(code); !ok {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "code", "Wilayah %s tidak dikenal", "unknown region %s", code))
			return
		}
		f, overdue, _, err := gakkumduFilter(code, r.URL.Query())
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.gakkumduTable(r.Context(), h.account(r), f, overdue), format)
	}
}
