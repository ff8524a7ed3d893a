package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/deskpemilu/siaga"
)

// Sentra Gakkumdu cases (migration 00018): the case row holds the running
// stage and its deadline; gakkumdu_steps its history; documents and the
// overdue alerts their own tables.

const caseColumns = "id, incident, region, origin, title, suspect, article, known_at, stage, stage_at, due, outcome, by_who, created, version"

// CreateCase stores c and its first stage in one transaction.
func (db *DB) CreateCase(ctx context.Context, c *siaga.Case, audit ...siaga.AuditEvent) error {
	if len(c.Stages) != 1 {
		return fmt.Errorf("create case: %d stages, want the first one", len(c.Stages))
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		c.Version = 1
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO gakkumdu_cases (incident, region, origin, title, suspect, article,
			known_at, stage, stage_at, due, outcome, by_who, created, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			c.Incident, c.Region, c.Origin, c.Title, c.Suspect, c.Article, nanos(c.KnownAt), c.Stage, nanos(c.StageAt), nanos(c.Due),
			c.Outcome, c.By, nanos(c.Created), c.Version).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("create case: %w", err)
		}
		if err := db.insertCaseStep(ctx, tx, c.ID, 1, c.Stages[0]); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, withCaseSubject(audit, c.ID))
	})
}

// withSubject names the new case in audit entries written before its ID
// was known ("gakkumdu:" alone).
func withCaseSubject(audit []siaga.AuditEvent, id int64) []siaga.AuditEvent {
	out := make([]siaga.AuditEvent, len(audit))
	for i, e := range audit {
		if e.Subject == "gakkumdu:" {
			e.Subject = fmt.Sprintf("gakkumdu:%d", id)
		}
		out[i] = e
	}
	return out
}

func (db *DB) insertCaseStep(ctx context.Context, tx *sql.Tx, id int64, seq int, s siaga.CaseStep) error {
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO gakkumdu_steps (case_id, seq, stage, at, due, note, by_who, agency, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), id, seq, s.Stage, nanos(s.At), nanos(s.Due), s.Note, s.By, s.Agency, nanos(s.RecordedAt))
	if err != nil {
		return fmt.Errorf("add case %d step: %w", id, err)
	}
	return nil
}

