package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// testCustody: the handovers of the sealed boxes, stored with their audit
// entries; a replay of the same handover stores nothing and is no error,
// another handover under a stored ID is a conflict.
func testCustody(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	const tpsA, tpsB, other = "3604052001001", "3604052001002", "3601012001001"
	audit := func(id string) siaga.AuditEvent {
		return siaga.AuditEvent{At: t0, Actor: "user:logistik.ciruas", Action: siaga.AuditCustodyHandover, Subject: "handover:" + id, Scope: tpsA}
	}
	handover := func(id, tps, from, to string, at time.Duration) siaga.Handover {
		return siaga.Handover{ID: id, TPS: tps, From: from, To: to, Boxes: 5, Envelopes: 5,
			Seals: []string{"S-1", "S-2", "S-3", "S-4", "S-5"}, GivenBy: "Ketua KPPS", ReceivedBy: "Ketua PPS",
			At: t0.Add(at), Source: "web", By: "user:logistik.ciruas", RecordedAt: t0.Add(at + time.Minute)}
	}
	a1 := handover("h-a1", tpsA, tpsA, tpsA[:10], 10*time.Hour)
	a2 := handover("h-a2", tpsA, tpsA[:10], tpsA[:6], 20*time.Hour)
	a2.BrokenSeals, a2.Photos, a2.Note = []string{"S-3"}, []string{"ab12"}, "segel S-3 sobek"
	b1 := handover("h-b1", tpsB, tpsB, tpsB[:6], 12*time.Hour)
	c1 := handover("h-c1", other, other, other[:10], 11*time.Hour)
	seal := siaga.LogisticsAlert{Kind: siaga.AlertSeal, Region: "360405", Role: siaga.RoleBawaslu, TPS: tpsA, Ref: "handover:h-a2",
		Text: "TPS 3604052001001: segel rusak S-3", EN: "TPS 3604052001001: broken seal S-3", At: a2.At}
	for _, h := range []siaga.Handover{a2, b1, c1, a1} { // stored out of order: read back in chain order
		var alerts []siaga.LogisticsAlert
		if h.ID == a2.ID {
			alerts = []siaga.LogisticsAlert{seal}
		}
		must(t, s.AddHandover(ctx, h, alerts, audit(h.ID)))
	}

	// A retry (another node, another recorder) is the same handover.
	retry := a1
	retry.Source, retry.RecordedAt = "lapangan", t0.Add(30*time.Hour)
	must(t, s.AddHandover(ctx, retry, nil, audit(a1.ID)))
	changed := a1
	changed.Seals = []string{"S-1", "S-2", "S-3", "S-4", "X-9"}
	wantCode(t, s.AddHandover(ctx, changed, nil, audit(a1.ID)), siaga.EConflict)
	// Nor does a retry store its alert again.
	must(t, s.AddHandover(ctx, a2, []siaga.LogisticsAlert{seal}, audit(a2.ID)))

	// The seal alert was stored with its handover, once, for Bawaslu of
	// the kecamatan and above.
	alerts, total, err := s.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: "3604", Role: siaga.RoleBawaslu, Kind: siaga.AlertSeal})
	must(t, err)
	if total != 1 || len(alerts) != 1 || alerts[0].Ref != "handover:h-a2" || alerts[0].ID == 0 {
		t.Errorf("seal alerts: %d %+v, want the one of h-a2", total, alerts)
	}
	_, total, err = s.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: "3601", Kind: siaga.AlertSeal})
	must(t, err)
	if total != 0 {
		t.Errorf("%d seal alerts in 3601, want none", total)
	}

	got, err := s.Handovers(ctx, "360405")
	must(t, err)
	if diff := cmp.Diff([]siaga.Handover{a1, a2, b1}, got); diff != "" {
		t.Errorf("Handovers(360405) (-want +got):\n%s", diff)
	}
	got, err = s.Handovers(ctx, tpsB)
	must(t, err)
	if diff := cmp.Diff([]siaga.Handover{b1}, got); diff != "" {
		t.Errorf("Handovers(%s) (-want +got):\n%s", tpsB, diff)
	}
	got, err = s.Handovers(ctx, "36")
	must(t, err)
	if len(got) != 4 {
		t.Errorf("Handovers(36) = %d, want 4", len(got))
	}

	// One audit entry per stored handover: not for the retry nor the
	// conflict.
	log, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditCustodyHandover, Limit: 10})
	must(t, err)
	if log.Total != 4 {
		t.Errorf("audit entries = %d, want 4", log.Total)
	}
}
