package meeting_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/meeting"
	"github.com/deskpemilu/siaga/sqlite"
)

// clock is a settable clock for the service.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// meetingDay is 12 February 2024, 09:00 WIB.
var meetingDay = time.Date(2024, 2, 12, 9, 0, 0, 0, siaga.WIB)

func newService(t testing.TB) (*meeting.Service, *clock, siaga.Store) {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	c := &clock{meetingDay}
	known := map[string]bool{"36": true, "3601": true, "3602": true, "360201": true, "32": true}
	svc := meeting.New(meeting.Config{Store: store, Now: c.now, Region: func(code string) (siaga.Region, bool) {
		return siaga.Region{Code: code, Level: siaga.LevelOf(code)}, known[code]
	}})
	return svc, c, store
}

var (
	desk    = &siaga.User{ID: 1, Username: "desk.banten", Name: "Kesbangpol Banten", Role: siaga.RoleDesk, Scope: "36"}
	deskLbk = &siaga.User{ID: 2, Username: "desk.lebak", Role: siaga.RoleDesk, Scope: "3602"}
	polda   = &siaga.User{ID: 3, Username: "polda", Role: siaga.RoleAparat, Scope: "36"}
	korem   = &siaga.User{ID: 4, Username: "korem", Role: siaga.RoleAparat, Scope: "36", Agency: siaga.AgencyTNI}
	polres  = &siaga.User{ID: 5, Username: "polres.lebak", Role: siaga.RoleAparat, Scope: "3602"}
	bawaslu = &siaga.User{ID: 6, Username: "bawaslu", Role: siaga.RoleBawaslu, Scope: "36"}
)

