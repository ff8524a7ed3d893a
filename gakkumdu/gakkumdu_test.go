package gakkumdu_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/sqlite"
)

// wib is a time in WIB.
func wib(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, siaga.WIB)
}

// TestDeadline: each stage's limit in calendar days counts from the day
// after the starting event and ends at midnight WIB, whatever the hour of
// the event and whatever zone it was given in.
func TestDeadline(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stage siaga.CaseStage
		start time.Time
		want  time.Time
	}{
		{"review 7 days", siaga.StageReview, wib(2024, 2, 11, 10, 0), wib(2024, 2, 19, 0, 0)},
		{"review from late evening", siaga.StageReview, wib(2024, 2, 11, 23, 59), wib(2024, 2, 19, 0, 0)},
		{"review from WIB midnight", siaga.StageReview, wib(2024, 2, 11, 0, 0), wib(2024, 2, 19, 0, 0)},
		// 17:30 UTC on the 10th is 00:30 WIB on the 11th: the WIB day counts.
		{"review given in UTC", siaga.StageReview, time.Date(2024, 2, 10, 17, 30, 0, 0, time.UTC), wib(2024, 2, 19, 0, 0)},
		{"investigation 14 days", siaga.StageInvestigation, wib(2024, 2, 15, 9, 0), wib(2024, 3, 1, 0, 0)}, // 2024 is a leap year
		{"prosecution 5 days", siaga.StageProsecution, wib(2024, 3, 1, 9, 0), wib(2024, 3, 7, 0, 0)},
		{"trial 7 days", siaga.StageTrial, wib(2024, 3, 6, 9, 0), wib(2024, 3, 14, 0, 0)},
		{"appeal window 3 days", siaga.StageVerdict, wib(2024, 3, 13, 15, 0), wib(2024, 3, 17, 0, 0)},
		{"appeal decided 7 days", siaga.StageAppeal, wib(2024, 3, 16, 15, 0), wib(2024, 3, 24, 0, 0)},
		{"final: no clock", siaga.StageFinal, wib(2024, 3, 16, 15, 0), time.Time{}},
		{"stopped: no clock", siaga.StageStopped, wib(2024, 3, 16, 15, 0), time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := gakkumdu.Deadline(tc.stage, tc.start); !got.Equal(tc.want) {
				t.Errorf("Deadline(%s, %v) = %v, want %v", tc.stage, tc.start, got.In(siaga.WIB), tc.want)
			}
		})
	}
}

// TestClock: the remaining days and the boundary of the last moment.
func TestClock(t *testing.T) {
	c := &siaga.Case{Stage: siaga.StageReview, Due: gakkumdu.Deadline(siaga.StageReview, wib(2024, 2, 11, 10, 0))}
	for _, tc := range []struct {
		name    string
		now     time.Time
		overdue bool
		days    int
		text    string
	}{
		{"same day", wib(2024, 2, 11, 12, 0), false, 7, "sisa 7 hari"},
		{"three days left", wib(2024, 2, 15, 8, 0), false, 3, "sisa 3 hari"},
		{"last day", wib(2024, 2, 18, 9, 0), false, 0, "hari terakhir"},
		{"last nanosecond", wib(2024, 2, 19, 0, 0).Add(-time.Nanosecond), false, 0, "hari terakhir"},
		{"exactly at the deadline", wib(2024, 2, 19, 0, 0), true, 1, "lewat 1 hari"},
		{"two days late", wib(2024, 2, 20, 23, 0), true, 2, "lewat 2 hari"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := gakkumdu.ClockOf(c, tc.now)
			if !k.Running || k.Overdue != tc.overdue || k.Days != tc.days || k.Text() != tc.text {
				t.Errorf("ClockOf at %v = %+v %q, want overdue %v, %d days, %q", tc.now, k, k.Text(), tc.overdue, tc.days, tc.text)
			}
		})
	}
	done := &siaga.Case{Stage: siaga.StageStopped}
	if k := gakkumdu.ClockOf(done, wib(2024, 3, 1, 0, 0)); k.Running || k.Overdue || k.Text() != "selesai" {
		t.Errorf("ClockOf(stopped) = %+v, want no clock", k)
	}
}

