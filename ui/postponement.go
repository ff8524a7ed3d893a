package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// The postponements of a region (/penundaan/{code}): every TPS whose
// voting was postponed on the day, with the chain as the public letters
// tell it — kind, stage, reason, status, new date, and each step's
// office, signatory and letter number. The accounts that recorded the
// steps are in the audit log only: PostponementStep.By never reaches a
// page or a download.

// Postponements records the chain (postponement.Service).
type Postponements interface {
	Report(ctx context.Context, tps string, kind siaga.PostponementKind, stage, reason string, step siaga.PostponementStep) (*siaga.Postponement, error)
	Get(ctx context.Context, id int64) (*siaga.Postponement, error)
	List(ctx context.Context, f siaga.PostponementFilter) (siaga.PostponementPage, error)
	Recommend(ctx context.Context, p siaga.Postponement, step siaga.PostponementStep) (*siaga.Postponement, error)
	Decide(ctx context.Context, p siaga.Postponement, step siaga.PostponementStep, newDate string) (*siaga.Postponement, error)
	Close(ctx context.Context, p siaga.Postponement, to siaga.PostponementStatus, step siaga.PostponementStep) (*siaga.Postponement, error)
}

const postponementPageSize = 100

type postponementsPage struct {
	basePage
	Region    siaga.Region
	Filter    siaga.PostponementFilter
	Statuses  []siaga.PostponementStatus
	Kinds     []siaga.PostponementKind
	Rows      []postponementRow
	Total     int
	From, To  int
	Next      string
	Prev      string
	CSV, XLSX string
}

// postponementRow is one postponement as the list, the CSV and the XLSX
// show it.
type postponementRow struct {
	ID                                     int64
	TPS, Desa, Number                      string
	Kind, Stage, Reason, Status, NewDate   string
	Report, Recommendation, Decision, Done string
}

var postponementColumns = []column{{Name: "tps"}, {Name: "desa"}, {Name: "nomor"}, {Name: "jenis"}, {Name: "tahap"},
	{Name: "alasan"}, {Name: "status"}, {Name: "tanggal_baru"}, {Name: "laporan"}, {Name: "rekomendasi"}, {Name: "keputusan"},
	{Name: "penutupan"}}

func (h *Pages) postponementRow(p siaga.Postponement) postponementRow {
	row := postponementRow{ID: p.ID, TPS: p.TPS, Kind: strings.ToUpper(string(p.Kind)), Stage: p.Stage, Reason: p.Reason,
		Status: string(p.Status), NewDate: p.NewDate, Report: stepText(&p.Report), Recommendation: stepText(p.Recommendation),
		Decision: stepText(p.Decision), Done: stepText(p.Closing)}
	if t, ok := h.Regions.TPS(p.TPS); ok {
		row.Number = tpsNumber(t.Number)
	}
	if d, ok := h.Regions.Region(siaga.ParentCode(p.TPS)); ok {
		row.Desa = d.Name
	}
	return row
}

func (row postponementRow) cells() []string {
	return []string{row.TPS, row.Desa, row.Number, row.Kind, row.Stage, row.Reason, row.Status, row.NewDate,
		row.Report, row.Recommendation, row.Decision, row.Done}
}

// postponementURL is the page of p's chain, "" for none: the dispatch
// board and the missing list link their "ditunda" rows to it.
func postponementURL(p *siaga.Postponement) string {
	if p == nil || p.ID == 0 {
		return ""
	}
	return "/tps/" + p.TPS + "/penundaan/" + strconv.FormatInt(p.ID, 10)
}

// stepText is a step as its document shows it: "2024-02-14 07:00 WIB ·
// KPPS TPS 071 · Ketua KPPS · BA/071". Never who recorded it.
func stepText(s *siaga.PostponementStep) string {
	if !s.Taken() {
		return ""
	}
	parts := []string{s.At.In(siaga.WIB).Format("2006-01-02 15:04") + " WIB", s.Office, s.Name}
	if s.Letter != "" {
		parts = append(parts, s.Letter)
	}
	return strings.Join(parts, " · ")
}

