package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
)

type smsPage struct {
	basePage
	Filter    smsFilterForm
	Rows      []smsRow
	Total     int
	Outcomes  []smsOutcome
	Next      string
	CSV, XLSX string
}

type smsRow struct {
	siaga.SMSMessage
	OutcomeName string
}

type smsOutcome struct{ Value, Name string }

// smsOutcomes names the outcomes for the operator, in the order of the
// filter.
var smsOutcomes = []smsOutcome{
	{siaga.SMSRecorded, "tercatat"}, {siaga.SMSReplay, "sudah tercatat (ulang)"},
	{siaga.SMSPart, "bagian, menunggu"}, {siaga.SMSRefused, "ditolak"},
	{siaga.SMSUnreadable, "tidak terbaca"}, {siaga.SMSBadCode, "kode salah"},
	{siaga.SMSLocked, "nomor diblokir"}, {siaga.SMSFailed, "gangguan server"},
	{siaga.SMSIncident, "laporan insiden"}, {siaga.SMSLimited, "laporan insiden melebihi batas"},
}

func smsOutcomeName(v string) string {
	for _, o := range smsOutcomes {
		if o.Value == v {
			return o.Name
		}
	}
	return v
}

type smsFilterForm struct {
	Number, TPS, Outcome, Direction, Text string
}

const smsPageSize = 100

// SMSPage is the operator's log of every SMS in and out, newest first,
// "N of M" of what the filter selects.
func (h *Pages) SMSPage(w http.ResponseWriter, r *http.Request) {
	u, ok := h.smsReader(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	p := smsPage{basePage: h.base(r, "Log SMS"), Outcomes: smsOutcomes}
	p.Nav = "sms"
	p.Filter = smsFormOf(q)
	f := p.Filter.filter(u)
	f.Limit = smsPageSize
	f.Before, _ = strconv.ParseInt(q.Get("sebelum"), 10, 64)
	rows, err := h.SMS.Log(r.Context(), f)
	if err == nil {
		p.Total, err = h.SMS.LogCount(r.Context(), f)
	}
	if err != nil {
		h.dashLog().Error("sms log", "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Log SMS tidak dapat dibaca.", "The SMS log could not be read.")
		return
	}
	for _, m := range rows {
		p.Rows = append(p.Rows, smsRow{SMSMessage: m, OutcomeName: smsOutcomeName(m.Outcome)})
	}
	v := p.Filter.values()
	p.CSV, p.XLSX = "/sms.csv?"+v.Encode(), "/sms.xlsx?"+v.Encode()
	if len(rows) == smsPageSize {
		v.Set("sebelum", strconv.FormatInt(rows[len(rows)-1].ID, 10))
		p.Next = "/sms?" + v.Encode()
	}
	h.render(w, r, "sms", p)
}

// smsReader is the account reading the SMS log, or false after answering
// that it may not.
func (h *Pages) smsReader(w http.ResponseWriter, r *http.Request) (*siaga.User, bool) {
	u := h.account(r)
	if h.SMS == nil {
		h.pageNotFound(w, r)
		return nil, false
	}
	if !h.readsSMS(u) {
		h.Error(w, r, http.StatusForbidden, "Log SMS hanya untuk operator KPU, Bawaslu dan admin.",
			"The SMS log is for KPU operators, Bawaslu and admin only.")
		return nil, false
	}
	return u, true
}

// filter is the store's filter of the form, within u's scope.
func (f smsFilterForm) filter(u *siaga.User) siaga.SMSFilter {
	return siaga.SMSFilter{Number: f.Number, TPS: f.TPS, Outcome: f.Outcome,
		Direction: siaga.SMSDirection(f.Direction), Text: f.Text, Scope: u.Scope}
}

// values is the form as a query string, for the next page and the exports.
func (f smsFilterForm) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"nomor": f.Number, "tps": f.TPS, "hasil": f.Outcome, "arah": f.Direction, "teks": f.Text} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// maxSMSExport bounds one export of the log; a narrower filter gets the
// rest.
const maxSMSExport = 100000

var smsColumns = []column{{Name: "id", Number: true}, {Name: "at"}, {Name: "direction"}, {Name: "number"},
	{Name: "text"}, {Name: "part", Number: true}, {Name: "parts", Number: true}, {Name: "outcome"}, {Name: "tps"}}

// smsTable is the whole log the form selects, newest first, page by page.
func (h *Pages) smsTable(r *http.Request, u *siaga.User) table {
	form := smsFormOf(r.URL.Query())
	fetch := func(before int64, size int) ([]siaga.SMSMessage, error) {
		f := form.filter(u)
		f.Before, f.Limit = before, size
		return h.SMS.Log(r.Context(), f)
	}
	return table{Name: "siaga-sms", Columns: smsColumns, Rows: func(row func([]string) error) error {
		return eachNewestFirst(0, 1000, maxSMSExport, fetch, func(m *siaga.SMSMessage) int64 { return m.ID }, func(m *siaga.SMSMessage) error {
			return row([]string{strconv.FormatInt(m.ID, 10), m.At.UTC().Format(time.RFC3339), string(m.Direction), m.Number,
				m.Text, strconv.Itoa(m.Part), strconv.Itoa(m.Parts), m.Outcome, m.TPS})
		})
	}}
}

// smsFormOf reads the log's filter from the query string.
func smsFormOf(q url.Values) smsFilterForm {
	return smsFilterForm{Number: q.Get("nomor"), TPS: q.Get("tps"), Outcome: q.Get("hasil"), Direction: q.Get("arah"), Text: q.Get("teks")}
}

// SMSExport serves GET /sms.csv and GET /sms.xlsx.
func (h *Pages) SMSExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if u, ok := h.smsReader(w, r); ok {
			h.writeTable(w, r, h.smsTable(r, u), f)
		}
	}
}
