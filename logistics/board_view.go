package logistics

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
)

// Regions is the registry's region tree as the board reads it
// (registry.Index).
type Regions interface {
	Region(code string) (siaga.Region, bool)
	Children(code string) []siaga.Region
}

// BoardConfig is what a Board is built from.
type BoardConfig struct {
	Store   siaga.ShipmentStore
	TPS     []siaga.TPS // the registry's, ordered by code
	Regions Regions
	Ballot  *election.Index // the dapil of each TPS's ballots; nil: ballots carry no dapil
	BOM     *BOM            // nil: DefaultBOM
	// VotingDay is the election's date (YYYY-MM-DD, WIB), for the countdown.
	VotingDay string
	Now       func() time.Time
	// MaxAge bounds how old the board's copy of the store may get when no
	// write went through Watch: shipments imported from the command line or
	// recorded through another node reach the board after at most this
	// long. 0: one minute.
	MaxAge time.Duration
}

// Board is the readiness board of the logistics: the kit of every TPS and
// the shipments that are late, short, held or stalled, for any region and
// moment. The shipments, their events and deliveries are read from the
// store once per change (a write through Watch bumps the version) and
// kept in memory; a question replays the events up to its moment over
// that copy, without a query (SPEC §10: the province over 50,000 events
// within 50 ms).
type Board struct {
	cfg     BoardConfig
	version atomic.Uint64
	cur     atomic.Pointer[boardState]
	mu      sync.Mutex // one rebuild at a time
	// refreshing is set while a copy that only grew old is reread in the
	// background.
	refreshing atomic.Bool

	needsOnce sync.Once
	needs     [][]siaga.Line // by TPS, as cfg.TPS
}

