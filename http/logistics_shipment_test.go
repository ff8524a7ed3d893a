package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
)

// shipWorld is a node with the logistics accounts of Kota Serang (3673):
// its PPK of Serang (367301), KPU, Bawaslu and Polres escort, and a
// logistics officer of Lebak (3602).
type shipWorld struct {
	n      *node.Node
	tokens map[string]string
}

func newShipWorld(t *testing.T) shipWorld {
	t.Helper()
	w := shipWorld{n: newNode(t), tokens: map[string]string{}}
	ctx := context.Background()
	for _, a := range []struct {
		name  string
		role  siaga.Role
		scope string
	}{
		{"ppk.serang", siaga.RolePPK, "367301"},
		{"kpu.kotaserang", siaga.RoleKPUKab, "3673"},
		{"bawaslu.kotaserang", siaga.RoleBawaslu, "3673"},
		{"polres.serangkota", siaga.RoleAparat, "3673"},
		{"logistik.lebak", siaga.RoleLogistik, "3602"},
	} {
		u, err := w.n.Auth.AddUser(ctx, auth.Console(), auth.NewUser{Username: a.name, Name: a.name, Password: "kata-sandi-uji-" + a.name,
			Role: a.role, Scope: a.scope})
		if err != nil {
			t.Fatal(err)
		}
		if w.tokens[a.name], err = w.n.Auth.NewAPIToken(ctx, u, "uji"); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// call sends body (JSON, or raw bytes) with the account's token and
// decodes a successful answer into out.
func (w shipWorld) call(t *testing.T, account, method, path string, body any, out any) (int, string) {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case nil:
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+w.tokens[account])
	rec := httptest.NewRecorder()
	w.n.Handler.ServeHTTP(rec, req)
	if out != nil && rec.Code < 300 {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, rec.Body)
		}
	}
	return rec.Code, rec.Body.String()
}

const (
	shipPPK  = "367301"
	shipDesa = "3673011001"
)

func (w shipWorld) create(t *testing.T, waybill, escort string) siaga.Shipment {
	t.Helper()
	var sh siaga.Shipment
	code, body := w.call(t, "ppk.serang", "POST", "/api/v1/logistics/shipments", map[string]any{
		"waybill": waybill, "from": shipPPK, "to": shipDesa, "mode": "truk", "escort": escort,
		"lines": []siaga.Line{{Item: siaga.ItemBox, Qty: 420}, {Item: siaga.ItemBallotDPRDProv, Qty: 25000}},
	}, &sh)
	if code != http.StatusCreated {
		t.Fatalf("create %s: %d %s", waybill, code, body)
	}
	return sh
}

