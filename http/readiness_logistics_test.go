package http_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// mapNode is boardNode (a TPS with its ballots late, one held) and a boat
// from the Pandeglang warehouse to the first kecamatan's PPK, on its way
// since the morning of H-1.
func mapNode(t testing.TB, now func() time.Time) (n *node.Node, late, held siaga.TPS) {
	n, late, held = boardNode(t, now)
	ctx := context.Background()
	at := time.Date(2024, 2, 13, 7, 0, 0, 0, siaga.WIB)
	boat := siaga.Shipment{ID: "kapal-1", Waybill: "SJ/KAPAL/1", From: "3601", To: late.Code[:6], Mode: siaga.ModeBoat,
		Sea:   &siaga.SeaRoute{Port: "Pelabuhan Labuan", Vessel: "KM Uji Coba", CrossingM: 120, EscortBoat: "Kapal Ditpolairud"},
		Lines: []siaga.Line{{Item: siaga.ItemBooth, Qty: 40}}, Escort: "Ditpolairud Polda Banten", EscortContact: "0812-RAHASIA",
		PlannedDeparture: at, PlannedArrival: at.Add(5 * time.Hour), Status: siaga.ShipmentPlanned, Source: "test", CreatedAt: at.Add(-time.Hour)}
	if err := n.Store.SaveShipments(ctx, []siaga.Shipment{boat}); err != nil {
		t.Fatal(err)
	}
	e := siaga.ShipmentEvent{ID: "kapal-e1", Shipment: boat.ID, Kind: siaga.EventDeparted, At: at, Source: "test", RecordedAt: at}
	if err := n.Store.AddShipmentEvent(ctx, e, boat, nil); err != nil {
		t.Fatal(err)
	}
	n.LogisticsBoard.Changed()
	return n, late, held
}

// logisticsLayer is the Logistik layer's answer as the map reads it.
type logisticsLayer struct {
	Statuses []struct {
		Key, Color string
		Count      int
	} `json:"statuses"`
	TPS      int `json:"tps"`
	Children []struct {
		Code  string `json:"code"`
		TPS   int    `json:"tps"`
		Share float64
	} `json:"children"`
	Points []struct {
		C string `json:"c"`
		K int    `json:"k"`
	} `json:"points"`
	Moving *struct {
		Items []struct {
			ID, Waybill, Status, Mode, Vessel, URL, Escort string
			Boat                                           bool
			FromLat                                        float64 `json:"from_lat"`
			ToLat                                          float64 `json:"to_lat"`
		} `json:"items"`
		Total int `json:"total"`
	} `json:"moving"`
}

