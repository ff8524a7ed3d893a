package readiness

import (
	"context"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

// LevelCounts are TPS by readiness level.
type LevelCounts struct {
	Postponed int `json:"ditunda"`
	AtRisk    int `json:"rawan"`
	Watch     int `json:"waspada"`
	Ready     int `json:"siap"`
}

func (c *LevelCounts) add(l siaga.ReadinessLevel) {
	switch l {
	case siaga.ReadinessPostponed:
		c.Postponed++
	case siaga.ReadinessAtRisk:
		c.AtRisk++
	case siaga.ReadinessWatch:
		c.Watch++
	default:
		c.Ready++
	}
}

// SignalCounts are TPS by effective signal class.
type SignalCounts struct {
	Good    int `json:"good"`
	Weak    int `json:"weak"`
	Blank   int `json:"blank"`
	Titik   int `json:"titik"`
	Unknown int `json:"unknown"`
}

func (c *SignalCounts) add(class siaga.Connectivity) {
	switch class {
	case siaga.SignalGood:
		c.Good++
	case siaga.SignalWeak:
		c.Weak++
	case siaga.BlankSpot:
		c.Blank++
	case connectivity.ClassTitik:
		c.Titik++
	default:
		c.Unknown++
	}
}

// HazardCounts are TPS by the highest class of the zones they lie in;
// Safe those in none, Unlocated those without a point (not safe: unknown).
type HazardCounts struct {
	High      int `json:"tinggi"`
	Medium    int `json:"sedang"`
	Low       int `json:"rendah"`
	Safe      int `json:"aman"`
	Unlocated int `json:"unlocated"`
}

// Counts are a region's TPS by level and by layer.
type Counts struct {
	TPS       int          `json:"tps"`
	Levels    LevelCounts  `json:"levels"`
	Signal    SignalCounts `json:"signal"`
	Hazard    HazardCounts `json:"hazard"`
	Planned   int          `json:"planned"` // TPS an intervention would help, not working yet
	Helped    int          `json:"helped"`  // TPS a tested intervention lifts or marks
	Relocated int          `json:"relocated"`
	Postponed int          `json:"postponed"`
	Synthetic int          `json:"synthetic_points"` // TPS standing at a made-up point
}

// AtRisk is how many TPS are rawan or ditunda: what the choropleth shades.
func (c Counts) AtRisk() int { return c.Levels.AtRisk + c.Levels.Postponed }

// AtRiskShare is AtRisk over the TPS, 0 for none.
func (c Counts) AtRiskShare() float64 {
	if c.TPS == 0 {
		return 0
	}
	return float64(c.AtRisk()) / float64(c.TPS)
}

func (c *Counts) add(t *TPS) {
	c.TPS++
	c.Levels.add(t.Level)
	c.Signal.add(t.Signal)
	switch {
	case t.Point == "":
		c.Hazard.Unlocated++
	case t.Hazard == siaga.HazardHigh:
		c.Hazard.High++
	case t.Hazard == siaga.HazardMedium:
		c.Hazard.Medium++
	case t.Hazard == siaga.HazardLow:
		c.Hazard.Low++
	default:
		c.Hazard.Safe++
	}
	if t.Planned > 0 && t.Signal != siaga.SignalGood {
		c.Planned++
	}
	if t.Helped > 0 {
		c.Helped++
	}
	if t.Relocated {
		c.Relocated++
	}
	if t.Postponement != nil {
		c.Postponed++
	}
	if t.Synthetic {
		c.Synthetic++
	}
}

// Child is one child region and its counts.
type Child struct {
	siaga.Region
	Counts Counts `json:"counts"`
}

// Summary is a region's readiness in counts, for the region and each of
// its child regions (none for a desa: its children are TPS).
type Summary struct {
	Region   siaga.Region `json:"region"`
	Present  Present      `json:"present"`
	Counts   Counts       `json:"counts"`
	Children []Child      `json:"children"`
}

// Summary counts the TPS of region in one walk over them; the postponed
// ones, a few, are looked up as they pass.
func (s *Service) Summary(ctx context.Context, region siaga.Region) (Summary, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return Summary{}, err
	}
	present, _ := s.Present(ctx)
	sum := Summary{Region: region, Present: present, Children: []Child{}}
	child := map[string]int{}
	width := 0
	if region.Level < siaga.LevelDesa {
		for _, c := range s.cfg.Regions.Children(region.Code) {
			child[c.Code] = len(sum.Children)
			sum.Children = append(sum.Children, Child{Region: c})
			width = len(c.Code)
		}
	}
	postponed := map[string]bool{}
	for _, p := range s.Postponements(region.Code) {
		postponed[p.TPS] = true
	}
	lo, hi := spanOf(snap.tps, region.Code)
	for i := lo; i < hi; i++ {
		t := &snap.tps[i]
		if postponed[t.Code] {
			pt := s.withPostponement(*t)
			t = &pt
		}
		sum.Counts.add(t)
		if width > 0 && len(t.Code) >= width {
			if j, ok := child[t.Code[:width]]; ok {
				sum.Children[j].Counts.add(t)
			}
		}
	}
	return sum, nil
}
