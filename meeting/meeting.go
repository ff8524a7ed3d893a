// Package meeting keeps the desk's coordination meetings and follows their
// action items to done (docs/security-incidents.md, "Coordination
// meetings and action items"). The desk writes the minutes and gives each
// decision's tasks to an agency with a due date; that agency's accounts
// (siaga.User.AgencyOf) or the desk mark a task done with a note, reopen
// it, or the desk cancels it with a reason. Every step keeps who and when.
package meeting

import (
	"context"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

// Config is what a Service needs.
type Config struct {
	Store siaga.MeetingStore
	// Region looks a region up in the registry (registry.Index.Region):
	// meetings and items name known regions only.
	Region func(code string) (siaga.Region, bool)
	Now    func() time.Time
}

// Service records meetings and moves their action items, each change
// checked (rights, validation, version) and audited.
type Service struct {
	cfg Config
}

// New returns a service for cfg.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Today is the day (YYYY-MM-DD) in WIB at now: the desk's calendar, which
// decides what is overdue whatever the server's zone.
func Today(now time.Time) string { return now.In(siaga.WIB).Format(siaga.DueDate) }

// CanWrite says whether u may create and edit meetings of region and give
// their tasks: the desk, in its scope.
func CanWrite(u *siaga.User, region string) bool {
	return u != nil && u.Role == siaga.RoleDesk && siaga.InScope(u.Scope, region)
}

// CanClose says whether u may mark a done or reopen it: the desk in scope,
// or an account of the agency the item is given to whose scope covers
// the item's region (Polres Lebak for an item of Lebak).
func CanClose(u *siaga.User, a *siaga.ActionItem) bool {
	if u == nil || !siaga.InScope(u.Scope, a.Region) {
		return false
	}
	return u.Role == siaga.RoleDesk || (u.AgencyOf() != "" && u.AgencyOf() == a.Agency)
}

// Meeting returns one meeting.
func (s *Service) Meeting(ctx context.Context, id int64) (*siaga.Meeting, error) {
	return s.cfg.Store.Meeting(ctx, id)
}

// Meetings returns the page f selects.
func (s *Service) Meetings(ctx context.Context, f siaga.MeetingFilter) (siaga.MeetingPage, error) {
	return s.cfg.Store.Meetings(ctx, f)
}

// ActionItem returns one action item with its steps.
func (s *Service) ActionItem(ctx context.Context, id int64) (*siaga.ActionItem, error) {
	return s.cfg.Store.ActionItem(ctx, id)
}

// ActionItems returns the page f selects.
func (s *Service) ActionItems(ctx context.Context, f siaga.ActionItemFilter) (siaga.ActionItemPage, error) {
	return s.cfg.Store.ActionItems(ctx, f)
}

// Overdue returns every open item of scope whose due day ended before
// now's day in WIB: an item due today is not overdue yet. The situation
// report lists them.
func (s *Service) Overdue(ctx context.Context, scope string, now time.Time) ([]siaga.ActionItem, error) {
	page, err := s.cfg.Store.ActionItems(ctx, siaga.ActionItemFilter{Scope: scope, OverdueOn: Today(now)})
	return page.Items, err
}

// CreateMeeting stores m, written by u.
func (s *Service) CreateMeeting(ctx context.Context, u *siaga.User, m siaga.Meeting) (*siaga.Meeting, error) {
	if !CanWrite(u, m.Region) {
		return nil, forbidden(m.Region)
	}
	if err := s.checkMeeting(&m); err != nil {
		return nil, err
	}
	m.ID, m.CreatedBy, m.UpdatedAt, m.Version = 0, actor(u), s.cfg.Now(), 1
	if err := s.cfg.Store.CreateMeeting(ctx, &m, s.audit(u, siaga.AuditMeetingSave, m.Region, map[string]any{
		"title": m.Title, "at": m.At, "version": m.Version})); err != nil {
		return nil, err
	}
	return &m, nil
}

// UpdateMeeting stores the minutes m over the stored meeting; m.Version
// is the version u read, so an edit made meanwhile gives EConflict. The
// region and the author stay as they were.
func (s *Service) UpdateMeeting(ctx context.Context, u *siaga.User, m siaga.Meeting) (*siaga.Meeting, error) {
	old, err := s.cfg.Store.Meeting(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	if !CanWrite(u, old.Region) {
		return nil, forbidden(old.Region)
	}
	if m.Version != old.Version {
		return nil, stale("Rapat", "meeting", m.ID)
	}
	m.Region, m.CreatedBy = old.Region, old.CreatedBy
	if err := s.checkMeeting(&m); err != nil {
		return nil, err
	}
	m.UpdatedAt, m.Version = s.cfg.Now(), old.Version+1
	if err := s.cfg.Store.UpdateMeeting(ctx, &m, s.audit(u, siaga.AuditMeetingSave, m.Region, map[string]any{
		"title": m.Title, "at": m.At, "version": m.Version})); err != nil {
		return nil, err
	}
	return &m, nil
}

// AddActionItem gives a task of meeting a.Meeting to an agency.
func (s *Service) AddActionItem(ctx context.Context, u *siaga.User, a siaga.ActionItem) (*siaga.ActionItem, error) {
	m, err := s.cfg.Store.Meeting(ctx, a.Meeting)
	if err != nil {
		return nil, err
	}
	if !CanWrite(u, m.Region) {
		return nil, forbidden(m.Region)
	}
	if a.Region == "" {
		a.Region = m.Region
	}
	if err := s.checkItem(m, &a); err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	a.ID, a.Status, a.UpdatedAt, a.Version = 0, siaga.ActionOpen, now, 1
	a.DoneAt, a.DoneBy, a.DoneNote, a.Reason, a.Steps = time.Time{}, "", "", "", nil
	step := siaga.ActionStep{At: now, Kind: siaga.ActionStepCreated, Status: siaga.ActionOpen, By: name(u)}
	if err := s.cfg.Store.CreateActionItem(ctx, &a, step, s.itemAudit(u, &a, step)); err != nil {
		return nil, err
	}
	a.Steps = []siaga.ActionStep{step}
	return &a, nil
}

// MarkDone records that the task is done, with what was done (note).
func (s *Service) MarkDone(ctx context.Context, u *siaga.User, id int64, version int, note string) (*siaga.ActionItem, error) {
	return s.move(ctx, u, id, version, siaga.ActionStepDone, note, func(a *siaga.ActionItem, now time.Time) error {
		if a.Status != siaga.ActionOpen {
			return notOpen(a)
		}
		if err := text("catatan", "catatan penyelesaian", "completion note", note, maxText, true); err != nil {
			return err
		}
		a.Status, a.DoneAt, a.DoneBy, a.DoneNote = siaga.ActionDone, now, name(u), note
		return nil
	})
}

// Reopen puts a done or cancelled task back to open, with why.
func (s *Service) Reopen(ctx context.Context, u *siaga.User, id int64, version int, reason string) (*siaga.ActionItem, error) {
	return s.move(ctx, u, id, version, siaga.ActionStepReopened, reason, func(a *siaga.ActionItem, _ time.Time) error {
		if a.Status == siaga.ActionOpen {
			return siaga.Errorf(siaga.EConflict, "status", "Tindak lanjut %d masih terbuka", "action item %d is still open", a.ID)
		}
		if a.Status == siaga.ActionCancelled && u.Role != siaga.RoleDesk {
			return siaga.Errorf(siaga.EForbidden, "status", "Hanya Desk yang membuka kembali tindak lanjut yang dibatalkan",
				"only the desk reopens a cancelled action item")
		}
		if err := text("alasan", "alasan", "reason", reason, maxText, true); err != nil {
			return err
		}
		a.Status, a.DoneAt, a.DoneBy, a.DoneNote, a.Reason = siaga.ActionOpen, time.Time{}, "", "", ""
		return nil
	})
}

// Cancel records that the task is no longer needed, with why: the desk
// only, which gave it.
func (s *Service) Cancel(ctx context.Context, u *siaga.User, id int64, version int, reason string) (*siaga.ActionItem, error) {
	return s.move(ctx, u, id, version, siaga.ActionStepCancelled, reason, func(a *siaga.ActionItem, _ time.Time) error {
		if u.Role != siaga.RoleDesk {
			return siaga.Errorf(siaga.EForbidden, "id", "Hanya Desk yang membatalkan tindak lanjut", "only the desk cancels an action item")
		}
		if a.Status != siaga.ActionOpen {
			return notOpen(a)
		}
		if err := text("alasan", "alasan pembatalan", "reason", reason, maxText, true); err != nil {
			return err
		}
		a.Status, a.Reason = siaga.ActionCancelled, reason
		return nil
	})
}

// move applies change to the item u read at version and stores it with
// its step.
func (s *Service) move(ctx context.Context, u *siaga.User, id int64, version int, kind siaga.ActionStepKind, note string,
	change func(a *siaga.ActionItem, now time.Time) error) (*siaga.ActionItem, error) {
	a, err := s.cfg.Store.ActionItem(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanClose(u, a) {
		return nil, siaga.Errorf(siaga.EForbidden, "id", "Tindak lanjut %d diberikan kepada %s; akun Anda tidak berwenang",
			"action item %d is given to %s; your account may not act on it", a.ID, a.Agency)
	}
	if version != a.Version {
		return nil, stale("Tindak lanjut", "action item", id)
	}
	now := s.cfg.Now()
	if err := change(a, now); err != nil {
		return nil, err
	}
	a.UpdatedAt, a.Version = now, a.Version+1
	step := siaga.ActionStep{At: now, Kind: kind, Status: a.Status, By: name(u), Text: note}
	if err := s.cfg.Store.UpdateActionItem(ctx, a, step, s.itemAudit(u, a, step)); err != nil {
		return nil, err
	}
	a.Steps = append(a.Steps, step)
	return a, nil
}

func (s *Service) audit(u *siaga.User, action, scope string, detail map[string]any) siaga.AuditEvent {
	return siaga.AuditEvent{At: s.cfg.Now(), Actor: actor(u), Action: action, Scope: scope, Detail: siaga.AuditDetail(detail)}
}

func (s *Service) itemAudit(u *siaga.User, a *siaga.ActionItem, step siaga.ActionStep) siaga.AuditEvent {
	return s.audit(u, siaga.AuditActionItem, a.Region, map[string]any{"step": step.Kind, "status": a.Status,
		"agency": a.Agency, "due": a.Due, "text": step.Text, "version": a.Version})
}

func actor(u *siaga.User) string {
	if u.ID == 0 {
		return "cli"
	}
	return "user:" + u.Username
}

// name is who a step shows: the account's name, else its username.
func name(u *siaga.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Username
}

func forbidden(region string) error {
	return siaga.Errorf(siaga.EForbidden, "region", "Hanya Desk wilayah %s yang menulis rapatnya",
		"only the desk of region %s writes its meetings", region)
}

func stale(id, en string, n int64) error {
	return &siaga.Error{Code: siaga.EConflict, Field: "version",
		Message:   fmt.Sprintf("%s %d sudah diubah orang lain; muat ulang halaman", id, n),
		MessageEN: fmt.Sprintf("%s %d was changed by someone else; reload the page", en, n)}
}

func notOpen(a *siaga.ActionItem) error {
	return siaga.Errorf(siaga.EConflict, "status", "Tindak lanjut %d sudah %s", "action item %d is already %s", a.ID, a.Status)
}

// Bounds of what a meeting holds: the minutes of a long meeting, not a
// document store.
const (
	maxLine         = 200   // a title, a place, a name
	maxText         = 2000  // an agenda item, a decision, a task, a note
	maxNotes        = 20000 // the minutes' free text
	maxParticipants = 200
	maxList         = 100 // agenda items, decisions
)

// checkMeeting validates m and trims nothing: what was typed is stored.
func (s *Service) checkMeeting(m *siaga.Meeting) error {
	reg, ok := s.cfg.Region(m.Region)
	if !ok || (reg.Level != siaga.LevelProvince && reg.Level != siaga.LevelKabKota) {
		return siaga.Errorf(siaga.EInvalid, "region", "Wilayah rapat %q harus provinsi atau kabupaten/kota yang terdaftar",
			"the meeting's region %q must be a known province or kab/kota", m.Region)
	}
	for _, f := range []struct {
		field, id, en, v string
		max              int
		required         bool
	}{
		{"title", "judul", "title", m.Title, maxLine, true},
		{"place", "tempat", "place", m.Place, maxLine, true},
		{"chair", "pimpinan rapat", "chair", m.Chair, maxLine, false},
		{"notes", "catatan", "notes", m.Notes, maxNotes, false},
	} {
		if err := text(f.field, f.id, f.en, f.v, f.max, f.required); err != nil {
			return err
		}
	}
	if m.At.IsZero() {
		return siaga.Errorf(siaga.EInvalid, "at", "Waktu rapat wajib diisi", "the meeting's time is required")
	}
	if len(m.Participants) > maxParticipants || len(m.Agenda) > maxList || len(m.Decisions) > maxList {
		return siaga.Errorf(siaga.EInvalid, "participants", "Terlalu banyak peserta, agenda atau keputusan",
			"too many participants, agenda items or decisions")
	}
	for i, p := range m.Participants {
		if !p.Agency.Valid() {
			return unknownAgency(fmt.Sprintf("participants[%d].agency", i), p.Agency)
		}
		if err := text(fmt.Sprintf("participants[%d].name", i), "nama peserta", "participant's name", p.Name, maxLine, true); err != nil {
			return err
		}
		if err := text(fmt.Sprintf("participants[%d].position", i), "jabatan peserta", "participant's position", p.Position, maxLine, false); err != nil {
			return err
		}
	}
	for i, a := range m.Agenda {
		if err := text(fmt.Sprintf("agenda[%d]", i), "agenda", "agenda item", a, maxText, true); err != nil {
			return err
		}
	}
	seen := map[int]bool{}
	for i, d := range m.Decisions {
		if d.No < 1 || seen[d.No] {
			return siaga.Errorf(siaga.EInvalid, fmt.Sprintf("decisions[%d].no", i), "Nomor keputusan %d tidak sah atau ganda",
				"decision number %d is invalid or repeated", d.No)
		}
		seen[d.No] = true
		if err := text(fmt.Sprintf("decisions[%d].text", i), "isi keputusan", "decision", d.Text, maxText, true); err != nil {
			return err
		}
	}
	return nil
}

// checkItem validates a, a task of meeting m.
func (s *Service) checkItem(m *siaga.Meeting, a *siaga.ActionItem) error {
	if err := text("text", "uraian tindak lanjut", "action item text", a.Text, maxText, true); err != nil {
		return err
	}
	if !a.Agency.Valid() {
		return unknownAgency("agency", a.Agency)
	}
	if _, ok := s.cfg.Region(a.Region); !ok || !siaga.InScope(m.Region, a.Region) {
		return siaga.Errorf(siaga.EInvalid, "region", "Wilayah %q tidak terdaftar atau di luar wilayah rapat %s",
			"region %q is unknown or outside the meeting's region %s", a.Region, m.Region)
	}
	due, err := time.ParseInLocation(siaga.DueDate, a.Due, siaga.WIB)
	if err != nil {
		return siaga.Errorf(siaga.EInvalid, "due", "Tenggat %q bukan tanggal (TTTT-BB-HH)", "due date %q is not a date (YYYY-MM-DD)", a.Due)
	}
	if a.Due < Today(m.At) {
		return siaga.Errorf(siaga.EInvalid, "due", "Tenggat %s sebelum tanggal rapat %s", "due date %s is before the meeting's day %s",
			a.Due, Today(m.At))
	}
	a.Due = due.Format(siaga.DueDate)
	if a.Decision != 0 {
		found := false
		for _, d := range m.Decisions {
			found = found || d.No == a.Decision
		}
		if !found {
			return siaga.Errorf(siaga.EInvalid, "decision", "Rapat tidak memiliki keputusan nomor %d", "the meeting has no decision %d", a.Decision)
		}
	}
	return nil
}

func unknownAgency(field string, a siaga.Agency) error {
	return siaga.Errorf(siaga.EInvalid, field, "Instansi %q tidak dikenal (%v)", "unknown agency %q (%v)", a, siaga.Agencies)
}

// text checks one text field: required, and at most max bytes.
func text(field, id, en, v string, max int, required bool) error {
	if required && v == "" {
		return &siaga.Error{Code: siaga.EInvalid, Field: field, Message: id + " wajib diisi", MessageEN: en + " is required"}
	}
	if len(v) > max {
		return &siaga.Error{Code: siaga.EInvalid, Field: field, Message: fmt.Sprintf("%s lebih dari %d karakter", id, max),
			MessageEN: fmt.Sprintf("%s is longer than %d characters", en, max)}
	}
	return nil
}
