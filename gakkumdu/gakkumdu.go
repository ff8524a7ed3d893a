package gakkumdu

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// Incidents is the part of the incident store a case needs: the incident
// it comes from, for its place and title.
type Incidents interface {
	IncidentByID(ctx context.Context, id int64) (*siaga.Incident, error)
}

// Config is what the service needs.
type Config struct {
	Store     siaga.CaseStore
	Incidents Incidents
	Now       func() time.Time
}

// Service opens cases and moves them through their stages.
type Service struct {
	cfg Config
}

// New returns the service of cfg.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// SuggestedCategories are the incident categories that are most often
// election crimes: the incident page suggests opening a case for them,
// though any incident may become one.
var SuggestedCategories = []siaga.IncidentCategory{siaga.IncidentMoneyPolitic, siaga.IncidentNeutrality,
	siaga.IncidentIntimidation, siaga.IncidentViolence, siaga.IncidentProcedure}

// Suggested says whether a case is suggested for incidents of c.
func Suggested(c siaga.IncidentCategory) bool { return slices.Contains(SuggestedCategories, c) }

// writerAgency is the Sentra Gakkumdu member u writes cases for: Bawaslu
// accounts, and security liaisons (aparat) of Polri or the Kejaksaan.
// Others (a TNI liaison, the desk) read cases but write none.
func writerAgency(u *siaga.User) (siaga.Agency, error) {
	if u == nil {
		return "", siaga.Errorf(siaga.EUnauthorized, "", "Masuk dulu", "sign in first")
	}
	a := u.AgencyOf()
	switch {
	case u.Role == siaga.RoleBawaslu && a == siaga.AgencyBawaslu:
		return a, nil
	case u.Role == siaga.RoleAparat && (a == siaga.AgencyPolri || a == siaga.AgencyKejaksaan):
		return a, nil
	case a == siaga.AgencyTNI:
		return "", siaga.Errorf(siaga.EForbidden, "", "TNI bukan anggota Sentra Gakkumdu: akun TNI dapat membaca perkara tetapi tidak mengubahnya",
			"the TNI is not a member of Sentra Gakkumdu: a TNI account reads cases but cannot change them")
	}
	return "", siaga.Errorf(siaga.EForbidden, "", "Hanya Bawaslu, Polri dan Kejaksaan (Sentra Gakkumdu) yang mengubah perkara",
		"only Bawaslu, Polri and the Kejaksaan (Sentra Gakkumdu) change cases")
}

// CanWrite says whether u may open cases and add documents.
func CanWrite(u *siaga.User) bool { _, err := writerAgency(u); return err == nil }

// CanAct says whether u may move a case at stage s on or stop it: the
// agency whose stage it is.
func CanAct(u *siaga.User, s siaga.CaseStage) bool {
	a, err := writerAgency(u)
	return err == nil && !s.Done() && a == s.Agency()
}

func inScope(u *siaga.User, region string) error {
	if !siaga.InScope(u.Scope, region) {
		return siaga.Errorf(siaga.EForbidden, "", "Perkara ini di luar wilayah akun Anda", "this case is outside your account's region")
	}
	return nil
}

func actor(u *siaga.User) string { return "user:" + u.Username }

// OpenInput is what opening a case asks.
type OpenInput struct {
	Incident int64
	Origin   siaga.CaseOrigin
	Title    string // empty: the incident's
	Suspect  string
	Article  string
	KnownAt  time.Time // zero: when the incident was reported
}

