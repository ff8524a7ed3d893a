package sms_test

import (
	"context"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sms/kanneltest"
)

// testKannel sends SMS through a real Kannel (bearerbox, smsbox and the
// fakesmsc phone network) to a real node and reads the replies the phone
// gets back.
func testKannel(t *testing.T, s *served) {
	k := kanneltest.Start(t, s.url)
	const phone = "+6281234567890"

	report := reportSMS(t, s.kphone, 60, 120, 50)
	wantContains(t, k.Send(t, phone, report), "SIAGA OK", "TPS "+tpsK, "PPWP v1 #", "01=60 02=120 03=50")
	wantContains(t, k.Send(t, phone, report), "sudah tercatat", "PPWP v1 #")
	// Authenticated but one ticket short: the exact error, nothing stored.
	wantContains(t, k.Send(t, phone, reportSMS(t, s.kphone, 60, 120)), "SIAGA GAGAL", "3 angka suara paslon", "terbaca 2")
	wantContains(t, k.Send(t, phone, "halo pak, suara 01 ada 60"), "tidak terbaca", "Format: SGA")
	badCode := report[:len(report)-8] + "ABCDEFGH"
	wantContains(t, k.Send(t, phone, badCode), "kode K salah")

	vs := s.versions(t, tpsK)
	if len(vs) != 1 || vs[0].Form.Votes.Options["01"] != 60 || vs[0].Author != "sms:"+s.kphone.ID {
		t.Fatalf("stored versions = %+v, want the one report", vs)
	}
	log, err := s.n.Store.SMSLog(context.Background(), siaga.SMSFilter{Number: phone})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(log) - 1; i >= 0; i-- {
		m := log[i]
		if m.Gateway != "kannel" {
			t.Errorf("log entry %d: gateway %q, want kannel", m.ID, m.Gateway)
		}
		got = append(got, string(m.Direction)+" "+m.Outcome)
	}
	want := []string{"in recorded", "out recorded", "in replay", "out replay", "in refused", "out refused",
		"in unreadable", "out unreadable", "in bad_code", "out bad_code"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("SMS log:\n got %v\nwant %v", got, want)
	}
}
