package siaga

import (
	"context"
	"time"
)

// PostponementKind says what is held again after a disruption on voting
// day (PKPU 25/2023 Pasal 109–111; docs/postponement.md).
type PostponementKind string

const (
	// PostponementPSL, pemungutan suara lanjutan: part of the voting or of
	// the counting stopped (a flood, a riot, a blackout) and continues
	// later from where it stopped.
	PostponementPSL PostponementKind = "psl"
	// PostponementPSS, pemungutan suara susulan: the whole voting could
	// not take place and is held again.
	PostponementPSS PostponementKind = "pss"
)

// Valid reports whether k is a known kind.
func (k PostponementKind) Valid() bool { return k == PostponementPSL || k == PostponementPSS }

// Name is the kind as the law names it.
func (k PostponementKind) Name() string {
	switch k {
	case PostponementPSL:
		return "pemungutan suara lanjutan"
	case PostponementPSS:
		return "pemungutan suara susulan"
	}
	return string(k)
}

// The stages a PSL continues from. A PSS has none: everything is held
// again.
const (
	StageVoting   = "pemungutan"   // the voting stopped
	StageCounting = "penghitungan" // the voting ended, the counting stopped
)

// PostponementStatus is how far the decision chain went.
type PostponementStatus string

const (
	PostponementReported    PostponementStatus = "dilaporkan"       // KPPS or PPK reported the disruption
	PostponementRecommended PostponementStatus = "direkomendasikan" // Panwascam or Bawaslu recommended it
	PostponementDecided     PostponementStatus = "diputuskan"       // KPU kab/kota decided, with a letter and a new date
	PostponementDone        PostponementStatus = "selesai"          // the postponed voting took place
	PostponementCancelled   PostponementStatus = "dibatalkan"       // withdrawn: the TPS voted after all
)

// PostponementStatuses lists every status in chain order.
var PostponementStatuses = []PostponementStatus{PostponementReported, PostponementRecommended,
	PostponementDecided, PostponementDone, PostponementCancelled}

// Valid reports whether s is a known status.
func (s PostponementStatus) Valid() bool {
	for _, v := range PostponementStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Active reports whether the TPS is still postponed: from the report
// until the postponed voting is done or the postponement withdrawn.
func (s PostponementStatus) Active() bool {
	return s == PostponementReported || s == PostponementRecommended || s == PostponementDecided
}

// PostponementStep is one link of the decision chain: who (an official in
// office), when, and the number of the document or letter they signed.
// Names and offices are on public documents; the account that recorded
// the step (By) is staff data and stays out of JSON.
type PostponementStep struct {
	Name   string    `json:"name"`
	Office string    `json:"office"` // "KPPS TPS 012 Pondok Kacang Timur", "Panwascam Pondok Aren"
	At     time.Time `json:"at"`
	Letter string    `json:"letter,omitempty"` // berita acara, recommendation or decision letter number
	Note   string    `json:"note,omitempty"`
	By     string    `json:"-"` // "user:NAME", "demo", as in the audit log
}

// Taken reports whether the step happened.
func (s *PostponementStep) Taken() bool { return s != nil && !s.At.IsZero() }

// Postponement is the postponed voting of one TPS and its decision chain:
// KPPS/PPK report → Panwascam/Bawaslu recommendation → KPU kab/kota
// decision (letter number, new date) → done, or cancelled at any point.
type Postponement struct {
	ID     int64              `json:"id"`
	TPS    string             `json:"tps"`
	Kind   PostponementKind   `json:"kind"`
	Stage  string             `json:"stage,omitempty"` // PSL: StageVoting or StageCounting
	Reason string             `json:"reason"`          // "banjir", in words
	Status PostponementStatus `json:"status"`
	Report PostponementStep   `json:"report"`
	// Recommendation, Decision and Closing are nil until taken.
	Recommendation *PostponementStep `json:"recommendation,omitempty"`
	Decision       *PostponementStep `json:"decision,omitempty"`
	// NewDate is the day of the postponed voting (YYYY-MM-DD), set with
	// the decision: after voting day, at most 10 days after it.
	NewDate string `json:"new_date,omitempty"`
	// Closing is the step that made it selesai or dibatalkan.
	Closing   *PostponementStep `json:"closing,omitempty"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// PostponementFilter selects postponements; the zero value selects all.
type PostponementFilter struct {
	Region string // a code prefix of the TPS
	Status PostponementStatus
	Kind   PostponementKind // psl or pss; "" both
	// After is the Next of the previous page: the list is in ID order, so
	// a cursor stays valid while postponements are added.
	After int64
	Limit int // ≤ 0: every match
}

// PostponementPage is one page of the postponements a filter selects, with
// the number of all of them (ignoring After and Limit) and the cursor of
// the next page (0 on the last).
type PostponementPage struct {
	Items []Postponement `json:"items"`
	Total int            `json:"total"`
	Next  int64          `json:"next"`
}

// PostponementStore keeps the postponements and their chains. Each change
// appends its audit entries in the same transaction, with their Subject
// set to "TPS#ID" (the ID is the store's to give).
type PostponementStore interface {
	// AddPostponement stores a reported postponement and sets p.ID. A TPS
	// with an active postponement already gives EConflict.
	AddPostponement(ctx context.Context, p *Postponement, audit ...AuditEvent) error
	// AdvancePostponement stores p, which took its next step, if the stored
	// one is still at status from: of two officials acting at once, one
	// wins and the other gets EConflict. An unknown ID gives ENotFound.
	AdvancePostponement(ctx context.Context, p *Postponement, from PostponementStatus, audit ...AuditEvent) error
	// Postponement returns one by ID; ENotFound when there is none.
	Postponement(ctx context.Context, id int64) (*Postponement, error)
	// Postponements returns the page f selects, in ID order.
	Postponements(ctx context.Context, f PostponementFilter) (PostponementPage, error)
	// ActivePostponements returns every active postponement (reported,
	// recommended or decided), ordered by TPS: a few on a bad day.
	ActivePostponements(ctx context.Context) ([]Postponement, error)
}
