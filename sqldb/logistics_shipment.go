package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

// The shipments of logistics (migration 00014, docs/logistics.md). A
// shipment is one row with its lines as JSON: the readiness board reads
// every shipment of the province in one query.

const shipmentColumns = `id, waybill, from_code, to_code, lines, items, mode, sea, escort, escort_contact,
	planned_departure, planned_arrival, departed, arrived, status, last_event, follow_up_of, source,
	created_by, created_at`

var shipmentUpdates = func() string {
	var sets []string
	for _, c := range strings.Split(shipmentColumns, ",")[1:] {
		c = strings.TrimSpace(c)
		sets = append(sets, c+" = excluded."+c)
	}
	return strings.Join(sets, ", ")
}()

// shipmentArgs are s's values in shipmentColumns order.
func shipmentArgs(s *siaga.Shipment) ([]any, error) {
	lines, err := json.Marshal(s.Lines)
	if err != nil {
		return nil, fmt.Errorf("shipment %s lines: %w", s.Waybill, err)
	}
	var sea sql.NullString
	if s.Sea != nil {
		b, err := json.Marshal(s.Sea)
		if err != nil {
			return nil, fmt.Errorf("shipment %s sea route: %w", s.Waybill, err)
		}
		sea = sql.NullString{String: string(b), Valid: true}
	}
	return []any{s.ID, s.Waybill, s.From, s.To, string(lines), shipmentItems(s.Lines), string(s.Mode), sea,
		s.Escort, s.EscortContact, nanos(s.PlannedDeparture), nanos(s.PlannedArrival), nanosPtr(s.Departed),
		nanosPtr(s.Arrived), string(s.Status), nanos(s.LastEvent), s.FollowUpOf, s.Source, s.CreatedBy,
		nanos(s.CreatedAt)}, nil
}

// shipmentItems is the items column: the item codes between bars, so that
// "carries item X" is one LIKE (itemPattern).
func shipmentItems(lines []siaga.Line) string {
	var b strings.Builder
	b.WriteByte('|')
	for _, l := range lines {
		b.WriteString(string(l.Item))
		b.WriteByte('|')
	}
	return b.String()
}

// itemPattern matches the items column of the shipments carrying item;
// the underscores of the codes are escaped, else they match any letter.
func itemPattern(item siaga.Item) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%|" + r.Replace(string(item)) + "|%"
}

func scanShipment(sc scanner, s *siaga.Shipment) error {
	var (
		lines, items                                string
		sea                                         sql.NullString
		planDep, planArr, dep, arr, last, createdAt sql.NullInt64
	)
	err := sc.Scan(&s.ID, &s.Waybill, &s.From, &s.To, &lines, &items, &s.Mode, &sea, &s.Escort, &s.EscortContact,
		&planDep, &planArr, &dep, &arr, &s.Status, &last, &s.FollowUpOf, &s.Source, &s.CreatedBy, &createdAt)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(lines), &s.Lines); err != nil {
		return fmt.Errorf("lines of shipment %s: %w", s.ID, err)
	}
	if sea.Valid {
		s.Sea = new(siaga.SeaRoute)
		if err := json.Unmarshal([]byte(sea.String), s.Sea); err != nil {
			return fmt.Errorf("sea route of shipment %s: %w", s.ID, err)
		}
	}
	s.PlannedDeparture, s.PlannedArrival = fromNanos(planDep), fromNanos(planArr)
	s.Departed, s.Arrived = fromNanosPtr(dep), fromNanosPtr(arr)
	s.LastEvent, s.CreatedAt = fromNanos(last), fromNanos(createdAt)
	return nil
}

