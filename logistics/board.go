package logistics

import (
	"fmt"
	"slices"
	"time"

	"github.com/deskpemilu/siaga"
)

// The readiness board (docs/logistics.md, "Papan kesiapan"): what every
// TPS's kit looks like at a moment T, replayed from its shipments' events
// up to T, and which shipments are late, short, held or stalled.

// KitStatus is where a TPS's kit stands at a moment: one name through the
// board, its exports, the readiness map's layer and the readiness API.
type KitStatus string

// The kit statuses, worst first.
const (
	KitNone      KitStatus = "belum"            // nothing shipped to it (or all cancelled)
	KitHeld      KitStatus = "tertahan"         // a shipment to it is held
	KitLate      KitStatus = "terlambat"        // a shipment to it is past its planned arrival, not arrived
	KitShort     KitStatus = "kurang"           // delivered, a line short of need (or of the wrong dapil), nothing on its way to make it good
	KitInTransit KitStatus = "dalam_perjalanan" // on its way (or arrived, not yet counted), not late
	KitPlanned   KitStatus = "direncanakan"     // planned, not left yet
	KitComplete  KitStatus = "lengkap"          // every line counted at least as needed
)

// KitStatuses lists the statuses, worst first.
var KitStatuses = []KitStatus{KitNone, KitHeld, KitLate, KitShort, KitInTransit, KitPlanned, KitComplete}

// Index is the status's place in KitStatuses, -1 for an unknown one.
func (k KitStatus) Index() int {
	for i, s := range KitStatuses {
		if s == k {
			return i
		}
	}
	return -1
}

// Valid reports whether k is one of KitStatuses.
func (k KitStatus) Valid() bool { return k.Index() >= 0 }

// Words are the status in Bahasa Indonesia and in English, for pages and
// legends.
func (k KitStatus) Words() (id, en string) {
	switch k {
	case KitNone:
		return "Belum dikirim", "nothing shipped"
	case KitHeld:
		return "Tertahan", "held"
	case KitLate:
		return "Terlambat", "late"
	case KitShort:
		return "Kurang", "short"
	case KitInTransit:
		return "Dalam perjalanan", "in transit"
	case KitPlanned:
		return "Direncanakan", "planned"
	case KitComplete:
		return "Lengkap", "complete"
	}
	return string(k), string(k)
}

// ShipmentState is a shipment as it stood at a moment At: its events and
// its proof of delivery up to At replayed, nothing after.
type ShipmentState struct {
	Shipment *siaga.Shipment
	At       time.Time
	// Exists is false when the shipment was not yet created at At.
	Exists bool
	Status siaga.ShipmentStatus
	// PlannedArrival is the plan at At: the waybill's, or the new plan of
	// its latest hold.
	PlannedArrival time.Time
	// LastEvent is when it last moved (or was created) up to At.
	LastEvent time.Time
	Reason    string // of the hold it is in
	// Late: not arrived (nor held, nor cancelled) and At is past its
	// planned arrival.
	Late bool
	// Stalled (macet): on its way, not held, and nothing heard of it for
	// longer than its leg should take (Expected).
	Stalled bool
	// Delivery is its proof of delivery when received by At.
	Delivery *siaga.Delivery
}

// Pending reports whether it still counts as coming: neither delivered
// nor cancelled.
func (s ShipmentState) Pending() bool {
	return s.Exists && s.Status != siaga.ShipmentDelivered && s.Status != siaga.ShipmentCancelled
}

// Short is how many usable items its delivery lacks (0 before delivery).
func (s ShipmentState) Short() int { return s.shortOf(nil) }

// shortOf is Short counting only the items keep accepts (nil: all).
func (s ShipmentState) shortOf(keep func(siaga.Item) bool) int {
	if s.Delivery == nil {
		return 0
	}
	n := 0
	for _, l := range s.Delivery.Lines {
		if keep == nil || keep(l.Item) {
			n += l.Shortfall()
		}
	}
	return n
}

func byTime(a, b siaga.ShipmentEvent) int { return a.At.Compare(b.At) }

