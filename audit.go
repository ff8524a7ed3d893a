package siaga

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// Audited actions. Their names are part of the exported log.
const (
	AuditEnrolIssue    = "enrol.issue" // an enrolment code was issued for a TPS
	AuditEnrolClaim    = "enrol.claim" // a device enrolled with a code
	AuditDeviceRevoke  = "device.revoke"
	AuditTokenCreate   = "token.create"
	AuditTokenRevoke   = "token.revoke"
	AuditUserCreate    = "user.create"
	AuditUserRole      = "user.role"      // role, scope or party changed
	AuditCorrection    = "correction"     // a user entered or corrected a count form, with a reason
	AuditAnomalyReview = "anomaly.review" // the desk set the review status of an anomaly
	// A TPS's voting postponed on the day (postponement.go), one action per
	// step of the decision chain.
	AuditPostponementReport    = "postponement.report"
	AuditPostponementRecommend = "postponement.recommend"
	AuditPostponementDecide    = "postponement.decide"
	AuditPostponementClose     = "postponement.close" // done or cancelled: the detail says which
	// An intervention bringing signal to TPS was planned, or its status
	// changed (installed, tested, removed).
	AuditInterventionCreate = "intervention.create"
	// AuditSiteSave: candidate sites were imported, or one drawn on the
	// planning map.
	AuditSiteSave           = "site.save"
	AuditInterventionStatus = "intervention.status"
	// A coordination meeting created or its minutes edited, and an action
	// item created or moved (done, reopened, cancelled: the detail says).
	AuditMeetingSave = "meeting.save"
	AuditActionItem  = "meeting.action"
	// A report of trouble (incident.go) was stored, or took a step of its
	// workflow (the detail names the step); an account's agency changed.
	AuditIncidentReport = "incident.report"
	AuditIncidentStep   = "incident.step"
	AuditUserAgency     = "user.agency"
)

// AuditActions lists every action, in the order the filter shows them.
var AuditActions = []string{AuditEnrolIssue, AuditEnrolClaim, AuditDeviceRevoke, AuditTokenCreate,
	AuditTokenRevoke, AuditUserCreate, AuditUserRole, AuditCorrection, AuditAnomalyReview,
	AuditPostponementReport, AuditPostponementRecommend, AuditPostponementDecide, AuditPostponementClose,
	AuditInterventionCreate, AuditInterventionStatus, AuditSiteSave,
	AuditHazardImport, AuditHazardDelete, AuditLocations, AuditRelocation,
	AuditCustodyHandover,
	AuditShipmentSave, AuditShipmentEvent, AuditShipmentDelivery, AuditLogisticsAck,
	AuditMeetingSave, AuditActionItem,
	AuditVulnIndicator, AuditVulnImport, AuditVulnPattern,
	AuditIncidentReport, AuditIncidentStep, AuditUserAgency,
	AuditWarningRaise, AuditWarningAcknowledge, AuditWarningClose}

// AuditEvent is one entry of the append-only audit log: who did what to
// whom, where. Each entry carries the hash of the entry before it, so that
// an entry altered or removed in the database breaks the chain
// (VerifyAuditChain).
type AuditEvent struct {
	Seq     int64     `json:"seq"` // position in the log, from 1
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`   // "user:NAME", "device:ID", "cli", "import:sirekap"
	Action  string    `json:"action"`  // one of AuditActions
	Subject string    `json:"subject"` // what was acted on: a TPS, device id, username, token name, submission id
	Scope   string    `json:"scope"`   // region code of the subject; "" for national
	// Detail is a JSON object with what else matters for the action.
	Detail   json.RawMessage `json:"detail"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// AuditHash is the hash an entry must carry: hex SHA-256 over the previous
// entry's hash and every field of the entry, one per line, in a fixed
// order. Seq is left out so that the chain alone orders the log.
func AuditHash(e *AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{e.PrevHash, e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action,
		e.Subject, e.Scope, string(e.Detail)} {
		h.Write([]byte(strconv.Quote(f)))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyAuditChain checks entries read in log order, continuing a chain
// whose last hash is prev ("" from the start). It returns the hash of the
// last entry and the Seq of the first bad one (0 when all are good).
func VerifyAuditChain(prev string, entries []AuditEvent) (last string, bad int64) {
	for i := range entries {
		e := &entries[i]
		if e.PrevHash != prev || AuditHash(e) != e.Hash {
			return prev, e.Seq
		}
		prev = e.Hash
	}
	return prev, 0
}

// AuditDetail encodes v as an entry's detail. v is a map or struct of
// plain values, which always encode.
func AuditDetail(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}

// AuditFilter selects entries of the log. Zero fields select everything.
type AuditFilter struct {
	// Scope keeps entries whose scope lies within it (InScope): a Bawaslu
	// account sees its region only.
	Scope  string
	Action string
	Actor  string
	From   time.Time // inclusive
	To     time.Time // exclusive
	// Before pages backwards: entries with Seq below it (0: from the newest).
	Before int64
	Limit  int
}

// AuditPage is a page of entries, newest first, with the number of all
// entries the filter selects (ignoring Before and Limit).
type AuditPage struct {
	Items []AuditEvent
	Total int
}

// AuditStore keeps the audit log. It can only append and read: no entry
// is ever changed or removed.
type AuditStore interface {
	// AppendAudit stores es in order, in one transaction, setting each
	// one's Seq, PrevHash and Hash.
	AppendAudit(ctx context.Context, es ...AuditEvent) error
	// Audit returns the page of entries f selects, newest first.
	Audit(ctx context.Context, f AuditFilter) (AuditPage, error)
	// EachAudit calls fn for every entry in log order; it stops at fn's
	// first error and returns it.
	EachAudit(ctx context.Context, fn func(*AuditEvent) error) error
}
