package logistics

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/registry"
)

// ShipmentsConfig is what the shipments service needs.
type ShipmentsConfig struct {
	Store    siaga.ShipmentStore
	Registry *siaga.Registry
	// Regions and Ballot index Registry and Election; built when nil.
	Regions  *registry.Index
	Election *siaga.Election
	Ballot   *election.Index
	// Islands are the islands of the wilayah list (registry.Islands): the
	// TPS of a desa on one are shipped by sea, and earlier.
	Islands []registry.Island
	// BOM is the bill of materials whose items a waybill may carry; nil:
	// DefaultBOM.
	BOM *BOM
	Now func() time.Time
}

// Island is an inhabited island with its desa (registry.Island.Desa).
type Island = registry.Island

// Shipments is the service of the shipments along the chain warehouse →
// PPK → PPS → TPS: it checks each waybill against the registry and the
// election, plans it, moves it through its states and takes its proof of
// delivery (docs/logistics.md, "Pengiriman"). Every change is stored with
// its audit entry and its alerts in one transaction.
type Shipments struct {
	cfg     ShipmentsConfig
	islands map[string]Island // by desa
	items   []siaga.Item      // of the bill of materials
	// mu serialises the read-modify-write of a shipment's state on this
	// node, so that two events of one shipment do not both start from the
	// same state.
	mu sync.Mutex
}

// NewShipments returns the service for cfg.
func NewShipments(cfg ShipmentsConfig) *Shipments {
	if cfg.Regions == nil && cfg.Registry != nil {
		cfg.Regions = registry.NewIndex(cfg.Registry)
	}
	if cfg.Ballot == nil && cfg.Election != nil {
		cfg.Ballot = election.NewIndex(cfg.Election)
	}
	if cfg.BOM == nil {
		cfg.BOM = DefaultBOM()
	}
	s := &Shipments{cfg: cfg, islands: map[string]Island{}, items: cfg.BOM.Items()}
	for _, isl := range cfg.Islands {
		if isl.Desa != "" {
			s.islands[isl.Desa] = isl
		}
	}
	return s
}

// Island returns the island a desa or a TPS is on.
func (s *Shipments) Island(code string) (Island, bool) {
	if len(code) > 10 {
		code = code[:10]
	}
	isl, ok := s.islands[code]
	return isl, ok
}

// Items are the items a line may carry: those of the bill of materials.
func (s *Shipments) Items() []siaga.Item { return s.items }

// Create checks sh, fills its defaults (status direncanakan, the default
// plan) and stores it.
func (s *Shipments) Create(ctx context.Context, sh siaga.Shipment, by string) (siaga.Shipment, error) {
	if sh.ID != "" {
		if _, err := s.cfg.Store.Shipment(ctx, sh.ID); err == nil {
			return siaga.Shipment{}, siaga.Errorf(siaga.EConflict, "id", "Kiriman %s sudah ada", "shipment %s exists already", sh.ID)
		} else if siaga.ErrorCode(err) != siaga.ENotFound {
			return siaga.Shipment{}, err
		}
	} else {
		sh.ID = uuid.NewString()
	}
	now := s.now()
	sh.Status, sh.Departed, sh.Arrived = siaga.ShipmentPlanned, nil, nil
	sh.LastEvent, sh.CreatedAt, sh.CreatedBy = now, now, by
	if sh.Source == "" {
		sh.Source = "web"
	}
	if err := s.check(&sh); err != nil {
		return siaga.Shipment{}, err
	}
	audit := siaga.AuditEvent{At: now, Actor: actor(by), Action: siaga.AuditShipmentSave, Subject: sh.ID, Scope: sh.From,
		Detail: siaga.AuditDetail(map[string]any{"waybill": sh.Waybill, "from": sh.From, "to": sh.To, "lines": sh.Lines})}
	if err := s.cfg.Store.SaveShipments(ctx, []siaga.Shipment{sh}, audit); err != nil {
		return siaga.Shipment{}, err
	}
	return sh, nil
}

