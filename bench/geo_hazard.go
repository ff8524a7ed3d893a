package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/registry"
)

// The hazard part of `siaga bench geo` (SPEC §10): every TPS against
// 10,000 synthetic hazard zones, the work the disaster module does when a
// layer is imported or deleted (disaster.Service): every zone indexed,
// then each TPS's zones found. The zones are decoded from GeoJSON once,
// outside the timing, as the service keeps them decoded between
// rebuilds (decoding 10,000 zones of ~100 vertices takes ~3 s; it is paid
// once per zone, when its file is imported or the node starts).
var (
	bantenBound    = orb.Bound{Min: orb.Point{105.1, -7.0}, Max: orb.Point{106.8, -5.8}}
	indonesiaBound = disaster.Indonesia
)

// hazardZoneCount is SPEC §10's 10,000 hazard polygons.
const hazardZoneCount = 10_000

// hazardBench times Banten's 33,324 TPS (hazardS) and all 820,161 TPS of
// Indonesia (nationalS) against 10,000 seeded synthetic zones, the median
// of runs each. Banten's TPS stand at the registry's synthetic points; the
// registry has none elsewhere, so the national TPS without a point get a
// seeded one spread over Indonesia's extent (sea included).
func hazardBench(ctx context.Context, seed int64, runs int) (hazardS, nationalS, naiveS float64, err error) {
	banten, err := registry.Load(registry.Banten, seed)
	if err != nil {
		return 0, 0, 0, err
	}
	zones := syntheticZones(rand.New(rand.NewPCG(uint64(seed), 1)), hazardZoneCount, bantenBound)
	points := tpsPoints(banten.TPS, nil)
	if hazardS, err = medianRun(ctx, runs, zones, points); err != nil {
		return 0, 0, 0, err
	}
	if naiveS, err = naiveRun(zones, points); err != nil {
		return 0, 0, 0, err
	}
	all, err := registry.Load(registry.All, seed)
	if err != nil {
		return 0, 0, 0, err
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 2))
	zones = syntheticZones(rng, hazardZoneCount, indonesiaBound)
	nationalS, err = medianRun(ctx, runs, zones, tpsPoints(all.TPS, rng))
	return hazardS, nationalS, naiveS, err
}

// naiveSample is how many of the TPS the reference checks: every zone for
// every TPS takes minutes for all of Banten.
const naiveSample = 1000

// naiveRun is the reference: each TPS tested against every zone's bounding
// box, then its polygon, without an index, on an even sample of the TPS,
// scaled to all of them. It must find the zones the index finds.
func naiveRun(stored []siaga.HazardZone, points []orb.Point) (float64, error) {
	zones, err := disaster.DecodeZones(stored)
	if err != nil {
		return 0, err
	}
	x, err := disaster.IndexZones(zones)
	if err != nil {
		return 0, err
	}
	bounds := make([]orb.Bound, len(zones))
	for i, z := range zones {
		bounds[i] = z.Area.Bound()
	}
	step := max(1, len(points)/naiveSample)
	var sample []orb.Point
	for i := 0; i < len(points); i += step {
		sample = append(sample, points[i])
	}
	start := time.Now()
	found := make([]int, len(sample))
	for i, p := range sample {
		for j, z := range zones {
			if bounds[j].Contains(p) && geo.Contains(z.Area, p) {
				found[i]++
			}
		}
	}
	elapsed := time.Since(start).Seconds()
	for i, p := range sample {
		if n := len(x.At(p)); n != found[i] {
			return 0, fmt.Errorf("bench geo: the index finds %d zones at %v, the plain scan %d", n, p, found[i])
		}
	}
	return elapsed * float64(len(points)) / float64(len(sample)), nil
}

// tpsPoints are the TPS's registry points; one without gets a random point
// in Indonesia from rng (nil: left out).
func tpsPoints(tps []siaga.TPS, rng *rand.Rand) []orb.Point {
	out := make([]orb.Point, 0, len(tps))
	for _, t := range tps {
		switch {
		case t.Lat != 0 || t.Lon != 0:
			out = append(out, orb.Point{t.Lon, t.Lat})
		case rng != nil:
			out = append(out, randomIn(rng, indonesiaBound))
		}
	}
	return out
}

// medianRun times hazardOnce runs times and returns the median seconds.
func medianRun(ctx context.Context, runs int, stored []siaga.HazardZone, points []orb.Point) (float64, error) {
	zones, err := disaster.DecodeZones(stored)
	if err != nil {
		return 0, err
	}
	times := make([]float64, 0, runs)
	for range max(1, runs) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		start := time.Now()
		if _, err := hazardOnce(zones, points); err != nil {
			return 0, err
		}
		times = append(times, time.Since(start).Seconds())
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// hazardOnce indexes zones and finds each point's zones; it returns how
// many points lie in one.
func hazardOnce(zones []disaster.Zone, points []orb.Point) (int, error) {
	x, err := disaster.IndexZones(zones)
	if err != nil {
		return 0, err
	}
	exposed := 0
	for _, p := range points {
		if len(x.At(p)) > 0 {
			exposed++
		}
	}
	return exposed, nil
}

// syntheticZones are n hazard zones inside b: irregular rings of 12 to 200
// vertices (a BNPB risk polygon simplified for the desk), 200 m to 3 km
// across; one in five has a hole (an island of higher ground), one in ten
// is a multipolygon of two parts. Types and classes are drawn evenly.
func syntheticZones(rng *rand.Rand, n int, b orb.Bound) []siaga.HazardZone {
	out := make([]siaga.HazardZone, n)
	for i := range out {
		c := randomIn(rng, b)
		r := 100 + 1400*rng.Float64()
		vertices := 12 + rng.IntN(189)
		poly := orb.Polygon{blob(rng, c, r, vertices)}
		if rng.IntN(5) == 0 {
			poly = append(poly, reverse(blob(rng, c, r/5, 10)))
		}
		var g orb.Geometry = poly
		if rng.IntN(10) == 0 {
			g = orb.MultiPolygon{poly, {blob(rng, orb.Point{c[0] + 3*r/111_000, c[1]}, r/2, 16)}}
		}
		geom, err := json.Marshal(geojson.NewGeometry(g))
		if err != nil {
			panic(fmt.Sprintf("a synthetic zone does not encode: %v", err)) // plain numbers always encode
		}
		out[i] = siaga.HazardZone{Layer: 1, Feature: i, Type: siaga.HazardTypes[rng.IntN(len(siaga.HazardTypes))],
			Class: siaga.HazardClasses[rng.IntN(3)], Geometry: geom}
	}
	return out
}

// blob is a closed ring of n vertices around c at radii between r/2 and r
// metres.
func blob(rng *rand.Rand, c orb.Point, r float64, n int) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	cos := math.Cos(c[1] * math.Pi / 180)
	for k := range n {
		a := 2 * math.Pi * float64(k) / float64(n)
		d := r * (0.5 + 0.5*rng.Float64()) / 111_000
		ring = append(ring, orb.Point{c[0] + d*math.Cos(a)/cos, c[1] + d*math.Sin(a)})
	}
	return append(ring, ring[0])
}

func reverse(r orb.Ring) orb.Ring {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

func randomIn(rng *rand.Rand, b orb.Bound) orb.Point {
	return orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
}