// Open opens a case from an incident in u's scope: one case per incident.
func (s *Service) Open(ctx context.Context, u *siaga.User, in OpenInput) (*siaga.Case, error) {
	agency, err := writerAgency(u)
	if err != nil {
		return nil, err
	}
	if s.cfg.Incidents == nil {
		return nil, siaga.Errorf(siaga.EUnavailable, "", "Insiden tidak dicatat di server ini", "incidents are not recorded on this server")
	}
	inc, err := s.cfg.Incidents.IncidentByID(ctx, in.Incident)
	if err != nil {
		return nil, err
	}
	if err := inScope(u, inc.Region); err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	if in.Origin == "" {
		in.Origin = siaga.OriginReport
	}
	if in.Title == "" {
		in.Title = inc.Title
	}
	if in.KnownAt.IsZero() {
		in.KnownAt = inc.ReportedAt
	}
	if err := validateOpen(in, now); err != nil {
		return nil, err
	}
	if n, err := s.cfg.Store.CountCases(ctx, siaga.CaseFilter{Incident: inc.ID}); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, siaga.Errorf(siaga.EConflict, "insiden", "Insiden %d sudah menjadi perkara Gakkumdu", "incident %d is already a Gakkumdu case", inc.ID)
	}
	due := Deadline(siaga.StageReview, in.KnownAt)
	c := &siaga.Case{Incident: inc.ID, Region: inc.Region, Origin: in.Origin, Title: in.Title, Suspect: in.Suspect,
		Article: in.Article, KnownAt: in.KnownAt, Stage: siaga.StageReview, StageAt: in.KnownAt, Due: due, By: actor(u), Created: now,
		Stages: []siaga.CaseStep{{Stage: siaga.StageReview, At: in.KnownAt, Due: due, By: actor(u), Agency: agency, RecordedAt: now}}}
	err = s.cfg.Store.CreateCase(ctx, c, s.audit(u, siaga.AuditCaseOpen, 0, c.Region, map[string]any{"incident": inc.ID}))
	return c, err
}

func validateOpen(in OpenInput, now time.Time) error {
	if in.Origin != siaga.OriginReport && in.Origin != siaga.OriginFinding {
		return siaga.Errorf(siaga.EInvalid, "asal", "Asal perkara harus temuan atau laporan", "origin must be temuan or laporan")
	}
	if err := text("judul", in.Title, 200, true); err != nil {
		return err
	}
	if err := text("terlapor", in.Suspect, 200, false); err != nil {
		return err
	}
	if err := text("pasal", in.Article, 100, false); err != nil {
		return err
	}
	if in.KnownAt.After(now) {
		return siaga.Errorf(siaga.EInvalid, "diketahui", "Waktu diketahui tidak boleh di masa depan", "the time it became known cannot be in the future")
	}
	return nil
}

// text checks a free-text field: valid UTF-8, at most max runes, and
// present when required. Markup is kept as written and escaped wherever
// it is shown.
func text(field, v string, max int, required bool) error {
	if required && strings.TrimSpace(v) == "" {
		return siaga.Errorf(siaga.EInvalid, field, "Isian %s wajib diisi", "field %s is required", field)
	}
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max {
		return siaga.Errorf(siaga.EInvalid, field, "Isian %s paling panjang %d huruf", "field %s takes at most %d characters", field, max)
	}
	return nil
}

func (s *Service) audit(u *siaga.User, action string, id int64, region string, detail map[string]any) siaga.AuditEvent {
	b, _ := json.Marshal(detail)
	subject := "gakkumdu:"
	if id != 0 {
		subject = fmt.Sprintf("gakkumdu:%d", id)
	}
	return siaga.AuditEvent{At: s.cfg.Now(), Actor: actor(u), Action: action, Subject: subject, Scope: region, Detail: b}
}

// Case returns a case in u's scope, with its history.
func (s *Service) Case(ctx context.Context, u *siaga.User, id int64) (*siaga.Case, error) {
	c, err := s.cfg.Store.CaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := inScope(u, c.Region); err != nil {
		return nil, err
	}
	return c, nil
}

// Documents lists a case's documents (no bytes); Document reads one.
func (s *Service) Documents(ctx context.Context, c *siaga.Case) ([]siaga.CaseDocument, error) {
	return s.cfg.Store.CaseDocuments(ctx, c.ID)
}

