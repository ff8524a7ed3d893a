package http

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// Body limits of the shipments' JSON: a waybill of a warehouse carries a
// line per item and dapil, a BTTB as many counted lines; an event is a few
// short fields.
const (
	shipmentBody      = 64 << 10
	shipmentEventBody = 8 << 10
)

// Pages of the shipments and alerts lists.
const (
	shipmentPageSize = 100
	maxShipmentPage  = 1000
)

// shipmentIn is a waybill as the API takes it: its status, times of
// creation and actual movements are the server's.
type shipmentIn struct {
	Waybill          string              `json:"waybill"`
	From             string              `json:"from"`
	To               string              `json:"to"`
	Lines            []siaga.Line        `json:"lines"`
	Mode             siaga.TransportMode `json:"mode"`
	Sea              *siaga.SeaRoute     `json:"sea"`
	Escort           string              `json:"escort"`
	EscortContact    string              `json:"escort_contact"`
	PlannedDeparture time.Time           `json:"planned_departure"`
	PlannedArrival   time.Time           `json:"planned_arrival"`
}

// shipmentEventIn is a status event as the API takes it; the ID is the
// sender's (the field app's outbox resends it).
type shipmentEventIn struct {
	ID           string                  `json:"id"`
	Kind         siaga.ShipmentEventKind `json:"kind"`
	At           time.Time               `json:"at"`
	Place        string                  `json:"place"`
	Lat          float64                 `json:"lat"`
	Lon          float64                 `json:"lon"`
	Note         string                  `json:"note"`
	Reason       string                  `json:"reason"`
	NewDeparture *time.Time              `json:"new_departure"`
	NewArrival   *time.Time              `json:"new_arrival"`
	Source       string                  `json:"source"`
}

// deliveryIn is a proof of delivery (BTTB) as the API takes it: what was
// sent comes from the waybill.
type deliveryIn struct {
	ID         string           `json:"id"`
	Receiver   string           `json:"receiver"`
	ReceivedAt time.Time        `json:"received_at"`
	Lines      []deliveryLineIn `json:"lines"`
	Photos     []string         `json:"photos"`
	Note       string           `json:"note"`
	Source     string           `json:"source"`
}

type deliveryLineIn struct {
	Item       siaga.Item `json:"item"`
	Dapil      string     `json:"dapil"`
	Counted    int        `json:"counted"`
	Damaged    int        `json:"damaged"`
	WrongDapil int        `json:"wrong_dapil"`
}

// eventSource is the source the sender names: the field app says
// "lapangan"; anything else is the web.
func eventSource(s string) string {
	if s == "lapangan" {
		return s
	}
	return "web"
}

// shipmentsOff answers 404 when the node has no shipments service.
func (s *Server) shipmentsOff(w http.ResponseWriter, r *http.Request) bool {
	if s.Shipments != nil {
		return false
	}
	s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Logistik tidak tersedia di server ini", "logistics is not available on this server"))
	return true
}

// handleShipmentsAPI is a page of the shipments bound for a region, by
// ID: ?status=berangkat,tertahan&item=…&sea=1&after=ID&limit=N.
func (s *Server) handleShipmentsAPI(w http.ResponseWriter, r *http.Request) {
	if s.shipmentsOff(w, r) {
		return
	}
	code := r.PathValue("region")
	if _, ok := s.Regions.Region(code); !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	v := r.URL.Query()
	f := siaga.ShipmentFilter{Region: code, Item: siaga.Item(v.Get("item")), Sea: v.Get("sea") == "1", After: v.Get("after"),
		Limit: shipmentPageSize}
	for st := range strings.SplitSeq(v.Get("status"), ",") {
		if st != "" {
			f.Status = append(f.Status, siaga.ShipmentStatus(st))
		}
	}
	if l, err := queryInt(v.Get("limit"), "limit", 1, maxShipmentPage); err != nil {
		s.writeError(w, r, err)
		return
	} else if l > 0 {
		f.Limit = int(l)
	}
	limit := f.Limit
	f.Limit++ // one more tells whether a next page exists
	items, total, err := s.Shipments.List(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := pageOf(items, total, limit, func(sh siaga.Shipment) string { return sh.ID })
	w.Header().Set("Cache-Control", "no-store")
	writeJSONCompressed(w, r, http.StatusOK, out)
}

// handleCreateShipment creates a waybill from a place in the account's
// scope.
func (s *Server) handleCreateShipment(w http.ResponseWriter, r *http.Request) {
	if s.shipmentsOff(w, r) {
		return
	}
	var in shipmentIn
	if !decodeStrict(s, w, r, &in) {
		return
	}
	u := s.account(r)
	if !siaga.InScope(u.Scope, in.From) {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "from", "Asal %s di luar wilayah akun Anda", "origin %s is outside your account's region", in.From))
		return
	}
	sh, err := s.Shipments.Create(r.Context(), siaga.Shipment{Waybill: in.Waybill, From: in.From, To: in.To, Lines: in.Lines,
		Mode: in.Mode, Sea: in.Sea, Escort: in.Escort, EscortContact: in.EscortContact, PlannedDeparture: in.PlannedDeparture,
		PlannedArrival: in.PlannedArrival, Source: "web"}, auth.Actor(u))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sh)
}