// TestReadinessLogisticsLayer: the Logistik layer of the readiness map is
// there for the staff who read logistics in scope, and absent for the
// public, for staff out of scope and for staff who do not read logistics:
// on the page (toggle, legend, downloads) and on its routes. Its TPS are
// coloured by the board's statuses; its lines are the shipments on their
// way, the boat dashed, the held one apart, each linking to its page.
func TestReadinessLogisticsLayer(t *testing.T) {
	n, late, held := mapNode(t, func() time.Time { return boardNow })
	in := nodetest.Token(t, n, auth.NewUser{Username: "logistik.pandeglang", Password: "kata-sandi-panjang-123", Role: siaga.RoleLogistik, Scope: "3601"})
	prov := nodetest.Token(t, n, auth.NewUser{Username: "kpu.banten", Password: "kata-sandi-panjang-123", Role: siaga.RoleKPUProv, Scope: "36"})
	out := nodetest.Token(t, n, auth.NewUser{Username: "logistik.lebak", Password: "kata-sandi-panjang-123", Role: siaga.RoleLogistik, Scope: "3602"})
	admin := nodetest.Token(t, n, auth.NewUser{Username: "admin.banten", Password: "kata-sandi-panjang-123", Role: siaga.RoleAdmin, Scope: "36"})
	kec := late.Code[:6]

	t.Run("the page", func(t *testing.T) {
		for _, tc := range []struct {
			who, token string
			want       bool
		}{
			{"public", "", false},
			{"logistik of another kab/kota", out, false},
			{"admin (does not read logistics)", admin, false},
			{"logistik in scope", in, true},
			{"kpu of the province", prov, true},
		} {
			code, body := getAs(t, n.Handler, "/kesiapan/3601", tc.token)
			if code != http.StatusOK {
				t.Fatalf("%s: %d", tc.who, code)
			}
			for _, mark := range []string{`value="logistics"`, `id="logistics-legend"`, "/kesiapan/3601/logistik.geojson",
				"/kesiapan/3601/logistik.xlsx", "/api/v1/readiness/map/3601/logistics", "Papan kesiapan logistik"} {
				if got := strings.Contains(body, mark); got != tc.want {
					t.Errorf("%s: page holds %q: %v, want %v", tc.who, mark, got, tc.want)
				}
			}
		}
		_, body := getAs(t, n.Handler, "/kesiapan/3601", in)
		mustContain(t, "the legend's counts", body, `data-kit="terlambat"><span class="swatch" style="background:#f04438"></span>Terlambat <small class="muted">late</small> <b>1</b>`,
			`data-kit="tertahan"><span class="swatch" style="background:#6b21a8"></span>Tertahan <small class="muted">held</small> <b>1</b>`,
			"per 13-02-2024 09.00.00 WIB")
		_, body = getAs(t, n.Handler, "/kesiapan/"+late.Desa, in)
		mustContain(t, "a desa's kit table", body, "status_logistik", `href="/tps/`+late.Code+`"`, "Terlambat / late")
	})

	t.Run("the routes", func(t *testing.T) {
		for _, path := range []string{"/api/v1/readiness/map/3601/logistics", "/kesiapan/3601/logistik.geojson", "/kesiapan/3601/logistik.csv",
			"/kesiapan/3601/logistik.xlsx"} {
			for _, tc := range []struct {
				who, token string
				want       int
			}{
				{"public", "", http.StatusUnauthorized},
				{"out of scope", out, http.StatusForbidden},
				{"admin", admin, http.StatusForbidden},
				{"in scope", in, http.StatusOK},
			} {
				if code, body := getAs(t, n.Handler, path, tc.token); code != tc.want {
					t.Errorf("%s: GET %s = %d, want %d (%.200s)", tc.who, path, code, tc.want, body)
				}
			}
		}
		// The public map's own answers hold nothing of logistics.
		for _, path := range []string{"/api/v1/readiness/map/3601", "/api/v1/readiness/map/" + kec, "/kesiapan/" + kec + "/tps.csv"} {
			_, body := getAs(t, n.Handler, path, "")
			for _, secret := range []string{"SJ/", "kapal-1", "terlambat", "tertahan", "Ditpolairud"} {
				if strings.Contains(body, secret) {
					t.Errorf("public %s holds %q", path, secret)
				}
			}
		}
	})

	t.Run("the kecamatan: TPS coloured as the board says", func(t *testing.T) {
		var d logisticsLayer
		getJSONBody(t, n.Handler, "/api/v1/readiness/map/"+kec+"/logistics", in, &d)
		var keys, colors []string
		for _, s := range d.Statuses {
			keys, colors = append(keys, s.Key), append(colors, s.Color)
		}
		var want []string
		for _, k := range logistics.KitStatuses {
			want = append(want, string(k))
		}
		if diff := cmp.Diff(want, keys); diff != "" {
			t.Errorf("statuses (-board +map):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"#d92d20", "#6b21a8", "#f04438", "#f79009", "#2e90fa", "#98a2b3", "#12b76a"}, colors); diff != "" {
			t.Errorf("colours (-board page +map):\n%s", diff)
		}
		if len(d.Points) != len(n.Regions.TPSOf(kec)) {
			t.Fatalf("%d points, want the kecamatan's %d TPS", len(d.Points), len(n.Regions.TPSOf(kec)))
		}
		got, wantKits := map[string]string{}, map[string]string{}
		for _, p := range d.Points {
			got[p.C] = keys[p.K]
			k, err := n.LogisticsBoard.KitStatus(context.Background(), p.C, boardNow)
			if err != nil {
				t.Fatal(err)
			}
			wantKits[p.C] = k
		}
		if diff := cmp.Diff(wantKits, got); diff != "" {
			t.Errorf("kit by TPS (-board +map):\n%s", diff)
		}
		if got[late.Code] != "terlambat" || (strings.HasPrefix(held.Code, kec) && got[held.Code] != "tertahan") {
			t.Errorf("late TPS %q, held TPS %q", got[late.Code], got[held.Code])
		}
	})

	t.Run("the kab/kota: children and the shipments on their way", func(t *testing.T) {
		var d logisticsLayer
		getJSONBody(t, n.Handler, "/api/v1/readiness/map/3601/logistics", in, &d)
		if len(d.Children) != len(n.Regions.Children("3601")) || len(d.Points) != 0 || d.TPS != len(n.Regions.TPSOf("3601")) {
			t.Errorf("%d children, %d points, %d TPS", len(d.Children), len(d.Points), d.TPS)
		}
		if d.Moving == nil || d.Moving.Total != 3 || len(d.Moving.Items) != 3 {
			t.Fatalf("moving: %+v, want the late ballots, the held boxes and the boat", d.Moving)
		}
		byID := map[string]string{}
		for _, l := range d.Moving.Items {
			byID[l.ID] = l.Status
			if l.FromLat == 0 || l.ToLat == 0 || !strings.HasPrefix(l.URL, "/logistik/") || !strings.HasSuffix(l.URL, "/kiriman/"+l.ID) {
				t.Errorf("leg %+v", l)
			}
			if (l.ID == "kapal-1") != l.Boat || (l.Boat && (l.Vessel != "KM Uji Coba" || l.Escort != "Ditpolairud Polda Banten")) {
				t.Errorf("leg %s: boat %v, vessel %q", l.ID, l.Boat, l.Vessel)
			}
		}
		if diff := cmp.Diff(map[string]string{"surat-1": "berangkat", "kotak-2": "tertahan", "kapal-1": "berangkat"}, byID); diff != "" {
			t.Errorf("legs (-want +got):\n%s", diff)
		}
		_, body := getAs(t, n.Handler, "/api/v1/readiness/map/3601/logistics", in)
		if strings.Contains(body, "RAHASIA") {
			t.Error("the escort's contact reached the map")
		}
		// An earlier moment: before anything left, nothing on its way.
		getJSONBody(t, n.Handler, "/api/v1/readiness/map/3601/logistics?per=2024-02-11T12:00", in, &d)
		if d.Moving == nil || d.Moving.Total != 0 {
			t.Errorf("as of 11 Feb: moving %+v", d.Moving)
		}
	})

	t.Run("the province stays small", func(t *testing.T) {
		var d logisticsLayer
		body := getJSONBody(t, n.Handler, "/api/v1/readiness/map/36/logistics", prov, &d)
		if len(body) > maxProvinceMap {
			t.Errorf("the province's layer is %d bytes, over the cap of %d", len(body), maxProvinceMap)
		}
		if len(d.Children) != 8 || len(d.Points) != 0 || d.Moving != nil {
			t.Errorf("province: %d children, %d points, moving %v", len(d.Children), len(d.Points), d.Moving)
		}
	})

	t.Run("the CSV", func(t *testing.T) {
		_, body := getAs(t, n.Handler, "/kesiapan/"+kec+"/logistik.csv", in)
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(recs) != len(n.Regions.TPSOf(kec))+1 || recs[0][4] != "status_logistik" {
			t.Fatalf("logistik.csv: %v, %d rows", err, len(recs))
		}
		for _, r := range recs[1:] {
			if r[0] == late.Code && r[4] != "terlambat" {
				t.Errorf("the late TPS: %q", r)
			}
		}
	})
}
