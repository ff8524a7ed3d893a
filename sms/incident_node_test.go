package sms_test

import (
	"context"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/sms"
	"github.com/deskpemilu/siaga/sms/kanneltest"
)

// laporSMS is a LAPOR message of a phone with its code.
func laporSMS(t testing.TB, phone *client.Device, body string) string {
	t.Helper()
	l, err := sms.ParseLapor(body)
	if err != nil {
		t.Fatal(err)
	}
	return body + " K" + sms.Code(phone.Secret, l.Canonical())
}

// incidentsOf returns the reports stored at or under region, oldest first.
func (s *served) incidentsOf(t testing.TB, region string) []siaga.Incident {
	t.Helper()
	var out []siaga.Incident
	err := s.n.Store.EachIncident(context.Background(), siaga.IncidentFilter{Scope: region}, func(in *siaga.Incident) error {
		out = append(out, *in)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (s *served) outcomes(t testing.TB, number string) []string {
	t.Helper()
	log, err := s.n.Store.SMSLog(context.Background(), siaga.SMSFilter{Number: number, Direction: siaga.SMSIn})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(log) - 1; i >= 0; i-- {
		got = append(got, log[i].Outcome)
	}
	return got
}

// testIncidents: LAPOR through the gateway's HTTP face, as Kannel's
// get-url calls it. Desa 3601012001 is this test's (the phones' TPS).
func testIncidents(t *testing.T, s *served) {
	const desa = "3601012001"
	const officer, citizen, flooder = "+6285700000001", "+6285700000002", "+6285700000003"

	coded := laporSMS(t, s.phone, "LAPOR "+tpsA+" UANG ! amplop dibagikan di depan TPS")
	reply := s.kannel(t, officer, coded)
	wantContains(t, reply, "SIAGA LAPOR #", "diterima/received", "politik_uang tinggi "+tpsA, "Status baru")
	wantContains(t, s.kannel(t, officer, coded), "SIAGA LAPOR #")
	got := s.incidentsOf(t, desa)
	if len(got) != 1 {
		t.Fatalf("after a report and its resend: %d incidents, want 1: %+v", len(got), got)
	}
	in := got[0]
	if in.Channel != siaga.ChannelSMS || in.ReporterDevice != s.phone.ID || in.TPS != tpsA || in.Category != siaga.IncidentMoneyPolitic ||
		in.Severity != siaga.SeverityHigh || in.Text != "amplop dibagikan di depan TPS" || in.Sender != "" {
		t.Errorf("device-coded report stored as %+v", in)
	}
	if !strings.Contains(reply, "#"+itoa(int(in.ID))+" ") {
		t.Errorf("reply %q does not name #%d", reply, in.ID)
	}

	// The phone of tpsA signing a report about tpsK: no device of tpsK
	// made the code, so it is anyone's report, code and all.
	other := laporSMS(t, s.phone, "LAPOR "+tpsK+" KERAS bentrok")
	wantContains(t, s.kannel(t, officer, other), "menunggu verifikasi")

	// A citizen without a code; script is text, stored as sent.
	const script = `<script>alert("x")</script> ada serangan fajar`
	wantContains(t, s.kannel(t, citizen, "lapor "+desa+" hoax "+script), "SIAGA LAPOR #", "menunggu verifikasi / awaiting review")
	got = s.incidentsOf(t, desa)
	if len(got) != 3 {
		t.Fatalf("%d incidents, want 3: %+v", len(got), got)
	}
	if p := got[1]; p.Channel != siaga.ChannelPublicSMS || p.TPS != tpsK || p.ReporterDevice != "" || p.Sender != officer ||
		!strings.HasSuffix(p.Text, other[len(other)-9:]) {
		t.Errorf("report with another TPS's code stored as %+v", p)
	}
	if p := got[2]; p.Channel != siaga.ChannelPublicSMS || p.Status != siaga.IncidentNew || p.Sender != citizen || p.Region != desa ||
		p.Text != script || p.Category != siaga.IncidentHoax {
		t.Errorf("public report stored as %+v", p)
	}

	// A flood from one number: the service's limit (5 an hour), then a
	// clear reply and nothing stored.
	for i := range 5 {
		wantContains(t, s.kannel(t, flooder, "LAPOR "+desa+" LAIN laporan ke-"+itoa(i+1)), "menunggu verifikasi")
	}
	wantContains(t, s.kannel(t, flooder, "LAPOR "+desa+" LAIN laporan ke-6"), "batas laporan", "too many reports")
	n, err := s.n.Store.CountPublicReports(context.Background(), flooder, s.clock.Now().Add(-24*60*60*1e9))
	if err != nil || n != 5 {
		t.Errorf("the flooder's reports: %d, %v; want 5", n, err)
	}

	// Garbled: the help reply names what could not be read.
	wantContains(t, s.kannel(t, citizen, "LAPOR 12345 UANG amplop"), "tidak terbaca/unreadable", `"12345"`)
	wantContains(t, s.kannel(t, citizen, "LAPOR "+desa+" PENCURIAN motor"), "tidak terbaca/unreadable", `"PENCURIAN"`)

	if got, want := strings.Join(s.outcomes(t, flooder), ","), "incident,incident,incident,incident,incident,limited"; got != want {
		t.Errorf("flooder's SMS log outcomes %s, want %s", got, want)
	}
	if got, want := strings.Join(s.outcomes(t, citizen), ","), "incident,unreadable,unreadable"; got != want {
		t.Errorf("citizen's SMS log outcomes %s, want %s", got, want)
	}
}

// testKannelIncidents sends LAPOR through a real Kannel: the phone's coded
// report lands as the device's, a citizen's in moderation, a flood hits
// the limit.
func testKannelIncidents(t *testing.T, s *served) {
	k := kanneltest.Start(t, s.url)
	const desa = "3601012002"
	const officer, citizen = "+6285700000011", "+6285700000012"
	body := "LAPOR " + tpsK + " INTIMIDASI !! massa mengancam pemilih"
	wantContains(t, k.Send(t, officer, laporSMS(t, s.kphone, body)), "SIAGA LAPOR #", "intimidasi kritis "+tpsK)
	const script = `<img src=x onerror=alert(1)> tidak ada sinyal sejak pagi`
	wantContains(t, k.Send(t, citizen, "LAPOR "+desa+" SINYAL "+script), "menunggu verifikasi")
	for i := range 4 {
		wantContains(t, k.Send(t, citizen, "LAPOR "+desa+" SINYAL masih padam "+itoa(i)), "menunggu verifikasi")
	}
	wantContains(t, k.Send(t, citizen, "LAPOR "+desa+" SINYAL masih padam lagi"), "batas laporan")

	var coded, public int
	for _, in := range s.incidentsOf(t, "3601012") {
		switch {
		case in.Channel == siaga.ChannelSMS && in.ReporterDevice == s.kphone.ID && in.Category == siaga.IncidentIntimidation:
			coded++
		case in.Channel == siaga.ChannelPublicSMS && in.Sender == citizen && in.Status == siaga.IncidentNew:
			public++
			if strings.Contains(in.Text, "onerror") && in.Text != script {
				t.Errorf("script text stored as %q, want it as sent", in.Text)
			}
		}
	}
	if coded != 1 || public != 5 {
		t.Errorf("through Kannel: %d device reports, %d public; want 1 and 5", coded, public)
	}
}
