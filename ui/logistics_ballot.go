package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The ballot lots of a region (/logistik/{code}/surat-suara): per contest
// × dapil × warehouse the need, what was received, sorted, folded,
// damaged (by reason), returned, asked for and received again, and the
// shortfall, red when above zero, as of a day; the lots, paged; and for
// the logistics officers in scope, a form to register a lot and one to
// record what was done to it.

// lotPageSize is the lots shown at once.
const lotPageSize = 50

// lotFields are the forms' fields, named as the service's errors name
// them.
var lotFields = []string{"warehouse", "contest", "dapil", "number", "printer", "received", "received_at", "note"}
var eventFields = []string{"lot", "kind", "reason", "qty", "at", "note"}

type ballotsPage struct {
	basePage
	Region  siaga.Region
	AsOf    string // the ?pada= day, "" for now
	Summary grid
	Short   int
	Lots    []siaga.BallotLot
	Total   int
	From    int
	To      int
	Next    string
	Prev    string
	LotsCSV string
	LotsXLS string
	Here    string
	Write   bool
	// The forms: their choices, what was typed and the error.
	Warehouses  []siaga.Region
	LotContests []siaga.Contest
	Dapils      []string
	Kinds       []siaga.BallotEventKind
	Reasons     []siaga.DamageReason
	Lot         map[string]string
	LotErr      *formError
	Event       map[string]string
	EventErr    *formError
	Now         string
}

// ballotsRegion is the path's region, or an error page.
func (h *Pages) ballotsRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, bool) {
	if h.Ballots == nil || h.Needs == nil {
		h.Error(w, r, http.StatusNotFound, "Data logistik tidak tersedia di server ini.", "Logistics data is not available on this server.")
		return siaga.Region{}, false
	}
	return h.pathRegion(w, r)
}

// ballotsAsOf reads ?pada=YYYY-MM-DD: the end of that day (WIB); zero
// for now.
func ballotsAsOf(v url.Values) (time.Time, error) {
	s := v.Get("pada")
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, siaga.WIB)
	if err != nil {
		return d, siaga.Errorf(siaga.EInvalid, "pada", "kolom pada: tanggal YYYY-MM-DD", "field pada: a date YYYY-MM-DD")
	}
	return d.Add(24*time.Hour - time.Nanosecond), nil
}

// BallotsPage serves GET /logistik/{code}/surat-suara?pada=&kursor=&kembali=.
func (h *Pages) BallotsPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.ballotsRegion(w, r)
	if !ok {
		return
	}
	h.renderBallots(w, r, http.StatusOK, reg, r.URL.Query(), func(p *ballotsPage) {})
}