// shipmentInScope loads the path's shipment and checks that it is bound
// for the account's region, answering the error itself.
func (s *Server) shipmentInScope(w http.ResponseWriter, r *http.Request) (siaga.Shipment, []siaga.ShipmentEvent, *siaga.Delivery, bool) {
	if s.shipmentsOff(w, r) {
		return siaga.Shipment{}, nil, nil, false
	}
	sh, events, d, err := s.Shipments.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return sh, nil, nil, false
	}
	if u := s.account(r); !siaga.InScope(u.Scope, sh.To) {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "id", "Kiriman ke %s di luar wilayah akun Anda",
			"a shipment to %s is outside your account's region", sh.To))
		return sh, nil, nil, false
	}
	return sh, events, d, true
}

// handleShipmentAPI is one shipment bound for the path's region (which
// the guard checked against the account's scope), with its events and its
// BTTB.
func (s *Server) handleShipmentAPI(w http.ResponseWriter, r *http.Request) {
	sh, events, d, ok := s.shipmentInScope(w, r)
	if !ok {
		return
	}
	if !strings.HasPrefix(sh.To, r.PathValue("region")) {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "id", "Kiriman %s tidak menuju %s", "shipment %s is not bound for %s",
			sh.Waybill, r.PathValue("region")))
		return
	}
	if events == nil {
		events = []siaga.ShipmentEvent{}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		Shipment siaga.Shipment        `json:"shipment"`
		Events   []siaga.ShipmentEvent `json:"events"`
		Delivery *siaga.Delivery       `json:"delivery"`
	}{sh, events, d})
}

// handleShipmentEvent records a status event of a shipment in scope. An
// escort (aparat) records the events of the legs that carry an escort
// only.
func (s *Server) handleShipmentEvent(w http.ResponseWriter, r *http.Request) {
	sh, _, _, ok := s.shipmentInScope(w, r)
	if !ok {
		return
	}
	u := s.account(r)
	if u.Role == siaga.RoleAparat && sh.Escort == "" {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "escort", "Kiriman %s tanpa pengawalan: aparat tidak mencatat statusnya",
			"shipment %s has no escort: escorts do not record its status", sh.Waybill))
		return
	}
	var in shipmentEventIn
	if !decodeStrict(s, w, r, &in) {
		return
	}
	next, err := s.Shipments.Record(r.Context(), siaga.ShipmentEvent{ID: in.ID, Shipment: sh.ID, Kind: in.Kind, At: in.At,
		Place: in.Place, Lat: in.Lat, Lon: in.Lon, Note: in.Note, Reason: in.Reason, NewDeparture: in.NewDeparture,
		NewArrival: in.NewArrival, Source: eventSource(in.Source), By: auth.Actor(u)})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, next)
}

// handleShipmentDelivery records the BTTB of a shipment bound for the
// account's region: the receiver's side signs for it.
func (s *Server) handleShipmentDelivery(w http.ResponseWriter, r *http.Request) {
	sh, _, _, ok := s.shipmentInScope(w, r)
	if !ok {
		return
	}
	var in deliveryIn
	if !decodeStrict(s, w, r, &in) {
		return
	}
	d := siaga.Delivery{ID: in.ID, Shipment: sh.ID, Receiver: in.Receiver, ReceivedAt: in.ReceivedAt, Photos: in.Photos,
		Note: in.Note, Source: eventSource(in.Source), By: auth.Actor(s.account(r))}
	for _, l := range in.Lines {
		d.Lines = append(d.Lines, siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Counted: l.Counted, Damaged: l.Damaged,
			WrongDapil: l.WrongDapil})
	}
	next, follow, err := s.Shipments.Deliver(r.Context(), d)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if follow == nil {
		follow = []siaga.Shipment{}
	}
	writeJSON(w, http.StatusOK, struct {
		Shipment  siaga.Shipment   `json:"shipment"`
		FollowUps []siaga.Shipment `json:"follow_ups"`
	}{next, follow})
}