// check validates sh against the registry and the election and fills
// what may be left out: the dapil of a ballot line, the plan.
func (s *Shipments) check(sh *siaga.Shipment) error {
	if strings.TrimSpace(sh.Waybill) == "" {
		return siaga.Errorf(siaga.EInvalid, "waybill", "Nomor surat jalan wajib diisi", "the waybill number is required")
	}
	if !s.place(sh.From) {
		return siaga.Errorf(siaga.EInvalid, "from", "Asal %q bukan gudang, PPK, PPS atau TPS yang terdaftar",
			"origin %q is not a registered warehouse, PPK, PPS or TPS", sh.From)
	}
	if !s.place(sh.To) {
		return siaga.Errorf(siaga.EInvalid, "to", "Tujuan %q bukan gudang, PPK, PPS atau TPS yang terdaftar",
			"destination %q is not a registered warehouse, PPK, PPS or TPS", sh.To)
	}
	if err := s.leg(sh.From, sh.To); err != nil {
		return err
	}
	if !slices.Contains(siaga.TransportModes, sh.Mode) {
		return siaga.Errorf(siaga.EInvalid, "mode", "Moda %q tidak dikenal (truk, minibus, kapal, motor, jalan_kaki)",
			"unknown transport mode %q (truk, minibus, kapal, motor, jalan_kaki)", sh.Mode)
	}
	if err := checkSea(sh); err != nil {
		return err
	}
	if len(sh.Lines) == 0 {
		return siaga.Errorf(siaga.EInvalid, "lines", "Surat jalan tanpa barang", "the waybill carries no items")
	}
	seen := map[string]bool{}
	for i := range sh.Lines {
		if err := s.checkLine(i, &sh.Lines[i], sh.To); err != nil {
			return err
		}
		k := string(sh.Lines[i].Item) + "|" + sh.Lines[i].Dapil
		if seen[k] {
			return siaga.Errorf(siaga.EInvalid, fmt.Sprintf("lines[%d]", i), "Barang %s %s tercantum dua kali",
				"item %s %s is listed twice", sh.Lines[i].Item, sh.Lines[i].Dapil)
		}
		seen[k] = true
	}
	s.plan(sh)
	if sh.PlannedArrival.Before(sh.PlannedDeparture) {
		return siaga.Errorf(siaga.EInvalid, "planned_arrival", "Rencana tiba sebelum rencana berangkat",
			"the planned arrival is before the planned departure")
	}
	return nil
}

// place reports whether code is a registered region or TPS.
func (s *Shipments) place(code string) bool {
	if !siaga.IsRegionCode(code) || s.cfg.Regions == nil {
		return false
	}
	if siaga.IsTPSCode(code) {
		_, ok := s.cfg.Regions.TPS(code)
		return ok
	}
	_, ok := s.cfg.Regions.Region(code)
	return ok
}

// leg checks that a shipment goes down the chain one level: province or
// kab/kota warehouse → PPK → PPS → TPS. A leg to an island may skip
// levels (the PPK's kit for Pulau Tunda goes straight to its TPS, across
// the sea, as in 2024): a stop on the mainland would be a detour.
func (s *Shipments) leg(from, to string) error {
	if !strings.HasPrefix(to, from) || len(to) <= len(from) {
		return siaga.Errorf(siaga.EInvalid, "to", "Tujuan %s tidak berada di bawah asal %s: kiriman turun di rantai gudang → PPK → PPS → TPS",
			"destination %s is not below origin %s: shipments go down the chain warehouse → PPK → PPS → TPS", to, from)
	}
	step := siaga.LevelOf(to) - siaga.LevelOf(from)
	if step == 1 {
		return nil
	}
	if _, ok := s.Island(to); ok && siaga.LevelOf(to) >= siaga.LevelDesa {
		return nil
	}
	return siaga.Errorf(siaga.EInvalid, "to", "Kiriman dari %s (%s) ke %s (%s) melompati tingkat; hanya kiriman ke pulau boleh",
		"a shipment from %s (%s) to %s (%s) skips a level; only legs to an island may", from, siaga.LevelOf(from), to, siaga.LevelOf(to))
}

