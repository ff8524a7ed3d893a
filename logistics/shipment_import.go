package logistics

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

// ImportColumns are the columns of a shipments CSV (SILOG-style: what a
// KPU office exports), one row per line of a waybill; rows of the same
// waybill form one shipment and repeat its columns. docs/logistics.md
// describes each.
var ImportColumns = []string{"waybill", "from", "to", "item", "dapil", "qty", "mode", "port", "vessel", "crossing_m",
	"escort", "escort_contact", "planned_departure", "planned_arrival", "status", "departed", "arrived", "received"}

// requiredColumns must be in the header; the others may be left out.
var requiredColumns = []string{"waybill", "from", "to", "item", "qty", "mode"}

// lineColumns differ between the rows of one waybill; every other column
// is the shipment's and must repeat.
var lineColumns = []string{"item", "dapil", "qty", "received"}

// importedShipment is one waybill of the file: the shipment, the row of
// each of its lines and, for an office's export of deliveries, the
// quantity received per line.
type importedShipment struct {
	sh       siaga.Shipment
	first    []string // the first row's values, by column
	rows     []int
	received []int // per line; nil when the waybill has none
}

// importTimeLayouts are the times the file may carry; without a zone they
// are WIB.
var importTimeLayouts = []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"}

// parseShipmentsCSV reads a shipments CSV into waybills, in the order
// they first appear. It checks the form of each cell; Import checks the
// shipments against the registry.
func parseShipmentsCSV(r io.Reader) ([]*importedShipment, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, rowError(1, "", "berkas kosong", "the file is empty")
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(ImportColumns, h) {
			return nil, rowError(1, h, "kolom tidak dikenal (kolom: %s)", "unknown column (columns: %s)", strings.Join(ImportColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, rowError(1, h, "kolom ganda", "duplicate column")
		}
		col[h] = i
	}
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			return nil, rowError(1, c, "kolom wajib tidak ada", "required column missing")
		}
	}
	var out []*importedShipment
	byWaybill := map[string]*importedShipment{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		row, _ := cr.FieldPos(0)
		vals := make([]string, len(ImportColumns))
		for i, c := range ImportColumns {
			if j, ok := col[c]; ok {
				vals[i] = strings.TrimSpace(rec[j])
			}
		}
		get := func(c string) string { return vals[slices.Index(ImportColumns, c)] }
		wb := get("waybill")
		if wb == "" {
			return nil, rowError(row, "waybill", "nomor surat jalan kosong", "the waybill number is empty")
		}
		is := byWaybill[wb]
		if is == nil {
			if is, err = newImported(row, vals, get); err != nil {
				return nil, err
			}
			byWaybill[wb] = is
			out = append(out, is)
		} else if err := is.sameShipment(row, vals); err != nil {
			return nil, err
		}
		if err := is.addLine(row, get); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, rowError(2, "", "tidak ada baris", "no rows")
	}
	return out, nil
}

// newImported reads the shipment's columns of its first row.
func newImported(row int, vals []string, get func(string) string) (*importedShipment, error) {
	sh := siaga.Shipment{Waybill: get("waybill"), From: get("from"), To: get("to"), Mode: siaga.TransportMode(get("mode")),
		Escort: get("escort"), EscortContact: get("escort_contact"), Status: siaga.ShipmentStatus(get("status")), Source: "import"}
	if get("port") != "" || get("vessel") != "" || get("crossing_m") != "" {
		sh.Sea = &siaga.SeaRoute{Port: get("port"), Vessel: get("vessel")}
		if v := get("crossing_m"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, rowError(row, "crossing_m", "%q bukan bilangan bulat menit", "%q is not a whole number of minutes", v)
			}
			sh.Sea.CrossingM = n
		}
	}
	var departed, arrived time.Time
	for _, t := range []struct {
		col string
		dst *time.Time
	}{{"planned_departure", &sh.PlannedDeparture}, {"planned_arrival", &sh.PlannedArrival}, {"departed", &departed}, {"arrived", &arrived}} {
		v := get(t.col)
		if v == "" {
			continue
		}
		at, err := parseImportTime(v)
		if err != nil {
			return nil, rowError(row, t.col, "waktu %q tidak terbaca (contoh: 2024-02-11 07:00)", "cannot read the time %q (e.g. 2024-02-11 07:00)", v)
		}
		*t.dst = at
	}
	if !departed.IsZero() {
		sh.Departed = &departed
	}
	if !arrived.IsZero() {
		sh.Arrived = &arrived
	}
	if sh.Status != "" && !slices.Contains([]siaga.ShipmentStatus{siaga.ShipmentPlanned, siaga.ShipmentDeparted, siaga.ShipmentHeld,
		siaga.ShipmentArrived, siaga.ShipmentDelivered, siaga.ShipmentCancelled}, sh.Status) {
		return nil, rowError(row, "status", "status %q tidak dikenal (direncanakan, berangkat, tertahan, tiba, diterima, dibatalkan)",
			"unknown status %q (direncanakan, berangkat, tertahan, tiba, diterima, dibatalkan)", sh.Status)
	}
	return &importedShipment{sh: sh, first: vals}, nil
}

