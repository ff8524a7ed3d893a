package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testAnomalyReviews(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	review := func(tps string, version int, status siaga.AnomalyStatus, note string, at time.Duration) siaga.AnomalyReview {
		return siaga.AnomalyReview{TPS: tps, Contest: siaga.PPWP, Source: siaga.SourceKPPS, Version: version,
			Status: status, Note: note, Actor: "user:desk.lebak", At: t0.Add(at)}
	}
	audit := func(r siaga.AnomalyReview) siaga.AuditEvent {
		return siaga.AuditEvent{At: r.At, Actor: r.Actor, Action: siaga.AuditAnomalyReview, Subject: r.TPS, Scope: r.TPS,
			Detail: siaga.AuditDetail(r)}
	}
	steps := []siaga.AnomalyReview{
		review("3602012003014", 1, siaga.AnomalyChecked, "cocok dengan foto C1", 0),
		review("3601012001001", 1, siaga.AnomalyNeedsCorrection, "", time.Minute),
		// The same version again replaces the review; another version
		// has its own.
		review("3602012003014", 1, siaga.AnomalyNeedsCorrection, "salah baca", 2*time.Minute),
		review("3602012003014", 2, siaga.AnomalyChecked, "", 3*time.Minute),
	}
	for i := range steps {
		must(t, s.SetAnomalyReview(ctx, &steps[i], audit(steps[i])))
	}
	got, err := s.AnomalyReviews(ctx)
	must(t, err)
	want := []siaga.AnomalyReview{steps[1], steps[2], steps[3]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AnomalyReviews (-want +got):\n%s", diff)
	}
	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditAnomalyReview, Limit: 10})
	must(t, err)
	if page.Total != len(steps) {
		t.Errorf("%d audit entries for reviews, want %d", page.Total, len(steps))
	}
}
