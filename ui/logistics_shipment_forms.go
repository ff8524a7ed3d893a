package ui

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The two forms of a shipment's page: a status event (departed, a
// position, held with its reason and new plan, resumed, arrived,
// cancelled) and the BTTB, the receiver's count with up to three photos.
// The service (logistics.Shipments) checks both; an error shows the page
// again with the form's values kept and the field named, as the service
// names it ("lines[1].counted"). Each form carries a fresh id, so the
// same form sent twice is one event or one delivery, not two.

const (
	// MaxBTTBPhotos and MaxBTTBPhoto bound the photos of one BTTB sent
	// from the page: a page of the count and the boxes, on a phone's
	// camera reduced as the field app reduces it (the service refuses a
	// photo over 1 MiB too).
	MaxBTTBPhotos = 3
	MaxBTTBPhoto  = 1 << 20
	// MaxBTTBUpload bounds the whole BTTB form: its photos and fields.
	MaxBTTBUpload = MaxBTTBPhotos*MaxBTTBPhoto + 64<<10
)

// eventInput is the event form as typed.
type eventInput map[string]string

var shipmentEventFields = []string{"id", "kind", "at", "place", "note", "reason", "new_departure", "new_arrival"}

func (h *Pages) newEventInput() eventInput {
	return eventInput{"id": formID(), "at": wibInput(h.now())}
}

// parseWIB reads a datetime-local value as WIB; "" is the zero time.
func parseWIB(field, v string) (time.Time, *formError) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(dataTimeLayout, v, siaga.WIB)
	if err != nil {
		return t, fieldError(field, "kolom "+field+": waktu tidak terbaca (YYYY-MM-DDTHH:MM, WIB)",
			"field "+field+": unreadable time (YYYY-MM-DDTHH:MM, WIB)")
	}
	return t, nil
}

// event is the input as an event of shipment id, or the field that does
// not parse. The service checks the rest (a hold needs its reason and a
// new plan; the state machine).
func (in eventInput) event(id string) (siaga.ShipmentEvent, *formError) {
	e := siaga.ShipmentEvent{ID: in["id"], Shipment: id, Kind: siaga.ShipmentEventKind(in["kind"]), Place: in["place"],
		Note: in["note"], Reason: in["reason"], Source: "web"}
	if e.ID == "" {
		e.ID = formID()
	}
	var fe *formError
	if e.At, fe = parseWIB("at", in["at"]); fe != nil {
		return e, fe
	}
	for _, f := range []struct {
		field string
		dst   **time.Time
	}{{"new_departure", &e.NewDeparture}, {"new_arrival", &e.NewArrival}} {
		t, fe := parseWIB(f.field, in[f.field])
		if fe != nil {
			return e, fe
		}
		if !t.IsZero() {
			*f.dst = &t
		}
	}
	return e, nil
}

