package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// logisticsField is the source of what a KPPS phone records.
const logisticsField = "lapangan"

// Bounds of the field app's logistics requests: an item is a dozen lines
// of counts, names and a note; a photo is shrunk on the phone to at most
// 250 KB (photos.js), like a form's page.
const (
	fieldItemBody  = 16 << 10
	fieldPhotoBody = 256 << 10
	// fieldShipmentsMax bounds the shipments a TPS's phone reads at once:
	// a TPS receives one kit and perhaps a follow-up or two.
	fieldShipmentsMax = 50
	// fieldReadSkew is how far a signed read's time may be from the
	// server's: a captured read is worthless after it; a phone's clock is
	// set by the network.
	fieldReadSkew = 15 * time.Minute
)

// Headers of the field app's signed reads and photos. An item (a
// delivery, an arrival, a handover) carries its device and signature in
// its body instead.
const (
	hdrDevice    = "X-Siaga-Device"
	hdrSignature = "X-Siaga-Signature"
	hdrAt        = "X-Siaga-At"
)

// fieldShipment is a shipment as the TPS's phone sees it: what comes, how
// and when, without the staff data around it (the escort's contact, who
// created it).
type fieldShipment struct {
	ID               string               `json:"id"`
	Waybill          string               `json:"waybill"`
	From             string               `json:"from"`
	To               string               `json:"to"`
	Lines            []siaga.Line         `json:"lines"`
	Mode             siaga.TransportMode  `json:"mode"`
	Sea              *siaga.SeaRoute      `json:"sea,omitempty"`
	Escort           string               `json:"escort,omitempty"`
	PlannedDeparture time.Time            `json:"planned_departure"`
	PlannedArrival   time.Time            `json:"planned_arrival"`
	Departed         *time.Time           `json:"departed,omitempty"`
	Arrived          *time.Time           `json:"arrived,omitempty"`
	Status           siaga.ShipmentStatus `json:"status"`
	FollowUpOf       string               `json:"follow_up_of,omitempty"`
}

func toFieldShipment(s siaga.Shipment) fieldShipment {
	return fieldShipment{ID: s.ID, Waybill: s.Waybill, From: s.From, To: s.To, Lines: s.Lines, Mode: s.Mode, Sea: s.Sea,
		Escort: s.Escort, PlannedDeparture: s.PlannedDeparture, PlannedArrival: s.PlannedArrival, Departed: s.Departed,
		Arrived: s.Arrived, Status: s.Status, FollowUpOf: s.FollowUpOf}
}

// logisticsOff answers the routes of a node without the logistics module.
func (s *Server) logisticsOff(w http.ResponseWriter, r *http.Request) bool {
	if s.Shipments == nil || s.Custody == nil {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "logistik tidak tersedia di server ini", "logistics are not available on this server"))
		return true
	}
	return false
}

// verifyFieldRequest checks a signed read or photo: the device's signature
// of one line naming the request (and, for a read, its time), for the TPS
// the path names.
func (s *Server) verifyFieldRequest(r *http.Request, tps, line string) (*siaga.Device, error) {
	return s.Auth.VerifyLogistics(r.Context(), r.Header.Get(hdrDevice), tps, []byte(line), r.Header.Get(hdrSignature))
}

// handleFieldShipments serves GET /api/v1/logistics/field/shipments/{tps}:
// the shipments bound for a TPS, for a KPPS phone of that TPS only. The
// phone signs "GET <path>\n<time>" with its key; a read older or newer
// than fieldReadSkew is refused (401 on at), so a captured read cannot be
// replayed later. The answer carries the server's time, by which a phone
// with a wrong clock corrects its next read.
func (s *Server) handleFieldShipments(w http.ResponseWriter, r *http.Request) {
	if s.logisticsOff(w, r) {
		return
	}
	tps := r.PathValue("tps")
	at := r.Header.Get(hdrAt)
	d, err := s.verifyFieldRequest(r, tps, r.Method+" "+r.URL.Path+"\n"+at)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	when, err := time.Parse(time.RFC3339, at)
	if now := s.now(); err != nil || when.Before(now.Add(-fieldReadSkew)) || when.After(now.Add(fieldReadSkew)) {
		w.Header().Set("X-Siaga-Server-Time", now.UTC().Format(time.RFC3339))
		s.writeError(w, r, siaga.Errorf(siaga.EUnauthorized, "at", "Jam ponsel berbeda lebih dari %d menit dari server; periksa tanggal dan jam ponsel",
			"the phone's clock is more than %d minutes off the server's; check the phone's date and time", int(fieldReadSkew/time.Minute)))
		return
	}
	page, total, err := s.Shipments.List(r.Context(), siaga.ShipmentFilter{Region: d.TPS, Limit: fieldShipmentsMax})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	items := make([]fieldShipment, 0, len(page))
	for _, sh := range page {
		if sh.To == d.TPS { // the filter is a prefix: a TPS code has no children, but say it
			items = append(items, toFieldShipment(sh))
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		Items      []fieldShipment `json:"items"`
		Total      int             `json:"total"`
		ServerTime time.Time       `json:"server_time"`
	}{items, total, s.now().UTC()})
}

