package incident

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// TriageRoles may verify, reject, assign, group and moderate reports (the
// common brief's incTriageRoles): the desk, Bawaslu and the police.
var TriageRoles = []siaga.Role{siaga.RoleDesk, siaga.RoleBawaslu, siaga.RoleAparat}

// A transition is what one kind of step does: the statuses it may start
// from, the status it leaves (empty: unchanged) and who may take it.
type transition struct {
	from []siaga.IncidentStatus // nil: any
	to   siaga.IncidentStatus
	who  right
	// needs names the field the step cannot go without ("text", "agency", "head").
	needs string
}

// right is who may take a step.
type right int

const (
	triage  right = iota // TriageRoles in scope
	handler              // the assigned agency's accounts, or the desk, in scope
	reader               // anyone who reads the report, and its reporting device
)

// Transitions is the workflow, in one place (docs/security-incidents.md
// has it as a table).
var transitions = map[siaga.IncidentStepKind]transition{
	siaga.StepVerified: {from: []siaga.IncidentStatus{siaga.IncidentNew}, to: siaga.IncidentVerified, who: triage},
	siaga.StepRejected: {from: []siaga.IncidentStatus{siaga.IncidentNew, siaga.IncidentVerified}, to: siaga.IncidentRejected,
		who: triage, needs: "text"},
	// Assigning again hands the report to another agency.
	siaga.StepAssigned: {from: []siaga.IncidentStatus{siaga.IncidentVerified, siaga.IncidentAssigned, siaga.IncidentInHand},
		to: siaga.IncidentAssigned, who: triage, needs: "agency"},
	siaga.StepInHand: {from: []siaga.IncidentStatus{siaga.IncidentAssigned}, to: siaga.IncidentInHand, who: handler},
	siaga.StepClosed: {from: []siaga.IncidentStatus{siaga.IncidentAssigned, siaga.IncidentInHand}, to: siaga.IncidentClosed,
		who: handler, needs: "text"},
	siaga.StepGrouped:   {who: triage, needs: "head"},
	siaga.StepUngrouped: {who: triage},
	siaga.StepNote:      {who: reader, needs: "text"},
}

// StepKinds are the steps Act takes, in the order pages offer them.
var StepKinds = []siaga.IncidentStepKind{siaga.StepVerified, siaga.StepRejected, siaga.StepAssigned, siaga.StepInHand,
	siaga.StepClosed, siaga.StepGrouped, siaga.StepUngrouped, siaga.StepNote}

// Next lists the steps that may follow status, for the pages' buttons.
func Next(status siaga.IncidentStatus) []siaga.IncidentStepKind {
	var out []siaga.IncidentStepKind
	for _, k := range StepKinds {
		if t := transitions[k]; t.from == nil || slices.Contains(t.from, status) {
			out = append(out, k)
		}
	}
	return out
}

// Action is one step asked of a report. Version is the report's version
// the asker read: a report changed since gives EConflict.
type Action struct {
	Kind    siaga.IncidentStepKind `json:"kind"`
	Version int                    `json:"version"`
	Text    string                 `json:"text,omitempty"`   // reason, outcome or note
	Agency  siaga.Agency           `json:"agency,omitempty"` // tugaskan
	Head    int64                  `json:"head,omitempty"`   // gabung: a report of the group to join
}