// postponementFilter reads ?status=&jenis=&kursor= below code.
func postponementFilter(code string, v url.Values) (siaga.PostponementFilter, error) {
	f := siaga.PostponementFilter{Region: code, Status: siaga.PostponementStatus(v.Get("status")),
		Kind: siaga.PostponementKind(v.Get("jenis")), Limit: postponementPageSize}
	if f.Status != "" && !f.Status.Valid() {
		return f, siaga.Errorf(siaga.EInvalid, "status", "Status %q tidak dikenal", "unknown status %q", f.Status)
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return f, siaga.Errorf(siaga.EInvalid, "jenis", "Jenis %q tidak dikenal (psl, pss)", "unknown kind %q (psl, pss)", f.Kind)
	}
	if c := v.Get("kursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 1 {
			return f, siaga.Errorf(siaga.EInvalid, "kursor", "Kursor tidak sah", "invalid cursor")
		}
		f.After = n
	}
	return f, nil
}

func postponementValues(f siaga.PostponementFilter) url.Values {
	v := url.Values{}
	if f.Status != "" {
		v.Set("status", string(f.Status))
	}
	if f.Kind != "" {
		v.Set("jenis", string(f.Kind))
	}
	return v
}

// postponementTable is every postponement f selects (its cursor ignored).
func (h *Pages) postponementTable(ctx context.Context, f siaga.PostponementFilter) table {
	return table{Name: "siaga-penundaan-" + f.Region, Columns: postponementColumns, Rows: func(row func([]string) error) error {
		f.After, f.Limit = 0, MaxAnomalyPage
		for {
			page, err := h.Postponements.List(ctx, f)
			if err != nil {
				return err
			}
			for _, p := range page.Items {
				if err := row(h.postponementRow(p).cells()); err != nil {
					return err
				}
			}
			if page.Next == 0 {
				return nil
			}
			f.After = page.Next
		}
	}}
}

func (h *Pages) postponementsOff(w http.ResponseWriter, r *http.Request) bool {
	if h.Postponements != nil {
		return false
	}
	h.Error(w, r, http.StatusServiceUnavailable, "Penundaan tidak dicatat di server ini.", "Postponements are not recorded on this server.")
	return true
}

// PostponementsPage serves GET /penundaan/{code}?status=&jenis=&kursor=&kembali=.
func (h *Pages) PostponementsPage(w http.ResponseWriter, r *http.Request) {
	if h.postponementsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	code := reg.Code
	v := r.URL.Query()
	f, err := postponementFilter(code, v)
	if err != nil {
		h.Error(w, r, http.StatusBadRequest, "Filter tidak sah: "+errorText(err, false), "Invalid filter: "+errorText(err, true))
		return
	}
	page, err := h.Postponements.List(r.Context(), f)
	if err != nil {
		h.dashLog().Error("postponements", "region", code, "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Daftar penundaan tidak dapat dimuat.", "The postponements could not be loaded.")
		return
	}
	p := postponementsPage{basePage: h.base(r, "Penundaan pemungutan — "+reg.Name), Region: reg, Filter: f,
		Statuses: siaga.PostponementStatuses, Kinds: []siaga.PostponementKind{siaga.PostponementPSL, siaga.PostponementPSS}, Total: page.Total}
	p.Nav, p.Path = "penundaan", h.Regions.Path(code)
	for _, it := range page.Items {
		p.Rows = append(p.Rows, h.postponementRow(it))
	}
	base := postponementValues(f)
	path := "/penundaan/" + code
	p.CSV, p.XLSX = path+"/daftar.csv?"+base.Encode(), path+"/daftar.xlsx?"+base.Encode()
	trail := splitTrail(v.Get("kembali"))
	p.From = len(trail)*postponementPageSize + 1
	p.To = p.From + len(p.Rows) - 1
	if len(p.Rows) == 0 {
		p.From = 0
	}
	cursor, next := "", ""
	if f.After > 0 {
		cursor = strconv.FormatInt(f.After, 10)
	}
	if page.Next > 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	_, p.Next, p.Prev = pageLinks(path, base, cursor, next, trail)
	h.render(w, r, "penundaan", p)
}

// PostponementsExport serves GET /penundaan/{code}/daftar.csv and .xlsx.
func (h *Pages) PostponementsExport(format ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Postponements == nil {
			h.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Penundaan tidak dicatat di server ini", "postponements are not recorded on this server"))
			return
		}
		code := r.PathValue("code")
		if _, ok := h.Regions.Region(code); !ok {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "code", "Wilayah %s tidak dikenal", "unknown region %s", code))
			return
		}
		f, err := postponementFilter(code, r.URL.Query())
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.postponementTable(r.Context(), f), format)
	}
}