// handleFieldPhoto serves PUT /api/v1/logistics/field/photos/{tps}/{sha256}:
// one photo of a proof of delivery or a handover, from a KPPS phone of the
// TPS, which signs "PUT <path>". The bytes must hash to the path's
// SHA-256, so a replay stores the same photo again, which changes nothing.
func (s *Server) handleFieldPhoto(w http.ResponseWriter, r *http.Request) {
	if s.logisticsOff(w, r) {
		return
	}
	want := r.PathValue("sha256")
	d, err := s.verifyFieldRequest(r, r.PathValue("tps"), r.Method+" "+r.URL.Path)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != want {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "sha256", "Isi foto tidak cocok dengan SHA-256-nya; kirim ulang",
			"the photo's bytes do not match its SHA-256; send it again"))
		return
	}
	sha, err := s.Shipments.SavePhoto(r.Context(), data, "device:"+d.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"sha256": sha})
}

// fieldItem is the envelope of what a KPPS phone records: the item's exact
// JSON text, which it signs, and the signature. One of the three item
// fields is set; the route says which.
type fieldItem struct {
	Event     json.RawMessage `json:"event"`
	Delivery  json.RawMessage `json:"delivery"`
	Handover  json.RawMessage `json:"handover"`
	Signature string          `json:"signature"`
}

// decodeFieldItem reads the envelope and the item strictly into v; what
// is signed is the item's text as sent.
func decodeFieldItem(body io.Reader, name string, v any) (raw []byte, signature string, err error) {
	var env fieldItem
	if err := decodeOne(body, &env); err != nil {
		return nil, "", err
	}
	raw = map[string]json.RawMessage{"event": env.Event, "delivery": env.Delivery, "handover": env.Handover}[name]
	if len(raw) == 0 || string(raw) == "null" {
		return nil, "", siaga.Errorf(siaga.EInvalid, name, "isian %s wajib", "the %s field is required", name)
	}
	if err := decodeOne(bytes.NewReader(raw), v); err != nil {
		if e, ok := err.(*siaga.Error); ok && e.Field != "" {
			e.Field = name + "." + e.Field
		}
		return nil, "", err
	}
	return raw, env.Signature, nil
}

// fieldEventIn is an arrival a KPPS phone records: the shipment is at the
// TPS, not yet counted. Departures, positions and holds are the escort's
// and the logistics officers' (the staff mode, with their accounts).
type fieldEventIn struct {
	ID       string    `json:"id"`
	Device   string    `json:"device"`
	TPS      string    `json:"tps"`
	Shipment string    `json:"shipment"`
	Kind     string    `json:"kind"`
	At       time.Time `json:"at"`
	Note     string    `json:"note"`
}

// fieldShipmentOf verifies an item's signature for the TPS it names, then
// that the shipment it is about is bound for that TPS: a phone signs only
// for what arrives at its own TPS.
func (s *Server) fieldShipmentOf(r *http.Request, device, tps string, raw []byte, signature, shipment, field string) (*siaga.Device, siaga.Shipment, error) {
	d, err := s.Auth.VerifyLogistics(r.Context(), device, tps, raw, signature)
	if err != nil {
		return nil, siaga.Shipment{}, err
	}
	sh, _, _, err := s.Shipments.Get(r.Context(), shipment)
	if siaga.ErrorCode(err) == siaga.ENotFound {
		return nil, sh, siaga.Errorf(siaga.ENotFound, field, "Kiriman %s tidak ada", "shipment %s does not exist", shipment)
	}
	if err != nil {
		return nil, sh, err
	}
	if sh.To != d.TPS {
		return nil, sh, siaga.Errorf(siaga.EForbidden, field, "Kiriman %s bukan untuk TPS %s; perangkat ini hanya mencatat kiriman TPS-nya",
			"shipment %s is not bound for TPS %s; this device records its own TPS's shipments only", sh.Waybill, d.TPS)
	}
	return d, sh, nil
}

