package http

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
)

func TestDecodeSubmission(t *testing.T) {
	tests := []struct {
		name, body, code, field string
	}{
		{"valid", `{"id":"0190c9a0-0000-7000-8000-000000000001","tps":"3601012001001","contest":"ppwp","source":"kpps","form":{"suara":{"pilihan":{"01":3}}}}`, "", ""},
		{"not JSON", `{"id":`, siaga.EInvalid, ""},
		{"string for a number", `{"form":{"administrasi":{"suara_sah":"12"}}}`, siaga.EInvalid, "form.administrasi.suara_sah"},
		{"fraction", `{"form":{"suara":{"pilihan":{"01":1.5}}}}`, siaga.EInvalid, "form.suara.pilihan.01"},
		{"unknown field", `{"idd":"x"}`, siaga.EInvalid, "idd"},
		{"trailing data", `{} {}`, siaga.EInvalid, ""},
		{"empty", ``, siaga.EInvalid, ""},
		{"too large", `{"reason":"` + strings.Repeat("x", maxSubmissionBytes) + `"}`, siaga.ETooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/submissions", strings.NewReader(tt.body))
			_, err := decodeSubmission(httptest.NewRecorder(), r)
			var e *siaga.Error
			if tt.code == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if err == nil || siaga.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			if tt.field != "" {
				if !asError(err, &e) || e.Field != tt.field {
					t.Errorf("field = %q, want %q", e.Field, tt.field)
				}
			}
			if asError(err, &e) && (e.Message == "" || e.MessageEN == "") {
				t.Errorf("error %v lacks a message in both languages", err)
			}
		})
	}
}

func asError(err error, target **siaga.Error) bool {
	return errors.As(err, target)
}

// FuzzDecodeSubmission: any body is either refused with a user-facing
// error or decoded into a submission whose canonical bytes decode again to
// the same canonical bytes.
func FuzzDecodeSubmission(f *testing.F) {
	f.Add(`{"id":"0190c9a0-0000-7000-8000-000000000001","tps":"3601012001001","contest":"ppwp","source":"kpps","form":{"administrasi":{"suara_sah":3},"suara":{"pilihan":{"01":3}}},"signature":"AAAA"}`)
	f.Add(`{"contest":"dpr","form":{"suara":{"partai":{"4":{"suara_partai":3,"caleg":{"04-1":2},"jumlah":5}}}}}`)
	f.Add(`{"form":{"administrasi":{"suara_sah":-1}}}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/submissions", strings.NewReader(body))
		sub, err := decodeSubmission(httptest.NewRecorder(), r)
		if err != nil {
			var e *siaga.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a user-facing error: %v", err, err)
			}
			return
		}
		canon := sub.CanonicalBytes()
		var again siaga.Submission
		if err := json.Unmarshal(canon, &again); err != nil {
			t.Fatalf("canonical bytes do not decode: %v\n%s", err, canon)
		}
		if got := again.CanonicalBytes(); string(got) != string(canon) {
			t.Fatalf("canonical bytes are not stable:\n%s\n%s", canon, got)
		}
	})
}
