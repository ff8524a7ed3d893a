package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testMeetings(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	audit := siaga.AuditEvent{At: t0, Actor: "user:desk", Action: siaga.AuditMeetingSave, Scope: "36"}

	prov := siaga.Meeting{Region: "36", Title: "Rapat koordinasi Desk Pemilu", At: t0, Place: "Pendopo Gubernur",
		Chair: "Sekda", Participants: []siaga.Participant{{Agency: siaga.AgencyPolri, Name: "Kombes A", Position: "Karoops"}},
		Agenda: []string{"Pengamanan TPS"}, Decisions: []siaga.Decision{{No: 1, Text: "Patroli <b>gabungan</b>"}},
		Notes: "notulen", CreatedBy: "user:desk", UpdatedAt: t0, Version: 1}
	lebak := siaga.Meeting{Region: "3602", Title: "Rakor Lebak", At: t0.Add(time.Hour), CreatedBy: "user:desk.lebak",
		UpdatedAt: t0, Version: 1}
	must(t, s.CreateMeeting(ctx, &prov, audit))
	must(t, s.CreateMeeting(ctx, &lebak))

	// An edit names the version it read; a stale one loses.
	edit := prov
	edit.Notes, edit.Version = "notulen lengkap", 2
	must(t, s.UpdateMeeting(ctx, &edit, audit))
	stale := prov
	stale.Version = 2
	wantCode(t, s.UpdateMeeting(ctx, &stale), siaga.EConflict)
	missing := edit
	missing.ID, missing.Version = 9999, 1
	wantCode(t, s.UpdateMeeting(ctx, &missing), siaga.ENotFound)
	got, err := s.Meeting(ctx, prov.ID)
	must(t, err)
	if diff := cmp.Diff(&edit, got); diff != "" {
		t.Errorf("Meeting after the edit (-want +got):\n%s", diff)
	}
	_, err = s.Meeting(ctx, 9999)
	wantCode(t, err, siaga.ENotFound)
	// Empty lists read back empty, not nil.
	got, err = s.Meeting(ctx, lebak.ID)
	must(t, err)
	if got.Participants == nil || got.Agenda == nil || got.Decisions == nil {
		t.Errorf("empty lists read back as %+v", got)
	}
	lebak = *got

	meetingPages := []struct {
		name string
		f    siaga.MeetingFilter
		want siaga.MeetingPage
	}{
		{"all", siaga.MeetingFilter{}, siaga.MeetingPage{Items: []siaga.Meeting{lebak, edit}, Total: 2}},
		{"first page", siaga.MeetingFilter{Limit: 1}, siaga.MeetingPage{Items: []siaga.Meeting{lebak}, Total: 2, Next: lebak.ID}},
		{"last page", siaga.MeetingFilter{Limit: 1, Before: lebak.ID}, siaga.MeetingPage{Items: []siaga.Meeting{edit}, Total: 2}},
		{"kab/kota", siaga.MeetingFilter{Scope: "3602"}, siaga.MeetingPage{Items: []siaga.Meeting{lebak}, Total: 1}},
		{"other province", siaga.MeetingFilter{Scope: "32"}, siaga.MeetingPage{Items: []siaga.Meeting{}}},
	}
	for _, tc := range meetingPages {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Meetings(ctx, tc.f)
			must(t, err)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Meetings(%+v) (-want +got):\n%s", tc.f, diff)
			}
		})
	}

	item := func(m *siaga.Meeting, agency siaga.Agency, region, due string) siaga.ActionItem {
		return siaga.ActionItem{Meeting: m.ID, Decision: 1, Text: "Patroli", Agency: agency, Region: region, Due: due,
			Status: siaga.ActionOpen, UpdatedAt: t0, Version: 1}
	}
	created := siaga.ActionStep{At: t0, Kind: siaga.ActionStepCreated, Status: siaga.ActionOpen, By: "desk"}
	a := item(&prov, siaga.AgencyPolri, "36", "2024-02-13")
	b := item(&prov, siaga.AgencyBPBD, "3602", "2024-02-14")
	c := item(&lebak, siaga.AgencyPolri, "3602", "2024-02-12")
	for _, it := range []*siaga.ActionItem{&a, &b, &c} {
		must(t, s.CreateActionItem(ctx, it, created, siaga.AuditEvent{At: t0, Actor: "user:desk", Action: siaga.AuditActionItem}))
	}
	orphan := item(&prov, siaga.AgencyPolri, "36", "2024-02-13")
	orphan.Meeting = 9999
	if err := s.CreateActionItem(ctx, &orphan, created); err == nil {
		t.Error("an action item of no meeting was stored")
	}

	done := a
	done.Status, done.DoneAt, done.DoneBy, done.DoneNote, done.Version = siaga.ActionDone, t0.Add(time.Hour), "polda", "<script>x</script>", 2
	step := siaga.ActionStep{At: done.DoneAt, Kind: siaga.ActionStepDone, Status: siaga.ActionDone, By: "polda", Text: done.DoneNote}
	must(t, s.UpdateActionItem(ctx, &done, step))
	wantCode(t, s.UpdateActionItem(ctx, &done, step), siaga.EConflict)
	got2, err := s.ActionItem(ctx, a.ID)
	must(t, err)
	want := done
	want.Steps = []siaga.ActionStep{created, step}
	if diff := cmp.Diff(&want, got2); diff != "" {
		t.Errorf("ActionItem after done (-want +got):\n%s", diff)
	}
	_, err = s.ActionItem(ctx, 9999)
	wantCode(t, err, siaga.ENotFound)

	itemPages := []struct {
		name string
		f    siaga.ActionItemFilter
		want siaga.ActionItemPage
	}{
		{"all", siaga.ActionItemFilter{}, siaga.ActionItemPage{Items: []siaga.ActionItem{done, b, c}, Total: 3}},
		{"scope", siaga.ActionItemFilter{Scope: "3602"}, siaga.ActionItemPage{Items: []siaga.ActionItem{b, c}, Total: 2}},
		{"meeting", siaga.ActionItemFilter{Meeting: prov.ID}, siaga.ActionItemPage{Items: []siaga.ActionItem{done, b}, Total: 2}},
		{"agency", siaga.ActionItemFilter{Agency: siaga.AgencyPolri}, siaga.ActionItemPage{Items: []siaga.ActionItem{done, c}, Total: 2}},
		{"status", siaga.ActionItemFilter{Status: siaga.ActionOpen}, siaga.ActionItemPage{Items: []siaga.ActionItem{b, c}, Total: 2}},
		// Due the 14th is not overdue on the 14th; a done item never is.
		{"overdue on the 14th", siaga.ActionItemFilter{OverdueOn: "2024-02-14"}, siaga.ActionItemPage{Items: []siaga.ActionItem{c}, Total: 1}},
		{"overdue on the 15th", siaga.ActionItemFilter{OverdueOn: "2024-02-15"}, siaga.ActionItemPage{Items: []siaga.ActionItem{b, c}, Total: 2}},
		{"first page", siaga.ActionItemFilter{Limit: 2}, siaga.ActionItemPage{Items: []siaga.ActionItem{done, b}, Total: 3, Next: b.ID}},
		{"last page", siaga.ActionItemFilter{Limit: 2, After: b.ID}, siaga.ActionItemPage{Items: []siaga.ActionItem{c}, Total: 3}},
		{"wildcard scope", siaga.ActionItemFilter{Scope: "3_"}, siaga.ActionItemPage{Items: []siaga.ActionItem{}}},
	}
	for _, tc := range itemPages {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ActionItems(ctx, tc.f)
			must(t, err)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ActionItems(%+v) (-want +got):\n%s", tc.f, diff)
			}
		})
	}

	log, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditActionItem, Limit: 10})
	must(t, err)
	if log.Total != 3 {
		t.Errorf("%d action item audit entries, want 3 (the refused one appends none)", log.Total)
	}
}
