package readiness

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// The map's Logistik layer (docs/readiness-map.md): the kit status of
// every TPS and the shipments on their way, from the logistics board.
// Logistics is staff data: the layer has routes of its own, for the staff
// who read logistics in scope, and never reaches the public map, its
// counts or its exports; it does not change the level.

// Logistics is the logistics board as the Logistik layer reads it
// (logistics.Board, adapted by the node: readiness does not import
// logistics, whose types the board's methods speak).
type Logistics interface {
	// EachKit calls fn with the kit status at q.At of every TPS of region
	// (a code prefix), in code order.
	EachKit(ctx context.Context, region string, q LogisticsQuery, fn func(tps, status string)) error
	// InTransit returns the shipments bound into region that are on their
	// way at q.At (departed or held, not arrived), in (destination, ID)
	// order, at most limit (0: all), and how many there are.
	InTransit(ctx context.Context, region string, q LogisticsQuery, limit int) ([]Leg, int, error)
}

// LogisticsQuery is the moment and the filter of the layer: one item, or
// the ballots of one contest, as the board filters (logistics.BoardFilter).
type LogisticsQuery struct {
	At      time.Time
	Item    siaga.Item
	Contest siaga.Contest
}

// Leg is a shipment on its way, as it stood at the question's moment.
type Leg struct {
	Shipment siaga.Shipment
	Status   siaga.ShipmentStatus // berangkat or tertahan
	Reason   string               // of its hold
	Late     bool                 // past its planned arrival
	Stalled  bool                 // silent for longer than its leg should take
	// LastEvent is when it last moved.
	LastEvent time.Time
}

// HasLogistics reports whether the layer can be drawn: the node runs the
// logistics board.
func (s *Service) HasLogistics() bool { return s.cfg.Logistics != nil }

// KitTPS is one TPS of the layer: where it stands (as the map draws it)
// and its kit status.
type KitTPS struct {
	*TPS
	Kit string
}

// EachKit calls fn, in code order, for every TPS of region with its kit
// status at q.At, and stops at fn's first error. Without the board it
// calls nothing.
func (s *Service) EachKit(ctx context.Context, region string, q LogisticsQuery, fn func(t KitTPS) error) error {
	if s.cfg.Logistics == nil {
		return nil
	}
	snap, err := s.snapshot(ctx)
	if err != nil {
		return err
	}
	// The board answers in the registry's order, as the snapshot holds
	// it: the two walks meet by a cursor, a search only when they part.
	lo, hi := spanOf(snap.tps, region)
	type kit struct{ tps, status string }
	kits := make([]kit, 0, hi-lo)
	err = s.cfg.Logistics.EachKit(ctx, region, q, func(tps, status string) { kits = append(kits, kit{tps, status}) })
	if err != nil {
		return err
	}
	i := lo
	for _, k := range kits {
		if i >= hi || snap.tps[i].Code != k.tps {
			j, ok := slices.BinarySearchFunc(snap.tps[lo:hi], k.tps, func(t TPS, c string) int { return strings.Compare(t.Code, c) })
			if !ok {
				continue
			}
			i = lo + j
		}
		t := snap.tps[i]
		i++
		if err := fn(KitTPS{TPS: &t, Kit: k.status}); err != nil {
			return err
		}
	}
	return nil
}

// KitChild is one child region of the layer: its TPS by kit status.
type KitChild struct {
	siaga.Region
	TPS  int            `json:"tps"`
	Kits map[string]int `json:"kits"`
}

// KitSummary counts the TPS of region by kit status at q.At, for the
// region and each child region (none for a desa), in one walk.
func (s *Service) KitSummary(ctx context.Context, region siaga.Region, q LogisticsQuery) (KitChild, []KitChild, error) {
	total := KitChild{Region: region, Kits: map[string]int{}}
	children := []KitChild{}
	width := 0
	if region.Level < siaga.LevelDesa {
		for _, c := range s.cfg.Regions.Children(region.Code) {
			children = append(children, KitChild{Region: c, Kits: map[string]int{}})
			width = len(c.Code)
		}
	}
	slices.SortFunc(children, func(a, b KitChild) int { return strings.Compare(a.Code, b.Code) })
	err := s.EachKit(ctx, region.Code, q, func(t KitTPS) error {
		total.TPS++
		total.Kits[t.Kit]++
		if width > 0 && len(t.Code) >= width {
			j, ok := slices.BinarySearchFunc(children, t.Code[:width], func(c KitChild, code string) int { return strings.Compare(c.Code, code) })
			if ok {
				children[j].TPS++
				children[j].Kits[t.Kit]++
			}
		}
		return nil
	})
	return total, children, err
}

// InTransit returns the shipments bound into region on their way at q.At,
// at most limit (0: all), and how many there are; none without the board.
func (s *Service) InTransit(ctx context.Context, region string, q LogisticsQuery, limit int) ([]Leg, int, error) {
	if s.cfg.Logistics == nil {
		return nil, 0, nil
	}
	return s.cfg.Logistics.InTransit(ctx, region, q, limit)
}

// Point is where a TPS of the registry stands on the map, false when no
// point is known (or the code is no TPS).
func (s *Service) Point(ctx context.Context, tps string) (lat, lon float64, ok bool, err error) {
	t, found, err := s.TPS(ctx, tps)
	if err != nil || !found || t.Point == "" {
		return 0, 0, false, err
	}
	return t.Lat, t.Lon, true, nil
}
