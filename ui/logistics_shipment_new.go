package ui

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The form of a new shipment (/logistik/{code}/kiriman/baru): the sender's
// office, the destination, the waybill number, the mode with the sea
// route of a boat leg, the escort, the plan and its lines. The fields are
// named as the JSON of a shipment and as the service's errors name them
// ("sea.vessel", "lines[2].dapil"), so that an error marks the field it is
// about, a line's error its row.

const (
	// shipmentFormRows is how many empty line rows the form offers.
	shipmentFormRows = 8
	// maxShipmentFormRows bounds the rows a posted form is read for.
	maxShipmentFormRows = 60
)

var shipmentFields = []string{"waybill", "from", "to", "mode", "sea.port", "sea.vessel", "sea.crossing_m", "sea.escort_boat",
	"escort", "escort_contact", "planned_departure", "planned_arrival"}

// shipmentInput is the form as typed.
type shipmentInput struct {
	F     map[string]string
	Lines []lineInput
}

type lineInput struct{ Item, Dapil, Qty string }

func (l lineInput) blank() bool { return l.Item == "" && l.Dapil == "" && l.Qty == "" }

func readShipmentInput(get func(string) string) shipmentInput {
	in := shipmentInput{F: map[string]string{}}
	for _, k := range shipmentFields {
		in.F[k] = strings.TrimSpace(get(k))
	}
	for i := range maxShipmentFormRows {
		l := lineInput{Item: strings.TrimSpace(get(lineField(i, "item"))), Dapil: strings.TrimSpace(get(lineField(i, "dapil"))),
			Qty: strings.TrimSpace(get(lineField(i, "qty")))}
		in.Lines = append(in.Lines, l)
	}
	// Drop the empty rows at the end; the page adds its own.
	for len(in.Lines) > 0 && in.Lines[len(in.Lines)-1].blank() {
		in.Lines = in.Lines[:len(in.Lines)-1]
	}
	return in
}

// shipment is the input as a shipment, the form's row of each of its lines
// (empty rows are skipped), or the field that does not parse.
func (in shipmentInput) shipment() (sh siaga.Shipment, rowOf []int, fe *formError) {
	f := in.F
	sh = siaga.Shipment{Waybill: f["waybill"], From: f["from"], To: f["to"], Mode: siaga.TransportMode(f["mode"]),
		Escort: f["escort"], EscortContact: f["escort_contact"], Source: "web"}
	if f["sea.port"] != "" || f["sea.vessel"] != "" || f["sea.crossing_m"] != "" || f["sea.escort_boat"] != "" {
		sh.Sea = &siaga.SeaRoute{Port: f["sea.port"], Vessel: f["sea.vessel"], EscortBoat: f["sea.escort_boat"]}
		if v := f["sea.crossing_m"]; v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return sh, nil, fieldError("sea.crossing_m", "kolom sea.crossing_m: isi menit penyeberangan", "field sea.crossing_m: the crossing in minutes")
			}
			sh.Sea.CrossingM = n
		}
	}
	if sh.PlannedDeparture, fe = parseWIB("planned_departure", f["planned_departure"]); fe != nil {
		return sh, nil, fe
	}
	if sh.PlannedArrival, fe = parseWIB("planned_arrival", f["planned_arrival"]); fe != nil {
		return sh, nil, fe
	}
	for i, l := range in.Lines {
		if l.blank() {
			continue
		}
		n, err := strconv.Atoi(l.Qty)
		if err != nil {
			field := lineField(i, "qty")
			return sh, nil, fieldError(field, "kolom "+field+": isi jumlah (bilangan bulat)", "field "+field+": a whole quantity")
		}
		sh.Lines = append(sh.Lines, siaga.Line{Item: siaga.Item(l.Item), Dapil: l.Dapil, Qty: n})
		rowOf = append(rowOf, i)
	}
	if len(sh.Lines) == 0 {
		return sh, nil, fieldError(lineField(0, "item"), "Isi paling sedikit satu baris barang.", "Fill in at least one line.")
	}
	return sh, rowOf, nil
}

var lineFieldRE = regexp.MustCompile(`^lines\[(\d+)\]`)

