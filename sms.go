package siaga

import (
	"context"
	"time"
)

// SMSDirection says whether an SMS came from a phone or went to one.
type SMSDirection string

const (
	SMSIn  SMSDirection = "in"
	SMSOut SMSDirection = "out"
)

// SMS outcomes: what became of an incoming message. A reply carries the
// outcome of the message it answers.
const (
	SMSRecorded   = "recorded"   // a new version was stored
	SMSReplay     = "replay"     // the same report was already stored
	SMSPart       = "part"       // one authenticated part of a longer report, kept for reassembly
	SMSRefused    = "refused"    // read and authenticated but refused (malformed count, conflict)
	SMSUnreadable = "unreadable" // not in the grammar: a help reply
	SMSBadCode    = "bad_code"   // the authentication code matches no device of the TPS
	SMSLocked     = "locked"     // the sender is locked out after repeated bad codes
	SMSFailed     = "failed"     // an internal error; the phone is asked to resend
	SMSIncident   = "incident"   // a LAPOR message became an incident report (or was one already)
	SMSLimited    = "limited"    // a public LAPOR over the per-sender rate limit: not stored
)

// SMSMessage is one entry of the SMS log: every message in and every reply
// out, including the ones that could not be read, so that the operator can
// see what the field sent.
type SMSMessage struct {
	ID         int64        `json:"id"`
	At         time.Time    `json:"at"`
	Direction  SMSDirection `json:"direction"`
	Number     string       `json:"number"` // the phone's number as the gateway gave it
	Text       string       `json:"text"`
	Gateway    string       `json:"gateway"`              // kannel, webhook
	GatewayID  string       `json:"gateway_id,omitempty"` // per delivery: never used for dedup
	Outcome    string       `json:"outcome"`
	TPS        string       `json:"tps,omitempty"`
	Device     string       `json:"device,omitempty"`
	Submission string       `json:"submission,omitempty"`
	// Group, Part and Parts place an authenticated part of a multi-part
	// report: the parts of one group are reassembled in index order.
	Group   string `json:"group,omitempty"`
	Part    int    `json:"part,omitempty"`
	Parts   int    `json:"parts,omitempty"`
	ReplyTo int64  `json:"reply_to,omitempty"` // for a reply: the message it answers
}

// SMSFilter selects log entries; empty fields match everything.
type SMSFilter struct {
	Number    string
	TPS       string
	Outcome   string
	Direction SMSDirection
	Text      string // a substring of the text, any case
	// Scope keeps the entries of TPS under this region code and the replies
	// to them; entries tied to no TPS (unreadable, unknown numbers) only
	// when Scope is a province or wider, whose operators answer for them.
	Scope  string
	Before int64 // only entries with a smaller ID: the next page
	Limit  int   // at most this many; 0 means 100
}

// SMSStore keeps the SMS log and answers what the SMS service needs.
type SMSStore interface {
	// AppendSMS stores m and sets m.ID.
	AppendSMS(ctx context.Context, m *SMSMessage) error
	// SMSLog returns the entries f selects, newest first.
	SMSLog(ctx context.Context, f SMSFilter) ([]SMSMessage, error)
	// SMSLogCount counts every entry f selects, ignoring Before and
	// Limit: the M of "N of M".
	SMSLogCount(ctx context.Context, f SMSFilter) (int, error)
	// SMSParts returns the incoming parts (outcome SMSPart) of a group,
	// oldest first.
	SMSParts(ctx context.Context, group string) ([]SMSMessage, error)
	// CountSMS counts the incoming messages from number with the outcome
	// received at or after since: the lockout after bad codes.
	CountSMS(ctx context.Context, number, outcome string, since time.Time) (int, error)
	// AddSMSBadCode counts one bad code from number at time at, in one
	// atomic step that holds across nodes: a window opens with a number's
	// first bad code and lasts window; n is the count within it, this one
	// included, and since when it opened. Of parallel calls each gets its
	// own n.
	AddSMSBadCode(ctx context.Context, number string, at time.Time, window time.Duration) (n int, since time.Time, err error)
	// DevicesOfTPS returns the devices enrolled for a TPS and not revoked,
	// oldest first: an SMS names its TPS and the code tells which of them
	// sent it.
	DevicesOfTPS(ctx context.Context, tps string) ([]Device, error)
}