// Expected is how long a leg should take: its planned arrival less its
// planned departure, and at least its sea crossing. A shipment on its way
// that has not moved for longer than that is stalled (macet).
func Expected(sh *siaga.Shipment) time.Duration {
	d := max(0, sh.PlannedArrival.Sub(sh.PlannedDeparture))
	if sh.Sea != nil {
		d = max(d, time.Duration(sh.Sea.CrossingM)*time.Minute)
	}
	return d
}

// StateAt replays sh's events (any order) and its delivery (nil for none)
// up to at. A shipment exists from its creation, or from its first event
// or delivery when those are older (an import of last week's waybills).
func StateAt(sh *siaga.Shipment, events []siaga.ShipmentEvent, d *siaga.Delivery, at time.Time) ShipmentState {
	s := ShipmentState{Shipment: sh, At: at, Status: siaga.ShipmentPlanned, PlannedArrival: sh.PlannedArrival, LastEvent: sh.CreatedAt}
	s.Exists = sh.CreatedAt.IsZero() || !sh.CreatedAt.After(at)
	if s.LastEvent.After(at) {
		s.LastEvent = time.Time{}
	}
	departed := false
	// The store gives events oldest first; any other order is sorted here.
	if !slices.IsSortedFunc(events, byTime) {
		events = slices.Clone(events)
		slices.SortStableFunc(events, byTime)
	}
	for i := range events {
		if events[i].At.After(at) {
			break
		}
		e := &events[i]
		s.Exists = true
		if e.At.After(s.LastEvent) {
			s.LastEvent = e.At
		}
		if s.Status == siaga.ShipmentCancelled {
			continue
		}
		switch e.Kind {
		case siaga.EventDeparted, siaga.EventPosition:
			departed = true
			if s.Status != siaga.ShipmentArrived {
				s.Status = siaga.ShipmentDeparted
			}
		case siaga.EventHeld:
			s.Status, s.Reason = siaga.ShipmentHeld, e.Reason
			if e.NewArrival != nil {
				s.PlannedArrival = *e.NewArrival
			}
		case siaga.EventResumed:
			s.Status, s.Reason = siaga.ShipmentPlanned, ""
			if departed {
				s.Status = siaga.ShipmentDeparted
			}
		case siaga.EventArrived:
			s.Status = siaga.ShipmentArrived
		case siaga.EventCancelled:
			s.Status = siaga.ShipmentCancelled
		}
	}
	if d != nil && !d.ReceivedAt.After(at) && s.Status != siaga.ShipmentCancelled {
		s.Exists, s.Status, s.Delivery = true, siaga.ShipmentDelivered, d
		if d.ReceivedAt.After(s.LastEvent) {
			s.LastEvent = d.ReceivedAt
		}
	}
	if !s.Exists {
		return s
	}
	moving := s.Status == siaga.ShipmentDeparted
	s.Late = (moving || s.Status == siaga.ShipmentPlanned) && at.After(s.PlannedArrival) && !s.PlannedArrival.IsZero()
	s.Stalled = moving && at.Sub(s.LastEvent) > Expected(sh)
	return s
}

