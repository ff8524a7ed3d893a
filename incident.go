package siaga

import (
	"context"
	"time"
)

// IncidentCategory is what kind of trouble a report is about
// (docs/security-incidents.md). Codes are stable: they are the SMS
// grammar's keywords, the filters' values and the early-warning rules' keys.
type IncidentCategory string

const (
	IncidentViolence     IncidentCategory = "kekerasan"    // violence, clashes
	IncidentIntimidation IncidentCategory = "intimidasi"   // threats to voters or officers
	IncidentMoneyPolitic IncidentCategory = "politik_uang" // vote buying
	IncidentLogistics    IncidentCategory = "logistik"     // missing, late or wrong materials
	IncidentDisaster     IncidentCategory = "bencana"      // flood, landslide, fire
	IncidentNetwork      IncidentCategory = "jaringan"     // mobile signal or power outage
	IncidentHoax         IncidentCategory = "hoaks"        // hoax, disinformation
	IncidentNeutrality   IncidentCategory = "netralitas"   // officials (ASN, TNI, Polri, village heads) taking sides
	IncidentProcedure    IncidentCategory = "prosedur"     // voting or counting procedure broken at a TPS
	IncidentOther        IncidentCategory = "lainnya"
)

// IncidentCategories lists every category in the order pages show them.
var IncidentCategories = []IncidentCategory{
	IncidentViolence, IncidentIntimidation, IncidentMoneyPolitic, IncidentLogistics, IncidentDisaster,
	IncidentNetwork, IncidentHoax, IncidentNeutrality, IncidentProcedure, IncidentOther,
}

// Valid says whether c is one of IncidentCategories.
func (c IncidentCategory) Valid() bool {
	for _, k := range IncidentCategories {
		if c == k {
			return true
		}
	}
	return false
}

// Severity ranks how urgent a report is.
type Severity string

const (
	SeverityLow      Severity = "rendah"
	SeverityMedium   Severity = "sedang"
	SeverityHigh     Severity = "tinggi"
	SeverityCritical Severity = "kritis"
)

// Severities lists the severities from the least to the most urgent.
var Severities = []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// Valid says whether s is one of Severities.
func (s Severity) Valid() bool {
	for _, k := range Severities {
		if s == k {
			return true
		}
	}
	return false
}

// IncidentStatus is where a report stands in the workflow
// baru → terverifikasi (or ditolak) → ditugaskan → ditangani → selesai.
type IncidentStatus string

const (
	IncidentNew      IncidentStatus = "baru"          // reported, not yet checked
	IncidentVerified IncidentStatus = "terverifikasi" // checked: it happened
	IncidentRejected IncidentStatus = "ditolak"       // checked: false, hoax or not election trouble (Reason says why)
	IncidentAssigned IncidentStatus = "ditugaskan"    // an agency must act
	IncidentInHand   IncidentStatus = "ditangani"     // the agency is acting
	IncidentClosed   IncidentStatus = "selesai"       // done, with an outcome
)

// IncidentStatuses lists the statuses in workflow order.
var IncidentStatuses = []IncidentStatus{
	IncidentNew, IncidentVerified, IncidentRejected, IncidentAssigned, IncidentInHand, IncidentClosed,
}

// Agency is a member of the desk that can be given an incident to act on.
type Agency string

const (
	AgencyPolri      Agency = "polri"
	AgencyTNI        Agency = "tni"
	AgencyBawaslu    Agency = "bawaslu" // Bawaslu and, for election crimes, Sentra Gakkumdu
	AgencyKejaksaan  Agency = "kejaksaan"
	AgencyBPBD       Agency = "bpbd"
	AgencyDiskominfo Agency = "diskominfo"
	AgencyKPU        Agency = "kpu"
	AgencyPemprov    Agency = "pemprov" // the desk's own secretariat (Kesbangpol)
)

// Agencies lists the agencies in the order pages show them.
var Agencies = []Agency{
	AgencyPolri, AgencyTNI, AgencyBawaslu, AgencyKejaksaan, AgencyBPBD, AgencyDiskominfo, AgencyKPU, AgencyPemprov,
}

// Valid says whether a is one of Agencies.
func (a Agency) Valid() bool {
	for _, k := range Agencies {
		if a == k {
			return true
		}
	}
	return false
}

// IncidentChannel is how a report came in. Public channels (no account, no
// enrolled device) go to the moderation queue and are never shown publicly
// before a staff member verified them.
type IncidentChannel string

const (
	ChannelWeb       IncidentChannel = "web"        // a staff member's page
	ChannelAPI       IncidentChannel = "api"        // a staff member's token (a police post's system)
	ChannelField     IncidentChannel = "field"      // an enrolled device's field app, through its outbox
	ChannelSMS       IncidentChannel = "sms"        // an SMS from a number of an enrolled device
	ChannelPublicWeb IncidentChannel = "public_web" // the public form
	ChannelPublicSMS IncidentChannel = "public_sms" // an SMS from any other number
)

