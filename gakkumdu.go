package siaga

import (
	"context"
	"time"
)

// Sentra Gakkumdu (Bawaslu, Polri and Kejaksaan together) handles the
// incidents that may be election crimes. A Case follows one of them from
// Bawaslu's review to a final judgement, each stage with the clock the law
// gives it (docs/security-incidents.md, "Gakkumdu cases and their clocks").
//
// Sources of the clocks (copied from the desk's readiness notes, section
// "Security", which cite Perbawaslu 31/2018 on Sentra Gakkumdu and UU
// 7/2017 on elections): a report is made ≤ 7 days from when the violation
// became known (UU 7/2017 art. 454); the police investigate ≤ 14 days, the
// prosecutor hands the file to the court ≤ 5 days, the district court
// decides ≤ 7 days, an appeal is lodged ≤ 3 days and the high court
// decides ≤ 7 days (UU 7/2017, Book Five on election crimes). UU 7/2017
// art. 1 defines "Hari" as a calendar day.

// CaseStage is where a case stands. The order of CaseStages is the order
// of the procedure; inkracht and dihentikan end it.
type CaseStage string

const (
	// StageReview: Bawaslu reviews the finding or report (kajian) and,
	// with Gakkumdu's police and prosecutors, decides whether it is an
	// election crime. Clock: 7 days from when Bawaslu learned of it
	// (KnownAt) to register it and pass it on.
	StageReview CaseStage = "kajian"
	// StageInvestigation: Polri investigates (penyidikan), ≤ 14 days from
	// receiving the report, then hands the file to the prosecutor.
	StageInvestigation CaseStage = "penyidikan"
	// StageProsecution: Kejaksaan prepares the charge (penuntutan), ≤ 5
	// days from receiving the file, then hands it to the district court.
	StageProsecution CaseStage = "penuntutan"
	// StageTrial: the district court (PN) tries and decides, ≤ 7 days
	// from receiving the file.
	StageTrial CaseStage = "sidang"
	// StageVerdict: the PN has decided; an appeal may be lodged ≤ 3 days
	// after the verdict is read. Without one it becomes final.
	StageVerdict CaseStage = "putusan"
	// StageAppeal: the high court (PT) decides the appeal ≤ 7 days from
	// receiving it; its decision is final (no cassation for election
	// crimes).
	StageAppeal CaseStage = "banding"
	// StageFinal: the judgement is final and binding (inkracht).
	StageFinal CaseStage = "inkracht"
	// StageStopped: stopped at any stage, with a reason (not an election
	// crime, no evidence, SP3, expired).
	StageStopped CaseStage = "dihentikan"
)

// CaseStages lists the stages in the order of the procedure.
var CaseStages = []CaseStage{StageReview, StageInvestigation, StageProsecution, StageTrial, StageVerdict, StageAppeal,
	StageFinal, StageStopped}

// Valid says whether s is one of CaseStages.
func (s CaseStage) Valid() bool {
	for _, k := range CaseStages {
		if s == k {
			return true
		}
	}
	return false
}

// Done says whether the case has ended at s: no clock runs.
func (s CaseStage) Done() bool { return s == StageFinal || s == StageStopped }

// Days is the stage's statutory limit in calendar days (0 for the ends).
func (s CaseStage) Days() int {
	switch s {
	case StageReview, StageTrial, StageAppeal:
		return 7
	case StageInvestigation:
		return 14
	case StageProsecution:
		return 5
	case StageVerdict:
		return 3
	}
	return 0
}

// Agency is the member of Sentra Gakkumdu that moves the case on from s:
// Bawaslu from its review, Polri from the investigation, Kejaksaan from
// the prosecution and, as the party in court, through the court stages.
func (s CaseStage) Agency() Agency {
	switch s {
	case StageReview:
		return AgencyBawaslu
	case StageInvestigation:
		return AgencyPolri
	case StageProsecution, StageTrial, StageVerdict, StageAppeal:
		return AgencyKejaksaan
	}
	return ""
}

// Next lists the stages a case at s may move to, besides being stopped.
func (s CaseStage) Next() []CaseStage {
	switch s {
	case StageReview:
		return []CaseStage{StageInvestigation}
	case StageInvestigation:
		return []CaseStage{StageProsecution}
	case StageProsecution:
		return []CaseStage{StageTrial}
	case StageTrial:
		return []CaseStage{StageVerdict}
	case StageVerdict:
		return []CaseStage{StageAppeal, StageFinal}
	case StageAppeal:
		return []CaseStage{StageFinal}
	}
	return nil
}

// CaseOrigin is how Bawaslu came to know of a case: its own finding
// (temuan) or someone's report (laporan).
type CaseOrigin string

const (
	OriginFinding CaseOrigin = "temuan"
	OriginReport  CaseOrigin = "laporan"
)

