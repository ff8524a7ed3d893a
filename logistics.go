package siaga

import (
	"context"
	"time"
)

// Item is one kind of thing a TPS needs on voting day (docs/logistics.md).
// Its code is stable: it names the item in the needs JSON (SPEC §9), in
// imports and in the boards' filters.
type Item string

// The items of the Pemilu 2024 bill of materials (PKPU 14/2023, Keputusan
// KPU 1281/2023). Ballots are one item per contest; a ballot line also
// carries its dapil, because a lot printed for one dapil is wrong anywhere
// else.
const (
	ItemBallotPPWP     Item = "surat_suara_ppwp"
	ItemBallotDPR      Item = "surat_suara_dpr"
	ItemBallotDPD      Item = "surat_suara_dpd"
	ItemBallotDPRDProv Item = "surat_suara_dprd_prov"
	ItemBallotDPRDKab  Item = "surat_suara_dprd_kab"
	ItemBox            Item = "kotak_suara"
	ItemBooth          Item = "bilik_suara"
	ItemInk            Item = "tinta"
	ItemSeal           Item = "segel"
	ItemFormCHasil     Item = "formulir_c_hasil"
	ItemFormCSalinan   Item = "formulir_c_salinan"
	ItemVoterList      Item = "salinan_dpt" // DPT, DPTb and DCT copies
	ItemStationery     Item = "alat_tulis"
)

// BallotItem is the ballot item of contest c.
func BallotItem(c Contest) Item { return Item("surat_suara_" + string(c)) }

// Contest is the contest a ballot item is for; ok is false for every other
// item.
func (i Item) Contest() (c Contest, ok bool) {
	const prefix = "surat_suara_"
	if len(i) <= len(prefix) || string(i[:len(prefix)]) != prefix {
		return "", false
	}
	c = Contest(i[len(prefix):])
	return c, c.Valid()
}

// Line is a quantity of one item: for a ballot, of one dapil's ballots
// (Dapil is the dapil's name as in the election, "BANTEN III"; empty for
// every item that is not a ballot).
type Line struct {
	Item  Item   `json:"item"`
	Dapil string `json:"dapil,omitempty"`
	Qty   int    `json:"qty"`
}

// Places along the chain are codes: a kab/kota code is its KPU warehouse
// (gudang), a kecamatan code its PPK, a desa code its PPS, a TPS code the
// TPS; the province code is the KPU province's warehouse. LevelOf tells
// which.

// TransportMode is how a shipment travels.
type TransportMode string

const (
	ModeTruck     TransportMode = "truk"
	ModeMinibus   TransportMode = "minibus"
	ModeBoat      TransportMode = "kapal"
	ModeMotorbike TransportMode = "motor"
	ModeOnFoot    TransportMode = "jalan_kaki"
)

// TransportModes lists the modes.
var TransportModes = []TransportMode{ModeTruck, ModeMinibus, ModeBoat, ModeMotorbike, ModeOnFoot}

// SeaRoute is the crossing of a shipment that goes by sea: islands are
// first-class routes, not a note on a truck's waybill.
type SeaRoute struct {
	Port       string `json:"port"`        // port of departure: "Pelabuhan Karangantu"
	Vessel     string `json:"vessel"`      // "KM Tunda Ekspress"
	CrossingM  int    `json:"crossing_m"`  // crossing time in minutes
	EscortBoat string `json:"escort_boat"` // "Kapal Ditpolairud Polda Banten"
}

// ShipmentStatus is where a shipment is in its life.
type ShipmentStatus string

const (
	ShipmentPlanned   ShipmentStatus = "direncanakan"
	ShipmentDeparted  ShipmentStatus = "berangkat"
	ShipmentHeld      ShipmentStatus = "tertahan" // held: weather, a road cut; with a reason and a new plan
	ShipmentArrived   ShipmentStatus = "tiba"     // at the destination, not yet counted
	ShipmentDelivered ShipmentStatus = "diterima" // counted and signed for (BTTB)
	ShipmentCancelled ShipmentStatus = "dibatalkan"
)