func provMeeting() siaga.Meeting {
	return siaga.Meeting{Region: "36", Title: "Rapat koordinasi Desk Pemilu Banten", At: meetingDay, Place: "Pendopo Gubernur",
		Chair: "Pj. Gubernur", Participants: []siaga.Participant{{Agency: siaga.AgencyPolri, Name: "Kapolda", Position: "Kapolda Banten"}},
		Agenda: []string{"Pengamanan hari tenang"}, Decisions: []siaga.Decision{{No: 1, Text: "Patroli gabungan"}, {No: 2, Text: "Siaga banjir"}}}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := siaga.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

// must(f())(t) is f's value, failing t on f's error.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestValidation: every refusal names its field and says why in both
// languages.
func TestValidation(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	m := must(svc.CreateMeeting(ctx, desk, provMeeting()))(t)
	meetings := []struct {
		name, field string
		edit        func(m *siaga.Meeting)
	}{
		{"no title", "title", func(m *siaga.Meeting) { m.Title = "" }},
		{"no place", "place", func(m *siaga.Meeting) { m.Place = "" }},
		{"no time", "at", func(m *siaga.Meeting) { m.At = time.Time{} }},
		{"kecamatan", "region", func(m *siaga.Meeting) { m.Region = "360201" }},
		{"unknown region", "region", func(m *siaga.Meeting) { m.Region = "3699" }},
		{"unknown agency", "participants[0].agency", func(m *siaga.Meeting) { m.Participants[0].Agency = "fbi" }},
		{"nameless participant", "participants[0].name", func(m *siaga.Meeting) { m.Participants[0].Name = "" }},
		{"empty agenda item", "agenda[0]", func(m *siaga.Meeting) { m.Agenda[0] = "" }},
		{"repeated decision", "decisions[1].no", func(m *siaga.Meeting) { m.Decisions[1].No = 1 }},
		{"long title", "title", func(m *siaga.Meeting) { m.Title = string(make([]byte, 201)) }},
	}
	for _, tc := range meetings {
		t.Run(tc.name, func(t *testing.T) {
			in := provMeeting()
			tc.edit(&in)
			_, err := svc.CreateMeeting(ctx, desk, in)
			checkField(t, err, tc.field)
		})
	}
	items := []struct {
		name, field string
		item        siaga.ActionItem
	}{
		{"empty text", "text", siaga.ActionItem{Agency: siaga.AgencyPolri, Due: "2024-02-13"}},
		{"unknown agency", "agency", siaga.ActionItem{Text: "x", Agency: "fbi", Due: "2024-02-13"}},
		{"due before the meeting", "due", siaga.ActionItem{Text: "x", Agency: siaga.AgencyPolri, Due: "2024-02-11"}},
		{"due not a date", "due", siaga.ActionItem{Text: "x", Agency: siaga.AgencyPolri, Due: "13/02/2024"}},
		{"unknown decision", "decision", siaga.ActionItem{Text: "x", Agency: siaga.AgencyPolri, Due: "2024-02-13", Decision: 7}},
		{"region outside the meeting's", "region", siaga.ActionItem{Text: "x", Agency: siaga.AgencyPolri, Due: "2024-02-13", Region: "32"}},
	}
	for _, tc := range items {
		t.Run(tc.name, func(t *testing.T) {
			tc.item.Meeting = m.ID
			_, err := svc.AddActionItem(ctx, desk, tc.item)
			checkField(t, err, tc.field)
		})
	}
	// Due on the meeting's own day is allowed.
	must(svc.AddActionItem(ctx, desk, siaga.ActionItem{Meeting: m.ID, Text: "x", Agency: siaga.AgencyPolri, Due: "2024-02-12"}))(t)
}

func checkField(t testing.TB, err error, field string) {
	t.Helper()
	e, ok := err.(*siaga.Error)
	if !ok || e.Code != siaga.EInvalid || e.Field != field || e.Message == "" || e.MessageEN == "" || e.Message == e.MessageEN {
		t.Fatalf("error %#v, want an invalid %q with Indonesian and English messages", err, field)
	}
}

// TestRights: the desk writes in its scope; the assigned agency (in
// scope) or the desk mark done and reopen; only the desk cancels.
func TestRights(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	_, err := svc.CreateMeeting(ctx, polda, provMeeting())
	wantCode(t, err, siaga.EForbidden)
	_, err = svc.CreateMeeting(ctx, deskLbk, provMeeting()) // a kab/kota desk, a province meeting
	wantCode(t, err, siaga.EForbidden)
	m := must(svc.CreateMeeting(ctx, desk, provMeeting()))(t)
	_, err = svc.AddActionItem(ctx, deskLbk, siaga.ActionItem{Meeting: m.ID, Text: "x", Agency: siaga.AgencyPolri, Due: "2024-02-13"})
	wantCode(t, err, siaga.EForbidden)
	edit := *m
	edit.Title = "Rapat"
	_, err = svc.UpdateMeeting(ctx, polda, edit)
	wantCode(t, err, siaga.EForbidden)

	add := func(agency siaga.Agency, region string) *siaga.ActionItem {
		return must(svc.AddActionItem(ctx, desk, siaga.ActionItem{Meeting: m.ID, Decision: 1, Text: "Patroli", Agency: agency,
			Region: region, Due: "2024-02-13"}))(t)
	}
	cases := []struct {
		name string
		u    *siaga.User
		item *siaga.ActionItem
		code string
	}{
		{"polri item, polda", polda, add(siaga.AgencyPolri, ""), ""},
		{"polri item, korem (tni)", korem, add(siaga.AgencyPolri, ""), siaga.EForbidden},
		{"polri item, bawaslu", bawaslu, add(siaga.AgencyPolri, ""), siaga.EForbidden},
		{"tni item, korem", korem, add(siaga.AgencyTNI, ""), ""},
		{"province item, polres", polres, add(siaga.AgencyPolri, "36"), siaga.EForbidden},
		{"lebak item, polres lebak", polres, add(siaga.AgencyPolri, "3602"), ""},
		{"lebak item, other kab desk", &siaga.User{ID: 9, Username: "desk.pdg", Role: siaga.RoleDesk, Scope: "3601"},
			add(siaga.AgencyPolri, "3602"), siaga.EForbidden},
		{"bawaslu item, desk", desk, add(siaga.AgencyBawaslu, ""), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := svc.MarkDone(ctx, tc.u, tc.item.ID, tc.item.Version, "sudah")
			wantCode(t, err, tc.code)
			if tc.code == "" && (got.Status != siaga.ActionDone || got.DoneNote != "sudah" || got.DoneAt.IsZero()) {
				t.Errorf("done item %+v", got)
			}
		})
	}
	it := add(siaga.AgencyPolri, "")
	_, err = svc.Cancel(ctx, polda, it.ID, it.Version, "tidak perlu")
	wantCode(t, err, siaga.EForbidden)
}

