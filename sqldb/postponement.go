package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/deskpemilu/siaga"
)

// The chain's steps are column groups of one row (migration 00012), so a
// postponement is one row to read and one to write.
var postponementSteps = []string{"report", "recommendation", "decision", "closing"}

var stepFields = []string{"name", "office", "at", "letter", "note", "by"}

// postponementColumns lists every column in the order scan and args use.
var postponementColumns = func() string {
	cols := []string{"tps", "kind", "stage", "reason", "status", "new_date"}
	for _, s := range postponementSteps {
		for _, f := range stepFields {
			cols = append(cols, s+"_"+f)
		}
	}
	return strings.Join(append(cols, "updated_at"), ", ")
}()

// postponementArgs are p's values in postponementColumns order; a step
// not taken is stored empty, with a NULL time.
func postponementArgs(p *siaga.Postponement) []any {
	args := []any{p.TPS, string(p.Kind), p.Stage, p.Reason, string(p.Status), p.NewDate}
	for _, st := range []*siaga.PostponementStep{&p.Report, p.Recommendation, p.Decision, p.Closing} {
		if st == nil {
			st = &siaga.PostponementStep{}
		}
		args = append(args, st.Name, st.Office, nanos(st.At), st.Letter, st.Note, st.By)
	}
	return append(args, nanos(p.UpdatedAt))
}

func scanPostponement(sc scanner, p *siaga.Postponement) error {
	var steps [4]siaga.PostponementStep
	var at [4]sql.NullInt64
	var updated sql.NullInt64
	dst := []any{&p.ID, &p.TPS, &p.Kind, &p.Stage, &p.Reason, &p.Status, &p.NewDate}
	for i := range steps {
		st := &steps[i]
		dst = append(dst, &st.Name, &st.Office, &at[i], &st.Letter, &st.Note, &st.By)
	}
	if err := sc.Scan(append(dst, &updated)...); err != nil {
		return err
	}
	for i := range steps {
		steps[i].At = fromNanos(at[i])
	}
	p.Report, p.UpdatedAt = steps[0], fromNanos(updated)
	p.Recommendation, p.Decision, p.Closing = takenStep(steps[1]), takenStep(steps[2]), takenStep(steps[3])
	return nil
}

func takenStep(s siaga.PostponementStep) *siaga.PostponementStep {
	if s.At.IsZero() {
		return nil
	}
	return &s
}

// AddPostponement stores p and sets p.ID; the unique index on the active
// postponement of a TPS turns a second one into EConflict.
func (db *DB) AddPostponement(ctx context.Context, p *siaga.Postponement, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		marks := strings.TrimSuffix(strings.Repeat("?, ", strings.Count(postponementColumns, ",")+1), ", ")
		err := tx.QueryRowContext(ctx, db.q("INSERT INTO postponements ("+postponementColumns+") VALUES ("+marks+") RETURNING id"),
			postponementArgs(p)...).Scan(&p.ID)
		if err != nil {
			return db.conflict(err, "add postponement", "TPS %s sudah ditunda", "TPS %s is already postponed", p.TPS)
		}
		for i := range audit {
			audit[i].Subject = postponementSubject(p)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// postponementSubject names a postponement in the audit log: its TPS and
// ID, which the ID alone does not tell a reader of the log.
func postponementSubject(p *siaga.Postponement) string {
	return fmt.Sprintf("%s#%d", p.TPS, p.ID)
}

// AdvancePostponement writes p over the stored row if that is still at
// status from.
func (db *DB) AdvancePostponement(ctx context.Context, p *siaga.Postponement, from siaga.PostponementStatus, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		sets := strings.ReplaceAll(postponementColumns, ",", " = ?,") + " = ?"
		res, err := tx.ExecContext(ctx, db.q("UPDATE postponements SET "+sets+" WHERE id = ? AND status = ?"),
			append(postponementArgs(p), p.ID, string(from))...)
		if err != nil {
			return db.conflict(err, "advance postponement", "TPS %s sudah ditunda", "TPS %s is already postponed", p.TPS)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("advance postponement: %w", err)
		} else if n == 0 {
			var status string
			err := tx.QueryRowContext(ctx, db.q("SELECT status FROM postponements WHERE id = ?"), p.ID).Scan(&status)
			if err == sql.ErrNoRows {
				return siaga.Errorf(siaga.ENotFound, "id", "Penundaan %d tidak ada", "no postponement %d", p.ID)
			} else if err != nil {
				return fmt.Errorf("advance postponement: %w", err)
			}
			return siaga.Errorf(siaga.EConflict, "status", "Penundaan %d sudah berstatus %s", "postponement %d is already %s", p.ID, status)
		}
		for i := range audit {
			audit[i].Subject = postponementSubject(p)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

var selectPostponements = "SELECT id, " + postponementColumns + " FROM postponements"

// Postponement returns one postponement by ID.
func (db *DB) Postponement(ctx context.Context, id int64) (*siaga.Postponement, error) {
	list, err := queryAll(ctx, db.read, "postponement", scanPostponement,
		db.q(selectPostponements+" WHERE id = ?"), id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, siaga.Errorf(siaga.ENotFound, "id", "Penundaan %d tidak ada", "no postponement %d", id)
	}
	return &list[0], nil
}

// Postponements returns a page of the postponements f selects and how
// many it selects in all.
func (db *DB) Postponements(ctx context.Context, f siaga.PostponementFilter) (siaga.PostponementPage, error) {
	w := &where{}
	if f.Region != "" {
		w.add("tps LIKE ?", prefix(f.Region))
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.Kind != "" {
		w.add("kind = ?", string(f.Kind))
	}
	page := siaga.PostponementPage{Items: []siaga.Postponement{}}
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM postponements"+w.String()), w.args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count postponements: %w", err)
	}
	if f.After > 0 {
		w.add("id > ?", f.After)
	}
	query := selectPostponements + w.String() + " ORDER BY id"
	args := w.args
	if f.Limit > 0 {
		// One more than asked tells whether there is a next page.
		query += " LIMIT ?"
		args = append(args, f.Limit+1)
	}
	items, err := queryAll(ctx, db.read, "postponements", scanPostponement, db.q(query), args...)
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

// ActivePostponements returns every active postponement, by TPS; the
// partial unique index holds exactly these rows.
func (db *DB) ActivePostponements(ctx context.Context) ([]siaga.Postponement, error) {
	return queryAll(ctx, db.read, "active postponements", scanPostponement,
		db.q(selectPostponements+
			" WHERE status IN ('dilaporkan', 'direkomendasikan', 'diputuskan') ORDER BY tps"))
}