type fixture struct {
	svc   *gakkumdu.Service
	store siaga.Store
	now   *time.Time
	users map[string]*siaga.User
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	now := wib(2024, 2, 11, 20, 0)
	f := &fixture{store: store, now: &now, users: map[string]*siaga.User{
		"bawaslu":   {ID: 1, Username: "bawaslu.pandeglang", Role: siaga.RoleBawaslu, Scope: "3601"},
		"polri":     {ID: 2, Username: "polres.pandeglang", Role: siaga.RoleAparat, Scope: "3601"},
		"kejaksaan": {ID: 3, Username: "kejari.pandeglang", Role: siaga.RoleAparat, Scope: "3601", Agency: siaga.AgencyKejaksaan},
		"tni":       {ID: 4, Username: "kodim.pandeglang", Role: siaga.RoleAparat, Scope: "3601", Agency: siaga.AgencyTNI},
		"desk":      {ID: 5, Username: "desk.banten", Role: siaga.RoleDesk, Scope: "36"},
		"lebak":     {ID: 6, Username: "bawaslu.lebak", Role: siaga.RoleBawaslu, Scope: "3602"},
	}}
	f.svc = gakkumdu.New(gakkumdu.Config{Store: store, Incidents: store, Now: func() time.Time { return *f.now }})
	return f
}

// incident stores a money-politics report in region.
func (f *fixture) incident(t testing.TB, region string) int64 {
	t.Helper()
	in := &siaga.Incident{Channel: siaga.ChannelWeb, Category: siaga.IncidentMoneyPolitic, Severity: siaga.SeverityHigh,
		OccurredAt: f.now.Add(-2 * time.Hour), ReportedAt: f.now.Add(-time.Hour), Region: region, Title: "Bagi-bagi amplop",
		Text: "Amplop Rp50.000 dibagikan di masa tenang", Status: siaga.IncidentVerified, UpdatedAt: f.now.Add(-time.Hour), Version: 1}
	step := &siaga.IncidentStep{At: in.ReportedAt, Kind: siaga.StepReported, Status: in.Status, ByName: "ptps"}
	if err := f.store.CreateIncident(context.Background(), in, step); err != nil {
		t.Fatal(err)
	}
	return in.ID
}

var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

func code(err error) string { return siaga.ErrorCode(err) }

