package incident_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
)

// BenchmarkGroup groups a day of 100,000 reports spread over Banten's box
// (siaga bench incidents runs the same at scale with the early warning).
func BenchmarkGroup(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	list := make([]siaga.Incident, 100_000)
	for i := range list {
		list[i] = siaga.Incident{ID: int64(i + 1), Category: siaga.IncidentCategories[rng.IntN(len(siaga.IncidentCategories))],
			OccurredAt: t0.Add(time.Duration(rng.Int64N(int64(24 * time.Hour)))),
			TPS:        fmt.Sprintf("36%08d%03d", rng.IntN(1500), rng.IntN(20)),
			Lat:        -7.0 + rng.Float64()*1.1, Lon: 105.1 + rng.Float64()*1.3, Placed: "tps"}
		list[i].Region = list[i].TPS[:10]
	}
	d := incident.Dedup{Window: 2 * time.Hour, Radius: 1000}
	b.ReportAllocs()
	for b.Loop() {
		d.Group(list)
	}
}