func (h *Pages) renderBallots(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, v url.Values, set func(p *ballotsPage)) {
	asOf, err := ballotsAsOf(v)
	var after int64
	if c := v.Get("kursor"); err == nil && c != "" {
		if after, err = strconv.ParseInt(c, 10, 64); err != nil || after < 0 {
			err = siaga.Errorf(siaga.EInvalid, "kursor", "kursor tidak sah", "invalid cursor")
		}
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	base := "/logistik/" + reg.Code + "/surat-suara"
	q := url.Values{}
	if s := v.Get("pada"); s != "" {
		q.Set("pada", s)
	}
	summary, err := gridOf("surat-suara-ringkas", "Per kontes × dapil × gudang (per contest, dapil and warehouse)", base,
		h.ballotTable(r, reg, asOf), ballotShortColumn)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	summary.CSV, summary.XLSX = base+".csv?"+q.Encode(), base+".xlsx?"+q.Encode()
	lots, total, err := h.Ballots.Lots(r.Context(), reg.Code, siaga.BallotFilter{After: after, Limit: lotPageSize + 1})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	next := ""
	if len(lots) > lotPageSize {
		lots = lots[:lotPageSize]
		next = strconv.FormatInt(lots[len(lots)-1].ID, 10)
	}
	p := ballotsPage{basePage: h.base(r, "Surat suara — "+reg.Name), Region: reg, AsOf: v.Get("pada"), Summary: summary,
		Lots: lots, Total: total, LotsCSV: "/logistik/" + reg.Code + "/lot.csv", LotsXLS: "/logistik/" + reg.Code + "/lot.xlsx",
		LotContests: siaga.Contests, Kinds: siaga.BallotEventKinds, Reasons: siaga.DamageReasons,
		Lot: map[string]string{}, Event: map[string]string{}, Now: h.now().In(siaga.WIB).Format(dataTimeLayout)}
	for _, row := range summary.Rows {
		if row.Alert {
			p.Short++
		}
	}
	p.Nav, p.Path = "logistik", h.Regions.Path(reg.Code)
	trail := splitTrail(v.Get("kembali"))
	p.From, p.To = pageSpan(len(trail), lotPageSize, len(lots))
	p.Here, p.Next, p.Prev = pageLinks(base, q, v.Get("kursor"), next, trail)
	if u := h.account(r); u != nil && slices.Contains(h.Roles.Log, u.Role) && siaga.InScope(u.Scope, reg.Code) {
		p.Write = true
		p.Warehouses, p.Dapils = h.ballotChoices(reg)
	}
	set(&p)
	h.renderStatus(w, r, status, "logistics_ballot", p)
}

// ballotChoices are the warehouses serving reg and the dapil their TPS
// need, for the lot form.
func (h *Pages) ballotChoices(reg siaga.Region) ([]siaga.Region, []string) {
	code := reg.Code
	if len(code) > 4 {
		code = code[:4]
	}
	var whs []siaga.Region
	if len(code) == 4 {
		if wh, ok := h.Regions.Region(code); ok {
			whs = append(whs, wh)
		}
	} else {
		whs = h.Regions.Children(code)
	}
	var dapils []string
	if n, err := h.Needs.Of(code); err == nil {
		for _, c := range siaga.Contests {
			for _, d := range n.Dapils(c) {
				if d != "" && !slices.Contains(dapils, d) {
					dapils = append(dapils, d)
				}
			}
		}
	}
	slices.Sort(dapils)
	return whs, dapils
}

// ballotShortColumn is the shortfall's column in ballotColumns.
const ballotShortColumn = 19

var ballotColumns = []column{{Name: "kontes"}, {Name: "dapil"}, {Name: "gudang"}, {Name: "nama_gudang"},
	{Name: "kebutuhan", Number: true}, {Name: "lot", Number: true}, {Name: "diterima", Number: true}, {Name: "disortir", Number: true},
	{Name: "dilipat", Number: true}, {Name: "rusak", Number: true}, {Name: "rusak_pudar", Number: true}, {Name: "rusak_sobek", Number: true},
	{Name: "rusak_noda", Number: true}, {Name: "rusak_salah_potong", Number: true}, {Name: "rusak_lainnya", Number: true},
	{Name: "retur", Number: true}, {Name: "minta_ganti", Number: true}, {Name: "terima_ganti", Number: true},
	{Name: "layak_pakai", Number: true}, {Name: "kekurangan", Number: true}}

// ballotTable is the report's rows as of asOf: the page's summary and its
// downloads. Shortfall = need − (received + terima_ganti − rusak); a
// surplus shows as a negative shortfall.
func (h *Pages) ballotTable(r *http.Request, reg siaga.Region, asOf time.Time) table {
	return table{Name: "siaga-surat-suara-" + reg.Code, Columns: ballotColumns, Rows: func(row func([]string) error) error {
		rep, err := h.Ballots.Report(r.Context(), reg.Code, asOf)
		if err != nil {
			return err
		}
		for _, b := range rep.Rows {
			name := ""
			if wh, ok := h.Regions.Region(b.Warehouse); ok {
				name = wh.Name
			}
			cells := []string{contestNames[b.Contest], b.Dapil, b.Warehouse, name, strconv.Itoa(b.Need), strconv.Itoa(b.Lots),
				strconv.Itoa(b.Received), strconv.Itoa(b.Sorted), strconv.Itoa(b.Folded), strconv.Itoa(b.Damaged)}
			for _, reason := range siaga.DamageReasons {
				cells = append(cells, strconv.Itoa(b.DamagedBy[reason]))
			}
			cells = append(cells, strconv.Itoa(b.Returned), strconv.Itoa(b.ReplacementRequested), strconv.Itoa(b.ReplacementReceived),
				strconv.Itoa(b.Usable), strconv.Itoa(b.Shortfall))
			if err := row(cells); err != nil {
				return err
			}
		}
		return nil
	}}
}

// BallotsExport serves GET /logistik/{code}/surat-suara.csv|xlsx?pada=.
func (h *Pages) BallotsExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.ballotsRegion(w, r)
		if !ok {
			return
		}
		asOf, err := ballotsAsOf(r.URL.Query())
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.ballotTable(r, reg, asOf), f)
	}
}

var lotColumns = []column{{Name: "id", Number: true}, {Name: "gudang"}, {Name: "kontes"}, {Name: "dapil"}, {Name: "nomor_lot"},
	{Name: "percetakan"}, {Name: "diterima", Number: true}, {Name: "waktu_terima"}, {Name: "dicatat_oleh"}, {Name: "catatan"}}

