package demo

import (
	"context"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestMeetingDemo: the demo stores the province's meeting and Lebak's,
// six action items of which one is done and one cancelled; on election
// day morning one is overdue (Diskominfo's, due the 13th); a second run
// stores nothing.
func TestMeetingDemo(t *testing.T) {
	n := nodetest.Open(t, nil)
	ctx := context.Background()
	for range 2 {
		if err := meetingDemo(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := n.Meetings.Meetings(ctx, siaga.MeetingFilter{Scope: "36"})
	if err != nil {
		t.Fatal(err)
	}
	count := map[siaga.ActionStatus]int{}
	items, err := n.Meetings.ActionItems(ctx, siaga.ActionItemFilter{Scope: "36"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range items.Items {
		count[a.Status]++
	}
	over, err := n.Meetings.Overdue(ctx, "36", time.Date(2024, 2, 14, 7, 0, 0, 0, siaga.WIB))
	if err != nil {
		t.Fatal(err)
	}
	if ms.Total != 2 || items.Total != 6 || count[siaga.ActionDone] != 1 || count[siaga.ActionCancelled] != 1 ||
		len(over) != 1 || over[0].Agency != siaga.AgencyDiskominfo {
		t.Errorf("%d meetings, %d items %v, overdue on 14 February %+v", ms.Total, items.Total, count, over)
	}
}
