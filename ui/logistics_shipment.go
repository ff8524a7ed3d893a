package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
)

// The shipment pages (docs/logistics.md, "Halaman pengiriman"): the list
// of a region's shipments (logistics_shipments.go), the form of a new one
// (logistics_shipment_new.go), one shipment with its timeline, its BTTB,
// its photos and its two PDFs (here), and the forms of a status event and
// a BTTB (logistics_shipment_forms.go). Everything is staff data: the
// route table lets in only the logistics roles, in scope of the path's
// region, and a shipment is shown only under a region that holds its
// destination.
//
// One shipment lives at /logistik/{code}/kiriman/{id}, not at
// /logistik/kiriman/{id}: Go's router cannot hold both that and the
// region pages /logistik/{code}/kiriman, /logistik/{code}/peringatan …
// ("/logistik/kiriman/kiriman" would match both, neither more specific),
// and with the region in the path the route table checks the scope itself.

// Shipments is the shipments service as the pages use it
// (logistics.Shipments).
type Shipments interface {
	Create(ctx context.Context, sh siaga.Shipment, by string) (siaga.Shipment, error)
	Record(ctx context.Context, e siaga.ShipmentEvent) (siaga.Shipment, error)
	Deliver(ctx context.Context, d siaga.Delivery) (sh siaga.Shipment, followUps []siaga.Shipment, err error)
	Get(ctx context.Context, id string) (siaga.Shipment, []siaga.ShipmentEvent, *siaga.Delivery, error)
	List(ctx context.Context, f siaga.ShipmentFilter) ([]siaga.Shipment, int, error)
	Alerts(ctx context.Context, f siaga.LogisticsAlertFilter) ([]siaga.LogisticsAlert, int, error)
	Acknowledge(ctx context.Context, id int64, by string) error
	SavePhoto(ctx context.Context, data []byte, by string) (sha string, err error)
	Items() []siaga.Item // what a waybill may carry: the bill of materials' items
}

// LogisticsPhotos reads the stored photos of proofs of delivery
// (siaga.ShipmentStore).
type LogisticsPhotos interface {
	LogisticsPhoto(ctx context.Context, sha256 string) (siaga.LogisticsPhoto, error)
}

// shipmentsOff answers 404 when the node runs without the shipments
// service.
func (h *Pages) shipmentsOff(w http.ResponseWriter, r *http.Request) bool {
	if h.Shipments == nil {
		h.Error(w, r, http.StatusNotFound, "Modul logistik tidak aktif.", "The logistics module is off.")
		return true
	}
	return false
}

// place is a place code as the documents and pages name it.
func (h *Pages) place(code string) logistics.WaybillPlace {
	p := logistics.WaybillPlace{Code: code}
	name := code
	if siaga.LevelOf(code) == siaga.LevelTPS {
		name = siaga.ParentCode(code)
	}
	path := h.Regions.Path(name)
	if n := len(path); n > 0 && path[n-1].Code == name {
		p.Name = path[n-1].Name
		var within []string
		for i := n - 2; i >= 1 && len(within) < 2; i-- { // the two levels above, not the province
			within = append(within, path[i].Name)
		}
		p.Within = strings.Join(within, ", ")
	}
	return p
}

// placeShort is a place in a table cell: "PPK TIRTAYASA", "TPS 003 WARGASARA".
func (h *Pages) placeShort(code string) string {
	p := h.place(code)
	role := p.Role()
	if i := strings.IndexByte(role, ' '); i > 0 && siaga.LevelOf(code) != siaga.LevelTPS {
		role = role[:i]
	}
	if siaga.LevelOf(code) == siaga.LevelKabKota || siaga.LevelOf(code) == siaga.LevelProvince {
		role = "Gudang"
	}
	if p.Name == "" {
		return role + " " + code
	}
	return role + " " + p.Name
}

