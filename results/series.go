package results

import (
	"time"

	"github.com/deskpemilu/siaga"
)

// maxPoints bounds a series; when full, every other point is dropped, so a
// long night keeps its shape at a coarser step.
const maxPoints = 720

// seriesStore keeps progress over time (TPS reported) for the province,
// kab/kota and kecamatan levels: the presidential count at all three, the
// other contests down to kab/kota only, which bounds the memory of a
// national deployment (7,000 kecamatan × 4 more contests would not be).
type seriesStore struct {
	tracked []*regionTally // province, kab/kota and kecamatan
	last    time.Time
	points  map[seriesKey][]siaga.ProgressPoint
}

type seriesKey struct {
	code    string
	contest uint8
}

// seriesContest reports whether contest c of region code has a series.
func seriesContest(code string, c int) bool {
	return siaga.Contests[c] == siaga.PPWP || siaga.LevelOf(code) <= siaga.LevelKabKota
}

// sample records a point for every tracked region and contest whose count
// changed, at most once per step unless forced.
func (s *state) sample(now time.Time, step time.Duration, force bool) {
	ss := &s.series
	if !force && now.Sub(ss.last) < step {
		return
	}
	ss.last = now
	if ss.points == nil {
		ss.points = make(map[seriesKey][]siaga.ProgressPoint)
	}
	for _, rt := range ss.tracked {
		for c := range nContests {
			if !seriesContest(rt.code, c) {
				continue
			}
			key := seriesKey{rt.code, uint8(c)}
			pts := ss.points[key]
			n := int(rt.c[c].reported)
			if len(pts) > 0 && pts[len(pts)-1].Reported == n {
				continue
			}
			if len(pts) >= maxPoints {
				pts = thin(pts)
			}
			ss.points[key] = append(pts, siaga.ProgressPoint{At: now.UTC(), Reported: n})
		}
	}
}

func thin(pts []siaga.ProgressPoint) []siaga.ProgressPoint {
	out := pts[:0]
	for i := 0; i < len(pts); i += 2 {
		out = append(out, pts[i])
	}
	return out
}
