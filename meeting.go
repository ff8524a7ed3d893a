package siaga

import (
	"context"
	"time"
)

// The desk's coordination meetings (docs/security-incidents.md,
// "Coordination meetings and action items"). SE Kemendagri
// 100.2.2/6474/S.T asks the Forkopimda to meet routinely; what they
// decide becomes action items, each given to one agency with a due date
// and followed until it is done or cancelled.

// Participant is one person at a meeting and the agency they speak for.
type Participant struct {
	Agency   Agency `json:"agency"`
	Name     string `json:"name"`
	Position string `json:"position"` // "Kapolda Banten", "Kalaksa BPBD"
}

// Decision is one numbered decision of a meeting; action items name it by No.
type Decision struct {
	No   int    `json:"no"`
	Text string `json:"text"`
}

// Meeting is one coordination meeting of the desk of a region (the
// province or a kab/kota) and its minutes (notulen).
type Meeting struct {
	ID           int64         `json:"id"`
	Region       string        `json:"region"` // the desk's scope: a province or kab/kota code
	Title        string        `json:"title"`
	At           time.Time     `json:"at"` // shown in WIB
	Place        string        `json:"place"`
	Chair        string        `json:"chair"`
	Participants []Participant `json:"participants"`
	Agenda       []string      `json:"agenda"`
	Decisions    []Decision    `json:"decisions"`
	Notes        string        `json:"notes,omitempty"`
	CreatedBy    string        `json:"-"` // "user:NAME", as in the audit log: staff data
	UpdatedAt    time.Time     `json:"updated_at"`
	// Version counts the edits; an edit names the version it read, so two
	// secretaries typing the minutes at once cannot undo each other.
	Version int `json:"version"`
}

// ActionStatus is where an action item stands.
type ActionStatus string

const (
	ActionOpen      ActionStatus = "terbuka"    // to do
	ActionDone      ActionStatus = "selesai"    // done, with a note
	ActionCancelled ActionStatus = "dibatalkan" // no longer needed, with a reason
)

// ActionStatuses lists the statuses in the order filters show them.
var ActionStatuses = []ActionStatus{ActionOpen, ActionDone, ActionCancelled}

// Valid says whether s is one of ActionStatuses.
func (s ActionStatus) Valid() bool { return s == ActionOpen || s == ActionDone || s == ActionCancelled }

// ActionStepKind is what one step of an action item's history did.
type ActionStepKind string

const (
	ActionStepCreated   ActionStepKind = "buat"
	ActionStepDone      ActionStepKind = "selesai"
	ActionStepReopened  ActionStepKind = "buka"
	ActionStepCancelled ActionStepKind = "batal"
)

// ActionStep is one step of an action item: who did what, when, and why.
type ActionStep struct {
	At     time.Time      `json:"at"`
	Kind   ActionStepKind `json:"kind"`
	Status ActionStatus   `json:"status"` // the status after the step
	By     string         `json:"by"`     // username as shown: staff pages only
	Text   string         `json:"text,omitempty"`
}

// ActionItem is a task a meeting gave one agency, with a due date.
type ActionItem struct {
	ID       int64  `json:"id"`
	Meeting  int64  `json:"meeting"`
	Decision int    `json:"decision,omitempty"` // the decision's No; 0: none
	Text     string `json:"text"`
	Agency   Agency `json:"agency"`
	// Region is where the item applies, at or under the meeting's region
	// (a province meeting can task Polres Lebak): the item shows in that
	// region's lists. Empty in a request: the meeting's region.
	Region string `json:"region"`
	// Due is the last day (YYYY-MM-DD, WIB): overdue from the next day on.
	Due      string       `json:"due"`
	Status   ActionStatus `json:"status"`
	DoneAt   time.Time    `json:"done_at,omitempty"`
	DoneBy   string       `json:"done_by,omitempty"`
	DoneNote string       `json:"done_note,omitempty"`
	Reason   string       `json:"reason,omitempty"` // why cancelled
	// Steps is the history, oldest first; filled by ActionItemByID only.
	Steps     []ActionStep `json:"steps,omitempty"`
	UpdatedAt time.Time    `json:"updated_at"`
	Version   int          `json:"version"`
}

// DueDate is the layout of ActionItem.Due.
const DueDate = "2006-01-02"

// OverdueDays is how many days past its due date an open item is on the
// day today (YYYY-MM-DD, WIB): 0 when it is not overdue, so an item due
// today is not late until tomorrow.
func (a *ActionItem) OverdueDays(today string) int {
	if a.Status != ActionOpen || a.Due >= today {
		return 0
	}
	due, err1 := time.Parse(DueDate, a.Due)
	t, err2 := time.Parse(DueDate, today)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(t.Sub(due).Hours() / 24)
}

// MeetingFilter selects meetings; Scope "" selects all.
type MeetingFilter struct {
	Scope  string // meetings of regions at or under it
	Before int64  // the next page: only smaller IDs (newest first)
	Limit  int    // ≤ 0: all
}

// MeetingPage is one page of meetings, with the count of all that the
// filter selects and the cursor of the next page (0 on the last).
type MeetingPage struct {
	Items []Meeting `json:"items"`
	Total int       `json:"total"`
	Next  int64     `json:"next"`
}

// ActionItemFilter selects action items; zero fields match everything.
type ActionItemFilter struct {
	Scope   string // items whose Region is at or under it
	Meeting int64
	Agency  Agency
	Status  ActionStatus
	// OverdueOn (YYYY-MM-DD) keeps the items open with Due before it.
	OverdueOn string
	After     int64 // the next page: only larger IDs
	Limit     int   // ≤ 0: all
}

// ActionItemPage is one page of action items, like MeetingPage.
type ActionItemPage struct {
	Items []ActionItem `json:"items"`
	Total int          `json:"total"`
	Next  int64        `json:"next"`
}

// MeetingStore keeps the meetings and their action items. Each change,
// its step and its audit entries are one transaction.
type MeetingStore interface {
	// CreateMeeting stores m and sets its ID.
	CreateMeeting(ctx context.Context, m *Meeting, audit ...AuditEvent) error
	// UpdateMeeting stores m if the stored Version is m.Version-1, else
	// EConflict; ENotFound for an unknown ID.
	UpdateMeeting(ctx context.Context, m *Meeting, audit ...AuditEvent) error
	Meeting(ctx context.Context, id int64) (*Meeting, error)
	Meetings(ctx context.Context, f MeetingFilter) (MeetingPage, error)
	// CreateActionItem stores a and its first step and sets a.ID.
	CreateActionItem(ctx context.Context, a *ActionItem, step ActionStep, audit ...AuditEvent) error
	// UpdateActionItem stores a if the stored Version is a.Version-1, else
	// EConflict, and appends step.
	UpdateActionItem(ctx context.Context, a *ActionItem, step ActionStep, audit ...AuditEvent) error
	// ActionItem returns one item with its steps.
	ActionItem(ctx context.Context, id int64) (*ActionItem, error)
	// ActionItems returns the page f selects in ID order, without steps.
	ActionItems(ctx context.Context, f ActionItemFilter) (ActionItemPage, error)
}
