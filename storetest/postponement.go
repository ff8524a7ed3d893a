package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testPostponements(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	audit := func(action string) siaga.AuditEvent {
		return siaga.AuditEvent{At: t0, Actor: "user:ppk.pondokaren", Action: action, Scope: "367405"}
	}
	report := func(tps string, kind siaga.PostponementKind) siaga.Postponement {
		return siaga.Postponement{TPS: tps, Kind: kind, Reason: "banjir", Status: siaga.PostponementReported,
			Report:    siaga.PostponementStep{Name: "Ketua KPPS", Office: "KPPS TPS 012", At: t0, Letter: "BA/012", By: "user:ppk.pondokaren"},
			UpdatedAt: t0}
	}
	a, b, c := report("3674051001012", siaga.PostponementPSS), report("3674051001013", siaga.PostponementPSL), report("3601012001001", siaga.PostponementPSS)
	b.Stage = siaga.StageCounting
	for _, p := range []*siaga.Postponement{&a, &b, &c} {
		must(t, s.AddPostponement(ctx, p, audit(siaga.AuditPostponementReport)))
	}
	// Another report of a TPS already postponed is a conflict: two
	// officials reporting one flood make one postponement.
	again := report(a.TPS, siaga.PostponementPSL)
	wantCode(t, s.AddPostponement(ctx, &again), siaga.EConflict)

	// The chain, one step at a time; a step from a stale status loses.
	rec := a
	rec.Status = siaga.PostponementRecommended
	rec.Recommendation = &siaga.PostponementStep{Name: "Ketua Panwascam", Office: "Panwascam Pondok Aren", At: t0.Add(time.Hour),
		Letter: "REK/01", By: "user:bawaslu"}
	must(t, s.AdvancePostponement(ctx, &rec, siaga.PostponementReported, audit(siaga.AuditPostponementRecommend)))
	stale := rec
	wantCode(t, s.AdvancePostponement(ctx, &stale, siaga.PostponementReported), siaga.EConflict)
	missing := rec
	missing.ID = 9999
	wantCode(t, s.AdvancePostponement(ctx, &missing, siaga.PostponementRecommended), siaga.ENotFound)
	dec := rec
	dec.Status, dec.NewDate = siaga.PostponementDecided, "2024-02-24"
	dec.Decision = &siaga.PostponementStep{Name: "Ketua KPU", Office: "KPU Kota Tangerang Selatan", At: t0.Add(2 * time.Hour),
		Letter: "123/PL.01.2-Kpt/3674/2024", By: "user:kpu.tangsel"}
	must(t, s.AdvancePostponement(ctx, &dec, siaga.PostponementRecommended, audit(siaga.AuditPostponementDecide)))
	got, err := s.Postponement(ctx, a.ID)
	must(t, err)
	if diff := cmp.Diff(&dec, got); diff != "" {
		t.Errorf("Postponement after the decision (-want +got):\n%s", diff)
	}
	_, err = s.Postponement(ctx, 9999)
	wantCode(t, err, siaga.ENotFound)

	// Closed, the TPS can be postponed again, and leaves the active list.
	done := c
	done.Status = siaga.PostponementCancelled
	done.Closing = &siaga.PostponementStep{Name: "Ketua PPK", Office: "PPK", At: t0.Add(time.Hour), Note: "air surut", By: "user:ppk"}
	must(t, s.AdvancePostponement(ctx, &done, siaga.PostponementReported, audit(siaga.AuditPostponementClose)))
	d := report(c.TPS, siaga.PostponementPSS)
	must(t, s.AddPostponement(ctx, &d))
	active, err := s.ActivePostponements(ctx)
	must(t, err)
	if diff := cmp.Diff([]siaga.Postponement{d, dec, b}, active); diff != "" {
		t.Errorf("ActivePostponements (-want +got):\n%s", diff)
	}

	pages := []struct {
		name string
		f    siaga.PostponementFilter
		want siaga.PostponementPage
	}{
		{"all", siaga.PostponementFilter{}, siaga.PostponementPage{Items: []siaga.Postponement{dec, b, done, d}, Total: 4}},
		{"region", siaga.PostponementFilter{Region: "3674"}, siaga.PostponementPage{Items: []siaga.Postponement{dec, b}, Total: 2}},
		{"first page", siaga.PostponementFilter{Limit: 3}, siaga.PostponementPage{Items: []siaga.Postponement{dec, b, done}, Total: 4, Next: done.ID}},
		{"last page", siaga.PostponementFilter{Limit: 3, After: done.ID}, siaga.PostponementPage{Items: []siaga.Postponement{d}, Total: 4}},
		{"status", siaga.PostponementFilter{Status: siaga.PostponementCancelled}, siaga.PostponementPage{Items: []siaga.Postponement{done}, Total: 1}},
		{"kind", siaga.PostponementFilter{Kind: siaga.PostponementPSL}, siaga.PostponementPage{Items: []siaga.Postponement{b}, Total: 1}},
		{"kind and region", siaga.PostponementFilter{Kind: siaga.PostponementPSS, Region: "3601", Limit: 1},
			siaga.PostponementPage{Items: []siaga.Postponement{done}, Total: 2, Next: done.ID}},
		{"none", siaga.PostponementFilter{Region: "32"}, siaga.PostponementPage{Items: []siaga.Postponement{}}},
	}
	for _, tc := range pages {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Postponements(ctx, tc.f)
			must(t, err)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Postponements(%+v) (-want +got):\n%s", tc.f, diff)
			}
		})
	}

	log, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditPostponementDecide, Limit: 10})
	must(t, err)
	if len(log.Items) != 1 || log.Items[0].Subject != fmt.Sprintf("%s#%d", a.TPS, a.ID) {
		t.Errorf("decision audit entries %+v, want one with subject %s#%d", log.Items, a.TPS, a.ID)
	}
	log, err = s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditPostponementReport, Limit: 10})
	must(t, err)
	if log.Total != 3 {
		t.Errorf("%d report audit entries, want 3 (a refused report appends none)", log.Total)
	}
}