// Document reads one document of a case in u's scope.
func (s *Service) Document(ctx context.Context, u *siaga.User, caseID, id int64) (*siaga.CaseDocument, error) {
	if _, err := s.Case(ctx, u, caseID); err != nil {
		return nil, err
	}
	return s.cfg.Store.CaseDocument(ctx, caseID, id)
}

// Page is one page of a case list and how many cases the filter selects.
type Page struct {
	Items []siaga.Case `json:"items"`
	Total int          `json:"total"`
	Next  int64        `json:"next,omitempty"` // Before of the next page, 0 at the end
}

// List returns the page f selects under f.Scope, which must lie in u's
// scope; Overdue keeps the cases past their deadline now.
func (s *Service) List(ctx context.Context, u *siaga.User, f siaga.CaseFilter, overdue bool) (Page, error) {
	if err := inScope(u, f.Scope); err != nil {
		return Page{}, err
	}
	if f.Stage != "" && !f.Stage.Valid() {
		return Page{}, siaga.Errorf(siaga.EInvalid, "tahap", "Tahap %q tidak dikenal", "unknown stage %q", f.Stage)
	}
	if overdue {
		f.OverdueAt = s.cfg.Now()
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 100
	}
	total, err := s.cfg.Store.CountCases(ctx, f)
	if err != nil {
		return Page{}, err
	}
	items, err := s.cfg.Store.Cases(ctx, f)
	if err != nil {
		return Page{}, err
	}
	p := Page{Items: items, Total: total}
	if items == nil {
		p.Items = []siaga.Case{}
	}
	if len(items) == f.Limit {
		p.Next = items[len(items)-1].ID
	}
	return p, nil
}

// DocumentInput is one uploaded document.
type DocumentInput struct {
	Name string
	Data []byte
}

// AdvanceInput moves a case to its next stage.
type AdvanceInput struct {
	Version int // the version the form was read at
	To      siaga.CaseStage
	At      time.Time // when the file reached the next agency; zero: now
	Note    string    // the judgement, for inkracht
	Docs    []DocumentInput
}

// Advance moves a case to in.To with the stage's documents. Only the
// agency of the current stage moves it on.
func (s *Service) Advance(ctx context.Context, u *siaga.User, id int64, in AdvanceInput) (*siaga.Case, error) {
	c, agency, err := s.forAction(ctx, u, id, in.Version)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(c.Stage.Next(), in.To) {
		return nil, siaga.Errorf(siaga.EInvalid, "tahap", "Dari tahap %s perkara tidak dapat ke %s", "a case at %s cannot move to %s", c.Stage, in.To)
	}
	now := s.cfg.Now()
	at, err := eventTime(c, in.At, now)
	if err != nil {
		return nil, err
	}
	if err := text("catatan", in.Note, 2000, in.To == siaga.StageFinal); err != nil {
		return nil, err
	}
	docs, err := s.documents(u, c.ID, in.To, in.Docs, now)
	if err != nil {
		return nil, err
	}
	from := c.Stage
	step := siaga.CaseStep{Stage: in.To, At: at, Due: Deadline(in.To, at), Note: in.Note, By: actor(u), Agency: agency, RecordedAt: now}
	c.Stage, c.StageAt, c.Due, c.Version = in.To, at, step.Due, c.Version+1
	if in.To == siaga.StageFinal {
		c.Outcome = in.Note
	}
	err = s.cfg.Store.UpdateCase(ctx, c, step, s.audit(u, siaga.AuditCaseAdvance, c.ID, c.Region, map[string]any{"from": from, "to": in.To}))
	if err != nil {
		return nil, err
	}
	c.Stages = append(c.Stages, step)
	return c, s.storeDocuments(ctx, u, c, docs)
}

