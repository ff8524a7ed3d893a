package incident_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
)

// at brings a fresh report to status by the shortest path.
func (f *fixture) at(t testing.TB, status siaga.IncidentStatus) *siaga.Incident {
	t.Helper()
	ctx := context.Background()
	// Each report 3 hours before the last: none is a duplicate of another.
	f.reports++
	in := f.report(t, siaga.IncidentIntimidation, "3601012001001", f.now.Add(-time.Duration(f.reports)*3*time.Hour))
	path := map[siaga.IncidentStatus][]incident.Action{
		siaga.IncidentVerified: {{Kind: siaga.StepVerified}},
		siaga.IncidentRejected: {{Kind: siaga.StepRejected, Text: "hoaks"}},
		siaga.IncidentAssigned: {{Kind: siaga.StepVerified}, {Kind: siaga.StepAssigned, Agency: siaga.AgencyPolri}},
		siaga.IncidentInHand:   {{Kind: siaga.StepVerified}, {Kind: siaga.StepAssigned, Agency: siaga.AgencyPolri}, {Kind: siaga.StepInHand}},
		siaga.IncidentClosed: {{Kind: siaga.StepVerified}, {Kind: siaga.StepAssigned, Agency: siaga.AgencyPolri}, {Kind: siaga.StepInHand},
			{Kind: siaga.StepClosed, Text: "Pelaku diamankan"}},
	}[status]
	for _, a := range path {
		a.Version = in.Version
		var err error
		if in, err = f.svc.Act(ctx, in.ID, a, f.as("desk")); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

// TestTransitions: each step from each status either moves the report as
// the table says or is refused naming the status.
func TestTransitions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	other := f.report(t, siaga.IncidentIntimidation, "3673011001001", t0)
	actions := map[siaga.IncidentStepKind]incident.Action{
		siaga.StepVerified:  {Kind: siaga.StepVerified},
		siaga.StepRejected:  {Kind: siaga.StepRejected, Text: "Tidak terbukti"},
		siaga.StepAssigned:  {Kind: siaga.StepAssigned, Agency: siaga.AgencyTNI},
		siaga.StepInHand:    {Kind: siaga.StepInHand},
		siaga.StepClosed:    {Kind: siaga.StepClosed, Text: "Selesai dimediasi"},
		siaga.StepGrouped:   {Kind: siaga.StepGrouped, Head: other.ID},
		siaga.StepUngrouped: {Kind: siaga.StepUngrouped},
		siaga.StepNote:      {Kind: siaga.StepNote, Text: "Tim sudah di lokasi"},
	}
	B, V, R, A, H, C := siaga.IncidentNew, siaga.IncidentVerified, siaga.IncidentRejected, siaga.IncidentAssigned,
		siaga.IncidentInHand, siaga.IncidentClosed
	// want[from][kind] is the status after, "" when refused.
	want := map[siaga.IncidentStatus]map[siaga.IncidentStepKind]siaga.IncidentStatus{
		B: {siaga.StepVerified: V, siaga.StepRejected: R},
		V: {siaga.StepRejected: R, siaga.StepAssigned: A},
		R: {},
		A: {siaga.StepAssigned: A, siaga.StepInHand: H, siaga.StepClosed: C},
		H: {siaga.StepAssigned: A, siaga.StepClosed: C},
		C: {},
	}
	for _, from := range siaga.IncidentStatuses {
		for _, kind := range incident.StepKinds {
			t.Run(string(from)+"/"+string(kind), func(t *testing.T) {
				in := f.at(t, from)
				a := actions[kind]
				a.Version = in.Version
				if kind == siaga.StepUngrouped {
					in = mustAct(t, f, in, incident.Action{Kind: siaga.StepGrouped, Head: other.ID, Version: in.Version})
					a.Version = in.Version
				}
				got, err := f.svc.Act(ctx, in.ID, a, f.as("desk"))
				to, ok := want[from][kind]
				switch {
				case kind == siaga.StepGrouped || kind == siaga.StepUngrouped || kind == siaga.StepNote:
					must(t, err) // at any status
					if got.Status != from {
						t.Errorf("status %s after %s, want unchanged %s", got.Status, kind, from)
					}
				case ok:
					must(t, err)
					if got.Status != to || got.Version != in.Version+1 {
						t.Errorf("after %s: status %s version %d, want %s %d", kind, got.Status, got.Version, to, in.Version+1)
					}
				default:
					wantCode(t, err, siaga.EInvalid, "status")
				}
			})
		}
	}
	// Every step is in the history with who and when; the fields follow.
	f.now = t0.Add(3 * time.Hour)
	in := f.at(t, siaga.IncidentClosed)
	if in.Agency != siaga.AgencyPolri || in.Outcome != "Pelaku diamankan" {
		t.Errorf("closed report %+v", in)
	}
	steps, err := f.svc.Steps(ctx, f.users["desk"], in.ID)
	must(t, err)
	var got []string
	for _, s := range steps {
		got = append(got, string(s.Kind)+":"+string(s.Status)+":"+string(s.Agency)+":"+s.Text+":"+s.ByName)
		if !s.At.Equal(f.now) || s.ByUser != f.users["desk"].ID {
			t.Errorf("step %+v", s)
		}
	}
	wantSteps := []string{"lapor:baru:::desk", "verifikasi:terverifikasi:::desk", "tugaskan:ditugaskan:polri::desk",
		"tangani:ditangani:::desk", "selesai:selesai::Pelaku diamankan:desk"}
	if diff := cmp.Diff(wantSteps, got); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

func mustAct(t testing.TB, f *fixture, in *siaga.Incident, a incident.Action) *siaga.Incident {
	t.Helper()
	got, err := f.svc.Act(context.Background(), in.ID, a, f.as("desk"))
	must(t, err)
	return got
}

// TestRequired: reject needs a reason, close an outcome, assign a known
// agency, a note its text, group another report.
func TestRequired(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		from  siaga.IncidentStatus
		a     incident.Action
		field string
	}{
		{siaga.IncidentNew, incident.Action{Kind: siaga.StepRejected, Text: "  "}, "text"},
		{siaga.IncidentInHand, incident.Action{Kind: siaga.StepClosed}, "text"},
		{siaga.IncidentVerified, incident.Action{Kind: siaga.StepAssigned, Agency: "fbi"}, "agency"},
		{siaga.IncidentNew, incident.Action{Kind: siaga.StepNote}, "text"},
		{siaga.IncidentNew, incident.Action{Kind: siaga.StepGrouped}, "head"},
		{siaga.IncidentNew, incident.Action{Kind: siaga.StepGrouped, Head: 9999}, "head"},
		{siaga.IncidentNew, incident.Action{Kind: siaga.StepUngrouped}, "head"},
		{siaga.IncidentNew, incident.Action{Kind: "hapus"}, "kind"},
		{siaga.IncidentNew, incident.Action{Kind: siaga.StepNote, Text: strings.Repeat("x", incident.MaxText+1)}, "text"},
	} {
		t.Run(string(tc.a.Kind)+"/"+tc.field, func(t *testing.T) {
			in := f.at(t, tc.from)
			tc.a.Version = in.Version
			_, err := f.svc.Act(context.Background(), in.ID, tc.a, f.as("desk"))
			wantCode(t, err, siaga.EInvalid, tc.field)
		})
	}
}

// TestRights: triage is for the desk, Bawaslu and the police in scope;
// handling is for the assigned agency (and the desk); notes for every
// reader; devices only note their own reports.
func TestRights(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		by   string
		from siaga.IncidentStatus
		a    incident.Action
		want string // error code, "" for allowed
	}{
		{"bawaslu.pandeglang", siaga.IncidentNew, incident.Action{Kind: siaga.StepVerified}, ""},
		{"polres.pandeglang", siaga.IncidentNew, incident.Action{Kind: siaga.StepRejected, Text: "hoaks"}, ""},
		{"kpu.pandeglang", siaga.IncidentNew, incident.Action{Kind: siaga.StepVerified}, siaga.EForbidden},
		{"ptps.tamanjaya", siaga.IncidentVerified, incident.Action{Kind: siaga.StepAssigned, Agency: siaga.AgencyPolri}, siaga.EForbidden},
		{"polres.serang", siaga.IncidentNew, incident.Action{Kind: siaga.StepVerified}, siaga.EForbidden}, // out of scope
		{"polres.pandeglang", siaga.IncidentAssigned, incident.Action{Kind: siaga.StepInHand}, ""},        // assigned to polri
		{"kodim.pandeglang", siaga.IncidentAssigned, incident.Action{Kind: siaga.StepInHand}, siaga.EForbidden},
		{"bawaslu.pandeglang", siaga.IncidentInHand, incident.Action{Kind: siaga.StepClosed, Text: "x"}, siaga.EForbidden},
		{"desk", siaga.IncidentInHand, incident.Action{Kind: siaga.StepClosed, Text: "x"}, ""},
		{"kpu.pandeglang", siaga.IncidentNew, incident.Action{Kind: siaga.StepNote, Text: "Logistik aman"}, ""},
		{"ptps.tamanjaya", siaga.IncidentNew, incident.Action{Kind: siaga.StepNote, Text: "Saya di lokasi"}, ""},
		{"polres.serang", siaga.IncidentNew, incident.Action{Kind: siaga.StepNote, Text: "x"}, siaga.EForbidden},
		{"saksi", siaga.IncidentNew, incident.Action{Kind: siaga.StepNote, Text: "x"}, siaga.EForbidden},
	} {
		t.Run(tc.by+"/"+string(tc.a.Kind), func(t *testing.T) {
			in := f.at(t, tc.from)
			tc.a.Version = in.Version
			_, err := f.svc.Act(ctx, in.ID, tc.a, f.as(tc.by))
			if tc.want == "" {
				must(t, err)
			} else {
				wantCode(t, err, tc.want, "")
			}
		})
	}
	// A device notes its own reports, not others', and triages none.
	in, err := f.svc.Report(ctx, &siaga.Incident{Channel: siaga.ChannelField, Category: siaga.IncidentLogistics,
		TPS: "3601012001002", Text: "Surat suara kurang 20 lembar"}, incident.Actor{Device: "dev-1"})
	must(t, err)
	_, err = f.svc.Note(ctx, in.ID, 1, "Sudah dilaporkan ke PPK", incident.Actor{Device: "dev-2"})
	wantCode(t, err, siaga.EForbidden, "")
	_, err = f.svc.Verify(ctx, in.ID, 1, incident.Actor{Device: "dev-1"})
	wantCode(t, err, siaga.EForbidden, "")
	_, err = f.svc.Note(ctx, in.ID, 1, "Sudah dilaporkan ke PPK", incident.Actor{Device: "dev-1"})
	must(t, err)
}