// lotTable is every lot of the region, read a page at a time.
func (h *Pages) lotTable(r *http.Request, reg siaga.Region) table {
	return table{Name: "siaga-lot-surat-suara-" + reg.Code, Columns: lotColumns, Rows: func(row func([]string) error) error {
		f := siaga.BallotFilter{Limit: 1000}
		for {
			lots, _, err := h.Ballots.Lots(r.Context(), reg.Code, f)
			if err != nil {
				return err
			}
			for _, l := range lots {
				if err := row([]string{strconv.FormatInt(l.ID, 10), l.Warehouse, string(l.Contest), l.Dapil, l.Number, l.Printer,
					strconv.Itoa(l.Received), l.ReceivedAt.In(siaga.WIB).Format("2006-01-02 15:04"), l.By, l.Note}); err != nil {
					return err
				}
			}
			if len(lots) < f.Limit {
				return nil
			}
			f.After = lots[len(lots)-1].ID
		}
	}}
}

// LotsExport serves GET /logistik/{code}/lot.csv|xlsx: staff data (who
// recorded each lot).
func (h *Pages) LotsExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reg, ok := h.ballotsRegion(w, r)
		if !ok {
			return
		}
		h.writeTable(w, r, h.lotTable(r, reg), f)
	}
}

// readForm reads fields of a posted form, trimmed.
func readForm(w http.ResponseWriter, r *http.Request, fields []string) (map[string]string, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, formBody)
	if err := r.ParseForm(); err != nil {
		return nil, false
	}
	in := map[string]string{}
	for _, k := range fields {
		in[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	return in, true
}

// formTime reads a datetime-local field (WIB); empty is zero (now).
func formTime(in map[string]string, field string) (time.Time, *formError) {
	if in[field] == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(dataTimeLayout, in[field], siaga.WIB)
	if err != nil {
		return t, fieldError(field, "kolom "+field+": waktu tidak terbaca", "field "+field+": unreadable time")
	}
	return t, nil
}

// formInt reads a whole-number field.
func formInt(in map[string]string, field string) (int64, *formError) {
	n, err := strconv.ParseInt(strings.NewReplacer(".", "", " ", "").Replace(in[field]), 10, 64)
	if err != nil {
		return 0, fieldError(field, "kolom "+field+": bukan bilangan bulat", "field "+field+": not a whole number")
	}
	return n, nil
}

// AddBallotLot serves POST /logistik/{code}/surat-suara/lot.
func (h *Pages) AddBallotLot(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.ballotsRegion(w, r)
	if !ok {
		return
	}
	in, ok := readForm(w, r, lotFields)
	if !ok {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	l := siaga.BallotLot{Warehouse: in["warehouse"], Contest: siaga.Contest(in["contest"]), Dapil: in["dapil"], Number: in["number"],
		Printer: in["printer"], Note: in["note"]}
	n, fe := formInt(in, "received")
	if fe == nil {
		l.Received = int(n)
		l.ReceivedAt, fe = formTime(in, "received_at")
	}
	if fe == nil {
		if _, err := h.Ballots.AddLot(r.Context(), reg.Code, l, auth.Actor(h.account(r))); err != nil {
			if fe, ok = h.refusal(w, r, err, "Lot tidak dapat disimpan; coba lagi.", "The lot could not be saved; try again.", "region", reg.Code); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderBallots(w, r, http.StatusUnprocessableEntity, reg, url.Values{}, func(p *ballotsPage) { p.Lot, p.LotErr = in, fe })
		return
	}
	http.Redirect(w, r, "/logistik/"+reg.Code+"/surat-suara#lot-daftar", http.StatusSeeOther)
}

// AddBallotEvent serves POST /logistik/{code}/surat-suara/peristiwa.
func (h *Pages) AddBallotEvent(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.ballotsRegion(w, r)
	if !ok {
		return
	}
	in, ok := readForm(w, r, eventFields)
	if !ok {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	e := siaga.BallotEvent{Kind: siaga.BallotEventKind(in["kind"]), Reason: siaga.DamageReason(in["reason"]), Note: in["note"]}
	if e.Kind != siaga.BallotDamaged {
		e.Reason = "" // the form always sends one
	}
	lot, fe := formInt(in, "lot")
	if fe == nil {
		e.Lot = lot
		var qty int64
		qty, fe = formInt(in, "qty")
		e.Qty = int(qty)
	}
	if fe == nil {
		e.At, fe = formTime(in, "at")
	}
	if fe == nil {
		if _, err := h.Ballots.AddEvent(r.Context(), reg.Code, e, auth.Actor(h.account(r))); err != nil {
			if fe, ok = h.refusal(w, r, err, "Peristiwa tidak dapat disimpan; coba lagi.", "The event could not be saved; try again.", "region", reg.Code); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderBallots(w, r, http.StatusUnprocessableEntity, reg, url.Values{}, func(p *ballotsPage) { p.Event, p.EventErr = in, fe })
		return
	}
	http.Redirect(w, r, "/logistik/"+reg.Code+"/surat-suara#surat-suara-ringkas", http.StatusSeeOther)
}