// Public says whether reports of c come from people we do not know.
func (c IncidentChannel) Public() bool { return c == ChannelPublicWeb || c == ChannelPublicSMS }

// Incident is one report of trouble and where it stands.
//
// Place: Region is the deepest region code known (a desa or kecamatan
// code), TPS the TPS code when the report names one (Region is then its
// desa), and Lat/Lon a point when the reporter gave one (else the TPS's or
// the region's place, filled by the service, with Placed saying which).
type Incident struct {
	ID int64 `json:"id"`
	// ClientID is the reporter's own id of the report (the field app's
	// outbox item, a hash of an SMS's sender and text): a replay is the
	// same report, stored once.
	ClientID   string           `json:"client_id,omitempty"`
	Channel    IncidentChannel  `json:"channel"`
	Category   IncidentCategory `json:"category"`
	Severity   Severity         `json:"severity"`
	OccurredAt time.Time        `json:"occurred_at"` // when it happened, as reported
	ReportedAt time.Time        `json:"reported_at"` // when the server stored it
	Region     string           `json:"region"`
	TPS        string           `json:"tps,omitempty"`
	Lat        float64          `json:"lat,omitempty"`
	Lon        float64          `json:"lon,omitempty"`
	Placed     string           `json:"placed,omitempty"` // point, tps, region: where Lat/Lon came from
	Title      string           `json:"title"`
	Text       string           `json:"text"`
	// Reporter: staff and devices by id; a public reporter by the number
	// or name given. Staff data: never in a public answer.
	ReporterUser   int64  `json:"reporter_user,omitempty"`
	ReporterDevice string `json:"reporter_device,omitempty"`
	ReporterName   string `json:"reporter_name,omitempty"`
	ReporterPhone  string `json:"reporter_phone,omitempty"`
	// Sender is who sent a public report as the server saw it (the phone
	// number, or the client's address for the web form): the rate limit
	// counts by it. Never shown outside the moderation queue.
	Sender string `json:"-"`

	Status  IncidentStatus `json:"status"`
	Agency  Agency         `json:"agency,omitempty"`  // assigned to
	Reason  string         `json:"reason,omitempty"`  // why rejected
	Outcome string         `json:"outcome,omitempty"` // how it was closed
	// DuplicateOf groups likely duplicates: the id of the group's first
	// report, 0 for that report itself. Counts count groups, not reports.
	DuplicateOf int64     `json:"duplicate_of,omitempty"`
	Evidence    []string  `json:"evidence,omitempty"` // SHA-256 of the evidence files
	UpdatedAt   time.Time `json:"updated_at"`
	// Version counts the incident's steps; an update names the version it
	// read, so two officers acting at once cannot silently undo each other.
	Version int `json:"version"`
}

// IncidentStepKind is what one step of an incident's history did.
type IncidentStepKind string

const (
	StepReported  IncidentStepKind = "lapor"
	StepVerified  IncidentStepKind = "verifikasi"
	StepRejected  IncidentStepKind = "tolak"
	StepAssigned  IncidentStepKind = "tugaskan"
	StepInHand    IncidentStepKind = "tangani"
	StepClosed    IncidentStepKind = "selesai"
	StepGrouped   IncidentStepKind = "gabung" // marked a duplicate of another report
	StepUngrouped IncidentStepKind = "pisah"  // no longer a duplicate
	StepNote      IncidentStepKind = "catatan"
	StepEvidence  IncidentStepKind = "bukti"
)

// IncidentStep is one step of an incident's history: who did what, when.
type IncidentStep struct {
	ID       int64            `json:"id"`
	Incident int64            `json:"incident"`
	At       time.Time        `json:"at"`
	Kind     IncidentStepKind `json:"kind"`
	Status   IncidentStatus   `json:"status"` // the status after the step
	Agency   Agency           `json:"agency,omitempty"`
	Text     string           `json:"text,omitempty"` // reason, outcome, note
	ByUser   int64            `json:"by_user,omitempty"`
	ByDevice string           `json:"by_device,omitempty"`
	ByName   string           `json:"by_name"` // as shown: username, device, "publik"
}

// IncidentEvidence is one evidence file (photo, PDF) of an incident.
type IncidentEvidence struct {
	SHA256   string    `json:"sha256"`
	Incident int64     `json:"incident"`
	Type     string    `json:"type"` // image/jpeg, image/png, application/pdf
	Data     []byte    `json:"-"`
	By       string    `json:"by,omitempty"`
	At       time.Time `json:"at"`
}

// IncidentFilter selects incidents; zero fields match everything.
type IncidentFilter struct {
	Scope      string // region code: incidents at or under it
	TPS        string // only the reports naming this TPS (a PTPS account's scope)
	Categories []IncidentCategory
	Statuses   []IncidentStatus
	Severities []Severity
	Agency     Agency
	Channel    IncidentChannel
	Public     *bool     // only public (true) or only staff/device (false) reports
	From, To   time.Time // OccurredAt in [From, To)
	// Groups keeps only the first report of each duplicate group.
	Groups bool
	Text   string // a substring of title or text, any case
	Before int64  // only smaller IDs: the next page (newest first)
	Limit  int    // 0 means 100
}