// TestStale: a step from an old version loses, so two officers acting at
// once cannot undo each other.
func TestStale(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.report(t, siaga.IncidentViolence, "3601012001001", t0)
	_, err := f.svc.Verify(ctx, in.ID, 1, f.as("bawaslu.pandeglang"))
	must(t, err)
	_, err = f.svc.Reject(ctx, in.ID, 1, "hoaks", f.as("polres.pandeglang"))
	wantCode(t, err, siaga.EConflict, "version")
	got, err := f.svc.One(ctx, f.users["desk"], in.ID)
	must(t, err)
	if got.Status != siaga.IncidentVerified || got.Version != 2 {
		t.Errorf("after a stale step: %s v%d", got.Status, got.Version)
	}
}

// TestEvidence: photos and PDFs by content up to 1 MiB; anything else,
// or bigger, is refused naming "bukti".
func TestEvidence(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.report(t, siaga.IncidentViolence, "3601012001001", t0)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n")
	for _, tc := range []struct {
		name string
		data []byte
		by   incident.Actor
		code string
		typ  string
	}{
		{"png", png, f.as("desk"), "", "image/png"},
		{"pdf", pdf, f.as("ptps.tamanjaya"), "", "application/pdf"},
		{"jpeg", append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 64)...), f.as("desk"), "", "image/jpeg"},
		{"html posing as a photo", []byte("<html><script>alert(1)</script>"), f.as("desk"), siaga.EInvalid, ""},
		{"empty", nil, f.as("desk"), siaga.EInvalid, ""},
		{"over 1 MiB", append(png, make([]byte, incident.MaxEvidence)...), f.as("desk"), siaga.ETooLarge, ""},
		{"out of scope", png, f.as("polres.serang"), siaga.EForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := f.svc.AddEvidence(ctx, in.ID, tc.data, tc.by)
			if tc.code != "" {
				wantCode(t, err, tc.code, map[string]string{siaga.EForbidden: ""}[tc.code]+map[bool]string{true: "bukti"}[tc.code != siaga.EForbidden])
				return
			}
			must(t, err)
			if e.Type != tc.typ || len(e.SHA256) != 64 {
				t.Errorf("evidence %s %s", e.Type, e.SHA256)
			}
			back, err := f.svc.Evidence(ctx, f.users["desk"], in.ID, e.SHA256)
			must(t, err)
			if string(back.Data) != string(tc.data) {
				t.Error("evidence read back differs")
			}
		})
	}
	got, err := f.svc.One(ctx, f.users["desk"], in.ID)
	must(t, err)
	if len(got.Evidence) != 3 || got.Version != 4 {
		t.Errorf("report after 3 files: evidence %d, version %d", len(got.Evidence), got.Version)
	}
}

