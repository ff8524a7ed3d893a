package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// incidentColumns lists every column but id in the order scanIncident and
// incidentArgs use (migration 00017).
const incidentColumns = `client_id, channel, category, severity, occurred_at, reported_at, region, tps, lat, lon, placed,
	title, body, reporter_user, reporter_device, reporter_name, reporter_phone, sender, status, agency, reason, outcome,
	duplicate_of, evidence, updated_at, version`

const selectIncidents = "SELECT id, " + incidentColumns + " FROM incidents"

// incidentArgs are in's values in incidentColumns order. An empty ClientID
// is NULL so that reports without one never collide.
func incidentArgs(in *siaga.Incident) []any {
	var client sql.NullString
	if in.ClientID != "" {
		client = sql.NullString{String: in.ClientID, Valid: true}
	}
	return []any{client, string(in.Channel), string(in.Category), string(in.Severity),
		in.OccurredAt.UnixNano(), in.ReportedAt.UnixNano(), in.Region, in.TPS, in.Lat, in.Lon, in.Placed,
		in.Title, in.Text, in.ReporterUser, in.ReporterDevice, in.ReporterName, in.ReporterPhone, in.Sender,
		string(in.Status), string(in.Agency), in.Reason, in.Outcome, in.DuplicateOf,
		strings.Join(in.Evidence, ","), in.UpdatedAt.UnixNano(), in.Version}
}

func scanIncident(sc scanner, in *siaga.Incident) error {
	var client sql.NullString
	var occurred, reported, updated int64
	var evidence string
	err := sc.Scan(&in.ID, &client, &in.Channel, &in.Category, &in.Severity, &occurred, &reported, &in.Region, &in.TPS,
		&in.Lat, &in.Lon, &in.Placed, &in.Title, &in.Text, &in.ReporterUser, &in.ReporterDevice, &in.ReporterName,
		&in.ReporterPhone, &in.Sender, &in.Status, &in.Agency, &in.Reason, &in.Outcome, &in.DuplicateOf, &evidence,
		&updated, &in.Version)
	if err != nil {
		return err
	}
	in.ClientID = client.String
	in.OccurredAt, in.ReportedAt, in.UpdatedAt = time.Unix(0, occurred).UTC(), time.Unix(0, reported).UTC(), time.Unix(0, updated).UTC()
	if evidence != "" {
		in.Evidence = strings.Split(evidence, ",")
	}
	return nil
}

// incidentSubject names an incident in the audit log.
func incidentSubject(in *siaga.Incident) string { return fmt.Sprintf("insiden#%d", in.ID) }

// CreateIncident stores in and its first step; a ClientID already stored
// is EConflict.
func (db *DB) CreateIncident(ctx context.Context, in *siaga.Incident, step *siaga.IncidentStep, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		marks := strings.TrimSuffix(strings.Repeat("?, ", strings.Count(incidentColumns, ",")+1), ", ")
		err := tx.QueryRowContext(ctx, db.q("INSERT INTO incidents ("+incidentColumns+") VALUES ("+marks+") RETURNING id"),
			incidentArgs(in)...).Scan(&in.ID)
		if err != nil {
			return db.conflict(err, "create incident", "laporan %q sudah tersimpan", "report %q is already stored", in.ClientID)
		}
		return db.addIncidentStep(ctx, tx, in, step, audit)
	})
}