// IncidentStore keeps incidents, their steps and evidence. Each change and
// its step (and audit entries) are one transaction.
type IncidentStore interface {
	// CreateIncident stores in and its first step and sets their IDs. A
	// ClientID already stored gives EConflict and stores nothing.
	CreateIncident(ctx context.Context, in *Incident, step *IncidentStep, audit ...AuditEvent) error
	// UpdateIncident stores in if its stored Version is in.Version-1, else
	// EConflict; it appends step.
	UpdateIncident(ctx context.Context, in *Incident, step *IncidentStep, audit ...AuditEvent) error
	IncidentByID(ctx context.Context, id int64) (*Incident, error)
	IncidentByClientID(ctx context.Context, clientID string) (*Incident, error)
	IncidentSteps(ctx context.Context, id int64) ([]IncidentStep, error)
	// Incidents returns what f selects, newest first; CountIncidents
	// counts it all, ignoring Before and Limit.
	Incidents(ctx context.Context, f IncidentFilter) ([]Incident, error)
	CountIncidents(ctx context.Context, f IncidentFilter) (int, error)
	// EachIncident calls fn for every incident f selects, oldest first,
	// ignoring Before and Limit: the early-warning scan and reports.
	EachIncident(ctx context.Context, f IncidentFilter, fn func(*Incident) error) error
	// CountPublicReports counts the public reports from sender (a phone
	// number or a client address) stored at or after since: the rate limit.
	CountPublicReports(ctx context.Context, sender string, since time.Time) (int, error)
	AddIncidentEvidence(ctx context.Context, e *IncidentEvidence) error
	IncidentEvidence(ctx context.Context, incident int64, sha string) (*IncidentEvidence, error)
}

// AgencyOf is the agency u works for: its own Agency when set, else the
// one its role implies (aparat: polri; bawaslu and ptps: bawaslu; the KPU's
// operators: kpu; desk: pemprov); "" for roles that handle no incident.
func (u *User) AgencyOf() Agency {
	if u.Agency != "" {
		return u.Agency
	}
	switch u.Role {
	case RoleAparat:
		return AgencyPolri
	case RoleBawaslu, RolePTPS:
		return AgencyBawaslu
	case RoleKPUProv, RoleKPUKab, RolePPK, RoleLogistik:
		return AgencyKPU
	case RoleDesk:
		return AgencyPemprov
	}
	return ""
}

// The words of the codes, in Bahasa Indonesia (a label, capitalised) and
// in English: one list for the pages, the PDF report and the alerts' text.
var (
	categoryWords = map[IncidentCategory][2]string{
		IncidentViolence: {"Kekerasan", "violence"}, IncidentIntimidation: {"Intimidasi", "intimidation"},
		IncidentMoneyPolitic: {"Politik uang", "money politics"}, IncidentLogistics: {"Logistik", "logistics"},
		IncidentDisaster: {"Bencana", "disaster"}, IncidentNetwork: {"Jaringan/listrik putus", "network or power outage"},
		IncidentHoax: {"Hoaks", "hoax"}, IncidentNeutrality: {"Netralitas", "neutrality of officials"},
		IncidentProcedure: {"Prosedur", "procedure"}, IncidentOther: {"Lainnya", "other"},
	}
	severityWords = map[Severity][2]string{
		SeverityLow: {"Rendah", "low"}, SeverityMedium: {"Sedang", "medium"},
		SeverityHigh: {"Tinggi", "high"}, SeverityCritical: {"Kritis", "critical"},
	}
	incidentStatusWords = map[IncidentStatus][2]string{
		IncidentNew: {"Baru", "new"}, IncidentVerified: {"Terverifikasi", "verified"},
		IncidentRejected: {"Ditolak", "rejected"}, IncidentAssigned: {"Ditugaskan", "assigned"},
		IncidentInHand: {"Ditangani", "in hand"}, IncidentClosed: {"Selesai", "closed"},
	}
)

// words is w's pair, or the code itself twice for a code the list lacks.
func words(w [2]string, ok bool, code string) (id, en string) {
	if !ok {
		return code, code
	}
	return w[0], w[1]
}

// Words names c in Bahasa Indonesia and in English.
func (c IncidentCategory) Words() (id, en string) {
	w, ok := categoryWords[c]
	return words(w, ok, string(c))
}

// Words names s in Bahasa Indonesia and in English.
func (s Severity) Words() (id, en string) {
	w, ok := severityWords[s]
	return words(w, ok, string(s))
}

// Words names s in Bahasa Indonesia and in English.
func (s IncidentStatus) Words() (id, en string) {
	w, ok := incidentStatusWords[s]
	return words(w, ok, string(s))
}