// Stop ends a case at its current stage with a reason: the agency of the
// stage decides it (Bawaslu: not an election crime; Polri: SP3;
// Kejaksaan: no prosecution).
func (s *Service) Stop(ctx context.Context, u *siaga.User, id int64, version int, reason string) (*siaga.Case, error) {
	c, agency, err := s.forAction(ctx, u, id, version)
	if err != nil {
		return nil, err
	}
	if err := text("alasan", reason, 2000, true); err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	from := c.Stage
	step := siaga.CaseStep{Stage: siaga.StageStopped, At: now, Note: reason, By: actor(u), Agency: agency, RecordedAt: now}
	c.Stage, c.StageAt, c.Due, c.Outcome, c.Version = siaga.StageStopped, now, time.Time{}, reason, c.Version+1
	err = s.cfg.Store.UpdateCase(ctx, c, step, s.audit(u, siaga.AuditCaseStop, c.ID, c.Region, map[string]any{"from": from}))
	if err != nil {
		return nil, err
	}
	c.Stages = append(c.Stages, step)
	return c, nil
}

// forAction reads a running case for u to act on at version.
func (s *Service) forAction(ctx context.Context, u *siaga.User, id int64, version int) (*siaga.Case, siaga.Agency, error) {
	agency, err := writerAgency(u)
	if err != nil {
		return nil, "", err
	}
	c, err := s.Case(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	if c.Stage.Done() {
		return nil, "", siaga.Errorf(siaga.EConflict, "tahap", "Perkara %d sudah selesai (%s)", "case %d has ended (%s)", c.ID, c.Stage)
	}
	if agency != c.Stage.Agency() {
		return nil, "", siaga.Errorf(siaga.EForbidden, "", "Tahap %s ditangani %s, bukan %s", "stage %s is handled by %s, not %s",
			c.Stage, c.Stage.Agency(), agency)
	}
	if version != c.Version {
		return nil, "", siaga.Errorf(siaga.EConflict, "version", "Perkara %d sudah diubah orang lain; muat ulang halaman",
			"case %d was changed by someone else; reload the page", c.ID)
	}
	return c, agency, nil
}

// eventTime is when a stage began: at, or now when zero; never in the
// future nor before the stage it follows.
func eventTime(c *siaga.Case, at, now time.Time) (time.Time, error) {
	if at.IsZero() {
		return now, nil
	}
	if at.After(now) {
		return at, siaga.Errorf(siaga.EInvalid, "tanggal", "Tanggal tidak boleh di masa depan", "the date cannot be in the future")
	}
	if at.Before(c.StageAt) {
		return at, siaga.Errorf(siaga.EInvalid, "tanggal", "Tanggal tidak boleh sebelum tahap %s dimulai", "the date cannot be before stage %s began", c.Stage)
	}
	return at, nil
}

// AddDocument adds a document to the case's current stage.
func (s *Service) AddDocument(ctx context.Context, u *siaga.User, id int64, in DocumentInput) (*siaga.CaseDocument, error) {
	if _, err := writerAgency(u); err != nil {
		return nil, err
	}
	c, err := s.Case(ctx, u, id)
	if err != nil {
		return nil, err
	}
	docs, err := s.documents(u, c.ID, c.Stage, []DocumentInput{in}, s.cfg.Now())
	if err != nil {
		return nil, err
	}
	if err := s.storeDocuments(ctx, u, c, docs); err != nil {
		return nil, err
	}
	return &docs[0], nil
}

// documentTypes are the types a document may have, as sniffed.
var documentTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// documents checks every upload before anything is stored: a bad one
// refuses them all.
func (s *Service) documents(u *siaga.User, caseID int64, stage siaga.CaseStage, in []DocumentInput, now time.Time) ([]siaga.CaseDocument, error) {
	var out []siaga.CaseDocument
	for _, d := range in {
		name := path.Base(strings.ReplaceAll(d.Name, "\\", "/"))
		if name == "." || name == "/" {
			name = "dokumen"
		}
		if err := text("dokumen", name, 200, true); err != nil {
			return nil, err
		}
		if len(d.Data) == 0 {
			return nil, siaga.Errorf(siaga.EInvalid, "dokumen", "Dokumen %s kosong", "document %s is empty", name)
		}
		if len(d.Data) > siaga.MaxCaseDocument {
			return nil, siaga.Errorf(siaga.ETooLarge, "dokumen", "Dokumen %s lebih dari 5 MiB", "document %s is over 5 MiB", name)
		}
		typ := http.DetectContentType(d.Data)
		if !slices.Contains(documentTypes, typ) {
			return nil, siaga.Errorf(siaga.EInvalid, "dokumen", "Dokumen %s bukan PDF, JPEG atau PNG (%s)", "document %s is not a PDF, JPEG or PNG (%s)", name, typ)
		}
		sum := sha256.Sum256(d.Data)
		out = append(out, siaga.CaseDocument{Case: caseID, Stage: stage, Name: name, Type: typ, Size: len(d.Data),
			SHA256: hex.EncodeToString(sum[:]), Data: d.Data, By: actor(u), At: now})
	}
	return out, nil
}

func (s *Service) storeDocuments(ctx context.Context, u *siaga.User, c *siaga.Case, docs []siaga.CaseDocument) error {
	for i := range docs {
		d := &docs[i]
		err := s.cfg.Store.AddCaseDocument(ctx, d, s.audit(u, siaga.AuditCaseDocument, c.ID, c.Region,
			map[string]any{"stage": d.Stage, "name": d.Name, "sha256": d.SHA256}))
		if err != nil {
			return err
		}
	}
	return nil
}

// Overdue lists the cases under scope whose running stage is past its
// deadline now, newest first: the situation report's list.
func (s *Service) Overdue(ctx context.Context, scope string) ([]siaga.Case, error) {
	var out []siaga.Case
	f := siaga.CaseFilter{Scope: scope, OverdueAt: s.cfg.Now(), Limit: 100}
	for {
		page, err := s.cfg.Store.Cases(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		f.Before = page[len(page)-1].ID
	}
}

// Alerts lists the overdue alerts raised under scope, newest first.
func (s *Service) Alerts(ctx context.Context, scope string, limit int) ([]siaga.CaseAlert, error) {
	return s.cfg.Store.CaseAlerts(ctx, scope, limit)
}

// RaiseOverdue stores an alert for every case past its deadline whose
// stage has none yet, and says how many it stored.
func (s *Service) RaiseOverdue(ctx context.Context) (int, error) {
	now := s.cfg.Now()
	cases, err := s.Overdue(ctx, "")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cases {
		added, err := s.cfg.Store.AddCaseAlert(ctx, siaga.CaseAlert{Case: c.ID, Stage: c.Stage, Region: c.Region, Title: c.Title, Due: c.Due, At: now})
		if err != nil {
			return n, err
		}
		if added {
			n++
		}
	}
	return n, nil
}

// RunOverdueAlerts raises the overdue alerts every interval until ctx
// ends: the server's schedule, so that a stage whose clock ran out
// reaches the situation report without anyone opening its case. A failure
// is logged and tried again at the next tick.
func (s *Service) RunOverdueAlerts(ctx context.Context, every time.Duration, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.RaiseOverdue(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("gakkumdu: overdue alerts", "err", err)
		} else if n > 0 {
			logger.Info("gakkumdu: overdue alerts raised", "n", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Incident reads the incident a case is opened from, in u's scope: the
// form that opens one shows it.
func (s *Service) Incident(ctx context.Context, u *siaga.User, id int64) (*siaga.Incident, error) {
	if s.cfg.Incidents == nil {
		return nil, siaga.Errorf(siaga.EUnavailable, "", "Insiden tidak dicatat di server ini", "incidents are not recorded on this server")
	}
	inc, err := s.cfg.Incidents.IncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return inc, inScope(u, inc.Region)
}
