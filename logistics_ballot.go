package siaga

import (
	"context"
	"time"
)

// Ballot lots (docs/logistics.md, "Surat suara"): the printer delivers the
// ballots of one contest and one dapil to a KPU kab/kota warehouse in lots;
// the warehouse sorts and folds them, counts the damaged ones, returns
// them to the printer and asks for replacements. What a warehouse lacks
// at any moment is its TPS' need less what it holds usable.

// BallotEventKind is what happened to (part of) a lot.
type BallotEventKind string

const (
	BallotSorted               BallotEventKind = "sortir"       // sorted
	BallotFolded               BallotEventKind = "lipat"        // folded
	BallotDamaged              BallotEventKind = "rusak"        // found damaged, with a reason
	BallotReturned             BallotEventKind = "retur"        // damaged ones sent back to the printer
	BallotReplacementRequested BallotEventKind = "minta_ganti"  // replacement asked of KPU
	BallotReplacementReceived  BallotEventKind = "terima_ganti" // replacement received
)

// BallotEventKinds lists the kinds in the order of a lot's life.
var BallotEventKinds = []BallotEventKind{BallotSorted, BallotFolded, BallotDamaged, BallotReturned,
	BallotReplacementRequested, BallotReplacementReceived}

// Valid reports whether k is a known kind.
func (k BallotEventKind) Valid() bool {
	for _, v := range BallotEventKinds {
		if k == v {
			return true
		}
	}
	return false
}

// DamageReason is why a ballot is unusable.
type DamageReason string

const (
	DamageFaded   DamageReason = "pudar"        // faded colour: most of Banten's in January 2024
	DamageTorn    DamageReason = "sobek"        // torn
	DamageStained DamageReason = "noda"         // stained
	DamageMiscut  DamageReason = "salah_potong" // mis-cut
	DamageOther   DamageReason = "lainnya"
)

// DamageReasons lists the reasons.
var DamageReasons = []DamageReason{DamageFaded, DamageTorn, DamageStained, DamageMiscut, DamageOther}

// Valid reports whether r is a known reason.
func (r DamageReason) Valid() bool {
	for _, v := range DamageReasons {
		if r == v {
			return true
		}
	}
	return false
}

// Audit actions of the ballot lots.
const (
	AuditBallotLot   = "ballot.lot"
	AuditBallotEvent = "ballot.event"
)

// BallotLot is one lot of ballots of one contest and dapil received at a
// KPU kab/kota warehouse.
type BallotLot struct {
	ID        int64   `json:"id"`        // set by the store
	Warehouse string  `json:"warehouse"` // the kab/kota code
	Contest   Contest `json:"contest"`
	// Dapil is the dapil's name as in the election ("BANTEN III"); empty
	// for the presidential ballots, which have none.
	Dapil      string    `json:"dapil,omitempty"`
	Number     string    `json:"number"` // the printer's lot number
	Printer    string    `json:"printer,omitempty"`
	Received   int       `json:"received"`
	ReceivedAt time.Time `json:"received_at"`
	By         string    `json:"by,omitempty"` // who recorded it: staff data
	Note       string    `json:"note,omitempty"`
}

// BallotEvent is one thing done to Qty ballots of a lot.
type BallotEvent struct {
	ID     int64           `json:"id"` // set by the store
	Lot    int64           `json:"lot"`
	Kind   BallotEventKind `json:"kind"`
	Reason DamageReason    `json:"reason,omitempty"` // BallotDamaged only
	Qty    int             `json:"qty"`
	At     time.Time       `json:"at"`
	By     string          `json:"by,omitempty"` // staff data
	Note   string          `json:"note,omitempty"`
}

// BallotFilter selects lots; the zero value selects all.
type BallotFilter struct {
	Region  string // a code prefix of the warehouse (the province, a kab/kota)
	Contest Contest
	Dapil   string
	After   int64 // cursor: the ID of the previous page's last lot
	Limit   int   // ≤ 0: all
}

// BallotTotal is what a warehouse holds of one contest's dapil: the sums
// over its lots and their events.
type BallotTotal struct {
	Warehouse            string               `json:"warehouse"`
	Contest              Contest              `json:"contest"`
	Dapil                string               `json:"dapil"`
	Lots                 int                  `json:"lots"`
	Received             int                  `json:"received"`
	Sorted               int                  `json:"sorted"`
	Folded               int                  `json:"folded"`
	Damaged              int                  `json:"damaged"`
	DamagedBy            map[DamageReason]int `json:"damaged_by"`
	Returned             int                  `json:"returned"`
	ReplacementRequested int                  `json:"replacement_requested"`
	ReplacementReceived  int                  `json:"replacement_received"`
}

// Usable is how many good ballots the warehouse holds: received plus
// replacements received, less the damaged.
func (t BallotTotal) Usable() int { return t.Received + t.ReplacementReceived - t.Damaged }

// BallotStore keeps the ballot lots and their events, each write with its
// audit entries in one transaction.
type BallotStore interface {
	// AddBallotLot stores l and sets l.ID; the same lot number for the same
	// warehouse and contest twice is EConflict.
	AddBallotLot(ctx context.Context, l *BallotLot, audit ...AuditEvent) error
	// AddBallotEvent stores e and sets e.ID. An unknown lot is ENotFound;
	// an event after which the lot's damaged ballots would outnumber those
	// it received (with their replacements) is EInvalid naming "qty",
	// checked in the same transaction as the write.
	// alerts (a damage found: AlertBallots) are stored in its transaction.
	AddBallotEvent(ctx context.Context, e *BallotEvent, alerts []LogisticsAlert, audit ...AuditEvent) error
	BallotLot(ctx context.Context, id int64) (BallotLot, error) // ENotFound
	// BallotLots returns the lots f selects in ID order and how many it
	// selects without After and Limit.
	BallotLots(ctx context.Context, f BallotFilter) (page []BallotLot, total int, err error)
	// BallotTotals sums the lots and events of the warehouses under region
	// (a code prefix) up to asOf (zero: everything), per warehouse,
	// contest and dapil, in that order.
	BallotTotals(ctx context.Context, region string, asOf time.Time) ([]BallotTotal, error)
}