// TestPublicView: the public sees verified reports only, and nothing of
// who reported, the description, evidence, reason or notes.
func TestPublicView(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in, err := f.svc.Report(ctx, &siaga.Incident{Channel: siaga.ChannelPublicSMS, Category: siaga.IncidentMoneyPolitic,
		TPS: "3601012001001", Title: "Amplop", Text: "Pak RT Budi membagi amplop", Sender: "+6281234567890",
		ReporterPhone: "+6281234567890", ReporterName: "Siti"}, incident.Actor{Public: "Siti"})
	must(t, err)
	if _, ok := incident.Public(in); ok {
		t.Fatal("an unverified report is public")
	}
	if got := incident.Receipt(in); got != "INS-000001" {
		t.Errorf("Receipt = %q", got)
	}
	in, err = f.svc.Verify(ctx, in.ID, in.Version, f.as("bawaslu.pandeglang"))
	must(t, err)
	_, err = f.svc.Note(ctx, in.ID, in.Version, "Saksi: Joko", f.as("desk"))
	must(t, err)
	in, err = f.svc.One(ctx, f.users["desk"], in.ID)
	must(t, err)
	pub, ok := incident.Public(in)
	if !ok {
		t.Fatal("a verified report is not public")
	}
	b, _ := json.Marshal(pub)
	for _, secret := range []string{"+6281234567890", "Siti", "Budi", "Joko", "reporter", "sender", "evidence", "text"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("public view %s shows %q", b, secret)
		}
	}
	dup := *in
	dup.DuplicateOf = 99
	if _, ok := incident.Public(&dup); ok {
		t.Error("a duplicate is public beside its group's first report")
	}
	rejected := f.at(t, siaga.IncidentRejected)
	if _, ok := incident.Public(rejected); ok {
		t.Error("a rejected report is public")
	}
}

