package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testWarning(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	alert := func(region string, cat siaga.IncidentCategory, ids ...int64) siaga.WarningAlert {
		return siaga.WarningAlert{Rule: siaga.WarningSpaceTime, Category: cat, Region: region, Lat: -6.31, Lon: 105.83,
			RadiusKm: 1.6, From: t0, To: t0.Add(5 * time.Hour), Incidents: ids, Usual: 0.2, Threshold: 3,
			Text: "3 laporan kekerasan <b>", EN: "3 violence reports", Status: siaga.WarningNew, RaisedAt: t0, UpdatedAt: t0, Version: 1}
	}
	subs := []siaga.WarningSubscription{
		{User: 7, Region: "3601", Categories: []siaga.IncidentCategory{siaga.IncidentViolence}, Phone: "+6281200000001", CreatedAt: t0},
		{User: 7, Region: "36", CreatedAt: t0},
		{User: 8, Region: "3602", Phone: "+6281200000002", CreatedAt: t0},
	}
	for i := range subs {
		must(t, s.CreateWarningSubscription(ctx, &subs[i]))
	}
	got, err := s.WarningSubscriptions(ctx, 7)
	must(t, err)
	if diff := cmp.Diff(subs[:2], got); diff != "" {
		t.Errorf("subscriptions of user 7 (-want +got):\n%s", diff)
	}
	wantCode(t, s.DeleteWarningSubscription(ctx, 8, subs[0].ID), siaga.ENotFound) // not theirs

	a := alert("360105", siaga.IncidentViolence, 3, 4, 5)
	notices := []siaga.WarningNotice{
		{Subscription: subs[0].ID, User: 7, Phone: subs[0].Phone, Text: a.Text, At: t0},
		{Subscription: subs[1].ID, User: 7, Text: a.Text, At: t0},
	}
	must(t, s.CreateWarningAlert(ctx, &a, notices, siaga.AuditEvent{At: t0, Actor: "system", Action: siaga.AuditWarningRaise, Scope: a.Region}))
	b := alert("360201", siaga.IncidentMoneyPolitic, 9)
	must(t, s.CreateWarningAlert(ctx, &b, nil))
	stored, err := s.WarningAlertByID(ctx, a.ID)
	must(t, err)
	if diff := cmp.Diff(a, *stored); diff != "" {
		t.Errorf("alert read back (-want +got):\n%s", diff)
	}
	_, err = s.WarningAlertByID(ctx, 999)
	wantCode(t, err, siaga.ENotFound)

	// Acknowledge with the version read; a second officer with the same
	// old version loses.
	ack := *stored
	ack.Status, ack.By, ack.Version = siaga.WarningAcknowledged, "desk.banten", ack.Version+1
	must(t, s.UpdateWarningAlert(ctx, &ack, siaga.AuditEvent{At: t0, Actor: "user:desk", Action: siaga.AuditWarningAcknowledge, Scope: a.Region}))
	stale := *stored
	stale.Status, stale.Version = siaga.WarningClosed, stale.Version+1
	wantCode(t, s.UpdateWarningAlert(ctx, &stale), siaga.EConflict)

	tests := []struct {
		name string
		f    siaga.WarningFilter
		want []int64
	}{
		{"all, newest first", siaga.WarningFilter{}, []int64{b.ID, a.ID}},
		{"scope", siaga.WarningFilter{Scope: "3601"}, []int64{a.ID}},
		{"category", siaga.WarningFilter{Categories: []siaga.IncidentCategory{siaga.IncidentMoneyPolitic}}, []int64{b.ID}},
		{"status", siaga.WarningFilter{Statuses: []siaga.WarningStatus{siaga.WarningAcknowledged}}, []int64{a.ID}},
		{"page", siaga.WarningFilter{Before: b.ID, Limit: 1}, []int64{a.ID}},
		{"rule", siaga.WarningFilter{Rule: siaga.WarningBaseline}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := s.WarningAlerts(ctx, tt.f)
			must(t, err)
			var ids []int64
			for _, x := range list {
				ids = append(ids, x.ID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" {
				t.Errorf("alerts (-want +got):\n%s", diff)
			}
			n, err := s.CountWarningAlerts(ctx, tt.f)
			must(t, err)
			if want := len(tt.want); tt.f.Limit == 0 && n != want {
				t.Errorf("count %d, want %d", n, want)
			}
		})
	}

	// Notices: in the app for user 7, one SMS to go; a failed attempt
	// keeps it, a sent one ends it.
	n, err := s.CountUnreadWarningNotices(ctx, 7)
	must(t, err)
	if n != 2 {
		t.Errorf("unread %d, want 2", n)
	}
	unsent, err := s.UnsentWarningNotices(ctx, 5, 10)
	must(t, err)
	if len(unsent) != 1 || unsent[0].Phone != subs[0].Phone || unsent[0].Alert != a.ID {
		t.Fatalf("unsent %+v", unsent)
	}
	fail := unsent[0]
	fail.Tries, fail.Error = 1, "gateway down"
	must(t, s.MarkWarningNotice(ctx, &fail))
	unsent, err = s.UnsentWarningNotices(ctx, 5, 10)
	must(t, err)
	if len(unsent) != 1 || unsent[0].Tries != 1 {
		t.Fatalf("after a failure: %+v", unsent)
	}
	sent := unsent[0]
	at := t0.Add(time.Minute)
	sent.Tries, sent.SentAt, sent.Error = 2, &at, ""
	must(t, s.MarkWarningNotice(ctx, &sent))
	unsent, err = s.UnsentWarningNotices(ctx, 5, 10)
	must(t, err)
	if len(unsent) != 0 {
		t.Fatalf("after sending: %+v", unsent)
	}
	must(t, s.MarkWarningNoticesRead(ctx, 7, at))
	n, err = s.CountUnreadWarningNotices(ctx, 7)
	must(t, err)
	list, err := s.WarningNotices(ctx, 7, 10)
	must(t, err)
	if n != 0 || len(list) != 2 || list[0].ReadAt == nil {
		t.Errorf("after reading: unread %d, notices %+v", n, list)
	}
	must(t, s.DeleteWarningSubscription(ctx, 7, subs[1].ID))
	all, err := s.AllWarningSubscriptions(ctx)
	must(t, err)
	if len(all) != 2 {
		t.Errorf("subscriptions after delete: %+v", all)
	}
}