// Case is one suspected election crime handled by Sentra Gakkumdu.
type Case struct {
	ID       int64      `json:"id"`
	Incident int64      `json:"incident"` // the incident it came from
	Region   string     `json:"region"`   // the incident's region: who reads it
	Origin   CaseOrigin `json:"origin"`
	Title    string     `json:"title"`
	// Suspect is who is suspected, as written (staff data: never public).
	Suspect string `json:"suspect,omitempty"`
	// Article is the article of UU 7/2017 suspected broken, e.g.
	// "Pasal 523 ayat (2)" (money politics in the quiet days).
	Article string `json:"article,omitempty"`
	// KnownAt is when Bawaslu learned of it: the review's clock starts here.
	KnownAt time.Time `json:"known_at"`
	Stage   CaseStage `json:"stage"`
	// StageAt is when the current stage began (the event, as recorded:
	// the date of the letter handing the file on), Due when its clock
	// ends (zero for the ends). Due is stored so that the overdue filter
	// is a condition in the store.
	StageAt time.Time `json:"stage_at"`
	Due     time.Time `json:"due,omitempty"`
	// Stages is the history, oldest first, the current stage last.
	Stages  []CaseStep `json:"stages,omitempty"`
	Outcome string     `json:"outcome,omitempty"` // the judgement, or why it was stopped
	By      string     `json:"by"`                // who opened it
	Created time.Time  `json:"created"`
	// Version counts the steps; an update names the version it read.
	Version int `json:"version"`
}

// CaseStep is one stage a case entered: when the event happened (At, as
// recorded), who recorded it and when, and its note.
type CaseStep struct {
	Stage      CaseStage `json:"stage"`
	At         time.Time `json:"at"`
	Due        time.Time `json:"due,omitempty"`
	Note       string    `json:"note,omitempty"`
	By         string    `json:"by"`
	Agency     Agency    `json:"agency,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// CaseDocument is one document of a stage (a report form, a letter, a
// judgement): a PDF, JPEG or PNG of at most MaxCaseDocument bytes, its
// type sniffed from its bytes.
type CaseDocument struct {
	ID     int64     `json:"id"`
	Case   int64     `json:"case"`
	Stage  CaseStage `json:"stage"`
	Name   string    `json:"name"`
	Type   string    `json:"type"`
	Size   int       `json:"size"`
	SHA256 string    `json:"sha256"`
	Data   []byte    `json:"-"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// MaxCaseDocument bounds one document: a scanned letter of a few pages.
const MaxCaseDocument = 5 << 20

// CaseAlert records that a case's stage passed its deadline: once per
// (case, stage), by the server's schedule.
type CaseAlert struct {
	Case   int64     `json:"case"`
	Stage  CaseStage `json:"stage"`
	Region string    `json:"region"`
	Title  string    `json:"title"`
	Due    time.Time `json:"due"`
	At     time.Time `json:"at"` // when the alert was raised
}

// CaseFilter selects cases; zero fields match everything.
type CaseFilter struct {
	Scope    string // region code: cases at or under it
	Stage    CaseStage
	Incident int64
	// OverdueAt keeps the cases whose running stage's deadline is at or
	// before it: at the deadline's instant the stage is overdue.
	OverdueAt time.Time
	Before    int64 // only smaller IDs: the next page (newest first)
	Limit     int   // 0 means 100
}

// Audit actions of cases.
const (
	AuditCaseOpen     = "gakkumdu.open"
	AuditCaseAdvance  = "gakkumdu.advance"
	AuditCaseStop     = "gakkumdu.stop"
	AuditCaseDocument = "gakkumdu.document"
)

// CaseStore keeps cases, their stages, documents and overdue alerts.
type CaseStore interface {
	// CreateCase stores c with its first stage and sets its ID and Version.
	CreateCase(ctx context.Context, c *Case, audit ...AuditEvent) error
	// UpdateCase stores c and appends step if the stored Version is
	// c.Version-1, else EConflict.
	UpdateCase(ctx context.Context, c *Case, step CaseStep, audit ...AuditEvent) error
	// CaseByID returns the case with its history.
	CaseByID(ctx context.Context, id int64) (*Case, error)
	// Cases returns what f selects, newest first, without histories;
	// CountCases counts it all, ignoring Before and Limit.
	Cases(ctx context.Context, f CaseFilter) ([]Case, error)
	CountCases(ctx context.Context, f CaseFilter) (int, error)
	// AddCaseDocument stores d and sets its ID; CaseDocuments lists a
	// case's documents without their data, CaseDocument reads one.
	AddCaseDocument(ctx context.Context, d *CaseDocument, audit ...AuditEvent) error
	CaseDocuments(ctx context.Context, caseID int64) ([]CaseDocument, error)
	CaseDocument(ctx context.Context, caseID, id int64) (*CaseDocument, error)
	// AddCaseAlert stores a once per (case, stage): false when it was
	// stored already.
	AddCaseAlert(ctx context.Context, a CaseAlert) (bool, error)
	// CaseAlerts lists the alerts of cases under scope, newest first.
	CaseAlerts(ctx context.Context, scope string, limit int) ([]CaseAlert, error)
}