// checkSea requires the crossing of a boat leg, and a boat for a crossing.
func checkSea(sh *siaga.Shipment) error {
	if sh.Mode != siaga.ModeBoat {
		if sh.Sea != nil {
			return siaga.Errorf(siaga.EInvalid, "mode", "Penyeberangan laut harus dengan moda kapal", "a sea crossing needs the mode kapal")
		}
		return nil
	}
	switch {
	case sh.Sea == nil || strings.TrimSpace(sh.Sea.Port) == "":
		return siaga.Errorf(siaga.EInvalid, "sea.port", "Kiriman kapal perlu pelabuhan keberangkatan", "a boat leg needs its port of departure")
	case strings.TrimSpace(sh.Sea.Vessel) == "":
		return siaga.Errorf(siaga.EInvalid, "sea.vessel", "Kiriman kapal perlu nama kapal", "a boat leg needs its vessel")
	case sh.Sea.CrossingM <= 0:
		return siaga.Errorf(siaga.EInvalid, "sea.crossing_m", "Lama penyeberangan (menit) harus lebih dari 0",
			"the crossing time (minutes) must be more than 0")
	}
	return nil
}

// checkLine checks line i, bound for to, and gives a ballot line without
// dapil the dapil of the destination.
func (s *Shipments) checkLine(i int, l *siaga.Line, to string) error {
	field := func(f string) string { return fmt.Sprintf("lines[%d].%s", i, f) }
	if !slices.Contains(s.items, l.Item) {
		return siaga.Errorf(siaga.EInvalid, field("item"), "Barang %q tidak dikenal", "unknown item %q", l.Item)
	}
	if l.Qty <= 0 {
		return siaga.Errorf(siaga.EInvalid, field("qty"), "Jumlah %s harus lebih dari 0", "the quantity of %s must be more than 0", l.Item)
	}
	c, ballot := l.Item.Contest()
	if !ballot || c == siaga.PPWP {
		if l.Dapil != "" {
			return siaga.Errorf(siaga.EInvalid, field("dapil"), "%s tidak berdapil", "%s has no dapil", l.Item)
		}
		return nil
	}
	if s.cfg.Ballot == nil {
		return nil
	}
	if d, ok := s.cfg.Ballot.Dapil(c, to); ok {
		if l.Dapil == "" {
			l.Dapil = d.Name
		}
		if l.Dapil != d.Name {
			return siaga.Errorf(siaga.EInvalid, field("dapil"), "Surat suara %s dapil %s salah tujuan: %s termasuk dapil %s",
				"%s ballots of dapil %s are bound for the wrong place: %s is in dapil %s", c, l.Dapil, to, d.Name)
		}
		return nil
	}
	// A warehouse above several dapils (a kab/kota's DPRD Kab dapils):
	// the line names one of them.
	if l.Dapil == "" {
		return siaga.Errorf(siaga.EInvalid, field("dapil"), "%s mencakup beberapa dapil %s: sebutkan dapilnya",
			"%s spans several %s dapils: name the dapil", to, c)
	}
	if !s.dapilUnder(c, l.Dapil, to) {
		return siaga.Errorf(siaga.EInvalid, field("dapil"), "Dapil %s %s tidak berada di %s", "dapil %s %s is not in %s", c, l.Dapil, to)
	}
	return nil
}

// dapilUnder reports whether the dapil of contest c named name covers a
// region under code.
func (s *Shipments) dapilUnder(c siaga.Contest, name, code string) bool {
	for _, d := range s.cfg.Election.Dapil {
		if d.Contest != c || d.Name != name {
			continue
		}
		for _, r := range d.Regions {
			if strings.HasPrefix(r, code) || strings.HasPrefix(code, r) {
				return true
			}
		}
	}
	return false
}

// Departure days before voting day, by the level of the destination: a
// TPS's kit leaves on H-1, a PPS's on H-2, a PPK's on H-4, a warehouse's
// on H-7, all at 07:00 WIB; a leg to an island leaves islandLead earlier.
var departureDays = map[siaga.Level]int{siaga.LevelTPS: 1, siaga.LevelDesa: 2, siaga.LevelKecamatan: 4,
	siaga.LevelKabKota: 7, siaga.LevelProvince: 7}

const islandLead = 2 // days

// legDuration is how long a leg takes by mode, for the default planned
// arrival (and the board's "not moved for longer than its leg should
// take"). A boat leg takes its crossing plus boatOverhead (to the port,
// loading, unloading).
var legDuration = map[siaga.TransportMode]time.Duration{
	siaga.ModeTruck: 6 * time.Hour, siaga.ModeMinibus: 4 * time.Hour, siaga.ModeMotorbike: 2 * time.Hour,
	siaga.ModeOnFoot: 3 * time.Hour, siaga.ModeBoat: 2 * time.Hour,
}

const boatOverhead = 2 * time.Hour