// TestShipmentAPI is a shipment's life through the API with a
// discrepancy and its follow-up: created by the PPK, departed (recorded
// by its Polres escort), received short with a photo; the PPK is alerted,
// a follow-up carries the shortfall, Bawaslu acknowledges the alert.
func TestShipmentAPI(t *testing.T) {
	w := newShipWorld(t)
	sh := w.create(t, "SJ/367301/001", "Polres Serang Kota")
	if sh.Status != siaga.ShipmentPlanned || sh.Lines[1].Dapil != "BANTEN 11" || sh.CreatedBy != "user:ppk.serang" {
		t.Fatalf("created: %+v", sh)
	}
	refusals := []struct {
		name, account, method, path string
		body                        any
		want                        int
		field                       string
	}{
		{"create outside scope", "logistik.lebak", "POST", "/api/v1/logistics/shipments",
			map[string]any{"waybill": "X", "from": shipPPK, "to": shipDesa, "mode": "truk", "lines": []siaga.Line{{Item: siaga.ItemBox, Qty: 1}}},
			http.StatusForbidden, "from"},
		{"unknown field", "ppk.serang", "POST", "/api/v1/logistics/shipments", `{"waybill":"X","status":"diterima"}`, http.StatusBadRequest, ""},
		{"wrong dapil", "ppk.serang", "POST", "/api/v1/logistics/shipments",
			map[string]any{"waybill": "X", "from": shipPPK, "to": shipDesa, "mode": "truk",
				"lines": []siaga.Line{{Item: siaga.ItemBallotDPRDProv, Dapil: "BANTEN 3", Qty: 1}}}, http.StatusBadRequest, "lines[0].dapil"},
		{"read outside scope", "logistik.lebak", "GET", "/api/v1/logistics/3673/shipments/" + sh.ID, nil, http.StatusForbidden, "region"},
		{"read under another region", "kpu.kotaserang", "GET", "/api/v1/logistics/367302/shipments/" + sh.ID, nil, http.StatusNotFound, "id"},
		{"event outside scope", "logistik.lebak", "POST", "/api/v1/logistics/shipments/" + sh.ID + "/events",
			map[string]any{"kind": "berangkat"}, http.StatusForbidden, "id"},
		{"an escort does not sign for the kit", "polres.serangkota", "POST", "/api/v1/logistics/shipments/" + sh.ID + "/delivery",
			map[string]any{"receiver": "X"}, http.StatusForbidden, ""},
		{"arrived before it left", "ppk.serang", "POST", "/api/v1/logistics/shipments/" + sh.ID + "/events",
			map[string]any{"kind": "tiba"}, http.StatusConflict, "kind"},
		{"not a photo", "ppk.serang", "POST", "/api/v1/logistics/photos", []byte("GIF89a"), http.StatusBadRequest, "photo"},
		{"photo over 1 MiB", "ppk.serang", "POST", "/api/v1/logistics/photos", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, 1<<20)...),
			http.StatusRequestEntityTooLarge, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			code, body := w.call(t, tt.account, tt.method, tt.path, tt.body, nil)
			if code != tt.want || (tt.field != "" && !strings.Contains(body, fmt.Sprintf(`"field":%q`, tt.field))) {
				t.Errorf("%d %s, want %d naming %q", code, body, tt.want, tt.field)
			}
		})
	}

	var moved siaga.Shipment
	if code, body := w.call(t, "polres.serangkota", "POST", "/api/v1/logistics/shipments/"+sh.ID+"/events",
		map[string]any{"id": "ev-1", "kind": "berangkat", "at": "2024-02-12T07:05:00+07:00", "place": "Kantor PPK Serang"}, &moved); code != http.StatusOK {
		t.Fatalf("departure by the escort: %d %s", code, body)
	}
	if moved.Status != siaga.ShipmentDeparted {
		t.Fatalf("departed: %+v", moved)
	}
	var photo struct{ SHA256 string }
	if code, body := w.call(t, "ppk.serang", "POST", "/api/v1/logistics/photos", []byte("\x89PNG\r\n\x1a\nBTTB"), &photo); code != http.StatusCreated {
		t.Fatalf("photo: %d %s", code, body)
	}
	bttb := map[string]any{"id": "bttb-1", "receiver": "Ketua PPS Cipare", "received_at": "2024-02-12T08:00:00+07:00",
		"photos": []string{photo.SHA256}, "lines": []map[string]any{
			{"item": "kotak_suara", "counted": 420},
			{"item": "surat_suara_dprd_prov", "dapil": "BANTEN 11", "counted": 24850, "damaged": 50},
		}}
	var got struct {
		Shipment  siaga.Shipment   `json:"shipment"`
		FollowUps []siaga.Shipment `json:"follow_ups"`
	}
	if code, body := w.call(t, "ppk.serang", "POST", "/api/v1/logistics/shipments/"+sh.ID+"/delivery", bttb, &got); code != http.StatusOK {
		t.Fatalf("delivery: %d %s", code, body)
	}
	if got.Shipment.Status != siaga.ShipmentDelivered || len(got.FollowUps) != 1 || got.FollowUps[0].Waybill != "SJ/367301/001-S1" ||
		len(got.FollowUps[0].Lines) != 1 || got.FollowUps[0].Lines[0].Qty != 150 || got.FollowUps[0].Escort != "Polres Serang Kota" {
		t.Fatalf("delivered short: %+v", got)
	}
	// The same BTTB again (a lost answer): the same answer.
	var again struct {
		FollowUps []siaga.Shipment `json:"follow_ups"`
	}
	if code, _ := w.call(t, "ppk.serang", "POST", "/api/v1/logistics/shipments/"+sh.ID+"/delivery", bttb, &again); code != http.StatusOK ||
		len(again.FollowUps) != 1 || again.FollowUps[0].ID != got.FollowUps[0].ID {
		t.Errorf("replayed BTTB: %d %+v", code, again)
	}

	var list struct {
		Items []siaga.Shipment `json:"items"`
		Total int              `json:"total"`
		Next  string           `json:"next"`
	}
	if code, body := w.call(t, "bawaslu.kotaserang", "GET", "/api/v1/logistics/3673/shipments?limit=1", nil, &list); code != http.StatusOK ||
		list.Total != 2 || len(list.Items) != 1 || list.Next == "" {
		t.Fatalf("list: %d %s", code, body)
	}
	first, next := list.Items[0].ID, list.Next
	list.Items, list.Next = nil, ""
	if code, _ := w.call(t, "bawaslu.kotaserang", "GET", "/api/v1/logistics/3673/shipments?limit=1&after="+next, nil, &list); code != http.StatusOK ||
		len(list.Items) != 1 || list.Items[0].ID == first || list.Next != "" {
		t.Errorf("second page: %+v", list)
	}
	var one struct {
		Shipment siaga.Shipment        `json:"shipment"`
		Events   []siaga.ShipmentEvent `json:"events"`
		Delivery *siaga.Delivery       `json:"delivery"`
	}
	if code, body := w.call(t, "polres.serangkota", "GET", "/api/v1/logistics/3673/shipments/"+sh.ID, nil, &one); code != http.StatusOK ||
		len(one.Events) != 2 || one.Delivery == nil || one.Delivery.Photos[0] != photo.SHA256 || one.Events[0].By != "user:polres.serangkota" {
		t.Fatalf("one shipment: %d %s", code, body)
	}

	var alerts struct {
		Items []siaga.LogisticsAlert `json:"items"`
		Total int                    `json:"total"`
	}
	if code, body := w.call(t, "ppk.serang", "GET", "/api/v1/logistics/"+shipPPK+"/alerts?open=1", nil, &alerts); code != http.StatusOK ||
		alerts.Total != 1 || alerts.Items[0].Kind != siaga.AlertDiscrepancy || !strings.Contains(alerts.Items[0].Text, "24850") {
		t.Fatalf("alerts to the sender: %d %s", code, body)
	}
	id := alerts.Items[0].ID
	if code, _ := w.call(t, "logistik.lebak", "POST", fmt.Sprintf("/api/v1/logistics/alerts/%d/ack", id), nil, nil); code != http.StatusForbidden {
		t.Errorf("ack outside scope: %d", code)
	}
	if code, _ := w.call(t, "bawaslu.kotaserang", "POST", fmt.Sprintf("/api/v1/logistics/alerts/%d/ack", id+1), nil, nil); code != http.StatusNotFound {
		t.Errorf("ack of no alert: %d", code)
	}
	if code, body := w.call(t, "bawaslu.kotaserang", "POST", fmt.Sprintf("/api/v1/logistics/alerts/%d/ack", id), nil, nil); code != http.StatusNoContent {
		t.Fatalf("ack: %d %s", code, body)
	}
	if _, _ = w.call(t, "ppk.serang", "GET", "/api/v1/logistics/"+shipPPK+"/alerts?open=1", nil, &alerts); alerts.Total != 0 {
		t.Errorf("open alerts after ack: %d", alerts.Total)
	}
}