// onFormRow turns a service's "lines[k].x" into the form row's
// "lines[i].x": the k-th line sent is the i-th row of the form.
func onFormRow(fe *formError, rowOf []int) {
	m := lineFieldRE.FindStringSubmatchIndex(fe.Field)
	if m == nil {
		return
	}
	k, _ := strconv.Atoi(fe.Field[m[2]:m[3]])
	if k < 0 || k >= len(rowOf) || rowOf[k] == k {
		return
	}
	old := fe.Field
	fe.Field = fmt.Sprintf("lines[%d]", rowOf[k]) + fe.Field[m[1]:]
	fe.Message = strings.Replace(fe.Message, old, fe.Field, 1)
	fe.MessageEN = strings.Replace(fe.MessageEN, old, fe.Field, 1)
}

// onLine reports whether field is line i's: "lines[2]" or "lines[2].dapil".
func onLine(field string, i int) bool {
	rest, ok := strings.CutPrefix(field, fmt.Sprintf("lines[%d]", i))
	return ok && (rest == "" || rest[0] == '.')
}

type shipmentFormPage struct {
	basePage
	logisticsWords
	Region siaga.Region
	In     shipmentInput
	Rows   []lineInput // the lines and the empty rows after them
	Err    *formError
	Modes  []siaga.TransportMode
	Items  []siaga.Item
}

// RowField names a row's field in the template.
func (shipmentFormPage) RowField(i int, name string) string { return lineField(i, name) }

// RowBad reports whether the form's error is about row i.
func (p shipmentFormPage) RowBad(i int) bool {
	return p.Err != nil && onLine(p.Err.Field, i)
}

// NewShipmentForm serves GET /logistik/{code}/kiriman/baru: an empty form,
// sent from the path's region, to ?ke= when given.
func (h *Pages) NewShipmentForm(w http.ResponseWriter, r *http.Request) {
	if h.shipmentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	in := shipmentInput{F: map[string]string{"from": reg.Code, "to": r.URL.Query().Get("ke"), "mode": string(siaga.ModeTruck)}}
	h.renderShipmentForm(w, r, http.StatusOK, reg, in, nil)
}

func (h *Pages) renderShipmentForm(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, in shipmentInput, fe *formError) {
	p := shipmentFormPage{basePage: h.base(r, "Kiriman baru — "+reg.Name), Region: reg, In: in, Err: fe,
		Modes: siaga.TransportModes, Items: h.Shipments.Items()}
	p.Nav, p.Path = "logistik", h.Regions.Path(reg.Code)
	p.Rows = append(p.Rows, in.Lines...)
	for len(p.Rows) < len(in.Lines)+2 || len(p.Rows) < shipmentFormRows {
		p.Rows = append(p.Rows, lineInput{})
	}
	h.renderStatus(w, r, status, "logistics_shipment_new", p)
}

// CreateShipment serves POST /logistik/{code}/kiriman: a shipment sent
// from a place in the path's region (which the guard checked against the
// account's scope); the service checks the rest.
func (h *Pages) CreateShipment(w http.ResponseWriter, r *http.Request) {
	if h.shipmentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	in := readShipmentInput(r.PostForm.Get)
	sh, rowOf, fe := in.shipment()
	if fe == nil && !siaga.InScope(reg.Code, sh.From) {
		fe = fieldError("from", "kolom from: "+sh.From+" bukan tempat di "+reg.Name+"; kirim dari wilayah Anda",
			"field from: "+sh.From+" is not a place in "+reg.Name+"; send from your region")
	}
	if fe == nil {
		created, err := h.Shipments.Create(r.Context(), sh, auth.Actor(h.account(r)))
		if err == nil {
			http.Redirect(w, r, shipmentURL(created), http.StatusSeeOther)
			return
		}
		if fe, ok = h.logRefusal(w, r, err, "Kiriman tidak dapat disimpan; coba lagi.", "The shipment could not be saved; try again.",
			"waybill", sh.Waybill); !ok {
			return
		}
		onFormRow(fe, rowOf)
	}
	h.renderShipmentForm(w, r, http.StatusUnprocessableEntity, reg, in, fe)
}