// TestListScope: lists stay in the reader's scope and count it all.
func TestListScope(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 3 {
		f.report(t, siaga.IncidentDisaster, "3601012001001", t0.Add(-time.Duration(i)*3*time.Hour))
	}
	f.report(t, siaga.IncidentDisaster, "3673011001001", t0)
	list, n, err := f.svc.List(ctx, f.users["bawaslu.pandeglang"], siaga.IncidentFilter{Limit: 2})
	must(t, err)
	if len(list) != 2 || n != 3 {
		t.Errorf("List in Pandeglang: %d of %d, want 2 of 3", len(list), n)
	}
	_, _, err = f.svc.List(ctx, f.users["bawaslu.pandeglang"], siaga.IncidentFilter{Scope: "3673"})
	wantCode(t, err, siaga.EForbidden, "region")
	_, _, err = f.svc.List(ctx, f.users["saksi"], siaga.IncidentFilter{})
	wantCode(t, err, siaga.EForbidden, "")
	serang, _, err := f.svc.List(ctx, f.users["polres.serang"], siaga.IncidentFilter{})
	must(t, err)
	if len(serang) != 1 {
		t.Fatalf("Kota Serang sees %d", len(serang))
	}
	// A PTPS reads its own TPS's reports only.
	f.report(t, siaga.IncidentDisaster, "3601012001002", t0)
	mine, n, err := f.svc.List(ctx, f.users["ptps.tamanjaya"], siaga.IncidentFilter{})
	must(t, err)
	if len(mine) != 3 || n != 3 || mine[0].TPS != "3601012001001" {
		t.Errorf("the PTPS of TPS 001 sees %d of %d", len(mine), n)
	}
	_, _, err = f.svc.List(ctx, f.users["ptps.tamanjaya"], siaga.IncidentFilter{Scope: "3673"})
	wantCode(t, err, siaga.EForbidden, "region")
	_, err = f.svc.One(ctx, f.users["bawaslu.pandeglang"], serang[0].ID)
	wantCode(t, err, siaga.EForbidden, "")
	_, err = f.svc.Steps(ctx, f.users["bawaslu.pandeglang"], serang[0].ID)
	wantCode(t, err, siaga.EForbidden, "")
}