// RecordShipmentEvent serves POST /logistik/{code}/kiriman/{id}/peristiwa:
// a status event from the logistics roles, or from the escort (aparat)
// of a leg that has one.
func (h *Pages) RecordShipmentEvent(w http.ResponseWriter, r *http.Request) {
	v, ok := h.pathShipment(w, r)
	if !ok {
		return
	}
	u := h.account(r)
	if !h.mayRecord(u, v.Shipment) {
		h.Error(w, r, http.StatusForbidden, "Hanya petugas logistik, atau pengawal kiriman yang dikawal, yang boleh mencatat peristiwa.",
			"Only logistics staff, or the escort of an escorted shipment, may record an event.")
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	in := eventInput{}
	for _, k := range shipmentEventFields {
		in[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	e, fe := in.event(v.Shipment.ID)
	if fe == nil {
		e.By, e.RecordedAt = auth.Actor(u), h.now().UTC()
		if _, err := h.Shipments.Record(r.Context(), e); err != nil {
			if fe, ok = h.logRefusal(w, r, err, "Peristiwa tidak dapat disimpan; coba lagi.", "The event could not be saved; try again.",
				"shipment", v.Shipment.ID); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderShipment(w, r, http.StatusUnprocessableEntity, v, in, h.newBTTBInput(v.Shipment), fe, "peristiwa")
		return
	}
	http.Redirect(w, r, shipmentURL(v.Shipment)+"#linimasa", http.StatusSeeOther)
}

// bttbInput is the BTTB form as typed.
type bttbInput struct {
	ID, Receiver, ReceivedAt, Note string
	Lines                          []bttbLineInput
}

// bttbLineInput is one line of the BTTB form: the waybill's line and the
// counts typed.
type bttbLineInput struct {
	Name, Dapil, Colour          string
	Sent                         int
	Counted, Damaged, WrongDapil string
}

// newBTTBInput is the form for sh: every line counted as sent, nothing
// damaged, so that the receiver only changes what differs.
func (h *Pages) newBTTBInput(sh siaga.Shipment) bttbInput {
	in := bttbInput{ID: formID(), ReceivedAt: wibInput(h.now())}
	for _, l := range lineRows(sh.Lines) {
		in.Lines = append(in.Lines, bttbLineInput{Name: l.Name, Dapil: l.Dapil, Colour: l.Colour, Sent: l.Qty,
			Counted: strconv.Itoa(l.Qty), Damaged: "0", WrongDapil: "0"})
	}
	return in
}

// read fills the counts from the posted form f.
func (in *bttbInput) read(f func(string) string) {
	in.ID, in.Receiver, in.ReceivedAt, in.Note = f("id"), f("receiver"), f("received_at"), f("note")
	for i := range in.Lines {
		l := &in.Lines[i]
		l.Counted, l.Damaged, l.WrongDapil = f(lineField(i, "counted")), f(lineField(i, "damaged")), f(lineField(i, "wrong_dapil"))
	}
}

// lineField names a line's field as the service's errors do.
func lineField(i int, name string) string { return fmt.Sprintf("lines[%d].%s", i, name) }

// delivery is the input as the BTTB of sh, or the field that does not
// parse: the items and dapil are the waybill's, not the form's.
func (in bttbInput) delivery(sh siaga.Shipment) (siaga.Delivery, *formError) {
	d := siaga.Delivery{ID: in.ID, Shipment: sh.ID, Receiver: in.Receiver, Note: in.Note, Source: "web"}
	if d.ID == "" {
		d.ID = formID()
	}
	var fe *formError
	if d.ReceivedAt, fe = parseWIB("received_at", in.ReceivedAt); fe != nil {
		return d, fe
	}
	for i, l := range sh.Lines {
		dl := siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Sent: l.Qty}
		for _, c := range []struct {
			name string
			val  string
			dst  *int
		}{{"counted", in.Lines[i].Counted, &dl.Counted}, {"damaged", in.Lines[i].Damaged, &dl.Damaged},
			{"wrong_dapil", in.Lines[i].WrongDapil, &dl.WrongDapil}} {
			if c.val == "" {
				continue
			}
			n, err := strconv.Atoi(c.val)
			if err != nil || n < 0 {
				f := lineField(i, c.name)
				return d, fieldError(f, "kolom "+f+": isi bilangan bulat 0 atau lebih", "field "+f+": a whole number, 0 or more")
			}
			*c.dst = n
		}
		d.Lines = append(d.Lines, dl)
	}
	return d, nil
}

// DeliverShipment serves POST /logistik/{code}/kiriman/{id}/bttb, a
// multipart form (its csrf field read by the guard as the hazards upload's
// is): the BTTB and up to three photos. A short, damaged or wrong-dapil
// line raises the service's alert to the sender and its follow-up
// shipment; the page then shows both.
func (h *Pages) DeliverShipment(w http.ResponseWriter, r *http.Request) {
	v, ok := h.pathShipment(w, r)
	if !ok {
		return
	}
	sh := v.Shipment
	u := h.account(r)
	if !h.mayLog(u, sh.To) {
		h.Error(w, r, http.StatusForbidden, "Hanya petugas logistik wilayah tujuan yang boleh mengisi BTTB.",
			"Only the logistics staff of the destination may fill in the BTTB.")
		return
	}
	in := h.newBTTBInput(sh)
	fe := parseBTTBForm(r)
	if fe == nil {
		in.read(func(k string) string { return strings.TrimSpace(r.FormValue(k)) })
	}
	var d siaga.Delivery
	if fe == nil {
		d, fe = in.delivery(sh)
	}
	if fe == nil {
		var files []*multipart.FileHeader
		if r.MultipartForm != nil {
			files = r.MultipartForm.File["photos"]
		}
		if d.Photos, fe, ok = h.saveBTTBPhotos(w, r, files, auth.Actor(u)); !ok {
			return
		}
	}
	if fe == nil {
		d.By, d.RecordedAt = auth.Actor(u), h.now().UTC()
		if _, _, err := h.Shipments.Deliver(r.Context(), d); err != nil {
			if fe, ok = h.logRefusal(w, r, err, "BTTB tidak dapat disimpan; coba lagi.", "The BTTB could not be saved; try again.",
				"shipment", sh.ID); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderShipment(w, r, http.StatusUnprocessableEntity, v, h.newEventInput(), in, fe, "bttb")
		return
	}
	http.Redirect(w, r, shipmentURL(sh)+"#bttb", http.StatusSeeOther)
}

// parseBTTBForm reads the multipart form unless the guard already did.
func parseBTTBForm(r *http.Request) *formError {
	if r.MultipartForm != nil {
		return nil
	}
	err := r.ParseMultipartForm(MaxBTTBPhoto)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil, errors.Is(err, http.ErrNotMultipart) && r.ParseForm() == nil:
		return nil
	case errors.As(err, &tooBig):
		return fieldError("photos", fmt.Sprintf("kolom photos: foto terlalu besar (maksimal %d foto × 1 MiB)", MaxBTTBPhotos),
			fmt.Sprintf("field photos: photos too large (at most %d photos × 1 MiB)", MaxBTTBPhotos))
	}
	return fieldError("", "Formulir tidak terbaca.", "Unreadable form.")
}

// saveBTTBPhotos stores the photos and returns their hashes, or the
// form's error. ok is false when the store failed and an error page is
// written: the caller stops.
func (h *Pages) saveBTTBPhotos(w http.ResponseWriter, r *http.Request, files []*multipart.FileHeader, by string) (shas []string, fe *formError, ok bool) {
	if len(files) > MaxBTTBPhotos {
		return nil, fieldError("photos", fmt.Sprintf("kolom photos: paling banyak %d foto", MaxBTTBPhotos),
			fmt.Sprintf("field photos: at most %d photos", MaxBTTBPhotos)), true
	}
	unreadable := fieldError("photos", "kolom photos: foto tidak terbaca", "field photos: unreadable photo")
	for _, fh := range files {
		if fh.Size > MaxBTTBPhoto {
			return nil, fieldError("photos", "kolom photos: "+fh.Filename+" lebih dari 1 MiB", "field photos: "+fh.Filename+" is over 1 MiB"), true
		}
		f, err := fh.Open()
		if err != nil {
			return nil, unreadable, true
		}
		data, err := io.ReadAll(io.LimitReader(f, MaxBTTBPhoto+1))
		f.Close()
		if err != nil {
			return nil, unreadable, true
		}
		sha, err := h.Shipments.SavePhoto(r.Context(), data, by)
		if err != nil {
			if fe, ok = h.refusal(w, r, err, "Foto tidak dapat disimpan; coba lagi.", "The photo could not be saved; try again."); ok {
				fe.Field = "photos"
			}
			return nil, fe, ok
		}
		shas = append(shas, sha)
	}
	return shas, nil, true
}