// UpdateIncident writes in over the stored row if that is at in.Version-1.
// The evidence column is AddIncidentEvidence's alone.
func (db *DB) UpdateIncident(ctx context.Context, in *siaga.Incident, step *siaga.IncidentStep, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE incidents SET category = ?, severity = ?, occurred_at = ?, region = ?, tps = ?,
			lat = ?, lon = ?, placed = ?, title = ?, body = ?, status = ?, agency = ?, reason = ?, outcome = ?, duplicate_of = ?,
			updated_at = ?, version = ? WHERE id = ? AND version = ?`),
			string(in.Category), string(in.Severity), in.OccurredAt.UnixNano(), in.Region, in.TPS, in.Lat, in.Lon, in.Placed,
			in.Title, in.Text, string(in.Status), string(in.Agency), in.Reason, in.Outcome, in.DuplicateOf,
			in.UpdatedAt.UnixNano(), in.Version, in.ID, in.Version-1)
		if err != nil {
			return fmt.Errorf("update incident %d: %w", in.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update incident %d: %w", in.ID, err)
		} else if n == 0 {
			var version int
			err := tx.QueryRowContext(ctx, db.q("SELECT version FROM incidents WHERE id = ?"), in.ID).Scan(&version)
			if errors.Is(err, sql.ErrNoRows) {
				return errNoIncident(in.ID)
			} else if err != nil {
				return fmt.Errorf("update incident %d: %w", in.ID, err)
			}
			return siaga.Errorf(siaga.EConflict, "version",
				"Laporan %d sudah diubah orang lain (versi %d, bukan %d); muat ulang lalu coba lagi",
				"report %d was changed by someone else (version %d, not %d); reload and try again", in.ID, version, in.Version-1)
		}
		return db.addIncidentStep(ctx, tx, in, step, audit)
	})
}

// addIncidentStep appends step (when not nil) and audit to in's history
// inside tx.
func (db *DB) addIncidentStep(ctx context.Context, tx *sql.Tx, in *siaga.Incident, step *siaga.IncidentStep, audit []siaga.AuditEvent) error {
	if step != nil {
		step.Incident = in.ID
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO incident_steps (incident, at, kind, status, agency, body, by_user, by_device, by_name)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			in.ID, step.At.UnixNano(), string(step.Kind), string(step.Status), string(step.Agency), step.Text,
			step.ByUser, step.ByDevice, step.ByName).Scan(&step.ID)
		if err != nil {
			return fmt.Errorf("add step of incident %d: %w", in.ID, err)
		}
	}
	for i := range audit {
		audit[i].Subject = incidentSubject(in)
	}
	return db.appendAudit(ctx, tx, audit)
}

func errNoIncident(id any) error {
	return siaga.Errorf(siaga.ENotFound, "id", "Laporan %v tidak ada", "no report %v", id)
}

// IncidentByID returns one incident.
func (db *DB) IncidentByID(ctx context.Context, id int64) (*siaga.Incident, error) {
	return db.oneIncident(ctx, "id", id)
}

// IncidentByClientID returns the incident its reporter named clientID.
func (db *DB) IncidentByClientID(ctx context.Context, clientID string) (*siaga.Incident, error) {
	if clientID == "" {
		return nil, errNoIncident(`""`)
	}
	return db.oneIncident(ctx, "client_id", clientID)
}

func (db *DB) oneIncident(ctx context.Context, col string, key any) (*siaga.Incident, error) {
	list, err := queryAll(ctx, db.read, "incident", scanIncident, db.q(selectIncidents+" WHERE "+col+" = ?"), key)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNoIncident(key)
	}
	return &list[0], nil
}

// IncidentSteps returns an incident's history, oldest first.
func (db *DB) IncidentSteps(ctx context.Context, id int64) ([]siaga.IncidentStep, error) {
	return queryAll(ctx, db.read, "incident steps", func(sc scanner, s *siaga.IncidentStep) error {
		var at int64
		if err := sc.Scan(&s.ID, &s.Incident, &at, &s.Kind, &s.Status, &s.Agency, &s.Text, &s.ByUser, &s.ByDevice, &s.ByName); err != nil {
			return err
		}
		s.At = time.Unix(0, at).UTC()
		return nil
	}, db.q(`SELECT id, incident, at, kind, status, agency, body, by_user, by_device, by_name
		FROM incident_steps WHERE incident = ? ORDER BY id`), id)
}

// incidentWhere is f's conditions, without its page (Before, Limit).
func incidentWhere(f siaga.IncidentFilter) *where {
	w := &where{}
	if f.Scope != "" {
		w.add("region LIKE ?", prefix(f.Scope))
	}
	if f.TPS != "" {
		w.add("tps = ?", f.TPS)
	}
	inList(w, "category", f.Categories)
	inList(w, "status", f.Statuses)
	inList(w, "severity", f.Severities)
	if f.Agency != "" {
		w.add("agency = ?", string(f.Agency))
	}
	if f.Channel != "" {
		w.add("channel = ?", string(f.Channel))
	}
	if f.Public != nil {
		op := "IN"
		if !*f.Public {
			op = "NOT IN"
		}
		w.add("channel "+op+" (?, ?)", string(siaga.ChannelPublicWeb), string(siaga.ChannelPublicSMS))
	}
	if !f.From.IsZero() {
		w.add("occurred_at >= ?", f.From.UnixNano())
	}
	if !f.To.IsZero() {
		w.add("occurred_at < ?", f.To.UnixNano())
	}
	if f.Groups {
		w.add("duplicate_of = 0")
	}
	if f.Text != "" {
		// The text is matched as written: its % and _ are not wildcards.
		like := "%" + likeEscaper.Replace(strings.ToLower(f.Text)) + "%"
		w.add(`(LOWER(title) LIKE ? ESCAPE '\' OR LOWER(body) LIKE ? ESCAPE '\')`, like, like)
	}
	return w
}