// handleFieldEvent serves POST /api/v1/logistics/field/events: a KPPS
// phone's signed arrival of a shipment at its TPS. The event's ID is the
// phone's: the outbox's retry after a lost answer is the same event.
func (s *Server) handleFieldEvent(w http.ResponseWriter, r *http.Request) {
	if s.logisticsOff(w, r) {
		return
	}
	var in fieldEventIn
	raw, sig, err := decodeFieldItem(r.Body, "event", &in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d, sh, err := s.fieldShipmentOf(r, in.Device, in.TPS, raw, sig, in.Shipment, "event.shipment")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.Kind != string(siaga.EventArrived) {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "event.kind", "Ponsel KPPS hanya mencatat kedatangan (tiba), bukan %q",
			"a KPPS phone records arrivals (tiba) only, not %q", in.Kind))
		return
	}
	// The kit is at the TPS whether or not anyone recorded it leaving (a
	// PPS's motorbike run often is not) or resuming after a hold: the
	// arrival implies it, recorded under an ID derived from the arrival's
	// so that a resend records it once, as Shipments.Deliver does.
	if sh.Status == siaga.ShipmentArrived || sh.Status == siaga.ShipmentDelivered {
		// Its arrival is recorded already (by another phone, or by the BTTB
		// that overtook this on the way): the phone's record holds, and a
		// resend of this very event is answered as Record answers it.
		_, events, _, err := s.Shipments.Get(r.Context(), sh.ID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !slices.ContainsFunc(events, func(e siaga.ShipmentEvent) bool { return e.ID == in.ID }) {
			w.Header().Set("Cache-Control", "no-store")
			writeJSON(w, http.StatusOK, struct {
				Shipment fieldShipment `json:"shipment"`
			}{toFieldShipment(sh)})
			return
		}
	}
	implied := map[siaga.ShipmentStatus]siaga.ShipmentEventKind{siaga.ShipmentPlanned: siaga.EventDeparted, siaga.ShipmentHeld: siaga.EventResumed}
	if kind, ok := implied[sh.Status]; ok {
		if _, err := s.Shipments.Record(r.Context(), siaga.ShipmentEvent{ID: in.ID + ":" + string(kind), Shipment: in.Shipment, Kind: kind,
			At: in.At, Note: "tidak tercatat; disimpulkan dari kedatangan di TPS / not recorded; implied by the arrival at the TPS",
			Source: logisticsField, By: "device:" + d.ID}); err != nil {
			s.writeError(w, r, prefixField(err, "event."))
			return
		}
	}
	sh, err = s.Shipments.Record(r.Context(), siaga.ShipmentEvent{ID: in.ID, Shipment: in.Shipment, Kind: siaga.EventArrived,
		At: in.At, Place: "TPS " + d.TPS, Note: in.Note, Source: logisticsField, By: "device:" + d.ID})
	if err != nil {
		s.writeError(w, r, prefixField(err, "event."))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, struct {
		Shipment fieldShipment `json:"shipment"`
	}{toFieldShipment(sh)})
}

// fieldDeliveryIn is a proof of delivery (BTTB) a KPPS phone records: per
// line of the waybill, what was counted good, damaged and of the wrong
// dapil; the receiver's name; photos by SHA-256, uploaded after it.
type fieldDeliveryIn struct {
	ID         string              `json:"id"`
	Device     string              `json:"device"`
	TPS        string              `json:"tps"`
	Shipment   string              `json:"shipment"`
	Receiver   string              `json:"receiver"`
	ReceivedAt time.Time           `json:"received_at"`
	Lines      []fieldDeliveryLine `json:"lines"`
	Photos     []string            `json:"photos"`
	Note       string              `json:"note"`
}

type fieldDeliveryLine struct {
	Item       siaga.Item `json:"item"`
	Dapil      string     `json:"dapil"`
	Counted    int        `json:"counted"`
	Damaged    int        `json:"damaged"`
	WrongDapil int        `json:"wrong_dapil"`
}

// maxFieldPhotos bounds the photos of one item: the BTTB sheet, the boxes,
// a damaged lot.
const maxFieldPhotos = 3

