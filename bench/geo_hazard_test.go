package bench

import (
	"math/rand/v2"
	"testing"

	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/registry"
)

// BenchmarkHazardBanten is one op of `siaga bench geo`'s hazard_s: 10,000
// synthetic zones decoded and indexed, and Banten's 33,324 TPS checked.
func BenchmarkHazardBanten(b *testing.B) {
	reg, err := registry.Load(registry.Banten, 1)
	if err != nil {
		b.Fatal(err)
	}
	zones, err := disaster.DecodeZones(syntheticZones(rand.New(rand.NewPCG(1, 1)), hazardZoneCount, bantenBound))
	if err != nil {
		b.Fatal(err)
	}
	points := tpsPoints(reg.TPS, nil)
	for b.Loop() {
		if _, err := hazardOnce(zones, points); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHazardWorkload: the workload is what it claims: 10,000 zones, some
// with holes and some in parts, every Banten TPS placed, and some of them
// exposed (a workload where no point hits a zone would time nothing).
func TestHazardWorkload(t *testing.T) {
	reg, err := registry.Load(registry.Banten, 1)
	if err != nil {
		t.Fatal(err)
	}
	zones, err := disaster.DecodeZones(syntheticZones(rand.New(rand.NewPCG(1, 1)), hazardZoneCount, bantenBound))
	if err != nil {
		t.Fatal(err)
	}
	points := tpsPoints(reg.TPS, nil)
	if len(zones) != 10_000 || len(points) != 33_324 {
		t.Fatalf("%d zones, %d points", len(zones), len(points))
	}
	exposed, err := hazardOnce(zones, points)
	if err != nil {
		t.Fatal(err)
	}
	if exposed == 0 || exposed == len(points) {
		t.Errorf("%d of %d TPS exposed", exposed, len(points))
	}
	t.Logf("%d of %d Banten TPS in a synthetic zone", exposed, len(points))
}
