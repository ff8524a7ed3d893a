package results

import (
	"time"

	"github.com/deskpemilu/siaga"
)

// maxPoints bounds a series; when full, every other point is dropped, so a
// long night keeps its shape at a coarser step.
const maxPoints = 720

// seriesStore keeps progress over time (ppwp TPS reported) for the
// province, kab/kota and kecamatan levels.
type seriesStore struct {
	tracked []*regionTally // province, kab/kota and kecamatan
	last    time.Time
	points  map[string][]siaga.ProgressPoint
}

// sample records a point for every tracked region whose count changed,
// at most once per step unless forced.
func (s *state) sample(now time.Time, step time.Duration, force bool) {
	ss := &s.series
	if !force && now.Sub(ss.last) < step {
		return
	}
	ss.last = now
	if ss.points == nil {
		ss.points = make(map[string][]siaga.ProgressPoint)
	}
	ppwp := contestIndex(siaga.PPWP)
	for _, rt := range ss.tracked {
		code := rt.code
		pts := ss.points[code]
		n := int(rt.c[ppwp].reported)
		if len(pts) > 0 && pts[len(pts)-1].Reported == n {
			continue
		}
		if len(pts) >= maxPoints {
			pts = thin(pts)
		}
		ss.points[code] = append(pts, siaga.ProgressPoint{At: now.UTC(), Reported: n})
	}
}

func thin(pts []siaga.ProgressPoint) []siaga.ProgressPoint {
	out := pts[:0]
	for i := 0; i < len(pts); i += 2 {
		out = append(out, pts[i])
	}
	return out
}
