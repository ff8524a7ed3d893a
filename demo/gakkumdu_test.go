package demo

import (
	"context"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestGakkumduDemo plays the Gakkumdu cases on a fresh node, after the
// incidents as the demo plays them, twice (a kept demo folder): the quiet
// days' vote buying (11 Feb, Pandeglang) in penyidikan with
// its three documents and 14-day clock, the village head's case overdue at
// kajian.
func TestGakkumduDemo(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Open(t, nil)
	if err := incidentDemo(ctx, n); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := gakkumduDemo(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	cases, err := n.Store.Cases(ctx, siaga.CaseFilter{Scope: gakkumduRegion})
	if err != nil || len(cases) != 2 {
		t.Fatalf("cases in Pandeglang: %d %v, want 2", len(cases), err)
	}
	head, money := cases[0], cases[1] // newest first
	if money.Stage != siaga.StageInvestigation || !money.Due.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, wib)) {
		t.Errorf("money case: %s due %v, want penyidikan due 1 Mar 00:00 WIB", money.Stage, money.Due.In(wib))
	}
	inc, err := n.Store.IncidentByID(ctx, money.Incident)
	if err != nil || inc.Category != siaga.IncidentMoneyPolitic || inc.OccurredAt.In(wib).Day() != 11 || !siaga.InScope("3601", inc.Region) {
		t.Errorf("money case's incident: %+v %v, want vote buying in Pandeglang on 11 Feb", inc, err)
	}
	docs, err := n.Store.CaseDocuments(ctx, money.ID)
	if err != nil || len(docs) != 3 {
		t.Errorf("money case documents: %d %v, want 3", len(docs), err)
	}
	k := gakkumdu.ClockOf(&head, time.Date(2024, 2, 14, 12, 0, 0, 0, wib))
	if head.Stage != siaga.StageReview || !k.Overdue || k.Text() != "lewat 4 hari" {
		t.Errorf("village head's case on voting day: %s %q, want kajian, lewat 4 hari", head.Stage, k.Text())
	}
}