// Kit is the status of a TPS's kit from what it needs and the states of
// the shipments bound to it (at one moment), counting only the items keep
// accepts (nil: all). The rule, in order:
//
//   - belum: no shipment carrying a kept item exists (or all cancelled);
//   - lengkap: what was counted on delivery (good ones, of the TPS's own
//     dapil for ballots) covers every line of the need;
//   - tertahan: one still coming is held;
//   - terlambat: one still coming is past its planned arrival;
//   - kurang: something was delivered and what was counted plus what is
//     still coming does not cover the need (short, damaged or of the wrong
//     dapil, with nothing on its way to make it good);
//   - dalam_perjalanan: one is on its way, or arrived and not yet counted;
//   - direncanakan: what is still coming has not left.
func Kit(need []siaga.Line, legs []ShipmentState, keep func(siaga.Item) bool) KitStatus {
	if keep == nil {
		keep = func(siaga.Item) bool { return true }
	}
	live, delivered := false, false
	var held, late, moving, planned bool
	for i := range legs {
		l := &legs[i]
		if !l.Exists || l.Status == siaga.ShipmentCancelled || !carries(l.Shipment, keep) {
			continue
		}
		live = true
		switch {
		case l.Delivery != nil:
			delivered = true
		case l.Status == siaga.ShipmentHeld:
			held = true
		case l.Late:
			late = true
		case l.Status == siaga.ShipmentDeparted || l.Status == siaga.ShipmentArrived:
			moving = true
		default:
			planned = true
		}
	}
	if !live {
		return KitNone
	}
	// A TPS needs some ten lines and gets a shipment or two: sums by
	// scanning are cheaper than maps, 33,324 times per board.
	complete, covered := true, true
	for _, n := range need {
		if !keep(n.Item) {
			continue
		}
		counted, coming := 0, 0
		for i := range legs {
			l := &legs[i]
			if !l.Exists || l.Status == siaga.ShipmentCancelled {
				continue
			}
			if l.Delivery != nil {
				for _, dl := range l.Delivery.Lines {
					if dl.Item == n.Item && dl.Dapil == n.Dapil {
						counted += dl.Counted
					}
				}
				continue
			}
			for _, sl := range l.Shipment.Lines {
				if sl.Item == n.Item && sl.Dapil == n.Dapil {
					coming += sl.Qty
				}
			}
		}
		complete = complete && counted >= n.Qty
		covered = covered && counted+coming >= n.Qty
	}
	switch {
	case complete:
		return KitComplete
	case held:
		return KitHeld
	case late:
		return KitLate
	case delivered && !covered:
		return KitShort
	case moving:
		return KitInTransit
	case planned:
		return KitPlanned
	}
	return KitShort // all delivered, none coming, not complete
}

// carries reports whether sh has a line of an item keep accepts.
func carries(sh *siaga.Shipment, keep func(siaga.Item) bool) bool {
	for _, l := range sh.Lines {
		if keep(l.Item) {
			return true
		}
	}
	return false
}

// Countdown is how far a moment is from voting day, as the board's header
// says it: "H-3, 1 hari 5 jam lagi menuju H-1".
type Countdown struct {
	// Day is the moment's day relative to voting day, counted in calendar
	// days in WIB as KPU counts them: -3 for H-3 (11 February 2024), 0
	// voting day, 2 for H+2.
	Day int `json:"day"`
	// ToH1 is the time left until H-1 begins (00:00 WIB), 0 from then on.
	ToH1 time.Duration `json:"to_h1_ns"`
	Text string        `json:"text"`
	EN   string        `json:"en"`
}

// CountdownAt says where at stands from votingDay (YYYY-MM-DD, WIB).
func CountdownAt(at time.Time, votingDay string) Countdown {
	vd, err := time.ParseInLocation(time.DateOnly, votingDay, siaga.WIB)
	if err != nil {
		return Countdown{Text: "Tanggal pemungutan suara tidak diketahui", EN: "voting day unknown"}
	}
	w := at.In(siaga.WIB)
	today := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, siaga.WIB)
	c := Countdown{Day: int(today.Sub(vd).Round(time.Hour) / (24 * time.Hour))}
	h1 := vd.AddDate(0, 0, -1)
	switch {
	case c.Day < -1:
		c.ToH1 = h1.Sub(at)
		days, hours := int(c.ToH1/(24*time.Hour)), int(c.ToH1%(24*time.Hour)/time.Hour)
		c.Text = fmt.Sprintf("H%d, %d hari %d jam lagi menuju H-1", c.Day, days, hours)
		c.EN = fmt.Sprintf("D%d, %d days %d hours to D-1", c.Day, days, hours)
	case c.Day == -1:
		c.Text, c.EN = "H-1: hari terakhir sebelum pemungutan suara", "D-1: the last day before voting"
	case c.Day == 0:
		c.Text, c.EN = "Hari H: pemungutan suara hari ini", "voting day: today"
	default:
		c.Text = fmt.Sprintf("H+%d: pemungutan suara sudah berlangsung (%s)", c.Day, votingDay)
		c.EN = fmt.Sprintf("D+%d: voting day has passed (%s)", c.Day, votingDay)
	}
	return c
}