// UpdateCase stores c if its stored version is the one c was read at, and
// appends step as the case's step number c.Version.
func (db *DB) UpdateCase(ctx context.Context, c *siaga.Case, step siaga.CaseStep, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE gakkumdu_cases SET title = ?, suspect = ?, article = ?, stage = ?, stage_at = ?,
			due = ?, outcome = ?, version = ? WHERE id = ? AND version = ?`),
			c.Title, c.Suspect, c.Article, c.Stage, nanos(c.StageAt), nanos(c.Due), c.Outcome, c.Version, c.ID, c.Version-1)
		if err != nil {
			return fmt.Errorf("update case %d: %w", c.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update case %d: %w", c.ID, err)
		} else if n == 0 {
			return siaga.Errorf(siaga.EConflict, "version", "Perkara %d sudah diubah orang lain; muat ulang halaman",
				"case %d was changed by someone else; reload the page", c.ID)
		}
		if err := db.insertCaseStep(ctx, tx, c.ID, c.Version, step); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// CaseByID returns the case with its stages.
func (db *DB) CaseByID(ctx context.Context, id int64) (*siaga.Case, error) {
	var c siaga.Case
	err := scanCase(db.read.QueryRowContext(ctx, db.q("SELECT "+caseColumns+" FROM gakkumdu_cases WHERE id = ?"), id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "", "Perkara %d tidak ada", "case %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("case %d: %w", id, err)
	}
	c.Stages, err = queryAll(ctx, db.read, "case steps", scanCaseStep,
		db.q("SELECT stage, at, due, note, by_who, agency, recorded_at FROM gakkumdu_steps WHERE case_id = ? ORDER BY seq"), id)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func caseWhere(f siaga.CaseFilter) *where {
	w := &where{}
	if f.Scope != "" {
		w.add("region LIKE ?", prefix(f.Scope))
	}
	if f.Stage != "" {
		w.add("stage = ?", f.Stage)
	}
	if f.Incident != 0 {
		w.add("incident = ?", f.Incident)
	}
	if !f.OverdueAt.IsZero() {
		w.add("due <= ?", f.OverdueAt.UnixNano())
	}
	return w
}

// Cases returns the page f selects, newest first.
func (db *DB) Cases(ctx context.Context, f siaga.CaseFilter) ([]siaga.Case, error) {
	w := caseWhere(f)
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	return queryAll(ctx, db.read, "cases", scanCase,
		db.q("SELECT "+caseColumns+" FROM gakkumdu_cases"+w.String()+fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit)), w.args...)
}

// CountCases counts what f selects, ignoring its page.
func (db *DB) CountCases(ctx context.Context, f siaga.CaseFilter) (int, error) {
	w := caseWhere(f)
	var n int
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM gakkumdu_cases"+w.String()), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}

func scanCase(sc scanner, c *siaga.Case) error {
	var known, stageAt, due, created sql.NullInt64
	if err := sc.Scan(&c.ID, &c.Incident, &c.Region, &c.Origin, &c.Title, &c.Suspect, &c.Article, &known, &c.Stage, &stageAt,
		&due, &c.Outcome, &c.By, &created, &c.Version); err != nil {
		return err
	}
	c.KnownAt, c.StageAt, c.Due, c.Created = fromNanos(known), fromNanos(stageAt), fromNanos(due), fromNanos(created)
	return nil
}

func scanCaseStep(sc scanner, s *siaga.CaseStep) error {
	var at, due, recorded sql.NullInt64
	if err := sc.Scan(&s.Stage, &at, &due, &s.Note, &s.By, &s.Agency, &recorded); err != nil {
		return err
	}
	s.At, s.Due, s.RecordedAt = fromNanos(at), fromNanos(due), fromNanos(recorded)
	return nil
}

// AddCaseDocument stores d and its audit entries.
func (db *DB) AddCaseDocument(ctx context.Context, d *siaga.CaseDocument, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO gakkumdu_documents (case_id, stage, name, type, size, sha256, data, by_who, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), d.Case, d.Stage, d.Name, d.Type, len(d.Data), d.SHA256, d.Data,
			d.By, nanos(d.At)).Scan(&d.ID)
		if err != nil {
			return fmt.Errorf("add case document: %w", err)
		}
		d.Size = len(d.Data)
		return db.appendAudit(ctx, tx, audit)
	})
}

const caseDocumentColumns = "id, case_id, stage, name, type, size, sha256, by_who, at"

// CaseDocuments lists a case's documents, without their bytes, in the
// order they were added.
func (db *DB) CaseDocuments(ctx context.Context, caseID int64) ([]siaga.CaseDocument, error) {
	return queryAll(ctx, db.read, "case documents", scanCaseDocument,
		db.q("SELECT "+caseDocumentColumns+" FROM gakkumdu_documents WHERE case_id = ? ORDER BY id"), caseID)
}

// CaseDocument reads one document of a case with its bytes.
func (db *DB) CaseDocument(ctx context.Context, caseID, id int64) (*siaga.CaseDocument, error) {
	var d siaga.CaseDocument
	var at sql.NullInt64
	err := db.read.QueryRowContext(ctx, db.q("SELECT "+caseDocumentColumns+", data FROM gakkumdu_documents WHERE case_id = ? AND id = ?"),
		caseID, id).Scan(&d.ID, &d.Case, &d.Stage, &d.Name, &d.Type, &d.Size, &d.SHA256, &d.By, &at, &d.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "", "Dokumen %d perkara %d tidak ada", "document %d of case %d not found", id, caseID)
	}
	if err != nil {
		return nil, fmt.Errorf("case document %d: %w", id, err)
	}
	d.At = fromNanos(at)
	return &d, nil
}

func scanCaseDocument(sc scanner, d *siaga.CaseDocument) error {
	var at sql.NullInt64
	err := sc.Scan(&d.ID, &d.Case, &d.Stage, &d.Name, &d.Type, &d.Size, &d.SHA256, &d.By, &at)
	d.At = fromNanos(at)
	return err
}

// AddCaseAlert stores a unless its (case, stage) has one: two nodes
// running the schedule raise it once.
func (db *DB) AddCaseAlert(ctx context.Context, a siaga.CaseAlert) (bool, error) {
	var added bool
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`INSERT INTO gakkumdu_alerts (case_id, stage, region, title, due, at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, stage) DO NOTHING`), a.Case, a.Stage, a.Region, a.Title, nanos(a.Due), nanos(a.At))
		if err != nil {
			return fmt.Errorf("add case alert: %w", err)
		}
		n, err := res.RowsAffected()
		added = n == 1
		return err
	})
	return added, err
}

// CaseAlerts lists the alerts under scope, newest first.
func (db *DB) CaseAlerts(ctx context.Context, scope string, limit int) ([]siaga.CaseAlert, error) {
	if limit <= 0 {
		limit = 100
	}
	return queryAll(ctx, db.read, "case alerts", func(sc scanner, a *siaga.CaseAlert) error {
		var due, at sql.NullInt64
		err := sc.Scan(&a.Case, &a.Stage, &a.Region, &a.Title, &due, &at)
		a.Due, a.At = fromNanos(due), fromNanos(at)
		return err
	}, db.q("SELECT case_id, stage, region, title, due, at FROM gakkumdu_alerts WHERE region LIKE ? ORDER BY at DESC, case_id DESC"+
		fmt.Sprintf(" LIMIT %d", limit)), prefix(scope))
}
