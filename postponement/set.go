package postponement

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deskpemilu/siaga"
)

// Set is the active postponements, held in memory for the e-rekap, which
// asks it on every progress and missing-list query (results.Config's
// Postponed). A read is an atomic load of an immutable map: no lock, no
// query. A bad day postpones tens of TPS, so the whole set is read again
// whenever it changes.
type Set struct {
	store siaga.PostponementStore
	cur   atomic.Pointer[snapshot]
	// mu makes one refresh at a time, so that an older read never
	// replaces a newer one.
	mu sync.Mutex
}

// snapshot is the set at one moment: by TPS, and in TPS order for the
// region queries.
type snapshot struct {
	byTPS map[string]siaga.Postponement
	list  []siaga.Postponement
}

// NewSet returns an empty set over store; call Refresh to fill it.
func NewSet(store siaga.PostponementStore) *Set {
	s := &Set{store: store}
	s.cur.Store(&snapshot{byTPS: map[string]siaga.Postponement{}})
	return s
}

// Refresh reads the active postponements again: after a change made
// through this node, and from time to time (Follow) for those made
// through another node on the same database.
func (s *Set) Refresh(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	list, err := s.store.ActivePostponements(ctx)
	if err != nil {
		return fmt.Errorf("postponement: reading the active postponements: %w", err)
	}
	snap := &snapshot{byTPS: make(map[string]siaga.Postponement, len(list)), list: list}
	for _, p := range list {
		snap.byTPS[p.TPS] = p
	}
	s.cur.Store(snap)
	return nil
}

// Follow refreshes the set every interval until ctx ends, as
// results.Engine.FollowReviews does for the anomaly reviews, so that the
// nodes sharing a PostgreSQL database agree within that time.
func (s *Set) Follow(ctx context.Context, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				log.Warn("refreshing postponements", "err", err)
			}
		}
	}
}

// Postponed returns the active postponement of a TPS.
func (s *Set) Postponed(tps string) (siaga.Postponement, bool) {
	p, ok := s.cur.Load().byTPS[tps]
	return p, ok
}

// PostponedIn returns the active postponements of the TPS below region
// ("" everywhere), in TPS order. The slice is shared: do not change it.
func (s *Set) PostponedIn(region string) []siaga.Postponement {
	list := s.cur.Load().list
	if region == "" {
		return list
	}
	var out []siaga.Postponement
	for _, p := range list {
		if siaga.InScope(region, p.TPS) {
			out = append(out, p)
		}
	}
	return out
}
