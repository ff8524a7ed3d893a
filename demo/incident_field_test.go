package demo

import (
	"context"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestIncidentFieldDemo plays the LAPOR messages twice (a kept demo
// folder): three reports in Pandeglang, stored once, at their February
// times: two public in the moderation queue (one of them the hoax), one
// the PTPS phone's.
func TestIncidentFieldDemo(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Open(t, nil)
	for range 2 {
		if err := incidentFieldDemo(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	var got []siaga.Incident
	if err := n.Store.EachIncident(ctx, siaga.IncidentFilter{Scope: "3601"}, func(in *siaga.Incident) error {
		got = append(got, *in)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d reports, want 3: %+v", len(got), got)
	}
	want := []struct {
		channel  siaga.IncidentChannel
		category siaga.IncidentCategory
		day      int
	}{
		{siaga.ChannelPublicSMS, siaga.IncidentNeutrality, 13},
		{siaga.ChannelPublicSMS, siaga.IncidentHoax, 14},
		{siaga.ChannelSMS, siaga.IncidentMoneyPolitic, 14},
	}
	for i, w := range want {
		in := got[i]
		if in.Channel != w.channel || in.Category != w.category || in.OccurredAt.In(wib).Day() != w.day || in.OccurredAt.Year() != 2024 ||
			in.Status != siaga.IncidentNew {
			t.Errorf("report %d: %s %s %s %s, want %s %s on %d Feb 2024", i, in.Channel, in.Category, in.OccurredAt, in.Status, w.channel, w.category, w.day)
		}
	}
	if got[2].ReporterDevice == "" || got[2].TPS == "" {
		t.Errorf("the PTPS phone's report: %+v", got[2])
	}
}
