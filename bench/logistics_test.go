package bench

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/sqlite"
)

// BenchmarkLogisticsBoard times the province board of Banten over 5,000
// seeded events (`siaga bench logistics` runs 50,000, with its reference).
func BenchmarkLogisticsBoard(b *testing.B) {
	ctx := context.Background()
	reg, err := registry.Load("36", 1)
	if err != nil {
		b.Fatal(err)
	}
	idx := election.NewIndex(election.Banten2024(reg, 1))
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "l.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	bom := logistics.DefaultBOM()
	if err := fillLogistics(ctx, db, reg, idx, bom, options{n: 5000, seed: 1}, &logisticsReport{}); err != nil {
		b.Fatal(err)
	}
	board := logistics.NewBoard(logistics.BoardConfig{Store: db, TPS: reg.TPS, Regions: registry.NewIndex(reg), Ballot: idx, BOM: bom,
		VotingDay: "2024-02-14", Now: func() time.Time { return logisticsAt }, MaxAge: time.Hour})
	if _, err := board.Of(ctx, "36", logistics.BoardQuery{Limit: 50}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := board.Of(ctx, "36", logistics.BoardQuery{Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}