func checkFieldPhotos(field string, photos []string) error {
	if len(photos) > maxFieldPhotos {
		return siaga.Errorf(siaga.EInvalid, field, "Paling banyak %d foto", "at most %d photos", maxFieldPhotos)
	}
	for i, p := range photos {
		if b, err := hex.DecodeString(p); err != nil || len(b) != sha256.Size {
			return siaga.Errorf(siaga.EInvalid, fmt.Sprintf("%s[%d]", field, i), "Bukan SHA-256 foto", "not a photo's SHA-256")
		}
	}
	return nil
}

// fieldDeliveryReceipt answers a proof of delivery with what the officer
// should know: the shipment as now recorded and, for a shortfall, the
// follow-up shipment the server created and the short line saying so.
type fieldDeliveryReceipt struct {
	Shipment  fieldShipment   `json:"shipment"`
	FollowUps []fieldShipment `json:"follow_ups"`
	Message   string          `json:"message"`
	EN        string          `json:"en"`
}

// handleFieldDelivery serves POST /api/v1/logistics/field/deliveries: a
// KPPS phone's signed BTTB of a shipment bound for its TPS. A shortfall is
// reported by the service to the sender's region with a follow-up
// shipment; the answer says so. A retry is the same delivery.
func (s *Server) handleFieldDelivery(w http.ResponseWriter, r *http.Request) {
	if s.logisticsOff(w, r) {
		return
	}
	var in fieldDeliveryIn
	raw, sig, err := decodeFieldItem(r.Body, "delivery", &in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d, _, err := s.fieldShipmentOf(r, in.Device, in.TPS, raw, sig, in.Shipment, "delivery.shipment")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := checkFieldPhotos("delivery.photos", in.Photos); err != nil {
		s.writeError(w, r, err)
		return
	}
	lines := make([]siaga.DeliveryLine, len(in.Lines))
	for i, l := range in.Lines {
		lines[i] = siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Counted: l.Counted, Damaged: l.Damaged, WrongDapil: l.WrongDapil}
	}
	sh, followUps, err := s.Shipments.Deliver(r.Context(), siaga.Delivery{ID: in.ID, Shipment: in.Shipment, Receiver: in.Receiver,
		ReceivedAt: in.ReceivedAt, Lines: lines, Photos: in.Photos, Note: in.Note, Source: logisticsField, By: "device:" + d.ID})
	if err != nil {
		s.writeError(w, r, prefixField(err, "delivery."))
		return
	}
	rc := fieldDeliveryReceipt{Shipment: toFieldShipment(sh), FollowUps: []fieldShipment{},
		Message: "Diterima lengkap; terima kasih.", EN: "Received in full; thank you."}
	for _, f := range followUps {
		rc.FollowUps = append(rc.FollowUps, toFieldShipment(f))
	}
	if len(followUps) > 0 {
		ws := make([]string, len(followUps))
		for i, f := range followUps {
			ws[i] = f.Waybill
		}
		rc.Message = fmt.Sprintf("Kekurangan sudah dilaporkan ke pengirim (%s); kiriman susulan %s sedang disiapkan.", sh.From, strings.Join(ws, ", "))
		rc.EN = fmt.Sprintf("The shortfall was reported to the sender (%s); follow-up shipment %s is on its way.", sh.From, strings.Join(ws, ", "))
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, rc)
}

// prefixField names a service's field as the request names it: the
// service says "lines[0].counted", the body holds it under "delivery".
func prefixField(err error, prefix string) error {
	if e, ok := err.(*siaga.Error); ok && e.Field != "" && !strings.HasPrefix(e.Field, prefix) {
		c := *e
		c.Field = prefix + e.Field
		return &c
	}
	return err
}

// fieldHandoverIn is a handover of the TPS's sealed boxes and C.Hasil
// envelopes to its PPS after voting, as a KPPS phone records it.
type fieldHandoverIn struct {
	ID          string    `json:"id"`
	Device      string    `json:"device"`
	TPS         string    `json:"tps"`
	Boxes       int       `json:"boxes"`
	Envelopes   int       `json:"envelopes"`
	Seals       []string  `json:"seals"`
	BrokenSeals []string  `json:"broken_seals"`
	GivenBy     string    `json:"given_by"`
	ReceivedBy  string    `json:"received_by"`
	At          time.Time `json:"at"`
	Photos      []string  `json:"photos"`
	Note        string    `json:"note"`
}

