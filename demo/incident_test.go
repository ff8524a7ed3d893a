package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestIncidentDemo: the demo's reports span 8–14 February 2024 across
// Banten with every status and most channels, a few duplicates, closed
// ones with outcomes, and the public hoax rejected with its reason; a
// second run stores nothing more.
func TestIncidentDemo(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Open(t, nil)
	if err := incidentDemo(ctx, n); err != nil {
		t.Fatal(err)
	}
	statuses, channels, kab := map[siaga.IncidentStatus]int{}, map[siaga.IncidentChannel]int{}, map[string]bool{}
	total, dups, outcomes := 0, 0, 0
	var hoax *siaga.Incident
	err := n.Store.EachIncident(ctx, siaga.IncidentFilter{}, func(in *siaga.Incident) error {
		total++
		statuses[in.Status]++
		channels[in.Channel]++
		kab[in.Region[:4]] = true
		if in.DuplicateOf != 0 {
			dups++
		}
		if in.Status == siaga.IncidentClosed && in.Outcome != "" {
			outcomes++
		}
		if in.ClientID == "demo-insiden-042" {
			hoax = in
		}
		if d := in.OccurredAt.In(wib); d.Year() != 2024 || d.Month() != 2 || d.Day() < 8 || d.Day() > 14 {
			t.Errorf("report %d occurred %v", in.ID, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total < 300 || total > 330 || dups < 10 || outcomes < 50 || len(kab) < 6 || len(channels) != 6 {
		t.Errorf("%d reports, %d duplicates, %d closed with outcomes, %d kab/kota, channels %v", total, dups, outcomes, len(kab), channels)
	}
	t.Logf("%d reports, %d duplicates, statuses %v, channels %v", total, dups, statuses, channels)
	for _, s := range siaga.IncidentStatuses {
		if statuses[s] == 0 {
			t.Errorf("no report at status %s: %v", s, statuses)
		}
	}
	if hoax == nil || hoax.Status != siaga.IncidentRejected || !hoax.Channel.Public() || !strings.HasPrefix(hoax.Reason, "Hoaks") {
		t.Errorf("the public hoax: %+v", hoax)
	}
	if err := incidentDemo(ctx, n); err != nil {
		t.Fatal(err)
	}
	if again, _ := n.Store.CountIncidents(ctx, siaga.IncidentFilter{}); again != total {
		t.Errorf("a second run: %d reports, was %d", again, total)
	}
}