// NewBoard returns a Board; nothing is read until the first question.
func NewBoard(cfg BoardConfig) *Board {
	if cfg.BOM == nil {
		cfg.BOM = DefaultBOM()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.MaxAge = cmp.Or(cfg.MaxAge, time.Minute)
	return &Board{cfg: cfg}
}

// Changed tells the board the shipments changed: the next question
// rereads them.
func (b *Board) Changed() { b.version.Add(1) }

// Version counts the changes the board was told of.
func (b *Board) Version() uint64 { return b.version.Load() }

// leg is one shipment as the board keeps it.
type leg struct {
	sh       siaga.Shipment
	events   []siaga.ShipmentEvent
	delivery *siaga.Delivery
}

// boardState is the store's shipments at one version.
type boardState struct {
	version uint64
	built   time.Time
	legs    []leg          // ordered by (To, ID): the lists' order
	byID    map[string]int // in legs
	byTPS   map[string][]int32
}

// state returns the shipments at the current version. When the version
// moved (a write through Watch) it rereads them before answering: who
// just wrote sees the write. A copy that only grew older than MaxAge (for
// writes it was not told of: an import, another node) is reread in the
// background while the questions keep the old copy: a province's reread
// takes seconds, and no question should wait for it.
func (b *Board) state(ctx context.Context) (*boardState, error) {
	if cur := b.cur.Load(); cur != nil && cur.version == b.version.Load() {
		if b.cfg.Now().Sub(cur.built) >= b.cfg.MaxAge {
			b.refresh(cur)
		}
		return cur, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if cur := b.cur.Load(); cur != nil && cur.version == b.version.Load() {
		return cur, nil
	}
	s, err := b.read(ctx, b.version.Load())
	if err != nil {
		return nil, err
	}
	b.cur.Store(s)
	return s, nil
}

// refresh rereads the store in the background, once at a time, and
// replaces old unless a newer copy came meanwhile. A failure leaves old
// in place; the next question tries again.
func (b *Board) refresh(old *boardState) {
	if !b.refreshing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer b.refreshing.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.cur.Load() != old {
			return
		}
		if s, err := b.read(ctx, old.version); err == nil {
			b.cur.CompareAndSwap(old, s)
		}
	}()
}

// Warm reads the shipments now, so that the first question does not wait
// for them (seconds for a province): the node calls it at start. Every
// TPS's need is computed at the first question (tens of milliseconds), not
// here: a node that never shows a board does not pay it.
func (b *Board) Warm(ctx context.Context) error {
	_, err := b.state(ctx)
	return err
}

// read copies every shipment, event and delivery out of the store.
func (b *Board) read(ctx context.Context, version uint64) (*boardState, error) {
	s := &boardState{version: version, built: b.cfg.Now()}
	ships, _, err := b.cfg.Store.Shipments(ctx, siaga.ShipmentFilter{})
	if err != nil {
		return nil, fmt.Errorf("logistics board: reading shipments: %w", err)
	}
	slices.SortFunc(ships, func(x, y siaga.Shipment) int {
		return cmp.Or(strings.Compare(x.To, y.To), strings.Compare(x.ID, y.ID))
	})
	s.legs = make([]leg, len(ships))
	s.byID = make(map[string]int, len(ships))
	s.byTPS = map[string][]int32{}
	for i, sh := range ships {
		s.legs[i].sh = sh
		s.byID[sh.ID] = i
		if siaga.LevelOf(sh.To) == siaga.LevelTPS {
			s.byTPS[sh.To] = append(s.byTPS[sh.To], int32(i))
		}
	}
	err = b.cfg.Store.EachShipmentEvent(ctx, "", func(e *siaga.ShipmentEvent) error {
		if i, ok := s.byID[e.Shipment]; ok {
			// Only what the replay reads: the rest of an event (notes,
			// places, actors) stays in the store.
			s.legs[i].events = append(s.legs[i].events, siaga.ShipmentEvent{Kind: e.Kind, At: e.At, Reason: e.Reason, NewArrival: e.NewArrival})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("logistics board: reading events: %w", err)
	}
	ds, err := b.cfg.Store.Deliveries(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("logistics board: reading deliveries: %w", err)
	}
	for i := range ds {
		if j, ok := s.byID[ds[i].Shipment]; ok {
			s.legs[j].delivery = &ds[i]
		}
	}
	return s, nil
}

// Needs returns what every TPS needs, as cfg.TPS (computed once: the
// registry and the bill of materials do not change while a node runs).
func (b *Board) Needs() [][]siaga.Line {
	b.needsOnce.Do(func() {
		b.needs = make([][]siaga.Line, len(b.cfg.TPS))
		for i, t := range b.cfg.TPS {
			b.needs[i] = b.cfg.BOM.TPS(t, b.cfg.Ballot)
		}
	})
	return b.needs
}

// BoardFilter narrows a board: to one item, or to the ballots of one
// contest.
type BoardFilter struct {
	Item    siaga.Item
	Contest siaga.Contest
}

// keep is the filter's items; nil keeps all.
func (f BoardFilter) keep() (func(siaga.Item) bool, error) {
	item := f.Item
	if f.Contest != "" {
		if !f.Contest.Valid() {
			return nil, siaga.Errorf(siaga.EInvalid, "kontes", "kontes %q tidak dikenal", "unknown contest %q", f.Contest)
		}
		if item != "" && item != siaga.BallotItem(f.Contest) {
			return nil, siaga.Errorf(siaga.EInvalid, "barang", "barang %s bukan surat suara kontes %s", "item %s is not the ballot of contest %s", item, f.Contest)
		}
		item = siaga.BallotItem(f.Contest)
	}
	if item == "" {
		return nil, nil
	}
	return func(i siaga.Item) bool { return i == item }, nil
}

// BoardList names one of the board's lists of shipments.
type BoardList string

const (
	ListLate    BoardList = "terlambat"
	ListShort   BoardList = "kurang"
	ListHeld    BoardList = "tertahan"
	ListStalled BoardList = "macet"
)

// BoardLists are the lists, in the board's order.
var BoardLists = []BoardList{ListLate, ListShort, ListHeld, ListStalled}

// BoardQuery is one question to the board.
type BoardQuery struct {
	At time.Time // zero: now
	BoardFilter
	// Limit pages each list (0: all); After holds each list's cursor, the
	// ID of the last shipment of the previous page.
	Limit int
	After map[BoardList]string
}

// KitCounts are TPS by kit status, indexed as KitStatuses.
type KitCounts [7]int

// Of is the count of one status.
func (c *KitCounts) Of(k KitStatus) int {
	if i := k.Index(); i >= 0 {
		return c[i]
	}
	return 0
}

// BoardRow is one child region of the board (or one TPS of a desa).
type BoardRow struct {
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	TPS      int       `json:"tps"`
	Complete int       `json:"complete"`
	Counts   KitCounts `json:"counts"` // as KitStatuses
	// Status is a TPS row's kit status.
	Status KitStatus `json:"status,omitempty"`
}

// Share is the part of its TPS with a complete kit, 0 for none.
func (r BoardRow) Share() float64 {
	if r.TPS == 0 {
		return 0
	}
	return float64(r.Complete) / float64(r.TPS)
}

func (r *BoardRow) add(k KitStatus) {
	r.TPS++
	r.Counts[k.Index()]++
	if k == KitComplete {
		r.Complete++
	}
}

// ShipmentPage is one page of a list and how many the list holds.
type ShipmentPage struct {
	Items  []ShipmentState
	Total  int
	Offset int    // items of the list before this page
	Next   string // the cursor of the next page, "" at the end
}

// BoardView is a region's board at a moment.
type BoardView struct {
	Region siaga.Region
	At     time.Time
	Filter BoardFilter
	// Total is the region itself; Children its child regions, or a desa's
	// TPS, one row each.
	Total     BoardRow
	Children  []BoardRow
	Lists     map[BoardList]*ShipmentPage
	Countdown Countdown
}

// Of is the board of region at q.At (zero: now), filtered by q. A region
// the registry lacks is ENotFound.
func (b *Board) Of(ctx context.Context, region string, q BoardQuery) (*BoardView, error) {
	reg, ok := b.cfg.Regions.Region(region)
	if !ok {
		return nil, siaga.Errorf(siaga.ENotFound, "wilayah", "wilayah %s tidak terdaftar", "region %s is not registered", region)
	}
	keep, err := q.keep()
	if err != nil {
		return nil, err
	}
	if q.At.IsZero() {
		q.At = b.cfg.Now()
	}
	s, err := b.state(ctx)
	if err != nil {
		return nil, err
	}
	v := &BoardView{Region: reg, At: q.At, Filter: q.BoardFilter, Total: BoardRow{Code: reg.Code, Name: reg.Name},
		Lists: map[BoardList]*ShipmentPage{}, Countdown: CountdownAt(q.At, b.cfg.VotingDay)}
	states := b.legStates(s, region, q, keep, v)
	v.Children = b.childRows(reg)
	width := 0
	if len(v.Children) > 0 {
		width = len(v.Children[0].Code)
	}
	b.eachKit(s, states, region, q.At, keep, func(t *siaga.TPS, k KitStatus) {
		v.Total.add(k)
		if width > 0 && len(t.Code) >= width {
			if j, ok := slices.BinarySearchFunc(v.Children, t.Code[:width], func(r BoardRow, c string) int { return strings.Compare(r.Code, c) }); ok {
				v.Children[j].add(k)
				if width == len(t.Code) {
					v.Children[j].Status = k
				}
			}
		}
	})
	return v, nil
}

// childRows are the rows of reg's children, by code: its child regions, or
// a desa's TPS.
func (b *Board) childRows(reg siaga.Region) []BoardRow {
	var rows []BoardRow
	if reg.Level < siaga.LevelDesa {
		for _, c := range b.cfg.Regions.Children(reg.Code) {
			rows = append(rows, BoardRow{Code: c.Code, Name: c.Name})
		}
	} else {
		lo, hi := tpsSpan(b.cfg.TPS, reg.Code)
		for _, t := range b.cfg.TPS[lo:hi] {
			rows = append(rows, BoardRow{Code: t.Code, Name: fmt.Sprintf("TPS %03d", t.Number)})
		}
	}
	slices.SortFunc(rows, func(x, y BoardRow) int { return strings.Compare(x.Code, y.Code) })
	return rows
}

// legStates replays every shipment bound into region up to q.At, fills
// v's lists (when v is not nil) and returns the states by leg index (only
// those bound into region and carrying a kept item are set).
func (b *Board) legStates(s *boardState, region string, q BoardQuery, keep func(siaga.Item) bool, v *BoardView) []ShipmentState {
	states := make([]ShipmentState, len(s.legs))
	lo, hi := legSpan(s.legs, region)
	lists := map[BoardList][]int{}
	for i := lo; i < hi; i++ {
		l := &s.legs[i]
		if keep != nil && !carries(&l.sh, keep) {
			continue
		}
		st := StateAt(&l.sh, l.events, l.delivery, q.At)
		states[i] = st
		if v == nil || !st.Exists {
			continue
		}
		switch {
		case st.Status == siaga.ShipmentHeld:
			lists[ListHeld] = append(lists[ListHeld], i)
		case st.Late:
			lists[ListLate] = append(lists[ListLate], i)
		case st.shortOf(keep) > 0:
			lists[ListShort] = append(lists[ListShort], i)
		}
		if st.Stalled {
			lists[ListStalled] = append(lists[ListStalled], i)
		}
	}
	if v != nil {
		for _, name := range BoardLists {
			v.Lists[name] = page(s, states, lists[name], q.Limit, q.After[name])
		}
	}
	return states
}

// page cuts one list (leg indices in (To, ID) order) after the cursor.
func page(s *boardState, states []ShipmentState, idx []int, limit int, after string) *ShipmentPage {
	p := &ShipmentPage{Total: len(idx), Items: []ShipmentState{}}
	start := 0
	if j, ok := s.byID[after]; ok && after != "" {
		start, _ = slices.BinarySearch(idx, j+1)
	}
	p.Offset = start
	end := len(idx)
	if limit > 0 && start+limit < end {
		end = start + limit
		p.Next = s.legs[idx[end-1]].sh.ID
	}
	for _, i := range idx[start:end] {
		p.Items = append(p.Items, states[i])
	}
	return p
}

// eachKit calls fn with the kit status of every TPS of region.
func (b *Board) eachKit(s *boardState, states []ShipmentState, region string, at time.Time, keep func(siaga.Item) bool, fn func(t *siaga.TPS, k KitStatus)) {
	needs := b.Needs()
	lo, hi := tpsSpan(b.cfg.TPS, region)
	var mine []ShipmentState
	for i := lo; i < hi; i++ {
		t := &b.cfg.TPS[i]
		mine = mine[:0]
		for _, j := range s.byTPS[t.Code] {
			if states[j].Shipment != nil {
				mine = append(mine, states[j])
			}
		}
		fn(t, Kit(needs[i], mine, keep))
	}
}

// EachKit calls fn with the kit status at `at` (zero: now) of every TPS
// of region, in code order: the readiness map's layer.
func (b *Board) EachKit(ctx context.Context, region string, at time.Time, f BoardFilter, fn func(t *siaga.TPS, k KitStatus)) error {
	keep, err := f.keep()
	if err != nil {
		return err
	}
	if at.IsZero() {
		at = b.cfg.Now()
	}
	s, err := b.state(ctx)
	if err != nil {
		return err
	}
	states := b.legStates(s, region, BoardQuery{At: at}, keep, nil)
	b.eachKit(s, states, region, at, keep, fn)
	return nil
}

// KitStatus is the status of one TPS's kit at `at`: what the readiness
// API says of it (readiness.Kits). A code the registry lacks is
// ENotFound.
func (b *Board) KitStatus(ctx context.Context, tps string, at time.Time) (string, error) {
	i, ok := slices.BinarySearchFunc(b.cfg.TPS, tps, func(t siaga.TPS, c string) int { return strings.Compare(t.Code, c) })
	if !ok {
		return "", siaga.Errorf(siaga.ENotFound, "tps", "TPS %s tidak terdaftar", "TPS %s is not registered", tps)
	}
	s, err := b.state(ctx)
	if err != nil {
		return "", err
	}
	var mine []ShipmentState
	for _, j := range s.byTPS[tps] {
		l := &s.legs[j]
		mine = append(mine, StateAt(&l.sh, l.events, l.delivery, at))
	}
	return string(Kit(b.Needs()[i], mine, nil)), nil
}

// Moving returns the shipments bound into region that are on their way at
// `at` (departed or held, not arrived), in (To, ID) order, at most limit
// (0: all), and how many there are: the map's lines.
func (b *Board) Moving(ctx context.Context, region string, at time.Time, f BoardFilter, limit int) ([]ShipmentState, int, error) {
	keep, err := f.keep()
	if err != nil {
		return nil, 0, err
	}
	s, err := b.state(ctx)
	if err != nil {
		return nil, 0, err
	}
	var out []ShipmentState
	n := 0
	lo, hi := legSpan(s.legs, region)
	for i := lo; i < hi; i++ {
		l := &s.legs[i]
		if keep != nil && !carries(&l.sh, keep) {
			continue
		}
		st := StateAt(&l.sh, l.events, l.delivery, at)
		if st.Exists && (st.Status == siaga.ShipmentDeparted || st.Status == siaga.ShipmentHeld) {
			n++
			if limit == 0 || len(out) < limit {
				out = append(out, st)
			}
		}
	}
	return out, n, nil
}

// legSpan is the range of legs bound into region (To starts with it).
func legSpan(legs []leg, region string) (lo, hi int) {
	lo, _ = slices.BinarySearchFunc(legs, region, func(l leg, r string) int { return strings.Compare(l.sh.To, r) })
	hi, _ = slices.BinarySearchFunc(legs, region+":", func(l leg, r string) int { return strings.Compare(l.sh.To, r) })
	return lo, hi
}

// tpsSpan is the range of tps whose codes start with region.
func tpsSpan(tps []siaga.TPS, region string) (lo, hi int) {
	lo, _ = slices.BinarySearchFunc(tps, region, func(t siaga.TPS, r string) int { return strings.Compare(t.Code, r) })
	hi, _ = slices.BinarySearchFunc(tps, region+":", func(t siaga.TPS, r string) int { return strings.Compare(t.Code, r) })
	return lo, hi
}

// Watch returns store with its writes of shipments, events and deliveries
// telling the board (Changed) after each, whatever its outcome (a commit
// whose answer was lost may still have happened): the node gives the
// shipments service this store.
func (b *Board) Watch(store siaga.ShipmentStore) siaga.ShipmentStore {
	return watched{ShipmentStore: store, board: b}
}

type watched struct {
	siaga.ShipmentStore
	board *Board
}

func (w watched) SaveShipments(ctx context.Context, ss []siaga.Shipment, audit ...siaga.AuditEvent) error {
	err := w.ShipmentStore.SaveShipments(ctx, ss, audit...)
	w.board.Changed()
	return err
}

func (w watched) AddShipmentEvent(ctx context.Context, e siaga.ShipmentEvent, s siaga.Shipment, alerts []siaga.LogisticsAlert, audit ...siaga.AuditEvent) error {
	err := w.ShipmentStore.AddShipmentEvent(ctx, e, s, alerts, audit...)
	w.board.Changed()
	return err
}

func (w watched) AddDelivery(ctx context.Context, d siaga.Delivery, s siaga.Shipment, alerts []siaga.LogisticsAlert, followUps []siaga.Shipment, audit ...siaga.AuditEvent) error {
	err := w.ShipmentStore.AddDelivery(ctx, d, s, alerts, followUps, audit...)
	w.board.Changed()
	return err
}