// TestReportWithEvidence: the public form's photo is checked before the
// report is stored, stored with it, and once on a replay; the public may
// not add files to a report afterwards.
func TestReportWithEvidence(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	report := func(files ...[]byte) (*siaga.Incident, error) {
		return f.svc.ReportWithEvidence(ctx, &siaga.Incident{ClientID: "form-1", Channel: siaga.ChannelPublicWeb,
			Category: siaga.IncidentMoneyPolitic, Region: "3601012001", Text: "Amplop", Sender: "203.0.113.9"}, files,
			incident.Actor{Public: "Warga"})
	}
	_, err := report(png, []byte("<svg onload=alert(1)>"))
	wantCode(t, err, siaga.EInvalid, "bukti")
	if n, _ := f.svc.Count(ctx, siaga.IncidentFilter{}); n != 0 {
		t.Fatalf("a report with a bad file was stored (%d)", n)
	}
	in, err := report(png)
	must(t, err)
	again, err := report(png)
	must(t, err)
	if len(in.Evidence) != 1 || len(again.Evidence) != 1 || again.Version != 2 || in.ID != again.ID {
		t.Errorf("first %v v%d, replay %v v%d", in.Evidence, in.Version, again.Evidence, again.Version)
	}
	_, err = f.svc.AddEvidence(ctx, in.ID, png, incident.Actor{Public: "Warga"})
	wantCode(t, err, siaga.EForbidden, "")
}

// TestChangedHook: the steps that change the verified reports tell the
// modules that read them (the early warning, the vulnerability); the
// others do not.
func TestChangedHook(t *testing.T) {
	f := newFixture(t)
	in := f.report(t, siaga.IncidentViolence, "3601012001001", t0)
	if f.changed != 0 {
		t.Fatalf("a new report called Changed %d times", f.changed)
	}
	for i, tc := range []struct {
		a    incident.Action
		want int
	}{
		{incident.Action{Kind: siaga.StepVerified}, 1},
		{incident.Action{Kind: siaga.StepNote, Text: "dicek di lapangan"}, 1},
		{incident.Action{Kind: siaga.StepAssigned, Agency: siaga.AgencyPolri}, 1},
	} {
		tc.a.Version = in.Version
		in = mustAct(t, f, in, tc.a)
		if f.changed != tc.want {
			t.Errorf("step %d (%s): Changed called %d times, want %d", i, tc.a.Kind, f.changed, tc.want)
		}
	}
	other := f.report(t, siaga.IncidentHoax, "3601012001001", t0.Add(-5*time.Hour))
	mustAct(t, f, other, incident.Action{Kind: siaga.StepRejected, Text: "hoaks", Version: other.Version})
	if f.changed != 2 {
		t.Errorf("after a rejection: Changed called %d times, want 2", f.changed)
	}
}
