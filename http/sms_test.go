package http

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

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