// LegDuration is how long a shipment's leg should take.
func LegDuration(sh siaga.Shipment) time.Duration {
	d := legDuration[sh.Mode]
	if sh.Mode == siaga.ModeBoat && sh.Sea != nil {
		d = time.Duration(sh.Sea.CrossingM)*time.Minute + boatOverhead
	}
	return d
}

// plan fills the planned departure and arrival left zero.
func (s *Shipments) plan(sh *siaga.Shipment) {
	if sh.PlannedDeparture.IsZero() {
		sh.PlannedDeparture = s.DefaultDeparture(sh.To)
	}
	if sh.PlannedArrival.IsZero() {
		sh.PlannedArrival = sh.PlannedDeparture.Add(LegDuration(*sh))
	}
}

// DefaultDeparture is when a leg bound for to leaves unless planned
// otherwise (departureDays; earlier to an island).
func (s *Shipments) DefaultDeparture(to string) time.Time {
	days := departureDays[siaga.LevelOf(to)]
	if _, ok := s.Island(to); ok {
		days += islandLead
	}
	return s.votingDay().AddDate(0, 0, -days).Add(7 * time.Hour)
}

// votingDay is midnight WIB of the election's date (14 February 2024
// when the election names none).
func (s *Shipments) votingDay() time.Time {
	if s.cfg.Election != nil {
		if t, err := time.ParseInLocation("2006-01-02", s.cfg.Election.Date, siaga.WIB); err == nil {
			return t
		}
	}
	return time.Date(2024, 2, 14, 0, 0, 0, 0, siaga.WIB)
}

// transitions lists, per event, the statuses it may follow and the status
// it leads to. Cancelling is possible until arrival; a hold, before or
// after departure (a boat that does not leave port is held too).
var transitions = map[siaga.ShipmentEventKind]struct {
	from []siaga.ShipmentStatus
	to   siaga.ShipmentStatus
}{
	siaga.EventDeparted:  {[]siaga.ShipmentStatus{siaga.ShipmentPlanned}, siaga.ShipmentDeparted},
	siaga.EventPosition:  {[]siaga.ShipmentStatus{siaga.ShipmentDeparted}, siaga.ShipmentDeparted},
	siaga.EventHeld:      {[]siaga.ShipmentStatus{siaga.ShipmentPlanned, siaga.ShipmentDeparted}, siaga.ShipmentHeld},
	siaga.EventResumed:   {[]siaga.ShipmentStatus{siaga.ShipmentHeld}, siaga.ShipmentDeparted},
	siaga.EventArrived:   {[]siaga.ShipmentStatus{siaga.ShipmentDeparted}, siaga.ShipmentArrived},
	siaga.EventCancelled: {[]siaga.ShipmentStatus{siaga.ShipmentPlanned, siaga.ShipmentDeparted, siaga.ShipmentHeld}, siaga.ShipmentCancelled},
}

// Record applies a status event to its shipment and stores both. The
// same event sent again (same ID) returns the shipment as it is.
func (s *Shipments) Record(ctx context.Context, e siaga.ShipmentEvent) (siaga.Shipment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.record(ctx, e)
}

func (s *Shipments) record(ctx context.Context, e siaga.ShipmentEvent) (siaga.Shipment, error) {
	sh, err := s.cfg.Store.Shipment(ctx, e.Shipment)
	if err != nil {
		return siaga.Shipment{}, err
	}
	if e.ID == "" {
		e.ID = uuid.NewString()
	}
	now := s.now()
	if e.At.IsZero() {
		e.At = now
	}
	if e.Source == "" {
		e.Source = "web"
	}
	e.RecordedAt = now
	if done, err := s.replayed(ctx, e); done || err != nil {
		return sh, err
	}
	next, alerts, err := s.apply(sh, e)
	if err != nil {
		return siaga.Shipment{}, err
	}
	audit := siaga.AuditEvent{At: now, Actor: actor(e.By), Action: siaga.AuditShipmentEvent, Subject: sh.ID, Scope: sh.To,
		Detail: siaga.AuditDetail(map[string]any{"waybill": sh.Waybill, "event": e.ID, "kind": e.Kind,
			"status": next.Status, "reason": e.Reason})}
	if err := s.cfg.Store.AddShipmentEvent(ctx, e, next, alerts, audit); err != nil {
		return siaga.Shipment{}, err
	}
	return s.cfg.Store.Shipment(ctx, sh.ID) // as stored: a replay that raced this one kept the other
}