// SaveShipments creates or replaces ss in one transaction. A shipment
// without ID takes the ID of the stored one with its waybill, or a new
// one: ss[i].ID is set either way. A waybill stored under another ID is
// EConflict and nothing is stored.
func (db *DB) SaveShipments(ctx context.Context, ss []siaga.Shipment, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.saveShipments(ctx, tx, ss); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

func (db *DB) saveShipments(ctx context.Context, tx *sql.Tx, ss []siaga.Shipment) error {
	if len(ss) == 0 {
		return nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", strings.Count(shipmentColumns, ",")+1), ", ")
	upsert, err := tx.PrepareContext(ctx, db.q("INSERT INTO shipments ("+shipmentColumns+") VALUES ("+marks+
		") ON CONFLICT (id) DO UPDATE SET "+shipmentUpdates))
	if err != nil {
		return fmt.Errorf("prepare shipment upsert: %w", err)
	}
	defer upsert.Close()
	byWaybill, err := tx.PrepareContext(ctx, db.q("SELECT id FROM shipments WHERE waybill = ?"))
	if err != nil {
		return fmt.Errorf("prepare shipment lookup: %w", err)
	}
	defer byWaybill.Close()
	for i := range ss {
		s := &ss[i]
		if s.ID == "" {
			err := byWaybill.QueryRowContext(ctx, s.Waybill).Scan(&s.ID)
			if errors.Is(err, sql.ErrNoRows) {
				s.ID = uuid.NewString()
			} else if err != nil {
				return fmt.Errorf("shipment with waybill %s: %w", s.Waybill, err)
			}
		}
		args, err := shipmentArgs(s)
		if err != nil {
			return err
		}
		if _, err := upsert.ExecContext(ctx, args...); err != nil {
			return db.conflict(err, "save shipment "+s.Waybill,
				"Surat jalan %s sudah dipakai kiriman lain", "waybill %s is already used by another shipment", s.Waybill)
		}
	}
	return nil
}

// updateShipment writes s over its stored row.
func (db *DB) updateShipment(ctx context.Context, tx *sql.Tx, s *siaga.Shipment) error {
	args, err := shipmentArgs(s)
	if err != nil {
		return err
	}
	sets := strings.ReplaceAll(shipmentColumns[len("id, "):], ",", " = ?,") + " = ?"
	res, err := tx.ExecContext(ctx, db.q("UPDATE shipments SET "+sets+" WHERE id = ?"), append(args[1:], s.ID)...)
	if err != nil {
		return db.conflict(err, "update shipment "+s.ID,
			"Surat jalan %s sudah dipakai kiriman lain", "waybill %s is already used by another shipment", s.Waybill)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update shipment %s: %w", s.ID, err)
	} else if n == 0 {
		return errNoShipment(s.ID)
	}
	return nil
}

func errNoShipment(id string) error {
	return siaga.Errorf(siaga.ENotFound, "shipment", "Kiriman %s tidak ada", "no shipment %s", id)
}

var selectShipments = "SELECT " + shipmentColumns + " FROM shipments"

// Shipment returns one shipment by ID.
func (db *DB) Shipment(ctx context.Context, id string) (siaga.Shipment, error) {
	list, err := queryAll(ctx, db.read, "shipment", scanShipment, db.q(selectShipments+" WHERE id = ?"), id)
	if err != nil {
		return siaga.Shipment{}, err
	}
	if len(list) == 0 {
		return siaga.Shipment{}, errNoShipment(id)
	}
	return list[0], nil
}

// Shipments returns a page of the shipments f selects, by ID, and how many
// it selects in all.
func (db *DB) Shipments(ctx context.Context, f siaga.ShipmentFilter) ([]siaga.Shipment, int, error) {
	w := &where{}
	if f.Region != "" {
		w.add("to_code LIKE ?", prefix(f.Region))
	}
	if len(f.Status) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.Status)), ", ")
		args := make([]any, len(f.Status))
		for i, s := range f.Status {
			args[i] = string(s)
		}
		w.add("status IN ("+marks+")", args...)
	}
	if f.Item != "" {
		w.add(`items LIKE ? ESCAPE '\'`, itemPattern(f.Item))
	}
	if f.Sea {
		w.add("sea IS NOT NULL")
	}
	if f.Escorted {
		w.add("escort <> ''")
	}
	shipmentPageFilters(w, f)
	var total int
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM shipments"+w.String()), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count shipments: %w", err)
	}
	if f.After != "" {
		w.add("id > ?", f.After)
	}
	query, args := selectShipments+w.String()+" ORDER BY id", w.args
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	page, err := queryAll(ctx, db.read, "shipments", scanShipment, db.q(query), args...)
	return page, total, err
}

const shipmentEventColumns = `id, shipment, kind, at, place, lat, lon, note, reason, new_departure, new_arrival,
	source, by_, recorded_at`

func scanShipmentEvent(sc scanner, e *siaga.ShipmentEvent) error {
	var at, dep, arr, recorded sql.NullInt64
	err := sc.Scan(&e.ID, &e.Shipment, &e.Kind, &at, &e.Place, &e.Lat, &e.Lon, &e.Note, &e.Reason, &dep, &arr,
		&e.Source, &e.By, &recorded)
	if err != nil {
		return err
	}
	e.At, e.RecordedAt = fromNanos(at), fromNanos(recorded)
	e.NewDeparture, e.NewArrival = fromNanosPtr(dep), fromNanosPtr(arr)
	return nil
}

