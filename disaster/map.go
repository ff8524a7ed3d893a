package disaster

import (
	"context"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
)

// What the readiness map reads of the disaster module: a version to
// recompute by, the zones over an area, and the relocations.

// Version changes whenever the picture does (a layer imported or deleted,
// a TPS moved, a reload). Read it before reading the picture: a picture
// read after it is at least as new.
func (s *Service) Version() uint64 { return s.st.v.Load() }

// Zones returns the zones whose bounds meet b, in layer and feature order.
// They are shared: do not change their geometry.
func (s *Service) Zones(b orb.Bound) []Zone {
	var out []Zone
	for _, z := range s.st.load().zones {
		if z.Area != nil && z.Area.Bound().Intersects(b) {
			out = append(out, z)
		}
	}
	return out
}

// Relocations returns the relocation decisions of the TPS in region (""
// all; a TPS code: that TPS's alone), by TPS then oldest first.
func (s *Service) Relocations(ctx context.Context, region string) ([]siaga.Relocation, error) {
	return s.cfg.Store.Relocations(ctx, region)
}
