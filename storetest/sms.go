package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testSMS(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	in := func(at time.Duration, number, text, outcome string) siaga.SMSMessage {
		return siaga.SMSMessage{At: t0.Add(at), Direction: siaga.SMSIn, Number: number, Text: text,
			Gateway: "kannel", GatewayID: "k-" + text, Outcome: outcome}
	}
	log := []siaga.SMSMessage{
		in(0, "+62811", "halo", siaga.SMSUnreadable),
		in(time.Minute, "+62811", "SGA 3601012001001 P 1 2 K00000000", siaga.SMSBadCode),
		in(2*time.Minute, "+62812", "SGA 3601012001001 DPR 1/2/7Q 100% P1 3", siaga.SMSPart),
		in(3*time.Minute, "+62811", "SGA 3601012001001 P 1 2 K11111111", siaga.SMSBadCode),
		in(4*time.Minute, "+62812", "SGA 3601012001001 DPR 2/2/7Q P2 4", siaga.SMSPart),
	}
	log[2].TPS, log[2].Device, log[2].Group, log[2].Part, log[2].Parts = "3601012001001", "dev-1", "dev-1/dpr/7Q/2", 1, 2
	log[4].TPS, log[4].Device, log[4].Group, log[4].Part, log[4].Parts = "3601012001001", "dev-1", "dev-1/dpr/7Q/2", 2, 2
	log[4].Submission = "0b9f4bb2-2d67-5d8e-9f38-4a8b1f3f5f8e"
	for i := range log {
		must(t, s.AppendSMS(ctx, &log[i]))
		if i > 0 && log[i].ID <= log[i-1].ID {
			t.Fatalf("AppendSMS ids not increasing: %d after %d", log[i].ID, log[i-1].ID)
		}
	}
	reply := siaga.SMSMessage{At: t0.Add(4 * time.Minute), Direction: siaga.SMSOut, Number: "+62812",
		Text: "SIAGA OK", Gateway: "kannel", Outcome: siaga.SMSRecorded, ReplyTo: log[4].ID}
	must(t, s.AppendSMS(ctx, &reply))
	all := append(append([]siaga.SMSMessage{}, log...), reply)

	newestFirst := func(ms ...siaga.SMSMessage) []siaga.SMSMessage {
		out := make([]siaga.SMSMessage, len(ms))
		for i, m := range ms {
			out[len(ms)-1-i] = m
		}
		return out
	}
	tests := []struct {
		name string
		f    siaga.SMSFilter
		want []siaga.SMSMessage
	}{
		{"everything", siaga.SMSFilter{}, newestFirst(all...)},
		{"number", siaga.SMSFilter{Number: "+62811"}, newestFirst(log[0], log[1], log[3])},
		{"tps", siaga.SMSFilter{TPS: "3601012001001"}, newestFirst(log[2], log[4])},
		{"outcome", siaga.SMSFilter{Outcome: siaga.SMSBadCode}, newestFirst(log[1], log[3])},
		{"direction", siaga.SMSFilter{Direction: siaga.SMSOut}, []siaga.SMSMessage{reply}},
		{"text any case", siaga.SMSFilter{Text: "sga 3601"}, newestFirst(log[1], log[2], log[3], log[4])},
		{"text with a LIKE wildcard", siaga.SMSFilter{Text: "100%"}, []siaga.SMSMessage{log[2]}},
		{"underscore is literal", siaga.SMSFilter{Text: "_"}, nil},
		{"page", siaga.SMSFilter{Before: log[3].ID, Limit: 2}, newestFirst(log[1], log[2])},
		{"combined", siaga.SMSFilter{Number: "+62812", Direction: siaga.SMSIn}, newestFirst(log[2], log[4])},
		{"scope of its kecamatan, with the reply", siaga.SMSFilter{Scope: "360101"}, newestFirst(log[2], log[4], reply)},
		{"scope of another kab/kota", siaga.SMSFilter{Scope: "3602"}, nil},
		{"scope of the province, with the unattributed", siaga.SMSFilter{Scope: "36"}, newestFirst(all...)},
		{"scope of another province", siaga.SMSFilter{Scope: "31"}, newestFirst(log[0], log[1], log[3])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SMSLog(ctx, tt.f)
			must(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SMSLog(%+v) (-want +got):\n%s", tt.f, diff)
			}
			if tt.f.Before != 0 || tt.f.Limit != 0 {
				return
			}
			n, err := s.SMSLogCount(ctx, tt.f)
			must(t, err)
			if n != len(tt.want) {
				t.Errorf("SMSLogCount(%+v) = %d, want %d", tt.f, n, len(tt.want))
			}
		})
	}
	t.Run("count ignores the page", func(t *testing.T) {
		n, err := s.SMSLogCount(ctx, siaga.SMSFilter{Before: log[3].ID, Limit: 2})
		must(t, err)
		if n != len(all) {
			t.Errorf("SMSLogCount of a page = %d, want every entry, %d", n, len(all))
		}
	})

	t.Run("Parts", func(t *testing.T) {
		got, err := s.SMSParts(ctx, "dev-1/dpr/7Q/2")
		must(t, err)
		if diff := cmp.Diff([]siaga.SMSMessage{log[2], log[4]}, got); diff != "" {
			t.Errorf("SMSParts (-want +got):\n%s", diff)
		}
		none, err := s.SMSParts(ctx, "dev-1/dpr/XX/2")
		must(t, err)
		if len(none) != 0 {
			t.Errorf("SMSParts of an unknown group = %v", none)
		}
	})

	t.Run("Count", func(t *testing.T) {
		for _, tt := range []struct {
			since time.Duration
			want  int
		}{{0, 2}, {time.Minute, 2}, {time.Minute + 1, 1}, {time.Hour, 0}} {
			n, err := s.CountSMS(ctx, "+62811", siaga.SMSBadCode, t0.Add(tt.since))
			must(t, err)
			if n != tt.want {
				t.Errorf("CountSMS since t0+%v = %d, want %d", tt.since, n, tt.want)
			}
		}
	})

	t.Run("DevicesOfTPS", func(t *testing.T) {
		op := createUser(t, s, "ops", siaga.RoleKPUProv)
		for i, tps := range []string{"3601012001001", "3601012001002", "3601012001001"} {
			code := "sms-code-" + string(rune('a'+i))
			must(t, s.CreateEnrolment(ctx, &siaga.Enrolment{CodeHash: code, TPS: tps, Role: siaga.RoleKPPS, IssuedBy: op.ID, ExpiresAt: t0.Add(time.Hour)}))
			d := &siaga.Device{ID: "sms-dev-" + string(rune('a'+i)), PublicKey: make([]byte, 32), Secret: []byte{byte(i), 7}, EnrolledAt: t0.Add(time.Duration(i) * time.Second)}
			_, err := s.ClaimEnrolment(ctx, code, d, nil)
			must(t, err)
		}
		got, err := s.DevicesOfTPS(ctx, "3601012001001")
		must(t, err)
		var ids []string
		for _, d := range got {
			ids = append(ids, d.ID)
			if d.TPS != "3601012001001" || len(d.Secret) != 2 {
				t.Errorf("device %s: tps %s secret %v", d.ID, d.TPS, d.Secret)
			}
		}
		if diff := cmp.Diff([]string{"sms-dev-a", "sms-dev-c"}, ids); diff != "" {
			t.Errorf("DevicesOfTPS (-want +got):\n%s", diff)
		}
		none, err := s.DevicesOfTPS(ctx, "3601012001999")
		must(t, err)
		if len(none) != 0 {
			t.Errorf("DevicesOfTPS of a TPS without devices = %v", none)
		}
	})
}
