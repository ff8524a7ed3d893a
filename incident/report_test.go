package incident_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
)

// TestReportChecks: every bad report is refused naming its field, in both
// languages.
func TestReportChecks(t *testing.T) {
	f := newFixture(t)
	ok := func() *siaga.Incident {
		return &siaga.Incident{Channel: siaga.ChannelWeb, Category: siaga.IncidentViolence, Severity: siaga.SeverityHigh,
			OccurredAt: t0.Add(-time.Hour), TPS: "3601012001001", Title: "Bentrok", Text: "Dua kelompok bentrok"}
	}
	for _, tc := range []struct {
		name        string
		edit        func(*siaga.Incident)
		by          string
		code, field string
	}{
		{"no category", func(in *siaga.Incident) { in.Category = "" }, "desk", siaga.EInvalid, "category"},
		{"unknown category", func(in *siaga.Incident) { in.Category = "perang" }, "desk", siaga.EInvalid, "category"},
		{"unknown severity", func(in *siaga.Incident) { in.Severity = "gawat" }, "desk", siaga.EInvalid, "severity"},
		{"no channel", func(in *siaga.Incident) { in.Channel = "" }, "desk", siaga.EInvalid, "channel"},
		{"public channel by staff", func(in *siaga.Incident) { in.Channel = siaga.ChannelPublicWeb }, "desk", siaga.EInvalid, "channel"},
		{"title too long", func(in *siaga.Incident) { in.Title = strings.Repeat("é", incident.MaxTitle+1) }, "desk", siaga.EInvalid, "title"},
		{"text too long", func(in *siaga.Incident) { in.Text = strings.Repeat("a", incident.MaxText+1) }, "desk", siaga.EInvalid, "text"},
		{"text not UTF-8", func(in *siaga.Incident) { in.Text = "\xff" }, "desk", siaga.EInvalid, "text"},
		{"nothing said", func(in *siaga.Incident) { in.Title, in.Text = " ", "" }, "desk", siaga.EInvalid, "text"},
		{"in the future", func(in *siaga.Incident) { in.OccurredAt = t0.Add(11 * time.Minute) }, "desk", siaga.EInvalid, "occurred_at"},
		{"too old", func(in *siaga.Incident) { in.OccurredAt = t0.Add(-61 * 24 * time.Hour) }, "desk", siaga.EInvalid, "occurred_at"},
		{"unknown TPS", func(in *siaga.Incident) { in.TPS = "3601012001099" }, "desk", siaga.EInvalid, "tps"},
		{"unknown region", func(in *siaga.Incident) { in.TPS, in.Region = "", "3601019999" }, "desk", siaga.EInvalid, "region"},
		{"no place", func(in *siaga.Incident) { in.TPS = "" }, "desk", siaga.EInvalid, "tps"},
		{"point outside Indonesia", func(in *siaga.Incident) { in.TPS, in.Lat, in.Lon = "", 48.85, 2.35 }, "desk", siaga.EInvalid, "lat"},
		{"outside the reporter's scope", func(in *siaga.Incident) { in.TPS = "3673011001001" }, "bawaslu.pandeglang", siaga.EForbidden, "region"},
		{"a role that does not report", func(in *siaga.Incident) {}, "saksi", siaga.EForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok()
			tc.edit(in)
			_, err := f.svc.Report(context.Background(), in, f.as(tc.by))
			wantCode(t, err, tc.code, tc.field)
		})
	}
	// Limits are inclusive: 10 minutes ahead and 120 runes pass.
	in := ok()
	in.OccurredAt, in.Title = t0.Add(10*time.Minute), strings.Repeat("é", incident.MaxTitle)
	if _, err := f.svc.Report(context.Background(), in, f.as("desk")); err != nil {
		t.Errorf("a report at the limits: %v", err)
	}
}

