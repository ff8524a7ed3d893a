package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// incidentAt is a report of cat at tps, occurred at at.
func incidentAt(client string, ch siaga.IncidentChannel, cat siaga.IncidentCategory, tps string, at time.Time) siaga.Incident {
	return siaga.Incident{ClientID: client, Channel: ch, Category: cat, Severity: siaga.SeverityMedium,
		OccurredAt: at, ReportedAt: at.Add(time.Minute), Region: tps[:10], TPS: tps, Lat: -6.1, Lon: 106.1, Placed: "tps",
		Title: "Judul " + client, Text: "Uraian <script>", ReporterUser: 7, ReporterName: "Pelapor", Status: siaga.IncidentNew,
		UpdatedAt: at.Add(time.Minute), Version: 1}
}

func testIncidents(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	step := func(in *siaga.Incident, kind siaga.IncidentStepKind) *siaga.IncidentStep {
		return &siaga.IncidentStep{At: in.UpdatedAt, Kind: kind, Status: in.Status, Agency: in.Agency, Text: in.Reason + in.Outcome,
			ByUser: 7, ByName: "desk.banten"}
	}
	a := incidentAt("a", siaga.ChannelWeb, siaga.IncidentViolence, "3601012001001", t0)
	b := incidentAt("b", siaga.ChannelPublicSMS, siaga.IncidentMoneyPolitic, "3601012001002", t0.Add(time.Hour))
	b.Sender, b.ReporterUser, b.ReporterPhone = "+6281200000001", 0, "+6281200000001"
	c := incidentAt("", siaga.ChannelField, siaga.IncidentViolence, "3671011001001", t0.Add(2*time.Hour))
	c.ReporterDevice = "dev-1"
	d := incidentAt("", siaga.ChannelPublicWeb, siaga.IncidentHoax, "3601012001003", t0.Add(3*time.Hour))
	d.Sender = "+6281200000001"
	for _, in := range []*siaga.Incident{&a, &b, &c, &d} {
		must(t, s.CreateIncident(ctx, in, step(in, siaga.StepReported),
			siaga.AuditEvent{At: in.ReportedAt, Actor: "user:desk", Action: "incident.report", Scope: in.Region}))
		if in.ID == 0 {
			t.Fatal("CreateIncident set no ID")
		}
	}
	// A replay of a client id stores nothing and says conflict.
	again := incidentAt("a", siaga.ChannelWeb, siaga.IncidentOther, "3601012001009", t0)
	wantCode(t, s.CreateIncident(ctx, &again, step(&again, siaga.StepReported)), siaga.EConflict)
	if n, err := s.CountIncidents(ctx, siaga.IncidentFilter{}); err != nil || n != 4 {
		t.Fatalf("CountIncidents after a replay = %d, %v; want 4", n, err)
	}
	got, err := s.IncidentByClientID(ctx, "a")
	must(t, err)
	if diff := cmp.Diff(&a, got); diff != "" {
		t.Errorf("IncidentByClientID (-want +got):\n%s", diff)
	}
	_, err = s.IncidentByClientID(ctx, "")
	wantCode(t, err, siaga.ENotFound)
	_, err = s.IncidentByID(ctx, 9999)
	wantCode(t, err, siaga.ENotFound)

	// An update from the stored version wins; one from a stale copy loses.
	v := a
	v.Status, v.Version, v.UpdatedAt = siaga.IncidentVerified, 2, t0.Add(time.Hour)
	must(t, s.UpdateIncident(ctx, &v, step(&v, siaga.StepVerified)))
	stale := a
	stale.Status, stale.Version = siaga.IncidentRejected, 2
	wantCode(t, s.UpdateIncident(ctx, &stale, step(&stale, siaga.StepRejected)), siaga.EConflict)
	missing := v
	missing.ID, missing.Version = 9999, 3
	wantCode(t, s.UpdateIncident(ctx, &missing, nil), siaga.ENotFound)
	as := v
	as.Status, as.Agency, as.Version, as.UpdatedAt = siaga.IncidentAssigned, siaga.AgencyPolri, 3, t0.Add(2*time.Hour)
	must(t, s.UpdateIncident(ctx, &as, step(&as, siaga.StepAssigned)))
	c.DuplicateOf, c.Version = a.ID, 2
	must(t, s.UpdateIncident(ctx, &c, step(&c, siaga.StepGrouped)))
	got, err = s.IncidentByID(ctx, a.ID)
	must(t, err)
	if diff := cmp.Diff(&as, got); diff != "" {
		t.Errorf("IncidentByID after two steps (-want +got):\n%s", diff)
	}
	steps, err := s.IncidentSteps(ctx, a.ID)
	must(t, err)
	var kinds []siaga.IncidentStepKind
	for _, st := range steps {
		kinds = append(kinds, st.Kind)
		if st.Incident != a.ID || st.ByName != "desk.banten" || st.At.IsZero() {
			t.Errorf("step %+v", st)
		}
	}
	if diff := cmp.Diff([]siaga.IncidentStepKind{siaga.StepReported, siaga.StepVerified, siaga.StepAssigned}, kinds); diff != "" {
		t.Errorf("IncidentSteps kinds (-want +got):\n%s", diff)
	}
	if steps[2].Agency != siaga.AgencyPolri || steps[2].Status != siaga.IncidentAssigned {
		t.Errorf("assign step = %+v", steps[2])
	}

	// Filters, newest first, paged by id, counted without the page.
	yes, no := true, false
	ids := func(list []siaga.Incident) []int64 {
		out := []int64{}
		for _, in := range list {
			out = append(out, in.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    siaga.IncidentFilter
		want []int64
	}{
		{"all", siaga.IncidentFilter{}, []int64{d.ID, c.ID, b.ID, a.ID}},
		{"scope", siaga.IncidentFilter{Scope: "3601"}, []int64{d.ID, b.ID, a.ID}},
		{"scope desa", siaga.IncidentFilter{Scope: "3671011001"}, []int64{c.ID}},
		{"TPS", siaga.IncidentFilter{TPS: "3601012001002"}, []int64{b.ID}},
		{"category", siaga.IncidentFilter{Categories: []siaga.IncidentCategory{siaga.IncidentViolence, siaga.IncidentHoax}}, []int64{d.ID, c.ID, a.ID}},
		{"status", siaga.IncidentFilter{Statuses: []siaga.IncidentStatus{siaga.IncidentAssigned}}, []int64{a.ID}},
		{"severity", siaga.IncidentFilter{Severities: []siaga.Severity{siaga.SeverityCritical}}, []int64{}},
		{"agency", siaga.IncidentFilter{Agency: siaga.AgencyPolri}, []int64{a.ID}},
		{"channel", siaga.IncidentFilter{Channel: siaga.ChannelField}, []int64{c.ID}},
		{"public", siaga.IncidentFilter{Public: &yes}, []int64{d.ID, b.ID}},
		{"not public", siaga.IncidentFilter{Public: &no}, []int64{c.ID, a.ID}},
		{"time", siaga.IncidentFilter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []int64{c.ID, b.ID}},
		{"groups", siaga.IncidentFilter{Groups: true}, []int64{d.ID, b.ID, a.ID}},
		{"text any case", siaga.IncidentFilter{Text: "JUDUL B"}, []int64{b.ID}},
		{"text with a wildcard", siaga.IncidentFilter{Text: "judul%b"}, []int64{}},
		{"page", siaga.IncidentFilter{Before: c.ID, Limit: 1}, []int64{b.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, err := s.Incidents(ctx, tc.f)
			must(t, err)
			if diff := cmp.Diff(tc.want, ids(list)); diff != "" {
				t.Errorf("Incidents (-want +got):\n%s", diff)
			}
			n, err := s.CountIncidents(ctx, tc.f)
			must(t, err)
			if tc.f.Limit == 0 && n != len(tc.want) {
				t.Errorf("CountIncidents = %d, want %d", n, len(tc.want))
			}
			var each []int64
			must(t, s.EachIncident(ctx, tc.f, func(in *siaga.Incident) error {
				each = append([]int64{in.ID}, each...)
				return nil
			}))
			if tc.f.Limit == 0 {
				if diff := cmp.Diff(tc.want, append([]int64{}, each...)); diff != "" {
					t.Errorf("EachIncident, reversed (-want +got):\n%s", diff)
				}
			}
		})
	}

	// The public rate limit counts one sender's public reports since a time.
	for _, tc := range []struct {
		sender string
		since  time.Time
		want   int
	}{
		{"+6281200000001", t0, 2},
		{"+6281200000001", b.ReportedAt.Add(time.Nanosecond), 1},
		{"+6281299999999", t0, 0},
	} {
		n, err := s.CountPublicReports(ctx, tc.sender, tc.since)
		must(t, err)
		if n != tc.want {
			t.Errorf("CountPublicReports(%s, %v) = %d, want %d", tc.sender, tc.since, n, tc.want)
		}
	}

	// Evidence: stored once per file and listed on the incident.
	png := siaga.IncidentEvidence{SHA256: "aa", Incident: b.ID, Type: "image/png", Data: []byte("\x89PNG..."), By: "publik", At: t0}
	pdf := siaga.IncidentEvidence{SHA256: "bb", Incident: b.ID, Type: "application/pdf", Data: []byte("%PDF-1.4"), By: "publik", At: t0}
	for _, e := range []*siaga.IncidentEvidence{&png, &pdf, &png} {
		must(t, s.AddIncidentEvidence(ctx, e))
	}
	bad := png
	bad.Incident = 9999
	wantCode(t, s.AddIncidentEvidence(ctx, &bad), siaga.ENotFound)
	ev, err := s.IncidentEvidence(ctx, b.ID, "bb")
	must(t, err)
	if diff := cmp.Diff(&pdf, ev); diff != "" {
		t.Errorf("IncidentEvidence (-want +got):\n%s", diff)
	}
	_, err = s.IncidentEvidence(ctx, a.ID, "bb")
	wantCode(t, err, siaga.ENotFound)
	got, err = s.IncidentByID(ctx, b.ID)
	must(t, err)
	if diff := cmp.Diff([]string{"aa", "bb"}, got.Evidence); diff != "" {
		t.Errorf("Evidence of the incident (-want +got):\n%s", diff)
	}
	// An update keeps the evidence list, which it does not write.
	b2 := *got
	b2.Evidence, b2.Status, b2.Version = nil, siaga.IncidentRejected, got.Version+1
	must(t, s.UpdateIncident(ctx, &b2, nil))
	got, err = s.IncidentByID(ctx, b.ID)
	must(t, err)
	if len(got.Evidence) != 2 || got.Status != siaga.IncidentRejected {
		t.Errorf("after an update: evidence %v, status %s", got.Evidence, got.Status)
	}
}

// testUserAgency: the agency an account works for is stored and changed.
func testUserAgency(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	u := siaga.User{Username: "polres.serang", Name: "Polres Serang", Role: siaga.RoleAparat, Scope: "3604",
		Agency: siaga.AgencyTNI, PasswordHash: "x", CreatedAt: t0}
	must(t, s.CreateUser(ctx, &u))
	got, err := s.UserByID(ctx, u.ID)
	must(t, err)
	if diff := cmp.Diff(&u, got); diff != "" {
		t.Errorf("UserByID (-want +got):\n%s", diff)
	}
	must(t, s.SetUserAgency(ctx, u.ID, siaga.AgencyKejaksaan))
	got, err = s.UserByUsername(ctx, u.Username)
	must(t, err)
	if got.Agency != siaga.AgencyKejaksaan {
		t.Errorf("agency after SetUserAgency = %q", got.Agency)
	}
	wantCode(t, s.SetUserAgency(ctx, u.ID+100, siaga.AgencyPolri), siaga.ENotFound)
}
