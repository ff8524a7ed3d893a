package demo

import (
	"context"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestWarningDemo: the demo's night in Pandeglang raises a violence alert
// of its four reports in the kecamatan, the desk duty officer has it in
// the app, and a second run adds nothing.
func TestWarningDemo(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Open(t, nil)
	desk, err := n.Auth.AddUser(ctx, auth.Console(), auth.NewUser{Username: deskUser, Name: "Piket", Password: randomPassword(),
		Role: siaga.RoleDesk, Scope: "36"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := warningDemo(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	alerts, err := n.Store.WarningAlerts(ctx, siaga.WarningFilter{Scope: warningKecamatan})
	if err != nil {
		t.Fatal(err)
	}
	var violence *siaga.WarningAlert
	for i, a := range alerts {
		if a.Rule == siaga.WarningSpaceTime && a.Category == siaga.IncidentViolence {
			violence = &alerts[i]
		}
	}
	if violence == nil || len(violence.Incidents) < 3 {
		t.Fatalf("alerts %+v, want a violence cluster", alerts)
	}
	if d := violence.To.In(wib); d.Day() != 14 || d.Month() != 2 {
		t.Errorf("cluster ends %v", d)
	}
	unread, err := n.Store.CountUnreadWarningNotices(ctx, desk.ID)
	if err != nil || unread != len(alerts) {
		t.Errorf("desk's notices %d, alerts %d (%v)", unread, len(alerts), err)
	}
	subs, _ := n.Warning.Subscriptions(ctx, desk.ID)
	if len(subs) != 1 {
		t.Errorf("subscriptions %+v", subs)
	}
}