// inList ANDs "col IN (…)" for a non-empty list of codes.
func inList[T ~string](w *where, col string, vs []T) {
	if len(vs) == 0 {
		return
	}
	args := make([]any, len(vs))
	for i, v := range vs {
		args[i] = string(v)
	}
	w.add(col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vs)), ", ")+")", args...)
}

// Incidents returns one page of what f selects, newest (largest id) first.
func (db *DB) Incidents(ctx context.Context, f siaga.IncidentFilter) ([]siaga.Incident, error) {
	w := incidentWhere(f)
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	list, err := queryAll(ctx, db.read, "incidents", scanIncident,
		db.q(selectIncidents+w.String()+" ORDER BY id DESC LIMIT ?"), append(w.args, limit)...)
	if list == nil && err == nil {
		list = []siaga.Incident{}
	}
	return list, err
}

// CountIncidents counts what f selects, ignoring its page.
func (db *DB) CountIncidents(ctx context.Context, f siaga.IncidentFilter) (int, error) {
	w := incidentWhere(f)
	var n int
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM incidents"+w.String()), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count incidents: %w", err)
	}
	return n, nil
}

// EachIncident calls fn for what f selects, oldest first by id.
func (db *DB) EachIncident(ctx context.Context, f siaga.IncidentFilter, fn func(*siaga.Incident) error) error {
	w := incidentWhere(f)
	return eachRow(ctx, db.read, "incidents", scanIncident, fn, db.q(selectIncidents+w.String()+" ORDER BY id"), w.args...)
}

// CountPublicReports counts sender's public reports stored since since.
func (db *DB) CountPublicReports(ctx context.Context, sender string, since time.Time) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM incidents WHERE sender = ? AND reported_at >= ?
		AND channel IN (?, ?)`), sender, since.UnixNano(), string(siaga.ChannelPublicWeb), string(siaga.ChannelPublicSMS)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count public reports: %w", err)
	}
	return n, nil
}

// AddIncidentEvidence stores e and lists its hash on the incident; the
// same file again for the same incident is stored once, without error.
func (db *DB) AddIncidentEvidence(ctx context.Context, e *siaga.IncidentEvidence) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var evidence string
		err := tx.QueryRowContext(ctx, db.q("SELECT evidence FROM incidents WHERE id = ?"), e.Incident).Scan(&evidence)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoIncident(e.Incident)
		} else if err != nil {
			return fmt.Errorf("add evidence: %w", err)
		}
		for _, sha := range strings.Split(evidence, ",") {
			if sha == e.SHA256 {
				return nil
			}
		}
		_, err = tx.ExecContext(ctx, db.q("INSERT INTO incident_evidence (incident, sha256, type, data, by_who, at) VALUES (?, ?, ?, ?, ?, ?)"),
			e.Incident, e.SHA256, e.Type, e.Data, e.By, e.At.UnixNano())
		if err != nil {
			return fmt.Errorf("add evidence: %w", err)
		}
		if evidence != "" {
			evidence += ","
		}
		_, err = tx.ExecContext(ctx, db.q("UPDATE incidents SET evidence = ? WHERE id = ?"), evidence+e.SHA256, e.Incident)
		if err != nil {
			return fmt.Errorf("add evidence: %w", err)
		}
		return nil
	})
}

// IncidentEvidence returns one evidence file of an incident.
func (db *DB) IncidentEvidence(ctx context.Context, incident int64, sha string) (*siaga.IncidentEvidence, error) {
	e := siaga.IncidentEvidence{Incident: incident, SHA256: sha}
	var at int64
	err := db.read.QueryRowContext(ctx, db.q("SELECT type, data, by_who, at FROM incident_evidence WHERE incident = ? AND sha256 = ?"),
		incident, sha).Scan(&e.Type, &e.Data, &e.By, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "sha256", "Bukti %s tidak ada", "no evidence %s", sha)
	} else if err != nil {
		return nil, fmt.Errorf("evidence %s: %w", sha, err)
	}
	e.At = time.Unix(0, at).UTC()
	return &e, nil
}
