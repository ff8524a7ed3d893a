package readiness_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/postponement"
	"github.com/deskpemilu/siaga/readiness"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/sqlite"
)

// bantenReadiness is readiness over Banten's 33,324 TPS, every module
// loaded from an empty store, and a blank spot surveyed in each desa so
// that the levels vary.
func bantenReadiness(b *testing.B) (*readiness.Service, *connectivity.Service, *registry.Index) {
	b.Helper()
	ctx := context.Background()
	reg, err := registry.Load(registry.Banten, 1)
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "siaga.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	conn := connectivity.New(connectivity.Config{Store: db, Registry: reg})
	dis := disaster.New(disaster.Config{Store: db, TPS: reg.TPS})
	set := postponement.NewSet(db)
	if err := conn.Load(ctx); err != nil {
		b.Fatal(err)
	}
	if err := dis.Load(ctx); err != nil {
		b.Fatal(err)
	}
	var ss []siaga.Survey
	for i, t := range reg.TPS {
		if i%5 == 0 {
			ss = append(ss, survey(t.Code, -125))
		}
	}
	if err := conn.AddSurveys(ctx, ss, "cli"); err != nil {
		b.Fatal(err)
	}
	idx := registry.NewIndex(reg)
	return readiness.New(readiness.Config{TPS: reg.TPS, Regions: idx, Signal: conn, Hazards: dis, Postponed: set}), conn, idx
}

// BenchmarkSummaryBanten is what the province map asks per request: the
// counts of Banten and its 8 kab/kota, once the levels are computed.
func BenchmarkSummaryBanten(b *testing.B) {
	svc, _, idx := bantenReadiness(b)
	banten, _ := idx.Region("36")
	ctx := context.Background()
	if _, err := svc.Summary(ctx, banten); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Summary(ctx, banten); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRebuildBanten is what a change in a module costs the next
// question: every TPS's level computed again.
func BenchmarkRebuildBanten(b *testing.B) {
	svc, conn, idx := bantenReadiness(b)
	banten, _ := idx.Region("36")
	ctx := context.Background()
	tps := idx.TPSOf("3601")[0].Code
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if err := conn.AddSurveys(ctx, []siaga.Survey{survey(tps, -90)}, "cli"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := svc.Summary(ctx, banten); err != nil {
			b.Fatal(err)
		}
	}
}