// AddShipmentEvent stores e, s (the shipment's state after it), alerts
// and audit in one transaction. An event already stored under e.ID
// changes nothing: nil when it is the same, EConflict when not.
func (db *DB) AddShipmentEvent(ctx context.Context, e siaga.ShipmentEvent, s siaga.Shipment, alerts []siaga.LogisticsAlert, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		stored, err := queryAll(ctx, tx, "shipment event", scanShipmentEvent,
			db.q("SELECT "+shipmentEventColumns+" FROM shipment_events WHERE id = ?"), e.ID)
		if err != nil {
			return err
		}
		if len(stored) > 0 {
			if stored[0].Same(e) {
				return nil
			}
			return siaga.Errorf(siaga.EConflict, "id", "Kejadian %s sudah tercatat dengan isi lain",
				"event %s is already recorded with other content", e.ID)
		}
		_, err = tx.ExecContext(ctx, db.q("INSERT INTO shipment_events ("+shipmentEventColumns+
			") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
			e.ID, e.Shipment, string(e.Kind), nanos(e.At), e.Place, e.Lat, e.Lon, e.Note, e.Reason,
			nanosPtr(e.NewDeparture), nanosPtr(e.NewArrival), e.Source, e.By, nanos(e.RecordedAt))
		if err != nil {
			return db.conflict(err, "insert shipment event "+e.ID,
				"Kejadian %s sudah tercatat", "event %s is already recorded", e.ID)
		}
		if err := db.updateShipment(ctx, tx, &s); err != nil {
			return err
		}
		if err := db.insertLogisticsAlerts(ctx, tx, alerts); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// ShipmentEvents returns the events of one shipment, oldest first.
func (db *DB) ShipmentEvents(ctx context.Context, shipment string) ([]siaga.ShipmentEvent, error) {
	return queryAll(ctx, db.read, "shipment events", scanShipmentEvent,
		db.q("SELECT "+shipmentEventColumns+" FROM shipment_events WHERE shipment = ? ORDER BY at, recorded_at, id"), shipment)
}

// EachShipmentEvent calls fn for every event of the shipments bound for
// region, oldest first.
func (db *DB) EachShipmentEvent(ctx context.Context, region string, fn func(*siaga.ShipmentEvent) error) error {
	cols := qualified("e", shipmentEventColumns)
	return eachRow(ctx, db.read, "shipment events", scanShipmentEvent, fn,
		db.q("SELECT "+cols+" FROM shipment_events e JOIN shipments s ON s.id = e.shipment"+
			" WHERE s.to_code LIKE ? ORDER BY e.at, e.recorded_at, e.id"), prefix(region))
}

const deliveryColumns = "id, shipment, receiver, received_at, lines, photos, note, source, by_, recorded_at"

func scanDelivery(sc scanner, d *siaga.Delivery) error {
	var received, recorded sql.NullInt64
	var lines, photos string
	err := sc.Scan(&d.ID, &d.Shipment, &d.Receiver, &received, &lines, &photos, &d.Note, &d.Source, &d.By, &recorded)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(lines), &d.Lines); err != nil {
		return fmt.Errorf("lines of delivery %s: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(photos), &d.Photos); err != nil {
		return fmt.Errorf("photos of delivery %s: %w", d.ID, err)
	}
	d.ReceivedAt, d.RecordedAt = fromNanos(received), fromNanos(recorded)
	return nil
}

// AddDelivery stores d, s (the shipment's state after it), its alerts, its
// follow-up shipments and audit in one transaction: a short delivery is
// never stored without its alert and its follow-up. A delivery already
// stored under d.ID changes nothing: nil when it is the same, EConflict
// when not; so is a second delivery of one shipment.
func (db *DB) AddDelivery(ctx context.Context, d siaga.Delivery, s siaga.Shipment, alerts []siaga.LogisticsAlert, followUps []siaga.Shipment, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if stored, err := db.insertDelivery(ctx, tx, d); err != nil || stored {
			return err
		}
		if err := db.updateShipment(ctx, tx, &s); err != nil {
			return err
		}
		if err := db.saveShipments(ctx, tx, followUps); err != nil {
			return err
		}
		if err := db.insertLogisticsAlerts(ctx, tx, alerts); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// ImportShipments stores ss, the deliveries ds of those already received,
// alerts and audit in one transaction. A delivery stored before, the same,
// is left as it is.
func (db *DB) ImportShipments(ctx context.Context, ss []siaga.Shipment, ds []siaga.Delivery, alerts []siaga.LogisticsAlert, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.saveShipments(ctx, tx, ss); err != nil {
			return err
		}
		for _, d := range ds {
			if _, err := db.insertDelivery(ctx, tx, d); err != nil {
				return err
			}
		}
		if err := db.insertLogisticsAlerts(ctx, tx, alerts); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// insertDelivery stores d in tx. stored is true when the same delivery
// was stored before (nothing to do); another delivery of its shipment, or
// another under its ID, is EConflict.
func (db *DB) insertDelivery(ctx context.Context, tx *sql.Tx, d siaga.Delivery) (stored bool, err error) {
	lines, err := json.Marshal(d.Lines)
	if err != nil {
		return false, fmt.Errorf("delivery %s lines: %w", d.ID, err)
	}
	photos, err := json.Marshal(d.Photos)
	if err != nil {
		return false, fmt.Errorf("delivery %s photos: %w", d.ID, err)
	}
	// Insert first, and read what is there only when something is: an
	// import of thousands of new deliveries costs one statement each.
	res, err := tx.ExecContext(ctx, db.q("INSERT INTO deliveries ("+deliveryColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
		d.ID, d.Shipment, d.Receiver, nanos(d.ReceivedAt), string(lines), string(photos), d.Note, d.Source, d.By,
		nanos(d.RecordedAt))
	if err != nil {
		return false, db.conflict(err, "insert delivery "+d.ID, "BTTB %s sudah tercatat", "proof of delivery %s is already recorded", d.ID)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("insert delivery %s: %w", d.ID, err)
	} else if n == 1 {
		return false, nil
	}
	prev, err := queryAll(ctx, tx, "delivery", scanDelivery,
		db.q("SELECT "+deliveryColumns+" FROM deliveries WHERE id = ? OR shipment = ?"), d.ID, d.Shipment)
	if err != nil {
		return false, err
	}
	if len(prev) == 1 && prev[0].Same(d) {
		return true, nil
	}
	return false, siaga.Errorf(siaga.EConflict, "id", "Kiriman %s sudah diterima dengan BTTB lain",
		"shipment %s was already received with another proof of delivery", d.Shipment)
}

// Delivery returns the proof of delivery of a shipment.
func (db *DB) Delivery(ctx context.Context, shipment string) (siaga.Delivery, error) {
	list, err := queryAll(ctx, db.read, "delivery", scanDelivery,
		db.q("SELECT "+deliveryColumns+" FROM deliveries WHERE shipment = ?"), shipment)
	if err != nil {
		return siaga.Delivery{}, err
	}
	if len(list) == 0 {
		return siaga.Delivery{}, siaga.Errorf(siaga.ENotFound, "shipment", "Kiriman %s belum diterima",
			"shipment %s has no proof of delivery", shipment)
	}
	return list[0], nil
}

// Deliveries returns the proofs of delivery of the shipments bound for
// region, by shipment.
func (db *DB) Deliveries(ctx context.Context, region string) ([]siaga.Delivery, error) {
	cols := qualified("d", deliveryColumns)
	return queryAll(ctx, db.read, "deliveries", scanDelivery,
		db.q("SELECT "+cols+" FROM deliveries d JOIN shipments s ON s.id = d.shipment WHERE s.to_code LIKE ? ORDER BY d.shipment"),
		prefix(region))
}

// SaveLogisticsPhoto stores p unless a photo with its hash is stored.
func (db *DB) SaveLogisticsPhoto(ctx context.Context, p siaga.LogisticsPhoto) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO logistics_photos (sha256, type, data, by_, at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (sha256) DO NOTHING`), p.SHA256, p.Type, p.Data, p.By, nanos(p.At))
		if err != nil {
			return fmt.Errorf("save logistics photo %s: %w", p.SHA256, err)
		}
		return nil
	})
}

// LogisticsPhoto returns a stored photo by its hash.
func (db *DB) LogisticsPhoto(ctx context.Context, sha256 string) (siaga.LogisticsPhoto, error) {
	var p siaga.LogisticsPhoto
	var at sql.NullInt64
	err := db.read.QueryRowContext(ctx, db.q("SELECT sha256, type, data, by_, at FROM logistics_photos WHERE sha256 = ?"), sha256).
		Scan(&p.SHA256, &p.Type, &p.Data, &p.By, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return p, siaga.Errorf(siaga.ENotFound, "sha256", "Foto %s tidak ada", "no photo %s", sha256)
	}
	if err != nil {
		return p, fmt.Errorf("logistics photo %s: %w", sha256, err)
	}
	p.At = fromNanos(at)
	return p, nil
}

// AddLogisticsAlerts stores alerts in a transaction of their own and sets
// their IDs.
func (db *DB) AddLogisticsAlerts(ctx context.Context, alerts []siaga.LogisticsAlert) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.insertLogisticsAlerts(ctx, tx, alerts) })
}

// insertLogisticsAlerts stores alerts inside tx and sets their IDs: how a
// write that raises alerts (an event, a delivery, a handover of sealed
// boxes) stores them with itself or not at all.
func (db *DB) insertLogisticsAlerts(ctx context.Context, tx *sql.Tx, alerts []siaga.LogisticsAlert) error {
	if len(alerts) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, db.q(`INSERT INTO logistics_alerts (kind, region, role, tps, ref, text, en, at,
		acknowledged_by, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`))
	if err != nil {
		return fmt.Errorf("prepare logistics alert insert: %w", err)
	}
	defer stmt.Close()
	for i := range alerts {
		a := &alerts[i]
		err := stmt.QueryRowContext(ctx, string(a.Kind), a.Region, string(a.Role), a.TPS, a.Ref, a.Text, a.EN, nanos(a.At),
			a.AcknowledgedBy, nanosPtr(a.AcknowledgedAt)).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("insert logistics alert %s %s: %w", a.Kind, a.Ref, err)
		}
	}
	return nil
}

const alertColumns = "id, kind, region, role, tps, ref, text, en, at, acknowledged_by, acknowledged_at"

func scanLogisticsAlert(sc scanner, a *siaga.LogisticsAlert) error {
	var at, acked sql.NullInt64
	err := sc.Scan(&a.ID, &a.Kind, &a.Region, &a.Role, &a.TPS, &a.Ref, &a.Text, &a.EN, &at, &a.AcknowledgedBy, &acked)
	if err != nil {
		return err
	}
	a.At, a.AcknowledgedAt = fromNanos(at), fromNanosPtr(acked)
	return nil
}

// LogisticsAlerts returns a page of the alerts f selects, newest first,
// and how many it selects in all.
func (db *DB) LogisticsAlerts(ctx context.Context, f siaga.LogisticsAlertFilter) ([]siaga.LogisticsAlert, int, error) {
	w := &where{}
	if f.Region != "" {
		w.add("region LIKE ?", prefix(f.Region))
	}
	if f.Kind != "" {
		w.add("kind = ?", string(f.Kind))
	}
	if f.Role != "" {
		w.add("(role = ? OR role = '')", string(f.Role))
	}
	if f.Open {
		w.add("acknowledged_at IS NULL")
	}
	var total int
	if err := db.read.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM logistics_alerts"+w.String()), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count logistics alerts: %w", err)
	}
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	query, args := "SELECT "+alertColumns+" FROM logistics_alerts"+w.String()+" ORDER BY id DESC", w.args
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	page, err := queryAll(ctx, db.read, "logistics alerts", scanLogisticsAlert, db.q(query), args...)
	return page, total, err
}

// AcknowledgeLogisticsAlert marks an alert handled by by at at, with
// audit. An alert acknowledged before keeps its first acknowledgement and
// appends nothing; an unknown one is ENotFound.
func (db *DB) AcknowledgeLogisticsAlert(ctx context.Context, id int64, by string, at time.Time, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE logistics_alerts SET acknowledged_by = ?, acknowledged_at = ?
			WHERE id = ? AND acknowledged_at IS NULL`), by, nanos(at), id)
		if err != nil {
			return fmt.Errorf("acknowledge logistics alert %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("acknowledge logistics alert %d: %w", id, err)
		} else if n == 1 {
			return db.appendAudit(ctx, tx, audit)
		}
		var one int
		err = tx.QueryRowContext(ctx, db.q("SELECT 1 FROM logistics_alerts WHERE id = ?"), id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return siaga.Errorf(siaga.ENotFound, "id", "Peringatan %d tidak ada", "no alert %d", id)
		}
		return err
	})
}

// nanosPtr is nanos of an optional time.
func nanosPtr(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return nanos(*t)
}

func fromNanosPtr(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromNanos(n)
	return &t
}

// qualified prefixes each column of cols with table's alias, for a join.
func qualified(alias, cols string) string {
	list := strings.Split(cols, ",")
	for i, c := range list {
		list[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(list, ", ")
}