// pathShipment loads the path's shipment when it is bound for the path's
// region {code} (which the guard checked against the account's scope);
// otherwise it answers 404, as for a shipment that does not exist: the
// page does not tell who may look what exists elsewhere.
func (h *Pages) pathShipment(w http.ResponseWriter, r *http.Request) (shipmentView, bool) {
	if h.shipmentsOff(w, r) {
		return shipmentView{}, false
	}
	code := r.PathValue("code")
	sh, events, d, err := h.Shipments.Get(r.Context(), r.PathValue("id"))
	if err == nil && !siaga.InScope(code, sh.To) {
		err = siaga.Errorf(siaga.ENotFound, "id", "Kiriman tidak ditemukan", "shipment not found")
	}
	if err != nil {
		status := siaga.HTTPStatus(siaga.ErrorCode(err))
		if status == http.StatusNotFound {
			h.Error(w, r, status, "Kiriman tidak ditemukan di wilayah ini.", "Shipment not found in this region.")
		} else {
			h.dashLog().Error("loading a shipment", "id", r.PathValue("id"), "err", err)
			h.Error(w, r, status, "Kiriman tidak dapat dibuka; coba lagi.", "The shipment could not be loaded; try again.")
		}
		return shipmentView{}, false
	}
	return shipmentView{Shipment: sh, Events: events, Delivery: d}, true
}

// shipmentView is a shipment with its history, as Get returns it.
type shipmentView struct {
	Shipment siaga.Shipment
	Events   []siaga.ShipmentEvent
	Delivery *siaga.Delivery
}

// shipmentURL is the page of a shipment, under its destination.
func shipmentURL(sh siaga.Shipment) string { return "/logistik/" + sh.To + "/kiriman/" + sh.ID }

// mayLog reports whether u may create and deliver shipments bound for to.
func (h *Pages) mayLog(u *siaga.User, to string) bool {
	return u != nil && slices.Contains(h.Roles.Log, u.Role) && siaga.InScope(u.Scope, to)
}

// mayRecord reports whether u may add a status event to sh: the
// logistics roles, and an escort (aparat) on a leg that has one.
func (h *Pages) mayRecord(u *siaga.User, sh siaga.Shipment) bool {
	if u == nil || !siaga.InScope(u.Scope, sh.To) {
		return false
	}
	return slices.Contains(h.Roles.Log, u.Role) || (u.Role == siaga.RoleAparat && sh.Escort != "")
}

// formID is a fresh id for a form's event or delivery: the same form sent
// twice (a double click, a retry after a timeout) is one event.
func formID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// timelineRow is one line of a shipment's timeline.
type timelineRow struct {
	siaga.ShipmentEvent
	Name, NameEN string
}

var eventNames = map[siaga.ShipmentEventKind][2]string{
	siaga.EventDeparted:  {"berangkat", "departed"},
	siaga.EventPosition:  {"posisi", "position"},
	siaga.EventHeld:      {"tertahan", "held"},
	siaga.EventResumed:   {"lanjut", "resumed"},
	siaga.EventArrived:   {"tiba", "arrived"},
	siaga.EventCancelled: {"batal", "cancelled"},
}

// eventKinds are the kinds the event form offers, in the order of a
// journey.
var eventKinds = []siaga.ShipmentEventKind{siaga.EventDeparted, siaga.EventPosition, siaga.EventHeld,
	siaga.EventResumed, siaga.EventArrived, siaga.EventCancelled}

// deliveryRow is one line of the BTTB as the page shows it.
type deliveryRow struct {
	siaga.DeliveryLine
	Name   string
	Colour string // CSS colour of a ballot line
	Short  int
	Bad    bool
}

type shipmentPage struct {
	basePage
	logisticsWords
	Region   siaga.Region
	View     shipmentView
	From, To string // the places in words
	Mode     string
	Status   [2]string
	Lines    []shipmentLineRow
	Timeline []timelineRow
	Delivery []deliveryRow
	// Origin is the shipment this one follows up; FollowUps those that
	// follow this one up.
	Origin    *siaga.Shipment
	FollowUps []siaga.Shipment
	URL       string
	// The forms: who may use them, and what they hold after an error.
	CanRecord, CanDeliver bool
	Kinds                 []siaga.ShipmentEventKind
	Event                 eventInput
	BTTB                  bttbInput
	Err                   *formError
	ErrForm               string // "peristiwa" or "bttb": which form the error is about
	MaxPhotos             int
}

// BTTBRowBad reports whether the BTTB form's error is about line i.
func (p shipmentPage) BTTBRowBad(i int) bool {
	return p.ErrForm == "bttb" && p.Err != nil && onLine(p.Err.Field, i)
}

// shipmentLineRow is one line of the waybill on the page.
type shipmentLineRow struct {
	siaga.Line
	Name       string
	Colour     string // CSS colour of a ballot line
	ColourName string
}