// Act takes one step of the workflow: it checks the transition, the
// actor's right and the version, updates the report and appends the step.
func (s *Service) Act(ctx context.Context, id int64, a Action, by Actor) (*siaga.Incident, error) {
	t, ok := transitions[a.Kind]
	if !ok {
		return nil, siaga.Errorf(siaga.EInvalid, "kind", "Langkah %q tidak dikenal", "unknown step %q", a.Kind)
	}
	a.Text = strings.TrimSpace(a.Text)
	if err := checkText(a.Text); err != nil {
		return nil, err
	}
	in, err := s.cfg.Store.IncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := may(t.who, in, by); err != nil {
		return nil, err
	}
	if a.Version != in.Version {
		return nil, errStale(in, a.Version)
	}
	if t.from != nil && !slices.Contains(t.from, in.Status) {
		return nil, siaga.Errorf(siaga.EInvalid, "status", "Laporan berstatus %s tidak dapat di-%s", "a report at status %s cannot take step %s",
			in.Status, a.Kind)
	}
	if err := s.apply(ctx, in, t, a); err != nil {
		return nil, err
	}
	now := s.cfg.Now().UTC()
	in.UpdatedAt, in.Version = now, in.Version+1
	step := by.step(a.Kind, in, a.Text, now)
	if a.Kind != siaga.StepAssigned {
		step.Agency = ""
	}
	ev := siaga.AuditEvent{At: now, Actor: by.audit(), Action: siaga.AuditIncidentStep, Scope: in.Region,
		Detail: siaga.AuditDetail(map[string]any{"kind": a.Kind, "status": in.Status, "agency": step.Agency,
			"duplicate_of": in.DuplicateOf})}
	if err := s.cfg.Store.UpdateIncident(ctx, in, step, ev); err != nil {
		return nil, err
	}
	s.cfg.Logger.Info("incident step", "id", in.ID, "kind", a.Kind, "status", in.Status, "by", by.name())
	if s.cfg.Changed != nil && changesVerified(a.Kind) {
		s.cfg.Changed()
	}
	return in, nil
}

// changesVerified says whether a step of kind k changes the set of
// verified reports or their groups, which the early warning and the
// vulnerability read.
func changesVerified(k siaga.IncidentStepKind) bool {
	switch k {
	case siaga.StepVerified, siaga.StepRejected, siaga.StepGrouped, siaga.StepUngrouped:
		return true
	}
	return false
}

// apply changes in as step a of transition t does.
func (s *Service) apply(ctx context.Context, in *siaga.Incident, t transition, a Action) error {
	switch t.needs {
	case "text":
		if a.Text == "" {
			return siaga.Errorf(siaga.EInvalid, "text", "Alasan, hasil atau catatan wajib diisi", "a reason, outcome or note is required")
		}
	case "agency":
		if !a.Agency.Valid() {
			return siaga.Errorf(siaga.EInvalid, "agency", "Instansi %q tidak dikenal", "unknown agency %q", a.Agency)
		}
	}
	if t.to != "" {
		in.Status = t.to
	}
	switch a.Kind {
	case siaga.StepRejected:
		in.Reason = a.Text
	case siaga.StepAssigned:
		in.Agency = a.Agency
	case siaga.StepClosed:
		in.Outcome = a.Text
	case siaga.StepGrouped:
		return s.group(ctx, in, a.Head)
	case siaga.StepUngrouped:
		if in.DuplicateOf == 0 {
			return siaga.Errorf(siaga.EInvalid, "head", "Laporan ini bukan duplikat", "this report is no duplicate")
		}
		in.DuplicateOf = 0
	}
	return nil
}

// group makes in a member of the group of the report headID.
func (s *Service) group(ctx context.Context, in *siaga.Incident, headID int64) error {
	if headID == 0 || headID == in.ID {
		return siaga.Errorf(siaga.EInvalid, "head", "Pilih laporan lain sebagai induk", "choose another report to group with")
	}
	h, err := s.cfg.Store.IncidentByID(ctx, headID)
	if siaga.ErrorCode(err) == siaga.ENotFound {
		return siaga.Errorf(siaga.EInvalid, "head", "Laporan %d tidak ada", "no report %d", headID)
	} else if err != nil {
		return err
	}
	if head(h) == in.ID {
		return siaga.Errorf(siaga.EInvalid, "head", "Laporan %d sudah duplikat dari laporan ini", "report %d is already a duplicate of this one", headID)
	}
	in.DuplicateOf = head(h)
	return nil
}

func errStale(in *siaga.Incident, version int) error {
	return siaga.Errorf(siaga.EConflict, "version", "Laporan %d sudah diubah orang lain (versi %d, bukan %d); muat ulang lalu coba lagi",
		"report %d was changed by someone else (version %d, not %d); reload and try again", in.ID, in.Version, version)
}