// replayed reports whether e is stored already: done (and nil) when it is
// the same, EConflict when another event has its ID.
func (s *Shipments) replayed(ctx context.Context, e siaga.ShipmentEvent) (bool, error) {
	events, err := s.cfg.Store.ShipmentEvents(ctx, e.Shipment)
	if err != nil {
		return false, err
	}
	for _, prev := range events {
		if prev.ID != e.ID {
			continue
		}
		if prev.Same(e) {
			return true, nil
		}
		return true, siaga.Errorf(siaga.EConflict, "id", "Kejadian %s sudah tercatat dengan isi lain",
			"event %s is already recorded with other content", e.ID)
	}
	return false, nil
}

// apply is the state machine: sh after e, and the alerts e raises.
func (s *Shipments) apply(sh siaga.Shipment, e siaga.ShipmentEvent) (siaga.Shipment, []siaga.LogisticsAlert, error) {
	t, ok := transitions[e.Kind]
	if !ok {
		return sh, nil, siaga.Errorf(siaga.EInvalid, "kind", "Jenis kejadian %q tidak dikenal (berangkat, posisi, tertahan, lanjut, tiba, batal)",
			"unknown event kind %q (berangkat, posisi, tertahan, lanjut, tiba, batal)", e.Kind)
	}
	if !slices.Contains(t.from, sh.Status) {
		return sh, nil, siaga.Errorf(siaga.EConflict, "kind", "Kiriman %s berstatus %s: tidak bisa dicatat %s",
			"shipment %s is %s: it cannot take the event %s", sh.Waybill, sh.Status, e.Kind)
	}
	if e.At.After(s.now().Add(maxClockSkew)) {
		return sh, nil, siaga.Errorf(siaga.EInvalid, "at", "Waktu kejadian di masa depan", "the event's time is in the future")
	}
	var alerts []siaga.LogisticsAlert
	switch e.Kind {
	case siaga.EventDeparted, siaga.EventResumed:
		if sh.Departed == nil {
			at := e.At
			sh.Departed = &at
		}
	case siaga.EventArrived:
		at := e.At
		sh.Arrived = &at
	case siaga.EventHeld:
		if strings.TrimSpace(e.Reason) == "" {
			return sh, nil, siaga.Errorf(siaga.EInvalid, "reason", "Penundaan perlu alasannya", "a hold needs its reason")
		}
		if e.NewDeparture == nil && e.NewArrival == nil {
			return sh, nil, siaga.Errorf(siaga.EInvalid, "new_departure", "Penundaan perlu rencana baru (berangkat atau tiba)",
				"a hold needs a new plan (departure or arrival)")
		}
		if e.NewDeparture != nil {
			shift := e.NewDeparture.Sub(sh.PlannedDeparture)
			sh.PlannedDeparture = *e.NewDeparture
			if e.NewArrival == nil {
				sh.PlannedArrival = sh.PlannedArrival.Add(shift)
			}
		}
		if e.NewArrival != nil {
			sh.PlannedArrival = *e.NewArrival
		}
		alerts = append(alerts, s.holdAlert(sh, e))
	}
	sh.Status = t.to
	if e.At.After(sh.LastEvent) {
		sh.LastEvent = e.At
	}
	return sh, alerts, nil
}

// maxClockSkew is how far in the future an event's time may be: a phone's
// clock a little ahead is not an error.
const maxClockSkew = 10 * time.Minute

func (s *Shipments) holdAlert(sh siaga.Shipment, e siaga.ShipmentEvent) siaga.LogisticsAlert {
	plan := sh.PlannedDeparture.In(siaga.WIB).Format("2 Jan 15.04")
	return siaga.LogisticsAlert{Kind: siaga.AlertHold, Region: sh.From, TPS: tpsOf(sh.To), Ref: "shipment:" + sh.ID,
		Text: fmt.Sprintf("Kiriman %s ke %s tertahan: %s; rencana baru berangkat %s WIB", sh.Waybill, sh.To, e.Reason, plan),
		EN:   fmt.Sprintf("Shipment %s to %s held: %s; now leaves %s WIB", sh.Waybill, sh.To, e.Reason, plan),
		At:   e.At}
}

