package http

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sms"
)

// SMSService is the SMS fallback as the HTTP layer uses it (sms.Service).
type SMSService interface {
	Receive(ctx context.Context, in sms.Incoming) (reply string, err error)
	Log(ctx context.Context, f siaga.SMSFilter) ([]siaga.SMSMessage, error)
	LogCount(ctx context.Context, f siaga.SMSFilter) (int, error)
}

// SMSGateway is the SMS fallback and the secrets that authenticate its
// gateways. Without a webhook secret the webhook refuses everything;
// without a Kannel key only a caller on this host may use the Kannel
// endpoint, since whoever calls it chooses the sender's number.
type SMSGateway struct {
	Service       SMSService
	WebhookSecret []byte
	KannelKey     []byte // the get-url's key=… parameter
	// Number is the desk's number that phones text reports to; the field
	// app gets it at enrolment.
	Number string

	seen seenMACs // webhook bodies accepted lately: replays are refused
}

// SignatureHeader carries the hex HMAC-SHA256 of a webhook's timestamp
// (TimestampHeader), a dot and its body.
const SignatureHeader = "X-Siaga-Signature"

const maxSMSBody = 16 << 10

// handleKannel answers Kannel's sms-service get-url
// (…/sms/kannel?from=%p&text=%a): the body is the reply SMS.
func (s *Server) handleKannel(w http.ResponseWriter, r *http.Request) {
	if s.SMS == nil {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if !s.SMS.kannelCaller(r, q.Get("key")) {
		s.dashLog().Warn("sms: refused a Kannel call", "remote", r.RemoteAddr)
		http.Error(w, "forbidden: set key= to SIAGA_SMS_KANNEL_KEY, or call from this host", http.StatusForbidden)
		return
	}
	in := sms.Incoming{Gateway: "kannel", From: q.Get("from"), Text: q.Get("text"), GatewayID: q.Get("id")}
	reply, err := s.SMS.Service.Receive(r.Context(), in)
	if err != nil {
		s.dashLog().Error("sms from kannel", "err", err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, reply)
}

// kannelCaller reports whether r may speak for Kannel: it carries the key,
// or, with no key configured, it comes from this host.
func (g *SMSGateway) kannelCaller(r *http.Request, key string) bool {
	if len(g.KannelKey) > 0 {
		return subtle.ConstantTimeCompare([]byte(key), g.KannelKey) == 1
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

type webhookSMS struct {
	From string `json:"from"`
	Text string `json:"text"`
	ID   string `json:"id"`
}

// handleSMSWebhook takes an SMS as JSON from a gateway that signs the
// body with the shared secret, and answers {"reply": …}.
func (s *Server) handleSMSWebhook(w http.ResponseWriter, r *http.Request) {
	if s.SMS == nil {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSMSBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.writeError(w, r, siaga.Errorf(siaga.ETooLarge, "", "Isi permintaan terlalu besar", "request body too large"))
			return
		}
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "", "Isi permintaan tidak terbaca", "unreadable request body"))
		return
	}
	if err := s.SMS.checkWebhook(r.Header, body, s.now()); err != nil {
		s.dashLog().Warn("sms: refused a webhook call", "remote", r.RemoteAddr, "err", err)
		s.writeError(w, r, err)
		return
	}
	var in webhookSMS
	if err := json.Unmarshal(body, &in); err != nil {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "", "JSON tidak terbaca", "malformed JSON"))
		return
	}
	if strings.TrimSpace(in.From) == "" {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "from", "Nomor pengirim tidak ada", "sender number missing"))
		return
	}
	reply, err := s.SMS.Service.Receive(r.Context(), sms.Incoming{Gateway: "webhook", From: in.From, Text: in.Text, GatewayID: in.ID})
	if err != nil {
		s.dashLog().Error("sms from webhook", "err", err)
	}
	writeJSON(w, http.StatusOK, map[string]string{"reply": reply})
}

// checkWebhook accepts a body signed with the secret, with a timestamp
// within webhookSkew of now, that was not accepted before. The signature
// is checked first, so that only the gateway can fill the memory of
// accepted bodies.
func (g *SMSGateway) checkWebhook(h http.Header, body []byte, now time.Time) error {
	ts := h.Get(TimestampHeader)
	mac, ok := validSignature(g.WebhookSecret, ts, body, h.Get(SignatureHeader))
	if !ok {
		return siaga.Errorf(siaga.EUnauthorized, "signature",
			"Tanda tangan webhook tidak ada atau tidak sah", "webhook signature missing or invalid")
	}
	at, ok := fresh(ts, now)
	if !ok {
		return siaga.Errorf(siaga.EUnauthorized, "timestamp",
			"Waktu tanda tangan webhook (%s) tidak ada atau berselisih lebih dari %d menit dari jam server",
			"webhook timestamp (%s) missing or more than %d minutes from the server's clock", TimestampHeader, int(webhookSkew/time.Minute))
	}
	if !g.seen.first(mac, at, now) {
		return siaga.Errorf(siaga.EConflict, "signature",
			"Isi webhook ini sudah diterima; kirim ulang dengan waktu dan tanda tangan baru",
			"this webhook body was already received; send a retry with a new timestamp and signature")
	}
	return nil
}

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

// smsPage is the operator's log of every SMS in and out, newest first,
// "N of M" of what the filter selects.
func (s *Server) smsPage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.smsReader(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	p := smsPage{basePage: s.base(r, "Log SMS"), Outcomes: smsOutcomes}
	p.Nav = "sms"
	p.Filter = smsFormOf(q)
	f := p.Filter.filter(u)
	f.Limit = smsPageSize
	f.Before, _ = strconv.ParseInt(q.Get("sebelum"), 10, 64)
	rows, err := s.SMS.Service.Log(r.Context(), f)
	if err == nil {
		p.Total, err = s.SMS.Service.LogCount(r.Context(), f)
	}
	if err != nil {
		s.dashLog().Error("sms log", "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "Log SMS tidak dapat dibaca.", "The SMS log could not be read.")
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
	s.render(w, r, "sms", p)
}

// smsReader is the account reading the SMS log, or false after answering
// that it may not.
func (s *Server) smsReader(w http.ResponseWriter, r *http.Request) (*siaga.User, bool) {
	u := s.account(r)
	if s.SMS == nil {
		s.pageNotFound(w, r)
		return nil, false
	}
	if !readsSMS(u) {
		s.pageError(w, r, http.StatusForbidden, "Log SMS hanya untuk operator KPU, Bawaslu dan admin.",
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
func (s *Server) smsTable(r *http.Request, u *siaga.User) table {
	form := smsFormOf(r.URL.Query())
	fetch := func(before int64, size int) ([]siaga.SMSMessage, error) {
		f := form.filter(u)
		f.Before, f.Limit = before, size
		return s.SMS.Service.Log(r.Context(), f)
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

// handleSMSExport serves GET /sms.csv and GET /sms.xlsx.
func (s *Server) handleSMSExport(f exportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if u, ok := s.smsReader(w, r); ok {
			s.writeTable(w, r, s.smsTable(r, u), f)
		}
	}
}