// TestShipmentEscort: an escort (aparat) records the status of the legs
// it escorts, and of no other.
func TestShipmentEscort(t *testing.T) {
	w := newShipWorld(t)
	escorted := w.create(t, "SJ/E/1", "Polres Serang Kota")
	alone := w.create(t, "SJ/E/2", "")
	for _, tt := range []struct {
		name string
		sh   siaga.Shipment
		want int
	}{
		{"escorted leg", escorted, http.StatusOK},
		{"leg without escort", alone, http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := w.call(t, "polres.serangkota", "POST", "/api/v1/logistics/shipments/"+tt.sh.ID+"/events",
				map[string]any{"kind": "berangkat"}, nil)
			if code != tt.want {
				t.Errorf("%d %s, want %d", code, body, tt.want)
			}
		})
	}
	// The PPK records the leg without escort.
	if code, body := w.call(t, "ppk.serang", "POST", "/api/v1/logistics/shipments/"+alone.ID+"/events", map[string]any{"kind": "berangkat"}, nil); code != http.StatusOK {
		t.Errorf("PPK: %d %s", code, body)
	}
}

// TestShipmentCSRF: a session by cookie needs its CSRF token to write.
func TestShipmentCSRF(t *testing.T) {
	n := newNode(t)
	s := loginAs(t, n, "ppk.kota", siaga.RolePPK, shipPPK, "")
	body := `{"waybill":"SJ/C/1","from":"367301","to":"3673011001","mode":"truk","lines":[{"item":"kotak_suara","qty":5}]}`
	for _, tt := range []struct {
		name, csrf string
		want       int
	}{{"without token", "", http.StatusForbidden}, {"with token", s.csrf, http.StatusCreated}} {
		req := httptest.NewRequest("POST", "/api/v1/logistics/shipments", strings.NewReader(body))
		req.AddCookie(&http.Cookie{Name: "siaga_session", Value: s.cookie})
		if tt.csrf != "" {
			req.Header.Set("X-CSRF-Token", tt.csrf)
		}
		rec := httptest.NewRecorder()
		n.Handler.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, rec.Code, rec.Body, tt.want)
		}
	}
}