// Deliver records the proof of delivery of a shipment: its lines matched
// to the waybill's, a shortfall alerted to the sender and made good by a
// follow-up shipment, all in one transaction. A shipment not yet arrived
// is recorded arrived first. The same delivery sent again returns what
// the first did.
func (s *Shipments) Deliver(ctx context.Context, d siaga.Delivery) (siaga.Shipment, []siaga.Shipment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, err := s.cfg.Store.Shipment(ctx, d.Shipment)
	if err != nil {
		return siaga.Shipment{}, nil, err
	}
	if d.ID == "" {
		d.ID = uuid.NewString()
	}
	now := s.now()
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = now
	}
	if d.Source == "" {
		d.Source = "web"
	}
	d.RecordedAt = now
	if err := s.matchLines(ctx, sh, &d); err != nil {
		return siaga.Shipment{}, nil, err
	}
	if prev, err := s.cfg.Store.Delivery(ctx, sh.ID); err == nil {
		if !prev.Same(d) {
			return siaga.Shipment{}, nil, siaga.Errorf(siaga.EConflict, "id", "Kiriman %s sudah diterima dengan BTTB lain",
				"shipment %s was already received with another proof of delivery", sh.Waybill)
		}
		follow, err := s.followUps(ctx, sh)
		return sh, follow, err
	} else if siaga.ErrorCode(err) != siaga.ENotFound {
		return siaga.Shipment{}, nil, err
	}
	if sh.Status == siaga.ShipmentCancelled {
		return siaga.Shipment{}, nil, siaga.Errorf(siaga.EConflict, "shipment", "Kiriman %s dibatalkan", "shipment %s was cancelled", sh.Waybill)
	}
	if sh.Status != siaga.ShipmentArrived {
		if sh, err = s.arrive(ctx, sh, d); err != nil {
			return siaga.Shipment{}, nil, err
		}
	}
	sh.Status = siaga.ShipmentDelivered
	if d.ReceivedAt.After(sh.LastEvent) {
		sh.LastEvent = d.ReceivedAt
	}
	var alerts []siaga.LogisticsAlert
	var follow []siaga.Shipment
	if d.Discrepant() {
		f := s.followUp(sh, d, now)
		follow = []siaga.Shipment{f}
		alerts = []siaga.LogisticsAlert{discrepancyAlert(sh, d, f)}
	}
	audit := siaga.AuditEvent{At: now, Actor: actor(d.By), Action: siaga.AuditShipmentDelivery, Subject: sh.ID, Scope: sh.To,
		Detail: siaga.AuditDetail(map[string]any{"waybill": sh.Waybill, "delivery": d.ID, "lines": d.Lines,
			"follow_ups": len(follow)})}
	if err := s.cfg.Store.AddDelivery(ctx, d, sh, alerts, follow, audit); err != nil {
		return siaga.Shipment{}, nil, err
	}
	return sh, follow, nil
}

