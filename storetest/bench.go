package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/deskpemilu/siaga"
)

// BenchmarkAppendVersions measures AppendVersions with batches of 500 ppwp
// versions, the size the results engine's group commit reaches under load.
func BenchmarkAppendVersions(b *testing.B, s siaga.Store) {
	const batch = 500
	ctx := context.Background()
	n := 0
	vs := make([]siaga.Version, batch)
	for b.Loop() {
		for i := range vs {
			vs[i] = Version(fmt.Sprintf("bench-%09d", n), fmt.Sprintf("36%011d", n), 1)
			n++
		}
		if err := s.AppendVersions(ctx, vs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "versions/s")
}

// BenchmarkSaveRegistry measures SaveRegistry with a registry of the
// national size: 91,047 regions and 820,161 TPS.
func BenchmarkSaveRegistry(b *testing.B, s siaga.Store) {
	reg := nationalRegistry()
	ctx := context.Background()
	for b.Loop() {
		if err := s.SaveRegistry(ctx, reg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(reg.TPS)*b.N)/b.Elapsed().Seconds(), "tps/s")
}

func nationalRegistry() *siaga.Registry {
	const regions, tps = 91047, 820161
	reg := &siaga.Registry{Regions: make([]siaga.Region, regions), TPS: make([]siaga.TPS, tps)}
	for i := range reg.Regions {
		reg.Regions[i] = siaga.Region{Code: fmt.Sprintf("%010d", i), Level: siaga.LevelDesa, Name: "DESA", TPSCount: 9, DPT: 2500}
	}
	for i := range reg.TPS {
		desa := fmt.Sprintf("%010d", i/9)
		reg.TPS[i] = siaga.TPS{Code: fmt.Sprintf("%s%03d", desa, i%9+1), Desa: desa, Number: i%9 + 1,
			DPT: 280, Lat: -6.1, Lon: 106.2, Connectivity: "good"}
	}
	return reg
}