// TestRights: who opens, moves, stops a case and adds documents; a TNI
// account and the desk are refused, each stage is moved on by its agency
// only, scopes hold, and a stale version conflicts.
func TestRights(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	inc := f.incident(t, "3601012001")
	u := f.users

	for _, who := range []string{"tni", "desk"} {
		_, err := f.svc.Open(ctx, u[who], gakkumdu.OpenInput{Incident: inc})
		if code(err) != siaga.EForbidden {
			t.Errorf("%s opens: %v, want forbidden", who, err)
		}
	}
	if _, err := f.svc.Open(ctx, u["lebak"], gakkumdu.OpenInput{Incident: inc}); code(err) != siaga.EForbidden {
		t.Errorf("Bawaslu Lebak opens a Pandeglang case: %v, want forbidden", err)
	}
	c, err := f.svc.Open(ctx, u["polri"], gakkumdu.OpenInput{Incident: inc, Article: "Pasal 523 ayat (2)"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Open(ctx, u["bawaslu"], gakkumdu.OpenInput{Incident: inc}); code(err) != siaga.EConflict {
		t.Errorf("second case of one incident: %v, want conflict", err)
	}
	if c.Stage != siaga.StageReview || c.Region != "3601012001" || c.Title != "Bagi-bagi amplop" || !c.Due.Equal(wib(2024, 2, 19, 0, 0)) {
		t.Errorf("opened %+v", c)
	}

	// Only Bawaslu moves a case on from its review.
	adv := gakkumdu.AdvanceInput{Version: 1, To: siaga.StageInvestigation, At: wib(2024, 2, 11, 21, 0)}
	*f.now = wib(2024, 2, 12, 9, 0)
	for _, who := range []string{"polri", "kejaksaan", "tni", "desk"} {
		if _, err := f.svc.Advance(ctx, u[who], c.ID, adv); code(err) != siaga.EForbidden {
			t.Errorf("%s advances the review: %v, want forbidden", who, err)
		}
	}
	if _, err := f.svc.Advance(ctx, u["bawaslu"], c.ID, gakkumdu.AdvanceInput{Version: 1, To: siaga.StageTrial}); code(err) != siaga.EInvalid {
		t.Errorf("skipping to trial: %v, want invalid", err)
	}
	adv.Docs = []gakkumdu.DocumentInput{{Name: "C:\\scan\\penerusan.pdf", Data: pdf}}
	c, err = f.svc.Advance(ctx, u["bawaslu"], c.ID, adv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Stage != siaga.StageInvestigation || !c.Due.Equal(wib(2024, 2, 26, 0, 0)) || c.Version != 2 {
		t.Errorf("advanced %+v", c)
	}
	if _, err := f.svc.Advance(ctx, u["polri"], c.ID, gakkumdu.AdvanceInput{Version: 1, To: siaga.StageProsecution}); code(err) != siaga.EConflict {
		t.Errorf("stale version: %v, want conflict", err)
	}
	// Polri moves the investigation on; Bawaslu no longer can.
	if _, err := f.svc.Stop(ctx, u["bawaslu"], c.ID, 2, "bukan pidana"); code(err) != siaga.EForbidden {
		t.Errorf("Bawaslu stops the investigation: %v, want forbidden", err)
	}
	c, err = f.svc.Advance(ctx, u["polri"], c.ID, gakkumdu.AdvanceInput{Version: 2, To: siaga.StageProsecution})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Stop(ctx, u["kejaksaan"], c.ID, 3, ""); code(err) != siaga.EInvalid {
		t.Errorf("stop without a reason: %v, want invalid", err)
	}
	c, err = f.svc.Stop(ctx, u["kejaksaan"], c.ID, 3, "Alat bukti <b>tidak cukup</b>")
	if err != nil {
		t.Fatal(err)
	}
	if c.Stage != siaga.StageStopped || !c.Due.IsZero() || c.Outcome != "Alat bukti <b>tidak cukup</b>" {
		t.Errorf("stopped %+v", c)
	}
	if _, err := f.svc.Advance(ctx, u["kejaksaan"], c.ID, gakkumdu.AdvanceInput{Version: 4, To: siaga.StageTrial}); code(err) != siaga.EConflict {
		t.Errorf("advancing a stopped case: %v, want conflict", err)
	}
	got, err := f.svc.Case(ctx, u["desk"], c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var stages []siaga.CaseStage
	for _, s := range got.Stages {
		stages = append(stages, s.Stage)
	}
	want := []siaga.CaseStage{siaga.StageReview, siaga.StageInvestigation, siaga.StageProsecution, siaga.StageStopped}
	if diff := cmp.Diff(want, stages); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if _, err := f.svc.Case(ctx, u["lebak"], c.ID); code(err) != siaga.EForbidden {
		t.Errorf("Lebak reads a Pandeglang case: %v, want forbidden", err)
	}
	docs, err := f.svc.Documents(ctx, got)
	if err != nil || len(docs) != 1 || docs[0].Name != "penerusan.pdf" || docs[0].Stage != siaga.StageInvestigation || docs[0].Type != "application/pdf" {
		t.Errorf("documents %+v %v", docs, err)
	}
}

// TestDocuments: a document is a PDF, JPEG or PNG by its bytes, of at
// most 5 MiB; a bad one stores nothing.
func TestDocuments(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c, err := f.svc.Open(ctx, f.users["bawaslu"], gakkumdu.OpenInput{Incident: f.incident(t, "3601012001")})
	if err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	big := make([]byte, siaga.MaxCaseDocument+1)
	copy(big, pdf)
	for _, tc := range []struct {
		name string
		in   gakkumdu.DocumentInput
		code string
	}{
		{"pdf", gakkumdu.DocumentInput{Name: "laporan.pdf", Data: pdf}, ""},
		{"png", gakkumdu.DocumentInput{Name: "foto.png", Data: png}, ""},
		{"script named pdf", gakkumdu.DocumentInput{Name: "x.pdf", Data: []byte("<script>alert(1)</script>")}, siaga.EInvalid},
		{"empty", gakkumdu.DocumentInput{Name: "kosong.pdf"}, siaga.EInvalid},
		{"over 5 MiB", gakkumdu.DocumentInput{Name: "besar.pdf", Data: big}, siaga.ETooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.AddDocument(ctx, f.users["bawaslu"], c.ID, tc.in)
			if code(err) != tc.code {
				t.Errorf("AddDocument = %v, want code %q", err, tc.code)
			}
		})
	}
	if _, err := f.svc.AddDocument(ctx, f.users["tni"], c.ID, gakkumdu.DocumentInput{Name: "a.pdf", Data: pdf}); code(err) != siaga.EForbidden {
		t.Errorf("TNI adds a document: %v, want forbidden", err)
	}
	docs, err := f.svc.Documents(ctx, c)
	if err != nil || len(docs) != 2 {
		t.Errorf("documents = %d %v, want the PDF and the PNG", len(docs), err)
	}
}

// TestOverdueAlertOnce: the schedule raises one alert per (case, stage)
// once the deadline passed, none before, and a new one for the next
// stage's deadline.
func TestOverdueAlertOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	late, err := f.svc.Open(ctx, f.users["bawaslu"], gakkumdu.OpenInput{Incident: f.incident(t, "3601012001"), KnownAt: wib(2024, 2, 1, 9, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Open(ctx, f.users["bawaslu"], gakkumdu.OpenInput{Incident: f.incident(t, "3601012002")}); err != nil {
		t.Fatal(err)
	}
	// late's review ended 9 Feb 00:00 WIB; the other's runs to 19 Feb.
	for i, want := range []int{1, 0} {
		n, err := f.svc.RaiseOverdue(ctx)
		if err != nil || n != want {
			t.Errorf("RaiseOverdue #%d = %d %v, want %d", i+1, n, err, want)
		}
	}
	overdue, err := f.svc.Overdue(ctx, "3601")
	if err != nil || len(overdue) != 1 || overdue[0].ID != late.ID {
		t.Errorf("Overdue = %v %v, want the late case", overdue, err)
	}
	if overdue, _ := f.svc.Overdue(ctx, "3602"); len(overdue) != 0 {
		t.Errorf("Overdue(3602) = %v, want none", overdue)
	}
	// Moved on late, then late again in the investigation: a second alert.
	if _, err := f.svc.Advance(ctx, f.users["bawaslu"], late.ID, gakkumdu.AdvanceInput{Version: 1, To: siaga.StageInvestigation}); err != nil {
		t.Fatal(err)
	}
	*f.now = wib(2024, 2, 26, 0, 0)
	// The schedule's goroutine, stopped by its context as the node stops it.
	run, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.svc.RunOverdueAlerts(run, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	deadline := time.Now().Add(10 * time.Second)
	var alerts []siaga.CaseAlert
	for time.Now().Before(deadline) {
		if alerts, err = f.svc.Alerts(ctx, "36", 10); err == nil && len(alerts) == 3 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	var got []string
	for _, a := range alerts {
		got = append(got, string(a.Stage))
	}
	// Newest first: the investigation of late and the other's review at
	// 26 Feb, late's review at 11 Feb.
	if len(got) != 3 || got[2] != "kajian" || alerts[2].Case != late.ID {
		t.Errorf("alerts = %+v", alerts)
	}
}