func lineRows(lines []siaga.Line) []shipmentLineRow {
	out := make([]shipmentLineRow, len(lines))
	for i, l := range lines {
		out[i] = shipmentLineRow{Line: l, Name: logistics.ItemName(l.Item)}
		if c, ok := logistics.BallotColour(l.Item); ok {
			out[i].Colour, out[i].ColourName = c.Hex(), c.Name
		}
	}
	return out
}

// ShipmentPage serves GET /logistik/{code}/kiriman/{id}: the waybill, its
// timeline, its BTTB with the discrepancies marked and its photos, the
// follow-ups, links to the PDFs, and the forms the account may use.
func (h *Pages) ShipmentPage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.pathShipment(w, r)
	if !ok {
		return
	}
	h.renderShipment(w, r, http.StatusOK, v, h.newEventInput(), h.newBTTBInput(v.Shipment), nil, "")
}

func (h *Pages) renderShipment(w http.ResponseWriter, r *http.Request, status int, v shipmentView, ev eventInput, bt bttbInput, fe *formError, form string) {
	sh := v.Shipment
	// The path's region, or for a TPS its desa: what "all shipments"
	// links to.
	code := r.PathValue("code")
	if siaga.LevelOf(code) == siaga.LevelTPS {
		code = siaga.ParentCode(code)
	}
	reg, _ := h.Regions.Region(code)
	p := shipmentPage{basePage: h.base(r, "Kiriman "+sh.Waybill), Region: reg, View: v,
		From: h.place(sh.From).String(), To: h.place(sh.To).String(), Mode: logistics.ModeName(sh.Mode),
		Lines: lineRows(sh.Lines), URL: shipmentURL(sh), Kinds: eventKinds, Event: ev, BTTB: bt, Err: fe, ErrForm: form,
		MaxPhotos: MaxBTTBPhotos}
	p.Status[0], p.Status[1] = logistics.StatusName(sh.Status)
	p.Nav, p.Path = "logistik", h.Regions.Path(reg.Code)
	u := h.account(r)
	p.CanRecord = h.mayRecord(u, sh) && sh.Status != siaga.ShipmentDelivered && sh.Status != siaga.ShipmentCancelled
	p.CanDeliver = h.mayLog(u, sh.To) && v.Delivery == nil && sh.Status != siaga.ShipmentCancelled
	for _, e := range v.Events {
		n := eventNames[e.Kind]
		p.Timeline = append(p.Timeline, timelineRow{ShipmentEvent: e, Name: n[0], NameEN: n[1]})
	}
	if d := v.Delivery; d != nil {
		for _, l := range d.Lines {
			row := deliveryRow{DeliveryLine: l, Name: logistics.ItemName(l.Item), Short: l.Short(), Bad: l.Shortfall() > 0}
			if c, ok := logistics.BallotColour(l.Item); ok {
				row.Colour = c.Hex()
			}
			p.Delivery = append(p.Delivery, row)
		}
	}
	ctx := r.Context()
	if sh.FollowUpOf != "" {
		if o, _, _, err := h.Shipments.Get(ctx, sh.FollowUpOf); err == nil {
			p.Origin = &o
		}
	}
	// The follow-ups of this shipment, bound for the same place.
	if v.Delivery != nil && v.Delivery.Discrepant() {
		var err error
		if p.FollowUps, _, err = h.Shipments.List(ctx, siaga.ShipmentFilter{Region: sh.To, FollowUpOf: sh.ID}); err != nil {
			h.dashLog().Error("listing follow-ups", "shipment", sh.ID, "err", err)
		}
	}
	h.renderStatus(w, r, status, "logistics_shipment", p)
}

// shipmentDoc is what the PDFs of v print.
func (h *Pages) shipmentDoc(ctx context.Context, v shipmentView) logistics.ShipmentDoc {
	sh := v.Shipment
	doc := logistics.ShipmentDoc{Shipment: sh, From: h.place(sh.From), To: h.place(sh.To), Delivery: v.Delivery}
	if h.Election != nil {
		doc.Election = h.Election.Name
		if len(h.Election.Synthetic) > 0 {
			doc.Synthetic = "DATA SINTETIS / SYNTHETIC DATA: " + strings.Join(h.Election.Synthetic, "; ")
		}
	}
	if sh.FollowUpOf != "" {
		if o, _, _, err := h.Shipments.Get(ctx, sh.FollowUpOf); err == nil {
			doc.Origin = o.Waybill
		}
	}
	if v.Delivery != nil && v.Delivery.Discrepant() {
		if fs, _, err := h.Shipments.List(ctx, siaga.ShipmentFilter{Region: sh.To, FollowUpOf: sh.ID}); err == nil {
			for _, f := range fs {
				doc.FollowUps = append(doc.FollowUps, f.Waybill)
			}
		}
	}
	return doc
}