// handleFieldHandover serves POST /api/v1/logistics/field/handovers: a
// KPPS phone's signed handover of its TPS's boxes to the TPS's desa (PPS).
// A broken or mismatched seal is the custody service's alert to Bawaslu;
// the answer names the alerts raised.
func (s *Server) handleFieldHandover(w http.ResponseWriter, r *http.Request) {
	if s.logisticsOff(w, r) {
		return
	}
	var in fieldHandoverIn
	raw, sig, err := decodeFieldItem(r.Body, "handover", &in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := s.Auth.VerifyLogistics(r.Context(), in.Device, in.TPS, raw, sig)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := checkFieldPhotos("handover.photos", in.Photos); err != nil {
		s.writeError(w, r, err)
		return
	}
	h, alerts, err := s.Custody.Handover(r.Context(), siaga.Handover{ID: in.ID, TPS: d.TPS, From: d.TPS, To: siaga.ParentCode(d.TPS),
		Boxes: in.Boxes, Envelopes: in.Envelopes, Seals: in.Seals, BrokenSeals: in.BrokenSeals, GivenBy: in.GivenBy,
		ReceivedBy: in.ReceivedBy, At: in.At, Photos: in.Photos, Note: in.Note, Source: logisticsField, By: "device:" + d.ID})
	if err != nil {
		s.writeError(w, r, prefixField(err, "handover."))
		return
	}
	rc := struct {
		ID      string `json:"id"`
		To      string `json:"to"`
		Alerts  int    `json:"alerts"`
		Message string `json:"message"`
		EN      string `json:"en"`
	}{h.ID, h.To, len(alerts), "Serah terima tercatat.", "Handover recorded."}
	// A retry raises no alert again: the stored handover still says why.
	if len(alerts) > 0 || len(h.BrokenSeals) > 0 {
		rc.Message = "Serah terima tercatat; segel rusak atau tidak cocok sudah dilaporkan ke Bawaslu."
		rc.EN = "Handover recorded; the broken or mismatched seal was reported to Bawaslu."
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, rc)
}

// handleSession serves GET /api/v1/session: who the signed-in account is
// and its session's CSRF token, for a same-origin script that sends with
// the session cookie (the field app's staff mode). Another origin cannot
// read the answer (no CORS), and an API token has no CSRF token to give.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	u, sess, _ := siaga.UserFromContext(r.Context())
	out := struct {
		Username string     `json:"username"`
		Name     string     `json:"name"`
		Role     siaga.Role `json:"role"`
		Scope    string     `json:"scope"`
		CSRF     string     `json:"csrf,omitempty"`
		Expires  *time.Time `json:"expires,omitempty"`
	}{Username: u.Username, Name: u.Name, Role: u.Role, Scope: u.Scope}
	if sess != nil {
		out.CSRF, out.Expires = sess.CSRF, &sess.ExpiresAt
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// fieldStaffPage bounds one page of the staff mode's list: a phone on 2G
// reads a kab/kota's open legs in pages it can afford.
const fieldStaffPage = 100

// openStatuses are the statuses of a shipment still to be moved or
// counted: what an escort or a logistics officer records events on.
var openStatuses = []siaga.ShipmentStatus{siaga.ShipmentPlanned, siaga.ShipmentDeparted, siaga.ShipmentHeld, siaga.ShipmentArrived}

// handleFieldStaffShipments serves GET
// /api/v1/logistics/field/staff/{region}/shipments: the shipments bound
// into region that are not delivered nor cancelled, a page at a time
// (?after=<id>), for the field app's staff mode. An escort (aparat) gets
// the escorted legs only, the ones it may record events on; the store
// filters both. The escort's contact and the creator stay out, as for a
// phone.
func (s *Server) handleFieldStaffShipments(w http.ResponseWriter, r *http.Request) {
	if s.logisticsOff(w, r) {
		return
	}
	u, _, _ := siaga.UserFromContext(r.Context())
	f := siaga.ShipmentFilter{Region: r.PathValue("region"), Status: openStatuses, After: r.URL.Query().Get("after"),
		Limit: fieldStaffPage, Escorted: u.Role == siaga.RoleAparat}
	page, total, err := s.Shipments.List(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Items []fieldShipment `json:"items"`
		Total int             `json:"total"`
		Next  string          `json:"next,omitempty"`
	}{Items: make([]fieldShipment, len(page)), Total: total}
	for i, sh := range page {
		out.Items[i] = toFieldShipment(sh)
	}
	if len(page) == fieldStaffPage {
		out.Next = page[len(page)-1].ID
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}
