package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// Meetings and their action items (migration 00021). A meeting's lists
// (participants, agenda, decisions) are JSON columns: they are the
// minutes, always read and written whole with their meeting.

const meetingColumns = "region, title, at, place, chair, participants, agenda, decisions, notes, created_by, updated_at, version"

func meetingArgs(m *siaga.Meeting) ([]any, error) {
	var lists [3][]byte
	for i, v := range []any{nonNil(m.Participants), nonNil(m.Agenda), nonNil(m.Decisions)} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("meeting lists: %w", err)
		}
		lists[i] = b
	}
	return []any{m.Region, m.Title, nanos(m.At), m.Place, m.Chair, string(lists[0]), string(lists[1]), string(lists[2]),
		m.Notes, m.CreatedBy, nanos(m.UpdatedAt), m.Version}, nil
}

// nonNil stores an empty list as [] rather than null, so that a meeting
// reads back as it was written.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func scanMeeting(sc scanner, m *siaga.Meeting) error {
	var at, updated sql.NullInt64
	var participants, agenda, decisions string
	if err := sc.Scan(&m.ID, &m.Region, &m.Title, &at, &m.Place, &m.Chair, &participants, &agenda, &decisions,
		&m.Notes, &m.CreatedBy, &updated, &m.Version); err != nil {
		return err
	}
	m.At, m.UpdatedAt = fromNanos(at), fromNanos(updated)
	m.Participants, m.Agenda, m.Decisions = nil, nil, nil
	for _, l := range []struct {
		text string
		dst  any
	}{{participants, &m.Participants}, {agenda, &m.Agenda}, {decisions, &m.Decisions}} {
		if err := json.Unmarshal([]byte(l.text), l.dst); err != nil {
			return fmt.Errorf("meeting %d lists: %w", m.ID, err)
		}
	}
	return nil
}

// meetingSubject names a meeting in the audit log.
func meetingSubject(id int64) string { return "rapat#" + strconv.FormatInt(id, 10) }

// CreateMeeting stores m and sets m.ID.
func (db *DB) CreateMeeting(ctx context.Context, m *siaga.Meeting, audit ...siaga.AuditEvent) error {
	args, err := meetingArgs(m)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q("INSERT INTO meetings ("+meetingColumns+
			") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"), args...).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("create meeting: %w", err)
		}
		return db.appendAudit(ctx, tx, withSubject(audit, meetingSubject(m.ID)))
	})
}