func checkText(text string) error {
	if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
		return siaga.Errorf(siaga.EInvalid, "text", "Teks tidak sah (bukan UTF-8)", "text is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(text); n > MaxText {
		return siaga.Errorf(siaga.EInvalid, "text", "Terlalu panjang: %d karakter, paling banyak %d", "too long: %d characters, at most %d", n, MaxText)
	}
	return nil
}

// may checks that by may take a step that needs right w on in.
func may(w right, in *siaga.Incident, by Actor) error {
	u := by.User
	if u == nil {
		// A device may add notes and evidence to its own reports, nothing else.
		if w == reader && by.Device != "" && by.Device == in.ReporterDevice {
			return nil
		}
		return siaga.Errorf(siaga.EForbidden, "", "Hanya petugas yang dapat mengubah laporan", "only staff may change a report")
	}
	if !CanRead(u, in) {
		return siaga.Errorf(siaga.EForbidden, "", "Laporan di luar wilayah Anda", "the report is outside your region")
	}
	switch w {
	case triage:
		if !hasRole(u, TriageRoles) {
			return siaga.Errorf(siaga.EForbidden, "", "Hanya desk, Bawaslu dan aparat yang memilah laporan",
				"only the desk, Bawaslu and the police triage reports")
		}
	case handler:
		// The agency the report is assigned to acts on it; the desk, which
		// coordinates, may record what an agency told it.
		if u.Role != siaga.RoleDesk && (in.Agency == "" || u.AgencyOf() != in.Agency) {
			return siaga.Errorf(siaga.EForbidden, "", "Laporan ini ditugaskan kepada %s, bukan instansi Anda (%s)",
				"this report is assigned to %s, not your agency (%s)", agencyName(in.Agency), agencyName(u.AgencyOf()))
		}
	}
	return nil
}

func agencyName(a siaga.Agency) string { return cmp.Or(string(a), "-") }

// CanRead says whether u's scope covers in (incRoles' read rule).
func CanRead(u *siaga.User, in *siaga.Incident) bool {
	return u != nil && hasRole(u, ReporterRoles) && siaga.InScope(u.Scope, place(in))
}

// place is the deepest code of in's place: its TPS, else its region. A
// PTPS account's scope is its TPS.
func place(in *siaga.Incident) string { return cmp.Or(in.TPS, in.Region) }

// Verify, Reject, Assign, Start, Close, Note, Group and Ungroup are Act
// for one kind of step.
func (s *Service) Verify(ctx context.Context, id int64, version int, by Actor) (*siaga.Incident, error) {
	return s.Act(ctx, id, Action{Kind: siaga.StepVerified, Version: version}, by)
}

func (s *Service) Reject(ctx context.Context, id int64, version int, reason string, by Actor) (*siaga.Incident, error) {
	return s.Act(ctx, id, Action{Kind: siaga.StepRejected, Version: version, Text: reason}, by)
}

func (s *Service) Assign(ctx context.Context, id int64, version int, agency siaga.Agency, by Actor) (*siaga.Incident, error) {
	return s.Act(ctx, id, Action{Kind: siaga.StepAssigned, Version: version, Agency: agency}, by)
}

func (s *Service) Start(ctx context.Context, id int64, version int, by Actor) (*siaga.Incident, error) {
	return s.Act(ctx, id, Action{Kind: siaga.StepInHand, Version: version}, by)
}

func (s *Service) Close(ctx context.Context, id int64, version int, outcome string, by Actor) (*siaga.Incident, error) {
	return s.Act(ctx, id, Action{Kind: siaga.StepClosed, Version: version, Text: outcome}, by)
}

func (s *Service) Note(ctx context.Context, id int64, version int, text string, by Actor) (*siaga.Incident, error) {
	return s.Act(ctx, id, Action{Kind: siaga.StepNote, Version: version, Text: text}, by)
}

func (s *Service) Group(ctx context.Context, id int64, version int, headID int64, by Actor) (*siaga.Incident, error) {
	return s.Act(ctx, id, Action{Kind: siaga.StepGrouped, Version: version, Head: headID}, by)
}

func (s *Service) Ungroup(ctx context.Context, id int64, version int, by Actor) (*siaga.Incident, error) {
	return s.Act(ctx, id, Action{Kind: siaga.StepUngrouped, Version: version}, by)
}
