package http

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sms"
)

// echoSMS stands in for the SMS service: what is tested here is who may
// call the Kannel endpoint, not what it does with the text.
type echoSMS struct{ got []sms.Incoming }

func (e *echoSMS) Receive(_ context.Context, in sms.Incoming) (string, error) {
	e.got = append(e.got, in)
	return "OK " + in.Text, nil
}

func (e *echoSMS) Log(context.Context, siaga.SMSFilter) ([]siaga.SMSMessage, error) { return nil, nil }
func (e *echoSMS) LogCount(context.Context, siaga.SMSFilter) (int, error)           { return 0, nil }

func TestKannelCaller(t *testing.T) {
	tests := []struct {
		name, key, remote, query string
		want                     int
	}{
		{"no key, this host", "", "127.0.0.1:40000", "", http.StatusOK},
		{"no key, this host over IPv6", "", "[::1]:40000", "", http.StatusOK},
		{"no key, another host", "", "192.0.2.7:40000", "", http.StatusForbidden},
		{"key given", "rahasia-kannel", "192.0.2.7:40000", "&key=rahasia-kannel", http.StatusOK},
		{"wrong key", "rahasia-kannel", "127.0.0.1:40000", "&key=tebakan", http.StatusForbidden},
		{"key missing", "rahasia-kannel", "127.0.0.1:40000", "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &echoSMS{}
			s := &Server{SMS: &SMSGateway{Service: svc, KannelKey: []byte(tt.key)}}
			r := httptest.NewRequest(http.MethodGet, "/sms/kannel?from=%2B62811&text=SGA"+tt.query, nil)
			r.RemoteAddr = tt.remote
			w := httptest.NewRecorder()
			s.handleKannel(w, r)
			if w.Code != tt.want {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.want)
			}
			if received := len(svc.got) == 1; received != (tt.want == http.StatusOK) {
				t.Errorf("the SMS reached the service: %v, want %v", received, tt.want == http.StatusOK)
			}
		})
	}
}

// signedWebhook is a webhook call as a gateway holding secret makes it at
// time at.
func signedWebhook(secret []byte, at time.Time, body []byte) *http.Request {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	r := httptest.NewRequest(http.MethodPost, "/sms/webhook", bytes.NewReader(body))
	r.Header.Set(TimestampHeader, ts)
	r.Header.Set(SignatureHeader, hex.EncodeToString(mac.Sum(nil)))
	return r
}

// A signed body is accepted once, and only within five minutes of the
// time it was signed at.
func TestWebhookReplayAndStale(t *testing.T) {
	secret := []byte("rahasia-webhook")
	t0 := time.Date(2024, 2, 14, 20, 0, 0, 0, time.UTC)
	now := t0
	svc := &echoSMS{}
	s := &Server{SMS: &SMSGateway{Service: svc, WebhookSecret: secret}, Now: func() time.Time { return now }}
	body := func(id string) []byte {
		return []byte(`{"from":"+62811","text":"SGA 3601012001001 P 1 2 3 K12345678","id":"` + id + `"}`)
	}
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	tests := []struct {
		name          string
		clock, signed time.Time
		body          []byte
		want          int
	}{
		{"fresh", at(0), at(0), body("a"), http.StatusOK},
		{"replayed at once", at(0), at(0), body("a"), http.StatusConflict},
		{"replayed four minutes on", at(4), at(0), body("a"), http.StatusConflict},
		{"same body signed anew", at(4), at(4), body("a"), http.StatusOK},
		{"stale", at(4), at(-2), body("b"), http.StatusUnauthorized},
		{"replayed once stale", at(6), at(0), body("a"), http.StatusUnauthorized},
		{"signed in the future", at(6), at(12), body("c"), http.StatusUnauthorized},
		{"gateway's clock a little ahead", at(6), at(10), body("d"), http.StatusOK},
	}
	for _, tt := range tests {
		now = tt.clock
		w := httptest.NewRecorder()
		s.handleSMSWebhook(w, signedWebhook(secret, tt.signed, tt.body))
		if w.Code != tt.want {
			t.Errorf("%s: status %d (%s), want %d", tt.name, w.Code, w.Body, tt.want)
		}
	}
	if len(svc.got) != 3 {
		t.Errorf("%d messages passed on, want the 3 accepted", len(svc.got))
	}
}

// The memory of accepted bodies stays bounded whatever the gateway sends.
func TestSeenMACsBounded(t *testing.T) {
	var seen seenMACs
	now := time.Date(2024, 2, 14, 20, 0, 0, 0, time.UTC)
	for i := range maxSeenWebhooks + 1000 {
		mac := []byte(strconv.Itoa(i))
		if !seen.first(mac, now, now) {
			t.Fatalf("body %d refused as a replay", i)
		}
	}
	if n := len(seen.byMAC); n != maxSeenWebhooks || seen.order.Len() != n {
		t.Errorf("%d remembered, want %d", n, maxSeenWebhooks)
	}
	// Once their timestamps are stale, they are forgotten.
	seen.first([]byte("later"), now.Add(webhookSkew), now.Add(webhookSkew))
	if n := len(seen.byMAC); n != 1 {
		t.Errorf("%d remembered after the window, want 1", n)
	}
}

// FuzzSMSWebhook signs whatever body it is given, as a gateway holding the
// secret would: every answer is a reply or a JSON error naming why, and
// only a body with a sender reaches the service.
func FuzzSMSWebhook(f *testing.F) {
	for _, seed := range []string{
		`{"from":"+62811","text":"SGA 3601012001001 P 1 2 3 K12345678","id":"k-1"}`,
		`{"from":"","text":"x"}`, `{"from":5}`, `[]`, `{`, ``, `{"from":"+62811","text":"\u0000"}`,
	} {
		f.Add([]byte(seed))
	}
	secret := []byte("rahasia-webhook")
	now := time.Date(2024, 2, 14, 20, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		svc := &echoSMS{}
		s := &Server{SMS: &SMSGateway{Service: svc, WebhookSecret: secret}, Now: func() time.Time { return now }}
		r := signedWebhook(secret, now, body)
		w := httptest.NewRecorder()
		s.handleSMSWebhook(w, r)
		var answer struct {
			Reply string `json:"reply"`
			Error *struct {
				Code, Message string
			} `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &answer); err != nil {
			t.Fatalf("status %d, answer not JSON: %q", w.Code, w.Body)
		}
		switch {
		case w.Code == http.StatusOK:
			if len(svc.got) != 1 || strings.TrimSpace(svc.got[0].From) == "" || answer.Reply == "" {
				t.Fatalf("200 with %d messages passed on, reply %q", len(svc.got), answer.Reply)
			}
		case answer.Error == nil || answer.Error.Message == "" || len(svc.got) != 0:
			t.Fatalf("status %d without a reason, or with a message passed on: %q", w.Code, w.Body)
		}
	})
}
