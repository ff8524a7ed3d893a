package http

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
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