// TestTransitions: open → done → open → cancelled → open, each with its
// step; wrong moves and stale versions are refused.
func TestTransitions(t *testing.T) {
	ctx := context.Background()
	svc, c, _ := newService(t)
	m := must(svc.CreateMeeting(ctx, desk, provMeeting()))(t)
	it := must(svc.AddActionItem(ctx, desk, siaga.ActionItem{Meeting: m.ID, Decision: 2, Text: "Siapkan perahu karet",
		Agency: siaga.AgencyBPBD, Due: "2024-02-13"}))(t)
	if it.Region != "36" || it.Status != siaga.ActionOpen || it.Version != 1 {
		t.Fatalf("new item %+v", it)
	}
	_, err := svc.Reopen(ctx, desk, it.ID, it.Version, "x")
	wantCode(t, err, siaga.EConflict)
	_, err = svc.MarkDone(ctx, desk, it.ID, it.Version, "")
	checkField(t, err, "catatan")
	c.t = c.t.Add(time.Hour)
	done := must(svc.MarkDone(ctx, desk, it.ID, it.Version, "20 perahu siaga"))(t)
	_, err = svc.MarkDone(ctx, desk, it.ID, it.Version, "lagi") // read before the first
	wantCode(t, err, siaga.EConflict)
	_, err = svc.MarkDone(ctx, desk, it.ID, done.Version, "lagi")
	wantCode(t, err, siaga.EConflict)
	_, err = svc.Cancel(ctx, desk, it.ID, done.Version, "x")
	wantCode(t, err, siaga.EConflict)
	open := must(svc.Reopen(ctx, desk, it.ID, done.Version, "perahu rusak"))(t)
	if open.Status != siaga.ActionOpen || open.DoneNote != "" || !open.DoneAt.IsZero() {
		t.Errorf("reopened %+v", open)
	}
	_, err = svc.Cancel(ctx, desk, it.ID, open.Version, "")
	checkField(t, err, "alasan")
	cancelled := must(svc.Cancel(ctx, desk, it.ID, open.Version, "diambil alih BNPB"))(t)
	bpbd := &siaga.User{ID: 7, Username: "bpbd", Role: siaga.RoleAparat, Scope: "36", Agency: siaga.AgencyBPBD}
	_, err = svc.Reopen(ctx, bpbd, it.ID, cancelled.Version, "x")
	wantCode(t, err, siaga.EForbidden)
	again := must(svc.Reopen(ctx, desk, it.ID, cancelled.Version, "BNPB batal"))(t)

	stored := must(svc.ActionItem(ctx, it.ID))(t)
	var kinds []siaga.ActionStepKind
	for _, s := range stored.Steps {
		kinds = append(kinds, s.Kind)
		if s.By != "Kesbangpol Banten" || s.At.IsZero() {
			t.Errorf("step %+v: want by the desk's name, with a time", s)
		}
	}
	want := []siaga.ActionStepKind{siaga.ActionStepCreated, siaga.ActionStepDone, siaga.ActionStepReopened,
		siaga.ActionStepCancelled, siaga.ActionStepReopened}
	if len(kinds) != len(want) || stored.Version != again.Version || again.Version != 5 {
		t.Errorf("steps %v version %d, want %v and version 5", kinds, stored.Version, want)
	}
	for i := range want {
		if i < len(kinds) && kinds[i] != want[i] {
			t.Errorf("step %d is %s, want %s", i, kinds[i], want[i])
		}
	}

	// The minutes: an edit from a stale read loses.
	e1, e2 := *m, *m
	e1.Notes, e2.Notes = "satu", "dua"
	must(svc.UpdateMeeting(ctx, desk, e1))(t)
	_, err = svc.UpdateMeeting(ctx, desk, e2)
	wantCode(t, err, siaga.EConflict)
}

// TestOverdue: an item due today is not overdue; it is from midnight WIB
// on, whatever the server's zone (17:00 UTC is midnight WIB).
func TestOverdue(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	m := must(svc.CreateMeeting(ctx, desk, provMeeting()))(t)
	it := must(svc.AddActionItem(ctx, desk, siaga.ActionItem{Meeting: m.ID, Text: "Apel siaga", Agency: siaga.AgencyPolri, Due: "2024-02-13"}))(t)
	lbk := must(svc.AddActionItem(ctx, desk, siaga.ActionItem{Meeting: m.ID, Text: "Patroli Lebak", Agency: siaga.AgencyPolri,
		Region: "3602", Due: "2024-02-13"}))(t)
	cases := []struct {
		name  string
		scope string
		now   time.Time
		want  int
		days  int
	}{
		{"due day, noon WIB", "36", time.Date(2024, 2, 13, 12, 0, 0, 0, siaga.WIB), 0, 0},
		{"due day, last second WIB", "36", time.Date(2024, 2, 13, 16, 59, 59, 0, time.UTC), 0, 0},
		{"next day, midnight WIB", "36", time.Date(2024, 2, 13, 17, 0, 0, 0, time.UTC), 2, 1},
		{"three days later", "36", time.Date(2024, 2, 16, 8, 0, 0, 0, siaga.WIB), 2, 3},
		{"kab/kota scope", "3602", time.Date(2024, 2, 16, 8, 0, 0, 0, siaga.WIB), 1, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := must(svc.Overdue(ctx, tc.scope, tc.now))(t)
			if len(got) != tc.want {
				t.Fatalf("Overdue(%s, %s) = %d items, want %d", tc.scope, tc.now, len(got), tc.want)
			}
			if d := got0(got).OverdueDays(meeting.Today(tc.now)); d != tc.days {
				t.Errorf("OverdueDays = %d, want %d", d, tc.days)
			}
		})
	}
	// Done, it is no longer overdue.
	must(svc.MarkDone(ctx, polda, it.ID, it.Version, "apel digelar"))(t)
	got := must(svc.Overdue(ctx, "36", time.Date(2024, 2, 16, 8, 0, 0, 0, siaga.WIB)))(t)
	if len(got) != 1 || got[0].ID != lbk.ID {
		t.Errorf("overdue after one done: %+v, want only %d", got, lbk.ID)
	}
}

func got0(items []siaga.ActionItem) *siaga.ActionItem {
	if len(items) == 0 {
		return &siaga.ActionItem{}
	}
	return &items[0]
}