// matchLines checks d's lines against sh's waybill: every waybill line
// counted once, none that is not on it; Sent comes from the waybill.
func (s *Shipments) matchLines(ctx context.Context, sh siaga.Shipment, d *siaga.Delivery) error {
	if strings.TrimSpace(d.Receiver) == "" {
		return siaga.Errorf(siaga.EInvalid, "receiver", "Nama penerima wajib diisi", "the receiver's name is required")
	}
	sent := map[string]int{}
	for _, l := range sh.Lines {
		sent[string(l.Item)+"|"+l.Dapil] = l.Qty
	}
	seen := map[string]bool{}
	for i := range d.Lines {
		l := &d.Lines[i]
		k := string(l.Item) + "|" + l.Dapil
		qty, ok := sent[k]
		field := func(f string) string { return fmt.Sprintf("lines[%d]%s", i, f) }
		switch {
		case !ok:
			return siaga.Errorf(siaga.EInvalid, field(".item"), "%s %s tidak ada di surat jalan %s", "%s %s is not on waybill %s",
				l.Item, l.Dapil, sh.Waybill)
		case seen[k]:
			return siaga.Errorf(siaga.EInvalid, field(".item"), "%s %s dihitung dua kali", "%s %s is counted twice", l.Item, l.Dapil)
		case l.Counted < 0 || l.Damaged < 0 || l.WrongDapil < 0:
			return siaga.Errorf(siaga.EInvalid, field(".counted"), "Jumlah tidak boleh negatif", "counts cannot be negative")
		case l.Counted+l.Damaged+l.WrongDapil > qty:
			return siaga.Errorf(siaga.EInvalid, field(".counted"), "%s: terhitung %d lebih dari %d di surat jalan",
				"%s: %d counted, more than the %d on the waybill", l.Item, l.Counted+l.Damaged+l.WrongDapil, qty)
		}
		seen[k], l.Sent = true, qty
	}
	for _, l := range sh.Lines {
		if !seen[string(l.Item)+"|"+l.Dapil] {
			return siaga.Errorf(siaga.EInvalid, "lines", "%s %s dari surat jalan belum dihitung", "%s %s of the waybill is not counted",
				l.Item, l.Dapil)
		}
	}
	for i, p := range d.Photos {
		if _, err := s.cfg.Store.LogisticsPhoto(ctx, p); siaga.ErrorCode(err) == siaga.ENotFound {
			return siaga.Errorf(siaga.EInvalid, fmt.Sprintf("photos[%d]", i), "Foto %s belum diunggah", "photo %s is not uploaded", p)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// arrive records the arrival a delivery implies, under an ID derived from
// the delivery's, so that a replay records it once.
func (s *Shipments) arrive(ctx context.Context, sh siaga.Shipment, d siaga.Delivery) (siaga.Shipment, error) {
	if sh.Status == siaga.ShipmentPlanned || sh.Status == siaga.ShipmentHeld {
		// Nobody recorded the departure: the kit arrived all the same.
		sh.Status = siaga.ShipmentDeparted
	}
	e := siaga.ShipmentEvent{ID: d.ID + ":tiba", Shipment: sh.ID, Kind: siaga.EventArrived, At: d.ReceivedAt,
		Note: "tiba, dicatat dengan BTTB / arrival recorded with the proof of delivery", Source: d.Source, By: d.By, RecordedAt: d.RecordedAt}
	next, _, err := s.apply(sh, e)
	if err != nil {
		return sh, err
	}
	if done, err := s.replayed(ctx, e); done || err != nil {
		return next, err
	}
	audit := siaga.AuditEvent{At: d.RecordedAt, Actor: actor(d.By), Action: siaga.AuditShipmentEvent, Subject: sh.ID, Scope: sh.To,
		Detail: siaga.AuditDetail(map[string]any{"waybill": sh.Waybill, "event": e.ID, "kind": e.Kind, "status": next.Status})}
	return next, s.cfg.Store.AddShipmentEvent(ctx, e, next, nil, audit)
}

// followUp is the shipment that makes good d's shortfall: the same leg,
// mode and escort, planned now, waybill "<orig>-S1".
func (s *Shipments) followUp(sh siaga.Shipment, d siaga.Delivery, now time.Time) siaga.Shipment {
	f := siaga.Shipment{ID: followUpID(sh.ID), Waybill: sh.Waybill + "-S1", From: sh.From, To: sh.To, Mode: sh.Mode, Sea: sh.Sea,
		Escort: sh.Escort, EscortContact: sh.EscortContact, PlannedDeparture: now, Status: siaga.ShipmentPlanned,
		LastEvent: now, FollowUpOf: sh.ID, Source: d.Source, CreatedBy: d.By, CreatedAt: now}
	for _, l := range d.Lines {
		if n := l.Shortfall(); n > 0 {
			f.Lines = append(f.Lines, siaga.Line{Item: l.Item, Dapil: l.Dapil, Qty: n})
		}
	}
	f.PlannedArrival = now.Add(LegDuration(f))
	return f
}

// followUpID derives the follow-up's ID from its origin's, so that it is
// found from it (followUps) whatever node made it.
func followUpID(origin string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("siaga/logistics/follow-up/"+origin)).String()
}

// followUps returns the follow-up of sh, if it has one.
func (s *Shipments) followUps(ctx context.Context, sh siaga.Shipment) ([]siaga.Shipment, error) {
	f, err := s.cfg.Store.Shipment(ctx, followUpID(sh.ID))
	if siaga.ErrorCode(err) == siaga.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []siaga.Shipment{f}, nil
}

func discrepancyAlert(sh siaga.Shipment, d siaga.Delivery, f siaga.Shipment) siaga.LogisticsAlert {
	var id, en []string
	for _, l := range d.Lines {
		if l.Shortfall() == 0 {
			continue
		}
		what := string(l.Item)
		if l.Dapil != "" {
			what += " " + l.Dapil
		}
		id = append(id, fmt.Sprintf("%s: dikirim %d, diterima baik %d (kurang %d, rusak %d, salah dapil %d)",
			what, l.Sent, l.Counted, l.Short(), l.Damaged, l.WrongDapil))
		en = append(en, fmt.Sprintf("%s: sent %d, received usable %d (missing %d, damaged %d, wrong dapil %d)",
			what, l.Sent, l.Counted, l.Short(), l.Damaged, l.WrongDapil))
	}
	return siaga.LogisticsAlert{Kind: siaga.AlertDiscrepancy, Region: sh.From, TPS: tpsOf(sh.To), Ref: "shipment:" + sh.ID,
		Text: fmt.Sprintf("Selisih penerimaan %s di %s: %s. Kiriman susulan %s dibuat.", sh.Waybill, sh.To, strings.Join(id, "; "), f.Waybill),
		EN:   fmt.Sprintf("Delivery of %s at %s differs: %s. Follow-up %s created.", sh.Waybill, sh.To, strings.Join(en, "; "), f.Waybill),
		At:   d.ReceivedAt}
}

// Get returns a shipment with its events, oldest first, and its proof of
// delivery (nil before it is received).
func (s *Shipments) Get(ctx context.Context, id string) (siaga.Shipment, []siaga.ShipmentEvent, *siaga.Delivery, error) {
	sh, err := s.cfg.Store.Shipment(ctx, id)
	if err != nil {
		return sh, nil, nil, err
	}
	events, err := s.cfg.Store.ShipmentEvents(ctx, id)
	if err != nil {
		return sh, nil, nil, err
	}
	d, err := s.cfg.Store.Delivery(ctx, id)
	if siaga.ErrorCode(err) == siaga.ENotFound {
		return sh, events, nil, nil
	}
	if err != nil {
		return sh, events, nil, err
	}
	return sh, events, &d, nil
}

// List returns the page of shipments f selects and how many it selects.
func (s *Shipments) List(ctx context.Context, f siaga.ShipmentFilter) ([]siaga.Shipment, int, error) {
	return s.cfg.Store.Shipments(ctx, f)
}

// Alerts returns the page of alerts f selects, newest first, and how many
// it selects.
func (s *Shipments) Alerts(ctx context.Context, f siaga.LogisticsAlertFilter) ([]siaga.LogisticsAlert, int, error) {
	return s.cfg.Store.LogisticsAlerts(ctx, f)
}

// Acknowledge marks an alert handled by by.
func (s *Shipments) Acknowledge(ctx context.Context, id int64, by string) error {
	now := s.now()
	return s.cfg.Store.AcknowledgeLogisticsAlert(ctx, id, by, now, siaga.AuditEvent{At: now, Actor: actor(by),
		Action: siaga.AuditLogisticsAck, Subject: fmt.Sprint(id)})
}

// MaxPhotoBytes bounds a photo of a delivery or a handover.
const MaxPhotoBytes = 1 << 20

// SavePhoto stores a JPEG or PNG photo and returns its SHA-256 (hex), by
// which a delivery or a handover names it.
func (s *Shipments) SavePhoto(ctx context.Context, data []byte, by string) (string, error) {
	if len(data) > MaxPhotoBytes {
		return "", siaga.Errorf(siaga.ETooLarge, "photo", "Foto lebih dari 1 MiB", "the photo is over 1 MiB")
	}
	typ := photoType(data)
	if typ == "" {
		return "", siaga.Errorf(siaga.EInvalid, "photo", "Foto harus JPEG atau PNG", "the photo must be a JPEG or a PNG")
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	err := s.cfg.Store.SaveLogisticsPhoto(ctx, siaga.LogisticsPhoto{SHA256: sha, Type: typ, Data: data, By: by, At: s.now()})
	return sha, err
}

// photoType tells a JPEG or a PNG by its first bytes, "" for anything
// else.
func photoType(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "image/jpeg"
	case len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n":
		return "image/png"
	}
	return ""
}

func (s *Shipments) now() time.Time {
	if s.cfg.Now == nil {
		return time.Time{}
	}
	return s.cfg.Now()
}

func actor(by string) string {
	if by == "" {
		return "cli"
	}
	return by
}

func tpsOf(code string) string {
	if siaga.IsTPSCode(code) {
		return code
	}
	return ""
}