func parseImportTime(v string) (time.Time, error) {
	var err error
	for _, layout := range importTimeLayouts {
		var t time.Time
		if t, err = time.ParseInLocation(layout, v, siaga.WIB); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// sameShipment checks that a further row of a waybill repeats its
// shipment's columns.
func (is *importedShipment) sameShipment(row int, vals []string) error {
	for i, c := range ImportColumns {
		if !slices.Contains(lineColumns, c) && vals[i] != is.first[i] {
			return rowError(row, c, "%q berbeda dengan %q di baris %d untuk surat jalan yang sama",
				"%q differs from %q on row %d of the same waybill", vals[i], is.first[i], is.rows[0])
		}
	}
	return nil
}

// addLine reads the line of a row.
func (is *importedShipment) addLine(row int, get func(string) string) error {
	qty, err := strconv.Atoi(get("qty"))
	if err != nil {
		return rowError(row, "qty", "%q bukan bilangan bulat", "%q is not a whole number", get("qty"))
	}
	is.sh.Lines = append(is.sh.Lines, siaga.Line{Item: siaga.Item(get("item")), Dapil: get("dapil"), Qty: qty})
	is.rows = append(is.rows, row)
	v := get("received")
	switch {
	case v == "" && is.received == nil:
		return nil
	case v == "":
		return rowError(row, "received", "kosong, padahal baris lain surat jalan ini terisi", "empty while other rows of this waybill are not")
	case is.received == nil && len(is.rows) > 1:
		return rowError(row, "received", "terisi, padahal baris %d surat jalan ini kosong", "filled while row %d of this waybill is empty", is.rows[0])
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > qty {
		return rowError(row, "received", "%q bukan jumlah antara 0 dan %d", "%q is not a count between 0 and %d", v, qty)
	}
	is.received = append(is.received, n)
	return nil
}

// Import stores the shipments of a CSV (ImportColumns) in one transaction,
// with the proofs of delivery of those received; it returns how many
// shipments it stored. Any bad row stores nothing: the error names its row
// and column. A waybill already stored is replaced, keeping its ID.
func (s *Shipments) Import(ctx context.Context, r io.Reader, by string) (int, error) {
	list, err := parseShipmentsCSV(r)
	if err != nil {
		return 0, err
	}
	now := s.now()
	stored := map[string][]siaga.Shipment{} // by destination
	var (
		ss     []siaga.Shipment
		ds     []siaga.Delivery
		alerts []siaga.LogisticsAlert
	)
	for _, is := range list {
		sh := &is.sh
		sh.CreatedAt, sh.CreatedBy, sh.LastEvent = now, by, now
		if err := s.check(sh); err != nil {
			return 0, is.cellError(err)
		}
		if err := is.settle(now); err != nil {
			return 0, err
		}
		var known bool
		if sh.ID, known, err = s.storedID(ctx, stored, sh); err != nil {
			return 0, err
		}
		if is.received != nil {
			d := siaga.Delivery{ID: "import:" + sh.Waybill, Shipment: sh.ID, Receiver: "(impor / import)", ReceivedAt: *sh.Arrived,
				Source: "import", By: by, RecordedAt: now}
			for i, l := range sh.Lines {
				d.Lines = append(d.Lines, siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Sent: l.Qty, Counted: is.received[i]})
			}
			ds = append(ds, d)
			received := false
			if known {
				_, err := s.cfg.Store.Delivery(ctx, sh.ID)
				if err != nil && siaga.ErrorCode(err) != siaga.ENotFound {
					return 0, err
				}
				received = err == nil // its alert was raised when it was
			}
			if d.Discrepant() && !received {
				// No follow-up: the office's export carries its own
				// follow-up waybills.
				alerts = append(alerts, discrepancyAlert(*sh, d, siaga.Shipment{Waybill: "-"}))
			}
		}
		ss = append(ss, *sh)
	}
	audit := siaga.AuditEvent{At: now, Actor: actor(by), Action: siaga.AuditShipmentSave, Subject: fmt.Sprint(len(ss)),
		Detail: siaga.AuditDetail(map[string]any{"import": true, "shipments": len(ss), "deliveries": len(ds)})}
	if err := s.cfg.Store.ImportShipments(ctx, ss, ds, alerts, audit); err != nil {
		return 0, err
	}
	return len(ss), nil
}

// settle derives the status and times of an imported shipment from its
// columns: received quantities make it diterima, which needs its arrival.
func (is *importedShipment) settle(now time.Time) error {
	sh, row := &is.sh, is.rows[0]
	if is.received != nil {
		if sh.Status != "" && sh.Status != siaga.ShipmentDelivered {
			return rowError(row, "status", "%s, padahal jumlah diterima terisi (diterima)", "%s while received counts are filled (diterima)", sh.Status)
		}
		sh.Status = siaga.ShipmentDelivered
	}
	if sh.Status == "" {
		sh.Status = siaga.ShipmentPlanned
	}
	switch sh.Status {
	case siaga.ShipmentArrived, siaga.ShipmentDelivered:
		if sh.Arrived == nil {
			return rowError(row, "arrived", "waktu tiba wajib untuk status %s", "the arrival time is required for status %s", sh.Status)
		}
	case siaga.ShipmentDeparted, siaga.ShipmentHeld:
		if sh.Departed == nil {
			return rowError(row, "departed", "waktu berangkat wajib untuk status %s", "the departure time is required for status %s", sh.Status)
		}
	}
	if sh.Departed != nil && sh.Departed.After(now) {
		return rowError(row, "departed", "waktu di masa depan", "a time in the future")
	}
	if sh.Arrived != nil && sh.Arrived.After(now) {
		return rowError(row, "arrived", "waktu di masa depan", "a time in the future")
	}
	switch {
	case sh.Arrived != nil:
		sh.LastEvent = *sh.Arrived
	case sh.Departed != nil:
		sh.LastEvent = *sh.Departed
	}
	return nil
}

// storedID is the ID of the stored shipment with sh's waybill (known),
// or a new one; stored caches the shipments already read by destination.
func (s *Shipments) storedID(ctx context.Context, stored map[string][]siaga.Shipment, sh *siaga.Shipment) (id string, known bool, err error) {
	list, ok := stored[sh.To]
	if !ok {
		if list, _, err = s.cfg.Store.Shipments(ctx, siaga.ShipmentFilter{Region: sh.To}); err != nil {
			return "", false, err
		}
		stored[sh.To] = list
	}
	for _, prev := range list {
		if prev.Waybill == sh.Waybill {
			return prev.ID, true, nil
		}
	}
	return uuid.NewString(), false, nil
}

// cellError places an error of check on the row and column it is about.
func (is *importedShipment) cellError(err error) error {
	var e *siaga.Error
	if !errors.As(err, &e) {
		return err
	}
	row, col := is.rows[0], e.Field
	var i int
	var rest string
	if n, _ := fmt.Sscanf(strings.Replace(e.Field, "].", "] ", 1), "lines[%d] %s", &i, &rest); n >= 1 && i < len(is.rows) {
		row, col = is.rows[i], rest
		if col == "" {
			col = "item"
		}
	} else {
		col = strings.TrimPrefix(col, "sea.")
		if col == "lines" {
			col = "item"
		}
	}
	out := rowError(row, col, "%s", "%s", e.Message)
	out.MessageEN = fmt.Sprintf("row %d, column %s: %s", row, col, e.MessageEN)
	return out
}

// rowError is an error about one cell of the file: "baris 7, kolom qty:
// …" / "row 7, column qty: …".
func rowError(row int, col, id, en string, args ...any) *siaga.Error {
	e := siaga.Errorf(siaga.EInvalid, col, id, en, args...)
	if col == "" {
		e.Message, e.MessageEN = fmt.Sprintf("baris %d: %s", row, e.Message), fmt.Sprintf("row %d: %s", row, e.MessageEN)
		return e
	}
	e.Message = fmt.Sprintf("baris %d, kolom %s: %s", row, col, e.Message)
	e.MessageEN = fmt.Sprintf("row %d, column %s: %s", row, col, e.MessageEN)
	return e
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return rowError(pe.Line, "", "CSV tidak sah (%v)", "invalid CSV (%v)", pe.Err)
	}
	return fmt.Errorf("read shipments: %w", err)
}