// TestReportPlace: a report is placed at its TPS's newest location, else
// its registry point; at its region's centre; or at the point given,
// whose desa is looked up. Title defaults to the text's first words.
func TestReportPlace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	must(t, f.store.AddTPSLocations(ctx, []siaga.TPSLocation{{TPS: "3601012001002", Lat: -6.69, Lon: 105.51,
		Source: siaga.LocationImported, At: t0.Add(-48 * time.Hour), By: "cli"}}))
	for _, tc := range []struct {
		name string
		in   siaga.Incident
		want siaga.Incident
	}{
		{"TPS at its registry point", siaga.Incident{TPS: "3601012001001"},
			siaga.Incident{TPS: "3601012001001", Region: "3601012001", Lat: -6.7, Lon: 105.5, Placed: "tps"}},
		{"TPS at its stored location", siaga.Incident{TPS: "3601012001002"},
			siaga.Incident{TPS: "3601012001002", Region: "3601012001", Lat: -6.69, Lon: 105.51, Placed: "tps"}},
		{"desa at its centre", siaga.Incident{Region: "3601012002"},
			siaga.Incident{Region: "3601012002", Lat: -6.71, Lon: 105.49, Placed: "region"}},
		{"point given, desa looked up", siaga.Incident{Lat: -6.701, Lon: 105.502},
			siaga.Incident{Region: "3601012001", Lat: -6.701, Lon: 105.502, Placed: "point"}},
		{"TPS and a point: the point is kept", siaga.Incident{TPS: "3601012001001", Lat: -6.702, Lon: 105.503},
			siaga.Incident{TPS: "3601012001001", Region: "3601012001", Lat: -6.702, Lon: 105.503, Placed: "point"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Channel, in.Category, in.Text = siaga.ChannelAPI, siaga.IncidentLogistics, "Kotak suara belum tiba.\nSudah jam 8."
			got, err := f.svc.Report(ctx, &in, f.as("desk"))
			must(t, err)
			place := siaga.Incident{TPS: got.TPS, Region: got.Region, Lat: got.Lat, Lon: got.Lon, Placed: got.Placed}
			if diff := cmp.Diff(tc.want, place); diff != "" {
				t.Errorf("place (-want +got):\n%s", diff)
			}
			if got.Title != "Kotak suara belum tiba." || got.Severity != siaga.SeverityMedium || got.Status != siaga.IncidentNew ||
				got.Version != 1 || got.ReporterUser != f.users["desk"].ID || !got.ReportedAt.Equal(t0) {
				t.Errorf("report %+v", got)
			}
		})
	}
}

// TestReplay: the same ClientID twice is one report.
func TestReplay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := func() *siaga.Incident {
		return &siaga.Incident{ClientID: "outbox-17", Channel: siaga.ChannelField, Category: siaga.IncidentNetwork,
			TPS: "3601012001001", Text: "Sinyal hilang sejak pagi"}
	}
	a, err := f.svc.Report(ctx, in(), incident.Actor{Device: "dev-1"})
	must(t, err)
	f.now = f.now.Add(time.Hour)
	b, err := f.svc.Report(ctx, in(), incident.Actor{Device: "dev-1"})
	must(t, err)
	if a.ID != b.ID || !b.ReportedAt.Equal(t0) {
		t.Errorf("replay stored %d at %v, first %d", b.ID, b.ReportedAt, a.ID)
	}
	if n, _ := f.svc.Count(ctx, siaga.IncidentFilter{}); n != 1 {
		t.Errorf("%d reports after a replay, want 1", n)
	}
}

// TestPublicLimit: one sender's public reports are limited per window;
// another sender is not affected; the window slides.
func TestPublicLimit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	send := func(sender string) error {
		_, err := f.svc.Report(ctx, &siaga.Incident{Channel: siaga.ChannelPublicSMS, Category: siaga.IncidentMoneyPolitic,
			Region: "3601012001", Text: "Ada bagi-bagi amplop", Sender: sender, ReporterPhone: sender}, incident.Actor{Public: sender})
		return err
	}
	for i := range 5 {
		if err := send("+6281211110000"); err != nil {
			t.Fatalf("report %d: %v", i+1, err)
		}
		f.now = f.now.Add(time.Minute)
	}
	err := send("+6281211110000")
	wantCode(t, err, siaga.ETooMany, "")
	if e := err.(*siaga.Error); e.RetryAfter <= 0 {
		t.Errorf("RetryAfter = %v", e.RetryAfter)
	}
	must(t, send("+6281299990000"))
	_, err = f.svc.Report(ctx, &siaga.Incident{Channel: siaga.ChannelPublicWeb, Category: siaga.IncidentHoax,
		Region: "3601012001", Text: "x"}, incident.Actor{})
	wantCode(t, err, siaga.EInvalid, "sender")
	f.now = t0.Add(time.Hour + time.Second) // the first report left the window
	must(t, send("+6281211110000"))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