// UpdateMeeting writes m over the stored row if that is at m.Version-1.
func (db *DB) UpdateMeeting(ctx context.Context, m *siaga.Meeting, audit ...siaga.AuditEvent) error {
	args, err := meetingArgs(m)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE meetings SET region = ?, title = ?, at = ?, place = ?, chair = ?,
			participants = ?, agenda = ?, decisions = ?, notes = ?, created_by = ?, updated_at = ?, version = ?
			WHERE id = ? AND version = ?`), append(args, m.ID, m.Version-1)...)
		if err != nil {
			return fmt.Errorf("update meeting: %w", err)
		}
		if err := db.versionLost(ctx, tx, res, "meetings", m.ID, "Rapat", "meeting"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, withSubject(audit, meetingSubject(m.ID)))
	})
}

// versionLost explains an update that changed no row: the row is missing
// (ENotFound) or someone else changed it first (EConflict).
func (db *DB) versionLost(ctx context.Context, tx *sql.Tx, res sql.Result, table string, id int64, id1, en string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update %s: %w", table, err)
	}
	if n > 0 {
		return nil
	}
	var version int
	err = tx.QueryRowContext(ctx, db.q("SELECT version FROM "+table+" WHERE id = ?"), id).Scan(&version)
	if err == sql.ErrNoRows {
		return &siaga.Error{Code: siaga.ENotFound, Field: "id", Message: fmt.Sprintf("%s %d tidak ada", id1, id),
			MessageEN: fmt.Sprintf("no %s %d", en, id)}
	} else if err != nil {
		return fmt.Errorf("update %s: %w", table, err)
	}
	return &siaga.Error{Code: siaga.EConflict, Field: "version",
		Message:   fmt.Sprintf("%s %d sudah diubah orang lain (versi %d); muat ulang", id1, id, version),
		MessageEN: fmt.Sprintf("%s %d was changed by someone else (version %d); reload", en, id, version)}
}

func withSubject(audit []siaga.AuditEvent, subject string) []siaga.AuditEvent {
	for i := range audit {
		audit[i].Subject = subject
	}
	return audit
}

const selectMeetings = "SELECT id, " + meetingColumns + " FROM meetings"

// Meeting returns one meeting by ID.
func (db *DB) Meeting(ctx context.Context, id int64) (*siaga.Meeting, error) {
	list, err := queryAll(ctx, db.read, "meeting", scanMeeting, db.q(selectMeetings+" WHERE id = ?"), id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, siaga.Errorf(siaga.ENotFound, "id", "Rapat %d tidak ada", "no meeting %d", id)
	}
	return &list[0], nil
}

// Meetings returns a page of the meetings f selects, newest ID first.
func (db *DB) Meetings(ctx context.Context, f siaga.MeetingFilter) (siaga.MeetingPage, error) {
	w := &where{}
	if f.Scope != "" {
		w.add("region LIKE ?", prefix(f.Scope))
	}
	page := siaga.MeetingPage{Items: []siaga.Meeting{}}
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM meetings"+w.String()), w.args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count meetings: %w", err)
	}
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	query, args := selectMeetings+w.String()+" ORDER BY id DESC", w.args
	if f.Limit > 0 {
		query += " LIMIT ?" // one more than asked tells whether there is a next page
		args = append(args, f.Limit+1)
	}
	items, err := queryAll(ctx, db.read, "meetings", scanMeeting, db.q(query), args...)
	if err != nil {
		return page, err
	}
	if f.Limit > 0 && len(items) > f.Limit {
		items = items[:f.Limit]
		page.Next = items[len(items)-1].ID
	}
	if items != nil {
		page.Items = items
	}
	return page, nil
}

const actionColumns = "meeting, decision, text, agency, region, due, status, done_at, done_by, done_note, reason, updated_at, version"

func actionArgs(a *siaga.ActionItem) []any {
	return []any{a.Meeting, a.Decision, a.Text, string(a.Agency), a.Region, a.Due, string(a.Status), nanos(a.DoneAt),
		a.DoneBy, a.DoneNote, a.Reason, nanos(a.UpdatedAt), a.Version}
}

func scanAction(sc scanner, a *siaga.ActionItem) error {
	var done, updated sql.NullInt64
	if err := sc.Scan(&a.ID, &a.Meeting, &a.Decision, &a.Text, &a.Agency, &a.Region, &a.Due, &a.Status, &done,
		&a.DoneBy, &a.DoneNote, &a.Reason, &updated, &a.Version); err != nil {
		return err
	}
	a.DoneAt, a.UpdatedAt = fromNanos(done), fromNanos(updated)
	return nil
}

func scanActionStep(sc scanner, s *siaga.ActionStep) error {
	var at sql.NullInt64
	if err := sc.Scan(&at, &s.Kind, &s.Status, &s.By, &s.Text); err != nil {
		return err
	}
	s.At = fromNanos(at)
	return nil
}

func (db *DB) addActionStep(ctx context.Context, tx *sql.Tx, item int64, s siaga.ActionStep) error {
	_, err := tx.ExecContext(ctx, db.q("INSERT INTO action_steps (item, at, kind, status, by_name, text) VALUES (?, ?, ?, ?, ?, ?)"),
		item, nanos(s.At), string(s.Kind), string(s.Status), s.By, s.Text)
	if err != nil {
		return fmt.Errorf("action step: %w", err)
	}
	return nil
}

// actionSubject names an action item in the audit log with its meeting.
func actionSubject(a *siaga.ActionItem) string {
	return fmt.Sprintf("rapat#%d/tindak-lanjut#%d", a.Meeting, a.ID)
}

// CreateActionItem stores a and its first step and sets a.ID; an unknown
// meeting is EInvalid (the foreign key).
func (db *DB) CreateActionItem(ctx context.Context, a *siaga.ActionItem, step siaga.ActionStep, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q("INSERT INTO action_items ("+actionColumns+
			") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"), actionArgs(a)...).Scan(&a.ID)
		if err != nil {
			return db.conflict(err, "meeting", "", "")
		}
		if err := db.addActionStep(ctx, tx, a.ID, step); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, withSubject(audit, actionSubject(a)))
	})
}

// UpdateActionItem writes a over the stored row if that is at
// a.Version-1, and appends step.
func (db *DB) UpdateActionItem(ctx context.Context, a *siaga.ActionItem, step siaga.ActionStep, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE action_items SET meeting = ?, decision = ?, text = ?, agency = ?,
			region = ?, due = ?, status = ?, done_at = ?, done_by = ?, done_note = ?, reason = ?, updated_at = ?, version = ?
			WHERE id = ? AND version = ?`), append(actionArgs(a), a.ID, a.Version-1)...)
		if err != nil {
			return fmt.Errorf("update action item: %w", err)
		}
		if err := db.versionLost(ctx, tx, res, "action_items", a.ID, "Tindak lanjut", "action item"); err != nil {
			return err
		}
		if err := db.addActionStep(ctx, tx, a.ID, step); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, withSubject(audit, actionSubject(a)))
	})
}

const selectActions = "SELECT id, " + actionColumns + " FROM action_items"

// ActionItem returns one item with its steps, oldest first.
func (db *DB) ActionItem(ctx context.Context, id int64) (*siaga.ActionItem, error) {
	list, err := queryAll(ctx, db.read, "action item", scanAction, db.q(selectActions+" WHERE id = ?"), id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, siaga.Errorf(siaga.ENotFound, "id", "Tindak lanjut %d tidak ada", "no action item %d", id)
	}
	a := &list[0]
	a.Steps, err = queryAll(ctx, db.read, "action steps", scanActionStep,
		db.q("SELECT at, kind, status, by_name, text FROM action_steps WHERE item = ? ORDER BY id"), id)
	return a, err
}

// ActionItems returns a page of the items f selects, in ID order.
func (db *DB) ActionItems(ctx context.Context, f siaga.ActionItemFilter) (siaga.ActionItemPage, error) {
	w := &where{}
	if f.Scope != "" {
		w.add("region LIKE ?", prefix(f.Scope))
	}
	if f.Meeting > 0 {
		w.add("meeting = ?", f.Meeting)
	}
	if f.Agency != "" {
		w.add("agency = ?", string(f.Agency))
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.OverdueOn != "" {
		w.add("status = ? AND due < ?", string(siaga.ActionOpen), f.OverdueOn)
	}
	page := siaga.ActionItemPage{Items: []siaga.ActionItem{}}
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM action_items"+w.String()), w.args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count action items: %w", err)
	}
	if f.After > 0 {
		w.add("id > ?", f.After)
	}
	query, args := selectActions+w.String()+" ORDER BY id", w.args
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit+1)
	}
	items, err := queryAll(ctx, db.read, "action items", scanAction, db.q(query), args...)
	if err != nil {
		return page, err
	}
	if f.Limit > 0 && len(items) > f.Limit {
		items = items[:f.Limit]
		page.Next = items[len(items)-1].ID
	}
	if items != nil {
		page.Items = items
	}
	return page, nil
}
