package node_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/relay"
	"github.com/deskpemilu/siaga/sirekap"
	"github.com/deskpemilu/siaga/sms"
)

// TestOneIntake: every channel hands its submissions to the one intake, so
// the same malformed form (a count no TPS can hold) is refused alike
// through each: the JSON API, the relay, SMS and the Sirekap import name
// the same code and field, and none of them stores anything.
func TestOneIntake(t *testing.T) {
	s := serve(t, "")
	ctx := context.Background()
	const tps = "3601012002001"
	const code, field = siaga.EInvalid, "form.suara.pilihan.01"
	phone := s.phone(t, tps, siaga.RoleKPPS)
	bad := ppwp(tps, 60, 120, 30)
	bad.Form.Votes.Options["01"] = 100001
	phone.Sign(&bad)

	type refusal struct{ code, field string }
	got := map[string]refusal{}
	var apiErr *client.APIError
	if _, _, err := (&client.Client{BaseURL: s.url}).Submit(ctx, &bad); !errors.As(err, &apiErr) {
		t.Fatalf("API: %v, want an error answer", err)
	}
	got["api"] = refusal{apiErr.Code, apiErr.Field}

	chunks, err := relay.Encode(mustJSONBytes(t, bad))
	if err != nil {
		t.Fatal(err)
	}
	status, relayed := s.postRelay(t, "", map[string]any{"chunks": chunks})
	if status != http.StatusOK || len(relayed.Results) != 1 || relayed.Results[0].Error == nil {
		t.Fatalf("relay: %d %+v", status, relayed)
	}
	got["relay"] = refusal{relayed.Results[0].Error.Code, relayed.Results[0].Error.Field}

	// An SMS reply names the field and carries the message, not the code.
	refused, reply, smsField := smsRefusal(t, s, phone, "SGA "+tps+" P 250 213 0 0 213 210 3 213 100001 120 30")
	if !refused || smsField != field || !strings.Contains(reply, apiErr.Message) {
		t.Errorf("SMS reply %q (refused: %v), want a refusal on %q saying %q", reply, refused, field, apiErr.Message)
	}

	rec, err := sirekap.Parse(tps, []byte(`{"chart":{"100025":100001,"100026":120,"100027":30},"administrasi":null}`),
		sirekap.Tickets(s.n.Election))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.n.Intake.Import(ctx, rec, siaga.PPWP)
	var e *siaga.Error
	if !errors.As(err, &e) {
		t.Fatalf("import: %v, want a user-facing error", err)
	}
	got["import"] = refusal{e.Code, e.Field}

	for channel, r := range got {
		if r != (refusal{code, field}) {
			t.Errorf("%s refused with %s on %q, want %s on %q", channel, r.code, r.field, code, field)
		}
	}
	if v, err := s.n.Store.VersionsOfTPS(ctx, tps); err != nil || len(v) != 0 {
		t.Errorf("TPS %s holds %d versions (%v), want none", tps, len(v), err)
	}
}

// smsRefusal sends body, authenticated with phone's code, through the
// Kannel gateway and reads its refusal back: the log says whether the form
// was refused (a user-facing error that is not the server's fault) and the
// reply names the field.
func smsRefusal(t *testing.T, s *served, phone *client.Device, body string) (refused bool, reply, field string) {
	t.Helper()
	m, err := sms.Parse(body + " K00000000")
	if err != nil {
		t.Fatal(err)
	}
	text := body + " K" + sms.Code(phone.Secret, m.Canonical())
	resp, err := http.Get(s.url + "/sms/kannel?from=%2B6281100000009&text=" + url.QueryEscape(text))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	log, err := s.n.Store.SMSLog(context.Background(), siaga.SMSFilter{Direction: siaga.SMSIn, Limit: 1})
	if err != nil || len(log) != 1 {
		t.Fatalf("SMS log: %v, %v", log, err)
	}
	reply = string(b)
	if open, end := strings.LastIndex(reply, "("), strings.LastIndex(reply, ")"); open >= 0 && end > open {
		field = reply[open+1 : end] // the reply ends "message (field). …"
	}
	return log[0].Outcome == siaga.SMSRefused, reply, field
}