// Shipment is one waybill (surat jalan): items moving along one leg of the
// chain, from a warehouse to a PPK, a PPK to a PPS, a PPS to a TPS.
type Shipment struct {
	ID      string `json:"id"`      // uuid, set by the store when empty
	Waybill string `json:"waybill"` // surat jalan number, unique
	From    string `json:"from"`    // a place code (see above)
	To      string `json:"to"`
	Lines   []Line `json:"lines"`

	Mode          TransportMode `json:"mode"`
	Sea           *SeaRoute     `json:"sea,omitempty"`
	Escort        string        `json:"escort,omitempty"`         // unit: "Polres Serang", "Kodim 0602", "Ditpolairud Polda Banten"
	EscortContact string        `json:"escort_contact,omitempty"` // staff data: never public

	PlannedDeparture time.Time      `json:"planned_departure"`
	PlannedArrival   time.Time      `json:"planned_arrival"`
	Departed         *time.Time     `json:"departed,omitempty"`
	Arrived          *time.Time     `json:"arrived,omitempty"`
	Status           ShipmentStatus `json:"status"`
	// LastEvent is when its latest status event happened (its creation
	// before any): what "has not moved for longer than its leg should
	// take" is measured from.
	LastEvent time.Time `json:"last_event"`
	// FollowUpOf is the shipment whose shortfall this one makes good.
	FollowUpOf string `json:"follow_up_of,omitempty"`

	Source    string    `json:"source"` // web, import, lapangan, demo
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ShipmentEventKind is what happened to a shipment.
type ShipmentEventKind string

const (
	EventDeparted  ShipmentEventKind = "berangkat"
	EventPosition  ShipmentEventKind = "posisi" // a checkpoint passed, a port reached
	EventHeld      ShipmentEventKind = "tertahan"
	EventResumed   ShipmentEventKind = "lanjut"
	EventArrived   ShipmentEventKind = "tiba"
	EventCancelled ShipmentEventKind = "batal"
)

// ShipmentEvent is one status event of a shipment, from the web, the field
// app (offline through its outbox) or an import. ID is the sender's: a
// replay of the same event is the same event, not a second one.
type ShipmentEvent struct {
	ID       string            `json:"id"`
	Shipment string            `json:"shipment"`
	Kind     ShipmentEventKind `json:"kind"`
	At       time.Time         `json:"at"`
	Place    string            `json:"place,omitempty"` // free text: "Pelabuhan Karangantu"
	Lat      float64           `json:"lat,omitempty"`
	Lon      float64           `json:"lon,omitempty"`
	Note     string            `json:"note,omitempty"`
	// Reason and the new plan of a hold (EventHeld): "gelombang 2,5 m"
	// and when it now leaves and arrives.
	Reason       string     `json:"reason,omitempty"`
	NewDeparture *time.Time `json:"new_departure,omitempty"`
	NewArrival   *time.Time `json:"new_arrival,omitempty"`
	Source       string     `json:"source"`
	By           string     `json:"by,omitempty"` // actor: "user:12", "device:…"
	RecordedAt   time.Time  `json:"recorded_at"`
}

// DeliveryLine is one counted line of a proof of delivery.
type DeliveryLine struct {
	Item       Item   `json:"item"`
	Dapil      string `json:"dapil,omitempty"`
	Sent       int    `json:"sent"`        // on the waybill
	Counted    int    `json:"counted"`     // good ones counted on arrival
	Damaged    int    `json:"damaged"`     // arrived but unusable
	WrongDapil int    `json:"wrong_dapil"` // ballots of another dapil, unusable here
}

// Short is how many of the line are missing: sent but not counted,
// damaged nor of the wrong dapil.
func (l DeliveryLine) Short() int {
	return max(0, l.Sent-l.Counted-l.Damaged-l.WrongDapil)
}

// Shortfall is how many usable items the line lacks.
func (l DeliveryLine) Shortfall() int { return max(0, l.Sent-l.Counted) }

// Delivery is the proof of delivery (BTTB, bukti tanda terima barang) of
// one shipment: what the receiver counted, signed by name.
type Delivery struct {
	ID         string         `json:"id"` // the sender's id: a replay is the same delivery
	Shipment   string         `json:"shipment"`
	Receiver   string         `json:"receiver"` // the receiver's name: staff data
	ReceivedAt time.Time      `json:"received_at"`
	Lines      []DeliveryLine `json:"lines"`
	Photos     []string       `json:"photos,omitempty"` // sha256 hex of stored photos
	Note       string         `json:"note,omitempty"`
	Source     string         `json:"source"`
	By         string         `json:"by,omitempty"`
	RecordedAt time.Time      `json:"recorded_at"`
}

// Discrepant reports whether any line is short, damaged or of the wrong
// dapil.
func (d Delivery) Discrepant() bool {
	for _, l := range d.Lines {
		if l.Shortfall() > 0 {
			return true
		}
	}
	return false
}

// LogisticsAlertKind is what a logistics alert is about.
type LogisticsAlertKind string

const (
	AlertDiscrepancy LogisticsAlertKind = "selisih"     // a delivery short, damaged or of the wrong dapil
	AlertHold        LogisticsAlertKind = "tertahan"    // a shipment held (weather)
	AlertStalled     LogisticsAlertKind = "macet"       // not moved for longer than its leg should take
	AlertSeal        LogisticsAlertKind = "segel"       // a broken or mismatched seal on a sealed box (custody)
	AlertCustodyLate LogisticsAlertKind = "kotak_telat" // a TPS's boxes not back at the PPK in time
	AlertBallots     LogisticsAlertKind = "surat_suara" // damaged or missing ballot lots
)

// LogisticsAlert is an alert raised to a region's staff: a discrepancy to
// the sender's region, a broken seal to Bawaslu. Region is the region
// whose staff (in scope) see it; Role, when set, narrows who must act
// ("bawaslu" for seals). Ref names what it is about: "shipment:<id>",
// "handover:<id>", "lot:<id>".
type LogisticsAlert struct {
	ID             int64              `json:"id"` // set by the store
	Kind           LogisticsAlertKind `json:"kind"`
	Region         string             `json:"region"`
	Role           Role               `json:"role,omitempty"`
	TPS            string             `json:"tps,omitempty"`
	Ref            string             `json:"ref"`
	Text           string             `json:"text"`
	EN             string             `json:"en"`
	At             time.Time          `json:"at"`
	AcknowledgedBy string             `json:"acknowledged_by,omitempty"`
	AcknowledgedAt *time.Time         `json:"acknowledged_at,omitempty"`
}

// ShipmentFilter selects shipments; the zero value selects all.
type ShipmentFilter struct {
	// Region is a code prefix matched against the destination (To): a
	// kecamatan's shipments are those bound for it and below it.
	Region string
	// Status, when set, keeps only shipments in one of these statuses.
	Status []ShipmentStatus
	Item   Item   // keeps shipments carrying this item
	Sea    bool   // keeps sea routes only
	After  string // cursor: the ID of the last shipment of the previous page
	Limit  int    // 0 for all
	// Escorted keeps the shipments with an escort unit: the legs an
	// escort (aparat) may update.
	Escorted bool

	// Mode, when set, keeps shipments travelling by this mode.
	Mode TransportMode
	// Waybill, when set, keeps shipments whose waybill number contains it,
	// whatever the case: what the list page's search box finds.
	Waybill string
	// LateAt, when set, keeps the shipments late at that moment: planned
	// to arrive before it, not arrived, not cancelled.
	LateAt time.Time
	// FollowUpOf, when set, keeps the follow-ups of that shipment (its ID).
	FollowUpOf string
}

// LogisticsAlertFilter selects alerts, newest first.
type LogisticsAlertFilter struct {
	Region string // a code prefix of the alert's region
	Kind   LogisticsAlertKind
	Role   Role  // when set, alerts for this role and for every role
	Open   bool  // only those not acknowledged
	Before int64 // cursor: alerts with a smaller ID
	Limit  int
}

// ShipmentStore keeps shipments, their events, their proofs of delivery
// and the logistics alerts (package logistics is its service;
// docs/logistics.md). Each write is one transaction with its audit
// entries and its alerts: a delivery that is short is never stored without
// its alert and its follow-up shipment.
type ShipmentStore interface {
	// SaveShipments creates or replaces (same ID or waybill) shipments in
	// one transaction: an import stores all its rows or none.
	SaveShipments(ctx context.Context, ss []Shipment, audit ...AuditEvent) error
	Shipment(ctx context.Context, id string) (Shipment, error) // ENotFound
	// Shipments returns the shipments f selects, ordered by ID, and how
	// many match without Limit/After.
	Shipments(ctx context.Context, f ShipmentFilter) (page []Shipment, total int, err error)
	// AddShipmentEvent stores e and the shipment's new state s in one
	// transaction; an event ID already stored changes nothing and returns
	// EConflict unless the stored event is the same.
	AddShipmentEvent(ctx context.Context, e ShipmentEvent, s Shipment, alerts []LogisticsAlert, audit ...AuditEvent) error
	ShipmentEvents(ctx context.Context, shipment string) ([]ShipmentEvent, error) // oldest first
	// EachShipmentEvent calls fn for every event of the shipments bound for
	// region (a code prefix of To), oldest first: what a board replays.
	EachShipmentEvent(ctx context.Context, region string, fn func(*ShipmentEvent) error) error
	// AddDelivery stores d with the shipment's new state, its alerts and
	// its follow-up shipments in one transaction.
	AddDelivery(ctx context.Context, d Delivery, s Shipment, alerts []LogisticsAlert, followUps []Shipment, audit ...AuditEvent) error
	Delivery(ctx context.Context, shipment string) (Delivery, error) // ENotFound
	// Deliveries returns the deliveries of the shipments bound for region.
	Deliveries(ctx context.Context, region string) ([]Delivery, error)

	// SaveLogisticsPhoto stores a photo of a proof of delivery or a
	// handover, keyed by its SHA-256; the same photo twice is stored once.
	SaveLogisticsPhoto(ctx context.Context, p LogisticsPhoto) error
	LogisticsPhoto(ctx context.Context, sha256 string) (LogisticsPhoto, error) // ENotFound

	// AddLogisticsAlerts stores alerts outside any other change.
	AddLogisticsAlerts(ctx context.Context, alerts []LogisticsAlert) error
	LogisticsAlerts(ctx context.Context, f LogisticsAlertFilter) (page []LogisticsAlert, total int, err error)
	AcknowledgeLogisticsAlert(ctx context.Context, id int64, by string, at time.Time, audit ...AuditEvent) error

	// ImportShipments stores an import in one transaction: ss as
	// SaveShipments does, the proofs of delivery of those already received
	// (an office's export of its deliveries) and the alerts of their
	// discrepancies. A delivery already stored for its shipment changes
	// nothing when it is the same and is EConflict when not; nothing is
	// stored then.
	ImportShipments(ctx context.Context, ss []Shipment, ds []Delivery, alerts []LogisticsAlert, audit ...AuditEvent) error
}

// LogisticsPhoto is a JPEG or PNG taken at a delivery or a handover:
// evidence, staff data.
type LogisticsPhoto struct {
	SHA256 string    `json:"sha256"` // hex
	Type   string    `json:"type"`   // image/jpeg, image/png
	Data   []byte    `json:"-"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
}

// Handover is one handover, after voting, of a TPS's sealed ballot boxes
// and C.Hasil envelopes along TPS → PPS → PPK, as the receiver found them.
// ID is the sender's: a replay is the same handover.
type Handover struct {
	ID        string `json:"id"`
	TPS       string `json:"tps"`
	From      string `json:"from"` // the TPS code, then its desa (PPS), …
	To        string `json:"to"`   // … its desa (PPS), then its kecamatan (PPK)
	Boxes     int    `json:"boxes"`
	Envelopes int    `json:"envelopes"` // C.Hasil envelopes
	// Seals are the seal numbers on the boxes as the receiver read them;
	// BrokenSeals those among them found broken. A seal number that differs
	// from the previous handover's, or a broken one, is an alert to
	// Bawaslu.
	Seals       []string  `json:"seals"`
	BrokenSeals []string  `json:"broken_seals,omitempty"`
	GivenBy     string    `json:"given_by"`    // names: staff data
	ReceivedBy  string    `json:"received_by"` //
	At          time.Time `json:"at"`
	Photos      []string  `json:"photos,omitempty"` // sha256 of LogisticsPhoto
	Note        string    `json:"note,omitempty"`
	Source      string    `json:"source"`
	By          string    `json:"by,omitempty"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// CustodyStore keeps the handovers of the sealed boxes.
type CustodyStore interface {
	// AddHandover stores h with its alerts (into the logistics alerts)
	// and audit entries in one transaction. A handover ID already stored
	// changes nothing: EConflict unless the stored one is the same.
	AddHandover(ctx context.Context, h Handover, alerts []LogisticsAlert, audit ...AuditEvent) error
	// Handovers returns the handovers of the TPS under region (a code
	// prefix), ordered by TPS then time.
	Handovers(ctx context.Context, region string) ([]Handover, error)
}

// Same reports whether e and o are the same event sent twice (the field
// app's outbox replays, a second node): the same shipment, kind, time,
// place and hold plan. Who relayed it, through which source and when it
// was recorded may differ between the copies.
func (e ShipmentEvent) Same(o ShipmentEvent) bool {
	return e.ID == o.ID && e.Shipment == o.Shipment && e.Kind == o.Kind && e.At.Equal(o.At) &&
		e.Place == o.Place && e.Lat == o.Lat && e.Lon == o.Lon && e.Note == o.Note && e.Reason == o.Reason &&
		sameTime(e.NewDeparture, o.NewDeparture) && sameTime(e.NewArrival, o.NewArrival)
}

// Same reports whether d and o are the same proof of delivery sent twice:
// the same shipment, receiver, time and counted lines. The Sent column
// and the source may differ (the service fills Sent from the waybill).
func (d Delivery) Same(o Delivery) bool {
	if d.ID != o.ID || d.Shipment != o.Shipment || d.Receiver != o.Receiver || !d.ReceivedAt.Equal(o.ReceivedAt) ||
		len(d.Lines) != len(o.Lines) {
		return false
	}
	for i, l := range d.Lines {
		m := o.Lines[i]
		if l.Item != m.Item || l.Dapil != m.Dapil || l.Counted != m.Counted || l.Damaged != m.Damaged || l.WrongDapil != m.WrongDapil {
			return false
		}
	}
	return true
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// Audited actions of the shipments (package logistics).
const (
	AuditShipmentSave     = "logistics.shipment" // created, or imported (the detail says how many)
	AuditShipmentEvent    = "logistics.event"    // a status event: departed, held, arrived…
	AuditShipmentDelivery = "logistics.delivery" // a proof of delivery (BTTB) recorded
	AuditLogisticsAck     = "logistics.ack"      // a logistics alert acknowledged
)