// handleLogisticsPhoto stores the body, a JPEG or PNG of at most 1 MiB,
// and answers its SHA-256, by which a BTTB or a handover names it.
func (s *Server) handleLogisticsPhoto(w http.ResponseWriter, r *http.Request) {
	if s.shipmentsOff(w, r) {
		return
	}
	data, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.writeError(w, r, siaga.Errorf(siaga.ETooLarge, "photo", "Foto lebih dari 1 MiB", "the photo is over 1 MiB"))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sha, err := s.Shipments.SavePhoto(r.Context(), data, auth.Actor(s.account(r)))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"sha256": sha})
}

// handleLogisticsAlertsAPI is a page of a region's alerts, newest first:
// ?kind=selisih&open=1&role=bawaslu&before=ID&limit=N.
func (s *Server) handleLogisticsAlertsAPI(w http.ResponseWriter, r *http.Request) {
	if s.shipmentsOff(w, r) {
		return
	}
	code := r.PathValue("region")
	if _, ok := s.Regions.Region(code); !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	v := r.URL.Query()
	f := siaga.LogisticsAlertFilter{Region: code, Kind: siaga.LogisticsAlertKind(v.Get("kind")), Role: siaga.Role(v.Get("role")),
		Open: v.Get("open") == "1", Limit: shipmentPageSize}
	var err error
	if f.Before, err = queryInt(v.Get("before"), "before", 0, 1<<62); err != nil {
		s.writeError(w, r, err)
		return
	}
	if l, err := queryInt(v.Get("limit"), "limit", 1, maxShipmentPage); err != nil {
		s.writeError(w, r, err)
		return
	} else if l > 0 {
		f.Limit = int(l)
	}
	limit := f.Limit
	f.Limit++
	items, total, err := s.Shipments.Alerts(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := pageOf(items, total, limit, func(a siaga.LogisticsAlert) string { return strconv.FormatInt(a.ID, 10) })
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// handleAckLogisticsAlert marks an alert of the account's region handled.
func (s *Server) handleAckLogisticsAlert(w http.ResponseWriter, r *http.Request) {
	if s.shipmentsOff(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "Nomor peringatan tidak sah", "not an alert number"))
		return
	}
	// The alert is the newest below id+1: the list's cursor finds it.
	page, _, err := s.Shipments.Alerts(r.Context(), siaga.LogisticsAlertFilter{Before: id + 1, Limit: 1})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(page) == 0 || page[0].ID != id {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "id", "Peringatan %d tidak ada", "no alert %d", id))
		return
	}
	u := s.account(r)
	if !siaga.InScope(u.Scope, page[0].Region) {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "id", "Peringatan untuk %s di luar wilayah akun Anda",
			"an alert for %s is outside your account's region", page[0].Region))
		return
	}
	if err := s.Shipments.Acknowledge(r.Context(), id, auth.Actor(u)); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// escortRoles may record the events of a leg: the logistics officers,
// and the escorts of the legs they escort (the handler checks the escort).
var escortRoles = append(slices.Clone(logRoles), siaga.RoleAparat)

// listPage is a page of a complete list as the JSON API answers it: the
// items, how many match in all, and the cursor of the next page (empty on
// the last).
type listPage[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total"`
	Next  string `json:"next,omitempty"`
}

// pageOf is the page of items, asked with limit+1 so that one more tells
// whether a next page exists; cursor names an item for "after".
func pageOf[T any](items []T, total, limit int, cursor func(T) string) listPage[T] {
	out := listPage[T]{Items: items, Total: total}
	if len(items) > limit {
		out.Items = items[:limit]
		out.Next = cursor(items[limit-1])
	}
	if out.Items == nil {
		out.Items = []T{}
	}
	return out
}