// WaybillPDF serves GET /logistik/{code}/kiriman/{id}/surat-jalan.pdf.
func (h *Pages) WaybillPDF(w http.ResponseWriter, r *http.Request) {
	h.shipmentPDF(w, r, "surat-jalan", logistics.WriteWaybill)
}

// BTTBPDF serves GET /logistik/{code}/kiriman/{id}/bttb.pdf: the counted
// BTTB, or before delivery the form to fill in by hand.
func (h *Pages) BTTBPDF(w http.ResponseWriter, r *http.Request) {
	h.shipmentPDF(w, r, "bttb", logistics.WriteBTTB)
}

func (h *Pages) shipmentPDF(w http.ResponseWriter, r *http.Request, name string, write func(w io.Writer, d logistics.ShipmentDoc) error) {
	v, ok := h.pathShipment(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := write(&buf, h.shipmentDoc(r.Context(), v)); err != nil {
		h.writeError(w, r, err)
		return
	}
	file := name + "-" + safeFileName(v.Shipment.Waybill) + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+file+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// safeFileName keeps the letters, digits, dashes and dots of s, so that
// a waybill number "SJ/3604/0007" makes a file name and nothing else.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, s)
}

// ShipmentPhoto serves GET /logistik/{code}/kiriman/{id}/foto/{sha}: a
// photo of the shipment's BTTB, only if the BTTB names it. Evidence, staff
// data; served as the type the store checked on upload, never sniffed.
func (h *Pages) ShipmentPhoto(w http.ResponseWriter, r *http.Request) {
	v, ok := h.pathShipment(w, r)
	if !ok {
		return
	}
	sha := r.PathValue("sha")
	if v.Delivery == nil || !slices.Contains(v.Delivery.Photos, sha) || h.LogisticsPhotos == nil {
		h.pageNotFound(w, r)
		return
	}
	p, err := h.LogisticsPhotos.LogisticsPhoto(r.Context(), sha)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", p.Type)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, max-age=86400, immutable") // keyed by its hash: it never changes
	hd.Set("Content-Disposition", `inline; filename="bttb-`+sha[:min(12, len(sha))]+`"`)
	_, _ = w.Write(p.Data)
}

// logRefusal is refusal keeping the whole field the service names
// ("lines[2].dapil", "sea.vessel"): the logistics forms name their
// inputs so.
func (h *Pages) logRefusal(w http.ResponseWriter, r *http.Request, err error, id, en string, attrs ...any) (*formError, bool) {
	fe, ok := h.refusal(w, r, err, id, en, attrs...)
	var e *siaga.Error
	if ok && errors.As(err, &e) && e.Field != "" {
		fe.Field = e.Field
		fe.Message, fe.MessageEN = "kolom "+e.Field+": "+e.Message, "field "+e.Field+": "+e.MessageEN
	}
	return fe, ok
}

// The words of the logistics codes, for the templates (as methods of
// the pages, so that the pages' shared function map stays as it is).
type logisticsWords struct{}

func (logisticsWords) ItemLabel(item siaga.Item) string {
	n := logistics.ItemName(item)
	if c, ok := logistics.BallotColour(item); ok {
		n += " (" + c.Name + ")"
	}
	return n
}

func (logisticsWords) ModeText(m siaga.TransportMode) string { return logistics.ModeName(m) }

func (logisticsWords) StatusText(s siaga.ShipmentStatus) string {
	id, _ := logistics.StatusName(s)
	return id
}

func (logisticsWords) EventText(k siaga.ShipmentEventKind) string { return eventNames[k][0] }

// Day is a time in a table: "11 Feb 07.00"; "—" for none. t is a
// time.Time or a *time.Time.
func (logisticsWords) Day(t any) string {
	var tt time.Time
	switch v := t.(type) {
	case time.Time:
		tt = v
	case *time.Time:
		if v != nil {
			tt = *v
		}
	}
	if tt.IsZero() {
		return "—"
	}
	tt = tt.In(siaga.WIB)
	return fmt.Sprintf("%d %s %02d.%02d", tt.Day(), bulanNames[tt.Month()-1][:3], tt.Hour(), tt.Minute())
}

// wibInput is a time as a datetime-local input shows it.
func wibInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(siaga.WIB).Format(dataTimeLayout)
}
